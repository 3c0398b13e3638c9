#!/usr/bin/env bats
# One renderer draws every table, raw line, export line and JSON document
# from the columns each object declares: these tests hold every ls and info
# to the output options of SPEC.md, through the top-level ls and limits and
# through objects of each kind.

load helpers

setup() {
	id=$(ipctool shm create --size 4K)
	cleanup_later shm "$id"
	name=$(unique_name)
	ipctool shm create "$name" --size 8K >/dev/null
	cleanup_later shm "$name"
}

teardown() {
	cleanup_objects
}

@test "every ls and info takes the output options and has a ref column" {
	local obj verb n=0
	for obj in shm mq sem fifo pipe; do
		for verb in ls info; do
			run_ipctool 0 "$obj" "$verb" --list-columns
			assert_line --regexp '^ref +string '
			n=$((n + 1))
		done
	done
	for verb in ls limits; do
		run_ipctool 0 "$verb" --list-columns
		assert_line --regexp '^type +string '
		n=$((n + 1))
	done
	[ "$n" -eq 12 ]
}

@test "--list-columns: every column it names is accepted by -o, in every format" {
	run_ipctool 0 ls --list-columns
	cols=$(printf '%s\n' "${lines[@]:1}" | awk '{ print $1 }' | paste -sd, -)
	[ -n "$cols" ]
	run_ipctool 0 ls --type shm -o "$cols"
	run_ipctool 0 ls --type shm -o "$cols" --raw
	run_ipctool 0 ls --type shm -o "$cols" --export
	run_ipctool 0 ls --type shm -o "$cols" --json
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert len(rows) >= 2, rows
for r in rows:
    assert set(r) <= set(sys.argv[2].split(",")), r
' "$output" "$cols"
}

@test "-o LIST picks and orders the columns; +LIST adds to the default set" {
	run_ipctool 0 ls --type shm -o ref,type
	assert_line --regexp "^REF +TYPE$"
	assert_line --regexp "^$id +shm$"
	assert_line --regexp "^$name +shm$"
	run_ipctool 0 ls --type shm
	default_head=${lines[0]}
	run_ipctool 0 ls --type shm -o +inode
	assert_equal "${lines[0]}" "$default_head INODE"
	# a default column named in +LIST stays where it is, once
	run_ipctool 0 ls --type shm -o +owner,inode
	assert_equal "${lines[0]}" "$default_head INODE"
	# LIST itself is shown as given, repeats and all
	run_ipctool 0 ls --type shm -o owner,owner -r
	assert_line --index 0 "OWNER OWNER"
}

@test "an unknown column is a usage error naming it" {
	run_ipctool 2 ls -o ref,bogus
	assert_output ""
	[[ "$stderr" == *"unknown column 'bogus'"* ]]
	run_ipctool 2 shm info "$id" -o nosuch
	[[ "$stderr" == *"unknown column 'nosuch'"* ]]
}

