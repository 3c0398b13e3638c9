/*
 * shm: System V segments (shmget/shmat/shmctl) and POSIX objects
 * (shm_open/mmap), chosen by the reference: `/name` is POSIX, anything else
 * System V.  Every verb maps the segment and copies between it and stdin or
 * stdout directly, with no buffer in between.
 */
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object.h"

#define NOUN		"shared memory segment"
#define SHM_DIR		"/dev/shm"
#define STREAM_CHUNK	(1 << 20)

/* A segment, attached or mapped. */
struct seg {
	const struct ref *ref;
	int		 id;		/* System V */
	int		 fd;		/* POSIX */
	size_t		 size;
	char		*addr;
};

static int
shm_ctl(int id, int cmd, const char *cmdname, struct shmid_ds *ds)
{
	int r = shmctl(id, cmd, ds);

	trace_call(r, "shmctl(%d, %s, %p)", id, cmdname, (void *)ds);
	return r;
}

static int
shm_get(key_t key, size_t size, int flags)
{
	int r = shmget(key, size, flags);

	trace_call(r, "shmget(%s, %zu, %s)", trace_key(key), size,
	    trace_ipcflags(flags));
	return r;
}

static int
posix_open(const char *name, int oflag, mode_t mode)
{
	int fd = shm_open(name, oflag | O_CLOEXEC, mode);

	trace_call(fd, "shm_open(\"%s\", %s, %04o)", name,
	    trace_oflags(oflag | O_CLOEXEC), (unsigned)mode);
	return fd;
}

/*
 * A POSIX semaphore "/x" lives in /dev/shm/sem.x, where a shared memory
 * object "/sem.x" would too: such names belong to sem, never to shm.
 */
static void
refuse_sem_name(const struct ref *r)
{
	if (strncmp(r->name, "/sem.", 5) == 0)
		die_on(EXIT_FAIL, r->text, "names starting with /sem. are POSIX "
		    "semaphores, not shared memory");
}

static int
shm_get_existing(key_t key)
{
	return shm_get(key, 0, 0);
}

static int
shm_rmid(int id)
{
	return shm_ctl(id, IPC_RMID, "IPC_RMID", NULL);
}

/* The *ctl call by a command's name, for sysv_collect and --trace. */
static int
shm_ctl_any(int id, int cmd, void *buf)
{
	const char *name = cmd == SHM_INFO ? "SHM_INFO" :
	    cmd == SHM_STAT ? "SHM_STAT" : "SHM_STAT_ANY";

	return shm_ctl(id, cmd, name, buf);
}

static bool sysv_from_proc(const struct sysvipc_row *, void *);
static struct rec *sysv_listed(int, const void *);

const struct sysv_kind shm_kind = {
	NOUN, shm_get_existing, shm_rmid, shm_ctl_any, SHM_INFO, SHM_STAT,
	SHM_STAT_ANY, "/proc/sysvipc/shm",
	SV_BIT(SV_KEY) | SV_BIT(SV_ID) | SV_BIT(SV_PERMS) | SV_BIT(SV_SIZE) |
	SV_BIT(SV_CPID) | SV_BIT(SV_LPID) | SV_BIT(SV_NATTCH) |
	SV_BIT(SV_UID) | SV_BIT(SV_GID) | SV_BIT(SV_CUID) | SV_BIT(SV_CGID) |
	SV_BIT(SV_ATIME) | SV_BIT(SV_DTIME) | SV_BIT(SV_CTIME),
	sysv_from_proc, sysv_listed
};

static void
sysv_stat(const struct ref *r, int id, struct shmid_ds *ds)
{
	if (shm_ctl(id, IPC_STAT, "IPC_STAT", ds) == -1)
		die_errno(errno == EINVAL ? ENOENT : errno, r->text, NOUN);
}

static void
posix_fstat(const struct ref *r, int fd, struct stat *st)
{
	if (fstat(fd, st) == -1)
		die_errno(errno, r->text, NOUN);
}

/* Opens only regular files: /dev/shm may hold anything root put there. */
static int
posix_open_existing(const struct ref *r, int oflag)
{
	struct stat st;
	int fd;

	refuse_sem_name(r);
	/* O_NONBLOCK: a FIFO someone put in /dev/shm must not hang us. */
	fd = posix_open(r->name, oflag | O_NOFOLLOW | O_NONBLOCK, 0);
	if (fd == -1 && errno == ELOOP)
		die_on(EXIT_FAIL, r->text, "a symbolic link, not a shared memory "
		    "object");
	if (fd == -1)
		die_errno(errno, r->text, NOUN);
	posix_fstat(r, fd, &st);
	if (!S_ISREG(st.st_mode))
		die_on(EXIT_FAIL, r->text, "not a shared memory object");
	return fd;
}

