/*
 * Who holds which pipe or FIFO: one walk over /proc/PID/fd.  The kernel
 * keeps no list of a pipe's ends, so this is the only way to name readers
 * and writers; fdinfo gives each end's access mode.  A process that exits
 * mid-walk is skipped; one whose fds we may not read is counted, so the
 * caller can say the view is partial.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "infra.h"

static void
read_comm(int procfd, const char *pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/comm", pid);
	strlcpy(buf, "?", len);
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if ((n = read(fd, buf, len - 1)) > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
	}
	close(fd);
}

/* O_RDONLY, O_WRONLY or O_RDWR, from fdinfo's flags (octal). */
static int
access_of(int procfd, const char *pid, const char *fd, const struct stat *lnk)
{
	char path[96], buf[256];
	ssize_t n;
	int f, acc;

	snprintf(path, sizeof(path), "%s/fdinfo/%s", pid, fd);
	if ((f = openat(procfd, path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(f, buf, sizeof(buf) - 1);
		close(f);
		if (n > 0) {
			buf[n] = '\0';
			if ((acc = fdinfo_access(buf)) != -1)
				return acc;
		}
	}
	/* The link's own mode bits say the same: r for read, w for write. */
	if ((lnk->st_mode & S_IRUSR) && (lnk->st_mode & S_IWUSR))
		return O_RDWR;
	return (lnk->st_mode & S_IWUSR) ? O_WRONLY : O_RDONLY;
}

struct pipe_node *
scan_lookup(struct pipe_scan *s, dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ino == ino && s->v[i].dev == dev)
			return &s->v[i];
	return NULL;
}

/* The node for this inode, made on first sight. */
static struct pipe_node *
node_of(struct pipe_scan *s, const struct stat *st, const char *path)
{
	struct pipe_node *n;

	if ((n = scan_lookup(s, st->st_dev, st->st_ino)) != NULL)
		return n;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 32;
		s->v = reallocarray(s->v, s->cap, sizeof(*s->v));
		if (s->v == NULL)
			die(EXIT_FAIL, "out of memory");
	}
	n = &s->v[s->n++];
	memset(n, 0, sizeof(*n));
	n->dev = st->st_dev;
	n->ino = st->st_ino;
	n->ctime = st->st_ctim;
	n->uid = st->st_uid;
	n->gid = st->st_gid;
	n->mode = st->st_mode;
	if (path != NULL && (n->path = strdup(path)) == NULL)
		die(EXIT_FAIL, "out of memory");
	return n;
}

static void
add_holder(struct pipe_node *n, pid_t pid, int fd, int acc, const char *comm)
{
	struct holder *h;

	n->h = reallocarray(n->h, n->nh + 1, sizeof(*n->h));
	if (n->h == NULL)
		die(EXIT_FAIL, "out of memory");
	h = &n->h[n->nh++];
	h->pid = pid;
	h->fd = fd;
	h->access = acc;
	strlcpy(h->command, comm, sizeof(h->command));
}

/* One fd of one process: a pipe or FIFO end, or nothing to us. */
static void
scan_fd(struct pipe_scan *s, unsigned what, int procfd, int dirfd,
    const char *pid, const char *fd, char *comm, size_t commlen)
{
	char target[PATH_MAX];
	struct stat st, lnk;
	ssize_t n;
	bool anon;

	if (fstatat(dirfd, fd, &st, 0) == -1 || !S_ISFIFO(st.st_mode))
		return;
	if ((n = readlinkat(dirfd, fd, target, sizeof(target) - 1)) == -1)
		return;
	target[n] = '\0';
	anon = strncmp(target, "pipe:[", 6) == 0;
	if (!(what & (anon ? SCAN_PIPES : SCAN_FIFOS)))
		return;
	if (fstatat(dirfd, fd, &lnk, AT_SYMLINK_NOFOLLOW) == -1)
		return;
	if (comm[0] == '\0')
		read_comm(procfd, pid, comm, commlen);
	add_holder(node_of(s, &st, anon ? NULL : target), atoi(pid), atoi(fd),
	    access_of(procfd, pid, fd, &lnk), comm);
}

