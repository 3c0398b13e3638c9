/*
 * check_sem_op: the first byte picks the bounds (index, delta), the rest
 * is the INDEX:DELTA[u][n] text.  An accepted text is checked against an
 * independent reading of the grammar; a refused one has a reason.
 */
#include <ctype.h>
#include <stdbool.h>

#include "fuzz.h"

static const unsigned max_index[] = { 0, 1, 249, 31999, 4294967295u };
static const int max_delta[] = { 0, 1, 32767, 2147483647 };
#define NI (sizeof(max_index) / sizeof(max_index[0]))
#define ND (sizeof(max_delta) / sizeof(max_delta[0]))

/* Digits from *p as a number, saturating at 2^63: past any bound. */
static unsigned long long
digits(const char **p)
{
	unsigned long long v = 0;

	for (; isdigit((unsigned char)**p); (*p)++)
		v = v >= (1ULL << 59) ? (1ULL << 63) : v * 10 +
		    (unsigned)(**p - '0');
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sem_op_spec o;
	unsigned long long idx, del;
	unsigned mi;
	int md;
	bool neg = false, u = false, n = false, ok = true;
	const char *why, *p;
	char *text;

	if (size < 1)
		return 0;
	mi = max_index[data[0] % NI];
	md = max_delta[(data[0] / NI) % ND];
	text = fuzz_text(data + 1, size - 1);
	why = check_sem_op(text, mi, md, &o);

	p = text;
	ok = isdigit((unsigned char)*p);
	idx = digits(&p);
	ok = ok && *p++ == ':';
	if (ok && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	ok = ok && isdigit((unsigned char)*p);
	del = ok ? digits(&p) : 0;
	for (; ok && *p != '\0'; p++) {
		if (*p == 'u' && !u)
			u = true;
		else if (*p == 'n' && !n)
			n = true;
		else
			ok = false;
	}
	ok = ok && idx <= mi && del <= (unsigned long long)md;
	if (why == NULL) {
		CHECK(ok);
		CHECK(o.index == idx && o.undo == u && o.nowait == n);
		CHECK(o.delta == (neg ? -(long long)del : (long long)del));
	} else {
		CHECK(!ok);
		CHECK_WHY(why);
	}
	free(text);
	return 0;
}
