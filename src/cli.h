/*
 * The command line: the option registry, parsing a verb's options once
 * into typed values, help at every level and the words the completion
 * scripts ask for.  Only main.c and cli.c include this.
 */
#ifndef IPCTOOL_CLI_H
#define IPCTOOL_CLI_H

#include "object.h"

int		 call_verb(const struct object *, int, char **);
void		 print_object_help(const struct object *);
void		 print_verb_help(const struct object *, const struct verb *);
const struct verb *find_verb(const struct object *, const char *);
int		 complete_words(const struct object *, int, char **);
/* What the options before OBJECT ask of the program as a whole. */
struct top_opts {
	const char	*install;	/* --install DIR */
	bool		 force;
	bool		 list_applets;
};
int		 parse_global_options(int, char **, void (*)(FILE *),
		    struct top_opts *);

#endif
