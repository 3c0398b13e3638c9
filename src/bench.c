/*
 * ipctool bench: each mechanism measured the same way on this machine.  A
 * parent and a forked child move --size bytes one way (throughput), then
 * bounce one byte back and forth --count times (round-trip latency).  Every
 * channel is a pair of one-way directions with a blocking put and get, so
 * the numbers are comparable: what differs is only the kernel mechanism.
 * Nobody reads the bytes, so each put sends from, and each get lands in,
 * the mechanism's own buffer: a message queue's msgbuf, say, is handed to
 * the kernel as it is, not filled from another buffer first.
 */
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "object.h"

#define MSG_MAX		8192		/* msgmax and msgsize_max defaults */
#define SLOT		(1 << 20)	/* a shared-memory handoff */

struct chan {
	const char	*type, *flavor;
	size_t		 msg;		/* largest put; 0: no data (sem) */
	void		(*open)(struct chan *);
	void		(*put)(struct chan *, int, size_t);
	size_t		(*get)(struct chan *, int, size_t);
	void		(*close)(struct chan *);
	int		 fd[2][2];	/* pipe, fifo: [dir][read, write] */
	char		 dir[64];	/* fifo: their directory */
	int		 id;		/* msg queue, sem set */
	mqd_t		 mq[2];
	sem_t		*ps[2];		/* POSIX sem */
	struct slots	*shm;
};

/* Shared memory: one slot each way, handed over by process-shared sems. */
struct slots {
	sem_t		 full[2], empty[2];
	size_t		 len[2];
	char		 data[2][SLOT];
};

/* What is sent and received; nobody looks at it. */
static char payload[SLOT];

static struct chan *active;	/* removed at exit, even on a signal */
static pid_t child;
static bool in_child;
static volatile sig_atomic_t child_gone;

/* A child that dies early must not leave us blocked waiting for it. */
static void
on_child(int sig)
{
	(void)sig;
	child_gone = 1;
	wait_nudge();
}

static void
cleanup(void)
{
	if (in_child || active == NULL)
		return;
	if (child > 0)
		kill(child, SIGKILL);
	active->close(active);
	active = NULL;
}

static void __attribute__((noreturn))
fail_call(const char *call)
{
	/* The child says why too: the parent only sees its status. */
	if (in_child) {
		fprintf(stderr, "%s: bench: the other process: %s: %s\n",
		    getprogname(), call, strerror(errno));
		_exit(EXIT_FAIL);
	}
	die(EXIT_FAIL, "%s: %s", call, strerror(errno));
}

/* A blocking call came back with EINTR: end on a signal, else retry. */
static void
interrupted(const char *call)
{
	if (errno != EINTR)
		fail_call(call);
	wait_check_signal();
	if (child_gone && !in_child)
		die(EXIT_FAIL, "the other process ended early");
}

/* ---- pipe and fifo: plain fds ---- */

static void
fd_put(struct chan *c, int d, size_t len)
{
	if (write_all(c->fd[d][1], payload, len) == -1)
		fail_call("write");
}

static size_t
fd_get(struct chan *c, int d, size_t len)
{
	ssize_t n;

	while ((n = read(c->fd[d][0], payload, len)) == -1)
		interrupted("read");
	if (n == 0)
		fail_call("read (EOF)");
	return (size_t)n;
}

static void
fd_close(struct chan *c)
{
	int d, e;

	for (d = 0; d < 2; d++)
		for (e = 0; e < 2; e++)
			if (c->fd[d][e] > 0)
				close(c->fd[d][e]);
	if (c->dir[0] != '\0') {
		char path[96];

		for (d = 0; d < 2; d++) {
			snprintf(path, sizeof(path), "%s/%d", c->dir, d);
			unlink(path);
		}
		rmdir(c->dir);
		c->dir[0] = '\0';
	}
}

static void
pipe_open(struct chan *c)
{
	if (pipe2(c->fd[0], O_CLOEXEC) == -1 || pipe2(c->fd[1], O_CLOEXEC) ==
	    -1)
		fail_call("pipe2");
}

