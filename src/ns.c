/*
 * --ns PID: work on the IPC objects of process PID's namespaces, from
 * outside, with nothing installed inside.  Done once, before any object is
 * looked at, so that no verb can reach the caller's own objects:
 *
 *   setns(ipc)     System V objects and POSIX queues are the IPC namespace's
 *   setns(mnt)     /dev/shm (POSIX shm and semaphores), /etc/passwd and FIFO
 *                  paths are those of PID's mount namespace
 *   unshare(mnt)   then a private copy of that mount namespace, in which a
 *                  fresh mqueue instance is mounted on /dev/mqueue: an
 *                  mqueue mount shows the queues of the IPC namespace of
 *                  whoever mounts it, and the /dev/mqueue a container
 *                  inherited (or none) would show the host's.  The copy is
 *                  ours alone and goes away when ipctool exits.
 *
 * Entering /proc/PID/root/dev/shm instead of the mount namespace would
 * need no CAP_SYS_ADMIN for shm, but the queues need a mount anyway, and
 * paths through /proc/PID/root follow the container's symlinks with our
 * root; setns gives every verb the container's view as it stands.
 */
#include <sys/mount.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "infra.h"

static pid_t entered;	/* the PID whose namespaces we are in, or 0 */

static const char *
why_not(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "permission denied (needs root: CAP_SYS_ADMIN)";
	case EINVAL:
		return "not supported by this kernel";
	default:
		return strerror(err);
	}
}

/* Open /proc/PID/ns/NS; every failure is a one-line error naming why. */
static int
ns_open(pid_t pid, const char *ns)
{
	char path[64], dir[32];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1)
		return fd;
	snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
	if (errno == ENOENT && access(dir, F_OK) == -1)
		die(EXIT_FAIL, "--ns %d: no such process", (int)pid);
	if (errno == ENOENT)
		die(EXIT_FAIL, "--ns %d: this kernel has no %s namespaces "
		    "(no %s)", (int)pid, ns, path);
	die(EXIT_FAIL, "--ns %d: cannot open %s: %s", (int)pid, path,
	    why_not(errno));
}

static void
ns_join(pid_t pid, int fd, const char *ns, int type, const char *flag)
{
	int r = setns(fd, type);

	trace_call(r, "setns(%d</proc/%d/ns/%s>, %s)", fd, (int)pid, ns,
	    flag);
	if (r == -1)
		die(EXIT_FAIL, "--ns %d: cannot enter its %s namespace: %s",
		    (int)pid, strcmp(ns, "ipc") == 0 ? "IPC" : "mount",
		    why_not(errno));
	close(fd);
}

/*
 * Our own mqueue instance of the IPC namespace we are now in, on
 * /dev/mqueue of a private copy of the mount namespace: an mqueue mount
 * shows the queues of the IPC namespace that mounted it, so the one a
 * container inherited (or none) would show the host's.  Without a
 * /dev/mqueue directory there, queues can still be opened, sent to and
 * received from by name (mq_open needs no mount), but not listed.  If
 * the namespace's own instance is mounted there, ours is refused (EBUSY:
 * the same superblock on the same mount point), and theirs is the right
 * one.  NULL, or the step that failed (errno set).
 */
static bool copied;	/* away from our own mount namespace */
static int visit_mqueue = -1;	/* ls -A: the visited namespace's queues */

/*
 * An mqueue instance of the IPC namespace we are in, mounted nowhere: its
 * queues without a copy of the mount namespace to mount it in (which cost
 * a quarter of ls -A's time).  -1 where the kernel has no fsopen (< 5.2)
 * or we may not.
 */
static int
ns_detached_mqueue(void)
{
	int fs, m = -1;

	fs = fsopen("mqueue", FSOPEN_CLOEXEC);
	trace_call(fs, "fsopen(\"mqueue\", FSOPEN_CLOEXEC)");
	if (fs == -1)
		return -1;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		m = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	trace_call(m, "fsmount(%d, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID|"
	    "MOUNT_ATTR_NODEV|MOUNT_ATTR_NOEXEC)", fs);
	close(fs);
	return m;
}

/* The queues' directory ls -A mounted for the namespace it visits, or -1. */
int
ns_mqueue_fd(void)
{
	return visit_mqueue;
}

static const char *
ns_private_mqueue(void)
{
	int r;

	r = unshare(CLONE_NEWNS);
	trace_call(r, "unshare(CLONE_NEWNS)");
	if (r == -1)
		return "copy its mount namespace";
	copied = true;
	/*
	 * So that the mount below does not propagate into the container.
	 * (The source and type are ignored; memcheck wants them non-NULL.)
	 */
	r = mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL);
	trace_call(r, "mount(\"none\", \"/\", \"none\", MS_REC|MS_PRIVATE, "
	    "NULL)");
	if (r == -1)
		return "make its mounts private";
	r = mount("mqueue", "/dev/mqueue", "mqueue",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	trace_call(r, "mount(\"mqueue\", \"/dev/mqueue\", \"mqueue\", "
	    "MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)");
	if (r == -1 && errno != ENOENT && errno != EBUSY)
		return "mount its mqueue on /dev/mqueue";
	return NULL;
}

