/* compare.c - ranks, percentiles and peer quartiles. */
#include "odl/compare.h"
#include "odl/indicator.h"
#include "territory_map.h"
#include "territory_priv.h"
#include "error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* no text: an entry without category or null_reason */
#define NONE UINT32_MAX

/*
 * One result, 64 bytes: its texts are interned (one copy per distinct
 * text, numbered), so that a national run of 630,000 rows keeps 35,000
 * territory codes, not 630,000, and the sorts compare numbers: the rank
 * of each text in byte order, computed once.
 */
struct entry {
	const struct odl_territory *terr;
	double value, per_inhabitants;
	uint64_t n_errors;
	uint32_t territory, indicator, category, peers, null_reason;
	uint32_t base; /* the series' base year (an index in e), when it has a value */
	int year;
	unsigned char has_value, has_den;
};

enum peer_mode { PEERS_ALL, PEERS_DEP, PEERS_REG, PEERS_EPCI, PEERS_SIZE, PEERS_NATURE,
		 PEERS_FILE };

struct odl_compare {
	const odl_territories *terr;
	struct entry *e;
	size_t n, cap;
	enum peer_mode mode;
	struct odl_strmap file_groups; /* code -> index in group_names */
	char **group_names;
	size_t ngroup_names, capgroup_names;
	char *focus;
	char *type;
	int base_year; /* 0: the first year of each series */
	struct odl_strmap interned; /* text -> index in strs */
	char **strs;
	size_t nstrs, capstrs;
	struct odl_compare_stats stats;
};

static const char *str_of(const odl_compare *c, uint32_t id);

const struct odl_compare_stats *odl_compare_stats(const odl_compare *c)
{
	return &c->stats;
}

/* a derived figure beyond the doubles: null, counted once per row */
static int finite_or_count(odl_compare *c, const struct entry *e, const char *field,
			   int *counted, double v)
{
	if (isfinite(v))
		return 1;
	if (!*counted) {
		*counted = 1;
		if (!c->stats.overflow++) {
			c->stats.first_overflow = str_of(c, e->territory);
			c->stats.first_overflow_field = field;
		}
	}
	return 0;
}

odl_compare *odl_compare_new(const odl_territories *territories)
{
	odl_compare *c = calloc(1, sizeof(*c));

	if (c) {
		c->terr = territories;
		odl_strmap_init(&c->file_groups);
		odl_strmap_init(&c->interned);
	}
	return c;
}

void odl_compare_free(odl_compare *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nstrs; i++)
		free(c->strs[i]);
	free(c->strs);
	odl_strmap_clear(&c->interned);
	for (size_t i = 0; i < c->ngroup_names; i++)
		free(c->group_names[i]);
	free(c->group_names);
	odl_strmap_clear(&c->file_groups);
	free(c->e);
	free(c->focus);
	free(c->type);
	free(c);
}

/* the number of the one copy of s (NONE out of memory) */
static uint32_t intern(odl_compare *c, const char *s)
{
	size_t len = strlen(s), idx;

	if (odl_strmap_get(&c->interned, s, len, &idx))
		return (uint32_t)idx;
	/* ranks keep bit 31 of a sort key free */
	if (c->nstrs >= 0x7fffffff)
		return NONE;
	if (c->nstrs == c->capstrs) {
		size_t cap = c->capstrs ? c->capstrs * 2 : 64;
		char **p = realloc(c->strs, cap * sizeof(*p));
		if (!p)
			return NONE;
		c->strs = p;
		c->capstrs = cap;
	}
	char *d = strdup(s);
	idx = c->nstrs;
	if (!d || odl_strmap_put(&c->interned, s, len, &idx) < 0) {
		free(d);
		return NONE;
	}
	c->strs[c->nstrs++] = d;
	return (uint32_t)idx;
}

/* an interned text (NULL for NONE) */
static const char *str_of(const odl_compare *c, uint32_t id)
{
	return id == NONE ? NULL : c->strs[id];
}

int odl_compare_add(odl_compare *c, const char *territory, const char *indicator,
		    const char *category, int year, int has_value, double value,
		    int has_denominator, struct odl_error *err)
{
	struct odl_compare_input in;

	odl_compare_input_init(&in);
	in.territory = territory;
	in.indicator = indicator;
	in.category = category;
	in.year = year;
	in.has_value = has_value;
	in.value = value;
	in.has_denominator = has_denominator;
	return odl_compare_add_input(c, &in, err);
}

