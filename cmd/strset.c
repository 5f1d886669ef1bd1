/* strset.c - see strset.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "strset.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static char **find(char **slot, size_t cap, const char *s)
{
	size_t i = (size_t)hash(s) & (cap - 1);
	while (slot[i] && strcmp(slot[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

int strset_has(const struct strset *set, const char *s)
{
	return set->cap && *find(set->slot, set->cap, s) != NULL;
}

const char *strset_add(struct strset *set, const char *s, int *added)
{
	if ((set->count + 1) * 2 > set->cap) {
		/* kept at most half full, so probes stay short */
		size_t cap = set->cap ? set->cap * 2 : 256;
		char **slot = calloc(cap, sizeof(*slot));
		if (!slot)
			cli_die("out of memory");
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i])
				*find(slot, cap, set->slot[i]) = set->slot[i];
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	char **at = find(set->slot, set->cap, s);
	if (added)
		*added = !*at;
	if (*at)
		return *at;
	if (!(*at = strdup(s)))
		cli_die("out of memory");
	set->count++;
	return *at;
}

void strset_clear(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	set->slot = NULL;
	set->cap = set->count = 0;
}
