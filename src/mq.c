/*
 * mq: System V message queues (msgget/msgsnd/msgrcv/msgctl) and POSIX
 * queues (mq_open and friends), chosen by the reference.  send and recv
 * stream: one buffer for the whole run, one system call per message when
 * the queue is ready.  recv writes each message to stdout before it takes
 * the next, and puts back the one it could not write (see deliver()).
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object.h"

#define NOUN		"message queue"
#define MQ_DIR		"/dev/mqueue"
#define MQUEUE_MAGIC	0x19800202
#define PROC_MQ		"/proc/sys/fs/mqueue/"

/* ---- traced calls ---- */

static int
msg_get(key_t key, int flags)
{
	int r = msgget(key, flags);

	trace_call(r, "msgget(%s, %s)", trace_key(key), trace_ipcflags(flags));
	return r;
}

static int
msg_ctl(int id, int cmd, const char *cmdname, struct msqid_ds *ds)
{
	int r = msgctl(id, cmd, ds);

	trace_call(r, "msgctl(%d, %s, %p)", id, cmdname, (void *)ds);
	return r;
}

static mqd_t
posix_open(const char *name, int oflag, mode_t mode, struct mq_attr *attr)
{
	mqd_t q = mq_open(name, oflag | O_CLOEXEC, mode, attr);

	if (attr != NULL)
		trace_call(q, "mq_open(\"%s\", %s, %04o, {mq_maxmsg=%ld, "
		    "mq_msgsize=%ld})", name, trace_oflags(oflag | O_CLOEXEC),
		    (unsigned)mode, attr->mq_maxmsg, attr->mq_msgsize);
	else
		trace_call(q, "mq_open(\"%s\", %s)", name,
		    trace_oflags(oflag | O_CLOEXEC));
	return q;
}

static int
msg_get_existing(key_t key)
{
	return msg_get(key, 0);
}

static int
msg_rmid(int id)
{
	return msg_ctl(id, IPC_RMID, "IPC_RMID", NULL);
}

/* The *ctl call by a command's name, for sysv_collect and --trace. */
static int
msg_ctl_any(int id, int cmd, void *buf)
{
	const char *name = cmd == MSG_INFO ? "MSG_INFO" :
	    cmd == MSG_STAT ? "MSG_STAT" : "MSG_STAT_ANY";

	return msg_ctl(id, cmd, name, buf);
}

static bool sysv_from_proc(const struct sysvipc_row *, void *);
static struct rec *sysv_listed(int, const void *);

const struct sysv_kind mq_kind = {
	NOUN, msg_get_existing, msg_rmid, msg_ctl_any, MSG_INFO, MSG_STAT,
	MSG_STAT_ANY, "/proc/sysvipc/msg",
	SV_BIT(SV_KEY) | SV_BIT(SV_ID) | SV_BIT(SV_PERMS) | SV_BIT(SV_CBYTES) |
	SV_BIT(SV_QNUM) | SV_BIT(SV_LSPID) | SV_BIT(SV_LRPID) |
	SV_BIT(SV_UID) | SV_BIT(SV_GID) | SV_BIT(SV_CUID) | SV_BIT(SV_CGID) |
	SV_BIT(SV_STIME) | SV_BIT(SV_RTIME) | SV_BIT(SV_CTIME),
	sysv_from_proc, sysv_listed
};

/* Whether the list being collected shows qbytes, which /proc lacks. */
static bool list_qbytes;

/* A number from /proc/sys, or -1. */
static long
proc_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f != NULL) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void
sysv_stat(const struct ref *r, int id, struct msqid_ds *ds)
{
	if (msg_ctl(id, IPC_STAT, "IPC_STAT", ds) == -1)
		die_errno(errno == EINVAL ? ENOENT : errno, r->text, NOUN);
}

/* The largest message the kernel takes at all: msgmax. */
static size_t
sysv_msgmax(void)
{
	struct msginfo mi;

	if (msg_ctl(0, IPC_INFO, "IPC_INFO", (struct msqid_ds *)&mi) == -1)
		return 8192;
	return (size_t)mi.msgmax;
}

static mqd_t
posix_open_existing(const struct ref *r, int oflag)
{
	mqd_t q = posix_open(r->name, oflag, 0, NULL);

	if (q == (mqd_t)-1)
		die_errno(errno, r->text, NOUN);
	return q;
}

static void
posix_getattr(const struct ref *r, mqd_t q, struct mq_attr *a)
{
	if (mq_getattr(q, a) == -1)
		die_errno(errno, r->text, NOUN);
}

/* ---- records ---- */

/* A System V queue as a record holds it until it is drawn. */
struct sysv_queue {
	int		 id;
	struct msqid_ds	 ds;
};

static void
sysv_fill(struct rec *r, const void *p)
{
	const struct sysv_queue *q = p;
	const struct msqid_ds *ds = &q->ds;

	rec_str(r, "type", "mq");
	rec_ipc_perm(r, &ds->msg_perm, q->id);
	rec_int(r, "qnum", (long long)ds->msg_qnum);
	rec_size(r, "qbytes", ds->msg_qbytes);
	rec_size(r, "cbytes", ds->__msg_cbytes);
	rec_int(r, "lspid", ds->msg_lspid);
	rec_int(r, "lrpid", ds->msg_lrpid);
	rec_time(r, "stime", ds->msg_stime);
	rec_time(r, "rtime", ds->msg_rtime);
	rec_time(r, "ctime", ds->msg_ctime);
}

static struct rec *
sysv_record(int id, const struct msqid_ds *ds)
{
	struct sysv_queue q = { id, *ds };
	struct rec *r = rec_new(NULL);

	sysv_fill(r, &q);
	return r;
}

