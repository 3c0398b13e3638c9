/*
 * fifo: named pipes.  REF is a PATH.  Nothing here opens a FIFO just to
 * look at it: an open wakes whoever is blocked opening the other end, so
 * info and ls learn capacity and queued bytes from a holder's descriptor
 * (see proc.c).
 */
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object.h"

/*
 * Hostile paths: in a sticky world-writable directory anyone may put a
 * symlink, a file or a socket where a FIFO was expected, or swap one in
 * between a check and an action.  So a path is looked at once, through an
 * O_PATH|O_NOFOLLOW descriptor: never through a symlink, and every later
 * step (the open of an end, the check of what was removed) goes through
 * that descriptor, not the path again.
 */

/* "a regular file", "a symbolic link": what st is, for one-line errors. */
static const char *
kind_of(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO:	return "a FIFO";
	case S_IFLNK:	return "a symbolic link";
	case S_IFDIR:	return "a directory";
	case S_IFREG:	return "a regular file";
	case S_IFSOCK:	return "a socket";
	case S_IFCHR:	return "a character device";
	case S_IFBLK:	return "a block device";
	default:	return "not a FIFO";
	}
}

/* An O_PATH descriptor of path itself (no symlink followed), and its stat. */
static int
path_fd(const char *path, struct stat *st)
{
	int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd == -1)
		return -1;
	if (fstat(fd, st) == -1) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * The path must itself be a FIFO (a symlink is not followed), or exit 1
 * with one line naming what it is.  The descriptor is not kept: one held
 * while open_end() waits would show up as a holder of the FIFO in /proc.
 */
static void
stat_fifo(const char *path, struct stat *st)
{
	int fd;

	if ((fd = path_fd(path, st)) == -1)
		die_errno(errno, path, "FIFO");
	close(fd);
	if (!S_ISFIFO(st->st_mode))
		die_on(EXIT_FAIL, path, "not a FIFO (it is %s%s)",
		    kind_of(st->st_mode), S_ISLNK(st->st_mode) ?
		    ", which is not followed" : "");
}

static const struct column fifo_columns[] = {
	{ "type", COL_STR, 0, "kind of object: fifo", NULL, NULL },
	{ "ref", COL_STR, 0, "the handle info and rm accept", NULL, NULL },
	{ "path", COL_STR, COL_DEFAULT, "the FIFO's path", NULL, NULL },
	{ "inode", COL_INT, COL_RIGHT, "inode number", NULL, NULL },
	{ "owner", COL_STR, COL_DEFAULT, "owner's user name", NULL, NULL },
	{ "group", COL_STR, 0, "owner's group name", NULL, NULL },
	{ "mode", COL_MODE, COL_DEFAULT, "permissions, octal", NULL, NULL },
	PIPE_COLUMNS,
	COLUMNS_END
};

static struct rec *
fifo_record(const char *path, const struct stat *st,
    const struct pipe_scan *s)
{
	struct pipe_node *n;
	struct rec *r = rec_new("fifo");

	rec_str(r, "ref", path);
	rec_str(r, "path", path);
	rec_int(r, "inode", (long long)st->st_ino);
	rec_user(r, "owner", st->st_uid);
	rec_group(r, "group", st->st_gid);
	rec_mode(r, "mode", st->st_mode);
	n = scan_lookup((struct pipe_scan *)s, st->st_dev, st->st_ino);
	if (n != NULL)
		rec_pipe_node(r, n, -1);
	else
		rec_pipe_unheld(r, s);
	/* Unheld as far as we could see: ls warns when that is not all. */
	file_facts(r, st, st->st_ctim, NULL, n != NULL ? USE_BUSY : USE_IDLE);
	rec_facts(r)->holder = n != NULL && n->nh > 0 ? n->h[0].pid : 0;
	return r;
}

/* ---- create ---- */

