/* territory_map.h - string -> size_t hash map, private to the territory,
 * indicator, compare and compliance modules.  Keys are copied. */
#ifndef ODL_TERRITORY_MAP_H
#define ODL_TERRITORY_MAP_H

#include <stddef.h>
#include <stdint.h>

struct odl_strmap {
	char **keys;
	size_t *lens;
	size_t *vals;
	size_t cap;   /* power of two, 0 when empty */
	size_t count;
};

void odl_strmap_init(struct odl_strmap *m);
void odl_strmap_clear(struct odl_strmap *m);
/* 1 and *val when found, else 0. */
int odl_strmap_get(const struct odl_strmap *m, const char *key, size_t len, size_t *val);
/* Insert or keep: *val receives the stored value (the old one when present).
 * Returns 1 inserted, 0 present, -1 out of memory. */
int odl_strmap_put(struct odl_strmap *m, const char *key, size_t len, size_t *val);

/* The value slot of key, inserted with 0 when absent; NULL out of memory. */
size_t *odl_strmap_ref(struct odl_strmap *m, const char *key, size_t len);

uint64_t odl_hash64(const void *p, size_t len);

#endif
