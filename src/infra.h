/*
 * ipctool's infrastructure: messages, parsers, I/O, the renderer, tracing,
 * waiting, /proc and child processes.  Nothing here knows the command line;
 * the CLI (cli.h) sets what these modules need through plain arguments and
 * the few settings below.
 */
#ifndef IPCTOOL_INFRA_H
#define IPCTOOL_INFRA_H

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

/* Program-wide settings the CLI fills in before a verb runs. */
struct settings {
	bool		 json;
	bool		 trace;
	/* How tables and records are drawn (--output, --raw, ...). */
	const char	*columns;	/* NULL: the default set */
	bool		 raw;
	bool		 export;
	bool		 noheadings;
	bool		 all_namespaces;	/* ls -A: its columns too */
};
extern struct settings g;

/* fail.c: every message is "ipctool: CONTEXT: text" on one line. */
void		 set_program(const char *);
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
void		 guard_std_fds(void);
bool		 stdout_writable(void);
void		 stdout_ready(const char *, const char *);
int		 write_all(int, const void *, size_t);
int		 write_counted(int, const void *, size_t, long long *);
ssize_t		 read_full(int, void *, size_t);
int		 send_range(int, off_t, int, off_t, size_t, size_t *);
int		 vmsplice_all(int, const char *, size_t, size_t *);
long		 pipe_grow(int, long long);
#define COPY_READ_ERR	(-1)
#define COPY_WRITE_ERR	(-2)
int		 copy_fd(int, int, long long, long long *);
void		 write_data_or_stdin(int, const char *, const char *,
		    const char *);
void		 out_flush_or_die(void);

/*
 * parse.c: one parser for every word a user types.  The check_* functions
 * are pure: they look at the text alone and return NULL, or why it is
 * wrong ("not a number"), so a fuzzer or the CLI can call them.  The
 * parse_* wrappers turn a wrong word into a usage error (exit 2).
 */
enum ref_kind {
	REF_SYSV_ID	= 1 << 0,
	REF_SYSV_KEY	= 1 << 1,
	REF_POSIX	= 1 << 2,
	REF_PATH	= 1 << 3,
	REF_PIPE	= 1 << 4,
	REF_FTOK	= 1 << 5,	/* a key still to be made by ftok(3) */
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
	int		 proj;		/* ftok's project */
};

const char	*check_ref(const char *, unsigned, struct ref *, char *,
		    size_t);
const char	*check_size(const char *, uint64_t, uint64_t, uint64_t *);
const char	*check_number(const char *, long long, long long,
		    long long *);
const char	*check_mode(const char *, mode_t *);
const char	*check_duration(const char *, struct timespec *);

/* One `sem op` operation, INDEX:DELTA[u][n], as check_sem_op() reads it. */
struct sem_op_spec {
	unsigned	 index;
	int		 delta;
	bool		 undo;		/* u: SEM_UNDO */
	bool		 nowait;	/* n: IPC_NOWAIT */
};
const char	*check_sem_op(const char *, unsigned, int,
		    struct sem_op_spec *);
void		 parse_ref(const char *, unsigned, struct ref *);
bool		 all_digits(const char *);
const void	*flavor_pick(const struct ref *, const void *, const void *);
uint64_t	 parse_size(const char *, const char *, uint64_t, uint64_t);
long long	 parse_number(const char *, const char *, long long, long long);
mode_t		 parse_mode(const char *);
struct timespec	 parse_duration(const char *);
uid_t		 parse_user(const char *);
gid_t		 parse_group(const char *);
int		 fdinfo_access(const char *);	/* -1 or O_ACCMODE bits */

/*
 * A line of /proc/sysvipc/shm, msg or sem, read by the layout its header
 * line gave: v[SV_x] is the value of the column named x (SV_ID: shmid,
 * msqid or semid), 0 where the file has no such column.
 */
