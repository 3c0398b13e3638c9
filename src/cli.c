/*
 * The command line.  One registry row per option of the whole program
 * (long name, letter, kind, bounds, help, completion values); a verb lists
 * the ids it takes.  Options are parsed once, against the verb's list plus
 * the global (and, for ls and info, the output) options, into typed values
 * before the handler runs.  --help at every level, the completion helper
 * (`ipctool __complete`) and the tests read the same rows, so nothing can
 * drift; one letter means one option everywhere.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum opt_kind { K_FLAG, K_SIZE, K_DURATION, K_MODE, K_INT, K_STRING,
    K_USER, K_GROUP, K_COLUMNS, K_TYPES, K_FLAVOR };

struct opt_def {
	enum opt_id	 id;
	const char	*name;
	int		 letter;	/* 0: long only */
	enum opt_kind	 kind;
	const char	*arg;		/* the argument's name in help */
	long long	 min, max;	/* K_INT, K_SIZE */
	const char	*help;
	const char	*values;	/* for completion: words or @kind */
};

#define FLAG(id, name, letter, help) \
	{ id, name, letter, K_FLAG, NULL, 0, 0, help, NULL }
#define ARG(id, name, letter, kind, arg, min, max, help, values) \
	{ id, name, letter, kind, arg, min, max, help, values }

