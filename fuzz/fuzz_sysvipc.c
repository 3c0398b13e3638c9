/*
 * check_sysvipc_header and check_sysvipc_row: the input is a
 * /proc/sysvipc file, its first line the header, each further line a row.
 * A row accepted is printed back by the layout (perms in octal, a column
 * the layout does not use as "x") and must read back to the same values,
 * each within its field's range.
 */
#include <limits.h>

#include "fuzz.h"

static void
check_ranges(const struct sysvipc_row *row)
{
	int f;

	CHECK(row->v[SV_KEY] >= INT_MIN && row->v[SV_KEY] <= INT_MAX);
	CHECK(row->v[SV_ID] >= 0 && row->v[SV_ID] <= INT_MAX);
	CHECK(row->v[SV_PERMS] >= 0 && row->v[SV_PERMS] <= 0177777);
	CHECK(row->v[SV_UID] >= 0 && row->v[SV_UID] <= UINT32_MAX);
	CHECK(row->v[SV_CGID] >= 0 && row->v[SV_CGID] <= UINT32_MAX);
	CHECK(row->v[SV_CPID] >= 0 && row->v[SV_CPID] <= INT_MAX);
	CHECK(row->v[SV_NSEMS] >= 0 && row->v[SV_NSEMS] <= INT_MAX);
	for (f = 0; f < SV_FIELDS_; f++)
		CHECK(f == SV_KEY || row->v[f] >= 0);
}

/* The row as the kernel would print it, by the layout. */
static void
print_row(const struct sysvipc_layout *l, const struct sysvipc_row *row,
    char *buf, size_t len)
{
	size_t off = 0;
	int c, f;

	for (c = 0; c < l->ncols; c++) {
		f = l->col[c];
		if (f < 0)
			off += snprintf(buf + off, len - off, " x");
		else if (f == SV_PERMS)
			off += snprintf(buf + off, len - off, " %4llo",
			    (unsigned long long)row->v[f]);
		else
			off += snprintf(buf + off, len - off, " %10lld",
			    row->v[f]);
		CHECK(off < len);
	}
	snprintf(buf + off, len - off, "\n");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sysvipc_layout l;
	struct sysvipc_row row, again;
	char *text = fuzz_text(data, size), *line, *next, out[1024];
	const char *why;
	int c, n = 0;

	if ((next = strchr(text, '\n')) != NULL)
		*next++ = '\0';
	why = check_sysvipc_header(text, &l);
	if (why != NULL) {
		CHECK_WHY(why);
		free(text);
		return 0;
	}
	CHECK(l.ncols > 0 && l.ncols <= SYSVIPC_COLUMNS);
	for (c = 0; c < l.ncols; c++) {
		CHECK(l.col[c] >= -1 && l.col[c] < SV_FIELDS_);
		CHECK(l.col[c] < 0 || (l.have & SV_BIT(l.col[c])) != 0);
		n += l.col[c] >= 0;
	}
	CHECK(__builtin_popcountl(l.have) == n);
	while ((line = next) != NULL) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		why = check_sysvipc_row(line, &l, &row);
		if (why != NULL) {
			CHECK_WHY(why);
			continue;
		}
		check_ranges(&row);
		print_row(&l, &row, out, sizeof(out));
		CHECK(check_sysvipc_row(out, &l, &again) == NULL);
		CHECK(memcmp(&row, &again, sizeof(row)) == 0);
	}
	free(text);
	return 0;
}