/* ds is a struct msqid_ds: the type sysv_collect's callback takes. */
static struct rec *
sysv_listed(int id, const void *ds)
{
	struct sysv_queue q = { .id = id };

	struct rec *r;

	memcpy(&q.ds, ds, sizeof(q.ds));
	r = sysv_deferred(sysv_fill, &q, sizeof(q));
	/* A queue's users hold only its id: whether any does is unknowable. */
	sysv_facts(r, &q.ds.msg_perm, q.ds.msg_ctime, USE_UNKNOWN);
	return r;
}

/*
 * A line of /proc/sysvipc/msg as MSG_STAT_ANY's struct msqid_ds.  The
 * line has no qbytes: when the list shows it, MSG_STAT_ANY by the id (the
 * kernel takes its index) gives the whole struct, and false if another
 * queue has the index now.
 */
static bool
sysv_from_proc(const struct sysvipc_row *row, void *p)
{
	struct msqid_ds *ds = p;
	int id = (int)row->v[SV_ID];

	if (list_qbytes)
		return sysv_stat_any(&mq_kind, id, ds) == id;
	ds->msg_perm.__key = (key_t)row->v[SV_KEY];
	ds->msg_perm.mode = (unsigned short)row->v[SV_PERMS];
	ds->msg_perm.uid = (uid_t)row->v[SV_UID];
	ds->msg_perm.gid = (gid_t)row->v[SV_GID];
	ds->msg_perm.cuid = (uid_t)row->v[SV_CUID];
	ds->msg_perm.cgid = (gid_t)row->v[SV_CGID];
	ds->__msg_cbytes = (unsigned long)row->v[SV_CBYTES];
	ds->msg_qnum = (msgqnum_t)row->v[SV_QNUM];
	ds->msg_lspid = (pid_t)row->v[SV_LSPID];
	ds->msg_lrpid = (pid_t)row->v[SV_LRPID];
	ds->msg_stime = (time_t)row->v[SV_STIME];
	ds->msg_rtime = (time_t)row->v[SV_RTIME];
	ds->msg_ctime = (time_t)row->v[SV_CTIME];
	return true;
}

static struct rec *
sysv_stat_record(const struct ref *r)
{
	struct msqid_ds ds;
	int id = sysv_id(&mq_kind, r);

	sysv_stat(r, id, &ds);
	return sysv_record(id, &ds);
}

/*
 * The directory of the queues of the IPC namespace we are in, open (the
 * caller closes it), or -1: /dev/mqueue when an mqueue is mounted there,
 * or the instance ls -A mounted for the namespace it is visiting.
 */
