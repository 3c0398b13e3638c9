/*
 * One parser for every word a user types: references, sizes, modes,
 * durations, numbers, users; and for the /proc text ipctool reads.  The
 * check_* functions are pure (text in, a value or the reason it is wrong
 * out) so that the CLI and a fuzzer can call them; the parse_* wrappers
 * make a wrong word a usage error (exit 2) that names it.
 */
#include <sys/ipc.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infra.h"

bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Decimal, 0x hex or 0 octal, as C and ipcmk write keys. */
static bool
parse_c_number(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0' && *out <= max;
}

static int
parse_proj(const char *s)
{
	unsigned long long v;

	/* ftok(PATH, 'a') is how C programs usually write it. */
	if (s[0] != '\0' && s[1] == '\0' && !isdigit((unsigned char)s[0]))
		return (unsigned char)s[0];
	if (!parse_c_number(s, 255, &v) || v == 0)
		return -1;
	return (int)v;
}

/* ftok:PATH[:PROJ]: the path goes to buf; ftok(3) itself comes later. */
static const char *
check_ftok(const char *text, struct ref *r, char *buf, size_t len)
{
	const char *path = text + 5, *colon = strrchr(path, ':');
	size_t plen = colon != NULL ? (size_t)(colon - path) : strlen(path);

	r->proj = 1;
	if (colon != NULL && (r->proj = parse_proj(colon + 1)) < 0)
		return "the ftok project is 1 to 255 or one character";
	if (plen == 0)
		return "ftok needs a path";
	if (plen >= len)
		return "path too long";
	memcpy(buf, path, plen);
	buf[plen] = '\0';
	r->kind = REF_FTOK;
	r->name = buf;
	return NULL;
}

static const char *
check_posix_name(const char *text, struct ref *r)
{
	size_t len = strlen(text);

	if (len < 2 || len > 255 || strchr(text + 1, '/') != NULL)
		return "a POSIX name is '/' and 1 to 254 bytes with no other '/'";
	r->kind = REF_POSIX;
	r->name = text;
	return NULL;
}

static bool
small_number(const char *s, size_t len, long long min, long long *out)
{
	char buf[16];
	const char *err;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!all_digits(buf))
		return false;
	*out = strtonum(buf, min, INT_MAX, &err);
	return err == NULL;
}

/* PID:FD or FD. */
static bool
check_pipe_ref(const char *text, struct ref *r)
{
	const char *colon = strchr(text, ':');
	long long pid = 0, fd;

	if (colon == NULL) {
		if (!small_number(text, strlen(text), 0, &fd))
			return false;
	} else if (!small_number(text, (size_t)(colon - text), 1, &pid) ||
	    !small_number(colon + 1, strlen(colon + 1), 0, &fd))
		return false;
	r->kind = REF_PIPE;
	r->pid = (pid_t)pid;
	r->fd = (int)fd;
	return true;
}

/* "ID, key:KEY, ftok:PATH[:PROJ] or /name", for the forms allowed. */
static const char *
expected_forms(unsigned allowed)
{
	static const struct { unsigned kind; const char *form; } forms[] = {
		{ REF_PIPE, "PID:FD" }, { REF_PIPE, "FD" }, { REF_PATH, "PATH" },
		{ REF_SYSV_ID, "ID" }, { REF_SYSV_KEY, "key:KEY" },
		{ REF_SYSV_KEY, "ftok:PATH[:PROJ]" }, { REF_POSIX, "/name" },
	};
	static char buf[128];
	size_t i, n = 0, k = 0;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		n += (allowed & forms[i].kind) != 0;
	buf[0] = '\0';
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if ((allowed & forms[i].kind) == 0)
			continue;
		if (k++ > 0)
			strlcat(buf, k == n ? " or " : ", ", sizeof(buf));
		strlcat(buf, forms[i].form, sizeof(buf));
	}
	return buf;
}

