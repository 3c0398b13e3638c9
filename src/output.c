/*
 * Records and the one renderer.  Each object declares its columns once
 * (struct column: name, type, flags, help); a handler fills a record field
 * by field; this module draws the records as an aligned table (widths from
 * every row), --raw, --export, "name: value" lines (info) or typed JSON,
 * with the columns --output chose.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "infra.h"

struct settings g;

struct field {
	const char	*name;
	enum col_type	 type;
	char		*s;		/* COL_STR, COL_BYTES; NULL is null */
	long long	 i;		/* COL_BYTES: the length */
	struct rec	**kids;		/* COL_ARRAY */
	size_t		 nkids;
};

struct rec {
	struct field	*f;
	size_t		 n, cap;
	/* A deferred record: its fields are made from data when drawn. */
	void		(*fill)(struct rec *, const void *);
	void		*data;
	struct rec_facts facts;
	/*
	 * Fields many records share (ls -A: their namespace's), looked up
	 * after the record's own, and the names their fill must use; a
	 * shared record goes with the last record sharing it.
	 */
	struct rec	*shared;
	struct names	*names;
	unsigned	 refs;
};

static void *
xreallocarray(void *p, size_t n, size_t size)
{
	if ((p = reallocarray(p, n, size)) == NULL)
		die(EXIT_FAIL, "out of memory");
	return p;
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		die(EXIT_FAIL, "out of memory");
	return p;
}

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

/*
 * A record made only when it is drawn: fill(r, data) adds its fields then,
 * and they go again once the row is out.  A list of many thousand objects
 * so holds each one's data (a kernel struct) rather than its fields.  fill
 * must add the same fields each time (a table draws every row twice: for
 * the widths, then the rows), so it reads data alone, never the object.
 * data, from malloc, is the record's.  Only the renderer sees the fields:
 * rec_get_str and rec_get_size find none.
 */
struct rec *
rec_deferred(void (*fill)(struct rec *, const void *), void *data)
{
	struct rec *r = rec_new(NULL);

	r->fill = fill;
	r->data = data;
	return r;
}

/*
 * R shows SHARED's fields too, after its own, and is filled with
 * SHARED's names (rec_share_names): ls -A gives each object its
 * namespace this way, one record per namespace, not three fields each.
 * rec_free(SHARED) by its maker and by each R's rec_free: the last frees.
 */
void
rec_share(struct rec *r, struct rec *shared)
{
	r->shared = shared;
	shared->refs++;
}

/* The names the records sharing R were read with; R owns them. */
void
rec_share_names(struct rec *r, struct names *n)
{
	r->names = n;
}

void
rec_set_facts(struct rec *r, const struct rec_facts *f)
{
	r->facts = *f;
	r->facts.set = true;
}

struct rec_facts *
rec_facts(struct rec *r)
{
	return &r->facts;
}

static void
drop_fields(struct rec *r)
{
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		free(r->f[i].s);
		for (k = 0; k < r->f[i].nkids; k++)
			rec_free(r->f[i].kids[k]);
		free(r->f[i].kids);
	}
	free(r->f);
	r->f = NULL;
	r->n = r->cap = 0;
}

void
rec_free(struct rec *r)
{
	if (r == NULL)
		return;
	if (r->refs > 0) {	/* others share it still */
		r->refs--;
		return;
	}
	if (r->shared != NULL)
		rec_free(r->shared);
	drop_fields(r);
	free(r->data);
	names_free(r->names);
	free(r);
}

/* Before and after drawing a record: a deferred one is made, then dropped. */
static void
rec_open(struct rec *r)
{
	if (r->fill != NULL && r->n == 0) {
		if (r->shared != NULL && r->shared->names != NULL)
			names_use(r->shared->names);
		r->fill(r, r->data);
		names_use(NULL);
	}
}

static void
rec_close(struct rec *r)
{
	if (r->fill != NULL)
		drop_fields(r);
}

static struct field *
add(struct rec *r, const char *name, enum col_type type, long long i)
{
	struct field *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->f = xreallocarray(r->f, r->cap, sizeof(*r->f));
	}
	f = &r->f[r->n++];
	*f = (struct field){ .name = name, .type = type, .i = i };
	return f;
}

