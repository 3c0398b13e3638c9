/*
 * fifo_writer: the writing half of the classic FIFO demo.  Makes the FIFO
 * (mode 0666, an existing one is fine), opens it for writing, which waits
 * until some process opens it for reading, writes "ping" and closes.
 *
 *	fifo_writer [PATH]	(default ./demo_fifo)
 */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "./demo_fifo";
	const char msg[] = "ping";
	ssize_t n;
	int fd;

	if (mkfifo(path, 0666) == -1 && errno != EEXIST) {
		perror("mkfifo");
		return 1;
	}
	fd = open(path, O_WRONLY);	/* blocks until there is a reader */
	if (fd == -1) {
		perror("open");
		return 1;
	}
	n = write(fd, msg, strlen(msg));
	if (n != (ssize_t)strlen(msg)) {
		perror("write");
		return 1;
	}
	close(fd);
	return 0;
}
