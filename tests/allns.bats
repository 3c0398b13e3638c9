#!/usr/bin/env bats
# ls --all-namespaces (-A): the objects of every IPC namespace at once,
# each row with the namespace's inode (ns), a PID in it (nspid) and that
# PID's command (nscmd).  "Boxes" made with unshare --ipc --mount, each
# with its own /dev/shm and /dev/mqueue and objects of its own; what each
# row says is checked from outside: stat of /proc/PID/ns/ipc, lsns, comm.
#
# The suite runs in namespaces of its own (tests/run), but /proc shows
# every process of the machine: other namespaces, other runs of the suite
# even.  So the tests look for their own objects (unique names and keys),
# never at counts; the one exact listing is made in a PID namespace of its
# own, where /proc shows nothing else.

load helpers

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

setup() {
	[ "$(id -u)" -eq 0 ] || skip "ls -A needs root to make namespaces"
	command -v unshare >/dev/null || skip "no unshare"
	N=$(unique_name)
	OUT_NS=$(stat -L -c %i /proc/self/ns/ipc)
	declare -gA BOX=() NS=() KEY=()
	BOX_NS_FILE=$BATS_TEST_TMPDIR/box-namespaces
}

# The IPC namespace inode of PID, as lsns prints it.
ns_of() {
	stat -L -c %i "/proc/$1/ns/ipc"
}

# The lowest PID whose IPC namespace is inode $1 (what nspid should be).
lowest_pid_in() {
	local p
	for p in $(ls /proc | grep -E '^[0-9]+$' | sort -n); do
		[ "$(stat -L -c %i "/proc/$p/ns/ipc" 2>/dev/null)" = "$1" ] &&
		    { echo "$p"; return 0; }
	done
	return 1
}

# start_box I [CODE]: a "container": a process in new IPC and mount
# namespaces, $BOX_SHM on /dev/shm (default: a tmpfs of its own) and its
# own mqueue on /dev/mqueue, holding a System V segment ${KEY[I]} and
# POSIX shm, mq and sem $N-I; then CODE (sh) runs in there, with $I the
# ipctool, $D the test's directory, $K the key, $X the name $N-I, and
#   bg CMD...   CMD in the background, killed in teardown
#   held TEXT   wait until the last bg process maps or holds TEXT
# Sets BOX[I] (its PID: unshare execs sh, which execs sleep) and NS[I]
# (its IPC namespace's inode).
start_box() {
	local i=$1 code=${2:-:} shm=${BOX_SHM:-'mount -t tmpfs -o mode=1777 tmpfs /dev/shm'}
	KEY[$i]=$(unique_key)
	unshare --ipc --mount --propagation private sh -c '
	    I=$1 D=$2 K=$3 X=$4
	    bg() { "$@" </dev/null >/dev/null 2>&1 & echo $! >>"$D/pids"; }
	    held() {
		p=$! n=0
		until grep -qF -- "$1" "/proc/$p/maps" 2>/dev/null ||
		    ls -l "/proc/$p/fd" 2>/dev/null | grep -qF -- "$1"; do
			n=$((n + 1))
			[ $n -lt 200 ] || { echo "never held: $1"; return 1; }
			sleep 0.05
		done
	    }
	    '"$shm"' && mount -t mqueue mqueue /dev/mqueue &&
	    "$I" shm create "key:$K" --size 4096 >/dev/null &&
	    "$I" shm create "$X" --size 64 >/dev/null &&
	    "$I" mq create "$X" >/dev/null &&
	    "$I" sem create "$X" >/dev/null && {
	    '"$code"'
	    } && touch "$D/ready.$5" && exec sleep 60' \
	    sh "$IPCTOOL" "$BATS_TEST_TMPDIR" "${KEY[$i]}" "$N-$i" "$i" \
	    >"$BATS_TEST_TMPDIR/box.$i.log" 2>&1 3>&- &
	BOX[$i]=$!
	kill_later "${BOX[$i]}"
	wait_for 20 test -e "$BATS_TEST_TMPDIR/ready.$i" ||
	    fail "box $i did not start: $(cat "$BATS_TEST_TMPDIR/box.$i.log")"
	NS[$i]=$(ns_of "${BOX[$i]}")
	echo "${NS[$i]}" >>"$BOX_NS_FILE"
	[ "${NS[$i]}" != "$OUT_NS" ] || fail "box $i is in our namespace"
}

# Teardown: every process in a box's namespace too (what bg started, and
# anything else in there), then what helpers.bash does.
teardown() {
	local p ns
	if [ -f "$BOX_NS_FILE" ]; then
		for p in /proc/[0-9]*; do
			ns=$(stat -L -c %i "$p/ns/ipc" 2>/dev/null) || continue
			grep -qxF "$ns" "$BOX_NS_FILE" &&
			    kill -TERM "${p#/proc/}" 2>/dev/null || true
		done
	fi
	kill_tracked
	cleanup_objects
}

# Our objects made outside any box: System V $KEY_OUT, POSIX $N-out.
outside_objects() {
	KEY_OUT=$(unique_key)
	make_outside_objects "$KEY_OUT" "$N-out"
}