static int
create_one(const struct call *c, const char *path, mode_t mode)
{
	struct pipe_scan s = { NULL, 0, 0, 0 };
	struct stat st;
	struct rec *r;
	mode_t old;
	int rc, err, fd;

	old = umask(0);		/* --mode is the mode, as in mkfifo -m */
	rc = mkfifo(path, mode);
	err = errno;
	umask(old);
	trace_call(rc, "mkfifo(\"%s\", 0%03o)", path, (unsigned)mode);
	if (rc == -1 && err != EEXIST)
		return complain_on(path, "%s", errno_text(err, "directory"));
	if ((fd = path_fd(path, &st)) == -1)
		return complain_on(path, "%s", errno_text(errno, "FIFO"));
	close(fd);	/* mkfifo never follows a symlink; neither do we */
	if (!S_ISFIFO(st.st_mode))
		return complain_on(path, "exists and is not a FIFO (it is "
		    "%s); left as it is", kind_of(st.st_mode));
	if (rc == -1 && !opt_set(c, OPT_EXIST_OK))
		return complain_on(path, "%s", errno_text(err, "FIFO"));
	if (g.json)	/* an existing FIFO may be held already */
		scan_pipes(&s, SCAN_FIFOS, 0);
	r = fifo_record(path, &st, &s);
	scan_free(&s);
	if (rc == 0)
		create_made();
	print_new(r);	/* removes what it made if it cannot print */
	return 0;
}

static int
fifo_cmd_create(struct call *c)
{
	mode_t mode = 0600;
	int i, status = 0;

	if (opt_set(c, OPT_MODE))
		mode = parse_mode(c->o[OPT_MODE].s);
	for (i = 0; i < c->argc; i++)
		status |= create_one(c, c->argv[i], mode);
	return status;
}

/* ---- ls, info ---- */

static int
by_path(const void *a, const void *b)
{
	return strcmp(rec_get_str(*(struct rec *const *)a, "path"),
	    rec_get_str(*(struct rec *const *)b, "path"));
}

/* The FIFO files in DIR that no process holds (held ones are listed). */
static int
add_dir(struct recs *rs, const char *dir, const struct pipe_scan *s)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return complain_on(dir, "%s", errno_text(errno, "directory"));
	while ((de = readdir(d)) != NULL) {
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    -1 || !S_ISFIFO(st.st_mode) ||
		    scan_lookup((struct pipe_scan *)s, st.st_dev, st.st_ino))
			continue;
		snprintf(path, sizeof(path), "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
		recs_add(rs, fifo_record(path, &st, s));
	}
	closedir(d);
	return 0;
}

static void
add_held(struct recs *rs, const struct pipe_scan *s)
{
	struct stat st;
	size_t i;

	for (i = 0; i < s->n; i++) {
		st = (struct stat){ .st_dev = s->v[i].dev,
		    .st_ino = s->v[i].ino, .st_uid = s->v[i].uid,
		    .st_gid = s->v[i].gid, .st_mode = s->v[i].mode,
		    .st_ctim = s->v[i].ctime };
		recs_add(rs, fifo_record(s->v[i].path, &st, s));
	}
}

/* For `ipctool ls` and the completions. */
static void
fifo_collect(struct recs *rs)
{
	struct pipe_scan s;

	scan_pipes(&s, SCAN_FIFOS, 0);
	add_held(rs, &s);
	scan_free(&s);
}

