/*
 * The ipcs applet (see applet.h): util-linux 2.38's ipcs, its options,
 * layout and exit statuses, written from watching that program's output.
 * The System V objects come from sysv_walk, as `ipctool ls` reads them;
 * the POSIX listings (-M, -Q, -S, the names util-linux 2.41's lsipc gives
 * them) from the objects' own collectors, and print only when asked, so
 * that every 2.38 command line prints what 2.38 prints.
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "applet.h"
#include "object.h"

static const char ipcs_help[] =
    "Usage:\n"
    " ipcs [-m|-q|-s|-a] [-M|-Q|-S] [-t|-p|-c|-l|-u] [-b|--human]\n"
    " ipcs -m|-q|-s -i ID\n"
    "\n"
    "List System V IPC objects (the default: all three kinds) and, when\n"
    "asked, POSIX ones.\n"
    "\n"
    "Kinds:\n"
    " -m, --shmems             System V shared memory segments\n"
    " -q, --queues             System V message queues\n"
    " -s, --semaphores         System V semaphore sets\n"
    " -a, --all                all three System V kinds\n"
    " -M, --posix-shmems       POSIX shared memory objects\n"
    " -Q, --posix-mqueues      POSIX message queues\n"
    " -S, --posix-semaphores   POSIX named semaphores\n"
    "\n"
    "What to show (the last one given counts):\n"
    " -t, --time               times of last use and change\n"
    " -p, --pid                pids of the creator and the last user\n"
    " -c, --creator            creator and owner\n"
    " -l, --limits             the kernel's limits\n"
    " -u, --summary            what is in use\n"
    " -i, --id ID              everything about the object with that id\n"
    "\n"
    "Sizes:\n"
    " -b, --bytes              in bytes\n"
    "     --human              with a unit (K, M, G, ...)\n"
    "\n"
    " -h, --help               show this help\n"
    " -V, --version            show the version\n";

enum ipcs_format { FMT_LIST, FMT_TIME, FMT_PID, FMT_CREATOR, FMT_LIMITS,
    FMT_SUMMARY };
enum ipcs_unit { UNIT_DEFAULT, UNIT_BYTES, UNIT_HUMAN };

struct ipcs_opts {
	enum ipcs_format format;
	enum ipcs_unit	 unit;
};

static void __attribute__((noreturn, format(printf, 2, 3)))
ipcs_fail(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "ipcs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
ipcs_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ipcs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'ipcs --help' for more information.\n");
	exit(EXIT_FAIL);
}

/* ---- the objects, as sysv_walk gives them ---- */

union ipcs_ds {
	struct shmid_ds	 shm;
	struct msqid_ds	 msg;
	struct semid_ds	 sem;
};

struct ipcs_obj {
	int		 id;
	union ipcs_ds	 ds;
};

struct ipcs_list {
	struct ipcs_obj	*v;
	size_t		 n, cap, size;	/* size: the kind's struct */
};

static void
list_add(void *arg, int id, const void *buf)
{
	struct ipcs_list *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap > 0 ? 2 * l->cap : 256;
		l->v = reallocarray(l->v, l->cap, sizeof(*l->v));
		if (l->v == NULL)
			ipcs_fail(EXIT_FAIL, "out of memory");
	}
	l->v[l->n].id = id;
	memcpy(&l->v[l->n].ds, buf, l->size);
	l->n++;
}

static void
list_undo(void *arg)
{
	((struct ipcs_list *)arg)->n = 0;
}

static void
list_read(const struct sysv_kind *k, size_t size, struct ipcs_list *l)
{
	const struct sysv_sink sink = { list_add, list_undo, l };

	*l = (struct ipcs_list){ NULL, 0, 0, size };
	sysv_walk(k, &sink);
}

/* ---- how values are written ---- */

/* a * b, or when that overflows, the largest multiple of b there is. */
static unsigned long long
mul_saturated(unsigned long long a, unsigned long long b)
{
	if (b != 0 && a > ULLONG_MAX / b)
		a = ULLONG_MAX / b;
	return a * b;
}

/*
 * Bytes with a one-letter binary unit: "100B", "4K", "3.9M", "16E".  The
 * unit is the largest power of 1024 not above the value; one decimal,
 * rounded from the thousandths, shown unless it is 0.
 */