# What ls -A writes on stderr as root: nothing, or one line saying what it
# could not see (here: processes with more privilege than ours, as PID 1
# of some sandboxes).
stderr_as_root_ok() {
	[ -z "$stderr" ] && return 0
	[ "${#stderr_lines[@]}" -eq 1 ] &&
	    [[ $stderr == "ipctool: "*"ls: not listed: "* ]] ||
	    fail "stderr: $stderr"
}

# count TEXT: how many lines of $output are exactly TEXT.
count() {
	grep -cxF -- "$1" <<<"$output" || true
}

# once TEXT: exactly one line of $output is TEXT.
once() {
	[ "$(count "$1")" -eq 1 ] ||
	    fail "'$1' is there $(count "$1") times in: $output"
}

@test "ls --all-namespaces shows objects of three namespaces at once with the right ns of each" {
	outside_objects
	for i in 1 2 3; do
		start_box "$i"
	done
	run_ipctool 0 ls -A -r -H -o ns,nspid,type,flavor,key,name
	stderr_as_root_ok
	local seen=("$OUT_NS")
	for i in 1 2 3; do
		ns=${NS[$i]} pid=${BOX[$i]}
		# the inode lsns prints for that box, and its lowest PID
		[ "$(lsns -t ipc -n -o NS -p "$pid" | tr -d ' ')" = "$ns" ] ||
		    fail "lsns says $(lsns -t ipc -n -o NS -p "$pid") for box $i"
		nspid=$(lowest_pid_in "$ns")
		[ "$(lsns -t ipc -n -o PID -p "$pid" | tr -d ' ')" = "$nspid" ]
		once "$ns $nspid shm sysv ${KEY[$i]} -"
		once "$ns $nspid shm posix - $N-$i"
		once "$ns $nspid mq posix - $N-$i"
		once "$ns $nspid sem posix - $N-$i"
		# under no other namespace
		[ "$(grep -cE -- " ($N-$i|${KEY[$i]})( |\$)" <<<"$output")" -eq 4 ] ||
		    fail "box $i's objects elsewhere too: $output"
		for s in "${seen[@]}"; do
			[ "$s" != "$ns" ] || fail "two boxes in namespace $ns"
		done
		seen+=("$ns")
	done
	# ours, under ours
	nspid=$(lowest_pid_in "$OUT_NS")
	once "$OUT_NS $nspid shm sysv $KEY_OUT -"
	for o in shm mq sem; do
		once "$OUT_NS $nspid $o posix - $N-out"
	done
	[ "$(grep -c -- "$N-out\|$KEY_OUT" <<<"$output")" -eq 4 ] ||
	    fail "ours elsewhere too: $output"
	# nscmd: the command of nspid, in the boxes and here
	run_ipctool 0 ls -A -r -H -o ns,nspid,nscmd,name -t shm
	for i in 1 2 3; do
		once "${NS[$i]} $(lowest_pid_in "${NS[$i]}") sleep $N-$i"
	done
	once "$OUT_NS $nspid $(cat "/proc/$nspid/comm") $N-out"
}

@test "ls -A: the exact listing, in a PID namespace where /proc shows only ours" {
	cat >"$BATS_TEST_TMPDIR/scene" <<'EOF'
set -e
I=$1 D=$2
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue
"$I" shm create key:0x00a11000 --size 4096 >/dev/null
for o in mq sem; do "$I" $o create key:0x00a11000 >/dev/null; done
"$I" shm create /all-0 --size 64 >/dev/null
for o in mq sem; do "$I" $o create /all-0 >/dev/null; done
echo "1 $(stat -L -c %i /proc/1/ns/ipc) $(cat /proc/1/comm) 0" >"$D/expect"
for b in 1 2 3; do
	unshare --ipc --mount --propagation private sh -c '
	    I=$1 b=$2
	    mount -t tmpfs -o mode=1777 tmpfs /dev/shm &&
	    mount -t mqueue mqueue /dev/mqueue &&
	    "$I" shm create key:0x00a1100$b --size 4096 >/dev/null &&
	    "$I" mq create key:0x00a1100$b >/dev/null &&
	    "$I" sem create key:0x00a1100$b >/dev/null &&
	    "$I" shm create /all-$b --size 64 >/dev/null &&
	    "$I" mq create /all-$b >/dev/null &&
	    "$I" sem create /all-$b >/dev/null &&
	    touch "$3/ready.$b" && exec sleep 60' sh "$I" $b "$D" \
	    </dev/null >/dev/null 2>&1 &
	until [ -e "$D/ready.$b" ]; do
		kill -0 $! || exit 1
		sleep 0.05
	done
	echo "$! $(stat -L -c %i /proc/$!/ns/ipc) $(cat /proc/$!/comm) $b" >>"$D/expect"
done
set +e
"$I" ls -A -t shm,mq,sem -r -H -o ns,nspid,nscmd,type,flavor,key,name \
    >"$D/out" 2>"$D/err"
echo $? >"$D/rc"
"$I" ls --all-namespaces -t shm,mq,sem -r -H \
    -o ns,nspid,nscmd,type,flavor,key,name >"$D/out.long" 2>&1
EOF
	run timeout 60 unshare --pid --fork --mount-proc --ipc \
	    --propagation private bash "$BATS_TEST_TMPDIR/scene" "$IPCTOOL" \
	    "$BATS_TEST_TMPDIR" 3>&-
	[ "$status" -eq 0 ] || fail "scene: $status $output"
	[ "$(cat "$BATS_TEST_TMPDIR/rc")" = 0 ] || fail "ls -A: exit $(cat "$BATS_TEST_TMPDIR/rc")"
	[ ! -s "$BATS_TEST_TMPDIR/err" ] ||
	    fail "ls -A said: $(cat "$BATS_TEST_TMPDIR/err")"
	# four namespaces, by inode; in each, shm, mq and sem, System V first
	want=$(sort -n -k2 "$BATS_TEST_TMPDIR/expect" |
	    while read -r pid ns cmd b; do
		for o in shm mq sem; do
			echo "$ns $pid $cmd $o sysv 0x00a1100$b -"
			echo "$ns $pid $cmd $o posix - /all-$b"
		done
	    done)
	[ "$(wc -l <<<"$want")" -eq 24 ] || fail "expected: $want"
	[ "$(cut -d' ' -f2 "$BATS_TEST_TMPDIR/expect" | sort -u | wc -l)" -eq 4 ]
	grep -q '^1 [0-9]* bash 0$' "$BATS_TEST_TMPDIR/expect"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "$want"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out.long")" "$want"
}

