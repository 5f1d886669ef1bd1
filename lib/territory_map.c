/* territory_map.c - open addressing, linear probing, FNV-1a. */
#include "territory_map.h"

#include <stdlib.h>
#include <string.h>

uint64_t odl_hash64(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	/* fold the high bits down: the table is indexed by the low ones */
	return h ^ (h >> 29);
}

void odl_strmap_init(struct odl_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void odl_strmap_clear(struct odl_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->lens);
	free(m->vals);
	odl_strmap_init(m);
}

static size_t slot(const struct odl_strmap *m, const char *key, size_t len)
{
	size_t i = (size_t)odl_hash64(key, len) & (m->cap - 1);

	while (m->keys[i] && !(m->lens[i] == len && memcmp(m->keys[i], key, len) == 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

int odl_strmap_get(const struct odl_strmap *m, const char *key, size_t len, size_t *val)
{
	if (!m->cap)
		return 0;
	size_t i = slot(m, key, len);
	if (!m->keys[i])
		return 0;
	if (val)
		*val = m->vals[i];
	return 1;
}

static int grow(struct odl_strmap *m)
{
	struct odl_strmap n;
	size_t cap = m->cap ? m->cap * 2 : 64;

	n.cap = cap;
	n.count = m->count;
	n.keys = calloc(cap, sizeof(*n.keys));
	n.lens = calloc(cap, sizeof(*n.lens));
	n.vals = calloc(cap, sizeof(*n.vals));
	if (!n.keys || !n.lens || !n.vals) {
		free(n.keys);
		free(n.lens);
		free(n.vals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = slot(&n, m->keys[i], m->lens[i]);
		n.keys[j] = m->keys[i];
		n.lens[j] = m->lens[i];
		n.vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->lens);
	free(m->vals);
	*m = n;
	return 0;
}

int odl_strmap_put(struct odl_strmap *m, const char *key, size_t len, size_t *val)
{
	if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
		return -1;
	size_t i = slot(m, key, len);
	if (m->keys[i]) {
		*val = m->vals[i];
		return 0;
	}
	char *k = malloc(len + 1);
	if (!k)
		return -1;
	memcpy(k, key, len);
	k[len] = 0;
	m->keys[i] = k;
	m->lens[i] = len;
	m->vals[i] = *val;
	m->count++;
	return 1;
}

size_t *odl_strmap_ref(struct odl_strmap *m, const char *key, size_t len)
{
	size_t zero = 0;

	if (odl_strmap_put(m, key, len, &zero) < 0)
		return NULL;
	return &m->vals[slot(m, key, len)];
}
