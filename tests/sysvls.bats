#!/usr/bin/env bats
# ls finds System V objects two ways: it walks the indexes with
# *_STAT_ANY when at least half of them hold an object, else (and when the
# walk is not possible) it reads /proc/sysvipc/shm, msg and sem, one pass
# each as ipcs does, asking *ctl only for what those lack: a queue's
# qbytes, a set's semaphores.  These hold what both print to IPC_STAT as
# Perl's IPC::SysV reads it from outside, and to each other: with
# /proc/sysvipc hidden, with its columns moved, with a line that does not
# fit its header.

load helpers

# The tests compare whole listings, so no object may come or go while they
# run: each starts once the previous test's holders are gone and their
# objects with them, and waits for its own in teardown.
setup() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -z "$(ipcs -m -q -s | grep '^0x')" ] && return 0
		sleep 0.05
	done
}

teardown() {
	local p pids=() i
	[ -f "$PIDS_FILE" ] && mapfile -t pids <"$PIDS_FILE"
	kill_tracked
	for p in ${pids[@]+"${pids[@]}"}; do
		for ((i = 0; i < 100; i++)); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.05
		done
	done
	cleanup_objects
}

# sparse_ids: one object of each kind past 64 indexes, kept, so that the
# objects a test makes next are fewer than half the indexes up to the
# highest: ls reads /proc.  (The kernel hands out indexes lowest-free or,
# lately, cyclically; either way this one stays the highest or lies past
# the rest.)
sparse_ids() {
	local t id
	for t in shm mq sem; do
		id=$(perl -MIPC::SysV=IPC_PRIVATE,IPC_CREAT,IPC_RMID -e '
		    my $t = shift; my @ids;
		    for (1 .. 64) {
			push @ids, $t eq "shm" ? shmget(IPC_PRIVATE, 1, 0600) :
			    $t eq "mq" ? msgget(IPC_PRIVATE, 0600) :
			    semget(IPC_PRIVATE, 1, 0600) // die "$t: $!";
		    }
		    my $keep = pop @ids;
		    for (@ids) {
			$t eq "shm" ? shmctl($_, IPC_RMID, 0) :
			    $t eq "mq" ? msgctl($_, IPC_RMID, 0) :
			    semctl($_, 0, IPC_RMID, 0) or die "rm $t $_: $!";
		    }
		    print $keep;' "$t")
		cleanup_later "$t" "$id"
	done
}

# A mix: a keyed segment attached and then removed (dest), one locked, one
# owned by nobody; queues with messages and a smaller qbytes; a set of
# three with values and a waiter on each of ncnt and zcnt.  Sets $ids to
# "TYPE ID" lines.
make_mix() {
	local shm1 shm2 shm3 q1 q2 s1 s2 p
	shm1=$(ipctool shm create "key:$(unique_key)" --size 5000 --mode 0640)
	cleanup_later shm "$shm1"
	# "$IPCTOOL", not the ipctool function: $! must be its pid.
	"$IPCTOOL" shm attach "$shm1" --timeout 30 >/dev/null 2>&1 3>&- &
	p=$!
	kill_later "$p"
	wait_for_nattch "$shm1"
	ipctool shm rm "$shm1"
	shm2=$(ipctool shm create --size 8192)
	cleanup_later shm "$shm2"
	perl -MIPC::SysV=SHM_LOCK -e 'shmctl($ARGV[0], SHM_LOCK, 0) or
	    die "SHM_LOCK: $!\n"' "$shm2"
	shm3=$(ipctool shm create "key:$(unique_key)" --size 1)
	cleanup_later shm "$shm3"
	ipctool shm set "$shm3" --owner nobody --group nogroup --mode 0604
	q1=$(ipctool mq create "key:$(unique_key)" --queue-bytes 4000)
	cleanup_later mq "$q1"
	ipctool mq send "$q1" --type 3 hello 'a second message'
	q2=$(ipctool mq create)
	cleanup_later mq "$q2"
	s1=$(ipctool sem create "key:$(unique_key)" --count 3 --value 2)
	cleanup_later sem "$s1"
	ipctool sem post "$s1" --index 2
	ipctool sem set "$s1" --index 1 0
	"$IPCTOOL" sem wait "$s1" --index 1 --timeout 30 3>&- &
	kill_later $!
	"$IPCTOOL" sem zero "$s1" --index 0 --timeout 30 3>&- &
	kill_later $!
	s2=$(ipctool sem create --mode 0400)
	cleanup_later sem "$s2"
	ids=$(printf '%s\n' "shm $shm1" "shm $shm2" "shm $shm3" "mq $q1" \
	    "mq $q2" "sem $s1" "sem $s2")
	# Both waiters are waiting.
	wait_for_counts "$s1"
}

wait_for_nattch() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(ipctool shm info "$1" -o nattch --raw -H)" = 1 ] && return 0
		sleep 0.05
	done
	fail "segment $1 never attached"
}