static const struct opt_def registry[] = {
	FLAG(OPT_JSON, "json", 'j', "print JSON instead of text"),
	FLAG(OPT_TRACE, "trace", 0, "print each IPC system call to stderr"),
	FLAG(OPT_HELP, "help", 'h', "show this help"),
	FLAG(OPT_VERSION, "version", 'V', "show the version"),
	ARG(OPT_OUTPUT, "output", 'o', K_COLUMNS, "LIST", 0, 0,
	    "columns to show, comma-separated; +LIST adds to the default",
	    "@columns"),
	FLAG(OPT_LIST_COLUMNS, "list-columns", 0,
	    "list the columns with a line about each"),
	FLAG(OPT_NOHEADINGS, "noheadings", 'H', "print no header line"),
	FLAG(OPT_RAW, "raw", 'r',
	    "single spaces, no padding, unsafe bytes as \\xHH"),
	FLAG(OPT_EXPORT, "export", 'P',
	    "NAME=\"value\" pairs, one object a line, safe to eval"),
	ARG(OPT_SIZE, "size", 's', K_SIZE, "SIZE", 1, INT64_MAX / 2,
	    "size in bytes; suffixes K, M, G, T", NULL),
	ARG(OPT_MODE, "mode", 'm', K_MODE, "MODE", 0, 0,
	    "octal permissions (default 0600)",
	    "0600\n0640\n0644\n0660\n0666\n0400\n0440\n0444"),
	FLAG(OPT_EXIST_OK, "exist-ok", 'e', "open it if it exists"),
	ARG(OPT_OFFSET, "offset", 'O', K_SIZE, "N", 0, INT64_MAX,
	    "start at byte N (default 0)", NULL),
	ARG(OPT_LENGTH, "length", 'l', K_SIZE, "N", 0, INT64_MAX,
	    "at most N bytes", NULL),
	FLAG(OPT_STRING, "string", 0, "stop at the first NUL byte"),
	FLAG(OPT_HEX, "hex", 'x', "print a hexdump (as hexdump -C)"),
	FLAG(OPT_RDONLY, "rdonly", 'R', "attach read-only"),
	ARG(OPT_TIMEOUT, "timeout", 'w', K_DURATION, "DUR", 0, 0,
	    "wait at most DUR (exit 3)", NULL),
	ARG(OPT_OWNER, "owner", 'U', K_USER, "USER", 0, 0,
	    "owner, a user name or uid", "@user"),
	ARG(OPT_GROUP, "group", 'g', K_GROUP, "GROUP", 0, 0,
	    "group, a group name or gid", "@group"),
	ARG(OPT_TYPE, "type", 't', K_INT, "T", LONG_MIN + 1, LONG_MAX,
	    "System V message type", NULL),
	ARG(OPT_TYPES, "type", 't', K_TYPES, "TYPES", 0, 0,
	    "only these kinds, comma-separated", "@types"),
	FLAG(OPT_NOWAIT, "nowait", 'n', "exit 3 rather than wait"),
	ARG(OPT_MAX_MESSAGES, "max-messages", 'M', K_INT, "N", 1, INT_MAX,
	    "POSIX: messages the queue holds", NULL),
	ARG(OPT_MESSAGE_SIZE, "message-size", 0, K_SIZE, "SIZE", 1, INT_MAX,
	    "POSIX: largest message", NULL),
	ARG(OPT_QUEUE_BYTES, "queue-bytes", 'b', K_SIZE, "SIZE", 1, INT64_MAX,
	    "System V: bytes the queue holds (msg_qbytes)", NULL),
	ARG(OPT_PRIORITY, "priority", 'p', K_INT, "P", 0, INT_MAX,
	    "POSIX: message priority (default 0)", NULL),
	FLAG(OPT_LINES, "lines", 'L', "each line of stdin is one message"),
	FLAG(OPT_NUL, "null", '0', "NUL-ended records, not lines"),
	ARG(OPT_COUNT, "count", 'c', K_INT, "N", 1, INT_MAX,
	    "how many (default 1)", NULL),
	FLAG(OPT_ALL, "all", 'a', "every queued message, never wait"),
	FLAG(OPT_EXCEPT, "except", 0, "System V: any type but T (MSG_EXCEPT)"),
	FLAG(OPT_TRUNCATE, "truncate", 'T',
	    "System V: cut longer messages to --length"),
	ARG(OPT_INDEX, "index", 'i', K_INT, "I", 0, INT_MAX,
	    "semaphore I of the set (default 0)", NULL),
	ARG(OPT_VALUE, "value", 'v', K_STRING, "V[,V...]", 0, 0,
	    "initial value, or one for each semaphore", NULL),
	FLAG(OPT_UNDO, "undo", 'u',
	    "System V: undone when ipctool exits (SEM_UNDO)"),
	FLAG(OPT_FOLLOW, "follow", 'f', "after EOF, wait for the next writer"),
	FLAG(OPT_READ, "read", 0, "hold the read end only"),
	FLAG(OPT_WRITE, "write", 0, "hold the write end only"),
	FLAG(OPT_STATS, "stats", 'S',
	    "relay with splice(2); bytes and MiB/s to stderr"),
	ARG(OPT_PID, "pid", 0, K_INT, "PID", 1, INT_MAX,
	    "only the pipes PID holds", "@pid"),
	ARG(OPT_INSTALL, "install", 0, K_STRING, "DIR", 0, 0,
	    "make links ipcs, ipcrm and ipcmk to ipctool in DIR", "@file"),
	FLAG(OPT_FORCE, "force", 0,
	    "with --install: replace files that are not links to ipctool"),
	FLAG(OPT_LIST_APPLETS, "list-applets", 0,
	    "name the applets, one a line"),
	ARG(OPT_OLDER_THAN, "older-than", 0, K_DURATION, "DUR", 0, 0,
	    "only objects made or changed more than DUR ago", NULL),
	FLAG(OPT_UNUSED, "unused", 0,
	    "only objects nothing attaches, maps or holds open"),
	ARG(OPT_FLAVOR, "flavor", 0, K_FLAVOR, "F", 0, 0,
	    "only System V (sysv) or POSIX (posix) objects", "sysv\nposix"),
	ARG(OPT_NS, "ns", 0, K_INT, "PID", 1, INT_MAX,
	    "work on the IPC objects of process PID's namespaces", "@pid"),
	FLAG(OPT_ALL_NAMESPACES, "all-namespaces", 'A',
	    "the objects of every IPC namespace (root sees them all)"),
	{ OPT_NONE, NULL, 0, K_FLAG, NULL, 0, 0, NULL, NULL }
};

static const enum opt_id global_ids[] = {
	OPT_JSON, OPT_TRACE, OPT_HELP, OPT_VERSION, OPT_NS, OPT_NONE
};
/* Before OBJECT only: what the program as a whole does instead. */
static const enum opt_id top_ids[] = {
	OPT_INSTALL, OPT_FORCE, OPT_LIST_APPLETS, OPT_NONE
};
static const enum opt_id output_ids[] = {
	OPT_OUTPUT, OPT_LIST_COLUMNS, OPT_NOHEADINGS, OPT_RAW, OPT_EXPORT,
	OPT_NONE
};

