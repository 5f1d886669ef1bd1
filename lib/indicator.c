/* indicator.c - loading indicator sets (JSON). */
#include "indicator_priv.h"
#include "error.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const measure_names[] = {
	"count", "sum", "mean", "median", "quantile", "min", "max", "count_distinct",
	"share", "share_of_sum"
};
static const char *const op_names[] = {
	"=", "!=", "<", "<=", ">", ">=", "in", "not-in", "empty", "nonempty", "prefix"
};

static void free_cmps(struct odl_cmp *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].field);
		for (size_t j = 0; j < c[i].nvalues; j++)
			free(c[i].values[j]);
		free(c[i].values);
	}
	free(c);
}

void odl_indicator_set_free(odl_indicator_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->nind; i++) {
		struct odl_ind *d = &set->ind[i];
		free(d->id);
		free(d->title_fr);
		free(d->title_en);
		free(d->unit);
		free(d->field);
		free(d->by);
		free(d->den_column);
		free_cmps(d->filter, d->nfilter);
		free_cmps(d->match, d->nmatch);
		free_cmps(d->needs, d->nneeds);
	}
	free(set->ind);
	free(set->name);
	free(set->schema);
	free(set->terr_field);
	free(set->key);
	free(set->year_field);
	free(set);
}

struct ctx {
	const char *name;
	struct odl_error *err;
	int failed;
};

static int bad(struct ctx *c, const char *where, const char *what)
{
	if (!c->failed) {
		odl_error_at(c->err, c->name, 0, 0, NULL);
		odl_fail(c->err, ODL_ESCHEMA, "%s: %s", where, what);
	}
	c->failed = 1;
	return ODL_ESCHEMA;
}

static char *opt_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static char *value_text(json_t *v)
{
	char buf[64];

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		return strdup(buf);
	}
	if (json_is_real(v)) {
		snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
		return strdup(buf);
	}
	return NULL;
}

static int parse_cmps(struct ctx *c, const char *where, json_t *arr, struct odl_cmp **out,
		      size_t *n)
{
	size_t i;
	json_t *e;

	*out = NULL;
	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return bad(c, where, "filter must be a list");
	*out = calloc(json_array_size(arr) + 1, sizeof(**out));
	if (!*out)
		return bad(c, where, "out of memory");
	json_array_foreach(arr, i, e) {
		struct odl_cmp *m = &(*out)[i];
		const char *op = json_string_value(json_object_get(e, "op"));
		json_t *val = json_object_get(e, "value");
		size_t k;

		(*n)++;
		m->col = -1;
		m->field = opt_str(e, "field");
		if (!m->field || !op)
			return bad(c, where, "a comparison needs 'field' and 'op'");
		for (k = 0; k < sizeof(op_names) / sizeof(*op_names); k++)
			if (strcmp(op, op_names[k]) == 0)
				break;
		if (k == sizeof(op_names) / sizeof(*op_names))
			return bad(c, where, "unknown comparison operator");
		m->op = (enum odl_op)k;
		if (m->op == ODL_OP_EMPTY || m->op == ODL_OP_NONEMPTY)
			continue;
		if (m->op == ODL_OP_IN || m->op == ODL_OP_NOT_IN) {
			size_t j;
			json_t *x;
			if (!json_is_array(val))
				return bad(c, where, "'in' needs a list value");
			m->values = calloc(json_array_size(val) + 1, sizeof(char *));
			if (!m->values)
				return bad(c, where, "out of memory");
			json_array_foreach(val, j, x) {
				if (!(m->values[m->nvalues] = value_text(x)))
					return bad(c, where, "list values must be text or numbers");
				m->nvalues++;
			}
			continue;
		}
		m->values = calloc(1, sizeof(char *));
		if (!m->values || !(m->values[0] = value_text(val)))
			return bad(c, where, "a comparison needs a text or number 'value'");
		m->nvalues = 1;
		m->is_number = json_is_number(val);
		m->number = json_number_value(val);
		if ((m->op == ODL_OP_LT || m->op == ODL_OP_LE || m->op == ODL_OP_GT ||
		     m->op == ODL_OP_GE) && !m->is_number)
			return bad(c, where, "ordering comparisons need a number value");
	}
	return 0;
}

