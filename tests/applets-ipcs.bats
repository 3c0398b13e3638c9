#!/usr/bin/env bats
# ipctool started as ipcs (issue 14): util-linux 2.38.1's ipcs and the
# applet, run with the same arguments under LC_ALL=C TZ=UTC on the same
# objects at the same moment, must print the same stdout byte for byte and
# exit with the same status (stderr's wording may differ).  The objects
# (setup_file) live in a namespace of their own: owned by root, by nobody
# and by a uid with no passwd entry; private and keyed; attached, detached,
# removed while attached (dest) and locked; queues holding messages;
# semaphore sets of several semaphores with values.  Also an empty
# namespace, one with many objects, one with POSIX objects beside, and the
# checks util-linux's own tests/ts/ipcs make (headers, limits).

load helpers
load applets

# The uid and gid of an owner with no passwd or group entry.
NOUSER=4242

setup_file() {
	applets_setup_file
	ns_new fix
	CMP_NS=fix
	export CMP_NS
	local S=(sysv fix)
	SHM_KEYED=$("${S[@]}" shm 0x00a11001 4096 0600)
	SHM_PRIV=$("${S[@]}" shm 0 1048576 0644)
	SHM_NOBODY=$(sysv_as_nobody fix shm 0x00a11002 65536 0640)
	SHM_NOPASSWD=$(in_ns fix setpriv --reuid=$NOUSER --regid=$NOUSER \
	    --clear-groups -- "$APPLETS/sysv.pl" shm 0x00a11003 100 0666)
	SHM_TOUCHED=$("${S[@]}" shm 0x00a11004 8192 0600)
	"${S[@]}" touch "$SHM_TOUCHED"
	SHM_LOCKED=$("${S[@]}" shm 0x00a11005 4096 0600)
	"${S[@]}" lock "$SHM_LOCKED"
	SHM_HELD=$("${S[@]}" shm 0x00a11006 4096 0666)
	hold fix "$SHM_HELD" held
	SHM_DEST=$("${S[@]}" shm 0x00a11007 12288 0600)
	hold fix "$SHM_DEST" dest
	"${S[@]}" rm shm "$SHM_DEST"
	SHM_ODD=$("${S[@]}" shm 0x7fffffff 1 0000)

	MSG_EMPTY=$("${S[@]}" msg 0x00a12001 0600)
	MSG_FULL=$("${S[@]}" msg 0x00a12002 0644)
	"${S[@]}" send "$MSG_FULL" 1 one two three
	"${S[@]}" send "$MSG_FULL" 7 "a longer message of type seven"
	MSG_NOBODY=$(sysv_as_nobody fix msg 0x00a12003 0622)
	sysv_as_nobody fix send "$MSG_NOBODY" 2 x y
	sysv_as_nobody fix recv "$MSG_NOBODY"
	MSG_PRIV=$("${S[@]}" msg 0 0666)
	MSG_NOPASSWD=$(in_ns fix setpriv --reuid=$NOUSER --regid=$NOUSER \
	    --clear-groups -- "$APPLETS/sysv.pl" msg 0xfffffffe 0600)

	SEM_MANY=$("${S[@]}" sem 0x00a13001 5 0600)
	"${S[@]}" setall "$SEM_MANY" 0 1 2 3 32767
	"${S[@]}" semop "$SEM_MANY" 0:1 2:-1
	SEM_NOBODY=$(sysv_as_nobody fix sem 0x00a13002 1 0644)
	sysv_as_nobody fix semop "$SEM_NOBODY" 0:5
	SEM_PRIV=$("${S[@]}" sem 0 3 0666)
	SEM_NOPASSWD=$(in_ns fix setpriv --reuid=$NOUSER --regid=$NOUSER \
	    --clear-groups -- "$APPLETS/sysv.pl" sem 0x00a13003 2 0400)

	export SHM_KEYED SHM_PRIV SHM_NOBODY SHM_NOPASSWD SHM_TOUCHED \
	    SHM_LOCKED SHM_HELD SHM_DEST SHM_ODD MSG_EMPTY MSG_FULL \
	    MSG_NOBODY MSG_PRIV MSG_NOPASSWD SEM_MANY SEM_NOBODY SEM_PRIV \
	    SEM_NOPASSWD

	ns_new empty

	ns_new many
	sysv many many 300
}

teardown() {
	applets_teardown
}

teardown_file() {
	applets_teardown_file
}

