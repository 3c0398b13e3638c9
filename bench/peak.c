/*
 * Memory of one command for `bench/run mem`:
 *
 *	peak CMD [ARG...]
 *
 * runs CMD (stdin and stdout inherited) and prints "MAXRSS ANON" in KiB on
 * stderr: the peak resident set the kernel kept for it (wait4's ru_maxrss,
 * which counts shared memory it touched, such as an attached segment), and
 * the largest RssAnon (its own, non-shared pages) seen by reading
 * /proc/PID/status every millisecond while it ran.  The kernel keeps no
 * peak of RssAnon, so a spike shorter than that could be missed; a copy
 * buffer or a list of records stays for the whole run.  Exits with CMD's
 * status.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/wait.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long
rss_anon_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "RssAnon: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

int
main(int argc, char **argv)
{
	struct timespec ms = { 0, 1000000 };
	struct rusage ru;
	long anon = 0, now;
	int status;
	pid_t pid;

	if (argc < 2) {
		fputs("usage: peak CMD [ARG...]\n", stderr);
		return 2;
	}
	if ((pid = fork()) == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);

		if (w == pid)
			break;
		if (w == -1 && errno != EINTR) {
			perror("wait4");
			return 1;
		}
		if ((now = rss_anon_kib(pid)) > anon)
			anon = now;
		nanosleep(&ms, NULL);
	}
	fprintf(stderr, "%ld %ld\n", ru.ru_maxrss, anon);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