@test "ls -A --json: ns and nspid are numbers, nscmd a string, right for each" {
	outside_objects
	start_box 1
	start_box 2
	run_ipctool 0 ls -A --json
	stderr_as_root_ok
	python3 -c '
import json, os, sys
v = json.loads(sys.argv[1])
N = sys.argv[2]
want = {N + "-out": int(sys.argv[3]), N + "-1": int(sys.argv[4]),
        N + "-2": int(sys.argv[5])}
def ns_of(pid):
    return os.stat("/proc/%d/ns/ipc" % pid).st_ino
found = {}
for o in v:
    if o["type"] in ("shm", "mq", "sem"):
        assert {"ns", "nspid", "nscmd"} <= o.keys(), o
    if "ns" not in o:
        continue
    assert type(o["ns"]) is int and type(o["nspid"]) is int, o
    assert type(o["nscmd"]) is str, o
    name = o.get("name")
    if name in want:
        assert o["ns"] == want[name], (o, want[name])
        assert ns_of(o["nspid"]) == o["ns"], o
        with open("/proc/%d/comm" % o["nspid"]) as f:
            assert f.read().strip() == o["nscmd"], o
        found[(o["type"], name)] = found.get((o["type"], name), 0) + 1
assert sorted(found.values()) == [1] * 9, found
assert sorted(found) == sorted((t, n) for t in ("shm", "mq", "sem")
                               for n in want), found
' "$output" "$N" "$OUT_NS" "${NS[1]}" "${NS[2]}"
	# and on shm ls -A
	run_ipctool 0 shm ls -A --json
	python3 -c '
import json, sys
v = json.loads(sys.argv[1])
assert all("ns" in o and "flavor" in o for o in v), v
n = [o for o in v if o.get("name") == sys.argv[2]]
assert len(n) == 1 and n[0]["ns"] == int(sys.argv[3]), n
' "$output" "$N-1" "${NS[1]}"
}

@test "shm, mq and sem ls -A and ls -A -t: only that kind, of every namespace; the ns columns in front" {
	outside_objects
	start_box 1
	start_box 2
	run_ipctool 0 shm ls -A
	stderr_as_root_ok
	read -r -a head <<<"${lines[0]}"
	assert_equal "${head[*]:0:4}" "NS NSPID NSCMD FLAVOR"
	run_ipctool 0 shm ls -A -r -H -o ns,flavor,key,name
	for i in 1 2; do
		once "${NS[$i]} sysv ${KEY[$i]} -"
		once "${NS[$i]} posix - $N-$i"
	done
	once "$OUT_NS posix - $N-out"
	for o in mq sem; do
		run_ipctool 0 "$o" ls -A -r -H -o ns,flavor,name
		for i in 1 2; do
			once "${NS[$i]} posix $N-$i"
		done
		once "$OUT_NS posix $N-out"
		refute_output --partial "${KEY[1]}"
	done
	run_ipctool 0 ls -A -t sem -r -H -o ns,type,name
	[ "$(awk '{ print $2 }' <<<"$output" | sort -u)" = sem ] ||
	    fail "not only sems: $output"
	once "${NS[2]} sem $N-2"
	run_ipctool 0 ls -A -t shm,mq -r -H -o type
	[ "$(sort -u <<<"$output" | tr '\n' ' ')" = "mq shm " ] || fail "$output"
	# +LIST adds to the -A defaults; without -A, no ns columns
	run_ipctool 0 ls -A -t shm -r -H -o +group
	grep -qxE "${NS[1]} [0-9]+ sleep shm sysv [0-9]+ ${KEY[1]} [0-9]+ - root 0600 4096 root" <<<"$output" ||
	    fail "$output"
	run_ipctool 0 ls -t shm
	read -r -a head <<<"${lines[0]}"
	assert_equal "${head[0]}" TYPE
	refute_output --partial "$N-1"
	run_ipctool 0 shm ls
	[[ ${lines[0]} != *NSPID* ]] || fail "${lines[0]}"
	# -o names the columns, with or without -A
	run_ipctool 0 shm ls -o ns,nscmd,name -r -H
	once "- - $N-out"
}