static const char *
human_size(unsigned long long bytes, char *buf, size_t len)
{
	static const char letters[] = "BKMGTPE";
	unsigned long long whole = bytes, frac = 0, tenths = 0;
	int exp = 0;

	while (exp < 60 && bytes >= 1ULL << (exp + 10))
		exp += 10;
	if (exp > 0) {
		whole = bytes >> exp;
		frac = bytes & ((1ULL << exp) - 1);
	}
	if (frac != 0) {
		/* thousandths, without overflowing the product */
		if (frac >= ULLONG_MAX / 1000)
			frac = (frac / 1024 * 1000) >> (exp - 10);
		else
			frac = frac * 1000 >> exp;
		tenths = (frac + 50) / 100;
		if (tenths == 10) {
			whole++;
			tenths = 0;
		}
	}
	if (tenths != 0)
		snprintf(buf, len, "%llu.%llu%c", whole, tenths,
		    letters[exp / 10]);
	else
		snprintf(buf, len, "%llu%c", whole, letters[exp / 10]);
	return buf;
}

/* A time as the -i blocks and `-s -t` show it, in a field of 26. */
static const char *
long_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "%-26s", "Not set");
	else {
		char s[32];

		strftime(s, sizeof(s), "%a %b %e %H:%M:%S %Y", &tm);
		snprintf(buf, len, "%-26s", s);
	}
	return buf;
}

/* A time as `-m -t` and `-q -t` show it. */
static const char *
short_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL)
		snprintf(buf, len, "%s", "Not set");
	else
		strftime(buf, len, "%b %e %H:%M:%S", &tm);
	return buf;
}

/*
 * A human size in a column of width: right-aligned in its first 6, then
 * the rest of the width, even when the size took 7.
 */
static void
print_human_cell(unsigned long long bytes, int width)
{
	char h[64];

	printf("%6s%*s ", human_size(bytes, h, sizeof(h)), width - 6, "");
}

static void
print_title(const char *title)
{
	printf("------ %s --------\n", title);
}

/* ---- shared memory ---- */

static void
shm_limits(const struct ipcs_opts *o)
{
	unsigned long long page = (unsigned long long)sysconf(_SC_PAGESIZE);
	struct shminfo lim;
	char h[64];

	memset(&lim, 0, sizeof(lim));
	if (shmctl(0, IPC_INFO, (struct shmid_ds *)(void *)&lim) == -1)
		return;
	print_title("Shared Memory Limits");
	printf("max number of segments = %lu\n", lim.shmmni);
	switch (o->unit) {
	case UNIT_HUMAN:
		printf("max seg size = %s\n", human_size(lim.shmmax, h,
		    sizeof(h)));
		printf("max total shared memory = %s\n",
		    human_size(mul_saturated(lim.shmall, page), h, sizeof(h)));
		printf("min seg size = %s\n", human_size(lim.shmmin, h,
		    sizeof(h)));
		break;
	case UNIT_BYTES:
		printf("max seg size (bytes) = %lu\n", lim.shmmax);
		printf("max total shared memory (bytes) = %llu\n",
		    mul_saturated(lim.shmall, page));
		printf("min seg size (bytes) = %lu\n", lim.shmmin);
		break;
	case UNIT_DEFAULT:
		printf("max seg size (kbytes) = %lu\n", lim.shmmax / 1024);
		printf("max total shared memory (kbytes) = %llu\n",
		    mul_saturated(lim.shmall, page / 1024));
		printf("min seg size (bytes) = %lu\n", lim.shmmin);
		break;
	}
}

static void
shm_summary(void)
{
	struct shm_info use;

	memset(&use, 0, sizeof(use));
	if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&use) == -1)
		return;
	print_title("Shared Memory Status");
	printf("segments allocated %d\n", use.used_ids);
	printf("pages allocated %lu\n", use.shm_tot);
	printf("pages resident  %lu\n", use.shm_rss);
	printf("pages swapped   %lu\n", use.shm_swp);
	printf("Swap performance: %lu attempts\t %lu successes\n",
	    use.swap_attempts, use.swap_successes);
}

/* -c's row, the same for every kind. */
static void
creator_row(int id, const struct ipc_perm *p)
{
	printf("%-10d %-10o %-10s %-10s %-10s %-10s\n", id, p->mode & 0777,
	    user_name(p->cuid), group_name(p->cgid), user_name(p->uid),
	    group_name(p->gid));
}

/* A -t row of a segment or queue: id, owner and three times. */
static void
times_row(int id_width, int id, const struct ipc_perm *p, time_t a,
    time_t b, time_t c)
{
	char t1[32], t2[32], t3[32];

	printf("%-*d %-10.10s %-20s %-20s %-20s\n", id_width, id,
	    user_name(p->uid), short_time(a, t1, sizeof(t1)),
	    short_time(b, t2, sizeof(t2)), short_time(c, t3, sizeof(t3)));
}

