/*
 * What the System V objects (shm, mq, sem) share: turning a key into an id,
 * the ipc_perm fields of a record, and rm over several operands.  Each
 * object supplies a small struct sysv_kind of its own calls.
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object.h"

/* The id a System V reference stands for, or -1 with errno set. */
int
sysv_find(const struct sysv_kind *k, const struct ref *r)
{
	if (r->kind == REF_SYSV_ID)
		return r->id;
	if (r->key == IPC_PRIVATE) {
		errno = ENOKEY;	/* reported as the message below */
		return -1;
	}
	return k->get(r->key);
}

static const char *
find_error(const struct sysv_kind *k, int err)
{
	if (err == ENOKEY)
		return "key 0 is IPC_PRIVATE and names no object; use the id";
	return errno_text(err == EINVAL ? ENOENT : err, k->noun);
}

int
sysv_id(const struct sysv_kind *k, const struct ref *r)
{
	int id = sysv_find(k, r);

	if (id == -1)
		die_on(status_of_errno(errno), r->text, "%s",
		    find_error(k, errno));
	return id;
}

/* Remove one object; on failure say why and return EXIT_FAIL. */
int
sysv_rm(const struct sysv_kind *k, const struct ref *r)
{
	int id = sysv_find(k, r);

	if (id == -1 || k->rmid(id) == -1)
		return complain_on(r->text, "%s", find_error(k, errno));
	return 0;
}

void
rec_ipc_perm(struct rec *rec, const struct ipc_perm *p, int id)
{
	char ref[16];

	snprintf(ref, sizeof(ref), "%d", id);
	rec_str(rec, "flavor", "sysv");
	rec_str(rec, "ref", ref);
	rec_key(rec, "key", p->__key);
	rec_int(rec, "id", id);
	rec_user(rec, "owner", p->uid);
	rec_group(rec, "group", p->gid);
	rec_user(rec, "creator", p->cuid);
	rec_mode(rec, "mode", p->mode & 0777);	/* not SHM_DEST and such */
}

/*
 * What ls's filters read of a System V object.  ctime counts whole
 * seconds: the end of that second, so what --older-than shows surely is.
 */
void
sysv_facts(struct rec *rec, const struct ipc_perm *p, time_t ctime,
    enum rec_use use)
{
	struct rec_facts f = { .uid = p->uid, .time = { ctime + 1, 0 },
	    .flavor = "sysv", .use = use };

	rec_set_facts(rec, &f);
}

/* The same of an object that is a file: a POSIX one, a FIFO, a pipe. */
void
file_facts(struct rec *rec, const struct stat *st, struct timespec t,
    const char *flavor, enum rec_use use)
{
	struct rec_facts f = { .uid = st->st_uid, .time = t,
	    .flavor = flavor, .use = use, .dev = st->st_dev,
	    .ino = st->st_ino };

	rec_set_facts(rec, &f);
}

/* The fields every POSIX object's record starts with. */
void
rec_posix_name(struct rec *rec, const char *name)
{
	rec_str(rec, "flavor", "posix");
	rec_str(rec, "ref", name);
	rec_str(rec, "name", name);
}

/* --nowait and --timeout, as the verb's caller gave them. */
void
wait_from_options(const struct call *c)
{
	wait_setup(opt_set(c, OPT_NOWAIT), opt_set(c, OPT_TIMEOUT) ?
	    &c->o[OPT_TIMEOUT].ts : NULL);
}

/*
 * Whether the object create is about to print was made by this call, so
 * that a create whose output fails removes it and nothing else.  create_ref
 * notes that without --exist-ok (and for IPC_PRIVATE) nothing but a new
 * object can reach print_new; with it, a backend calls create_made right
 * after its exclusive create (IPC_EXCL, O_EXCL, mkfifo) succeeded.
 */
static bool made_here;

void
create_made(void)
{
	made_here = true;
}

/* Remove what this call made, by the object's own rm verb. */
static bool
undo_create(const char *type, char *ref)
{
	const struct object *o = find_object(type);
	const struct verb *v;
	char *argv[] = { ref, NULL };
	struct call c;

	if (o == NULL)
		return false;
	for (v = o->verbs; v->name != NULL; v++)
		if (strcmp(v->name, "rm") == 0)
			break;
	if (v->name == NULL)
		return false;
	memset(&c, 0, sizeof(c));
	c.obj = o;
	c.verb = v;
	c.argc = 1;
	c.argv = argv;
	return v->run(&c) == 0;
}

/*
 * create's output: the new object's handle alone, or in JSON its record.
 * A script reads the handle from stdout (id=$(ipctool shm create ...));
 * when it cannot be written (stdout closed, full, a reader gone), an
 * object this call made is removed again, since no one could name it.
 */
