/*
 * One parser for every word a user types: references, sizes, modes,
 * durations, numbers, users.  Each rejects the whole word or accepts it; a
 * bad word is a usage error (exit 2) that names it.
 */
#include <sys/ipc.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "ipctool.h"

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

static void
parse_ftok(const char *text, struct ref *r)
{
	char path[PATH_MAX];
	const char *colon;
	int proj = 1;
	key_t key;

	strlcpy(path, text + 5, sizeof(path));
	colon = strrchr(text + 5, ':');
	if (colon != NULL) {
		if ((proj = parse_proj(colon + 1)) < 0)
			die_usage("invalid ftok project '%s' (1 to 255 or one "
			    "character)", colon + 1);
		path[colon - (text + 5)] = '\0';
	}
	if (path[0] == '\0')
		die_usage("invalid reference '%s': ftok needs a path", text);
	key = ftok(path, proj);
	trace_call(key, "ftok(\"%s\", %d)", path, proj);
	if (key == -1)
		die_errno(errno, path, "file");
	r->kind = REF_SYSV_KEY;
	r->key = key;
}

static bool
parse_posix_name(const char *text, struct ref *r)
{
	size_t len = strlen(text);

	if (text[0] != '/')
		return false;
	if (len < 2 || len > 255 || strchr(text + 1, '/') != NULL)
		die_usage("invalid name '%s': a POSIX name is '/' and 1 to 254 "
		    "bytes with no other '/'", text);
	r->kind = REF_POSIX;
	r->name = text;
	return true;
}

static bool
parse_pipe_ref(const char *text, struct ref *r)
{
	const char *colon = strchr(text, ':');
	char pid[32];

	if (colon == NULL) {
		if (!all_digits(text))
			return false;
		r->fd = (int)parse_number(text, "file descriptor", 0, INT_MAX);
		r->pid = 0;
	} else {
		if ((size_t)(colon - text) >= sizeof(pid))
			return false;
		memcpy(pid, text, (size_t)(colon - text));
		pid[colon - text] = '\0';
		if (!all_digits(pid) || !all_digits(colon + 1))
			return false;
		r->pid = (pid_t)parse_number(pid, "pid", 1, INT_MAX);
		r->fd = (int)parse_number(colon + 1, "file descriptor", 0,
		    INT_MAX);
	}
	r->kind = REF_PIPE;
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

void
parse_ref(const char *text, unsigned allowed, struct ref *r)
{
	unsigned long long v;

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->id = -1;
	if ((allowed & REF_PIPE) && parse_pipe_ref(text, r))
		return;
	if ((allowed & REF_PATH) && text[0] != '\0') {
		r->kind = REF_PATH;
		r->name = text;
		return;
	}
	if ((allowed & REF_SYSV_ID) && all_digits(text)) {
		r->kind = REF_SYSV_ID;
		r->id = (int)parse_number(text, "id", 0, INT_MAX);
		return;
	}
	if ((allowed & REF_SYSV_KEY) && strncmp(text, "key:", 4) == 0) {
		if (!parse_c_number(text + 4, UINT32_MAX, &v))
			die_usage("invalid key '%s' (0x hex, 0 octal or "
			    "decimal, at most 0xffffffff)", text + 4);
		r->kind = REF_SYSV_KEY;
		r->key = (key_t)(uint32_t)v;
		return;
	}
	if ((allowed & REF_SYSV_KEY) && strncmp(text, "ftok:", 5) == 0) {
		parse_ftok(text, r);
		return;
	}
	if ((allowed & REF_POSIX) && parse_posix_name(text, r))
		return;
	die_usage("invalid reference '%s' (expected %s)", text,
	    expected_forms(allowed));
}

bool
ref_is_posix(const struct ref *r)
{
	return r->kind == REF_POSIX;
}

long long
parse_number(const char *text, const char *what, long long min,
    long long max)
{
	const char *errstr;
	long long v;

	v = strtonum(text, min, max, &errstr);
	if (errstr != NULL)
		die_usage("invalid %s '%s' (%s; %lld to %lld)", what, text,
		    errstr, min, max);
	return v;
}

/* Digits and at most one binary suffix: 4096, 4K, 1M, 2G (K = 1024). */
uint64_t
parse_size(const char *text, const char *what, uint64_t min, uint64_t max)
{
	size_t len = strlen(text), digits = strspn(text, "0123456789");
	uint64_t v;

	if (digits == 0 || len - digits > 1 ||
	    (len > digits && strchr("kKmMgGtT", text[digits]) == NULL))
		die_usage("invalid %s '%s' (a number with an optional K, M, "
		    "G or T suffix)", what, text);
	if (expand_number(text, &v) != 0)
		die_usage("invalid %s '%s' (too large)", what, text);
	if (v < min || v > max)
		die_usage("invalid %s '%s' (%ju to %ju)", what, text,
		    (uintmax_t)min, (uintmax_t)max);
	return v;
}

mode_t
parse_mode(const char *text)
{
	size_t len = strlen(text);
	unsigned long v;

	/* Leading zeros are fine (chmod takes 00644); the value is not. */
	if (len == 0 || strspn(text, "01234567") != len ||
	    len - strspn(text, "0") > 3 || (v = strtoul(text, NULL, 8)) > 0777)
		die_usage("invalid mode '%s' (octal, 0 to 0777)", text);
	return (mode_t)v;
}

/* 2, 0.5, 250ms, 3s, 1m, 1h: seconds unless a unit says otherwise. */
struct timespec
parse_duration(const char *text)
{
	static const struct { const char *unit; long double ns; } units[] = {
		{ "", 1e9L }, { "s", 1e9L }, { "ms", 1e6L }, { "us", 1e3L },
		{ "m", 60e9L }, { "h", 3600e9L },
	};
	size_t whole = strspn(text, "0123456789"), frac = 0, i;
	const char *p = text + whole;
	long double v = 0, scale = 1;
	long long ns;

	if (*p == '.')
		frac = strspn(p + 1, "0123456789");
	if ((whole == 0 && frac == 0) || whole > 12 || frac > 12)
		goto bad;
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
		goto bad;
	ns = (long long)(v * units[i].ns + 0.5L);
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000LL),
	    .tv_nsec = (long)(ns % 1000000000LL) };
bad:
	die_usage("invalid duration '%s' (seconds, or a number with ms, s, m "
	    "or h)", text);
}

uid_t
parse_user(const char *text)
{
	struct passwd *pw = getpwnam(text);

	if (pw != NULL)
		return pw->pw_uid;
	if (!all_digits(text))
		die_usage("unknown user '%s'", text);
	return (uid_t)parse_number(text, "user id", 0, INT_MAX);
}

gid_t
parse_group(const char *text)
{
	struct group *gr = getgrnam(text);

	if (gr != NULL)
		return gr->gr_gid;
	if (!all_digits(text))
		die_usage("unknown group '%s'", text);
	return (gid_t)parse_number(text, "group id", 0, INT_MAX);
}