/* The default row's first four cells: key, id, owner, perms. */
static void
key_row_lead(int id, const struct ipc_perm *p)
{
	printf("0x%08x %-10d %-10.10s %-10o ", (unsigned)p->__key, id,
	    user_name(p->uid), p->mode & 0777);
}

static void
shm_row(const struct ipcs_obj *x, const struct ipcs_opts *o)
{
	const struct shmid_ds *d = &x->ds.shm;
	const struct ipc_perm *p = &d->shm_perm;

	switch (o->format) {
	case FMT_TIME:
		times_row(10, x->id, p, d->shm_atime, d->shm_dtime,
		    d->shm_ctime);
		break;
	case FMT_PID:
		printf("%-10d %-10.10s %-10d %-10d\n", x->id, user_name(p->uid),
		    d->shm_cpid, d->shm_lpid);
		break;
	case FMT_CREATOR:
		creator_row(x->id, p);
		break;
	default:
		key_row_lead(x->id, p);
		if (o->unit == UNIT_HUMAN)
			print_human_cell(d->shm_segsz, 10);
		else
			printf("%-10zu ", d->shm_segsz);
		printf("%-10lu %-6s %-6s\n", (unsigned long)d->shm_nattch,
		    p->mode & SHM_DEST ? "dest" : "",
		    p->mode & SHM_LOCKED ? "locked" : "");
		break;
	}
}

static void
shm_list(const struct ipcs_opts *o)
{
	struct ipcs_list l;
	size_t i;

	switch (o->format) {
	case FMT_LIMITS:
		shm_limits(o);
		return;
	case FMT_SUMMARY:
		shm_summary();
		return;
	case FMT_TIME:
		print_title("Shared Memory Attach/Detach/Change Times");
		printf("%-10s %-10s %-20s %-20s %-20s\n", "shmid", "owner",
		    "attached", "detached", "changed");
		break;
	case FMT_PID:
		print_title("Shared Memory Creator/Last-op PIDs");
		printf("%-10s %-10s %-10s %-10s\n", "shmid", "owner", "cpid",
		    "lpid");
		break;
	case FMT_CREATOR:
		print_title("Shared Memory Segment Creators/Owners");
		printf("%-10s %-10s %-10s %-10s %-10s %-10s\n", "shmid", "perms",
		    "cuid", "cgid", "uid", "gid");
		break;
	case FMT_LIST:
		print_title("Shared Memory Segments");
		printf("%-10s %-10s %-10s %-10s %-10s %-10s %-12s\n", "key",
		    "shmid", "owner", "perms",
		    o->unit == UNIT_HUMAN ? "size" : "bytes", "nattch",
		    "status");
		break;
	}
	list_read(&shm_kind, sizeof(struct shmid_ds), &l);
	for (i = 0; i < l.n; i++)
		shm_row(&l.v[i], o);
	free(l.v);
}

static void
shm_show(const struct ipcs_obj *x, int id, const struct ipcs_opts *o)
{
	const struct shmid_ds *d = &x->ds.shm;
	const struct ipc_perm *p = &d->shm_perm;
	char t[64], h[64];

	printf("\nShared memory Segment shmid=%d\n", id);
	printf("uid=%u\tgid=%u\tcuid=%u\tcgid=%u\n", p->uid, p->gid, p->cuid,
	    p->cgid);
	printf("mode=%#o\taccess_perms=%#o\n", p->mode, p->mode & 0777);
	if (o->unit == UNIT_HUMAN)
		printf("size=%s", human_size(d->shm_segsz, h, sizeof(h)));
	else
		printf("bytes=%zu", d->shm_segsz);
	printf("\tlpid=%d\tcpid=%d\tnattch=%lu\n", d->shm_lpid, d->shm_cpid,
	    (unsigned long)d->shm_nattch);
	printf("att_time=%s\n", long_time(d->shm_atime, t, sizeof(t)));
	printf("det_time=%s\n", long_time(d->shm_dtime, t, sizeof(t)));
	printf("change_time=%s\n", long_time(d->shm_ctime, t, sizeof(t)));
	printf("\n");
}

/* ---- message queues ---- */

