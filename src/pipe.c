/*
 * pipe: anonymous pipes.  REF is PID:FD, an fd of another process, or FD,
 * one of ipctool's own (`ipctool pipe info 0 < <(cmd)`).  Another
 * process's pipe is reached through /proc/PID/fd; its state is read from a
 * copy of that process's descriptor (see proc.c).
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "object.h"

extern char **environ;

/* F_SETPIPE_SZ; a refusal names the limit that caused it. */
static void
set_pipe_size(int fd, unsigned long long size, const char *operand)
{
	long max;
	int rc, queued = 0;

	rc = fcntl(fd, F_SETPIPE_SZ, (int)size);
	trace_call(rc, "fcntl(%d, F_SETPIPE_SZ, %llu)", fd, size);
	if (rc != -1)
		return;
	if (errno == EBUSY) {
		ioctl(fd, FIONREAD, &queued);
		die_on(EXIT_FAIL, operand, "cannot shrink to %llu bytes: %d "
		    "bytes are queued", size, queued);
	}
	if (errno == EPERM) {
		max = proc_sys_long("/proc/sys/fs/pipe-max-size");
		if (max >= 0 && size > (unsigned long long)max)
			die_on(EXIT_FAIL, operand, "%llu bytes is above the "
			    "limit of %ld in /proc/sys/fs/pipe-max-size", size,
			    max);
		die_on(EXIT_FAIL, operand, "this user's pipes are at the "
		    "limit in /proc/sys/fs/pipe-user-pages-soft (%ld pages)",
		    proc_sys_long("/proc/sys/fs/pipe-user-pages-soft"));
	}
	die_errno(errno, operand, "pipe");
}

/* ---- records ---- */

static const struct column pipe_columns[] = {
	{ "type", COL_STR, 0, "kind of object: pipe", NULL, NULL },
	{ "ref", COL_STR, 0, "PID:FD of one holder, for info", NULL, NULL },
	{ "inode", COL_INT, COL_DEFAULT | COL_RIGHT, "pipe's inode number",
	    NULL, NULL },
	{ "path", COL_STR, 0, "a FIFO's path, when a FIFO was named", NULL,
	    NULL },
	{ "owner", COL_STR, COL_DEFAULT, "owner's user name", NULL, NULL },
	{ "mode", COL_MODE, 0, "permissions, octal", NULL, NULL },
	PIPE_COLUMNS,
	COLUMNS_END
};

static struct rec *
pipe_record(const struct pipe_node *n, int fd)
{
	struct rec *r = rec_new("pipe");
	char ref[32];

	if (n->nh > 0) {
		snprintf(ref, sizeof(ref), "%d:%d", (int)n->h[0].pid,
		    n->h[0].fd);
		rec_str(r, "ref", ref);
	} else
		rec_str(r, "ref", NULL);
	rec_int(r, "inode", (long long)n->ino);
	if (n->path != NULL)
		rec_str(r, "path", n->path);	/* a FIFO, reached by fd */
	rec_user(r, "owner", n->uid);
	rec_mode(r, "mode", n->mode);
	rec_pipe_node(r, n, fd);
	/* A pipe is there only while a process holds it: always in use. */
	file_facts(r, &(struct stat){ .st_uid = n->uid, .st_dev = n->dev,
	    .st_ino = n->ino }, n->ctime, NULL, USE_BUSY);
	rec_facts(r)->holder = n->nh > 0 ? n->h[0].pid : 0;
	return r;
}

static int
by_inode(const void *a, const void *b)
{
	const struct pipe_node *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static bool
held_by(const struct pipe_node *n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n->nh; i++)
		if (n->h[i].pid == pid)
			return true;
	return false;
}

