/* Whole reads and writes: short counts and EINTR are not errors. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <unistd.h>

#include "infra.h"

/* All of buf, counting in *done what went, for a message on failure. */
int
write_counted(int fd, const void *buf, size_t len, long long *done)
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
		*done += n;
	}
	return 0;
}

int
write_all(int fd, const void *buf, size_t len)
{
	long long done = 0;

	return write_counted(fd, buf, len, &done);
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

/*
 * Copy len bytes between two fds in the kernel with sendfile(2).  An
 * offset of -1 means the fd's own position.  Returns 0, or -1 with errno
 * (EINVAL or ENOSYS: these fds can't; copy another way).
 */
int
send_range(int out, off_t outoff, int in, off_t inoff, size_t len,
    size_t *done)
{
	off_t *inp = inoff >= 0 ? &inoff : NULL;

	*done = 0;
	if (outoff >= 0 && lseek(out, outoff, SEEK_SET) == -1)
		return -1;
	while (*done < len) {
		ssize_t n = sendfile(out, in, inp, len - *done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && *done > 0 && (errno == EINVAL || errno == ENOSYS))
			errno = EIO;	/* too late to fall back */
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;	/* the source shrank under us */
			return -1;
		}
		*done += (size_t)n;
	}
	return 0;
}

/*
 * Hand len bytes of memory to a pipe with vmsplice(2): the pipe is given
 * references to the pages, not a copy of the bytes, so what a reader gets
 * is what the pages hold when it reads.  Returns 0, or -1 with errno.
 */
int
vmsplice_all(int out, const char *p, size_t len, size_t *done)
{
	*done = 0;
	while (*done < len) {
		struct iovec v = { (void *)(p + *done), len - *done };
		ssize_t n = vmsplice(out, &v, 1, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		*done += (size_t)n;
	}
	return 0;
}

/*
 * A pipe that is to carry more than its buffer holds moves it faster in a
 * bigger one: up to 256 pages a handoff instead of 16, and as many fewer
 * wake-ups.  Grow it (never shrink) to want bytes or pipe-max-size,
 * whichever is smaller; a refusal, when this user's pipes hold their
 * share of pages, costs only speed.  Returns the capacity now, or -1 when
 * fd is not a pipe.
 */
long
pipe_grow(int fd, long long want)
{
	long cap, max, rc;

	if ((cap = fcntl(fd, F_GETPIPE_SZ)) == -1 || want <= cap ||
	    (max = proc_sys_long("/proc/sys/fs/pipe-max-size")) <= cap)
		return cap;
	if (max > want)
		max = (long)want;
	rc = fcntl(fd, F_SETPIPE_SZ, (int)max);
	trace_call(rc, "fcntl(%d, F_SETPIPE_SZ, %ld)", fd, max);
	return rc == -1 ? cap : rc;
}

static int
copy_by_read(int in, int out, long long max, long long *done)
{
	static char buf[128 * 1024];
	struct stat st;

	/*
	 * Bytes read from a pipe are taken.  An output that refuses every
	 * write (/dev/full, a closed fd) says so to a write of nothing, so
	 * ask before the first read; not a socket's, where that is a message.
	 */
	if (fstat(out, &st) == 0 && !S_ISSOCK(st.st_mode) &&
	    write(out, buf, 0) == -1 && errno != EINTR && errno != EAGAIN)
		return COPY_WRITE_ERR;
	while (max < 0 || *done < max) {
		size_t want = sizeof(buf);
		ssize_t n;

		if (max >= 0 && (unsigned long long)(max - *done) < want)
			want = (size_t)(max - *done);
		if ((n = read(in, buf, want)) < 0) {
			if (errno == EINTR) {
				wait_check_signal();
				continue;
			}
			return COPY_READ_ERR;
		}
		if (n == 0)
			break;
		if (write_all(out, buf, (size_t)n) == -1)
			return COPY_WRITE_ERR;
		*done += n;
	}
	return 0;
}

/*
 * Wait until a pipe or socket has bytes to give or has ended; false at its
 * end.  A splice(2) tried at the end of the input would first wait for
 * room in the output, or fail for want of a reader, with nothing to move.
 */
static bool
input_waiting(int in)
{
	struct pollfd p = { in, POLLIN, 0 };

	while (poll(&p, 1, -1) == -1) {
		if (errno != EINTR)
			return true;	/* let the splice say what is wrong */
		wait_check_signal();
	}
	return (p.revents & POLLIN) || !(p.revents & POLLHUP);
}

/* A pipe or socket: writing to it can wait for room, or find no reader. */
static bool
can_block(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISSOCK(st.st_mode));
}