@test "filters with -A as root: --flavor, --owner, --older-than, --unused, together" {
	outside_objects
	# box 1: objects, one of them nobody's; box 2: some held by processes
	# in there; then new ones in both
	start_box 1 '"$I" shm create "$X-nob" --size 64 >/dev/null &&
	    "$I" shm set "$X-nob" --owner nobody'
	start_box 2 '"$I" shm create "$X-idle" --size 64 >/dev/null &&
	    "$I" sem create "$X-idle" >/dev/null &&
	    "$I" mq create "$X-idle" >/dev/null &&
	    bg "$I" shm attach "$X" -w 60s && held "$X" &&
	    bg "$I" shm attach "key:$K" -w 60s && held "SYSV${K#0x}" &&
	    bg "$I" sem wait "$X" -w 60s && held "sem.${X#/}" &&
	    bg "$I" mq recv "$X" -w 60s && held "$X"'
	# old ones 4 s old, new ones checked within 3 s of their making
	sleep 4
	knew=$(unique_key)
	ipctool --ns "${BOX[1]}" shm create "$N-1-new" --size 64 >/dev/null
	ipctool --ns "${BOX[2]}" shm create "key:$knew" --size 64 >/dev/null
	ipctool --ns "${BOX[2]}" shm create "$N-2-new" --size 64 >/dev/null
	ipctool --ns "${BOX[2]}" mq create "$N-2-new" >/dev/null
	ipctool --ns "${BOX[2]}" sem create "$N-2-new" >/dev/null
	local cols=(-r -H -o ns,type,flavor,key,name)
	run_ipctool 0 ls -A --older-than 3s "${cols[@]}"
	stderr_as_root_ok
	for i in 1 2; do
		once "${NS[$i]} shm sysv ${KEY[$i]} -"
		for o in shm mq sem; do
			once "${NS[$i]} $o posix - $N-$i"
		done
	done
	once "${NS[1]} shm posix - $N-1-nob"
	once "${NS[2]} sem posix - $N-2-idle"
	once "$OUT_NS shm sysv $KEY_OUT -"
	refute_output --partial "$N-1-new"
	refute_output --partial "$N-2-new"
	refute_output --partial "$knew"
	run_ipctool 0 shm ls -A --unused --older-than 3s --flavor posix \
	    --owner root -r -H -o ns,name
	once "${NS[1]} $N-1"
	once "${NS[2]} $N-2-idle"
	for r in "$N-1-nob" "$N-1-new" "$N-2" "$N-2-new"; do
		refute_line "${NS[1]} $r"
		refute_line "${NS[2]} $r"
	done

	run_ipctool 0 ls -A --flavor sysv "${cols[@]}"
	once "${NS[1]} shm sysv ${KEY[1]} -"
	once "${NS[2]} shm sysv ${KEY[2]} -"
	once "${NS[2]} shm sysv $knew -"
	once "$OUT_NS shm sysv $KEY_OUT -"
	! grep -q ' posix ' <<<"$output" || fail "posix ones: $output"
	run_ipctool 0 ls -A --flavor posix "${cols[@]}"
	once "${NS[1]} sem posix - $N-1"
	once "${NS[2]} mq posix - $N-2-idle"
	once "$OUT_NS mq posix - $N-out"
	! grep -q ' sysv ' <<<"$output" || fail "sysv ones: $output"

	run_ipctool 0 ls -A --owner nobody -r -H -o ns,type,name,owner
	once "${NS[1]} shm $N-1-nob nobody"
	[ "$(awk '{ print $4 }' <<<"$output" | sort -u)" = nobody ] ||
	    fail "$output"
	run_ipctool 0 shm ls -A -U 65534 -r -H -o ns,name
	once "${NS[1]} $N-1-nob"
	refute_line "${NS[1]} $N-1"
	refute_line "$OUT_NS $N-out"

	run_ipctool 0 ls -A --unused "${cols[@]}"
	for o in shm mq sem; do
		once "${NS[2]} $o posix - $N-2-idle"
		refute_line "${NS[2]} $o posix - $N-2"
		once "${NS[1]} $o posix - $N-1"
	done
	refute_output --partial "${KEY[2]}"	# attached: nattch 1
	once "${NS[1]} shm sysv ${KEY[1]} -"
	once "${NS[2]} shm sysv $knew -"
	# the same on the objects' own ls
	run_ipctool 0 sem ls -A --unused -r -H -o ns,name
	once "${NS[2]} $N-2-idle"
	refute_line "${NS[2]} $N-2"
	run_ipctool 0 mq ls -A --unused -r -H -o ns,name
	once "${NS[2]} $N-2-idle"
	refute_line "${NS[2]} $N-2"

	run_ipctool 0 ls -A --unused --flavor sysv --json -t shm
	python3 -c '
import json, sys
v = json.loads(sys.argv[1])
keys = {o["key"]: o["ns"] for o in v}
assert keys.get(sys.argv[2]) == int(sys.argv[3]), keys
assert sys.argv[4] not in keys, keys
assert all(o["nattch"] == 0 for o in v), v
' "$output" "${KEY[1]}" "${NS[1]}" "${KEY[2]}"
}

