#!/usr/bin/env bats
# ls's filters: --owner, --older-than, --unused and --flavor, alone and
# together, on shm, mq and sem (both flavours), fifo, pipe and the
# top-level ls; as root and as nobody.  What each object is, is checked
# from outside: ipcs, stat on /dev/shm and /dev/mqueue, Perl's IPC::SysV.

load helpers

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# refs OBJECT-OR-EMPTY ARGS...: the refs ls prints, one a line, in $output.
refs() {
	local obj=$1
	shift
	run_ipctool 0 $obj ls -o ref -H --raw "$@"
}

# made OBJECT FLAVOR [USER]: a new object of that flavour; its ref on stdout.
made() {
	local obj=$1 flavor=$2 run=() ref size=()
	[ "${3:-}" != nobody ] || run=(as_nobody)
	[ "$obj" != shm ] || size=(-s 4096)
	if [ "$flavor" = sysv ]; then
		ref=$("${run[@]}" "$IPCTOOL" "$obj" create "key:$(unique_key)" "${size[@]}")
	else
		ref=$(unique_name)
		"${run[@]}" "$IPCTOOL" "$obj" create "$ref" "${size[@]}" >/dev/null
	fi
	cleanup_later "$obj" "$ref"
	echo "$ref"
}

has() { grep -qxF -- "$1" <<<"$output"; }
lacks() { ! grep -qxF -- "$1" <<<"$output"; }

# The owner of an object, from outside: ipcs for System V, stat for POSIX.
outside_owner() {
	local obj=$1 ref=$2 flag dir=/dev/shm prefix=
	case $obj in shm) flag=-m ;; mq) flag=-q; dir=/dev/mqueue ;;
	    sem) flag=-s; prefix=sem. ;; esac
	if [[ $ref =~ ^[0-9]+$ ]]; then
		ipcs "$flag" -i "$ref" | tr '\t ' '\n\n' | sed -n 's/^uid=//p' |
		    head -n 1
	else
		stat -c %u "$dir/$prefix${ref#/}"
	fi
}

@test "bad values: one line, exit 2, nothing on stdout, on every ls" {
	for obj in shm mq sem fifo pipe ""; do
		run_ipctool 2 $obj ls --flavor both
		assert_output ''
		[[ $stderr == "ipctool: "*"--flavor"* ]] || fail "$stderr"
		run_ipctool 2 $obj ls --older-than soon
		[[ $stderr == *"--older-than"* ]] || fail "$stderr"
		run_ipctool 2 $obj ls --owner no-such-user-here
		[[ $stderr == *"no-such-user-here"* ]] || fail "$stderr"
		run_ipctool 2 $obj ls --unused=yes
		[ "$(wc -l <<<"$stderr")" -eq 1 ] || fail "$stderr"
	done
}

@test "bad values fail before any system call: --trace shows none" {
	run_ipctool 2 --trace shm ls --older-than 1x
	[ "$(wc -l <<<"$stderr")" -eq 1 ] || fail "$stderr"
}

@test "every ls names the filters in --help" {
	for obj in shm mq sem fifo pipe ""; do
		run_ipctool 0 $obj ls --help
		for o in -U,\ --owner --older-than --unused --flavor; do
			[[ $output == *"$o"* ]] || fail "$obj ls --help: no $o"
		done
	done
}

@test "--flavor: only that flavour, on shm, mq, sem and ls; no pipes or FIFOs" {
	for obj in shm mq sem; do
		s=$(made $obj sysv)
		p=$(made $obj posix)
		refs $obj --flavor sysv
		has "$s" && lacks "$p" || fail "$obj sysv: $output"
		refs $obj --flavor posix
		has "$p" && lacks "$s" || fail "$obj posix: $output"
		run_ipctool 0 ls --flavor posix -o type,flavor,ref -H --raw
		grep -qx "$obj posix $p" <<<"$output" || fail "ls: $output"
		! grep -q sysv <<<"$output" || fail "ls: $output"
	done
	! grep -qE '^(pipe|fifo) ' <<<"$output" || fail "$output"
	# from outside: ipcs knows the System V ones by their ids
	ipcs -m | grep -qw "$(ipctool shm ls --flavor sysv -o id -H --raw |
	    head -n 1)"
}

@test "--owner USER and UID: only that user's objects (ipcs, stat agree)" {
	for obj in shm mq sem; do
		for fl in sysv posix; do
			mine=$(made $obj $fl)
			theirs=$(made $obj $fl nobody)
			[ "$(outside_owner $obj "$theirs")" = 65534 ] ||
			    fail "$obj $theirs not nobody's"
			[ "$(outside_owner $obj "$mine")" = 0 ] ||
			    fail "$obj $mine not root's"
			refs $obj --owner nobody
			has "$theirs" && lacks "$mine" || fail "$obj: $output"
			refs $obj --owner 65534 --flavor $fl
			has "$theirs" && lacks "$mine" || fail "$obj: $output"
			refs $obj -U root
			has "$mine" && lacks "$theirs" || fail "$obj: $output"
		done
	done
	run_ipctool 0 ls --owner nobody -o owner -H --raw
	[ "$(sort -u <<<"$output")" = nobody ] || fail "$output"
}