/* O_RDWR on both ends so neither open waits for the other process. */
static void
fifo_open(struct chan *c)
{
	char path[96];
	int d;

	strlcpy(c->dir, "/tmp/ipctool-bench-XXXXXX", sizeof(c->dir));
	if (mkdtemp(c->dir) == NULL)
		fail_call("mkdtemp");
	for (d = 0; d < 2; d++) {
		snprintf(path, sizeof(path), "%s/%d", c->dir, d);
		if (mkfifo(path, 0600) == -1)
			fail_call("mkfifo");
		c->fd[d][0] = open(path, O_RDWR | O_CLOEXEC);
		c->fd[d][1] = open(path, O_WRONLY | O_CLOEXEC);
		if (c->fd[d][0] == -1 || c->fd[d][1] == -1)
			fail_call("open");
	}
}

/* ---- shm: the bytes are copied in and out of a shared slot ---- */

static void
slot_put(struct chan *c, int d, size_t len)
{
	while (sem_wait(&c->shm->empty[d]) == -1)
		interrupted("sem_wait");
	memcpy(c->shm->data[d], payload, len);
	c->shm->len[d] = len;
	sem_post(&c->shm->full[d]);
}

static size_t
slot_get(struct chan *c, int d, size_t len)
{
	size_t n;

	while (sem_wait(&c->shm->full[d]) == -1)
		interrupted("sem_wait");
	n = c->shm->len[d] < len ? c->shm->len[d] : len;
	memcpy(payload, c->shm->data[d], n);
	sem_post(&c->shm->empty[d]);
	return n;
}

static void
slots_init(struct slots *s)
{
	int d;

	for (d = 0; d < 2; d++)
		if (sem_init(&s->full[d], 1, 0) == -1 ||
		    sem_init(&s->empty[d], 1, 1) == -1)
			fail_call("sem_init");
}

static void
shm_sysv_open(struct chan *c)
{
	int id = shmget(IPC_PRIVATE, sizeof(struct slots), IPC_CREAT | 0600);

	if (id == -1)
		fail_call("shmget");
	c->shm = shmat(id, NULL, 0);
	shmctl(id, IPC_RMID, NULL);	/* goes when both have detached */
	if (c->shm == (void *)-1)
		fail_call("shmat");
	slots_init(c->shm);
}

static void
shm_posix_open(struct chan *c)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "/ipctool-bench-%d", (int)getpid());
	if ((fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600)) == -1)
		fail_call("shm_open");
	shm_unlink(name);	/* the mapping lives on without the name */
	if (ftruncate(fd, sizeof(struct slots)) == -1)
		fail_call("ftruncate");
	c->shm = mmap(NULL, sizeof(struct slots), PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	close(fd);
	if (c->shm == MAP_FAILED)
		fail_call("mmap");
	slots_init(c->shm);
}

static void
shm_close(struct chan *c)
{
	if (c->shm != NULL && c->shm != MAP_FAILED)
		munmap(c->shm, sizeof(struct slots));
	c->shm = NULL;
}

/* ---- mq ---- */

struct msgbuf_max {
	long	 mtype;
	char	 mtext[MSG_MAX];
};

static struct msgbuf_max msgbuf;

static void
msg_put(struct chan *c, int d, size_t len)
{
	msgbuf.mtype = d + 1;
	while (msgsnd(c->id, &msgbuf, len, 0) == -1)
		interrupted("msgsnd");
}

static size_t
msg_get(struct chan *c, int d, size_t len)
{
	ssize_t n;

	(void)len;	/* a whole message or E2BIG: room for the largest */
	while ((n = msgrcv(c->id, &msgbuf, MSG_MAX, d + 1, 0)) == -1)
		interrupted("msgrcv");
	return (size_t)n;
}

static void
msg_open(struct chan *c)
{
	if ((c->id = msgget(IPC_PRIVATE, IPC_CREAT | 0600)) == -1)
		fail_call("msgget");
}

static void
msg_close(struct chan *c)
{
	msgctl(c->id, IPC_RMID, NULL);
}

static void
mq_put(struct chan *c, int d, size_t len)
{
	while (mq_send(c->mq[d], payload, len, 0) == -1)
		interrupted("mq_send");
}

static size_t
mq_get(struct chan *c, int d, size_t len)
{
	ssize_t n;

	(void)len;	/* mq_receive wants room for the largest message */
	while ((n = mq_receive(c->mq[d], payload, MSG_MAX, NULL)) == -1)
		interrupted("mq_receive");
	return (size_t)n;
}

