# Shared by tests/applets-*.bats: ipctool started as ipcs, ipcrm and ipcmk
# (issue 14), judged side by side against util-linux's programs.
#
# Every object lives in an IPC and mount namespace of its own, held by a
# sleeping process (ns_new), with its own /dev/shm and /dev/mqueue: two
# namespaces made by the same steps hold the same objects under the same
# ids and keys, so util-linux's ipcrm can work on one while the applet
# works on the other, and nothing a test leaves outlives its namespace.
#
# APPLETS_TARGET_DIR=DIR points the links at DIR/ipcs, DIR/ipcrm and
# DIR/ipcmk instead of $IPCTOOL: with /usr/bin every comparison must pass
# (the tests are right), with anything else they must fail (the tests can
# fail).  UL_DIR (default /usr/bin) is where util-linux's programs are.

UL_DIR=${UL_DIR:-/usr/bin}
SYSV_PL=$BATS_TEST_DIRNAME/applets-sysv.pl
POSIX_PY=$BATS_TEST_DIRNAME/applets-posix.py

# applets_setup_file: the links, in a directory nobody can reach, and the
# Perl helper beside them; $APPLETS is that directory.
applets_setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (namespaces, other users)"
	[ -z "${VALGRIND:-}" ] || skip "under valgrind: a link to the wrapper does not carry the program name"
	APPLETS=$(mktemp -d /tmp/ipct-applets.XXXXXX)
	chmod 755 "$APPLETS"
	local p target
	for p in ipcs ipcrm ipcmk; do
		if [ -n "${APPLETS_TARGET_DIR:-}" ]; then
			target=$APPLETS_TARGET_DIR/$p
		else
			target=$(readlink -f "$IPCTOOL")
		fi
		ln -s "$target" "$APPLETS/$p"
	done
	install -m 755 "$SYSV_PL" "$APPLETS/sysv.pl"
	install -m 755 "$POSIX_PY" "$APPLETS/posix.py"
	export APPLETS
	NS_DIR=$APPLETS/ns
	mkdir -p "$NS_DIR"
	export NS_DIR
}

