/*
 * check_ref: the first byte picks the kinds allowed and the size of the
 * ftok path buffer, the rest is the reference as typed.
 */
#include <limits.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t lens[] = { PATH_MAX, 1, 8, 64 };
	unsigned allowed;
	struct ref r;
	const char *why;
	char *text, *buf;
	size_t len;

	if (size < 1)
		return 0;
	allowed = data[0] & 0x1f;	/* ID, KEY, POSIX, PATH, PIPE */
	if (allowed == 0)
		allowed = REF_IPC;
	len = lens[data[0] >> 6];
	text = fuzz_text(data + 1, size - 1);
	buf = malloc(len);
	if (buf == NULL)
		abort();
	why = check_ref(text, allowed, &r, buf, len);
	if (why != NULL) {
		CHECK_WHY(why);
		goto out;
	}
	CHECK(r.text == text);
	switch (r.kind) {
	case REF_SYSV_ID:
		CHECK(allowed & REF_SYSV_ID);
		CHECK(r.id >= 0 && all_digits(text));
		CHECK(strtoll(text, NULL, 10) == r.id);
		break;
	case REF_SYSV_KEY:
		CHECK(allowed & REF_SYSV_KEY);
		CHECK(strncmp(text, "key:", 4) == 0);
		CHECK((uint32_t)strtoull(text + 4, NULL, 0) ==
		    (uint32_t)r.key);
		break;
	case REF_FTOK:
		CHECK(allowed & REF_SYSV_KEY);
		CHECK(strncmp(text, "ftok:", 5) == 0);
		CHECK(r.name == buf && strlen(buf) < len && buf[0] != '\0');
		CHECK(strncmp(buf, text + 5, strlen(buf)) == 0);
		CHECK(r.proj >= 1 && r.proj <= 255);
		break;
	case REF_POSIX:
		CHECK(allowed & REF_POSIX);
		CHECK(r.name == text && text[0] == '/');
		CHECK(strlen(text) >= 2 && strlen(text) <= 255);
		CHECK(strchr(text + 1, '/') == NULL);
		break;
	case REF_PATH:
		CHECK(allowed & REF_PATH);
		CHECK(r.name == text && text[0] != '\0');
		break;
	case REF_PIPE:
		CHECK(allowed & REF_PIPE);
		CHECK(r.pid >= 0 && r.fd >= 0);
		break;
	default:
		CHECK(!"an unknown kind");
	}
out:
	free(buf);
	free(text);
	return 0;
}
