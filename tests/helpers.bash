# Shared by every .bats file: the bats libraries, the binary under test
# ($IPCTOOL overrides), unique names, and run_ipctool.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

IPCTOOL=${IPCTOOL:-$BATS_TEST_DIRNAME/../ipctool}
[ -x "$IPCTOOL" ] || { echo "no ipctool at $IPCTOOL" >&2; exit 1; }

# Under `make check VALGRIND=1`, $IPCTOOL is tests/valgrind-ipctool and
# each ipctool is a memcheck process: /proc/PID/comm is memcheck's, not
# "ipctool", and the process holds valgrind's own descriptors (its
# scheduler pipe, its log) at fds near the top of the range.
# IPCTOOL_COMM is the command name a running ipctool has (exported, for
# the Python checks).
if [ -n "${VALGRIND:-}" ]; then
	IPCTOOL_COMM=memcheck-amd64-
else
	IPCTOOL_COMM=ipctool
fi
export IPCTOOL_COMM

# skip_under_valgrind REASON: for a test that looks at what valgrind
# changes (timing, the process's own descriptors), not at ipctool.
skip_under_valgrind() {
	[ -z "${VALGRIND:-}" ] || skip "under valgrind: $1"
}

# run_ipctool STATUS ARGS...: run ipctool with stdout in $output and stderr
# in $stderr; fail, showing both, unless it exits with STATUS.
run_ipctool() {
	local want=$1 expect=()
	shift
	# 127 is wanted here (a CMD that cannot be run): tell bats so.
	[ "$want" -ne 127 ] || expect=(-127)
	run "${expect[@]}" --separate-stderr \
	    ${IPCTOOL_TIMEOUT:+timeout "$IPCTOOL_TIMEOUT"} "$IPCTOOL" "$@"
	if [ "$status" -ne "$want" ]; then
		printf '# ipctool %s\n# exit %s, wanted %s\n# stdout: %s\n# stderr: %s\n' \
		    "$*" "$status" "$want" "$output" "$stderr" >&2
		return 1
	fi
}

# run_ipctool_t STATUS ARGS...: the same under `timeout 10`, for a call
# that would hang if ipctool were wrong (status 124 then).
run_ipctool_t() {
	IPCTOOL_TIMEOUT=10 run_ipctool "$@"
}

# ipctool with no `run`: for set-up steps whose output is the point.
ipctool() {
	"$IPCTOOL" "$@"
}

# A name no other test or run uses: /ipct-<test>-<pid>-<random>.
unique_name() {
	printf '/ipct-%s-%s-%s' "${BATS_TEST_NUMBER:-0}" "$$" "$RANDOM"
}

# A System V key that is free now.
unique_key() {
	local k
	while :; do
		k=$(printf '0x%08x' $(( (RANDOM << 15 | RANDOM) + 0x10000 )))
		ipcs -m -q -s 2>/dev/null | grep -qi "^$k " || { echo "$k"; return; }
	done
}

# Remember an object to remove in teardown, whatever the test did.
CLEANUP_FILE=${BATS_TEST_TMPDIR:-/tmp}/cleanup
# make_outside_objects KEY NAME: in the suite's own namespace, a System V
# segment KEY and POSIX shm, mq and sem NAME, removed after the test (the
# namespace tests check that these stay as they are).
make_outside_objects() {
	local o
	ipctool shm create "key:$1" --size 4096 >/dev/null
	cleanup_later shm "key:$1"
	ipctool shm create "$2" --size 64 >/dev/null
	ipctool mq create "$2" >/dev/null
	ipctool sem create "$2" >/dev/null
	for o in shm mq sem; do
		cleanup_later "$o" "$2"
	done
}

# NUL-separated: a name may hold a newline (output.bats makes one).
cleanup_later() {
	printf '%s\0%s\0' "$1" "$2" >>"$CLEANUP_FILE"
}

cleanup_objects() {
	local obj ref
	[ -f "$CLEANUP_FILE" ] || return 0
	while IFS= read -r -d '' obj && IFS= read -r -d '' ref; do
		"$IPCTOOL" "$obj" rm "$ref" >/dev/null 2>&1 || true
	done <"$CLEANUP_FILE"
	rm -f "$CLEANUP_FILE"
}

# kill_later PID...: background processes a test started, ended in
# teardown whatever the test did, so that none outlives it holding an
# object.  SIGTERM, which timeout(1) passes on to its command.
PIDS_FILE=${BATS_TEST_TMPDIR:-/tmp}/pids
kill_later() {
	printf '%s\n' "$@" >>"$PIDS_FILE"
}

