/*
 * check_duration: an accepted duration is compared with the same one
 * worked out here in whole nanoseconds (the parser uses long double).
 */
#include <ctype.h>
#include <limits.h>

#include "fuzz.h"

#define LIMIT ((__int128)INT_MAX * 1000000000)

/* The duration in ns, rounded to nearest, or -1 if malformed. */
static __int128
exact(const char *s)
{
	static const struct { const char *unit; long long ns; } units[] = {
		{ "", 1000000000LL }, { "s", 1000000000LL },
		{ "ms", 1000000LL }, { "us", 1000LL },
		{ "m", 60000000000LL }, { "h", 3600000000000LL },
	};
	__int128 num = 0, den = 1;
	size_t whole = 0, frac = 0, i;
	const char *p = s;

	for (; isdigit((unsigned char)*p); p++, whole++) {
		if (whole == 12)
			return -1;
		num = num * 10 + (*p - '0');
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, frac++) {
			if (frac == 12)
				return -1;
			num = num * 10 + (*p - '0');
			den *= 10;
		}
	if ((whole == 0 && frac == 0) || whole > 12 || frac > 12)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].unit) == 0)
			return (num * units[i].ns * 2 + den) / (2 * den);
	return -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct timespec ts = { -1, -1 };
	__int128 want, got;
	const char *why;
	char *text;

	text = fuzz_text(data, size);
	why = check_duration(text, &ts);
	want = exact(text);
	if (why == NULL) {
		CHECK(ts.tv_sec >= 0 && ts.tv_sec <= INT_MAX);
		CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L);
		got = (__int128)ts.tv_sec * 1000000000 + ts.tv_nsec;
		CHECK(want >= 0 && want <= LIMIT + 1);
		CHECK(got - want <= 1 && want - got <= 1);
	} else {
		CHECK_WHY(why);
		/* Refused: malformed, or past the limit (give or take 1 ns). */
		CHECK(want < 0 || want >= LIMIT - 1);
	}
	free(text);
	return 0;
}