/* Map the whole POSIX object; 0 bytes map to no memory at all. */
static void
posix_map(const struct ref *r, bool writable, struct seg *s)
{
	struct stat st;

	s->fd = posix_open_existing(r, writable ? O_RDWR : O_RDONLY);
	posix_fstat(r, s->fd, &st);
	s->size = (size_t)st.st_size;
	if (s->size == 0) {
		/* Nothing to map (mmap refuses 0 bytes), but copies of 0
		 * bytes still want a valid address. */
		static char nothing[1];

		s->addr = nothing;
		return;
	}
	s->addr = mmap(NULL, s->size, PROT_READ | (writable ? PROT_WRITE : 0),
	    MAP_SHARED, s->fd, 0);
	trace_ptr(s->addr, "mmap(NULL, %zu, %s, MAP_SHARED, %d, 0)", s->size,
	    writable ? "PROT_READ|PROT_WRITE" : "PROT_READ", s->fd);
	if (s->addr == MAP_FAILED)
		die_errno(errno, r->text, NOUN);
}

static void
posix_unmap(struct seg *s)
{
	int rc;

	if (s->addr != NULL && s->size > 0) {
		rc = munmap(s->addr, s->size);
		trace_call(rc, "munmap(%p, %zu)", (void *)s->addr, s->size);
	}
	if (s->fd != -1)
		close(s->fd);
}

static void
sysv_map(const struct ref *r, bool writable, struct seg *s)
{
	struct shmid_ds ds;

	s->id = sysv_id(&shm_kind, r);
	s->addr = shmat(s->id, NULL, writable ? 0 : SHM_RDONLY);
	trace_ptr(s->addr, "shmat(%d, NULL, %s)", s->id,
	    writable ? "0" : "SHM_RDONLY");
	if (s->addr == (void *)-1)
		die_errno(errno == EINVAL ? ENOENT : errno, r->text, NOUN);
	sysv_stat(r, s->id, &ds);
	s->size = ds.shm_segsz;
	/*
	 * Linux lets a removed segment still attached elsewhere be attached
	 * by id; we do too, and say so: nobody new can find it, and it goes
	 * when the last process detaches.
	 */
	if (ds.shm_perm.mode & SHM_DEST)
		complain_on(r->text, "note: removed (marked for deletion); "
		    "it goes when the last process detaches");
}

static void
sysv_unmap(struct seg *s)
{
	int rc = shmdt(s->addr);

	trace_call(rc, "shmdt(%p)", (void *)s->addr);
}

/*
 * Fault a range in with one call before copying through it: page by page,
 * the faults cost more than the copy.  Older kernels say EINVAL; then the
 * copy just faults as it goes.
 */
static void
prefault(void *addr, size_t len, bool write)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)addr & ~(uintptr_t)(page - 1);

	if (len == 0)
		return;
	(void)madvise((void *)start, len + ((uintptr_t)addr - start),
	    write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
}

/* ---- records ---- */

/* A System V segment as a record holds it until it is drawn. */
struct sysv_seg {
	int		 id;
	struct shmid_ds	 ds;
};

static void
sysv_fill(struct rec *r, const void *p)
{
	const struct sysv_seg *s = p;
	const struct shmid_ds *ds = &s->ds;

	rec_str(r, "type", "shm");
	rec_ipc_perm(r, &ds->shm_perm, s->id);
	rec_size(r, "size", ds->shm_segsz);
	rec_int(r, "nattch", (long long)ds->shm_nattch);
	rec_int(r, "cpid", ds->shm_cpid);
	rec_int(r, "lpid", ds->shm_lpid);
	rec_time(r, "atime", ds->shm_atime);
	rec_time(r, "dtime", ds->shm_dtime);
	rec_time(r, "ctime", ds->shm_ctime);
	rec_bool(r, "dest", (ds->shm_perm.mode & SHM_DEST) != 0);
	rec_bool(r, "locked", (ds->shm_perm.mode & SHM_LOCKED) != 0);
}

static struct rec *
sysv_record(int id, const struct shmid_ds *ds)
{
	struct sysv_seg s = { id, *ds };
	struct rec *r = rec_new(NULL);

	sysv_fill(r, &s);
	return r;
}

/* ds is a struct shmid_ds: the type sysv_collect's callback takes. */
static struct rec *
sysv_listed(int id, const void *ds)
{
	struct sysv_seg s = { .id = id };

	struct rec *r;

	memcpy(&s.ds, ds, sizeof(s.ds));
	r = sysv_deferred(sysv_fill, &s, sizeof(s));
	sysv_facts(r, &s.ds.shm_perm, s.ds.shm_ctime,
	    s.ds.shm_nattch == 0 ? USE_IDLE : USE_BUSY);
	return r;
}

