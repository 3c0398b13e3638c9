#!/usr/bin/env bats
# ipctool started as ipcrm (issue 14).  Each comparison makes the same
# objects in two fresh namespaces (the same steps give the same ids and
# keys), runs util-linux 2.38.1's ipcrm in one and the applet in the other
# with the same arguments, as root or as nobody, and compares stdout, the
# exit status and which objects remain.  Then the POSIX options of
# util-linux 2.41 (--posix-shmem, --posix-mqueue, --posix-semaphore,
# --all=pshm|pmsg|psem, -a), checked against its documented behaviour on
# /dev/shm and /dev/mqueue from outside.

load helpers
load applets

setup_file() {
	applets_setup_file
}

teardown_file() {
	applets_teardown_file
}

teardown() {
	applets_teardown
}

# make_set NS: in a fresh namespace, always the same objects, so the same
# ids: of each kind id 0 is root's and keyed, id 1 nobody's and keyed, id
# 2 root's and private.
#   shm 0x00c10001 (4096, 0600), 0x00c10002 (nobody, 0600), private (0644)
#   msg 0x00c20001 (two messages), 0x00c20002 (nobody), private
#   sem 0x00c30001 (3 semaphores), 0x00c30002 (nobody, 1), private (2)
make_set() {
	local ns=$1 ids
	ids=$(sysv "$ns" shm 0x00c10001 4096 0600
	    sysv_as_nobody "$ns" shm 0x00c10002 8192 0600
	    sysv "$ns" shm 0 100 0644
	    sysv "$ns" msg 0x00c20001 0600
	    sysv_as_nobody "$ns" msg 0x00c20002 0600
	    sysv "$ns" msg 0 0666
	    sysv "$ns" sem 0x00c30001 3 0600
	    sysv_as_nobody "$ns" sem 0x00c30002 1 0600
	    sysv "$ns" sem 0 2 0644)
	assert_equal "$(echo $ids)" "0 1 2 0 1 2 0 1 2"
	sysv "$ns" send 0 1 hello world
}

# ipcrm_same ARGS...: make_set in namespaces ul and ap, util-linux's ipcrm
# ARGS in ul and the applet's in ap (as $AS_USER when set); stdout, status
# and the objects left must agree.  $output and $status are util-linux's,
# $left what remains (util-linux's ipcs -a).
ipcrm_same() {
	ns_new ul
	ns_new ap
	make_set ul
	make_set ap
	ipcrm_same_here "$@"
}

# ipcrm_same_here ARGS...: the same on whatever ul and ap hold now.
ipcrm_same_here() {
	cmp_dir
	local before
	before=$(sysv_state ul)
	run_prog ul ul ipcrm "$@"
	run_prog applet ap ipcrm "$@"
	cmp_report "ipcrm $*" || return 1
	left=$(sysv_state ul)
	local theirs
	theirs=$(sysv_state ap)
	if [ "$left" != "$theirs" ]; then
		printf '# ipcrm %s: objects left differ (util-linux, applet):\n' "$*" >&2
		diff -u <(echo "$left") <(echo "$theirs") | sed 's/^/# /' >&2
		return 1
	fi
	[ "$before" != "$left" ] || [ -n "${NOTHING_GOES:-}" ] ||
	    fail "util-linux's ipcrm $* removed nothing: not a test"
}

# left_has KIND ID: $left (ipcs -a) lists that id under that kind.
left_has() {
	awk -v kind="$1" -v id="$2" '
	    /Message Queues/ { k = "msg" } /Shared Memory/ { k = "shm" }
	    /Semaphore Arrays/ { k = "sem" }
	    /^0x/ && k == kind && $2 == id { found = 1 }
	    END { exit !found }' <<<"$left"
}

# ---- by id and by key ----

@test "ipcrm -m ID" {
	ipcrm_same -m 0
	! left_has shm 0 && left_has shm 1
}

@test "ipcrm -q ID (a queue holding messages)" {
	ipcrm_same -q 0
	! left_has msg 0 && left_has msg 1
}