@test "filters with -A as nobody: only its own namespace, one 'not listed' line, exit 0" {
	outside_objects
	start_box 1
	mine=$N-nob-old
	as_nobody "$IPCTOOL" shm create "$mine" --size 64 >/dev/null
	cleanup_later shm "$mine"
	skey=$(unique_key)
	as_nobody "$IPCTOOL" shm create "key:$skey" --size 64 >/dev/null
	cleanup_later shm "key:$skey"
	busy=$N-nob-busy
	as_nobody "$IPCTOOL" shm create "$busy" --size 64 >/dev/null
	cleanup_later shm "$busy"
	# setpriv itself, not as_nobody: $! is then the ipctool
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$IPCTOOL" shm attach "$busy" -w 60s >/dev/null 2>&1 3>&- &
	kill_later $!
	wait_for 10 grep -qF "/dev/shm$busy" "/proc/$!/maps"
	sleep 4
	new=$N-nob-new
	as_nobody "$IPCTOOL" shm create "$new" --size 64 >/dev/null
	cleanup_later shm "$new"

	run --separate-stderr as_nobody "$IPCTOOL" ls -A --owner nobody \
	    -r -H -o ns,type,flavor,key,name,owner
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail "stderr: $stderr"
	[[ $stderr == "ipctool: ls: not listed: "* ]] || fail "$stderr"
	once "$OUT_NS shm posix - $mine nobody"
	once "$OUT_NS shm sysv $skey - nobody"
	once "$OUT_NS shm posix - $new nobody"
	[ "$(awk '{ print $6 }' <<<"$output" | sort -u)" = nobody ] ||
	    fail "$output"
	refute_output --partial "$N-1"
	refute_output --partial "${NS[1]}"

	run --separate-stderr as_nobody "$IPCTOOL" shm ls -A --flavor sysv \
	    --owner nobody -r -H -o ns,key
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	once "$OUT_NS $skey"
	[ "$(wc -l <<<"$output")" -eq 1 ] || fail "$output"

	run --separate-stderr as_nobody "$IPCTOOL" shm ls -A --older-than 3s \
	    --owner nobody -r -H -o ns,name
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	once "$OUT_NS $mine"
	refute_line "$OUT_NS $new"

	run --separate-stderr as_nobody "$IPCTOOL" ls -A --unused --flavor posix \
	    --owner nobody -r -H -o ns,name
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	once "$OUT_NS $mine"
	once "$OUT_NS $new"
	refute_line "$OUT_NS $busy"
	# one "not listed" line; --unused may add its "partial view" line
	[ "$(grep -c '^ipctool: ls: not listed: ' <<<"$stderr")" -eq 1 ] ||
	    fail "$stderr"
	! grep -v -e '^ipctool: ls: not listed: ' \
	    -e '^ipctool: ls: partial view: ' <<<"$stderr" || fail "$stderr"
}

@test "ls -A as nobody: what it cannot enter or look into, counted on one line" {
	outside_objects
	start_box 1
	mine=$N-nob
	as_nobody "$IPCTOOL" shm create "$mine" --size 64 >/dev/null
	cleanup_later shm "$mine"
	run --separate-stderr as_nobody "$IPCTOOL" ls -A -r -H -o ns,type,name
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail "stderr: $stderr"
	# the box is root's: its processes cannot be looked into
	[[ $stderr =~ ^ipctool:\ ls:\ not\ listed:\ .*the\ namespaces\ of\ [0-9]+\ process(es)?\ it\ could\ not\ look\ into\ \(needs\ root\)$ ]] ||
	    fail "$stderr"
	once "$OUT_NS shm $mine"
	once "$OUT_NS shm $N-out"
	refute_output --partial "$N-1"
	refute_output --partial " ${NS[1]} "
	# a namespace of nobody's own: nobody can see it, but not enter it
	as_nobody unshare --user --ipc true 2>/dev/null ||
	    skip "nobody cannot make a user namespace here"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    unshare --user --ipc sleep 60 >/dev/null 2>&1 3>&- &
	local u=$!
	kill_later "$u"
	wait_for 10 sh -c "[ \"\$(stat -L -c %i /proc/$u/ns/ipc)\" != $OUT_NS ] &&
	    grep -qx sleep /proc/$u/comm" || fail "no user namespace as nobody"
	run --separate-stderr as_nobody "$IPCTOOL" ls -A -r -H -o ns,type,name
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail "stderr: $stderr"
	[[ $stderr =~ ^ipctool:\ ls:\ not\ listed:\ [1-9][0-9]*\ IPC\ namespaces?\ it\ could\ not\ enter\ \(needs\ root:\ CAP_SYS_ADMIN\),\ and\ the\ namespaces\ of\ [0-9]+\ process ]] ||
	    fail "$stderr"
	once "$OUT_NS shm $mine"
	run --separate-stderr as_nobody "$IPCTOOL" shm ls -A --json
	[ "$status" -eq 0 ] || fail "exit $status: $stderr"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail "stderr: $stderr"
	python3 -c '
import json, sys
v = json.loads(sys.argv[1])
assert any(o.get("name") == sys.argv[2] and o["ns"] == int(sys.argv[3])
           for o in v), v
' "$output" "$mine" "$OUT_NS"
}