@test "--owner: Perl's IPC::SysV sees the segment ls --owner nobody shows as nobody's" {
	theirs=$(made shm sysv nobody)
	refs shm --owner nobody --flavor sysv
	has "$theirs" || fail "$output"
	uid=$(perl -MIPC::SysV=IPC_STAT -e '
	    my $buf; shmctl($ARGV[0], IPC_STAT, $buf) or die "$!";
	    my @f = unpack("i*", $buf); print $f[1], "\n"' "$theirs")
	[ "$uid" = 65534 ] || fail "perl says uid $uid"
}

@test "--older-than: objects made before, not after; each kind and ls" {
	fdir=$BATS_TEST_TMPDIR/fifos
	mkdir -p "$fdir"
	declare -A old new
	for obj in shm mq sem; do
		for fl in sysv posix; do
			old[$obj.$fl]=$(made $obj $fl)
		done
	done
	mkfifo "$fdir/old"
	# Old ones 4 s old, new ones checked within 3 s of their making,
	# even on a loaded machine.
	sleep 4
	for obj in shm mq sem; do
		for fl in sysv posix; do
			new[$obj.$fl]=$(made $obj $fl)
		done
	done
	mkfifo "$fdir/new"
	for obj in shm mq sem; do
		refs $obj --older-than 3s
		for fl in sysv posix; do
			has "${old[$obj.$fl]}" && lacks "${new[$obj.$fl]}" ||
			    fail "$obj $fl: $output"
		done
		refs "" --older-than 3s --type $obj
		has "${old[$obj.sysv]}" && lacks "${new[$obj.posix]}" ||
		    fail "ls $obj: $output"
	done
	refs fifo "$fdir" --older-than 3s
	has "$fdir/old" && lacks "$fdir/new" || fail "fifo: $output"
	refs shm --older-than 1m
	lacks "${old[shm.sysv]}" || fail "1m: $output"
}

# hold_bg CMD...: a background holder, killed in teardown; its pid in $!.
hold_bg() {
	"$@" >/dev/null 2>&1 &
	kill_later $!
}

maps_of() { grep -q "$2" "/proc/$1/maps" 2>/dev/null; }
fd_of() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q -- "$2"; }

@test "--unused: System V shm by nattch; POSIX shm and sem by maps; POSIX mq by fds" {
	idle=$(made shm sysv)
	busy=$(made shm sysv)
	hold_bg "$IPCTOOL" shm attach "$busy" -w 30s
	wait_for 10 sh -c "ipcs -m -i $busy | grep -q 'nattch=1'"
	pidle=$(made shm posix)
	pbusy=$(made shm posix)
	hold_bg "$IPCTOOL" shm attach "$pbusy" -w 30s
	wait_for 10 maps_of $! "/dev/shm${pbusy}"
	refs shm --unused
	has "$idle" && lacks "$busy" && has "$pidle" && lacks "$pbusy" ||
	    fail "shm: $output"
	[ "$(ipcs -m -i "$idle" | tr '\t ' '\n\n' | sed -n 's/^nattch=//p')" \
	    = 0 ]

	sidle=$(made sem posix)
	sbusy=$(made sem posix)
	hold_bg "$IPCTOOL" sem wait "$sbusy" -w 30s
	wait_for 10 maps_of $! "sem.${sbusy#/}"
	ssysv=$(made sem sysv)
	refs sem --unused
	has "$sidle" && lacks "$sbusy" || fail "sem: $output"
	lacks "$ssysv" || fail "System V sets are never --unused: $output"

	qidle=$(made mq posix)
	qbusy=$(made mq posix)
	hold_bg "$IPCTOOL" mq recv "$qbusy" -w 30s
	wait_for 10 fd_of $! "${qbusy}"
	qsysv=$(made mq sysv)
	refs mq --unused
	has "$qidle" && lacks "$qbusy" || fail "mq: $output"
	lacks "$qsysv" || fail "System V queues are never --unused: $output"

	refs "" --unused
	has "$idle" && has "$pidle" && has "$sidle" && has "$qidle" &&
	    lacks "$busy" && lacks "$pbusy" && lacks "$sbusy" &&
	    lacks "$qbusy" || fail "ls: $output"
}

