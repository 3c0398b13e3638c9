/*
 * Messages: one line on stderr, "ipctool: shm rm 1234: no such shared
 * memory segment" about an operand (die_on, complain_on), or "ipctool: shm
 * create: invalid size '4Q'" about the command.  The context (object and
 * verb) is set once by dispatch so handlers name only the operand and the
 * trouble.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infra.h"

static char ctx[64] = "";
static const char *program = "ipctool";

/* Started as an applet (ipcrm, ...), messages go under its name. */
void
set_program(const char *name)
{
	program = name;
}

void
set_context(const char *object, const char *verb)
{
	snprintf(ctx, sizeof(ctx), "%s%s%s", object ? object : "",
	    object && verb ? " " : "", verb ? verb : "");
}

static void
vmessage(const char *operand, const char *fmt, va_list ap, const char *tail)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", program, ctx);
	if (operand != NULL)
		fprintf(stderr, "%s%s", ctx[0] != '\0' ? " " : "", operand);
	if (ctx[0] != '\0' || operand != NULL)
		fprintf(stderr, ": ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "%s\n", tail);
}

void
die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(NULL, fmt, ap, "");
	va_end(ap);
	exit(status);
}

void
die_on(int status, const char *operand, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(operand, fmt, ap, "");
	va_end(ap);
	exit(status);
}

void
die_usage(const char *fmt, ...)
{
	char tail[96];
	va_list ap;

	snprintf(tail, sizeof(tail), " (try '%s%s%s --help')", program,
	    ctx[0] ? " " : "", ctx);
	va_start(ap, fmt);
	vmessage(NULL, fmt, ap, tail);
	va_end(ap);
	exit(EXIT_USAGE);
}

int
complain_on(const char *operand, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(operand, fmt, ap, "");
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
die_errno(int err, const char *operand, const char *noun)
{
	die_on(status_of_errno(err), operand, "%s", errno_text(err, noun));
}
