/*
 * ipctool: one command for every kind of Linux IPC object.
 * main.c: global options, the table of objects and the top-level commands
 * (ls, limits, help), and exact-name dispatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applet.h"
#include "cli.h"

static const struct verb top_verbs[];
static const struct object obj_top = { NULL, top_verbs,
    "Create, inspect, use and remove Linux IPC objects.", NULL, NULL,
    NULL, false };
static const struct column ls_columns[], limits_columns[];

static const struct object *const object_table[] = {
	&obj_pipe,
	&obj_fifo,
	&obj_shm,
	&obj_mq,
	&obj_sem,
	NULL
};

const struct object *const *
objects(void)
{
	return object_table;
}

const struct object *
find_object(const char *name)
{
	const struct object *const *o;

	for (o = object_table; *o != NULL; o++)
		if (strcmp((*o)->name, name) == 0)
			return *o;
	return NULL;
}

static void
main_usage(FILE *fp)
{
	const struct object *const *o;
	const struct verb *v;

	fprintf(fp, "Usage: ipctool [--json] [--trace] [--ns PID] OBJECT VERB "
	    "[OPTIONS] "
	    "[OPERANDS]\n       ipctool ls | limits | bench | help [OBJECT [VERB]]\n\n"
	    "Objects:\n");
	for (o = object_table; *o != NULL; o++)
		fprintf(fp, "  %-8s %s\n", (*o)->name, (*o)->summary);
	fprintf(fp, "\nCommands:\n");
	for (v = top_verbs; v->name != NULL; v++)
		if (v->summary[0] != '\0')
			fprintf(fp, "  %-8s %s\n", v->name, v->summary);
	fprintf(fp, "\nGlobal options: -j/--json, --trace, --ns PID, -h/--help, "
	    "-V/--version\n  (see 'ipctool ls --help')\n"
	    "Applets: --list-applets, --install DIR [--force] (links ipcs, "
	    "ipcrm, ipcmk;\n  see ipctool-applets(7))\n\n"
	    "Run 'ipctool OBJECT --help' for its verbs; see ipctool(1).\n");
}

/* `--type shm,mq`: which objects `ls`, `limits` and `bench` look at. */
bool
type_wanted(const struct call *c, const char *name)
{
	const char *t = c->o[OPT_TYPES].s, *end;

	if (t == NULL)
		return true;
	for (; *t != '\0'; t = *end ? end + 1 : end) {
		end = t + strcspn(t, ",");
		if ((size_t)(end - t) == strlen(name) &&
		    strncmp(t, name, (size_t)(end - t)) == 0)
			return true;
	}
	return false;
}

static int
top_ls(struct call *c)
{
	const struct object *const *o;
	struct recs rs = { NULL, 0, 0 };

	out_listing(ls_columns);
	if (opt_set(c, OPT_ALL_NAMESPACES))
		collect_all_namespaces(c, &rs);
	else
		for (o = object_table; *o != NULL; o++)
			if ((*o)->collect != NULL &&
			    type_wanted(c, (*o)->name))
				(*o)->collect(&rs);
	filter_records(c, &rs);
	out_table(ls_columns, rs.v, rs.n);
	out_listing(NULL);
	recs_free(&rs);
	return 0;
}

static int
top_limits(struct call *c)
{
	const struct object *const *o;
	struct recs rs = { NULL, 0, 0 };

	for (o = object_table; *o != NULL; o++)
		if ((*o)->limits != NULL && type_wanted(c, (*o)->name))
			(*o)->limits(&rs);
	out_table(limits_columns, rs.v, rs.n);
	recs_free(&rs);
	return 0;
}

static int
top_bench(struct call *c)
{
	return bench_run(c);
}

static int
top_help(struct call *c)
{
	const struct object *o;
	const struct verb *v;

	if (c->argc == 0) {
		main_usage(stdout);
		return 0;
	}
	if ((o = find_object(c->argv[0])) == NULL)
		die_usage("unknown object '%s'", c->argv[0]);
	if (c->argc == 1) {
		print_object_help(o);
		return 0;
	}
	if ((v = find_verb(o, c->argv[1])) == NULL)
		die_usage("unknown verb '%s %s'", c->argv[0], c->argv[1]);
	print_verb_help(o, v);
	return 0;
}

/*
 * `__complete refs OBJECT`: the handles of the objects there are now, for
 * the completion scripts.  (`__complete words|values|registry` is cli.c's.)
 */
static int
complete_refs(int argc, char **argv)
{
	static const struct column ref_only[] = {
		{ "ref", COL_STR, COL_DEFAULT, "handle", NULL, NULL },
		COLUMNS_END
	};
	const struct object *o;
	struct recs rs = { NULL, 0, 0 };

	if (argc != 2 || (o = find_object(argv[1])) == NULL ||
	    o->collect == NULL)
		return EXIT_USAGE;
	if (o->refs != NULL) {
		o->refs();
		return 0;
	}
	g = (struct settings){ .raw = true, .noheadings = true };
	out_listing(ref_only);
	o->collect(&rs);
	out_table(ref_only, rs.v, rs.n);
	recs_free(&rs);
	return 0;
}

