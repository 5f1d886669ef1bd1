/* pyunicode.c - Python's whitespace and decimal digits, from its own tables. */
#include "pyunicode.h"
#include "pyunicode_table.h"

size_t odl_utf8_next(const char *p, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t len;
	uint32_t c, min;

	*cp = s[0];
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, c = s[0] & 0x1F, min = 0x80;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, c = s[0] & 0x0F, min = 0x800;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t odl_utf8_prev(const char *p, size_t n, uint32_t *cp)
{
	size_t k = 1;

	while (k < n && k < 4 && ((unsigned char)p[n - k] & 0xC0) == 0x80)
		k++;
	if (odl_utf8_next(p + n - k, k, cp) == k)
		return k;
	*cp = (unsigned char)p[n - 1];
	return 0;
}

int odl_py_isspace(uint32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
	for (size_t i = 0; i < sizeof(py_space) / sizeof(py_space[0]); i++)
		if (py_space[i] == cp)
			return 1;
	return 0;
}

int odl_py_digit(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(py_digit_zero) / sizeof(py_digit_zero[0]);

	if (cp < 0x80)
		return cp >= '0' && cp <= '9' ? (int)(cp - '0') : -1;
	/* the last run whose zero is <= cp */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (py_digit_zero[mid] <= cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && cp - py_digit_zero[lo - 1] < 10)
		return (int)(cp - py_digit_zero[lo - 1]);
	return -1;
}

void odl_py_strip(const char **p, size_t *n)
{
	uint32_t cp;
	size_t k;

	while (*n && (k = odl_utf8_next(*p, *n, &cp)) && odl_py_isspace(cp)) {
		*p += k;
		*n -= k;
	}
	while (*n && (k = odl_utf8_prev(*p, *n, &cp)) && odl_py_isspace(cp))
		*n -= k;
}