# hold NS ID NAME: a process in NS attached to segment ID until
# teardown_file; returns once it is attached.
hold() {
	local f=$NS_DIR/hold-$3
	nsenter --target "$(ns_pid "$1")" --ipc --mount -- \
	    "$APPLETS/sysv.pl" hold "$2" 86400 </dev/null >"$f.out" 2>&1 3>&- &
	wait_for 10 grep -q attached "$f.out" || fail "could not attach $2: $(cat "$f.out")"
}

# ---- the fixture is what the tests think it is ----

@test "ipcs: the fixture holds every kind of object the comparisons need" {
	same_as_util_linux ipcs
	assert_line --regexp "^0x00000000 +$SHM_DEST +root +600 +12288 +1 +dest"
	assert_line --regexp "^0x00a11005 +$SHM_LOCKED +root +600 +4096 +0 +locked"
	assert_line --regexp "^0x00a11002 +$SHM_NOBODY +nobody +640 "
	assert_line --regexp "^0x00a11003 +$SHM_NOPASSWD +$NOUSER +666 "
	assert_line --regexp "^0x00a12002 +$MSG_FULL +root +644 +.* 4 +\$"
	assert_line --regexp "^0x00a13001 +$SEM_MANY +root +600 +5 +\$"
}

# ---- the listings, each output format, on every object ----

@test "ipcs: no options" {
	same_as_util_linux ipcs
}

@test "ipcs -a" {
	same_as_util_linux ipcs -a
}

@test "ipcs -m" {
	same_as_util_linux ipcs -m
}

@test "ipcs -q" {
	same_as_util_linux ipcs -q
}

@test "ipcs -s" {
	same_as_util_linux ipcs -s
}

@test "ipcs -m -q and -q -s -m (several resources)" {
	same_as_util_linux ipcs -m -q
	same_as_util_linux ipcs -q -s -m
}

@test "ipcs -t (attach, detach, change, send, receive, op times)" {
	same_as_util_linux ipcs -t
	assert_output --partial "Attach/Detach/Change Times"
}

@test "ipcs -m -t, -q -t, -s -t" {
	same_as_util_linux ipcs -m -t
	same_as_util_linux ipcs -q -t
	same_as_util_linux ipcs -s -t
}

@test "ipcs -p" {
	same_as_util_linux ipcs -p
}

@test "ipcs -m -p, -q -p, -s -p" {
	same_as_util_linux ipcs -m -p
	same_as_util_linux ipcs -q -p
	same_as_util_linux ipcs -s -p
}

@test "ipcs -c" {
	same_as_util_linux ipcs -c
}

@test "ipcs -m -c, -q -c, -s -c" {
	same_as_util_linux ipcs -m -c
	same_as_util_linux ipcs -q -c
	same_as_util_linux ipcs -s -c
}

@test "ipcs -u" {
	same_as_util_linux ipcs -u
}

@test "ipcs -m -u, -q -u, -s -u" {
	same_as_util_linux ipcs -m -u
	same_as_util_linux ipcs -q -u
	same_as_util_linux ipcs -s -u
}

@test "ipcs -l" {
	same_as_util_linux ipcs -l
}

@test "ipcs -m -l, -q -l, -s -l" {
	same_as_util_linux ipcs -m -l
	same_as_util_linux ipcs -q -l
	same_as_util_linux ipcs -s -l
}

@test "ipcs -l --bytes and -l -b" {
	same_as_util_linux ipcs -l --bytes
	same_as_util_linux ipcs -l -b
	same_as_util_linux ipcs -m -l -b
}

@test "ipcs -l --human, -m -l --human, -q -l --human" {
	same_as_util_linux ipcs -l --human
	same_as_util_linux ipcs -m -l --human
	same_as_util_linux ipcs -q -l --human
}

@test "ipcs --human and -b without -l change nothing" {
	same_as_util_linux ipcs --human
	same_as_util_linux ipcs -b
	same_as_util_linux ipcs -m -b
}

@test "ipcs: of several output formats the last one counts" {
	same_as_util_linux ipcs -t -p
	same_as_util_linux ipcs -a -c -t
	same_as_util_linux ipcs -l -u
	same_as_util_linux ipcs -m -u -l -c
}

# ---- -i ID ----

@test "ipcs -m -i: a keyed segment, a private one, one of nobody's" {
	same_as_util_linux ipcs -m -i "$SHM_KEYED"
	same_as_util_linux ipcs -m -i "$SHM_PRIV"
	same_as_util_linux ipcs -m -i "$SHM_NOBODY"
	assert_output --partial "shmid=$SHM_NOBODY"
}

