/* territory_map.h - string -> size_t hash map, private to the territory,
 * indicator, compare and compliance modules.  Keys are copied. */
#ifndef ODL_TERRITORY_MAP_H
#define ODL_TERRITORY_MAP_H

#include <stddef.h>
#include <stdint.h>

/* One probe reads one 32-byte entry; keys up to 15 bytes (codes, SIRENs,
 * group keys) live inline, so a lookup touches a single cache line. */
struct odl_strmap_entry {
	uint64_t hash;
	uint32_t len;   /* UINT32_MAX: free slot */
	uint32_t pad;
	union {
		char inline_key[8];
		char *ptr;
	} k;
	size_t val;
};

struct odl_strmap {
	struct odl_strmap_entry *e;
	char *inline_keys; /* 16 bytes per slot */
	size_t cap;        /* power of two, 0 when empty */
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
/* Iterate: *pos starts at 0; returns 0 at the end. */
int odl_strmap_next(const struct odl_strmap *m, size_t *pos, const char **key, size_t *len,
		    size_t *val);

uint64_t odl_hash64(const void *p, size_t len);

#endif
