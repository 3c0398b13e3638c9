#!/usr/bin/perl
# sysv.pl VERB ARGS...: System V objects made and used by Perl alone, for
# the applet tests (independent of ipctool).
use strict;
use warnings;
use IPC::SysV qw(IPC_PRIVATE IPC_CREAT IPC_EXCL IPC_RMID IPC_NOWAIT
    SETALL shmat shmdt);
my $verb = shift // die "usage\n";
sub key { my $k = shift; $k =~ /^0x/i ? hex($k) : $k }
if ($verb eq 'shm') {		# shm KEY SIZE MODE
	my $id = shmget(key($ARGV[0]), $ARGV[1], oct($ARGV[2]) | IPC_CREAT | IPC_EXCL);
	defined $id or die "shmget: $!\n";
	print "$id\n";
} elsif ($verb eq 'msg') {	# msg KEY MODE
	my $id = msgget(key($ARGV[0]), oct($ARGV[1]) | IPC_CREAT | IPC_EXCL);
	defined $id or die "msgget: $!\n";
	print "$id\n";
} elsif ($verb eq 'sem') {	# sem KEY NSEMS MODE
	my $id = semget(key($ARGV[0]), $ARGV[1], oct($ARGV[2]) | IPC_CREAT | IPC_EXCL);
	defined $id or die "semget: $!\n";
	print "$id\n";
} elsif ($verb eq 'send') {	# send ID TYPE TEXT...
	my ($id, $type) = splice(@ARGV, 0, 2);
	for my $t (@ARGV) {
		msgsnd($id, pack("l! a*", $type, $t), IPC_NOWAIT) or die "msgsnd: $!\n";
	}
} elsif ($verb eq 'recv') {	# recv ID: take one message
	my $buf;
	msgrcv($ARGV[0], $buf, 8192, 0, IPC_NOWAIT) or die "msgrcv: $!\n";
} elsif ($verb eq 'semop') {	# semop ID N:DELTA...: one semop call
	my $id = shift @ARGV;
	my $ops = join '', map { my ($n, $d) = split /:/; pack("s!3", $n, $d, 0) } @ARGV;
	semop($id, $ops) or die "semop: $!\n";
} elsif ($verb eq 'setall') {	# setall ID V...: SETALL (ctime, no otime)
	my $id = shift @ARGV;
	semctl($id, 0, SETALL, pack("s!*", @ARGV)) or die "semctl: $!\n";
} elsif ($verb eq 'lock') {	# lock ID: SHM_LOCK
	shmctl($ARGV[0], 11, 0) or die "shmctl SHM_LOCK: $!\n";
} elsif ($verb eq 'touch') {	# touch ID: attach, then detach
	my $a = shmat($ARGV[0], undef, 0) // die "shmat: $!\n";
	shmdt($a);
} elsif ($verb eq 'hold') {	# hold ID SECONDS: stay attached
	my $a = shmat($ARGV[0], undef, 0) // die "shmat: $!\n";
	$| = 1;
	print "attached\n";
	sleep $ARGV[1];
} elsif ($verb eq 'many') {	# many N: N of each kind, keyed
	my $n = $ARGV[0];
	for my $i (1 .. $n) {
		defined shmget(0x50000 + $i, 4096, 0600 | IPC_CREAT) or die "shmget: $!\n";
		defined msgget(0x60000 + $i, 0640 | IPC_CREAT) or die "msgget: $!\n";
		defined semget(0x70000 + $i, 2, 0660 | IPC_CREAT) or die "semget: $!\n";
	}
} elsif ($verb eq 'rm') {	# rm shm|msg|sem ID
	my ($t, $id) = @ARGV;
	my $ok = $t eq 'shm' ? shmctl($id, IPC_RMID, 0)
	    : $t eq 'msg' ? msgctl($id, IPC_RMID, 0)
	    : semctl($id, 0, IPC_RMID, 0);
	$ok or die "rm $t $id: $!\n";
} else {
	die "sysv.pl: no verb $verb\n";
}
