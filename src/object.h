/*
 * What an object file (shm.c, mq.c, ...) sees of the command line: the
 * option ids of the registry (cli.c holds each one's name, letter, kind and
 * help), the typed values the CLI parsed before the handler runs, and the
 * tables an object exports: its verbs and its columns.
 */
#ifndef IPCTOOL_OBJECT_H
#define IPCTOOL_OBJECT_H

#include "infra.h"

/* Every option of the program; the registry in cli.c describes each. */
enum opt_id {
	OPT_NONE,
	OPT_JSON, OPT_TRACE, OPT_HELP, OPT_VERSION,
	OPT_OUTPUT, OPT_LIST_COLUMNS, OPT_NOHEADINGS, OPT_RAW, OPT_EXPORT,
	OPT_SIZE, OPT_MODE, OPT_EXIST_OK, OPT_OFFSET, OPT_LENGTH,
	OPT_STRING, OPT_HEX, OPT_RDONLY, OPT_TIMEOUT, OPT_OWNER, OPT_GROUP,
	OPT_TYPE, OPT_TYPES, OPT_NOWAIT,
	OPT_MAX_MESSAGES, OPT_MESSAGE_SIZE, OPT_QUEUE_BYTES, OPT_PRIORITY,
	OPT_LINES, OPT_NUL, OPT_COUNT, OPT_ALL, OPT_EXCEPT,
	OPT_TRUNCATE, OPT_INDEX, OPT_VALUE, OPT_UNDO,
	OPT_FOLLOW, OPT_READ, OPT_WRITE, OPT_STATS, OPT_PID,
	OPT_INSTALL, OPT_FORCE, OPT_LIST_APPLETS,
	OPT_OLDER_THAN, OPT_UNUSED, OPT_FLAVOR,
	OPT_NS, OPT_ALL_NAMESPACES,
	OPT_MAX_
};

/* One option a verb takes; help, when set, says what it means there. */
struct verb_opt {
	enum opt_id	 id;
	const char	*help;
};
#define VERB_OPTS_END	{ OPT_NONE, NULL }

/*
 * An option's value, parsed once by the CLI according to its kind: s is
 * the word as given ("" for a flag, NULL when absent), n the number (size,
 * int, mode, uid, gid), ts the duration.
 */
struct opt_value {
	const char	*name;		/* the long name, for messages */
	const char	*s;
	long long	 n;
	struct timespec	 ts;
};

struct call;

struct verb {
	const char	*name;
	int		(*run)(struct call *);
	const struct verb_opt *opts;
	const char	*operands;	/* synopsis of the operands */
	const char	*summary;	/* "": hidden; "=VERB": an alias */
	int		 min_args, max_args;	/* max -1: unlimited */
	const struct column *columns;	/* ls, info: takes output options */
};

struct object {
	const char	*name;
	const struct verb *verbs;
	const char	*summary;
	/* for `ipctool ls`, the completions and `ipctool limits` */
	void		(*collect)(struct recs *);
	void		(*limits)(struct recs *);
	void		(*refs)(void);	/* completion words, if not refs */
	bool		 per_ipc_ns;	/* its objects are an IPC namespace's */
};

struct call {
	const struct object *obj;
	const struct verb *verb;
	struct opt_value o[OPT_MAX_];
	int		 argc;			/* operands */
	char		**argv;
};

static inline bool
opt_set(const struct call *c, enum opt_id id)
{
	return c->o[id].s != NULL;
}

extern const struct object obj_shm;
extern const struct object obj_mq;
extern const struct object obj_sem;
extern const struct object obj_fifo;
extern const struct object obj_pipe;

/* main.c: the table of objects, for ls, limits and bench. */
const struct object *const *objects(void);
const struct object *find_object(const char *);
bool		 type_wanted(const struct call *, const char *);

/* bench.c */
int		 bench_run(struct call *);

/* sysv.c: what the System V objects share. */
struct ipc_perm;
struct sysv_kind {
	const char	*noun;			/* "shared memory segment" */
	int		(*get)(key_t);		/* existing object's id, traced */
	int		(*rmid)(int);		/* IPC_RMID, traced */
	int		(*ctl)(int, int, void *);	/* *ctl(), traced */
	int		 cmd_info, cmd_stat, cmd_stat_any;
	/*
	 * ls: /proc/sysvipc/NAME lists them all.  from_proc fills the
	 * struct *_STAT_ANY would from a line that has the proc_fields
	 * (SV_BIT), false if the object is gone; listed makes ls's record
	 * from an id and that struct, whichever way it was read.
	 */
	const char	*proc;
	unsigned long	 proc_fields;
	bool		(*from_proc)(const struct sysvipc_row *, void *);
	struct rec	*(*listed)(int, const void *);
};
/* Each System V object's calls: shm.c, mq.c, sem.c (the applets use them). */
extern const struct sysv_kind shm_kind, mq_kind, sem_kind;
int		 sysv_find(const struct sysv_kind *, const struct ref *);
int		 sysv_id(const struct sysv_kind *, const struct ref *);
int		 sysv_rm(const struct sysv_kind *, const struct ref *);
void		 rec_ipc_perm(struct rec *, const struct ipc_perm *, int);
void		 rec_posix_name(struct rec *, const char *);
struct stat;
void		 sysv_facts(struct rec *, const struct ipc_perm *, time_t,
		    enum rec_use);