static void
msg_limits(const struct ipcs_opts *o)
{
	struct msginfo lim;
	char h[64];

	memset(&lim, 0, sizeof(lim));
	if (msgctl(0, IPC_INFO, (struct msqid_ds *)(void *)&lim) == -1)
		return;
	print_title("Messages Limits");
	printf("max queues system wide = %d\n", lim.msgmni);
	if (o->unit == UNIT_HUMAN) {
		printf("max size of message = %s\n",
		    human_size((unsigned)lim.msgmax, h, sizeof(h)));
		printf("default max size of queue = %s\n",
		    human_size((unsigned)lim.msgmnb, h, sizeof(h)));
	} else {
		printf("max size of message (bytes) = %d\n", lim.msgmax);
		printf("default max size of queue (bytes) = %d\n", lim.msgmnb);
	}
}

static void
msg_summary(const struct ipcs_opts *o)
{
	struct msginfo use;
	char h[64];

	memset(&use, 0, sizeof(use));
	if (msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&use) == -1)
		return;
	print_title("Messages Status");
	printf("allocated queues = %d\n", use.msgpool);
	printf("used headers = %d\n", use.msgmap);
	if (o->unit == UNIT_HUMAN)
		printf("used space = %s\n", human_size((unsigned)use.msgtql,
		    h, sizeof(h)));
	else if (o->unit == UNIT_BYTES)
		printf("used space (bytes) = %d\n", use.msgtql);
	else
		printf("used space = %d bytes\n", use.msgtql);
}

static void
msg_row(const struct ipcs_obj *x, const struct ipcs_opts *o)
{
	const struct msqid_ds *d = &x->ds.msg;
	const struct ipc_perm *p = &d->msg_perm;

	switch (o->format) {
	case FMT_TIME:
		times_row(8, x->id, p, d->msg_stime, d->msg_rtime,
		    d->msg_ctime);
		break;
	case FMT_PID:
		printf("%-8d %-10.10s %6d %9d\n", x->id, user_name(p->uid),
		    d->msg_lspid, d->msg_lrpid);
		break;
	case FMT_CREATOR:
		creator_row(x->id, p);
		break;
	default:
		key_row_lead(x->id, p);
		if (o->unit == UNIT_HUMAN)
			print_human_cell(d->__msg_cbytes, 12);
		else
			printf("%-12lu ", (unsigned long)d->__msg_cbytes);
		printf("%-12lu\n", (unsigned long)d->msg_qnum);
		break;
	}
}

static void
msg_list(const struct ipcs_opts *o)
{
	struct ipcs_list l;
	size_t i;

	switch (o->format) {
	case FMT_LIMITS:
		msg_limits(o);
		return;
	case FMT_SUMMARY:
		msg_summary(o);
		return;
	case FMT_TIME:
		print_title("Message Queues Send/Recv/Change Times");
		printf("%-8s %-10s %-20s %-20s %-20s\n", "msqid", "owner",
		    "send", "recv", "change");
		break;
	case FMT_PID:
		print_title("Message Queues PIDs");
		printf("%-10s %-10s %-10s %-10s\n", "msqid", "owner", "lspid",
		    "lrpid");
		break;
	case FMT_CREATOR:
		print_title("Message Queues Creators/Owners");
		printf("%-10s %-10s %-10s %-10s %-10s %-10s\n", "msqid", "perms",
		    "cuid", "cgid", "uid", "gid");
		break;
	case FMT_LIST:
		print_title("Message Queues");
		printf("%-10s %-10s %-10s %-10s %-12s %-12s\n", "key", "msqid",
		    "owner", "perms",
		    o->unit == UNIT_HUMAN ? "size" : "used-bytes", "messages");
		break;
	}
	list_read(&mq_kind, sizeof(struct msqid_ds), &l);
	for (i = 0; i < l.n; i++)
		msg_row(&l.v[i], o);
	free(l.v);
}

static void
msg_show(const struct ipcs_obj *x, int id, const struct ipcs_opts *o)
{
	const struct msqid_ds *d = &x->ds.msg;
	const struct ipc_perm *p = &d->msg_perm;
	struct msqid_ds full;
	unsigned long qbytes = 0;
	char t[64], h[64];

	/*
	 * /proc/sysvipc/msg has no qbytes: IPC_STAT has, when we may read
	 * the queue; else, or for a negative id, 2.38 shows 0.
	 */
	memset(&full, 0, sizeof(full));
	if (id >= 0 && msgctl(x->id, IPC_STAT, &full) != -1)
		qbytes = full.msg_qbytes;
	printf("\nMessage Queue msqid=%d\n", id);
	printf("uid=%u\tgid=%u\tcuid=%u\tcgid=%u\tmode=%#o\n", p->uid, p->gid,
	    p->cuid, p->cgid, p->mode);
	if (o->unit == UNIT_HUMAN) {
		printf("csize=%s", human_size(d->__msg_cbytes, h, sizeof(h)));
		printf("\tqsize=%s", human_size(qbytes, h, sizeof(h)));
	} else
		printf("cbytes=%lu\tqbytes=%lu",
		    (unsigned long)d->__msg_cbytes, qbytes);
	printf("\tqnum=%lu\tlspid=%d\tlrpid=%d\n", (unsigned long)d->msg_qnum,
	    d->msg_lspid, d->msg_lrpid);
	printf("send_time=%s\n", long_time(d->msg_stime, t, sizeof(t)));
	printf("rcv_time=%s\n", long_time(d->msg_rtime, t, sizeof(t)));
	printf("change_time=%s\n", long_time(d->msg_ctime, t, sizeof(t)));
	printf("\n");
}

