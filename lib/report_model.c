/*
 * report_model.c - the report's model: reading the row kinds the odl
 * programs write (validation reports, manifests, indicator and comparison
 * rows, compliance rows, other tables), keeping them in compact rows, and
 * handing the rows to the views (report_view.c chooses them).
 *
 * An allocation failure anywhere below returns, through R->oom, to the
 * public function that was called, as ODL_ENOMEM: the rows are kept
 * consistent (new slots are zeroed before they are counted) so that the
 * handle can still be freed.
 */
#include "report.h"
#include "error.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ------------------------------------------------- */

void *report_xcalloc(odl_report *R, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		longjmp(R->oom, 1);
	return p;
}

void *report_xrealloc(odl_report *R, void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		longjmp(R->oom, 1);
	return p;
}

char *report_xstrdup(odl_report *R, const char *s)
{
	char *c = strdup(s ? s : "");
	if (!c)
		longjmp(R->oom, 1);
	return c;
}

#define GROW(arr, n, cap) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 64; \
		(arr) = report_xrealloc(R, (arr), (cap) * sizeof(*(arr))); \
		memset((arr) + (n), 0, ((cap) - (n)) * sizeof(*(arr))); \
	} \
} while (0)

/* Numbers may arrive as JSON numbers or as text (CSV input, "12,5"). */
static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	char buf[64], *end;
	size_t i, n = 0;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	if (!json_is_string(v))
		return NAN;
	s = json_string_value(v);
	for (i = 0; s[i] && n + 1 < sizeof(buf); i++) {
		if (s[i] == ' ')
			continue;
		buf[n++] = s[i] == ',' ? '.' : s[i];
	}
	buf[n] = 0;
	if (n == 0)
		return NAN;
	errno = 0;
	d = strtod(buf, &end);
	return *end || errno ? NAN : d;
}

/* A field as text: strings as they are, numbers without a needless ".0". */
static const char *str(json_t *o, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(o, key);

	buf[0] = 0;
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%.15g", json_real_value(v));
	else if (json_is_true(v))
		snprintf(buf, size, "true");
	else if (json_is_false(v))
		snprintf(buf, size, "false");
	return buf;
}

static char *dupfield(odl_report *R, json_t *o, const char *key)
{
	char buf[64];
	return report_xstrdup(R, str(o, key, buf, sizeof(buf)));
}

/* 1 true, 0 false, -1 absent or anything else. */
static int boolean(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	const char *s;

	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if (!strcmp(s, "true") || !strcmp(s, "oui") || !strcmp(s, "1") || !strcmp(s, "True"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "non") || !strcmp(s, "0") || !strcmp(s, "False"))
		return 0;
	return -1;
}

static int has(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v && !json_is_null(v) && !(json_is_string(v) && !*json_string_value(v));
}

/* ---- the model ----------------------------------------------------- */

static enum kind detect(json_t *o)
{
	if (json_object_get(o, "valid") && (json_object_get(o, "error_count") ||
					     json_object_get(o, "error_counts") ||
					     json_object_get(o, "schema")))
		return K_REPORT;
	if (json_object_get(o, "grade") || json_object_get(o, "obligated"))
		return K_COMPLIANCE;
	if (json_object_get(o, "url") && json_object_get(o, "status"))
		return K_MANIFEST;
	if (json_object_get(o, "indicator") && json_object_get(o, "value"))
		return K_INDICATOR;
	return K_TABLE;
}