void
print_new(struct rec *rec)
{
	char type[16], ref[PATH_MAX];
	bool made = made_here;
	int err;

	made_here = false;
	snprintf(type, sizeof(type), "%s", rec_get_str(rec, "type"));
	snprintf(ref, sizeof(ref), "%s", rec_get_str(rec, "ref"));
	err = out_handle(ref, rec);
	rec_free(rec);
	if (err == 0)
		return;
	if (!made)
		die_on(EXIT_FAIL, ref, "write error: %s; it existed before "
		    "and is kept", errno_text(err, "file"));
	if (!undo_create(type, ref))
		die_on(EXIT_FAIL, ref, "write error: %s; could not remove it "
		    "again", errno_text(err, "file"));
	die_on(EXIT_FAIL, ref, "write error: %s; not created",
	    errno_text(err, "file"));
}

/* create's --mode, or the safe default. */
mode_t
create_mode(const struct call *c)
{
	return opt_set(c, OPT_MODE) ? (mode_t)c->o[OPT_MODE].n : 0600;
}

/*
 * rm REF...: every operand is parsed before anything is removed, then each
 * goes on its own; one failure does not stop the rest.
 */
int
rm_each(const struct call *c, unsigned allowed,
    int (*rm_one)(const struct ref *))
{
	struct ref refs[c->argc];
	int i, status = 0;

	for (i = 0; i < c->argc; i++)
		parse_ref(c->argv[i], allowed, &refs[i]);
	for (i = 0; i < c->argc; i++)
		if (rm_one(&refs[i]) != 0)
			status = EXIT_FAIL;
	return status;
}

/* What a kind's *ctl fills, whichever kind and call. */
union sysv_buf {
	struct shmid_ds shm;
	struct msqid_ds msg;
	struct semid_ds sem;
	struct shm_info shm_info;
	struct msginfo msg_info;
	struct seminfo sem_info;
};

/* The highest index in use of a kind, as its *_INFO call says; -1 none. */
int
sysv_max_index(const struct sysv_kind *k)
{
	union sysv_buf buf;

	memset(&buf, 0, sizeof(buf));
	return k->ctl(0, k->cmd_info, &buf);
}

/* The id at index I by *_STAT (only what we may read), or -1. */
int
sysv_stat_index(const struct sysv_kind *k, int i)
{
	union sysv_buf buf;

	memset(&buf, 0, sizeof(buf));
	return k->ctl(i, k->cmd_stat, &buf);
}

/*
 * Every object of a kind from /proc/sysvipc/NAME, as ipcs reads them: one
 * pass over what the kernel prints, in the same order as the walk (by
 * index).  False, after the sink's undo, when the file cannot be read,
 * lacks a column the kind needs or holds a line that is not what the
 * header says: then the caller walks the indexes instead.
 */
static bool
walk_proc(const struct sysv_kind *k, const struct sysv_sink *sink)
{
	static char fbuf[1 << 16];	/* fewer read(2)s of a seq_file */
	struct sysvipc_layout l;
	struct sysvipc_row row;
	union sysv_buf buf;
	size_t cap = 0;
	char *line = NULL;
	bool ok = false, added = false;
	FILE *f;

	if ((f = fopen(k->proc, "re")) == NULL)
		return false;
	setvbuf(f, fbuf, _IOFBF, sizeof(fbuf));
	if (getline(&line, &cap, f) == -1 ||
	    check_sysvipc_header(line, &l) != NULL ||
	    (l.have & k->proc_fields) != k->proc_fields)
		goto out;
	while (getline(&line, &cap, f) != -1) {
		if (check_sysvipc_row(line, &l, &row) != NULL)
			goto out;
		/* from_proc fills the fields the line has; the rest are 0 */
		memset(&buf, 0, sizeof(buf));
		if (k->from_proc(&row, &buf)) {
			sink->add(sink->arg, (int)row.v[SV_ID], &buf);
			added = true;
		}
	}
	ok = ferror(f) == 0;
out:
	if (!ok && added)
		sink->undo(sink->arg);
	free(line);
	fclose(f);
	return ok;
}

/* How many objects there are, as the *_INFO call said. */
static int
in_use(const struct sysv_kind *k, const union sysv_buf *b)
{
	switch (k->cmd_info) {
	case SHM_INFO:
		return b->shm_info.used_ids;
	case MSG_INFO:
		return b->msg_info.msgpool;
	case SEM_INFO:
		return b->sem_info.semusz;
	}
	return 0;
}