@test "--unused: a segment Python's shared_memory holds is in use" {
	name=$(made shm posix)
	hold_bg python3 -c '
import sys, time
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(name=sys.argv[1])
resource_tracker.unregister(m._name, "shared_memory")
time.sleep(30)' "${name#/}"
	wait_for 10 maps_of $! "/dev/shm${name}"
	refs shm --unused
	lacks "$name" || fail "$output"
}

@test "--unused: FIFOs nobody holds; pipes never (a pipe is held or gone)" {
	fdir=$BATS_TEST_TMPDIR/fifos
	mkdir -p "$fdir"
	mkfifo "$fdir/idle" "$fdir/busy"
	hold_bg sh -c 'exec 3<>"$1"; sleep 30' sh "$fdir/busy"
	wait_for 10 fd_of $! "$fdir/busy"
	refs fifo "$fdir" --unused
	has "$fdir/idle" && lacks "$fdir/busy" || fail "$output"
	refs pipe --unused
	assert_output ''
	refs "" --unused --type pipe,fifo
	assert_output ''
}

@test "filters combine: --unused --older-than --flavor --owner" {
	old_idle=$(made shm posix)
	old_busy=$(made shm posix)
	old_sysv=$(made shm sysv)
	theirs=$(made shm posix nobody)
	hold_bg "$IPCTOOL" shm attach "$old_busy" -w 30s
	wait_for 10 maps_of $! "/dev/shm${old_busy}"
	sleep 4
	new_idle=$(made shm posix)
	refs shm --unused --older-than 3s --flavor posix --owner root
	has "$old_idle" || fail "$output"
	for r in "$old_busy" "$old_sysv" "$theirs" "$new_idle"; do
		lacks "$r" || fail "$r in $output"
	done
}

@test "--json: the same objects, typed" {
	p=$(made shm posix)
	s=$(made shm sysv)
	run_ipctool 0 ls --json --unused --flavor sysv --type shm
	python3 -c '
import json, sys
v = json.loads(sys.argv[1])
ids = [o["id"] for o in v]
assert all(o["flavor"] == "sysv" and o["type"] == "shm" for o in v), v
assert int(sys.argv[2]) in ids, ids
assert all(isinstance(i, int) for i in ids), ids
' "$output" "$s"
	! grep -qF "\"$p\"" <<<"$output" || fail "$output"
}

@test "the one-liner: ipctool(1)'s xargs removes only the old unused ones" {
	old_idle=$(made shm posix)
	old_sysv=$(made shm sysv)
	old_busy=$(made shm posix)
	hold_bg "$IPCTOOL" shm attach "$old_busy" -w 30s
	wait_for 10 maps_of $! "/dev/shm${old_busy}"
	sleep 4
	new_idle=$(made shm posix)
	grep -qF 'ipctool shm ls --unused --older-than 1d -o ref -H --raw | xargs -r -n1 ipctool shm rm' "$BATS_TEST_DIRNAME/../man/ipctool.1"
	PATH=$(dirname "$IPCTOOL"):$PATH
	run sh -c "$IPCTOOL shm ls --unused --older-than 3s -o ref -H --raw |
	    xargs -r -n1 $IPCTOOL shm rm"
	[ "$status" -eq 0 ] || fail "$output"
	[ ! -e "/dev/shm$old_idle" ] || fail "$old_idle still there"
	! ipcs -m | awk '{ print $2 }' | grep -qx "$old_sysv" ||
	    fail "$old_sysv still there"
	[ -e "/dev/shm$old_busy" ] || fail "$old_busy went"
	[ -e "/dev/shm$new_idle" ] || fail "$new_idle went"
}

@test "as nobody: --owner, --flavor, --older-than and --unused work" {
	mine=$(made shm posix nobody)
	sysv=$(made shm sysv nobody)
	roots=$(made shm posix)
	sleep 4
	new=$(made shm posix nobody)
	run --separate-stderr as_nobody "$IPCTOOL" shm ls -o ref -H --raw \
	    --owner nobody --older-than 3s
	[ "$status" -eq 0 ] || fail "$stderr"
	has "$mine" && has "$sysv" && lacks "$roots" && lacks "$new" ||
	    fail "$output"
	run --separate-stderr as_nobody "$IPCTOOL" ls -o ref -H --raw \
	    --flavor posix --unused --owner nobody
	[ "$status" -eq 0 ] || fail "$stderr"
	has "$mine" && has "$new" && lacks "$sysv" && lacks "$roots" ||
	    fail "$output"
	# processes nobody may not look into: said, on one line
	[[ -z $stderr || $stderr == "ipctool: ls: partial view: "* ]] ||
	    fail "$stderr"
	run --separate-stderr as_nobody "$IPCTOOL" ls --flavor nope
	[ "$status" -eq 2 ] && [ -z "$output" ] || fail "$status $output"
}
