/*
 * Messages: one line on stderr, "ipctool: shm rm 1234: no such shared
 * memory segment".  The context (object and verb) is set once by dispatch so
 * handlers name only the operand and the trouble.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"

static char ctx[64] = "";

void
set_context(const char *object, const char *verb)
{
	snprintf(ctx, sizeof(ctx), "%s%s%s", object ? object : "",
	    object && verb ? " " : "", verb ? verb : "");
}

const char *
context(void)
{
	return ctx;
}

static void
vmessage(const char *fmt, va_list ap, const char *tail)
{
	fflush(stdout);
	fprintf(stderr, "ipctool: ");
	if (ctx[0] != '\0')
		fprintf(stderr, "%s: ", ctx);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "%s\n", tail);
}

void
die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap, "");
	va_end(ap);
	exit(status);
}

void
die_usage(const char *fmt, ...)
{
	char tail[96];
	va_list ap;

	snprintf(tail, sizeof(tail), " (try 'ipctool%s%s --help')",
	    ctx[0] ? " " : "", ctx);
	va_start(ap, fmt);
	vmessage(fmt, ap, tail);
	va_end(ap);
	exit(EXIT_USAGE);
}

int
complain(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap, "");
	va_end(ap);
	return EXIT_FAIL;
}

/*
 * The kernel's errno, in the words of the object at hand: the System V
 * calls say EINVAL where a file system would say ENOENT.
 */
const char *
errno_text(int err, const char *noun)
{
	static char buf[128];

	switch (err) {
	case ENOENT:
	case EIDRM:
		snprintf(buf, sizeof(buf), "no such %s", noun);
		return buf;
	case EEXIST:
		return "exists";
	case EACCES:
	case EPERM:
		return "permission denied";
	case EAGAIN:
		return "would block";
	case ETIMEDOUT:
		return "timed out";
	default:
		snprintf(buf, sizeof(buf), "%s", strerror(err));
		if (buf[0] >= 'A' && buf[0] <= 'Z' && buf[1] >= 'a')
			buf[0] = (char)(buf[0] - 'A' + 'a');
		return buf;
	}
}

int
status_of_errno(int err)
{
	return err == EAGAIN || err == ETIMEDOUT ? EXIT_BLOCK : EXIT_FAIL;
}

void
die_errno(int err, const char *what, const char *noun)
{
	die(status_of_errno(err), "%s: %s", what, errno_text(err, noun));
}