/*
 * A reference of one of the allowed kinds.  An ftok: reference comes back
 * as REF_FTOK with its path in buf, for parse_ref to turn into a key.
 */
const char *
check_ref(const char *text, unsigned allowed, struct ref *r, char *buf,
    size_t len)
{
	static char why[192];
	unsigned long long v;
	long long id;

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->id = -1;
	if ((allowed & REF_PIPE) && check_pipe_ref(text, r))
		return NULL;
	if ((allowed & REF_PATH) && text[0] != '\0') {
		r->kind = REF_PATH;
		r->name = text;
		return NULL;
	}
	if ((allowed & REF_SYSV_ID) && all_digits(text)) {
		if (check_number(text, 0, INT_MAX, &id) != NULL)
			return "an id is 0 to 2147483647";
		r->kind = REF_SYSV_ID;
		r->id = (int)id;
		return NULL;
	}
	if ((allowed & REF_SYSV_KEY) && strncmp(text, "key:", 4) == 0) {
		if (!parse_c_number(text + 4, UINT32_MAX, &v))
			return "a key is 0x hex, 0 octal or decimal, at most "
			    "0xffffffff";
		r->kind = REF_SYSV_KEY;
		r->key = (key_t)(uint32_t)v;
		return NULL;
	}
	if ((allowed & REF_SYSV_KEY) && strncmp(text, "ftok:", 5) == 0)
		return check_ftok(text, r, buf, len);
	if ((allowed & REF_POSIX) && text[0] == '/')
		return check_posix_name(text, r);
	snprintf(why, sizeof(why), "expected %s", expected_forms(allowed));
	return why;
}

void
parse_ref(const char *text, unsigned allowed, struct ref *r)
{
	char path[PATH_MAX];
	const char *why = check_ref(text, allowed, r, path, sizeof(path));

	if (why != NULL)
		die_usage("invalid reference '%s': %s", text, why);
	if (r->kind != REF_FTOK)
		return;
	r->key = ftok(path, r->proj);
	trace_call(r->key, "ftok(\"%s\", %d)", path, r->proj);
	if (r->key == -1)
		die_errno(errno, path, "file");
	r->kind = REF_SYSV_KEY;
	r->name = NULL;
}

/*
 * System V and POSIX are two backends behind one verb: this is the one
 * place that chooses, by the form of the reference.
 */
const void *
flavor_pick(const struct ref *r, const void *sysv, const void *posix)
{
	return r != NULL && r->kind == REF_POSIX ? posix : sysv;
}

const char *
check_number(const char *text, long long min, long long max, long long *out)
{
	static char why[96];
	const char *errstr;

	*out = strtonum(text, min, max, &errstr);
	if (errstr == NULL)
		return NULL;
	snprintf(why, sizeof(why), "%s; %lld to %lld", errstr, min, max);
	return why;
}

/*
 * A `sem op` operation: INDEX ':' [+|-] DIGITS, then the flags u and n in
 * either order, each at most once (0:-1u, 1:+1, 2:0n).  INDEX is at most
 * max_index, |DELTA| at most max_delta.  A pure function over the text:
 * NULL and *out filled, or why the text is not an operation.
 */
const char *
check_sem_op(const char *text, unsigned max_index, int max_delta,
    struct sem_op_spec *out)
{
	static char why[128];
	unsigned long long index = 0, delta = 0;
	const char *p = text;
	bool neg = false;