static const char *sub(json_t *o, const char *obj, const char *key)
{
	json_t *v = json_object_get(json_object_get(o, obj), key);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void add_report(odl_report *R, json_t *o, odl_render_summary *sum, json_t *fixes)
{
	struct report *r;
	json_t *s = json_object_get(o, "schema"), *w;
	char buf[64];

	GROW(R->M.reports, R->M.nreports, R->M.capreports);
	r = &R->M.reports[R->M.nreports++];
	memset(r, 0, sizeof(*r));
	r->path = dupfield(R, o, "path");
	if (json_is_object(s)) {
		r->schema = report_xstrdup(R, sub(o, "schema", "name"));
		r->version = report_xstrdup(R, str(s, "version", buf, sizeof(buf)));
	} else {
		r->schema = dupfield(R, o, "schema");
		r->version = dupfield(R, o, "schema_version");
	}
	r->valid = boolean(o, "valid");
	r->complete = boolean(o, "complete");
	r->rows = num(o, "rows");
	r->error_count = num(o, "error_count");
	r->sum = sum;
	r->fixes = fixes ? json_copy(fixes) : json_object();
	if (r->sum)
		odl_render_summary_sort(r->sum);
	r->counts = json_object();
	if (json_is_object(json_object_get(o, "error_counts"))) {
		json_object_update(r->counts, json_object_get(o, "error_counts"));
	} else if (sum) {
		for (size_t i = 0; i < odl_render_summary_ngroups(sum); i++) {
			const struct odl_render_group *g = odl_render_summary_group(sum, i);
			json_t *c = json_object_get(r->counts, g->type);
			json_object_set_new(r->counts, g->type,
					    json_integer((c ? json_integer_value(c) : 0) + (json_int_t)g->count));
		}
	}
	if (isnan(r->error_count)) {
		const char *k;
		json_t *v;
		r->error_count = 0;
		json_object_foreach(r->counts, k, v)
			r->error_count += json_number_value(v);
	}
	r->warnings = json_array();
	w = json_object_get(o, "warnings");
	if (json_is_array(w)) {
		size_t i;
		json_t *x;
		json_array_foreach(w, i, x) {
			if (i >= MAX_WARNINGS)
				break;
			json_array_append(r->warnings, x);
		}
	}
}

static void manifest_source(odl_report *R, json_t *o, const struct manifest *m);

static void add_manifest(odl_report *R, json_t *o)
{
	struct manifest *m;
	char buf[64];

	GROW(R->M.manifests, R->M.nmanifests, R->M.capmanifests);
	m = &R->M.manifests[R->M.nmanifests++];
	m->url = dupfield(R, o, "url");
	m->path = dupfield(R, o, "path");
	m->status = dupfield(R, o, "status");
	m->error = report_xstrdup(R, json_is_object(json_object_get(o, "error")) ? sub(o, "error", "message")
								       : str(o, "error", buf, sizeof(buf)));
	m->dataset = report_xstrdup(R, *sub(o, "dataset", "title") ? sub(o, "dataset", "title") : sub(o, "dataset", "id"));
	m->resource = report_xstrdup(R, *sub(o, "resource", "title") ? sub(o, "resource", "title") : sub(o, "resource", "id"));
	m->format = report_xstrdup(R, sub(o, "resource", "format"));
	m->org = report_xstrdup(R, sub(o, "organization", "name"));
	if (json_is_object(json_object_get(o, "schema"))) {
		const char *n = sub(o, "schema", "name");
		json_t *v = json_object_get(json_object_get(o, "schema"), "version");
		char s[512];
		snprintf(s, sizeof(s), "%s%s%s", n, json_is_string(v) ? " " : "",
			 json_is_string(v) ? json_string_value(v) : "");
		m->schema = report_xstrdup(R, s);
	} else {
		m->schema = dupfield(R, o, "schema");
	}
	m->http = num(o, "http_status");
	m->bytes = num(o, "bytes");
	manifest_source(R, o, m);
}

/* ---- sources: the published files behind the rows ------------------ */

#define MAX_SOURCES 1000

static void add_source(odl_report *R, const char *title, const char *date)
{
	struct source *s;

	if (!title || !*title || R->M.nsources >= MAX_SOURCES)
		return;
	for (size_t i = 0; i < R->M.nsources; i++)
		if (strcmp(R->M.sources[i].title, title) == 0) {
			/* the same file named twice: keep the latest date given */
			if (date && strncmp(date, R->M.sources[i].date, 10) > 0) {
				free(R->M.sources[i].date);
				R->M.sources[i].date = NULL;
				R->M.sources[i].date = report_xstrdup(R, date);
				if (strlen(R->M.sources[i].date) > 10)
					R->M.sources[i].date[10] = 0;
			}
			return;
		}
	GROW(R->M.sources, R->M.nsources, R->M.capsources);
	s = &R->M.sources[R->M.nsources];
	s->title = report_xstrdup(R, title);
	s->date = report_xstrdup(R, date ? date : "");
	if (strlen(s->date) > 10)
		s->date[10] = 0; /* the day of an ISO date-time */
	R->M.nsources++;
}

static const char *first_str(json_t *o, const char *const *keys)
{
	for (; *keys; keys++) {
		json_t *v = json_object_get(o, *keys);
		if (json_is_string(v) && *json_string_value(v))
			return json_string_value(v);
	}
	return NULL;
}

/* One entry of "sources" (or "source"): a file name, or an object naming
 * the file by title, path or URL with its date. */
static void add_source_value(odl_report *R, json_t *v)
{
	static const char *const names[] = { "title", "path", "file", "url", NULL };
	static const char *const dates[] = { "date", "last_modified", "modified", "last_update", NULL };

	if (json_is_string(v))
		add_source(R, json_string_value(v), NULL);
	else if (json_is_object(v))
		add_source(R, first_str(v, names), first_str(v, dates));
}

static void row_sources(odl_report *R, json_t *o)
{
	json_t *a = json_object_get(o, "sources"), *v;
	size_t i;

	if (json_is_array(a))
		json_array_foreach(a, i, v)
			add_source_value(R, v);
	else
		add_source_value(R, a);
	add_source_value(R, json_object_get(o, "source"));
}

/* A fetched resource is a source of the page, dated by data.gouv.fr's
 * last_modified (else the server's). */
static void manifest_source(odl_report *R, json_t *o, const struct manifest *m)
{
	static const char *const dates[] = { "last_modified", "modified", NULL };
	json_t *res = json_object_get(o, "resource");
	const char *date = first_str(res, dates);
	char title[1024];

	if (!strcmp(m->status, "failed") || (!*m->resource && !*m->path))
		return;
	if (!date)
		date = first_str(o, dates);
	if (*m->dataset && *m->resource)
		snprintf(title, sizeof(title), "%s — %s", m->dataset, m->resource);
	else
		snprintf(title, sizeof(title), "%s", *m->resource ? m->resource : m->path);
	add_source(R, title, date);
}

static double first_num(json_t *o, const char *a, const char *b)
{
	double v = num(o, a);
	return isnan(v) && b ? num(o, b) : v;
}

static void add_irow(odl_report *R, json_t *o)
{
	struct irow *r;

	GROW(R->M.irows, R->M.nirows, R->M.capirows);
	r = &R->M.irows[R->M.nirows++];
	r->territory = dupfield(R, o, json_object_get(o, "territory") ? "territory" : "code");
	r->name = dupfield(R, o, "name");
	r->indicator = dupfield(R, o, "indicator");
	r->title = dupfield(R, o, has(o, R->cfg.fr ? "title_fr" : "title_en") ? (R->cfg.fr ? "title_fr" : "title_en")
								       : (R->cfg.fr ? "title_en" : "title_fr"));
	r->year = dupfield(R, o, "year");
	r->value = num(o, "value");
	r->per_value = first_num(o, "per_inhabitant", "value_per");
	r->denominator = num(o, "denominator");
	r->per = num(o, "per");
	r->n_rows = num(o, "n_rows");
	r->rank = num(o, "rank");
	/* odl-compare names the peer count n_peers ("peers" is the group) */
	r->peers = first_num(o, "n_peers", "peers");
	{
		json_t *g = json_object_get(o, "peers"), *c = json_object_get(o, "category");
		char k[1024];
		snprintf(k, sizeof(k), "%s\x1f%s", json_is_string(g) ? json_string_value(g) : "",
			 json_is_string(c) ? json_string_value(c) : "");
		r->group = report_xstrdup(R, k);
	}
	r->percentile = num(o, "percentile");
	r->median = num(o, "peer_median");
	r->q1 = first_num(o, "peer_q1", "q1");
	r->q3 = first_num(o, "peer_q3", "q3");
	r->ratio = num(o, "ratio_to_median");
	r->change = num(o, "change");
	r->n_errors = num(o, "n_errors");
	r->unit = dupfield(R, o, "unit");
	r->null_reason = dupfield(R, o, "null_reason");
	{
		json_t *g = json_object_get(o, "peers"), *c = json_object_get(o, "category");
		char k[1024];
		snprintf(k, sizeof(k), "%s%s%s", json_is_string(g) ? json_string_value(g) : "",
			 json_is_string(g) && json_is_string(c) ? " / " : "",
			 json_is_string(c) ? json_string_value(c) : "");
		r->peer_label = report_xstrdup(R, k);
	}
	if (*r->unit)
		R->M.units = 1;
	row_sources(R, o);
	if (!isnan(r->rank) || !isnan(r->median) || !isnan(r->percentile))
		R->M.comparison = 1;
}

/* The report a compliance row points to: "report", or the first of "reports". */
static char *comp_report(odl_report *R, json_t *o)
{
	json_t *v = json_object_get(o, "report"), *a;

	if (json_is_string(v))
		return report_xstrdup(R, json_string_value(v));
	a = json_object_get(o, "reports");
	if (!json_is_array(a))
		a = json_object_get(o, "files");
	v = json_array_get(a, 0);
	if (json_is_string(v))
		return report_xstrdup(R, json_string_value(v));
	if (json_is_object(v) && json_is_string(json_object_get(v, "path")))
		return report_xstrdup(R, json_string_value(json_object_get(v, "path")));
	return NULL;
}

static void add_comp(odl_report *R, json_t *o)
{
	struct comp *c;
	json_t *ob = json_object_get(o, "obligated"), *pub;
	const char *g;
	char buf[64];

	GROW(R->M.comps, R->M.ncomps, R->M.capcomps);
	c = &R->M.comps[R->M.ncomps++];
	c->code = dupfield(R, o, json_object_get(o, "code") ? "code" : "territory");
	c->name = dupfield(R, o, "name");
	c->type = dupfield(R, o, "type");
	c->report = comp_report(R, o);
	c->last_update = dupfield(R, o, "last_update");
	c->population = num(o, "population");
	c->agents = num(o, "agents");
	pub = json_object_get(o, "published");
	c->published = json_is_boolean(pub) ? json_is_true(pub) : num(o, "published");
	c->datasets = num(o, "datasets");
	c->resources = num(o, "resources");
	c->valid = json_is_boolean(json_object_get(o, "valid")) ? boolean(o, "valid")
								 : first_num(o, "valid", "scdl_valid");
	c->invalid = num(o, "scdl_invalid");
	c->days = num(o, "days_since_update");
	if (json_is_string(ob) && strcmp(json_string_value(ob), "unknown-agents") == 0)
		c->obligated = -1;
	else if (!ob)
		c->obligated = -2;
	else
		c->obligated = boolean(o, "obligated") == 1;
	row_sources(R, o);
	g = str(o, "grade", buf, sizeof(buf));
	c->grade = (g[0] >= 'A' && g[0] <= 'E' && !g[1]) ? g[0] : 0;
}

/* A generic table: rows share the last table while their fields fit in its columns. */
static int fits(const struct table *t, json_t *o)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		size_t i;
		for (i = 0; i < t->ncols && strcmp(k, t->cols[i]); i++)
			;
		if (i == t->ncols)
			return 0;
	}
	return 1;
}

