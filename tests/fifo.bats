#!/usr/bin/env bats
# ipctool fifo: named pipes, checked against the contract (SPEC.md) and from
# outside: stat, test -p, ls -l, find -type p, /proc/PID/fd and wchan, plain
# shell redirections, Python for the JSON, and two small C programs (the
# classic FIFO writer and server, tests/seeds/) for interoperation.
#
# Every FIFO lives under $BATS_TEST_TMPDIR; everything that could block runs
# under timeout(1), and teardown stops whatever a test left running.

load helpers

# ---- helpers for this file ----

SEEDS=${BATS_FILE_TMPDIR:-/tmp}

setup_file() {
	# The seed programs; their tests skip when there is no compiler, but
	# a compiler that fails on them fails the file.
	if command -v cc >/dev/null 2>&1; then
		cc -o "$BATS_FILE_TMPDIR/fifo_writer" \
		    "$BATS_TEST_DIRNAME/seeds/fifo_writer.c"
		cc -o "$BATS_FILE_TMPDIR/fifo_server" \
		    "$BATS_TEST_DIRNAME/seeds/fifo_server.c"
	fi
}

need_seeds() {
	[ -x "$SEEDS/fifo_writer" ] && [ -x "$SEEDS/fifo_server" ] ||
	    skip "no C compiler (cc): the seed programs tests/seeds/fifo_*.c cannot be built"
}

# bg IN OUT ERR CMD...: run CMD in the background under `timeout 20`, with
# stdin from IN and stdout, stderr into OUT, ERR; $pid is timeout's pid
# (child_of gives CMD's).
bg() {
	local in=$1 out=$2 err=$3
	shift 3
	timeout 20 "$@" <"$in" >"$out" 2>"$err" 3>&- &
	pid=$!
	kill_later "$pid"
}

# hold_rdwr PATH: a `sleep` holding PATH open read-write on its fd 0 (a
# shell's <>, which never waits); $spid is its pid.
hold_rdwr() {
	sleep 30 <>"$1" >/dev/null 2>&1 3>&- &
	spid=$!
	kill_later "$spid"
}



# new_fifo NAME: a FIFO made by mkfifo(1), not by ipctool, so that a bug in
# create shows in the create tests only; sets $f (and $abs, its real path,
# as /proc shows it).
new_fifo() {
	f=$BATS_TEST_TMPDIR/$1
	mkfifo -m 0600 "$f"
	abs=$(realpath "$f")
}

# opening PID: the process under `timeout` PID sleeps in open(2) of a FIFO,
# waiting for the other end (the kernel's wait_for_partner).
opening() {
	local c
	c=$(child_of "$1") || return 1
	[ "$(cat "/proc/$c/wchan" 2>/dev/null)" = wait_for_partner ]
}

# fd_of PID PATH: the fds of PID that are PATH (from /proc/PID/fd).
fd_of() {
	local l
	for l in /proc/"$1"/fd/*; do
		[ "$(readlink "$l")" = "$2" ] && echo "${l##*/}"
	done
	return 0
}

# holds PID PATH: PID has PATH open.  For wait_for, which runs its command
# again and again: a "$(fd_of ...)" in its arguments would be run once.
holds() {
	[ -n "$(fd_of "$1" "$2")" ]
}

# child_holds PID PATH: the child of PID (the command `timeout` runs) has
# PATH open.
child_holds() {
	local c
	c=$(child_of "$1") && holds "$c" "$2"
}

# Value of "name: value" line NAME in $output.
field() {
	sed -n "s/^$1: *//p" <<<"$output"
}

# The rows ("PID COMMAND FD") of the readers or writers list of a text
# `fifo info` in $output.
holders() {
	awk -v want="$1:" '/^[a-z]+:/ { in_list = ($1 == want); next }
	    in_list && $1 ~ /^[0-9]+$/ { print $1, $2, $3 }' <<<"$output"
}

# A JSON field of the object in $output, printed by Python.
json_get() {
	python3 -c 'import json, sys; print(json.dumps(json.loads(sys.argv[1])[sys.argv[2]]))' \
	    "$output" "$1"
}

# The capacity of FIFO PATH as the kernel says it (F_GETPIPE_SZ), seen by
# a non-blocking reader of our own.
kernel_capacity() {
	python3 -c '
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
print(fcntl.fcntl(fd, 1032))
' "$1"
}

# attach_bg PATH [OPTIONS...]: `ipctool fifo attach` in the background;
# waits for its record; sets $apid and $afd from it.
attach_bg() {
	local p=$1 out=$BATS_TEST_TMPDIR/attach.out err=$BATS_TEST_TMPDIR/attach.err
	shift
	bg /dev/null "$out" "$err" "$IPCTOOL" fifo attach "$p" "$@"
	wait_for 10 grep -q '^fd:' "$out" ||
	    fail "attach printed no record: $(cat "$out" "$err")"
	apid=$(sed -n 's/^pid: *//p' "$out")
	afd=$(sed -n 's/^fd: *//p' "$out")
	assert_equal "$apid" "$(child_of "$pid")"
}

# ---- create ----

@test "create makes each PATH a FIFO, prints each path; stat, test -p, ls -l and find agree" {
	d=$BATS_TEST_TMPDIR/d
	mkdir "$d"
	run_ipctool 0 fifo create "$d/a" "$d/b" "$d/c"
	assert_output "$(printf '%s\n' "$d/a" "$d/b" "$d/c")"
	assert_equal "$stderr" ''
	for p in "$d/a" "$d/b" "$d/c"; do
		assert_equal "$(stat -c %F "$p")" fifo
		test -p "$p" || fail "test -p $p"
		assert_equal "$(ls -l "$p" | cut -c1)" p
	done
	assert_equal "$(find "$d" -type p | sort)" "$(printf '%s\n' "$d/a" "$d/b" "$d/c")"
}

@test "create's default mode is 0600, whatever the umask" {
	for u in 022 077 000; do
		umask "$u"
		p=$BATS_TEST_TMPDIR/f$u
		run_ipctool 0 fifo create "$p"
		assert_equal "$(stat -c %a "$p")" 600
	done
}

@test "create --mode is exact: 0666 under umask 022, 0640 under umask 077 (like mkfifo -m)" {
	umask 022
	run_ipctool 0 fifo create --mode 0666 "$BATS_TEST_TMPDIR/a"
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/a")" 666
	umask 077
	run_ipctool 0 fifo create -m 640 "$BATS_TEST_TMPDIR/b"
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/b")" 640
	run_ipctool 0 fifo create -m 0 "$BATS_TEST_TMPDIR/c"
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/c")" 0
}

@test "create of an existing FIFO exits 1 'exists' and leaves it as it was" {
	new_fifo x
	chmod 0640 "$f"
	ino=$(stat -c %i "$f")
	run_ipctool 1 fifo create "$f"
	assert_error_naming exists
	run_ipctool 1 fifo create --mode 0666 "$f"
	assert_error_naming exists
	assert_equal "$(stat -c '%a %i %F' "$f")" "640 $ino fifo"
}

@test "create --exist-ok on an existing FIFO prints its path and keeps it (same inode, mode)" {
	new_fifo x
	chmod 0640 "$f"
	ino=$(stat -c %i "$f")
	run_ipctool 0 fifo create --exist-ok "$f"
	assert_output "$f"
	run_ipctool 0 fifo create -e --mode 0600 "$f"
	assert_output "$f"
	assert_equal "$(stat -c '%a %i %F' "$f")" "640 $ino fifo"
}

@test "create --exist-ok on an existing regular file exits 1 'not a FIFO'; the file is untouched" {
	f=$BATS_TEST_TMPDIR/regular
	printf 'keep me' >"$f"
	run_ipctool 1 fifo create --exist-ok "$f"
	assert_error_naming "exists and is not a FIFO"
	assert_equal "$(stat -c %F "$f")" "regular file"
	assert_equal "$(cat "$f")" 'keep me'
	# Without -e it is simply "exists".
	run_ipctool 1 fifo create "$f"
	assert_error_naming exists
	assert_equal "$(cat "$f")" 'keep me'
}