	*out = (struct sem_op_spec){ 0, 0, false, false };
	if (*p < '0' || *p > '9')
		return "INDEX:DELTA with optional u and n, e.g. 0:-1u";
	for (; *p >= '0' && *p <= '9'; p++)
		if ((index = index * 10 + (unsigned)(*p - '0')) > max_index) {
			snprintf(why, sizeof(why), "index too large; 0 to %u",
			    max_index);
			return why;
		}
	if (*p++ != ':')
		return "INDEX:DELTA with optional u and n, e.g. 0:-1u";
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		return "DELTA is a number, e.g. -1, +2 or 0";
	for (; *p >= '0' && *p <= '9'; p++)
		if ((delta = delta * 10 + (unsigned)(*p - '0')) >
		    (unsigned long long)max_delta) {
			snprintf(why, sizeof(why), "delta too large; -%d to "
			    "%d (SEMVMX)", max_delta, max_delta);
			return why;
		}
	for (; *p != '\0'; p++) {
		if (*p == 'u' && !out->undo)
			out->undo = true;
		else if (*p == 'n' && !out->nowait)
			out->nowait = true;
		else
			return "flags after DELTA are u and n, each once";
	}
	out->index = (unsigned)index;
	out->delta = neg ? -(int)delta : (int)delta;
	return NULL;
}

long long
parse_number(const char *text, const char *what, long long min,
    long long max)
{
	const char *why;
	long long v;

	if ((why = check_number(text, min, max, &v)) != NULL)
		die_usage("invalid %s '%s' (%s)", what, text, why);
	return v;
}

/* Digits and at most one binary suffix: 4096, 4K, 1M, 2G (K = 1024). */
const char *
check_size(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	static char why[96];
	size_t len = strlen(text), digits = strspn(text, "0123456789");
	const char *unit = len > digits ? strchr("kKmMgGtT", text[digits]) :
	    NULL;
	unsigned shift;
	uint64_t v;

	if (digits == 0 || len - digits > 1 || (len > digits && unit == NULL))
		return "a number with an optional K, M, G or T suffix";
	/* Decimal: 010 is ten (expand_number(3) would read it as octal). */
	errno = 0;
	v = strtoull(text, NULL, 10);
	shift = unit != NULL ? 10 * (unsigned)((unit - "kKmMgGtT") / 2 + 1) : 0;
	if (errno == ERANGE || v > UINT64_MAX >> shift)
		return "too large";
	*out = v << shift;
	if (*out >= min && *out <= max)
		return NULL;
	snprintf(why, sizeof(why), "%ju to %ju", (uintmax_t)min,
	    (uintmax_t)max);
	return why;
}

uint64_t
parse_size(const char *text, const char *what, uint64_t min, uint64_t max)
{
	const char *why;
	uint64_t v;

	if ((why = check_size(text, min, max, &v)) != NULL)
		die_usage("invalid %s '%s' (%s)", what, text, why);
	return v;
}

const char *
check_mode(const char *text, mode_t *out)
{
	size_t len = strlen(text);
	unsigned long v;

	/* Leading zeros are fine (chmod takes 00644); the value is not. */
	if (len == 0 || strspn(text, "01234567") != len ||
	    len - strspn(text, "0") > 3 || (v = strtoul(text, NULL, 8)) > 0777)
		return "octal, 0 to 0777";
	*out = (mode_t)v;
	return NULL;
}

mode_t
parse_mode(const char *text)
{
	mode_t m;

	if (check_mode(text, &m) != NULL)
		die_usage("invalid mode '%s' (octal, 0 to 0777)", text);
	return m;
}

/* 2, 0.5, 250ms, 3s, 1m, 1h: seconds unless a unit says otherwise. */
const char *
check_duration(const char *text, struct timespec *out)
{
	static const struct { const char *unit; long double ns; } units[] = {
		{ "", 1e9L }, { "s", 1e9L }, { "ms", 1e6L }, { "us", 1e3L },
		{ "m", 60e9L }, { "h", 3600e9L },
	};
	static const char why[] = "seconds, or a number with ms, s, m or h";
	size_t whole = strspn(text, "0123456789"), frac = 0, i;
	const char *p = text + whole;
	long double v = 0, scale = 1;
	long long ns;

	if (*p == '.')
		frac = strspn(p + 1, "0123456789");
	if ((whole == 0 && frac == 0) || whole > 12 || frac > 12)
		return why;
	for (i = 0; i < whole; i++)
		v = v * 10 + (text[i] - '0');
	if (*p == '.') {
		for (i = 0; i < frac; i++)
			v += (p[1 + i] - '0') * (scale /= 10);
		p += 1 + frac;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].unit) == 0)
			break;
	/* A duration past INT_MAX seconds (68 years) is a typo, not a wait. */
	if (i == sizeof(units) / sizeof(units[0]) ||
	    v * units[i].ns > (long double)INT_MAX * 1e9L)
		return why;
	ns = (long long)(v * units[i].ns + 0.5L);
	*out = (struct timespec){ .tv_sec = (time_t)(ns / 1000000000LL),
	    .tv_nsec = (long)(ns % 1000000000LL) };
	return NULL;
}