@test "ipcs -m -i: a segment whose owner has no passwd entry, one of mode 0 and 1 byte" {
	same_as_util_linux ipcs -m -i "$SHM_NOPASSWD"
	same_as_util_linux ipcs -m -i "$SHM_ODD"
}

@test "ipcs -m -i: attach and detach times set, never attached (Not set)" {
	same_as_util_linux ipcs -m -i "$SHM_TOUCHED"
	refute_output --partial "Not set"
	same_as_util_linux ipcs -m -i "$SHM_KEYED"
	assert_output --partial "Not set"
}

@test "ipcs -m -i: locked, attached, removed while attached (dest)" {
	same_as_util_linux ipcs -m -i "$SHM_LOCKED"
	same_as_util_linux ipcs -m -i "$SHM_HELD"
	assert_output --partial "nattch=1"
	same_as_util_linux ipcs -m -i "$SHM_DEST"
}

@test "ipcs -q -i: empty, holding messages, sent and received by nobody" {
	same_as_util_linux ipcs -q -i "$MSG_EMPTY"
	same_as_util_linux ipcs -q -i "$MSG_FULL"
	assert_output --partial "qnum=4"
	same_as_util_linux ipcs -q -i "$MSG_NOBODY"
	same_as_util_linux ipcs -q -i "$MSG_PRIV"
	same_as_util_linux ipcs -q -i "$MSG_NOPASSWD"
}

@test "ipcs -s -i: five semaphores with values, one of nobody's, never operated on" {
	same_as_util_linux ipcs -s -i "$SEM_MANY"
	assert_line --regexp '^4 +32767 '
	same_as_util_linux ipcs -s -i "$SEM_NOBODY"
	same_as_util_linux ipcs -s -i "$SEM_PRIV"
	same_as_util_linux ipcs -s -i "$SEM_NOPASSWD"
}

@test "ipcs -i ID before the resource, and with an output format (which -i ignores)" {
	same_as_util_linux ipcs -i "$SHM_KEYED" -m
	same_as_util_linux ipcs -s -i "$SEM_MANY" -t
	same_as_util_linux ipcs -q -c -i "$MSG_FULL"
}

@test "ipcs -i of an id nothing has: the message on stderr, status 0" {
	same_as_util_linux ipcs -m -i 999999
	same_as_util_linux ipcs -q -i 999999
	same_as_util_linux ipcs -s -i 999999
	[ -n "$applet_stderr" ] || fail "nothing on stderr"
}

@test "ipcs -i of a number that is an id of another kind only" {
	# One id space per kind: SEM_MANY as a queue id may be a queue or
	# nothing; both must agree either way.
	same_as_util_linux ipcs -q -i "$SEM_MANY"
	same_as_util_linux ipcs -m -i "$MSG_NOBODY"
}

# ---- long option names ----

@test "ipcs --shmems, --queues, --semaphores, --all" {
	same_as_util_linux ipcs --shmems
	same_as_util_linux ipcs --queues
	same_as_util_linux ipcs --semaphores
	same_as_util_linux ipcs --all
}

@test "ipcs --id with --shmems, --queues, --semaphores; --id=ID" {
	same_as_util_linux ipcs --shmems --id "$SHM_HELD"
	same_as_util_linux ipcs --queues --id "$MSG_FULL"
	same_as_util_linux ipcs --semaphores --id="$SEM_MANY"
}

@test "ipcs --limits, --summary, --time, --pid, --creator" {
	same_as_util_linux ipcs --limits
	same_as_util_linux ipcs --summary
	same_as_util_linux ipcs --time
	same_as_util_linux ipcs --pid
	same_as_util_linux ipcs --creator
}

@test "ipcs --limits --bytes, --limits --human, --shmems --limits --bytes" {
	same_as_util_linux ipcs --limits --bytes
	same_as_util_linux ipcs --limits --human
	same_as_util_linux ipcs --shmems --limits --bytes
}

