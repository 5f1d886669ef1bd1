/* strset.h - a set of strings for the programs (URLs fetched, paths given
 * out), so a run over 100,000 resources checks each in constant time and
 * keeps each string once. */
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
/* The set's own copy of s, added when absent (*added, when not NULL, says
 * whether it was); it lives until strset_clear.  Dies on out of memory. */
const char *strset_add(struct strset *set, const char *s, int *added);
void strset_clear(struct strset *set);

#endif
