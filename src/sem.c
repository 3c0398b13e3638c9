/*
 * sem: System V semaphore sets (semget/semop/semctl) and POSIX named
 * semaphores (sem_open and friends), chosen by the reference.  wait, post
 * and run are the verbs scripts call in loops: each is one semop (or
 * sem_wait/sem_post) after start-up, with no listing and no /proc.
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

/* ---- traced calls ---- */

static int
sem_get(key_t key, int nsems, int flags)
{
	int r = semget(key, nsems, flags);

	trace_call(r, "semget(%s, %d, %s)", trace_key(key), nsems,
	    trace_ipcflags(flags));
	return r;
}

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
	return sem_ctl(id, 0, IPC_RMID, "IPC_RMID", (union semun){ 0 });
}

static int
sem_ctl_any(int id, int cmd, void *buf)
{
	const char *name = cmd == SEM_INFO ? "SEM_INFO" :
	    cmd == SEM_STAT ? "SEM_STAT" : "SEM_STAT_ANY";

	return sem_ctl(id, 0, cmd, name, (union semun){ .buf = buf });
}

static struct rec *sysv_record(int, const void *);

static const struct sysv_kind sem_kind = {
	NOUN, sem_get_existing, sem_rmid, sem_ctl_any, SEM_INFO, SEM_STAT,
	SEM_STAT_ANY, sysv_record
};

static void
sysv_stat(const struct ref *r, int id, struct semid_ds *ds)
{
	if (sem_ctl(id, 0, IPC_STAT, "IPC_STAT", (union semun){ .buf = ds })
	    == -1)
		die_errno(errno == EINVAL ? ENOENT : errno, r->text, NOUN);
}

/* ---- POSIX ---- */

/* "/x" lives in /dev/shm/sem.x. */
static void
posix_path(const char *name, char *path, size_t len)
{
	snprintf(path, len, SHM_DIR "/sem.%s", name + 1);
}

static sem_t *
posix_open(const struct ref *r, int oflag, mode_t mode, unsigned value)
{
	sem_t *s;

	if (oflag & O_CREAT) {
		s = sem_open(r->name, oflag, mode, value);
		trace_ptr(s == SEM_FAILED ? (void *)-1 : s, "sem_open(\"%s\", "
		    "%s, %04o, %u)", r->name, trace_oflags(oflag),
		    (unsigned)mode, value);
	} else {
		s = sem_open(r->name, oflag);
		trace_ptr(s == SEM_FAILED ? (void *)-1 : s, "sem_open(\"%s\", "
		    "%s)", r->name, trace_oflags(oflag));
	}
	return s;
}