struct timespec
parse_duration(const char *text)
{
	struct timespec ts;
	const char *why;

	if ((why = check_duration(text, &ts)) != NULL)
		die_usage("invalid duration '%s' (%s)", text, why);
	return ts;
}

uid_t
parse_user(const char *text)
{
	uid_t uid;

	if (user_id(text, &uid))
		return uid;
	if (!all_digits(text))
		die_usage("unknown user '%s'", text);
	return (uid_t)parse_number(text, "user id", 0, INT_MAX);
}

gid_t
parse_group(const char *text)
{
	gid_t gid;

	if (group_id(text, &gid))
		return gid;
	if (!all_digits(text))
		die_usage("unknown group '%s'", text);
	return (gid_t)parse_number(text, "group id", 0, INT_MAX);
}

/*
 * O_RDONLY, O_WRONLY or O_RDWR from the text of a /proc/PID/fdinfo/FD
 * file: its "flags:" line, in octal.  -1 when no line starts with
 * "flags:" or it holds no octal number.  Pure, so a fuzzer can call it.
 */
int
fdinfo_access(const char *text)
{
	const char *p = text;
	char *end;
	long v;

	for (;;) {
		if (strncmp(p, "flags:", 6) == 0) {
			p += 6 + strspn(p + 6, " \t");
			if (*p < '0' || *p > '7')
				return -1;
			errno = 0;
			v = strtol(p, &end, 8);
			if (errno != 0 || (*end != '\n' && *end != '\0'))
				return -1;
			return (int)(v & O_ACCMODE);
		}
		if ((p = strchr(p, '\n')) == NULL)
			return -1;
		p++;
	}
}

/*
 * /proc/sysvipc/shm, msg and sem: a header line naming the columns, then
 * one line per object, each value a decimal number (perms octal, key
 * signed), as the kernel's seq_printf writes them.  The header says which
 * column holds what, so a kernel that adds or moves a column is read right
 * (or refused, and the caller falls back to *ctl) rather than misread.
 */
static const struct {
	const char	*name;
	long long	 min, max;
} sysvipc_fields[SV_FIELDS_] = {
	[SV_KEY] = { "key", INT_MIN, INT_MAX },
	[SV_ID] = { "id", 0, INT_MAX },		/* shmid, msqid, semid */
	[SV_PERMS] = { "perms", 0, 0177777 },
	[SV_SIZE] = { "size", 0, LLONG_MAX },
	[SV_CPID] = { "cpid", 0, INT_MAX },
	[SV_LPID] = { "lpid", 0, INT_MAX },
	[SV_NATTCH] = { "nattch", 0, LLONG_MAX },
	[SV_UID] = { "uid", 0, UINT32_MAX },
	[SV_GID] = { "gid", 0, UINT32_MAX },
	[SV_CUID] = { "cuid", 0, UINT32_MAX },
	[SV_CGID] = { "cgid", 0, UINT32_MAX },
	[SV_ATIME] = { "atime", 0, LLONG_MAX },
	[SV_DTIME] = { "dtime", 0, LLONG_MAX },
	[SV_CTIME] = { "ctime", 0, LLONG_MAX },
	[SV_CBYTES] = { "cbytes", 0, LLONG_MAX },
	[SV_QNUM] = { "qnum", 0, LLONG_MAX },
	[SV_LSPID] = { "lspid", 0, INT_MAX },
	[SV_LRPID] = { "lrpid", 0, INT_MAX },
	[SV_STIME] = { "stime", 0, LLONG_MAX },
	[SV_RTIME] = { "rtime", 0, LLONG_MAX },
	[SV_NSEMS] = { "nsems", 0, INT_MAX },
	[SV_OTIME] = { "otime", 0, LLONG_MAX },
};