static void
ns_mount_mqueue(pid_t pid)
{
	const char *failed = ns_private_mqueue();

	if (failed != NULL)
		die(EXIT_FAIL, "--ns %d: cannot %s: %s", (int)pid, failed,
		    why_not(errno));
}

void
ns_enter(pid_t pid)
{
	int ipc, mnt;

	if (entered == pid)
		return;
	if (entered != 0)
		die_usage("--ns given twice, %d and %d", (int)entered,
		    (int)pid);
	/* Both before either setns: /proc may be another after the first. */
	ipc = ns_open(pid, "ipc");
	mnt = ns_open(pid, "mnt");
	ns_join(pid, ipc, "ipc", CLONE_NEWIPC, "CLONE_NEWIPC");
	ns_join(pid, mnt, "mnt", CLONE_NEWNS, "CLONE_NEWNS");
	ns_mount_mqueue(pid);
	names_foreign();
	entered = pid;
}

bool
ns_entered(void)
{
	return entered != 0;
}

/*
 * ls --all-namespaces: every IPC namespace on the machine, found through
 * /proc/PID/ns/ipc (one entry per namespace, its lowest PID), then visited
 * one after another from this one process.  Both namespace files of each
 * are opened while scanning, so a namespace whose processes exit before
 * its turn is still there to enter (an open nsfs file keeps it alive).
 */
static int home_ipc = -1, home_mnt = -1, home_cwd = -1;

static int
by_ns_inode(const void *a, const void *b)
{
	const struct ipc_ns *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static struct ipc_ns *
ns_find(struct ns_scan *s, ino_t ino)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].ino == ino)
			return &s->v[i];
	return NULL;
}

/* PID's command name, as ps -o comm and lsns's COMMAND fallback show it. */
static void
ns_comm(int procfd, pid_t pid, char *buf, size_t len)
{
	char path[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%d/comm", (int)pid);
	buf[0] = '\0';
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void
ns_add(struct ns_scan *s, int procfd, pid_t pid, ino_t ino, ino_t self)
{
	struct ipc_ns *e;
	char path[48];

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		if ((s->v = reallocarray(s->v, s->cap, sizeof(*s->v))) == NULL)
			die(EXIT_FAIL, "out of memory");
	}
	e = &s->v[s->n];
	*e = (struct ipc_ns){ .ino = ino, .pid = pid,
	    .ours = ino == self, .ipc = -1, .mnt = -1 };
	ns_comm(procfd, pid, e->cmd, sizeof(e->cmd));
	if (!e->ours) {
		snprintf(path, sizeof(path), "%d/ns/ipc", (int)pid);
		e->ipc = openat(procfd, path, O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "%d/ns/mnt", (int)pid);
		e->mnt = openat(procfd, path, O_RDONLY | O_CLOEXEC);
		if (e->ipc == -1 || e->mnt == -1) {	/* gone meanwhile */
			ns_close(e);
			return;
		}
	}
	s->n++;
}

/* Remember a process's namespace, for the pipes and FIFOs it holds. */
static void
ns_note_pid(struct ns_scan *s, pid_t pid, ino_t ino)
{
	if (s->npids == s->pcap) {
		s->pcap = s->pcap ? 2 * s->pcap : 64;
		if ((s->pids = reallocarray(s->pids, s->pcap,
		    sizeof(*s->pids))) == NULL)
			die(EXIT_FAIL, "out of memory");
	}
	s->pids[s->npids].pid = pid;
	s->pids[s->npids++].ino = ino;
}

void
ns_scan_all(struct ns_scan *s)
{
	struct stat st, self;
	struct dirent *e;
	struct ipc_ns *ns;
	char path[48];
	pid_t pid;
	DIR *d;

	*s = (struct ns_scan){ 0 };
	if (stat("/proc/self/ns/ipc", &self) == -1)
		die(EXIT_FAIL, "--all-namespaces: cannot read "
		    "/proc/self/ns/ipc: %s", errno == ENOENT ?
		    "this kernel has no IPC namespaces" : strerror(errno));
	if ((d = opendir("/proc")) == NULL)
		die(EXIT_FAIL, "--all-namespaces: cannot read /proc: %s",
		    strerror(errno));
	/* /proc lists processes by rising PID: each namespace's first is
	 * its lowest, the one lsns names. */
	while ((e = readdir(d)) != NULL) {
		if (!all_digits(e->d_name) || strlen(e->d_name) > 10)
			continue;
		pid = (pid_t)atoi(e->d_name);
		snprintf(path, sizeof(path), "%d/ns/ipc", (int)pid);
		if (fstatat(dirfd(d), path, &st, 0) == -1) {
			if (errno == EACCES || errno == EPERM)
				s->unreadable++;
			continue;	/* ENOENT: exited, or a zombie */
		}
		ns_note_pid(s, pid, st.st_ino);
		if ((ns = ns_find(s, st.st_ino)) == NULL)
			ns_add(s, dirfd(d), pid, st.st_ino, self.st_ino);
		else if (ns->pid == getpid()) {
			/* We are gone once the listing is read: no use to --ns. */
			ns->pid = pid;
			ns_comm(dirfd(d), pid, ns->cmd, sizeof(ns->cmd));
		}
	}
	closedir(d);
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), by_ns_inode);
}