void
rec_str(struct rec *r, const char *name, const char *v)
{
	struct field *f = add(r, name, COL_STR, 0);

	if (v != NULL)
		f->s = xstrdup(v);
}

/* Bytes of any kind: JSON text when they are UTF-8, else NAME_base64. */
void
rec_bytes(struct rec *r, const char *name, const void *v, size_t len)
{
	struct field *f = add(r, name, COL_BYTES, (long long)len);

	if ((f->s = malloc(len + 1)) == NULL)
		die(EXIT_FAIL, "out of memory");
	memcpy(f->s, v, len);
	f->s[len] = '\0';
}

void rec_int(struct rec *r, const char *n, long long v) { add(r, n, COL_INT, v); }
/* Sizes and counts are unsigned: a kernel's "no limit" is near 2^64. */
void rec_size(struct rec *r, const char *n, unsigned long long v)
{ add(r, n, COL_SIZE, (long long)v); }
void rec_count(struct rec *r, const char *n, unsigned long long v)
{ add(r, n, COL_COUNT, (long long)v); }
void rec_key(struct rec *r, const char *n, key_t v)
{ add(r, n, COL_KEY, (long long)(uint32_t)v); }
void rec_mode(struct rec *r, const char *n, mode_t v)
{ add(r, n, COL_MODE, (long long)(v & 07777)); }
void rec_time(struct rec *r, const char *n, time_t v) { add(r, n, COL_TIME, v); }
void rec_bool(struct rec *r, const char *n, bool v) { add(r, n, COL_BOOL, v); }
void rec_hex(struct rec *r, const char *n, uintptr_t v)
{ add(r, n, COL_HEX, (long long)v); }
void rec_user(struct rec *r, const char *n, uid_t u) { rec_str(r, n, user_name(u)); }
void rec_group(struct rec *r, const char *n, gid_t gr)
{ rec_str(r, n, group_name(gr)); }

static const struct field *
find_field(const struct rec *r, const char *name)
{
	const struct rec *p;
	size_t i;

	/*
	 * Names are string literals, and the linker merges equal ones: the
	 * column's name is most often the very pointer the record (or the
	 * record it shares) holds; compare the text only when it is not.
	 */
	for (p = r; p != NULL; p = p->shared)
		for (i = 0; i < p->n; i++)
			if (p->f[i].name == name)
				return &p->f[i];
	for (p = r; p != NULL; p = p->shared)
		for (i = 0; i < p->n; i++)
			if (strcmp(p->f[i].name, name) == 0)
				return &p->f[i];
	return NULL;
}

/* A string field's value, or NULL. */
const char *
rec_get_str(const struct rec *r, const char *name)
{
	const struct field *f = find_field(r, name);

	return f != NULL && f->type == COL_STR ? f->s : NULL;
}

/* A number field's value, or 0. */
unsigned long long
rec_get_size(const struct rec *r, const char *name)
{
	const struct field *f = find_field(r, name);

	return f != NULL && f->type != COL_STR && f->type != COL_BYTES &&
	    f->type != COL_ARRAY ? (unsigned long long)f->i : 0;
}

static struct field *
array_field(struct rec *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->f[i].type == COL_ARRAY && strcmp(r->f[i].name, name) == 0)
			return &r->f[i];
	return add(r, name, COL_ARRAY, 0);
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
	f->s = cell != NULL ? xstrdup(cell) : NULL;
}

struct rec *
rec_child(struct rec *r, const char *name)
{
	struct field *f = array_field(r, name);

	f->kids = xreallocarray(f->kids, f->nkids + 1, sizeof(*f->kids));
	return f->kids[f->nkids++] = rec_new(NULL);
}

