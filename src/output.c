/*
 * The output layer.  A handler describes each record once, field by field
 * with a type; this module renders it as an aligned table (ls), as
 * "name: value" lines (info) or as typed JSON.  Tables go through
 * libsmartcols; JSON is written here because the contract wants a bare
 * array for ls and nested arrays of objects, which libsmartcols cannot shape.
 */
#include <ctype.h>
#include <dlfcn.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "ipctool.h"

enum ftype { F_STR, F_INT, F_SIZE, F_KEY, F_MODE, F_TIME, F_BOOL, F_HEX,
    F_ARRAY, F_BYTES };

struct field {
	const char	*name;
	enum ftype	 type;
	char		*s;		/* F_STR, F_BYTES; NULL is null */
	long long	 i;		/* F_BYTES: the length */
	struct rec	**kids;		/* F_ARRAY */
	size_t		 nkids;
};

struct rec {
	struct field	*f;
	size_t		 n, cap;
};

struct rec *
rec_new(const char *type)
{
	struct rec *r = calloc(1, sizeof(*r));

	if (r == NULL)
		die(EXIT_FAIL, "out of memory");
	if (type != NULL)
		rec_str(r, "type", type);
	return r;
}

void
rec_free(struct rec *r)
{
	size_t i, k;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->f[i].s);
		for (k = 0; k < r->f[i].nkids; k++)
			rec_free(r->f[i].kids[k]);
		free(r->f[i].kids);
	}
	free(r->f);
	free(r);
}

static struct field *
add(struct rec *r, const char *name, enum ftype type, long long i)
{
	struct field *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->f = reallocarray(r->f, r->cap, sizeof(*r->f));
		if (r->f == NULL)
			die(EXIT_FAIL, "out of memory");
	}
	f = &r->f[r->n++];
	*f = (struct field){ .name = name, .type = type, .i = i };
	return f;
}

void
rec_str(struct rec *r, const char *name, const char *v)
{
	struct field *f = add(r, name, F_STR, 0);

	if (v != NULL && (f->s = strdup(v)) == NULL)
		die(EXIT_FAIL, "out of memory");
}

/* Bytes of any kind: JSON text when they are UTF-8, else NAME_base64. */
void
rec_bytes(struct rec *r, const char *name, const void *v, size_t len)
{
	struct field *f = add(r, name, F_BYTES, (long long)len);

	if ((f->s = malloc(len + 1)) == NULL)
		die(EXIT_FAIL, "out of memory");
	memcpy(f->s, v, len);
	f->s[len] = '\0';
}

void rec_int(struct rec *r, const char *n, long long v) { add(r, n, F_INT, v); }
void rec_size(struct rec *r, const char *n, unsigned long long v)
{ add(r, n, F_SIZE, (long long)v); }
void rec_key(struct rec *r, const char *n, key_t v)
{ add(r, n, F_KEY, (long long)(uint32_t)v); }
void rec_mode(struct rec *r, const char *n, mode_t v)
{ add(r, n, F_MODE, (long long)(v & 07777)); }
void rec_time(struct rec *r, const char *n, time_t v) { add(r, n, F_TIME, v); }
void rec_bool(struct rec *r, const char *n, bool v) { add(r, n, F_BOOL, v); }
void rec_hex(struct rec *r, const char *n, uintptr_t v)
{ add(r, n, F_HEX, (long long)v); }
void rec_user(struct rec *r, const char *n, uid_t u) { rec_str(r, n, user_name(u)); }
void rec_group(struct rec *r, const char *n, gid_t gr)
{ rec_str(r, n, group_name(gr)); }

static struct field *
array_field(struct rec *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->f[i].type == F_ARRAY && strcmp(r->f[i].name, name) == 0)
			return &r->f[i];
	return add(r, name, F_ARRAY, 0);
}

/*
 * An array that may stay empty ([] in JSON), and what a table cell shows
 * for it instead of the count of its elements.
 */
void
rec_array(struct rec *r, const char *name, const char *cell)
{
	struct field *f = array_field(r, name);

	free(f->s);
	f->s = NULL;
	if (cell != NULL && (f->s = strdup(cell)) == NULL)
		die(EXIT_FAIL, "out of memory");
}

struct rec *
rec_child(struct rec *r, const char *name)
{
	struct field *f = array_field(r, name);

	f->kids = reallocarray(f->kids, f->nkids + 1, sizeof(*f->kids));
	if (f->kids == NULL)
		die(EXIT_FAIL, "out of memory");
	return f->kids[f->nkids++] = rec_new(NULL);
}

