#!/usr/bin/env bats
# Hostile paths and users (issue 12): what sits in a sticky world-writable
# directory where a FIFO was expected, another user's processes, a removed
# segment still attached, a command sem run cannot execute, and the
# descriptors a command run by ipctool gets.  As root and as nobody.

load helpers

IPC_OBJECT=sem
IPCS_FLAG=-s

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# run_as USER STATUS ARGS...: run_ipctool as root or as nobody.
run_as() {
	local who=$1 want=$2
	shift 2
	if [ "$who" = root ]; then
		run_ipctool_t "$want" "$@"
	else
		run --separate-stderr timeout 10 setpriv --reuid=nobody \
		    --regid=nogroup --clear-groups "$IPCTOOL" "$@"
		[ "$status" -eq "$want" ] || fail "as nobody: ipctool $* exit $status, wanted $want; stderr: $stderr"
	fi
}

# A sticky world-writable directory with one of each thing that is not a
# FIFO, made by root: link-fifo (to a FIFO), link-file (to a file), dir,
# file, sock, dangling.
setup() {
	D=$(mktemp -d /tmp/ipct-hostile.XXXXXX)
	chmod 1777 "$D"
	mkfifo -m 0666 "$D/target-fifo"
	printf 'precious' >"$D/target-file"
	chmod 0666 "$D/target-file"
	ln -s target-fifo "$D/link-fifo"
	ln -s target-file "$D/link-file"
	mkdir "$D/dir"
	printf 'precious' >"$D/file"
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/sock"
	ln -s nowhere "$D/dangling"
}

teardown() {
	kill_tracked
	cleanup_objects
	rm -rf "$D"
}

kind() {
	case $1 in
	link-*|dangling) echo "symbolic link" ;;
	dir) echo directory ;;
	file) echo "regular file" ;;
	sock) echo socket ;;
	esac
}