void
recs_add(struct recs *rs, struct rec *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 32;
		rs->v = xreallocarray(rs->v, rs->cap, sizeof(*rs->v));
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

/* ---- column selection ---- */

static const struct column *
column_named(const struct column *cols, const char *name, size_t len)
{
	for (; cols != NULL && cols->name != NULL; cols++)
		if (strlen(cols->name) == len &&
		    strncasecmp(cols->name, name, len) == 0)
			return cols;
	return NULL;
}

/* NULL if every name in LIST (or +LIST) is a column; else why not. */
const char *
columns_check(const struct column *cols, const char *list)
{
	static char why[96];
	const char *p, *end;

	if (*list == '+')
		list++;
	if (*list == '\0')
		return "no columns given";
	for (p = list; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = p + strcspn(p, ",");
		if (column_named(cols, p, (size_t)(end - p)) == NULL) {
			snprintf(why, sizeof(why), "unknown column '%.*s'; "
			    "see --list-columns", (int)(end - p), p);
			return why;
		}
	}
	return NULL;
}

struct selection {
	const struct column **v;
	size_t		 n;
};

static void
select_add(struct selection *sel, const struct column *c)
{
	sel->v = xreallocarray(sel->v, sel->n + 1, sizeof(*sel->v));
	sel->v[sel->n++] = c;
}

/* +LIST adds what the default set lacks; a column it has stays one. */
static bool
selected(const struct selection *sel, const struct column *c)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		if (sel->v[i] == c)
			return true;
	return false;
}

/* --output's columns, or the default set (all of them when defaults). */
static struct selection
select_columns(const struct column *cols, bool all)
{
	struct selection sel = { NULL, 0 };
	const char *list = g.columns, *p, *end;
	const struct column *c;

	if (list == NULL || *list == '+')
		for (c = cols; c != NULL && c->name != NULL; c++)
			if (all || (c->flags & COL_DEFAULT) ||
			    (g.all_namespaces && (c->flags & COL_ALLNS)))
				select_add(&sel, c);
	if (list == NULL)
		return sel;
	if (*list == '+')
		list++;
	for (p = list; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = p + strcspn(p, ",");
		if ((c = column_named(cols, p, (size_t)(end - p))) != NULL &&
		    !(list != g.columns && selected(&sel, c)))
			select_add(&sel, c);
	}
	return sel;
}

/* The field a column shows in a record: its own, else its alias. */
static const struct field *
column_field(const struct rec *r, const struct column *c)
{
	const struct field *f = find_field(r, c->name);

	if (f == NULL && c->alias != NULL)
		f = find_field(r, c->alias);
	return f;
}

/* ---- text of one value ---- */

/*
 * Four columns at most, as df -h prints.  humanize_number(3) takes an
 * int64_t: above that (a kernel's "no limit"), scale by 1024 first and
 * name the next unit up.
 */
static void
human_size(char buf[5], unsigned long long v)
{
	static const char units[] = "KMGTPE";
	char *u;

	if (v <= INT64_MAX) {
		humanize_number(buf, 5, (int64_t)v, "", HN_AUTOSCALE,
		    HN_NOSPACE | HN_DECIMAL);
		return;
	}
	humanize_number(buf, 5, (int64_t)(v >> 10), "", HN_AUTOSCALE,
	    HN_NOSPACE | HN_DECIMAL);
	if ((u = strpbrk(buf, units)) != NULL && u[0] != 'E')
		*u = units[strchr(units, *u) - units + 1];
}

static const char *
text_value(const struct field *f, bool human, char *buf, size_t len)
{
	struct tm tm;
	time_t t;

	if (f == NULL)
		return "-";
	switch (f->type) {
	case COL_STR:
		return f->s != NULL ? f->s : "-";
	case COL_INT:
		snprintf(buf, len, "%lld", f->i);
		break;
	case COL_COUNT:
		snprintf(buf, len, "%llu", (unsigned long long)f->i);
		break;
	case COL_SIZE:
		if (human && len > 5)
			human_size(buf, (unsigned long long)f->i);
		else
			snprintf(buf, len, "%llu", (unsigned long long)f->i);
		break;
	case COL_KEY:
		snprintf(buf, len, "0x%08llx", f->i);
		break;
	case COL_MODE:
		snprintf(buf, len, "%04llo", f->i);
		break;
	case COL_TIME:
		t = (time_t)f->i;
		if (t == 0)
			return human ? "-" : "never";
		localtime_r(&t, &tm);
		strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
		break;
	case COL_BOOL:
		return f->i ? "yes" : "no";
	case COL_HEX:
		snprintf(buf, len, "0x%llx", f->i);
		break;
	case COL_ARRAY:
		if (f->s != NULL)
			return f->s;
		snprintf(buf, len, "%zu", f->nkids);
		break;
	case COL_BYTES:
		return f->s;	/* up to a NUL; the text form is not for data */
	}
	return buf;
}

