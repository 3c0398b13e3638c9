/*
 * sem: System V semaphore sets (semget/semop/semctl) and POSIX named
 * semaphores (sem_open and friends), two backends behind one set of verbs,
 * chosen by the reference.  wait, post and run are the verbs scripts call
 * in loops: each is one semop (or sem_wait/sem_post) after start-up, with
 * no listing and no /proc.
 */
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object.h"

#define NOUN		"semaphore"
#define SHM_DIR		"/dev/shm"
#define SEMVMX_		32767		/* the kernel's largest value */
#define INIT_WAIT_MS	1000		/* --exist-ok waits this long at most */
#define SEMMSL_MAX	32000		/* the kernel's largest set */

union semun {
	int		 val;
	struct semid_ds	*buf;
	unsigned short	*array;
	struct seminfo	*__buf;
};

/* An opened semaphore: a System V set's id or a POSIX handle. */
struct sem_h {
	const struct ref *ref;
	int		 id;		/* System V */
	sem_t		*s;		/* POSIX */
};

/* ---- traced calls ---- */

static int
sem_get(key_t key, int nsems, int flags)
{
	int r = semget(key, nsems, flags);

	trace_call(r, "semget(%s, %d, %s)", trace_key(key), nsems,
	    trace_ipcflags(flags));
	return r;
}

/*
 * semctl's fourth argument travels as a whole register: { 0 } or
 * { .val = v } set only the int, so the union's other 4 bytes would be
 * whatever the stack held.  These set every byte.
 */
static union semun
semun_val(int v)
{
	union semun u;

	memset(&u, 0, sizeof(u));
	u.val = v;
	return u;
}

#define SEMUN_NONE	semun_val(0)

static int
sem_ctl(int id, int num, int cmd, const char *cmdname, union semun arg)
{
	int r = semctl(id, num, cmd, arg);

	trace_call(r, "semctl(%d, %d, %s, ...)", id, num, cmdname);
	return r;
}

static const char *
sop_text(const struct sembuf *ops, size_t n)
{
	static char buf[256];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		char one[64];

		snprintf(one, sizeof(one), "%s{%u, %+d, %s%s%s}", i ? ", " : "",
		    ops[i].sem_num, ops[i].sem_op,
		    ops[i].sem_flg & SEM_UNDO ? "SEM_UNDO" : "",
		    (ops[i].sem_flg & SEM_UNDO) && (ops[i].sem_flg & IPC_NOWAIT) ?
		    "|" : "", ops[i].sem_flg & IPC_NOWAIT ? "IPC_NOWAIT" :
		    ops[i].sem_flg ? "" : "0");
		strlcat(buf, one, sizeof(buf));
	}
	return buf;
}

static int
sem_do(int id, struct sembuf *ops, size_t n, const struct timespec *left)
{
	int r = semtimedop(id, ops, n, left);

	trace_call(r, "semtimedop(%d, [%s], %zu, %s)", id, sop_text(ops, n),
	    n, left ? "{...}" : "NULL");
	return r;
}

static int
sem_get_existing(key_t key)
{
	return sem_get(key, 0, 0);
}

static int
sem_rmid(int id)
{
	return sem_ctl(id, 0, IPC_RMID, "IPC_RMID", SEMUN_NONE);
}

static int
sem_ctl_any(int id, int cmd, void *buf)
{
	const char *name = cmd == IPC_INFO ? "IPC_INFO" :
	    cmd == SEM_INFO ? "SEM_INFO" :
	    cmd == SEM_STAT ? "SEM_STAT" : "SEM_STAT_ANY";
	struct semid_ds ds;
	int r;

	/* IPC_INFO and SEM_INFO fill a seminfo, which valgrind knows. */
	if (cmd != SEM_STAT && cmd != SEM_STAT_ANY)
		return sem_ctl(id, 0, cmd, name, (union semun){ .buf = buf });
	/*
	 * Read into a zeroed semid_ds, so that a checker that does not know
	 * the kernel fills it (valgrind 3.19 and SEM_STAT_ANY) sees defined
	 * bytes, not a stack's leftovers.
	 */
	memset(&ds, 0, sizeof(ds));
	if ((r = sem_ctl(id, 0, cmd, name, (union semun){ .buf = &ds })) != -1)
		memcpy(buf, &ds, sizeof(ds));
	return r;
}

static bool sysv_from_proc(const struct sysvipc_row *, void *);
static struct rec *sysv_listed(int, const void *);

const struct sysv_kind sem_kind = {
	NOUN, sem_get_existing, sem_rmid, sem_ctl_any, SEM_INFO, SEM_STAT,
	SEM_STAT_ANY, "/proc/sysvipc/sem",
	SV_BIT(SV_KEY) | SV_BIT(SV_ID) | SV_BIT(SV_PERMS) | SV_BIT(SV_NSEMS) |
	SV_BIT(SV_UID) | SV_BIT(SV_GID) | SV_BIT(SV_CUID) | SV_BIT(SV_CGID) |
	SV_BIT(SV_OTIME) | SV_BIT(SV_CTIME),
	sysv_from_proc, sysv_listed
};

/*
 * What the list being collected shows of each set's semaphores, which
 * /proc lacks: their values (a semctl GETALL a set), and each one's ncnt,
 * zcnt and pid (three calls a semaphore).
 */
static bool list_values, list_counts;

static void
sysv_stat(const struct ref *r, int id, struct semid_ds *ds)
{
	if (sem_ctl(id, 0, IPC_STAT, "IPC_STAT", (union semun){ .buf = ds })
	    == -1)
		die_errno(errno == EINVAL ? ENOENT : errno, r->text, NOUN);
}

