#!/usr/bin/env bats
# The grammar: dispatch, help at every level, global options in both
# places, exit statuses, and the parsers every object shares.

load helpers

@test "no arguments: usage on stderr, exit 2, nothing on stdout" {
	run_ipctool 2
	assert_output ""
	[[ "$stderr" == *"Usage: ipctool"* ]]
}

@test "--help, -h and help print the objects and exit 0" {
	for form in --help -h help; do
		run_ipctool 0 $form
		assert_line --partial "shm "
		assert_line --partial "Usage: ipctool"
	done
}

@test "--version and -V print the version" {
	run_ipctool 0 --version
	assert_output --regexp '^ipctool [0-9]+\.[0-9]+\.[0-9]+$'
	run_ipctool 0 shm ls -V
	assert_output --regexp '^ipctool [0-9]'
}

@test "unknown object exits 2 and lists the valid ones" {
	run_ipctool 2 shmem ls
	assert_output ""
	[[ "$stderr" == *"unknown object 'shmem'"* ]]
	[[ "$stderr" == *"valid objects: pipe, fifo, shm, mq, sem"* ]]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
}

@test "names match exactly: no prefix matching" {
	run_ipctool 2 sh ls
	run_ipctool 2 shm l
	[[ "$stderr" == *"unknown verb 'l'"* ]]
	[[ "$stderr" == *"valid verbs: create, ls, info, write, read, attach, set, rm"* ]]
}

@test "object help: shm --help, shm -h, help shm all list every verb" {
	for args in "shm --help" "shm -h" "help shm"; do
		run_ipctool 0 $args
		for v in create ls info write read attach set rm; do
			assert_line --regexp "^  $v +"
		done
	done
}

@test "verb help: shm create --help and help shm create agree" {
	run_ipctool 0 shm create --help
	local a=$output
	run_ipctool 0 help shm create
	assert_equal "$output" "$a"
	[[ "$a" == *"--size SIZE"* ]]
	[[ "$a" == *"--exist-ok"* ]]
	[[ "$a" == *"--json"* ]]
}

@test "help for an unknown verb is a usage error" {
	run_ipctool 2 help shm frob
	[[ "$stderr" == *"unknown verb"* ]]
}

@test "global options work before the object and after the verb" {
	id=$(ipctool shm create --size 64)
	cleanup_later shm "$id"
	run_ipctool 0 --json shm info "$id"
	local before=$output
	run_ipctool 0 shm info "$id" --json
	assert_equal "$output" "$before"
	run_ipctool 0 shm info -j "$id"
	assert_equal "$output" "$before"
	[[ "$before" == "{\"type\":\"shm\""* ]]
}

@test "--trace prints each call to stderr in strace form, stdout unchanged" {
	key=$(unique_key)
	run_ipctool 0 --trace shm create "key:$key" --size 4096
	cleanup_later shm "key:$key"
	assert_output --regexp '^[0-9]+$'
	[[ "$stderr" == *"shmget($key, 4096, IPC_CREAT|IPC_EXCL|0600) = $output"* ]]
	run_ipctool 1 shm create "key:$key" --size 4096 --trace
	[[ "$stderr" == *"= -1 EEXIST (File exists)"* ]]
	[[ "$stderr" == *"ipctool: shm create key:$key: exists"* ]]
}

@test "an unknown option is a usage error naming it, with a pointer to --help" {
	run_ipctool 2 shm ls --frobnicate
	assert_output ""
	assert_equal "$stderr" "ipctool: shm ls: unknown option '--frobnicate' (try 'ipctool shm ls --help')"
	run_ipctool 2 shm ls -Q
	[[ "$stderr" == *"unknown option '-Q'"* ]]
	run_ipctool 2 --frobnicate shm ls
	[[ "$stderr" == *"unknown option '--frobnicate'"* ]]
}

@test "a missing option argument is a usage error" {
	run_ipctool 2 shm create --size
	[[ "$stderr" == *"missing argument for option '--size'"* ]]
}