static void
mq_open_pair(struct chan *c)
{
	struct mq_attr attr = { .mq_maxmsg = 10, .mq_msgsize = MSG_MAX };
	char name[64];
	int d;

	for (d = 0; d < 2; d++) {
		snprintf(name, sizeof(name), "/ipctool-bench-%d-%d",
		    (int)getpid(), d);
		c->mq[d] = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
		    0600, &attr);
		if (c->mq[d] == (mqd_t)-1)
			fail_call("mq_open");
		mq_unlink(name);
	}
}

static void
mq_close_pair(struct chan *c)
{
	mq_close(c->mq[0]);
	mq_close(c->mq[1]);
}

/* ---- sem: no data, only the handoff ---- */

static void
semop_put(struct chan *c, int d, size_t len)
{
	struct sembuf op = { (unsigned short)d, 1, 0 };

	(void)len;
	while (semop(c->id, &op, 1) == -1)
		interrupted("semop");
}

static size_t
semop_get(struct chan *c, int d, size_t len)
{
	struct sembuf op = { (unsigned short)d, -1, 0 };

	while (semop(c->id, &op, 1) == -1)
		interrupted("semop");
	return len;
}

static void
semset_open(struct chan *c)
{
	if ((c->id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600)) == -1)
		fail_call("semget");
}

static void
semset_close(struct chan *c)
{
	semctl(c->id, 0, IPC_RMID);
}

static void
psem_put(struct chan *c, int d, size_t len)
{
	(void)len;
	sem_post(c->ps[d]);
}

static size_t
psem_get(struct chan *c, int d, size_t len)
{
	while (sem_wait(c->ps[d]) == -1)
		interrupted("sem_wait");
	return len;
}

static void
psem_open(struct chan *c)
{
	char name[64];
	int d;

	for (d = 0; d < 2; d++) {
		snprintf(name, sizeof(name), "/ipctool-bench-%d-%d",
		    (int)getpid(), d);
		c->ps[d] = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
		if (c->ps[d] == SEM_FAILED)
			fail_call("sem_open");
		sem_unlink(name);
	}
}

static void
psem_close(struct chan *c)
{
	sem_close(c->ps[0]);
	sem_close(c->ps[1]);
}

/* ---- measuring ---- */

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
start_child(void)
{
	out_flush_or_die();
	if ((child = fork()) == -1)
		fail_call("fork");
	if (child == 0)
		in_child = true;
}

static void
reap_child(void)
{
	int status;

	while (waitpid(child, &status, 0) == -1 && errno == EINTR)
		wait_check_signal();
	child = 0;
	child_gone = 0;
	wait_nudge_stop();
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die(EXIT_FAIL, "the other process failed");
}

/* MiB/s for total bytes sent by the child in c->msg pieces. */
static double
throughput(struct chan *c, unsigned long long total)
{
	unsigned long long moved = 0;
	struct timespec t0;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	start_child();
	if (child == 0) {
		while (moved < total) {
			size_t n = total - moved < c->msg ? total - moved :
			    c->msg;

			c->put(c, 0, n);
			moved += n;
			wait_check_signal();
		}
		_exit(0);
	}
	while (moved < total) {
		moved += c->get(c, 0, c->msg);
		wait_check_signal();	/* one that came between two calls */
	}
	secs = seconds_since(&t0);
	reap_child();
	return (double)total / 1048576.0 / secs;
}

/* Microseconds for one byte there and back (a wake-up, for sem). */
static double
round_trip(struct chan *c, long long count)
{
	struct timespec t0;
	long long i;
	double secs;

	start_child();
	if (child == 0) {
		for (i = 0; i < count; i++) {
			c->get(c, 0, 1);
			c->put(c, 1, 1);
			wait_check_signal();
		}
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		c->put(c, 0, 1);
		c->get(c, 1, 1);
		wait_check_signal();
	}
	secs = seconds_since(&t0);
	reap_child();
	return secs / (double)count * 1e6;
}