/* "/x" lives in /dev/shm/sem.x. */
static void
posix_path(const char *name, char *path, size_t len)
{
	snprintf(path, len, SHM_DIR "/sem.%s", name + 1);
}

static sem_t *
posix_open(const char *name, int oflag, mode_t mode, unsigned value)
{
	sem_t *s;

	if (oflag & O_CREAT) {
		s = sem_open(name, oflag, mode, value);
		trace_ptr(s == SEM_FAILED ? (void *)-1 : s, "sem_open(\"%s\", "
		    "%s, %04o, %u)", name, trace_oflags(oflag),
		    (unsigned)mode, value);
	} else {
		s = sem_open(name, oflag);
		trace_ptr(s == SEM_FAILED ? (void *)-1 : s, "sem_open(\"%s\", "
		    "%s)", name, trace_oflags(oflag));
	}
	return s;
}

static sem_t *
posix_open_existing(const struct ref *r)
{
	sem_t *s = posix_open(r->name, 0, 0, 0);

	if (s == SEM_FAILED)
		die_errno(errno, r->text, NOUN);
	return s;
}

static int
posix_value(sem_t *s)
{
	int v = 0;

	sem_getvalue(s, &v);
	return v;
}

/* ---- records ---- */

/*
 * A System V set as a record holds it.  What semctl says of its semaphores
 * is read with the set, so that drawing the record makes no calls.
 */
struct sysv_set {
	int		 id;
	struct semid_ds	 ds;
	bool		 cell;		/* ls: a table cell of the values */
	bool		 read;		/* GETALL worked: v holds the values */
	bool		 counts;	/* and then ncnt, zcnt, pid of each */
	int		 v[];
};

/*
 * The set and, when values, its semaphores' values; with counts, each
 * one's ncnt, zcnt and pid too.  A set we may not read has no values.
 */
static struct sysv_set *
sysv_set_read(int id, const struct semid_ds *ds, bool cell, bool values,
    bool counts)
{
	int n = (int)ds->sem_nsems, i;
	unsigned short vals[n > 0 ? n : 1];
	struct sysv_set *s;

	s = malloc(sizeof(*s) + (values ? (counts ? 4 : 1) : 0) *
	    (size_t)n * sizeof(s->v[0]));
	if (s == NULL)
		die(EXIT_FAIL, "out of memory");
	*s = (struct sysv_set){ .id = id, .ds = *ds, .cell = cell };
	if (!values || sem_ctl(id, 0, GETALL, "GETALL",
	    (union semun){ .array = vals }) == -1)
		return s;
	s->read = true;
	s->counts = counts;
	for (i = 0; i < n; i++)
		s->v[i] = vals[i];
	for (i = 0; counts && i < n; i++) {
		s->v[n + 3 * i] = sem_ctl(id, i, GETNCNT, "GETNCNT",
		    SEMUN_NONE);
		s->v[n + 3 * i + 1] = sem_ctl(id, i, GETZCNT, "GETZCNT",
		    SEMUN_NONE);
		s->v[n + 3 * i + 2] = sem_ctl(id, i, GETPID, "GETPID",
		    SEMUN_NONE);
	}
	return s;
}

/*
 * Each semaphore of the set: index, value, ncnt, zcnt, pid.  For ls, the
 * array's table cell is the values, comma-separated, as get prints them.
 */
static void
add_semaphores(struct rec *r, const struct sysv_set *s)
{
	int n = (int)s->ds.sem_nsems, i;
	char *text, *p;

	if (!s->read)
		return;	/* listing what we may not read: no values */
	for (i = 0; s->counts && i < n; i++) {
		struct rec *k = rec_child(r, "semaphores");

		rec_int(k, "index", i);
		rec_int(k, "value", s->v[i]);
		rec_int(k, "ncnt", s->v[n + 3 * i]);
		rec_int(k, "zcnt", s->v[n + 3 * i + 1]);
		rec_int(k, "pid", s->v[n + 3 * i + 2]);
	}
	if (!s->cell || n == 0)
		return;
	/* "32767," is the longest a value takes. */
	if ((text = malloc((size_t)n * 6 + 1)) == NULL)
		die(EXIT_FAIL, "out of memory");
	for (p = text, i = 0; i < n; i++)
		p += sprintf(p, "%s%u", i > 0 ? "," : "", (unsigned)s->v[i]);
	rec_array(r, "semaphores", text);
	free(text);
}

static void
sysv_fill(struct rec *r, const void *p)
{
	const struct sysv_set *s = p;

	rec_str(r, "type", "sem");
	rec_ipc_perm(r, &s->ds.sem_perm, s->id);
	rec_int(r, "nsems", (long long)s->ds.sem_nsems);
	rec_time(r, "otime", s->ds.sem_otime);
	rec_time(r, "ctime", s->ds.sem_ctime);
	add_semaphores(r, s);
}

/* ds is a struct semid_ds: the type sysv_collect's callback takes. */
static struct rec *
sysv_listed(int id, const void *ds)
{
	const struct semid_ds *sd = ds;
	struct rec *r = rec_deferred(sysv_fill, sysv_set_read(id, ds, true,
	    list_values, list_counts));

	/* A set's users hold only its id: whether any does is unknowable. */
	sysv_facts(r, &sd->sem_perm, sd->sem_ctime, USE_UNKNOWN);
	return r;
}