@test "ls -A: names from each namespace's own /etc/passwd" {
	getent passwd 4242 >/dev/null && skip "uid 4242 has a name here"
	printf 'insider:x:4242:4242::/:/bin/sh\n' >"$BATS_TEST_TMPDIR/passwd"
	ipctool shm create "$N-out" --size 64 >/dev/null
	cleanup_later shm "$N-out"
	ipctool shm set "$N-out" --owner 4242
	# box 1 names only 4242, box 2 is as we are; 3 like 1 again
	start_box 1 'mount --bind "$D/passwd" /etc/passwd &&
	    "$I" shm set "$X" --owner 4242'
	start_box 2 '"$I" shm set "$X" --owner 4242'
	start_box 3 'mount --bind "$D/passwd" /etc/passwd &&
	    "$I" shm set "$X" --owner 4242'
	run_ipctool 0 shm ls -A -r -H -o ns,flavor,key,name,owner
	stderr_as_root_ok
	once "$OUT_NS posix - $N-out 4242"
	once "${NS[1]} posix - $N-1 insider"
	once "${NS[2]} posix - $N-2 4242"
	once "${NS[3]} posix - $N-3 insider"
	# root has no name in boxes 1 and 3, one in box 2 and here
	once "${NS[1]} sysv ${KEY[1]} - 0"
	once "${NS[2]} sysv ${KEY[2]} - root"
	once "${NS[3]} sysv ${KEY[3]} - 0"
	run_ipctool 0 ls -A --owner 4242 -r -H -o ns,name,owner
	once "${NS[1]} $N-1 insider"
	once "${NS[2]} $N-2 4242"
	once "$OUT_NS $N-out 4242"
	run_ipctool 0 ls -A --json -t shm
	python3 -c '
import json, sys
v = {o.get("name"): o for o in json.loads(sys.argv[1])}
assert v[sys.argv[2]]["owner"] == "insider", v[sys.argv[2]]
assert v[sys.argv[3]]["owner"] == "4242", v[sys.argv[3]]
' "$output" "$N-1" "$N-out"
	# and our own ls names as before
	run_ipctool 0 shm ls -r -H -o name,owner
	assert_line "$N-out 4242"
}

@test "ls -A: a /dev/shm shared by two IPC namespaces is listed once; their queues apart" {
	outside_objects
	# only a new IPC namespace: our /dev/shm, and our /dev/mqueue mount
	local k
	k=$(unique_key)
	unshare --ipc sh -c '"$1" shm create "key:$2" --size 64 >/dev/null &&
	    "$1" mq create "$3" >/dev/null &&
	    touch "$4/ready" && exec sleep 60' sh "$IPCTOOL" "$k" "$N-child" \
	    "$BATS_TEST_TMPDIR" >/dev/null 2>&1 3>&- &
	local c=$!
	kill_later "$c"
	wait_for 10 test -e "$BATS_TEST_TMPDIR/ready" || fail "no child"
	cns=$(ns_of "$c")
	[ "$cns" != "$OUT_NS" ]
	first=$(( cns < OUT_NS ? cns : OUT_NS ))
	run_ipctool 0 ls -A -r -H -o ns,type,flavor,key,name
	stderr_as_root_ok
	once "$first shm posix - $N-out"
	once "$first sem posix - $N-out"
	[ "$(grep -c -- " $N-out\$" <<<"$output")" -eq 3 ] || fail "$output"
	# System V objects and queues are each namespace's own
	once "$OUT_NS mq posix - $N-out"
	once "$OUT_NS shm sysv $KEY_OUT -"
	once "$cns shm sysv $k -"
	once "$cns mq posix - $N-child"
	refute_line "$OUT_NS mq posix - $N-child"
	refute_line "$cns mq posix - $N-out"
}

@test "ls -A: two /dev/shm that are two directories of one file system are both listed" {
	mkdir -m 1777 "$BATS_TEST_TMPDIR/shm.1" "$BATS_TEST_TMPDIR/shm.2"
	[ "$(stat -c %d "$BATS_TEST_TMPDIR/shm.1")" = \
	    "$(stat -c %d "$BATS_TEST_TMPDIR/shm.2")" ]
	BOX_SHM='mount --bind "$D/shm.$5" /dev/shm' start_box 1
	BOX_SHM='mount --bind "$D/shm.$5" /dev/shm' start_box 2
	[ -e "$BATS_TEST_TMPDIR/shm.2/${N#/}-2" ] || fail "box 2's shm elsewhere"
	run_ipctool 0 ls -A -t shm,sem -r -H -o ns,type,name
	stderr_as_root_ok
	for i in 1 2; do
		once "${NS[$i]} shm $N-$i"
		once "${NS[$i]} sem $N-$i"
	done
	[ "$(grep -c -- "$N-" <<<"$output")" -eq 4 ] || fail "$output"
}