static const struct opt_def *
opt_def(enum opt_id id)
{
	const struct opt_def *d;

	for (d = registry; d->name != NULL; d++)
		if (d->id == id)
			return d;
	die(EXIT_FAIL, "option %d is not in the registry", (int)id);
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

/* The help a verb gives its option, else the registry's. */
static const char *
opt_help(const struct verb *v, enum opt_id id)
{
	const struct verb_opt *o;

	for (o = v != NULL ? v->opts : NULL; o != NULL && o->id != OPT_NONE;
	    o++)
		if (o->id == id && o->help != NULL)
			return o->help;
	return opt_def(id)->help;
}

/* Every option a verb takes, in help order: its own, output, global. */
struct opt_set {
	enum opt_id	 ids[OPT_MAX_];
	size_t		 n;
};

static void
set_add(struct opt_set *s, enum opt_id id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return;
	s->ids[s->n++] = id;
}

static struct opt_set
verb_options(const struct verb *v)
{
	struct opt_set s = { .n = 0 };
	const struct verb_opt *o;
	size_t i;

	for (o = v != NULL ? v->opts : NULL; o != NULL && o->id != OPT_NONE;
	    o++)
		set_add(&s, o->id);
	if (v != NULL && v->columns != NULL)
		for (i = 0; output_ids[i] != OPT_NONE; i++)
			set_add(&s, output_ids[i]);
	for (i = 0; global_ids[i] != OPT_NONE; i++)
		set_add(&s, global_ids[i]);
	for (i = 0; v == NULL && top_ids[i] != OPT_NONE; i++)
		set_add(&s, top_ids[i]);
	return s;
}

/* getopt_long tables for a set of options. */
static void
build_getopt(const struct opt_set *s, struct option *lo, char *so)
{
	size_t i;

	*so++ = ':';
	for (i = 0; i < s->n; i++) {
		const struct opt_def *d = opt_def(s->ids[i]);

		lo[i] = (struct option){ d->name, d->kind == K_FLAG ?
		    no_argument : required_argument, NULL, 256 + d->id };
		if (d->letter != 0) {
			*so++ = (char)d->letter;
			if (d->kind != K_FLAG)
				*so++ = ':';
		}
	}
	lo[i] = (struct option){ NULL, 0, NULL, 0 };
	*so = '\0';
}

static enum opt_id
letter_to_id(const struct opt_set *s, int letter)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (opt_def(s->ids[i])->letter == letter)
			return s->ids[i];
	return OPT_NONE;
}

static void __attribute__((noreturn))
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
check_types(const char *list)
{
	const char *t, *end;
	char word[32];

	for (t = list; *t != '\0'; t = *end ? end + 1 : end) {
		end = t + strcspn(t, ",");
		snprintf(word, sizeof(word), "%.*s", (int)(end - t), t);
		if (find_object(word) == NULL)
			die_usage("unknown type '%s'; valid types: pipe, fifo, "
			    "shm, mq, sem", word);
	}
}

static void __attribute__((noreturn))
bad_value(const struct opt_def *d, const char *what, const char *text,
    const char *why)
{
	die_usage("invalid %s '%s' for --%s (%s)", what, text, d->name, why);
}

/* The option's argument, checked and typed by its kind. */
static void
parse_value(const struct call *c, const struct opt_def *d,
    struct opt_value *v)
{
	const char *why = NULL;
	uint64_t size;
	mode_t mode;