/* A line of /proc/sysvipc/sem as SEM_STAT_ANY's struct semid_ds. */
static bool
sysv_from_proc(const struct sysvipc_row *row, void *p)
{
	struct semid_ds *ds = p;

	ds->sem_perm.__key = (key_t)row->v[SV_KEY];
	ds->sem_perm.mode = (unsigned short)row->v[SV_PERMS];
	ds->sem_perm.uid = (uid_t)row->v[SV_UID];
	ds->sem_perm.gid = (gid_t)row->v[SV_GID];
	ds->sem_perm.cuid = (uid_t)row->v[SV_CUID];
	ds->sem_perm.cgid = (gid_t)row->v[SV_CGID];
	ds->sem_nsems = (unsigned long)row->v[SV_NSEMS];
	ds->sem_otime = (time_t)row->v[SV_OTIME];
	ds->sem_ctime = (time_t)row->v[SV_CTIME];
	return true;
}

static struct rec *
sysv_stat_record(const struct ref *r)
{
	struct semid_ds ds;
	struct sysv_set *s;
	struct rec *rec;
	int id = sysv_id(&sem_kind, r);

	sysv_stat(r, id, &ds);
	s = sysv_set_read(id, &ds, false, true, true);
	rec = rec_new(NULL);
	sysv_fill(rec, s);
	free(s);
	return rec;
}

/* value is -1 when the semaphore could not be opened to read it. */
static struct rec *
posix_record(const char *name, const struct stat *st, int value)
{
	struct rec *r = rec_new("sem");

	rec_posix_name(r, name);
	rec_user(r, "owner", st->st_uid);
	rec_group(r, "group", st->st_gid);
	rec_mode(r, "mode", st->st_mode & 0777);
	if (value >= 0)
		rec_int(r, "value", value);
	rec_time(r, "ctime", st->st_ctime);
	file_facts(r, st, st->st_ctim, "posix", USE_FILE);
	return r;
}

static struct rec *
posix_stat_record(const struct ref *r)
{
	char path[PATH_MAX];
	struct stat st;
	sem_t *s;
	int v;

	s = posix_open_existing(r);
	v = posix_value(s);
	sem_close(s);
	posix_path(r->name, path, sizeof(path));
	if (stat(path, &st) == -1)
		die_errno(errno, r->text, NOUN);
	return posix_record(r->name, &st, v);
}

/* ---- collect ---- */

static void
sysv_collect_all(struct recs *rs)
{
	list_values = out_shows("semaphores");
	list_counts = out_shows_elements("semaphores");
	sysv_collect(&sem_kind, rs);
}

static void
posix_collect(struct recs *rs)
{
	char name[NAME_MAX + 2], path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	sem_t *s;
	DIR *d;

	if ((d = opendir(SHM_DIR)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "sem.", 4) != 0 || e->d_name[4] == '\0')
			continue;
		snprintf(name, sizeof(name), "/%s", e->d_name + 4);
		posix_path(name, path, sizeof(path));
		if (lstat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		s = posix_open(name, 0, 0, 0);
		recs_add(rs, posix_record(name, &st, s == SEM_FAILED ? -1 :
		    posix_value(s)));
		if (s != SEM_FAILED)
			sem_close(s);
	}
	closedir(d);
}

/* ---- errors of semop ---- */

static void __attribute__((noreturn))
semop_failed(const struct ref *r, int err)
{
	if (err == EFBIG)
		die_on(EXIT_FAIL, r->text, "--index is past the last semaphore "
		    "of the set");
	if (err == ERANGE)
		die_on(EXIT_FAIL, r->text, "the value would pass %d (SEMVMX)",
		    SEMVMX_);
	if (err == EAGAIN)
		die_on(EXIT_BLOCK, r->text, "would block");
	die_errno(err == EINVAL ? ENOENT : err, r->text, NOUN);
}

/*
 * semget refused a new set of n: which of the limits in /proc/sys/kernel/sem
 * (SEMMSL SEMMNS SEMOPM SEMMNI) it was, with its value.
 */
static void __attribute__((noreturn))
limit_refused(const char *what, int n, int err)
{
	struct seminfo lim, use;
	bool known = sem_ctl_any(0, IPC_INFO, &lim) != -1 &&
	    sem_ctl_any(0, SEM_INFO, &use) != -1;

	if (err == EINVAL && known)
		die_on(EXIT_FAIL, what, "--count %d is above the kernel's "
		    "limit semmsl (%d semaphores a set, /proc/sys/kernel/sem)",
		    n, lim.semmsl);
	if (err == EINVAL)
		die_on(EXIT_FAIL, what, "--count %d is over the system limit "
		    "(SEMMSL in /proc/sys/kernel/sem)", n);
	/* SEM_INFO reuses seminfo: semusz is sets in use, semaem semaphores. */
	if (known && use.semusz >= lim.semmni)
		die_on(EXIT_FAIL, what, "the kernel's limit semmni (%d sets, "
		    "/proc/sys/kernel/sem) is reached", lim.semmni);
	if (known)
		die_on(EXIT_FAIL, what, "the kernel's limit semmns (%d "
		    "semaphores in all, /proc/sys/kernel/sem) would be passed",
		    lim.semmns);
	die_on(EXIT_FAIL, what, "the system's limit of semaphores is reached "
	    "(/proc/sys/kernel/sem)");
}

/* ---- create ---- */

/*
 * semget and SETALL are two calls: a racing `create --exist-ok` must not
 * use the set in between.  The creator's last step is a semop that leaves
 * the values alone but sets sem_otime; openers wait for sem_otime.
 */
static void
mark_initialised(int id, unsigned short first)
{
	struct sembuf ops[2] = {
		{ 0, (short)(first > 0 ? -1 : 1), 0 },
		{ 0, (short)(first > 0 ? 1 : -1), 0 },
	};

	sem_do(id, ops, 2, NULL);
}

/*
 * A set another program made (ipcmk, a C program using semctl) may never
 * see a semop; after a second, take it as it is rather than fail.
 */
