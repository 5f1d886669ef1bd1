/* value_memo.h - the values a field has already accepted. */
#ifndef ODL_VALUE_MEMO_H
#define ODL_VALUE_MEMO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * A field's memo of recent values that passed its type and every
 * constraint: a cell equal to one of them is valid again, and its type
 * and constraints need not be read.  SCDL files repeat most columns (the
 * publisher's name and SIRET, the dates of a few council meetings, enum
 * values), so most cells are answered by one hash and one comparison.
 *
 * Direct-mapped, values of at most ODL_MEMO_VALUE bytes.  A field whose
 * cells seldom repeat (amounts, identifiers of each row) switches its
 * memo off after a sample, so that it costs nothing there.  The lookups
 * are inline: they run once per cell.
 */
#define ODL_MEMO_BITS 8
#define ODL_MEMO_SLOTS (1u << ODL_MEMO_BITS)
#define ODL_MEMO_VALUE 46
/* lookups after which the hit rate is judged, and the rate kept */
#define ODL_MEMO_SAMPLE 4096
#define ODL_MEMO_MIN_HITS (ODL_MEMO_SAMPLE / 4)

struct odl_memo_slot {
	unsigned char len;      /* 0xff = empty */
	char bytes[ODL_MEMO_VALUE + 1];
};

struct odl_value_memo {
	struct odl_memo_slot slot[ODL_MEMO_SLOTS];
	unsigned lookups, hits;
	unsigned last;          /* the slot of the last lookup */
	int off;
};

/*
 * NULL when out of memory, and when the environment has ODL_MEMO=off,
 * which the tests use to check that the memo changes no output.
 */
struct odl_value_memo *odl_value_memo_new(void);
void odl_value_memo_free(struct odl_value_memo *m);

static inline uint64_t odl_memo_word(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/*
 * A value of fewer than 8 bytes as one word: two overlapping 4-byte loads,
 * or its first, middle and last bytes; every byte is in it, so two values
 * of the same length are equal when their words are.
 */
static inline uint64_t odl_memo_tail(const char *p, size_t n)
{
	uint32_t a, b;

	if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		return (uint64_t)a << 32 | b;
	}
	if (!n)
		return 0;
	return (uint64_t)(unsigned char)p[0] | (uint64_t)(unsigned char)p[n / 2] << 8 |
	       (uint64_t)(unsigned char)p[n - 1] << 16;
}

/* Eight bytes at a time, the last word overlapping the one before when the
 * length is not a multiple of 8. */
static inline unsigned odl_memo_slot_of(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;

	if (n < 8) {
		h = (h ^ odl_memo_tail(p, n)) * 0xff51afd7ed558ccdULL;
	} else {
		for (size_t i = 0; i + 8 < n; i += 8)
			h = (h ^ odl_memo_word(p + i)) * 0xff51afd7ed558ccdULL;
		h = (h ^ odl_memo_word(p + n - 8)) * 0xff51afd7ed558ccdULL;
	}
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (unsigned)(h >> (64 - ODL_MEMO_BITS));
}

static inline int odl_memo_same(const char *a, const char *b, size_t n)
{
	if (n < 8)
		return odl_memo_tail(a, n) == odl_memo_tail(b, n);
	for (size_t i = 0; i + 8 < n; i += 8)
		if (odl_memo_word(a + i) != odl_memo_word(b + i))
			return 0;
	return odl_memo_word(a + n - 8) == odl_memo_word(b + n - 8);
}

/* 1 when p[0..n) was accepted before; 0 otherwise (or the memo is off). */
static inline int odl_value_memo_seen(struct odl_value_memo *m, const char *p, size_t n)
{
	if (m->off || n > ODL_MEMO_VALUE)
		return 0;
	m->last = odl_memo_slot_of(p, n);
	const struct odl_memo_slot *s = &m->slot[m->last];
	int hit = s->len == n && odl_memo_same(s->bytes, p, n);

	if (m->lookups < ODL_MEMO_SAMPLE) {
		m->hits += (unsigned)hit;
		if (++m->lookups == ODL_MEMO_SAMPLE && m->hits < ODL_MEMO_MIN_HITS)
			m->off = 1;
	}
	return hit;
}

/*
 * p[0..n), which odl_value_memo_seen() has just missed, was accepted
 * (ignored when too long or the memo is off).
 */
static inline void odl_value_memo_add(struct odl_value_memo *m, const char *p, size_t n)
{
	if (m->off || n > ODL_MEMO_VALUE)
		return;
	struct odl_memo_slot *s = &m->slot[m->last];

	memcpy(s->bytes, p, n);
	s->len = (unsigned char)n;
}

#endif