/* Names are looked up once each: NSS is the slowest part of a listing. */
const char *
user_name(uid_t uid)
{
	static char buf[64];
	static uid_t last = (uid_t)-1;
	struct passwd *pw;

	if (uid != last || buf[0] == '\0') {
		last = uid;
		if ((pw = getpwuid(uid)) != NULL)
			strlcpy(buf, pw->pw_name, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%u", (unsigned)uid);
	}
	return buf;
}

const char *
group_name(gid_t gid)
{
	static char buf[64];
	static gid_t last = (gid_t)-1;
	struct group *gr;

	if (gid != last || buf[0] == '\0') {
		last = gid;
		if ((gr = getgrgid(gid)) != NULL)
			strlcpy(buf, gr->gr_name, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "%u", (unsigned)gid);
	}
	return buf;
}

/*
 * libsmartcols is loaded when a table is first printed, not at start-up:
 * the verbs scripts call in loops (info, read, write) then start with libc
 * alone, which is what lets one call cost less than `ipcs -i`.
 */
static struct {
	struct libscols_table *(*new_table)(void);
	struct libscols_column *(*new_column)(struct libscols_table *,
	    const char *, double, int);
	struct libscols_line *(*new_line)(struct libscols_table *,
	    struct libscols_line *);
	int	(*set_data)(struct libscols_line *, size_t, const char *);
	int	(*print_table)(struct libscols_table *);
	void	(*unref_table)(struct libscols_table *);
} sc;

static void *
scols_sym(void *lib, const char *name)
{
	void *p = dlsym(lib, name);

	if (p == NULL)
		die(EXIT_FAIL, "libsmartcols: %s", dlerror());
	return p;
}

static void
scols_load(void)
{
	void *lib;

	if (sc.new_table != NULL)
		return;
	if ((lib = dlopen("libsmartcols.so.1", RTLD_NOW | RTLD_LOCAL)) == NULL)
		die(EXIT_FAIL, "cannot print a table: %s", dlerror());
	*(void **)&sc.new_column = scols_sym(lib, "scols_table_new_column");
	*(void **)&sc.new_line = scols_sym(lib, "scols_table_new_line");
	*(void **)&sc.set_data = scols_sym(lib, "scols_line_set_data");
	*(void **)&sc.print_table = scols_sym(lib, "scols_print_table");
	*(void **)&sc.unref_table = scols_sym(lib, "scols_unref_table");
	*(void **)&sc.new_table = scols_sym(lib, "scols_new_table");
}

/* ---- text ---- */

static const char *
text_value(const struct field *f, bool table, char *buf, size_t len)
{
	struct tm tm;
	time_t t;

	switch (f->type) {
	case F_STR:
		return f->s != NULL ? f->s : "-";
	case F_INT:
		snprintf(buf, len, "%lld", f->i);
		break;
	case F_SIZE:
		/* Four columns at most, as df -h prints. */
		if (table && len > 5)
			humanize_number(buf, 5, f->i, "", HN_AUTOSCALE,
			    HN_NOSPACE | HN_DECIMAL);
		else
			snprintf(buf, len, "%lld", f->i);
		break;
	case F_KEY:
		snprintf(buf, len, "0x%08llx", f->i);
		break;
	case F_MODE:
		snprintf(buf, len, "%04llo", f->i);
		break;
	case F_TIME:
		t = (time_t)f->i;
		if (t == 0)
			return table ? "-" : "never";
		localtime_r(&t, &tm);
		strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
		break;
	case F_BOOL:
		return f->i ? "yes" : "no";
	case F_HEX:
		snprintf(buf, len, "0x%llx", f->i);
		break;
	case F_ARRAY:
		if (table && f->s != NULL)
			return f->s;
		snprintf(buf, len, "%zu", f->nkids);
		break;
	case F_BYTES:
		return f->s;	/* up to a NUL; the text form is not for data */
	}
	return buf;
}

static const struct field *
find_one_field(const struct rec *r, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strlen(r->f[i].name) == len &&
		    strncmp(r->f[i].name, name, len) == 0)
			return &r->f[i];
	return NULL;
}

/* A column "name|path" shows the first of those fields a record has. */
static const struct field *
find_field(const struct rec *r, const char *name, size_t len)
{
	const struct field *f;
	size_t k;

	for (;;) {
		k = strcspn(name, "|");
		if (k > len)
			k = len;
		if ((f = find_one_field(r, name, k)) != NULL || k == len)
			return f;
		name += k + 1;
		len -= k + 1;
	}
}