/* A line of /proc/sysvipc/shm as SHM_STAT_ANY's struct shmid_ds. */
static bool
sysv_from_proc(const struct sysvipc_row *row, void *p)
{
	struct shmid_ds *ds = p;

	ds->shm_perm.__key = (key_t)row->v[SV_KEY];
	ds->shm_perm.mode = (unsigned short)row->v[SV_PERMS];	/* SHM_DEST... */
	ds->shm_perm.uid = (uid_t)row->v[SV_UID];
	ds->shm_perm.gid = (gid_t)row->v[SV_GID];
	ds->shm_perm.cuid = (uid_t)row->v[SV_CUID];
	ds->shm_perm.cgid = (gid_t)row->v[SV_CGID];
	ds->shm_segsz = (size_t)row->v[SV_SIZE];
	ds->shm_cpid = (pid_t)row->v[SV_CPID];
	ds->shm_lpid = (pid_t)row->v[SV_LPID];
	ds->shm_nattch = (shmatt_t)row->v[SV_NATTCH];
	ds->shm_atime = (time_t)row->v[SV_ATIME];
	ds->shm_dtime = (time_t)row->v[SV_DTIME];
	ds->shm_ctime = (time_t)row->v[SV_CTIME];
	return true;
}

static struct rec *
posix_record(const char *name, const struct stat *st)
{
	struct rec *r = rec_new("shm");

	rec_posix_name(r, name);
	rec_user(r, "owner", st->st_uid);
	rec_group(r, "group", st->st_gid);
	rec_mode(r, "mode", st->st_mode);
	rec_size(r, "size", (unsigned long long)st->st_size);
	rec_time(r, "atime", st->st_atime);
	rec_time(r, "mtime", st->st_mtime);
	rec_time(r, "ctime", st->st_ctime);
	file_facts(r, st, st->st_ctim, "posix", USE_FILE);
	return r;
}

static struct rec *
posix_stat(const struct ref *r)
{
	struct stat st;
	int fd;

	fd = posix_open_existing(r, O_RDONLY);
	posix_fstat(r, fd, &st);
	close(fd);
	return posix_record(r->name, &st);
}

static struct rec *
sysv_stat_record(const struct ref *r)
{
	struct shmid_ds ds;
	int id = sysv_id(&shm_kind, r);

	sysv_stat(r, id, &ds);
	return sysv_record(id, &ds);
}

/* ---- create ---- */

/* r is NULL for IPC_PRIVATE. */
/* shmget said EINVAL for a new segment: name the limit and its value. */
static void __attribute__((noreturn))
size_refused(const char *what, size_t size)
{
	struct shminfo lim;

	if (shm_ctl(0, IPC_INFO, "IPC_INFO", (struct shmid_ds *)&lim) != -1 &&
	    size > lim.shmmax)
		die_on(EXIT_FAIL, what, "size %zu is above the kernel's limit "
		    "shmmax (%lu bytes, /proc/sys/kernel/shmmax)", size,
		    (unsigned long)lim.shmmax);
	die_on(EXIT_FAIL, what, "size %zu is outside the kernel's limits "
	    "(see /proc/sys/kernel/shmmax)", size);
}

/* shmget said ENOSPC: which limit, and its value. */
static void __attribute__((noreturn))
mni_refused(const char *what)
{
	struct shminfo lim;
	struct shm_info use;

	if (shm_ctl(0, IPC_INFO, "IPC_INFO", (struct shmid_ds *)&lim) != -1 &&
	    shm_ctl(0, SHM_INFO, "SHM_INFO", (struct shmid_ds *)&use) != -1 &&
	    (unsigned long)use.used_ids >= lim.shmmni)
		die_on(EXIT_FAIL, what, "the kernel's limit shmmni (%lu "
		    "segments, /proc/sys/kernel/shmmni) is reached",
		    (unsigned long)lim.shmmni);
	die_on(EXIT_FAIL, what, "the system's limit on shared memory is "
	    "reached (see /proc/sys/kernel/shmmni and shmall)");
}

static struct rec *
sysv_create(const struct ref *r, size_t size, mode_t mode, bool exist_ok)
{
	key_t key = r != NULL ? r->key : IPC_PRIVATE;
	const char *what = r != NULL ? r->text : "IPC_PRIVATE";
	struct ref byid = { .kind = REF_SYSV_ID, .text = what };

	if ((byid.id = shm_get(key, size, IPC_CREAT | IPC_EXCL | (int)mode)) !=
	    -1) {
		create_made();
		return sysv_stat_record(&byid);
	}
	if (errno == EEXIST && exist_ok) {
		if ((byid.id = shm_get(key, size, 0)) != -1)
			return sysv_stat_record(&byid);
		if (errno == EINVAL)
			die_on(EXIT_FAIL, what, "exists and is smaller than %zu "
			    "bytes", size);
	}
	if (errno == EINVAL)
		size_refused(what, size);
	if (errno == ENOSPC)
		mni_refused(what);
	die_errno(errno, what, NOUN);
}

