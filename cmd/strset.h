/* strset.h - a set of strings for the programs (URLs fetched, paths given
 * out), so a run over 100,000 resources checks each in constant time. */
#ifndef ODL_CMD_STRSET_H
#define ODL_CMD_STRSET_H

#include <stddef.h>

struct strset {
	char **slot;    /* open addressing, linear probing; NULL = free */
	size_t cap;     /* power of two, 0 when empty */
	size_t count;
};

/* 1 when s is in the set. */
int strset_has(const struct strset *set, const char *s);
/* Add a copy of s: 1 added, 0 already there.  Dies on out of memory. */
int strset_add(struct strset *set, const char *s);
void strset_clear(struct strset *set);

#endif