static struct table *table_for(odl_report *R, json_t *o, const char *source)
{
	struct table *t = R->M.ntables ? &R->M.tables[R->M.ntables - 1] : NULL;
	const char *k;
	json_t *v;
	size_t i = 0;

	if (t && !strcmp(t->source, source) && fits(t, o))
		return t;
	GROW(R->M.tables, R->M.ntables, R->M.captables);
	t = &R->M.tables[R->M.ntables++];
	memset(t, 0, sizeof(*t));
	t->ncols = json_object_size(o);
	t->cols = report_xcalloc(R, t->ncols, sizeof(*t->cols));
	t->source = report_xstrdup(R, source);
	json_object_foreach(o, k, v)
		t->cols[i++] = report_xstrdup(R, k);
	return t;
}

static void add_table_row(odl_report *R, json_t *o, const char *source)
{
	struct table *t = table_for(R, o, source);

	if (t->ncols == 0)
		return;
	if (t->nrows >= R->cfg.max_rows) {
		t->dropped++;
		return;
	}
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = report_xrealloc(R, t->cells, t->cap * t->ncols * sizeof(*t->cells));
	}
	for (size_t i = 0; i < t->ncols; i++) {
		json_t *v = json_object_get(o, t->cols[i]);
		char *d = NULL;
		if (json_is_object(v) || json_is_array(v))
			d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		t->cells[t->nrows * t->ncols + i] = d ? d : dupfield(R, o, t->cols[i]);
	}
	t->nrows++;
}

