/*
 * Reference for bench/mech: what `ipctool bench` measures for one mechanism,
 * written as the plain loop a textbook would, with none of ipctool's code.
 * The same work: a forked child sends SIZE bytes one way (64 KiB writes
 * through a pipe or FIFO, 1 MiB slots handed over by two process-shared
 * semaphores through shared memory, 8 KiB messages through a queue), timed
 * from before the fork to the last byte in; then COUNT round trips of one
 * byte (a post answered by a post for semaphores), timed after the fork.
 * Like ipctool, it keeps both processes on the CPU it started on.
 *
 *	mechref pipe|fifo|shm-sysv|shm-posix|mq-sysv|mq-posix|sem-sysv|sem-posix
 *	    SIZE COUNT
 *	mechref memcpy SIZE	one core copying SIZE bytes in 1 MiB pieces
 *	mechref futex COUNT	two processes waking each other by futex
 *
 * Prints "throughput_mib_s X" (or "-" when nothing is moved) and
 * "round_trip_ns Y", one a line, as ipctool's JSON names them.
 */
#define _GNU_SOURCE
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <err.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	65536		/* pipe, fifo */
#define MSG	8192		/* mq */
#define SLOT	(1 << 20)	/* shm */

struct slots {
	sem_t	full[2], empty[2];
	size_t	len[2];
	char	data[2][SLOT];
};

struct msg {
	long	mtype;
	char	mtext[MSG];
};

static const char *names[] = { "pipe", "fifo", "shm-sysv", "shm-posix",
    "mq-sysv", "mq-posix", "sem-sysv", "sem-posix" };
static enum { PIPE, FIFO, SHM_SYSV, SHM_POSIX, MQ_SYSV, MQ_POSIX, SEM_SYSV,
    SEM_POSIX } kind;
static const size_t piece[] = { CHUNK, CHUNK, SLOT, SLOT, MSG, MSG, 0, 0 };

static char buf[SLOT];
static int fd[2][2];		/* [direction][read, write] */
static char dir[] = "/tmp/mechref-XXXXXX";
static struct slots *s;
static int id;
static mqd_t q[2];
static sem_t *ps[2];

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
child_done(void)
{
	int st;

	if (wait(&st) == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		errx(1, "the child failed");
}

static void
open_mech(void)
{
	struct mq_attr a = { .mq_maxmsg = 10, .mq_msgsize = MSG };
	char path[64];
	int d;

	switch (kind) {
	case PIPE:
		if (pipe(fd[0]) == -1 || pipe(fd[1]) == -1)
			err(1, "pipe");
		break;
	case FIFO:
		if (mkdtemp(dir) == NULL)
			err(1, "mkdtemp");
		for (d = 0; d < 2; d++) {
			snprintf(path, sizeof(path), "%s/%d", dir, d);
			if (mkfifo(path, 0600) == -1)
				err(1, "mkfifo");
			fd[d][0] = open(path, O_RDWR);
			fd[d][1] = open(path, O_WRONLY);
			if (fd[d][0] == -1 || fd[d][1] == -1)
				err(1, "open");
			unlink(path);
		}
		rmdir(dir);
		break;
	case SHM_SYSV:
		id = shmget(IPC_PRIVATE, sizeof(*s), IPC_CREAT | 0600);
		if (id == -1 || (s = shmat(id, NULL, 0)) == (void *)-1)
			err(1, "shmget");
		shmctl(id, IPC_RMID, NULL);
		break;
	case SHM_POSIX:
		snprintf(path, sizeof(path), "/mechref-%d", getpid());
		if ((d = shm_open(path, O_RDWR | O_CREAT | O_EXCL, 0600)) == -1)
			err(1, "shm_open");
		shm_unlink(path);
		if (ftruncate(d, sizeof(*s)) == -1)
			err(1, "ftruncate");
		s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED,
		    d, 0);
		if (s == MAP_FAILED)
			err(1, "mmap");
		close(d);
		break;
	case MQ_SYSV:
		if ((id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) == -1)
			err(1, "msgget");
		break;
	case MQ_POSIX:
		for (d = 0; d < 2; d++) {
			snprintf(path, sizeof(path), "/mechref-%d-%d",
			    getpid(), d);
			q[d] = mq_open(path, O_RDWR | O_CREAT | O_EXCL, 0600,
			    &a);
			if (q[d] == (mqd_t)-1)
				err(1, "mq_open");
			mq_unlink(path);
		}
		break;
	case SEM_SYSV:
		if ((id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600)) == -1)
			err(1, "semget");
		break;
	case SEM_POSIX:
		for (d = 0; d < 2; d++) {
			snprintf(path, sizeof(path), "/mechref-%d-%d",
			    getpid(), d);
			ps[d] = sem_open(path, O_CREAT | O_EXCL, 0600, 0);
			if (ps[d] == SEM_FAILED)
				err(1, "sem_open");
			sem_unlink(path);
		}
		break;
	}
	if (kind == SHM_SYSV || kind == SHM_POSIX)
		for (d = 0; d < 2; d++)
			if (sem_init(&s->full[d], 1, 0) == -1 ||
			    sem_init(&s->empty[d], 1, 1) == -1)
				err(1, "sem_init");
}

static void
close_mech(void)
{
	if (kind == MQ_SYSV)
		msgctl(id, IPC_RMID, NULL);
	else if (kind == SEM_SYSV)
		semctl(id, 0, IPC_RMID);
}

