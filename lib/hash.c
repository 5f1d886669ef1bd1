/* hash.c - MD5 (RFC 1321), SHA-1 and SHA-256 (FIPS 180-4), streaming. */
#include "odl/hash.h"
#include "hash_impl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct odl_hash {
	enum odl_hash_alg alg;
	uint32_t s[8];
	uint64_t total;      /* bytes fed */
	unsigned char buf[64];
	size_t nbuf;
};

static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391
};
static const int md5_r[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21
};

static void md5_block(uint32_t *s, const unsigned char *p)
{
	uint32_t m[16], a = s[0], b = s[1], c = s[2], d = s[3];
	for (int i = 0; i < 16; i++)
		m[i] = le32(p + 4 * i);
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g;
		if (i < 16) { f = (b & c) | (~b & d); g = i; }
		else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
		else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
		else { f = c ^ (b | ~d); g = (7 * i) & 15; }
		uint32_t t = d;
		d = c;
		c = b;
		b = b + rol(a + f + md5_k[i] + m[g], md5_r[i]);
		a = t;
	}
	s[0] += a; s[1] += b; s[2] += c; s[3] += d;
}

/* Four loops without a branch per round: twice as fast as one loop with them. */
#define SHA1_ROUND(f, k)                                          \
	do {                                                      \
		uint32_t t = rol(a, 5) + (f) + e + (k) + w[i];    \
		e = d; d = c; c = rol(b, 30); b = a; a = t;       \
	} while (0)

static void sha1_block(uint32_t *s, const unsigned char *p)
{
	uint32_t w[80], a = s[0], b = s[1], c = s[2], d = s[3], e = s[4];
	int i;
	for (i = 0; i < 16; i++)
		w[i] = be32(p + 4 * i);
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 20; i++)
		SHA1_ROUND(d ^ (b & (c ^ d)), 0x5a827999);
	for (; i < 40; i++)
		SHA1_ROUND(b ^ c ^ d, 0x6ed9eba1);
	for (; i < 60; i++)
		SHA1_ROUND((b & c) | (d & (b | c)), 0x8f1bbcdc);
	for (; i < 80; i++)
		SHA1_ROUND(b ^ c ^ d, 0xca62c1d6);
	s[0] += a; s[1] += b; s[2] += c; s[3] += d; s[4] += e;
}

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static void sha256_block(uint32_t *s, const unsigned char *p)
{
	uint32_t w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = be32(p + 4 * i);
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, s, sizeof(v));
	for (int i = 0; i < 64; i++) {
		uint32_t S1 = ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + S1 + ch + sha256_k[i] + w[i];
		uint32_t S0 = ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		uint32_t t2 = S0 + maj;
		v[7] = v[6]; v[6] = v[5]; v[5] = v[4]; v[4] = v[3] + t1;
		v[3] = v[2]; v[2] = v[1]; v[1] = v[0]; v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		s[i] += v[i];
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/*
 * The x86 SHA extensions hash several times faster than portable C, which
 * matters: every downloaded byte goes through SHA-1 and SHA-256, and in C
 * the two together are slower than the loopback.
 */
#include <cpuid.h>
#include <immintrin.h>
#define ODL_SHA_NI 1

#define SHA_NI __attribute__((target("sha,sse4.1,ssse3")))

SHA_NI static void sha256_ni(uint32_t *s, const unsigned char *p, size_t n)
{
	const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i tmp = _mm_loadu_si128((const __m128i *)&s[0]);
	__m128i st1 = _mm_loadu_si128((const __m128i *)&s[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xB1);       /* CDAB */
	st1 = _mm_shuffle_epi32(st1, 0x1B);       /* EFGH */
	__m128i st0 = _mm_alignr_epi8(tmp, st1, 8); /* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xF0);    /* CDGH */

	for (; n; n--, p += 64) {
		__m128i save0 = st0, save1 = st1, w[4];
		for (int i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), mask);
		for (int i = 0; i < 16; i++) {
			if (i >= 4) {
				/* w[i%4] holds W(i-4); W(i) = msg2(msg1(W(i-4), W(i-3)) + W(i-1):W(i-2), W(i-1)) */
				__m128i a = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
				a = _mm_add_epi32(a, _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4));
				w[i & 3] = _mm_sha256msg2_epu32(a, w[(i + 3) & 3]);
			}
			__m128i m = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *)&sha256_k[4 * i]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, m);
			m = _mm_shuffle_epi32(m, 0x0E);
			st0 = _mm_sha256rnds2_epu32(st0, st1, m);
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1B);       /* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xB1);       /* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xF0);    /* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);       /* HGFE */
	_mm_storeu_si128((__m128i *)&s[0], st0);
	_mm_storeu_si128((__m128i *)&s[4], st1);
}

