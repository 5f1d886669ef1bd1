/* fix_text.c - what the repair rules share about text: Python's whitespace,
 * and folding names and values to compare them up to case and accents. */
#include <string.h>

#include "fix_private.h"

size_t odl_fix_space_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!n)
		return 0;
	if (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r') || (p[0] >= 0x1c && p[0] <= 0x1f))
		return 1;
	if (n >= 2 && p[0] == 0xC2 && (p[1] == 0x85 || p[1] == 0xA0))
		return 2;
	if (n < 3)
		return 0;
	if (p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80)
		return 3; /* U+1680 */
	if (p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF) && p[2] >= 0x80)
		return 3; /* U+2000-200A, U+2028, U+2029, U+202F */
	if (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F)
		return 3; /* U+205F */
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3; /* U+3000 */
	return 0;
}

/* The length of the whitespace that ends p[0..n), scanning back over
 * whole UTF-8 sequences. */
static size_t space_before(const char *p, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++)
		if (odl_fix_space_at(p + n - k, k) == k)
			return k;
	return 0;
}

void odl_fix_trim(const char **p, size_t *n)
{
	size_t k;

	while ((k = odl_fix_space_at(*p, *n)) != 0) {
		*p += k;
		*n -= k;
	}
	while ((k = space_before(*p, *n)) != 0)
		*n -= k;
}

/* Latin-1 letters U+00C0..U+00FF without their accents ("" keeps the
 * character as it is). */
static const char *const latin1_base[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "", "y"
};

size_t odl_fix_fold(const char *s, size_t n, char *dst, size_t cap, int keep_spaces)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0, k;
	int pending_space = 0;

	if (!cap)
		return 0;
#define PUT(c) do { if (o + 1 < cap) dst[o++] = (char)(c); } while (0)
	while (i < n) {
		if ((k = odl_fix_space_at(s + i, n - i)) != 0 ||
		    (!keep_spaces && (p[i] == '_' || p[i] == '-' || p[i] == '.'))) {
			pending_space = o > 0;
			i += k ? k : 1;
			continue;
		}
		if (pending_space && keep_spaces)
			PUT(' ');
		pending_space = 0;
		if (p[i] < 0x80) {
			PUT(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
			i++;
		} else if (p[i] == 0xC3 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0xBF &&
			   *latin1_base[p[i + 1] - 0x80]) {
			for (const char *b = latin1_base[p[i + 1] - 0x80]; *b; b++)
				PUT(*b);
			i += 2;
		} else if (p[i] == 0xC5 && i + 1 < n && (p[i + 1] == 0x92 || p[i + 1] == 0x93)) {
			PUT('o');
			PUT('e'); /* Œ œ */
			i += 2;
		} else {
			PUT(p[i]);
			i++;
		}
	}
#undef PUT
	dst[o] = 0;
	return o;
}
