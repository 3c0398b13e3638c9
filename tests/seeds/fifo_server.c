/*
 * fifo_server: the reading half of the classic FIFO demo.  Opens the FIFO
 * for reading, which waits until some process opens it for writing, then
 * copies what it reads to stdout until end of file (every writer closed).
 *
 *	fifo_server [PATH]	(default ./demo_fifo)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "./demo_fifo";
	char buf[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);	/* blocks until there is a writer */
	if (fd == -1) {
		perror("open");
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			perror("read");
			return 1;
		}
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n) {
			perror("fwrite");
			return 1;
		}
	}
	close(fd);
	return fflush(stdout) == 0 ? 0 : 1;
}
