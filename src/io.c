/* Whole reads and writes: short counts and EINTR are not errors. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "ipctool.h"

int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fill buf unless EOF comes first; returns the bytes read, -1 on error. */
ssize_t
read_full(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* A failed write to stdout is an error, as in cat, and is said once. */
void
out_flush_or_die(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		die(EXIT_FAIL, "write error: %s", errno_text(errno, "file"));
}