static struct rec *
posix_create(const struct ref *r, size_t size, mode_t mode, bool exist_ok)
{
	struct rec *rec;
	int fd, rc;

	refuse_sem_name(r);
	fd = posix_open(r->name, O_RDWR | O_CREAT | O_EXCL, mode);
	if (fd == -1 && errno == EEXIST && exist_ok) {
		rec = posix_stat(r);
		if (rec_get_size(rec, "size") < size)
			die_on(EXIT_FAIL, r->text, "exists and is smaller than %zu "
			    "bytes", size);
		return rec;
	}
	if (fd == -1)
		die_errno(errno, r->text, NOUN);
	create_made();
	/* shm_open applied the umask; the user asked for this mode. */
	rc = fchmod(fd, mode);
	trace_call(rc, "fchmod(%d, %04o)", fd, (unsigned)mode);
	if (rc == 0) {
		rc = ftruncate(fd, (off_t)size);
		trace_call(rc, "ftruncate(%d, %zu)", fd, size);
	}
	if (rc == -1) {
		int err = errno;

		/* Leave no half-made object behind. */
		trace_call(shm_unlink(r->name), "shm_unlink(\"%s\")", r->name);
		die_errno(err, r->text, NOUN);
	}
	close(fd);
	return posix_stat(r);
}

/* ---- collect ---- */

static void
posix_collect(struct recs *rs)
{
	DIR *d = opendir(SHM_DIR);
	struct dirent *e;
	struct stat st;
	char name[NAME_MAX + 2];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, "sem.", 4) == 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    -1 || !S_ISREG(st.st_mode))
			continue;
		snprintf(name, sizeof(name), "/%s", e->d_name);
		recs_add(rs, posix_record(name, &st));
	}
	closedir(d);
}

static void
sysv_collect_all(struct recs *rs)
{
	sysv_collect(&shm_kind, rs);
}

/* ---- set ---- */

static void
sysv_set(const struct ref *r, const mode_t *mode, uid_t uid, gid_t gid)
{
	struct shmid_ds ds;
	int id = sysv_id(&shm_kind, r);

	sysv_stat(r, id, &ds);
	if (mode != NULL)
		ds.shm_perm.mode = *mode;
	if (uid != (uid_t)-1)
		ds.shm_perm.uid = uid;
	if (gid != (gid_t)-1)
		ds.shm_perm.gid = gid;
	if (shm_ctl(id, IPC_SET, "IPC_SET", &ds) == -1)
		die_errno(errno, r->text, NOUN);
}

/* By path, with no open: changing a mode needs no read permission. */
static void
posix_set(const struct ref *r, const mode_t *mode, uid_t uid, gid_t gid)
{
	char path[PATH_MAX];
	struct stat st;
	int rc;

	refuse_sem_name(r);
	snprintf(path, sizeof(path), SHM_DIR "%s", r->name);
	if (lstat(path, &st) == -1)
		die_errno(errno, r->text, NOUN);
	if (!S_ISREG(st.st_mode))
		die_on(EXIT_FAIL, r->text, "not a shared memory object");
	if (mode != NULL) {
		rc = chmod(path, *mode);
		trace_call(rc, "chmod(\"%s\", %04o)", path, (unsigned)*mode);
		if (rc == -1)
			die_errno(errno, r->text, NOUN);
	}
	if (uid != (uid_t)-1 || gid != (gid_t)-1) {
		rc = lchown(path, uid, gid);
		trace_call(rc, "lchown(\"%s\", %d, %d)", path, (int)uid,
		    (int)gid);
		if (rc == -1)
			die_errno(errno, r->text, NOUN);
	}
}

/* ---- rm ---- */

static int
posix_rm(const struct ref *r)
{
	char path[PATH_MAX];
	struct stat st;
	int rc;

	if (strncmp(r->name, "/sem.", 5) == 0)
		return complain_on(r->text, "names starting with /sem. are POSIX "
		    "semaphores, not shared memory");
	snprintf(path, sizeof(path), SHM_DIR "%s", r->name);
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return complain_on(r->text, "not a shared memory object; not "
		    "removed");
	rc = shm_unlink(r->name);
	trace_call(rc, "shm_unlink(\"%s\")", r->name);
	if (rc == -1)
		return complain_on(r->text, "%s", errno_text(errno, NOUN));
	return 0;
}

static int
sysv_rm_one(const struct ref *r)
{
	return sysv_rm(&shm_kind, r);
}