/* _mm_sha1rnds4_epu32 needs its function number as a constant. */
#define SHA1_RNDS4(abcd, e, f)                                         \
	((f) == 0 ? _mm_sha1rnds4_epu32(abcd, e, 0) :                  \
	 (f) == 1 ? _mm_sha1rnds4_epu32(abcd, e, 1) :                  \
	 (f) == 2 ? _mm_sha1rnds4_epu32(abcd, e, 2) : _mm_sha1rnds4_epu32(abcd, e, 3))

SHA_NI static void sha1_ni(uint32_t *s, const unsigned char *p, size_t n)
{
	const __m128i mask = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)s), 0x1B);
	__m128i e0 = _mm_set_epi32((int)s[4], 0, 0, 0);

	for (; n; n--, p += 64) {
		__m128i abcd_save = abcd, e_save = e0, w[4], e, prev = abcd;
		for (int i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), mask);
		for (int i = 0; i < 20; i++) {
			e = i == 0 ? _mm_add_epi32(e0, w[0]) : _mm_sha1nexte_epu32(prev, w[i & 3]);
			prev = abcd;
			abcd = SHA1_RNDS4(abcd, e, i / 5);
			if (i + 4 < 20) {
				/* W(i+4) = msg2(msg1(W(i), W(i+1)) ^ W(i+2), W(i+3)) */
				__m128i a = _mm_sha1msg1_epu32(w[i & 3], w[(i + 1) & 3]);
				a = _mm_xor_si128(a, w[(i + 2) & 3]);
				w[i & 3] = _mm_sha1msg2_epu32(a, w[(i + 3) & 3]);
			}
		}
		e0 = _mm_sha1nexte_epu32(prev, e_save);
		abcd = _mm_add_epi32(abcd, abcd_save);
	}
	_mm_storeu_si128((__m128i *)s, _mm_shuffle_epi32(abcd, 0x1B));
	s[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

static int known = -1;

static int have_sha_ni(void)
{
	unsigned a, b, c, d;

	if (known < 0) {
		known = 0;
		if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_1) && (c & bit_SSSE3) &&
		    __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)))
			known = 1;
	}
	return known;
}

int odl_hash_accel(int on)
{
	known = -1;
	if (on && have_sha_ni())
		return 1;
	known = 0;
	return 0;
}
#else
int odl_hash_accel(int on)
{
	(void)on;
	return 0;
}
#endif

static void blocks(odl_hash *h, const unsigned char *p, size_t n)
{
#ifdef ODL_SHA_NI
	if (h->alg != ODL_HASH_MD5 && have_sha_ni()) {
		if (h->alg == ODL_HASH_SHA1)
			sha1_ni(h->s, p, n);
		else
			sha256_ni(h->s, p, n);
		return;
	}
#endif
	for (; n; n--, p += 64) {
		switch (h->alg) {
		case ODL_HASH_MD5: md5_block(h->s, p); break;
		case ODL_HASH_SHA1: sha1_block(h->s, p); break;
		case ODL_HASH_SHA256: sha256_block(h->s, p); break;
		}
	}
}