@test "create in a missing directory exits 1 and makes nothing" {
	p=$BATS_TEST_TMPDIR/no-such-dir/x
	run_ipctool 1 fifo create "$p"
	assert_error_naming "no-such-dir/x"
	[[ $stderr == *"no such directory"* ]] || fail "$stderr"
	[ ! -e "$BATS_TEST_TMPDIR/no-such-dir" ] || fail "the directory was made"
}

@test "create goes on past a failure: the other paths are made, exit 1" {
	new_fifo old
	a=$BATS_TEST_TMPDIR/a
	b=$BATS_TEST_TMPDIR/b
	run_ipctool 1 fifo create "$a" "$f" "$BATS_TEST_TMPDIR/none/x" "$b"
	assert_output "$(printf '%s\n' "$a" "$b")"
	assert_equal "${#stderr_lines[@]}" 2
	[[ ${stderr_lines[0]} == "ipctool: fifo create $f: exists" ]] || fail "$stderr"
	[[ ${stderr_lines[1]} == *"none/x"* ]] || fail "$stderr"
	test -p "$a" && test -p "$b" || fail "a or b was not made"
}

@test "create --json prints one typed object per path" {
	a=$BATS_TEST_TMPDIR/a
	b=$BATS_TEST_TMPDIR/b
	run_ipctool 0 --json fifo create "$a" "$b" --mode 0640
	python3 -c '
import json, sys
lines = sys.argv[1].splitlines()
assert len(lines) == 2, lines
for line, path, ino in zip(lines, sys.argv[2::2], sys.argv[3::2]):
    d = json.loads(line)
    assert d["type"] == "fifo" and d["path"] == path, d
    assert d["inode"] == int(ino) and type(d["inode"]) is int, d
    assert d["mode"] == "0640", d
    assert d["readers"] == [] and d["writers"] == [], d
    assert d["queued"] == 0 and d["capacity"] is None, d
' "$output" "$a" "$(stat -c %i "$a")" "$b" "$(stat -c %i "$b")"
}

@test "--trace shows mkfifo(PATH, MODE) for create and unlink(PATH) for rm on stderr" {
	p=$BATS_TEST_TMPDIR/traced
	run_ipctool 0 --trace fifo create "$p" --mode 0640
	assert_output "$p"
	assert_equal "$stderr" "mkfifo(\"$p\", 0640) = 0"
	run_ipctool 0 fifo rm --trace "$p"
	assert_output ''
	assert_equal "$stderr" "unlink(\"$p\") = 0"
	[ ! -e "$p" ] || fail "still there"
}

# ---- info ----

@test "info of a FIFO nobody holds: type, path, owner, mode; queued 0, no capacity, no holders" {
	new_fifo x
	chmod 0640 "$f"
	run_ipctool 0 fifo info "$f"
	assert_equal "$(field type)" fifo
	assert_equal "$(field path)" "$f"
	assert_equal "$(field inode)" "$(stat -c %i "$f")"
	assert_equal "$(field owner)" "$(stat -c %U "$f")"
	assert_equal "$(field group)" "$(stat -c %G "$f")"
	assert_equal "$(field mode)" 0640
	assert_equal "$(field queued)" 0
	assert_equal "$(field capacity)" -
	assert_equal "$(holders readers)" ''
	assert_equal "$(holders writers)" ''
}

@test "info shows readers and writers with pid, command and fd, capacity and queued bytes" {
	new_fifo x
	attach_bg "$f" --read
	# A shell's write redirection: its open finds attach's read end.
	sleep 30 >"$f" 3>&- &
	spid=$!
	kill_later "$spid"
	wait_for 10 holds "$spid" "$abs" || fail "sleep never opened it"
	run_ipctool_t 0 fifo write "$f" --nowait hello
	run_ipctool 0 fifo info "$f"
	assert_equal "$(holders readers)" "$apid $IPCTOOL_COMM $afd"
	assert_equal "$(holders writers)" "$spid sleep $(fd_of "$spid" "$abs")"
	assert_equal "$(fd_of "$spid" "$abs")" 1
	assert_equal "$(field queued)" 5
	assert_equal "$(field capacity)" "$(kernel_capacity "$f")"
	assert_equal "$(field partial)" no
}

@test "info --json: typed fields; inode is stat's; readers and writers are {pid, command, fd}" {
	new_fifo x
	hold_rdwr "$f"
	wait_for 10 holds "$spid" "$abs" || fail "sleep never opened it"
	printf 'abc' >"$f"
	run_ipctool 0 --json fifo info "$f"
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
path, ino, pid, cap = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
assert d["type"] == "fifo" and d["path"] == path, d
assert d["inode"] == ino and type(d["inode"]) is int, d
assert d["mode"] == "0600" and type(d["mode"]) is str, d
assert d["queued"] == 3 and type(d["queued"]) is int, d
assert d["capacity"] == cap and type(d["capacity"]) is int, d
assert d["partial"] is False, d
# One O_RDWR descriptor is both a reader and a writer.
me = {"pid": pid, "command": "sleep", "fd": 0}
assert d["readers"] == [me] and d["writers"] == [me], d
for h in d["readers"] + d["writers"]:
    assert type(h["pid"]) is int and type(h["fd"]) is int, h
' "$output" "$f" "$(stat -c %i "$f")" "$spid" "$(kernel_capacity "$f")"
}

@test "info follows a symlink to the FIFO" {
	new_fifo x
	ln -s "$f" "$BATS_TEST_TMPDIR/link"
	run_ipctool 0 --json fifo info "$BATS_TEST_TMPDIR/link"
	assert_equal "$(json_get inode)" "$(stat -c %i "$f")"
	assert_equal "$(json_get type)" '"fifo"'
}

# The point of the SPEC's "must never disturb peers": an open of the read
# end, even for a moment, wakes a writer blocked in open(2); its write then
# fails with EPIPE and the data is lost.
@test "info leaves a writer waiting in open(2) still waiting; a reader started afterwards gets its data" {
	new_fifo x
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo write "$f" data
	wait_for 10 opening "$pid" || fail "writer is not in open: $(cat "$BATS_TEST_TMPDIR/err")"
	w=$(child_of "$pid")
	for i in 1 2 3; do
		run_ipctool 0 fifo info "$f"
		assert_equal "$(field queued)" 0
		run_ipctool 0 --json fifo info "$f"
		run_ipctool 0 fifo ls "$BATS_TEST_TMPDIR"
	done
	# Still inside the same open(2): alive, asleep in wait_for_partner,
	# and no descriptor of the FIFO yet.
	kill -0 "$w" || fail "the writer exited: $(cat "$BATS_TEST_TMPDIR/err")"
	opening "$pid" || fail "the writer left open(2)"
	assert_equal "$(fd_of "$w" "$abs")" ''
	run_ipctool_t 0 fifo read "$f"
	assert_output data
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ''
}

@test "info leaves a plain shell writer (echo x > FIFO) blocked; a reader then gets its line" {
	new_fifo x
	bg /dev/null /dev/null "$BATS_TEST_TMPDIR/err" sh -c 'echo x >"$1"' sh "$f"
	wait_for 10 opening "$pid" || fail "the shell is not in open"
	w=$(child_of "$pid")
	for i in 1 2 3 4 5; do
		run_ipctool 0 fifo info "$f"
	done
	kill -0 "$w" || fail "the shell exited: $(cat "$BATS_TEST_TMPDIR/err")"
	opening "$pid" || fail "the shell left open(2)"
	run_ipctool_t 0 fifo read "$f"
	assert_output x
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ''
}

@test "info --trace with a holder copies its descriptor (pidfd_getfd) and never opens the FIFO" {
	skip_under_valgrind "valgrind 3.19 fails pidfd_open with ENOSYS, so ipctool takes its /proc fallback"
	new_fifo x
	hold_rdwr "$f"
	wait_for 10 holds "$spid" "$abs" || fail "sleep never opened it"
	run_ipctool 0 --trace fifo info "$f"
	[[ $stderr == *"pidfd_open($spid, 0) = "* ]] || fail "$stderr"
	[[ $stderr == *"pidfd_getfd("* ]] || fail "$stderr"
	[[ $stderr != *"open(\"$f\""* && $stderr != *"open(\"$abs\""* ]] ||
	    fail "info opened the FIFO: $stderr"
	assert_equal "$(field queued)" 0
}

# ---- ls ----

