/* indicator_format.c - printf's "%.12g" without printf's multi-precision
 * arithmetic.
 *
 * Writing indicator rows spends much of its time in snprintf("%.12g"):
 * glibc formats from the exact binary value with big-number arithmetic.
 * Here x = |d| * 10^k (k chosen for 12 significant digits) is rounded
 * to a double and its exact error recovered with fma(): when the fraction
 * of the exact product is clearly away from one half, the rounded 12-digit
 * mantissa is the one printf would print, and the text is assembled by
 * hand.  Near a tie or in exponent notation it calls snprintf: the output
 * is always byte-identical to "%.12g".
 */
#include "indicator_priv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* exact in double */
static const double pow10_tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
};
/* nearest doubles: a wrong guess of the exponent only sends the value to
 * snprintf (the mantissa check below) */
static const double neg_tab[] = { 1e0, 1e-1, 1e-2, 1e-3, 1e-4 };

static char *slow(char *buf, double d)
{
	snprintf(buf, ODL_REAL_BUF, "%.12g", d);
	return buf;
}

char *odl_format_real(char *buf, double d)
{
	double a = fabs(d);
	/* %g writes exponent notation below 1e-4 and from 1e12 up */
	if (!(a >= 1e-4 && a < 1e12))
		return slow(buf, d);
	int e = 0; /* a in [10^e, 10^(e+1)) */
	while (e < 11 && a >= pow10_tab[e + 1])
		e++;
	while (e <= 0 && e > -4 && a < neg_tab[-e])
		e--;
	int k = 11 - e; /* digits after the point before trimming, 0..15 */
	double x = a * pow10_tab[k];
	double err = fma(a, pow10_tab[k], -x); /* a * 10^k == x + err exactly */
	double fl = floor(x);
	double frac = (x - fl) + err; /* x - fl is exact */
	if (fabs(frac - 0.5) < 1e-9)
		return slow(buf, d);
	unsigned long long m = (unsigned long long)fl + (frac > 0.5);
	if (m >= 1000000000000ULL || m < 100000000000ULL)
		return slow(buf, d); /* rounded up to the next power of ten, or e was off */
	/* the 12 digits two at a time: six divisions, not twelve */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	char digits[12];
	for (int i = 10; i >= 0; i -= 2) {
		memcpy(digits + i, pairs + 2 * (m % 100), 2);
		m /= 100;
	}
	int nd = 12;
	while (nd > 0 && nd > 12 - k && digits[nd - 1] == '0')
		nd--;
	/* nd digits significant, the point after the first e+1 of them */
	char *p = buf;
	if (signbit(d))
		*p++ = '-';
	if (e >= 0) {
		memcpy(p, digits, (size_t)e + 1);
		p += e + 1;
		if (nd > e + 1) {
			*p++ = '.';
			memcpy(p, digits + e + 1, (size_t)(nd - e - 1));
			p += nd - e - 1;
		}
	} else {
		*p++ = '0';
		*p++ = '.';
		for (int i = 0; i < -e - 1; i++)
			*p++ = '0';
		memcpy(p, digits, (size_t)nd);
		p += nd;
	}
	*p = 0;
	return buf;
}
