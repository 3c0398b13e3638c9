#!/usr/bin/env bats
# --ns PID: every verb on the objects of another process's IPC and mount
# namespaces, from outside: a "container" made with unshare --ipc --mount,
# its own /dev/shm (and /dev/mqueue, or not), and objects on both sides.

load helpers

setup() {
	[ "$(id -u)" -eq 0 ] || skip "--ns needs root"
	command -v unshare >/dev/null || skip "no unshare"
	KEY_OUT=$(unique_key)
	KEY_IN=$(unique_key)
	N=$(unique_name)
	# outside: the same names and a key of our own, which must stay as is
	make_outside_objects "$KEY_OUT" "$N-out"
	ipctool mq create "$N" >/dev/null	# an outside twin of the inside name
	cleanup_later mq "$N"
}

# start_container MQ: a process in new IPC and mount namespaces with its
# own tmpfs on /dev/shm, and its own mqueue on /dev/mqueue when MQ is "mq";
# holding a System V segment ($KEY_IN) and POSIX shm, mq and sem $N-in.
# $CONTAINER_SETUP, if set, runs in there first.  Sets $CPID (unshare execs sh, which execs sleep: one pid throughout).
start_container() {
	local mounts='mount -t tmpfs -o mode=1777 tmpfs /dev/shm'
	[ "$1" = mq ] && mounts+=' && mount -t mqueue mqueue /dev/mqueue'
	mounts+=${CONTAINER_SETUP:+" && $CONTAINER_SETUP"}
	unshare --ipc --mount --propagation private sh -c "$mounts &&
	    \"\$IPCTOOL\" shm create key:$KEY_IN --size 4096 &&
	    \"\$IPCTOOL\" shm create $N-in --size 64 &&
	    \"\$IPCTOOL\" mq create $N-in && \"\$IPCTOOL\" mq create $N &&
	    \"\$IPCTOOL\" sem create $N-in &&
	    touch $BATS_TEST_TMPDIR/ready && exec sleep 60" \
	    >"$BATS_TEST_TMPDIR/container.log" 2>&1 3>&- &
	CPID=$!
	kill_later "$CPID"
	for _ in $(seq 100); do
		[ -e "$BATS_TEST_TMPDIR/ready" ] && return 0
		kill -0 "$CPID" 2>/dev/null || break
		sleep 0.1
	done
	fail "the container did not start: $(cat "$BATS_TEST_TMPDIR/container.log")"
}

# The System V and POSIX objects ls shows, "type flavor name-or-key".
objects_seen() {
	"$IPCTOOL" "$@" ls -t shm,mq,sem -r -H -o type,flavor,name,key |
	    awk '{ print $1, $2, ($3 == "-" ? $4 : $3) }' | sort
}

outside_untouched() {
	run_ipctool 0 shm info "key:$KEY_OUT"
	for o in shm mq sem; do
		run_ipctool 0 "$o" info "$N-out"
	done
	run_ipctool 0 mq info "$N"
	run_ipctool 1 shm info "key:$KEY_IN"
	run_ipctool 1 shm info "$N-in"
}

@test "ns: ls shows exactly the container's objects" {
	start_container mq
	run objects_seen --ns "$CPID"
	assert_output "$(printf '%s\n' "mq posix $N" "mq posix $N-in" \
	    "sem posix $N-in" "shm posix $N-in" "shm sysv $KEY_IN" | sort)"
	# and ours, the other way round
	run objects_seen
	assert_line "shm sysv $KEY_OUT"
	assert_line "shm posix $N-out"
	refute_line "shm sysv $KEY_IN"
	refute_line --partial "$N-in"
	# after the verb too
	run_ipctool 0 shm ls --ns "$CPID" -r -H -o name
	assert_line "$N-in"
	refute_line "$N-out"
}