static void dispatch(odl_report *R, json_t *o, odl_render_summary *sum, json_t *fixes, const char *source)
{
	enum kind k = R->cfg.kind ? R->cfg.kind : detect(o);

	/* an "errors" array was streamed by: a report, even without its counts */
	if (!R->cfg.kind && k == K_TABLE && sum && (json_object_get(o, "valid") || json_object_get(o, "path")))
		k = K_REPORT;
	switch (k) {
	case K_REPORT:
		add_report(R, o, sum, fixes);
		return;
	case K_MANIFEST:
		add_manifest(R, o);
		break;
	case K_INDICATOR:
		add_irow(R, o);
		break;
	case K_COMPLIANCE:
		add_comp(R, o);
		break;
	default:
		add_table_row(R, o, source);
	}
	odl_render_summary_free(sum);
}

static void free_model(odl_report *R)
{
	size_t i, k;
	for (i = 0; i < R->M.nreports; i++) {
		struct report *r = &R->M.reports[i];
		free(r->path);
		free(r->schema);
		free(r->version);
		json_decref(r->counts);
		json_decref(r->warnings);
		json_decref(r->fixes);
		odl_render_summary_free(r->sum);
	}
	for (i = 0; i < R->M.nmanifests; i++) {
		struct manifest *m = &R->M.manifests[i];
		free(m->url); free(m->path); free(m->status); free(m->error); free(m->dataset);
		free(m->resource); free(m->org); free(m->schema); free(m->format);
	}
	for (i = 0; i < R->M.nirows; i++) {
		free(R->M.irows[i].territory); free(R->M.irows[i].name);
		free(R->M.irows[i].indicator); free(R->M.irows[i].year); free(R->M.irows[i].group);
		free(R->M.irows[i].title);
		free(R->M.irows[i].peer_label); free(R->M.irows[i].unit);
		free(R->M.irows[i].null_reason);
	}
	for (i = 0; i < R->M.ncomps; i++) {
		free(R->M.comps[i].code); free(R->M.comps[i].name); free(R->M.comps[i].type);
		free(R->M.comps[i].report); free(R->M.comps[i].last_update);
	}
	for (i = 0; i < R->M.ntables; i++) {
		struct table *t = &R->M.tables[i];
		for (k = 0; k < t->nrows * t->ncols; k++)
			free(t->cells[k]);
		for (k = 0; k < t->ncols; k++)
			free(t->cols[k]);
		free(t->cells);
		free(t->cols);
		free(t->source);
	}
	for (i = 0; i < R->M.nsources; i++) {
		free(R->M.sources[i].title);
		free(R->M.sources[i].date);
	}
	free(R->M.sources);
	free(R->M.reports); free(R->M.manifests); free(R->M.irows); free(R->M.comps); free(R->M.tables);
}