/* ---- semaphores ---- */

static void
sem_limits(void)
{
	struct seminfo lim;

	memset(&lim, 0, sizeof(lim));
	if (semctl(0, 0, IPC_INFO, &lim) == -1)
		return;
	print_title("Semaphore Limits");
	printf("max number of arrays = %d\n", lim.semmni);
	printf("max semaphores per array = %d\n", lim.semmsl);
	printf("max semaphores system wide = %d\n", lim.semmns);
	printf("max ops per semop call = %d\n", lim.semopm);
	printf("semaphore max value = %d\n", lim.semvmx);
}

static void
sem_summary(void)
{
	struct seminfo use;

	memset(&use, 0, sizeof(use));
	if (semctl(0, 0, SEM_INFO, &use) == -1)
		return;
	print_title("Semaphore Status");
	printf("used arrays = %d\n", use.semusz);
	printf("allocated semaphores = %d\n", use.semaem);
}

static void
sem_row(const struct ipcs_obj *x, const struct ipcs_opts *o)
{
	const struct semid_ds *d = &x->ds.sem;
	const struct ipc_perm *p = &d->sem_perm;
	char t1[64], t2[64];

	switch (o->format) {
	case FMT_TIME:
		printf("%-8d %-10.10s  %s %s\n", x->id, user_name(p->uid),
		    long_time(d->sem_otime, t1, sizeof(t1)),
		    long_time(d->sem_ctime, t2, sizeof(t2)));
		break;
	case FMT_CREATOR:
		creator_row(x->id, p);
		break;
	default:
		key_row_lead(x->id, p);
		printf("%-10lu\n", (unsigned long)d->sem_nsems);
		break;
	}
}

static void
sem_list(const struct ipcs_opts *o)
{
	struct ipcs_list l;
	size_t i;

	switch (o->format) {
	case FMT_LIMITS:
		sem_limits();
		return;
	case FMT_SUMMARY:
		sem_summary();
		return;
	case FMT_PID:
		return;		/* a set has no pids of its own */
	case FMT_TIME:
		print_title("Semaphore Operation/Change Times");
		printf("%-8s %-10s %-26s %-26s\n", "semid", "owner",
		    "last-op", "last-changed");
		break;
	case FMT_CREATOR:
		print_title("Semaphore Arrays Creators/Owners");
		printf("%-10s %-10s %-10s %-10s %-10s %-10s\n", "semid", "perms",
		    "cuid", "cgid", "uid", "gid");
		break;
	case FMT_LIST:
		print_title("Semaphore Arrays");
		printf("%-10s %-10s %-10s %-10s %-10s\n", "key", "semid",
		    "owner", "perms", "nsems");
		break;
	}
	list_read(&sem_kind, sizeof(struct semid_ds), &l);
	for (i = 0; i < l.n; i++)
		sem_row(&l.v[i], o);
	free(l.v);
}

/*
 * Each semaphore's value, ncount, zcount and pid, read before anything is
 * printed: a set we may not read is an error (exit 1), as in 2.38.
 */
static int *
sem_values(int id, unsigned long n)
{
	static const struct { int cmd; const char *name; } calls[] = {
		{ GETVAL, "GETVAL" }, { GETNCNT, "GETNCNT" },
		{ GETZCNT, "GETZCNT" }, { GETPID, "GETPID" },
	};
	int *v = reallocarray(NULL, n > 0 ? 4 * n : 1, sizeof(*v));
	unsigned long i, c;

	if (v == NULL)
		ipcs_fail(EXIT_FAIL, "out of memory");
	for (i = 0; i < n; i++)
		for (c = 0; c < 4; c++)
			if ((v[4 * i + c] = semctl(id, (int)i, calls[c].cmd))
			    == -1)
				ipcs_fail(EXIT_FAIL, "semctl(%s) failed: %s",
				    calls[c].name, strerror(errno));
	return v;
}