applets_teardown_file() {
	local f
	for f in "${NS_DIR:-/nonexistent}"/*.pid; do
		[ -e "$f" ] || continue
		ns_kill_file "$f"
	done
	[ -z "${APPLETS:-}" ] || rm -rf "$APPLETS"
}

# ns_kill_file PIDFILE: end the holder that PIDFILE names and every other
# process in its IPC namespace (attached segments' holders, strays).
ns_kill_file() {
	local pid ns p
	pid=$(cat "$1") || return 0
	ns=$(readlink "/proc/$pid/ns/ipc" 2>/dev/null) || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/ipc" 2>/dev/null)" = "$ns" ] || continue
		kill "${p#/proc/}" 2>/dev/null || true
	done
}

# ns_new NAME: a fresh IPC and mount namespace with an empty /dev/shm and
# /dev/mqueue of its own, held by a sleeper (ended in teardown, or in
# teardown_file for the namespaces setup_file makes).
ns_new() {
	# A namespace of that name made before in this test ends first.
	[ ! -e "$NS_DIR/$1.pid" ] || [ -z "${BATS_TEST_NAME:-}" ] ||
	    ns_kill_file "$NS_DIR/$1.pid"
	unshare --ipc --mount --propagation private -- sh -c '
	    mount -t tmpfs -o mode=1777 tmpfs /dev/shm &&
	    mkdir -p /dev/mqueue && mount -t mqueue mqueue /dev/mqueue &&
	    exec sleep 1d' </dev/null >/dev/null 2>&1 3>&- &
	local pid=$!
	echo "$pid" >"$NS_DIR/$1.pid"
	[ -z "${BATS_TEST_NAME:-}" ] || echo "$NS_DIR/$1.pid" >>"$NS_DIR/test-made"
	# Ready once the sleeper is in a mount namespace of its own with
	# the mqueue mount.
	wait_for 5 grep -q ' /dev/mqueue mqueue ' "/proc/$pid/mounts" ||
	    fail "namespace $1 did not come up"
	wait_for 5 sh -c "[ \"\$(readlink /proc/$pid/exe)\" = \"\$(readlink -f /bin/sleep)\" ]" ||
	    fail "namespace $1 did not come up"
}

ns_pid() { cat "$NS_DIR/$1.pid"; }

# applets_teardown: end the namespaces this test made, and what runs in them.
applets_teardown() {
	local f
	if [ -f "$NS_DIR/test-made" ]; then
		while read -r f; do
			ns_kill_file "$f"
			rm -f "$f"
		done <"$NS_DIR/test-made"
		rm -f "$NS_DIR/test-made"
	fi
	kill_tracked
	cleanup_objects
}

# in_ns NAME CMD...: CMD inside namespace NAME (as root).
in_ns() {
	local pid
	pid=$(ns_pid "$1") || return 1
	shift
	nsenter --target "$pid" --ipc --mount -- "$@"
}

# as_nobody CMD...: CMD as nobody:nogroup, no supplementary groups.
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
}

# sysv NAME VERB ARGS...: tests/applets-sysv.pl in namespace NAME.
sysv() {
	local ns=$1
	shift
	in_ns "$ns" "$APPLETS/sysv.pl" "$@"
}
sysv_as_nobody() {
	local ns=$1
	shift
	in_ns "$ns" setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
	    "$APPLETS/sysv.pl" "$@"
}

# posix NAME VERB ARGS...: tests/applets-posix.py in namespace NAME.
posix() {
	local ns=$1
	shift
	in_ns "$ns" "$APPLETS/posix.py" "$@"
}

# applet NS PROG ARGS...: the applet alone in NS under LC_ALL=C TZ=UTC
# (as $AS_USER when set), through bats' run: $status, $output, $stderr.
applet() {
	local ns=$1 prog=$2
	shift 2
	local pre=()
	if [ -n "${AS_USER:-}" ]; then
		pre=(setpriv --reuid="$AS_USER" --regid="${AS_GROUP:-nogroup}" --clear-groups --)
	fi
	run --separate-stderr in_ns "$ns" timeout 20 ${pre[@]+"${pre[@]}"} \
	    env LC_ALL=C TZ=UTC "$APPLETS/$prog" "$@"
}

# run_prog WHICH NS PROG ARGS...: util-linux's PROG (WHICH=ul) or the
# applet (WHICH=applet) in namespace NS under LC_ALL=C TZ=UTC, as
# $AS_USER when set (nobody), under timeout 20; stdout, stderr and status
# into $CMP_DIR/WHICH.{out,err,status}.
run_prog() {
	local which=$1 ns=$2 prog=$3 bin
	shift 3
	if [ "$which" = ul ]; then bin=$UL_DIR/$prog; else bin=$APPLETS/$prog; fi
	local pre=()
	if [ -n "${AS_USER:-}" ]; then
		pre=(setpriv --reuid="$AS_USER" --regid="${AS_GROUP:-nogroup}" --clear-groups --)
	fi
	local st=0
	in_ns "$ns" timeout 20 ${pre[@]+"${pre[@]}"} env LC_ALL=C TZ=UTC "$bin" "$@" \
	    >"$CMP_DIR/$which.out" 2>"$CMP_DIR/$which.err" </dev/null || st=$?
	echo "$st" >"$CMP_DIR/$which.status"
}

# A fresh directory for one comparison's files.
cmp_dir() {
	CMP_DIR=$(mktemp -d "$BATS_TEST_TMPDIR/cmp.XXXXXX")
}

# cmp_report WHAT: fail, showing both sides, unless stdout and status agree.
cmp_report() {
	local what=$1 ok=1
	cmp -s "$CMP_DIR/ul.out" "$CMP_DIR/applet.out" || ok=0
	[ "$(cat "$CMP_DIR/ul.status")" = "$(cat "$CMP_DIR/applet.status")" ] || ok=0
	if [ "$ok" -eq 0 ]; then
		{
			echo "# $what"
			echo "# status: util-linux $(cat "$CMP_DIR/ul.status"), applet $(cat "$CMP_DIR/applet.status")"
			echo "# stdout diff (util-linux, applet):"
			diff -u "$CMP_DIR/ul.out" "$CMP_DIR/applet.out" | sed 's/^/# /'
			echo "# util-linux stderr: $(cat "$CMP_DIR/ul.err")"
			echo "# applet stderr: $(cat "$CMP_DIR/applet.err")"
		} >&2
		return 1
	fi
	# What util-linux printed, for further checks.
	output=$(cat "$CMP_DIR/ul.out")
	mapfile -t lines <"$CMP_DIR/ul.out"
	status=$(cat "$CMP_DIR/ul.status")
	applet_stderr=$(cat "$CMP_DIR/applet.err")
}

# same_in NS PROG ARGS...: util-linux's PROG and the applet on the same
# objects (namespace NS, nothing changes between the two runs): stdout
# byte for byte and the exit status must agree.  Leaves util-linux's
# stdout in $output, its status in $status, the applet's stderr in
# $applet_stderr.
same_in() {
	local ns=$1
	shift
	cmp_dir
	run_prog ul "$ns" "$@"
	run_prog applet "$ns" "$@"
	cmp_report "$*"
}

# same_as_util_linux PROG ARGS...: same_in the namespace $CMP_NS.
same_as_util_linux() {
	same_in "$CMP_NS" "$@"
}

# The listing that says which System V objects a namespace holds, with
# nothing that differs between two namespaces made alike (no times, no
# pids): util-linux's ipcs of keys, ids, owners, modes, sizes, counts.
sysv_state() {
	in_ns "$1" env LC_ALL=C "$UL_DIR/ipcs" -a
}

# The POSIX objects a namespace holds: /dev/shm and /dev/mqueue, with
# owner and mode.
posix_state() {
	in_ns "$1" sh -c 'cd /dev/shm && ls -lnA --time-style=+ . | sed 1d;
	    cd /dev/mqueue && ls -lnA --time-style=+ . | sed 1d' |
	    awk '{ print $1, $3, $4, $5, $NF }'
}

# mask_ids: "Shared memory id: 12" -> "Shared memory id: <id>".
mask_ids() {
	sed -E 's/(id: )[0-9]+$/\1<id>/'
}