@test "missing and surplus operands are usage errors" {
	run_ipctool 2 shm info
	[[ "$stderr" == *"missing operand"* ]]
	run_ipctool 2 shm info 1 2
	[[ "$stderr" == *"unexpected operand '2'"* ]]
}

@test "sizes: 4096, 4K, 1M take binary suffixes" {
	for pair in 4096:4096 4K:4096 4k:4096 1M:1048576 3K:3072; do
		id=$(ipctool shm create --size "${pair%%:*}")
		cleanup_later shm "$id"
		run_ipctool 0 --json shm info "$id"
		[[ "$output" == *"\"size\":${pair#*:},"* ]]
		ipctool shm rm "$id"
	done
}

@test "sizes: bad ones are usage errors naming the word" {
	for bad in 4Q -5 0 99999999999999999999 1.5K K 4KK ""; do
		run_ipctool 2 shm create --size "$bad"
		assert_output ""
		[[ "$stderr" == *"size '$bad'"* ]] || [[ "$stderr" == *"negative"* ]]
	done
	run ipcs -m
	refute_output --partial "0x00000000"
}

@test "modes: octal up to 0777; others are usage errors" {
	for bad in 999 8 0x1ff 01000 rw abc -1; do
		run_ipctool 2 shm create --size 1 --mode "$bad"
		[[ "$stderr" == *"mode '$bad'"* ]]
	done
	id=$(ipctool shm create --size 1 --mode 640)
	cleanup_later shm "$id"
	run ipcs -m -i "$id"
	assert_output --partial "mode=0640"
}

@test "references: malformed ones are usage errors, exit 2" {
	for bad in abc 12x key: key:xyz key:-1 key:0x100000000 ftok: /a/b / ""; do
		run_ipctool 2 shm info "$bad"
		assert_output ""
		[ -n "$stderr" ]
	done
	run_ipctool 2 shm info "/$(printf 'n%.0s' {1..255})"
	[[ "$stderr" == *"1 to 254 bytes"* ]]
}

@test "references: a negative id is a usage error, not an option" {
	run_ipctool 2 shm info -1
	[[ "$stderr" == *"'-1'"* ]]
	[[ "$stderr" == *"negative"* ]]
}

@test "references: key: takes hex, decimal and octal" {
	run_ipctool 0 shm create key:0x1f --size 1
	cleanup_later shm key:0x1f
	local id=$output
	run_ipctool 0 shm info key:31 --json
	[[ "$output" == *"\"id\":$id,"* ]]
	run_ipctool 0 shm info key:037 --json
	[[ "$output" == *"\"key\":\"0x0000001f\""* ]]
}

@test "references: ftok:PATH and ftok:PATH:PROJ agree with ftok(3)" {
	f=$BATS_TEST_TMPDIR/ftokfile
	: >"$f"
	ino=$(stat -c %i "$f")
	dev=$(stat -c %d "$f")
	# ftok: proj in the top byte, then the device's low byte, then the inode's low 16 bits.
	want=$(printf '0x%08x' $(( (7 << 24) | ((dev & 0xff) << 16) | (ino & 0xffff) )))
	run_ipctool 0 shm create "ftok:$f:7" --size 1
	cleanup_later shm "ftok:$f:7"
	run_ipctool 0 shm info "ftok:$f:7" --json
	[[ "$output" == *"\"key\":\"$want\""* ]]
	want1=$(printf '0x%08x' $(( (1 << 24) | ((dev & 0xff) << 16) | (ino & 0xffff) )))
	run_ipctool 0 shm create "ftok:$f" --size 1
	cleanup_later shm "ftok:$f"
	run_ipctool 0 shm info "ftok:$f" --json
	[[ "$output" == *"\"key\":\"$want1\""* ]]
	run_ipctool 1 shm info "ftok:$BATS_TEST_TMPDIR/nonexistent"
	[[ "$stderr" == *"no such file"* ]]
	run_ipctool 2 shm info "ftok:$f:300"
}

