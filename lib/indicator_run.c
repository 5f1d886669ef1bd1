/* indicator_run.c - streaming datasets into per-group accumulators. */
#include "indicator_priv.h"
#include "territory_map.h"
#include "error.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct acc {
	uint32_t group, ind;
	char *category;
	uint64_t n_rows, n_vals, n_err, n_match;
	double sum, sum_match, min, max;
	double *vals;
	uint64_t *set; /* count_distinct: open addressing on hashes, 0 = free */
	size_t nv, cap;
};

#define BLOCK 4096
#define ACC(r, i) (&(r)->blocks[(i) / BLOCK][(i) % BLOCK])

struct group {
	uint32_t terr;
	int year;
	size_t base;
	size_t next; /* next group of the same territory, SIZE_MAX at the end */
};

struct odl_indicator_run {
	const odl_indicator_set *set;
	const odl_territories *terr;
	uint64_t max_values, kept;
	struct group *groups;
	size_t ngroups, capgroups;
	/* accumulators in fixed blocks: growing never copies them, and the
	 * peak memory is not doubled by a realloc */
	struct acc **blocks;
	size_t nblocks, capblocks;
	size_t naccs;
	size_t *first_group; /* per territory index: its first group or SIZE_MAX */
	struct odl_strmap by_map;
	struct odl_indicator_stats stats;
	/* per file */
	int terr_col, year_col;
	char last_key[64];
	size_t last_key_len;
	const struct odl_territory *last_terr;
	int last_year;
	size_t last_group;
	int have_last_group;
	uint64_t last_error_record;
	uint64_t parsed_record;
	int parsed_col, parsed_ok;
	double parsed_value;
	const char *path;
	struct odl_error own;
};

odl_indicator_run *odl_indicator_run_new(const odl_indicator_set *set,
					 const odl_territories *territories,
					 const struct odl_indicator_limits *lim)
{
	odl_indicator_run *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->set = set;
	r->terr = territories;
	r->max_values = lim && lim->max_values ? lim->max_values : (uint64_t)64 << 20;
	odl_strmap_init(&r->by_map);
	size_t n = odl_territories_count(territories);
	r->first_group = malloc((n ? n : 1) * sizeof(size_t));
	if (!r->first_group) {
		free(r);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		r->first_group[i] = SIZE_MAX;
	return r;
}

void odl_indicator_run_free(odl_indicator_run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->naccs; i++) {
		free(ACC(r, i)->category);
		free(ACC(r, i)->vals);
		free(ACC(r, i)->set);
	}
	for (size_t b = 0; b < r->nblocks; b++)
		free(r->blocks[b]);
	free(r->blocks);
	free(r->groups);
	odl_strmap_clear(&r->by_map);
	free(r->first_group);
	free(r);
}

const struct odl_indicator_stats *odl_indicator_run_stats(const odl_indicator_run *r)
{
	return &r->stats;
}

static int new_accs(odl_indicator_run *r, size_t n, uint32_t group, size_t *first)
{
	while (r->naccs + n > r->nblocks * BLOCK) {
		if (r->nblocks == r->capblocks) {
			size_t cap = r->capblocks ? r->capblocks * 2 : 16;
			struct acc **p = realloc(r->blocks, cap * sizeof(*p));
			if (!p)
				return ODL_ENOMEM;
			r->blocks = p;
			r->capblocks = cap;
		}
		if (!(r->blocks[r->nblocks] = malloc(BLOCK * sizeof(struct acc))))
			return ODL_ENOMEM;
		r->nblocks++;
	}
	*first = r->naccs;
	for (size_t i = 0; i < n; i++) {
		struct acc *a = ACC(r, r->naccs);
		r->naccs++;
		memset(a, 0, sizeof(*a));
		a->group = group;
		a->ind = (uint32_t)i;
		a->min = INFINITY;
		a->max = -INFINITY;
	}
	return ODL_OK;
}

static int find_group(odl_indicator_run *r, const struct odl_territory *t, int year, size_t *g)
{
	/* a territory has a group per year: a short list, no hashing */
	for (size_t i = r->first_group[t->index]; i != SIZE_MAX; i = r->groups[i].next)
		if (r->groups[i].year == year) {
			*g = i;
			return ODL_OK;
		}
	if (r->ngroups == r->capgroups) {
		size_t cap = r->capgroups ? r->capgroups * 2 : 1024;
		struct group *p = realloc(r->groups, cap * sizeof(*p));
		if (!p)
			return ODL_ENOMEM;
		r->groups = p;
		r->capgroups = cap;
	}
	size_t idx = r->ngroups++;
	struct group *gr = &r->groups[idx];
	gr->terr = (uint32_t)t->index;
	gr->year = year;
	gr->next = r->first_group[t->index];
	r->first_group[t->index] = idx;
	if (new_accs(r, r->set->nind, (uint32_t)idx, &gr->base) != ODL_OK)
		return ODL_ENOMEM;
	*g = idx;
	return ODL_OK;
}