static void
wait_initialised(const char *what, int id)
{
	struct semid_ds ds;
	int ms;

	for (ms = 0; ms < INIT_WAIT_MS; ms += 10) {
		if (sem_ctl(id, 0, IPC_STAT, "IPC_STAT",
		    (union semun){ .buf = &ds }) == -1)
			die_errno(errno, what, NOUN);
		if (ds.sem_otime != 0)
			return;
		usleep(10000);
	}
}

/* r is NULL for IPC_PRIVATE; vals holds n values, one a semaphore. */
static struct rec *
sysv_create(const struct ref *r, unsigned short *vals, int n, mode_t mode,
    bool exist_ok)
{
	key_t key = r != NULL ? r->key : IPC_PRIVATE;
	const char *what = r != NULL ? r->text : "IPC_PRIVATE";
	struct ref byid = { .kind = REF_SYSV_ID, .text = what };

	if ((byid.id = sem_get(key, n, IPC_CREAT | IPC_EXCL | (int)mode)) !=
	    -1) {
		create_made();
		if (sem_ctl(byid.id, 0, SETALL, "SETALL",
		    (union semun){ .array = vals }) == -1) {
			int err = errno;

			sem_rmid(byid.id);	/* leave no half-made set */
			die_errno(err, what, NOUN);
		}
		mark_initialised(byid.id, vals[0]);
		return sysv_stat_record(&byid);
	}
	if (errno == EEXIST && exist_ok &&
	    (byid.id = sem_get(key, 0, 0)) != -1) {
		wait_initialised(what, byid.id);
		return sysv_stat_record(&byid);
	}
	if (errno == EINVAL || errno == ENOSPC)
		limit_refused(what, n, errno);
	die_errno(errno, what, NOUN);
}

static struct rec *
posix_create(const struct ref *r, unsigned short *vals, int n, mode_t mode,
    bool exist_ok)
{
	char path[PATH_MAX];
	sem_t *s;

	if (n != 1)
		die_usage("a POSIX semaphore has one value, not %d", n);
	s = posix_open(r->name, O_CREAT | O_EXCL, mode, vals[0]);
	if (s == SEM_FAILED && errno == EEXIST && exist_ok)
		s = posix_open_existing(r);
	else if (s == SEM_FAILED)
		die_errno(errno, r->text, NOUN);
	else {
		create_made();
		/* sem_open applied the umask; the user asked for this mode. */
		posix_path(r->name, path, sizeof(path));
		if (chmod(path, mode) == -1) {
			int err = errno;

			sem_unlink(r->name);
			die_errno(err, r->text, NOUN);
		}
	}
	sem_close(s);
	return posix_stat_record(r);
}

/* ---- get, set ---- */

/*
 * The values, into vals (index I alone when index >= 0), and a record
 * with the same field names as info's: semaphores[] (index, value) for a
 * set, value for a POSIX semaphore.  Returns how many values.
 */
static int
sysv_get(const struct ref *r, int index, struct rec *rec, int *vals)
{
	struct semid_ds ds;
	int id, i, first = 0, n;

	id = sysv_id(&sem_kind, r);
	sysv_stat(r, id, &ds);
	n = (int)ds.sem_nsems;
	unsigned short all[n > 0 ? n : 1];

	if (sem_ctl(id, 0, GETALL, "GETALL", (union semun){ .array = all })
	    == -1)
		die_errno(errno, r->text, NOUN);
	if (index >= 0) {
		if (index >= n)
			die_on(EXIT_FAIL, r->text, "no index %d: the set has %d",
			    index, n);
		first = index;
		n = index + 1;
	}
	rec_str(rec, "flavor", "sysv");
	rec_str(rec, "ref", r->text);
	rec_key(rec, "key", ds.sem_perm.__key);
	rec_int(rec, "id", id);
	for (i = first; i < n; i++) {
		struct rec *k = rec_child(rec, "semaphores");

		rec_int(k, "index", i);
		rec_int(k, "value", all[i]);
		vals[i - first] = all[i];
	}
	return n - first;
}

static int
posix_get(const struct ref *r, int index, struct rec *rec, int *vals)
{
	sem_t *s;

	(void)index;	/* refused before: a POSIX semaphore is one */
	s = posix_open_existing(r);
	vals[0] = posix_value(s);
	sem_close(s);
	rec_posix_name(rec, r->name);
	rec_int(rec, "value", vals[0]);
	return 1;
}

/* index >= 0: SETVAL of vals[0]; -1: SETALL of n values (1: to all). */
static void
sysv_set(const struct ref *r, int index, unsigned short *vals, int n)
{
	struct semid_ds ds;
	int id, i;

	id = sysv_id(&sem_kind, r);
	if (index >= 0) {
		if (sem_ctl(id, index, SETVAL, "SETVAL",
		    semun_val(vals[0])) == -1)
			semop_failed(r, errno == EINVAL && index > 0 ? EFBIG :
			    errno);
		return;
	}
	sysv_stat(r, id, &ds);
	if (n == 1)
		for (i = 1; i < (int)ds.sem_nsems; i++)
			vals[i] = vals[0];
	else if (n != (int)ds.sem_nsems)
		die_on(EXIT_FAIL, r->text, "%d values for a set of %lu", n,
		    (unsigned long)ds.sem_nsems);
	if (sem_ctl(id, 0, SETALL, "SETALL", (union semun){ .array = vals })
	    == -1)
		die_errno(errno, r->text, NOUN);
}

static void __attribute__((noreturn))
posix_set(const struct ref *r, int index, unsigned short *vals, int n)
{
	(void)index, (void)vals, (void)n;
	die_on(EXIT_FAIL, r->text, "a POSIX semaphore has no way to set its "
	    "value; use post and wait, or rm and create --value");
}