@test "durations: seconds, fractions and units; bad ones are usage errors" {
	id=$(ipctool shm create --size 1)
	cleanup_later shm "$id"
	for d in 0 0.1 100ms 0.05s 1000us; do
		run_ipctool 0 shm attach "$id" --timeout "$d"
	done
	for bad in abc -1 1x 1.2.3 . 10d 5000000000; do
		run_ipctool 2 shm attach "$id" --timeout "$bad"
		[[ "$stderr" == *"duration '$bad'"* ]] || [[ "$stderr" == *"negative"* ]]
	done
}

@test "ls lists every kind; --type filters; an unknown type is a usage error" {
	id=$(ipctool shm create --size 1)
	cleanup_later shm "$id"
	name=$(unique_name)
	ipctool shm create "$name" --size 1
	cleanup_later shm "$name"
	run_ipctool 0 ls
	assert_line --regexp "^shm +sysv .* $id "
	assert_line --regexp "^shm +posix .* $name "
	run_ipctool 0 ls --type shm --json
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert isinstance(rows, list)
assert all(r["type"] == "shm" for r in rows)
assert {r["flavor"] for r in rows} == {"sysv", "posix"}
' "$output"
	run_ipctool 2 ls --type bogus
	[[ "$stderr" == *"unknown type 'bogus'"* ]]
}

@test "limits shows shmmni with the number in use, typed in JSON" {
	id=$(ipctool shm create --size 1)
	cleanup_later shm "$id"
	run_ipctool 0 limits --json
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
mni = [r for r in rows if r["resource"].startswith("segments")][0]
assert isinstance(mni["limit"], int) and mni["limit"] > 0
assert isinstance(mni["used"], int) and mni["used"] >= 1
' "$output"
	run_ipctool 0 limits
	assert_line --regexp "^shm +sysv +segments \(shmmni\) +[0-9]+ +[0-9]+$"
}

@test "limits: shmall in pages and in bytes, exact as /proc says, beyond 2^63" {
	local pages page max
	pages=$(cat /proc/sys/kernel/shmall)
	max=$(cat /proc/sys/kernel/shmmax)
	page=$(getconf PAGESIZE)
	run_ipctool 0 limits --type shm --json
	python3 -c '
import json, sys
rows = {r["resource"]: r for r in json.loads(sys.argv[1])}
pages, page, mx = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
assert rows["total pages (shmall)"]["limit"] == pages, rows
assert rows["total bytes (shmall x page size)"]["limit"] == min(pages * page, 2**64 - 1), rows
assert rows["segment size (shmmax)"]["limit"] == mx, rows
' "$output" "$pages" "$page" "$max"
	run_ipctool 0 limits --type shm --raw -H -o resource,limit
	assert_line "total\x20pages\x20(shmall) $pages"
	run_ipctool 0 limits --type shm
	assert_line --regexp "^shm +sysv +total pages \(shmall\) +$pages +[0-9]+\$"
}

@test "errors are one line on stderr and nothing on stdout" {
	run_ipctool 1 shm info 2147483000
	assert_output ""
	assert_equal "$stderr" "ipctool: shm info 2147483000: no such shared memory segment"
}

@test "stdout closed early: SIGPIPE ends ipctool quietly, as it does cat" {
	id=$(ipctool shm create --size 4M)
	cleanup_later shm "$id"
	run bash -c "set -o pipefail; '$IPCTOOL' shm read '$id' | head -c 10 | wc -c"
	assert_output "10"
	[ "$status" -eq 141 ]
}

@test "an object without a verb is a usage error listing the verbs" {
	run_ipctool 2 shm
	assert_output ""
	assert_equal "$stderr" "ipctool: shm: missing verb; valid verbs: create, ls, info, write, read, attach, set, rm (try 'ipctool shm --help')"
}

@test "errors about an operand read 'ipctool: OBJECT VERB OPERAND: text'" {
	run_ipctool 1 shm rm 2147483000
	assert_equal "$stderr" "ipctool: shm rm 2147483000: no such shared memory segment"
}

