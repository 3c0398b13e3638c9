/*
 * Dispatch by program name, and the links that make it happen: a
 * busybox-style binary carries ipcs, ipcrm and ipcmk.
 */
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "infra.h"

static const struct applet applets[] = {
	{ "ipcs", ipcs_main, "show System V (and POSIX) IPC objects" },
	{ "ipcrm", ipcrm_main, "remove IPC objects" },
	{ "ipcmk", ipcmk_main, "make IPC objects" },
	{ NULL, NULL, NULL },
};

/* The applet a program name (any directory part dropped) selects. */
const struct applet *
applet_named(const char *argv0)
{
	const struct applet *a;
	const char *base;

	if (argv0 == NULL)
		return NULL;
	base = strrchr(argv0, '/') != NULL ? strrchr(argv0, '/') + 1 : argv0;
	for (a = applets; a->name != NULL; a++)
		if (strcmp(base, a->name) == 0)
			return a;
	return NULL;
}

/* --list-applets: one name a line, for scripts. */
int
applets_list(void)
{
	const struct applet *a;

	for (a = applets; a->name != NULL; a++)
		printf("%s\n", a->name);
	out_flush_or_die();
	return 0;
}

/*
 * Whether PATH may be (re)made a link to SELF: absent, or already a link
 * to this binary (a symlink that leads to it, or a hard link), or anything
 * but a directory when forced.  NULL, or why not.
 */
static const char *
install_refused(const char *path, const struct stat *self, bool force)
{
	struct stat l, t;

	if (lstat(path, &l) == -1)
		return errno == ENOENT ? NULL : strerror(errno);
	if (S_ISDIR(l.st_mode))
		return "is a directory";
	if ((S_ISLNK(l.st_mode) && stat(path, &t) == 0 &&
	    t.st_dev == self->st_dev && t.st_ino == self->st_ino) ||
	    (l.st_dev == self->st_dev && l.st_ino == self->st_ino) || force)
		return NULL;
	return "exists and is not a link to ipctool (--force replaces it)";
}

/*
 * --install DIR: a symlink DIR/NAME -> the absolute path of this binary
 * for each applet.  Every path is checked before any is made, and each
 * link is made under a temporary name and renamed into place, so a
 * refusal leaves DIR as it was and a reader never sees a half-made link.
 */
int
applets_install(const char *dir, bool force)
{
	const struct applet *a;
	char self[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
	const char *why;
	struct stat st, dst;
	ssize_t n;

	set_context("--install", NULL);
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1)
		die(EXIT_FAIL, "/proc/self/exe: %s", strerror(errno));
	self[n] = '\0';
	if (stat(self, &st) == -1)
		die(EXIT_FAIL, "%s: %s", self, strerror(errno));
	if (stat(dir, &dst) == -1 || !S_ISDIR(dst.st_mode))
		die_on(EXIT_FAIL, dir, "%s", stat(dir, &dst) == -1 ?
		    strerror(errno) : "not a directory");
	for (a = applets; a->name != NULL; a++) {
		snprintf(path, sizeof(path), "%s/%s", dir, a->name);
		if ((why = install_refused(path, &st, force)) != NULL)
			die_on(EXIT_FAIL, path, "%s", why);
	}
	for (a = applets; a->name != NULL; a++) {
		snprintf(path, sizeof(path), "%s/%s", dir, a->name);
		snprintf(tmp, sizeof(tmp), "%s/.%s.ipctool-%ld", dir, a->name,
		    (long)getpid());
		if (symlink(self, tmp) == -1)
			die_on(EXIT_FAIL, path, "%s", strerror(errno));
		if (rename(tmp, path) == -1) {
			int err = errno;

			unlink(tmp);
			die_on(EXIT_FAIL, path, "%s", strerror(err));
		}
	}
	return 0;
}

/* After strto*: exit 1, naming WHAT, unless all of TEXT was a number. */
static void
applet_parsed(const char *text, const char *end, const char *what)
{
	if (errno == ERANGE)
		errx(EXIT_FAIL, "failed to parse %s: '%s': %s", what, text,
		    strerror(ERANGE));
	if (end == text || *end != '\0')
		errx(EXIT_FAIL, "failed to parse %s: '%s'", what, text);
}

/*
 * A decimal int as util-linux's applets read one (spaces and a sign
 * first are fine); else "failed to parse WHAT" and exit 1 at once.
 */
int
applet_int(const char *text, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		errno = ERANGE;
	applet_parsed(text, end, what);
	return (int)v;
}

/*
 * An unsigned number in BASE (0: C notation), whole, or exit 1 as
 * applet_int does; as strtoul, a value too large is an error.
 */
unsigned long
applet_ulong(const char *text, int base, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, base);
	applet_parsed(text, end, what);
	return v;
}
