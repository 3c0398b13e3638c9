/*
 * ipctool: one command for every kind of Linux IPC object.
 * main.c: global options, the table of objects and the top-level commands
 * (ls, limits, help), and exact-name dispatch.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"

struct globals g;

static const struct verb top_verbs[];
static const struct object obj_top = { NULL, top_verbs,
    "Create, inspect, use and remove Linux IPC objects.", NULL, NULL,
    NULL };

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
top_object(void)
{
	return &obj_top;
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

	fprintf(fp, "Usage: ipctool [--json] [--trace] OBJECT VERB [OPTIONS] "
	    "[OPERANDS]\n       ipctool ls | limits | bench | help [OBJECT [VERB]]\n\n"
	    "Objects:\n");
	for (o = object_table; *o != NULL; o++)
		fprintf(fp, "  %-8s %s\n", (*o)->name, (*o)->summary);
	fprintf(fp, "\nCommands:\n");
	for (v = top_verbs; v->name != NULL; v++)
		if (v->summary[0] != '\0')
			fprintf(fp, "  %-8s %s\n", v->name, v->summary);
	fprintf(fp, "\nGlobal options:\n"
	    "  -j, --json     print JSON instead of text\n"
	    "      --trace    print each IPC system call to stderr\n"
	    "  -h, --help     show help; after OBJECT or VERB, its help\n"
	    "  -V, --version  show the version\n\n"
	    "Run 'ipctool OBJECT --help' for its verbs; see ipctool(1).\n");
}

/* `--type shm,mq`: which objects `ls`, `limits` and `bench` look at. */
bool
type_wanted(const struct call *c, const char *name)
{
	const char *t = c->opt[OPT_TYPE], *end;

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

static void
check_types(const struct call *c)
{
	const char *t = c->opt[OPT_TYPE], *end;
	char word[32];

	for (; t != NULL && *t != '\0'; t = *end ? end + 1 : end) {
		end = t + strcspn(t, ",");
		snprintf(word, sizeof(word), "%.*s", (int)(end - t), t);
		if (find_object(word) == NULL)
			die_usage("unknown type '%s'", word);
	}
}

static int
top_ls(struct call *c)
{
	const struct object *const *o;
	struct recs rs = { NULL, 0, 0 };

	check_types(c);
	for (o = object_table; *o != NULL; o++)
		if ((*o)->collect != NULL && type_wanted(c, (*o)->name))
			(*o)->collect(&rs);
	out_table(rs.v, rs.n, "type,flavor,key,id,name|path|inode,owner,mode,size|queued");
	recs_free(&rs);
	return 0;
}

static int
top_limits(struct call *c)
{
	const struct object *const *o;
	struct recs rs = { NULL, 0, 0 };

	check_types(c);
	for (o = object_table; *o != NULL; o++)
		if ((*o)->limits != NULL && type_wanted(c, (*o)->name))
			(*o)->limits(&rs);
	out_table(rs.v, rs.n, "type,flavor,resource,limit,used");
	recs_free(&rs);
	return 0;
}

static int
top_bench(struct call *c)
{
	check_types(c);
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

/* Completion scripts: `words [OBJECT [VERB]]` or `refs OBJECT`. */
static int
top_complete(struct call *c)
{
	const struct object *o;
	struct recs rs = { NULL, 0, 0 };
	size_t i;

	if (c->argc >= 1 && strcmp(c->argv[0], "words") == 0) {
		list_words(c->argc - 1, c->argv + 1);
		return 0;
	}
	if (c->argc != 2 || strcmp(c->argv[0], "refs") != 0 ||
	    (o = find_object(c->argv[1])) == NULL || o->collect == NULL)
		return EXIT_USAGE;
	if (o->refs != NULL) {
		o->refs();
		return 0;
	}
	o->collect(&rs);
	g.json = false;
	for (i = 0; i < rs.n; i++)
		printf("%s\n", rec_handle(rs.v[i]));
	recs_free(&rs);
	return 0;
}

static const struct opt type_opts[] = {
	{ OPT_TYPE, 't', "TYPES", "only these kinds, comma-separated" },
	{ 0, 0, NULL, NULL }
};

static const struct opt bench_opts[] = {
	{ OPT_TYPE, 't', "TYPES", "only these kinds, comma-separated" },
	{ OPT_SIZE, 's', "SIZE", "bytes moved for throughput (default 64M)" },
	{ OPT_COUNT, 'c', "N", "round trips for latency (default 10000)" },
	{ 0, 0, NULL, NULL }
};

static const struct verb top_verbs[] = {
	{ "ls", top_ls, type_opts, "",
	    "list every IPC object of every kind", 0, 0, NULL },
	{ "limits", top_limits, type_opts, "",
	    "show the kernel's IPC limits and their use", 0, 0, NULL },
	{ "bench", top_bench, bench_opts, "",
	    "measure throughput and round-trip time of each kind", 0, 0,
	    NULL },
	{ "help", top_help, NULL, "[OBJECT [VERB]]", "show help", 0, 2,
	    NULL },
	{ "__complete", top_complete, NULL, "words|refs ...", "", 0, -1,
	    NULL },
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
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "trace", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct object *o;
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:jhV", lo, NULL)) != -1) {
		switch (ch) {
		case 'j':
			g.json = true;
			break;
		case 'T':
			g.trace = true;
			break;
		case 'h':
			main_usage(stdout);
			return 0;
		case 'V':
			printf("ipctool %s\n", IPCTOOL_VERSION);
			return 0;
		default:
			die_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
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
