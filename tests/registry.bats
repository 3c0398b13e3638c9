#!/usr/bin/env bats
# The option registry is the one place an option is declared: these tests
# read it through `ipctool __complete options` and hold every other place
# (verb help, man pages) to it, so nothing can drift.

load helpers

MAN=$BATS_TEST_DIRNAME/../man

# Every (object, verb) pair, "OBJ VERB" a line; top-level commands as "- VERB".
verbs() {
	local o v
	for o in $(ipctool __complete words | grep -v '^-'); do
		if ipctool __complete words "$o" | grep -q '^-'; then
			echo "- $o"
			continue
		fi
		for v in $(ipctool __complete words "$o"); do
			echo "$o $v"
		done
	done
}

# The long options a verb takes, without the global ones.
verb_long_options() {
	local obj=$1 verb=$2
	if [ "$obj" = - ]; then
		ipctool __complete words "$verb"
	else
		ipctool __complete words "$obj" "$verb"
	fi | grep '^--' | grep -vxE -- '--(json|trace|help|version|ns)'
}

@test "registry: one letter means one option program-wide" {
	run_ipctool 0 __complete options
	[ "${#lines[@]}" -gt 30 ]
	# A letter may have one row per kind (-t: message type or object
	# types) but always the same long name.
	clashes=$(printf '%s\n' "${lines[@]}" | awk '$1 != "-" { print $1, $2 }' |
	    sort -u | awk '{ n[$1]++ } n[$1] > 1 { print $1 }')
	assert_equal "$clashes" ""
	# and a long name is never given two letters
	twice=$(printf '%s\n' "${lines[@]}" | awk '{ print $2, $1 }' | sort -u |
	    awk '{ n[$1]++ } n[$1] > 1 { print $1 }')
	assert_equal "$twice" ""
}

@test "registry: flock's letters: -w is --timeout, -n is --nowait" {
	run_ipctool 0 __complete options
	assert_line "-w --timeout duration"
	assert_line "-n --nowait flag"
}

@test "every verb's --help lists each of its options with the registry's letter" {
	local reg obj verb long letter n=0
	reg=$(ipctool __complete options)
	while read -r obj verb; do
		if [ "$obj" = - ]; then
			help=$(ipctool "$verb" --help)
		else
			help=$(ipctool "$obj" "$verb" --help)
		fi
		for long in $(verb_long_options "$obj" "$verb"); do
			letter=$(awk -v l="$long" '$2 == l { print $1; exit }' <<<"$reg")
			if [ "$letter" = - ]; then
				want="      $long"
			else
				want="  $letter, $long"
			fi
			[[ "$help" == *"$want"* ]] ||
			    fail "$obj $verb --help lacks '$want'"
			n=$((n + 1))
		done
	done < <(verbs)
	[ "$n" -gt 80 ]
}

# The man page that documents a verb's options.
man_page_of() {
	if [ "$1" = - ]; then echo "$MAN/ipctool.1"; else echo "$MAN/ipctool-$1.1"; fi
}

@test "every option of every verb is in its man page, with its letter" {
	local reg obj verb long letter page n=0
	reg=$(ipctool __complete options)
	while read -r obj verb; do
		page=$(man_page_of "$obj")
		[ -f "$page" ] || fail "no man page $page"
		for long in $(verb_long_options "$obj" "$verb"); do
			letter=$(awk -v l="$long" '$2 == l { print $1; exit }' <<<"$reg")
			# The output options of ls and info, and ls's -A and
			# filters, are documented once, in ipctool(1); every other option in its
			# object's page, as an item of its own (not a table row).
			pages=("$page")
			case "$verb:$long" in
			ls:--output|ls:--list-columns|ls:--noheadings|ls:--raw|ls:--export|\
			info:--output|info:--list-columns|info:--noheadings|info:--raw|info:--export|\
			ls:--owner|ls:--older-than|ls:--unused|ls:--flavor|ls:--all-namespaces)
				pages+=("$MAN/ipctool.1") ;;
			esac
			items=$(grep -h -- "^\.It Fl .*Fl ${long#-}\b\|^\.It Fl ${long#-}\b" "${pages[@]}" |
			    grep -v ' Ta ' || true)
			[ -n "$items" ] || fail "$page: no .It for $long ($obj $verb)"
			if [ "$letter" != - ]; then
				grep -q -- "Fl ${letter#-}\b" <<<"$items" ||
				    fail "$page: $long is not given its letter $letter"
			fi
			n=$((n + 1))
		done
	done < <(verbs)
	[ "$n" -gt 80 ]
}

@test "no man page gives a long option a letter the registry does not" {
	local reg line long letters want bad=""
	reg=$(ipctool __complete options)
	for page in "$MAN"/*.1; do
		while IFS= read -r line; do
			# ".It Fl X Ar A , Fl -long Ar A": the pair on one item line
			long=$(grep -oE 'Fl -[a-z][a-z-]*' <<<"$line" | head -1)
			letters=$(grep -oE 'Fl [A-Za-z0-9]\b' <<<"$line" | cut -c4-)
			[ -n "$long" ] && [ -n "$letters" ] || continue
			want=$(awk -v l="--${long#Fl -}" '$2 == l { print $1; exit }' <<<"$reg")
			[ -n "$want" ] || { bad+="$page: unknown option --${long#Fl -}"$'\n'; continue; }
			[ "-$letters" = "$want" ] ||
			    bad+="$page: '$line' gives --${long#Fl -} the letter -$letters, the registry $want"$'\n'
		done < <(grep '^\.It Fl' "$page")
	done
	assert_equal "$bad" ""
}

@test "every man page is clean under mandoc -Tlint" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	run mandoc -Tlint -W warning "$MAN"/*.1
	assert_output ""
}

@test "a bad option value is a usage error before any system call" {
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace not permitted)"
	# LeakSanitizer cannot run under ptrace: off for this one call
	ASAN_OPTIONS=detect_leaks=0 run --separate-stderr strace -f -e trace=ipc,shmget,msgget,semget,mq_open,openat \
	    -o "$BATS_TEST_TMPDIR/trace" "$IPCTOOL" shm create --size 4Q
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"invalid size '4Q' for --size"* ]]
	! grep -E 'shmget|msgget|semget|mq_open|/dev/shm' "$BATS_TEST_TMPDIR/trace"
}
