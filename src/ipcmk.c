/*
 * The ipcmk applet (see applet.h): util-linux 2.38's ipcmk, as observed,
 * plus 2.41's POSIX options (-m SIZE, -q, -s, each with -n NAME).  Each
 * System V object gets a random key, as util-linux's do (IPC_EXCL, a new
 * key on a clash); objects are made in a fixed order whatever the order
 * of the options, and the first failure exits 1.  The POSIX objects are
 * made with the mode as given, less the umask, as util-linux's are.
 */
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "object.h"

static const char usage_text[] =
"\n"
"Usage:\n"
" ipcmk [options]\n"
"\n"
"Create various IPC resources.\n"
"\n"
"Options:\n"
" -M, --shmem <size>       create shared memory segment of size <size>\n"
" -m, --posix-shmem <size> create POSIX shared memory segment of size <size>\n"
" -S, --semaphore <number> create semaphore array with <number> elements\n"
" -s, --posix-semaphore    create POSIX semaphore\n"
" -Q, --queue              create message queue\n"
" -q, --posix-mqueue       create POSIX message queue\n"
" -n, --name <name>        name of the POSIX resource\n"
" -p, --mode <mode>        permission for the resource (default is 0644)\n"
"\n"
" -h, --help               display this help\n"
" -V, --version            display version\n"
"\n"
"Arguments:\n"
" <size> arguments may be followed by the suffixes for\n"
"   GiB, TiB, PiB, EiB, ZiB, and YiB (the \"iB\" is optional)\n"
"\n"
"For more details see ipctool-applets(7).\n";

/*
 * A size as util-linux reads one: a number in C notation, then K, M, G,
 * T, P, E, Z or Y (either case) alone or with iB (powers of 1024) or with
 * B (powers of 1000); with a suffix, a fraction may come before it
 * ("1.5K").  0 or the errno (EINVAL, ERANGE) that says why not.
 */
static int
strtosize(const char *text, uint64_t *res)
{
	static const char letters[] = "KMGTPEZY";
	const char *p = text, *frac = NULL, *l;
	uint64_t v, mult = 1, base = 1024, add = 0, div = 1;
	size_t nfrac = 0;
	char *end;
	int i;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '-')
		return EINVAL;
	errno = 0;
	v = strtoull(p, &end, 0);
	if (end == p)
		return EINVAL;
	if (errno == ERANGE)
		return ERANGE;
	if (*end == '.') {
		frac = end + 1;
		for (end = (char *)frac; *end >= '0' && *end <= '9'; end++)
			nfrac++;
	}
	if (*end == '\0')
		return frac == NULL ? (*res = v, 0) : EINVAL;
	if ((l = strchr(letters, end[0] & ~0x20)) == NULL || end[0] == '\0')
		return EINVAL;
	if (strcmp(end + 1, "B") == 0 || strcmp(end + 1, "b") == 0)
		base = 1000;
	else if (end[1] != '\0' && strcmp(end + 1, "iB") != 0 &&
	    strcmp(end + 1, "ib") != 0)
		return EINVAL;
	for (i = 0; i <= l - letters; i++) {
		if (mult > UINT64_MAX / base)
			return v == 0 ? (*res = 0, 0) : ERANGE;
		mult *= base;
	}
	/* each digit of the fraction in turn, cut to whole bytes */
	for (i = 0; (size_t)i < nfrac && div <= mult / 10; i++) {
		div *= 10;
		add += (uint64_t)(frac[i] - '0') * mult / div;
	}
	if (v > (UINT64_MAX - add) / mult)
		return ERANGE;
	*res = v * mult + add;
	return 0;
}

static uint64_t
option_size(const char *text)
{
	uint64_t size;
	int err;

	if ((err = strtosize(text, &size)) != 0)
		errx(EXIT_FAIL, "failed to parse size: '%s': %s", text,
		    strerror(err));
	return size;
}

static int
option_nsems(const char *text)
{
	return applet_int(text, "elements");
}

/* Octal, any value: the kernel keeps the permission bits. */
static mode_t
option_mode(const char *text)
{
	return (mode_t)(applet_ulong(text, 8, "mode") & 0777);
}

/* A random key that is not IPC_PRIVATE. */
static key_t
random_key(void)
{
	key_t key;

	do
		key = (key_t)arc4random();
	while (key == IPC_PRIVATE);
	return key;
}