static sem_t *
posix_open_existing(const struct ref *r)
{
	sem_t *s = posix_open(r, 0, 0, 0);

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

static void
add_semaphores(struct rec *r, int id, int nsems)
{
	unsigned short vals[nsems > 0 ? nsems : 1];
	int i;

	if (sem_ctl(id, 0, GETALL, "GETALL", (union semun){ .array = vals })
	    == -1)
		return;	/* listing what we may not read: no values */
	for (i = 0; i < nsems; i++) {
		struct rec *k = rec_child(r, "semaphores");
		union semun none = { 0 };

		rec_int(k, "index", i);
		rec_int(k, "value", vals[i]);
		rec_int(k, "ncnt", sem_ctl(id, i, GETNCNT, "GETNCNT", none));
		rec_int(k, "zcnt", sem_ctl(id, i, GETZCNT, "GETZCNT", none));
		rec_int(k, "pid", sem_ctl(id, i, GETPID, "GETPID", none));
	}
}

/* ds is a struct semid_ds: the type sysv_collect's callback takes. */
static struct rec *
sysv_record(int id, const void *p)
{
	const struct semid_ds *ds = p;
	struct rec *r = rec_new("sem");

	rec_ipc_perm(r, &ds->sem_perm, id);
	rec_int(r, "nsems", (long long)ds->sem_nsems);
	rec_time(r, "otime", ds->sem_otime);
	rec_time(r, "ctime", ds->sem_ctime);
	add_semaphores(r, id, (int)ds->sem_nsems);
	return r;
}

/* value is -1 when the semaphore could not be opened to read it. */
static struct rec *
posix_record(const char *name, const struct stat *st, int value)
{
	struct rec *r = rec_new("sem");

	rec_str(r, "flavor", "posix");
	rec_str(r, "name", name);
	rec_user(r, "owner", st->st_uid);
	rec_group(r, "group", st->st_gid);
	rec_mode(r, "mode", st->st_mode & 0777);
	if (value >= 0)
		rec_int(r, "value", value);
	rec_time(r, "ctime", st->st_ctime);
	return r;
}

static struct rec *
record_of(const struct ref *r)
{
	char path[PATH_MAX];
	struct semid_ds ds;
	struct stat st;
	sem_t *s;
	int id, v;

	if (!ref_is_posix(r)) {
		id = sysv_id(&sem_kind, r);
		sysv_stat(r, id, &ds);
		return sysv_record(id, &ds);
	}
	s = posix_open_existing(r);
	v = posix_value(s);
	sem_close(s);
	posix_path(r->name, path, sizeof(path));
	if (stat(path, &st) == -1)
		die_errno(errno, r->text, NOUN);
	return posix_record(r->name, &st, v);
}

/* ---- values and indexes ---- */

static int
parse_value(const char *text)
{
	return (int)parse_number(text, "value", 0, SEMVMX_);
}

/* "3" or "1,0,3": one value for all, or one each (then count is theirs). */
static int
parse_values(const char *text, unsigned short *vals, int max)
{
	char buf[4096], *p, *tok;
	int n = 0;

	strlcpy(buf, text, sizeof(buf));
	for (p = buf; (tok = strsep(&p, ",")) != NULL; ) {
		if (n == max)
			die_usage("too many values in '%s' (at most %d)", text,
			    max);
		vals[n++] = (unsigned short)parse_value(tok);
	}
	return n;
}

static int
index_of(const struct call *c)
{
	if (!opt_set(c, OPT_INDEX))
		return 0;
	return (int)parse_number(c->o[OPT_INDEX].s, "index", 0, SEMMSL_MAX);
}

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

static int
create_sysv(const struct call *c, const struct ref *r, mode_t mode)
{
	key_t key = r != NULL ? r->key : IPC_PRIVATE;
	const char *what = r != NULL ? r->text : "IPC_PRIVATE";
	unsigned short vals[SEMMSL_MAX];
	int id, i, n = 1, given = 1;

	vals[0] = 0;
	if (opt_set(c, OPT_COUNT))
		n = (int)parse_number(c->o[OPT_COUNT].s, "count", 1,
		    SEMMSL_MAX);
	if (opt_set(c, OPT_VALUE))
		given = parse_values(c->o[OPT_VALUE].s, vals, SEMMSL_MAX);
	if (given > 1 && opt_set(c, OPT_COUNT) && given != n)
		die_usage("--count %d but %d values", n, given);
	if (given > 1)
		n = given;
	for (i = given; i < n; i++)
		vals[i] = vals[0];
	if ((id = sem_get(key, n, IPC_CREAT | IPC_EXCL | (int)mode)) != -1) {
		if (sem_ctl(id, 0, SETALL, "SETALL",
		    (union semun){ .array = vals }) == -1) {
			int err = errno;

			sem_rmid(id);	/* leave no half-made set behind */
			die_errno(err, what, NOUN);
		}
		mark_initialised(id, vals[0]);
		return id;
	}
	if (errno == EEXIST && opt_set(c, OPT_EXIST_OK) &&
	    (id = sem_get(key, 0, 0)) != -1) {
		wait_initialised(what, id);
		return id;
	}
	if (errno == EINVAL)
		die_on(EXIT_FAIL, what, "--count %d is over the system limit "
		    "(SEMMSL in /proc/sys/kernel/sem)", n);
	if (errno == ENOSPC)
		die_on(EXIT_FAIL, what, "the system's limit of semaphores is "
		    "reached (/proc/sys/kernel/sem)");
	die_errno(errno, what, NOUN);
}

static void
create_posix(const struct call *c, const struct ref *r, mode_t mode)
{
	char path[PATH_MAX];
	unsigned value = 0;
	sem_t *s;

	if (opt_set(c, OPT_COUNT))
		die_usage("--count is for System V sets; a POSIX semaphore is "
		    "one");
	if (opt_set(c, OPT_VALUE))
		value = (unsigned)parse_value(c->o[OPT_VALUE].s);
	s = posix_open(r, O_CREAT | O_EXCL, mode, value);
	if (s == SEM_FAILED && errno == EEXIST && opt_set(c, OPT_EXIST_OK))
		s = posix_open_existing(r);
	else if (s == SEM_FAILED)
		die_errno(errno, r->text, NOUN);
	else {
		/* sem_open applied the umask; the user asked for this mode. */
		posix_path(r->name, path, sizeof(path));
		if (chmod(path, mode) == -1) {
			int err = errno;

			sem_unlink(r->name);
			die_errno(err, r->text, NOUN);
		}
	}
	sem_close(s);
}

static int
sem_cmd_create(struct call *c)
{
	mode_t mode = c->o[OPT_MODE].s ? parse_mode(c->o[OPT_MODE].s) : 0600;
	const struct ref *r;
	struct ref ref;

	r = create_ref(c, &ref);
	if (r != NULL && ref_is_posix(r)) {
		create_posix(c, r, mode);
		print_created(r, -1, record_of);
	} else {
		print_created(NULL, create_sysv(c, r, mode), record_of);
	}
	return 0;
}

/* ---- ls, info ---- */

static void
collect_posix(struct recs *rs)
{
	char name[NAME_MAX + 2], path[PATH_MAX];
	struct dirent *e;
	struct stat st;
	struct ref r = { .kind = REF_POSIX, .name = name };
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
		r.text = name;
		s = posix_open(&r, 0, 0, 0);
		recs_add(rs, posix_record(name, &st, s == SEM_FAILED ? -1 :
		    posix_value(s)));
		if (s != SEM_FAILED)
			sem_close(s);
	}
	closedir(d);
}