/* ---- open, take, give ---- */

static void
sysv_open(struct sem_h *h)
{
	h->id = sysv_id(&sem_kind, h->ref);
}

static void
posix_open_h(struct sem_h *h)
{
	h->s = posix_open_existing(h->ref);
}

static void
sysv_close(struct sem_h *h)
{
	(void)h;
}

static void
posix_close(struct sem_h *h)
{
	sem_close(h->s);
}

/* One atomic semop, waiting as --nowait and --timeout say. */
static void
sysv_semop(const struct ref *r, int id, struct sembuf *ops, size_t n)
{
	struct timespec left;
	size_t i;

	if (wait_nowait())
		for (i = 0; i < n; i++)
			ops[i].sem_flg |= IPC_NOWAIT;
	for (;;) {
		if (sem_do(id, ops, n, wait_left(&left)) == 0)
			return;
		if (errno == EAGAIN && wait_deadline() != NULL &&
		    !wait_nowait())
			die_on(EXIT_BLOCK, r->text, "timed out");
		if (errno != EINTR)
			semop_failed(r, errno);
		wait_interrupted(r->text);
	}
}

/* delta < 0 takes, > 0 gives, 0 waits for zero. */
static void
sysv_change(struct sem_h *h, int index, int delta, bool undo)
{
	struct sembuf op = { (unsigned short)index, (short)delta,
	    (short)(undo ? SEM_UNDO : 0) };

	sysv_semop(h->ref, h->id, &op, 1);
}

static void
sysv_take(struct sem_h *h, int index, int n, bool undo)
{
	sysv_change(h, index, -n, undo);
}

static void
sysv_give(struct sem_h *h, int index, int n, bool undo)
{
	sysv_change(h, index, n, undo);
}

/* Gives back what an interrupted or failed take got: all or nothing. */
static void
posix_give_back(sem_t *s, int n)
{
	while (n-- > 0)
		sem_post(s);
}

static void
posix_take(struct sem_h *h, int index, int n, bool undo)
{
	int taken, rc, err;

	(void)index, (void)undo;	/* refused before */
	for (taken = 0; taken < n; taken++) {
		if (wait_nowait())
			rc = sem_trywait(h->s);
		else if (wait_deadline() != NULL)
			rc = sem_timedwait(h->s, wait_deadline());
		else
			rc = sem_wait(h->s);
		trace_call(rc, "sem_%swait(%p)", wait_nowait() ? "try" :
		    wait_deadline() ? "timed" : "", (void *)h->s);
		if (rc == 0)
			continue;
		if (errno == EINTR) {
			/* Give back first: a signal of ours exits below. */
			posix_give_back(h->s, taken);
			wait_interrupted(h->ref->text);
			taken = -1;	/* anything else: start again */
			continue;
		}
		err = errno;
		posix_give_back(h->s, taken);
		if (err != ETIMEDOUT && err != EAGAIN)
			die_errno(err, h->ref->text, NOUN);
		die_on(EXIT_BLOCK, h->ref->text, err == ETIMEDOUT ?
		    "timed out" : "would block");
	}
}

static void
posix_give(struct sem_h *h, int index, int n, bool undo)
{
	(void)index, (void)undo;	/* refused before */
	while (n-- > 0)
		trace_call(sem_post(h->s), "sem_post(%p)", (void *)h->s);
}

/* ---- zero, op: System V alone ---- */

static void
sysv_zero(const struct ref *r, int index)
{
	struct sembuf op = { (unsigned short)index, 0, 0 };

	sysv_semop(r, sysv_id(&sem_kind, r), &op, 1);
}

static void __attribute__((noreturn))
posix_zero(const struct ref *r, int index)
{
	(void)index;
	die_on(EXIT_FAIL, r->text, "a POSIX semaphore cannot wait for "
	    "zero; only System V sets can");
}

static void
sysv_op(const struct ref *r, struct sembuf *ops, size_t n)
{
	sysv_semop(r, sysv_id(&sem_kind, r), ops, n);
}

static void __attribute__((noreturn))
posix_op(const struct ref *r, struct sembuf *ops, size_t n)
{
	(void)ops, (void)n;
	die_on(EXIT_FAIL, r->text, "a POSIX semaphore has no atomic op "
	    "of several steps; only System V sets do");
}

/* ---- rm ---- */

static int
sysv_rm_one(const struct ref *r)
{
	return sysv_rm(&sem_kind, r);
}

static int
posix_rm(const struct ref *r)
{
	char path[PATH_MAX];
	struct stat st;
	int rc;

	posix_path(r->name, path, sizeof(path));
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return complain_on(r->text, "not a semaphore; not removed");
	rc = sem_unlink(r->name);
	trace_call(rc, "sem_unlink(\"%s\")", r->name);
	if (rc == -1)
		return complain_on(r->text, "%s", errno_text(errno, NOUN));
	return 0;
}

/* ---- the two backends ---- */

struct sem_ops {
	const char	*flavor;
	/* Options this flavour does not take: exit 2 before any call. */
	const enum opt_id *refused;
	const enum opt_id *refused_by_create;
	void		(*collect)(struct recs *);
	struct rec	*(*stat)(const struct ref *);
	struct rec	*(*create)(const struct ref *, unsigned short *, int,
			    mode_t, bool);
	int		(*get)(const struct ref *, int, struct rec *, int *);
	void		(*set)(const struct ref *, int, unsigned short *, int);
	void		(*open)(struct sem_h *);
	void		(*close)(struct sem_h *);
	void		(*take)(struct sem_h *, int, int, bool);
	void		(*give)(struct sem_h *, int, int, bool);
	void		(*zero)(const struct ref *, int);
	void		(*op)(const struct ref *, struct sembuf *, size_t);
	int		(*remove)(const struct ref *);
};