/* Put len bytes (one piece) in direction d. */
static void
put(int d, size_t len)
{
	static struct msg mb;
	struct sembuf op = { (unsigned short)d, 1, 0 };
	size_t off;
	ssize_t n;

	switch (kind) {
	case PIPE:
	case FIFO:
		for (off = 0; off < len; off += (size_t)n)
			if ((n = write(fd[d][1], buf + off, len - off)) == -1)
				err(1, "write");
		break;
	case SHM_SYSV:
	case SHM_POSIX:
		sem_wait(&s->empty[d]);
		memcpy(s->data[d], buf, len);
		s->len[d] = len;
		sem_post(&s->full[d]);
		break;
	case MQ_SYSV:
		mb.mtype = d + 1;
		if (msgsnd(id, &mb, len, 0) == -1)
			err(1, "msgsnd");
		break;
	case MQ_POSIX:
		if (mq_send(q[d], buf, len, 0) == -1)
			err(1, "mq_send");
		break;
	case SEM_SYSV:
		if (semop(id, &op, 1) == -1)
			err(1, "semop");
		break;
	case SEM_POSIX:
		sem_post(ps[d]);
		break;
	}
}

/* Get one piece of at most len bytes from direction d; its length. */
static size_t
get(int d, size_t len)
{
	static struct msg mb;
	struct sembuf op = { (unsigned short)d, -1, 0 };
	ssize_t n = (ssize_t)len;

	switch (kind) {
	case PIPE:
	case FIFO:
		if ((n = read(fd[d][0], buf, len)) <= 0)
			err(1, "read");
		break;
	case SHM_SYSV:
	case SHM_POSIX:
		sem_wait(&s->full[d]);
		n = (ssize_t)(s->len[d] < len ? s->len[d] : len);
		memcpy(buf, s->data[d], (size_t)n);
		sem_post(&s->empty[d]);
		break;
	case MQ_SYSV:
		if ((n = msgrcv(id, &mb, MSG, d + 1, 0)) == -1)
			err(1, "msgrcv");
		break;
	case MQ_POSIX:
		if ((n = mq_receive(q[d], buf, MSG, NULL)) == -1)
			err(1, "mq_receive");
		break;
	case SEM_SYSV:
		if (semop(id, &op, 1) == -1)
			err(1, "semop");
		break;
	case SEM_POSIX:
		sem_wait(ps[d]);
		break;
	}
	return (size_t)n;
}

static void
mech(unsigned long long size, long count)
{
	unsigned long long moved = 0;
	size_t n = piece[kind];
	double t0, secs;
	long i;

	open_mech();
	if (n == 0)
		printf("throughput_mib_s -\n");
	else {
		t0 = now();
		if (fork() == 0) {
			for (; moved < size; moved += n) {
				if (size - moved < n)
					n = size - moved;
				put(0, n);
			}
			_exit(0);
		}
		while (moved < size)
			moved += get(0, n);
		secs = now() - t0;
		child_done();
		printf("throughput_mib_s %.1f\n", (double)size / 1048576 /
		    secs);
	}
	if (fork() == 0) {
		for (i = 0; i < count; i++) {
			get(0, 1);
			put(1, 1);
		}
		_exit(0);
	}
	t0 = now();
	for (i = 0; i < count; i++) {
		put(0, 1);
		get(1, 1);
	}
	secs = now() - t0;
	child_done();
	printf("round_trip_ns %.0f\n", secs / (double)count * 1e9);
	close_mech();
}

/* The most a one-way copy can move: memcpy alone, 1 MiB at a time. */
static void
copy_ceiling(unsigned long long size)
{
	static char src[SLOT], dst[SLOT];
	unsigned long long moved;
	double t0, secs;

	memset(src, 'x', sizeof(src));
	memset(dst, 0, sizeof(dst));
	t0 = now();
	for (moved = 0; moved < size; moved += SLOT) {
		memcpy(dst, src, SLOT);
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	secs = now() - t0;
	printf("throughput_mib_s %.1f\n", (double)size / 1048576 / secs);
}

static void
futex_wait(atomic_int *f, int v)
{
	while (atomic_load(f) == v)
		syscall(SYS_futex, f, FUTEX_WAIT, v, NULL, NULL, 0);
}

static void
futex_wake(atomic_int *f)
{
	atomic_fetch_add(f, 1);
	syscall(SYS_futex, f, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* The cheapest wake-up there and back: one futex word each way. */
static void
wake_ceiling(long count)
{
	atomic_int *f = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double t0, secs;
	long i;

	if (f == MAP_FAILED)
		err(1, "mmap");
	if (fork() == 0) {
		for (i = 0; i < count; i++) {
			futex_wait(&f[0], (int)i);
			futex_wake(&f[1]);
		}
		_exit(0);
	}
	t0 = now();
	for (i = 0; i < count; i++) {
		futex_wake(&f[0]);
		futex_wait(&f[1], (int)i);
	}
	secs = now() - t0;
	child_done();
	printf("round_trip_ns %.0f\n", secs / (double)count * 1e9);
}

int
main(int argc, char **argv)
{
	cpu_set_t one;

	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	if (argc == 3 && strcmp(argv[1], "memcpy") == 0)
		copy_ceiling(strtoull(argv[2], NULL, 10));
	else if (argc == 3 && strcmp(argv[1], "futex") == 0)
		wake_ceiling(atol(argv[2]));
	else if (argc == 4) {
		for (kind = PIPE; strcmp(argv[1], names[kind]) != 0; kind++)
			if (kind == SEM_POSIX)
				errx(2, "unknown mechanism %s", argv[1]);
		mech(strtoull(argv[2], NULL, 10), atol(argv[3]));
	} else
		errx(2, "usage: mechref MECH SIZE COUNT | memcpy SIZE | "
		    "futex COUNT");
	return 0;
}
