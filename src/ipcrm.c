/*
 * The ipcrm applet (see applet.h): util-linux 2.38's ipcrm, options,
 * stdout and exit statuses as observed, plus 2.41's POSIX options.  Each
 * -m/-M/-q/-Q/-s/-S acts as getopt meets it; -a waits until every option
 * is read (so -a -v is verbose); one that fails is reported and the rest
 * still go; the status is 1 if any failed.  Usage errors exit 1, as
 * util-linux's do.  The System V calls are the objects' own (struct
 * sysv_kind), the POSIX removal is each object's rm verb.
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applet.h"
#include "object.h"

static const char usage_text[] =
"\n"
"Usage:\n"
" ipcrm [options]\n"
" ipcrm shm|msg|sem <id>...\n"
"\n"
"Remove certain IPC resources.\n"
"\n"
"Options:\n"
" -m, --shmem-id <id>        remove shared memory segment by id\n"
" -M, --shmem-key <key>      remove shared memory segment by key\n"
" -x, --posix-shmem <name>   remove POSIX shared memory segment by name\n"
" -q, --queue-id <id>        remove message queue by id\n"
" -Q, --queue-key <key>      remove message queue by key\n"
" -y, --posix-mqueue <name>  remove POSIX message queue by name\n"
" -s, --semaphore-id <id>    remove semaphore by id\n"
" -S, --semaphore-key <key>  remove semaphore by key\n"
" -z, --posix-semaphore <name> remove POSIX semaphore by name\n"
" -a, --all[=shm|pshm|msg|pmsg|sem|psem]\n"
"                            remove all (in the specified category)\n"
" -v, --verbose              explain what is being done\n"
"\n"
" -h, --help                 display this help\n"
" -V, --version              display version\n"
"\n"
"For more details see ipctool-applets(7).\n";

/* What -a walks, in util-linux's order, and what each option names. */
enum rm_what { RM_SHM, RM_PSHM, RM_SEM, RM_PSEM, RM_MSG, RM_PMSG, RM_N_ };

static const struct rm_kind {
	const char	*word;		/* --all=WORD, old form's first word */
	const char	*noun;		/* in -v lines */
	const struct sysv_kind *sysv;	/* NULL: POSIX */
	const struct object *obj;
} kinds[RM_N_] = {
	[RM_SHM] = { "shm", "shared memory segment", &shm_kind, &obj_shm },
	[RM_PSHM] = { "pshm", "POSIX shared memory segment", NULL, &obj_shm },
	[RM_SEM] = { "sem", "semaphore", &sem_kind, &obj_sem },
	[RM_PSEM] = { "psem", "POSIX semaphore", NULL, &obj_sem },
	[RM_MSG] = { "msg", "message queue", &mq_kind, &obj_mq },
	[RM_PMSG] = { "pmsg", "POSIX message queue", NULL, &obj_mq },
};

static bool verbose;

static void __attribute__((noreturn))
bad_usage(const char *fmt, const char *word)
{
	if (fmt != NULL)
		warnx(fmt, word);
	fprintf(stderr, "Try 'ipcrm --help' for more information.\n");
	exit(EXIT_FAIL);
}

/* An -m/-q/-s id: decimal, as a 32-bit int; else exit 1 at once. */
static int
option_id(const char *text)
{
	return applet_int(text, "argument");
}

/* A -M/-Q/-S key: C notation (0x, 0), as an unsigned long cut to key_t. */
static key_t
option_key(const char *text)
{
	return (key_t)applet_ulong(text, 0, "argument");
}

static int
rm_failed(int err, const char *what, const char *text)
{
	if (err == EACCES || err == EPERM)
		warnx("permission denied for %s (%s)", what, text);
	else if (err == EINVAL || err == EIDRM || err == ENOENT)
		warnx("invalid %s (%s)", what, text);
	else
		warnx("%s (%s): %s", what, text, strerror(err));
	return EXIT_FAIL;
}

/* IPC_RMID on an id; text is how to name it in a message. */
static int
rm_sysv_id(const struct rm_kind *k, int id, const char *what,
    const char *text)
{
	char buf[16];

	if (verbose) {
		printf("removing %s id `%d'\n", k->noun, id);
		fflush(stdout);
	}
	if (k->sysv->rmid(id) == 0)
		return 0;
	if (text == NULL) {
		snprintf(buf, sizeof(buf), "%d", id);
		text = buf;
	}
	return rm_failed(errno, what, text);
}

static int
rm_sysv_key(const struct rm_kind *k, key_t key, const char *text)
{
	int id;

	if (key == IPC_PRIVATE) {
		warnx("illegal key (%s)", text);
		return EXIT_FAIL;
	}
	if ((id = k->sysv->get(key)) == -1)
		return rm_failed(errno, "key", text);
	return rm_sysv_id(k, id, "key", text);
}

/*
 * A POSIX name, "/" added when it has none, through the object's rm verb
 * (its checks, its messages under our name).
 */
static int
rm_posix(const struct rm_kind *k, const char *name)
{
	const struct verb *v;
	struct call c;
	struct ref r;
	char full[NAME_MAX + 2], why[128];
	char *argv[2] = { full, NULL };

	snprintf(full, sizeof(full), "%s%s", name[0] == '/' ? "" : "/", name);
	if (check_ref(full, REF_POSIX, &r, why, sizeof(why)) != NULL) {
		warnx("invalid name (%s)", name);
		return EXIT_FAIL;
	}
	if (verbose) {
		printf("removing %s `%s'\n", k->noun, full);
		fflush(stdout);
	}
	for (v = k->obj->verbs; v->name != NULL; v++)
		if (strcmp(v->name, "rm") == 0)
			break;
	memset(&c, 0, sizeof(c));
	c.obj = k->obj;
	c.verb = v;
	c.argc = 1;
	c.argv = argv;
	return v->run(&c) == 0 ? 0 : EXIT_FAIL;
}