enum sysvipc_field {
	SV_KEY, SV_ID, SV_PERMS, SV_SIZE, SV_CPID, SV_LPID, SV_NATTCH,
	SV_UID, SV_GID, SV_CUID, SV_CGID, SV_ATIME, SV_DTIME, SV_CTIME,
	SV_CBYTES, SV_QNUM, SV_LSPID, SV_LRPID, SV_STIME, SV_RTIME,
	SV_NSEMS, SV_OTIME, SV_FIELDS_
};
#define SV_BIT(f)	(1UL << (f))
#define SYSVIPC_COLUMNS	32
struct sysvipc_layout {
	int		 ncols;
	signed char	 col[SYSVIPC_COLUMNS];	/* a column's field, or -1 */
	unsigned long	 have;			/* SV_BIT of each field */
};
struct sysvipc_row {
	long long	 v[SV_FIELDS_];
};
const char	*check_sysvipc_header(const char *, struct sysvipc_layout *);
const char	*check_sysvipc_row(const char *, const struct sysvipc_layout *,
		    struct sysvipc_row *);

/* names.c: user and group names, each looked up once. */
const char	*user_name(uid_t);
const char	*group_name(gid_t);
bool		 user_id(const char *, uid_t *);
bool		 group_id(const char *, gid_t *);
void		 names_foreign(void);
struct names;
struct names	*names_read_here(void);
void		 names_use(struct names *);
void		 names_free(struct names *);

/*
 * output.c: records and the one renderer.  Each object declares its
 * columns once; a handler fills a record field by field; the renderer
 * draws a table, raw or export lines, "name: value" lines or JSON.
 */
enum col_type { COL_STR, COL_INT, COL_SIZE, COL_KEY, COL_MODE, COL_TIME,
    COL_BOOL, COL_HEX, COL_ARRAY, COL_BYTES, COL_COUNT };
#define COL_DEFAULT	0x1	/* shown by ls when --output does not say */
#define COL_RIGHT	0x2	/* right-aligned: numbers */
#define COL_ALLNS	0x4	/* shown by ls -A when --output does not say */

struct column {
	const char	*name;		/* the JSON field; header: upper case */
	enum col_type	 type;
	unsigned	 flags;
	const char	*help;
	const char	*alias;		/* field shown when name is missing */
	const struct column *kids;	/* COL_ARRAY: the elements' columns */
};
#define COLUMNS_END	{ NULL, COL_STR, 0, NULL, NULL, NULL }

struct rec;
struct rec	*rec_new(const char *);
struct rec	*rec_deferred(void (*)(struct rec *, const void *), void *);
void		 rec_share(struct rec *, struct rec *);
void		 rec_share_names(struct rec *, struct names *);
void		 rec_free(struct rec *);
void		 rec_str(struct rec *, const char *, const char *);
void		 rec_int(struct rec *, const char *, long long);
void		 rec_bytes(struct rec *, const char *, const void *, size_t);
void		 rec_size(struct rec *, const char *, unsigned long long);
void		 rec_count(struct rec *, const char *, unsigned long long);
void		 rec_key(struct rec *, const char *, key_t);
void		 rec_mode(struct rec *, const char *, mode_t);
void		 rec_time(struct rec *, const char *, time_t);
void		 rec_bool(struct rec *, const char *, bool);
void		 rec_user(struct rec *, const char *, uid_t);
void		 rec_group(struct rec *, const char *, gid_t);
void		 rec_hex(struct rec *, const char *, uintptr_t);
struct rec	*rec_child(struct rec *, const char *);
void		 rec_array(struct rec *, const char *, const char *);
const char	*rec_get_str(const struct rec *, const char *);
unsigned long long rec_get_size(const struct rec *, const char *);

/*
 * What ls's filters (--owner, --older-than, --unused, --flavor) read of a
 * record, set by whoever makes it: a deferred record has no fields until
 * drawn, and a filter must not draw.  use says whether something uses the
 * object; USE_FILE: whether a process maps or holds open the file dev:ino,
 * which only a look through /proc answers (filter.c).
 */