void		 file_facts(struct rec *, const struct stat *, struct timespec,
		    const char *, enum rec_use);
/* filter.c: ls's --owner, --older-than, --unused and --flavor. */
void		 filter_records(const struct call *, struct recs *);
/* A file by device and inode, and their order (for qsort, bsearch). */
struct file_key {
	dev_t		 dev;
	ino_t		 ino;
};
int		 file_key_cmp(const void *, const void *);
#define LS_FILTER_OPTS \
	{ OPT_OWNER, "only objects USER owns" }, \
	{ OPT_OLDER_THAN, NULL }, \
	{ OPT_UNUSED, NULL }, \
	{ OPT_FLAVOR, NULL }
/* allns.c: ls --all-namespaces. */
void		 collect_all_namespaces(const struct call *, struct recs *);
#define LS_NS_OPT \
	{ OPT_ALL_NAMESPACES, NULL }
void		 sysv_collect(const struct sysv_kind *, struct recs *);
/*
 * sysv_walk hands each object to add (its id, the struct *_STAT_ANY
 * fills); undo, when reading /proc failed midway, to forget those added
 * before the walk starts again by index.
 */
struct sysv_sink {
	void		(*add)(void *, int, const void *);
	void		(*undo)(void *);
	void		*arg;
};
void		 sysv_walk(const struct sysv_kind *, const struct sysv_sink *);
int		 sysv_stat_any(const struct sysv_kind *, int, void *);
int		 sysv_max_index(const struct sysv_kind *);
int		 sysv_stat_index(const struct sysv_kind *, int);
struct rec	*sysv_deferred(void (*)(struct rec *, const void *),
		    const void *, size_t);
void		 add_limit(struct recs *, const char *, const char *,
		    const char *, unsigned long long, long long, bool);
const struct ref *create_ref(const struct call *, struct ref *);
void		 list_objects(const struct call *, void (*)(struct recs *));
int		 show_object(const struct call *,
		    struct rec *(*)(const struct ref *));
int		 rm_each(const struct call *, unsigned,
		    int (*)(const struct ref *));
mode_t		 create_mode(const struct call *);
void		 print_new(struct rec *);
void		 create_made(void);
void		 wait_from_options(const struct call *);

/*
 * The columns every System V object and every POSIX object has, to be
 * spliced into an object's own column table.
 */
#define NS_COLUMNS \
	{ "ns", COL_INT, COL_ALLNS | COL_RIGHT, \
	    "ls -A: the IPC namespace's inode, as lsns prints it", NULL, \
	    NULL }, \
	{ "nspid", COL_INT, COL_ALLNS | COL_RIGHT, \
	    "ls -A: a process in that namespace (for --ns)", NULL, NULL }, \
	{ "nscmd", COL_STR, COL_ALLNS, "ls -A: that process's command", \
	    NULL, NULL }
#define COMMON_COLUMNS \
	NS_COLUMNS, \
	{ "type", COL_STR, 0, "kind of object", NULL, NULL }, \
	{ "flavor", COL_STR, COL_DEFAULT, "sysv or posix", NULL, NULL }, \
	{ "ref", COL_STR, 0, "the handle info and rm accept", NULL, NULL }, \
	{ "key", COL_KEY, COL_DEFAULT, "System V key", NULL, NULL }, \
	{ "id", COL_INT, COL_DEFAULT | COL_RIGHT, "System V id", NULL, NULL }, \
	{ "name", COL_STR, COL_DEFAULT, "POSIX name", NULL, NULL }, \
	{ "owner", COL_STR, COL_DEFAULT, "owner's user name", NULL, NULL }, \
	{ "group", COL_STR, 0, "owner's group name", NULL, NULL }, \
	{ "creator", COL_STR, 0, "System V: creator's user name", NULL, \
	    NULL }, \
	{ "mode", COL_MODE, COL_DEFAULT, "permissions, octal", NULL, NULL }

#endif
