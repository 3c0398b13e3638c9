/*
 * ls's filters, --owner, --older-than, --unused and --flavor, applied in
 * one place: over the records a collector made, before they are drawn.
 * Each record carries its facts (owner, time, flavor and whether it is in
 * use, struct rec_facts); a filter reads those, never the fields, which a
 * deferred record makes only when drawn.  Whether a POSIX object is in use
 * takes one look through every process's maps and descriptors, done only
 * when --unused asks and some record needs it.
 */
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "object.h"

struct file_id {
	struct file_key	 k;	/* first: file_key_cmp sorts these */
	struct rec_facts *f;
};

int
file_key_cmp(const void *a, const void *b)
{
	const struct file_key *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* A process maps or holds dev:ino: the record of that file is in use. */
static void
seen(struct file_id *v, size_t n, dev_t dev, ino_t ino)
{
	struct file_id key = { { dev, ino }, NULL }, *hit;

	if ((hit = bsearch(&key, v, n, sizeof(*v), file_key_cmp)) != NULL)
		hit->f->use = USE_BUSY;
}

/* The files PID maps: "addr perms offset MAJ:MIN inode path". */
static bool
scan_maps(int procfd, const char *pid, struct file_id *v, size_t n)
{
	char path[NAME_MAX + 8], line[512];
	unsigned maj, min;
	unsigned long ino;
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "%s/maps", pid);
	if ((fd = openat(procfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno != EACCES && errno != EPERM;
	if ((fp = fdopen(fd, "re")) == NULL) {
		close(fd);
		return true;
	}
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "%*s %*s %*s %x:%x %lu", &maj, &min, &ino) ==
		    3 && ino != 0)
			seen(v, n, makedev(maj, min), (ino_t)ino);
	fclose(fp);
	return true;
}

/* The files PID holds open. */
static bool
scan_fds(int procfd, const char *pid, struct file_id *v, size_t n)
{
	char path[NAME_MAX + 8];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd;

	snprintf(path, sizeof(path), "%s/fd", pid);
	if ((fd = openat(procfd, path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return errno != EACCES && errno != EPERM;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return true;
	}
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' &&
		    fstatat(dirfd(d), e->d_name, &st, 0) == 0)
			seen(v, n, st.st_dev, st.st_ino);
	closedir(d);
	return true;
}

/*
 * Mark each file's record busy when some process maps it or holds it
 * open; the rest are idle.  A process we may not look into may use one:
 * say so, as fifo ls does.
 */
static void
scan_users(struct file_id *v, size_t n)
{
	unsigned denied = 0;
	bool maps, fds;
	struct dirent *e;
	char self[16];
	size_t i;
	DIR *d;

	for (i = 0; i < n; i++)
		v[i].f->use = USE_IDLE;
	qsort(v, n, sizeof(*v), file_key_cmp);
	snprintf(self, sizeof(self), "%d", (int)getpid());
	if ((d = opendir("/proc")) == NULL)
		die(EXIT_FAIL, "/proc: %s", errno_text(errno, "directory"));
	while ((e = readdir(d)) != NULL) {
		if (!all_digits(e->d_name) || strcmp(e->d_name, self) == 0)
			continue;
		maps = scan_maps(dirfd(d), e->d_name, v, n);
		fds = scan_fds(dirfd(d), e->d_name, v, n);
		if (!maps || !fds)
			denied++;
	}
	closedir(d);
	if (denied > 0)
		complain_on(NULL, "partial view: %u process%s could not be "
		    "looked into (permission denied); --unused may list "
		    "objects they use", denied, denied == 1 ? "" : "es");
}

static void
resolve_use(struct recs *rs)
{
	struct file_id *v = NULL;
	size_t i, n = 0;

	for (i = 0; i < rs->n; i++) {
		struct rec_facts *f = rec_facts(rs->v[i]);

		if (f->set && f->use == USE_FILE) {
			v = reallocarray(v, n + 1, sizeof(*v));
			if (v == NULL)
				die(EXIT_FAIL, "out of memory");
			v[n++] = (struct file_id){ { f->dev, f->ino }, f };
		}
	}
	if (n > 0)
		scan_users(v, n);
	free(v);
}

static bool
older(const struct timespec *t, const struct timespec *now,
    const struct timespec *dur)
{
	struct timespec edge = { now->tv_sec - dur->tv_sec,
	    now->tv_nsec - dur->tv_nsec };

	if (edge.tv_nsec < 0) {
		edge.tv_sec--;
		edge.tv_nsec += 1000000000L;
	}
	if (t->tv_sec == 0 && t->tv_nsec == 0)
		return false;	/* when is unknown */
	return t->tv_sec < edge.tv_sec ||
	    (t->tv_sec == edge.tv_sec && t->tv_nsec < edge.tv_nsec);
}

static bool
wanted(const struct call *c, const struct rec_facts *f,
    const struct timespec *now)
{
	if (!f->set)
		return false;
	if (opt_set(c, OPT_OWNER) && f->uid != (uid_t)c->o[OPT_OWNER].n)
		return false;
	if (opt_set(c, OPT_FLAVOR) && (f->flavor == NULL ||
	    strcmp(f->flavor, c->o[OPT_FLAVOR].s) != 0))
		return false;
	if (opt_set(c, OPT_OLDER_THAN) &&
	    !older(&f->time, now, &c->o[OPT_OLDER_THAN].ts))
		return false;
	if (opt_set(c, OPT_UNUSED) && f->use != USE_IDLE)
		return false;
	return true;
}

/* Keep the records every filter given wants; they combine (AND). */
void
filter_records(const struct call *c, struct recs *rs)
{
	struct timespec now;
	size_t i, kept = 0;

	if (!opt_set(c, OPT_OWNER) && !opt_set(c, OPT_OLDER_THAN) &&
	    !opt_set(c, OPT_UNUSED) && !opt_set(c, OPT_FLAVOR))
		return;
	if (opt_set(c, OPT_UNUSED))
		resolve_use(rs);
	clock_gettime(CLOCK_REALTIME, &now);
	for (i = 0; i < rs->n; i++)
		if (wanted(c, rec_facts(rs->v[i]), &now))
			rs->v[kept++] = rs->v[i];
		else
			rec_free(rs->v[i]);
	rs->n = kept;
}
