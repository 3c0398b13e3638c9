/*
 * User and group names.  Each id is looked up once and kept: a listing of
 * thousands of objects owned by a handful of users asks NSS a handful of
 * times.  The static binary cannot load NSS modules (glibc would need the
 * shared libraries it was built with at run time), so it reads
 * /etc/passwd and /etc/group itself, as busybox does; `make STATIC=0`
 * asks NSS and so also sees LDAP or sssd users, in our own namespaces.
 * In another's (--ns, ls -A) both read its files alone.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infra.h"

struct name_cache {
	struct { unsigned id; char name[64]; } *v;
	size_t n, cap;
};

/*
 * The names in use: the caller's, asked as needed, or those of another
 * mount namespace (ls -A), read whole while we were in it and closed: an
 * id it lacks has no name there, and our own /etc/passwd must not answer.
 */
struct names {
	struct name_cache users, groups;
	bool		 closed;
};
static struct names ours, *names = &ours;

static const char *
cache_find(const struct name_cache *c, unsigned id)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].id == id)
			return c->v[i].name;
	return NULL;
}

static const char *
cache_add(struct name_cache *c, unsigned id, const char *name)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		c->v = reallocarray(c->v, c->cap, sizeof(*c->v));
		if (c->v == NULL)
			die(EXIT_FAIL, "out of memory");
	}
	c->v[c->n].id = id;
	if (name != NULL)
		strlcpy(c->v[c->n].name, name, sizeof(c->v[c->n].name));
	else
		snprintf(c->v[c->n].name, sizeof(c->v[c->n].name), "%u", id);
	return c->v[c->n++].name;
}

/* A NAME:x:ID line of /etc/passwd or /etc/group: its name and id. */
static bool
db_line(char *line, char **name, unsigned *id)
{
	char *f[3], *p = line;
	int i;

	for (i = 0; i < 3; i++)
		f[i] = strsep(&p, ":\n");
	if (f[2] == NULL || !all_digits(f[2]))
		return false;
	*name = f[0];
	*id = (unsigned)strtoul(f[2], NULL, 10);
	return true;
}

/*
 * /etc/passwd and /etc/group share the shape NAME:x:ID:...: find the line
 * whose name (want_name) or id (want_id) matches; give its name and id.
 */
static bool
db_find(const char *file, const char *want_name, unsigned want_id,
    char *name, size_t len, unsigned *id)
{
	char line[1024], *got;
	bool found = false;
	unsigned got_id;
	FILE *fp;

	if ((fp = fopen(file, "re")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), fp) != NULL) {
		if (!db_line(line, &got, &got_id))
			continue;
		if (want_name != NULL ? strcmp(got, want_name) == 0 :
		    got_id == want_id) {
			strlcpy(name, got, len);
			*id = got_id;
			found = true;
		}
	}
	fclose(fp);
	return found;
}

static const char *
lookup_name(const char *file, unsigned id, char *buf, size_t len)
{
	unsigned got;

	return db_find(file, NULL, id, buf, len, &got) ? buf : NULL;
}

static bool
lookup_id(const char *file, const char *name, unsigned *id)
{
	char buf[64];

	return db_find(file, name, 0, buf, sizeof(buf), id);
}

/*
 * In a namespace not our own (--ns): its files, never NSS.  glibc would
 * read that namespace's nsswitch.conf and dlopen the modules it names
 * from its file system: a container's code would run in us, as root.
 */
static bool foreign;

void
names_foreign(void)
{
	foreign = true;
}

/*
 * Each lookup: NSS in the dynamic binary in our own namespaces, else the
 * files.  (The static one makes no NSS calls: glibc warns of them.)
 */
static const char *
user_lookup(unsigned id, char *buf, size_t len)
{
#ifndef IPCTOOL_STATIC
	struct passwd *pw;

	if (!foreign)
		return (pw = getpwuid((uid_t)id)) != NULL &&
		    strlcpy(buf, pw->pw_name, len) < len ? buf : NULL;
#endif
	return lookup_name("/etc/passwd", id, buf, len);
}

static const char *
group_lookup(unsigned id, char *buf, size_t len)
{
#ifndef IPCTOOL_STATIC
	struct group *gr;

	if (!foreign)
		return (gr = getgrgid((gid_t)id)) != NULL &&
		    strlcpy(buf, gr->gr_name, len) < len ? buf : NULL;
#endif
	return lookup_name("/etc/group", id, buf, len);
}

static bool
user_id_lookup(const char *name, unsigned *id)
{
#ifndef IPCTOOL_STATIC
	struct passwd *pw;

	if (!foreign)
		return (pw = getpwnam(name)) != NULL &&
		    (*id = pw->pw_uid, true);
#endif
	return lookup_id("/etc/passwd", name, id);
}

static bool
group_id_lookup(const char *name, unsigned *id)
{
#ifndef IPCTOOL_STATIC
	struct group *gr;

	if (!foreign)
		return (gr = getgrnam(name)) != NULL &&
		    (*id = gr->gr_gid, true);
#endif
	return lookup_id("/etc/group", name, id);
}

static const char *
cached_name(struct name_cache *c, unsigned id,
    const char *(*lookup)(unsigned, char *, size_t))
{
	const char *name;
	char buf[64];

	if ((name = cache_find(c, id)) != NULL)
		return name;
	return cache_add(c, id, names->closed ? NULL :
	    lookup(id, buf, sizeof(buf)));
}

/* Every NAME:x:ID line of FILE (/etc/passwd, /etc/group) into C. */
static void
load_db(const char *file, struct name_cache *c)
{
	char line[1024], *name;
	unsigned id;
	FILE *fp;

	if ((fp = fopen(file, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (db_line(line, &name, &id) && cache_find(c, id) == NULL)
			cache_add(c, id, name);
	fclose(fp);
}

/*
 * The users and groups of the mount namespace we are in, from its files
 * (a container's NSS is its files; ours may be LDAP too, not theirs).
 */
struct names *
names_read_here(void)
{
	struct names *n = calloc(1, sizeof(*n));

	if (n == NULL)
		die(EXIT_FAIL, "out of memory");
	load_db("/etc/passwd", &n->users);
	load_db("/etc/group", &n->groups);
	n->closed = true;
	return n;
}

/* Names from N from now on; NULL: our own again. */
void
names_use(struct names *n)
{
	names = n != NULL ? n : &ours;
}

void
names_free(struct names *n)
{
	if (n == NULL || n == &ours)
		return;
	free(n->users.v);
	free(n->groups.v);
	free(n);
}

const char *
user_name(uid_t uid)
{
	return cached_name(&names->users, uid, user_lookup);
}

const char *
group_name(gid_t gid)
{
	return cached_name(&names->groups, gid, group_lookup);
}

bool
user_id(const char *name, uid_t *uid)
{
	unsigned id;

	return user_id_lookup(name, &id) && (*uid = (uid_t)id, true);
}

bool
group_id(const char *name, gid_t *gid)
{
	unsigned id;

	return group_id_lookup(name, &id) && (*gid = (gid_t)id, true);
}