static void
table_header(struct libscols_table *tb, const char *name, size_t len,
    const struct field *sample)
{
	char head[32];
	size_t i;
	int flags = 0;

	len = strcspn(name, "|") < len ? strcspn(name, "|") : len;
	for (i = 0; i < len && i < sizeof(head) - 1; i++)
		head[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ?
		    name[i] - 'a' + 'A' : name[i]);
	head[i] = '\0';
	if (sample != NULL && (sample->type == F_INT ||
	    sample->type == F_SIZE))
		flags = SCOLS_FL_RIGHT;
	if (sc.new_column(tb, head, 0, flags) == NULL)
		die(EXIT_FAIL, "out of memory");
}

static void
text_table(struct rec *const *recs, size_t n, const char *columns)
{
	struct libscols_table *tb;
	const char *c, *end;
	size_t i;
	int col;

	scols_load();
	if ((tb = sc.new_table()) == NULL)
		die(EXIT_FAIL, "out of memory");
	for (c = columns; *c != '\0'; c = *end ? end + 1 : end) {
		end = c + strcspn(c, ",");
		table_header(tb, c, (size_t)(end - c),
		    find_field(recs[0], c, (size_t)(end - c)));
	}
	for (i = 0; i < n; i++) {
		struct libscols_line *ln = sc.new_line(tb, NULL);
		char buf[64];

		for (c = columns, col = 0; *c != '\0';
		    c = *end ? end + 1 : end, col++) {
			const struct field *f;

			end = c + strcspn(c, ",");
			f = find_field(recs[i], c, (size_t)(end - c));
			sc.set_data(ln, (size_t)col, f == NULL ? "-" :
			    text_value(f, true, buf, sizeof(buf)));
		}
	}
	sc.print_table(tb);
	sc.unref_table(tb);
}

static char *
column_list(const struct rec *r)
{
	char *cols = calloc(1, 1024);
	size_t i;

	if (cols == NULL)
		die(EXIT_FAIL, "out of memory");
	for (i = 0; i < r->n; i++) {
		if (cols[0] != '\0')
			strlcat(cols, ",", 1024);
		strlcat(cols, r->f[i].name, 1024);
	}
	return cols;
}

static void
text_record(const struct rec *r)
{
	size_t i, width = 0;
	char buf[64];

	for (i = 0; i < r->n; i++)
		if (r->f[i].type != F_ARRAY && strlen(r->f[i].name) > width)
			width = strlen(r->f[i].name);
	for (i = 0; i < r->n; i++) {
		const struct field *f = &r->f[i];

		if (f->type != F_ARRAY) {
			printf("%s:%*s %s\n", f->name,
			    (int)(width - strlen(f->name)), "",
			    text_value(f, false, buf, sizeof(buf)));
		} else if (f->nkids > 0) {
			char *cols = column_list(f->kids[0]);

			printf("%s:\n", f->name);
			fflush(stdout);
			text_table(f->kids, f->nkids, cols);
			free(cols);
		}
	}
}

/* ---- JSON ---- */

static void
json_string_n(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	putchar('"');
	for (; p < end; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void
json_string(const char *s)
{
	json_string_n(s, strlen(s));
}

/* Well-formed UTF-8: no stray continuation bytes, overlongs or surrogates. */
static bool
is_utf8(const unsigned char *p, size_t len)
{
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0)
			n = 1, cp = p[i] & 0x1f;
		else if ((p[i] & 0xf0) == 0xe0)
			n = 2, cp = p[i] & 0x0f;
		else if ((p[i] & 0xf8) == 0xf0)
			n = 3, cp = p[i] & 0x07;
		else
			return false;
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

static void
json_base64(const unsigned char *p, size_t len)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	putchar('"');
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 |
		    p[i + 2];

		putchar(abc[v >> 18]);
		putchar(abc[v >> 12 & 63]);
		putchar(abc[v >> 6 & 63]);
		putchar(abc[v & 63]);
	}
	if (i < len) {
		uint32_t v = (uint32_t)p[i] << 16 |
		    (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0);

		putchar(abc[v >> 18]);
		putchar(abc[v >> 12 & 63]);
		putchar(i + 1 < len ? abc[v >> 6 & 63] : '=');
		putchar('=');
	}
	putchar('"');
}

static void json_object(const struct rec *);