static int by_acc(odl_indicator_run *r, size_t g, size_t ind, const struct odl_cell *cat,
		  struct acc **out)
{
	char key[8 + 256];
	uint32_t gi = (uint32_t)g, ii = (uint32_t)ind;
	size_t len = cat->len > 256 ? 256 : cat->len, idx = r->naccs;

	memcpy(key, &gi, 4);
	memcpy(key + 4, &ii, 4);
	memcpy(key + 8, cat->ptr, len);
	int rc = odl_strmap_put(&r->by_map, key, 8 + len, &idx);
	if (rc < 0)
		return ODL_ENOMEM;
	if (rc == 1) {
		size_t first;
		if (new_accs(r, 1, gi, &first) != ODL_OK)
			return ODL_ENOMEM;
		struct acc *a = ACC(r, first);
		a->ind = ii;
		a->category = malloc(len + 1);
		if (!a->category)
			return ODL_ENOMEM;
		memcpy(a->category, cat->ptr, len);
		a->category[len] = 0;
	}
	*out = ACC(r, idx);
	return ODL_OK;
}

static struct odl_cell trim(struct odl_cell c)
{
	while (c.len && (*c.ptr == ' ' || *c.ptr == '\t')) {
		c.ptr++;
		c.len--;
	}
	while (c.len && (c.ptr[c.len - 1] == ' ' || c.ptr[c.len - 1] == '\t'))
		c.len--;
	return c;
}

static struct odl_cell cell_at(const struct odl_record *rec, int col)
{
	struct odl_cell none = { "", 0 };

	if (col < 0 || (size_t)col >= rec->ncells)
		return none;
	return trim(rec->cells[col]);
}

static int text_eq(struct odl_cell c, const char *s)
{
	size_t n = strlen(s);
	return c.len == n && memcmp(c.ptr, s, n) == 0;
}

static int cmp_holds(const struct odl_cmp *m, const struct odl_record *rec)
{
	struct odl_cell c = cell_at(rec, m->col);
	double v;

	switch (m->op) {
	case ODL_OP_EMPTY:
		return c.len == 0;
	case ODL_OP_NONEMPTY:
		return c.len != 0;
	case ODL_OP_EQ:
	case ODL_OP_NE: {
		int eq = text_eq(c, m->values[0]);
		if (!eq && m->is_number && odl_parse_number(c.ptr, c.len, &v) == ODL_OK)
			eq = v == m->number;
		return m->op == ODL_OP_EQ ? eq : !eq;
	}
	case ODL_OP_IN:
	case ODL_OP_NOT_IN: {
		int in = 0;
		for (size_t i = 0; i < m->nvalues && !in; i++)
			in = text_eq(c, m->values[i]);
		return m->op == ODL_OP_IN ? in : !in;
	}
	case ODL_OP_PREFIX: {
		size_t n = strlen(m->values[0]);
		return c.len >= n && memcmp(c.ptr, m->values[0], n) == 0;
	}
	default:
		if (odl_parse_number(c.ptr, c.len, &v) != ODL_OK)
			return 0;
		switch (m->op) {
		case ODL_OP_LT: return v < m->number;
		case ODL_OP_LE: return v <= m->number;
		case ODL_OP_GT: return v > m->number;
		default: return v >= m->number;
		}
	}
}

static int all_hold(const struct odl_cmp *m, size_t n, const struct odl_record *rec)
{
	for (size_t i = 0; i < n; i++)
		if (!cmp_holds(&m[i], rec))
			return 0;
	return 1;
}

static int parse_year(struct odl_cell c, int from_date)
{
	const char *p = c.ptr;

	if (from_date && c.len >= 10 && p[2] == '/' && p[5] == '/')
		p += 6; /* DD/MM/YYYY */
	else if (c.len < 4)
		return 0;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]) || !isdigit((unsigned char)p[3]))
		return 0;
	if (c.len > 4 && p == c.ptr && isdigit((unsigned char)p[4]))
		return 0;
	return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
}

