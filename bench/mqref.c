/*
 * Baseline for `make bench`: N messages of SIZE bytes through one queue,
 * a producer process sending and a consumer receiving, with nothing but
 * msgsnd/msgrcv (sysv) or mq_send/mq_receive (posix) in the loops.
 *
 *	mqref sysv ID N SIZE
 *	mqref posix /NAME N SIZE
 *
 * and, as the baseline of `mq recv --all`'s memory, a loop that takes N
 * messages already queued and writes each to stdout:
 *
 *	mqref drain ID N
 */
#include <sys/msg.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct msg {
	long	mtype;
	char	mtext[65536];
};

static void
sysv(int id, long n, size_t size, int producer)
{
	static struct msg m = { 1, { 0 } };
	long i;

	for (i = 0; i < n; i++) {
		if (producer ? msgsnd(id, &m, size, 0) :
		    msgrcv(id, &m, sizeof(m.mtext), 0, 0) < 0) {
			perror("mqref");
			exit(1);
		}
	}
}

static void
posix(const char *name, long n, size_t size, int producer)
{
	static char buf[65536];
	mqd_t q = mq_open(name, producer ? O_WRONLY : O_RDONLY);
	long i;

	for (i = 0; q != (mqd_t)-1 && i < n; i++)
		if (producer ? mq_send(q, buf, size, 0) :
		    mq_receive(q, buf, sizeof(buf), NULL) < 0)
			break;
	if (q == (mqd_t)-1 || i < n) {
		perror("mqref");
		exit(1);
	}
}

static int
drain(int id, long n)
{
	static struct msg m;
	ssize_t len;

	while (n-- > 0) {
		if ((len = msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT)) < 0 ||
		    write(1, m.mtext, (size_t)len) != len) {
			perror("mqref drain");
			return 1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	long n;
	size_t size;
	pid_t pid;
	int status;

	if (argc == 4 && strcmp(argv[1], "drain") == 0)
		return drain(atoi(argv[2]), atol(argv[3]));
	if (argc != 5)
		return 2;
	n = atol(argv[3]);
	size = (size_t)atol(argv[4]);
	if ((pid = fork()) == 0) {
		if (strcmp(argv[1], "sysv") == 0)
			sysv(atoi(argv[2]), n, size, 1);
		else
			posix(argv[2], n, size, 1);
		_exit(0);
	}
	if (strcmp(argv[1], "sysv") == 0)
		sysv(atoi(argv[2]), n, size, 0);
	else
		posix(argv[2], n, size, 0);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
