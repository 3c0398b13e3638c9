#!/usr/bin/env bats
# ipctool started as ipcmk (issue 14).  util-linux 2.38.1's ipcmk runs in
# one fresh namespace and the applet in another, with the same arguments:
# stdout (ids masked, though fresh namespaces give the same ones), the
# exit status and the objects made (size, mode, number of semaphores,
# owner: ipcs -a and -c with the random keys masked) must agree.  Then
# util-linux's own make-then-remove checks (tests/ts/ipcs/mk-rm-*) on the
# applets alone, and the POSIX options of util-linux 2.41 (-m SIZE, -q,
# -s with -n NAME) against its documented behaviour.

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

# The objects a namespace holds, keys masked (ipcmk picks them at random),
# with their owners and creators.
made() {
	in_ns "$1" env LC_ALL=C "$UL_DIR/ipcs" -a |
	    sed -E 's/^0x[0-9a-f]{8} /<key> /'
	in_ns "$1" env LC_ALL=C "$UL_DIR/ipcs" -c
}

# ipcmk_same ARGS...: util-linux's ipcmk in namespace ul, the applet's in
# ap (both made on first use in a test, as $AS_USER when set); stdout with
# ids masked, status and the objects made must agree.  $output and
# $status are util-linux's.
ipcmk_same() {
	[ -e "$NS_DIR/ul.pid" ] || ns_new ul
	[ -e "$NS_DIR/ap.pid" ] || ns_new ap
	cmp_dir
	run_prog ul ul ipcmk "$@"
	run_prog applet ap ipcmk "$@"
	local f
	for f in ul applet; do
		mask_ids <"$CMP_DIR/$f.out" >"$CMP_DIR/$f.masked"
		mv "$CMP_DIR/$f.masked" "$CMP_DIR/$f.out"
	done
	cmp_report "ipcmk $*" || return 1
	local a b
	a=$(made ul)
	b=$(made ap)
	if [ "$a" != "$b" ]; then
		printf '# ipcmk %s: objects made differ (util-linux, applet):\n' "$*" >&2
		diff -u <(echo "$a") <(echo "$b") | sed 's/^/# /' >&2
		return 1
	fi
	made_now=$a
}

# A key ipcmk made is not IPC_PRIVATE.
no_private_keys() {
	! in_ns ap env LC_ALL=C "$UL_DIR/ipcs" -a | grep -q '^0x00000000 ' ||
	    fail "the applet made an object with key 0"
}

# ---- System V, side by side ----

@test "ipcmk -M SIZE: a segment of that size, mode 0644, a random key" {
	ipcmk_same -M 4096
	assert_output "Shared memory id: <id>"
	[[ $made_now == *" 644 "*" 4096 "* ]] || fail "$made_now"
	no_private_keys
}

@test "ipcmk -M with size suffixes: K, KiB, MiB, KB, MB" {
	local s
	for s in 1K 1KiB 2MiB 3KB 1MB 5k; do
		ipcmk_same -M "$s"
	done
	[[ $made_now == *" 1000000 "* ]] || fail "$made_now"
}

@test "ipcmk -Q: a queue, mode 0644" {
	ipcmk_same -Q
	assert_output "Message queue id: <id>"
	no_private_keys
}

@test "ipcmk -S N: a set of N semaphores" {
	ipcmk_same -S 1
	ipcmk_same -S 7
	assert_output "Semaphore id: <id>"
	[[ $made_now == *" 644 "*" 7 "* ]] || fail "$made_now"
}

@test "ipcmk -p MODE with each kind; with and without a leading 0" {
	ipcmk_same -M 100 -p 0600
	ipcmk_same -Q -p 640
	ipcmk_same -S 2 -p 0777
	ipcmk_same -p 0 -M 10
	[[ $made_now == *" 600 "* ]] || fail "$made_now"
}

@test "ipcmk -M -Q -S in one call, one line each, and long names" {
	ipcmk_same -M 100 -Q -S 2 -p 0640
	assert_equal "${#lines[@]}" 3
	ipcmk_same --shmem 10 --queue --semaphore 4 --mode 0600
	ipcmk_same --shmem=1K --semaphore=1
}

@test "ipcmk: bad sizes are refused and make nothing" {
	local s
	for s in abc 1X -1 '' 0 99999999999999999999999; do
		ipcmk_same -M "$s"
		[ "$status" -ne 0 ] || fail "ipcmk -M '$s' succeeded"
	done
	ipcmk_same -M 1
}