static void
json_value(const struct field *f)
{
	char buf[32];
	struct tm tm;
	time_t t;
	size_t k;

	switch (f->type) {
	case F_STR:
		if (f->s == NULL)
			fputs("null", stdout);
		else
			json_string(f->s);
		break;
	case F_BYTES:
		json_string_n(f->s, (size_t)f->i);
		break;
	case F_INT:
	case F_SIZE:
		printf("%lld", f->i);
		break;
	case F_KEY:
	case F_MODE:
	case F_HEX:
		printf("\"%s\"", text_value(f, false, buf, sizeof(buf)));
		break;
	case F_TIME:
		if ((t = (time_t)f->i) == 0) {
			fputs("null", stdout);
			break;
		}
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("\"%s\"", buf);
		break;
	case F_BOOL:
		fputs(f->i ? "true" : "false", stdout);
		break;
	case F_ARRAY:
		putchar('[');
		for (k = 0; k < f->nkids; k++) {
			if (k > 0)
				putchar(',');
			json_object(f->kids[k]);
		}
		putchar(']');
		break;
	}
}

static void
json_object(const struct rec *r)
{
	size_t i;

	putchar('{');
	for (i = 0; i < r->n; i++) {
		const struct field *f = &r->f[i];

		if (i > 0)
			putchar(',');
		if (f->type == F_BYTES &&
		    !is_utf8((unsigned char *)f->s, (size_t)f->i)) {
			printf("\"%s_base64\":", f->name);
			json_base64((unsigned char *)f->s, (size_t)f->i);
			continue;
		}
		json_string(f->name);
		putchar(':');
		json_value(f);
	}
	putchar('}');
}

/* ---- entry points ---- */

void
out_record(const struct rec *r)
{
	out_line(r);
	out_flush_or_die();
}

void
out_table(struct rec *const *recs, size_t n, const char *columns)
{
	size_t i;

	if (g.json) {
		putchar('[');
		for (i = 0; i < n; i++) {
			fputs(i > 0 ? ",\n" : "\n", stdout);
			json_object(recs[i]);
		}
		fputs(n > 0 ? "\n]\n" : "]\n", stdout);
	} else if (n > 0) {
		fflush(stdout);
		text_table(recs, n, columns);
	}
	out_flush_or_die();
}

/* One JSON line, or the info lines, left in stdio's buffer: for streams. */
void
out_line(const struct rec *r)
{
	if (g.json) {
		json_object(r);
		putchar('\n');
	} else
		text_record(r);
}

/* create: the handle alone for scripts, or the whole record in JSON. */
void
out_handle(const char *handle, const struct rec *r)
{
	if (g.json)
		json_object(r), putchar('\n');
	else
		printf("%s\n", handle);
	out_flush_or_die();
}

void
recs_add(struct recs *rs, struct rec *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 32;
		rs->v = reallocarray(rs->v, rs->cap, sizeof(*rs->v));
		if (rs->v == NULL)
			die(EXIT_FAIL, "out of memory");
	}
	rs->v[rs->n++] = r;
}

void
recs_free(struct recs *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		rec_free(rs->v[i]);
	free(rs->v);
	*rs = (struct recs){ NULL, 0, 0 };
}

/* The word that names a record on a command line: its name, else its id. */
const char *
rec_handle(const struct rec *r)
{
	static char buf[32];
	const struct field *f;

	if ((f = find_field(r, "name", 4)) != NULL && f->s != NULL)
		return f->s;
	if ((f = find_field(r, "path", 4)) != NULL && f->s != NULL)
		return f->s;
	if ((f = find_field(r, "id", 2)) != NULL) {
		snprintf(buf, sizeof(buf), "%lld", f->i);
		return buf;
	}
	return "";
}

/* hexdump -C, with offsets from base. */
void
out_hexdump(const unsigned char *p, size_t len, size_t base)
{
	size_t i, k;

	for (i = 0; i < len; i += 16) {
		size_t n = len - i < 16 ? len - i : 16;

		printf("%08zx ", base + i);
		for (k = 0; k < 16; k++) {
			if (k == 8)
				putchar(' ');
			if (k < n)
				printf(" %02x", p[i + k]);
			else
				fputs("   ", stdout);
		}
		fputs("  |", stdout);
		for (k = 0; k < n; k++)
			putchar(isprint(p[i + k]) ? p[i + k] : '.');
		fputs("|\n", stdout);
	}
	if (len > 0)
		printf("%08zx\n", base + len);
	out_flush_or_die();
}