/* ---- reading ------------------------------------------------------- */

static int on_member(void *ctx, const char *key, json_t *v, uint64_t line)
{
	odl_report *R = ctx;
	(void)line;
	json_object_set(R->in.cur, key, v);
	return 0;
}

static int on_error(void *ctx, const char *key, json_t *e, uint64_t line)
{
	odl_report *R = ctx;
	struct report_reader *r = &R->in;
	json_t *t;
	char b1[64], b2[64];
	double row, col;
	(void)key;
	(void)line;
	if (!json_is_object(e))
		return 0;
	if (!r->sum && !(r->sum = odl_render_summary_new(0, 3)))
		longjmp(R->oom, 1);
	t = json_object_get(e, "type");
	if (!json_is_string(t))
		t = json_object_get(e, "code");
	/* the validator's own catalogue wins over the built-in texts */
	for (const char *const *k = (const char *const[]){ "how_to_fix", "fix", "hint", NULL }; *k; k++) {
		json_t *f = json_object_get(e, *k);
		if (json_is_string(f) && json_is_string(t) &&
		    !json_object_get(r->fixes, json_string_value(t))) {
			json_object_set(r->fixes, json_string_value(t), f);
			break;
		}
	}
	row = num(e, json_object_get(e, "row") ? "row" : "rowNumber");
	col = num(e, json_object_get(e, "column") ? "column" : "fieldNumber");
	if (odl_render_summary_add(r->sum, json_is_string(t) ? json_string_value(t) : "unknown",
				   json_is_string(json_object_get(e, "field")) ?
				   json_string_value(json_object_get(e, "field")) :
				   json_string_value(json_object_get(e, "fieldName")),
				   isnan(row) || row < 0 ? 0 : (uint64_t)row,
				   isnan(col) || col < 0 ? 0 : (uint64_t)col,
				   has(e, "cell") ? str(e, "cell", b1, sizeof(b1)) : NULL,
				   has(e, "message") ? str(e, "message", b2, sizeof(b2)) : NULL) != ODL_OK)
		longjmp(R->oom, 1);
	return 0;
}

