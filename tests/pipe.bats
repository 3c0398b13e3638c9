#!/usr/bin/env bats
# ipctool pipe: anonymous pipes, reached as PID:FD (another process's end)
# or FD (ipctool's own).  Checked against the contract (SPEC.md) and from
# outside: the /proc/PID/fd links ("pipe:[INO]"), /proc/PID/fdinfo, stat -L,
# Python's fcntl (F_GETPIPE_SZ, FIONREAD) and Python for the JSON, and the
# seed article's pipe()/fork() program (tests/seeds/pipe_parent_child.c).

load helpers

# ---- helpers for this file ----


setup_file() {
	head -c 4M /dev/urandom >"$BATS_FILE_TMPDIR/random"
	# A seed that does not compile is a failure, not a skip.
	if command -v cc >/dev/null; then
		cc -o "$BATS_FILE_TMPDIR/pipe_parent_child" \
		    "$BATS_TEST_DIRNAME/seeds/pipe_parent_child.c"
	fi
}

setup() {
	# The commands that bg_pipe and `pipe create` run find their files
	# under $D.
	export D=$BATS_TEST_TMPDIR
	RANDOM_FILE=$BATS_FILE_TMPDIR/random
	SEED=$BATS_FILE_TMPDIR/pipe_parent_child
}

need_seed() {
	command -v cc >/dev/null ||
	    skip "no C compiler (cc): the seed program cannot be built"
	[ -x "$SEED" ] || fail "the seed program was not built"
}

# bg_pipe WCMD RCMD: run `WCMD | RCMD` in the background, each in its own
# sh that first writes its pid to a file, then evals its CMD (so `exec
# sleep 30` keeps that pid).  Sets $wpid (the writer, fd 1 on the pipe) and
# $rpid (the reader, fd 0) once both have started.
bg_pipe() {
	rm -f "$D/wpid" "$D/rpid"
	sh -c 'echo $$ >"$1.new" && mv "$1.new" "$1" && eval "$2"' \
	    sh "$D/wpid" "$1" 3>&- |
	    sh -c 'echo $$ >"$1.new" && mv "$1.new" "$1" && eval "$2"' \
	    sh "$D/rpid" "$2" 3>&- &
	# Nobody waits for it: no job notice when teardown kills it.
	disown $!
	wait_for 10 test -s "$D/wpid" || fail "the writer did not start"
	wait_for 10 test -s "$D/rpid" || fail "the reader did not start"
	wpid=$(<"$D/wpid")
	rpid=$(<"$D/rpid")
	kill_later "$wpid" "$rpid"
}