/*
 * Every System V object of a kind that we may read, by index: *_STAT, not
 * *_STAT_ANY, since util-linux's -a passes over those it cannot read
 * (observed: nobody's ipcrm -a leaves root's 0600 segment unnamed).
 */
static int
rm_all_sysv(const struct rm_kind *k)
{
	int i, id, max, status = 0;

	max = sysv_max_index(k->sysv);
	for (i = 0; i <= max; i++) {
		if ((id = sysv_stat_index(k->sysv, i)) != -1 &&
		    rm_sysv_id(k, id, "id", NULL) != 0)
			status = EXIT_FAIL;
	}
	return status;
}

/* Every POSIX object of a kind: the object's own listing. */
static int
rm_all_posix(const struct rm_kind *k)
{
	struct recs rs = { NULL, 0, 0 };
	const char *flavor, *name;
	size_t i;
	int status = 0;

	k->obj->collect(&rs);
	for (i = 0; i < rs.n; i++) {
		flavor = rec_get_str(rs.v[i], "flavor");
		name = rec_get_str(rs.v[i], "name");
		if (flavor != NULL && strcmp(flavor, "posix") == 0 &&
		    name != NULL && rm_posix(k, name) != 0)
			status = EXIT_FAIL;
	}
	recs_free(&rs);
	return status;
}

/* --all[=WORD]: the kinds it names, a bit each; the last one given wins. */
static unsigned
all_mask(const char *word)
{
	unsigned i;

	if (word == NULL)
		return (1u << RM_N_) - 1;
	for (i = 0; i < RM_N_; i++)
		if (strcmp(word, kinds[i].word) == 0)
			return 1u << i;
	errx(EXIT_FAIL, "unknown argument: %s", word);
}

/* The old form: ipcrm shm|msg|sem ID... */
static int
old_form(const struct rm_kind *k, int argc, char **argv)
{
	int i, status = 0;
	char *end;
	long v;

	if (argc < 3)
		bad_usage("not enough arguments", NULL);
	for (i = 2; i < argc; i++) {
		errno = 0;
		v = strtol(argv[i], &end, 10);
		if (errno != 0 || end == argv[i] || *end != '\0') {
			warnx("invalid id: %s", argv[i]);
			status = EXIT_FAIL;
			continue;
		}
		if (rm_sysv_id(k, (int)v, "id", NULL) != 0)
			status = EXIT_FAIL;
	}
	/* util-linux says so only when every id went. */
	if (status == 0)
		puts("resource(s) deleted");
	return status;
}

static const struct option longopts[] = {
	{ "shmem-id", required_argument, NULL, 'm' },
	{ "shmem-key", required_argument, NULL, 'M' },
	{ "posix-shmem", required_argument, NULL, 'x' },
	{ "queue-id", required_argument, NULL, 'q' },
	{ "queue-key", required_argument, NULL, 'Q' },
	{ "posix-mqueue", required_argument, NULL, 'y' },
	{ "semaphore-id", required_argument, NULL, 's' },
	{ "semaphore-key", required_argument, NULL, 'S' },
	{ "posix-semaphore", required_argument, NULL, 'z' },
	{ "all", optional_argument, NULL, 'a' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
ipcrm_main(int argc, char **argv)
{
	unsigned all = 0, i;
	int ch, status = 0;

	for (i = 0; i < RM_N_; i++)
		if (kinds[i].sysv != NULL && argc > 1 &&
		    strcmp(argv[1], kinds[i].word) == 0)
			return old_form(&kinds[i], argc, argv);
	while ((ch = getopt_long(argc, argv, "m:M:x:q:Q:y:s:S:z:a::vhV", longopts,
	    NULL)) != -1) {
		int rc = 0;

		switch (ch) {
		case 'm':
			rc = rm_sysv_id(&kinds[RM_SHM], option_id(optarg),
			    "id", NULL);
			break;
		case 'q':
			rc = rm_sysv_id(&kinds[RM_MSG], option_id(optarg),
			    "id", NULL);
			break;
		case 's':
			rc = rm_sysv_id(&kinds[RM_SEM], option_id(optarg),
			    "id", NULL);
			break;
		case 'M':
			rc = rm_sysv_key(&kinds[RM_SHM], option_key(optarg),
			    optarg);
			break;
		case 'Q':
			rc = rm_sysv_key(&kinds[RM_MSG], option_key(optarg),
			    optarg);
			break;
		case 'S':
			rc = rm_sysv_key(&kinds[RM_SEM], option_key(optarg),
			    optarg);
			break;
		case 'x':
			rc = rm_posix(&kinds[RM_PSHM], optarg);
			break;
		case 'y':
			rc = rm_posix(&kinds[RM_PMSG], optarg);
			break;
		case 'z':
			rc = rm_posix(&kinds[RM_PSEM], optarg);
			break;
		case 'a':
			all = all_mask(optarg);
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			out_flush_or_die();
			exit(0);
		case 'V':
			printf("ipcrm from ipctool %s\n", IPCTOOL_VERSION);
			out_flush_or_die();
			exit(0);
		default:
			bad_usage(NULL, NULL);
		}
		if (rc != 0)
			status = EXIT_FAIL;
	}
	if (optind < argc)
		bad_usage("unknown argument: %s", argv[optind]);
	for (i = 0; i < RM_N_; i++)
		if ((all & (1u << i)) != 0 && (kinds[i].sysv != NULL ?
		    rm_all_sysv(&kinds[i]) : rm_all_posix(&kinds[i])) != 0)
			status = EXIT_FAIL;
	out_flush_or_die();
	return status;
}