static void
collect_pipes(struct recs *rs, struct pipe_scan *s, pid_t only)
{
	size_t i;

	if (s->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(s->v, s->n, sizeof(*s->v), by_inode);
	for (i = 0; i < s->n; i++)
		if (only == 0 || held_by(&s->v[i], only))
			recs_add(rs, pipe_record(&s->v[i], -1));
}

static void
pipe_collect(struct recs *rs)
{
	struct pipe_scan s;

	scan_pipes(&s, SCAN_PIPES, 0);
	collect_pipes(rs, &s, 0);
	scan_free(&s);
}

/* The completions offer every end as PID:FD. */
static void
pipe_refs(void)
{
	struct pipe_scan s;
	size_t i, k;

	scan_pipes(&s, SCAN_PIPES, 0);
	for (i = 0; i < s.n; i++)
		for (k = 0; k < s.v[i].nh; k++)
			printf("%d:%d\n", (int)s.v[i].h[k].pid, s.v[i].h[k].fd);
	scan_free(&s);
}

/* ---- REF: PID:FD or our own FD ---- */

struct pipe_end {
	struct ref	 r;
	struct stat	 st;
};

static void
resolve_end(const char *text, struct pipe_end *e)
{
	char path[64];

	parse_ref(text, REF_PIPE, &e->r);
	if (e->r.pid == getpid())
		e->r.pid = 0;
	if (e->r.pid == 0) {
		if (fstat(e->r.fd, &e->st) == -1)
			die_on(EXIT_FAIL, text, "ipctool has no file descriptor "
			    "%d (for another process's, write PID:FD)",
			    e->r.fd);
	} else {
		snprintf(path, sizeof(path), "/proc/%d", (int)e->r.pid);
		if (access(path, F_OK) == -1)
			die_on(EXIT_FAIL, text, "no such process");
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)e->r.pid,
		    e->r.fd);
		if (stat(path, &e->st) == -1) {
			if (errno == EACCES || errno == EPERM)
				die_on(EXIT_FAIL, text, "permission denied: "
				    "process %d's descriptors are not this "
				    "user's to see", (int)e->r.pid);
			if (errno != ENOENT)
				die_errno(errno, text, "pipe");
			die_on(EXIT_FAIL, text, "process %d has no file "
			    "descriptor %d", (int)e->r.pid, e->r.fd);
		}
	}
	if (!S_ISFIFO(e->st.st_mode))
		die_on(EXIT_FAIL, text, "not a pipe");
}

/* A new open file on the end's pipe, for reading or for writing. */
static int
open_end_of(const struct pipe_end *e, int flags)
{
	int fd = open_proc_fd(e->r.pid, e->r.fd, flags);

	if (fd == -1)
		die_errno(errno, e->r.text, "pipe");
	return fd;
}

/* Any fd on the pipe, without opening it when a copy can be had. */
static int
any_fd_of(const struct pipe_end *e)
{
	int fd = borrow_fd(e->r.pid, e->r.fd);

	return fd != -1 ? fd : open_end_of(e, O_RDONLY | O_NONBLOCK);
}

/* ---- create ---- */

struct pipeline {
	size_t		 n;		/* commands */
	bool		 stats;		/* a relay between each two */
	int		*fds;		/* per junction: up[2], then down[2] */
};

static int
stage_in(const struct pipeline *p, size_t i)
{
	if (i == 0)
		return STDIN_FILENO;
	return p->fds[4 * (i - 1) + (p->stats ? 2 : 0)];
}

static int
stage_out(const struct pipeline *p, size_t i)
{
	return i == p->n - 1 ? STDOUT_FILENO : p->fds[4 * i + 1];
}

/*
 * The pipes on either side of a --stats relay hold 1 MiB unless --size
 * says otherwise: at the default 64 KiB the relay is woken, and wakes
 * both commands, every 16 pages, and the pipeline runs slower than the
 * same one without it.  Never more than pipe-max-size, and a refusal
 * (this user's pipes hold their share of pages) only leaves the default.
 */
#define RELAY_PIPE_SIZE	(1 << 20)

static void
make_pipe(int *fds, const struct call *c)
{
	char operand[64];
	int rc;

	rc = pipe2(fds, O_CLOEXEC);
	trace_call(rc, "pipe2([%d, %d], O_CLOEXEC)", fds[0], fds[1]);
	if (rc == -1)
		die(EXIT_FAIL, "pipe: %s", errno_text(errno, "pipe"));
	if (opt_set(c, OPT_SIZE)) {
		snprintf(operand, sizeof(operand), "--size %s",
		    c->o[OPT_SIZE].s);
		set_pipe_size(fds[1], parse_size(c->o[OPT_SIZE].s, "size", 1,
		    INT_MAX), operand);
	} else if (opt_set(c, OPT_STATS))
		pipe_grow(fds[1], RELAY_PIPE_SIZE);
}

static void
close_pipeline(const struct pipeline *p)
{
	size_t i;

	for (i = 0; i < 4 * (p->n - 1); i++)
		if (p->fds[i] != -1)
			close(p->fds[i]);
}