static void
sem_collect(struct recs *rs)
{
	sysv_collect(&sem_kind, rs);
	collect_posix(rs);
}

static int
sem_cmd_ls(struct call *c)
{
	(void)c;
	list_objects(c, sem_collect);
	return 0;
}

static int
sem_cmd_info(struct call *c)
{
	return show_object(c, record_of);
}

/* ---- get, set ---- */

/*
 * The values, as a record; text output is printed on the way.  Every
 * check comes before the record is made, so a failure leaks nothing.
 */
static struct rec *
get_sysv(const struct call *c, const struct ref *r)
{
	struct semid_ds ds;
	struct rec *rec;
	int id, i, first = 0, n;

	id = sysv_id(&sem_kind, r);
	sysv_stat(r, id, &ds);
	n = (int)ds.sem_nsems;
	unsigned short vals[n];

	if (sem_ctl(id, 0, GETALL, "GETALL", (union semun){ .array = vals })
	    == -1)
		die_errno(errno, r->text, NOUN);
	if (opt_set(c, OPT_INDEX)) {
		first = index_of(c);
		if (first >= n)
			die_on(EXIT_FAIL, r->text, "no index %d: the set has %d",
			    first, n);
		n = first + 1;
	}
	rec = rec_new("sem");
	rec_str(rec, "flavor", "sysv");
	for (i = first; i < n; i++) {
		struct rec *k = opt_set(c, OPT_INDEX) ? rec :
		    rec_child(rec, "values");

		rec_int(k, "index", i);
		rec_int(k, "value", vals[i]);
		if (!g.json)
			printf("%u\n", vals[i]);
	}
	return rec;
}

