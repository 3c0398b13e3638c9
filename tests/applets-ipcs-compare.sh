#!/usr/bin/env bash
# applets-ipcs-compare.sh: run ipctool as `ipcs` and util-linux's ipcs
# (REAL, default /usr/bin/ipcs, 2.38.1 expected) over the same objects and
# diff stdout and exit status of ~650 command lines, under LC_ALL=C TZ=UTC;
# stderr only as "both empty or both not".  As root it makes its objects in
# fresh IPC, mount and pid namespaces: segments plain, big, private
# (key 0), locked, removed while attached (dest), attached twice; owners
# root, nobody, a uid without a passwd entry and a 25-letter user name (a
# passwd and group bind-mounted over /etc's); queues with messages;
# sets with values, a waiter for zero and one to decrement.  Then again
# with changed limits and sizes whose human form takes 7 characters.
# Needs root, util-linux, perl (IPC::SysV).  Exit 0 when all agree.
#
#   tests/applets-ipcs-compare.sh [IPCTOOL]
set -u
here=$(cd "$(dirname "$0")" && pwd)
IPCTOOL=$(realpath "${1:-${IPCTOOL:-$here/../ipctool}}")
REAL=${REAL:-/usr/bin/ipcs}
export IPCTOOL REAL

if [ "$(id -u)" -ne 0 ]; then
	echo "$0: needs root (namespaces, bind mounts)" >&2
	exit 77
fi
if [ -z "${IPCS_COMPARE_INSIDE:-}" ]; then
	export IPCS_COMPARE_INSIDE=1
	exec unshare --ipc --mount --pid --fork --propagation private -- \
	    "$0" "$IPCTOOL"
fi

mount -t proc proc /proc
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mkdir -p /dev/mqueue && mount -t mqueue mqueue /dev/mqueue
work=$(mktemp -d)
mount -t tmpfs tmpfs "$work"
ln -s "$IPCTOOL" "$work/ipcs"
APPLET=$work/ipcs
export LC_ALL=C TZ=UTC

fail=0 n=0
as=()		# setpriv ... to run both as another user
touch "$work/re" "$work/ae" && chmod 666 "$work/re" "$work/ae"
run() {
	local a b
	a=$("${as[@]}" "$REAL" "$@" 2>"$work/re"; echo "rc=$?")
	b=$("${as[@]}" "$APPLET" "$@" 2>"$work/ae"; echo "rc=$?")
	n=$((n + 1))
	if [ "$a" != "$b" ]; then
		echo "DIFF: ${as[*]:+${as[0]} as nobody: }ipcs $*"
		diff <(echo "$a") <(echo "$b") | head -20
		fail=1
	fi
	if { [ -s "$work/re" ] && [ ! -s "$work/ae" ]; } ||
	    { [ ! -s "$work/re" ] && [ -s "$work/ae" ]; }; then
		echo "STDERR: ipcs $*: real '$(cat "$work/re")'," \
		    "ours '$(cat "$work/ae")'"
		fail=1
	fi
}

compare_all() {
	local r f u k i e
	for r in "" -m -q -s -a "-m -q" "-q -s" "-m -s"; do
		for f in "" -t -p -c -l -u; do
			for u in "" -b --human "-b --human" "--human -b"; do
				run $r $f $u
			done
		done
	done
	for k in -m -q -s; do
		# negative ids: 2.38 shows the first segment or queue; for
		# a set it crashes, which we do not copy
		for i in $([ "$k" != -s ] && seq -3 -1) $(seq 0 15) 99 \
		    2147483647; do
			for u in "" -b --human -t -l; do
				run $k -i "$i" $u
			done
		done
		run $k --id 1; run $k --id=1; run $k -i1
	done
	for e in "-i 1" "-i 1 -m -q" "-i 1 -a" "-a -i 1 -m" "-m -i abc" \
	    "-m -i 1x" "-m -i 0x1" "-m -i ''" "-m -i 99999999999" \
	    "-m -i 2147483648" "-m -i -2147483649" "-m -i +1" "-m -i ' 1'" \
	    "-x" "--foo" "extra" "-m extra" "--shm" "--sem" "--que" "--hu" \
	    "--t" "--h" "-i" "-m -i" "--id" "-mqs" "-tpc" "-ptc" "-l -u" \
	    "-u -l" "-c -l" "--all -i 1 -s" "-m -i 1 -u" "-m -i 1 -c" \
	    "-m -i 1 -p" "--creator" "--pid" "--time" "--limits" \
	    "--summary" "--bytes" "--human" "--shmems" "--queues" \
	    "--semaphores"; do
		eval "run $e"
	done
}

# ---- no objects at all ----
compare_all

