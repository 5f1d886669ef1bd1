/* render_summary.c - validation errors grouped by cause, memory bounded. */
#include "odl/render.h"

#include <stdlib.h>
#include <string.h>

#define CELL_MAX 200
#define MESSAGE_MAX 400
#define NBUCKETS 1024

struct odl_render_summary {
	size_t max_groups, max_examples;
	struct odl_render_group *groups;
	size_t *next;       /* hash chain, index + 1, 0 = end */
	size_t ngroups;
	size_t buckets[NBUCKETS]; /* index + 1, 0 = empty */
	uint64_t total;
	int sorted;         /* groups reordered: the hash no longer applies */
};

odl_render_summary *odl_render_summary_new(size_t max_groups, size_t max_examples)
{
	odl_render_summary *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->max_groups = max_groups ? max_groups : 256;
	s->max_examples = max_examples ? max_examples : 3;
	if (s->max_examples > ODL_RENDER_MAX_EXAMPLES)
		s->max_examples = ODL_RENDER_MAX_EXAMPLES;
	/* one more slot for the "other" group */
	s->groups = calloc(s->max_groups + 1, sizeof(*s->groups));
	s->next = calloc(s->max_groups + 1, sizeof(*s->next));
	if (!s->groups || !s->next) {
		free(s->groups);
		free(s->next);
		free(s);
		return NULL;
	}
	return s;
}

void odl_render_summary_free(odl_render_summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ngroups; i++) {
		struct odl_render_group *g = &s->groups[i];
		free(g->type);
		free(g->field);
		for (size_t k = 0; k < g->nexamples; k++) {
			free(g->examples[k].cell);
			free(g->examples[k].message);
		}
	}
	free(s->groups);
	free(s->next);
	free(s);
}

static size_t hash(const char *a, const char *b)
{
	uint32_t h = 2166136261u;

	for (; *a; a++)
		h = (h ^ (unsigned char)*a) * 16777619u;
	h = (h ^ 0xff) * 16777619u;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 16777619u;
	return h % NBUCKETS;
}

/* A copy of at most max bytes, not cutting a UTF-8 sequence. */
static char *copy_clipped(const char *s, size_t max)
{
	size_t n = strlen(s);
	char *c;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	c = malloc(n + 1);
	if (c) {
		memcpy(c, s, n);
		c[n] = 0;
	}
	return c;
}

static struct odl_render_group *find(odl_render_summary *s, const char *type, const char *field)
{
	size_t h = hash(type, field), i;
	struct odl_render_group *g;

	for (i = s->buckets[h]; i; i = s->next[i - 1]) {
		g = &s->groups[i - 1];
		if (strcmp(g->type, type) == 0 && strcmp(g->field, field) == 0)
			return g;
	}
	if (s->ngroups >= s->max_groups) {
		type = "other";
		field = "";
		h = hash(type, field);
		for (i = s->buckets[h]; i; i = s->next[i - 1]) {
			g = &s->groups[i - 1];
			if (strcmp(g->type, type) == 0 && strcmp(g->field, field) == 0)
				return g;
		}
		if (s->ngroups > s->max_groups)
			return NULL;
	}
	g = &s->groups[s->ngroups];
	g->type = strdup(type);
	g->field = strdup(field);
	if (!g->type || !g->field) {
		free(g->type);
		free(g->field);
		g->type = g->field = NULL;
		return NULL;
	}
	s->next[s->ngroups] = s->buckets[h];
	s->buckets[h] = ++s->ngroups;
	return g;
}

int odl_render_summary_add(odl_render_summary *s, const char *type, const char *field,
			   uint64_t row, uint64_t column, const char *cell, const char *message)
{
	struct odl_render_group *g;

	if (!s || !type || s->sorted)
		return ODL_EINVAL;
	g = find(s, type, field ? field : "");
	if (!g)
		return ODL_ENOMEM;
	g->count++;
	s->total++;
	if (g->nexamples < s->max_examples) {
		struct odl_render_example *e = &g->examples[g->nexamples];
		e->row = row;
		e->column = column;
		e->cell = cell ? copy_clipped(cell, CELL_MAX) : NULL;
		e->message = message ? copy_clipped(message, MESSAGE_MAX) : NULL;
		if ((cell && !e->cell) || (message && !e->message)) {
			free(e->cell);
			free(e->message);
			e->cell = e->message = NULL;
			return ODL_ENOMEM;
		}
		g->nexamples++;
	}
	return ODL_OK;
}

static int by_count(const void *a, const void *b)
{
	const struct odl_render_group *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = strcmp(x->type, y->type);
	return c ? c : strcmp(x->field, y->field);
}

void odl_render_summary_sort(odl_render_summary *s)
{
	if (!s)
		return;
	qsort(s->groups, s->ngroups, sizeof(*s->groups), by_count);
	s->sorted = 1;
}

size_t odl_render_summary_ngroups(const odl_render_summary *s)
{
	return s ? s->ngroups : 0;
}

const struct odl_render_group *odl_render_summary_group(const odl_render_summary *s, size_t i)
{
	return s && i < s->ngroups ? &s->groups[i] : NULL;
}

uint64_t odl_render_summary_total(const odl_render_summary *s)
{
	return s ? s->total : 0;
}