@test "ns: send, receive, write, read, post, get and rm in the container" {
	start_container mq
	run_ipctool 0 --ns "$CPID" mq send "$N" <<<hello
	run_ipctool 0 --ns "$CPID" mq recv "$N"
	assert_output hello
	run_ipctool 0 --ns "$CPID" shm write "$N-in" <<<shared
	run_ipctool 0 --ns "$CPID" shm read "$N-in" --string
	assert_output shared
	run_ipctool 0 --ns "$CPID" shm write "key:$KEY_IN" <<<sysv
	run_ipctool 0 --ns "$CPID" shm read "key:$KEY_IN" --string
	assert_output sysv
	run_ipctool 0 --ns "$CPID" sem post "$N-in"
	run_ipctool 0 --ns "$CPID" sem get "$N-in"
	assert_output 1
	# seen from inside, by programs of the container's own view
	run nsenter -t "$CPID" -i -m cat "/dev/mqueue/$N"
	assert_output --partial "QSIZE:0"
	run nsenter -t "$CPID" -i -m ipcs -m
	assert_output --partial "$KEY_IN"
	for o in shm mq sem; do
		run_ipctool 0 --ns "$CPID" "$o" rm "$N-in"
	done
	run_ipctool 0 --ns "$CPID" shm rm "key:$KEY_IN"
	run nsenter -t "$CPID" -i -m ipcs -m
	refute_output --partial "$KEY_IN"
	run ls "/proc/$CPID/root/dev/shm"
	assert_output ""
	run nsenter -t "$CPID" -i -m ls /dev/mqueue
	assert_output "${N#/}"
	outside_untouched
	# our own twin of $N got nothing
	run_ipctool 3 mq recv "$N" --nowait
}

@test "ns: a container without its own /dev/mqueue: its queues all the same" {
	start_container nomq
	run objects_seen --ns "$CPID"
	assert_line "mq posix $N-in"
	refute_line "mq posix $N-out"
	run_ipctool 0 --ns "$CPID" mq send "$N-in" <<<hi
	run_ipctool 0 --ns "$CPID" mq info "$N-in"
	run_ipctool 0 --ns "$CPID" mq recv "$N-in"
	assert_output hi
	run_ipctool 0 --ns "$CPID" mq rm "$N-in"
	run_ipctool 1 --ns "$CPID" mq info "$N-in"
	# the container saw no mount of ours: its /dev/mqueue is still ours
	run nsenter -t "$CPID" -m ls /dev/mqueue
	assert_line "${N#/}-out"
	outside_untouched
}

@test "ns: user names are the container's, both ways" {
	printf 'boxroot:x:0:0::/:/bin/sh\n' >"$BATS_TEST_TMPDIR/passwd"
	CONTAINER_SETUP="mount --bind $BATS_TEST_TMPDIR/passwd /etc/passwd" \
	    start_container mq
	run_ipctool 0 --ns "$CPID" shm ls -r -H -o name,owner
	assert_line "$N-in boxroot"
	run_ipctool 0 --ns "$CPID" shm set "$N-in" --owner boxroot
	# --ns after the verb is entered before --owner is looked up too
	run_ipctool 0 shm set "$N-in" --owner boxroot --ns "$CPID"
	run_ipctool 0 shm ls -r -H -o name,owner
	assert_line "$N-out root"
}

@test "ns: --trace shows the setns calls" {
	start_container mq
	run_ipctool 0 --trace --ns "$CPID" shm ls
	[[ "$stderr" == *"setns("*"</proc/$CPID/ns/ipc>, CLONE_NEWIPC) = 0"* ]]
	[[ "$stderr" == *"setns("*"</proc/$CPID/ns/mnt>, CLONE_NEWNS) = 0"* ]]
}

@test "ns: a process that is gone is one line and exit 1" {
	sh -c 'exit 0' &
	local dead=$!
	wait "$dead"
	run_ipctool 1 --ns "$dead" ls
	assert_equal "$stderr" "ipctool: --ns $dead: no such process"
	assert_output ""
	run_ipctool 1 shm ls --ns "$dead"
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "ns: without the privilege to enter: one line and exit 1" {
	start_container mq
	run --separate-stderr setpriv --reuid nobody --regid nogroup \
	    --clear-groups "$IPCTOOL" --ns "$CPID" ls
	[ "$status" -eq 1 ]
	assert_output ""
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "ipctool: --ns $CPID: "*"permission denied"* ]]
}

@test "ns: a bad PID is a usage error" {
	run_ipctool 2 --ns 0 ls
	run_ipctool 2 --ns abc shm ls
	run_ipctool 2 --ns
}

@test "ns: in --help, the man page and the completion words" {
	run_ipctool 0 shm ls --help
	assert_output --partial "      --ns PID"
	run_ipctool 0 __complete words
	assert_line -- --ns
	grep -q '^\.It Fl -ns Ar PID' "$BATS_TEST_DIRNAME/../man/ipctool.1"
}