void odl_compare_input_init(struct odl_compare_input *in)
{
	memset(in, 0, sizeof(*in));
	in->per_inhabitants = 1;
}

int odl_compare_set_base_year(odl_compare *c, int year)
{
	c->base_year = year;
	return ODL_OK;
}

int odl_compare_add_input(odl_compare *c, const struct odl_compare_input *in,
			  struct odl_error *err)
{
	const char *territory = in->territory, *indicator = in->indicator,
		   *category = in->category;

	if (!territory || !*territory || !indicator || !*indicator)
		return odl_fail(err, ODL_EINVAL, "a result needs a territory and an indicator");
	if (c->type) {
		const struct odl_territory *t = odl_territories_find(c->terr, territory,
								     strlen(territory));
		if (!t || strcmp(t->type, c->type) != 0)
			return ODL_OK;
	}
	if (c->n >= NONE - 1)
		return odl_fail(err, ODL_ELIMIT, "more than %u results", NONE - 2);
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct entry *p = realloc(c->e, cap * sizeof(*p));
		if (!p)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		c->e = p;
		c->cap = cap;
	}
	struct entry *e = &c->e[c->n];
	memset(e, 0, sizeof(*e));
	e->territory = intern(c, territory);
	e->indicator = intern(c, indicator);
	e->category = category ? intern(c, category) : NONE;
	e->null_reason = in->null_reason && !in->has_value ? intern(c, in->null_reason) : NONE;
	if (e->territory == NONE || e->indicator == NONE || (category && e->category == NONE) ||
	    (in->null_reason && !in->has_value && e->null_reason == NONE))
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	e->peers = NONE;
	e->base = NONE;
	e->year = in->year;
	e->has_value = in->has_value != 0;
	e->value = in->value;
	e->has_den = in->has_denominator != 0;
	e->per_inhabitants = in->per_inhabitants;
	e->n_errors = in->n_errors;
	/* a territory seen before: the table's row found then */
	if (c->n && c->e[c->n - 1].territory == e->territory)
		e->terr = c->e[c->n - 1].terr;
	else if (c->terr)
		e->terr = odl_territories_find(c->terr, territory, strlen(territory));
	c->n++;
	return ODL_OK;
}

struct file_ctx {
	odl_compare *c;
};

static int on_group(void *ctx, const struct odl_cell *cells, const struct odl_record *rec,
		    struct odl_error *err)
{
	odl_compare *c = ((struct file_ctx *)ctx)->c;
	char *code = odl_cell_dup(&cells[0]), *group = odl_cell_dup(&cells[1]);
	size_t idx = c->ngroup_names;
	int rc = ODL_OK;

	(void)rec;
	if (!code || !group) {
		rc = odl_fail(err, ODL_ENOMEM, "out of memory");
		goto out;
	}
	if (c->ngroup_names == c->capgroup_names) {
		size_t cap = c->capgroup_names ? c->capgroup_names * 2 : 64;
		char **p = realloc(c->group_names, cap * sizeof(*p));
		if (!p) {
			rc = odl_fail(err, ODL_ENOMEM, "out of memory");
			goto out;
		}
		c->group_names = p;
		c->capgroup_names = cap;
	}
	int put = odl_strmap_put(&c->file_groups, code, strlen(code), &idx);
	if (put < 0) {
		rc = odl_fail(err, ODL_ENOMEM, "out of memory");
	} else if (put == 0) {
		odl_error_at(err, NULL, rec->line, 0, "code");
		rc = odl_fail(err, ODL_EFORMAT, "territory '%s' is in two groups", code);
	} else {
		c->group_names[c->ngroup_names++] = group;
		group = NULL;
	}
out:
	free(code);
	free(group);
	return rc;
}

int odl_compare_set_peers(odl_compare *c, const char *spec, struct odl_error *err)
{
	static const char *const names[] = { "all", "dep", "reg", "epci", "size", "nature" };

	for (int i = 0; i < 6; i++)
		if (strcmp(spec, names[i]) == 0) {
			if (i && !c->terr)
				return odl_fail(err, ODL_EINVAL,
						"peers '%s' need a territory table", spec);
			c->mode = (enum peer_mode)i;
			return ODL_OK;
		}
	static const char *const cols[] = { "!code", "!group" };
	struct file_ctx fc = { c };
	c->mode = PEERS_FILE;
	return odl_read_columns(spec, cols, 2, on_group, &fc, err);
}

