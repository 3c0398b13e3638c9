/*
 * ipctool: shared declarations.  Each object file (shm.c, ...) exports one
 * table of verbs; main.c holds the table of objects; cli.c turns a command
 * line into a struct call with options parsed against the verb's table.
 */
#ifndef IPCTOOL_H
#define IPCTOOL_H

#include <sys/types.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_BLOCK	3	/* would block (--nowait) or timed out */

/* Every long option any verb accepts.  The names live in cli.c. */
enum opt_id {
	OPT_NONE,
	OPT_JSON, OPT_TRACE, OPT_HELP, OPT_VERSION,
	OPT_SIZE, OPT_MODE, OPT_EXIST_OK, OPT_OFFSET, OPT_LENGTH,
	OPT_STRING, OPT_HEX, OPT_RDONLY, OPT_TIMEOUT, OPT_OWNER, OPT_GROUP,
	OPT_TYPE, OPT_NOWAIT,
	OPT_MAX_MESSAGES, OPT_MESSAGE_SIZE, OPT_QUEUE_BYTES, OPT_PRIORITY,
	OPT_LINES, OPT_NUL, OPT_COUNT, OPT_ALL, OPT_RAW, OPT_EXCEPT,
	OPT_TRUNCATE, OPT_INDEX, OPT_VALUE, OPT_UNDO,
	OPT_FOLLOW, OPT_READ, OPT_WRITE, OPT_STATS, OPT_PID,
	OPT_MAX_
};

/* One option of one verb: the short letter and help belong to the verb. */
struct opt {
	enum opt_id	 id;
	int		 letter;	/* 0: long only */
	const char	*arg;		/* NULL: a flag */
	const char	*help;
};

struct call;

struct verb {
	const char	*name;
	int		(*run)(struct call *);
	const struct opt *opts;
	const char	*operands;	/* synopsis of the operands */
	const char	*summary;
	int		 min_args, max_args;	/* max -1: unlimited */
	const char	*alias_of;		/* help points at the real verb */
};

struct recs;

struct object {
	const char	*name;
	const struct verb *verbs;
	const char	*summary;
	/* for `ipctool ls`, the completions and `ipctool limits` */
	void		(*collect)(struct recs *);
	void		(*limits)(struct recs *);
	void		(*refs)(void);	/* completion words, if not handles */
};

struct call {
	const struct object *obj;
	const struct verb *verb;
	const char	*opt[OPT_MAX_];	/* argument, or "" for a flag */
	int		 argc;			/* operands */
	char		**argv;
};

struct globals {
	bool		 json;
	bool		 trace;
};
extern struct globals g;

extern const struct object obj_shm;
extern const struct object obj_mq;
extern const struct object obj_sem;
extern const struct object obj_fifo;
extern const struct object obj_pipe;

/* cli.c */
const char	*opt_name(enum opt_id);
bool		 opt_set(const struct call *, enum opt_id);
int		 call_verb(const struct object *, int, char **);
void		 print_object_help(const struct object *);
void		 print_verb_help(const struct object *, const struct verb *);
const struct verb *find_verb(const struct object *, const char *);
void		 list_words(int, char **);

/* main.c */
const struct object *const *objects(void);
bool		 type_wanted(const struct call *, const char *);

/* bench.c */
int		 bench_run(struct call *);
const struct object *find_object(const char *);
const struct object *top_object(void);

/* fail.c: every message is "ipctool: CONTEXT: text" on one line. */
void		 set_context(const char *, const char *);
void		 die(int, const char *, ...)
		    __attribute__((noreturn, format(printf, 2, 3)));
void		 die_usage(const char *, ...)
		    __attribute__((noreturn, format(printf, 1, 2)));
void		 die_on(int, const char *, const char *, ...)
		    __attribute__((noreturn, format(printf, 3, 4)));