static const enum opt_id sysv_refused[] = { OPT_NONE };
static const enum opt_id posix_refused[] = { OPT_INDEX, OPT_UNDO,
	OPT_NONE };
static const enum opt_id posix_refused_by_create[] = { OPT_COUNT,
	OPT_NONE };

static const struct sem_ops sysv_ops = {
	"sysv", sysv_refused, sysv_refused, sysv_collect_all,
	sysv_stat_record, sysv_create, sysv_get, sysv_set, sysv_open,
	sysv_close, sysv_take, sysv_give, sysv_zero, sysv_op, sysv_rm_one,
};

static const struct sem_ops posix_ops = {
	"posix", posix_refused, posix_refused_by_create, posix_collect,
	posix_stat_record, posix_create, posix_get, posix_set, posix_open_h,
	posix_close, posix_take, posix_give, posix_zero, posix_op, posix_rm,
};

static const struct sem_ops *
ops_of(const struct ref *r)
{
	return flavor_pick(r, &sysv_ops, &posix_ops);
}

/* Only a backend that refuses options names them: r is never NULL then. */
static void
refuse(const struct call *c, const struct ref *r, const enum opt_id *ids)
{
	for (; *ids != OPT_NONE; ids++)
		if (opt_set(c, *ids))
			die_usage("--%s is for System V sets; %s is a POSIX "
			    "semaphore", c->o[*ids].name, r->text);
}

/* The backend of the verb's REF, once its options are known to fit. */
static const struct sem_ops *
ops_for(const struct call *c, const struct ref *r)
{
	const struct sem_ops *ops = ops_of(r);

	refuse(c, r, ops->refused);
	return ops;
}

static struct rec *
record_of(const struct ref *r)
{
	return ops_of(r)->stat(r);
}

/* ---- options ---- */

static unsigned short
parse_value(const char *text)
{
	long long v = parse_number(text, "value", 0, LLONG_MAX);

	/*
	 * SEMVMX is a constant of the kernel's ABI, not a tunable: past it
	 * is a value no semaphore can hold, a usage error (exit 2) caught
	 * before any call, naming the limit.
	 */
	if (v > SEMVMX_)
		die_usage("invalid value '%s' (above the kernel's limit "
		    "SEMVMX, %d)", text, SEMVMX_);
	return (unsigned short)v;
}

/* "3" or "1,0,3": one value for all, or one each (then count is theirs). */
static int
parse_values(const char *text, unsigned short *vals, int max)
{
	char buf[4096], *p, *tok;
	int n = 0;

	if (strlcpy(buf, text, sizeof(buf)) >= sizeof(buf))
		die_usage("--value is too long");
	for (p = buf; (tok = strsep(&p, ",")) != NULL; ) {
		if (n == max)
			die_usage("too many values in '%s' (at most %d)", text,
			    max);
		vals[n++] = parse_value(tok);
	}
	return n;
}

/* --index, or -1 when not given. */
static int
index_of(const struct call *c)
{
	if (!opt_set(c, OPT_INDEX))
		return -1;
	if (c->o[OPT_INDEX].n >= SEMMSL_MAX)
		die_usage("--index %lld is past any set (at most %d)",
		    c->o[OPT_INDEX].n, SEMMSL_MAX - 1);
	return (int)c->o[OPT_INDEX].n;
}

static int
index_or_0(const struct call *c)
{
	int i = index_of(c);

	return i < 0 ? 0 : i;
}

static int
count_of(const struct call *c)
{
	if (!opt_set(c, OPT_COUNT))
		return 1;
	if (c->o[OPT_COUNT].n > SEMVMX_)
		die_usage("--count is at most %d", SEMVMX_);
	return (int)c->o[OPT_COUNT].n;
}

/* ---- create, ls, info, get, set, rm ---- */

static int
sem_cmd_create(struct call *c)
{
	static unsigned short vals[SEMMSL_MAX];
	const struct sem_ops *ops;
	const struct ref *r;
	struct ref ref;
	int i, n = 1, given = 1;

	r = create_ref(c, &ref);
	ops = ops_for(c, r);
	refuse(c, r, ops->refused_by_create);
	vals[0] = 0;
	if (opt_set(c, OPT_COUNT)) {
		if (c->o[OPT_COUNT].n > SEMMSL_MAX)
			die_usage("--count is at most %d", SEMMSL_MAX);
		n = (int)c->o[OPT_COUNT].n;
	}
	if (opt_set(c, OPT_VALUE))
		given = parse_values(c->o[OPT_VALUE].s, vals, SEMMSL_MAX);
	if (given > 1 && opt_set(c, OPT_COUNT) && given != n)
		die_usage("--count %d but %d values", n, given);
	if (given > 1)
		n = given;
	for (i = given; i < n; i++)
		vals[i] = vals[0];
	print_new(ops->create(r, vals, n, create_mode(c),
	    opt_set(c, OPT_EXIST_OK)));
	return 0;
}

static void
sem_collect(struct recs *rs)
{
	sysv_ops.collect(rs);
	posix_ops.collect(rs);
}

static int
sem_cmd_ls(struct call *c)
{
	list_objects(c, sem_collect);
	return 0;
}

static int
sem_cmd_info(struct call *c)
{
	return show_object(c, record_of);
}