/* ---- attach's record ---- */

static void
sysv_attached(struct rec *rec, const struct seg *s)
{
	struct shmid_ds ds;

	rec_int(rec, "id", s->id);
	sysv_stat(s->ref, s->id, &ds);
	rec_int(rec, "nattch", (long long)ds.shm_nattch);
}

static void
posix_attached(struct rec *rec, const struct seg *s)
{
	rec_str(rec, "name", s->ref->name);
}

/* ---- the two backends ---- */

struct shm_ops {
	const char	*flavor;
	void		(*collect)(struct recs *);
	struct rec	*(*stat)(const struct ref *);
	struct rec	*(*create)(const struct ref *, size_t, mode_t, bool);
	void		(*map)(const struct ref *, bool, struct seg *);
	void		(*unmap)(struct seg *);
	void		(*attached)(struct rec *, const struct seg *);
	void		(*set)(const struct ref *, const mode_t *, uid_t, gid_t);
	int		(*remove)(const struct ref *);
};

static const struct shm_ops sysv_ops = {
	"sysv", sysv_collect_all, sysv_stat_record, sysv_create, sysv_map,
	sysv_unmap, sysv_attached, sysv_set, sysv_rm_one,
};

static const struct shm_ops posix_ops = {
	"posix", posix_collect, posix_stat, posix_create, posix_map,
	posix_unmap, posix_attached, posix_set, posix_rm,
};

static const struct shm_ops *
ops_of(const struct ref *r)
{
	return flavor_pick(r, &sysv_ops, &posix_ops);
}

static void
seg_map(const struct ref *r, bool writable, struct seg *s)
{
	*s = (struct seg){ .ref = r, .id = -1, .fd = -1 };
	ops_of(r)->map(r, writable, s);
}

static void
seg_unmap(struct seg *s)
{
	ops_of(s->ref)->unmap(s);
	s->addr = NULL;
}

static struct rec *
record_of(const struct ref *r)
{
	return ops_of(r)->stat(r);
}

/* ---- create, ls, info, set, rm ---- */

static int
shm_cmd_create(struct call *c)
{
	const struct ref *r;
	struct ref ref;

	if (!opt_set(c, OPT_SIZE))
		die_usage("missing --size");
	r = create_ref(c, &ref);
	print_new(ops_of(r)->create(r, (size_t)c->o[OPT_SIZE].n,
	    create_mode(c), opt_set(c, OPT_EXIST_OK)));
	return 0;
}

static void
shm_collect(struct recs *rs)
{
	sysv_ops.collect(rs);
	posix_ops.collect(rs);
}

static int
shm_cmd_ls(struct call *c)
{
	list_objects(c, shm_collect);
	return 0;
}

static int
shm_cmd_info(struct call *c)
{
	return show_object(c, record_of);
}

static int
shm_cmd_set(struct call *c)
{
	const mode_t mode = (mode_t)c->o[OPT_MODE].n;
	struct ref r;

	if (!opt_set(c, OPT_MODE) && !opt_set(c, OPT_OWNER) &&
	    !opt_set(c, OPT_GROUP))
		die_usage("nothing to set: give --mode, --owner or --group");
	parse_ref(c->argv[0], REF_IPC, &r);
	ops_of(&r)->set(&r, opt_set(c, OPT_MODE) ? &mode : NULL,
	    opt_set(c, OPT_OWNER) ? (uid_t)c->o[OPT_OWNER].n : (uid_t)-1,
	    opt_set(c, OPT_GROUP) ? (gid_t)c->o[OPT_GROUP].n : (gid_t)-1);
	return 0;
}

static int
shm_rm_one(const struct ref *r)
{
	return ops_of(r)->remove(r);
}

static int
shm_cmd_rm(struct call *c)
{
	return rm_each(c, REF_IPC, shm_rm_one);
}

/* ---- write ---- */

static size_t
offset_in(const struct call *c, const struct seg *s)
{
	size_t off = 0;

	if (opt_set(c, OPT_OFFSET))
		off = (size_t)c->o[OPT_OFFSET].n;
	if (off > s->size)
		die_on(EXIT_FAIL, s->ref->text, "offset %zu is past the end "
		    "(size %zu)", off, s->size);
	return off;
}

static void __attribute__((noreturn))
too_long(const struct seg *s, size_t off, const char *what)
{
	die_on(EXIT_FAIL, s->ref->text, "%s is longer than the %zu bytes from offset %zu "
	    "to the end; nothing written", what, s->size - off,
	    off);
}

/*
 * stdin of unknown length goes straight into the segment; if it turns out
 * longer than the room, the bytes it overwrote are put back from a copy
 * kept as we go, so a failed write leaves the segment as it was.
 */
