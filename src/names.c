/*
 * User and group names.  Each id is looked up once and kept: a listing of
 * thousands of objects owned by a handful of users asks NSS a handful of
 * times.  The static binary cannot load NSS modules (glibc would need the
 * shared libraries it was built with at run time), so it reads
 * /etc/passwd and /etc/group itself, as busybox does; `make STATIC=0`
 * asks NSS and so also sees LDAP or sssd users.
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

#ifdef IPCTOOL_STATIC
/*
 * /etc/passwd and /etc/group share the shape NAME:x:ID:...: find the line
 * whose name (want_name) or id (want_id) matches; give its name and id.
 */
static bool
db_find(const char *file, const char *want_name, unsigned want_id,
    char *name, size_t len, unsigned *id)
{
	char line[1024], *f[3], *p;
	bool found = false;
	FILE *fp;
	int i;

	if ((fp = fopen(file, "re")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), fp) != NULL) {
		for (p = line, i = 0; i < 3; i++)
			f[i] = strsep(&p, ":\n");
		if (f[2] == NULL || !all_digits(f[2]))
			continue;
		if (want_name != NULL ? strcmp(f[0], want_name) == 0 :
		    strtoul(f[2], NULL, 10) == want_id) {
			strlcpy(name, f[0], len);
			*id = (unsigned)strtoul(f[2], NULL, 10);
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

static const char *
user_lookup(unsigned id, char *buf, size_t len)
{
	return lookup_name("/etc/passwd", id, buf, len);
}

static const char *
group_lookup(unsigned id, char *buf, size_t len)
{
	return lookup_name("/etc/group", id, buf, len);
}

static bool
user_id_lookup(const char *name, unsigned *id)
{
	return lookup_id("/etc/passwd", name, id);
}

static bool
group_id_lookup(const char *name, unsigned *id)
{
	return lookup_id("/etc/group", name, id);
}
#else
static const char *
user_lookup(unsigned id, char *buf, size_t len)
{
	struct passwd *pw = getpwuid((uid_t)id);

	return pw != NULL && strlcpy(buf, pw->pw_name, len) < len ? buf : NULL;
}

static const char *
group_lookup(unsigned id, char *buf, size_t len)
{
	struct group *gr = getgrgid((gid_t)id);

	return gr != NULL && strlcpy(buf, gr->gr_name, len) < len ? buf : NULL;
}

static bool
user_id_lookup(const char *name, unsigned *id)
{
	struct passwd *pw = getpwnam(name);

	return pw != NULL && (*id = pw->pw_uid, true);
}

static bool
group_id_lookup(const char *name, unsigned *id)
{
	struct group *gr = getgrnam(name);

	return gr != NULL && (*id = gr->gr_gid, true);
}

#endif

static const char *
cached_name(struct name_cache *c, unsigned id,
    const char *(*lookup)(unsigned, char *, size_t))
{
	const char *name;
	char buf[64];

	if ((name = cache_find(c, id)) != NULL)
		return name;
	return cache_add(c, id, lookup(id, buf, sizeof(buf)));
}

static struct name_cache users, groups;

const char *
user_name(uid_t uid)
{
	return cached_name(&users, uid, user_lookup);
}

const char *
group_name(gid_t gid)
{
	return cached_name(&groups, gid, group_lookup);
}

/* Another mount namespace, another /etc/passwd: ask again from here on. */
void
names_forget(void)
{
	users.n = groups.n = 0;
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
