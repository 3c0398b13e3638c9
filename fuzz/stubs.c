/*
 * What the infrastructure objects need from the rest of the program, for
 * the harnesses: the settings (output.c), tracing (trace.c) and user and
 * group names (names.c), none of which a parser should reach.  die() and
 * the other fail.c functions are the real ones: a usage error exits, which
 * libFuzzer reports, so a harness calls only the check_* functions.
 */
#include "fuzz.h"

struct settings g;

void
trace_call(long ret, const char *fmt, ...)
{
	(void)ret;
	(void)fmt;
}

bool
user_id(const char *name, uid_t *uid)
{
	(void)name;
	(void)uid;
	return false;
}

bool
group_id(const char *name, gid_t *gid)
{
	(void)name;
	(void)gid;
	return false;
}