static void
scan_process(struct pipe_scan *s, unsigned what, int procfd, const char *pid)
{
	char path[64], comm[64] = "";
	struct dirent *de;
	DIR *d;
	int dirfd;

	snprintf(path, sizeof(path), "%s/fd", pid);
	if ((dirfd = openat(procfd, path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		if (errno == EACCES || errno == EPERM)
			s->denied++;
		return;		/* otherwise it has exited */
	}
	if ((d = fdopendir(dirfd)) == NULL) {
		close(dirfd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			scan_fd(s, what, procfd, dirfd, pid, de->d_name, comm,
			    sizeof(comm));
	closedir(d);
}

/* Every pipe (SCAN_PIPES) and open FIFO (SCAN_FIFOS); only PID's if > 0. */
void
scan_pipes(struct pipe_scan *s, unsigned what, pid_t only)
{
	struct dirent *de;
	char pid[32];
	DIR *d;
	int procfd;

	memset(s, 0, sizeof(*s));
	if ((procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1 || (d = fdopendir(fcntl(procfd, F_DUPFD_CLOEXEC, 0))) == NULL)
		die(EXIT_FAIL, "/proc: %s", errno_text(errno, "directory"));
	if (only > 0) {
		snprintf(pid, sizeof(pid), "%d", (int)only);
		scan_process(s, what, procfd, pid);
	} else
		while ((de = readdir(d)) != NULL)
			if (all_digits(de->d_name))
				scan_process(s, what, procfd, de->d_name);
	closedir(d);
	close(procfd);
}

void
scan_free(struct pipe_scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].h);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Say once, on stderr, that processes we may not look into were left out. */
void
scan_note_partial(const struct pipe_scan *s)
{
	if (s->denied > 0)
		complain_on(NULL, "partial view: the descriptors of %u "
		    "process%s could not be read (permission denied)",
		    s->denied, s->denied == 1 ? "" : "es");
}

/* A number from /proc/sys, or -1. */
long
proc_sys_long(const char *path)
{
	char buf[32] = "";
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), fp) == NULL)
		buf[0] = '\0';
	fclose(fp);
	return buf[0] != '\0' ? strtol(buf, NULL, 10) : -1;
}

/* ---- reading a pipe's state without disturbing its ends ---- */

/*
 * A copy of the holder's own descriptor: no open(2), so the pipe's count of
 * readers and writers never moves and nobody blocked in open is woken.
 */
int
borrow_fd(pid_t pid, int fd)
{
	int pidfd, copy;

	if (pid == 0 || pid == getpid())
		return fcntl(fd, F_DUPFD_CLOEXEC, 0);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	trace_call(pidfd, "pidfd_open(%d, 0)", (int)pid);
	if (pidfd == -1)
		return -1;
	copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	trace_call(copy, "pidfd_getfd(%d, %d, 0)", pidfd, fd);
	close(pidfd);
	return copy;
}

/*
 * Failing that, open the same end as an existing holder.  A FIFO wakes
 * the other side's blocked open(2) only when its first reader or writer
 * arrives; an end that is already held is never a first.
 */
static int
open_like(const struct holder *h)
{
	return open_proc_fd(h->pid, h->fd, (h->access == O_WRONLY ?
	    O_WRONLY : O_RDONLY) | O_NONBLOCK);
}

/* A new open file on PID's fd FD (0: ours), through /proc/PID/fd. */
int
open_proc_fd(pid_t pid, int fd, int flags)
{
	char path[64];
	int nfd;

	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	else
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	flags |= O_CLOEXEC;
	nfd = open(path, flags);
	trace_call(nfd, "open(\"%s\", %s)", path, trace_oflags(flags));
	return nfd;
}

int
node_fd(const struct pipe_node *n)
{
	size_t i;
	int fd;

	for (i = 0; i < n->nh; i++)
		if ((fd = borrow_fd(n->h[i].pid, n->h[i].fd)) != -1)
			return fd;
	for (i = 0; i < n->nh; i++)
		if ((fd = open_like(&n->h[i])) != -1)
			return fd;
	return -1;
}

/* Capacity and queued bytes; false when no fd on the pipe can be had. */
bool
pipe_state(int fd, long *capacity, int *queued)
{
	*capacity = fcntl(fd, F_GETPIPE_SZ);
	trace_call(*capacity, "fcntl(%d, F_GETPIPE_SZ)", fd);
	if (*capacity == -1 || ioctl(fd, FIONREAD, queued) == -1)
		return false;
	trace_call(*queued, "ioctl(%d, FIONREAD) = queued", fd);
	return true;
}

const struct column holder_columns[] = {
	{ "pid", COL_INT, COL_DEFAULT | COL_RIGHT, "process holding the end",
	    NULL, NULL },
	{ "command", COL_STR, COL_DEFAULT, "its command name", NULL, NULL },
	{ "fd", COL_INT, COL_DEFAULT | COL_RIGHT, "its file descriptor", NULL,
	    NULL },
	COLUMNS_END
};

static void
rec_holders(struct rec *r, const struct pipe_node *n, const char *name,
    int skip)
{
	char cell[256] = "", one[96];
	struct rec *k;
	size_t i;

	rec_array(r, name, NULL);
	for (i = 0; i < n->nh; i++) {
		if (n->h[i].access == skip)
			continue;
		k = rec_child(r, name);
		rec_int(k, "pid", n->h[i].pid);
		rec_str(k, "command", n->h[i].command);
		rec_int(k, "fd", n->h[i].fd);
		snprintf(one, sizeof(one), "%s%s[%d]:%d", cell[0] ? "," : "",
		    n->h[i].command, (int)n->h[i].pid, n->h[i].fd);
		strlcat(cell, one, sizeof(cell));
	}
	rec_array(r, name, cell[0] ? cell : "-");
}

/*
 * capacity, queued, readers and writers.  fd is an fd on the pipe
 * when the caller has one, else -1 and one is borrowed from a holder.
 */
void
rec_pipe_node(struct rec *r, const struct pipe_node *n, int fd)
{
	int own = fd, queued;
	long capacity;

	if (own == -1)
		fd = node_fd(n);
	if (fd != -1 && pipe_state(fd, &capacity, &queued)) {
		rec_size(r, "capacity", (unsigned long long)capacity);
		rec_size(r, "queued", (unsigned long long)queued);
	}
	if (fd != -1 && own == -1)
		close(fd);
	rec_holders(r, n, "readers", O_WRONLY);
	rec_holders(r, n, "writers", O_RDONLY);
}

/*
 * A FIFO no process holds has no buffer, so nothing queued; its capacity
 * is decided when it is next opened.  Unless we could not see everyone.
 */
void
rec_pipe_unheld(struct rec *r, const struct pipe_scan *s)
{
	rec_str(r, "capacity", NULL);
	if (s->denied == 0)
		rec_size(r, "queued", 0);
	else
		rec_str(r, "queued", NULL);
	rec_array(r, "readers", "-");
	rec_array(r, "writers", "-");
}

/*
 * info in text draws each list of holders that has any as a table of its
 * own (PID, COMMAND, FD) under its name; --raw and --export keep the
 * one-cell form of ls, and an empty list stays a dash.
 */
void
rec_holders_as_tables(struct rec *r, const struct pipe_node *n)
{
	bool readers = false, writers = false;
	size_t i;

	if (g.raw || g.export)
		return;
	for (i = 0; i < n->nh; i++) {
		readers |= n->h[i].access != O_WRONLY;
		writers |= n->h[i].access != O_RDONLY;
	}
	if (readers)
		rec_array(r, "readers", NULL);
	if (writers)
		rec_array(r, "writers", NULL);
}