static void
write_stream(struct seg *s, size_t off)
{
	size_t room = s->size - off, got = 0;
	char *dst = s->addr + off, *save = NULL, extra;
	ssize_t n;

	if (room > 0) {
		save = mmap(NULL, room, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (save == MAP_FAILED)
			die_errno(errno, s->ref->text, NOUN);
	}
	while (got < room) {
		size_t chunk = room - got < STREAM_CHUNK ? room - got :
		    STREAM_CHUNK;

		prefault(dst + got, chunk, true);
		prefault(save + got, chunk, true);
		memcpy(save + got, dst + got, chunk);
		if ((n = read(STDIN_FILENO, dst + got, chunk)) == 0)
			break;
		if (n < 0 && errno != EINTR)
			goto undo;
		if (n > 0)
			got += (size_t)n;
	}
	if (got == room) {
		while ((n = read(STDIN_FILENO, &extra, 1)) < 0 &&
		    errno == EINTR)
			;
		if (n != 0)
			goto undo;
	}
	if (save != NULL)
		munmap(save, room);
	return;
undo:
	if (got > 0)
		memcpy(dst, save, got);
	if (n < 0)
		die_on(EXIT_FAIL, s->ref->text, "reading stdin: %s; nothing "
		    "written", errno_text(errno, "file"));
	too_long(s, off, "stdin");
}

/*
 * stdin is a file of known length.  A POSIX segment takes it by sendfile(2)
 * into its fd: the kernel copies page to page with no user mapping in the
 * way, which on some machines (VMs above all) costs a fault a page on the
 * first write through a new mapping.  A System V segment has only its
 * mapping.
 */
static void
write_file(struct seg *s, size_t off, off_t len)
{
	size_t done = 0;
	ssize_t n;
	int rc = -1;

	if ((uintmax_t)len > s->size - off)
		too_long(s, off, "stdin");
	if (s->fd != -1)
		rc = send_range(s->fd, (off_t)off, STDIN_FILENO, -1,
		    (size_t)len, &done);
	if (s->fd == -1 || (rc == -1 && (errno == EINVAL || errno == ENOSYS))) {
		prefault(s->addr + off, (size_t)len, true);
		n = read_full(STDIN_FILENO, s->addr + off, (size_t)len);
		rc = n < 0 ? -1 : 0;
		done = n < 0 ? 0 : (size_t)n;
	}
	if (rc == -1)
		die_on(EXIT_FAIL, s->ref->text, "reading stdin: %s after %zu "
		    "of %lld bytes (those were written)",
		    errno_text(errno, "file"), done, (long long)len);
	if (done < (size_t)len)
		die_on(EXIT_FAIL, s->ref->text, "stdin ended after %zu of its "
		    "%lld bytes (those were written)", done, (long long)len);
}

static int
shm_cmd_write(struct call *c)
{
	struct stat st;
	struct ref r;
	struct seg s;
	size_t off;
	off_t pos;

	parse_ref(c->argv[0], REF_IPC, &r);
	seg_map(&r, true, &s);
	off = offset_in(c, &s);
	if (c->argc > 1) {
		size_t len = strlen(c->argv[1]);

		if (len > s.size - off)
			too_long(&s, off, "DATA");
		memcpy(s.addr + off, c->argv[1], len);
	} else if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    (pos = lseek(STDIN_FILENO, 0, SEEK_CUR)) >= 0)
		write_file(&s, off, st.st_size > pos ? st.st_size - pos : 0);
	else
		write_stream(&s, off);
	seg_unmap(&s);
	return 0;
}

/* ---- read ---- */


/*
 * Into a pipe, the segment's own pages go, not copies of them: splice(2)
 * (sendfile) from a POSIX object's fd, vmsplice(2) of a System V segment's
 * attached pages.  A reader then gets what a page holds when it reads it,
 * and a page can sit in the pipe, referenced, long after we detach.  So the
 * last pipe-full and a page more are written, copied, instead: once that
 * write is all in the pipe, which never holds more buffers than its
 * capacity in pages and gives them in order, the reader has taken every
 * page handed over before it.  Every byte it gets was then in the segment
 * while read ran, as if all had been written, and nothing of the segment
 * is left in the pipe when we exit (a reader that splices pages on takes
 * them one pipe further: see CAVEATS in the man page).  Returns 0, or -1
 * with errno.
 */