static int
sem_cmd_get(struct call *c)
{
	static int vals[SEMMSL_MAX];
	const struct sem_ops *ops;
	struct rec *rec;
	struct ref r;
	int i, n;

	parse_ref(c->argv[0], REF_IPC, &r);
	ops = ops_for(c, &r);
	rec = rec_new("sem");
	n = ops->get(&r, index_of(c), rec, vals);
	if (g.json)
		out_record(NULL, rec);
	else
		for (i = 0; i < n; i++)
			printf("%d\n", vals[i]);
	out_flush_or_die();
	rec_free(rec);
	return 0;
}

static int
sem_cmd_set(struct call *c)
{
	static unsigned short vals[SEMMSL_MAX];
	const struct sem_ops *ops;
	struct ref r;
	int n = 1;

	parse_ref(c->argv[0], REF_IPC, &r);
	ops = ops_for(c, &r);
	if (c->argc > 1 && opt_set(c, OPT_VALUE))
		die_usage("give VALUE or --value, not both");
	if (c->argc < 2 && !opt_set(c, OPT_VALUE))
		die_usage("missing VALUE");
	if (c->argc > 1)
		vals[0] = parse_value(c->argv[1]);
	else
		n = parse_values(c->o[OPT_VALUE].s, vals, SEMMSL_MAX);
	ops->set(&r, c->argc > 1 ? index_or_0(c) : -1, vals, n);
	return 0;
}

static int
sem_rm_one(const struct ref *r)
{
	return ops_of(r)->remove(r);
}

static int
sem_cmd_rm(struct call *c)
{
	return rm_each(c, REF_IPC, sem_rm_one);
}

/* ---- wait, post, zero, op, run ---- */

static const struct sem_ops *
sem_open_ref(const struct call *c, struct ref *r, struct sem_h *h)
{
	const struct sem_ops *ops;

	parse_ref(c->argv[0], REF_IPC, r);
	ops = ops_for(c, r);
	*h = (struct sem_h){ .ref = r, .id = -1, .s = NULL };
	return ops;
}

static int
sem_cmd_wait(struct call *c)
{
	const struct sem_ops *ops;
	struct sem_h h;
	struct ref r;
	int n;

	ops = sem_open_ref(c, &r, &h);
	n = count_of(c);
	wait_from_options(c);
	ops->open(&h);
	ops->take(&h, index_or_0(c), n, opt_set(c, OPT_UNDO));
	ops->close(&h);
	return 0;
}

static int
sem_cmd_post(struct call *c)
{
	const struct sem_ops *ops;
	struct sem_h h;
	struct ref r;
	int n;

	ops = sem_open_ref(c, &r, &h);
	n = count_of(c);
	ops->open(&h);
	ops->give(&h, index_or_0(c), n, opt_set(c, OPT_UNDO));
	ops->close(&h);
	return 0;
}

static int
sem_cmd_zero(struct call *c)
{
	const struct sem_ops *ops;
	struct ref r;

	parse_ref(c->argv[0], REF_IPC, &r);
	ops = ops_for(c, &r);
	wait_from_options(c);
	ops->zero(&r, index_or_0(c));
	return 0;
}

/* INDEX:DELTA[u][n]: 0:-1u, 1:+1, 2:0n (check_sem_op in parse.c). */
static void
parse_op(const char *text, struct sembuf *op)
{
	struct sem_op_spec o;
	const char *why;

	if ((why = check_sem_op(text, SEMMSL_MAX - 1, SEMVMX_, &o)) != NULL)
		die_usage("invalid op '%s' (%s)", text, why);
	op->sem_num = (unsigned short)o.index;
	op->sem_op = (short)o.delta;
	op->sem_flg = (short)((o.undo ? SEM_UNDO : 0) |
	    (o.nowait ? IPC_NOWAIT : 0));
}

static int
sem_cmd_op(struct call *c)
{
	struct sembuf ops[c->argc];
	const struct sem_ops *so;
	struct ref r;
	int i;

	for (i = 1; i < c->argc; i++)
		parse_op(c->argv[i], &ops[i - 1]);
	parse_ref(c->argv[0], REF_IPC, &r);
	so = ops_for(c, &r);
	wait_from_options(c);
	so->op(&r, ops, (size_t)c->argc - 1);
	return 0;
}

/*
 * run: take, run CMD, give back.  System V takes with SEM_UNDO, so that
 * if we are killed the kernel gives it back.
 */
static int
sem_cmd_run(struct call *c)
{
	const struct sem_ops *ops;
	struct sem_h h;
	struct ref r;
	int n, i, status;

	ops = sem_open_ref(c, &r, &h);
	n = count_of(c);
	i = index_or_0(c);
	wait_from_options(c);
	ops->open(&h);
	ops->take(&h, i, n, true);
	status = hold(NULL, c->argv + 1);
	ops->give(&h, i, n, true);
	ops->close(&h);
	return status;
}

/* ---- limits ---- */

static void
sem_limits(struct recs *rs)
{
	struct seminfo lim, use;

	if (sem_ctl_any(0, IPC_INFO, &lim) == -1 ||
	    sem_ctl_any(0, SEM_INFO, &use) == -1)
		return;
	/* SEM_INFO reuses seminfo: semusz is sets in use, semaem semaphores. */
	add_limit(rs, "sem", "sysv", "sets (semmni)", lim.semmni, use.semusz,
	    false);
	add_limit(rs, "sem", "sysv", "semaphores (semmns)", lim.semmns,
	    use.semaem, false);
	add_limit(rs, "sem", "sysv", "semaphores a set (semmsl)", lim.semmsl,
	    -1, false);
	add_limit(rs, "sem", "sysv", "operations a semop (semopm)",
	    lim.semopm, -1, false);
}

/* ---- the verb table ---- */