/* "needs": fields that must be filled in at least one row of a group for
 * its value to mean anything (else null, not measured), kept as
 * "nonempty" comparisons so that columns resolve as the others do */
static int parse_needs(struct ctx *c, const char *where, json_t *arr, struct odl_ind *d)
{
	size_t i;
	json_t *e;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return bad(c, where, "'needs' must be a list of fields");
	d->needs = calloc(json_array_size(arr) + 1, sizeof(*d->needs));
	if (!d->needs)
		return bad(c, where, "out of memory");
	json_array_foreach(arr, i, e) {
		struct odl_cmp *m = &d->needs[i];
		if (!json_is_string(e))
			return bad(c, where, "'needs' must be a list of fields");
		d->nneeds++;
		m->col = -1;
		m->op = ODL_OP_NONEMPTY;
		if (!(m->field = strdup(json_string_value(e))))
			return bad(c, where, "out of memory");
	}
	return 0;
}

static int parse_ind(struct ctx *c, json_t *e, struct odl_ind *d)
{
	char where[160];
	const char *m = json_string_value(json_object_get(e, "measure"));
	json_t *title = json_object_get(e, "title");
	json_t *den = json_object_get(e, "denominator");
	size_t k;

	d->field_col = d->by_col = -1;
	d->id = opt_str(e, "id");
	if (!d->id || !d->id[0])
		return bad(c, "indicator", "missing 'id'");
	snprintf(where, sizeof(where), "indicator '%s'", d->id);
	d->title_fr = opt_str(title, "fr");
	d->title_en = opt_str(title, "en");
	d->unit = opt_str(e, "unit");
	if (!d->title_fr || !d->title_en)
		return bad(c, where, "'title' needs 'fr' and 'en'");
	if (!m)
		return bad(c, where, "missing 'measure'");
	for (k = 0; k < sizeof(measure_names) / sizeof(*measure_names); k++)
		if (strcmp(m, measure_names[k]) == 0)
			break;
	if (k == sizeof(measure_names) / sizeof(*measure_names))
		return bad(c, where, "unknown measure");
	d->measure = (enum odl_measure)k;
	d->field = opt_str(e, "field");
	if (!d->field && d->measure != ODL_M_COUNT && d->measure != ODL_M_SHARE)
		return bad(c, where, "this measure needs a 'field'");
	d->p = d->measure == ODL_M_MEDIAN ? 0.5 : 0;
	if (d->measure == ODL_M_QUANTILE) {
		json_t *p = json_object_get(e, "p");
		if (!json_is_number(p) || json_number_value(p) < 0 || json_number_value(p) > 1)
			return bad(c, where, "'quantile' needs 'p' between 0 and 1");
		d->p = json_number_value(p);
	}
	if (parse_cmps(c, where, json_object_get(e, "filter"), &d->filter, &d->nfilter))
		return ODL_ESCHEMA;
	if (parse_cmps(c, where, json_object_get(e, "match"), &d->match, &d->nmatch))
		return ODL_ESCHEMA;
	if ((d->measure == ODL_M_SHARE || d->measure == ODL_M_SHARE_OF_SUM) && !d->nmatch)
		return bad(c, where, "a share needs 'match'");
	if (parse_needs(c, where, json_object_get(e, "needs"), d))
		return ODL_ESCHEMA;
	d->by = opt_str(e, "by");
	/* what rank divides by the population: 1 (per inhabitant), 1000 (per
	 * 1,000 inhabitants, for counts too small per head), 0 (none: a share,
	 * a median or a mean per inhabitant means nothing) */
	json_t *pi = json_object_get(e, "per_inhabitants");
	d->per_inhabitants = 1;
	if (pi) {
		if (!json_is_number(pi) || json_number_value(pi) < 0)
			return bad(c, where, "'per_inhabitants' must be a number of 0 or more");
		d->per_inhabitants = json_number_value(pi);
	}
	if (den) {
		json_t *per = json_object_get(den, "per");
		d->den_column = opt_str(den, "column");
		if (!d->den_column)
			return bad(c, where, "'denominator' needs 'column'");
		d->per = per ? json_number_value(per) : 1;
		if (!(d->per > 0))
			return bad(c, where, "'per' must be a positive number");
	}
	return 0;
}