@test "create names only the reference forms it takes" {
	# A bare number is an ID, which names an existing object: create
	# cannot take one, and its one-line error lists only the forms it can.
	run_ipctool 2 shm create 123 --size 1
	assert_output ""
	assert_equal "$stderr" "ipctool: shm create: invalid reference '123': expected key:KEY, ftok:PATH[:PROJ] or /name (try 'ipctool shm create --help')"
	local obj
	for obj in mq sem; do
		run_ipctool 2 "$obj" create 123
		assert_equal "$stderr" "ipctool: $obj create: invalid reference '123': expected key:KEY, ftok:PATH[:PROJ] or /name (try 'ipctool $obj create --help')"
	done
	# a verb that finds an existing object names ID as well
	run_ipctool 2 shm info foo
	assert_equal "$stderr" "ipctool: shm info: invalid reference 'foo': expected ID, key:KEY, ftok:PATH[:PROJ] or /name (try 'ipctool shm info --help')"
	# nothing was made, not even under key 123
	run ipcs -m
	refute_output --partial 0x0000007b
}

@test "modes may have leading zeros, as chmod's do" {
	run_ipctool 0 shm create --size 1 --mode 00640
	cleanup_later shm "$output"
	run ipcs -m -i "$output"
	assert_output --partial "mode=0640"
	run_ipctool 2 shm create --size 1 --mode 01640
}

# ---- ipctool bench ----

@test "bench measures every kind and leaves no object behind" {
	local before_shm before_q before_s
	before_shm=$(ipcs -m | grep -c '^0x' || true)
	before_q=$(ipcs -q | grep -c '^0x' || true)
	before_s=$(ipcs -s | grep -c '^0x' || true)
	run_ipctool 0 --json bench --size 1M --count 50
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
kinds = [(r["type"], r["flavor"]) for r in rows]
assert kinds == [("pipe", None), ("fifo", None), ("shm", "sysv"),
    ("shm", "posix"), ("mq", "sysv"), ("mq", "posix"), ("sem", "sysv"),
    ("sem", "posix")], kinds
for r in rows:
    assert isinstance(r["round_trip_ns"], int) and r["round_trip_ns"] > 0, r
    if r["type"] == "sem":
        assert r["throughput_mib_s"] is None, r
    else:
        assert isinstance(r["throughput_mib_s"], int), r
' "$output"
	assert_equal "$(ipcs -m | grep -c '^0x' || true)" "$before_shm"
	assert_equal "$(ipcs -q | grep -c '^0x' || true)" "$before_q"
	assert_equal "$(ipcs -s | grep -c '^0x' || true)" "$before_s"
	run ls /dev/shm /dev/mqueue
	refute_output --partial ipctool-bench
	run bash -c 'ls -d /tmp/ipctool-bench-* 2>/dev/null'
	assert_output ''
}

@test "bench --type measures only those kinds, as a table by default" {
	run_ipctool 0 bench --type pipe,sem --size 64K --count 10
	assert_line --index 0 --regexp '^TYPE +FLAVOR +THROUGHPUT_MIB_S +ROUND_TRIP_NS$'
	assert_line --index 1 --regexp '^pipe +- +[0-9]+ +[0-9]+$'
	assert_line --index 2 --regexp '^sem +sysv +- +[0-9]+$'
	assert_line --index 3 --regexp '^sem +posix +- +[0-9]+$'
	assert_equal "${#lines[@]}" 4
}

@test "bench: bad --type, --size or --count is a usage error" {
	run_ipctool 2 bench --type bogus
	assert_error_naming bogus
	run_ipctool 2 bench --size 0
	assert_error_naming "'0'"
	run_ipctool 2 bench --count -3
	[[ $stderr == ipctool:* ]]
}

@test "SIGINT during bench removes its objects" {
	timeout 20 "$IPCTOOL" bench --type mq,sem --size 64M --count 10000000 &
	local pid=$!
	wait_for 10 bash -c "ipcs -q | grep -q '^0x' || ipcs -s | grep -q '^0x'"
	kill -INT "$(child_of "$pid")"
	local st=0
	wait "$pid" || st=$?
	assert_equal "$st" 130
	run bash -c "ipcs -q; ipcs -s" 
	refute_output --regexp '^0x'
	run ls /dev/mqueue /dev/shm
	refute_output --partial ipctool-bench
}