static void
print_upper(const char *s)
{
	for (; *s != '\0'; s++)
		putchar(toupper((unsigned char)*s));
}

/* --raw: a value in one word; blanks, controls, '\' and non-ASCII as \xHH. */
static void
print_raw(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '\\')
			printf("\\x%02x", *p);
		else
			putchar(*p);
}

/*
 * Tables and info lines: control bytes as \xHH, so no name can split a
 * row or reach the terminal as an escape sequence (--raw and --json are
 * the exact forms).  Returns s itself when it is clean; else a copy in *owned.
 */
static const char *
printable(const char *s, char **owned)
{
	const unsigned char *p;
	char *o, *q;

	*owned = NULL;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < ' ' || *p == 0x7f)
			break;
	if (*p == '\0')
		return s;
	o = q = xreallocarray(NULL, 4 * strlen(s) + 1, 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < ' ' || *p == 0x7f)
			q += sprintf(q, "\\x%02x", *p);
		else
			*q++ = (char)*p;
	*q = '\0';
	return *owned = o;
}

/* --export: inside sh's double quotes, where only these four are special. */
static void
print_export(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putchar('"');
	for (; *p != '\0'; p++)
		if (*p == '"' || *p == '\\' || *p == '$' || *p == '`')
			printf("\\%c", *p);
		else if (*p < ' ' || *p == 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	putchar('"');
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

static void json_object(const struct rec *, const struct selection *);

static void
json_value(const struct field *f)
{
	char buf[32];
	struct tm tm;
	time_t t;
	size_t k;

	switch (f->type) {
	case COL_STR:
		if (f->s == NULL)
			fputs("null", stdout);
		else
			json_string(f->s);
		break;
	case COL_BYTES:
		json_string_n(f->s, (size_t)f->i);
		break;
	case COL_INT:
		printf("%lld", f->i);
		break;
	case COL_SIZE:
	case COL_COUNT:
		printf("%llu", (unsigned long long)f->i);
		break;
	case COL_KEY:
	case COL_MODE:
	case COL_HEX:
		printf("\"%s\"", text_value(f, false, buf, sizeof(buf)));
		break;
	case COL_TIME:
		if ((t = (time_t)f->i) == 0) {
			fputs("null", stdout);
			break;
		}
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("\"%s\"", buf);
		break;
	case COL_BOOL:
		fputs(f->i ? "true" : "false", stdout);
		break;
	case COL_ARRAY:
		putchar('[');
		for (k = 0; k < f->nkids; k++) {
			if (k > 0)
				putchar(',');
			json_object(f->kids[k], NULL);
		}
		putchar(']');
		break;
	}
}

static void
json_member(const char *name, const struct field *f)
{
	if (f != NULL && f->type == COL_BYTES &&
	    !is_utf8((unsigned char *)f->s, (size_t)f->i)) {
		printf("\"%s_base64\":", name);
		json_base64((unsigned char *)f->s, (size_t)f->i);
		return;
	}
	json_string(name);
	putchar(':');
	if (f == NULL)
		fputs("null", stdout);
	else
		json_value(f);
}

/* Every field of the record, or just the selected columns. */
static void
json_object(const struct rec *r, const struct selection *sel)
{
	size_t i;

	putchar('{');
	if (sel == NULL)
		for (i = 0; i < r->n + (r->shared ? r->shared->n : 0); i++) {
			const struct field *f = i < r->n ? &r->f[i] :
			    &r->shared->f[i - r->n];

			if (i > 0)
				putchar(',');
			json_member(f->name, f);
		}
	else
		for (i = 0; i < sel->n; i++) {
			if (i > 0)
				putchar(',');
			json_member(sel->v[i]->name,
			    column_field(r, sel->v[i]));
		}
	putchar('}');
}

/* ---- tables ---- */

/* *w, or wider if the cell of column c in record r needs it. */
static void
widen(size_t *w, const struct column *c, const struct rec *r)
{
	char buf[64], *owned;
	size_t len;

	len = strlen(printable(text_value(column_field(r, c), true, buf,
	    sizeof(buf)), &owned));
	free(owned);
	if (len > *w)
		*w = len;
}

static void
pad_spaces(size_t n)
{
	static const char spaces[] = "                                ";

	for (; n >= sizeof(spaces) - 1; n -= sizeof(spaces) - 1)
		fwrite(spaces, 1, sizeof(spaces) - 1, stdout);
	fwrite(spaces, 1, n, stdout);
}

static void
table_cell(const struct column *c, const char *value, size_t width, bool last)
{
	char *owned;
	const char *text = printable(value, &owned);
	size_t pad = width > strlen(text) ? width - strlen(text) : 0;

	if (c->flags & COL_RIGHT)
		pad_spaces(pad);
	fputs(text, stdout);
	if (!(c->flags & COL_RIGHT) && !last)
		pad_spaces(pad);
	putchar(last ? '\n' : ' ');
	free(owned);
}

/* Aligned, one space between columns as lsblk and lsipc draw them. */
static void
text_table(const struct selection *sel, struct rec *const *recs, size_t n)
{
	size_t width[sel->n], i, k;
	char buf[64], head[64];

	for (k = 0; k < sel->n; k++)
		width[k] = strlen(sel->v[k]->name);
	/* Row by row, so that a deferred record is made once per pass. */
	for (i = 0; i < n; i++) {
		rec_open(recs[i]);
		for (k = 0; k < sel->n; k++)
			widen(&width[k], sel->v[k], recs[i]);
		rec_close(recs[i]);
	}
	if (!g.noheadings && sel->n > 0)
		for (k = 0; k < sel->n; k++) {
			size_t j;

			for (j = 0; sel->v[k]->name[j] != '\0' &&
			    j < sizeof(head) - 1; j++)
				head[j] = (char)toupper(
				    (unsigned char)sel->v[k]->name[j]);
			head[j] = '\0';
			table_cell(sel->v[k], head, width[k], k + 1 == sel->n);
		}
	for (i = 0; i < n; i++) {
		rec_open(recs[i]);
		for (k = 0; k < sel->n; k++)
			table_cell(sel->v[k], text_value(column_field(recs[i],
			    sel->v[k]), true, buf, sizeof(buf)), width[k],
			    k + 1 == sel->n);
		rec_close(recs[i]);
	}
}

static void
raw_table(const struct selection *sel, struct rec *const *recs, size_t n)
{
	size_t i, k;
	char buf[64];

	if (!g.noheadings && sel->n > 0)
		for (k = 0; k < sel->n; k++) {
			print_upper(sel->v[k]->name);
			putchar(k + 1 == sel->n ? '\n' : ' ');
		}
	for (i = 0; i < n; i++) {
		rec_open(recs[i]);
		for (k = 0; k < sel->n; k++) {
			print_raw(text_value(column_field(recs[i], sel->v[k]),
			    false, buf, sizeof(buf)));
			putchar(k + 1 == sel->n ? '\n' : ' ');
		}
		rec_close(recs[i]);
	}
}

static void
export_lines(const struct selection *sel, struct rec *const *recs, size_t n)
{
	const struct field *f;
	size_t i, k;
	char buf[64];

	for (i = 0; i < n; i++) {
		rec_open(recs[i]);
		for (k = 0; k < sel->n; k++) {
			f = column_field(recs[i], sel->v[k]);
			print_upper(sel->v[k]->name);
			putchar('=');
			print_export(f == NULL || (f->type == COL_STR &&
			    f->s == NULL) ? "" : text_value(f, false, buf,
			    sizeof(buf)));
			putchar(k + 1 == sel->n ? '\n' : ' ');
		}
		rec_close(recs[i]);
	}
}

static void
json_array(const struct selection *sel, struct rec *const *recs, size_t n)
{
	size_t i;

	putchar('[');
	for (i = 0; i < n; i++) {
		fputs(i > 0 ? ",\n" : "\n", stdout);
		rec_open(recs[i]);
		json_object(recs[i], sel);
		rec_close(recs[i]);
	}
	fputs(n > 0 ? "\n]\n" : "]\n", stdout);
}

/*
 * While the renderer writes, a reader that has gone is a write error
 * (EPIPE, said once, exit 1) rather than death by SIGPIPE.  The old
 * disposition comes back afterwards: a command sem run starts must not
 * inherit SIG_IGN.
 */
static void
pipe_quiet(struct sigaction *old)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };

	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, old);
}