int odl_compare_set_type(odl_compare *c, const char *type, struct odl_error *err)
{
	if (type && !c->terr)
		return odl_fail(err, ODL_EINVAL, "a type filter needs a territory table");
	free(c->type);
	c->type = type ? strdup(type) : NULL;
	return type && !c->type ? odl_fail(err, ODL_ENOMEM, "out of memory") : ODL_OK;
}

int odl_compare_set_focus(odl_compare *c, const char *code, struct odl_error *err)
{
	free(c->focus);
	c->focus = code ? strdup(code) : NULL;
	return code && !c->focus ? odl_fail(err, ODL_ENOMEM, "out of memory") : ODL_OK;
}

const char *odl_size_band(double p)
{
	return p < 3500 ? "0-3499" : p < 10000 ? "3500-9999" : p < 20000 ? "10000-19999" :
	       p < 50000 ? "20000-49999" : p < 100000 ? "50000-99999" : "100000+";
}

/*
 * "COM:dep:16", "EPCI:size:100000+", "COM:unknown": the territory's type
 * first, so that communes, EPCI, départements and régions are never each
 * other's peers; no type prefix for a territory the table does not have
 * ("unknown", or "all" without a table).
 */
static int peer_label(odl_compare *c, struct entry *e, struct odl_error *err)
{
	char buf[192], group[160];
	const char *v = NULL;
	double pop;
	size_t idx;

	switch (c->mode) {
	case PEERS_ALL:
		snprintf(group, sizeof(group), "all");
		break;
	case PEERS_DEP:
	case PEERS_REG:
	case PEERS_EPCI:
		if (e->terr)
			v = c->mode == PEERS_DEP ? e->terr->dep : c->mode == PEERS_REG ? e->terr->reg :
			    e->terr->epci;
		if (v && *v)
			snprintf(group, sizeof(group), "%s:%s", c->mode == PEERS_DEP ? "dep" :
				 c->mode == PEERS_REG ? "reg" : "epci", v);
		else
			snprintf(group, sizeof(group), "unknown");
		break;
	case PEERS_SIZE:
		if (e->terr && odl_territory_number(c->terr, e->terr, "population", &pop) == ODL_OK &&
		    pop >= 0)
			snprintf(group, sizeof(group), "size:%s", odl_size_band(pop));
		else
			snprintf(group, sizeof(group), "unknown");
		break;
	case PEERS_NATURE:
		/* CC, CA, CU, MET: the DGCL's METRO and MET69 are both métropoles */
		v = e->terr ? odl_territory_cell(c->terr, e->terr, "nature") : "";
		if (*v)
			snprintf(group, sizeof(group), "nature:%s",
				 strncmp(v, "MET", 3) == 0 ? "MET" : v);
		else
			snprintf(group, sizeof(group), "unknown");
		break;
	case PEERS_FILE:
		if (odl_strmap_get(&c->file_groups, str_of(c, e->territory),
				   strlen(str_of(c, e->territory)), &idx))
			snprintf(group, sizeof(group), "%s", c->group_names[idx]);
		else
			snprintf(group, sizeof(group), "unknown");
		break;
	}
	if (e->terr && *e->terr->type)
		snprintf(buf, sizeof(buf), "%.24s:%s", e->terr->type, group);
	else if (c->terr)
		snprintf(buf, sizeof(buf), "unknown");
	else
		snprintf(buf, sizeof(buf), "%s", group);
	e->peers = intern(c, buf);
	return e->peers != NONE ? ODL_OK : odl_fail(err, ODL_ENOMEM, "out of memory");
}

/* the rank of each interned text in byte order (NONE sorts first) */
struct text_id {
	const char *s;
	uint32_t id;
};

static int cmp_text_id(const void *pa, const void *pb)
{
	return strcmp(((const struct text_id *)pa)->s, ((const struct text_id *)pb)->s);
}