@test "ls -A with --ns is a usage error, before or after the verb" {
	start_box 1
	run_ipctool 2 ls -A --ns "${BOX[1]}"
	assert_error_naming "--ns"
	[[ $stderr == *"--all-namespaces"* ]] || fail "$stderr"
	run_ipctool 2 shm ls --all-namespaces --ns "${BOX[1]}"
	assert_error_naming "--ns"
	run_ipctool 2 --ns "${BOX[1]}" ls -A
	assert_error_naming "--ns"
	run_ipctool 2 --ns "${BOX[1]}" mq ls -A
	assert_error_naming "--ns"
	# the usage error comes first, whatever the PID
	sh -c 'exit 0' &
	local dead=$!
	wait "$dead"
	run_ipctool 2 sem ls -A --ns "$dead"
	assert_error_naming "--all-namespaces"
	# -A belongs to ls alone
	run_ipctool 2 shm info -A "key:${KEY[1]}"
	assert_output ''
	run_ipctool 2 mq create -A "$N-x"
	run_ipctool 1 mq info "$N-x"
}

@test "--trace ls -A: the setns calls on stderr, the same listing on stdout" {
	outside_objects
	start_box 1
	start_box 2
	local cols=(-t shm,mq,sem -r -H -o ns,nspid,nscmd,type,flavor,key,name)
	run_ipctool 0 ls -A "${cols[@]}"
	plain=$(grep -F -e "$N-" -e "${KEY[1]}" -e "${KEY[2]}" -e "$KEY_OUT" <<<"$output")
	[ "$(wc -l <<<"$plain")" -eq 12 ] || fail "$output"
	run_ipctool 0 --trace ls -A "${cols[@]}"
	assert_equal "$(grep -F -e "$N-" -e "${KEY[1]}" -e "${KEY[2]}" -e "$KEY_OUT" <<<"$output")" "$plain"
	for i in 1 2; do
		grep -qF "<ipc:[${NS[$i]}]>, CLONE_NEWIPC) = 0" <<<"$stderr" ||
		    fail "no setns of box $i: $stderr"
		nspid=$(lowest_pid_in "${NS[$i]}")
		grep -qE "^setns\([0-9]+<pid $nspid's mnt>, CLONE_NEWNS\) = 0$" <<<"$stderr" ||
		    fail "no setns into box $i's mount namespace: $stderr"
	done
	grep -qE '^setns\([0-9]+<our ipc>, CLONE_NEWIPC\) = 0$' <<<"$stderr"
	grep -qE '^setns\([0-9]+<our mnt>, CLONE_NEWNS\) = 0$' <<<"$stderr"
	# our own namespace is not entered, nor any twice
	! grep -q "ipc:\[$OUT_NS\]" <<<"$stderr" || fail "$stderr"
	[ "$(grep -c "ipc:\[${NS[1]}\]" <<<"$stderr")" -eq 1 ] || fail "$stderr"
	# entering and leaving pair up
	[ "$(grep -c '<ipc:\[' <<<"$stderr")" -eq \
	    "$(grep -c '<our ipc>' <<<"$stderr")" ] || fail "$stderr"
	# the rest of the trace is the objects' calls, each system call one line
	grep -q '^shmctl(' <<<"$stderr"
}

