/* fdinfo_access: the text of a /proc/PID/fdinfo/FD file. */
#include <fcntl.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	int acc = fdinfo_access(text);

	CHECK(acc == -1 || acc == O_RDONLY || acc == O_WRONLY ||
	    acc == O_RDWR || acc == O_ACCMODE);
	if (strncmp(text, "flags:", 6) != 0 &&
	    strstr(text, "\nflags:") == NULL)
		CHECK(acc == -1);
	free(text);
	return 0;
}