void odl_hash_reset(odl_hash *h)
{
	static const uint32_t md5_iv[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
	static const uint32_t sha1_iv[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
	static const uint32_t sha256_iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memset(h->s, 0, sizeof(h->s));
	if (h->alg == ODL_HASH_MD5)
		memcpy(h->s, md5_iv, sizeof(md5_iv));
	else if (h->alg == ODL_HASH_SHA1)
		memcpy(h->s, sha1_iv, sizeof(sha1_iv));
	else
		memcpy(h->s, sha256_iv, sizeof(sha256_iv));
	h->total = 0;
	h->nbuf = 0;
}

odl_hash *odl_hash_new(enum odl_hash_alg alg)
{
	if (alg != ODL_HASH_MD5 && alg != ODL_HASH_SHA1 && alg != ODL_HASH_SHA256)
		return NULL;
	odl_hash *h = malloc(sizeof(*h));
	if (!h)
		return NULL;
	h->alg = alg;
	odl_hash_reset(h);
	return h;
}

void odl_hash_free(odl_hash *h)
{
	free(h);
}

void odl_hash_update(odl_hash *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	h->total += len;
	if (h->nbuf) {
		size_t n = 64 - h->nbuf < len ? 64 - h->nbuf : len;
		memcpy(h->buf + h->nbuf, p, n);
		h->nbuf += n;
		p += n;
		len -= n;
		if (h->nbuf < 64)
			return;
		blocks(h, h->buf, 1);
		h->nbuf = 0;
	}
	blocks(h, p, len / 64);
	p += len / 64 * 64;
	len %= 64;
	memcpy(h->buf, p, len);
	h->nbuf = len;
}

void odl_hash_final_hex(odl_hash *h, char hex[ODL_HASH_HEX_MAX])
{
	static const char digits[] = "0123456789abcdef";
	uint64_t bits = h->total * 8;
	unsigned char pad[72] = { 0x80 };
	size_t npad = (h->nbuf < 56 ? 56 : 120) - h->nbuf;

	for (int i = 0; i < 8; i++)
		pad[npad + i] = h->alg == ODL_HASH_MD5 ? (unsigned char)(bits >> (8 * i))
						      : (unsigned char)(bits >> (56 - 8 * i));
	uint64_t total = h->total;
	odl_hash_update(h, pad, npad + 8);
	h->total = total;

	size_t n = odl_hash_size(h->alg);
	for (size_t i = 0; i < n; i++) {
		uint32_t w = h->s[i / 4];
		unsigned char b = h->alg == ODL_HASH_MD5 ? (unsigned char)(w >> (8 * (i % 4)))
							 : (unsigned char)(w >> (24 - 8 * (i % 4)));
		hex[2 * i] = digits[b >> 4];
		hex[2 * i + 1] = digits[b & 15];
	}
	hex[2 * n] = 0;
}

size_t odl_hash_size(enum odl_hash_alg alg)
{
	return alg == ODL_HASH_MD5 ? 16 : alg == ODL_HASH_SHA1 ? 20 : 32;
}

const char *odl_hash_name(enum odl_hash_alg alg)
{
	return alg == ODL_HASH_MD5 ? "md5" : alg == ODL_HASH_SHA1 ? "sha1" : "sha256";
}

int odl_hash_parse(const char *name, enum odl_hash_alg *alg)
{
	if (!name)
		return ODL_EINVAL;
	if (strcasecmp(name, "md5") == 0)
		*alg = ODL_HASH_MD5;
	else if (strcasecmp(name, "sha1") == 0 || strcasecmp(name, "sha-1") == 0)
		*alg = ODL_HASH_SHA1;
	else if (strcasecmp(name, "sha256") == 0 || strcasecmp(name, "sha-256") == 0)
		*alg = ODL_HASH_SHA256;
	else
		return ODL_EUNSUPPORTED;
	return ODL_OK;
}