static void copy_text(char *dst, size_t n, const char *src, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

static int keep(odl_indicator_run *r, const char *field, uint64_t line)
{
	odl_error_at(&r->own, r->path, line, 0, field);
	return odl_fail(&r->own, ODL_ELIMIT, "more than %llu values kept for medians and distinct counts",
			(unsigned long long)r->max_values);
}

static int set_add(odl_indicator_run *r, struct acc *a, uint64_t h)
{
	if (!h)
		h = 1;
	if ((a->nv + 1) * 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		uint64_t *n = calloc(cap, sizeof(*n));
		if (!n)
			return ODL_ENOMEM;
		for (size_t i = 0; i < a->cap; i++) {
			if (!a->set[i])
				continue;
			size_t j = (size_t)a->set[i] & (cap - 1);
			while (n[j])
				j = (j + 1) & (cap - 1);
			n[j] = a->set[i];
		}
		free(a->set);
		a->set = n;
		a->cap = cap;
	}
	size_t j = (size_t)h & (a->cap - 1);
	while (a->set[j] && a->set[j] != h)
		j = (j + 1) & (a->cap - 1);
	if (!a->set[j]) {
		a->set[j] = h;
		a->nv++;
		r->kept++;
	}
	return ODL_OK;
}

static int measure(odl_indicator_run *r, const struct odl_ind *d, struct acc *a,
		   const struct odl_record *rec)
{
	struct odl_cell c;
	double v;

	a->n_rows++;
	if (d->measure == ODL_M_COUNT)
		return ODL_OK;
	if (d->measure == ODL_M_SHARE) {
		a->n_match += all_hold(d->match, d->nmatch, rec);
		return ODL_OK;
	}
	c = cell_at(rec, d->field_col);
	if (d->measure == ODL_M_COUNT_DISTINCT) {
		if (!c.len)
			return ODL_OK;
		if (r->kept >= r->max_values)
			return keep(r, d->field, rec->line);
		return set_add(r, a, odl_hash64(c.ptr, c.len) | 1);
	}
	if (!c.len)
		return ODL_OK;
	/* several indicators measure the same cell: parse it once per row */
	int ok;
	if (r->parsed_record == rec->record && r->parsed_col == d->field_col) {
		ok = r->parsed_ok;
		v = r->parsed_value;
	} else {
		ok = odl_parse_number(c.ptr, c.len, &v) == ODL_OK && isfinite(v);
		r->parsed_record = rec->record;
		r->parsed_col = d->field_col;
		r->parsed_ok = ok;
		r->parsed_value = v;
	}
	if (!ok) {
		a->n_err++;
		/* several indicators may measure the same cell: count it once */
		if (r->last_error_record == rec->record && r->stats.non_numeric)
			return ODL_OK;
		r->last_error_record = rec->record;
		if (!r->stats.non_numeric++) {
			r->stats.first_error_line = rec->line;
			copy_text(r->stats.first_error_field, sizeof(r->stats.first_error_field),
				  d->field, strlen(d->field));
			copy_text(r->stats.first_error_value, sizeof(r->stats.first_error_value),
				  c.ptr, c.len);
		}
		return ODL_OK;
	}
	a->n_vals++;
	a->sum += v;
	if (v < a->min)
		a->min = v;
	if (v > a->max)
		a->max = v;
	if (d->measure == ODL_M_SHARE_OF_SUM && all_hold(d->match, d->nmatch, rec))
		a->sum_match += v;
	if (d->measure == ODL_M_MEDIAN || d->measure == ODL_M_QUANTILE) {
		if (r->kept >= r->max_values)
			return keep(r, d->field, rec->line);
		if (a->nv == a->cap) {
			size_t cap = a->cap ? a->cap * 2 : 8;
			double *p = realloc(a->vals, cap * sizeof(*p));
			if (!p)
				return ODL_ENOMEM;
			a->vals = p;
			a->cap = cap;
		}
		a->vals[a->nv++] = v;
		r->kept++;
	}
	return ODL_OK;
}

static int resolve(odl_indicator_run *r, const struct odl_record *rec)
{
	odl_indicator_set *set = (odl_indicator_set *)r->set;

	for (size_t i = 0; i < rec->ncells; i++) {
		struct odl_cell c = trim(rec->cells[i]);
		int col = (int)i;
		if (r->terr_col < 0 && text_eq(c, set->terr_field))
			r->terr_col = col;
		if (r->year_col < 0 && set->year_field && text_eq(c, set->year_field))
			r->year_col = col;
		for (size_t k = 0; k < set->nind; k++) {
			struct odl_ind *d = &set->ind[k];
			if (d->field && d->field_col < 0 && text_eq(c, d->field))
				d->field_col = col;
			if (d->by && d->by_col < 0 && text_eq(c, d->by))
				d->by_col = col;
			for (size_t j = 0; j < d->nfilter; j++)
				if (d->filter[j].col < 0 && text_eq(c, d->filter[j].field))
					d->filter[j].col = col;
			for (size_t j = 0; j < d->nmatch; j++)
				if (d->match[j].col < 0 && text_eq(c, d->match[j].field))
					d->match[j].col = col;
		}
	}
	const char *missing = r->terr_col < 0 ? set->terr_field :
			      r->year_col < 0 && set->year_field ? set->year_field : NULL;
	for (size_t k = 0; !missing && k < set->nind; k++) {
		struct odl_ind *d = &set->ind[k];
		if (d->field && d->field_col < 0)
			missing = d->field;
		else if (d->by && d->by_col < 0)
			missing = d->by;
	}
	if (missing) {
		odl_error_at(&r->own, r->path, rec->line, 0, missing);
		return odl_fail(&r->own, ODL_EFORMAT, "missing column");
	}
	return ODL_OK;
}

static void reset_columns(odl_indicator_run *r)
{
	odl_indicator_set *set = (odl_indicator_set *)r->set;

	r->terr_col = r->year_col = -1;
	for (size_t k = 0; k < set->nind; k++) {
		struct odl_ind *d = &set->ind[k];
		d->field_col = d->by_col = -1;
		for (size_t j = 0; j < d->nfilter; j++)
			d->filter[j].col = -1;
		for (size_t j = 0; j < d->nmatch; j++)
			d->match[j].col = -1;
	}
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	odl_indicator_run *r = ctx;
	const odl_indicator_set *set = r->set;
	const struct odl_territory *t;
	struct odl_cell key, yc;
	size_t g;
	int year, rc;

	if (rec->is_header)
		return resolve(r, rec) != ODL_OK;
	if (rec->is_blank)
		return 0;
	r->stats.rows++;
	key = cell_at(rec, r->terr_col);
	if (key.len == r->last_key_len && key.len && memcmp(key.ptr, r->last_key, key.len) == 0) {
		t = r->last_terr;
	} else {
		t = key.len ? odl_territories_find(r->terr, key.ptr, key.len) : NULL;
		if (key.len < sizeof(r->last_key)) {
			memcpy(r->last_key, key.ptr, key.len);
			r->last_key_len = key.len;
			r->last_terr = t;
		}
	}
	if (!t) {
		if (!r->stats.no_territory++) {
			r->stats.first_unknown_line = rec->line;
			copy_text(r->stats.first_unknown_key, sizeof(r->stats.first_unknown_key),
				  key.ptr, key.len);
		}
		return 0;
	}
	yc = cell_at(rec, r->year_col);
	year = set->year_field ? parse_year(yc, set->year_from_date) : 0;
	if (!year && set->year_field) {
		r->stats.no_year++;
		return 0;
	}
	r->stats.used++;
	if (r->have_last_group && r->groups[r->last_group].terr == t->index &&
	    r->groups[r->last_group].year == year) {
		g = r->last_group;
	} else {
		if (find_group(r, t, year, &g) != ODL_OK)
			goto oom;
		r->last_group = g;
		r->have_last_group = 1;
	}
	for (size_t k = 0; k < set->nind; k++) {
		const struct odl_ind *d = &set->ind[k];
		struct acc *a;
		if (d->nfilter && !all_hold(d->filter, d->nfilter, rec))
			continue;
		if (d->by) {
			struct odl_cell cat = cell_at(rec, d->by_col);
			if (by_acc(r, g, k, &cat, &a) != ODL_OK)
				goto oom;
		} else {
			a = ACC(r, r->groups[g].base + k);
		}
		rc = measure(r, d, a, rec);
		if (rc == ODL_ENOMEM)
			goto oom;
		if (rc != ODL_OK)
			return 1;
	}
	return 0;
oom:
	odl_fail(&r->own, ODL_ENOMEM, "out of memory");
	return 1;
}

int odl_indicator_run_path(odl_indicator_run *r, const char *path,
			   const struct odl_csv_options *csvopt, struct odl_error *err)
{
	struct odl_csv_options opt;
	odl_csv *csv;
	int rc;

	if (csvopt)
		opt = *csvopt;
	else
		odl_csv_options_init(&opt);
	opt.name = path;
	memset(&r->stats, 0, sizeof(r->stats));
	odl_error_clear(&r->own);
	reset_columns(r);
	r->last_key_len = 0;
	r->last_terr = NULL;
	r->last_error_record = 0;
	r->parsed_record = 0;
	r->path = path;
	csv = odl_csv_new(&opt, on_record, r);
	if (!csv)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	rc = odl_csv_read_path(csv, path, err);
	if (rc == ODL_ECANCELED && r->own.code) {
		rc = r->own.code;
		if (err)
			*err = r->own;
	}
	if (rc == ODL_OK && r->terr_col < 0) {
		odl_error_at(err, path, 0, 0, NULL);
		rc = odl_fail(err, ODL_EFORMAT, "no header");
	}
	odl_csv_free(csv);
	return rc;
}

static const odl_indicator_run *sort_run;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int cmp_acc(const void *pa, const void *pb)
{
	const struct acc *a = ACC(sort_run, *(const size_t *)pa);
	const struct acc *b = ACC(sort_run, *(const size_t *)pb);
	const struct group *ga = &sort_run->groups[a->group], *gb = &sort_run->groups[b->group];

	if (ga->terr != gb->terr)
		return ga->terr < gb->terr ? -1 : 1;
	if (ga->year != gb->year)
		return ga->year < gb->year ? -1 : 1;
	if (a->ind != b->ind)
		return a->ind < b->ind ? -1 : 1;
	return strcmp(a->category ? a->category : "", b->category ? b->category : "");
}

static void compute(const odl_indicator_run *r, struct acc *a, struct odl_indicator_row *row)
{
	const struct odl_ind *d = &r->set->ind[a->ind];
	double v = 0;
	int has = 1;

	switch (d->measure) {
	case ODL_M_COUNT:
		v = (double)a->n_rows;
		break;
	case ODL_M_SUM:
		v = a->sum;
		has = a->n_vals > 0 || a->n_err == 0;
		break;
	case ODL_M_MEAN:
		has = a->n_vals > 0;
		v = has ? a->sum / (double)a->n_vals : 0;
		break;
	case ODL_M_MIN:
		has = a->n_vals > 0;
		v = a->min;
		break;
	case ODL_M_MAX:
		has = a->n_vals > 0;
		v = a->max;
		break;
	case ODL_M_MEDIAN:
	case ODL_M_QUANTILE:
		has = a->nv > 0;
		if (has) {
			qsort(a->vals, a->nv, sizeof(double), cmp_double);
			v = odl_quantile_sorted(a->vals, a->nv, d->p);
		}
		break;
	case ODL_M_COUNT_DISTINCT:
		v = (double)a->nv;
		break;
	case ODL_M_SHARE:
		has = a->n_rows > 0;
		v = has ? (double)a->n_match / (double)a->n_rows : 0;
		break;
	case ODL_M_SHARE_OF_SUM:
		has = a->sum != 0;
		v = has ? a->sum_match / a->sum : 0;
		break;
	}
	row->has_numerator = has;
	row->numerator = has ? v : 0;
	row->has_value = has;
	row->value = row->numerator;
	row->denominator_column = d->den_column;
	row->per = d->per;
	row->has_denominator = 0;
	row->denominator = 0;
	if (d->den_column) {
		double den;
		if (odl_territory_number(r->terr, row->territory, d->den_column, &den) == ODL_OK &&
		    den > 0) {
			row->has_denominator = 1;
			row->denominator = den;
			row->value = v / den * d->per;
		} else {
			row->has_value = 0;
		}
	}
}

int odl_indicator_run_results(odl_indicator_run *r, odl_indicator_row_fn fn, void *ctx,
			      struct odl_error *err)
{
	size_t *order, n = 0;
	int rc = ODL_OK;

	order = malloc((r->naccs ? r->naccs : 1) * sizeof(*order));
	if (!order)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->naccs; i++) {
		const struct acc *a = ACC(r, i);
		/* base slots of "by" indicators stay empty: their results live
		 * in the per-category accumulators */
		if (!a->category && r->set->ind[a->ind].by)
			continue;
		order[n++] = i;
	}
	sort_run = r;
	qsort(order, n, sizeof(*order), cmp_acc);
	sort_run = NULL;
	for (size_t i = 0; i < n && rc == ODL_OK; i++) {
		struct acc *a = ACC(r, order[i]);
		const struct odl_ind *d = &r->set->ind[a->ind];
		struct odl_indicator_row row;
		memset(&row, 0, sizeof(row));
		row.territory = odl_territories_at(r->terr, r->groups[a->group].terr);
		row.indicator = d->id;
		row.title_fr = d->title_fr;
		row.title_en = d->title_en;
		row.unit = d->unit;
		row.category = a->category;
		row.year = r->groups[a->group].year;
		row.n_rows = a->n_rows;
		row.n_errors = a->n_err;
		compute(r, a, &row);
		if (fn(ctx, &row) != 0)
			rc = odl_fail(err, ODL_ECANCELED, "stopped by the caller");
	}
	free(order);
	return rc;
}