@test "ipcrm -s ID" {
	ipcrm_same -s 2
	! left_has sem 2 && left_has sem 0
}

@test "ipcrm -M KEY, hex and decimal" {
	ipcrm_same -M 0x00c10001
	! left_has shm 0
	ipcrm_same_here -M $((0x00c10002))
}

@test "ipcrm -Q KEY and -S KEY" {
	ipcrm_same -Q 0x00c20001 -S 0x00c30002
	! left_has msg 0 && ! left_has sem 1
}

@test "ipcrm: ids and keys of every kind in one call" {
	ipcrm_same -m 2 -q 1 -s 0 -M 0x00c10001 -Q 0x00c20002
	left_has shm 1 && left_has sem 1
}

@test "ipcrm: ids in octal and hexadecimal are not ids (strtos32 is decimal) or are: as util-linux" {
	ipcrm_same -m 0 -q 0x1
	NOTHING_GOES=1 ipcrm_same_here -s 02
}

# ---- -a and --all ----

@test "ipcrm -a removes every object" {
	ipcrm_same -a
	[ -z "$(grep '^0x' <<<"$left")" ] || fail "left: $left"
}

@test "ipcrm --all=shm" {
	ipcrm_same --all=shm
	! left_has shm 0 && left_has msg 0 && left_has sem 0
}

@test "ipcrm --all=msg" {
	ipcrm_same --all=msg
	left_has shm 0 && ! left_has msg 0 && left_has sem 0
}

@test "ipcrm --all=sem" {
	ipcrm_same --all=sem
	left_has shm 0 && left_has msg 0 && ! left_has sem 0
}

@test "ipcrm -a with a segment still attached: it is marked dest, the rest go" {
	ns_new ul
	ns_new ap
	local ns
	for ns in ul ap; do
		make_set $ns
		nsenter --target "$(ns_pid $ns)" --ipc --mount -- \
		    "$APPLETS/sysv.pl" hold 0 86400 </dev/null >"$BATS_TEST_TMPDIR/hold.$ns" 2>&1 3>&- &
		wait_for 10 grep -q attached "$BATS_TEST_TMPDIR/hold.$ns" || fail "no attach"
	done
	ipcrm_same_here -a
	grep -q 'dest' <<<"$left" || fail "no dest segment: $left"
}

@test "ipcrm --all=bogus is refused, nothing removed" {
	NOTHING_GOES=1 ipcrm_same --all=bogus
	[ "$status" -ne 0 ]
	ipcrm_same_here --all=shm
}

# ---- -v ----

@test "ipcrm -v: a line for each removal" {
	ipcrm_same -v -m 0 -q 1 -S 0x00c30001
	assert_line --partial "removing shared memory segment id"
	assert_equal "${#lines[@]}" 3
}

@test "ipcrm -v -a and --verbose --all=sem" {
	ipcrm_same -v -a
	[ "${#lines[@]}" -eq 9 ] || fail "$output"
	ipcrm_same --verbose --all=sem
}

# ---- the old form ----

@test "ipcrm shm ID..., msg ID, sem ID: the old form, 'resource(s) deleted'" {
	ipcrm_same shm 0 2
	assert_output "resource(s) deleted"
	ipcrm_same_here msg 0
	ipcrm_same_here sem 1 2
}

@test "ipcrm: the old form with a missing id, a bad id, or no id" {
	ipcrm_same shm 0 99 1
	[ "$status" -eq 1 ]
	ipcrm_same_here msg abc 0
	NOTHING_GOES=1 ipcrm_same_here sem
	[ "$status" -eq 1 ]
}

# ---- errors ----

@test "ipcrm: missing ids among good ones: status 1, the good ones removed" {
	ipcrm_same -m 0 -m 77 -q 0 -s 12345 -s 2
	[ "$status" -eq 1 ]
	! left_has shm 0 && ! left_has msg 0 && ! left_has sem 2
}

@test "ipcrm: missing keys among good ones: status 1, the good ones removed" {
	ipcrm_same -M 0x0badbeef -Q 0x00c20001 -S 0x0000abcd -M 0x00c10002
	[ "$status" -eq 1 ]
}