static void
sem_show(const struct ipcs_obj *x, int id, const struct ipcs_opts *o)
{
	const struct semid_ds *d = &x->ds.sem;
	const struct ipc_perm *p = &d->sem_perm;
	unsigned long i, n = (unsigned long)d->sem_nsems;
	int *v = sem_values(x->id, n);
	char t[64];

	(void)o;
	printf("\nSemaphore Array semid=%d\n", id);
	printf("uid=%u\t gid=%u\t cuid=%u\t cgid=%u\n", p->uid, p->gid,
	    p->cuid, p->cgid);
	printf("mode=%#o, access_perms=%#o\n", p->mode, p->mode & 0777);
	printf("nsems = %lu\n", n);
	printf("otime = %s\n", long_time(d->sem_otime, t, sizeof(t)));
	printf("ctime = %s\n", long_time(d->sem_ctime, t, sizeof(t)));
	printf("%-10s %-10s %-10s %-10s %-10s\n", "semnum", "value", "ncount",
	    "zcount", "pid");
	for (i = 0; i < n; i++)
		printf("%-10lu %-10d %-10d %-10d %-10d\n", i, v[4 * i],
		    v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]);
	printf("\n");
	free(v);
}

/* ---- -i ID ---- */

/*
 * The object with that id; a negative id (which names none) shows the
 * first segment or queue under the id given, as util-linux 2.38 does.
 * For a set, 2.38 crashes there; we say it is not found.
 */
static int
show_id(const struct sysv_kind *k, size_t size, int id,
    void (*show)(const struct ipcs_obj *, int, const struct ipcs_opts *),
    const struct ipcs_opts *o)
{
	struct ipcs_list l;
	struct ipcs_obj one;
	size_t i;

	/*
	 * An id names its index (the kernel masks it): one *_STAT_ANY, which
	 * answers with the id now at that index, instead of reading them all.
	 */
	if (id >= 0) {
		memset(&one, 0, sizeof(one));
		one.id = sysv_stat_any(k, id, &one.ds);
		if (one.id == id) {
			show(&one, id, o);
			return 0;
		}
	}
	list_read(k, size, &l);
	for (i = 0; i < l.n; i++)
		if (l.v[i].id == id || (id < 0 && k != &sem_kind))
			break;
	if (i == l.n) {
		free(l.v);
		fflush(stdout);
		fprintf(stderr, "ipcs: id %d not found\n", id);
		return 0;
	}
	show(&l.v[i], id, o);
	free(l.v);
	return 0;
}

/* -i's word: decimal, an int; spaces and a sign before it are fine. */
static int
parse_id(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == 0 && (v > INT_MAX || v < INT_MIN))
		errno = ERANGE;
	if (errno == ERANGE)
		ipcs_fail(EXIT_FAIL, "failed to parse id argument: '%s': %s",
		    s, strerror(ERANGE));
	if (end == s || *end != '\0')
		ipcs_fail(EXIT_FAIL, "failed to parse id argument: '%s'", s);
	return (int)v;
}

/* ---- POSIX ---- */

enum { POSIX_SHM = 1, POSIX_MQ = 2, POSIX_SEM = 4 };

/* The POSIX records of an object's collector (both flavours' list). */
static void
posix_read(const struct object *obj, struct recs *rs)
{
	struct recs all = { NULL, 0, 0 };
	size_t i;
	const char *f;

	obj->collect(&all);
	for (i = 0; i < all.n; i++) {
		f = rec_get_str(all.v[i], "flavor");
		if (f != NULL && strcmp(f, "posix") == 0)
			recs_add(rs, all.v[i]);
		else
			rec_free(all.v[i]);
	}
	free(all.v);
}

static const char *
str_or(const struct rec *r, const char *field, const char *dflt)
{
	const char *s = rec_get_str(r, field);

	return s != NULL ? s : dflt;
}

static void
posix_size_cell(unsigned long long bytes, int width,
    const struct ipcs_opts *o)
{
	if (o->unit == UNIT_HUMAN)
		print_human_cell(bytes, width);
	else
		printf("%-*llu ", width, bytes);
}

/*
 * One POSIX kind in the layout of its System V sibling: the name (in 30)
 * where System V has key and id.
 */
