/*
 * scan.h - find the next byte of a small set in a buffer (private).
 *
 * The CSV reader spends its time skipping the ordinary bytes of a cell to
 * reach the next delimiter, quote or line break.  odl_scan_any3() returns
 * the index of the first byte of s[0..n) equal to a, b or c (n when none
 * is): sixteen bytes at a time with SSE2 where the compiler targets it
 * (every x86-64 does), else byte by byte.  The byte-by-byte path stays
 * reachable on every machine: odl_scan_vector() is false when the
 * environment has ODL_SCAN=scalar, which the tests use to run every
 * fixture through both paths.
 */
#ifndef ODL_SCAN_H
#define ODL_SCAN_H

#include <stddef.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define ODL_SCAN_SSE2 1
#endif

/* True unless ODL_SCAN=scalar is set (read once per reader). */
int odl_scan_vector(void);

static inline size_t odl_scan_any3_scalar(const char *s, size_t n, char a, char b, char c)
{
	size_t i = 0;

	while (i < n && s[i] != a && s[i] != b && s[i] != c)
		i++;
	return i;
}

static inline size_t odl_scan_any3(const char *s, size_t n, char a, char b, char c)
{
#ifdef ODL_SCAN_SSE2
	size_t i = 0;
	const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);

	while (i + 16 <= n) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
					 _mm_cmpeq_epi8(x, vc));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
	return i + odl_scan_any3_scalar(s + i, n - i, a, b, c);
#else
	return odl_scan_any3_scalar(s, n, a, b, c);
#endif
}

/* The length of the ASCII prefix of s[0..n) (bytes below 0x80). */
static inline size_t odl_scan_ascii_scalar(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] < 0x80)
		i++;
	return i;
}

static inline size_t odl_scan_ascii(const unsigned char *s, size_t n)
{
	size_t i = 0;
#ifdef ODL_SCAN_SSE2
	while (i + 16 <= n) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned bits = (unsigned)_mm_movemask_epi8(x);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
#endif
	return i + odl_scan_ascii_scalar(s + i, n - i);
}

#endif