static int on_end(void *ctx, uint64_t line)
{
	odl_report *R = ctx;
	struct report_reader *r = &R->in;
	odl_render_summary *sum = r->sum;
	(void)line;
	r->sum = NULL; /* dispatch owns it now */
	dispatch(R, r->cur, sum, r->fixes, r->path);
	json_object_clear(r->cur);
	json_object_clear(r->fixes);
	return 0;
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	odl_report *R = ctx;
	struct report_reader *r = &R->in;
	size_t i;

	if (rec->is_header) {
		r->header = report_xcalloc(R, rec->ncells, sizeof(*r->header));
		for (i = 0; i < rec->ncells; i++) {
			r->header[i] = report_xcalloc(R, rec->cells[i].len + 1, 1);
			r->nheader = i + 1;
			memcpy(r->header[i], rec->cells[i].ptr, rec->cells[i].len);
		}
		return 0;
	}
	if (rec->is_blank)
		return 0;
	for (i = 0; i < r->nheader; i++) {
		json_t *v = i < rec->ncells ? json_stringn(rec->cells[i].ptr, rec->cells[i].len)
					    : json_string("");
		if (!v)
			v = json_string("\xEF\xBF\xBD");
		json_object_set_new(r->cur, r->header[i], v);
	}
	dispatch(R, r->cur, NULL, NULL, r->path);
	json_object_clear(r->cur);
	return 0;
}