static void
pipe_restore(const struct sigaction *old)
{
	sigaction(SIGPIPE, old, NULL);
}

/*
 * The columns of the list being collected, for out_shows(): whoever
 * collects records for out_table(cols, ...) names cols first.
 */
static const struct column *listing;

void
out_listing(const struct column *cols)
{
	listing = cols;
}

/*
 * Whether the list will draw field NAME: a collector asks before it pays
 * a system call per object for a value nobody sees.  Yes when JSON draws
 * every field, or a column drawn (--output's, else the defaults) is NAME
 * or shows it for want of its own; and yes when out_listing() did not
 * say what will be drawn.
 */
bool
out_shows(const char *name)
{
	struct selection sel;
	bool yes = false;
	size_t i;

	if (listing == NULL || (g.json && g.columns == NULL))
		return true;
	sel = select_columns(listing, false);
	for (i = 0; i < sel.n && !yes; i++)
		yes = strcmp(sel.v[i]->name, name) == 0 ||
		    (sel.v[i]->alias != NULL &&
		    strcmp(sel.v[i]->alias, name) == 0);
	free(sel.v);
	return yes;
}

/* The same for an array's elements, which only JSON draws in a list. */
bool
out_shows_elements(const char *name)
{
	return listing == NULL || (g.json && out_shows(name));
}