# The inode of the pipe /proc/PID/fd/FD is an end of, from its link
# "pipe:[INO]"; fails when it is not an anonymous pipe.
pipe_ino() {
	local t
	t=$(readlink "/proc/$1/fd/$2") || return 1
	[[ $t =~ ^pipe:\[([0-9]+)\]$ ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

# The inodes of every anonymous pipe PID holds, sorted, one a line.
pipe_inodes_of() {
	local l t
	for l in /proc/"$1"/fd/*; do
		t=$(readlink "$l" 2>/dev/null) || continue
		[[ $t =~ ^pipe:\[([0-9]+)\]$ ]] && echo "${BASH_REMATCH[1]}"
	done | sort -n -u
}

# "CAPACITY QUEUED" of the pipe /proc/PID/fd/FD is an end of, seen from
# outside ipctool: F_GETPIPE_SZ and FIONREAD on a read-only open of it.
pipe_stat() {
	python3 -c '
import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
q = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
print(fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ), q)' "/proc/$1/fd/$2"
}

capacity_of() {
	local s
	s=$(pipe_stat "$1" "$2") || return 1
	echo "${s% *}"
}

queued_of() {
	local s
	s=$(pipe_stat "$1" "$2") || return 1
	echo "${s#* }"
}

queued_is() {
	[ "$(queued_of "$1" "$2")" = "$3" ]
}

# True once PID has no open file descriptors (exited, maybe a zombie).
no_fds() {
	[ -z "$(ls "/proc/$1/fd" 2>/dev/null)" ]
}

# The access mode of /proc/PID/fd/FD from fdinfo's octal flags: 0 read,
# 1 write, 2 both.
fd_access() {
	local f
	f=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$1/fdinfo/$2") || return 1
	echo $((8#$f & 3))
}

# check_json CODE [ARGS...]: run CODE with d = the JSON in $output and
# a = ARGS (strings); fail, showing $output, if an assert in it fails.
check_json() {
	python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
a = sys.argv[1:]
'"$1" "${@:2}" <<<"$output" || fail "JSON was: $output"
}

# child_named PID NAME: the child of PID whose command is NAME, once it
# has exec'd.
child_named() {
	local c
	for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		[ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$2" ] && echo "$c"
	done
	return 0
}

# For wait_for, which runs its command again and again (a "$(...)" in its
# arguments would be run only once): PID has a child named NAME; PID's
# command is NAME; PID's fd FD is PATH.
has_child_named() {
	[ -n "$(child_named "$1" "$2")" ]
}

comm_is() {
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

fd_is() {
	[ "$(readlink "/proc/$1/fd/$2")" = "$3" ]
}

pipe_max() {
	cat /proc/sys/fs/pipe-max-size
}

# With CAP_SYS_RESOURCE the kernel lets F_SETPIPE_SZ exceed pipe-max-size,
# so the limit cannot be shown to refuse anything.
need_no_sys_resource() {
	local eff
	eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
	(((0x$eff >> 24) & 1)) &&
	    skip "CAP_SYS_RESOURCE lifts /proc/sys/fs/pipe-max-size"
	return 0
}

# A pid that no process has: one of ours that has exited and been reaped.
dead_pid() {
	sh -c 'exit 0' 3>&- &
	local p=$!
	wait "$p"
	echo "$p"
}

# pow2_pages_bytes N: N bytes rounded up to a power-of-two number of pages, as
# F_SETPIPE_SZ does.
pow2_pages_bytes() {
	local ps pages n=1
	ps=$(getconf PAGESIZE)
	pages=$((($1 + ps - 1) / ps))
	while [ "$n" -lt "$pages" ]; do n=$((n * 2)); done
	echo $((n * ps))
}

STATS_RE='^ipctool: pipe create: %s bytes in [0-9.]+ s, [0-9.]+ MiB/s, from '\''%s'\'' to '\''%s'\''$'

# ---- create ----

@test "create joins two CMDs like a shell pipeline: printf hello into tr prints HELLO" {
	run_ipctool_t 0 pipe create 'printf hello' 'tr a-z A-Z'
	assert_output HELLO
	assert_equal "$stderr" ''
}

@test "create runs three stages in order, each with sh -c" {
	run_ipctool_t 0 pipe create 'printf "abc\n"' 'tr a-z A-Z; echo tail' 'rev'
	assert_output "$(printf 'CBA\nliat')"
}

@test "create exits with the last CMD's status, whatever the others did" {
	run_ipctool_t 5 pipe create 'exit 3' 'exit 5'
	run_ipctool_t 1 pipe create 'true' 'false'
	run_ipctool_t 0 pipe create 'false' 'true'
	run_ipctool_t 7 pipe create 'true' 'true' 'exit 7'
}

@test "create: a last CMD killed by a signal gives 128+signal" {
	run_ipctool_t 137 pipe create 'true' 'kill -KILL $$'
	run_ipctool_t 143 pipe create 'true' 'kill -TERM $$'
}

@test "create: the first CMD reads ipctool's stdin, the last writes ipctool's stdout" {
	printf 'a b c' >"$D/in"
	timeout 10 "$IPCTOOL" pipe create 'tr " " _' 'cat' <"$D/in" >"$D/out"
	assert_equal "$(cat "$D/out")" a_b_c
	# Not a copy through ipctool: the very same open files.
	timeout 10 "$IPCTOOL" pipe create 'readlink /proc/self/fd/0' 'cat' \
	    <"$D/in" >"$D/out"
	assert_equal "$(cat "$D/out")" "$D/in"
	timeout 10 "$IPCTOOL" pipe create 'true' 'readlink /proc/self/fd/1' \
	    >"$D/out2"
	assert_equal "$(cat "$D/out2")" "$D/out2"
	# And the stages in between are joined by an anonymous pipe.
	run_ipctool_t 0 pipe create 'x=$(readlink /proc/$$/fd/1); echo "$x" >"$D/mid"' \
	    'readlink /proc/self/fd/0'
	assert_output --regexp '^pipe:\[[0-9]+\]$'
	assert_equal "$(cat "$D/mid")" "$output"
}

@test "create --size 256K: the pipe between the stages has capacity 262144, seen from inside" {
	run_ipctool_t 0 pipe create --size 256K 'printf x' \
	    "\"$IPCTOOL\" pipe info 0 --json"
	check_json 'assert d["type"] == "pipe" and d["capacity"] == 262144, d
assert d["queued"] in (0, 1), d'
	# The same from a stage that asks the kernel itself.
	run_ipctool_t 0 pipe create --size 256K 'true' \
	    'python3 -c "import fcntl; print(fcntl.fcntl(0, fcntl.F_GETPIPE_SZ))"'
	assert_output 262144
	run_ipctool_t 0 pipe create -s 1M 'true' \
	    'python3 -c "import fcntl; print(fcntl.fcntl(0, fcntl.F_GETPIPE_SZ))"'
	assert_output 1048576
}

@test "create without --size leaves the default capacity of 65536" {
	run_ipctool_t 0 pipe create 'true' \
	    'python3 -c "import fcntl; print(fcntl.fcntl(0, fcntl.F_GETPIPE_SZ))"'
	assert_output 65536
}

@test "create --stats: the pipes on either side of the relay hold 1 MiB (at most pipe-max-size); --size still sets them" {
	local want=$((1024 * 1024)) cap='import fcntl, sys; print(fcntl.fcntl(int(sys.argv[1]), fcntl.F_GETPIPE_SZ))'
	[ "$(pipe_max)" -lt "$want" ] && want=$(pipe_max)
	run_ipctool_t 0 pipe create --stats "python3 -c '$cap' 1" \
	    "python3 -c '$cap' 0; cat"
	assert_equal "${lines[0]}" "$want"
	assert_equal "${lines[1]}" "$want"
	run_ipctool_t 0 pipe create --stats --size 128K "python3 -c '$cap' 1" \
	    "python3 -c '$cap' 0; cat"
	assert_equal "${lines[0]}" 131072
	assert_equal "${lines[1]}" 131072
}

@test "create --size above pipe-max-size exits 1 naming pipe-max-size and runs nothing" {
	need_no_sys_resource
	max=$(pipe_max)
	size=$((2 * max))
	run_ipctool_t 1 pipe create --size "$size" 'touch "$D/ran1"' 'touch "$D/ran2"'
	assert_error_naming /proc/sys/fs/pipe-max-size
	[[ $stderr == *"$size bytes is above the limit of $max"* ]] || fail "$stderr"
	[ ! -e "$D/ran1" ] && [ ! -e "$D/ran2" ] || fail "a CMD ran"
	# With --stats too (two pipes per junction).
	run_ipctool_t 1 pipe create --stats --size "$size" 'touch "$D/ran1"' 'cat'
	assert_error_naming pipe-max-size
	[ ! -e "$D/ran1" ] || fail "a CMD ran"
}

@test "create --size with a bad SIZE is a usage error and runs nothing" {
	for s in abc 0 1X 1.5M '' 4G; do
		run_ipctool_t 2 pipe create --size "$s" 'touch "$D/ran"' 'cat'
		assert_error_naming "invalid size"
	done
	[ ! -e "$D/ran" ] || fail "a CMD ran"
}

@test "create with one CMD, or none, is a usage error and runs nothing" {
	run_ipctool_t 2 pipe create 'touch "$D/ran"'
	assert_error_naming CMD
	run_ipctool_t 2 pipe create
	assert_error_naming CMD
	[ ! -e "$D/ran" ] || fail "the CMD ran"
}

@test "create --stats prints one line per junction with its byte count; the data passes unchanged" {
	run_ipctool_t 0 pipe create --stats 'printf hello' 'cat' 'tr a-z A-Z'
	assert_output HELLO
	assert_equal "${#stderr_lines[@]}" 2
	# shellcheck disable=SC2059
	[[ ${stderr_lines[0]} =~ $(printf "$STATS_RE" 5 'printf hello' cat) ]] ||
	    fail "first line: ${stderr_lines[0]}"
	# shellcheck disable=SC2059
	[[ ${stderr_lines[1]} =~ $(printf "$STATS_RE" 5 cat 'tr a-z A-Z') ]] ||
	    fail "second line: ${stderr_lines[1]}"
}

@test "create --stats with nothing carried says 0 bytes and still exits with the last's status" {
	run_ipctool_t 3 pipe create --stats 'true' 'exit 3'
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == "ipctool: pipe create: 0 bytes in "* ]] || fail "$stderr"
}

@test "create --stats with a reader that quits early ends, and says the reader quit early" {
	run_ipctool_t 0 pipe create --stats 'yes' 'head -c 10'
	assert_output "$(printf 'y\ny\ny\ny\ny')"
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == *"from 'yes' to 'head -c 10' (the reader quit early)" ]] ||
	    fail "$stderr"
}

@test "create carries 4 MiB of random bytes byte-exact" {
	timeout 30 "$IPCTOOL" pipe create "cat \"$RANDOM_FILE\"" 'cat > "$D/out"'
	cmp "$RANDOM_FILE" "$D/out"
	# And through three stages, out of ipctool's own stdout.
	timeout 30 "$IPCTOOL" pipe create 'cat' 'cat' 'cat' <"$RANDOM_FILE" \
	    >"$D/out2"
	cmp "$RANDOM_FILE" "$D/out2"
}

@test "create --stats carries 4 MiB of random bytes byte-exact and counts 4194304 per junction" {
	timeout 30 "$IPCTOOL" pipe create --stats "cat \"$RANDOM_FILE\"" 'cat' \
	    'cat > "$D/out"' 2>"$D/err"
	cmp "$RANDOM_FILE" "$D/out"
	assert_equal "$(wc -l <"$D/err")" 2
	assert_equal "$(grep -c '^ipctool: pipe create: 4194304 bytes in ' "$D/err")" 2
}

@test "create --size 1M carries 4 MiB of random bytes byte-exact" {
	timeout 30 "$IPCTOOL" pipe create --size 1M "cat \"$RANDOM_FILE\"" \
	    'cat > "$D/out"'
	cmp "$RANDOM_FILE" "$D/out"
	timeout 30 "$IPCTOOL" pipe create --size 1M --stats 'cat' 'cat' \
	    <"$RANDOM_FILE" >"$D/out2" 2>/dev/null
	cmp "$RANDOM_FILE" "$D/out2"
}

@test "SIGTERM to pipe create is forwarded to every CMD; the last CMD's status passes through" {
	"$IPCTOOL" pipe create \
	    'trap "echo term >\"$D/t1\"; exit 4" TERM; echo $$ >"$D/up1"; while :; do sleep 0.05; done' \
	    'trap "echo term >\"$D/t2\"; exit 6" TERM; echo $$ >"$D/up2"; while :; do sleep 0.05; done' \
	    >"$D/out" 2>"$D/err" 3>&- &
	pid=$!
	kill_later "$pid"
	wait_for 10 test -s "$D/up1" || fail "CMD 1 did not start: $(cat "$D/err")"
	wait_for 10 test -s "$D/up2" || fail "CMD 2 did not start: $(cat "$D/err")"
	kill_later "$(cat "$D/up1")" "$(cat "$D/up2")"
	kill -TERM "$pid"
	timeout 10 tail --pid="$pid" -f /dev/null || true
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 6
	assert_equal "$(cat "$D/t1" 2>/dev/null)" term
	assert_equal "$(cat "$D/t2" 2>/dev/null)" term
}

# ---- ls ----

@test "ls finds the pipe of a background sleep | cat: cat reads it, sleep writes it" {
	sleep 30 3>&- | cat >/dev/null 3>&- &
	cat_pid=$!
	kill_later "$cat_pid"
	# Both are children of this shell ($BASHPID here, not in $(...)).
	me=$BASHPID
	wait_for 10 has_child_named "$me" sleep || fail "no sleep child"
	sleep_pid=$(child_named "$me" sleep)
	kill_later "$sleep_pid"
	wait_for 10 comm_is "$cat_pid" cat || fail "no cat"
	ino=$(pipe_ino "$cat_pid" 0)
	assert_equal "$(pipe_ino "$sleep_pid" 1)" "$ino"
	run_ipctool 0 pipe ls
	assert_line --index 0 --regexp '^ *INODE +OWNER +CAPACITY +QUEUED +READERS +WRITERS *$'
	row=$(printf '%s\n' "${lines[@]}" | awk -v i="$ino" '$1 == i')
	[ -n "$row" ] || fail "no row for inode $ino: $output"
	read -r r_ino r_owner r_cap r_queued r_readers r_writers <<<"$row"
	assert_equal "$r_owner" root
	assert_equal "$r_queued" 0
	assert_equal "$r_readers" "cat[$cat_pid]:0"
	assert_equal "$r_writers" "sleep[$sleep_pid]:1"
}

@test "ls --json is an array Python parses; the pipeline's row has its ends, capacity and queued" {
	bg_pipe 'printf 12345; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 5 || fail "the writer did not write"
	ino=$(pipe_ino "$rpid" 0)
	run_ipctool 0 pipe ls --json
	check_json '
assert isinstance(d, list) and d, d
for p in d:
    assert p["type"] == "pipe" and isinstance(p["inode"], int), p
    assert set(p) >= {"inode", "owner", "capacity", "queued", "readers", "writers"}, p
mine = [p for p in d if p["inode"] == int(a[0])]
assert len(mine) == 1, mine
p = mine[0]
assert p["owner"] == "root" and p["mode"] == "0600", p
assert p["capacity"] == 65536 and p["queued"] == 5, p
assert p["readers"] == [{"pid": int(a[1]), "command": "sleep", "fd": 0}], p
assert p["writers"] == [{"pid": int(a[2]), "command": "sleep", "fd": 1}], p
' "$ino" "$rpid" "$wpid"
	# The inodes ls lists are sorted.
	check_json 'i = [p["inode"] for p in d]
assert i == sorted(i), i'
}

@test "ls --pid PID lists exactly the pipes PID holds, with all their ends" {
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	a_w=$wpid a_r=$rpid
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	b_ino=$(pipe_ino "$rpid" 0)
	a_ino=$(pipe_ino "$a_r" 0)
	run_ipctool 0 pipe ls --pid "$a_r" --json
	check_json '
got = sorted(p["inode"] for p in d)
want = sorted(int(x) for x in a[3].split())
assert got == want, (got, want)
assert int(a[0]) in got and int(a[1]) not in got, got
for p in d:
    pids = [h["pid"] for h in p["readers"] + p["writers"]]
    assert int(a[2]) in pids, p
mine = [p for p in d if p["inode"] == int(a[0])][0]
assert [h["pid"] for h in mine["writers"]] == [int(a[4])], mine
' "$a_ino" "$b_ino" "$a_r" "$(pipe_inodes_of "$a_r")" "$a_w"
	# The text table, too: A's row and not B's.
	run_ipctool 0 pipe ls --pid "$a_r"
	assert_line --regexp "^ *$a_ino .* sleep\\[$a_r\\]:0 +sleep\\[$a_w\\]:1 *\$"
	refute_line --regexp "^ *$b_ino "
	# --pid has no letter: -p is --priority, which pipe ls does not take.
	run_ipctool 2 pipe ls -p "$a_r"
	assert_error_naming "-p"
}

@test "ls --pid of a pid that has exited exits 1 'no such process'" {
	p=$(dead_pid)
	run_ipctool 1 pipe ls --pid "$p"
	assert_error_naming "no such process"
}

@test "ls --pid with a bad PID is a usage error" {
	for p in abc 0 -3 1x ''; do
		run_ipctool 2 pipe ls --pid "$p"
		assert_error_naming "$p"
	done
}

@test "ipctool ls --type pipe includes the pipe's inode" {
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	ino=$(pipe_ino "$rpid" 0)
	run_ipctool 0 ls --type pipe
	refute_line --regexp '^(shm|mq|sem|fifo) '
	# The pipe's row names one of its ends as REF, which pipe info takes.
	ref=$(awk -v r="$rpid:0" -v w="$wpid:1" \
	    '$1 == "pipe" && ($3 == r || $3 == w) { print $3 }' <<<"$output")
	[ -n "$ref" ] || fail "no row with $rpid:0 or $wpid:1: $output"
	run_ipctool 0 --json pipe info "$ref"
	check_json 'assert d["inode"] == int(a[0]), d' "$ino"
	# Its inode, on asking.
	run_ipctool 0 ls --type pipe -o type,ref,inode
	assert_line --regexp "^pipe +$ref +$ino\$"
	run_ipctool 0 --json ls --type pipe
	check_json '
assert all(p["type"] == "pipe" for p in d), d
assert [p for p in d if p["inode"] == int(a[0])], d' "$ino"
}

# ---- info ----

@test "info PID:FD: the inode is stat -L's and readlink's pipe:[INO]; 65536 capacity; the ends" {
	bg_pipe 'printf abcd; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 4 || fail "the writer did not write"
	run_ipctool 0 pipe info "$rpid:0" --json
	ino=$(stat -L -c %i "/proc/$rpid/fd/0")
	assert_equal "$(readlink "/proc/$rpid/fd/0")" "pipe:[$ino]"
	check_json '
assert d["type"] == "pipe" and d["inode"] == int(a[0]), d
assert d["capacity"] == 65536 and d["queued"] == 4, d
assert d["owner"] == "root" and d["mode"] == "0600", d
assert d["partial"] is False, d
assert d["readers"] == [{"pid": int(a[1]), "command": "sleep", "fd": 0}], d
assert d["writers"] == [{"pid": int(a[2]), "command": "sleep", "fd": 1}], d
' "$ino" "$rpid" "$wpid"
	# /proc/PID/fdinfo agrees on which end is which.
	assert_equal "$(fd_access "$rpid" 0)" 0
	assert_equal "$(fd_access "$wpid" 1)" 1
	# And the kernel, asked from outside, on capacity and queued.
	assert_equal "$(pipe_stat "$rpid" 0)" "65536 4"
}

@test "info from either end names the same pipe" {
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	run_ipctool 0 pipe info "$rpid:0" --json
	from_reader=$output
	run_ipctool 0 pipe info "$wpid:1" --json
	assert_equal "$output" "$from_reader"
	check_json 'assert d["inode"] == int(a[0]), d' "$(stat -L -c %i "/proc/$wpid/fd/1")"
}

@test "info in text shows type, inode, capacity, queued and the readers and writers" {
	bg_pipe 'printf xy; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 2 || fail "the writer did not write"
	run_ipctool 0 pipe info "$wpid:1"
	assert_line --regexp '^type: +pipe$'
	assert_line --regexp "^inode: +$(pipe_ino "$wpid" 1)\$"
	assert_line --regexp '^capacity: +65536$'
	assert_line --regexp '^queued: +2$'
	assert_line --regexp "^ *$rpid +sleep +0\$"
	assert_line --regexp "^ *$wpid +sleep +1\$"
	assert_equal "$stderr" ''
}

@test "info 0 on ipctool's own stdin: printf abc | ipctool pipe info 0 shows queued 3" {
	# The reading side waits until printf has written, so queued is 3,
	# not whatever had arrived when ipctool started.
	{ printf abc; : >"$D/written"; } |
	    { wait_for 10 test -e "$D/written" &&
	      timeout 10 "$IPCTOOL" pipe info 0 --json; } >"$D/out" 2>"$D/err"
	output=$(<"$D/out")
	assert_equal "$(cat "$D/err")" ''
	check_json '
assert d["type"] == "pipe" and d["queued"] == 3 and d["capacity"] == 65536, d
assert d["writers"] == [], d
# The subshell and timeout that ran ipctool share the same stdin.
assert __import__("os").environ["IPCTOOL_COMM"] in [r["command"] for r in d["readers"]], d
assert all(r["fd"] == 0 for r in d["readers"]), d'
}

@test "info FD and info PID:FD with ipctool's own pid name ipctool's descriptor" {
	# Through python: a pipe with "hello" queued becomes ipctool's fd 0,
	# and ipctool's pid is known before exec.
	for ref in 0 SELF:0; do
		run --separate-stderr timeout 10 python3 -c '
import os, sys
r, w = os.pipe()
os.write(w, b"hello")
os.close(w)
os.dup2(r, 0)
print(os.fstat(0).st_ino, os.getpid(), flush=True)
argv = [a.replace("SELF", str(os.getpid())) for a in sys.argv[1:]]
os.execv(argv[0], argv)' "$IPCTOOL" pipe info "$ref" --json
		assert_equal "$status" 0
		read -r ino pid <<<"${lines[0]}"
		output=${lines[1]}
		check_json '
assert d["inode"] == int(a[0]) and d["queued"] == 5, d
assert d["readers"] == [{"pid": int(a[1]), "command": __import__("os").environ["IPCTOOL_COMM"], "fd": 0}], d
assert d["writers"] == [], d' "$ino" "$pid"
	done
}

@test "--trace info on another process's pipe copies its fd with pidfd_getfd and asks F_GETPIPE_SZ" {
	skip_under_valgrind "valgrind 3.19 fails pidfd_open with ENOSYS, so ipctool takes its /proc fallback"
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	run_ipctool 0 --trace pipe info "$rpid:0"
	[[ $stderr == *"pidfd_open("* ]] || fail "$stderr"
	[[ $stderr == *"pidfd_getfd("* ]] || fail "$stderr"
	[[ $stderr == *"F_GETPIPE_SZ"* ]] || fail "$stderr"
	# A copy of a holder's descriptor, never a new open of the pipe.
	[[ $stderr != *"open(\"/proc/"* ]] || fail "opened the pipe: $stderr"
	assert_line --regexp '^capacity: +65536$'
}

# ---- output options of ls and info ----

# close_fds: close every descriptor above 2 of this (sub)shell, such as
# those it inherited from whoever ran the tests.
close_fds() {
	local f
	for f in /proc/"$BASHPID"/fd/*; do
		f=${f##*/}
		[ "$f" -gt 2 ] && eval "exec $f>&-"
	done
	return 0
}

# bare_pipe: `W 30 | sleep 30` in the background, where W is a copy of
# sleep named 'w b$c\d' (a command that needs escaping), with 2 bytes
# queued.  Each end holds the pipe and /dev/null and nothing else, so
# `ls --pid $rpid` lists this one pipe.  Sets $wpid, $rpid, $ino and $wcmd.
bare_pipe() {
	wcmd='w b$c\d'
	cp "$(command -v sleep)" "$D/$wcmd"
	rm -f "$D/wpid" "$D/rpid"
	{ close_fds; echo "$BASHPID" >"$D/wpid.new"; mv "$D/wpid.new" "$D/wpid"
	  exec "$D/$wcmd" 30; } </dev/null 2>/dev/null |
	    { close_fds; echo "$BASHPID" >"$D/rpid.new"; mv "$D/rpid.new" "$D/rpid"
	      exec sleep 30; } >/dev/null 2>&1 &
	disown $!
	wait_for 10 test -s "$D/wpid" || fail "the writer did not start"
	wait_for 10 test -s "$D/rpid" || fail "the reader did not start"
	wpid=$(<"$D/wpid")
	rpid=$(<"$D/rpid")
	kill_later "$wpid" "$rpid"
	wait_for 10 comm_is "$wpid" "$wcmd" || fail "the writer is not $wcmd"
	wait_for 10 comm_is "$rpid" sleep || fail "the reader is not sleep"
	ino=$(pipe_ino "$rpid" 0)
	ipctool pipe write "$wpid:1" xy
	wait_for 10 queued_is "$rpid" 0 2 || fail "xy is not queued"
}

@test "ls -o: the columns asked for, in that order, ref and inode among them; info -o the same fields" {
	bare_pipe
	run_ipctool 0 pipe ls --pid "$rpid" -o ref,inode,capacity,queued
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --regexp '^REF +INODE +CAPACITY +QUEUED$'
	assert_line --index 1 --regexp "^($wpid:1|$rpid:0) +$ino +64K +2\$"
	ref=$(awk 'NR == 2 { print $1 }' <<<"$output")
	# info of that ref: "name: value" lines of exactly those fields.
	run_ipctool 0 pipe info "$ref" -o inode,queued,ref
	assert_equal "$output" "$(printf 'inode:  %s\nqueued: 2\nref:    %s' "$ino" "$ref")"
	run_ipctool 0 pipe info "$rpid:0" -o writers
	assert_equal "${lines[0]}" "writers:"
	assert_line --regexp "^ *$wpid +w b\\\$c\\\\d +1\$"
	refute_line --regexp '^(readers|inode|queued):'
	# +LIST: after the default columns.
	run_ipctool 0 pipe ls --pid "$rpid" -o +ref,mode
	assert_line --index 0 --regexp '^ *INODE +OWNER +CAPACITY +QUEUED +READERS +WRITERS +REF +MODE$'
	assert_line --index 1 --regexp "^ *$ino +root +64K +2 +sleep\\[$rpid\\]:0 +w b\\\$c\\\\d\\[$wpid\\]:1 +$ref +0600\$"
	# An unknown column is a usage error naming it.
	run_ipctool 2 pipe ls -o inode,nosuch
	assert_error_naming "unknown column 'nosuch'"
	run_ipctool 2 pipe info "$ref" -o +bogus
	assert_error_naming "unknown column 'bogus'"
}

@test "--list-columns: each column with its type, whether ls shows it, and its help; all of them work in -o" {
	run_ipctool 0 pipe ls --list-columns
	assert_line --index 0 --regexp '^NAME +TYPE +DEFAULT +HELP$'
	cols=$output
	assert_equal "$(awk 'NR > 1 { print $1 }' <<<"$cols" | paste -sd' ')" \
	    "type ref inode path owner mode capacity queued readers writers partial"
	assert_line --regexp '^ref +string +no +PID:FD of one holder, for info$'
	assert_line --regexp '^inode +integer +yes +'
	assert_line --regexp '^writers +array +yes +processes holding the write end$'
	run_ipctool 0 pipe info --list-columns
	assert_equal "$output" "$cols"
	bare_pipe
	run_ipctool 0 pipe ls --pid "$rpid"
	assert_equal "$(echo ${lines[0]})" \
	    "$(awk 'NR > 1 && $3 == "yes" { print toupper($1) }' <<<"$cols" | paste -sd' ')"
	all=$(awk 'NR > 1 { print $1 }' <<<"$cols" | paste -sd, -)
	for fmt in --raw --export --json; do
		run_ipctool 0 pipe ls --pid "$rpid" -o "$all" "$fmt"
		run_ipctool 0 pipe info "$rpid:0" -o "$all" "$fmt"
	done
	run_ipctool 0 pipe ls --pid "$rpid" -o "$all"
	assert_line --index 0 --regexp '^TYPE +REF +INODE +PATH +OWNER +MODE +CAPACITY +QUEUED +READERS +WRITERS +PARTIAL$'
	run_ipctool 0 --json pipe info "$rpid:0" -o "$all"
	check_json 'assert list(d) == a[0].split(","), d' "$all"
}

@test "-H drops the header line of ls and nothing else, as lsblk -n does" {
	bare_pipe
	# QUEUED (2) and REF are narrower or wider than their headers.
	for o in "" "-o queued,ref" "-o +mode" "--raw"; do
		# shellcheck disable=SC2086
		run_ipctool 0 pipe ls --pid "$rpid" $o
		with=("${lines[@]}")
		# shellcheck disable=SC2086
		run_ipctool 0 pipe ls --pid "$rpid" $o -H
		assert_equal "${#lines[@]}" $(( ${#with[@]} - 1 ))
		for i in "${!lines[@]}"; do
			assert_equal "${lines[$i]}" "${with[$((i + 1))]}"
		done
	done
	run_ipctool 0 pipe info "$rpid:0" -o type,inode,queued,capacity -H
	assert_equal "$output" "$(printf '%s\n' pipe "$ino" 2 65536)"
}

@test "--raw: single spaces, exact numbers; a command's blank and backslash as \\xHH" {
	bare_pipe
	esc="w\\x20b\$c\\x5cd[$wpid]:1"
	run_ipctool 0 pipe ls --pid "$rpid" --raw -o inode,capacity,queued,writers
	assert_equal "$output" "$(printf '%s\n' "INODE CAPACITY QUEUED WRITERS" "$ino 65536 2 $esc")"
	run_ipctool 0 pipe info "$rpid:0" --raw -H -o writers
	assert_equal "$output" "$esc"
	assert_equal "$(printf '%b' "$output")" "$wcmd[$wpid]:1"
}

@test "--export: NAME=\"value\" pairs, one pipe a line, that sh evaluates back to the values" {
	bare_pipe
	run_ipctool 0 pipe ls --pid "$rpid" --export -o inode,capacity,queued,writers
	assert_equal "$output" "INODE=\"$ino\" CAPACITY=\"65536\" QUEUED=\"2\" WRITERS=\"w b\\\$c\\\\d[$wpid]:1\""
	got=$(eval "$output"; printf '%s|%s|%s' "$INODE" "$QUEUED" "$WRITERS")
	assert_equal "$got" "$ino|2|$wcmd[$wpid]:1"
	run_ipctool 0 pipe info "$rpid:0" --export
	assert_equal "${#lines[@]}" 1
	[[ $output == "TYPE=\"pipe\" REF=\""* ]] || fail "$output"
	sh -c 'eval "$1"
	    [ "$TYPE" = pipe ] && [ "$INODE" = "$2" ] && [ "$QUEUED" = 2 ] &&
	    [ "$READERS" = "sleep[$3]:0" ] && [ "$WRITERS" = "$4" ] &&
	    [ "$PARTIAL" = no ]' \
	    sh "$output" "$ino" "$rpid" "$wcmd[$wpid]:1" ||
	    fail "sh did not get the fields back: $output"
}

@test "--json: numbers are JSON numbers; -o keeps only those fields, holders as {pid, command, fd}" {
	bare_pipe
	run_ipctool 0 --json pipe ls --pid "$rpid" -o ref,inode,capacity,queued,writers
	check_json '
assert len(d) == 1, d
p = d[0]
assert list(p) == ["ref", "inode", "capacity", "queued", "writers"], p
assert p["ref"] in (a[1] + ":0", a[2] + ":1"), p
assert p["inode"] == int(a[0]) and p["capacity"] == 65536 and p["queued"] == 2, p
assert p["writers"] == [{"pid": int(a[2]), "command": a[3], "fd": 1}], p
' "$ino" "$rpid" "$wpid" "$wcmd"
	run_ipctool 0 --json pipe info "$wpid:1" -o inode,queued,partial,readers
	check_json '
assert d == {"inode": int(a[0]), "queued": 2, "partial": False,
             "readers": [{"pid": int(a[1]), "command": "sleep", "fd": 0}]}, d
' "$ino" "$rpid"
}

@test "each ref ls prints is accepted as is by info, and names the same pipe" {
	bare_pipe
	run_ipctool 0 pipe ls -o ref,inode -H
	ref=$(awk -v i="$ino" '$2 == i { print $1 }' <<<"$output")
	[[ $ref == "$rpid:0" || $ref == "$wpid:1" ]] || fail "ref '$ref' for $ino: $output"
	run_ipctool 0 pipe info "$ref" -o ref,inode -H
	assert_equal "$output" "$(printf '%s\n' "$ref" "$ino")"
	# The top-level ls gives the same ref.
	run_ipctool 0 ls --type pipe -o ref,inode -H
	assert_line --regexp "^$ref +$ino\$"
}

# ---- peek ----

@test "peek twice shows the same queued bytes, and the real reader then gets them all" {
	printf 'line one\nline two\n\0\377\001 end' >"$D/data"
	bg_pipe 'cat "$D/data"' \
	    'until [ -e "$D/go" ]; do sleep 0.05; done; cat >"$D/got"; : >"$D/done"'
	n=$(stat -c %s "$D/data")
	wait_for 10 queued_is "$rpid" 0 "$n" || fail "the writer did not write"
	timeout 10 "$IPCTOOL" pipe peek "$rpid:0" >"$D/peek1"
	timeout 10 "$IPCTOOL" pipe peek "$rpid:0" >"$D/peek2"
	cmp "$D/data" "$D/peek1"
	cmp "$D/data" "$D/peek2"
	assert_equal "$(queued_of "$rpid" 0)" "$n"
	: >"$D/go"
	wait_for 10 test -e "$D/done" || fail "the reader did not finish"
	cmp "$D/data" "$D/got"
}

@test "peek --length N shows only the first N bytes and leaves them all queued" {
	bg_pipe 'printf abcdefgh; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 8 || fail "the writer did not write"
	run_ipctool_t 0 pipe peek "$rpid:0" --length 3
	assert_output abc
	run_ipctool_t 0 pipe peek "$rpid:0" -l 0
	assert_output ''
	run_ipctool_t 0 pipe peek "$rpid:0" -l 100
	assert_output abcdefgh
	assert_equal "$(queued_of "$rpid" 0)" 8
}

@test "peek --hex shows a hexdump line of the queued bytes" {
	bg_pipe 'printf "hello\0world\n"; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 12 || fail "the writer did not write"
	run_ipctool_t 0 pipe peek "$rpid:0" --hex
	assert_line --index 0 --regexp '^0+  68 65 6c 6c 6f 00 77 6f  ?72 6c 64 0a +\|hello\.world\.\|$'
	run_ipctool_t 0 pipe peek "$rpid:0" -x -l 3
	assert_line --index 0 --regexp '^0+  68 65 6c +\|hel\|$'
	assert_equal "$(queued_of "$rpid" 0)" 12
}

@test "peek of an empty pipe prints nothing and exits 0" {
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	run_ipctool_t 0 pipe peek "$rpid:0"
	assert_output ''
	assert_equal "$stderr" ''
	run_ipctool_t 0 pipe peek "$rpid:0" --hex
	assert_output ''
}

@test "peek through the writer's end shows the same bytes" {
	bg_pipe 'printf "from the writer"; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 15 || fail "the writer did not write"
	run_ipctool_t 0 pipe peek "$wpid:1"
	assert_output 'from the writer'
	assert_equal "$(queued_of "$rpid" 0)" 15
}

@test "--trace peek shows the tee(2) call" {
	bg_pipe 'printf abc; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 3 || fail "the writer did not write"
	run_ipctool_t 0 --trace pipe peek "$rpid:0"
	assert_output abc
	[[ $stderr == *"tee("* ]] || fail "$stderr"
}

# ---- read ----

@test "read PID:1 --length 4 takes the writer's bytes out of another process's pipe" {
	bg_pipe 'printf data; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 4 || fail "the writer did not write"
	run_ipctool_t 0 pipe read "$wpid:1" --length 4
	assert_output data
	# Taken, not copied.
	assert_equal "$(queued_of "$rpid" 0)" 0
}

@test "read --length N leaves the rest queued" {
	bg_pipe 'printf abcdef; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 6 || fail "the writer did not write"
	run_ipctool_t 0 pipe read "$rpid:0" -l 2
	assert_output ab
	assert_equal "$(queued_of "$rpid" 0)" 4
	run_ipctool_t 0 pipe peek "$rpid:0"
	assert_output cdef
}

@test "read copies until EOF once every writer has closed, binary-safe" {
	printf 'a\0b\377\n' >"$D/data"
	bg_pipe 'cat "$D/data"' 'exec sleep 30'
	wait_for 10 no_fds "$wpid" || fail "the writer did not exit"
	timeout 10 "$IPCTOOL" pipe read "$rpid:0" >"$D/got"
	cmp "$D/data" "$D/got"
}

@test "read FD reads ipctool's own pipe" {
	run --separate-stderr bash -c 'printf mine | timeout 10 "$1" pipe read 0' \
	    sh "$IPCTOOL"
	assert_equal "$status" 0
	assert_output mine
}

# ---- write ----

@test "write PID:1 DATA injects bytes into another process's pipe; the reader gets exactly them" {
	bg_pipe 'exec sleep 30' 'exec cat >"$D/out"'
	run_ipctool_t 0 pipe write "$wpid:1" hello
	assert_output ''
	kill "$wpid"	# cat sees EOF
	wait_for 10 no_fds "$rpid" || fail "cat did not end"
	assert_equal "$(od -An -c "$D/out")" "$(printf hello | od -An -c)"
}

@test "write with no DATA streams stdin into the pipe, binary-safe, through the reader's end" {
	bg_pipe 'exec sleep 30' 'exec cat >"$D/out"'
	head -c 200000 "$RANDOM_FILE" >"$D/data"
	timeout 10 "$IPCTOOL" pipe write "$rpid:0" <"$D/data"
	kill "$wpid"
	wait_for 10 no_fds "$rpid" || fail "cat did not end"
	cmp "$D/data" "$D/out"
}

@test "write FD writes into ipctool's own pipe" {
	run --separate-stderr bash -c '"$1" pipe write 1 own | od -An -c' sh "$IPCTOOL"
	assert_equal "$status" 0
	assert_output "$(printf own | od -An -c)"
}

@test "write to a pipe with no reader exits 1 'no reader', not killed by SIGPIPE" {
	bg_pipe 'exec sleep 30' 'exit 0'
	wait_for 10 no_fds "$rpid" || fail "the reader did not exit"
	run_ipctool_t 1 pipe write "$wpid:1" hello
	assert_error_naming "no reader"
	run --separate-stderr bash -c 'printf stdin | timeout 10 "$1" pipe write "$2"' \
	    sh "$IPCTOOL" "$wpid:1"
	assert_equal "$status" 1
	assert_error_naming "no reader"
}

# ---- resize ----

@test "resize sets the capacity that info and F_GETPIPE_SZ report; it prints nothing" {
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	run_ipctool 0 pipe resize "$rpid:0" 1M
	assert_output ''
	assert_equal "$stderr" ''
	assert_equal "$(capacity_of "$wpid" 1)" 1048576
	run_ipctool 0 pipe info "$wpid:1" --json
	check_json 'assert d["capacity"] == 1048576, d'
	# Through the other end, back down.
	run_ipctool 0 pipe resize "$wpid:1" 8192
	assert_equal "$(capacity_of "$rpid" 0)" 8192
}

@test "resize rounds up to a power-of-two number of pages: 100000 gives 131072" {
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	want=$(pow2_pages_bytes 100000)
	[ "$(getconf PAGESIZE)" -ne 4096 ] || assert_equal "$want" 131072
	run_ipctool 0 pipe resize "$rpid:0" 100000
	assert_equal "$(capacity_of "$rpid" 0)" "$want"
	run_ipctool 0 --json pipe info "$rpid:0"
	check_json 'assert d["capacity"] == int(a[0]), d' "$want"
}

@test "resize above pipe-max-size exits 1 naming /proc/sys/fs/pipe-max-size; capacity unchanged" {
	need_no_sys_resource
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	max=$(pipe_max)
	run_ipctool 1 pipe resize "$rpid:0" $((2 * max))
	assert_error_naming /proc/sys/fs/pipe-max-size
	[[ $stderr == *"limit of $max"* ]] || fail "$stderr"
	assert_equal "$(capacity_of "$rpid" 0)" 65536
	# pipe-max-size itself is allowed.
	run_ipctool 0 pipe resize "$rpid:0" "$max"
	assert_equal "$(capacity_of "$rpid" 0)" "$max"
}

@test "resize below the data queued exits 1 'queued'; capacity and data unchanged" {
	bg_pipe 'head -c 20000 /dev/zero; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 20000 || fail "the writer did not write"
	run_ipctool 1 pipe resize "$rpid:0" 4096
	assert_error_naming queued
	[[ $stderr == *"20000 bytes are queued"* ]] || fail "$stderr"
	assert_equal "$(pipe_stat "$rpid" 0)" "65536 20000"
}

@test "resize with a bad SIZE is a usage error; capacity unchanged" {
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	for s in abc 0 1X 1.5M '' 4G; do
		run_ipctool 2 pipe resize "$rpid:0" "$s"
		assert_error_naming "invalid size"
	done
	run_ipctool 2 pipe resize "$rpid:0" -5
	assert_error_naming -5
	run_ipctool 2 pipe resize "$rpid:0"
	assert_equal "$(capacity_of "$rpid" 0)" 65536
}

# ---- bad references ----

@test "a malformed PID:FD is an invalid reference (exit 2) for every verb" {
	for ref in 1:abc abc 1: :1 1:2:3 x1:2 '' ' 1:2'; do
		for args in info peek read "write|data" "resize|64K"; do
			IFS='|' read -r -a a <<<"$args"
			run_ipctool_t 2 pipe "${a[0]}" "$ref" "${a[@]:1}"
			assert_error_naming "invalid reference"
		done
	done
	# After --, a word that starts with - is an operand too.
	run_ipctool_t 2 pipe info -- -1:2
	assert_error_naming "invalid reference '-1:2'"
}

@test "a negative pid '-1:2' is an invalid operand, not an unknown option" {
	run_ipctool_t 2 pipe info -1:2
	assert_error_naming "invalid operand '-1:2'"
	[[ $stderr == *"never negative"* ]] || fail "stderr: $stderr"
	run_ipctool_t 2 pipe peek -1:2
	assert_error_naming "invalid operand '-1:2'"
}

@test "a pid that does not exist exits 1 'no such process' for every verb" {
	p=$(dead_pid)
	for args in info peek read "write|data" "resize|64K"; do
		IFS='|' read -r -a a <<<"$args"
		run_ipctool_t 1 pipe "${a[0]}" "$p:0" "${a[@]:1}"
		assert_error_naming "no such process"
	done
}

@test "an fd on /dev/null or a regular file exits 1 'not a pipe', and the file is untouched" {
	: >"$D/file"
	sleep 30 </dev/null >"$D/file" 3>&- &
	p=$!
	kill_later "$p"
	wait_for 10 fd_is "$p" 1 "$D/file" ||
	    fail "sleep did not start"
	for ref in "$p:0" "$p:1"; do
		for args in info peek read "write|data" "resize|64K"; do
			IFS='|' read -r -a a <<<"$args"
			run_ipctool_t 1 pipe "${a[0]}" "$ref" "${a[@]:1}"
			assert_error_naming "not a pipe"
		done
	done
	assert_equal "$(stat -c %s "$D/file")" 0
	# ipctool's own fd 0 on /dev/null too.
	run_ipctool 1 pipe info 0 </dev/null
	assert_error_naming "not a pipe"
}

@test "an fd the process does not have open exits 1 naming the process and the fd" {
	bg_pipe 'exec sleep 30' 'exec sleep 30'
	[ ! -e "/proc/$rpid/fd/77" ] || skip "fd 77 is open"
	for args in info peek read "write|data" "resize|64K"; do
		IFS='|' read -r -a a <<<"$args"
		run_ipctool_t 1 pipe "${a[0]}" "$rpid:77" "${a[@]:1}"
		assert_error_naming "process $rpid has no file descriptor 77"
	done
}

@test "an fd of ipctool's own that is not open exits 1" {
	run_ipctool 1 pipe info 77 77<&-
	assert_error_naming "ipctool has no file descriptor 77"
	run_ipctool 1 pipe peek 77 77<&-
	assert_error_naming "no file descriptor 77"
}

@test "info and resize with the wrong number of operands are usage errors" {
	run_ipctool 2 pipe info
	run_ipctool 2 pipe info 0 1
	run_ipctool 2 pipe resize 0
	run_ipctool 2 pipe peek
	assert_output ''
}

# ---- the seed article: pipe(), fork(), the child writes ----

@test "the seed program: the child's message comes through the pipe to the parent" {
	need_seed
	run --separate-stderr timeout 10 "$SEED"
	assert_equal "$status" 0
	assert_output 'hello from child'
	assert_equal "$stderr" ''
}

@test "the seed's pipe seen while its parent holds it: ls --pid, info, peek; the parent still prints the message" {
	need_seed
	"$SEED" hold >"$D/out" 2>"$D/err" 3>&- &
	parent=$!
	kill_later "$parent"
	wait_for 10 grep -q '^parent ' "$D/err" || fail "no ready line: $(cat "$D/err")"
	read -r _ p _ child _ rfd _ wfd <"$D/err"
	kill_later "$child"
	assert_equal "$p" "$parent"
	wait_for 10 queued_is "$parent" "$rfd" 16 || fail "the child did not write"
	ino=$(pipe_ino "$parent" "$rfd")
	assert_equal "$(pipe_ino "$child" "$wfd")" "$ino"
	comm=$(cat "/proc/$parent/comm")

	run_ipctool 0 pipe ls --pid "$parent" --json
	check_json '
got = sorted(p["inode"] for p in d)
assert got == sorted(int(x) for x in a[5].split()), got
p = [p for p in d if p["inode"] == int(a[0])][0]
assert p["queued"] == 16 and p["capacity"] == 65536, p
assert p["readers"] == [{"pid": int(a[1]), "command": a[4], "fd": int(a[2])}], p
assert [(w["pid"], w["fd"]) for w in p["writers"]] == [(int(a[3]), int(a[6]))], p
' "$ino" "$parent" "$rfd" "$child" "$comm" "$(pipe_inodes_of "$parent")" "$wfd"

	run_ipctool 0 pipe info "$parent:$rfd" --json
	check_json '
assert d["inode"] == int(a[0]) and d["queued"] == 16, d
assert [(r["pid"], r["fd"]) for r in d["readers"]] == [(int(a[1]), int(a[2]))], d
assert [(w["pid"], w["fd"]) for w in d["writers"]] == [(int(a[3]), int(a[4]))], d
' "$ino" "$parent" "$rfd" "$child" "$wfd"

	run_ipctool_t 0 pipe peek "$parent:$rfd"
	assert_output 'hello from child'
	assert_equal "$(queued_of "$parent" "$rfd")" 16

	kill -USR1 "$parent"
	st=0
	timeout 10 tail --pid="$parent" -f /dev/null || true
	wait "$parent" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$D/out")" 'hello from child'
}

@test "the article's pipe as one ipctool line: pipe create 'printf \"hello from child\"' 'cat'" {
	run_ipctool_t 0 pipe create 'printf "hello from child"' 'cat'
	assert_output 'hello from child'
	assert_equal "$stderr" ''
	if command -v cc >/dev/null; then
		# The same words the C program prints (it adds a newline).
		assert_equal "$(timeout 10 "$SEED")" "$output"
	fi
}

@test "create --stats: the relay runs as SCHED_BATCH, the commands keep the normal policy" {
	local d=$BATS_TEST_TMPDIR top relay cmd k policy
	timeout 20 "$IPCTOOL" pipe create --stats 'sleep 5' 'cat' \
	    </dev/null >/dev/null 2>"$d/err" &
	top=$!
	kill_later "$top"
	wait_for 10 bash -c "[ \$(cat /proc/$top/task/$top/children 2>/dev/null | wc -w) -ge 1 ]"
	ipc=$(child_of "$top")
	wait_for 10 bash -c "[ \$(cat /proc/$ipc/task/$ipc/children | wc -w) -eq 3 ]" ||
	    fail "ipctool has not started the relay and two commands"
	relay= cmd=
	for k in $(cat "/proc/$ipc/task/$ipc/children"); do
		# Field 41 of /proc/PID/stat is the policy: 0 normal, 3 batch.
		policy=$(sed 's/.*) //' "/proc/$k/stat" | awk '{ print $39 }')
		if [ "$(cat "/proc/$k/comm")" = "$IPCTOOL_COMM" ]; then
			relay=$policy
		else
			cmd=$policy
		fi
	done
	assert_equal "$relay" 3
	assert_equal "$cmd" 0
	run chrt -p "$(pgrep -P "$ipc" -x ipctool)"
	assert_output --partial SCHED_BATCH
}

@test "as an unprivileged user, ls shows that user's pipes and says the view is partial" {
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to become nobody"
	# ipctool looks only once sleep has replaced the shell that forked it,
	# so the writer is "sleep" on fd 1, not that shell on a pipe fd.
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    bash -c "sleep 5 | { for i in \$(seq 100); do
		pgrep -u nobody -x sleep >/dev/null && break; sleep 0.05; done
	    exec '$IPCTOOL' --json pipe ls; }"
	assert_success
	# Its own stdin pipe, written by the sleep beside it, is in the list.
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
mine = [r for r in rows if r["owner"] == "nobody"
        and any(w["command"] == "sleep" and w["fd"] == 1 for w in r["writers"])
        and any(x["command"] == __import__("os").environ["IPCTOOL_COMM"] and x["fd"] == 0 for x in r["readers"])]
assert len(mine) == 1, rows
assert mine[0]["capacity"] == 65536, mine
' "$output"
	[[ $stderr == "ipctool: pipe ls: partial view: the descriptors of "*" could not be read (permission denied)" ]] ||
	    fail "stderr: $stderr"
}

# ---- a write error on stdout: one line, exit 1, never silent ----

@test "read and peek >/dev/full: one line naming the write error, exit 1" {
	bg_pipe 'printf abcdef; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 6 || fail "the writer did not write"
	ipctool_stdout_to '>/dev/full' pipe peek "$rpid:0" --hex
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"write error: no space left on device" ]] || fail "$stderr"
	for verb in peek read; do
		ipctool_stdout_to '>/dev/full' pipe "$verb" "$rpid:0"
		[ "$status" -eq 1 ]
		assert_equal "$stderr" "ipctool: pipe $verb $rpid:0: write error: no space left on device after 0 bytes"
	done
	# Asked before reading: the bytes are still queued for their reader.
	assert_equal "$(queued_of "$rpid" 0)" 6
}

@test "read and peek with stdout closed: exit 1 before a byte is taken" {
	bg_pipe 'printf abcdef; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 6 || fail "the writer did not write"
	ipctool_stdout_to '>&-' pipe read "$rpid:0"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "ipctool: pipe read $rpid:0: write error: bad file descriptor; nothing read"
	ipctool_stdout_to '>&-' pipe peek "$rpid:0"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "ipctool: pipe peek $rpid:0: write error: bad file descriptor; nothing shown"
	# Nothing was taken.
	assert_equal "$(queued_of "$rpid" 0)" 6
}

@test "read and peek into a pipe with no reader: exit 1 with 'broken pipe', not SIGPIPE" {
	bg_pipe 'printf abcdef; exec sleep 30' 'exec sleep 30'
	wait_for 10 queued_is "$rpid" 0 6 || fail "the writer did not write"
	for verb in peek read; do
		run ipctool_into_dead_pipe pipe "$verb" "$rpid:0"
		assert_equal "${lines[-1]}" 1
		[[ "$output" == *"pipe $verb $rpid:0: write error: broken pipe"* ]] || fail "$output"
	done
}