/* The next blank-separated word of *p (which moves past it), or 0 bytes. */
static size_t
sysvipc_word(const char **p, const char **word)
{
	const char *s = *p + strspn(*p, " \t");
	size_t len = strcspn(s, " \t\n");

	*word = s;
	*p = s + len;
	return len;
}

static int
sysvipc_field_named(const char *w, size_t len)
{
	static const char *const ids[] = { "shmid", "msqid", "semid" };
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strlen(ids[i]) == len && memcmp(w, ids[i], len) == 0)
			return SV_ID;
	for (i = 0; i < SV_FIELDS_; i++)
		if (i != SV_ID && strlen(sysvipc_fields[i].name) == len &&
		    memcmp(w, sysvipc_fields[i].name, len) == 0)
			return (int)i;
	return -1;
}

/* The rest of a line holds nothing but blanks and one newline at most. */
static bool
sysvipc_line_ends(const char *p)
{
	p += strspn(p, " \t");
	return *p == '\0' || (*p == '\n' && p[1] == '\0');
}

const char *
check_sysvipc_header(const char *line, struct sysvipc_layout *l)
{
	const char *p = line, *w;
	size_t len;
	int f;

	memset(l, 0, sizeof(*l));
	while ((len = sysvipc_word(&p, &w)) > 0) {
		if (l->ncols == SYSVIPC_COLUMNS)
			return "too many columns";
		if ((f = sysvipc_field_named(w, len)) >= 0 &&
		    (l->have & SV_BIT(f)) != 0)
			return "a column named twice";
		if (f >= 0)
			l->have |= SV_BIT(f);
		l->col[l->ncols++] = (signed char)f;
	}
	if (!sysvipc_line_ends(p))
		return "not a header line";
	if (l->ncols == 0)
		return "no columns";
	return NULL;
}

/* Digits only (a '-' first where min < 0), in base, within min..max. */
static bool
sysvipc_number(const char *w, size_t len, int base, long long min,
    long long max, long long *out)
{
	unsigned long long v = 0, limit;
	bool neg = false;
	size_t i = 0;

	if (min < 0 && len > 1 && w[0] == '-') {
		neg = true;
		i = 1;
	}
	limit = neg ? (unsigned long long)-(min + 1) + 1 :
	    (unsigned long long)max;
	if (i == len)
		return false;
	for (; i < len; i++) {
		unsigned d = (unsigned)(w[i] - '0');

		if (w[i] < '0' || d >= (unsigned)base || d > limit ||
		    v > (limit - d) / (unsigned)base)
			return false;
		v = v * (unsigned)base + d;
	}
	if (neg) {
		*out = v == 0 ? 0 : -(long long)(v - 1) - 1;
		return true;
	}
	*out = (long long)v;
	return *out >= min;
}

const char *
check_sysvipc_row(const char *line, const struct sysvipc_layout *l,
    struct sysvipc_row *row)
{
	const char *p = line, *w;
	size_t len;
	int c, f;

	memset(row, 0, sizeof(*row));
	for (c = 0; c < l->ncols; c++) {
		if ((len = sysvipc_word(&p, &w)) == 0)
			return "fewer values than columns";
		if ((f = l->col[c]) < 0)
			continue;	/* a column we do not use */
		if (!sysvipc_number(w, len, f == SV_PERMS ? 8 : 10,
		    sysvipc_fields[f].min, sysvipc_fields[f].max, &row->v[f]))
			return "a value that is not a number in range";
	}
	if (!sysvipc_line_ends(p))
		return "more values than columns";
	return NULL;
}
