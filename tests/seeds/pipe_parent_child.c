/*
 * The classic anonymous pipe: the parent makes a pipe and forks; the
 * child keeps only the write end and sends one message; the parent keeps
 * only the read end, reads the message, prints it and reaps the child.
 *
 * pipe_parent_child        as above
 * pipe_parent_child hold   the same, but both sides hold their ends open
 *                          until the parent gets SIGUSR1, so that the pipe
 *                          can be looked at from outside with the message
 *                          queued in it.  The parent first prints
 *                          "parent PID child PID read FD write FD" on
 *                          stderr.  An alarm ends both after a minute.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char message[] = "hello from child";

int
main(int argc, char **argv)
{
	int hold = argc > 1 && strcmp(argv[1], "hold") == 0;
	char buf[128];
	sigset_t usr1;
	ssize_t n = 0, got = 0;
	int fds[2], sig, status;
	pid_t child;

	/* Blocked before the fork, so neither side can miss the signal. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (hold && sigprocmask(SIG_BLOCK, &usr1, NULL) == -1) {
		perror("sigprocmask");
		return 1;
	}
	if (pipe(fds) == -1) {
		perror("pipe");
		return 1;
	}
	if ((child = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		close(fds[0]);
		if (write(fds[1], message, strlen(message)) !=
		    (ssize_t)strlen(message)) {
			perror("write");
			_exit(1);
		}
		if (hold) {
			alarm(60);
			sigwait(&usr1, &sig);	/* the parent says when */
		}
		close(fds[1]);
		_exit(0);
	}

	close(fds[1]);
	if (hold) {
		alarm(60);
		/* The child's write end has the same number as ours had. */
		fprintf(stderr, "parent %d child %d read %d write %d\n",
		    (int)getpid(), (int)child, fds[0], fds[1]);
		sigwait(&usr1, &sig);
		kill(child, SIGUSR1);	/* let the child close its end */
	}
	while ((size_t)got < sizeof(buf) - 1 &&
	    (n = read(fds[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	if (n == -1) {
		perror("read");
		return 1;
	}
	buf[got] = '\0';
	printf("%s\n", buf);
	close(fds[0]);
	if (waitpid(child, &status, 0) == -1) {
		perror("waitpid");
		return 1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
