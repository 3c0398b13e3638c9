/*
 * The applets: started through a link named ipcs, ipcrm or ipcmk, ipctool
 * behaves as util-linux's program of that name (2.38's options and
 * output, plus the POSIX options of 2.41).  Each is a command table of its
 * own over the same objects; only main.c and the applets include this.
 */
#ifndef IPCTOOL_APPLET_H
#define IPCTOOL_APPLET_H

#include <stdbool.h>

struct applet {
	const char	*name;
	int		(*main)(int, char **);	/* argc, argv as given */
	const char	*summary;
};

const struct applet *applet_named(const char *);
int		 applets_list(void);
int		 applets_install(const char *, bool);
int		 applet_int(const char *, const char *);
unsigned long	 applet_ulong(const char *, int, const char *);

int		 ipcs_main(int, char **);
int		 ipcrm_main(int, char **);
int		 ipcmk_main(int, char **);

#endif