/* A table, --raw, --export or a JSON array of the records. */
static void
draw(const struct selection *sel, struct rec *const *recs, size_t n)
{
	if (g.json)
		json_array(g.columns != NULL ? sel : NULL, recs, n);
	else if (g.export)
		export_lines(sel, recs, n);
	else if (g.raw)
		raw_table(sel, recs, n);
	else if (n > 0)
		text_table(sel, recs, n);
}

void
out_table(const struct column *cols, struct rec *const *recs, size_t n)
{
	struct selection sel = select_columns(cols, false);
	struct sigaction old;

	pipe_quiet(&old);
	/* An empty table writes nothing, yet a closed stdout is an error. */
	if (!stdout_writable())
		die(EXIT_FAIL, "write error: %s", errno_text(EBADF, "file"));
	draw(&sel, recs, n);
	free(sel.v);
	out_flush_or_die();
	pipe_restore(&old);
}

/* ---- one record ---- */

/* The selected columns, or every field the record has, in its order. */
static struct selection
record_columns(const struct column *cols, const struct rec *r,
    struct column *own)
{
	struct selection sel = { NULL, 0 };
	const struct column *c;
	size_t i;

	if (g.columns != NULL)
		return select_columns(cols, true);
	for (i = 0; i < r->n; i++) {
		if ((c = column_named(cols, r->f[i].name,
		    strlen(r->f[i].name))) == NULL) {
			own[i] = (struct column){ r->f[i].name, r->f[i].type,
			    r->f[i].type == COL_INT || r->f[i].type ==
			    COL_SIZE || r->f[i].type == COL_COUNT ? COL_RIGHT :
			    0, NULL, NULL, NULL };
			c = &own[i];
		}
		select_add(&sel, c);
	}
	return sel;
}

static void
info_array(const struct column *c, const struct field *f)
{
	struct column own[f->nkids > 0 ? f->kids[0]->n + 1 : 1];
	struct selection sel;
	const char *saved = g.columns;

	printf("%s:\n", c->name);
	if (f->nkids == 0)
		return;
	g.columns = NULL;
	sel = record_columns(c->kids, f->kids[0], own);
	text_table(&sel, f->kids, f->nkids);
	free(sel.v);
	g.columns = saved;
}