const struct ipc_ns *
ns_of_pid(const struct ns_scan *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->npids; i++)
		if (s->pids[i].pid == pid)
			return ns_find((struct ns_scan *)s, s->pids[i].ino);
	return NULL;
}

void
ns_close(struct ipc_ns *e)
{
	if (e->ipc != -1)
		close(e->ipc);
	if (e->mnt != -1)
		close(e->mnt);
	e->ipc = e->mnt = -1;
}

void
ns_scan_free(struct ns_scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		ns_close(&s->v[i]);
	free(s->v);
	free(s->pids);
	*s = (struct ns_scan){ 0 };
}

/* Where to come back to: our namespaces and working directory. */
static void
ns_remember_home(void)
{
	if (home_ipc != -1)
		return;
	home_ipc = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	home_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	home_cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (home_ipc == -1 || home_mnt == -1)
		die(EXIT_FAIL, "--all-namespaces: cannot open our own "
		    "namespaces: %s", strerror(errno));
}


/*
 * Enter E's IPC and mount namespaces, with an mqueue instance of that IPC
 * namespace mounted nowhere for its queues (or, without fsopen, --ns's
 * private copy of the mount namespace with one on /dev/mqueue); false
 * (errno set) when E cannot be entered, having entered nothing.  Our own
 * namespace is not entered; its queues are made sure of when we may.
 */
bool
ns_visit(const struct ipc_ns *e)
{
	int r, err;

	ns_remember_home();
	if (e->ours) {
		if ((visit_mqueue = ns_detached_mqueue()) == -1 &&
		    ns_private_mqueue() != NULL)
			ns_leave(e);	/* listed as it stands */
		return true;
	}
	r = setns(e->ipc, CLONE_NEWIPC);
	trace_call(r, "setns(%d<ipc:[%lu]>, CLONE_NEWIPC)", e->ipc,
	    (unsigned long)e->ino);
	if (r == -1)
		return false;
	r = setns(e->mnt, CLONE_NEWNS);
	trace_call(r, "setns(%d<pid %d's mnt>, CLONE_NEWNS)", e->mnt,
	    (int)e->pid);
	copied = r == 0;	/* setns moved us even if the rest fails */
	if (r == 0)
		visit_mqueue = ns_detached_mqueue();
	if (r == -1 || (visit_mqueue == -1 && ns_private_mqueue() != NULL)) {
		err = errno;
		ns_leave(e);
		errno = err;
		return false;
	}
	return true;
}

/* Back home from ns_visit(E); not coming back would list the wrong
 * objects as ours, so a failure here ends the program. */
void
ns_leave(const struct ipc_ns *e)
{
	int r;

	if (visit_mqueue != -1) {
		close(visit_mqueue);
		visit_mqueue = -1;
	}
	if (copied) {
		r = setns(home_mnt, CLONE_NEWNS);
		trace_call(r, "setns(%d<our mnt>, CLONE_NEWNS)", home_mnt);
		if (r == -1)
			die(EXIT_FAIL, "--all-namespaces: cannot return to our "
			    "mount namespace: %s", strerror(errno));
		/* setns(CLONE_NEWNS) moved us to that namespace's root. */
		if (home_cwd != -1 && fchdir(home_cwd) == -1)
			die(EXIT_FAIL, "--all-namespaces: cannot return to "
			    "our working directory: %s", strerror(errno));
		copied = false;
	}
	if (e->ours)
		return;
	r = setns(home_ipc, CLONE_NEWIPC);
	trace_call(r, "setns(%d<our ipc>, CLONE_NEWIPC)", home_ipc);
	if (r == -1)
		die(EXIT_FAIL, "--all-namespaces: cannot return to our IPC "
		    "namespace: %s", strerror(errno));
}