/*
 * Copy from in to out until EOF, or max bytes when max >= 0, counting in
 * *done.  splice(2) moves the bytes inside the kernel when one side is a
 * pipe; when the pair can't splice, read and write do it.  Returns 0, or
 * COPY_READ_ERR or COPY_WRITE_ERR with errno (EPIPE is always a write's).
 */
int
copy_fd(int in, int out, long long max, long long *done)
{
	struct stat st;
	bool stream = false;
	off_t pos;

	*done = 0;
	if (fstat(in, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (pos = lseek(in, 0, SEEK_CUR)) != -1) {
		/* A file's end is known: never splice at it (see above). */
		if (max < 0 || max > st.st_size - pos)
			max = pos < st.st_size ? st.st_size - pos : 0;
	} else if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		stream = can_block(out);
	while (max < 0 || *done < max) {
		size_t want = 1 << 20;
		ssize_t n;

		if (max >= 0 && (unsigned long long)(max - *done) < want)
			want = (size_t)(max - *done);
		if (stream && !input_waiting(in))
			break;
		n = splice(in, NULL, out, NULL, want, SPLICE_F_MOVE);
		if (n < 0 && errno == EINTR) {
			wait_check_signal();
			continue;
		}
		if (n < 0 && (errno == EINVAL || errno == ENOSYS ||
		    errno == EBADF))
			return copy_by_read(in, out, max, done);
		if (n < 0)
			return errno == EPIPE ? COPY_WRITE_ERR : COPY_READ_ERR;
		if (n == 0)
			break;
		*done += n;
	}
	return 0;
}

/*
 * write's DATA operand, or else all of stdin, into fd (a pipe or FIFO
 * end).  SIGPIPE is ignored so that a reader who leaves is reported, with
 * how much got through, instead of killing us.
 */
void
write_data_or_stdin(int fd, const char *data, const char *operand,
    const char *noun)
{
	long long done = 0;
	int rc = 0;

	signal(SIGPIPE, SIG_IGN);
	if (data != NULL) {
		if (write_counted(fd, data, strlen(data), &done) == -1)
			rc = COPY_WRITE_ERR;
	} else
		rc = copy_fd(STDIN_FILENO, fd, -1, &done);
	if (rc == COPY_WRITE_ERR && errno == EPIPE && done > 0)
		die_on(EXIT_FAIL, operand, "the reader went away after %lld "
		    "bytes; the rest was not written", done);
	if (rc == COPY_WRITE_ERR && errno == EPIPE)
		die_on(EXIT_FAIL, operand, "no reader; nothing was written");
	if (rc == COPY_WRITE_ERR)
		die_errno(errno, operand, noun);
	if (rc == COPY_READ_ERR)
		die(EXIT_FAIL, "stdin: %s", errno_text(errno, "file"));
}

/*
 * A closed 0, 1 or 2 gets /dev/null opened the wrong way round on it, so
 * that nothing ipctool opens later (a segment, a queue, a FIFO) can land
 * there and receive what was meant for stdout, while reads and writes of
 * that descriptor still fail with EBADF, as they would have.
 */
void
guard_std_fds(void)
{
	int fd, got;

	/* Without /dev/null (a bare container) there is nothing to hold. */
	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF &&
		    (got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)) !=
		    -1 && got != fd)
			close(got);
}

/*
 * Whether anything written to stdout could arrive: false for a closed
 * stdout, or the read-only /dev/null guard_std_fds put in its place.
 */
bool
stdout_writable(void)
{
	int fl = fcntl(STDOUT_FILENO, F_GETFL);

	return fl != -1 && (fl & O_ACCMODE) != O_RDONLY;
}

/*
 * Before a verb takes what it cannot give back (bytes of a pipe or FIFO,
 * a message): with stdout closed nothing could be delivered, so say so
 * first ("...; NOTHING").  A reader of stdout that leaves is then EPIPE,
 * reported once, not death by SIGPIPE.
 */
void
stdout_ready(const char *operand, const char *nothing)
{
	if (!stdout_writable())
		die_on(EXIT_FAIL, operand, "write error: %s; %s",
		    errno_text(EBADF, "file"), nothing);
	signal(SIGPIPE, SIG_IGN);
}