@test "ipcs --help and -h: exit 0 as util-linux's, naming every option its help names" {
	# The words of the help are ours (util-linux's prose is not to be
	# copied); the options it lists are the interface.
	local opt want
	want=$(/usr/bin/ipcs --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$want" ]
	for flag in --help -h; do
		run "$APPLETS/ipcs" "$flag"
		assert_success
		for opt in $want; do
			assert_output --partial -- "$opt"
		done
	done
}

# ---- errors: the status and stdout agree, and the applet says why ----

# error_case ARGS...: a bad call compared, then that the applet complained
# on stderr; the good call beside it in each test shows the applet is not
# merely failing at everything.
error_case() {
	same_as_util_linux ipcs "$@"
	[ "$status" -ne 0 ] || fail "util-linux accepted ipcs $*"
	[ -n "$applet_stderr" ] || fail "the applet said nothing on stderr for ipcs $*"
}

@test "ipcs: an unknown option, short or long, is status 1, nothing on stdout" {
	error_case -x
	error_case --bogus
	error_case -m -Z
	same_as_util_linux ipcs -m
}

@test "ipcs -i without a resource, or with two, is refused" {
	error_case -i "$SHM_KEYED"
	error_case -m -q -i "$SHM_KEYED"
	error_case -a -i "$SHM_KEYED"
	same_as_util_linux ipcs -m -i "$SHM_KEYED"
}

@test "ipcs -i with a bad number, or none, is refused" {
	error_case -m -i abc
	error_case -m -i 12x
	error_case -m -i ''
	error_case -m -i 99999999999
	error_case -m -i
	same_as_util_linux ipcs -m -i "$SHM_KEYED"
}

@test "ipcs -V: the same status" {
	cmp_dir
	run_prog ul "$CMP_NS" ipcs -V
	run_prog applet "$CMP_NS" ipcs -V
	assert_equal "$(cat "$CMP_DIR/applet.status")" "$(cat "$CMP_DIR/ul.status")"
	[ -s "$CMP_DIR/applet.out" ] || fail "ipcs -V printed nothing"
}

# ---- other users ----

@test "ipcs as nobody: the listings and -i of root's 0600 objects" {
	AS_USER=nobody same_as_util_linux ipcs
	AS_USER=nobody same_as_util_linux ipcs -c
	AS_USER=nobody same_as_util_linux ipcs -m -i "$SHM_KEYED"
	AS_USER=nobody same_as_util_linux ipcs -q -i "$MSG_EMPTY"
	AS_USER=nobody same_as_util_linux ipcs -s -i "$SEM_MANY"
}

@test "ipcs as a uid with no passwd entry" {
	AS_USER=$NOUSER AS_GROUP=$NOUSER same_as_util_linux ipcs -a
	AS_USER=$NOUSER AS_GROUP=$NOUSER same_as_util_linux ipcs -t
}

# ---- empty tables ----

@test "ipcs with no objects at all: default, -a, -m, -q, -s" {
	same_in empty ipcs
	same_in empty ipcs -a
	same_in empty ipcs -m
	same_in empty ipcs -q
	same_in empty ipcs -s
}

@test "ipcs with no objects: -t, -p, -c, -u and -a -t -p" {
	same_in empty ipcs -t
	same_in empty ipcs -p
	same_in empty ipcs -c
	same_in empty ipcs -u
	same_in empty ipcs -a -t -p
}

# ---- many objects ----

@test "ipcs over 900 objects: default and -u" {
	same_in many ipcs
	[ "${#lines[@]}" -gt 900 ] || fail "only ${#lines[@]} lines"
	same_in many ipcs -u
}

@test "ipcs over 900 objects: -t, -p, -c" {
	same_in many ipcs -t
	same_in many ipcs -p
	same_in many ipcs -c
}

# ---- POSIX objects beside: 2.38's output does not change ----

@test "ipcs: POSIX shared memory, queues and semaphores beside change no 2.38 output" {
	ns_new px
	sysv px shm 0x00b00001 4096 0600 >/dev/null
	sysv px msg 0x00b00002 0600 >/dev/null
	sysv px sem 0x00b00003 2 0600 >/dev/null
	in_ns px python3 -c '
import os, ctypes
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(name="ipct-px-shm", create=True, size=8192)
resource_tracker.unregister(m._name, "shared_memory")
fd = os.open("/dev/mqueue/ipct-px-mq", os.O_CREAT | os.O_RDWR, 0o600)
' || fail "could not make POSIX shm and mq"
	in_ns px "$IPCTOOL" sem create /ipct-px-sem >/dev/null ||
	    in_ns px sh -c 'head -c 32 /dev/zero >/dev/shm/sem.ipct-px-sem'
	[ -e /proc/$(ns_pid px)/root/dev/shm/ipct-px-shm ] ||
	    in_ns px test -e /dev/shm/ipct-px-shm || fail "no POSIX segment"
	in_ns px test -e /dev/mqueue/ipct-px-mq || fail "no POSIX queue"
	local a
	for a in "" -a -m -q -s -t -p -c -u -l; do
		same_in px ipcs $a
		refute_output --partial ipct-px
	done
}

# ---- what util-linux's tests/ts/ipcs check, on the applet ----

# The section titles ("------ ... --------") and the column header line
# after each, of the applet's own output.
headers_of() {
	in_ns "$CMP_NS" env LC_ALL=C "$APPLETS/ipcs" "$@" | grep -A1 '^---'
}

@test "ipcs headers (ts/ipcs/headers): shm, msg and sem sections in -t, -p, -c, -l, -u" {
	local r f
	for r in -m -q -s; do
		for f in -t -p -c -l -u; do
			# 2.38 has no PID view of semaphores: -s -p prints nothing.
			[ "$r $f" != "-s -p" ] || continue
			run headers_of $r $f
			assert_success
			assert_line --regexp '^------ .* --------$'
		done
	done
	run headers_of -s -p
	assert_output ''
	same_as_util_linux ipcs -s -p
	run headers_of -m -t
	assert_line "------ Shared Memory Attach/Detach/Change Times --------"
	assert_line --regexp '^shmid +owner +attached +detached +changed +$'
	run headers_of -q -p
	assert_line "------ Message Queues PIDs --------"
	assert_line --regexp '^msqid +owner +lspid +lrpid +$'
	run headers_of -s -c
	assert_line "------ Semaphore Arrays Creators/Owners --------"
	assert_line --regexp '^semid +perms +cuid +cgid +uid +gid +$'
	run headers_of -m -l
	assert_line "------ Shared Memory Limits --------"
	run headers_of -s -u
	assert_line "------ Semaphore Status --------"
}

@test "ipcs headers (ts/ipcs/headers): -a and -a with -t, -p, -c, -l, -u, three sections each" {
	local f n want
	for f in "" -t -p -c -l -u; do
		n=$(in_ns "$CMP_NS" env LC_ALL=C "$APPLETS/ipcs" -a $f | grep -c '^------ ')
		want=3
		[ "$f" != -p ] || want=2	# no semaphore section in -p
		assert_equal "$n" "$want"
		same_as_util_linux ipcs -a $f
	done
	run headers_of -a
	assert_line "------ Message Queues --------"
	assert_line --regexp '^key +msqid +owner +perms +used-bytes +messages +$'
	assert_line "------ Shared Memory Segments --------"
	assert_line --regexp '^key +shmid +owner +perms +bytes +nattch +status +$'
	assert_line "------ Semaphore Arrays --------"
	assert_line --regexp '^key +semid +owner +perms +nsems +$'
}

# shm_limits_agree NS: `ipcs -m -l` of the applet in NS says what
# /proc/sys/kernel/shm{mni,all,max} of NS hold (shmall in pages, shown in
# KiB; shmmax in bytes, shown in KiB; the KiB capped where util-linux's
# u64 arithmetic saturates).
shm_limits_agree() {
	local out mni all max page kmax
	out=$(in_ns "$1" env LC_ALL=C "$APPLETS/ipcs" -m -l)
	read -r mni <<<"$(in_ns "$1" cat /proc/sys/kernel/shmmni)"
	read -r all <<<"$(in_ns "$1" cat /proc/sys/kernel/shmall)"
	read -r max <<<"$(in_ns "$1" cat /proc/sys/kernel/shmmax)"
	page=$(getconf PAGESIZE)
	kmax=$(python3 -c "
u = 2**64 - 1
k = $page // 1024
cap = u - u % k
a = $all * $page // 1024
m = $max // 1024
print(min(a, cap), min(m, cap))")
	set -- $kmax
	assert_equal "$(awk '/max number of segments/ { print $6 }' <<<"$out")" "$mni"
	assert_equal "$(awk '/max total shared memory/ { print $7 }' <<<"$out")" "$1"
	assert_equal "$(awk '/max seg size/ { print $6 }' <<<"$out")" "$2"
}

@test "ipcs -m -l agrees with /proc/sys/kernel (ts/ipcs/limits2)" {
	shm_limits_agree "$CMP_NS"
}

@test "ipcs -m -l at 32-bit maxima and at 2^64-1 (ts/ipcs/limits)" {
	ns_new lim
	in_ns lim sh -c 'echo 32768 >/proc/sys/kernel/shmmni;
	    echo 4294967295 >/proc/sys/kernel/shmall;
	    echo 4294967295 >/proc/sys/kernel/shmmax'
	shm_limits_agree lim
	same_in lim ipcs -l
	same_in lim ipcs -m -l -b
	in_ns lim sh -c 'echo 18446744073709551615 >/proc/sys/kernel/shmall;
	    echo 18446744073709551615 >/proc/sys/kernel/shmmax'
	same_in lim ipcs -m -l
	same_in lim ipcs -m -l --bytes
	same_in lim ipcs -m -l --human
	same_in lim ipcs -u
}