	switch (d->kind) {
	case K_SIZE:
		if ((why = check_size(v->s, (uint64_t)d->min, (uint64_t)d->max,
		    &size)) != NULL)
			bad_value(d, "size", v->s, why);
		v->n = (long long)size;
		break;
	case K_INT:
		if ((why = check_number(v->s, d->min, d->max, &v->n)) != NULL)
			bad_value(d, "number", v->s, why);
		break;
	case K_MODE:
		if ((why = check_mode(v->s, &mode)) != NULL)
			bad_value(d, "mode", v->s, why);
		v->n = mode;
		break;
	case K_DURATION:
		if ((why = check_duration(v->s, &v->ts)) != NULL)
			bad_value(d, "duration", v->s, why);
		break;
	case K_USER:
		v->n = parse_user(v->s);
		break;
	case K_GROUP:
		v->n = parse_group(v->s);
		break;
	case K_COLUMNS:
		if ((why = columns_check(c->verb->columns, v->s)) != NULL)
			die_usage("--output: %s", why);
		break;
	case K_TYPES:
		check_types(v->s);
		break;
	case K_FLAVOR:
		if (strcmp(v->s, "sysv") != 0 && strcmp(v->s, "posix") != 0)
			bad_value(d, "flavor", v->s, "sysv or posix");
		break;
	case K_FLAG:
	case K_STRING:
		break;
	}
}

/* What the program-wide options mean for the modules that read g. */
static void
apply_settings(const struct call *c)
{
	g.json |= opt_set(c, OPT_JSON);
	g.trace |= opt_set(c, OPT_TRACE);
	if (c->verb->columns == NULL)
		return;
	g.columns = c->o[OPT_OUTPUT].s;
	g.all_namespaces = opt_set(c, OPT_ALL_NAMESPACES);
	g.noheadings = opt_set(c, OPT_NOHEADINGS);
	g.raw = opt_set(c, OPT_RAW);
	g.export = opt_set(c, OPT_EXPORT);
	if ((g.raw || g.export) && g.json)
		die_usage("--json, --raw and --export exclude each other");
	if (g.raw && g.export)
		die_usage("--raw and --export exclude each other");
}

static void
parse_options(struct call *c, int argc, char **argv)
{
	struct opt_set s = verb_options(c->verb);
	struct option lo[s.n + 1];
	char so[2 * s.n + 2];
	size_t i;
	int ch;

	build_getopt(&s, lo, so);
	optind = 0;	/* 0, not 1: reset getopt fully, to permute again */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		enum opt_id id;

		if (ch == '?' || ch == ':')
			bad_option(argv, optopt, ch == ':');
		id = ch >= 256 ? (enum opt_id)(ch - 256) : letter_to_id(&s, ch);
		c->o[id].s = optarg != NULL ? optarg : "";
		c->o[id].name = opt_def(id)->name;
		if (id == OPT_HELP) {
			print_verb_help(c->obj, c->verb);
			exit(0);
		}
		if (id == OPT_VERSION) {
			printf("ipctool %s\n", IPCTOOL_VERSION);
			exit(0);
		}
	}
	/* --trace first, then --ns, before any value that names a user. */
	g.trace |= opt_set(c, OPT_TRACE);
	/* -A enters every namespace itself: no --ns, before or after the
	 * verb, and said before a --ns PID is looked at. */
	if (opt_set(c, OPT_ALL_NAMESPACES) &&
	    (opt_set(c, OPT_NS) || ns_entered()))
		die_usage("--all-namespaces lists every namespace; it does "
		    "not go with --ns");
	if (opt_set(c, OPT_NS)) {
		parse_value(c, opt_def(OPT_NS), &c->o[OPT_NS]);
		ns_enter((pid_t)c->o[OPT_NS].n);
	}
	for (i = 0; i < s.n; i++)
		if (opt_set(c, s.ids[i]) && s.ids[i] != OPT_NS)
			parse_value(c, opt_def(s.ids[i]), &c->o[s.ids[i]]);
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
		die_usage("unknown verb '%s'; valid verbs: %s", argv[0],
		    verb_list(o));
	set_context(o->name, c.verb->name);
	parse_options(&c, argc, argv);
	apply_settings(&c);
	if (opt_set(&c, OPT_LIST_COLUMNS)) {
		columns_help(c.verb->columns);
		return 0;
	}
	if (c.argc < c.verb->min_args)
		die_usage("missing operand: %s", c.verb->operands);
	if (c.verb->max_args >= 0 && c.argc > c.verb->max_args)
		die_usage("unexpected operand '%s'", c.argv[c.verb->max_args]);
	return c.verb->run(&c);
}