# What every entry is now: type, inode, mtime, link target, contents.
snapshot() {
	local e
	for e in "$D"/*; do
		printf '%s %s %s %s\n' "$e" "$(stat -c '%F %i %Y %s' "$e")" \
		    "$(readlink "$e")" "$( [ -f "$e" ] && [ ! -L "$e" ] && cat "$e")"
	done
	cat "$D/target-file"
}

refuses_all() {
	local who=$1 e before
	before=$(snapshot)
	for e in link-fifo link-file dir file sock dangling; do
		run_as "$who" 1 fifo create "$D/$e"
		assert_error_naming "$(kind "$e")"
		assert_error_naming "not a FIFO"
		run_as "$who" 1 fifo create --exist-ok "$D/$e"
		assert_error_naming "$(kind "$e")"
		run_as "$who" 1 fifo rm "$D/$e"
		assert_error_naming "$(kind "$e")"
		assert_error_naming "not removed"
		run_as "$who" 1 fifo attach "$D/$e" --timeout 0.1
		assert_error_naming "$(kind "$e")"
		run_as "$who" 1 fifo read --nowait "$D/$e"
		assert_error_naming "$(kind "$e")"
		run_as "$who" 1 fifo write --nowait "$D/$e" clobber
		assert_error_naming "$(kind "$e")"
	done
	assert_equal "$(snapshot)" "$before"
	# The FIFO behind link-fifo was never opened: a reader that waits for a
	# writer is still waiting.
}

@test "as root: fifo create/rm/attach/read/write refuse symlinks, dirs, files, sockets, dangling links; nothing changes" {
	refuses_all root
}

@test "as nobody: the same refusals, one line naming what it is, exit 1; nothing changes" {
	refuses_all nobody
}

@test "a symlink to a FIFO is not followed: attach through it opens nothing (a waiting writer stays waiting)" {
	timeout 10 sh -c "echo x > '$D/target-fifo'" &
	w=$!
	kill_later "$w"
	sleep 0.2
	run_ipctool_t 1 fifo attach "$D/link-fifo" --read --timeout 0.1
	assert_error_naming "symbolic link, which is not followed"
	kill -0 "$w" || fail "the writer was woken: the link was followed"
}

@test "ends are opened with O_NOFOLLOW (--trace), and rm unlinks only after the check" {
	mkfifo "$D/real"
	run_ipctool_t 3 --trace fifo read --nowait "$D/real"
	[[ $stderr == *O_NOFOLLOW* ]] || fail "no O_NOFOLLOW: $stderr"
	run_ipctool 0 --trace fifo rm "$D/real"
	assert_equal "$stderr" "unlink(\"$D/real\") = 0"
	[ ! -e "$D/real" ] || fail "still there"
}

@test "as nobody: create, attach and rm of its own FIFO in the sticky dir work; root's FIFO cannot be removed" {
	run_as nobody 0 fifo create "$D/mine"
	assert_output "$D/mine"
	assert_equal "$(stat -c '%U %F' "$D/mine")" "nobody fifo"
	run_as nobody 0 fifo attach "$D/mine" --timeout 0.1
	run_as nobody 0 fifo rm "$D/mine"
	[ ! -e "$D/mine" ] || fail "not removed"
	run_as nobody 1 fifo rm "$D/target-fifo"
	assert_error_naming "permission denied"
	[ -p "$D/target-fifo" ] || fail "root's FIFO was removed"
}

# ---- pipes of another user's process ----

@test "as nobody: pipe info, read, peek, write and resize of root's process: permission denied, exit 1, the pipe untouched" {
	( printf 'queued'; echo "$BASHPID" >"$BATS_TEST_TMPDIR/writer"
	    exec sleep 30 ) | sleep 30 &
	pid=$!
	kill_later "$pid"
	wait_for 5 test -s "$BATS_TEST_TMPDIR/writer" || fail "no writer"
	kill_later "$(cat "$BATS_TEST_TMPDIR/writer")"
	wait_for 5 test -p "/proc/$pid/fd/0" || fail "no pipe"
	sleep 0.2
	cap=$(ipctool pipe info "$pid:0" -H -r -o capacity)
	for verb in info read peek resize write; do
		case $verb in
		resize) args=("$pid:0" 4096) ;;
		write) args=("$pid:0" x) ;;
		*) args=("$pid:0") ;;
		esac
		run_as nobody 1 pipe "$verb" "${args[@]}" </dev/null
		assert_error_naming "permission denied"
		assert_error_naming "process $pid"
	done
	run_ipctool 0 pipe info "$pid:0"
	assert_equal "$(ipctool pipe info "$pid:0" -H -r -o queued)" 6
	assert_equal "$(ipctool pipe info "$pid:0" -H -r -o capacity)" "$cap"
}

# ---- a segment marked for deletion ----

@test "shm attach/write/read by id on a removed segment still attached elsewhere: allowed, with a note; it goes with the last" {
	IPC_OBJECT=shm IPCS_FLAG=-m new_sysv --size 4K
	timeout 10 "$IPCTOOL" shm attach "$id" --timeout 3 >/dev/null &
	h=$!
	kill_later "$h"
	wait_for 5 sh -c "ipcs -m -i $id | grep -q 'nattch=1'"
	run_ipctool 0 shm rm "$id"
	ipcs -m | grep -E "^0x00000000 +$id .* dest" || fail "not marked dest: $(ipcs -m)"
	run_ipctool 0 shm write "$id" hello
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == *"$id: note: removed (marked for deletion)"* ]] || fail "$stderr"
	run_ipctool 0 shm read "$id" --length 5
	assert_output hello
	[[ $stderr == *"marked for deletion"* ]] || fail "$stderr"
	run_ipctool_t 0 shm attach "$id" --timeout 0.1
	[[ $stderr == *"marked for deletion"* ]] || fail "$stderr"
	# By key it is gone: the kernel made the key private.
	run_ipctool 1 shm write "key:$key" x
	wait "$h" || true
	run_ipctool 1 shm read "$id"
	assert_error_naming "no such"
	ipcs -m | grep -qE "^0x[0-9a-f]+ +$id " && fail "still there" || true
}

# ---- sem run ----

# value_of REF: the value of semaphore 0.
value_of() {
	ipctool sem get "$1"
}

@test "sem run of a missing command exits 127, a non-executable one 126; the semaphore is given back (both flavours)" {
	new_sysv --value 1
	new_posix --value 1
	printf 'echo hi\n' >"$D/noexec"
	chmod 0644 "$D/noexec"
	for ref in "$id" "$name"; do
		run_ipctool_t 127 sem run "$ref" -- "$D/missing-command"
		assert_error_naming "cannot run"
		assert_error_naming "no such file"
		assert_equal "$(value_of "$ref")" 1
		run_ipctool_t 127 sem run "$ref" -- no-such-command-ipct
		assert_equal "$(value_of "$ref")" 1
		run_ipctool_t 126 sem run "$ref" -- "$D/noexec"
		assert_error_naming "permission denied"
		assert_equal "$(value_of "$ref")" 1
		run_ipctool_t 126 sem run "$ref" -- "$D/dir"
		assert_equal "$(value_of "$ref")" 1
	done
	assert_equal "$(ipcs -s -i "$id" | awk '/^semnum/ { f = 1; next } f && NF == 5 { print $2 }')" 1
	# The undo entry was given back too: a wait for 1 succeeds at once.
	run_ipctool_t 0 sem wait "$id" --nowait
}

# Run ipctool with only 0, 1 and 2 open (python's subprocess closes the rest).
run_clean() {
	run --separate-stderr timeout 10 python3 -c 'import subprocess, sys
sys.exit(subprocess.run(sys.argv[1:]).returncode)' "$IPCTOOL" "$@"
}

@test "sem run, fifo attach and shm attach: CMD gets no descriptor ipctool opened, only 0 1 2 (and ls's own)" {
	new_sysv --value 1
	new_posix --value 1
	for ref in "$id" "$name"; do
		run_clean sem run "$ref" -- ls /proc/self/fd
		assert_equal "$status" 0
		assert_equal "$(echo $output)" "0 1 2 3"
	done
	mkfifo "$D/held"
	run_clean fifo attach "$D/held" -- ls /proc/self/fd
	assert_equal "$status" 0
	assert_equal "$(echo "$output" | sed 1,/^fd/d | tr '\n' ' ')" "0 1 2 3 "
	shm=$(unique_name)
	cleanup_later shm "$shm"
	ipctool shm create "$shm" --size 4K >/dev/null
	run_clean shm attach "$shm" -- ls /proc/self/fd
	assert_equal "$status" 0
	assert_equal "$(echo "$output" | grep -xE '[0-9]+' | tr '\n' ' ')" "0 1 2 3 "
}