@test "ipcmk: bad modes are refused and make nothing" {
	local m
	for m in abc 8 0x10 ''; do
		ipcmk_same -M 10 -p "$m"
		[ "$status" -ne 0 ] || fail "ipcmk -p '$m' succeeded"
	done
	ipcmk_same -M 10 -p 0400
}

@test "ipcmk: bad numbers of semaphores are refused" {
	local n
	for n in 0 -1 abc 99999999999; do
		ipcmk_same -S "$n"
		[ "$status" -ne 0 ] || fail "ipcmk -S '$n' succeeded"
	done
	ipcmk_same -S 3
}

@test "ipcmk with nothing to make, or an unknown option: status 1" {
	ipcmk_same
	[ "$status" -eq 1 ]
	ipcmk_same -Q -x
	[ "$status" -eq 1 ]
	ipcmk_same -p 0600
	ipcmk_same -Q
}

@test "ipcmk as nobody: the objects are nobody's" {
	AS_USER=nobody ipcmk_same -M 100 -Q -S 1 -p 0600
	[[ $made_now == *nobody* ]] || fail "$made_now"
}

# ---- util-linux's tests/ts/ipcs/mk-rm-{shm,msg,sem}, on the applets ----

# mk_id OUTPUT: the id that "... id: N" names.
mk_id() {
	[[ $1 =~ id:\ ([0-9]+)$ ]] || fail "no id in '$1'"
	echo "${BASH_REMATCH[1]}"
}

# key_of NS FLAG ID: the key the applet's ipcs lists for ID.
key_of() {
	in_ns "$1" "$APPLETS/ipcs" "$2" | awk -v id="$3" '$2 == id { print $1 }' | uniq
}

@test "make then remove a segment (ts/ipcs/mk-rm-shm): -M 1 by id, -M 12 by key" {
	ns_new mk
	applet mk ipcmk -M 1
	assert_success
	assert_output --regexp '^Shared memory id: [0-9]+$'
	local id key
	id=$(mk_id "$output")
	run in_ns mk "$APPLETS/ipcs" -m -i "$id"
	assert_line --regexp $'^bytes=1\t'
	applet mk ipcrm -m "$id"
	assert_success
	assert_output ''
	applet mk ipcmk -M 12
	id=$(mk_id "$output")
	run in_ns mk "$APPLETS/ipcs" -m -i "$id"
	assert_line --regexp $'^bytes=12\t'
	key=$(key_of mk -m "$id")
	applet mk ipcrm -M "$key"
	assert_success
	assert_output ''
	[ -z "$(in_ns mk "$UL_DIR/ipcs" -m | grep '^0x')" ] || fail "a segment is left"
}

@test "make then remove a queue (ts/ipcs/mk-rm-msg): -Q, by id and by key" {
	ns_new mk
	applet mk ipcmk -Q
	assert_output --regexp '^Message queue id: [0-9]+$'
	local id key
	id=$(mk_id "$output")
	run in_ns mk "$APPLETS/ipcs" -q -i "$id"
	assert_equal "$(grep -c "^Message Queue msqid=$id\$" <<<"$output")" 1
	applet mk ipcrm -q "$id"
	assert_success
	assert_output ''
	applet mk ipcmk -Q
	id=$(mk_id "$output")
	key=$(key_of mk -q "$id")
	applet mk ipcrm -Q "$key"
	assert_success
	assert_output ''
	[ -z "$(in_ns mk "$UL_DIR/ipcs" -q | grep '^0x')" ] || fail "a queue is left"
}

@test "make then remove semaphores (ts/ipcs/mk-rm-sem): -S 1 by id, -S 2 by key" {
	ns_new mk
	applet mk ipcmk -S 1
	assert_output --regexp '^Semaphore id: [0-9]+$'
	local id key
	id=$(mk_id "$output")
	run in_ns mk "$APPLETS/ipcs" -s -i "$id"
	assert_line "nsems = 1"
	applet mk ipcrm -s "$id"
	assert_success
	assert_output ''
	applet mk ipcmk -S 2
	id=$(mk_id "$output")
	run in_ns mk "$APPLETS/ipcs" -s -i "$id"
	assert_line "nsems = 2"
	key=$(key_of mk -s "$id")
	applet mk ipcrm -S "$key"
	assert_success
	assert_output ''
	[ -z "$(in_ns mk "$UL_DIR/ipcs" -s | grep '^0x')" ] || fail "a set is left"
}

# ---- POSIX (util-linux 2.41) ----