static int
fifo_cmd_ls(struct call *c)
{
	struct recs rs = { NULL, 0, 0 };
	struct pipe_scan s;
	int i, status = 0;

	scan_pipes(&s, SCAN_FIFOS, 0);
	add_held(&rs, &s);
	for (i = 0; i < c->argc; i++)
		status |= add_dir(&rs, c->argv[i], &s);
	filter_records(c, &rs);
	if (rs.n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(rs.v, rs.n, sizeof(*rs.v), by_path);
	out_table(c->verb->columns, rs.v, rs.n);
	scan_note_partial(&s);
	scan_free(&s);
	recs_free(&rs);
	return status;
}

static int
fifo_cmd_info(struct call *c)
{
	const char *path = c->argv[0];
	struct pipe_node *n;
	struct pipe_scan s;
	struct stat st;
	struct rec *r;

	/* info only looks: it follows a symlink, and names what is there. */
	if (stat(path, &st) == -1)
		die_errno(errno, path, "FIFO");
	if (!S_ISFIFO(st.st_mode))
		die_on(EXIT_FAIL, path, "not a FIFO (it is %s)",
		    kind_of(st.st_mode));
	scan_pipes(&s, SCAN_FIFOS, 0);
	r = fifo_record(path, &st, &s);
	rec_bool(r, "partial", s.denied > 0);
	if ((n = scan_lookup(&s, st.st_dev, st.st_ino)) != NULL)
		rec_holders_as_tables(r, n);
	out_record(c->verb->columns, r);
	rec_free(r);
	scan_free(&s);
	return 0;
}

/* ---- opening an end ---- */

/*
 * Open an end of the FIFO that stat_fifo() found (want), waiting for the
 * other side as open does, within --timeout; with --nowait, exit 3 when
 * there is no other side.  O_NOFOLLOW: a symlink put there since is not
 * followed; and what opened must be that very inode, or nothing is read
 * or written (O_NOCTTY: a terminal swapped in does not become ours).
 */
static int
open_end(const char *path, const struct stat *want, int flags, bool nowait,
    bool timed)
{
	const char *other = (flags & O_ACCMODE) == O_WRONLY ? "reader" :
	    "writer";
	struct stat st;
	int fd;

	flags |= O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | (nowait ? O_NONBLOCK : 0);
	wait_check_signal();	/* one that came while we copied (--follow) */
	if (timed)
		wait_arm_alarm();
	while ((fd = open(path, flags)) == -1 && errno == EINTR) {
		trace_call(fd, "open(\"%s\", %s)", path, trace_oflags(flags));
		wait_check_signal();
		if (wait_expired())
			die_on(EXIT_BLOCK, path, "timed out waiting for a %s",
			    other);
	}
	if (timed)
		wait_disarm_alarm();
	trace_call(fd, "open(\"%s\", %s)", path, trace_oflags(flags));
	if (fd == -1 && errno == ENXIO)
		die_on(EXIT_BLOCK, path, "no %s", other);
	if (fd == -1 && errno == ELOOP)
		die_on(EXIT_FAIL, path, "not a FIFO (it is a symbolic link, "
		    "which is not followed)");
	if (fd == -1)
		die_errno(errno, path, "FIFO");
	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode) ||
	    st.st_dev != want->st_dev || st.st_ino != want->st_ino)
		die_on(EXIT_FAIL, path, "replaced while being opened: not the "
		    "FIFO checked; nothing read or written");
	if (nowait)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* ---- write ---- */

/* A file bigger than the FIFO's buffer grows it (see pipe_grow). */
static void
grow_for_file(int fifo, int in)
{
	struct stat st;
	off_t pos;

	if (fstat(in, &st) == 0 && S_ISREG(st.st_mode) &&
	    (pos = lseek(in, 0, SEEK_CUR)) != -1 && st.st_size > pos)
		pipe_grow(fifo, st.st_size - pos);
}

static int
fifo_cmd_write(struct call *c)
{
	const char *path = c->argv[0];
	struct stat st;
	int fd;

	stat_fifo(path, &st);
	wait_from_options(c);
	fd = open_end(path, &st, O_WRONLY, wait_nowait(), true);
	out_flush_or_die();
	if (c->argc == 1)
		grow_for_file(fd, STDIN_FILENO);
	write_data_or_stdin(fd, c->argc > 1 ? c->argv[1] : NULL, path, "FIFO");
	close(fd);
	return 0;
}

/* ---- read ---- */

/*
 * --nowait: a FIFO opened without waiting reads EOF at once when it has
 * no writer; the first read tells which, and its bytes go out.
 */
static void
first_read_nowait(const char *path, int fd, long long *left)
{
	char buf[65536];
	size_t want = sizeof(buf);
	ssize_t n;

	if (*left >= 0 && (unsigned long long)*left < want)
		want = (size_t)*left;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	n = read(fd, buf, want);
	if (n == 0 && want > 0)
		die_on(EXIT_BLOCK, path, "no writer");
	if (n > 0 && write_all(STDOUT_FILENO, buf, (size_t)n) == -1)
		die_on(EXIT_FAIL, path, "write error: %s", errno_text(errno,
		    "file"));
	if (n > 0 && *left >= 0)
		*left -= n;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
}