kill_tracked() {
	local p
	[ -f "$PIDS_FILE" ] || return 0
	while read -r p; do
		[ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true
	done <"$PIDS_FILE"
	rm -f "$PIDS_FILE"
}

teardown() {
	kill_tracked
	cleanup_objects
}

# ---- for the .bats file of one object, which sets IPC_OBJECT (shm, mq,
# sem) and IPCS_FLAG (-m, -q, -s) ----

# new_sysv [OPTIONS...]: a System V object with a fresh key; sets $key, $id.
new_sysv() {
	key=$(unique_key)
	cleanup_later "$IPC_OBJECT" "key:$key"
	id=$(ipctool "$IPC_OBJECT" create "key:$key" "$@")
	[[ $id =~ ^[0-9]+$ ]] || fail "create key:$key printed '$id'"
}

# new_posix [OPTIONS...]: a POSIX object with a fresh name; sets $name.
new_posix() {
	name=$(unique_name)
	cleanup_later "$IPC_OBJECT" "$name"
	local out
	out=$(ipctool "$IPC_OBJECT" create "$name" "$@")
	[ "$out" = "$name" ] || fail "create $name printed '$out'"
}

# One field (mode, nattch, qbytes, ...) of `ipcs -m|-q|-s -i ID`.
ipcs_field() {
	ipcs "$IPCS_FLAG" -i "$1" | tr '\t ' '\n\n' | sed -n "s/^$2=//p" | head -n 1
}

# wait_for SECONDS CMD...: poll until CMD succeeds, or fail after SECONDS.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# A usage or operation error: nothing on stdout, one line on stderr that
# starts with "ipctool:" and contains WORD.
assert_error_naming() {
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 1
	[[ ${stderr_lines[0]} == ipctool:* ]] ||
	    fail "stderr is not an ipctool message: $stderr"
	[[ $stderr == *"$1"* ]] || fail "stderr does not name '$1': $stderr"
}

# The pid of the one child of PID (the ipctool that `timeout` runs).
child_of() {
	local c
	c=$(cat "/proc/$1/task/$1/children" 2>/dev/null) || return 1
	c=${c%% *}
	[ -n "$c" ] && echo "$c"
}

# True when the ipctool run by `timeout` (pid $1) sleeps in the kernel.
is_sleeping() {
	local c st
	c=$(child_of "$1") || return 1
	st=$(awk '{ print $3 }' "/proc/$c/stat" 2>/dev/null) || return 1
	[ "$st" = S ]
}

# wait_blocked PID ERRFILE: wait until the backgrounded ipctool is blocked
# in its call; fail, showing its stderr, if it exited instead.
wait_blocked() {
	# Under valgrind the process also sleeps while memcheck starts it up
	# and runs between, so one sleeping look proves less: wait for two
	# in a row, 0.3 s apart.
	if [ -n "${VALGRIND:-}" ]; then
		local deadline=$((SECONDS + 20)) st=0
		until is_sleeping "$1" && sleep 0.3 && is_sleeping "$1"; do
			if ! kill -0 "$1" 2>/dev/null; then
				wait "$1" || st=$?
				fail "ipctool is not blocked (exit $st): $(cat "$2" 2>/dev/null)"
			fi
			[ "$SECONDS" -lt "$deadline" ] ||
			    fail "ipctool never stayed blocked: $(cat "$2" 2>/dev/null)"
			sleep 0.05
		done
		return
	fi
	if ! wait_for 10 is_sleeping "$1"; then
		local st=0
		kill -0 "$1" 2>/dev/null || { wait "$1" || st=$?; }
		fail "ipctool is not blocked (exit $st): $(cat "$2" 2>/dev/null)"
	fi
	# Past the IPC_NOWAIT try, into the blocking call.
	sleep 0.3
	is_sleeping "$1" || fail "ipctool stopped waiting: $(cat "$2")"
}

# ipctool_stdout_to REDIRECTION ARGS...: ipctool ARGS with stdout
# redirected (">/dev/full", ">&-"), under timeout; $status and $stderr as
# run --separate-stderr leaves them.
ipctool_stdout_to() {
	local redir=$1
	shift
	run --separate-stderr timeout 10 sh -c "exec \"\$@\" $redir" _ \
	    "$IPCTOOL" "$@"
}

# ipctool_into_dead_pipe ARGS...: ipctool ARGS into a pipe whose reader is
# gone, SIGPIPE at its default; prints ipctool's stderr, then its status
# (-N: killed by signal N).
ipctool_into_dead_pipe() {
	python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE,
    timeout=10)
sys.stdout.write(p.stderr.decode())
print(p.returncode)' "$IPCTOOL" "$@"
}