/* ---- help ---- */

static void
print_opts(const char *title, const struct verb *v, const enum opt_id *ids,
    size_t n)
{
	size_t i;

	if (n == 0)
		return;
	printf("\n%s:\n", title);
	for (i = 0; i < n; i++) {
		const struct opt_def *d = opt_def(ids[i]);
		char left[64];

		snprintf(left, sizeof(left), "%c%c%c --%s%s%s",
		    d->letter ? '-' : ' ', d->letter ? d->letter : ' ',
		    d->letter ? ',' : ' ', d->name, d->arg ? " " : "",
		    d->arg ? d->arg : "");
		printf("  %-26s %s\n", left, opt_help(v, ids[i]));
	}
}

static size_t
count_ids(const enum opt_id *ids)
{
	size_t n = 0;

	while (ids[n] != OPT_NONE)
		n++;
	return n;
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
	enum opt_id own[OPT_MAX_];
	const struct verb_opt *vo;
	size_t n = 0;

	if (v->summary[0] == '=')
		v = find_verb(o, v->summary + 1);
	for (vo = v->opts; vo != NULL && vo->id != OPT_NONE; vo++)
		own[n++] = vo->id;
	printf("Usage: %s %s%s%s\n%s\n", prog_words(o), v->name,
	    v->operands[0] ? " " : "", v->operands, v->summary);
	print_opts("Options", v, own, n);
	if (v->columns != NULL)
		print_opts("Output options", v, output_ids,
		    count_ids(output_ids));
	print_opts("Global options", v, global_ids, count_ids(global_ids));
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
		else if (v->summary[0] == '=')
			printf("  %-8s same as %s\n", v->name, v->summary + 1);
		else
			printf("  %-8s %s\n", v->name, v->summary);
	printf("\nRun '%s VERB --help' for the options of a verb.\n",
	    prog_words(o));
	out_flush_or_die();
}

/* ---- words for the completion scripts ---- */

static void
print_opt_words(const struct opt_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct opt_def *d = opt_def(s->ids[i]);

		printf("--%s\n", d->name);
		if (d->letter != 0)
			printf("-%c\n", d->letter);
	}
}

/* The registry row a word (name, --name or -x) stands for among a verb's. */
static const struct opt_def *
word_option(const struct verb *v, const char *word)
{
	struct opt_set s = verb_options(v);
	size_t i;

	for (i = 0; i < s.n; i++) {
		const struct opt_def *d = opt_def(s.ids[i]);

		if (strcmp(word, d->name) == 0 ||
		    (strncmp(word, "--", 2) == 0 &&
		    strcmp(word + 2, d->name) == 0) ||
		    (word[0] == '-' && d->letter != 0 &&
		    word[1] == d->letter && word[2] == '\0'))
			return d;
	}
	return NULL;
}

/*
 * `values OBJECT VERB OPTION`: what the option's argument may be, one
 * word a line; "@user", "@group", "@pid" and "@file" ask the shell to
 * complete those itself.  A flag, or a free argument, prints nothing.
 */
static void
print_values(const struct verb *v, const char *word)
{
	const struct opt_def *d = word_option(v, word);
	const struct object *const *op;
	const struct column *col;

	if (d == NULL || d->values == NULL)
		return;
	if (v == NULL && strcmp(d->values, "@columns") == 0)
		return;
	if (strcmp(d->values, "@columns") == 0) {
		for (col = v->columns; col != NULL && col->name != NULL; col++)
			printf("%s\n", col->name);
	} else if (strcmp(d->values, "@types") == 0) {
		for (op = objects(); *op != NULL; op++)
			printf("%s\n", (*op)->name);
	} else
		printf("%s\n", d->values);
}

/* `options`: the whole registry, "-x --name kind", for the tests. */
static void
print_registry(void)
{
	static const char *const kinds[] = {
		[K_FLAG] = "flag", [K_SIZE] = "size", [K_DURATION] = "duration",
		[K_MODE] = "mode", [K_INT] = "int", [K_STRING] = "string",
		[K_USER] = "user", [K_GROUP] = "group", [K_COLUMNS] = "columns",
		[K_TYPES] = "types", [K_FLAVOR] = "flavor",
	};
	const struct opt_def *d;

	for (d = registry; d->name != NULL; d++)
		if (d->letter != 0)
			printf("-%c --%s %s\n", d->letter, d->name, kinds[d->kind]);
		else
			printf("- --%s %s\n", d->name, kinds[d->kind]);
}

