/*
 * check_size: the first byte picks the bounds, the rest is the size as
 * typed.  An accepted size is compared with one worked out here, exactly.
 */
#include <ctype.h>

#include "fuzz.h"

static const uint64_t bounds[] = { 0, 1, 4096, INT32_MAX, UINT32_MAX,
    UINT64_MAX / 2, UINT64_MAX - 1, UINT64_MAX };
#define NB (sizeof(bounds) / sizeof(bounds[0]))

/* digits[KMGT], exactly, or false past 2^64 - 1 or when malformed. */
static bool
exact(const char *s, unsigned __int128 *out)
{
	unsigned __int128 v = 0;
	const char *p;
	int shift = 0;

	for (p = s; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (unsigned)(*p - '0');
		if (v > UINT64_MAX)
			return false;
	}
	if (p == s)
		return false;
	if (*p != '\0') {
		const char *u = strchr("KMGT", toupper((unsigned char)*p));

		if (u == NULL || p[1] != '\0')
			return false;
		shift = 10 * (int)(u - "KMGT" + 1);
	}
	v <<= shift;
	*out = v;
	return v <= UINT64_MAX;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t min, max, v;
	unsigned __int128 want;
	const char *why;
	char *text;

	if (size < 1)
		return 0;
	min = bounds[data[0] % NB];
	max = bounds[(data[0] / NB) % NB];
	text = fuzz_text(data + 1, size - 1);
	why = check_size(text, min, max, &v);
	if (why == NULL) {
		CHECK(v >= min && v <= max);
		CHECK(exact(text, &want) && want == v);
	} else {
		CHECK_WHY(why);
		CHECK(!exact(text, &want) || want < min || want > max);
	}
	free(text);
	return 0;
}