static struct chan channels[] = {
	{ .type = "pipe", .flavor = NULL, .msg = 65536, .open = pipe_open,
	    .put = fd_put, .get = fd_get, .close = fd_close },
	{ .type = "fifo", .flavor = NULL, .msg = 65536, .open = fifo_open,
	    .put = fd_put, .get = fd_get, .close = fd_close },
	{ .type = "shm", .flavor = "sysv", .msg = SLOT, .open = shm_sysv_open,
	    .put = slot_put, .get = slot_get, .close = shm_close },
	{ .type = "shm", .flavor = "posix", .msg = SLOT, .open = shm_posix_open,
	    .put = slot_put, .get = slot_get, .close = shm_close },
	{ .type = "mq", .flavor = "sysv", .msg = MSG_MAX, .open = msg_open,
	    .put = msg_put, .get = msg_get, .close = msg_close },
	{ .type = "mq", .flavor = "posix", .msg = MSG_MAX, .open = mq_open_pair,
	    .put = mq_put, .get = mq_get, .close = mq_close_pair },
	{ .type = "sem", .flavor = "sysv", .msg = 0, .open = semset_open,
	    .put = semop_put, .get = semop_get, .close = semset_close },
	{ .type = "sem", .flavor = "posix", .msg = 0, .open = psem_open,
	    .put = psem_put, .get = psem_get, .close = psem_close },
};

/*
 * Both processes on the CPU we are on.  A wake-up across CPUs costs what
 * the sleeping CPU takes to wake: the same for every mechanism, and under
 * a hypervisor 20-40 us against 5 for the whole round trip on one CPU.
 * Left to the scheduler, which puts the child now beside the parent, now
 * across, the figures jump between the two from run to run.  Where the
 * CPU can't be had they are measured unpinned.
 */
static void
pin_to_this_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu == -1)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)sched_setaffinity(0, sizeof(set), &set);
}

/*
 * The record is made after both measurements: the child forked by each
 * must not hold memory it never frees (memcheck calls that a leak when the
 * child _exits).
 */
static struct rec *
measure(struct chan *c, unsigned long long total, long long count)
{
	double mib_s = -1, rtt;
	struct rec *r;

	active = c;
	c->open(c);
	if (c->msg > 0)
		mib_s = throughput(c, total);
	rtt = round_trip(c, count);
	c->close(c);
	active = NULL;
	r = rec_new(c->type);
	rec_str(r, "flavor", c->flavor);
	if (mib_s >= 0)
		rec_int(r, "throughput_mib_s", (long long)(mib_s + 0.5));
	else
		rec_str(r, "throughput_mib_s", NULL);	/* carries no data */
	rec_int(r, "round_trip_ns", (long long)(rtt * 1000 + 0.5));
	return r;
}

static const struct column bench_columns[] = {
	{ "type", COL_STR, COL_DEFAULT, "kind of object", NULL, NULL },
	{ "flavor", COL_STR, COL_DEFAULT, "sysv, posix or none", NULL, NULL },
	{ "throughput_mib_s", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "MiB/s one way, or null", NULL, NULL },
	{ "round_trip_ns", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "one byte there and back, in ns", NULL, NULL },
	COLUMNS_END
};

/* The top-level `ipctool bench`; the CLI has checked --type. */
int
bench_run(struct call *c)
{
	unsigned long long total = 64ULL << 20;
	long long count = 10000;
	struct recs rs = { NULL, 0, 0 };
	struct sigaction sa;
	size_t i;

	if (opt_set(c, OPT_SIZE) && (total = (unsigned long long)
	    c->o[OPT_SIZE].n) > 1ULL << 40)
		die_usage("invalid size '%s' for --size (at most 1T)",
		    c->o[OPT_SIZE].s);
	if (opt_set(c, OPT_COUNT) && (count = c->o[OPT_COUNT].n) > 100000000)
		die_usage("invalid number '%s' for --count (at most 100000000)",
		    c->o[OPT_COUNT].s);
	wait_from_options(c);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_child;	/* no SA_RESTART: calls end with EINTR */
	sigaction(SIGCHLD, &sa, NULL);
	atexit(cleanup);
	pin_to_this_cpu();
	for (i = 0; i < sizeof(channels) / sizeof(channels[0]); i++)
		if (type_wanted(c, channels[i].type))
			recs_add(&rs, measure(&channels[i], total, count));
	out_table(bench_columns, rs.v, rs.n);
	recs_free(&rs);
	return 0;
}
