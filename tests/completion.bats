#!/usr/bin/env bats
# Shell completions.  The bash function is driven directly, the way bash
# calls it; zsh and fish are asked for real completions from a shell that
# has the files loaded; all three files are checked for syntax.

load helpers

COMPLETIONS=$BATS_TEST_DIRNAME/../completions

setup() {
	# ipctool on PATH under its own name, as an installed one would be,
	# and no shell function of that name in the way.
	BIN_DIR=$BATS_TEST_TMPDIR/bin
	mkdir -p "$BIN_DIR"
	ln -sf "$IPCTOOL" "$BIN_DIR/ipctool"
	PATH=$BIN_DIR:$PATH
	unset -f ipctool
	# shellcheck source=../completions/ipctool.bash
	source "$COMPLETIONS/ipctool.bash"
}

# comp_line LINE: run the bash completion function as bash would with the
# cursor at the end of LINE, and print COMPREPLY one per line.  COMP_WORDS
# is split the way bash splits it: at blanks, and around ':' and '='.
comp_line() {
	local line=$1 tok
	local -a toks

	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	read -ra toks <<<"$line"
	for tok in "${toks[@]}"; do
		while [[ $tok =~ ^([^:=]*)([:=]+)(.*)$ ]]; do
			[[ -n ${BASH_REMATCH[1]} ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
			COMP_WORDS+=("${BASH_REMATCH[2]}")
			tok=${BASH_REMATCH[3]}
		done
		[[ -z $tok ]] || COMP_WORDS+=("$tok")
	done
	[[ $line != *' ' ]] || COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_ipctool
	printf '%s\n' "${COMPREPLY[@]}"
}

# Every word in $output, and nothing else.
assert_exactly() {
	local want got
	want=$(printf '%s\n' "$@" | sort)
	got=$(printf '%s\n' "${lines[@]}" | sort)
	assert_equal "$got" "$want"
}

# --- bash: objects, commands, verbs, options ---

@test "bash: the top level offers the objects and the commands" {
	run comp_line "ipctool "
	assert_success
	assert_line shm
	assert_line ls
	assert_line limits
	assert_line help
	refute_line create
	refute_line --json
}

@test "bash: global options, and an object after them" {
	run comp_line "ipctool -"
	assert_line --json
	assert_line -j
	assert_line --trace
	assert_line --help
	assert_line --version
	refute_line shm
	run comp_line "ipctool --json --trace sh"
	assert_exactly shm
}

@test "bash: ipctool shm offers every verb the binary has" {
	run comp_line "ipctool shm "
	assert_success
	assert_exactly create ls info write read attach set rm
	# the same list the binary gives, so the two never drift apart
	local -a verbs
	mapfile -t verbs < <("$IPCTOOL" __complete words shm)
	assert_exactly "${verbs[@]}"
}

@test "bash: verbs complete from a prefix" {
	run comp_line "ipctool shm r"
	assert_exactly read rm
}

@test "bash: shm create -- offers its options and the global ones" {
	run comp_line "ipctool shm create --"
	assert_success
	assert_line --size
	assert_line --mode
	assert_line --exist-ok
	assert_line --json
	assert_line --trace
	refute_line --offset
	refute_line --rdonly
	refute_line -s
}

@test "bash: short options are the verb's own" {
	run comp_line "ipctool shm read -"
	assert_line -s
	assert_line -x
	assert_line --string
	refute_line --size
	# in read, -s is --string, a flag: a REF comes next
	run comp_line "ipctool shm read -s "
	assert_line key:
	# in create, -s is --size, which takes a value: nothing to offer
	run comp_line "ipctool shm create -s "
	assert_success
	assert_output ""
	# so the word after the value is the REF again
	run comp_line "ipctool shm create -s 4K "
	assert_line key:
}

@test "bash: --mode offers common modes, with or without =" {
	run comp_line "ipctool shm create --mode "
	assert_line 0600
	assert_line 0644
	assert_line 0660
	assert_line 0666
	run comp_line "ipctool shm set -m 06"
	assert_line 0600
	refute_line 0444
	# bash replaces only what follows '=', so that is all that is offered
	run comp_line "ipctool shm create --mode=066"
	assert_exactly 0660 0666
}

@test "bash: --owner offers users, --group offers groups" {
	run comp_line "ipctool shm set --owner roo"
	assert_line root
	run comp_line "ipctool shm set -o roo"
	assert_line root
	run comp_line "ipctool shm set --group roo"
	assert_line root
	run comp_line "ipctool shm set --group=roo"
	assert_line root
}

@test "bash: sizes, offsets, lengths and timeouts offer nothing" {
	local line
	for line in "ipctool shm create --size " "ipctool shm write /x --offset " \
	    "ipctool shm read /x -l " "ipctool shm attach /x --timeout "; do
		run comp_line "$line"
		assert_success
		assert_output ""
	done
}

@test "bash: ls --type and limits -t offer the object names" {
	run comp_line "ipctool ls --type "
	assert_success
	assert_line shm
	run comp_line "ipctool limits -t "
	assert_line shm
	run comp_line "ipctool ls --type=sh"
	assert_exactly shm
	# a name already in the list is not offered again
	run comp_line "ipctool ls --type shm,"
	assert_success
	assert_line "shm,mq"
	refute_line "shm,shm"
	run comp_line "ipctool ls -"
	assert_line --type
	assert_line -t
	assert_line --json
}

@test "bash: help completes an object, then its verbs" {
	run comp_line "ipctool help "
	assert_line shm
	run comp_line "ipctool help shm "
	assert_line create
	assert_line attach
}

# --- bash: references ---

@test "bash: a live POSIX segment completes after /" {
	local name
	name=$(unique_name)
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 1K
	run comp_line "ipctool shm info /"
	assert_success
	assert_line "$name"
	refute_line key:
	run comp_line "ipctool shm info ${name:0:6}"
	assert_line "$name"
}

@test "bash: a live System V id completes for shm rm" {
	local id
	id=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$id"
	run comp_line "ipctool shm rm "
	assert_success
	assert_line "$id"
	assert_line key:
	assert_line ftok:
}

@test "bash: rm does not offer a REF that is already on the line" {
	local a b
	a=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$a"
	b=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$b"
	run comp_line "ipctool shm rm $a "
	assert_line "$b"
	refute_line "$a"
}

@test "bash: only the first operand of info is a REF" {
	local id
	id=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$id"
	run comp_line "ipctool shm info $id "
	assert_success
	assert_output ""
	# create makes a new one: the forms, never a live one
	run comp_line "ipctool shm create "
	assert_exactly key: ftok:
}

@test "bash: ftok: completes a path after the prefix" {
	local dir=$BATS_TEST_TMPDIR/keys
	mkdir -p "$dir/sub"
	touch "$dir/keyfile"
	run comp_line "ipctool shm info ftok:$dir/k"
	# bash replaces what follows the ':', so the path alone comes back
	assert_exactly "$dir/keyfile"
	run comp_line "ipctool shm info ftok:$dir/s"
	assert_exactly "$dir/sub/"
	run comp_line "ipctool shm info f"
	assert_exactly ftok:
}

@test "bash: after -- in shm attach, a command" {
	run comp_line "ipctool shm attach /x -- slee"
	assert_line sleep
	# before --, no command
	run comp_line "ipctool shm attach /x slee"
	assert_success
	assert_output ""
	# after the command, its own arguments (files without bash-completion)
	mkdir -p "$BATS_TEST_TMPDIR/args"
	touch "$BATS_TEST_TMPDIR/args/one"
	run comp_line "ipctool shm attach /x -- cat $BATS_TEST_TMPDIR/args/o"
	assert_line "$BATS_TEST_TMPDIR/args/one"
}

# --- bash: which binary ---

@test "bash: the typed command word is the binary asked, on PATH or not" {
	PATH=/usr/bin:/bin
	run comp_line "$IPCTOOL shm "
	assert_line create
	assert_line rm
	run comp_line "ipctool shm "
	assert_success
	assert_output ""
	run comp_line "/nonexistent/ipctool "
	assert_success
	assert_exactly ls limits help
}

@test "bash: the function is registered for ipctool" {
	run complete -p ipctool
	assert_success
	assert_output --partial "-F _ipctool"
}

# --- syntax ---

@test "bash: completions/ipctool.bash parses" {
	run bash -n "$COMPLETIONS/ipctool.bash"
	assert_success
	assert_output ""
}

@test "zsh: completions/_ipctool parses and is a compdef file" {
	run zsh -n "$COMPLETIONS/_ipctool"
	assert_success
	assert_output ""
	run head -n 1 "$COMPLETIONS/_ipctool"
	assert_output "#compdef ipctool"
}

@test "fish: completions/ipctool.fish parses" {
	run fish --no-execute "$COMPLETIONS/ipctool.fish"
	assert_success
	assert_output ""
}

# --- fish, for real ---

# fish_complete LINE: what fish offers for LINE, words only.
fish_complete() {
	fish --no-config -c "source '$COMPLETIONS/ipctool.fish'
complete -C'$1'" | cut -f1
}

@test "fish: verbs, options and type names" {
	run fish_complete "ipctool "
	assert_line shm
	assert_line ls
	assert_line help
	run fish_complete "ipctool shm "
	assert_success
	assert_exactly create ls info write read attach set rm
	run fish_complete "ipctool shm create --"
	assert_line --size
	assert_line --mode
	assert_line --exist-ok
	assert_line --json
	run fish_complete "ipctool shm create --mode "
	assert_line 0600
	run fish_complete "ipctool ls --type "
	assert_line shm
}

@test "fish: live references" {
	local name id
	name=$(unique_name)
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 1K
	id=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$id"
	run fish_complete "ipctool shm info /"
	assert_line "$name"
	run fish_complete "ipctool shm rm "
	assert_line "$id"
	assert_line "$name"
	assert_line key:
	run fish_complete "ipctool shm rm $id "
	refute_line "$id"
	assert_line "$name"
}

@test "fish: ftok: paths and the command after --" {
	mkdir -p "$BATS_TEST_TMPDIR/keys"
	touch "$BATS_TEST_TMPDIR/keys/keyfile"
	run fish_complete "ipctool shm info ftok:$BATS_TEST_TMPDIR/keys/k"
	assert_exactly "ftok:$BATS_TEST_TMPDIR/keys/keyfile"
	run fish_complete "ipctool shm attach /x -- slee"
	assert_line sleep
}

# --- zsh, for real ---

# zsh_complete LINE: what zsh offers for LINE, from an interactive zsh on a
# pseudo-terminal with compinit and the completion directory on $fpath.
# Each compadd call is recorded with the matches it added.
zsh_complete() {
	local script=$BATS_TEST_TMPDIR/capture.zsh out=$BATS_TEST_TMPDIR/zsh.out
	cat >"$script" <<'EOF'
zmodload zsh/zpty || exit 1
dir=$1 out=$2 line=$3
: >$out
zpty z zsh -f -i
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compadd() { local -a m; builtin compadd -O m \"\$@\"; print -rl -- \$m >>${(q)out}; builtin compadd \"\$@\" }"
zpty -w z "bindkey -e; zstyle ':completion:*' list-prompt ''"
# wait_for WORD: until zsh prints WORD (the command that prints it is
# typed as Z${:-WORD}, so its echo does not count).
wait_for() {
	local buf= chunk i
	for i in {1..100}; do
		zpty -r -t z chunk && buf+=$chunk
		[[ $buf == *Z$1* ]] && return 0
		sleep 0.1
	done
	print -u2 "zsh did not answer: $buf"
	exit 1
}
zpty -w z 'print Z${:-READY}'
wait_for READY
# The line, Tab, ^U to empty the line, then a marker: zle takes keys in
# order, so when the marker comes the completion has run.
zpty -w -n z "$line"$'\t'$'\025''print Z${:-DONE}'$'\n'
wait_for DONE
zpty -d z
cat $out
EOF
	zsh -f "$script" "$COMPLETIONS" "$out" "$1"
}

@test "zsh: verbs, options, type names and live references" {
	local name
	name=$(unique_name)
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 1K
	run zsh_complete "ipctool shm "
	assert_success
	assert_line create
	assert_line attach
	assert_line rm
	run zsh_complete "ipctool shm create --"
	assert_line --size
	assert_line --exist-ok
	assert_line --json
	run zsh_complete "ipctool ls --type "
	assert_line shm
	run zsh_complete "ipctool shm info /"
	assert_line "$name"
}

@test "bash: mq verbs, recv options and live queue names complete" {
	run comp_line "ipctool mq "
	for v in create ls info send recv write read rm; do
		assert_line "$v"
	done
	run comp_line "ipctool mq recv --"
	assert_line --count
	assert_line --all
	assert_line --truncate
	name=$(unique_name)
	"$IPCTOOL" mq create "$name" >/dev/null
	cleanup_later mq "$name"
	run comp_line "ipctool mq recv /"
	assert_line "$name"
}

@test "bash: sem verbs and run options complete; --index takes a value" {
	run comp_line "ipctool sem "
	for v in create ls info get set wait post zero op run rm; do
		assert_line "$v"
	done
	run comp_line "ipctool sem run --"
	assert_line -- --nowait
	assert_line -- --timeout
	assert_line -- --index
	run comp_line "ipctool sem wait --index "
	assert_output ""
}