static uint32_t *text_ranks(odl_compare *c)
{
	struct text_id *order = malloc((c->nstrs ? c->nstrs : 1) * sizeof(*order));
	uint32_t *rank = malloc((c->nstrs ? c->nstrs : 1) * sizeof(*rank));

	if (!order || !rank) {
		free(order);
		free(rank);
		return NULL;
	}
	for (size_t i = 0; i < c->nstrs; i++) {
		order[i].s = c->strs[i];
		order[i].id = (uint32_t)i;
	}
	qsort(order, c->nstrs, sizeof(*order), cmp_text_id);
	/* 0 is NONE's: texts from 1 (interned: no two are equal) */
	for (size_t i = 0; i < c->nstrs; i++)
		rank[order[i].id] = (uint32_t)i + 1;
	free(order);
	return rank;
}

static uint32_t rank_of(const uint32_t *rank, uint32_t id)
{
	return id == NONE ? 0 : rank[id];
}

/*
 * Output order: indicator, category, year (the block), peers, values
 * first then nulls, value descending, territory, then the order rows came
 * in (the sort is stable, as glibc's merge sort was).  All numbers: 32
 * bytes a key.
 */
struct okey {
	uint64_t block;  /* indicator rank, category rank */
	uint64_t block2; /* year, peers rank */
	double value;
	uint32_t terr;   /* no value (bit 31), territory rank */
	uint32_t idx;    /* the entry */
};

