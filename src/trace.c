/*
 * --trace: each IPC system call with its arguments and result, on stderr,
 * in strace's notation: shmget(0x00001234, 4096, IPC_CREAT|IPC_EXCL|0600)
 * = 32769, or = -1 EEXIST (File exists).  Callers log right after the call,
 * and errno survives the logging.
 */
#include <sys/ipc.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "infra.h"

static void
vtrace(const char *fmt, va_list ap)
{
	fflush(stdout);
	vfprintf(stderr, fmt, ap);
}

static void
trace_errno_tail(int err)
{
	fprintf(stderr, " = -1 %s (%s)\n", strerrorname_np(err) ?
	    strerrorname_np(err) : "E?", strerror(err));
}

void
trace_call(long ret, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (!g.trace)
		return;
	va_start(ap, fmt);
	vtrace(fmt, ap);
	va_end(ap);
	if (ret == -1)
		trace_errno_tail(saved);
	else
		fprintf(stderr, " = %ld\n", ret);
	errno = saved;
}

void
trace_ptr(const void *ret, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (!g.trace)
		return;
	va_start(ap, fmt);
	vtrace(fmt, ap);
	va_end(ap);
	if (ret == (const void *)-1)
		trace_errno_tail(saved);
	else
		fprintf(stderr, " = %p\n", ret);
	errno = saved;
}

/* Flag words, "IPC_CREAT|IPC_EXCL|0600"; one static buffer per kind. */
static const char *
flag_words(char *buf, size_t len, int flags, const int *bits,
    const char *const *names, size_t n, int mode)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if ((flags & bits[i]) == bits[i] && bits[i] != 0) {
			strlcat(buf, names[i], len);
			strlcat(buf, "|", len);
		}
	if (mode >= 0) {
		char m[8];

		snprintf(m, sizeof(m), "%04o", (unsigned)mode);
		strlcat(buf, m, len);
	} else if (buf[0] != '\0')
		buf[strlen(buf) - 1] = '\0';
	else
		strlcpy(buf, "0", len);
	return buf;
}

const char *
trace_ipcflags(int flags)
{
	static const int bits[] = { IPC_CREAT, IPC_EXCL, IPC_NOWAIT };
	static const char *const names[] = { "IPC_CREAT", "IPC_EXCL",
	    "IPC_NOWAIT" };
	static char buf[80];

	return flag_words(buf, sizeof(buf), flags, bits, names, 3,
	    (flags & 0777) != 0 ? flags & 0777 : -1);
}

const char *
trace_oflags(int flags)
{
	static const int bits[] = { O_CREAT, O_EXCL, O_NONBLOCK, O_TRUNC,
	    O_NOFOLLOW, O_CLOEXEC };
	static const char *const names[] = { "O_CREAT", "O_EXCL",
	    "O_NONBLOCK", "O_TRUNC", "O_NOFOLLOW", "O_CLOEXEC" };
	static char buf[128];
	const char *acc = (flags & O_ACCMODE) == O_RDWR ? "O_RDWR|" :
	    (flags & O_ACCMODE) == O_WRONLY ? "O_WRONLY|" : "O_RDONLY|";
	char rest[112];

	flag_words(rest, sizeof(rest), flags & ~O_ACCMODE, bits, names, 6, -1);
	snprintf(buf, sizeof(buf), "%s%s", acc, rest);
	if (strcmp(rest, "0") == 0)
		buf[strlen(acc) - 1] = '\0';
	return buf;
}

const char *
trace_key(key_t key)
{
	static char buf[16];

	if (key == IPC_PRIVATE)
		return "IPC_PRIVATE";
	snprintf(buf, sizeof(buf), "0x%08x", (unsigned)key);
	return buf;
}