@test "ls lists a FIFO a process holds, by absolute path, with the holder as cmd[pid]:fd" {
	new_fifo x
	hold_rdwr "$f"
	wait_for 10 holds "$spid" "$abs" || fail "sleep never opened it"
	printf 'ab' >"$f"
	run_ipctool 0 fifo ls
	assert_line --regexp '^PATH +OWNER +MODE +CAPACITY +QUEUED +READERS +WRITERS$'
	row=$(awk -v p="$abs" '$1 == p' <<<"$output")
	read -r path owner mode capacity queued readers writers <<<"$row"
	assert_equal "$path" "$abs"
	assert_equal "$owner" "$(stat -c %U "$f")"
	assert_equal "$mode" 0600
	# Humanised in the table, as df -h: 65536 is 64K.
	assert_equal "$(kernel_capacity "$f")" 65536
	assert_equal "$capacity" 64K
	assert_equal "$queued" 2
	assert_equal "$readers" "sleep[$spid]:0"
	assert_equal "$writers" "sleep[$spid]:0"
	# A FIFO nobody holds is not listed without its DIR.
	new_fifo idle
	run_ipctool 0 fifo ls
	refute_output --partial "$abs"
}

@test "ls DIR adds the FIFO files nobody holds, as DIR/name: not recursive, no symlinks, no other files" {
	d=$(realpath "$BATS_TEST_TMPDIR")/d
	mkdir "$d" "$d/sub"
	mkfifo "$d/p1" "$d/p2" "$d/sub/deep"
	touch "$d/regular"
	ln -s p1 "$d/link"
	run_ipctool 0 fifo ls "$d"
	got=$(awk -v d="$d/" 'index($1, d) == 1 { print $1 }' <<<"$output")
	assert_equal "$got" "$(find "$d" -maxdepth 1 -type p | sort)"
	assert_equal "$got" "$(printf '%s\n' "$d/p1" "$d/p2")"
	row=$(awk -v p="$d/p1" '$1 == p' <<<"$output")
	read -r path owner mode capacity queued readers writers <<<"$row"
	assert_equal "$owner" "$(stat -c %U "$d/p1")"
	assert_equal "$mode" "0$(stat -c %a "$d/p1")"
	# Nobody holds it: no buffer, so no capacity yet, and nothing queued.
	assert_equal "$capacity $queued $readers $writers" "- 0 - -"
}

@test "ls DIR lists a held FIFO of DIR once, with its holder" {
	d=$(realpath "$BATS_TEST_TMPDIR")/d
	mkdir "$d"
	mkfifo "$d/held" "$d/idle"
	hold_rdwr "$d/held"
	wait_for 10 holds "$spid" "$d/held" || fail "sleep never opened it"
	run_ipctool 0 fifo ls "$d"
	assert_equal "$(awk -v p="$d/held" '$1 == p' <<<"$output" | wc -l)" 1
	assert_equal "$(awk -v p="$d/held" '$1 == p { print $6, $7 }' <<<"$output")" \
	    "sleep[$spid]:0 sleep[$spid]:0"
	assert_equal "$(awk -v p="$d/idle" '$1 == p { print $6, $7 }' <<<"$output")" "- -"
}

@test "ls --json: an array; the held FIFO has its holder as {pid, command, fd}, the idle one no capacity" {
	d=$(realpath "$BATS_TEST_TMPDIR")/d
	mkdir "$d"
	mkfifo -m 0600 "$d/held" "$d/idle"
	attach_bg "$d/held"
	run_ipctool 0 --json fifo ls "$d"
	python3 -c '
import json, sys
a = json.loads(sys.argv[1])
held, idle, pid, fd = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
assert type(a) is list
h = [o for o in a if o["path"] == held]
i = [o for o in a if o["path"] == idle]
assert len(h) == 1 and len(i) == 1, a
h, i = h[0], i[0]
me = {"pid": pid, "command": __import__("os").environ["IPCTOOL_COMM"], "fd": fd}
assert h["type"] == "fifo" and h["mode"] == "0600", h
assert h["inode"] == int(sys.argv[6]), h
assert me in h["readers"] and me in h["writers"], h
assert type(h["capacity"]) is int and h["capacity"] > 0 and h["queued"] == 0, h
assert i["readers"] == [] and i["writers"] == [] and i["capacity"] is None, i
assert i["inode"] == int(sys.argv[7]), i
' "$output" "$d/held" "$d/idle" "$apid" "$afd" \
	    "$(stat -c %i "$d/held")" "$(stat -c %i "$d/idle")"
}

@test "ls with a missing DIR exits 1 naming it, and still lists the other DIR's FIFOs" {
	d=$(realpath "$BATS_TEST_TMPDIR")/d
	mkdir "$d"
	mkfifo "$d/p"
	run_ipctool 1 fifo ls "$BATS_TEST_TMPDIR/nodir" "$d"
	assert_line --regexp "^$d/p "
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == "ipctool: "*"$BATS_TEST_TMPDIR/nodir"* ]] || fail "$stderr"
}

# ---- output options of ls and info ----

# out_dir: $d with two FIFOs: "$d/held", which a sleep ($spid) holds
# read-write with 2 bytes queued, and "$d/idle", which nobody holds;
# $hino and $iino are their inodes.
out_dir() {
	d=$(realpath "$BATS_TEST_TMPDIR")/d
	mkdir "$d"
	mkfifo -m 0600 "$d/held" "$d/idle"
	hold_rdwr "$d/held"
	wait_for 10 holds "$spid" "$d/held" || fail "sleep never opened it"
	printf 'ab' >"$d/held"
	hino=$(stat -c %i "$d/held")
	iino=$(stat -c %i "$d/idle")
}

@test "ls -o: the columns asked for, in that order, ref and inode among them; info -o the same fields" {
	out_dir
	run_ipctool 0 fifo ls "$d" -o ref,inode,queued,capacity
	assert_equal "${lines[0]}" "$(printf '%s\n' "${lines[0]}" | grep -E '^REF +INODE +QUEUED +CAPACITY$')"
	assert_line --regexp "^$d/held +$hino +2 +64K\$"
	assert_line --regexp "^$d/idle +$iino +0 +-\$"
	# Names are matched without regard to case, as lsblk does.
	run_ipctool 0 fifo ls "$d" -o INODE,Ref
	assert_line --regexp "^ *$hino +$d/held\$"
	# info: "name: value" lines of exactly those fields, in that order.
	run_ipctool 0 fifo info "$d/held" -o inode,ref,queued
	assert_equal "$output" "$(printf 'inode:  %s\nref:    %s\nqueued: 2' "$hino" "$d/held")"
	run_ipctool 0 fifo info "$d/held" -o readers
	assert_equal "$(holders readers)" "$spid sleep 0"
	refute_line --regexp '^(writers|path|queued):'
}

@test "ls -o +LIST adds columns after the default ones" {
	out_dir
	run_ipctool 0 fifo ls "$d"
	assert_line --index 0 --regexp '^PATH +OWNER +MODE +CAPACITY +QUEUED +READERS +WRITERS$'
	run_ipctool 0 fifo ls "$d" -o +inode,ref
	assert_line --index 0 --regexp '^PATH +OWNER +MODE +CAPACITY +QUEUED +READERS +WRITERS +INODE +REF$'
	assert_line --regexp "^$d/held +[^ ]+ +0600 +64K +2 +sleep\\[$spid\\]:0 +sleep\\[$spid\\]:0 +$hino +$d/held\$"
	assert_line --regexp "^$d/idle +[^ ]+ +0600 +- +0 +- +- +$iino +$d/idle\$"
}

@test "-o with an unknown column is a usage error naming it, for ls and info" {
	out_dir
	run_ipctool 2 fifo ls "$d" -o path,nosuch
	assert_error_naming "unknown column 'nosuch'"
	run_ipctool 2 fifo info "$d/held" -o +bogus
	assert_error_naming "unknown column 'bogus'"
	run_ipctool 2 fifo info "$d/held" -o ''
	assert_output ''
}