static int
fifo_cmd_read(struct call *c)
{
	const char *path = c->argv[0];
	long long left = -1, done;
	bool first = true;	/* --timeout bounds the wait for the first */
	struct stat st;
	int fd, rc;

	if (opt_set(c, OPT_LENGTH))
		left = (long long)parse_size(c->o[OPT_LENGTH].s, "length", 0,
		    LLONG_MAX);
	if (opt_set(c, OPT_FOLLOW) && opt_set(c, OPT_NOWAIT))
		die_usage("--follow and --nowait exclude each other");
	stat_fifo(path, &st);
	wait_from_options(c);
	/*
	 * Bytes read from a FIFO are taken: with stdout closed (where the
	 * FIFO's own descriptor would land) say so before reading any.
	 */
	stdout_ready(path, "nothing read");
	out_flush_or_die();
	do {	/* each writer of --follow: the same FIFO, checked each time */
		fd = open_end(path, &st, O_RDONLY, wait_nowait(), first);
		if (wait_nowait())
			first_read_nowait(path, fd, &left);
		rc = copy_fd(fd, STDOUT_FILENO, left, &done);
		if (rc == COPY_WRITE_ERR)
			die_on(EXIT_FAIL, path, "write error: %s after %lld "
			    "bytes", errno_text(errno, "file"), done);
		if (rc == COPY_READ_ERR)
			die_errno(errno, path, "FIFO");
		close(fd);
		first = false;
		if (left >= 0)
			left -= done;
	} while (opt_set(c, OPT_FOLLOW) && left != 0);
	return 0;
}

/* ---- attach ---- */

static int
fifo_cmd_attach(struct call *c)
{
	const char *path = c->argv[0], *end = "both";
	struct timespec left, *tsp = NULL;
	int fd, flags = O_RDWR, status;
	struct stat st;
	struct rec *r;

	if (opt_set(c, OPT_READ) && opt_set(c, OPT_WRITE))
		die_usage("--read and --write exclude each other; without "
		    "either, both ends are held");
	if (opt_set(c, OPT_READ))
		flags = O_RDONLY | O_NONBLOCK, end = "read";
	else if (opt_set(c, OPT_WRITE))
		flags = O_WRONLY, end = "write";
	stat_fifo(path, &st);
	wait_from_options(c);
	fd = open_end(path, &st, flags, false, true);
	r = rec_new("fifo");
	rec_str(r, "path", path);
	rec_int(r, "inode", (long long)st.st_ino);
	rec_str(r, "end", end);
	rec_int(r, "pid", (long long)getpid());
	rec_int(r, "fd", fd);
	out_record(NULL, r);
	rec_free(r);
	if (opt_set(c, OPT_TIMEOUT))
		tsp = (struct timespec *)wait_left(&left);
	status = hold(tsp, c->argc > 1 ? c->argv + 1 : NULL);
	close(fd);
	return status;
}

/* ---- rm ---- */

/*
 * Only FIFOs; a symlink is refused, not followed.  The entry is looked
 * at and removed relative to one descriptor of its directory, so a
 * directory swapped in between cannot redirect the unlink; the O_PATH
 * descriptor of what was checked tells afterwards whether that is what
 * went (in a sticky directory only the entry's owner can swap it).
 */