enum rec_use { USE_UNKNOWN, USE_IDLE, USE_BUSY, USE_FILE };
struct rec_facts {
	bool		 set;
	uid_t		 uid;
	struct timespec	 time;		/* made or changed; 0: unknown */
	const char	*flavor;	/* "sysv", "posix"; NULL: neither */
	enum rec_use	 use;
	dev_t		 dev;
	ino_t		 ino;
	pid_t		 holder;	/* a process holding it; 0: none seen */
};
void		 rec_set_facts(struct rec *, const struct rec_facts *);
struct rec_facts *rec_facts(struct rec *);

struct recs {
	struct rec	**v;
	size_t		 n, cap;
};
void		 recs_add(struct recs *, struct rec *);
void		 recs_free(struct recs *);

void		 out_listing(const struct column *);
bool		 out_shows(const char *);
bool		 out_shows_elements(const char *);
const char	*columns_check(const struct column *, const char *);
void		 columns_help(const struct column *);
void		 out_table(const struct column *, struct rec *const *, size_t);
void		 out_record(const struct column *, const struct rec *);
void		 out_line(const struct rec *);
int		 out_handle(const char *, const struct rec *);
void		 out_hexdump(const unsigned char *, size_t, size_t);

/* ns.c: --ns PID, entering PID's IPC and mount namespaces once. */
void		 ns_enter(pid_t);
bool		 ns_entered(void);	/* a --ns was entered */
/* ns.c: ls --all-namespaces, every IPC namespace visited in turn. */
struct ipc_ns {
	ino_t		 ino;		/* as lsns prints it */
	pid_t		 pid;		/* its lowest PID */
	char		 cmd[64];	/* that process's command name */
	bool		 ours;		/* the namespace we run in */
	int		 ipc, mnt;	/* its namespace files, open */
};
struct ns_scan {
	struct ipc_ns	*v;
	size_t		 n, cap;
	struct { pid_t pid; ino_t ino; } *pids;	/* every PID's namespace */
	size_t		 npids, pcap;
	unsigned	 unreadable;	/* processes whose namespace we
					   could not read */
};
void		 ns_scan_all(struct ns_scan *);
const struct ipc_ns *ns_of_pid(const struct ns_scan *, pid_t);
bool		 ns_visit(const struct ipc_ns *);
int		 ns_mqueue_fd(void);
void		 ns_leave(const struct ipc_ns *);
void		 ns_close(struct ipc_ns *);
void		 ns_scan_free(struct ns_scan *);

/* trace.c: each IPC system call, logged to stderr with --trace. */
void		 trace_call(long, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 trace_ptr(const void *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*trace_ipcflags(int);
const char	*trace_oflags(int);
const char	*trace_key(key_t);

/* wait.c: --nowait, --timeout and signals around blocking calls. */
void		 wait_setup(bool, const struct timespec *);
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
	struct timespec	 ctime;
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
void		 rec_holders_as_tables(struct rec *, const struct pipe_node *);
void		 rec_pipe_unheld(struct rec *, const struct pipe_scan *);
extern const struct column holder_columns[];
/* What pipes and FIFOs share: rec_pipe_node's fields. */
#define PIPE_COLUMNS \
	{ "capacity", COL_SIZE, COL_DEFAULT | COL_RIGHT, \
	    "buffer size (F_GETPIPE_SZ)", \
	    NULL, NULL }, \
	{ "queued", COL_SIZE, COL_DEFAULT | COL_RIGHT, "bytes waiting", \
	    NULL, NULL }, \
	{ "readers", COL_ARRAY, COL_DEFAULT, "processes holding the read end",\
	    NULL, holder_columns }, \
	{ "writers", COL_ARRAY, COL_DEFAULT, \
	    "processes holding the write end", NULL, holder_columns }, \
	{ "partial", COL_BOOL, 0, "some processes could not be looked into", \
	    NULL, NULL }

/* child.c */
void		 block_child_signals(sigset_t *, sigset_t *);
int		 hold(const struct timespec *, char **);
int		 wait_all(pid_t *, size_t, size_t);

#endif