/*
 * Every object of a kind, as ipcs finds them, even those we may not read:
 * the *_INFO call gives the highest index in use, and *_STAT_ANY reads each
 * index up to it (kernels before 4.17 lack it and get *_STAT), or
 * /proc/sysvipc lists them.  Measured on 6.18, a call costs about 0.6 us an
 * index, used or not, and a line of /proc 2.4 us an object (the kernel
 * formats it, we parse it): the walk when at least half the indexes hold
 * an object, else /proc, whose cost goes by objects, not indexes.  Each
 * object goes to the sink as its id and the struct *_STAT_ANY fills.
 */
void
sysv_walk(const struct sysv_kind *k, const struct sysv_sink *sink)
{
	union sysv_buf buf;
	int i, id, max;

	memset(&buf, 0, sizeof(buf));
	max = k->ctl(0, k->cmd_info, &buf);
	if ((max == -1 || max + 1 > 2 * in_use(k, &buf)) &&
	    walk_proc(k, sink))
		return;
	for (i = 0; i <= max; i++) {
		/* valgrind cannot see *_STAT_ANY fill it: no stale bytes */
		memset(&buf, 0, sizeof(buf));
		id = sysv_stat_any(k, i, &buf);
		if (id != -1)
			sink->add(sink->arg, id, &buf);
	}
}

/* ls's sink: a record of each object, by the kind's listed. */
struct collect_sink {
	const struct sysv_kind *k;
	struct recs	*rs;
	size_t		 start;
};

static void
collect_add(void *arg, int id, const void *buf)
{
	struct collect_sink *c = arg;

	recs_add(c->rs, c->k->listed(id, buf));
}

static void
collect_undo(void *arg)
{
	struct collect_sink *c = arg;

	while (c->rs->n > c->start)
		rec_free(c->rs->v[--c->rs->n]);
}

void
sysv_collect(const struct sysv_kind *k, struct recs *rs)
{
	struct collect_sink c = { k, rs, rs->n };
	const struct sysv_sink sink = { collect_add, collect_undo, &c };

	sysv_walk(k, &sink);
}

/*
 * *_STAT_ANY (or before 4.17, *_STAT) of the object at index i; an id
 * works too, as its index.  The id of the object there, or -1.
 */
int
sysv_stat_any(const struct sysv_kind *k, int i, void *buf)
{
	int id = k->ctl(i, k->cmd_stat_any, buf);

	if (id == -1 && errno == EINVAL)
		id = k->ctl(i, k->cmd_stat, buf);
	return id;
}

/* ls's record of an object: its data kept, the fields made when drawn. */
struct rec *
sysv_deferred(void (*fill)(struct rec *, const void *), const void *data,
    size_t size)
{
	void *copy = malloc(size);

	if (copy == NULL)
		die(EXIT_FAIL, "out of memory");
	memcpy(copy, data, size);
	return rec_deferred(fill, copy);
}

/* ls: every object the collector finds, as a table or a JSON array. */
void
list_objects(const struct call *c, void (*collect)(struct recs *))
{
	struct recs rs = { NULL, 0, 0 };

	out_listing(c->verb->columns);
	if (opt_set(c, OPT_ALL_NAMESPACES))
		collect_all_namespaces(c, &rs);
	else
		collect(&rs);
	filter_records(c, &rs);
	out_table(c->verb->columns, rs.v, rs.n);
	out_listing(NULL);
	recs_free(&rs);
}

/* info REF: the one record the reference names. */
int
show_object(const struct call *c, struct rec *(*record_of)(const struct ref *))
{
	struct rec *rec;
	struct ref r;

	parse_ref(c->argv[0], REF_IPC, &r);
	rec = record_of(&r);
	out_record(c->verb->columns, rec);
	rec_free(rec);
	return 0;
}

/* One row of `ipctool limits`; used < 0 when the kernel does not say. */
void
add_limit(struct recs *rs, const char *type, const char *flavor,
    const char *what, unsigned long long limit, long long used, bool bytes)
{
	struct rec *r = rec_new(type);
	void (*number)(struct rec *, const char *, unsigned long long) =
	    bytes ? rec_size : rec_count;

	rec_str(r, "flavor", flavor);
	rec_str(r, "resource", what);
	number(r, "limit", limit);
	if (used >= 0)
		number(r, "used", (unsigned long long)used);
	recs_add(rs, r);
}

/* create's optional REF: a key, ftok: or /name; NULL for IPC_PRIVATE. */
const struct ref *
create_ref(const struct call *c, struct ref *buf)
{
	made_here = c->argc == 0 || !opt_set(c, OPT_EXIST_OK);
	if (c->argc == 0)
		return NULL;
	parse_ref(c->argv[0], REF_SYSV_KEY | REF_POSIX, buf);
	return buf;
}
