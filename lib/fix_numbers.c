/*
 * fix_numbers.c - numbers written the French (or a spreadsheet's) way into
 * the form the schema reads: "26 956,00" -> "26956.00", "9500 €" -> "9500",
 * "+1.234,5" -> "1234.5", and for integers "12.0" -> "12", "1.5E+04" ->
 * "15000" when nothing after the point is lost.
 *
 * The digits are never changed: separators are told apart by their place
 * (the last of two kinds is the decimal one; a lone comma is decimal, as
 * French writes it; repeated marks group thousands by three), and a
 * grouping that is not by three is left alone rather than guessed.
 */
#include <string.h>

#include "fix_private.h"

static int ci_suffix(const char *p, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	if (n < l)
		return 0;
	for (size_t i = 0; i < l; i++) {
		char c = p[n - l + i];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != lit[i])
			return 0;
	}
	return 1;
}

/* Drop a trailing currency mark and the spaces before it. */
static void drop_currency(const char *p, size_t *n)
{
	static const char *const marks[] = { "\xe2\x82\xac", "euros", "euro", "eur" };

	for (size_t i = 0; i < sizeof(marks) / sizeof(*marks); i++) {
		if (ci_suffix(p, *n, marks[i])) {
			size_t m = *n - strlen(marks[i]);
			/* "…eur" must not eat the end of a word: a digit or space before */
			if (m && !(p[m - 1] >= '0' && p[m - 1] <= '9') && !odl_fix_space_at(p + m - 1, 1) &&
			    !(m >= 2 && odl_fix_space_at(p + m - 2, 2) == 2) &&
			    !(m >= 3 && odl_fix_space_at(p + m - 3, 3) == 3))
				continue;
			*n = m;
			odl_fix_trim(&p, n);
			return;
		}
	}
}

struct parsed {
	int neg;
	char digits[400]; /* mantissa digits, point removed */
	size_t ndigits;
	size_t point;     /* digits before the decimal point */
	long exp;
};

/* Read sign, digits, separators and exponent; 0 when the cell is such a
 * number, -1 otherwise. */
static int parse(const char *p, size_t n, int integer, struct parsed *x)
{
	size_t i = 0, nsep[2] = { 0, 0 };
	size_t sep_at[64], nsp = 0; /* digit counts at each separator */
	char sep_kind[64];
	int seen_digit = 0;

	memset(x, 0, sizeof(*x));
	if (i < n && (p[i] == '+' || p[i] == '-'))
		x->neg = p[i++] == '-';
	while (i < n) {
		char c = p[i];
		size_t sp;
		if (c >= '0' && c <= '9') {
			if (x->ndigits >= sizeof(x->digits))
				return -1;
			x->digits[x->ndigits++] = c;
			seen_digit = 1;
			i++;
		} else if ((c == ',' || c == '.') && seen_digit) {
			if (nsp == 64)
				return -1;
			sep_at[nsp] = x->ndigits;
			sep_kind[nsp++] = c;
			nsep[c == '.']++;
			i++;
		} else if ((sp = odl_fix_space_at(p + i, n - i)) != 0 || c == '\'') {
			if (!seen_digit || nsp == 64)
				return -1;
			sep_at[nsp] = x->ndigits;
			sep_kind[nsp++] = ' ';
			i += sp ? sp : 1;
		} else if ((c == 'e' || c == 'E') && seen_digit && i + 1 < n) {
			size_t j = i + 1;
			int eneg = 0;
			long e = 0;
			if (p[j] == '+' || p[j] == '-')
				eneg = p[j++] == '-';
			if (j == n)
				return -1;
			for (; j < n; j++) {
				if (p[j] < '0' || p[j] > '9' || e > 1000)
					return -1;
				e = e * 10 + (p[j] - '0');
			}
			x->exp = eneg ? -e : e;
			break;
		} else {
			return -1;
		}
	}
	if (!x->ndigits)
		return -1;

	/* Which mark is the decimal one: the last mark, when it is the only
	 * one of its kind and the other kind (if any) comes before it. */
	char decimal = 0;
	if (nsp && sep_kind[nsp - 1] != ' ' && nsep[sep_kind[nsp - 1] == '.'] == 1)
		decimal = sep_kind[nsp - 1];
	if (decimal == ',' && nsp == 1 && x->ndigits - sep_at[0] == 3 && integer)
		return -1; /* "1,000" in an integer column: a thousand, or one? */

	/* Every other mark groups thousands: 1 to 3 digits before the first,
	 * then exactly three between marks and up to the point (or the end). */
	size_t ngroup = decimal ? nsp - 1 : nsp;
	size_t point = decimal ? sep_at[nsp - 1] : x->ndigits;
	for (size_t k = 0; k < ngroup; k++) {
		if (k == 0 ? sep_at[0] == 0 || sep_at[0] > 3 : sep_at[k] - sep_at[k - 1] != 3)
			return -1;
	}
	if (ngroup && point - sep_at[ngroup - 1] != 3)
		return -1;
	x->point = point;
	return 0;
}

int odl_fix_number(const struct odl_field *f, const char *p, size_t n, char *dst, size_t cap,
		   size_t *dlen)
{
	struct parsed x;
	char dec = '.';

	if (f->type != ODL_T_NUMBER && f->type != ODL_T_INTEGER)
		return FIX_NA;
	if (f->number_custom && f->decimal_char[0] && !f->decimal_char[1])
		dec = f->decimal_char[0];
	odl_fix_trim(&p, &n);
	drop_currency(p, &n);
	if (parse(p, n, f->type == ODL_T_INTEGER, &x) != 0)
		return FIX_NA;

	/* Place the point after the exponent: digits before it, digits after. */
	long point = (long)x.point + x.exp;
	size_t o = 0;
	if (cap < x.ndigits + 8 || point > (long)x.ndigits + 300 || point < -300 ||
	    (size_t)(point > 0 ? point : -point) + x.ndigits + 8 > cap)
		return FIX_NA;
	/* integer part: leading zeros dropped but one */
	if (x.neg)
		dst[o++] = '-';
	size_t start = o;
	for (long i = 0; i < point; i++) {
		char c = i < (long)x.ndigits ? x.digits[i] : '0';
		if (o == start && c == '0' && i + 1 < point && x.exp)
			continue;
		dst[o++] = c;
	}
	if (o == start)
		dst[o++] = '0';
	/* fraction */
	size_t int_end = o;
	int nonzero_frac = 0;
	if (point < (long)x.ndigits) {
		dst[o++] = dec;
		for (long i = point; i < (long)x.ndigits; i++) {
			char c = i < 0 ? '0' : x.digits[i];
			nonzero_frac |= c != '0';
			dst[o++] = c;
		}
	}
	if (f->type == ODL_T_INTEGER) {
		if (nonzero_frac)
			return FIX_NA; /* not a whole number: nothing safe to do */
		o = int_end;
	}
	if (o == 2 && dst[0] == '-' && dst[1] == '0')
		o = 1, dst[0] = '0';
	*dlen = o;
	return FIX_DONE;
}