static pid_t
spawn_stage(const struct pipeline *p, size_t i, const char *cmd,
    const sigset_t *orig)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	pid_t pid;
	int err;

	posix_spawn_file_actions_init(&fa);
	if (stage_in(p, i) != STDIN_FILENO)
		posix_spawn_file_actions_adddup2(&fa, stage_in(p, i),
		    STDIN_FILENO);
	if (stage_out(p, i) != STDOUT_FILENO)
		posix_spawn_file_actions_adddup2(&fa, stage_out(p, i),
		    STDOUT_FILENO);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, orig);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	err = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err != 0)
		die(EXIT_FAIL, "/bin/sh: %s", errno_text(err, "file"));
	return pid;
}

/* --stats: move junction j's bytes with splice(2), then say how many. */
static void __attribute__((noreturn))
relay(const struct pipeline *p, size_t j, const struct call *c)
{
	struct timespec t0, t1;
	long long done;
	double secs;
	int in = p->fds[4 * j], out = p->fds[4 * j + 3], rc;
	size_t i;

	for (i = 0; i < 4 * (p->n - 1); i++)
		if (p->fds[i] != in && p->fds[i] != out)
			close(p->fds[i]);
	signal(SIGPIPE, SIG_IGN);	/* a reader that quits early: EPIPE */
	/*
	 * Woken by every write upstream, the relay would take the CPU from
	 * the commands each time to move a page or two; as a batch task it
	 * waits its turn and moves more at once.
	 */
	sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){ 0 });
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = copy_fd(in, out, -1, &done);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "ipctool: pipe create: %lld bytes in %.3f s, "
	    "%.1f MiB/s, from '%s' to '%s'%s\n", done, secs,
	    secs > 0 ? (double)done / secs / 1048576.0 : 0.0, c->argv[j],
	    c->argv[j + 1], rc == COPY_WRITE_ERR ? " (the reader quit "
	    "early)" : rc == COPY_READ_ERR ? " (read error)" : "");
	_exit(rc == 0 ? 0 : EXIT_FAIL);
}

static int
pipe_cmd_create(struct call *c)
{
	struct pipeline p = { (size_t)c->argc, opt_set(c, OPT_STATS), NULL };
	size_t i, nrelay = p.stats ? p.n - 1 : 0;
	pid_t pids[p.n + nrelay];
	sigset_t set, orig;
	int fds[4 * (p.n - 1)];

	p.fds = fds;
	memset(fds, -1, sizeof(fds));
	for (i = 0; i + 1 < p.n; i++) {
		make_pipe(&fds[4 * i], c);
		if (p.stats)
			make_pipe(&fds[4 * i + 2], c);
	}
	out_flush_or_die();
	block_child_signals(&set, &orig);
	for (i = 0; i < nrelay; i++) {
		if ((pids[p.n + i] = fork()) == -1)
			die(EXIT_FAIL, "fork: %s", errno_text(errno, "process"));
		if (pids[p.n + i] == 0) {
			sigprocmask(SIG_SETMASK, &orig, NULL);
			relay(&p, i, c);
		}
	}
	for (i = 0; i < p.n; i++)
		pids[i] = spawn_stage(&p, i, c->argv[i], &orig);
	close_pipeline(&p);
	return wait_all(pids, p.n + nrelay, p.n - 1);
}

/* ---- ls, info ---- */

static int
pipe_cmd_ls(struct call *c)
{
	struct recs rs = { NULL, 0, 0 };
	struct pipe_scan s;
	pid_t only = 0;

	if (opt_set(c, OPT_PID)) {
		only = (pid_t)parse_number(c->o[OPT_PID].s, "pid", 1, INT_MAX);
		if (kill(only, 0) == -1 && errno == ESRCH)
			die_on(EXIT_FAIL, c->o[OPT_PID].s, "no such process");
	}
	scan_pipes(&s, SCAN_PIPES, 0);
	collect_pipes(&rs, &s, only);
	filter_records(c, &rs);
	out_table(c->verb->columns, rs.v, rs.n);
	scan_note_partial(&s);
	scan_free(&s);
	recs_free(&rs);
	return 0;
}