static const struct verb_opt create_opts[] = {
	{ OPT_COUNT, "System V: semaphores in the set (default 1)" },
	{ OPT_VALUE, "initial value, or one each (default 0)" },
	{ OPT_MODE, "octal permissions (default 0600)" },
	{ OPT_EXIST_OK, "open it if it exists (once initialised)" },
	VERB_OPTS_END
};
static const struct verb_opt get_opts[] = {
	{ OPT_INDEX, "System V: only semaphore I of the set" },
	VERB_OPTS_END
};
static const struct verb_opt set_opts[] = {
	{ OPT_INDEX, "semaphore I of the set (default 0)" },
	{ OPT_VALUE, "every value of the set (SETALL)" },
	VERB_OPTS_END
};
static const struct verb_opt wait_opts[] = {
	{ OPT_INDEX, "System V: semaphore I of the set (default 0)" },
	{ OPT_COUNT, "take N (default 1)" },
	{ OPT_UNDO, "System V: undo when ipctool exits (SEM_UNDO)" },
	{ OPT_NOWAIT, "exit 3 rather than wait" },
	{ OPT_TIMEOUT, "wait at most DUR (exit 3)" },
	VERB_OPTS_END
};
static const struct verb_opt post_opts[] = {
	{ OPT_INDEX, "System V: semaphore I of the set (default 0)" },
	{ OPT_COUNT, "give N (default 1)" },
	{ OPT_UNDO, "System V: undo when ipctool exits (SEM_UNDO)" },
	VERB_OPTS_END
};
static const struct verb_opt zero_opts[] = {
	{ OPT_INDEX, "semaphore I of the set (default 0)" },
	{ OPT_NOWAIT, "exit 3 rather than wait" },
	{ OPT_TIMEOUT, "wait at most DUR (exit 3)" },
	VERB_OPTS_END
};
static const struct verb_opt op_opts[] = {
	{ OPT_NOWAIT, "exit 3 rather than wait" },
	{ OPT_TIMEOUT, "wait at most DUR (exit 3)" },
	VERB_OPTS_END
};
static const struct verb_opt run_opts[] = {
	{ OPT_INDEX, "System V: semaphore I of the set (default 0)" },
	{ OPT_COUNT, "take N (default 1)" },
	{ OPT_NOWAIT, "exit 3 rather than wait; CMD does not run" },
	{ OPT_TIMEOUT, "wait at most DUR (exit 3)" },
	VERB_OPTS_END
};

/* One semaphore of a set, in info's table and the JSON array. */
static const struct column semaphore_columns[] = {
	{ "index", COL_INT, COL_DEFAULT | COL_RIGHT, "its place in the set",
	    NULL, NULL },
	{ "value", COL_INT, COL_DEFAULT | COL_RIGHT, "its value (semval)",
	    NULL, NULL },
	{ "ncnt", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "processes waiting for it to grow (semncnt)", NULL, NULL },
	{ "zcnt", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "processes waiting for it to be 0 (semzcnt)", NULL, NULL },
	{ "pid", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "pid of the last semop on it (sempid)", NULL, NULL },
	COLUMNS_END
};

/*
 * value: a POSIX semaphore's value; for a System V set it shows the
 * semaphores field, whose table cell is the values, comma-separated.
 */
static const struct column sem_columns[] = {
	COMMON_COLUMNS,
	{ "nsems", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "System V: semaphores in the set", NULL, NULL },
	{ "value", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "the value; System V: each semaphore's, comma-separated",
	    "semaphores", NULL },
	{ "semaphores", COL_ARRAY, 0, "System V: index, value, ncnt, zcnt "
	    "and pid of each semaphore", NULL, semaphore_columns },
	{ "otime", COL_TIME, 0, "System V: last semop", NULL, NULL },
	{ "ctime", COL_TIME, 0, "last change of permissions (POSIX: of the "
	    "file)", NULL, NULL },
	COLUMNS_END
};

static const struct verb_opt ls_opts[] = {
	LS_NS_OPT,
	LS_FILTER_OPTS,
	VERB_OPTS_END
};

static const struct verb sem_verbs[] = {
	{ "create", sem_cmd_create, create_opts, "[REF]",
	    "create a set or a semaphore and print its id or name", 0, 1,
	    NULL },
	{ "ls", sem_cmd_ls, ls_opts, "", "list semaphores of both flavours", 0,
	    0, sem_columns },
	{ "info", sem_cmd_info, NULL, "REF", "show one in full", 1, 1,
	    sem_columns },
	{ "get", sem_cmd_get, get_opts, "REF", "print the values", 1, 1,
	    NULL },
	{ "set", sem_cmd_set, set_opts, "REF [VALUE]",
	    "set a value, or all with --value (System V)", 1, 2, NULL },
	{ "wait", sem_cmd_wait, wait_opts, "REF", "take (P), waiting", 1, 1,
	    NULL },
	{ "post", sem_cmd_post, post_opts, "REF", "give (V)", 1, 1, NULL },
	{ "zero", sem_cmd_zero, zero_opts, "REF",
	    "wait until the value is 0 (System V)", 1, 1, NULL },
	{ "op", sem_cmd_op, op_opts, "REF OP...",
	    "one atomic semop of INDEX:DELTA[u][n] operations", 2, -1, NULL },
	{ "run", sem_cmd_run, run_opts, "REF -- CMD [ARG...]",
	    "take, run CMD, give back: a lock like flock(1)", 2, -1, NULL },
	{ "rm", sem_cmd_rm, NULL, "REF...", "remove", 1, -1, NULL },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};

const struct object obj_sem = {
	"sem", sem_verbs,
	"System V semaphore sets and POSIX named semaphores: REF is an id, "
	"key:KEY, ftok:PATH[:PROJ] or /name",
	sem_collect, sem_limits, NULL, true,
};
