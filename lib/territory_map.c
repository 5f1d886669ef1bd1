/* territory_map.c - open addressing, linear probing, FNV-1a + fmix64. */
#include "territory_map.h"

#include <stdlib.h>
#include <string.h>

#define INLINE_MAX 16
#define FREE UINT32_MAX

uint64_t odl_hash64(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	/* FNV's low bits are weak and the table is indexed by them: finish
	 * with murmur3's fmix64 so that near keys (sequential SIRENs) spread */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

void odl_strmap_init(struct odl_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

static const char *key_of(const struct odl_strmap *m, size_t i)
{
	return m->e[i].len < INLINE_MAX ? m->inline_keys + i * INLINE_MAX : m->e[i].k.ptr;
}

void odl_strmap_clear(struct odl_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->e[i].len != FREE && m->e[i].len >= INLINE_MAX)
			free(m->e[i].k.ptr);
	free(m->e);
	free(m->inline_keys);
	odl_strmap_init(m);
}

static size_t slot_h(const struct odl_strmap *m, const char *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->e[i].len != FREE &&
	       !(m->e[i].hash == h && m->e[i].len == len && memcmp(key_of(m, i), key, len) == 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

int odl_strmap_get(const struct odl_strmap *m, const char *key, size_t len, size_t *val)
{
	if (!m->cap)
		return 0;
	size_t i = slot_h(m, key, len, odl_hash64(key, len));
	if (m->e[i].len == FREE)
		return 0;
	if (val)
		*val = m->e[i].val;
	return 1;
}

static int grow(struct odl_strmap *m)
{
	struct odl_strmap n;
	size_t cap = m->cap ? m->cap * 2 : 64;

	n.cap = cap;
	n.count = m->count;
	n.e = malloc(cap * sizeof(*n.e));
	n.inline_keys = malloc(cap * INLINE_MAX);
	if (!n.e || !n.inline_keys) {
		free(n.e);
		free(n.inline_keys);
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		n.e[i].len = FREE;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->e[i].len == FREE)
			continue;
		size_t j = (size_t)m->e[i].hash & (cap - 1);
		while (n.e[j].len != FREE)
			j = (j + 1) & (cap - 1);
		n.e[j] = m->e[i];
		if (m->e[i].len < INLINE_MAX)
			memcpy(n.inline_keys + j * INLINE_MAX, m->inline_keys + i * INLINE_MAX,
			       INLINE_MAX);
	}
	free(m->e);
	free(m->inline_keys);
	*m = n;
	return 0;
}

int odl_strmap_put(struct odl_strmap *m, const char *key, size_t len, size_t *val)
{
	if (len >= FREE)
		return -1;
	if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
		return -1;
	uint64_t h = odl_hash64(key, len);
	size_t i = slot_h(m, key, len, h);
	if (m->e[i].len != FREE) {
		*val = m->e[i].val;
		return 0;
	}
	if (len < INLINE_MAX) {
		memcpy(m->inline_keys + i * INLINE_MAX, key, len);
	} else {
		char *k = malloc(len + 1);
		if (!k)
			return -1;
		memcpy(k, key, len);
		k[len] = 0;
		m->e[i].k.ptr = k;
	}
	m->e[i].len = (uint32_t)len;
	m->e[i].hash = h;
	m->e[i].val = *val;
	m->count++;
	return 1;
}

size_t *odl_strmap_ref(struct odl_strmap *m, const char *key, size_t len)
{
	size_t zero = 0;

	if (odl_strmap_put(m, key, len, &zero) < 0)
		return NULL;
	return &m->e[slot_h(m, key, len, odl_hash64(key, len))].val;
}

int odl_strmap_next(const struct odl_strmap *m, size_t *pos, const char **key, size_t *len,
		    size_t *val)
{
	while (*pos < m->cap && m->e[*pos].len == FREE)
		(*pos)++;
	if (*pos >= m->cap)
		return 0;
	*key = key_of(m, *pos);
	*len = m->e[*pos].len;
	if (val)
		*val = m->e[*pos].val;
	(*pos)++;
	return 1;
}