@test "ipcrm: a bad number stops there: what came before is removed, what after is not" {
	ipcrm_same -m 0 -q abc -s 0
	[ "$status" -eq 1 ]
	! left_has shm 0 && left_has sem 0
	ipcrm_same_here -s 1 -m 99999999999 -m 1
	ipcrm_same_here -q 2 -M zzz -q 1
	ipcrm_same_here -q -5 -s 2
}

@test "ipcrm: key 0 (IPC_PRIVATE) is refused, the others removed" {
	ipcrm_same -M 0 -q 0 -Q 0x0 -S 00 -s 1
	[ "$status" -eq 1 ]
	! left_has msg 0 && ! left_has sem 1 && left_has shm 2
}

@test "ipcrm: no arguments, an unknown option, a stray argument" {
	# 2.38.1 with no arguments at all says nothing and exits 0.
	NOTHING_GOES=1 ipcrm_same
	NOTHING_GOES=1 ipcrm_same_here -x
	[ "$status" -eq 1 ]
	ipcrm_same_here -m 0 stray
	[ "$status" -eq 1 ]
	ipcrm_same_here -m 1
}

# ---- long options ----

@test "ipcrm --shmem-id, --queue-id, --semaphore-id" {
	ipcrm_same --shmem-id 0 --queue-id=1 --semaphore-id 2
	! left_has shm 0 && ! left_has msg 1 && ! left_has sem 2
}

@test "ipcrm --shmem-key, --queue-key, --semaphore-key, --verbose" {
	ipcrm_same --verbose --shmem-key 0x00c10002 --queue-key=0x00c20001 \
	    --semaphore-key 0x00c30001
	[ "${#lines[@]}" -eq 3 ]
}

# ---- as nobody ----

@test "ipcrm as nobody: root's objects are not nobody's to remove, its own are" {
	AS_USER=nobody ipcrm_same -m 0 -m 1 -q 0 -q 1 -s 0 -s 1
	[ "$status" -eq 1 ]
	left_has shm 0 && ! left_has shm 1 && left_has msg 0 && ! left_has msg 1
}

@test "ipcrm as nobody: by key, and -v" {
	AS_USER=nobody ipcrm_same -v -M 0x00c10001 -M 0x00c10002 -S 0x00c30002 -Q 0x00c20001
	[ "$status" -eq 1 ]
}

@test "ipcrm -a as nobody: nobody's objects go, root's stay, status 1" {
	AS_USER=nobody ipcrm_same -a
	[ "$status" -eq 1 ]
	left_has shm 0 && ! left_has shm 1 && left_has sem 2 && ! left_has sem 1
	AS_USER=nobody NOTHING_GOES=1 ipcrm_same_here --all=msg
}

@test "ipcrm as nobody: the old form" {
	AS_USER=nobody ipcrm_same shm 1 0
	[ "$status" -eq 1 ]
	AS_USER=nobody ipcrm_same_here sem 1
	assert_output "resource(s) deleted"
}

# ---- POSIX (util-linux 2.41) ----

# make_posix NS: two POSIX segments, two queues, two semaphores, root's
# and 0644, beside make_set's System V objects.
make_posix() {
	local ns=$1 n
	for n in a b; do
		posix "$ns" mk shm /ipct-shm-$n 4096 0644
		posix "$ns" mk mq /ipct-mq-$n 0644
		posix "$ns" mk sem /ipct-sem-$n 0644 1
	done
}

posix_ns() {
	ns_new px
	make_set px
	make_posix px
}

# exists NS PATH...: each of PATH is there in NS.
exists() {
	local ns=$1 p
	shift
	for p; do
		in_ns "$ns" test -e "$p" || fail "$p is gone"
	done
}
gone() {
	local ns=$1 p
	shift
	for p; do
		! in_ns "$ns" test -e "$p" || fail "$p is still there"
	done
}