static int
pipe_cmd_info(struct call *c)
{
	struct pipe_node *n, alone;
	struct pipe_end e;
	struct pipe_scan s;
	struct rec *r;
	bool own;
	int fd;

	resolve_end(c->argv[0], &e);
	scan_pipes(&s, SCAN_PIPES | SCAN_FIFOS, 0);
	if ((n = scan_lookup(&s, e.st.st_dev, e.st.st_ino)) == NULL) {
		/* Gone since, or out of sight: say what the fd itself says. */
		alone = (struct pipe_node){ .dev = e.st.st_dev,
		    .ino = e.st.st_ino, .uid = e.st.st_uid, .gid = e.st.st_gid,
		    .mode = e.st.st_mode };
		n = &alone;
	}
	own = e.r.pid == 0;
	if ((fd = own ? e.r.fd : node_fd(n)) == -1)
		fd = any_fd_of(&e);
	r = pipe_record(n, fd);
	rec_bool(r, "partial", s.denied > 0);
	rec_holders_as_tables(r, n);
	out_record(c->verb->columns, r);
	rec_free(r);
	if (!own)
		close(fd);
	scan_free(&s);
	return 0;
}

/* ---- peek ---- */

/* A descriptor we may tee(2) from: a copy of a read end, or a new one. */
static int
readable_fd_of(const struct pipe_end *e)
{
	int fd = borrow_fd(e->r.pid, e->r.fd);

	if (fd != -1 && (fcntl(fd, F_GETFL) & O_ACCMODE) != O_WRONLY)
		return fd;
	if (fd != -1)
		close(fd);
	return open_end_of(e, O_RDONLY | O_NONBLOCK);
}

static int
pipe_cmd_peek(struct call *c)
{
	long long want = INT_MAX, done;
	struct pipe_end e;
	int src, priv[2];
	ssize_t n;
	long cap;

	if (opt_set(c, OPT_LENGTH))
		want = (long long)parse_size(c->o[OPT_LENGTH].s, "length", 0,
		    INT_MAX);
	resolve_end(c->argv[0], &e);
	stdout_ready(e.r.text, "nothing shown");
	src = readable_fd_of(&e);
	if (pipe2(priv, O_CLOEXEC) == -1)
		die(EXIT_FAIL, "pipe: %s", errno_text(errno, "pipe"));
	/* tee copies as many buffers as the private pipe has room for. */
	if ((cap = fcntl(src, F_GETPIPE_SZ)) > 0)
		fcntl(priv[1], F_SETPIPE_SZ, (int)cap);
	n = tee(src, priv[1], (size_t)want, SPLICE_F_NONBLOCK);
	trace_call(n, "tee(%d, %d, %lld, SPLICE_F_NONBLOCK)", src, priv[1],
	    want);
	if (n == -1 && errno != EAGAIN)
		die_errno(errno, e.r.text, "pipe");
	close(priv[1]);
	close(src);
	out_flush_or_die();
	if (opt_set(c, OPT_HEX)) {
		unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);

		if (buf == NULL)
			die(EXIT_FAIL, "out of memory");
		n = n > 0 ? read_full(priv[0], buf, (size_t)n) : 0;
		out_hexdump(buf, n > 0 ? (size_t)n : 0, 0);
		free(buf);
	} else if (n > 0 && copy_fd(priv[0], STDOUT_FILENO, -1, &done) != 0)
		die_on(EXIT_FAIL, e.r.text, "write error: %s after %lld bytes",
		    errno_text(errno, "file"), done);
	close(priv[0]);
	return 0;
}

/* ---- read, write ---- */

static int
pipe_cmd_read(struct call *c)
{
	long long max = -1, done;
	struct pipe_end e;
	int fd, rc;

	if (opt_set(c, OPT_LENGTH))
		max = (long long)parse_size(c->o[OPT_LENGTH].s, "length", 0,
		    LLONG_MAX);
	resolve_end(c->argv[0], &e);
	stdout_ready(e.r.text, "nothing read");
	fd = open_end_of(&e, O_RDONLY);
	out_flush_or_die();
	rc = copy_fd(fd, STDOUT_FILENO, max, &done);
	if (rc == COPY_WRITE_ERR)
		die_on(EXIT_FAIL, e.r.text, "write error: %s after %lld bytes",
		    errno_text(errno, "file"), done);
	if (rc == COPY_READ_ERR)
		die_errno(errno, e.r.text, "pipe");
	close(fd);
	return 0;
}