static int
pipe_out(const struct seg *s, size_t off, size_t len, size_t *done)
{
	size_t head = 0, tail;
	long long written = 0;
	long cap;
	int rc = 0;

	cap = pipe_grow(STDOUT_FILENO, (long long)len);
	tail = (size_t)cap + (size_t)sysconf(_SC_PAGESIZE);
	if (cap > 0 && len > tail)
		head = len - tail;
	*done = 0;
	if (head > 0 && s->fd != -1)
		rc = send_range(STDOUT_FILENO, -1, s->fd, (off_t)off, head,
		    done);
	else if (head > 0)
		rc = vmsplice_all(STDOUT_FILENO, s->addr + off, head, done);
	if (rc == -1 && *done == 0 && (errno == EINVAL || errno == ENOSYS))
		head = 0, rc = 0;	/* this pipe takes no pages: write all */
	if (rc == -1)
		return -1;
	prefault(s->addr + off + head, len - head, false);
	rc = write_counted(STDOUT_FILENO, s->addr + off + head, len - head,
	    &written);
	*done += (size_t)written;
	return rc;
}

/*
 * To a pipe, see pipe_out.  To a file or /dev/null, a POSIX segment goes
 * out by sendfile(2), as a copy made now; a System V segment is written
 * from its mapping.
 */
static void
copy_out(const struct seg *s, size_t off, size_t len)
{
	struct stat st;
	bool sent = false;
	size_t done = 0;
	long long written = 0;
	int rc = -1;

	/* Not the read end: vmsplice(2) there would read from the pipe. */
	if (len > 0 && fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    stdout_writable()) {
		rc = pipe_out(s, off, len, &done);
		sent = true;
	} else if (s->fd != -1 && fstat(STDOUT_FILENO, &st) == 0 &&
	    !S_ISSOCK(st.st_mode)) {
		rc = send_range(STDOUT_FILENO, -1, s->fd, (off_t)off, len,
		    &done);
		sent = rc == 0 || (errno != EINVAL && errno != ENOSYS);
	}
	if (!sent) {
		prefault(s->addr + off, len, false);
		rc = write_counted(STDOUT_FILENO, s->addr + off, len, &written);
		done = (size_t)written;
	}
	if (rc == -1)
		die_on(EXIT_FAIL, s->ref->text, "write error: %s after %zu of "
		    "%zu bytes", errno_text(errno, "file"), done, len);
}

static int
shm_cmd_read(struct call *c)
{
	struct ref r;
	struct seg s;
	size_t off, len;
	const char *nul;

	parse_ref(c->argv[0], REF_IPC, &r);
	seg_map(&r, false, &s);
	off = offset_in(c, &s);
	len = s.size - off;
	if (opt_set(c, OPT_LENGTH)) {
		len = (size_t)c->o[OPT_LENGTH].n;
		if (len > s.size - off)
			die_on(EXIT_FAIL, r.text, "%zu bytes at offset %zu pass the "
			    "end (size %zu)", len, off, s.size);
	}
	if (opt_set(c, OPT_STRING) &&
	    (nul = memchr(s.addr + off, '\0', len)) != NULL)
		len = (size_t)(nul - (s.addr + off));
	if (opt_set(c, OPT_HEX))
		out_hexdump((unsigned char *)s.addr + off, len, off);
	else
		copy_out(&s, off, len);
	seg_unmap(&s);
	return 0;
}

/* ---- attach ---- */

static int
shm_cmd_attach(struct call *c)
{
	struct rec *rec;
	struct ref r;
	struct seg s;
	int status;

	parse_ref(c->argv[0], REF_IPC, &r);
	seg_map(&r, !opt_set(c, OPT_RDONLY), &s);
	rec = rec_new("shm");
	rec_str(rec, "flavor", ops_of(&r)->flavor);
	ops_of(&r)->attached(rec, &s);
	if (s.size > 0)
		rec_hex(rec, "address", (uintptr_t)s.addr);
	else
		rec_str(rec, "address", NULL);	/* 0 bytes: nothing mapped */
	rec_size(rec, "size", s.size);
	rec_bool(rec, "rdonly", opt_set(c, OPT_RDONLY));
	out_record(NULL, rec);
	rec_free(rec);
	status = hold(opt_set(c, OPT_TIMEOUT) ? &c->o[OPT_TIMEOUT].ts : NULL,
	    c->argc > 1 ? c->argv + 1 : NULL);
	seg_unmap(&s);
	return status;
}

/* ---- limits ---- */

static void
shm_limits(struct recs *rs)
{
	unsigned long long page = (unsigned long long)sysconf(_SC_PAGESIZE);
	struct shminfo lim;
	struct shm_info use;

	if (shm_ctl(0, IPC_INFO, "IPC_INFO", (struct shmid_ds *)&lim) == -1 ||
	    shm_ctl(0, SHM_INFO, "SHM_INFO", (struct shmid_ds *)&use) == -1)
		return;
	add_limit(rs, "shm", "sysv", "segments (shmmni)", lim.shmmni,
	    use.used_ids, false);
	/*
	 * shmall is a count of pages; "no limit" is near 2^64 pages, more
	 * bytes than 64 bits hold, so the bytes row stops at 2^64 - 1.
	 */
	add_limit(rs, "shm", "sysv", "total pages (shmall)", lim.shmall,
	    (long long)use.shm_tot, false);
	add_limit(rs, "shm", "sysv", "total bytes (shmall x page size)",
	    lim.shmall > ULLONG_MAX / page ? ULLONG_MAX : lim.shmall * page,
	    (long long)(use.shm_tot * page), true);
	add_limit(rs, "shm", "sysv", "segment size (shmmax)", lim.shmmax, -1,
	    true);
}

