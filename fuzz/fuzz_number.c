/* check_number: the first byte picks the bounds, the rest is the number. */
#include <errno.h>
#include <limits.h>

#include "fuzz.h"

static const long long bounds[] = { LLONG_MIN, -32767, -1, 0, 1, 255,
    32767, INT_MAX, LLONG_MAX };
#define NB (sizeof(bounds) / sizeof(bounds[0]))

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long long min, max, v, want;
	const char *why;
	char *text, *end;

	if (size < 1)
		return 0;
	min = bounds[data[0] % NB];
	max = bounds[(data[0] / NB) % NB];
	text = fuzz_text(data + 1, size - 1);
	why = check_number(text, min, max, &v);
	errno = 0;
	want = strtoll(text, &end, 10);
	if (why == NULL) {
		CHECK(min <= max && v >= min && v <= max);
		CHECK(errno == 0 && end != text && *end == '\0' && want == v);
	} else
		CHECK_WHY(why);
	free(text);
	return 0;
}
