/* compliance.c - joining fetch manifests and validation reports per territory. */
#include "odl/compliance.h"
#include "territory_map.h"
#include "error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct res {
	size_t terr;
	char *path, *dataset, *schema;
	int obtained, has_day;
	int64_t day;
};

struct odl_compliance {
	const odl_territories *terr;
	struct odl_compliance_options opt;
	struct res *res;
	size_t nres, capres;
	struct odl_strmap reports; /* path -> 0 invalid, 1 valid */
	struct odl_strmap manifest_paths;
	struct odl_compliance_stats stats;
};

void odl_compliance_options_init(struct odl_compliance_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->population_column = "population";
	opt->agents_column = "agents";
	opt->band_column = "agents_band";
	opt->band_year_column = "agents_year";
	opt->stale_days = 365;
}

odl_compliance *odl_compliance_new(const odl_territories *territories,
				   const struct odl_compliance_options *opt)
{
	odl_compliance *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->terr = territories;
	if (opt)
		c->opt = *opt;
	else
		odl_compliance_options_init(&c->opt);
	if (!c->opt.population_column)
		c->opt.population_column = "population";
	if (!c->opt.agents_column)
		c->opt.agents_column = "agents";
	if (!c->opt.band_column)
		c->opt.band_column = "agents_band";
	if (!c->opt.band_year_column)
		c->opt.band_year_column = "agents_year";
	if (c->opt.stale_days <= 0)
		c->opt.stale_days = 365;
	odl_strmap_init(&c->reports);
	odl_strmap_init(&c->manifest_paths);
	return c;
}

void odl_compliance_free(odl_compliance *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nres; i++) {
		free(c->res[i].path);
		free(c->res[i].dataset);
		free(c->res[i].schema);
	}
	free(c->res);
	odl_strmap_clear(&c->reports);
	odl_strmap_clear(&c->manifest_paths);
	free(c);
}

int odl_compliance_has_band(const odl_compliance *c)
{
	return odl_territories_has_column(c->terr, c->opt.band_column);
}

const char *odl_evidence_name(enum odl_evidence e)
{
	switch (e) {
	case ODL_EVIDENCE_POPULATION: return "population";
	case ODL_EVIDENCE_AGENTS: return "agents";
	case ODL_EVIDENCE_PROXY: return "proxy";
	default: return NULL;
	}
}

/* The band and its year, when the table has them. */
static void read_band(odl_compliance *c, const struct odl_territory *t,
		      struct odl_compliance_row *row)
{
	const char *b = odl_territory_cell(c->terr, t, c->opt.band_column);
	const char *y = odl_territory_cell(c->terr, t, c->opt.band_year_column);
	int rc = odl_agents_band(b, strlen(b), &row->band_lo, &row->band_hi);

	if (rc == ODL_EFORMAT) {
		row->n_errors++;
		c->stats.bad_bands++;
	}
	if (rc == ODL_ENOTFOUND && strcmp(b, "NN") == 0)
		memcpy(row->agents_band, "NN", 3); /* listed, without a band */
	if (rc != ODL_OK)
		return;
	row->has_band = 1;
	while (*b == ' ' || *b == '\t')
		b++;
	memcpy(row->agents_band, b, 2);
	row->agents_band[2] = 0;
	if (strlen(y) == 4 && isdigit((unsigned char)y[0]) && isdigit((unsigned char)y[1]) &&
	    isdigit((unsigned char)y[2]) && isdigit((unsigned char)y[3]))
		row->agents_year = atoi(y);
}

const char *odl_obligated_name(enum odl_obligated o)
{
	switch (o) {
	case ODL_OBLIGATED_YES: return "true";
	case ODL_OBLIGATED_UNKNOWN_AGENTS: return "unknown-agents";
	case ODL_OBLIGATED_UNKNOWN_POPULATION: return "unknown-population";
	default: return "false";
	}
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int odl_parse_day(const char *s, int64_t *days)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int y, m = 0, d;

	if (!s)
		return ODL_EFORMAT;
	if (strlen(s) >= 10 && s[4] == '-' && s[7] == '-' && digits(s, 4, &y) == 0 &&
	    digits(s + 5, 2, &m) == 0 && digits(s + 8, 2, &d) == 0) {
		/* ISO 8601 */
	} else if (strlen(s) >= 16 && s[3] == ',' && s[4] == ' ' && digits(s + 5, 2, &d) == 0 &&
		   digits(s + 12, 4, &y) == 0) {
		for (int i = 0; i < 12; i++)
			if (strncmp(s + 8, months[i], 3) == 0)
				m = i + 1;
	} else {
		return ODL_EFORMAT;
	}
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return ODL_EFORMAT;
	*days = days_from_civil(y, (unsigned)m, (unsigned)d);
	return ODL_OK;
}