int		 complain_on(const char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*errno_text(int, const char *);
void		 die_errno(int, const char *, const char *)
		    __attribute__((noreturn));
int		 status_of_errno(int);

/* io.c */
int		 write_all(int, const void *, size_t);
int		 write_counted(int, const void *, size_t, long long *);
ssize_t		 read_full(int, void *, size_t);
ssize_t		 send_range(int, off_t, int, off_t, size_t);
#define COPY_READ_ERR	(-1)
#define COPY_WRITE_ERR	(-2)
int		 copy_fd(int, int, long long, long long *);
void		 write_data_or_stdin(int, const struct call *, const char *,
		    const char *);
void		 out_flush_or_die(void);

/* parse.c */
enum ref_kind {
	REF_SYSV_ID	= 1 << 0,
	REF_SYSV_KEY	= 1 << 1,
	REF_POSIX	= 1 << 2,
	REF_PATH	= 1 << 3,
	REF_PIPE	= 1 << 4,
};
#define REF_SYSV	(REF_SYSV_ID | REF_SYSV_KEY)
#define REF_IPC		(REF_SYSV | REF_POSIX)

struct ref {
	enum ref_kind	 kind;
	const char	*text;		/* as the user wrote it */
	int		 id;
	key_t		 key;
	const char	*name;		/* POSIX name or PATH */
	pid_t		 pid;		/* pipe: 0 means ipctool itself */
	int		 fd;
};

void		 parse_ref(const char *, unsigned, struct ref *);
bool		 all_digits(const char *);
bool		 ref_is_posix(const struct ref *);
uint64_t	 parse_size(const char *, const char *, uint64_t, uint64_t);
long long	 parse_number(const char *, const char *, long long, long long);
mode_t		 parse_mode(const char *);
struct timespec	 parse_duration(const char *);
uid_t		 parse_user(const char *);
gid_t		 parse_group(const char *);

/* output.c: a handler describes a record once; the module renders it. */
struct rec;
struct rec	*rec_new(const char *);
void		 rec_free(struct rec *);
void		 rec_str(struct rec *, const char *, const char *);
void		 rec_int(struct rec *, const char *, long long);
void		 rec_bytes(struct rec *, const char *, const void *, size_t);
void		 rec_size(struct rec *, const char *, unsigned long long);
void		 rec_key(struct rec *, const char *, key_t);
void		 rec_mode(struct rec *, const char *, mode_t);
void		 rec_time(struct rec *, const char *, time_t);
void		 rec_bool(struct rec *, const char *, bool);
void		 rec_user(struct rec *, const char *, uid_t);
void		 rec_group(struct rec *, const char *, gid_t);
void		 rec_hex(struct rec *, const char *, uintptr_t);
struct rec	*rec_child(struct rec *, const char *);
void		 rec_array(struct rec *, const char *, const char *);
void		 out_record(const struct rec *);
void		 out_line(const struct rec *);
void		 out_table(struct rec *const *, size_t, const char *);
void		 out_handle(const char *, const struct rec *);
const char	*rec_handle(const struct rec *);
void		 out_hexdump(const unsigned char *, size_t, size_t);

struct recs {
	struct rec	**v;
	size_t		 n, cap;
};
void		 recs_add(struct recs *, struct rec *);
void		 recs_free(struct recs *);

/* trace.c: each IPC system call, logged to stderr with --trace. */
void		 trace_call(long, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 trace_ptr(const void *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*trace_ipcflags(int);
const char	*trace_oflags(int);
const char	*trace_key(key_t);

/* wait.c: --nowait, --timeout and signals around blocking calls. */
void		 wait_setup(const struct call *);
bool		 wait_nowait(void);
const struct timespec *wait_deadline(void);
const struct timespec *wait_left(struct timespec *);
void		 wait_arm_alarm(void);
void		 wait_disarm_alarm(void);
void		 wait_interrupted(const char *);
void		 wait_check_signal(void);
bool		 wait_expired(void);
void		 wait_nudge(void);
void		 wait_nudge_stop(void);

/* sysv.c: what the System V objects share. */
struct ipc_perm;
struct sysv_kind {
	const char	*noun;			/* "shared memory segment" */
	int		(*get)(key_t);		/* existing object's id, traced */
	int		(*rmid)(int);		/* IPC_RMID, traced */
	int		(*ctl)(int, int, void *);	/* *ctl(), traced */
	int		 cmd_info, cmd_stat, cmd_stat_any;
	struct rec	*(*record)(int, const void *);
};
int		 sysv_find(const struct sysv_kind *, const struct ref *);
int		 sysv_id(const struct sysv_kind *, const struct ref *);
int		 sysv_rm(const struct sysv_kind *, const struct ref *);
void		 rec_ipc_perm(struct rec *, const struct ipc_perm *, int);
void		 sysv_collect(const struct sysv_kind *, struct recs *);
void		 add_limit(struct recs *, const char *, const char *,
		    const char *, long long, long long, bool);
const struct ref *create_ref(const struct call *, struct ref *);
void		 print_created(const struct ref *, int,
		    struct rec *(*)(const struct ref *));
void		 list_objects(void (*)(struct recs *), const char *);
int		 show_object(const struct call *,
		    struct rec *(*)(const struct ref *));
int		 rm_each(const struct call *, unsigned,
		    int (*)(const struct ref *));

/* proc.c: who holds each pipe and FIFO, from /proc/PID/fd. */
struct holder {
	pid_t		 pid;
	int		 fd;
	int		 access;	/* O_RDONLY, O_WRONLY or O_RDWR */
	char		 command[64];
};
struct pipe_node {
	dev_t		 dev;
	ino_t		 ino;
	char		*path;		/* a FIFO's, as /proc shows it */
	uid_t		 uid;
	gid_t		 gid;
	mode_t		 mode;
	struct holder	*h;
	size_t		 nh;
};
struct pipe_scan {
	struct pipe_node *v;
	size_t		 n, cap;
	unsigned	 denied;	/* processes we could not look into */
};
#define SCAN_PIPES	1
#define SCAN_FIFOS	2
void		 scan_pipes(struct pipe_scan *, unsigned, pid_t);
struct pipe_node *scan_lookup(struct pipe_scan *, dev_t, ino_t);
void		 scan_free(struct pipe_scan *);
void		 scan_note_partial(const struct pipe_scan *);
int		 node_fd(const struct pipe_node *);
int		 borrow_fd(pid_t, int);
int		 open_proc_fd(pid_t, int, int);
bool		 pipe_state(int, long *, int *);
long		 proc_sys_long(const char *);
void		 rec_pipe_node(struct rec *, const struct pipe_node *, int);
void		 rec_pipe_unheld(struct rec *, const struct pipe_scan *);

/* child.c */
void		 block_child_signals(sigset_t *, sigset_t *);
int		 hold(const struct timespec *, char **);
int		 wait_all(pid_t *, size_t, size_t);

/* helpers shared by the objects */
const char	*user_name(uid_t);
const char	*group_name(gid_t);

#endif