/* ---- the verb table ---- */

static const struct verb_opt create_opts[] = {
	{ OPT_SIZE, "size in bytes; suffixes K, M, G, T" },
	{ OPT_MODE, "octal permissions (default 0600)" },
	{ OPT_EXIST_OK, "open the segment if it exists" },
	VERB_OPTS_END
};
static const struct verb_opt write_opts[] = {
	{ OPT_OFFSET, "start at byte N (default 0)" },
	VERB_OPTS_END
};
static const struct verb_opt read_opts[] = {
	{ OPT_OFFSET, "start at byte N (default 0)" },
	{ OPT_LENGTH, "read N bytes (default: to the end)" },
	{ OPT_STRING, "stop at the first NUL byte" },
	{ OPT_HEX, "print a hexdump" },
	VERB_OPTS_END
};
static const struct verb_opt attach_opts[] = {
	{ OPT_RDONLY, "attach read-only" },
	{ OPT_TIMEOUT, "stay attached for DUR, then detach (exit 0)" },
	VERB_OPTS_END
};
static const struct verb_opt set_opts[] = {
	{ OPT_MODE, "new octal permissions" },
	{ OPT_OWNER, "new owner" },
	{ OPT_GROUP, "new group" },
	VERB_OPTS_END
};

static const struct column shm_columns[] = {
	COMMON_COLUMNS,
	{ "size", COL_SIZE, COL_DEFAULT | COL_RIGHT, "size in bytes", NULL,
	    NULL },
	{ "nattch", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "System V: processes attached", NULL, NULL },
	{ "cpid", COL_INT, COL_DEFAULT | COL_RIGHT, "System V: creator's pid",
	    NULL, NULL },
	{ "lpid", COL_INT, COL_DEFAULT | COL_RIGHT,
	    "System V: pid of the last attach or detach", NULL, NULL },
	{ "atime", COL_TIME, 0, "last attach (POSIX: last access)", NULL,
	    NULL },
	{ "dtime", COL_TIME, 0, "System V: last detach", NULL, NULL },
	{ "mtime", COL_TIME, 0, "POSIX: last write", NULL, NULL },
	{ "ctime", COL_TIME, 0, "last change of permissions or size", NULL,
	    NULL },
	{ "dest", COL_BOOL, 0, "System V: removed, goes when the last detaches",
	    NULL, NULL },
	{ "locked", COL_BOOL, 0, "System V: locked in memory (SHM_LOCK)", NULL,
	    NULL },
	COLUMNS_END
};

static const struct verb_opt ls_opts[] = {
	LS_NS_OPT,
	LS_FILTER_OPTS,
	VERB_OPTS_END
};

static const struct verb shm_verbs[] = {
	{ "create", shm_cmd_create, create_opts, "[REF] --size SIZE",
	    "create a segment and print its id or name", 0, 1, NULL },
	{ "ls", shm_cmd_ls, ls_opts, "", "list segments of both flavours", 0, 0,
	    shm_columns },
	{ "info", shm_cmd_info, NULL, "REF", "show one segment in full", 1, 1,
	    shm_columns },
	{ "write", shm_cmd_write, write_opts, "REF [DATA]",
	    "copy DATA, or stdin, into the segment", 1, 2, NULL },
	{ "read", shm_cmd_read, read_opts, "REF",
	    "copy the segment's bytes to stdout", 1, 1, NULL },
	{ "attach", shm_cmd_attach, attach_opts, "REF [-- CMD [ARG...]]",
	    "stay attached until DUR passes, CMD ends or a signal comes", 1,
	    -1, NULL },
	{ "set", shm_cmd_set, set_opts, "REF",
	    "change mode, owner or group", 1, 1, NULL },
	{ "rm", shm_cmd_rm, NULL, "REF...", "remove segments", 1, -1, NULL },
	{ NULL, NULL, NULL, NULL, NULL, 0, 0, NULL }
};

const struct object obj_shm = {
	"shm", shm_verbs,
	"System V and POSIX shared memory: REF is an id, key:KEY, "
	"ftok:PATH[:PROJ] or /name",
	shm_collect, shm_limits, NULL, true,
};