static int
pipe_cmd_write(struct call *c)
{
	struct pipe_end e;
	int fd;

	resolve_end(c->argv[0], &e);
	fd = open_end_of(&e, O_WRONLY);
	write_data_or_stdin(fd, c->argc > 1 ? c->argv[1] : NULL, e.r.text, "pipe");
	close(fd);
	return 0;
}

/* ---- resize ---- */

static int
pipe_cmd_resize(struct call *c)
{
	unsigned long long size;
	struct pipe_end e;
	int fd;

	size = parse_size(c->argv[1], "size", 1, INT_MAX);
	resolve_end(c->argv[0], &e);
	fd = any_fd_of(&e);
	set_pipe_size(fd, size, e.r.text);
	close(fd);
	return 0;
}

/* ---- limits ---- */

/* Pages of pipe buffers this user's pipes hold, as far as we can see. */
static long long
user_pipe_pages(void)
{
	long page = sysconf(_SC_PAGESIZE), cap;
	long long pages = 0;
	struct pipe_scan s;
	size_t i;
	int fd, queued;

	scan_pipes(&s, SCAN_PIPES | SCAN_FIFOS, 0);
	for (i = 0; i < s.n; i++) {
		if (s.v[i].uid != geteuid() || (fd = node_fd(&s.v[i])) == -1)
			continue;
		if (pipe_state(fd, &cap, &queued))
			pages += cap / page;
		close(fd);
	}
	scan_free(&s);
	return pages;
}

static void
pipe_limits(struct recs *rs)
{
	long long used = user_pipe_pages();

	add_limit(rs, "pipe", NULL, "pipe size (pipe-max-size)",
	    proc_sys_long("/proc/sys/fs/pipe-max-size"), -1, true);
	add_limit(rs, "pipe", NULL, "pages per user, soft "
	    "(pipe-user-pages-soft)",
	    proc_sys_long("/proc/sys/fs/pipe-user-pages-soft"), used, false);
	add_limit(rs, "pipe", NULL, "pages per user, hard "
	    "(pipe-user-pages-hard; 0: none)",
	    proc_sys_long("/proc/sys/fs/pipe-user-pages-hard"), used, false);
}

/* ---- the verb table ---- */

static const struct verb_opt create_opts[] = {
	{ OPT_SIZE, "capacity of each pipe (F_SETPIPE_SZ)" },
	{ OPT_STATS, "relay with splice(2); bytes and MiB/s to "
	    "stderr" },
	VERB_OPTS_END
};
static const struct verb_opt ls_opts[] = {
	{ OPT_PID, "only the pipes PID holds" },
	LS_FILTER_OPTS,
	VERB_OPTS_END
};
static const struct verb_opt peek_opts[] = {
	{ OPT_LENGTH, "show at most N bytes" },
	{ OPT_HEX, "print a hexdump" },
	VERB_OPTS_END
};
static const struct verb_opt read_opts[] = {
	{ OPT_LENGTH, "stop after N bytes" },
	VERB_OPTS_END
};

static const struct verb pipe_verbs[] = {
	{ "create", pipe_cmd_create, create_opts, "CMD CMD...",
	    "run each CMD with sh -c, joined by pipes, like a pipeline", 2,
	    -1, NULL },
	{ "ls", pipe_cmd_ls, ls_opts, "",
	    "list every pipe visible in /proc", 0, 0, pipe_columns },
	{ "info", pipe_cmd_info, NULL, "REF",
	    "show one pipe: capacity, queued bytes, readers, writers", 1, 1,
	    pipe_columns },
	{ "peek", pipe_cmd_peek, peek_opts, "REF",
	    "show the queued bytes without taking them (tee)", 1, 1, NULL },
	{ "read", pipe_cmd_read, read_opts, "REF",
	    "read from the pipe to stdout until EOF", 1, 1, NULL },
	{ "write", pipe_cmd_write, NULL, "REF [DATA]",
	    "write DATA, or stdin, into the pipe", 1, 2, NULL },
	{ "resize", pipe_cmd_resize, NULL, "REF SIZE",
	    "set the pipe's capacity (F_SETPIPE_SZ)", 2, 2, NULL },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};

const struct object obj_pipe = {
	"pipe", pipe_verbs,
	"anonymous pipes: REF is PID:FD, or FD for ipctool's own",
	pipe_collect, pipe_limits, pipe_refs, false,
};
