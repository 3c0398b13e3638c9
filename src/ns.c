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
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
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
 * /dev/mqueue of a private copy of the mount namespace.  Without a
 * /dev/mqueue directory there, queues can still be opened, sent to and
 * received from by name (mq_open needs no mount), but not listed.
 * If PID mounted its own instance there, ours is refused (EBUSY: the
 * same superblock on the same mount point), and theirs is the right one.
 */
static void
ns_mount_mqueue(pid_t pid)
{
	int r;

	r = unshare(CLONE_NEWNS);
	trace_call(r, "unshare(CLONE_NEWNS)");
	if (r == -1)
		die(EXIT_FAIL, "--ns %d: cannot copy its mount namespace: %s",
		    (int)pid, why_not(errno));
	/* So that the mount below does not propagate into the container. */
	r = mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	trace_call(r, "mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL)");
	if (r == -1)
		die(EXIT_FAIL, "--ns %d: cannot make its mounts private: %s",
		    (int)pid, why_not(errno));
	r = mount("mqueue", "/dev/mqueue", "mqueue",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	trace_call(r, "mount(\"mqueue\", \"/dev/mqueue\", \"mqueue\", "
	    "MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)");
	/* EBUSY: PID mounted this very instance there already. */
	if (r == -1 && errno != ENOENT && errno != EBUSY)
		die(EXIT_FAIL, "--ns %d: cannot mount its mqueue on "
		    "/dev/mqueue: %s", (int)pid, why_not(errno));
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
	entered = pid;
}