@test "--noheadings drops the header line and nothing else" {
	run_ipctool 0 ls --type shm
	with=("${lines[@]}")
	run_ipctool 0 ls --type shm -H
	assert_equal "${#lines[@]}" $(( ${#with[@]} - 1 ))
	for i in "${!lines[@]}"; do
		assert_equal "${lines[$i]}" "${with[$((i + 1))]}"
	done
	run_ipctool 0 limits --noheadings
	refute_line --regexp '^TYPE '
}

@test "table widths come from every row, not the first" {
	long=$(unique_name)-a-much-longer-name-than-the-others
	ipctool shm create "$long" --size 1 >/dev/null
	cleanup_later shm "$long"
	run_ipctool 0 ls --type shm -o ref,size
	# SIZE is right-aligned: every line ends in the same column, past
	# the longest name, whichever row comes first
	ends=$(printf '%s\n' "${lines[@]}" | awk '{ print length($0) }' | sort -u)
	assert_equal "$(wc -l <<<"$ends")" 1
	[ "$ends" -gt "${#long}" ]
	assert_line --regexp "^REF {$(( ${#long} - 2 ))} *SIZE$"
}

@test "--raw: single spaces, exact numbers, unsafe bytes as \\xHH" {
	spaced="/ipct-$$-a b"
	ipctool shm create "$spaced" --size 2K >/dev/null
	cleanup_later shm "$spaced"
	run_ipctool 0 ls --type shm -o ref,size --raw
	assert_line "REF SIZE"
	assert_line "${spaced// /\\x20} 2048"
	assert_line "$id 4096"
	refute_output --partial "  "
}

@test "--export: NAME=\"value\" lines that eval back to the exact values" {
	# no '/' may follow the first, so the probe writes into the cwd
	cd "$BATS_TEST_TMPDIR"
	odd="/ipct-$$-\$(touch pwned)\"q\`touch pwned2\`"
	ipctool shm create "$odd" --size 3K >/dev/null
	cleanup_later shm "$odd"
	run_ipctool 0 ls --type shm -o ref,size,mode --export
	[ "${#lines[@]}" -ge 3 ]
	found=0
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^REF=\".*\"\ SIZE=\"[0-9]+\"\ MODE=\"0[0-7]{3}\"$ ]] ||
		    fail "not an export line: $l"
		eval "$l"
		if [ "$REF" = "$odd" ]; then
			assert_equal "$SIZE" 3072
			assert_equal "$MODE" 0600
			found=1
		fi
	done
	[ "$found" -eq 1 ]
	[ ! -e pwned ] && [ ! -e pwned2 ]
}

@test "--json: typed numbers and the -o selection; info gives one object" {
	run_ipctool 0 ls --type shm -o ref,size,mode --json
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
by_ref = {r["ref"]: r for r in rows}
assert by_ref[sys.argv[2]]["size"] == 4096
assert by_ref[sys.argv[3]]["size"] == 8192
assert all(set(r) == {"ref", "size", "mode"} for r in rows), rows
assert all(r["mode"] == "0600" for r in rows)
' "$output" "$id" "$name"
	run_ipctool 0 shm info "$name" --json -o ref,size
	python3 -c '
import json, sys
assert json.loads(sys.argv[1]) == {"ref": sys.argv[2], "size": 8192}
' "$output" "$name"
}

@test "info: one name: value line per column; -o and --export apply to it too" {
	run_ipctool 0 shm info "$id"
	assert_line --regexp "^ref: +$id$"
	assert_line --regexp '^size: +4096$'
	run_ipctool 0 shm info "$id" -o size,ref
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --regexp '^size: +4096$'
	run_ipctool 0 shm info "$id" -o ref,size --export
	assert_output "REF=\"$id\" SIZE=\"4096\""
}

@test "the ref column of the top-level ls is accepted by each object's info and rm" {
	q=$(ipctool mq create)
	cleanup_later mq "$q"
	s=$(ipctool sem create)
	cleanup_later sem "$s"
	run_ipctool 0 ls --type shm,mq,sem -o type,ref -H --raw
	[ "${#lines[@]}" -ge 4 ]
	for l in "${lines[@]}"; do
		read -r type ref <<<"$l"
		run_ipctool 0 "$type" info "$ref" -o ref -H
		assert_output --regexp "^$ref$"
	done
	for l in "$id" "$name"; do
		run_ipctool 0 shm rm "$l"
	done
	run_ipctool 0 mq rm "$q"
	run_ipctool 0 sem rm "$s"
	run ipcs -m
	refute_output --regexp "[[:space:]]$id[[:space:]]"
	[ ! -e "/dev/shm${name}" ]
}

@test "the text table shows sizes humanised; raw, export and json exact" {
	big=$(ipctool shm create --size 1536K)
	cleanup_later shm "$big"
	run_ipctool 0 shm ls -o ref,size
	assert_line --regexp "^$big +1.5M$"
	run_ipctool 0 shm ls -o ref,size --raw -H
	assert_line "$big 1572864"
	run ipcs -m -b
	assert_line --regexp " $big .* 1572864 "
}

@test "limits takes the output options; its numbers are typed in JSON" {
	run_ipctool 0 limits -o type,resource,limit --raw -H
	assert_line --regexp '^shm sysv\\x20segments\\x20\(shmmni\) [0-9]+$' || \
	    assert_line --regexp '^shm segments\\x20\(shmmni\) [0-9]+$'
	run_ipctool 0 limits --json -o resource,limit
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert all(set(r) == {"resource", "limit"} for r in rows), rows
mni = [r for r in rows if "shmmni" in r["resource"]][0]
assert mni["limit"] == int(open("/proc/sys/kernel/shmmni").read())
' "$output"
}

@test "output options are refused where there is no table" {
	run_ipctool 2 shm create --size 1 -o ref
	[[ "$stderr" == *"'-o'"* || "$stderr" == *"--output"* ]]
	run_ipctool 2 shm rm "$id" --export
	run ipcs -m -i "$id"
	[ "$status" -eq 0 ]
}

@test "each column of --list-columns works alone in -o, for ls and every OBJ ls" {
	local n=0 col
	# one object of every kind, so that no table is empty
	for obj in mq sem; do
		ref=$(ipctool "$obj" create)
		cleanup_later "$obj" "$ref"
		ref=$(unique_name)
		ipctool "$obj" create "$ref" >/dev/null
		cleanup_later "$obj" "$ref"
	done
	mkfifo "$BATS_TEST_TMPDIR/f"
	for cmd in "ls" "shm ls" "mq ls" "sem ls" "fifo ls $BATS_TEST_TMPDIR" "pipe ls"; do
		run_ipctool 0 $cmd --list-columns
		for col in $(printf '%s\n' "${lines[@]:1}" | awk '{ print $1 }'); do
			run_ipctool 0 $cmd -o "$col"
			assert_line --index 0 --regexp "^ *${col^^}$"
			run_ipctool 0 $cmd -o "$col" --json
			python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert all(set(r) <= {sys.argv[2]} for r in rows), rows
' "$output" "$col"
			n=$((n + 1))
		done
	done
	[ "$n" -gt 60 ]
}

@test "make -n all install runs no package manager" {
	cd "$BATS_TEST_DIRNAME/.."
	run make -n all install PREFIX="$BATS_TEST_TMPDIR/p"
	assert_success
	refute_output --regexp 'apt-get|apt |dpkg|\.ci/deps'
}

@test "tables and info lines show control bytes as \\xHH: a name cannot split a row" {
	odd=$(printf '/ipct-%s-a\tb\nc\033[31m' "$$")
	ipctool shm create "$odd" --size 1 >/dev/null
	cleanup_later shm "$odd"
	want="/ipct-$$-a\\x09b\\x0ac\\x1b[31m"
	run_ipctool 0 shm ls -o ref,size
	assert_line --regexp "^${want//[[\\]/.} +1$"
	refute_output --partial $'\033'
	run_ipctool 0 shm info "$odd" -o ref
	assert_output "ref: $want"
	# the exact bytes stay available to scripts
	run_ipctool 0 shm info "$odd" -o ref --json
	python3 -c 'import json, sys; assert json.loads(sys.argv[1])["ref"] == sys.argv[2]' \
	    "$output" "$odd"
}