wait_for_counts() {
	local i
	for ((i = 0; i < 100; i++)); do
		perl -MIPC::SysV=GETNCNT,GETZCNT -e '
		    exit !(semctl($ARGV[0], 1, GETNCNT, 0) == 1 &&
		    semctl($ARGV[0], 0, GETZCNT, 0) == 1)' "$1" && return 0
		sleep 0.05
	done
	fail "set $1: the waiters never waited"
}

# Perl checks each listed record named in $ids against IPC_STAT by id (and
# GETALL, GETNCNT, GETZCNT, GETPID): every field ls printed, none missing.
# IPC::SysV's *::stat classes unpack the structs.
PERL_AGREES='
use strict;
use warnings;
use JSON::PP;
use POSIX qw(strftime);
use IPC::SysV qw(IPC_STAT GETALL GETNCNT GETZCNT GETPID);
# ::stat classes only
use IPC::SharedMem;
use IPC::Msg;
use IPC::Semaphore;

my ($file, @want) = @ARGV;
my %want = map { $_ => 1 } @want;
local $/;
open my $fh, "<", $file or die;
my $list = decode_json(<$fh>);
my ($checked, @bad) = (0);
sub user { my $n = getpwuid($_[0]); defined $n ? $n : "$_[0]" }
sub group { my $n = getgrgid($_[0]); defined $n ? $n : "$_[0]" }
sub when { $_[0] ? strftime("%Y-%m-%dT%H:%M:%SZ", gmtime $_[0]) : undef }
sub same {
	my ($r, $f, $v) = @_;
	my $got = $r->{$f};
	return if !defined $got && !defined $v;
	return if defined $got && defined $v && "$got" eq "$v";
	push @bad, "$r->{type} $r->{id} $f: ls " . ($got // "null") .
	    ", IPC_STAT " . ($v // "null");
}
sub perm {
	my ($r, $st) = @_;
	same($r, "owner", user($st->uid));
	same($r, "group", group($st->gid));
	same($r, "creator", user($st->cuid));
	same($r, "mode", sprintf("%04o", $st->mode & 0777));
	same($r, "ctime", when($st->ctime));
	same($r, "ref", $r->{id});
}
for my $r (@$list) {
	next unless ($r->{flavor} // "") eq "sysv" &&
	    $want{"$r->{type} $r->{id}"};
	$checked++;
	my $id = $r->{id};
	my $buf = "";
	if ($r->{type} eq "shm") {
		shmctl($id, IPC_STAT, $buf) or die "shm $id: $!";
		my $st = IPC::SharedMem::stat::->new->unpack($buf);
		perm($r, $st);
		same($r, $_, $st->$_) for qw(nattch cpid lpid);
		same($r, "size", $st->segsz);
		same($r, $_, when($st->$_)) for qw(atime dtime);
		same($r, "dest", ($st->mode & 01000) ? JSON::PP::true :
		    JSON::PP::false);
		same($r, "locked", ($st->mode & 02000) ? JSON::PP::true :
		    JSON::PP::false);
	} elsif ($r->{type} eq "mq") {
		msgctl($id, IPC_STAT, $buf) or die "mq $id: $!";
		my $st = IPC::Msg::stat::->new->unpack($buf);
		perm($r, $st);
		same($r, $_, $st->$_) for qw(qnum qbytes lspid lrpid);
		same($r, $_, when($st->$_)) for qw(stime rtime);
	} else {
		semctl($id, 0, IPC_STAT, $buf) or die "sem $id: $!";
		my $st = IPC::Semaphore::stat::->new->unpack($buf);
		perm($r, $st);
		same($r, "nsems", $st->nsems);
		same($r, "otime", when($st->otime));
		semctl($id, 0, GETALL, $buf) or die "sem $id GETALL: $!";
		my @v = unpack("s!*", $buf);
		my @sems = @{ $r->{semaphores} };
		push @bad, "sem $id: " . @sems . " semaphores, nsems " .
		    $st->nsems if @sems != $st->nsems;
		for my $i (0 .. $#sems) {
			my $k = { %{ $sems[$i] }, type => "sem", id => "$id\[$i]" };
			same($k, "index", $i);
			same($k, "value", $v[$i]);
			same($k, "ncnt", 0 + semctl($id, $i, GETNCNT, 0));
			same($k, "zcnt", 0 + semctl($id, $i, GETZCNT, 0));
			same($k, "pid", 0 + semctl($id, $i, GETPID, 0));
		}
	}
}
push @bad, "checked $checked of " . @want if $checked != @want;
print "$_\n" for @bad;
exit(@bad ? 1 : 0);
'

# perl_agrees [SETUP]: each System V ls --json (run after SETUP in a
# mount namespace of its own, when given) checked by PERL_AGREES against
# the objects in $ids, and what IPC::Msg's stat leaves out (cbytes) and
# ls's own table columns checked too.
perl_agrees() {
	local how want=() mine=() q1 s1 shm1
	mapfile -t want <<<"$ids"
	for how in "ls --type shm,mq,sem" "shm ls" "mq ls" "sem ls"; do
		if [ $# -eq 0 ]; then
			run_ipctool 0 $how --json
		else
			run --separate-stderr unshare --mount --propagation \
			    private -- bash -c "$1 \"\$IPCTOOL\" $how --json"
			assert_success
		fi
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/ls.json"
		case $how in
		ls*) mine=("${want[@]}") ;;
		*) mapfile -t mine < <(printf '%s\n' "${want[@]}" |
		    grep "^${how%% *} ") ;;
		esac
		run perl -e "$PERL_AGREES" "$BATS_TEST_TMPDIR/ls.json" "${mine[@]}"
		assert_success
	done
	q1=$(printf '%s\n' "$ids" | awk '$1 == "mq" { print $2; exit }')
	shm1=$(printf '%s\n' "$ids" | awk '$1 == "shm" { print $2; exit }')
	s1=$(printf '%s\n' "$ids" | awk '$1 == "sem" { print $2; exit }')
	run --separate-stderr unshare --mount --propagation private -- bash -c \
	    "${1:-} \"\$IPCTOOL\" mq ls --raw -H -o id,cbytes,qnum;
	    \"\$IPCTOOL\" shm ls --raw -H -o id,dest,locked,mode;
	    \"\$IPCTOOL\" sem ls --raw -H -o id,value"
	assert_success
	assert_line "$q1 $((5 + 16)) 2"
	assert_line "$shm1 yes no 0640"
	assert_line "$s1 2,0,3"
}

@test "ls read from /proc/sysvipc (sparse ids) agrees with IPC_STAT, GETALL and the counts read by Perl" {
	sparse_ids
	make_mix
	# It read /proc: no *_STAT_ANY for the segments and sets.
	run_ipctool 0 --trace ls --type shm,sem
	[[ "$stderr" == *SHM_INFO* && "$stderr" != *STAT_ANY* ]]
	perl_agrees
}

@test "ls walking the ids (dense, or /proc/sysvipc hidden) agrees with IPC_STAT, GETALL and the counts read by Perl" {
	[ "$(id -u)" -eq 0 ] || skip "needs root: a mount namespace"
	make_mix
	perl_agrees 'mount -t tmpfs -o mode=0555 tmpfs /proc/sysvipc || exit 1;'
	# And in a fresh IPC namespace, where its ids are dense: the walk,
	# /proc there or not.
	run --separate-stderr unshare --ipc -- bash -c '
	    "$IPCTOOL" shm create --size 1 >/dev/null &&
	    "$IPCTOOL" shm create --size 2 >/dev/null &&
	    "$IPCTOOL" --trace shm ls'
	assert_success
	[[ "$stderr" == *SHM_STAT_ANY* ]]
}

# LIST_FORMS: ipctool commands, one a line, that each_form runs: every
# System V ls in each output form, with the columns /proc lacks.
LIST_FORMS='
ls --type shm,mq,sem
ls --type shm,mq,sem --json
ls --type shm,mq,sem --raw -H
ls --type shm,mq,sem --export -o +ctime,group
shm ls
shm ls --json
shm ls --raw -o ref,dest,locked,nattch,atime
mq ls
mq ls --json
mq ls --export
mq ls --raw -o ref,qbytes,cbytes,stime
sem ls
sem ls --json
sem ls --raw
sem ls -o ref,value,semaphores
sem ls --json -o ref,semaphores
'
export IPCTOOL LIST_FORMS

# each_form [SETUP]: the output of every LIST_FORMS command, run after
# SETUP (shell, in a mount namespace of its own when given, where
# /proc/sysvipc can be hidden or replaced).
each_form() {
	local cmds='while read -r args; do
		[ -n "$args" ] || continue
		echo "== $args"
		"$IPCTOOL" $args || exit
	done <<<"$LIST_FORMS"'
	if [ $# -eq 0 ]; then
		bash -c "$cmds"
	else
		unshare --mount --propagation private -- bash -c "$1 $cmds"
	fi
}

@test "without /proc/sysvipc, ls walks the ids with *_STAT_ANY and prints the same" {
	[ "$(id -u)" -eq 0 ] || skip "needs root: a mount namespace"
	sparse_ids
	make_mix
	each_form >"$BATS_TEST_TMPDIR/proc"
	each_form 'mount -t tmpfs -o mode=0555 tmpfs /proc/sysvipc || exit 1;' \
	    >"$BATS_TEST_TMPDIR/walk"
	run diff "$BATS_TEST_TMPDIR/proc" "$BATS_TEST_TMPDIR/walk"
	assert_success
	# The walk really ran: ls asked for every id there.
	run --separate-stderr unshare --mount --propagation private -- bash -c \
	    'mount -t tmpfs tmpfs /proc/sysvipc && "$IPCTOOL" --trace shm ls'
	[[ "$stderr" == *SHM_STAT_ANY* ]]
}

@test "a /proc/sysvipc file is read by the columns its header names, in any order" {
	[ "$(id -u)" -eq 0 ] || skip "needs root: a mount namespace"
	sparse_ids
	make_mix
	each_form >"$BATS_TEST_TMPDIR/proc"
	# The same lines with the columns reversed and an extra one first.
	for f in shm msg sem; do
		awk '{ printf "%s", (NR == 1 ? "new" : "7"); for (i = NF; i > 0; i--)
		    printf " %s", $i; print "" }' "/proc/sysvipc/$f" \
		    >"$BATS_TEST_TMPDIR/$f"
	done
	export T=$BATS_TEST_TMPDIR
	each_form 'for f in shm msg sem; do
	    mount --bind "$T/$f" "/proc/sysvipc/$f" || exit 1; done;' \
	    >"$BATS_TEST_TMPDIR/moved"
	run diff "$BATS_TEST_TMPDIR/proc" "$BATS_TEST_TMPDIR/moved"
	assert_success
	# And it was the file that was read: no SHM_STAT_ANY.
	run --separate-stderr unshare --mount --propagation private -- bash -c \
	    'mount --bind "$T/shm" /proc/sysvipc/shm && "$IPCTOOL" --trace shm ls'
	[[ "$stderr" != *SHM_STAT* ]]
}

@test "a /proc/sysvipc line that is not what the header says: the walk instead, the same output" {
	[ "$(id -u)" -eq 0 ] || skip "needs root: a mount namespace"
	sparse_ids
	make_mix
	each_form >"$BATS_TEST_TMPDIR/proc"
	export T=$BATS_TEST_TMPDIR
	for f in shm msg sem; do
		{ cat "/proc/sysvipc/$f"; echo "1 2 three"; } >"$T/$f.bad"
	done
	grep -v '^ *key' /proc/sysvipc/shm >"$T/shm.headless"
	each_form 'for f in shm msg sem; do
	    mount --bind "$T/$f.bad" "/proc/sysvipc/$f" || exit 1; done;' \
	    >"$T/bad"
	run diff "$T/proc" "$T/bad"
	assert_success
	each_form 'mount --bind "$T/shm.headless" /proc/sysvipc/shm || exit 1;' \
	    >"$T/headless"
	run diff "$T/proc" "$T/headless"
	assert_success
}
