/*
 * fix_memo.h - the cells of one field lately read as valid (private).
 *
 * Most columns repeat a few values (the grantor, its SIRET, the nature, a
 * few dozen dates): a cell seen valid is remembered, so that its next
 * occurrence costs a lookup rather than a second reading of its type and
 * constraints (the validator reads it anyway).  A cell of up to 32 bytes is
 * its length and four words that cover all its bytes, so a lookup compares
 * words, never text; longer cells are not remembered.  The table is a fixed
 * 128 sets of two: a column of distinct values misses, and the fixer stops
 * asking when it misses too often.
 */
#ifndef ODL_FIX_MEMO_H
#define ODL_FIX_MEMO_H

#include <stdint.h>
#include <string.h>

#define FIX_MEMO_MAX 32
#define FIX_MEMO_SETS 128

struct fix_memo_key {
	uint64_t w[4];
	uint32_t n;
};

struct fix_memo {
	struct fix_memo_key way[FIX_MEMO_SETS][2];
	uint64_t tries, hits;
};

static inline uint64_t fix_memo_word(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* The key of p[0..n), or 0 when the cell is too long to remember. */
static inline int fix_memo_key(const char *p, size_t n, struct fix_memo_key *k)
{
	if (n > FIX_MEMO_MAX)
		return 0;
	k->n = (uint32_t)n;
	if (n >= 8) {
		/* words at 0, min(8, n-8), max(n-16, 0), n-8: every byte */
		k->w[0] = fix_memo_word(p);
		k->w[1] = fix_memo_word(p + (n - 8 < 8 ? n - 8 : 8));
		k->w[2] = fix_memo_word(p + (n > 16 ? n - 16 : 0));
		k->w[3] = fix_memo_word(p + n - 8);
		return 1;
	}
	uint64_t w = 0;
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = a | (uint64_t)b << 32;
	} else if (n) {
		w = (unsigned char)p[0] | (uint64_t)(unsigned char)p[n / 2] << 8 |
		    (uint64_t)(unsigned char)p[n - 1] << 16;
	}
	k->w[0] = w;
	k->w[1] = k->w[2] = k->w[3] = 0;
	return 1;
}

static inline unsigned fix_memo_set(const struct fix_memo_key *k)
{
	uint64_t h = (k->w[0] * 0x9E3779B97F4A7C15ULL) ^ (k->w[1] * 0xC2B2AE3D27D4EB4FULL) ^
		     (k->w[2] * 0x165667B19E3779F9ULL) ^ (k->w[3] * 0x27D4EB2F165667C5ULL) ^ k->n;
	h ^= h >> 29;
	return (unsigned)((h * 0x94D049BB133111EBULL) >> 57) % FIX_MEMO_SETS;
}

static inline int fix_memo_same(const struct fix_memo_key *a, const struct fix_memo_key *b)
{
	return a->n == b->n && a->w[0] == b->w[0] && a->w[1] == b->w[1] && a->w[2] == b->w[2] &&
	       a->w[3] == b->w[3];
}

/* 1 when the cell of key k is remembered. */
static inline int fix_memo_has(const struct fix_memo *m, const struct fix_memo_key *k)
{
	const struct fix_memo_key *s = m->way[fix_memo_set(k)];
	return fix_memo_same(&s[0], k) || fix_memo_same(&s[1], k);
}

/* Remember k, the older of its set's two going. */
static inline void fix_memo_add(struct fix_memo *m, const struct fix_memo_key *k)
{
	struct fix_memo_key *s = m->way[fix_memo_set(k)];
	s[1] = s[0];
	s[0] = *k;
}

/* An empty memo: no key has length UINT32_MAX. */
static inline void fix_memo_init(struct fix_memo *m)
{
	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < FIX_MEMO_SETS; i++)
		m->way[i][0].n = m->way[i][1].n = UINT32_MAX;
}

#endif