# mode_of NS PATH: octal permission bits and owner of PATH in NS.
mode_of() {
	in_ns "$1" stat -c '%a %U %s' "$2"
}

@test "ipcmk -m SIZE -n NAME: a POSIX segment of that size, mode 0644" {
	umask 022
	ns_new px
	applet px ipcmk -m 4096 -n /ipct-mk-shm
	assert_success
	assert_output "POSIX shared memory name: /ipct-mk-shm"
	assert_equal "$(mode_of px /dev/shm/ipct-mk-shm)" "644 root 4096"
	run posix px shmsize /ipct-mk-shm
	assert_output 4096
	[ -z "$(in_ns px "$UL_DIR/ipcs" -a | grep '^0x')" ] || fail "a System V object was made"
}

@test "ipcmk -m with a suffix and -p MODE; long names --posix-shmem --name --mode" {
	umask 022
	ns_new px
	applet px ipcmk -m 1K -n /ipct-mk-a -p 0600
	assert_success
	assert_equal "$(mode_of px /dev/shm/ipct-mk-a)" "600 root 1024"
	applet px ipcmk --posix-shmem 2MiB --name /ipct-mk-b --mode 0640
	assert_success
	assert_output "POSIX shared memory name: /ipct-mk-b"
	assert_equal "$(mode_of px /dev/shm/ipct-mk-b)" "640 root 2097152"
}

@test "ipcmk -q -n NAME: a POSIX queue, mode 0644, the default attributes" {
	umask 022
	ns_new px
	applet px ipcmk -q -n /ipct-mk-mq
	assert_success
	assert_output "POSIX message queue name: /ipct-mk-mq"
	assert_equal "$(mode_of px /dev/mqueue/ipct-mk-mq | cut -d' ' -f1,2)" "644 root"
	run posix px mqattr /ipct-mk-mq
	assert_output "$(in_ns px sh -c 'echo $(cat /proc/sys/fs/mqueue/msg_default) $(cat /proc/sys/fs/mqueue/msgsize_default) 0')"
	applet px ipcmk --posix-mqueue --name /ipct-mk-mq2 -p 0600
	assert_success
	assert_equal "$(mode_of px /dev/mqueue/ipct-mk-mq2 | cut -d' ' -f1)" 600
}

@test "ipcmk -s -n NAME -p MODE: a POSIX semaphore of value 0" {
	umask 022
	ns_new px
	applet px ipcmk -s -n /ipct-mk-sem -p 0600
	assert_success
	assert_output "POSIX semaphore name: /ipct-mk-sem"
	assert_equal "$(mode_of px /dev/shm/sem.ipct-mk-sem | cut -d' ' -f1,2)" "600 root"
	run posix px semval /ipct-mk-sem
	assert_output 0
	applet px ipcmk --posix-semaphore --name /ipct-mk-sem2
	assert_success
	assert_equal "$(mode_of px /dev/shm/sem.ipct-mk-sem2 | cut -d' ' -f1)" 644
}

@test "ipcmk -m, -q or -s without -n is refused and makes nothing" {
	ns_new px
	applet px ipcmk -m 100
	assert_failure 1
	assert_output ''
	applet px ipcmk -q
	assert_failure 1
	applet px ipcmk -s -p 0600
	assert_failure 1
	[ -z "$(posix_state px)" ] || fail "made: $(posix_state px)"
	applet px ipcmk -q -n /ipct-mk-q
	assert_success
}

@test "ipcmk: System V and POSIX in one call, in 2.41's order" {
	umask 022
	ns_new px
	applet px ipcmk -S 2 -s -M 10 -m 10 -Q -q -n /ipct-mk-all
	assert_success
	assert_equal "${#lines[@]}" 6
	assert_equal "$(printf '%s\n' "${lines[@]}" | mask_ids)" "Shared memory id: <id>
POSIX shared memory name: /ipct-mk-all
Message queue id: <id>
POSIX message queue name: /ipct-mk-all
Semaphore id: <id>
POSIX semaphore name: /ipct-mk-all"
	in_ns px test -e /dev/shm/ipct-mk-all
	in_ns px test -e /dev/mqueue/ipct-mk-all
	in_ns px test -e /dev/shm/sem.ipct-mk-all
}

@test "ipcmk -m with a bad size is refused and makes nothing" {
	ns_new px
	applet px ipcmk -m 1X -n /ipct-mk-bad
	assert_failure 1
	assert_output ''
	[ -z "$(posix_state px)" ] || fail "made: $(posix_state px)"
	applet px ipcmk -m 1 -n /ipct-mk-good
	assert_success
}