int odl_indicator_set_parse(const char *text, const char *name, odl_indicator_set **out,
			    struct odl_error *err)
{
	struct ctx c = { name, err, 0 };
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr), *terr, *year, *inds, *e;
	odl_indicator_set *set;
	size_t i;

	*out = NULL;
	if (!root) {
		odl_error_at(err, name, (uint64_t)(jerr.line > 0 ? jerr.line : 0), 0, NULL);
		return odl_fail(err, ODL_EFORMAT, "invalid json: %s", jerr.text);
	}
	set = calloc(1, sizeof(*set));
	if (!set) {
		json_decref(root);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	terr = json_object_get(root, "territory");
	year = json_object_get(root, "year");
	inds = json_object_get(root, "indicators");
	set->name = opt_str(root, "set");
	set->schema = opt_str(root, "schema");
	set->terr_field = opt_str(terr, "field");
	set->key = opt_str(terr, "key");
	set->year_field = opt_str(year, "field");
	const char *from = json_string_value(json_object_get(year, "from"));
	if (!set->name)
		bad(&c, "set", "missing 'set'");
	else if (!set->terr_field || !set->key)
		bad(&c, "territory", "needs 'field' and 'key'");
	else if (strcmp(set->key, "siret") && strcmp(set->key, "siren") && strcmp(set->key, "insee"))
		bad(&c, "territory", "'key' must be siret, siren or insee");
	else if (year && (!set->year_field || !from || (strcmp(from, "date") && strcmp(from, "year"))))
		bad(&c, "year", "needs 'field' and 'from' (date or year)");
	else if (!json_is_array(inds) || json_array_size(inds) == 0)
		bad(&c, "indicators", "needs a non-empty list");
	if (!c.failed) {
		set->year_from_date = from && strcmp(from, "date") == 0;
		set->ind = calloc(json_array_size(inds), sizeof(*set->ind));
		if (!set->ind)
			bad(&c, "indicators", "out of memory");
	}
	if (!c.failed) {
		json_array_foreach(inds, i, e) {
			set->nind++;
			if (parse_ind(&c, e, &set->ind[i]))
				break;
			for (size_t j = 0; j < i; j++)
				if (strcmp(set->ind[j].id, set->ind[i].id) == 0) {
					bad(&c, set->ind[i].id, "duplicate indicator id");
					break;
				}
			if (c.failed)
				break;
		}
	}
	json_decref(root);
	if (c.failed) {
		odl_indicator_set_free(set);
		return ODL_ESCHEMA;
	}
	*out = set;
	return ODL_OK;
}

int odl_indicator_set_load(const char *path, odl_indicator_set **out, struct odl_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	if (!f) {
		odl_error_at(err, path, 0, 0, NULL);
		return odl_fail(err, ODL_EIO, "cannot open: %s", strerror(errno));
	}
	/* a definition file is small: 1 MiB is far beyond any real set */
	buf = malloc((1 << 20) + 1);
	if (!buf) {
		fclose(f);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	n = fread(buf, 1, 1 << 20, f);
	int big = n == (1 << 20) && fgetc(f) != EOF;
	fclose(f);
	if (big) {
		free(buf);
		odl_error_at(err, path, 0, 0, NULL);
		return odl_fail(err, ODL_ELIMIT, "indicator set larger than 1 MiB");
	}
	buf[n] = 0;
	rc = odl_indicator_set_parse(buf, path, out, err);
	free(buf);
	return rc;
}

const char *odl_indicator_set_name(const odl_indicator_set *set)
{
	return set->name;
}

size_t odl_indicator_set_count(const odl_indicator_set *set)
{
	return set->nind;
}

double odl_quantile_sorted(const double *x, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return x[n - 1];
	double f = h - (double)lo, d = x[lo + 1] - x[lo];
	/* far apart values (-1e308, 1e308) overflow the difference: weigh
	 * them instead (the same result whenever the difference is finite
	 * would not hold bit for bit, hence only then) */
	if (!isfinite(d))
		return (1 - f) * x[lo] + f * x[lo + 1];
	return x[lo] + f * d;
}