static int cmp_okey(const void *pa, const void *pb)
{
	const struct okey *a = pa, *b = pb;

	if (a->block != b->block)
		return a->block < b->block ? -1 : 1;
	if (a->block2 != b->block2)
		return a->block2 < b->block2 ? -1 : 1;
	if ((a->terr >> 31) != (b->terr >> 31))
		return (a->terr >> 31) < (b->terr >> 31) ? -1 : 1;
	if (!(a->terr >> 31) && a->value != b->value)
		return a->value > b->value ? -1 : 1;
	if ((a->terr & 0x7fffffff) != (b->terr & 0x7fffffff))
		return (a->terr & 0x7fffffff) < (b->terr & 0x7fffffff) ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/* previous-year lookup: territory, indicator, category, year; ties in
 * output order */
struct skey {
	uint64_t series; /* territory rank, indicator rank */
	uint64_t cat_year;
	uint32_t pos;    /* in output order */
	uint32_t idx;
};

static int cmp_skey_series(const struct skey *a, const struct skey *b)
{
	if (a->series != b->series)
		return a->series < b->series ? -1 : 1;
	if ((a->cat_year >> 32) != (b->cat_year >> 32))
		return (a->cat_year >> 32) < (b->cat_year >> 32) ? -1 : 1;
	return 0;
}

static int cmp_skey_year(const void *pa, const void *pb)
{
	const struct skey *a = pa, *b = pb;
	if (a->series != b->series)
		return a->series < b->series ? -1 : 1;
	if (a->cat_year != b->cat_year)
		return a->cat_year < b->cat_year ? -1 : 1;
	return 0;
}

static int cmp_skey(const void *pa, const void *pb)
{
	int d = cmp_skey_year(pa, pb);
	if (d)
		return d;
	const struct skey *a = pa, *b = pb;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/*
 * The two sorts run in place (glibc's qsort takes a buffer the size of the
 * array: 35 MB more at 630,000 rows).  The keys are unique (their last
 * member is the row's place), so every sort gives the one same order:
 * quicksort, median of three, heapsort past 2 log n levels, insertion
 * sort below 16.
 */
#define DEFINE_SORT(NAME, T, CMP)                                                          \
	static void NAME##_sift(T *a, size_t i, size_t n)                                  \
	{                                                                                  \
		for (;;) {                                                                 \
			size_t m = i, l = 2 * i + 1, r = l + 1;                            \
			if (l < n && CMP(&a[l], &a[m]) > 0)                                \
				m = l;                                                     \
			if (r < n && CMP(&a[r], &a[m]) > 0)                                \
				m = r;                                                     \
			if (m == i)                                                        \
				return;                                                    \
			T t = a[i];                                                        \
			a[i] = a[m];                                                       \
			a[m] = t;                                                          \
			i = m;                                                             \
		}                                                                          \
	}                                                                                  \
	static void NAME(T *a, size_t n, unsigned depth)                                   \
	{                                                                                  \
		while (n > 16) {                                                           \
			if (!depth--) {                                                    \
				for (size_t i = n / 2; i-- > 0;)                           \
					NAME##_sift(a, i, n);                              \
				for (size_t i = n; i-- > 1;) {                             \
					T t = a[0];                                        \
					a[0] = a[i];                                       \
					a[i] = t;                                          \
					NAME##_sift(a, 0, i);                              \
				}                                                          \
				return;                                                    \
			}                                                                  \
			size_t mid = n / 2;                                                \
			T t;                                                               \
			if (CMP(&a[mid], &a[0]) < 0) {                                     \
				t = a[mid]; a[mid] = a[0]; a[0] = t;                       \
			}                                                                  \
			if (CMP(&a[n - 1], &a[0]) < 0) {                                   \
				t = a[n - 1]; a[n - 1] = a[0]; a[0] = t;                   \
			}                                                                  \
			if (CMP(&a[n - 1], &a[mid]) < 0) {                                 \
				t = a[n - 1]; a[n - 1] = a[mid]; a[mid] = t;               \
			}                                                                  \
			T pivot = a[mid];                                                  \
			size_t i = 0, j = n - 1;                                           \
			for (;;) {                                                         \
				while (CMP(&a[i], &pivot) < 0)                             \
					i++;                                               \
				while (CMP(&pivot, &a[j]) < 0)                             \
					j--;                                               \
				if (i >= j)                                                \
					break;                                             \
				t = a[i]; a[i] = a[j]; a[j] = t;                           \
				i++;                                                       \
				j--;                                                       \
			}                                                                  \
			/* [0, j] and [j + 1, n): the smaller one first, by recursion */ \
			if (j + 1 < n - j - 1) {                                           \
				NAME(a, j + 1, depth);                                     \
				a += j + 1;                                                \
				n -= j + 1;                                                \
			} else {                                                           \
				NAME(a + j + 1, n - j - 1, depth);                         \
				n = j + 1;                                                 \
			}                                                                  \
		}                                                                          \
		for (size_t i = 1; i < n; i++) {                                           \
			T x = a[i];                                                        \
			size_t j = i;                                                      \
			while (j && CMP(&x, &a[j - 1]) < 0) {                              \
				a[j] = a[j - 1];                                           \
				j--;                                                       \
			}                                                                  \
			a[j] = x;                                                          \
		}                                                                          \
	}

DEFINE_SORT(sort_okeys, struct okey, cmp_okey)
DEFINE_SORT(sort_skeys, struct skey, cmp_skey)

static unsigned sort_depth(size_t n)
{
	unsigned d = 0;
	while (n >>= 1)
		d += 2;
	return d;
}

/* one block: indicator, category, year (texts interned: equal is the same number) */
static int same_block(const struct entry *a, const struct entry *b)
{
	return a->indicator == b->indicator && a->category == b->category && a->year == b->year;
}

/* a year as an unsigned key that sorts as the int does */
static uint32_t year_key(int y)
{
	return (uint32_t)y ^ 0x80000000u;
}

static uint64_t cat_year_key(const uint32_t *rank, const struct entry *e, int year)
{
	return (uint64_t)rank_of(rank, e->category) << 32 | year_key(year);
}

static const struct entry *previous(const odl_compare *c, const struct skey *series, size_t n,
				    const uint32_t *rank, const struct entry *e)
{
	struct skey key;

	key.series = (uint64_t)rank_of(rank, e->territory) << 32 | rank_of(rank, e->indicator);
	key.cat_year = cat_year_key(rank, e, e->year - 1);
	key.pos = key.idx = 0;
	const struct skey *hit = bsearch(&key, series, n, sizeof(*series), cmp_skey_year);
	return hit ? &c->e[hit->idx] : NULL;
}

/*
 * From the series' base year to this row: the change, in % of the base,
 * and the annual rate (compound: (value / base)^(1 / years) - 1), which
 * needs two values of one sign, neither 0.
 */
static void evolution(odl_compare *c, const struct entry *e, struct odl_compare_row *row,
		      int *over)
{
	const struct entry *b = e->base == NONE ? NULL : &c->e[e->base];

	if (!b || b->year >= e->year)
		return;
	row->base_year = b->year;
	row->base_value = b->value;
	row->change_since_base = e->value - b->value;
	row->has_base = finite_or_count(c, e, "change_since_base", over, row->change_since_base);
	if (!row->has_base)
		return;
	if (b->value != 0) {
		row->change_since_base_pct = 100.0 * row->change_since_base / b->value;
		row->has_change_since_base_pct = finite_or_count(c, e, "change_since_base_pct", over,
								 row->change_since_base_pct);
	}
	if ((b->value > 0 && e->value > 0) || (b->value < 0 && e->value < 0)) {
		row->annual_rate_pct = 100.0 * (pow(e->value / b->value,
						    1.0 / (double)(e->year - b->year)) - 1);
		row->has_annual_rate = finite_or_count(c, e, "annual_rate_pct", over,
						       row->annual_rate_pct);
	}
}

/* first index whose value is >= v (ascending values) */
static size_t lower_bound(const double *x, size_t n, double v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* first index whose value is > v */
static size_t upper_bound(const double *x, size_t n, double v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int odl_compare_run(odl_compare *c, odl_compare_fn fn, void *ctx, struct odl_error *err)
{
	struct okey *ord = NULL;
	uint32_t *order = NULL;
	struct skey *series = NULL;
	uint32_t *rank = NULL, *peers_of = NULL;
	double *vals = NULL;
	int rc = ODL_OK;

	memset(&c->stats, 0, sizeof(c->stats));
	/* a territory's peers are the same in all its rows: labelled once */
	size_t nterr_texts = c->nstrs;
	peers_of = malloc((nterr_texts ? nterr_texts : 1) * sizeof(*peers_of));
	if (!peers_of)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	for (size_t i = 0; i < nterr_texts; i++)
		peers_of[i] = NONE;
	for (size_t i = 0; i < c->n && rc == ODL_OK; i++) {
		struct entry *e = &c->e[i];
		if (peers_of[e->territory] == NONE) {
			rc = peer_label(c, e, err);
			peers_of[e->territory] = e->peers;
		}
		e->peers = peers_of[e->territory];
	}
	free(peers_of);
	if (rc != ODL_OK)
		return rc;
	rank = text_ranks(c);
	ord = malloc((c->n ? c->n : 1) * sizeof(*ord));
	if (!rank || !ord) {
		rc = odl_fail(err, ODL_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->e[i];
		struct okey *k = &ord[i];
		k->block = (uint64_t)rank_of(rank, e->indicator) << 32 | rank_of(rank, e->category);
		k->block2 = (uint64_t)year_key(e->year) << 32 | rank_of(rank, e->peers);
		k->value = e->value;
		k->terr = (uint32_t)!e->has_value << 31 | rank_of(rank, e->territory);
		k->idx = (uint32_t)i;
	}
	sort_okeys(ord, c->n, sort_depth(c->n));
	/* the output order is all that is left of the keys: 4 bytes a row
	 * (written in place: the i-th index over bytes the keys have left) */
	for (size_t i = 0; i < c->n; i++) {
		uint32_t idx = ord[i].idx;
		((uint32_t *)(void *)ord)[i] = idx;
	}
	order = (uint32_t *)(void *)ord;
	ord = NULL;
	uint32_t *shrunk = realloc(order, (c->n ? c->n : 1) * sizeof(*order));
	if (shrunk)
		order = shrunk;
	series = malloc((c->n ? c->n : 1) * sizeof(*series));
	vals = malloc((c->n ? c->n : 1) * sizeof(*vals));
	if (!series || !vals) {
		rc = odl_fail(err, ODL_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->e[order[i]];
		struct skey *k = &series[i];
		k->series = (uint64_t)rank_of(rank, e->territory) << 32 | rank_of(rank, e->indicator);
		k->cat_year = cat_year_key(rank, e, e->year);
		k->pos = (uint32_t)i;
		k->idx = order[i];
	}
	sort_skeys(series, c->n, sort_depth(c->n));
	/* each series (territory, indicator, category): its base is the first
	 * year with a value, or the year asked for */
	for (size_t i = 0; i < c->n;) {
		size_t j = i;
		uint32_t base = NONE;
		while (j < c->n && cmp_skey_series(&series[i], &series[j]) == 0) {
			const struct entry *x = &c->e[series[j++].idx];
			if (base == NONE && x->has_value && (!c->base_year || x->year == c->base_year))
				base = series[j - 1].idx;
		}
		for (; i < j; i++)
			c->e[series[i].idx].base = base;
	}

	for (size_t i = 0; i < c->n && rc == ODL_OK;) {
		/* [i, j): one indicator × category × year; [i, k): one peer group */
		size_t j = i;
		while (j < c->n && same_block(&c->e[order[i]], &c->e[order[j]]))
			j++;
		uint32_t focus_peers = NONE;
		if (c->focus) {
			for (size_t x = i; x < j; x++)
				if (strcmp(str_of(c, c->e[order[x]].territory), c->focus) == 0)
					focus_peers = c->e[order[x]].peers;
			if (focus_peers == NONE) {
				i = j;
				continue;
			}
		}
		for (size_t s = i; s < j && rc == ODL_OK;) {
			size_t k = s, nv = 0;
			uint32_t peers = c->e[order[s]].peers;
			while (k < j && c->e[order[k]].peers == peers)
				k++;
			if (focus_peers != NONE && focus_peers != peers) {
				s = k;
				continue;
			}
			/* values sorted descending in [s, k): fill ascending */
			for (size_t x = k; x-- > s;)
				if (c->e[order[x]].has_value)
					vals[nv++] = c->e[order[x]].value;
			double q1 = 0, med = 0, q3 = 0;
			if (nv) {
				q1 = odl_quantile_sorted(vals, nv, 0.25);
				med = odl_quantile_sorted(vals, nv, 0.5);
				q3 = odl_quantile_sorted(vals, nv, 0.75);
			}
			for (size_t x = s; x < k && rc == ODL_OK; x++) {
				struct entry *e = &c->e[order[x]];
				struct odl_compare_row row;
				memset(&row, 0, sizeof(row));
				row.territory = str_of(c, e->territory);
				row.name = e->terr ? e->terr->name : "";
				row.indicator = str_of(c, e->indicator);
				row.category = str_of(c, e->category);
				row.year = e->year;
				row.has_value = e->has_value;
				row.value = e->value;
				row.n_errors = e->n_errors;
				row.null_reason = str_of(c, e->null_reason);
				row.per_inhabitants = e->has_den ? 0 : e->per_inhabitants;
				row.peers = str_of(c, e->peers);
				row.n_peers = nv;
				row.median = med;
				row.q1 = q1;
				row.q3 = q3;
				double pop;
				int over = 0, prc = ODL_ENOTFOUND;
				if (e->has_value && row.per_inhabitants > 0 && e->terr)
					prc = odl_territory_number(c->terr, e->terr, "population", &pop);
				if (prc == ODL_OK && pop > 0) {
					row.per_inhabitant = e->value / pop * row.per_inhabitants;
					row.has_per_inhabitant = finite_or_count(c, e, "per_inhabitant",
										 &over,
										 row.per_inhabitant);
				} else if (prc == ODL_EFORMAT || (prc == ODL_OK && pop < 0)) {
					if (!c->stats.bad_population++)
						c->stats.first_bad = e->terr;
				} else if (prc == ODL_OK && !c->stats.zero_population++) {
					c->stats.first_zero = e->terr;
				}
				if (e->has_value) {
					/* vals is ascending: two binary searches, not a
					 * pass over the group (a group of 35,000 communes
					 * was 1.2 billion comparisons) */
					size_t below = lower_bound(vals, nv, e->value);
					size_t equal = upper_bound(vals, nv, e->value) - below;
					size_t above = nv - below - equal;
					row.rank = above + 1;
					row.percentile = 100.0 * ((double)below + 0.5 * (double)equal) /
							 (double)nv;
					if (med != 0) {
						row.ratio_to_median = e->value / med;
						row.has_ratio = finite_or_count(c, e, "ratio_to_median",
										&over,
										row.ratio_to_median);
					}
					const struct entry *p = previous(c, series, c->n, rank, e);
					if (p && p->has_value) {
						row.previous = p->value;
						row.change = e->value - p->value;
						row.has_previous = finite_or_count(c, e, "change", &over,
										   row.change);
						if (p->value != 0 && row.has_previous) {
							row.change_pct = 100.0 * row.change / p->value;
							row.has_change_pct =
								finite_or_count(c, e, "change_pct",
										&over, row.change_pct);
						}
					}
					evolution(c, e, &row, &over);
				}
				if (fn(ctx, &row) != 0)
					rc = odl_fail(err, ODL_ECANCELED, "stopped by the caller");
			}
			s = k;
		}
		i = j;
	}
out:
	free(rank);
	free(ord);
	free(order);
	free(series);
	free(vals);
	return rc;
}