# ---- a varied set ----
cp /etc/passwd "$work/passwd"; cp /etc/group "$work/group"
echo 'averyveryverylongusername:x:4242:4242::/:/bin/false' >>"$work/passwd"
echo 'averyveryverylonggroupname:x:4242:' >>"$work/group"
mount --bind "$work/passwd" /etc/passwd
mount --bind "$work/group" /etc/group
id_of() { awk '{print $NF}'; }
ipcmk -M 100 >/dev/null
ipcmk -M 1073741824 -p 0644 >/dev/null
setpriv --reuid nobody --regid nogroup --clear-groups ipcmk -M 4096 >/dev/null
perl -MIPC::SysV=IPC_PRIVATE,IPC_CREAT,SHM_LOCK -e '
	shmget(IPC_PRIVATE, 8192, 0600|IPC_CREAT) // die;
	shmget(IPC_PRIVATE, 65536, 0666|IPC_CREAT) // die;
	my $id = shmget(0x1234, 123, 0640|IPC_CREAT) // die;
	shmctl($id, SHM_LOCK, 0) or die "lock: $!";'
id=$(ipcmk -M 5000 | id_of); "$IPCTOOL" shm set "$id" --owner 12345 --group 54321
id=$(ipcmk -M 6000 | id_of); "$IPCTOOL" shm set "$id" --owner 4242 --group 4242
id=$(ipcmk -M 7000 | id_of)
"$IPCTOOL" shm attach "$id" --timeout 600 >/dev/null 2>&1 &
id2=$(ipcmk -M 7001 | id_of)
"$IPCTOOL" shm attach "$id2" --timeout 600 >/dev/null 2>&1 &
"$IPCTOOL" shm attach "$id2" --timeout 600 >/dev/null 2>&1 &
sleep 0.3
"$IPCTOOL" shm rm "$id"		# dest: removed while attached
ipcmk -Q >/dev/null
id=$(ipcmk -Q -p 0666 | id_of)
perl -MIPC::SysV=IPC_NOWAIT -e 'my $q = shift; for (1..3) {
	msgsnd($q, pack("l! a*", 1, "hello world $_"), IPC_NOWAIT) or die }' "$id"
setpriv --reuid nobody --regid nogroup --clear-groups ipcmk -Q >/dev/null
id=$(ipcmk -Q | id_of)
perl -MIPC::Msg -e 'my $id = shift; my $q = bless \$id, "IPC::Msg";
	$q->set(uid => 4242, gid => 54321)' "$id"
perl -MIPC::SysV=IPC_PRIVATE,IPC_CREAT -e 'msgget(IPC_PRIVATE, 0600|IPC_CREAT) // die'
ipcmk -S 1 >/dev/null
id=$(ipcmk -S 5 -p 0660 | id_of)
perl -e 'semop(shift, pack("s!*", 0, 3, 0, 2, 7, 0)) or die' "$id"
perl -e 'semop(shift, pack("s!*", 0, 0, 0))' "$id" &	# zcount
perl -e 'semop(shift, pack("s!*", 1, -1, 0))' "$id" &	# ncount
setpriv --reuid nobody --regid nogroup --clear-groups ipcmk -S 3 >/dev/null
id=$(ipcmk -S 2 | id_of)
perl -MIPC::Semaphore -e 'my $id = shift; my $s = bless \$id, "IPC::Semaphore";
	$s->set(uid => 12345)' "$id"
perl -MIPC::SysV=IPC_PRIVATE,IPC_CREAT -e 'semget(IPC_PRIVATE, 4, 0600|IPC_CREAT) // die'
sleep 0.3
compare_all
# as nobody: sets it may not read fail -i (exit 1), queues show qbytes 0
as=(setpriv --reuid nobody --regid nogroup --clear-groups)
for k in -m -q -s; do
	for i in $(seq 0 9); do run $k -i "$i"; done
done
for f in "" -t -p -c -l -u; do run $f; done
as=()

# ---- other limits, and sizes whose human form is long ----
for s in 1048400 1048575 1 1023 1024 1126 10485 99999; do
	ipcmk -M "$s" >/dev/null
done
echo 123 >/proc/sys/kernel/msgmni
echo 70000 >/proc/sys/kernel/msgmax
echo 12345678 >/proc/sys/kernel/msgmnb
echo 2000 >/proc/sys/kernel/shmmni
echo 1048577 >/proc/sys/kernel/shmmax
echo 3 >/proc/sys/kernel/shmall
echo "250 32000 32 128" >/proc/sys/kernel/sem
compare_all
for v in 4503599627370495 4503599627370496 18446744073692774399 \
    18446744073709551615; do
	echo "$v" >/proc/sys/kernel/shmall
	echo "$v" >/proc/sys/kernel/shmmax
	for u in "" -b --human; do run -m -l $u; done
done

echo "compared $n command lines"
exit $fail