static const struct verb_opt types_opts[] = {
	{ OPT_TYPES, NULL },
	VERB_OPTS_END
};

static const struct verb_opt ls_opts[] = {
	{ OPT_TYPES, NULL },
	LS_NS_OPT,
	LS_FILTER_OPTS,
	VERB_OPTS_END
};

static const struct verb_opt bench_opts[] = {
	{ OPT_TYPES, NULL },
	{ OPT_SIZE, "bytes moved for throughput (default 64M)" },
	{ OPT_COUNT, "round trips for latency (default 10000)" },
	VERB_OPTS_END
};

static const struct column ls_columns[] = {
	NS_COLUMNS,
	{ "type", COL_STR, COL_DEFAULT, "kind of object", NULL, NULL },
	{ "flavor", COL_STR, COL_DEFAULT, "sysv or posix", NULL, NULL },
	{ "ref", COL_STR, COL_DEFAULT, "the handle its info and rm accept",
	    NULL, NULL },
	{ "key", COL_KEY, COL_DEFAULT, "System V key", NULL, NULL },
	{ "id", COL_INT, COL_DEFAULT | COL_RIGHT, "System V id", NULL, NULL },
	{ "name", COL_STR, COL_DEFAULT, "POSIX name or FIFO path", "path",
	    NULL },
	{ "inode", COL_INT, COL_RIGHT, "pipe or FIFO inode", NULL, NULL },
	{ "owner", COL_STR, COL_DEFAULT, "owner's user name", NULL, NULL },
	{ "group", COL_STR, 0, "owner's group name", NULL, NULL },
	{ "mode", COL_MODE, COL_DEFAULT, "permissions, octal", NULL, NULL },
	{ "size", COL_SIZE, COL_DEFAULT | COL_RIGHT,
	    "bytes: segment size, or bytes queued in a pipe or FIFO", "queued",
	    NULL },
	{ "ctime", COL_TIME, 0, "last change", NULL, NULL },
	COLUMNS_END
};

static const struct column limits_columns[] = {
	{ "type", COL_STR, COL_DEFAULT, "kind of object", NULL, NULL },
	{ "flavor", COL_STR, COL_DEFAULT, "sysv, posix or none", NULL, NULL },
	{ "resource", COL_STR, COL_DEFAULT, "what is limited (and the knob)",
	    NULL, NULL },
	{ "limit", COL_SIZE, COL_DEFAULT | COL_RIGHT, "the kernel's limit",
	    NULL, NULL },
	{ "used", COL_SIZE, COL_DEFAULT | COL_RIGHT, "how much is in use",
	    NULL, NULL },
	COLUMNS_END
};

static const struct verb top_verbs[] = {
	{ "ls", top_ls, ls_opts, "",
	    "list every IPC object of every kind", 0, 0, ls_columns },
	{ "limits", top_limits, types_opts, "",
	    "show the kernel's IPC limits and their use", 0, 0,
	    limits_columns },
	{ "bench", top_bench, bench_opts, "",
	    "measure throughput and round-trip time of each kind", 0, 0,
	    NULL },
	{ "help", top_help, NULL, "[OBJECT [VERB]]", "show help", 0, 2, NULL },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};

static void __attribute__((noreturn))
unknown_object(const char *word)
{
	const struct object *const *o;
	char list[256] = "";

	for (o = object_table; *o != NULL; o++) {
		strlcat(list, list[0] ? ", " : "", sizeof(list));
		strlcat(list, (*o)->name, sizeof(list));
	}
	die_usage("unknown object '%s'; valid objects: %s; commands: ls, "
	    "limits, bench, help", word, list);
}

int
main(int argc, char **argv)
{
	const struct object *o;
	const struct applet *a;
	struct top_opts top = { NULL, false, false };

	guard_std_fds();
	/* Started as ipcs, ipcrm or ipcmk (a link): that program instead. */
	if ((a = applet_named(argv[0])) != NULL) {
		set_program(a->name);
		return a->main(argc, argv);
	}
	if (argc > 1 && strcmp(argv[1], "__complete") == 0) {
		if (argc > 2 && strcmp(argv[2], "refs") == 0)
			return complete_refs(argc - 2, argv + 2);
		return complete_words(&obj_top, argc - 2, argv + 2);
	}
	optind = parse_global_options(argc, argv, main_usage, &top);
	argc -= optind;
	argv += optind;
	if (top.install != NULL || top.list_applets) {
		if (argc > 0)
			die_usage("unexpected operand '%s'", argv[0]);
		if (top.list_applets)
			return applets_list();
		return applets_install(top.install, top.force);
	}
	if (argc == 0) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	if ((o = find_object(argv[0])) != NULL)
		return call_verb(o, argc - 1, argv + 1);
	if (find_verb(&obj_top, argv[0]) != NULL)
		return call_verb(&obj_top, argc, argv);
	unknown_object(argv[0]);
}
