/*
 * Holding something (a mapping, a FIFO end, a semaphore) while a timeout
 * runs, a command runs, or until a signal: one helper for attach and run.
 */
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <unistd.h>

#include "infra.h"

extern char **environ;

/* CMD starts with our original mask; exec itself resets our handlers. */
static pid_t
spawn_cmd(char **argv, const sigset_t *orig)
{
	posix_spawnattr_t attr;
	pid_t pid;
	int err;

	out_flush_or_die();
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, orig);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	err = posix_spawnp(&pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err != 0) {
		complain_on(argv[0], "cannot run: %s", errno_text(err, "file"));
		return -(err == ENOENT ? 127 : 126);
	}
	return pid;
}

/*
 * The signals a holder takes with sigwaitinfo(): the three that end a wait,
 * and SIGCHLD.  Blocked, into *set; the mask before goes into *orig.
 */
void
block_child_signals(sigset_t *set, sigset_t *orig)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGCHLD);
	sigprocmask(SIG_BLOCK, set, orig);
}

static int
status_of(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
	    128 + WTERMSIG(wstatus);
}

/*
 * Hold until the timeout passes (exit 0), CMD ends (its status) or
 * SIGINT, SIGTERM or SIGHUP comes.  Each signal goes on to CMD, whose
 * status we then take; with no CMD it is 128 + the signal.  When the
 * timeout passes first, a CMD still running gets SIGTERM.
 */
int
hold(const struct timespec *timeout, char **cmd)
{
	sigset_t set, orig;
	siginfo_t si;
	pid_t child = 0;
	bool timed_out = false;
	int sig, wstatus;

	block_child_signals(&set, &orig);
	if (cmd != NULL && (child = spawn_cmd(cmd, &orig)) < 0)
		return -child;
	for (;;) {
		sig = timeout ? sigtimedwait(&set, &si, timeout) :
		    sigwaitinfo(&set, &si);
		if (sig == -1 && errno == EINTR)
			continue;
		if (sig == -1) {		/* the timeout passed */
			if (child == 0)
				return 0;
			kill(child, SIGTERM);
			timed_out = true;
			timeout = NULL;
		} else if (sig == SIGCHLD) {
			if (child > 0 && waitpid(child, &wstatus, WNOHANG) ==
			    child)
				return timed_out ? 0 : status_of(wstatus);
		} else if (child == 0)
			return 128 + sig;
		else
			kill(child, sig);
	}
}

/*
 * Wait for every one of n children, passing SIGINT, SIGTERM and SIGHUP on
 * to those still running, as a shell does for a pipeline.  The caller
 * has blocked them with block_child_signals().  Returns the status of
 * pids[last].
 */
int
wait_all(pid_t *pids, size_t n, size_t last)
{
	sigset_t set;
	siginfo_t si;
	size_t i, running = n;
	int sig, wstatus, status = 0;
	pid_t pid;

	block_child_signals(&set, NULL);
	while (running > 0) {
		while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
			for (i = 0; i < n; i++)
				if (pids[i] == pid) {
					pids[i] = 0;
					running--;
					if (i == last)
						status = status_of(wstatus);
				}
		if (running == 0 || (pid == -1 && errno == ECHILD))
			break;
		if ((sig = sigwaitinfo(&set, &si)) == -1 || sig == SIGCHLD)
			continue;
		for (i = 0; i < n; i++)
			if (pids[i] > 0)
				kill(pids[i], sig);
	}
	return status;
}
