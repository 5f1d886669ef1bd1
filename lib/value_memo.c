/* value_memo.c - the values a field has already accepted (value_memo.h). */
#include "value_memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* lookups after which the hit rate is judged, and the rate kept */
#define SAMPLE 4096
#define MIN_HITS (SAMPLE / 4)

struct slot {
	unsigned char len;      /* 0xff = empty */
	char bytes[ODL_MEMO_VALUE + 1];
};

struct odl_value_memo {
	struct slot slot[ODL_MEMO_SLOTS];
	unsigned lookups, hits;
	unsigned last;          /* the slot of the last lookup */
	int off;
};

struct odl_value_memo *odl_value_memo_new(void)
{
	const char *env = getenv("ODL_MEMO");

	if (env && strcmp(env, "off") == 0)
		return NULL;
	struct odl_value_memo *m = calloc(1, sizeof(*m));

	if (m)
		for (size_t i = 0; i < ODL_MEMO_SLOTS; i++)
			m->slot[i].len = 0xff;
	return m;
}

void odl_value_memo_free(struct odl_value_memo *m)
{
	free(m);
}

static uint64_t word(const char *p)
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
static uint64_t tail(const char *p, size_t n)
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

/*
 * Eight bytes at a time, the last word overlapping the one before when the
 * length is not a multiple of 8: the values are short and the table small.
 */
static unsigned slot_of(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;

	if (n < 8) {
		h = (h ^ tail(p, n)) * 0xff51afd7ed558ccdULL;
	} else {
		for (size_t i = 0; i + 8 < n; i += 8)
			h = (h ^ word(p + i)) * 0xff51afd7ed558ccdULL;
		h = (h ^ word(p + n - 8)) * 0xff51afd7ed558ccdULL;
	}
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (unsigned)(h >> (64 - ODL_MEMO_BITS));
}

static int same_bytes(const char *a, const char *b, size_t n)
{
	if (n < 8)
		return tail(a, n) == tail(b, n);
	for (size_t i = 0; i + 8 < n; i += 8)
		if (word(a + i) != word(b + i))
			return 0;
	return word(a + n - 8) == word(b + n - 8);
}

int odl_value_memo_seen(struct odl_value_memo *m, const char *p, size_t n)
{
	if (m->off || n > ODL_MEMO_VALUE)
		return 0;
	m->last = slot_of(p, n);
	const struct slot *s = &m->slot[m->last];
	int hit = s->len == n && same_bytes(s->bytes, p, n);

	if (m->lookups < SAMPLE) {
		m->hits += (unsigned)hit;
		if (++m->lookups == SAMPLE && m->hits < MIN_HITS)
			m->off = 1;
	}
	return hit;
}

void odl_value_memo_add(struct odl_value_memo *m, const char *p, size_t n)
{
	if (m->off || n > ODL_MEMO_VALUE)
		return;
	struct slot *s = &m->slot[m->last];

	memcpy(s->bytes, p, n);
	s->len = (unsigned char)n;
}
