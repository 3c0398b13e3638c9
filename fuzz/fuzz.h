/*
 * What every harness shares: the input as a C string (argv words cannot
 * hold a NUL, so the text ends at the first one) and a check that aborts,
 * which libFuzzer reports as a crash with the input that caused it.
 */
#ifndef IPCTOOL_FUZZ_H
#define IPCTOOL_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/infra.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
		    __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* A heap copy, so that ASan sees a read past its end. */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A reason given for a wrong word is a non-empty string. */
#define CHECK_WHY(why) CHECK((why) != NULL && (why)[0] != '\0' && \
	strlen(why) < 200)

#endif