static struct rec *
get_posix(const struct ref *r)
{
	struct rec *rec;
	sem_t *s;
	int v;

	s = posix_open_existing(r);
	v = posix_value(s);
	sem_close(s);
	rec = rec_new("sem");
	rec_str(rec, "flavor", "posix");
	rec_int(rec, "value", v);
	if (!g.json)
		printf("%d\n", v);
	return rec;
}

static int
sem_cmd_get(struct call *c)
{
	struct rec *rec;
	struct ref r;

	parse_ref(c->argv[0], REF_IPC, &r);
	rec = ref_is_posix(&r) ? get_posix(&r) : get_sysv(c, &r);
	if (g.json)
		out_record(NULL, rec);
	out_flush_or_die();
	rec_free(rec);
	return 0;
}

static int
sem_cmd_set(struct call *c)
{
	unsigned short vals[SEMMSL_MAX];
	struct semid_ds ds;
	struct ref r;
	int id, i, n;

	parse_ref(c->argv[0], REF_IPC, &r);
	if (ref_is_posix(&r))
		die_on(EXIT_FAIL, r.text, "a POSIX semaphore has no way to set "
		    "its value; use post and wait, or rm and create --value");
	if (c->argc > 1 && opt_set(c, OPT_VALUE))
		die_usage("give VALUE or --value, not both");
	if (c->argc < 2 && !opt_set(c, OPT_VALUE))
		die_usage("missing VALUE");
	id = sysv_id(&sem_kind, &r);
	if (c->argc > 1) {
		int v = parse_value(c->argv[1]);

		i = index_of(c);
		if (sem_ctl(id, i, SETVAL, "SETVAL", (union semun){ .val = v })
		    == -1)
			semop_failed(&r, errno == EINVAL && i > 0 ? EFBIG :
			    errno);
		return 0;
	}
	sysv_stat(&r, id, &ds);
	n = parse_values(c->o[OPT_VALUE].s, vals, SEMMSL_MAX);
	if (n == 1)
		for (i = 1; i < (int)ds.sem_nsems; i++)
			vals[i] = vals[0];
	else if (n != (int)ds.sem_nsems)
		die_on(EXIT_FAIL, r.text, "%d values for a set of %lu", n,
		    (unsigned long)ds.sem_nsems);
	if (sem_ctl(id, 0, SETALL, "SETALL", (union semun){ .array = vals })
	    == -1)
		die_errno(errno, r.text, NOUN);
	return 0;
}

/* ---- wait, post, zero, op ---- */

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

static int
count_of(const struct call *c)
{
	if (!opt_set(c, OPT_COUNT))
		return 1;
	return (int)parse_number(c->o[OPT_COUNT].s, "count", 1, SEMVMX_);
}

/* POSIX: take n, all or nothing: on a timeout, give back what was taken. */
static void
posix_take(const struct ref *r, sem_t *s, int n)
{
	int taken, rc, err;

	for (taken = 0; taken < n; taken++) {
		if (wait_nowait())
			rc = sem_trywait(s);
		else if (wait_deadline() != NULL)
			rc = sem_timedwait(s, wait_deadline());
		else
			rc = sem_wait(s);
		trace_call(rc, "sem_%swait(%p)", wait_nowait() ? "try" :
		    wait_deadline() ? "timed" : "", (void *)s);
		if (rc == 0)
			continue;
		if (errno == EINTR) {
			/* Give back first: a signal of ours exits below. */
			while (taken-- > 0)
				sem_post(s);
			wait_interrupted(r->text);
			taken = -1;	/* anything else: start again */
			continue;
		}
		err = errno;
		while (taken-- > 0)
			sem_post(s);
		if (err != ETIMEDOUT && err != EAGAIN)
			die_errno(err, r->text, NOUN);
		die_on(EXIT_BLOCK, r->text, err == ETIMEDOUT ? "timed out" :
		    "would block");
	}
}