@test "--list-columns: each column with its type, whether ls shows it, and its help; all of them work in -o" {
	run_ipctool 0 fifo ls --list-columns
	assert_line --index 0 --regexp '^NAME +TYPE +DEFAULT +HELP$'
	cols=$output
	assert_equal "$(awk 'NR > 1 { print $1 }' <<<"$cols" | paste -sd' ')" \
	    "type ref path inode owner group mode capacity queued readers writers partial"
	assert_line --regexp '^ref +string +no +the handle info and rm accept$'
	assert_line --regexp '^inode +integer +no +inode number$'
	assert_line --regexp '^capacity +size +yes +'
	assert_line --regexp '^readers +array +yes +'
	assert_line --regexp '^partial +boolean +no +'
	# info has the same columns; the CLI needs no PATH for the list.
	run_ipctool 0 fifo info --list-columns
	assert_equal "$output" "$cols"
	# The ones marked yes are ls's default table.
	out_dir
	run_ipctool 0 fifo ls "$d"
	assert_equal "$(echo ${lines[0]})" \
	    "$(awk 'NR > 1 && $3 == "yes" { print toupper($1) }' <<<"$cols" | paste -sd' ')"
	# Every column is accepted by -o, in every format.
	all=$(awk 'NR > 1 { print $1 }' <<<"$cols" | paste -sd, -)
	for fmt in --raw --export --json; do
		run_ipctool 0 fifo ls "$d" -o "$all" "$fmt"
		run_ipctool 0 fifo info "$d/held" -o "$all" "$fmt"
	done
	run_ipctool 0 fifo ls "$d" -o "$all"
	assert_line --index 0 --regexp '^TYPE +REF +PATH +INODE +OWNER +GROUP +MODE +CAPACITY +QUEUED +READERS +WRITERS +PARTIAL$'
	run_ipctool 0 --json fifo ls "$d" -o "$all"
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
want = sys.argv[2].split(",")
assert rows and all(list(r) == want for r in rows), rows
' "$output" "$all"
	# --list-columns is a table like any other: --json of it too.
	run_ipctool 0 --json fifo ls --list-columns
	python3 -c '
import json, sys
cols = json.loads(sys.argv[1])
c = {x["name"]: x for x in cols}
assert c["inode"] == {"name": "inode", "type": "integer", "default": False,
                      "help": "inode number"}, c["inode"]
assert c["path"]["default"] is True, c["path"]
' "$output"
}