static void close_input(odl_report *R)
{
	struct report_reader *r = &R->in;

	odl_render_jsonl_free(r->jsonl);
	odl_csv_free(r->csv);
	odl_render_summary_free(r->sum);
	for (size_t i = 0; i < r->nheader; i++)
		free(r->header[i]);
	free(r->header);
	json_decref(r->cur);
	json_decref(r->fixes);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

/* NDJSON when the first non-blank byte opens an object, CSV otherwise. */
static int start_parser(odl_report *R, struct odl_error *err)
{
	static const char *const keys[] = { "errors", NULL };
	static const struct odl_render_jsonl_fns fns = { on_member, on_error, on_end };
	struct report_reader *r = &R->in;
	size_t i;

	for (i = 0; i < r->hlen && strchr(" \t\r\n", r->head[i]); i++)
		;
	if (i < r->hlen && r->head[i] == '{') {
		r->state = 2;
		if (!(r->jsonl = odl_render_jsonl_new(keys, 0, &fns, R, r->path)))
			longjmp(R->oom, 1);
		return odl_render_jsonl_feed(r->jsonl, r->head, r->hlen, err);
	}
	if (R->cfg.kind == K_REPORT) {
		odl_error_at(err, r->path, 0, 0, NULL);
		return odl_fail(err, ODL_EFORMAT, "validation reports are read from NDJSON");
	}
	struct odl_csv_options opt;
	odl_csv_options_init(&opt);
	opt.name = r->path;
	opt.replace_invalid = 1;
	r->state = 3;
	if (!(r->csv = odl_csv_new(&opt, on_record, R)))
		longjmp(R->oom, 1);
	return odl_csv_feed(r->csv, r->head, r->hlen, err);
}

static int nomem(odl_report *R, struct odl_error *err)
{
	odl_error_at(err, R->in.path, 0, 0, NULL);
	return odl_fail(err, ODL_ENOMEM, "out of memory");
}

static int begin(odl_report *R, const char *name)
{
	close_input(R);
	R->in.path = report_xstrdup(R, name);
	R->in.cur = json_object();
	R->in.fixes = json_object();
	if (!R->in.cur || !R->in.fixes)
		longjmp(R->oom, 1);
	R->in.state = 1;
	GROW(R->inputs, R->ninputs, R->capinputs);
	R->inputs[R->ninputs++] = report_xstrdup(R, name);
	return ODL_OK;
}

int odl_report_begin(odl_report *R, const char *name, struct odl_error *err)
{
	odl_error_clear(err);
	if (setjmp(R->oom))
		return nomem(R, err);
	return begin(R, name ? name : "-");
}

static int feed(odl_report *R, const unsigned char *p, size_t len, struct odl_error *err)
{
	struct report_reader *r = &R->in;
	int rc;

	if (r->state == 1) {
		size_t i, k = len < sizeof(r->head) - r->hlen ? len : sizeof(r->head) - r->hlen;
		memcpy(r->head + r->hlen, p, k);
		r->hlen += k;
		p += k;
		len -= k;
		for (i = 0; i < r->hlen && strchr(" \t\r\n", r->head[i]); i++)
			;
		if (i == r->hlen && r->hlen < sizeof(r->head))
			return ODL_OK; /* only blanks so far */
		if ((rc = start_parser(R, err)) != ODL_OK)
			return rc;
	}
	if (!len)
		return ODL_OK;
	if (r->state == 2)
		return odl_render_jsonl_feed(r->jsonl, p, len, err);
	if (r->state == 3)
		return odl_csv_feed(r->csv, p, len, err);
	return odl_fail(err, ODL_EINVAL, "no input begun");
}

int odl_report_feed(odl_report *R, const void *buf, size_t len, struct odl_error *err)
{
	int rc;

	odl_error_clear(err);
	if (setjmp(R->oom))
		return nomem(R, err);
	rc = feed(R, buf, len, err);
	if (rc != ODL_OK)
		close_input(R);
	return rc;
}

static int end(odl_report *R, struct odl_error *err)
{
	struct report_reader *r = &R->in;
	int rc = ODL_OK;

	if (r->state == 1)
		rc = start_parser(R, err);
	if (rc == ODL_OK && r->state == 2)
		rc = odl_render_jsonl_finish(r->jsonl, err);
	else if (rc == ODL_OK && r->state == 3)
		rc = odl_csv_finish(r->csv, err);
	return rc;
}

int odl_report_end(odl_report *R, struct odl_error *err)
{
	int rc;

	odl_error_clear(err);
	if (setjmp(R->oom))
		return nomem(R, err);
	rc = end(R, err);
	close_input(R);
	return rc;
}

/* ---- the handle ---------------------------------------------------- */

void odl_report_options_init(struct odl_report_options *o)
{
	memset(o, 0, sizeof(*o));
	o->lang = "en";
	o->top = 30;
	o->max_rows = 1000000;
}

static char *optdup(odl_report *R, const char *s)
{
	return s ? report_xstrdup(R, s) : NULL;
}

odl_report *odl_report_new(const struct odl_report_options *o)
{
	odl_report *volatile R = calloc(1, sizeof(*R));

	if (!R)
		return NULL;
	if (setjmp(R->oom)) {
		odl_report_free(R);
		return NULL;
	}
	R->cfg.fr = o->lang && strcmp(o->lang, "fr") == 0;
	R->cfg.lang = R->cfg.fr ? "fr" : "en";
	R->cfg.kind = (enum kind)o->kind;
	R->cfg.focus = optdup(R, o->focus);
	R->cfg.indicator = optdup(R, o->indicator);
	R->cfg.year = optdup(R, o->year);
	R->cfg.link = optdup(R, o->link);
	R->cfg.today = optdup(R, o->today);
	R->cfg.top = o->top ? o->top : 30;
	R->cfg.max_rows = o->max_rows;
	return R;
}

void odl_report_free(odl_report *R)
{
	if (!R)
		return;
	close_input(R);
	free_model(R);
	for (size_t i = 0; i < R->ninputs; i++)
		free(R->inputs[i]);
	free(R->inputs);
	free(R->cfg.focus);
	free(R->cfg.indicator);
	free(R->cfg.year);
	free(R->cfg.link);
	free(R->cfg.today);
	free(R->names);
	free(R);
}

size_t odl_report_count(const odl_report *R, enum odl_report_kind kind)
{
	switch (kind) {
	case ODL_REPORT_VALIDATION: return R->M.nreports;
	case ODL_REPORT_MANIFEST: return R->M.nmanifests;
	case ODL_REPORT_INDICATOR: return R->M.nirows;
	case ODL_REPORT_COMPLIANCE: return R->M.ncomps;
	case ODL_REPORT_TABLE: {
		size_t n = 0;
		for (size_t i = 0; i < R->M.ntables; i++)
			n += R->M.tables[i].nrows;
		return n;
	}
	default:
		return R->M.nreports + R->M.nmanifests + R->M.nirows + R->M.ncomps +
		       odl_report_count(R, ODL_REPORT_TABLE);
	}
}

size_t odl_report_indicators(odl_report *R)
{
	if (setjmp(R->oom))
		return 0;
	free(R->names);
	R->names = NULL;
	R->nnames = report_indicator_list(R, &R->names);
	return R->nnames;
}

const char *odl_report_indicator(odl_report *R, size_t i)
{
	return R->names && i < R->nnames ? R->names[i] : NULL;
}

const char *odl_report_year(odl_report *R, const char *indicator)
{
	return report_year_of(R, indicator);
}

static size_t ranking(odl_report *R, const char *indicator, const char *year,
		      const char **codes, size_t max)
{
	struct ind_view v;

	memset(&v, 0, sizeof(v));
	report_build_view(R, &v, indicator, year);
	for (size_t i = 0; i < v.n && i < max; i++)
		codes[i] = R->M.irows[v.idx[i]].territory;
	free(v.idx);
	return v.n;
}

size_t odl_report_ranking(odl_report *R, const char *indicator, const char *year,
			  const char **codes, size_t max)
{
	if (setjmp(R->oom))
		return 0;
	return ranking(R, indicator, year, codes, max);
}

size_t odl_report_nsources(const odl_report *R)
{
	return R->M.nsources;
}

const char *odl_report_source(const odl_report *R, size_t i, const char **date)
{
	if (i >= R->M.nsources)
		return NULL;
	if (date)
		*date = R->M.sources[i].date;
	return R->M.sources[i].title;
}