static int
queues_dir(void)
{
	struct statfs sf;
	int fd = ns_mqueue_fd();

	fd = fd != -1 ? openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) :
	    open(MQ_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1 && (fstatfs(fd, &sf) == -1 ||
	    sf.f_type != MQUEUE_MAGIC)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* What /dev/mqueue/NAME says: "QSIZE:129 NOTIFY:0 SIGNO:0 NOTIFY_PID:0". */
static void
add_mqueue_file(struct rec *r, int dir, const char *name)
{
	char line[256];
	long qsize, notify, signo, pid;
	FILE *f;
	int fd;

	if ((fd = openat(dir, name + 1, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if ((f = fdopen(fd, "re")) == NULL) {
		close(fd);
		return;
	}
	if (fgets(line, sizeof(line), f) != NULL &&
	    sscanf(line, "QSIZE:%ld NOTIFY:%ld SIGNO:%ld NOTIFY_PID:%ld",
	    &qsize, &notify, &signo, &pid) == 4) {
		rec_size(r, "qsize", (unsigned long long)qsize);
		rec_int(r, "notify_pid", pid);
	}
	fclose(f);
}

/*
 * attr is NULL when the queue could not be opened to ask; st is NULL (and
 * dir -1) when /dev/mqueue is not mounted, the only place owner and mode
 * are shown.
 */
static struct rec *
posix_record(const char *name, int dir, const struct stat *st,
    const struct mq_attr *attr)
{
	struct rec *r = rec_new("mq");

	rec_posix_name(r, name);
	if (st != NULL) {
		rec_user(r, "owner", st->st_uid);
		rec_group(r, "group", st->st_gid);
		rec_mode(r, "mode", st->st_mode & 0777);
	}
	if (attr != NULL) {
		rec_int(r, "curmsgs", attr->mq_curmsgs);
		rec_int(r, "maxmsg", attr->mq_maxmsg);
		rec_size(r, "msgsize", (unsigned long long)attr->mq_msgsize);
	}
	if (dir != -1)
		add_mqueue_file(r, dir, name);
	/*
	 * Sends and receives set the file's mtime; its ctime moves on every
	 * read of the file too (add_mqueue_file's own, cat's), so it says
	 * nothing of the queue.
	 */
	if (st != NULL) {
		rec_time(r, "mtime", st->st_mtime);
		file_facts(r, st, st->st_mtim, "posix", USE_FILE);
	}
	return r;
}

static struct rec *
posix_stat(const struct ref *r)
{
	struct mq_attr attr;
	struct stat st;
	struct rec *rec;
	mqd_t q;
	int dir;

	q = posix_open_existing(r, O_RDONLY);
	posix_getattr(r, q, &attr);
	mq_close(q);
	if ((dir = queues_dir()) == -1 ||
	    fstatat(dir, r->name + 1, &st, 0) == -1)
		rec = posix_record(r->name, -1, NULL, &attr);	/* no owner */
	else
		rec = posix_record(r->name, dir, &st, &attr);
	if (dir != -1)
		close(dir);
	return rec;
}

/* ---- create ---- */

/* Why mq_open said EINVAL: the first attribute over its system limit. */
static void __attribute__((noreturn))
posix_create_failed(const struct ref *r, int err, const struct mq_attr *a)
{
	long max;

	if (err == EINVAL && a != NULL) {
		max = proc_long(PROC_MQ "msg_max");
		if (max > 0 && a->mq_maxmsg > max)
			die_on(EXIT_FAIL, r->text, "--max-messages %ld is over "
			    "the system limit %ld (" PROC_MQ "msg_max)",
			    a->mq_maxmsg, max);
		max = proc_long(PROC_MQ "msgsize_max");
		if (max > 0 && a->mq_msgsize > max)
			die_on(EXIT_FAIL, r->text, "--message-size %ld is over "
			    "the system limit %ld (" PROC_MQ "msgsize_max)",
			    a->mq_msgsize, max);
		die_on(EXIT_FAIL, r->text, "--max-messages %ld or "
		    "--message-size %ld is over what the kernel allows",
		    a->mq_maxmsg, a->mq_msgsize);
	}
	if (err == ENOSPC)
		die_on(EXIT_FAIL, r->text, "the system's limit of queues is "
		    "reached (" PROC_MQ "queues_max)");
	if (err == EMFILE)
		die_on(EXIT_FAIL, r->text, "the queue would pass "
		    "RLIMIT_MSGQUEUE (ulimit -q) or the open file limit");
	die_errno(err, r->text, NOUN);
}

static long
attr_or_default(const struct call *c, enum opt_id id, const char *file,
    long dflt)
{
	long v;

	if (opt_set(c, id))
		return (long)c->o[id].n;
	return (v = proc_long(file)) > 0 ? v : dflt;
}

static struct rec *
posix_create(const struct call *c, const struct ref *r, mode_t mode)
{
	struct mq_attr a = { 0 }, *ap = NULL;
	mqd_t q;
	int rc;

	if (opt_set(c, OPT_MAX_MESSAGES) || opt_set(c, OPT_MESSAGE_SIZE)) {
		a.mq_maxmsg = attr_or_default(c, OPT_MAX_MESSAGES,
		    PROC_MQ "msg_default", 10);
		a.mq_msgsize = attr_or_default(c, OPT_MESSAGE_SIZE,
		    PROC_MQ "msgsize_default", 8192);
		ap = &a;
	}
	q = posix_open(r->name, O_RDONLY | O_CREAT | O_EXCL, mode, ap);
	if (q == (mqd_t)-1 && errno == EEXIST && opt_set(c, OPT_EXIST_OK))
		return posix_stat(r);
	if (q == (mqd_t)-1)
		posix_create_failed(r, errno, ap);
	create_made();
	/* mq_open applied the umask; the user asked for this mode. */
	rc = fchmod(q, mode);
	trace_call(rc, "fchmod(%d, %04o)", (int)q, (unsigned)mode);
	if (rc == -1) {
		int err = errno;

		/* Leave no half-made queue behind. */
		trace_call(mq_unlink(r->name), "mq_unlink(\"%s\")", r->name);
		die_errno(err, r->text, NOUN);
	}
	mq_close(q);
	return posix_stat(r);
}

/* msg_qbytes can only be set after msgget; undo the queue if refused. */
static void
set_qbytes(const struct ref *byid, int id, unsigned long long qbytes)
{
	struct msqid_ds ds;
	long mnb;
	int err;

	sysv_stat(byid, id, &ds);
	ds.msg_qbytes = (msglen_t)qbytes;
	if (msg_ctl(id, IPC_SET, "IPC_SET", &ds) == 0)
		return;
	err = errno;
	msg_rmid(id);
	mnb = proc_long("/proc/sys/kernel/msgmnb");
	if (err == EPERM && mnb > 0)
		die_on(EXIT_FAIL, byid->text, "--queue-bytes %llu is over the "
		    "system limit %ld (/proc/sys/kernel/msgmnb); not created",
		    qbytes, mnb);
	die_on(EXIT_FAIL, byid->text, "--queue-bytes: %s; not created",
	    errno_text(err, NOUN));
}

/* r is NULL for IPC_PRIVATE. */
static struct rec *
sysv_create(const struct call *c, const struct ref *r, mode_t mode)
{
	key_t key = r != NULL ? r->key : IPC_PRIVATE;
	const char *what = r != NULL ? r->text : "IPC_PRIVATE";
	struct ref byid = { .kind = REF_SYSV_ID, .text = what };

	if ((byid.id = msg_get(key, IPC_CREAT | IPC_EXCL | (int)mode)) != -1) {
		create_made();
		if (opt_set(c, OPT_QUEUE_BYTES))
			set_qbytes(&byid, byid.id,
			    (unsigned long long)c->o[OPT_QUEUE_BYTES].n);
		return sysv_stat_record(&byid);
	}
	if (errno == EEXIST && opt_set(c, OPT_EXIST_OK) &&
	    (byid.id = msg_get(key, 0)) != -1)
		return sysv_stat_record(&byid);
	if (errno == ENOSPC)
		die_on(EXIT_FAIL, what, "the system's limit of queues is "
		    "reached (/proc/sys/kernel/msgmni)");
	die_errno(errno, what, NOUN);
}

/* ---- collect ---- */

static bool posix_unlisted;	/* /dev/mqueue is not mounted */

static void
posix_collect(struct recs *rs)
{
	char name[NAME_MAX + 2];
	struct mq_attr attr;
	struct dirent *e;
	struct stat st;
	DIR *d;
	mqd_t q;
	int dir = queues_dir();

	if (dir == -1 || (d = fdopendir(dir)) == NULL) {
		if (dir != -1)
			close(dir);
		posix_unlisted = true;
		complain_on(MQ_DIR, "not mounted, so POSIX queues are not "
		    "listed; mount it with: mount -t mqueue none " MQ_DIR);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' ||
		    fstatat(dirfd(d), e->d_name, &st, 0) == -1)
			continue;
		snprintf(name, sizeof(name), "/%s", e->d_name);
		/* Attributes need an open; without permission, go without. */
		q = posix_open(name, O_RDONLY, 0, NULL);
		if (q != (mqd_t)-1 && mq_getattr(q, &attr) == 0)
			recs_add(rs, posix_record(name, dirfd(d), &st, &attr));
		else
			recs_add(rs, posix_record(name, dirfd(d), &st, NULL));
		if (q != (mqd_t)-1)
			mq_close(q);
	}
	closedir(d);
}

static void
sysv_collect_all(struct recs *rs)
{
	list_qbytes = out_shows("qbytes");
	sysv_collect(&mq_kind, rs);
}

/* ---- rm ---- */

static int
posix_rm(const struct ref *r)
{
	int rc = mq_unlink(r->name);

	trace_call(rc, "mq_unlink(\"%s\")", r->name);
	if (rc == -1)
		return complain_on(r->text, "%s", errno_text(errno, NOUN));
	return 0;
}

static int
sysv_rm_one(const struct ref *r)
{
	return sysv_rm(&mq_kind, r);
}

/* ---- a queue opened for send or recv ---- */

struct send_opts {
	long		 type;		/* System V */
	unsigned	 prio;		/* POSIX */
};

struct recv_opts {
	long		 type;
	int		 flags;		/* MSG_EXCEPT, MSG_NOERROR */
	long		 count;		/* -1: all that are queued */
	int		 delim;		/* -1: none (--raw) */
};

struct queue {
	const struct ref *ref;
	const struct mq_ops *ops;
	int		 id;		/* System V */
	mqd_t		 mqd;		/* POSIX */
	bool		 rdonly;	/* POSIX recv: no put-back possible */
	size_t		 max;		/* largest message */
	const char	*limit;		/* what sets max: "msgsize", ... */
	struct msgbuf	*buf;		/* System V: mtype, data */
	char		*data;		/* the message bytes */
	long		 sent;		/* messages sent so far */
};

/* recvlen: System V recv's --length, or 0. */
static void
sysv_queue_open(const struct ref *r, bool sending, size_t recvlen,
    struct queue *q)
{
	struct msqid_ds ds;

	q->id = sysv_id(&mq_kind, r);
	q->max = sysv_msgmax();
	q->limit = "msgmax, /proc/sys/kernel/msgmax";
	sysv_stat(r, q->id, &ds);	/* a missing id says so here */
	if (sending) {
		if (ds.msg_qbytes < q->max) {
			q->max = ds.msg_qbytes;
			q->limit = "the queue's qbytes";
		}
	} else if (recvlen > 0)
		q->max = recvlen;
	q->buf = malloc(sizeof(long) + q->max + 1);
	if (q->buf == NULL)
		die(EXIT_FAIL, "out of memory");
	q->data = q->buf->mtext;
}

static void
posix_queue_open(const struct ref *r, bool sending, size_t recvlen,
    struct queue *q)
{
	struct mq_attr a;

	(void)recvlen;
	/*
	 * recv opens for writing too, to put back a message it could not
	 * deliver; a user who may only read still receives.
	 */
	if (sending)
		q->mqd = posix_open_existing(r, O_WRONLY);
	else if ((q->mqd = posix_open(r->name, O_RDWR, 0, NULL)) ==
	    (mqd_t)-1 && errno == EACCES) {
		q->mqd = posix_open_existing(r, O_RDONLY);
		q->rdonly = true;
	} else if (q->mqd == (mqd_t)-1)
		die_errno(errno, r->text, NOUN);
	posix_getattr(r, q->mqd, &a);
	q->max = (size_t)a.mq_msgsize;
	q->limit = "the queue's msgsize";
	if ((q->data = malloc(q->max + 1)) == NULL)
		die(EXIT_FAIL, "out of memory");
}

static void
sysv_queue_close(struct queue *q)
{
	free(q->buf);
}

static void
posix_queue_close(struct queue *q)
{
	mq_close(q->mqd);
	free(q->data);
}

static int
sysv_send(const struct queue *q, const struct send_opts *o, size_t len,
    bool block)
{
	int r;

	q->buf->mtype = o->type;
	r = msgsnd(q->id, q->buf, len, block ? 0 : IPC_NOWAIT);
	trace_call(r, "msgsnd(%d, {%ld, ...}, %zu, %s)", q->id, o->type, len,
	    block ? "0" : "IPC_NOWAIT");
	return r;
}

static int
posix_send(const struct queue *q, const struct send_opts *o, size_t len,
    bool block)
{
	static const struct timespec past = { 0, 0 };
	int r;

	if (!block)
		r = mq_timedsend(q->mqd, q->data, len, o->prio, &past);
	else if (wait_deadline() != NULL)
		r = mq_timedsend(q->mqd, q->data, len, o->prio,
		    wait_deadline());
	else
		r = mq_send(q->mqd, q->data, len, o->prio);
	trace_call(r, "mq_%ssend(%d, ..., %zu, %u)", block &&
	    wait_deadline() == NULL ? "" : "timed", (int)q->mqd, len, o->prio);
	if (r < 0 && errno == ETIMEDOUT && !block)
		errno = EAGAIN;	/* a deadline in the past: no room now */
	return r;
}

/* One message into q->data; its length, or -1 (ENOMSG/EAGAIN: none). */
static ssize_t
sysv_recv(const struct queue *q, const struct recv_opts *o, bool block,
    long *tag)
{
	ssize_t n;
	int flags = o->flags | (block ? 0 : IPC_NOWAIT);

	n = msgrcv(q->id, q->buf, q->max, o->type, flags);
	trace_call(n, "msgrcv(%d, ..., %zu, %ld, %s%s%s)", q->id, q->max,
	    o->type, block ? "0" : "IPC_NOWAIT",
	    o->flags & MSG_EXCEPT ? "|MSG_EXCEPT" : "",
	    o->flags & MSG_NOERROR ? "|MSG_NOERROR" : "");
	if (n >= 0)
		*tag = q->buf->mtype;
	return n;
}

static ssize_t
posix_recv(const struct queue *q, const struct recv_opts *o, bool block,
    long *tag)
{
	static const struct timespec past = { 0, 0 };
	unsigned prio = 0;
	ssize_t n;

	(void)o;
	if (!block)
		n = mq_timedreceive(q->mqd, q->data, q->max, &prio, &past);
	else if (wait_deadline() != NULL)
		n = mq_timedreceive(q->mqd, q->data, q->max, &prio,
		    wait_deadline());
	else
		n = mq_receive(q->mqd, q->data, q->max, &prio);
	trace_call(n, "mq_%sreceive(%d, ..., %zu)", block &&
	    wait_deadline() == NULL ? "" : "timed", (int)q->mqd, q->max);
	if (n >= 0)
		*tag = prio;
	if (n < 0 && errno == ETIMEDOUT && !block)
		errno = EAGAIN;
	return n;
}

/* ---- the two backends ---- */

struct mq_ops {
	const char	*flavor;
	/* Options of the other flavour, refused before any system call. */
	const enum opt_id *refused;
	const char	*refused_why;
	void		(*collect)(struct recs *);
	struct rec	*(*stat)(const struct ref *);
	struct rec	*(*create)(const struct call *, const struct ref *,
			    mode_t);
	int		(*remove)(const struct ref *);
	void		(*open)(const struct ref *, bool, size_t,
			    struct queue *);
	void		(*close)(struct queue *);
	int		(*send)(const struct queue *,
			    const struct send_opts *, size_t, bool);
	ssize_t		(*recv)(const struct queue *,
			    const struct recv_opts *, bool, long *);
	/* Waits with no deadline of their own run under a timer. */
	bool		 timer;
	const char	*tag;		/* "type" or "priority" */
};

static const enum opt_id sysv_refused[] = {
	OPT_MAX_MESSAGES, OPT_MESSAGE_SIZE, OPT_PRIORITY, OPT_NONE
};
static const enum opt_id posix_refused[] = {
	OPT_QUEUE_BYTES, OPT_TYPE, OPT_EXCEPT, OPT_LENGTH, OPT_TRUNCATE,
	OPT_NONE
};

static const struct mq_ops sysv_ops = {
	"sysv", sysv_refused, "is for POSIX queues only", sysv_collect_all,
	sysv_stat_record, sysv_create, sysv_rm_one, sysv_queue_open,
	sysv_queue_close, sysv_send, sysv_recv, true, "type",
};

static const struct mq_ops posix_ops = {
	"posix", posix_refused, "is for System V queues only", posix_collect,
	posix_stat, posix_create, posix_rm, posix_queue_open,
	posix_queue_close, posix_send, posix_recv, false, "priority",
};

static const struct mq_ops *
ops_of(const struct ref *r)
{
	return flavor_pick(r, &sysv_ops, &posix_ops);
}

/* The flavour's ops, once its options are known to suit it. */
static const struct mq_ops *
ops_for_call(const struct call *c, const struct ref *r)
{
	const struct mq_ops *ops = ops_of(r);
	const enum opt_id *id;

	for (id = ops->refused; *id != OPT_NONE; id++)
		if (opt_set(c, *id))
			die_usage("--%s %s", c->o[*id].name, ops->refused_why);
	return ops;
}

static struct rec *
record_of(const struct ref *r)
{
	return ops_of(r)->stat(r);
}

static void
queue_open(const struct ref *r, bool sending, size_t recvlen,
    struct queue *q)
{
	*q = (struct queue){ .ref = r, .ops = ops_of(r), .id = -1,
	    .mqd = (mqd_t)-1 };
	q->ops->open(r, sending, recvlen, q);
}

static void
queue_close(struct queue *q)
{
	q->ops->close(q);
}

/* A number option's value within tighter bounds than the registry's. */
static long long
bounded(const struct call *c, enum opt_id id, const char *what,
    long long min, long long max)
{
	long long v = c->o[id].n;

	if (v < min || v > max)
		die_usage("invalid %s '%s' for --%s (%lld to %lld)", what,
		    c->o[id].s, c->o[id].name, min, max);
	return v;
}

/* ---- create, ls, info, rm ---- */

static int
mq_cmd_create(struct call *c)
{
	const struct ref *r;
	struct ref ref;

	r = create_ref(c, &ref);
	print_new(ops_for_call(c, r)->create(c, r, create_mode(c)));
	return 0;
}

static void
mq_collect(struct recs *rs)
{
	sysv_ops.collect(rs);
	posix_ops.collect(rs);
}

static int
mq_cmd_ls(struct call *c)
{
	list_objects(c, mq_collect);
	return posix_unlisted ? EXIT_FAIL : 0;
}

static int
mq_cmd_info(struct call *c)
{
	return show_object(c, record_of);
}

static int
mq_rm_one(const struct ref *r)
{
	return ops_of(r)->remove(r);
}

static int
mq_cmd_rm(struct call *c)
{
	return rm_each(c, REF_IPC, mq_rm_one);
}

/* ---- send ---- */

static void
check_message_size(const struct queue *q, size_t len)
{
	if (len > q->max && q->sent == 0)
		die_on(EXIT_FAIL, q->ref->text, "a message of %zu bytes is "
		    "above %s (%zu bytes); nothing sent", len, q->limit,
		    q->max);
	if (len > q->max)
		die_on(EXIT_FAIL, q->ref->text, "a message of %zu bytes is "
		    "above %s (%zu bytes); not sent, after %ld sent before "
		    "it", len, q->limit, q->max, q->sent);
}

/* Send what is in q->data: at once if there is room, else wait. */
static void
send_message(struct queue *q, const struct send_opts *o, size_t len)
{
	check_message_size(q, len);
	wait_check_signal();
	q->sent++;
	if (q->ops->send(q, o, len, false) == 0)
		return;
	while (errno == EAGAIN || errno == ETIMEDOUT || errno == EINTR) {
		if (wait_nowait())
			die_on(EXIT_BLOCK, q->ref->text, "queue full");
		if (errno == ETIMEDOUT)
			die_on(EXIT_BLOCK, q->ref->text, "timed out");
		if (errno == EINTR)
			wait_interrupted(q->ref->text);
		if (q->ops->timer)
			wait_arm_alarm();
		if (q->ops->send(q, o, len, true) == 0) {
			wait_disarm_alarm();
			return;
		}
		wait_disarm_alarm();
	}
	die_errno(errno, q->ref->text, NOUN);
}

/* stdin as one message: read it all, up to the queue's limit. */
static void
send_stdin_whole(struct queue *q, const struct send_opts *o)
{
	size_t len = 0;
	ssize_t n;

	for (;;) {
		n = read(STDIN_FILENO, q->data + len, q->max + 1 - len);
		if (n < 0 && errno == EINTR) {
			wait_check_signal();
			continue;
		}
		if (n < 0)
			die_on(EXIT_FAIL, q->ref->text, "reading stdin: %s",
			    errno_text(errno, "file"));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > q->max)
			die_on(EXIT_FAIL, q->ref->text, "stdin is larger than "
			    "the queue takes (%zu bytes); nothing sent",
			    q->max);
	}
	send_message(q, o, len);
}

/* Each record of stdin (ended by delim, or by EOF) is one message. */
static void
send_stdin_records(struct queue *q, const struct send_opts *o,
    int delim)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	for (;;) {
		errno = 0;
		if ((n = getdelim(&line, &cap, delim, stdin)) == -1) {
			if (errno == EINTR && ferror(stdin)) {
				clearerr(stdin);
				wait_check_signal();
				continue;
			}
			break;
		}
		if (n > 0 && line[n - 1] == delim)
			n--;
		check_message_size(q, (size_t)n);
		memcpy(q->data, line, (size_t)n);
		send_message(q, o, (size_t)n);
	}
	if (ferror(stdin))
		die_on(EXIT_FAIL, q->ref->text, "reading stdin: %s",
		    errno_text(errno, "file"));
	free(line);
}

static void
parse_send_opts(const struct call *c, struct send_opts *o)
{
	o->type = 1;
	o->prio = 0;
	if (opt_set(c, OPT_TYPE))
		o->type = (long)bounded(c, OPT_TYPE, "number", 1, LONG_MAX);
	if (opt_set(c, OPT_PRIORITY))
		o->prio = (unsigned)bounded(c, OPT_PRIORITY, "number", 0,
		    sysconf(_SC_MQ_PRIO_MAX) - 1);
	if (opt_set(c, OPT_LINES) && opt_set(c, OPT_NUL))
		die_usage("--lines and --null exclude each other");
	if ((opt_set(c, OPT_LINES) || opt_set(c, OPT_NUL)) && c->argc > 1)
		die_usage("--lines and --null read stdin; give no DATA");
}

static int
mq_cmd_send(struct call *c)
{
	struct send_opts o;
	struct queue q;
	struct ref r;
	int i;

	parse_ref(c->argv[0], REF_IPC, &r);
	ops_for_call(c, &r);
	parse_send_opts(c, &o);
	wait_from_options(c);
	queue_open(&r, true, 0, &q);
	/* Every DATA is checked before the first is sent. */
	for (i = 1; i < c->argc; i++)
		check_message_size(&q, strlen(c->argv[i]));
	for (i = 1; i < c->argc; i++) {
		size_t len = strlen(c->argv[i]);

		memcpy(q.data, c->argv[i], len);
		send_message(&q, &o, len);
	}
	if (c->argc == 1 && opt_set(c, OPT_LINES))
		send_stdin_records(&q, &o, '\n');
	else if (c->argc == 1 && opt_set(c, OPT_NUL))
		send_stdin_records(&q, &o, '\0');
	else if (c->argc == 1)
		send_stdin_whole(&q, &o);
	queue_close(&q);
	return 0;
}

/* ---- recv ---- */

static void __attribute__((noreturn))
recv_failed(const struct queue *q, int err)
{
	if (err == E2BIG)
		die_on(EXIT_FAIL, q->ref->text, "the next message is longer "
		    "than %zu bytes and stays queued; --truncate takes its "
		    "start", q->max);
	die_errno(err, q->ref->text, NOUN);
}

/* Wait for one message; what came before is written. */
static ssize_t
recv_blocking(const struct queue *q, const struct recv_opts *o, long *tag)
{
	ssize_t n;

	for (;;) {
		if (q->ops->timer)
			wait_arm_alarm();
		n = q->ops->recv(q, o, true, tag);
		wait_disarm_alarm();
		if (n >= 0)
			return n;
		if (errno == ETIMEDOUT)
			die_on(EXIT_BLOCK, q->ref->text, "timed out");
		if (errno != EINTR)
			recv_failed(q, errno);
		wait_interrupted(q->ref->text);
	}
}

/*
 * Put the message in hand back where a sender would, with its type or
 * priority, without waiting.  Returns 0 or why not.
 */
static int
requeue(const struct queue *q, size_t len, long tag)
{
	struct send_opts so = { .type = tag, .prio = (unsigned)tag };

	return q->ops->send(q, &so, len, false) == 0 ? 0 : errno;
}

/* Writing failed with werr; err is requeue's answer. */
static void __attribute__((noreturn))
write_failed(const struct queue *q, int werr, int err)
{
	char why[128];

	snprintf(why, sizeof(why), "%s", errno_text(werr, "file"));
	if (err == 0)
		die_on(EXIT_FAIL, q->ref->text, "write error: %s; message put "
		    "back on the queue", why);
	if (q->rdonly)
		die_on(EXIT_FAIL, q->ref->text, "write error: %s; the message "
		    "is lost: it cannot be put back without write permission "
		    "on the queue", why);
	die_on(EXIT_FAIL, q->ref->text, "write error: %s; the message is "
	    "lost: putting it back failed: %s", why, err == EAGAIN ?
	    "the queue is full" : errno_text(err, NOUN));
}

/*
 * Write one message to stdout, whole, before the next is taken; put it
 * back on the queue when that fails.  A signal that interrupts a write
 * stuck on a full pipe ends the run the same way, with 128+signal.  A
 * message cut short is put back whole: the reader has seen its start.
 */
static void
deliver(const struct queue *q, const struct recv_opts *o, size_t len,
    long tag)
{
	const char *p = q->data;
	size_t left = len;
	struct rec *r;
	int werr, err;
	ssize_t n;

	if (g.json) {
		r = rec_new(NULL);
		rec_int(r, q->ops->tag, tag);
		rec_int(r, "size", (long long)len);
		rec_bytes(r, "data", q->data, len);
		out_line(r);
		rec_free(r);
		if (fflush(stdout) == 0)
			return;
		werr = errno;
		__fpurge(stdout);	/* exit must not write it after all */
		write_failed(q, werr, requeue(q, len, tag));
	}
	if (o->delim >= 0)
		q->data[left++] = (char)o->delim;	/* room: max + 1 */
	while (left > 0) {
		if ((n = write(STDOUT_FILENO, p, left)) >= 0) {
			p += n;
			left -= (size_t)n;
			continue;
		}
		werr = errno;
		if (werr == EAGAIN) {	/* a non-blocking stdout: wait */
			struct pollfd pf = { STDOUT_FILENO, POLLOUT, 0 };

			if (poll(&pf, 1, -1) >= 0)
				continue;
			werr = errno;
		}
		err = requeue(q, len, tag);
		if (werr == EINTR && err == 0)
			wait_check_signal();	/* exits 128+signal */
		write_failed(q, werr, err);
	}
}

static void
parse_recv_opts(const struct call *c, struct recv_opts *o)
{
	o->type = 0;
	o->flags = 0;
	o->count = 1;
	o->delim = '\n';
	if (opt_set(c, OPT_TYPE))
		o->type = (long)c->o[OPT_TYPE].n;
	if (opt_set(c, OPT_EXCEPT)) {
		if (o->type <= 0)
			die_usage("--except needs a --type above 0");
		o->flags |= MSG_EXCEPT;
	}
	if (opt_set(c, OPT_TRUNCATE))
		o->flags |= MSG_NOERROR;
	if (opt_set(c, OPT_COUNT) && opt_set(c, OPT_ALL))
		die_usage("--count and --all exclude each other");
	if (opt_set(c, OPT_COUNT))
		o->count = (long)c->o[OPT_COUNT].n;
	if (opt_set(c, OPT_ALL))
		o->count = -1;
	if (opt_set(c, OPT_RAW) && opt_set(c, OPT_NUL))
		die_usage("--raw and --null exclude each other");
	if (opt_set(c, OPT_NUL))
		o->delim = '\0';
	if (opt_set(c, OPT_RAW))
		o->delim = -1;
}

static int
mq_cmd_recv(struct call *c)
{
	struct recv_opts o;
	struct queue q;
	struct ref r;
	size_t len = 0;
	ssize_t n;
	long i, tag = 0;

	parse_ref(c->argv[0], REF_IPC, &r);
	ops_for_call(c, &r);
	parse_recv_opts(c, &o);
	if (opt_set(c, OPT_LENGTH))
		len = (size_t)bounded(c, OPT_LENGTH, "size", 1,
		    INT_MAX);
	wait_from_options(c);
	/*
	 * With stdout closed nothing can be delivered: say so before a
	 * message is taken (and before the queue's descriptor could become
	 * fd 1).  A reader that goes away is EPIPE, not death by SIGPIPE.
	 */
	stdout_ready(r.text, "no message taken");
	out_flush_or_die();
	queue_open(&r, false, len, &q);
	for (i = 0; o.count < 0 || i < o.count; i++) {
		wait_check_signal();
		if ((n = q.ops->recv(&q, &o, false, &tag)) < 0) {
			if (errno != ENOMSG && errno != EAGAIN)
				recv_failed(&q, errno);
			if (o.count < 0)
				break;
			if (wait_nowait())
				die_on(EXIT_BLOCK, r.text, "no message");
			n = recv_blocking(&q, &o, &tag);
		}
		deliver(&q, &o, (size_t)n, tag);
	}
	out_flush_or_die();
	queue_close(&q);
	return 0;
}

/* ---- limits ---- */

static long
count_posix_queues(void)
{
	struct dirent *e;
	long n = 0;
	int dir = queues_dir();
	DIR *d;

	if (dir == -1 || (d = fdopendir(dir)) == NULL) {
		if (dir != -1)
			close(dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
mq_limits(struct recs *rs)
{
	struct msginfo lim, use;

	if (msg_ctl(0, IPC_INFO, "IPC_INFO", (struct msqid_ds *)&lim) != -1 &&
	    msg_ctl(0, MSG_INFO, "MSG_INFO", (struct msqid_ds *)&use) != -1) {
		add_limit(rs, "mq", "sysv", "queues (msgmni)", lim.msgmni,
		    use.msgpool, false);
		add_limit(rs, "mq", "sysv", "message size (msgmax)",
		    lim.msgmax, -1, false);
		add_limit(rs, "mq", "sysv", "queue bytes (msgmnb)", lim.msgmnb,
		    -1, false);
	}
	add_limit(rs, "mq", "posix", "queues (queues_max)",
	    proc_long(PROC_MQ "queues_max"), count_posix_queues(), false);
	add_limit(rs, "mq", "posix", "messages a queue (msg_max)",
	    proc_long(PROC_MQ "msg_max"), -1, false);
	add_limit(rs, "mq", "posix", "message size (msgsize_max)",
	    proc_long(PROC_MQ "msgsize_max"), -1, false);
}

/* ---- the verb table ---- */

static const struct verb_opt create_opts[] = {
	{ OPT_MODE, "octal permissions (default 0600)" },
	{ OPT_EXIST_OK, "open the queue if it exists" },
	{ OPT_MAX_MESSAGES, "POSIX: messages the queue holds" },
	{ OPT_MESSAGE_SIZE, "POSIX: largest message" },
	{ OPT_QUEUE_BYTES, "System V: bytes the queue holds "
	    "(msg_qbytes)" },
	VERB_OPTS_END
};
static const struct verb_opt send_opts_table[] = {
	{ OPT_TYPE, "System V: message type, 1 or more (default 1)" },
	{ OPT_PRIORITY, "POSIX: priority, 0 to 32767 (default 0)" },
	{ OPT_LINES, "each line of stdin is one message" },
	{ OPT_NUL, "each NUL-ended record of stdin is one message" },
	{ OPT_NOWAIT, "exit 3 rather than wait for room" },
	{ OPT_TIMEOUT, "wait at most DUR for room (exit 3)" },
	VERB_OPTS_END
};
static const struct verb_opt recv_opts_table[] = {
	{ OPT_TYPE, "System V: 0 any, T exactly T, -T lowest <= T" },
	{ OPT_EXCEPT, "System V: any type but T (MSG_EXCEPT)" },
	{ OPT_COUNT, "receive N messages (default 1)" },
	{ OPT_ALL, "receive every queued message, never wait" },
	{ OPT_NOWAIT, "exit 3 rather than wait for a message" },
	{ OPT_TIMEOUT, "wait at most DUR (exit 3)" },
	{ OPT_LENGTH, "System V: longest message to take" },
	{ OPT_TRUNCATE, "System V: cut longer messages to --length "
	    "(MSG_NOERROR)" },
	{ OPT_RAW, "nothing after each message" },
	{ OPT_NUL, "a NUL after each message, not a newline" },
	VERB_OPTS_END
};

static const struct column mq_columns[] = {
	COMMON_COLUMNS,
	{ "qnum", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "System V: messages queued", NULL, NULL },
	{ "cbytes", COL_SIZE, COL_DEFAULT | COL_RIGHT,
	    "System V: bytes of message data queued", NULL, NULL },
	{ "qbytes", COL_SIZE, COL_DEFAULT | COL_RIGHT,
	    "System V: bytes of message data the queue holds at most", NULL,
	    NULL },
	{ "curmsgs", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "POSIX: messages queued", NULL, NULL },
	{ "maxmsg", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "POSIX: messages the queue holds at most", NULL, NULL },
	{ "msgsize", COL_SIZE, COL_DEFAULT | COL_RIGHT,
	    "POSIX: largest message in bytes", NULL, NULL },
	{ "qsize", COL_SIZE, COL_RIGHT,
	    "POSIX: bytes of message data queued (" MQ_DIR ")", NULL, NULL },
	{ "notify_pid", COL_INT, COL_RIGHT,
	    "POSIX: pid registered with mq_notify, or 0", NULL, NULL },
	{ "lspid", COL_INT, COL_RIGHT, "System V: pid of the last send",
	    NULL, NULL },
	{ "lrpid", COL_INT, COL_RIGHT, "System V: pid of the last receive",
	    NULL, NULL },
	{ "stime", COL_TIME, 0, "System V: last send", NULL, NULL },
	{ "rtime", COL_TIME, 0, "System V: last receive", NULL, NULL },
	{ "mtime", COL_TIME, 0, "POSIX: last send or receive, or creation",
	    NULL, NULL },
	{ "ctime", COL_TIME, 0, "System V: last change of settings", NULL,
	    NULL },
	COLUMNS_END
};

static const struct verb_opt ls_opts[] = {
	LS_NS_OPT,
	LS_FILTER_OPTS,
	VERB_OPTS_END
};

static const struct verb mq_verbs[] = {
	{ "create", mq_cmd_create, create_opts, "[REF]",
	    "create a queue and print its id or name", 0, 1, NULL },
	{ "ls", mq_cmd_ls, ls_opts, "", "list queues of both flavours", 0, 0,
	    mq_columns },
	{ "info", mq_cmd_info, NULL, "REF", "show one queue in full", 1, 1,
	    mq_columns },
	{ "send", mq_cmd_send, send_opts_table, "REF [DATA...]",
	    "send each DATA, or stdin, as a message", 1, -1, NULL },
	{ "recv", mq_cmd_recv, recv_opts_table, "REF",
	    "receive messages to stdout", 1, 1, NULL },
	{ "write", mq_cmd_send, send_opts_table, "REF [DATA...]", "=send", 1,
	    -1, NULL },
	{ "read", mq_cmd_recv, recv_opts_table, "REF", "=recv", 1, 1, NULL },
	{ "rm", mq_cmd_rm, NULL, "REF...", "remove queues", 1, -1, NULL },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};

const struct object obj_mq = {
	"mq", mq_verbs,
	"System V and POSIX message queues: REF is an id, key:KEY, "
	"ftok:PATH[:PROJ] or /name",
	mq_collect, mq_limits, NULL, true,
};
