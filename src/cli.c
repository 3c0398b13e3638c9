/*
 * Command line: options of a verb are parsed against the verb's own table,
 * with the global options mixed in, so `ipctool shm ls --json` and
 * `ipctool --json shm ls` mean the same.  Help, the man page synopsis and the
 * completion words all come from the same tables.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"

static const char *const opt_names[OPT_MAX_] = {
	[OPT_JSON] = "json",		[OPT_TRACE] = "trace",
	[OPT_HELP] = "help",		[OPT_VERSION] = "version",
	[OPT_SIZE] = "size",		[OPT_MODE] = "mode",
	[OPT_EXIST_OK] = "exist-ok",	[OPT_OFFSET] = "offset",
	[OPT_LENGTH] = "length",	[OPT_STRING] = "string",
	[OPT_HEX] = "hex",		[OPT_RDONLY] = "rdonly",
	[OPT_TIMEOUT] = "timeout",	[OPT_OWNER] = "owner",
	[OPT_GROUP] = "group",		[OPT_TYPE] = "type",
	[OPT_NOWAIT] = "nowait",	[OPT_MAX_MESSAGES] = "max-messages",
	[OPT_MESSAGE_SIZE] = "message-size", [OPT_QUEUE_BYTES] = "queue-bytes",
	[OPT_PRIORITY] = "priority",	[OPT_LINES] = "lines",
	[OPT_NUL] = "null",		[OPT_COUNT] = "count",
	[OPT_ALL] = "all",		[OPT_RAW] = "raw",
	[OPT_EXCEPT] = "except",	[OPT_TRUNCATE] = "truncate",
	[OPT_INDEX] = "index",		[OPT_VALUE] = "value",
	[OPT_UNDO] = "undo",		[OPT_FOLLOW] = "follow",
	[OPT_READ] = "read",		[OPT_WRITE] = "write",
	[OPT_STATS] = "stats",		[OPT_PID] = "pid",
};

static const struct opt global_opts[] = {
	{ OPT_JSON, 'j', NULL, "print JSON instead of text" },
	{ OPT_TRACE, 0, NULL, "print each IPC system call to stderr" },
	{ OPT_HELP, 'h', NULL, "show this help" },
	{ OPT_VERSION, 'V', NULL, "show the version" },
	{ 0, 0, NULL, NULL }
};

const char *
opt_name(enum opt_id id)
{
	return opt_names[id];
}

bool
opt_set(const struct call *c, enum opt_id id)
{
	return c->opt[id] != NULL;
}

const struct verb *
find_verb(const struct object *o, const char *name)
{
	const struct verb *v;

	for (v = o->verbs; v->name != NULL; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static size_t
count_opts(const struct opt *o)
{
	size_t n = 0;

	while (o != NULL && o[n].id != OPT_NONE)
		n++;
	return n;
}

/* getopt_long tables for one verb: its own options, then the global ones. */
static void
build_getopt(const struct verb *v, struct option *lo, char *so)
{
	const struct opt *sets[2] = { v->opts, global_opts };
	size_t i, k = 0;
	char *s = so;
	int j;

	*s++ = ':';
	for (j = 0; j < 2; j++)
		for (i = 0; i < count_opts(sets[j]); i++) {
			const struct opt *o = &sets[j][i];

			lo[k++] = (struct option){ opt_names[o->id],
			    o->arg ? required_argument : no_argument, NULL,
			    256 + o->id };
			if (o->letter != 0) {
				*s++ = (char)o->letter;
				if (o->arg != NULL)
					*s++ = ':';
			}
		}
	lo[k] = (struct option){ NULL, 0, NULL, 0 };
	*s = '\0';
}

static enum opt_id
letter_to_id(const struct verb *v, int letter)
{
	const struct opt *sets[2] = { v->opts, global_opts };
	size_t i;
	int j;

	for (j = 0; j < 2; j++)
		for (i = 0; i < count_opts(sets[j]); i++)
			if (sets[j][i].letter == letter)
				return sets[j][i].id;
	return OPT_NONE;
}

static void
bad_option(char **argv, int letter, bool missing)
{
	const char *word = argv[optind - 1];

	/* In the middle of a word ("-1:2"), getopt has not yet passed it. */
	if (letter >= '0' && letter <= '9' && argv[optind] != NULL &&
	    argv[optind][0] == '-' && argv[optind][1] == letter)
		word = argv[optind];
	if (word[0] == '-' && word[1] >= '0' && word[1] <= '9')
		die_usage("invalid operand '%s': ids, pids and numbers are "
		    "never negative", word);

	if (letter != 0 && strncmp(word, "--", 2) != 0)
		die_usage("%s option '-%c'", missing ? "missing argument for" :
		    "unknown", letter);
	die_usage("%s option '%s'", missing ? "missing argument for" :
	    "unknown", word);
}

static void
apply_global(const struct call *c, enum opt_id id)
{
	switch (id) {
	case OPT_JSON:
		g.json = true;
		break;
	case OPT_TRACE:
		g.trace = true;
		break;
	case OPT_HELP:
		print_verb_help(c->obj, c->verb);
		exit(0);
	case OPT_VERSION:
		printf("ipctool %s\n", IPCTOOL_VERSION);
		exit(0);
	default:
		break;
	}
}

