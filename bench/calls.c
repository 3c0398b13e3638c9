/*
 * Driver for `bench/run call`: one-shot invocations timed in a loop that
 * adds as little of its own as it can (posix_spawn, no shell, no PATH
 * search for an absolute CMD), and the System V objects they work on, made
 * and removed without the tool under test.
 *
 *	calls run N [IDS] -- CMD [ARG...]
 *		run CMD N times, one after another, stdin and stdout on
 *		/dev/null; print the microseconds the N took.  With IDS, an
 *		ARG "{}" is the I-th line of that file in call I.  A call
 *		that fails ends it with status 1.
 *	calls mk shm N	N IPC_PRIVATE segments of 4 KiB; print their ids
 *	calls mk sem	one IPC_PRIVATE set of one semaphore, value 1
 *	calls mk mq	one IPC_PRIVATE queue
 *	calls rm shm|sem|mq ID...
 *		remove each that is still there
 *	calls sweep PID IDS
 *		remove each segment of IDS still there that PID created;
 *		print how many there were
 *	calls rss -- CMD [ARG...]
 *		run CMD once as `run` does; print its peak resident set in
 *		KiB (ru_maxrss, what time -f %M prints)
 *
 * With CALLS_IPC_NS=/proc/PID/ns/ipc in the environment, each of these
 * works in that IPC namespace (and what run starts is in it), so that a
 * benchmark can keep several sets of objects and alternate between them.
 */
#define _GNU_SOURCE
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

union semun {				/* the caller's to declare */
	int		 val;
	struct semid_ds	*buf;
	unsigned short	*array;
};

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static void
usage(void)
{
	fputs("usage: calls run N [IDS] -- CMD [ARG...]\n"
	    "       calls mk shm N | mk sem | mk mq\n"
	    "       calls rm shm|sem|mq ID...\n"
	    "       calls sweep PID IDS\n"
	    "       calls rss -- CMD [ARG...]\n", stderr);
	exit(2);
}

/* The lines of PATH, at least N of them. */
static char **
read_ids(const char *path, long n)
{
	FILE *f = fopen(path, "r");
	char **ids = calloc((size_t)n, sizeof(*ids));
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long i = 0;

	if (f == NULL || ids == NULL)
		die(path);
	while (i < n && (len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if ((ids[i++] = strdup(line)) == NULL)
			die("strdup");
	}
	if (i < n) {
		fprintf(stderr, "calls: %s: %ld ids, %ld wanted\n", path, i, n);
		exit(1);
	}
	free(line);
	fclose(f);
	return ids;
}

/* Run CMD N times; the microseconds they took, or -1 when one failed. */
static long long
run_loop(long n, const char *idpath, char **argv)
{
	posix_spawn_file_actions_t fa;
	struct timespec t0, t1;
	char **ids = idpath != NULL ? read_ids(idpath, n) : NULL;
	int argc, slot[16], nslot = 0, status, i, j;
	pid_t pid;
	long c;

	for (argc = 0; argv[argc] != NULL; argc++)
		if (ids != NULL && strcmp(argv[argc], "{}") == 0 &&
		    nslot < (int)(sizeof(slot) / sizeof(slot[0])))
			slot[nslot++] = argc;
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0))
		die("posix_spawn_file_actions");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (c = 0; c < n; c++) {
		for (j = 0; j < nslot; j++)
			argv[slot[j]] = ids[c];
		if ((errno = posix_spawnp(&pid, argv[0], &fa, NULL, argv,
		    environ)) != 0)
			die(argv[0]);
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "calls: call %ld failed:", c + 1);
			for (i = 0; i < argc; i++)
				fprintf(stderr, " %s", argv[i]);
			fputc('\n', stderr);
			return -1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000;
}

static int
run(long n, const char *idpath, char **argv)
{
	long long us = run_loop(n, idpath, argv);

	if (us < 0)
		return 1;
	printf("%lld\n", us);
	return 0;
}

/* Peak RSS of one run of CMD, by getrusage as time(1) reads it. */
static int
rss(char **argv)
{
	struct rusage ru;

	if (run_loop(1, NULL, argv) < 0)
		return 1;
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
		die("getrusage");
	printf("%ld\n", ru.ru_maxrss);
	return 0;
}

static int
make(const char *type, long n)
{
	union semun arg = { .val = 1 };
	long i;
	int id;

	for (i = 0; i < n; i++) {
		if (strcmp(type, "shm") == 0)
			id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
		else if (strcmp(type, "sem") == 0) {
			id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
			if (id >= 0 && semctl(id, 0, SETVAL, arg) < 0)
				die("semctl");
		} else if (strcmp(type, "mq") == 0)
			id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		else
			usage();
		if (id < 0)
			die(type);
		printf("%d\n", id);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Remove one; one that is gone already is no error. */
static int
remove_one(const char *type, int id)
{
	int r;

	if (strcmp(type, "shm") == 0)
		r = shmctl(id, IPC_RMID, NULL);
	else if (strcmp(type, "sem") == 0)
		r = semctl(id, 0, IPC_RMID);
	else if (strcmp(type, "mq") == 0)
		r = msgctl(id, IPC_RMID, NULL);
	else
		usage();
	if (r < 0 && errno != EINVAL && errno != EIDRM) {
		fprintf(stderr, "calls: rm %s %d: %s\n", type, id,
		    strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * The segments left of a batch: only those PID created, so that an id
 * removed in a timed round and since given to someone else's segment is
 * not touched.
 */
static int
sweep(pid_t pid, const char *path)
{
	FILE *f = fopen(path, "r");
	struct shmid_ds ds;
	int id, rc = 0;
	long n = 0;

	if (f == NULL) {
		puts("0");
		return 0;
	}
	while (fscanf(f, "%d", &id) == 1)
		if (shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_cpid == pid) {
			rc |= remove_one("shm", id);
			n++;
		}
	fclose(f);
	printf("%ld\n", n);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *ns = getenv("CALLS_IPC_NS");
	int i, fd, rc = 0;

	if (ns != NULL && *ns != '\0') {
		if ((fd = open(ns, O_RDONLY | O_CLOEXEC)) == -1 ||
		    setns(fd, CLONE_NEWIPC) == -1)
			die(ns);
		close(fd);
	}
	if (argc >= 5 && strcmp(argv[1], "run") == 0) {
		if (strcmp(argv[3], "--") == 0)
			return run(atol(argv[2]), NULL, argv + 4);
		if (argc >= 6 && strcmp(argv[4], "--") == 0)
			return run(atol(argv[2]), argv[3], argv + 5);
	} else if (argc >= 3 && strcmp(argv[1], "mk") == 0)
		return make(argv[2], argc > 3 ? atol(argv[3]) : 1);
	else if (argc >= 3 && strcmp(argv[1], "rm") == 0) {
		for (i = 3; i < argc; i++)
			rc |= remove_one(argv[2], atoi(argv[i]));
		return rc;
	} else if (argc >= 4 && strcmp(argv[1], "rss") == 0 &&
	    strcmp(argv[2], "--") == 0)
		return rss(argv + 3);
	else if (argc == 4 && strcmp(argv[1], "sweep") == 0)
		return sweep((pid_t)atol(argv[2]), argv[3]);
	usage();
	return 2;
}