@test "ipcrm --posix-shmem NAME removes that segment alone" {
	posix_ns
	applet px ipcrm --posix-shmem /ipct-shm-a
	assert_success
	assert_output ''
	gone px /dev/shm/ipct-shm-a
	exists px /dev/shm/ipct-shm-b /dev/shm/sem.ipct-sem-a /dev/mqueue/ipct-mq-a
	run posix px shmsize /ipct-shm-b
	assert_output 4096
}

@test "ipcrm --posix-mqueue NAME removes that queue alone" {
	posix_ns
	applet px ipcrm --posix-mqueue /ipct-mq-b
	assert_success
	assert_output ''
	gone px /dev/mqueue/ipct-mq-b
	exists px /dev/mqueue/ipct-mq-a /dev/shm/ipct-shm-a
}

@test "ipcrm --posix-semaphore NAME removes that semaphore alone" {
	posix_ns
	applet px ipcrm --posix-semaphore /ipct-sem-a
	assert_success
	assert_output ''
	gone px /dev/shm/sem.ipct-sem-a
	exists px /dev/shm/sem.ipct-sem-b /dev/shm/ipct-shm-a
	run posix px semval /ipct-sem-b
	assert_output 1
}

@test "ipcrm: POSIX names missing among good ones: status 1, the good ones removed" {
	posix_ns
	applet px ipcrm --posix-shmem /ipct-none --posix-shmem /ipct-shm-a \
	    --posix-mqueue /ipct-none --posix-semaphore /ipct-sem-b -m 0
	assert_failure 1
	assert_output ''
	[ -n "$stderr" ] || fail "no message"
	gone px /dev/shm/ipct-shm-a /dev/shm/sem.ipct-sem-b
	left=$(sysv_state px)
	! left_has shm 0
}

@test "ipcrm --all=pshm, --all=pmsg, --all=psem: one POSIX kind each, System V untouched" {
	posix_ns
	local sysv_before
	sysv_before=$(sysv_state px)
	applet px ipcrm --all=pshm
	assert_success
	gone px /dev/shm/ipct-shm-a /dev/shm/ipct-shm-b
	exists px /dev/shm/sem.ipct-sem-a /dev/mqueue/ipct-mq-a
	applet px ipcrm --all=pmsg
	assert_success
	gone px /dev/mqueue/ipct-mq-a /dev/mqueue/ipct-mq-b
	exists px /dev/shm/sem.ipct-sem-a /dev/shm/sem.ipct-sem-b
	applet px ipcrm --all=psem
	assert_success
	gone px /dev/shm/sem.ipct-sem-a /dev/shm/sem.ipct-sem-b
	assert_equal "$(sysv_state px)" "$sysv_before"
}

@test "ipcrm -a removes POSIX objects too" {
	posix_ns
	applet px ipcrm -a
	assert_success
	gone px /dev/shm/ipct-shm-a /dev/mqueue/ipct-mq-b /dev/shm/sem.ipct-sem-a
	[ -z "$(posix_state px)" ] || fail "left: $(posix_state px)"
	[ -z "$(sysv_state px | grep '^0x')" ] || fail "System V left"
}

@test "ipcrm --all=shm leaves POSIX segments; --all=msg leaves POSIX queues" {
	posix_ns
	applet px ipcrm --all=shm --all=msg
	exists px /dev/shm/ipct-shm-a /dev/mqueue/ipct-mq-a /dev/shm/sem.ipct-sem-a
	left=$(sysv_state px)
	! left_has msg 0 && left_has sem 0
}

@test "ipcrm --posix-shmem as nobody: root's segment stays, status 1" {
	posix_ns
	in_ns px chmod 1777 /dev/shm
	AS_USER=nobody applet px ipcrm --posix-shmem /ipct-shm-a --posix-mqueue /ipct-mq-a
	assert_failure 1
	exists px /dev/shm/ipct-shm-a /dev/mqueue/ipct-mq-a
	applet px ipcrm --posix-shmem /ipct-shm-a
	assert_success
}

# ---- make, then remove (util-linux's tests/ts/ipcs/mk-rm-*): see
# applets-ipcmk.bats, which makes with the applet and removes with it ----