@test "-H drops the header line of ls and nothing else, as lsblk -n does" {
	out_dir
	# The default set, and columns whose values are narrower than their
	# header (QUEUED 2, CAPACITY -): the widths must not change.
	for o in "" "-o queued,capacity,ref" "-o +inode" "-o ref --raw"; do
		# shellcheck disable=SC2086
		run_ipctool 0 fifo ls "$d" $o
		with=("${lines[@]}")
		# shellcheck disable=SC2086
		run_ipctool 0 fifo ls "$d" $o -H
		assert_equal "${#lines[@]}" $(( ${#with[@]} - 1 ))
		for i in "${!lines[@]}"; do
			assert_equal "${lines[$i]}" "${with[$((i + 1))]}"
		done
	done
	# info: the values alone, one a line, in the same order.
	run_ipctool 0 fifo info "$d/held" -o path,inode,queued,capacity -H
	assert_equal "$output" "$(printf '%s\n' "$d/held" "$hino" 2 "$(kernel_capacity "$d/held")")"
}

@test "--raw: single spaces, exact numbers; blanks, backslashes and non-ASCII in a path as \\xHH" {
	d=$(realpath "$BATS_TEST_TMPDIR")/d
	mkdir "$d"
	odd=$d/$'w b\\c\t\xc3\xa9'
	mkfifo -m 0600 "$odd"
	esc="$d/w\\x20b\\x5cc\\x09\\xc3\\xa9"
	run_ipctool 0 fifo ls "$d" --raw -o path,mode,queued,capacity,readers
	assert_equal "${lines[0]}" "PATH MODE QUEUED CAPACITY READERS"
	assert_line "$esc 0600 0 - -"
	# One word a column; printf %b turns the word back into the path.
	run_ipctool 0 fifo info "$odd" --raw -H -o ref
	assert_equal "$output" "$esc"
	assert_equal "$(printf '%b' "$output")" "$odd"
	# Held: the capacity is the exact byte count, not the 64K of the table.
	hold_rdwr "$odd"
	wait_for 10 holds "$spid" "$odd" || fail "sleep never opened it"
	run_ipctool 0 fifo info "$odd" --raw -H -o capacity,queued,writers
	assert_equal "$output" "$(kernel_capacity "$odd") 0 sleep[$spid]:0"
	run_ipctool 0 fifo ls "$d" --raw -H -o inode,capacity
	assert_line "$(stat -c %i "$odd") $(kernel_capacity "$odd")"
}

@test "--export: NAME=\"value\" pairs, one FIFO a line, that sh evaluates back to the values" {
	d=$(realpath "$BATS_TEST_TMPDIR")/d
	mkdir "$d"
	odd=$d/'q"$x`y\z w'
	mkfifo -m 0640 "$odd" "$d/idle"
	hold_rdwr "$odd"
	wait_for 10 holds "$spid" "$odd" || fail "sleep never opened it"
	ino=$(stat -c %i "$odd")
	cap=$(kernel_capacity "$odd")
	run_ipctool 0 fifo ls "$d" --export -o path,inode,capacity,queued,readers
	assert_line "PATH=\"$d/q\\\"\\\$x\\\`y\\\\z w\" INODE=\"$ino\" CAPACITY=\"$cap\" QUEUED=\"0\" READERS=\"sleep[$spid]:0\""
	# No capacity (null in JSON) is an empty value.
	assert_line "PATH=\"$d/idle\" INODE=\"$(stat -c %i "$d/idle")\" CAPACITY=\"\" QUEUED=\"0\" READERS=\"-\""
	line=$(grep -F "INODE=\"$ino\"" <<<"$output")
	got=$(eval "$line"; printf '%s|%s|%s|%s' "$PATH" "$INODE" "$CAPACITY" "$READERS")
	assert_equal "$got" "$odd|$ino|$cap|sleep[$spid]:0"
	# info: every field on one line; sh (dash too) gets them back.
	run_ipctool 0 fifo info "$odd" --export
	assert_equal "${#lines[@]}" 1
	[[ $output == "TYPE=\"fifo\" REF=\""* ]] || fail "$output"
	sh -c 'eval "$1"
	    [ "$REF" = "$2" ] && [ "$PATH" = "$2" ] && [ "$TYPE" = fifo ] &&
	    [ "$MODE" = 0640 ] && [ "$INODE" = "$3" ] && [ "$PARTIAL" = no ]' \
	    sh "$output" "$odd" "$ino" || fail "sh did not get the fields back: $output"
}

@test "--json: numbers are JSON numbers, an unknown capacity null; -o keeps only those fields" {
	out_dir
	run_ipctool 0 --json fifo ls "$d" -o ref,inode,capacity,queued,readers
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
d, hino, iino, spid = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
mine = {r["ref"]: r for r in rows if r["ref"].startswith(d + "/")}
assert sorted(mine) == [d + "/held", d + "/idle"], rows
for r in rows:
    assert list(r) == ["ref", "inode", "capacity", "queued", "readers"], r
h, i = mine[d + "/held"], mine[d + "/idle"]
assert h["inode"] == hino and type(h["inode"]) is int, h
assert type(h["capacity"]) is int and h["capacity"] >= 4096, h
assert h["queued"] == 2 and type(h["queued"]) is int, h
assert h["readers"] == [{"pid": spid, "command": "sleep", "fd": 0}], h
assert i == {"ref": d + "/idle", "inode": iino, "capacity": None,
             "queued": 0, "readers": []}, i
' "$output" "$d" "$hino" "$iino" "$spid"
	run_ipctool 0 --json fifo info "$d/held" -o inode,queued,partial,mode
	python3 -c '
import json, sys
assert json.loads(sys.argv[1]) == {"inode": int(sys.argv[2]), "queued": 2,
                                   "partial": False, "mode": "0600"}, sys.argv[1]
' "$output" "$hino"
}

@test "each ref ls prints is accepted as is by info and by rm" {
	out_dir
	# A relative DIR gives relative refs, good from the same directory.
	cd "$d/.."
	run_ipctool 0 fifo ls d -o ref,inode -H --raw
	listed=$output
	refs=$(awk '$1 ~ /\/(held|idle)$/ { print $1 }' <<<"$listed")
	# The held one by the absolute path /proc shows, the idle one as d/idle.
	assert_equal "$refs" "$(printf '%s\n' "$d/held" d/idle)"
	for ref in $refs; do
		ino=$(awk -v r="$ref" '$1 == r { print $2 }' <<<"$listed")
		[ -n "$ino" ] || fail "no inode for $ref: $listed"
		run_ipctool 0 fifo info "$ref" -o ref,inode -H
		assert_equal "$output" "$(printf '%s\n' "$ref" "$ino")"
	done
	run_ipctool 0 fifo rm $refs
	[ ! -e "$d/held" ] && [ ! -e "$d/idle" ] || fail "not removed"
}

# ---- write, read ----

@test "write DATA writes exactly DATA, with no newline; read copies until the writer closes" {
	new_fifo x
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo read "$f"
	wait_for 10 opening "$pid" || fail "read is not waiting for a writer"
	run_ipctool_t 0 fifo write "$f" 'hello world'
	assert_output ''
	assert_equal "$stderr" ''
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	printf 'hello world' | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "read waits in open for a writer, like open(2); a plain shell writer feeds it" {
	new_fifo x
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo read "$f"
	wait_for 10 opening "$pid" || fail "read is not waiting for a writer"
	timeout 10 sh -c 'printf "one\ntwo\n" >"$1"' sh "$f"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	printf 'one\ntwo\n' | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "write from stdin is binary-safe: NUL bytes and every byte value" {
	new_fifo x
	for i in $(seq 0 255); do printf "\\$(printf %03o "$i")"; done >"$BATS_TEST_TMPDIR/in"
	printf '\0\0tail\0' >>"$BATS_TEST_TMPDIR/in"
	assert_equal "$(stat -c %s "$BATS_TEST_TMPDIR/in")" 263
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo read "$f"
	run_ipctool_t 0 fifo write "$f" <"$BATS_TEST_TMPDIR/in"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
}

@test "4 MiB of random bytes go through a FIFO byte-exact (write < file, read > file)" {
	new_fifo x
	head -c 4M /dev/urandom >"$BATS_TEST_TMPDIR/in"
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo read "$f"
	run_ipctool_t 0 fifo write "$f" <"$BATS_TEST_TMPDIR/in"
	assert_equal "$stderr" ''
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
}

@test "4 MiB through a pipe into write's stdin arrive byte-exact" {
	new_fifo x
	head -c 4M /dev/urandom >"$BATS_TEST_TMPDIR/in"
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo read "$f"
	cat "$BATS_TEST_TMPDIR/in" | timeout 10 "$IPCTOOL" fifo write "$f"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
}

# The reader takes every byte and leaves; only then does the writer's
# stdin end.  Nothing was lost, so this is a success, as it is for cat.
@test "write exits 0 when its stdin ends after the reader took all the data and left, as cat does" {
	new_fifo x
	go=$BATS_TEST_TMPDIR/go
	# "abc", then an open stdin until GO exists.
	cat >"$BATS_TEST_TMPDIR/feed" <<-'EOF'
		printf abc
		i=0
		while [ ! -e "$1" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	EOF
	for writer in 'cat >"$3"' '"$4" fifo write "$3"'; do
		rm -f "$go"
		bg /dev/null /dev/null "$BATS_TEST_TMPDIR/err" \
		    env --default-signal=PIPE sh -c "sh \"\$1\" \"\$2\" | $writer" \
		    sh "$BATS_TEST_TMPDIR/feed" "$go" "$f" "$IPCTOOL"
		run_ipctool_t 0 fifo read "$f" --length 3
		assert_output abc
		touch "$go"
		st=0
		wait "$pid" || st=$?
		assert_equal "$writer: exit $st $(cat "$BATS_TEST_TMPDIR/err")" "$writer: exit 0 "
	done
}

# Data that exactly fills the FIFO is all written: nothing is left to wait
# for, so write returns at once, as cat does.
@test "write from stdin of exactly the FIFO's capacity returns without waiting for it to drain" {
	new_fifo x
	attach_bg "$f" --read
	run_ipctool 0 --json fifo info "$f"
	cap=$(json_get capacity)
	[[ $cap =~ ^[0-9]+$ ]] || fail "capacity $cap"
	head -c "$cap" /dev/urandom >"$BATS_TEST_TMPDIR/fill"
	timeout 10 cat "$BATS_TEST_TMPDIR/fill" >"$f" || fail "cat did not return"
	timeout 10 "$IPCTOOL" fifo read "$f" --nowait --length "$cap" |
	    cmp - "$BATS_TEST_TMPDIR/fill"
	run_ipctool_t 0 fifo write "$f" --nowait <"$BATS_TEST_TMPDIR/fill"
	run_ipctool 0 --json fifo info "$f"
	assert_equal "$(json_get queued)" "$cap"
	timeout 10 "$IPCTOOL" fifo read "$f" --nowait --length "$cap" |
	    cmp - "$BATS_TEST_TMPDIR/fill"
}

# attach --read keeps a reader there throughout, so the writer never sees
# EPIPE between the two readers.
@test "read --length N takes exactly N bytes and leaves the rest queued for the next reader" {
	new_fifo x
	head -c 4M /dev/urandom >"$BATS_TEST_TMPDIR/in"
	attach_bg "$f" --read
	bg "$BATS_TEST_TMPDIR/in" /dev/null "$BATS_TEST_TMPDIR/werr" \
	    "$IPCTOOL" fifo write "$f"
	w=$pid
	timeout 10 "$IPCTOOL" fifo read "$f" --length 1M >"$BATS_TEST_TMPDIR/out1"
	timeout 10 "$IPCTOOL" fifo read "$f" >"$BATS_TEST_TMPDIR/out2"
	st=0
	wait "$w" || st=$?
	assert_equal "$st" 0
	assert_equal "$(stat -c %s "$BATS_TEST_TMPDIR/out1")" 1048576
	cat "$BATS_TEST_TMPDIR/out1" "$BATS_TEST_TMPDIR/out2" | cmp - "$BATS_TEST_TMPDIR/in"
}

@test "write from a file bigger than the FIFO grows its buffer up to pipe-max-size; from a pipe it does not" {
	local max
	max=$(cat /proc/sys/fs/pipe-max-size)
	new_fifo x
	head -c 4M /dev/urandom >"$BATS_TEST_TMPDIR/in"
	attach_bg "$f" --read
	# Nobody reads: the writer fills the grown buffer and waits.
	bg "$BATS_TEST_TMPDIR/in" /dev/null "$BATS_TEST_TMPDIR/werr" \
	    "$IPCTOOL" --trace fifo write "$f"
	w=$pid
	wait_for 10 bash -c "'$IPCTOOL' --json fifo info '$f' | grep -q '\"queued\":$max,'" ||
	    fail "the FIFO did not fill to $max: $("$IPCTOOL" fifo info "$f")"
	run_ipctool 0 --json fifo info "$f"
	assert_equal "$(json_get capacity)" "$max"
	grep -q "F_SETPIPE_SZ, $max) = $max" "$BATS_TEST_TMPDIR/werr" ||
	    fail "no F_SETPIPE_SZ in the trace: $(cat "$BATS_TEST_TMPDIR/werr")"
	# And every byte still arrives, in order.
	timeout 10 "$IPCTOOL" fifo read "$f" --length 4M | cmp - "$BATS_TEST_TMPDIR/in"
	st=0
	wait "$w" || st=$?
	assert_equal "$st" 0

	# Bytes from a pipe: the buffer keeps the kernel's default.
	new_fifo y
	attach_bg "$f" --read
	bg /dev/null /dev/null "$BATS_TEST_TMPDIR/werr2" \
	    bash -c "head -c 1M /dev/zero | '$IPCTOOL' fifo write '$f'"
	wait_for 10 bash -c "'$IPCTOOL' --json fifo info '$f' | grep -q '\"queued\":65536,'" ||
	    fail "the FIFO did not fill: $("$IPCTOOL" fifo info "$f")"
	run_ipctool 0 --json fifo info "$f"
	assert_equal "$(json_get capacity)" 65536
}

@test "read --follow keeps reading across two successive writers, waiting in open between them" {
	new_fifo x
	out=$BATS_TEST_TMPDIR/out
	bg /dev/null "$out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo read "$f" --follow --length 6
	wait_for 10 opening "$pid" || fail "read is not waiting for a writer"
	run_ipctool_t 0 fifo write "$f" one
	# The first writer's EOF does not end it: it opens again and waits.
	wait_for 10 grep -q one "$out" || fail "got '$(cat "$out")'"
	wait_for 10 opening "$pid" || fail "read did not wait for a second writer: $(cat "$BATS_TEST_TMPDIR/err")"
	run_ipctool_t 0 fifo write "$f" two
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$out")" onetwo
}

@test "read --follow with no --length runs until a signal" {
	new_fifo x
	out=$BATS_TEST_TMPDIR/out
	bg /dev/null "$out" "$BATS_TEST_TMPDIR/err" "$IPCTOOL" fifo read "$f" -f
	for word in a b c; do
		wait_for 10 opening "$pid" || fail "read is not waiting for a writer"
		run_ipctool_t 0 fifo write "$f" "$word"
	done
	wait_for 10 opening "$pid" || fail "read ended: $(cat "$BATS_TEST_TMPDIR/err")"
	assert_equal "$(cat "$out")" abc
	kill -TERM "$(child_of "$pid")"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 143
}

@test "--nowait with nobody on the other end exits 3: read 'no writer', write 'no reader'" {
	new_fifo x
	run_ipctool_t 3 fifo read "$f" --nowait
	assert_error_naming "no writer"
	run_ipctool_t 3 fifo write "$f" --nowait data
	assert_error_naming "no reader"
	run_ipctool_t 3 fifo write "$f" -n <<<"from stdin"
	assert_error_naming "no reader"
}

@test "--timeout with nobody on the other end exits 3: 'timed out waiting for a writer/reader'" {
	new_fifo x
	run_ipctool_t 3 fifo read "$f" --timeout 0.2
	assert_error_naming "timed out waiting for a writer"
	run_ipctool_t 3 fifo write "$f" --timeout 200ms data
	assert_error_naming "timed out waiting for a reader"
	# -w is --timeout, as in flock(1).
	run_ipctool_t 3 fifo write "$f" -w 0.1 </dev/null
	assert_error_naming "timed out waiting for a reader"
	run_ipctool_t 3 fifo read "$f" -w 100ms
	assert_error_naming "timed out waiting for a writer"
}

@test "--nowait with the other end there: write succeeds, read takes what is queued" {
	new_fifo x
	hold_rdwr "$f"
	wait_for 10 holds "$spid" "$abs" || fail "sleep never opened it"
	run_ipctool_t 0 fifo write "$f" --nowait queued
	run_ipctool 0 --json fifo info "$f"
	assert_equal "$(json_get queued)" 6
	# sleep holds a write end, so there is no EOF: stop by --length.
	run_ipctool_t 0 fifo read "$f" --nowait --length 6
	assert_output queued
}

@test "read --timeout bounds only the wait for the first writer, not a slow one" {
	new_fifo x
	go=$BATS_TEST_TMPDIR/go
	bg /dev/null /dev/null "$BATS_TEST_TMPDIR/werr" sh -c '
		exec >"$1"
		printf a
		i=0
		while [ ! -e "$2" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
		printf b' sh "$f" "$go"
	w=$pid
	wait_for 10 opening "$w" || fail "the writer is not waiting in open"
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo read "$f" --timeout 0.5
	wait_for 10 grep -q a "$BATS_TEST_TMPDIR/out" || fail "no 'a'"
	# Well past the 0.5 s, the reader still waits for the rest.
	sleep 1
	kill -0 "$(child_of "$pid")" || fail "read stopped: $(cat "$BATS_TEST_TMPDIR/err")"
	touch "$go"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ab
	wait "$w"
}

# env --default-signal=PIPE: SIGPIPE must not be ignored by inheritance,
# so that an ipctool that forgot to ignore it would die of it (141).
@test "a reader that leaves mid-write (read --length 10): write exits 1 'the reader went away', not by SIGPIPE" {
	new_fifo x
	head -c 4M /dev/urandom >"$BATS_TEST_TMPDIR/in"
	bg "$BATS_TEST_TMPDIR/in" /dev/null "$BATS_TEST_TMPDIR/err" \
	    env --default-signal=PIPE "$IPCTOOL" fifo write "$f"
	timeout 10 "$IPCTOOL" fifo read "$f" --length 10 >"$BATS_TEST_TMPDIR/out"
	head -c 10 "$BATS_TEST_TMPDIR/in" | cmp - "$BATS_TEST_TMPDIR/out"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 1
	err=$(cat "$BATS_TEST_TMPDIR/err")
	[[ $err =~ ^"ipctool: fifo write $f: the reader went away after "([0-9]+)" bytes; the rest was not written"$ ]] ||
	    fail "stderr: $err"
	n=${BASH_REMATCH[1]}
	[ "$n" -ge 10 ] && [ "$n" -lt 4194304 ] || fail "after $n bytes"
}

@test "a reader that leaves mid-write (head -c 10 FIFO): write exits 1, not 141" {
	new_fifo x
	head -c 4M /dev/urandom >"$BATS_TEST_TMPDIR/in"
	bg "$BATS_TEST_TMPDIR/in" /dev/null "$BATS_TEST_TMPDIR/err" \
	    env --default-signal=PIPE "$IPCTOOL" fifo write "$f"
	timeout 10 head -c 10 "$f" >"$BATS_TEST_TMPDIR/out"
	head -c 10 "$BATS_TEST_TMPDIR/in" | cmp - "$BATS_TEST_TMPDIR/out"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 1
	grep -q 'the reader went away after [0-9]* bytes' "$BATS_TEST_TMPDIR/err" ||
	    fail "stderr: $(cat "$BATS_TEST_TMPDIR/err")"
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/err")" 1
}

# ---- attach ----

@test "attach holds both ends without waiting; /proc/PID/fd/FD is the FIFO, opened O_RDWR" {
	new_fifo x
	attach_bg "$f"
	out=$BATS_TEST_TMPDIR/attach.out
	assert_equal "$(sed -n 's/^type: *//p' "$out")" fifo
	assert_equal "$(sed -n 's/^path: *//p' "$out")" "$f"
	assert_equal "$(sed -n 's/^inode: *//p' "$out")" "$(stat -c %i "$f")"
	assert_equal "$(sed -n 's/^end: *//p' "$out")" both
	assert_equal "$(readlink "/proc/$apid/fd/$afd")" "$abs"
	flags=$(awk '$1 == "flags:" { print $2 }' "/proc/$apid/fdinfo/$afd")
	assert_equal "$((8#$flags & 3))" 2
	run_ipctool 0 fifo info "$f"
	assert_equal "$(holders readers)" "$apid $IPCTOOL_COMM $afd"
	assert_equal "$(holders writers)" "$apid $IPCTOOL_COMM $afd"
	# Both ends are there for anyone: --nowait works both ways.
	run_ipctool_t 0 fifo write "$f" --nowait xy
	run_ipctool_t 0 fifo read "$f" --nowait --length 2
	assert_output xy
}

@test "attach --read holds the read end only, without waiting; --json record is typed" {
	new_fifo x
	run_ipctool_t 0 --json fifo attach "$f" --read --timeout 0.1
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["type"] == "fifo" and d["path"] == sys.argv[2] and d["end"] == "read", d
assert d["inode"] == int(sys.argv[3]), d
assert type(d["pid"]) is int and type(d["fd"]) is int, d
' "$output" "$f" "$(stat -c %i "$f")"
	attach_bg "$f" --read
	run_ipctool 0 fifo info "$f"
	assert_equal "$(holders readers)" "$apid $IPCTOOL_COMM $afd"
	assert_equal "$(holders writers)" ''
}

@test "attach --read: a writer gets neither EPIPE nor SIGPIPE when a reader comes and goes" {
	new_fifo x
	attach_bg "$f" --read
	go=$BATS_TEST_TMPDIR/go
	# A plain shell writer with SIGPIPE at its default: open does not
	# wait (attach is a reader), then it writes on after the reader left.
	bg /dev/null /dev/null "$BATS_TEST_TMPDIR/werr" env --default-signal=PIPE sh -c '
		exec >"$1"
		printf one
		i=0
		while [ ! -e "$2" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
		printf two' sh "$f" "$go"
	w=$pid
	run_ipctool_t 0 fifo read "$f" --length 3
	assert_output one
	touch "$go"
	st=0
	wait "$w" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/werr")" ''
	# ipctool's own writer too, with no other reader at all.
	run_ipctool_t 0 fifo write "$f" --nowait three
	run_ipctool 0 --json fifo info "$f"
	assert_equal "$(json_get queued)" 8
}

@test "attach --write: a reader sees no EOF between two writers while it holds the write end" {
	new_fifo x
	out=$BATS_TEST_TMPDIR/out
	bg /dev/null "$out" "$BATS_TEST_TMPDIR/err" "$IPCTOOL" fifo read "$f"
	r=$pid
	wait_for 10 opening "$r" || fail "read is not waiting for a writer"
	attach_bg "$f" --write
	assert_equal "$(sed -n 's/^end: *//p' "$BATS_TEST_TMPDIR/attach.out")" write
	run_ipctool_t 0 fifo write "$f" one
	wait_for 10 grep -q one "$out" || fail "no 'one'"
	# Without attach the reader would have seen EOF and gone: --nowait
	# would find no reader.
	run_ipctool_t 0 fifo write "$f" --nowait two
	wait_for 10 grep -q onetwo "$out" || fail "got '$(cat "$out")'"
	kill -0 "$(child_of "$r")" || fail "the reader saw EOF"
	run_ipctool 0 fifo info "$f"
	assert_equal "$(holders writers)" "$apid $IPCTOOL_COMM $afd"
	# attach lets go: now the reader gets its EOF.
	kill -TERM "$apid"
	st=0
	wait "$r" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$out")" onetwo
}

@test "attach --write waits for a reader; with --timeout and none it exits 3" {
	new_fifo x
	run_ipctool_t 3 fifo attach "$f" --write --timeout 0.2
	assert_error_naming "timed out waiting for a reader"
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" \
	    "$IPCTOOL" fifo attach "$f" --write
	wait_for 10 opening "$pid" || fail "attach --write is not waiting in open"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ''
	# A reader comes: attach prints its record; the reader's EOF waits.
	bg /dev/null "$BATS_TEST_TMPDIR/rout" /dev/null "$IPCTOOL" fifo read "$f"
	wait_for 10 grep -q '^end: *write$' "$BATS_TEST_TMPDIR/out" || fail "no record"
}

@test "attach --timeout DUR holds, then lets go and exits 0" {
	new_fifo x
	run_ipctool_t 0 fifo attach "$f" --timeout 0.3
	assert_equal "$(field end)" both
	run_ipctool 0 --json fifo info "$f"
	assert_equal "$(json_get readers)" '[]'
	assert_equal "$(json_get writers)" '[]'
}

@test "attach -- CMD: the FIFO is held while CMD runs; attach exits with CMD's status" {
	new_fifo x
	run_ipctool_t 7 fifo attach "$f" --read -- sh -c \
	    '"$1" fifo write "$2" --nowait held || exit 1; exit 7' sh "$IPCTOOL" "$f"
	assert_equal "$(field end)" read
	run_ipctool_t 0 fifo attach "$f" -- true
	run_ipctool_t 143 fifo attach "$f" -- sh -c 'kill -TERM $$'
	run_ipctool 0 --json fifo info "$f"
	assert_equal "$(json_get readers)" '[]'
}

@test "attach stopped by SIGTERM exits 143 and lets go of the FIFO" {
	new_fifo x
	attach_bg "$f"
	kill -TERM "$apid"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 143
	run_ipctool 0 --json fifo info "$f"
	assert_equal "$(json_get readers)" '[]'
	assert_equal "$(json_get capacity)" null
}

# ---- rm ----

@test "rm removes FIFOs, several at once, printing nothing" {
	new_fifo a
	a=$f
	new_fifo b
	run_ipctool 0 fifo rm "$a" "$f"
	assert_output ''
	assert_equal "$stderr" ''
	[ ! -e "$a" ] && [ ! -e "$f" ] || fail "still there"
}

@test "rm refuses a regular file: exit 1 'not a FIFO', the file is left" {
	f=$BATS_TEST_TMPDIR/regular
	printf data >"$f"
	run_ipctool 1 fifo rm "$f"
	assert_error_naming "not a FIFO; not removed"
	assert_equal "$(cat "$f")" data
}

@test "rm refuses a symlink to a FIFO: exit 1, link and FIFO both left" {
	new_fifo x
	ln -s "$f" "$BATS_TEST_TMPDIR/link"
	run_ipctool 1 fifo rm "$BATS_TEST_TMPDIR/link"
	assert_error_naming "a symbolic link, not a FIFO"
	[ -L "$BATS_TEST_TMPDIR/link" ] || fail "the link is gone"
	test -p "$f" || fail "the FIFO is gone"
}

@test "rm goes on past a failure: rm bad good removes good, exit 1" {
	new_fifo good
	printf data >"$BATS_TEST_TMPDIR/bad"
	run_ipctool 1 fifo rm "$BATS_TEST_TMPDIR/bad" "$BATS_TEST_TMPDIR/missing" "$f"
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 2
	[[ ${stderr_lines[0]} == *"$BATS_TEST_TMPDIR/bad: not a FIFO"* ]] || fail "$stderr"
	[[ ${stderr_lines[1]} == *"$BATS_TEST_TMPDIR/missing: no such FIFO"* ]] || fail "$stderr"
	[ ! -e "$f" ] || fail "good was not removed"
	[ -f "$BATS_TEST_TMPDIR/bad" ] || fail "bad was removed"
}

@test "rm of a missing path exits 1 'no such FIFO'" {
	run_ipctool 1 fifo rm "$BATS_TEST_TMPDIR/missing"
	assert_error_naming "no such FIFO"
}

# ---- bad input ----

@test "info, write, read and attach on a regular file exit 1 'not a FIFO'; write leaves it unchanged" {
	f=$BATS_TEST_TMPDIR/regular
	printf 'original' >"$f"
	touch -d '2001-01-01' "$f"
	before=$(stat -c '%s %Y %i' "$f")
	run_ipctool_t 1 fifo info "$f"
	assert_error_naming "not a FIFO"
	run_ipctool_t 1 fifo write "$f" clobber
	assert_error_naming "not a FIFO"
	run_ipctool_t 1 fifo write "$f" <<<"clobber from stdin"
	assert_error_naming "not a FIFO"
	run_ipctool_t 1 fifo read "$f"
	assert_error_naming "not a FIFO"
	run_ipctool_t 1 fifo attach "$f" --timeout 0.1
	assert_error_naming "not a FIFO"
	assert_equal "$(cat "$f")" original
	assert_equal "$(stat -c '%s %Y %i' "$f")" "$before"
	# A directory is not one either.
	run_ipctool_t 1 fifo write "$BATS_TEST_TMPDIR" x
	assert_error_naming "not a FIFO"
}

@test "info, write, read and attach on a missing path exit 1 'no such FIFO' and make nothing" {
	p=$BATS_TEST_TMPDIR/missing
	run_ipctool_t 1 fifo info "$p"
	assert_error_naming "no such FIFO"
	run_ipctool_t 1 fifo write "$p" data
	assert_error_naming "no such FIFO"
	run_ipctool_t 1 fifo read "$p"
	assert_error_naming "no such FIFO"
	run_ipctool_t 1 fifo attach "$p" --timeout 0.1
	assert_error_naming "no such FIFO"
	[ ! -e "$p" ] || fail "$p was made"
}

@test "a bad --mode is a usage error (exit 2) and makes nothing" {
	p=$BATS_TEST_TMPDIR/x
	for m in 999 abc 10000 -1 ''; do
		run_ipctool 2 fifo create --mode "$m" "$p"
		assert_error_naming "mode"
		[[ $stderr == *"--help"* ]] || fail "$stderr"
		[ ! -e "$p" ] || fail "made with --mode '$m'"
	done
}

@test "a bad --timeout is a usage error (exit 2) for write, read and attach" {
	new_fifo x
	for t in abc -1 1x ''; do
		run_ipctool_t 2 fifo write "$f" --timeout "$t" data
		assert_error_naming "duration"
		run_ipctool_t 2 fifo read "$f" --timeout "$t"
		assert_error_naming "duration"
		run_ipctool_t 2 fifo attach "$f" --timeout "$t"
		assert_error_naming "duration"
	done
}

@test "read --follow with --nowait is a usage error, exit 2" {
	new_fifo x
	run_ipctool_t 2 fifo read "$f" --follow --nowait
	assert_error_naming "--follow"
	run_ipctool_t 2 fifo read "$f" -f -n
	assert_error_naming "--nowait"
}

@test "attach --read with --write is a usage error, exit 2" {
	new_fifo x
	run_ipctool_t 2 fifo attach "$f" --read --write
	assert_error_naming "--read"
	run_ipctool_t 2 fifo attach "$f" --write --read -w 1
	assert_error_naming "--write"
}

@test "a missing operand is a usage error (exit 2) for every verb that takes one" {
	for v in create info write read attach rm; do
		run_ipctool 2 fifo "$v"
		assert_error_naming "missing operand"
	done
	run_ipctool 2 fifo create --mode 0600
	assert_error_naming "missing operand"
}

@test "a bad --length and an extra operand are usage errors, exit 2" {
	new_fifo x
	run_ipctool_t 2 fifo read "$f" --length abc
	assert_error_naming "length"
	run_ipctool_t 2 fifo info "$f" extra
	assert_error_naming "extra"
	run_ipctool_t 2 fifo write "$f" data extra
	assert_error_naming "extra"
}

# ---- the seed article's programs ----

@test "seed writer -> ipctool fifo read: it makes the FIFO (0666 less umask) and its 'ping' comes out" {
	need_seeds
	umask 022
	p=$BATS_TEST_TMPDIR/demo_fifo
	bg /dev/null /dev/null "$BATS_TEST_TMPDIR/err" "$SEEDS/fifo_writer" "$p"
	wait_for 10 opening "$pid" || fail "the seed writer is not waiting: $(cat "$BATS_TEST_TMPDIR/err")"
	test -p "$p"
	assert_equal "$(stat -c %a "$p")" 644
	run_ipctool_t 0 fifo read "$p"
	assert_output ping
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	# An existing FIFO (made by ipctool) is fine by it too.
	new_fifo made
	bg /dev/null /dev/null "$BATS_TEST_TMPDIR/err" "$SEEDS/fifo_writer" "$f"
	run_ipctool_t 0 fifo read "$f"
	assert_output ping
	wait "$pid"
}

@test "ipctool fifo write -> seed server, which prints what came and ends at EOF" {
	need_seeds
	new_fifo x
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" "$SEEDS/fifo_server" "$f"
	wait_for 10 opening "$pid" || fail "the seed server is not waiting"
	run_ipctool_t 0 fifo write "$f" hello
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" hello
	# And a binary stream from stdin.
	head -c 300000 /dev/urandom >"$BATS_TEST_TMPDIR/in"
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" "$SEEDS/fifo_server" "$f"
	run_ipctool_t 0 fifo write "$f" <"$BATS_TEST_TMPDIR/in"
	wait "$pid"
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
}

@test "info shows the seed server as a reader while ipctool attach --write holds the other end" {
	need_seeds
	new_fifo x
	bg /dev/null "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" "$SEEDS/fifo_server" "$f"
	s=$pid
	wait_for 10 opening "$s" || fail "the seed server is not waiting"
	spid=$(child_of "$s")
	attach_bg "$f" --write
	sfd=$(fd_of "$spid" "$abs")
	[ -n "$sfd" ] || fail "the server has no fd of the FIFO"
	run_ipctool 0 --json fifo info "$f"
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
spid, sfd, apid, afd = map(int, sys.argv[2:6])
assert d["readers"] == [{"pid": spid, "command": "fifo_server", "fd": sfd}], d
assert d["writers"] == [{"pid": apid, "command": __import__("os").environ["IPCTOOL_COMM"], "fd": afd}], d
' "$output" "$spid" "$sfd" "$apid" "$afd"
	run_ipctool 0 fifo info "$f"
	assert_equal "$(holders readers)" "$spid fifo_server $sfd"
	kill -TERM "$apid"
	st=0
	wait "$s" || st=$?
	assert_equal "$st" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ''
}

@test "info shows the seed writer, blocked on a full FIFO, as a writer; a reader then gets everything" {
	need_seeds
	new_fifo x
	attach_bg "$f" --read
	run_ipctool 0 --json fifo info "$f"
	cap=$(json_get capacity)
	[[ $cap =~ ^[0-9]+$ ]] || fail "capacity $cap"
	# Filled by a DATA operand (one write(2)): text, so it can be an argument.
	head -c "$cap" /dev/urandom | base64 -w0 | head -c "$cap" >"$BATS_TEST_TMPDIR/fill"
	run_ipctool_t 0 fifo write "$f" --nowait "$(cat "$BATS_TEST_TMPDIR/fill")"
	bg /dev/null /dev/null "$BATS_TEST_TMPDIR/err" "$SEEDS/fifo_writer" "$f"
	w=$pid
	wait_for 10 child_holds "$w" "$abs" || fail "the seed writer never opened it"
	wpid=$(child_of "$w")
	wfd=$(fd_of "$wpid" "$abs")
	wait_for 10 is_sleeping "$w" || fail "the seed writer is not blocked"
	run_ipctool 0 fifo info "$f"
	assert_equal "$(holders writers)" "$wpid fifo_writer $wfd"
	assert_equal "$(holders readers)" "$apid $IPCTOOL_COMM $afd"
	assert_equal "$(field queued)" "$cap"
	timeout 10 "$IPCTOOL" fifo read "$f" >"$BATS_TEST_TMPDIR/out"
	st=0
	wait "$w" || st=$?
	assert_equal "$st" 0
	{ cat "$BATS_TEST_TMPDIR/fill"; printf ping; } | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "as an unprivileged user, info says partial: yes and ls says so on stderr" {
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to become nobody"
	# bats' own directory is root's alone: nobody needs one it can reach.
	local dir
	dir=$(mktemp -d /tmp/ipctool-fifo-test.XXXXXX)
	chmod 0755 "$dir"
	f=$dir/x
	mkfifo -m 0666 "$f"
	# root holds it: nobody cannot see that holder, so nothing is claimed.
	hold_rdwr "$f"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$IPCTOOL" --json fifo info "$f"
	assert_success
	assert_equal "$(json_get partial)" true
	assert_equal "$(json_get queued)" null
	assert_equal "$(json_get readers)" "[]"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$IPCTOOL" fifo ls
	assert_success
	[[ $stderr == *"partial view"*"permission denied"* ]] || fail "stderr: $stderr"
	kill_tracked
	rm -rf "$dir"
}

# ---- a write error on stdout: one line, exit 1, never silent ----

@test "read >/dev/full or into a dead pipe: one line naming the write error, exit 1" {
	new_fifo x
	for target in full dead; do
		( timeout 10 sh -c 'printf "some bytes" >"$1"' sh "$f" & )
		if [ "$target" = full ]; then
			run --separate-stderr timeout 10 sh -c 'exec "$1" fifo read "$2" >/dev/full' _ "$IPCTOOL" "$f"
			[ "$status" -eq 1 ]
			assert_equal "$stderr" "ipctool: fifo read $f: write error: no space left on device after 0 bytes"
		else
			run python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE, timeout=10)
sys.stdout.write(p.stderr.decode())
print(p.returncode)' "$IPCTOOL" fifo read "$f"
			assert_equal "${lines[-1]}" 1
			[[ "$output" == "ipctool: fifo read $f: write error: broken pipe"* ]] || fail "$output"
		fi
	done
}

@test "read with stdout closed: exit 1 before opening, the writer's bytes untouched" {
	new_fifo x
	run --separate-stderr timeout 10 sh -c 'exec "$1" fifo read "$2" --nowait >&-' _ "$IPCTOOL" "$f"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "ipctool: fifo read $f: write error: bad file descriptor; nothing read"
	# A writer's bytes still reach the next reader.
	( timeout 10 sh -c 'printf kept >"$1"' sh "$f" & )
	run_ipctool_t 0 fifo read "$f"
	assert_output kept
}
