/*
 * ls --all-namespaces (-A): the objects of every IPC namespace on the
 * machine in one listing, each row saying which namespace it is in (ns,
 * the inode lsns prints), a process there (nspid, for --ns) and that
 * process's command (nscmd).
 *
 * System V objects and POSIX queues belong to an IPC namespace; POSIX
 * shm and semaphores to the /dev/shm of a mount namespace.  Each IPC
 * namespace is entered through its lowest PID (ns.c), so its /dev/shm is
 * that process's.  Two IPC namespaces can share one /dev/shm (unshare
 * --ipc without --mount): a file is then listed once, under the first.
 * Pipes and FIFOs belong to no namespace; they are found once, through
 * /proc as plain ls finds them, and shown under the namespace of the
 * first process holding them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "object.h"

/*
 * POSIX files listed so far, by device and inode: the same file reached
 * from two namespaces (a /dev/shm they share) is one object.  Not by
 * device alone: two namespaces' /dev/shm can be two directories of one
 * file system (bind mounts), each with files of its own.
 */
struct seen_files {
	struct file_key	*v;
	size_t		 n, cap;
};

/* LISTED is sorted (files_merge keeps it so). */
static bool
file_seen(const struct seen_files *listed, dev_t dev, ino_t ino)
{
	struct file_key k = { dev, ino };

	return listed->n > 0 && bsearch(&k, listed->v, listed->n,
	    sizeof(*listed->v), file_key_cmp) != NULL;
}

static void
file_add(struct seen_files *s, dev_t dev, ino_t ino)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		if ((s->v = reallocarray(s->v, s->cap, sizeof(*s->v))) == NULL)
			die(EXIT_FAIL, "out of memory");
	}
	s->v[s->n++] = (struct file_key){ dev, ino };
}

/* One namespace's files into those listed before it, sorted again. */
static void
files_merge(struct seen_files *listed, const struct seen_files *here)
{
	size_t i;

	for (i = 0; i < here->n; i++)
		file_add(listed, here->v[i].dev, here->v[i].ino);
	if (listed->n > 1)
		qsort(listed->v, listed->n, sizeof(*listed->v), file_key_cmp);
}

/* The fields every object of namespace E shows: ns, nspid, nscmd. */
static struct rec *
ns_fields(const struct ipc_ns *e)
{
	struct rec *r = rec_new(NULL);

	rec_int(r, "ns", (long long)e->ino);
	rec_int(r, "nspid", (long long)e->pid);
	rec_str(r, "nscmd", e->cmd);
	return r;
}

/*
 * Records rs->v[from..] were read in a namespace whose fields are SHARED:
 * tag each, dropping files an earlier namespace listed already.  Deferred
 * records stay so; they are made when drawn, with SHARED's names.
 */
static void
tag_namespace(struct recs *rs, size_t from, struct rec *shared,
    struct seen_files *listed)
{
	struct seen_files here = { NULL, 0, 0 };
	struct rec_facts *f;
	size_t i, kept = from;

	for (i = from; i < rs->n; i++) {
		f = rec_facts(rs->v[i]);
		if (f->dev != 0 && file_seen(listed, f->dev, f->ino)) {
			rec_free(rs->v[i]);
			continue;
		}
		if (f->dev != 0)
			file_add(&here, f->dev, f->ino);
		rec_share(rs->v[i], shared);
		rs->v[kept++] = rs->v[i];
	}
	rs->n = kept;
	files_merge(listed, &here);
	free(here.v);
}

static bool
wanted(const struct call *c, const struct object *o, bool per_ns)
{
	if (o->collect == NULL || o->per_ipc_ns != per_ns)
		return false;
	/* `shm ls -A`: that object; `ls -A`: every kind --type names. */
	return c->obj->name != NULL ? o == c->obj : type_wanted(c, o->name);
}

static void
collect_in(const struct call *c, struct recs *rs)
{
	const struct object *const *o;

	for (o = objects(); *o != NULL; o++)
		if (wanted(c, *o, true))
			(*o)->collect(rs);
}

/* One line for what could not be seen: ls lists the rest, exit 0. */
static void
note_unseen(unsigned refused, int err, unsigned unreadable)
{
	char entered[128] = "", procs[96] = "";

	if (refused == 0 && unreadable == 0)
		return;
	if (refused > 0)
		snprintf(entered, sizeof(entered), "%u IPC namespace%s it "
		    "could not enter (%s)", refused, refused == 1 ? "" : "s",
		    err == EPERM ? "needs root: CAP_SYS_ADMIN" :
		    errno_text(err, "namespace"));
	if (unreadable > 0)
		snprintf(procs, sizeof(procs), "the namespaces of %u "
		    "process%s it could not look into (needs root)",
		    unreadable, unreadable == 1 ? "" : "es");
	complain_on(NULL, "not listed: %s%s%s", entered,
	    refused > 0 && unreadable > 0 ? ", and " : "", procs);
}

/*
 * One namespace's objects, read in it: its names, if not ours, are read
 * whole while there (a deferred record is made after we have left).
 */
static void
collect_namespace(const struct call *c, struct recs *rs,
    const struct ipc_ns *e, struct rec *shared, struct seen_files *listed)
{
	struct names *names = e->ours ? NULL : names_read_here();
	size_t from = rs->n;
	char where[96];

	/* A message from in there says which namespace it is about. */
	snprintf(where, sizeof(where), "%s (ipc:[%lu], pid %d)",
	    c->verb->name, (unsigned long)e->ino, (int)e->pid);
	if (!e->ours)
		set_context(c->obj->name, where);
	names_use(names);
	collect_in(c, rs);
	names_use(NULL);
	set_context(c->obj->name, c->verb->name);
	rec_share_names(shared, names);
	tag_namespace(rs, from, shared, listed);
}

/* Pipes and FIFOs: found once, shown under their first holder's. */
static void
collect_held(const struct call *c, struct recs *rs, const struct ns_scan *s,
    struct rec **shared)
{
	const struct object *const *o;
	const struct ipc_ns *e;
	size_t i, from;

	for (o = objects(); *o != NULL; o++) {
		if (!wanted(c, *o, false))
			continue;
		from = rs->n;
		(*o)->collect(rs);
		for (i = from; i < rs->n; i++) {
			e = ns_of_pid(s, rec_facts(rs->v[i])->holder);
			if (e != NULL)
				rec_share(rs->v[i], shared[e - s->v]);
		}
	}
}

void
collect_all_namespaces(const struct call *c, struct recs *rs)
{
	struct seen_files listed = { NULL, 0, 0 };
	struct ns_scan s;
	struct rec **shared;
	unsigned refused = 0;
	int err = 0;
	size_t i;

	ns_scan_all(&s);
	if ((shared = calloc(s.n + 1, sizeof(*shared))) == NULL)
		die(EXIT_FAIL, "out of memory");
	for (i = 0; i < s.n; i++) {
		/* ours until the end; then each goes with its last object */
		shared[i] = ns_fields(&s.v[i]);
		if (!ns_visit(&s.v[i])) {
			refused++;
			err = errno;
			continue;
		}
		collect_namespace(c, rs, &s.v[i], shared[i], &listed);
		ns_leave(&s.v[i]);
		ns_close(&s.v[i]);
	}
	collect_held(c, rs, &s, shared);
	note_unseen(refused, err, s.unreadable);
	for (i = 0; i < s.n; i++)
		rec_free(shared[i]);
	free(shared);
	free(listed.v);
	ns_scan_free(&s);
}