static void
posix_list(int kind, const struct ipcs_opts *o)
{
	static const struct {
		int		 kind;
		const struct object *obj;
		const char	*title;		/* "POSIX " + this */
		const char	*count;		/* -l/-u: what there are */
	} kinds[] = {
		{ POSIX_MQ, &obj_mq, "Message Queues", "queues" },
		{ POSIX_SHM, &obj_shm, "Shared Memory Segments", "segments" },
		{ POSIX_SEM, &obj_sem, "Semaphores", "semaphores" },
	};
	struct recs rs = { NULL, 0, 0 };
	unsigned long long total = 0;
	char title[80], t1[32], t2[32];
	size_t i, k;

	for (k = 0; kinds[k].kind != kind; k++)
		;
	if (o->format == FMT_PID || o->format == FMT_LIMITS)
		return;		/* no pids; limits: see `ipctool limits` */
	posix_read(kinds[k].obj, &rs);
	switch (o->format) {
	case FMT_SUMMARY:
		snprintf(title, sizeof(title), "POSIX %s Status",
		    kinds[k].title);
		print_title(title);
		for (i = 0; i < rs.n; i++)
			total += rec_get_size(rs.v[i], kind == POSIX_MQ ?
			    "qsize" : "size");
		printf("%s allocated = %zu\n", kinds[k].count, rs.n);
		if (kind != POSIX_SEM)
			printf("used space = %llu bytes\n", total);
		break;
	case FMT_TIME:
		snprintf(title, sizeof(title), "POSIX %s Change Times",
		    kinds[k].title);
		print_title(title);
		printf("%-30s %-10s %-20s\n", "name", "owner",
		    kind == POSIX_SEM ? "changed" : "modified");
		for (i = 0; i < rs.n; i++)
			printf("%-30s %-10.10s %-20s\n",
			    str_or(rs.v[i], "name", ""),
			    str_or(rs.v[i], "owner", ""),
			    short_time((time_t)rec_get_size(rs.v[i],
			    kind == POSIX_SEM ? "ctime" : "mtime"), t1,
			    sizeof(t1)));
		break;
	case FMT_CREATOR:
		snprintf(title, sizeof(title), "POSIX %s Owners",
		    kinds[k].title);
		print_title(title);
		printf("%-30s %-10s %-10s %-10s\n", "name", "perms", "uid",
		    "gid");
		for (i = 0; i < rs.n; i++)
			printf("%-30s %-10llo %-10s %-10s\n",
			    str_or(rs.v[i], "name", ""),
			    rec_get_size(rs.v[i], "mode") & 0777,
			    str_or(rs.v[i], "owner", ""),
			    str_or(rs.v[i], "group", ""));
		break;
	default:
		snprintf(title, sizeof(title), "POSIX %s", kinds[k].title);
		print_title(title);
		printf("%-30s %-10s %-10s ", "name", "owner", "perms");
		if (kind == POSIX_MQ)
			printf("%-12s %-12s\n", o->unit == UNIT_HUMAN ? "size" :
			    "used-bytes", "messages");
		else if (kind == POSIX_SHM)
			printf("%-10s\n", o->unit == UNIT_HUMAN ? "size" :
			    "bytes");
		else
			printf("%-10s\n", "value");
		for (i = 0; i < rs.n; i++) {
			printf("%-30s %-10.10s %-10llo ",
			    str_or(rs.v[i], "name", ""),
			    str_or(rs.v[i], "owner", ""),
			    rec_get_size(rs.v[i], "mode") & 0777);
			if (kind == POSIX_MQ) {
				posix_size_cell(rec_get_size(rs.v[i], "qsize"),
				    12, o);
				printf("%-12llu\n",
				    rec_get_size(rs.v[i], "curmsgs"));
			} else if (kind == POSIX_SHM) {
				posix_size_cell(rec_get_size(rs.v[i], "size"),
				    10, o);
				printf("\n");
			} else {
				snprintf(t2, sizeof(t2), "%llu",
				    rec_get_size(rs.v[i], "value"));
				printf("%-10s\n", t2);
			}
		}
		break;
	}
	printf("\n");
	recs_free(&rs);
}

/* ---- the command line ---- */

enum { OPT_HUMAN_ = 256 };