static void
posix_give(sem_t *s, int n)
{
	while (n-- > 0)
		trace_call(sem_post(s), "sem_post(%p)", (void *)s);
}

/* wait and post: delta < 0 takes, > 0 gives. */
static int
take_or_give(struct call *c, int sign)
{
	struct sembuf op;
	struct ref r;
	sem_t *s;
	int n;

	parse_ref(c->argv[0], REF_IPC, &r);
	n = count_of(c);
	if (ref_is_posix(&r)) {
		if (opt_set(c, OPT_UNDO) || opt_set(c, OPT_INDEX))
			die_usage("--undo and --index are for System V sets");
		if (sign > 0 && n > SEMVMX_)
			die_usage("--count is at most %d", SEMVMX_);
		s = posix_open_existing(&r);
		if (sign < 0)
			posix_take(&r, s, n);
		else
			posix_give(s, n);
		sem_close(s);
		return 0;
	}
	op.sem_num = (unsigned short)index_of(c);
	op.sem_op = (short)(sign * n);
	op.sem_flg = opt_set(c, OPT_UNDO) ? SEM_UNDO : 0;
	sysv_semop(&r, sysv_id(&sem_kind, &r), &op, 1);
	return 0;
}

static int
sem_cmd_wait(struct call *c)
{
	wait_from_options(c);
	return take_or_give(c, -1);
}

static int
sem_cmd_post(struct call *c)
{
	return take_or_give(c, 1);
}

static int
sem_cmd_zero(struct call *c)
{
	struct sembuf op;
	struct ref r;

	parse_ref(c->argv[0], REF_IPC, &r);
	if (ref_is_posix(&r))
		die_on(EXIT_FAIL, r.text, "a POSIX semaphore cannot wait for "
		    "zero; only System V sets can");
	wait_from_options(c);
	op.sem_num = (unsigned short)index_of(c);
	op.sem_op = 0;
	op.sem_flg = 0;
	sysv_semop(&r, sysv_id(&sem_kind, &r), &op, 1);
	return 0;
}

/* INDEX:DELTA[u][n]: 0:-1u, 1:+1, 2:0n. */
static void
parse_op(const char *text, struct sembuf *op)
{
	char buf[64], *colon, *flags;
	long long delta;

	strlcpy(buf, text, sizeof(buf));
	if ((colon = strchr(buf, ':')) == NULL)
		die_usage("invalid op '%s' (INDEX:DELTA with optional u and "
		    "n, e.g. 0:-1u)", text);
	*colon = '\0';
	flags = colon + 1 + strspn(colon + 1, "+-0123456789");
	op->sem_flg = 0;
	for (; *flags != '\0'; *flags++ = '\0') {
		if (*flags == 'u')
			op->sem_flg |= SEM_UNDO;
		else if (*flags == 'n')
			op->sem_flg |= IPC_NOWAIT;
		else
			die_usage("invalid op '%s' (flags are u and n)", text);
		if (flags[1] == '\0') {
			*flags = '\0';
			break;
		}
	}
	op->sem_num = (unsigned short)parse_number(buf, "op index", 0,
	    SEMMSL_MAX);
	delta = parse_number(colon[1] == '+' ? colon + 2 : colon + 1,
	    "op delta", -SEMVMX_, SEMVMX_);
	op->sem_op = (short)delta;
}

static int
sem_cmd_op(struct call *c)
{
	struct sembuf ops[c->argc];
	struct ref r;
	int i;

	parse_ref(c->argv[0], REF_IPC, &r);
	if (ref_is_posix(&r))
		die_on(EXIT_FAIL, r.text, "a POSIX semaphore has no atomic op "
		    "of several steps; only System V sets do");
	for (i = 1; i < c->argc; i++)
		parse_op(c->argv[i], &ops[i - 1]);
	wait_from_options(c);
	sysv_semop(&r, sysv_id(&sem_kind, &r), ops, (size_t)c->argc - 1);
	return 0;
}