static const char *str_at(json_t *obj, const char *a, const char *b)
{
	json_t *v = json_object_get(obj, a);
	if (b)
		v = json_object_get(v, b);
	return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int add_manifest(odl_compliance *c, json_t *obj, struct odl_error *err)
{
	static const char *const date_keys[][2] = {
		{ "resource", "last_modified" }, { "resource", "last_update" },
		{ "dataset", "last_update" }, { "dataset", "last_modified" },
		{ "last_update", NULL }, { "created_at", NULL }, { "last_modified", NULL }
	};
	const char *status = str_at(obj, "status", NULL);
	const char *org = str_at(obj, "organization", "siret");
	const struct odl_territory *t;

	c->stats.manifest_lines++;
	if (!org)
		org = str_at(obj, "organization", "siren");
	t = org ? odl_territories_find(c->terr, org, strlen(org)) : NULL;
	if (!t) {
		c->stats.unmatched++;
		return ODL_OK;
	}
	if (c->nres == c->capres) {
		size_t cap = c->capres ? c->capres * 2 : 64;
		struct res *p = realloc(c->res, cap * sizeof(*p));
		if (!p)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		c->res = p;
		c->capres = cap;
	}
	struct res *r = &c->res[c->nres++];
	memset(r, 0, sizeof(*r));
	r->terr = t->index;
	r->obtained = status && (strcmp(status, "ok") == 0 || strcmp(status, "not-modified") == 0 ||
				 strcmp(status, "cached") == 0);
	r->path = dup_or_null(str_at(obj, "path", NULL));
	r->dataset = dup_or_null(str_at(obj, "dataset", "id"));
	r->schema = dup_or_null(str_at(obj, "schema", "name"));
	for (size_t i = 0; i < sizeof(date_keys) / sizeof(*date_keys) && !r->has_day; i++)
		r->has_day = odl_parse_day(str_at(obj, date_keys[i][0], date_keys[i][1]),
					   &r->day) == ODL_OK;
	if (r->path) {
		size_t one = 1;
		if (odl_strmap_put(&c->manifest_paths, r->path, strlen(r->path), &one) < 0)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	return ODL_OK;
}

int odl_compliance_add(odl_compliance *c, json_t *obj, struct odl_error *err)
{
	json_t *valid = json_object_get(obj, "valid");
	const char *path = str_at(obj, "path", NULL);

	if (json_object_get(obj, "url") || json_object_get(obj, "status"))
		return add_manifest(c, obj, err);
	if (json_is_boolean(valid) && path) {
		size_t v = json_is_true(valid);
		c->stats.report_lines++;
		/* a file validated twice: the last report wins */
		size_t *slot = odl_strmap_ref(&c->reports, path, strlen(path));
		if (!slot)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		*slot = v;
		return ODL_OK;
	}
	c->stats.other_lines++;
	return ODL_OK;
}

const struct odl_compliance_stats *odl_compliance_stats(const odl_compliance *c)
{
	return &c->stats;
}

static int cmp_res(const void *pa, const void *pb)
{
	const struct res *a = pa, *b = pb;
	return (a->terr > b->terr) - (a->terr < b->terr);
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void fill_day(char *buf, int64_t z)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t y = (int64_t)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp + 2) / 5 + 1;
	const unsigned m = mp < 10 ? mp + 3 : mp - 9;
	char tmp[48];
	snprintf(tmp, sizeof(tmp), "%04d-%02u-%02u", (int)(y + (m <= 2)), m, d);
	memcpy(buf, tmp, 10);
	buf[10] = 0;
}

int odl_compliance_run(odl_compliance *c, odl_compliance_fn fn, void *ctx, struct odl_error *err)
{
	size_t n = odl_territories_count(c->terr), r0 = 0;
	const char **schemas = NULL, **datasets = NULL;
	int rc = ODL_OK;

	if (c->nres)
		qsort(c->res, c->nres, sizeof(*c->res), cmp_res);
	schemas = malloc((c->nres + 1) * sizeof(*schemas));
	datasets = malloc((c->nres + 1) * sizeof(*datasets));
	if (!schemas || !datasets) {
		free(schemas);
		free(datasets);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	c->stats.orphan_reports = 0;
	c->stats.bad_population = c->stats.bad_agents = 0;
	c->stats.bad_bands = c->stats.proxy = 0;
	int with_band = odl_compliance_has_band(c);
	c->stats.first_bad = NULL;
	const char *key;
	size_t pos = 0, klen;
	while (odl_strmap_next(&c->reports, &pos, &key, &klen, NULL))
		if (!odl_strmap_get(&c->manifest_paths, key, klen, NULL))
			c->stats.orphan_reports++;
	for (size_t ti = 0; ti < n && rc == ODL_OK; ti++) {
		const struct odl_territory *t = odl_territories_at(c->terr, ti);
		struct odl_compliance_row row;
		size_t ns = 0, nd = 0, r1 = r0;
		int64_t last = 0;
		int has_last = 0;

		memset(&row, 0, sizeof(row));
		row.territory = t;
		int pr = odl_territory_number(c->terr, t, c->opt.population_column, &row.population);
		int ar = odl_territory_number(c->terr, t, c->opt.agents_column, &row.agents);
		row.has_population = pr == ODL_OK && row.population >= 0;
		row.has_agents = ar == ODL_OK && row.agents >= 0;
		if (pr == ODL_EFORMAT || (pr == ODL_OK && !row.has_population)) {
			row.n_errors++;
			if (!c->stats.bad_population++ && !c->stats.bad_agents) {
				c->stats.first_bad = t;
				c->stats.first_bad_column = c->opt.population_column;
			}
		}
		if (ar == ODL_EFORMAT || (ar == ODL_OK && !row.has_agents)) {
			row.n_errors++;
			if (!c->stats.bad_agents++ && !c->stats.bad_population) {
				c->stats.first_bad = t;
				c->stats.first_bad_column = c->opt.agents_column;
			}
		}
		if (with_band)
			read_band(c, t, &row);
		/* the band stands for the agents only where no agents cell is given */
		int proxy = !row.has_agents && row.has_band;
		/* a band under 50 decides even without a population (the agents
		 * cell keeps its rule: no population, no decision) */
		int few = proxy && row.band_hi >= 0 && row.band_hi < 50;
		if (row.has_population && row.population < 3500) {
			row.obligated = ODL_OBLIGATED_NO;
			row.evidence = ODL_EVIDENCE_POPULATION;
		} else if (few) {
			row.obligated = ODL_OBLIGATED_NO;
			row.evidence = ODL_EVIDENCE_PROXY;
		} else if (!row.has_population) {
			row.obligated = ODL_OBLIGATED_UNKNOWN_POPULATION;
		} else if (row.has_agents) {
			row.obligated = row.agents >= 50 ? ODL_OBLIGATED_YES : ODL_OBLIGATED_NO;
			row.evidence = ODL_EVIDENCE_AGENTS;
		} else if (proxy && row.band_lo >= 50) {
			row.obligated = ODL_OBLIGATED_YES;
			row.evidence = ODL_EVIDENCE_PROXY;
		} else {
			row.obligated = ODL_OBLIGATED_UNKNOWN_AGENTS;
		}
		c->stats.proxy += row.evidence == ODL_EVIDENCE_PROXY;
		while (r1 < c->nres && c->res[r1].terr == ti)
			r1++;
		for (size_t i = r0; i < r1; i++) {
			struct res *r = &c->res[i];
			if (!r->obtained) {
				row.failed++;
				continue;
			}
			row.resources++;
			if (r->dataset)
				datasets[nd++] = r->dataset;
			if (r->has_day && (!has_last || r->day > last)) {
				last = r->day;
				has_last = 1;
			}
			if (!r->schema)
				continue;
			row.scdl_resources++;
			schemas[ns++] = r->schema;
			size_t v;
			if (r->path && odl_strmap_get(&c->reports, r->path, strlen(r->path), &v))
				v ? row.scdl_valid++ : row.scdl_invalid++;
			else
				row.scdl_unvalidated++;
		}
		r0 = r1;
		qsort(datasets, nd, sizeof(*datasets), cmp_strp);
		for (size_t i = 0; i < nd; i++)
			row.datasets += i == 0 || strcmp(datasets[i], datasets[i - 1]) != 0;
		qsort(schemas, ns, sizeof(*schemas), cmp_strp);
		size_t u = 0;
		for (size_t i = 0; i < ns; i++)
			if (u == 0 || strcmp(schemas[i], schemas[u - 1]) != 0)
				schemas[u++] = schemas[i];
		row.scdl_schemas = schemas;
		row.n_scdl_schemas = u;
		if (has_last) {
			fill_day(row.last_update, last);
			row.has_days = 1;
			row.days_since_update = c->opt.today - last;
		}
		int points = (row.resources > 0) + (row.scdl_resources > 0) +
			     (row.scdl_valid > 0 && row.scdl_invalid == 0) +
			     (row.has_days && row.days_since_update <= c->opt.stale_days);
		row.grade = "EDCBA"[points];
		if (fn(ctx, &row) != 0)
			rc = odl_fail(err, ODL_ECANCELED, "stopped by the caller");
	}
	free(schemas);
	free(datasets);
	return rc;
}