/* *get(random key, IPC_CREAT | IPC_EXCL | mode), a new key on a clash. */
static int
sysv_make(const char *what, int (*get)(key_t, int, int), int arg, int mode)
{
	int id, tries;

	for (tries = 0; tries < 64; tries++)
		if ((id = get(random_key(), arg, IPC_CREAT | IPC_EXCL | mode)) !=
		    -1 || errno != EEXIST)
			break;
	if (id == -1)
		err(EXIT_FAIL, "create %s failed", what);
	return id;
}

static size_t shm_size;

static int
get_shm(key_t key, int unused, int flags)
{
	(void)unused;
	return shmget(key, shm_size, flags);
}

static int
get_msg(key_t key, int unused, int flags)
{
	(void)unused;
	return msgget(key, flags);
}

static int
get_sem(key_t key, int nsems, int flags)
{
	return semget(key, nsems, flags);
}

static void
posix_shm_make(const char *name, uint64_t size, mode_t mode)
{
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, mode);

	if (fd == -1)
		err(EXIT_FAIL, "create POSIX shared memory failed");
	if (ftruncate(fd, (off_t)size) == -1) {
		int e = errno;

		shm_unlink(name);
		errno = e;
		err(EXIT_FAIL, "create POSIX shared memory failed");
	}
	close(fd);
	printf("POSIX shared memory name: %s\n", name);
}

static void
posix_mq_make(const char *name, mode_t mode)
{
	mqd_t q = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, mode, NULL);

	if (q == (mqd_t)-1)
		err(EXIT_FAIL, "create POSIX message queue failed");
	mq_close(q);
	printf("POSIX message queue name: %s\n", name);
}

static void
posix_sem_make(const char *name, mode_t mode)
{
	sem_t *s = sem_open(name, O_CREAT | O_EXCL, mode, 0);

	if (s == SEM_FAILED)
		err(EXIT_FAIL, "create POSIX semaphore failed");
	sem_close(s);
	printf("POSIX semaphore name: %s\n", name);
}

static const struct option longopts[] = {
	{ "shmem", required_argument, NULL, 'M' },
	{ "posix-shmem", required_argument, NULL, 'm' },
	{ "semaphore", required_argument, NULL, 'S' },
	{ "posix-semaphore", no_argument, NULL, 's' },
	{ "queue", no_argument, NULL, 'Q' },
	{ "posix-mqueue", no_argument, NULL, 'q' },
	{ "name", required_argument, NULL, 'n' },
	{ "mode", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void __attribute__((noreturn))
bad_usage(const char *what)
{
	if (what != NULL)
		warnx("%s", what);
	fprintf(stderr, "Try 'ipcmk --help' for more information.\n");
	exit(EXIT_FAIL);
}

int
ipcmk_main(int argc, char **argv)
{
	bool shm = false, pshm = false, msg = false, pmsg = false;
	bool sem = false, psem = false;
	uint64_t size = 0, psize = 0;
	const char *name = NULL;
	mode_t mode = 0644;
	int ch, nsems = 0, id;

	while ((ch = getopt_long(argc, argv, "M:m:S:sQqn:p:hV", longopts,
	    NULL)) != -1)
		switch (ch) {
		case 'M':
			size = option_size(optarg);
			shm = true;
			break;
		case 'm':
			psize = option_size(optarg);
			pshm = true;
			break;
		case 'S':
			nsems = option_nsems(optarg);
			sem = true;
			break;
		case 's':
			psem = true;
			break;
		case 'Q':
			msg = true;
			break;
		case 'q':
			pmsg = true;
			break;
		case 'n':
			name = optarg;
			break;
		case 'p':
			mode = option_mode(optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			out_flush_or_die();
			exit(0);
		case 'V':
			printf("ipcmk from ipctool %s\n", IPCTOOL_VERSION);
			out_flush_or_die();
			exit(0);
		default:
			bad_usage(NULL);
		}
	if (!shm && !pshm && !msg && !pmsg && !sem && !psem)
		bad_usage("bad usage");
	if ((pshm || pmsg || psem) && name == NULL)
		bad_usage("name is required for POSIX IPC");
	if (shm) {
		shm_size = (size_t)size;
		id = sysv_make("share memory", get_shm, 0, (int)mode);
		printf("Shared memory id: %d\n", id);
	}
	if (pshm)
		posix_shm_make(name, psize, mode);
	if (msg) {
		id = sysv_make("message queue", get_msg, 0, (int)mode);
		printf("Message queue id: %d\n", id);
	}
	if (pmsg)
		posix_mq_make(name, mode);
	if (sem) {
		id = sysv_make("semaphore", get_sem, nsems, (int)mode);
		printf("Semaphore id: %d\n", id);
	}
	if (psem)
		posix_sem_make(name, mode);
	out_flush_or_die();
	return 0;
}