/* ---- run ---- */

static int
sem_cmd_run(struct call *c)
{
	struct sembuf op;
	struct ref r;
	sem_t *s;
	int n, id, status;

	parse_ref(c->argv[0], REF_IPC, &r);
	n = count_of(c);
	wait_from_options(c);
	if (ref_is_posix(&r)) {
		if (opt_set(c, OPT_INDEX))
			die_usage("--index is for System V sets");
		s = posix_open_existing(&r);
		posix_take(&r, s, n);
		status = hold(NULL, c->argv + 1);
		posix_give(s, n);
		sem_close(s);
		return status;
	}
	/* SEM_UNDO: if we are killed, the kernel gives it back. */
	id = sysv_id(&sem_kind, &r);
	op = (struct sembuf){ (unsigned short)index_of(c), (short)-n,
	    SEM_UNDO };
	sysv_semop(&r, id, &op, 1);
	status = hold(NULL, c->argv + 1);
	op.sem_op = (short)n;
	op.sem_flg = SEM_UNDO;
	sem_do(id, &op, 1, NULL);
	return status;
}

/* ---- rm ---- */

static int
sem_rm_one(const struct ref *r)
{
	char path[PATH_MAX];
	struct stat st;
	int rc;

	if (!ref_is_posix(r))
		return sysv_rm(&sem_kind, r);
	posix_path(r->name, path, sizeof(path));
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return complain_on(r->text, "not a semaphore; not removed");
	rc = sem_unlink(r->name);
	trace_call(rc, "sem_unlink(\"%s\")", r->name);
	if (rc == -1)
		return complain_on(r->text, "%s", errno_text(errno, NOUN));
	return 0;
}

static int
sem_cmd_rm(struct call *c)
{
	return rm_each(c, REF_IPC, sem_rm_one);
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
	{ OPT_VALUE, "initial value, or one each "
	    "(default 0)" },
	{ OPT_MODE, "octal permissions (default 0600)" },
	{ OPT_EXIST_OK, "open it if it exists (once initialised)" },
	VERB_OPTS_END
};
static const struct verb_opt get_opts[] = {
	{ OPT_INDEX, "only semaphore I of the set" },
	VERB_OPTS_END
};
static const struct verb_opt set_opts[] = {
	{ OPT_INDEX, "semaphore I of the set (default 0)" },
	{ OPT_VALUE, "every value of the set (SETALL)" },
	VERB_OPTS_END
};
static const struct verb_opt wait_opts[] = {
	{ OPT_INDEX, "semaphore I of the set (default 0)" },
	{ OPT_COUNT, "take N (default 1)" },
	{ OPT_UNDO, "System V: undo when ipctool exits (SEM_UNDO)" },
	{ OPT_NOWAIT, "exit 3 rather than wait" },
	{ OPT_TIMEOUT, "wait at most DUR (exit 3)" },
	VERB_OPTS_END
};
static const struct verb_opt post_opts[] = {
	{ OPT_INDEX, "semaphore I of the set (default 0)" },
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
	{ OPT_INDEX, "semaphore I of the set (default 0)" },
	{ OPT_COUNT, "take N (default 1)" },
	{ OPT_NOWAIT, "exit 3 rather than wait; CMD does not run" },
	{ OPT_TIMEOUT, "wait at most DUR (exit 3)" },
	VERB_OPTS_END
};

static const struct verb sem_verbs[] = {
	{ "create", sem_cmd_create, create_opts, "[REF]",
	    "create a set or a semaphore and print its id or name", 0, 1,
	    NULL },
	{ "ls", sem_cmd_ls, NULL, "", "list semaphores of both flavours", 0,
	    0, NULL },
	{ "info", sem_cmd_info, NULL, "REF", "show one in full", 1, 1, NULL },
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
	sem_collect, sem_limits, NULL,
};