@test "ls -A -t pipe,fifo: under the namespace of the process that holds them" {
	# a process holding a pipe of its own; its pid and the pipe's inode
	# in $1
	cat >"$BATS_TEST_TMPDIR/piper.py" <<'EOF'
import os, sys, time
r, w = os.pipe()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d %d\n" % (os.getpid(), os.fstat(r).st_ino))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(60)
EOF
	mkfifo "$BATS_TEST_TMPDIR/fifo.box" "$BATS_TEST_TMPDIR/fifo.out"
	start_box 1 'bg python3 "$D/piper.py" "$D/pipe.box" &&
	    bg sh -c "exec 7<>\"\$0\"; exec sleep 60" "$D/fifo.box" &&
	    held fifo.box'
	python3 "$BATS_TEST_TMPDIR/piper.py" "$BATS_TEST_TMPDIR/pipe.out" \
	    </dev/null >/dev/null 2>&1 3>&- &
	kill_later $!
	sh -c 'exec 7<>"$0"; exec sleep 60' "$BATS_TEST_TMPDIR/fifo.out" \
	    </dev/null >/dev/null 2>&1 3>&- &
	kill_later $!
	wait_for 10 sh -c "ls -l /proc/$!/fd | grep -q fifo.out"
	wait_for 10 test -e "$BATS_TEST_TMPDIR/pipe.box"
	wait_for 10 test -e "$BATS_TEST_TMPDIR/pipe.out"
	read -r boxpid boxino <"$BATS_TEST_TMPDIR/pipe.box"
	read -r outpid outino <"$BATS_TEST_TMPDIR/pipe.out"
	[ "$(ns_of "$boxpid")" = "${NS[1]}" ]
	run_ipctool 0 ls -A -t pipe --json
	stderr_as_root_ok
	python3 -c '
import json, sys
v = json.loads(sys.argv[1])
assert all(o["type"] == "pipe" for o in v), v
def pipe(ino, pid):
    p = [o for o in v if o["inode"] == ino]
    assert len(p) == 1, (ino, p)
    assert [h["pid"] for h in p[0]["readers"] + p[0]["writers"]] == \
        [pid, pid], p
    return p[0]
box = pipe(int(sys.argv[2]), int(sys.argv[3]))
assert box["ns"] == int(sys.argv[4]), box
assert box["nspid"] == int(sys.argv[5]) and box["nscmd"] == "sleep", box
out = pipe(int(sys.argv[6]), int(sys.argv[7]))
assert out["ns"] == int(sys.argv[8]), out
' "$output" "$boxino" "$boxpid" "${NS[1]}" "$(lowest_pid_in "${NS[1]}")" \
	    "$outino" "$outpid" "$OUT_NS"
	run_ipctool 0 ls -A -t fifo -r -H -o ns,type,ref
	once "${NS[1]} fifo $BATS_TEST_TMPDIR/fifo.box"
	once "$OUT_NS fifo $BATS_TEST_TMPDIR/fifo.out"
	# pipes and FIFOs are not per namespace: listed once, not per visit
	run_ipctool 0 ls -A -t pipe -r -H -o ns,ref
	[ "$(grep -c " $boxpid:" <<<"$output")" -eq 1 ] || fail "$output"
	grep -qE "^${NS[1]} $boxpid:[0-9]+\$" <<<"$output" || fail "$output"
}

@test "ls -A and --ns run no NSS module of a container (a dynamic ipctool)" {
	skip_under_valgrind "IPCTOOL is a wrapper"
	libc=$(ldd "$IPCTOOL" 2>/dev/null | awk '$1 ~ /^libc\.so/ { print $3 }')
	[ -n "$libc" ] || skip "a static ipctool asks no NSS"
	command -v cc >/dev/null || skip "no cc"
	d=$BATS_TEST_TMPDIR
	lib=$(dirname "$(readlink -f "$libc")")
	# a module whose loading leaves a mark, named by the box's
	# nsswitch.conf, in an overlay on the box's own library directory
	cat >"$d/evil.c" <<'EOF'
#include <nss.h>
#include <pwd.h>
#include <grp.h>
#include <stdio.h>
#include <unistd.h>
__attribute__((constructor)) static void
mark(void)
{
	char comm[32] = "";
	FILE *f = fopen("/proc/self/comm", "r");

	if (f != NULL) {
		fgets(comm, sizeof(comm), f);
		fclose(f);
	}
	if ((f = fopen(MARK, "a")) != NULL) {
		fprintf(f, "loaded in pid %d, %s", (int)getpid(), comm);
		fclose(f);
	}
}
enum nss_status
_nss_ipctest_getpwuid_r(uid_t u, struct passwd *p, char *b, size_t n, int *e)
{
	(void)u; (void)p; (void)b; (void)n; (void)e;
	return NSS_STATUS_NOTFOUND;
}
enum nss_status
_nss_ipctest_getgrgid_r(gid_t g, struct group *p, char *b, size_t n, int *e)
{
	(void)g; (void)p; (void)b; (void)n; (void)e;
	return NSS_STATUS_NOTFOUND;
}
EOF
	mkdir "$d/up" "$d/work"
	cc -shared -fPIC -DMARK="\"$d/mark\"" -o "$d/up/libnss_ipctest.so.2" \
	    "$d/evil.c" || skip "cannot build a shared object"
	printf 'passwd: ipctest files\ngroup: ipctest files\n' >"$d/nsswitch.conf"
	local ovl="mount -t overlay overlay -o lowerdir=$lib,upperdir=$d/up,workdir=$d/work $lib"
	unshare --mount --propagation private sh -c "$ovl" 2>/dev/null ||
	    skip "no overlay on $lib here"
	start_box 1 "$ovl"' && mount --bind "$D/nsswitch.conf" /etc/nsswitch.conf'
	# the trap works: a program of the box's own loads it
	nsenter -t "${BOX[1]}" -m getent passwd 0 >/dev/null || true
	[ -s "$d/mark" ] || skip "the box's NSS module does not load here"
	rm -f "$d/mark"
	run_ipctool 0 ls -A -t shm -r -H -o ns,name,owner,group
	once "${NS[1]} $N-1 root root"
	run_ipctool 0 --ns "${BOX[1]}" shm ls -r -H -o name,owner,group
	assert_line "$N-1 root root"
	run_ipctool 0 --ns "${BOX[1]}" shm set "$N-1" --owner root --group root
	[ ! -e "$d/mark" ] || fail "ipctool ran the box's module: $(cat "$d/mark")"
}
