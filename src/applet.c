/*
 * Dispatch by program name, and the links that make it happen: a
 * busybox-style binary carries ipcs, ipcrm and ipcmk.
 */
#include <stdio.h>
#include <string.h>

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

int
applets_install(const char *dir, bool force)
{
	(void)dir;
	(void)force;
	die(EXIT_FAIL, "--install: not built yet");
}
