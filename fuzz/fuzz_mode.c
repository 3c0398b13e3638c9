/* check_mode: octal, leading zeros allowed, at most 0777. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long want = 0;
	bool ok;
	const char *why, *p;
	char *text;
	size_t digits = 0;
	mode_t m = (mode_t)-1;

	text = fuzz_text(data, size);
	why = check_mode(text, &m);
	ok = text[0] != '\0';
	for (p = text; *p != '\0' && ok; p++) {
		ok = *p >= '0' && *p <= '7';
		if (digits > 0 || *p != '0')
			digits++;
		want = want * 8 + (unsigned long)(*p - '0');
		ok = ok && digits <= 3;
	}
	if (why == NULL) {
		CHECK(ok && m == want && m <= 0777);
	} else {
		CHECK_WHY(why);
		CHECK(!ok);
	}
	free(text);
	return 0;
}