static void
parse_options(struct call *c, int argc, char **argv)
{
	size_t n = count_opts(c->verb->opts) + count_opts(global_opts) + 1;
	struct option lo[n];
	char so[2 * n + 2];
	int ch;

	build_getopt(c->verb, lo, so);
	optind = 0;	/* 0, not 1: reset getopt fully, to permute again */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		enum opt_id id;

		if (ch == '?' || ch == ':')
			bad_option(argv, optopt, ch == ':');
		id = ch >= 256 ? (enum opt_id)(ch - 256) :
		    letter_to_id(c->verb, ch);
		c->opt[id] = optarg != NULL ? optarg : "";
		apply_global(c, id);
	}
	c->argc = argc - optind;
	c->argv = argv + optind;
}

static const char *
verb_list(const struct object *o)
{
	static char list[512];
	const struct verb *v;

	list[0] = '\0';
	for (v = o->verbs; v->name != NULL; v++) {
		if (v->summary[0] == '\0')
			continue;	/* hidden */
		if (list[0] != '\0')
			strlcat(list, ", ", sizeof(list));
		strlcat(list, v->name, sizeof(list));
	}
	return list;
}

static void
unknown_verb(const struct object *o, const char *word)
{
	die_usage("unknown verb '%s'; valid verbs: %s", word, verb_list(o));
}

/* argv[0] is the verb. */
int
call_verb(const struct object *o, int argc, char **argv)
{
	struct call c = { .obj = o };

	set_context(o->name, NULL);
	if (argc < 1)
		die_usage("missing verb; valid verbs: %s", verb_list(o));
	if (o->name != NULL && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "help") == 0)) {
		print_object_help(o);
		return 0;
	}
	if ((c.verb = find_verb(o, argv[0])) == NULL)
		unknown_verb(o, argv[0]);
	set_context(o->name, c.verb->name);
	parse_options(&c, argc, argv);
	if (c.argc < c.verb->min_args)
		die_usage("missing operand: %s", c.verb->operands);
	if (c.verb->max_args >= 0 && c.argc > c.verb->max_args)
		die_usage("unexpected operand '%s'", c.argv[c.verb->max_args]);
	return c.verb->run(&c);
}

static void
print_opts(const struct opt *o)
{
	size_t i;

	for (i = 0; i < count_opts(o); i++) {
		char left[64];

		snprintf(left, sizeof(left), "%c%c%c --%s%s%s",
		    o[i].letter ? '-' : ' ', o[i].letter ? o[i].letter : ' ',
		    o[i].letter ? ',' : ' ', opt_names[o[i].id],
		    o[i].arg ? " " : "", o[i].arg ? o[i].arg : "");
		printf("  %-26s %s\n", left, o[i].help);
	}
}

static const char *
prog_words(const struct object *o)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "ipctool%s%s", o->name ? " " : "",
	    o->name ? o->name : "");
	return buf;
}

void
print_verb_help(const struct object *o, const struct verb *v)
{
	if (v->alias_of != NULL)
		v = find_verb(o, v->alias_of);
	printf("Usage: %s %s%s%s\n%s\n", prog_words(o), v->name,
	    v->operands[0] ? " " : "", v->operands, v->summary);
	if (count_opts(v->opts) > 0) {
		printf("\nOptions:\n");
		print_opts(v->opts);
	}
	printf("\nGlobal options:\n");
	print_opts(global_opts);
	out_flush_or_die();
}

void
print_object_help(const struct object *o)
{
	const struct verb *v;

	printf("Usage: %s VERB [OPTIONS] [OPERANDS]\n%s\n\nVerbs:\n",
	    prog_words(o), o->summary);
	for (v = o->verbs; v->name != NULL; v++)
		if (v->summary[0] == '\0')
			continue;	/* hidden */
		else if (v->alias_of != NULL)
			printf("  %-8s same as %s\n", v->name, v->alias_of);
		else
			printf("  %-8s %s\n", v->name, v->summary);
	printf("\nRun '%s VERB --help' for the options of a verb.\n",
	    prog_words(o));
	out_flush_or_die();
}

static void
print_opt_words(const struct opt *o)
{
	size_t i;

	for (i = 0; i < count_opts(o); i++) {
		printf("--%s\n", opt_names[o[i].id]);
		if (o[i].letter != 0)
			printf("-%c\n", o[i].letter);
	}
}

/*
 * For the completion scripts: `ipctool __complete words [OBJECT [VERB]]`
 * lists what may come next, one word a line, straight from the tables.
 */
void
list_words(int argc, char **argv)
{
	const struct object *const *op, *o;
	const struct verb *v;

	if (argc == 0) {
		for (op = objects(); *op != NULL; op++)
			if ((*op)->name != NULL)
				printf("%s\n", (*op)->name);
		print_opt_words(global_opts);
		return;
	}
	if ((o = find_object(argv[0])) == NULL) {
		/* A top-level command (ls, limits, bench): its options. */
		if (argc == 1 && (v = find_verb(top_object(), argv[0])) != NULL) {
			print_opt_words(v->opts);
			print_opt_words(global_opts);
		}
		return;
	}
	if (argc == 1) {
		for (v = o->verbs; v->name != NULL; v++)
			printf("%s\n", v->name);
		return;
	}
	if ((v = find_verb(o, argv[1])) == NULL)
		return;
	print_opt_words(v->opts);
	print_opt_words(global_opts);
}