static int
fifo_rm_one(const struct ref *r)
{
	char dir[PATH_MAX];
	const char *base, *slash;
	struct stat st, after;
	int dfd, fd, rc, err;

	slash = strrchr(r->name, '/');
	if (slash == NULL)
		strlcpy(dir, ".", sizeof(dir)), base = r->name;
	else if (slash[1] == '\0')	/* "x/": the path itself, no FIFO */
		strlcpy(dir, ".", sizeof(dir)), base = r->name;
	else {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - r->name) +
		    (slash == r->name), r->name);
		base = slash + 1;
	}
	if ((dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return complain_on(r->text, "%s", errno_text(errno, "FIFO"));
	fd = openat(dfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1) {
		err = errno;
		if (fd != -1)
			close(fd);
		close(dfd);
		return complain_on(r->text, "%s", errno_text(err, "FIFO"));
	}
	rc = 0;
	if (S_ISLNK(st.st_mode))
		rc = complain_on(r->text, "a symbolic link, not a FIFO; not "
		    "removed");
	else if (!S_ISFIFO(st.st_mode))
		rc = complain_on(r->text, "not a FIFO; not removed (it is %s)",
		    kind_of(st.st_mode));
	if (rc != 0) {
		close(fd);
		close(dfd);
		return rc;
	}
	rc = unlinkat(dfd, base, 0);
	err = errno;
	trace_call(rc, "unlink(\"%s\")", r->name);	/* unlinkat(dir fd) */
	if (rc == 0 && fstat(fd, &after) == 0 && after.st_nlink >= st.st_nlink)
		rc = complain_on(r->text, "replaced between the check and the "
		    "unlink: what was removed is not the FIFO checked");
	else if (rc == -1)
		rc = complain_on(r->text, "%s", errno_text(err, "FIFO"));
	close(fd);
	close(dfd);
	return rc;
}

static int
fifo_cmd_rm(struct call *c)
{
	return rm_each(c, REF_PATH, fifo_rm_one);
}

/* ---- the verb table ---- */

static const struct verb_opt create_opts[] = {
	{ OPT_MODE, "octal permissions (default 0600)" },
	{ OPT_EXIST_OK, "succeed if the FIFO exists" },
	VERB_OPTS_END
};
static const struct verb_opt write_opts[] = {
	{ OPT_NOWAIT, "exit 3 at once when no reader is there" },
	{ OPT_TIMEOUT, "wait at most DUR for a reader" },
	VERB_OPTS_END
};
static const struct verb_opt read_opts[] = {
	{ OPT_LENGTH, "stop after N bytes" },
	{ OPT_FOLLOW, "after EOF, wait for the next writer" },
	{ OPT_NOWAIT, "exit 3 at once when no writer is there" },
	{ OPT_TIMEOUT, "wait at most DUR for the first writer" },
	VERB_OPTS_END
};
static const struct verb_opt attach_opts[] = {
	{ OPT_READ, "hold the read end only" },
	{ OPT_WRITE, "hold the write end only (waits for a "
	    "reader)" },
	{ OPT_TIMEOUT, "hold for DUR, then let go" },
	VERB_OPTS_END
};

static const struct verb_opt ls_opts[] = {
	LS_FILTER_OPTS,
	VERB_OPTS_END
};

static const struct verb fifo_verbs[] = {
	{ "create", fifo_cmd_create, create_opts, "PATH...",
	    "make FIFOs and print their paths", 1, -1, NULL },
	{ "ls", fifo_cmd_ls, ls_opts, "[DIR...]",
	    "list open FIFOs, and the FIFO files in each DIR", 0, -1,
	    fifo_columns },
	{ "info", fifo_cmd_info, NULL, "PATH",
	    "show one FIFO: readers, writers, capacity, queued bytes", 1, 1,
	    fifo_columns },
	{ "write", fifo_cmd_write, write_opts, "PATH [DATA]",
	    "open for writing and write DATA, or stdin", 1, 2, NULL },
	{ "read", fifo_cmd_read, read_opts, "PATH",
	    "open for reading and copy to stdout until EOF", 1, 1, NULL },
	{ "attach", fifo_cmd_attach, attach_opts, "PATH [-- CMD [ARG...]]",
	    "hold an end open until DUR passes, CMD ends or a signal comes",
	    1, -1, NULL },
	{ "rm", fifo_cmd_rm, NULL, "PATH...",
	    "remove FIFOs (nothing else)", 1, -1, NULL },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};

const struct object obj_fifo = {
	"fifo", fifo_verbs,
	"named pipes: REF is the FIFO's PATH",
	fifo_collect, NULL, NULL, false,
};