/* info: "name: value" lines; with --noheadings the values alone. */
static void
info_lines(const struct selection *sel, const struct rec *r)
{
	const struct field *f;
	size_t i, width = 0;
	char buf[64], *owned;
	const char *text;

	for (i = 0; i < sel->n; i++)
		if (strlen(sel->v[i]->name) > width)
			width = strlen(sel->v[i]->name);
	for (i = 0; i < sel->n; i++) {
		f = column_field(r, sel->v[i]);
		if (f != NULL && f->type == COL_ARRAY && f->s == NULL) {
			info_array(sel->v[i], f);
			continue;
		}
		if (!g.noheadings)
			printf("%s:%*s ", sel->v[i]->name,
			    (int)(width - strlen(sel->v[i]->name)), "");
		text = printable(f != NULL ? text_value(f, false, buf,
		    sizeof(buf)) : "-", &owned);
		printf("%s\n", text);
		free(owned);
	}
}

void
out_record(const struct column *cols, const struct rec *r)
{
	struct column own[r->n + 1];
	struct selection sel = record_columns(cols, r, own);
	struct rec *const one[] = { (struct rec *)r };
	struct sigaction old;

	pipe_quiet(&old);
	if (g.json) {
		json_object(r, g.columns != NULL ? &sel : NULL);
		putchar('\n');
	} else if (g.export || g.raw)
		draw(&sel, one, 1);
	else
		info_lines(&sel, r);
	free(sel.v);
	out_flush_or_die();
	pipe_restore(&old);
}

/* One JSON line, or the info lines, left in stdio's buffer: for streams. */
void
out_line(const struct rec *r)
{
	struct column own[r->n + 1];
	struct selection sel;

	if (g.json) {
		json_object(r, NULL);
		putchar('\n');
		return;
	}
	sel = record_columns(NULL, r, own);
	info_lines(&sel, r);
	free(sel.v);
}

/*
 * create: the handle alone for scripts, or the whole record in JSON.
 * Returns 0, or the errno of a failed write, with nothing left buffered
 * (so that exit does not try again): the caller, which knows what it
 * made, undoes it and says so.
 */
int
out_handle(const char *handle, const struct rec *r)
{
	struct sigaction old;
	int err = 0;

	pipe_quiet(&old);
	errno = 0;
	if (g.json)
		json_object(r, NULL), putchar('\n');
	else
		printf("%s\n", handle);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		err = errno != 0 ? errno : EIO;
		__fpurge(stdout);
	}
	pipe_restore(&old);
	return err;
}

/* --list-columns: a table of its own, so --json and --raw work on it. */
void
columns_help(const struct column *cols)
{
	static const char *const types[] = {
		[COL_STR] = "string", [COL_INT] = "integer", [COL_SIZE] = "size",
		[COL_KEY] = "key", [COL_MODE] = "mode", [COL_TIME] = "time",
		[COL_BOOL] = "boolean", [COL_HEX] = "hex", [COL_ARRAY] = "array",
		[COL_BYTES] = "bytes", [COL_COUNT] = "count",
	};
	static const struct column help_columns[] = {
		{ "name", COL_STR, COL_DEFAULT, "column name", NULL, NULL },
		{ "type", COL_STR, COL_DEFAULT, "type of value", NULL, NULL },
		{ "default", COL_BOOL, COL_DEFAULT, "shown by default", NULL,
		    NULL },
		{ "help", COL_STR, COL_DEFAULT, "what it shows", NULL, NULL },
		COLUMNS_END
	};
	struct recs rs = { NULL, 0, 0 };
	struct rec *r;

	for (; cols->name != NULL; cols++) {
		r = rec_new(NULL);
		rec_str(r, "name", cols->name);
		rec_str(r, "type", types[cols->type]);
		rec_bool(r, "default", (cols->flags & COL_DEFAULT) != 0);
		rec_str(r, "help", cols->help);
		recs_add(&rs, r);
	}
	g.columns = NULL;
	out_table(help_columns, rs.v, rs.n);
	recs_free(&rs);
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