/* The top-level commands that help shows (not the hidden ones). */
static void
print_commands(const struct object *top)
{
	const struct verb *v;

	for (v = top->verbs; v->name != NULL; v++)
		if (v->summary[0] != '\0')
			printf("%s\n", v->name);
}

/*
 * `ipctool __complete words [OBJECT [VERB]]` lists what may come next,
 * one word a line; `values OBJECT VERB OPTION` an option's values;
 * `options` the registry; `commands` which of the first words are
 * top-level commands (ls, limits, ...) rather than objects.  A
 * top-level command (ls, limits, bench) stands where OBJECT and VERB do.
 */
int
complete_words(const struct object *top, int argc, char **argv)
{
	const struct object *const *op, *o = NULL;
	const struct verb *v = NULL;
	struct opt_set s;
	bool values = argc > 0 && strcmp(argv[0], "values") == 0;

	if (argc == 1 && strcmp(argv[0], "options") == 0) {
		print_registry();
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "commands") == 0) {
		print_commands(top);
		out_flush_or_die();
		return 0;
	}
	if (argc == 0 || (!values && strcmp(argv[0], "words") != 0))
		return EXIT_USAGE;
	argc--, argv++;
	if (argc >= 1 && (v = find_verb(top, argv[0])) != NULL)
		argc--, argv++;
	else if (argc >= 1 && (o = find_object(argv[0])) != NULL) {
		argc--, argv++;
		if (argc >= 1 && (v = find_verb(o, argv[0])) != NULL)
			argc--, argv++;
	}
	if (values) {
		if (argc == 1)
			print_values(v, argv[0]);
	} else if (v != NULL) {
		s = verb_options(v);
		print_opt_words(&s);
	} else if (o != NULL) {
		for (v = o->verbs; v->name != NULL; v++)
			printf("%s\n", v->name);
	} else {
		for (op = objects(); *op != NULL; op++)
			printf("%s\n", (*op)->name);
		print_commands(top);
		s = verb_options(NULL);
		print_opt_words(&s);
	}
	out_flush_or_die();
	return 0;
}

/* --ns PID's argument, checked as the registry says. */
static long long
ns_pid(const char *text)
{
	struct opt_value v = { .s = text };

	parse_value(NULL, opt_def(OPT_NS), &v);
	return v.n;
}

/* Before OBJECT: the global options, and those of the program alone. */
int
parse_global_options(int argc, char **argv, void (*usage)(FILE *),
    struct top_opts *top)
{
	struct opt_set s = verb_options(NULL);
	struct option lo[s.n + 1];
	char so[2 * s.n + 3];
	const char *ns = NULL;
	int ch;

	build_getopt(&s, lo, so + 1);
	so[0] = '+';	/* stop at OBJECT */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		enum opt_id id = ch >= 256 ? (enum opt_id)(ch - 256) :
		    letter_to_id(&s, ch);

		if (ch == '?' || ch == ':')
			die_usage("unknown option '%s'", argv[optind - 1]);
		if (id == OPT_HELP) {
			usage(stdout);
			exit(0);
		}
		if (id == OPT_VERSION) {
			printf("ipctool %s\n", IPCTOOL_VERSION);
			exit(0);
		}
		g.json |= id == OPT_JSON;
		g.trace |= id == OPT_TRACE;
		if (id == OPT_NS)
			ns = optarg;
		if (id == OPT_INSTALL)
			top->install = optarg;
		top->force |= id == OPT_FORCE;
		top->list_applets |= id == OPT_LIST_APPLETS;
	}
	if (top->force && top->install == NULL)
		die_usage("--force goes with --install DIR");
	/* Once, before any object is looked at; --trace shows the setns. */
	if (ns != NULL)
		ns_enter((pid_t)ns_pid(ns));
	return optind;
}