static const struct option ipcs_longopts[] = {
	{ "id", required_argument, NULL, 'i' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "shmems", no_argument, NULL, 'm' },
	{ "queues", no_argument, NULL, 'q' },
	{ "semaphores", no_argument, NULL, 's' },
	{ "all", no_argument, NULL, 'a' },
	{ "posix-shmems", no_argument, NULL, 'M' },
	{ "posix-mqueues", no_argument, NULL, 'Q' },
	{ "posix-semaphores", no_argument, NULL, 'S' },
	{ "time", no_argument, NULL, 't' },
	{ "pid", no_argument, NULL, 'p' },
	{ "creator", no_argument, NULL, 'c' },
	{ "limits", no_argument, NULL, 'l' },
	{ "summary", no_argument, NULL, 'u' },
	{ "human", no_argument, NULL, OPT_HUMAN_ },
	{ "bytes", no_argument, NULL, 'b' },
	{ NULL, 0, NULL, 0 },
};

enum { SYSV_MSG = 1, SYSV_SHM = 2, SYSV_SEM = 4, SYSV_ALL = 7 };

/* getopt_long's complaint (opterr is 0), in our words. */
static void __attribute__((noreturn))
bad_option(int c, char **argv)
{
	const char *word = argv[optind - 1];
	bool is_long = strncmp(word, "--", 2) == 0;

	if (c == ':' && !is_long)
		ipcs_usage_error("option requires an argument -- '%c'", optopt);
	if (c == ':')
		ipcs_usage_error("option '%s' requires an argument", word);
	if (!is_long && optopt > 0 && optopt < 256)
		ipcs_usage_error("invalid option -- '%c'", optopt);
	ipcs_usage_error("unrecognized, ambiguous or misused option '%s'",
	    word);
}

/* stdout's last bytes out, or say why not (exit 1). */
static int
ipcs_done(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		ipcs_fail(EXIT_FAIL, "write error: %s", strerror(errno));
	return 0;
}

int
ipcs_main(int argc, char **argv)
{
	static char obuf[1 << 16];
	struct ipcs_opts o = { FMT_LIST, UNIT_DEFAULT };
	unsigned sysv = 0, posix = 0;
	bool have_id = false;
	int c, id = 0;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:hVmqsaMQStpclub",
	    ipcs_longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			id = parse_id(optarg);
			have_id = true;
			break;
		case 'h':
			fputs(ipcs_help, stdout);
			return ipcs_done();
		case 'V':
			printf("ipcs from ipctool %s (util-linux 2.38 "
			    "compatible)\n", IPCTOOL_VERSION);
			return ipcs_done();
		case 'm': sysv |= SYSV_SHM; break;
		case 'q': sysv |= SYSV_MSG; break;
		case 's': sysv |= SYSV_SEM; break;
		case 'a': sysv = SYSV_ALL; break;
		case 'M': posix |= POSIX_SHM; break;
		case 'Q': posix |= POSIX_MQ; break;
		case 'S': posix |= POSIX_SEM; break;
		case 't': o.format = FMT_TIME; break;
		case 'p': o.format = FMT_PID; break;
		case 'c': o.format = FMT_CREATOR; break;
		case 'l': o.format = FMT_LIMITS; break;
		case 'u': o.format = FMT_SUMMARY; break;
		case 'b': o.unit = UNIT_BYTES; break;
		case OPT_HUMAN_: o.unit = UNIT_HUMAN; break;
		default:
			bad_option(c, argv);
		}
	}
	/* -a anywhere means all three, whatever else was named */
	if (have_id) {
		if (posix != 0 || (sysv != SYSV_SHM && sysv != SYSV_MSG &&
		    sysv != SYSV_SEM))
			ipcs_fail(EXIT_FAIL, "when using an ID, a single "
			    "resource must be specified");
		if (sysv == SYSV_SHM)
			show_id(&shm_kind, sizeof(struct shmid_ds), id,
			    shm_show, &o);
		else if (sysv == SYSV_MSG)
			show_id(&mq_kind, sizeof(struct msqid_ds), id,
			    msg_show, &o);
		else
			show_id(&sem_kind, sizeof(struct semid_ds), id,
			    sem_show, &o);
		return ipcs_done();
	}
	if (sysv == 0 && posix == 0)
		sysv = SYSV_ALL;
	printf("\n");
	if (sysv & SYSV_MSG) {
		msg_list(&o);
		printf("\n");
	}
	if (sysv & SYSV_SHM) {
		shm_list(&o);
		printf("\n");
	}
	if (sysv & SYSV_SEM) {
		sem_list(&o);
		printf("\n");
	}
	if (posix & POSIX_MQ)
		posix_list(POSIX_MQ, &o);
	if (posix & POSIX_SHM)
		posix_list(POSIX_SHM, &o);
	if (posix & POSIX_SEM)
		posix_list(POSIX_SEM, &o);
	return ipcs_done();
}
