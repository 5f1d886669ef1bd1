/*
 * odl-render - turn what the other odl programs write into something a
 * person reads: aligned text, Markdown, CSV, one self-contained HTML page,
 * or one SVG chart.
 *
 * Input: NDJSON (validation reports, fetch manifests, indicator rows,
 * comparison rows, compliance rows: the kind is recognised per line from
 * its fields) or CSV.  Everything is kept in compact rows, and errors of a
 * validation report are grouped and counted as they stream by, never kept.
 */
#include "cli.h"
#include "odl/csv.h"
#include "odl/messages.h"
#include "odl/render.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_FORMAT = 1, OPT_KIND, OPT_OUTPUT, OPT_FOCUS, OPT_INDICATOR, OPT_YEAR, OPT_TITLE,
       OPT_LANG, OPT_WIDTH, OPT_TOP, OPT_LINK, OPT_COLOR, OPT_MAX_ROWS };

static const struct cli_option options[] = {
	{ OPT_FORMAT, 'f', "format", "FMT", "text, markdown, csv, html or svg (default: text)" },
	{ OPT_KIND, 'k', "kind", "KIND", "read every line as KIND: report, manifest, indicators, comparison, compliance or table (default: recognise each line)" },
	{ OPT_OUTPUT, 'o', "output", "FILE", "write to FILE, atomically (default: stdout)" },
	{ OPT_FOCUS, 0, "focus", "CODE", "territory to highlight in comparisons" },
	{ OPT_INDICATOR, 0, "indicator", "ID", "show only this indicator" },
	{ OPT_YEAR, 0, "year", "YEAR", "year of the ranking (default: the latest of each indicator)" },
	{ OPT_TITLE, 't', "title", "TEXT", "title of the document" },
	{ OPT_LANG, 0, "lang", "LANG", "fr or en (default: from the locale)" },
	{ OPT_WIDTH, 0, "width", "COLS", "text: widest cell before it is cut with an ellipsis (default 40)" },
	{ OPT_TOP, 0, "top", "N", "bars in a ranking chart (default 30; the focus is always shown)" },
	{ OPT_LINK, 0, "link", "PATTERN", "compliance: link each territory to PATTERN, {code} replaced (e.g. 'rapports/{code}.html')" },
	{ OPT_COLOR, 0, "color", "WHEN", "text: colours auto (on a terminal, unless NO_COLOR is set), always or never" },
	{ OPT_MAX_ROWS, 0, "max-rows", "N", "rows kept for a generic table (default 1000000; the rest is counted)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct cli_program program = {
	"odl-render", "[OPTION]... [FILE]...",
	"Render odl reports, manifests, indicators and comparisons for people.",
	options,
	"FILE holds NDJSON or CSV; none or '-' reads standard input.\n"
	"Exit status: 0 rendered, 2 usage or read error.\n"
};

enum kind { K_AUTO = 0, K_REPORT, K_MANIFEST, K_INDICATOR, K_COMPLIANCE, K_TABLE };

static struct config {
	enum odl_render_format fmt;
	enum kind kind;
	const char *output, *focus, *indicator, *year, *title, *link;
	int fr;
	const char *lang;
	size_t width, top, max_rows;
	int color; /* -1 auto */
} cfg;

#define L(f, e) (cfg.fr ? (f) : (e))

/* ---- small helpers ------------------------------------------------- */

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		cli_die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		cli_die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *c = strdup(s ? s : "");
	if (!c)
		cli_die("out of memory");
	return c;
}

#define GROW(arr, n, cap) do { \
	if ((n) == (cap)) { \
		(cap) = (cap) ? (cap) * 2 : 64; \
		(arr) = xrealloc((arr), (cap) * sizeof(*(arr))); \
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

static char *dupfield(json_t *o, const char *key)
{
	char buf[64];
	return xstrdup(str(o, key, buf, sizeof(buf)));
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

/* Rotating buffers so that several formatted numbers live in one row. */
static const char *fmtnum(double v, int decimals)
{
	static char bufs[16][64];
	static int i;
	i = (i + 1) % 16;
	return odl_render_number(bufs[i], sizeof(bufs[i]), v, decimals, cfg.lang);
}

static const char *fmtint(uint64_t v)
{
	return fmtnum((double)v, 0);
}

/* ---- the model ----------------------------------------------------- */

struct report {
	char *path, *schema, *version;
	int valid, complete;
	double rows, error_count;
	json_t *counts;   /* {code: n} as given, or built from the errors */
	json_t *warnings; /* array, at most MAX_WARNINGS */
	json_t *fixes;    /* {code: how to fix} given by the validator, may be empty */
	odl_render_summary *sum;
};

struct manifest {
	char *url, *path, *status, *error, *dataset, *resource, *org, *schema, *format;
	double http, bytes;
};

/* An indicator row, with the comparison fields when present (NaN if not). */
struct irow {
	char *territory, *name, *indicator, *year;
	char *title;  /* the indicator's title in the report's language, "" when not given */
	char *group; /* odl-compare's peer group and category: one ranking each */
	double value, per_value, denominator, per, n_rows, rank, peers, percentile,
	       median, q1, q3, ratio, change;
};

struct comp {
	char *code, *name, *type, *report, *last_update;
	double population, agents, published, datasets, resources, valid, invalid, days;
	int obligated; /* 1, 0, -1 unknown agents, -2 not given */
	char grade;
};

struct table {
	char **cols;
	size_t ncols;
	char **cells; /* nrows * ncols */
	size_t nrows, cap;
	uint64_t dropped;
	char *source;
};

#define MAX_WARNINGS 20

static struct model {
	struct report *reports;
	size_t nreports, capreports;
	struct manifest *manifests;
	size_t nmanifests, capmanifests;
	struct irow *irows;
	size_t nirows, capirows;
	int comparison; /* some row has comparison fields */
	struct comp *comps;
	size_t ncomps, capcomps;
	struct table *tables;
	size_t ntables, captables;
} M;

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

static void add_report(json_t *o, odl_render_summary *sum, json_t *fixes)
{
	struct report *r;
	json_t *s = json_object_get(o, "schema"), *w;
	char buf[64];

	GROW(M.reports, M.nreports, M.capreports);
	r = &M.reports[M.nreports++];
	memset(r, 0, sizeof(*r));
	r->path = dupfield(o, "path");
	if (json_is_object(s)) {
		r->schema = xstrdup(sub(o, "schema", "name"));
		r->version = xstrdup(str(s, "version", buf, sizeof(buf)));
	} else {
		r->schema = dupfield(o, "schema");
		r->version = dupfield(o, "schema_version");
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

static void add_manifest(json_t *o)
{
	struct manifest *m;
	char buf[64];

	GROW(M.manifests, M.nmanifests, M.capmanifests);
	m = &M.manifests[M.nmanifests++];
	m->url = dupfield(o, "url");
	m->path = dupfield(o, "path");
	m->status = dupfield(o, "status");
	m->error = xstrdup(json_is_object(json_object_get(o, "error")) ? sub(o, "error", "message")
								       : str(o, "error", buf, sizeof(buf)));
	m->dataset = xstrdup(*sub(o, "dataset", "title") ? sub(o, "dataset", "title") : sub(o, "dataset", "id"));
	m->resource = xstrdup(*sub(o, "resource", "title") ? sub(o, "resource", "title") : sub(o, "resource", "id"));
	m->format = xstrdup(sub(o, "resource", "format"));
	m->org = xstrdup(sub(o, "organization", "name"));
	if (json_is_object(json_object_get(o, "schema"))) {
		const char *n = sub(o, "schema", "name");
		json_t *v = json_object_get(json_object_get(o, "schema"), "version");
		char s[512];
		snprintf(s, sizeof(s), "%s%s%s", n, json_is_string(v) ? " " : "",
			 json_is_string(v) ? json_string_value(v) : "");
		m->schema = xstrdup(s);
	} else {
		m->schema = dupfield(o, "schema");
	}
	m->http = num(o, "http_status");
	m->bytes = num(o, "bytes");
}

static double first_num(json_t *o, const char *a, const char *b)
{
	double v = num(o, a);
	return isnan(v) && b ? num(o, b) : v;
}

static void add_irow(json_t *o)
{
	struct irow *r;

	GROW(M.irows, M.nirows, M.capirows);
	r = &M.irows[M.nirows++];
	r->territory = dupfield(o, json_object_get(o, "territory") ? "territory" : "code");
	r->name = dupfield(o, "name");
	r->indicator = dupfield(o, "indicator");
	r->title = dupfield(o, has(o, cfg.fr ? "title_fr" : "title_en") ? (cfg.fr ? "title_fr" : "title_en")
								       : (cfg.fr ? "title_en" : "title_fr"));
	r->year = dupfield(o, "year");
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
		r->group = xstrdup(k);
	}
	r->percentile = num(o, "percentile");
	r->median = num(o, "peer_median");
	r->q1 = first_num(o, "peer_q1", "q1");
	r->q3 = first_num(o, "peer_q3", "q3");
	r->ratio = num(o, "ratio_to_median");
	r->change = num(o, "change");
	if (!isnan(r->rank) || !isnan(r->median) || !isnan(r->percentile))
		M.comparison = 1;
}

/* The report a compliance row points to: "report", or the first of "reports". */
static char *comp_report(json_t *o)
{
	json_t *v = json_object_get(o, "report"), *a;

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	a = json_object_get(o, "reports");
	if (!json_is_array(a))
		a = json_object_get(o, "files");
	v = json_array_get(a, 0);
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_object(v) && json_is_string(json_object_get(v, "path")))
		return xstrdup(json_string_value(json_object_get(v, "path")));
	return NULL;
}

static void add_comp(json_t *o)
{
	struct comp *c;
	json_t *ob = json_object_get(o, "obligated"), *pub;
	const char *g;
	char buf[64];

	GROW(M.comps, M.ncomps, M.capcomps);
	c = &M.comps[M.ncomps++];
	c->code = dupfield(o, json_object_get(o, "code") ? "code" : "territory");
	c->name = dupfield(o, "name");
	c->type = dupfield(o, "type");
	c->report = comp_report(o);
	c->last_update = dupfield(o, "last_update");
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

static struct table *table_for(json_t *o, const char *source)
{
	struct table *t = M.ntables ? &M.tables[M.ntables - 1] : NULL;
	const char *k;
	json_t *v;
	size_t i = 0;

	if (t && !strcmp(t->source, source) && fits(t, o))
		return t;
	GROW(M.tables, M.ntables, M.captables);
	t = &M.tables[M.ntables++];
	memset(t, 0, sizeof(*t));
	t->ncols = json_object_size(o);
	t->cols = xcalloc(t->ncols, sizeof(*t->cols));
	t->source = xstrdup(source);
	json_object_foreach(o, k, v)
		t->cols[i++] = xstrdup(k);
	return t;
}

static void add_table_row(json_t *o, const char *source)
{
	struct table *t = table_for(o, source);

	if (t->ncols == 0)
		return;
	if (t->nrows >= cfg.max_rows) {
		t->dropped++;
		return;
	}
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = xrealloc(t->cells, t->cap * t->ncols * sizeof(*t->cells));
	}
	for (size_t i = 0; i < t->ncols; i++) {
		json_t *v = json_object_get(o, t->cols[i]);
		char *d = NULL;
		if (json_is_object(v) || json_is_array(v))
			d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		t->cells[t->nrows * t->ncols + i] = d ? d : dupfield(o, t->cols[i]);
	}
	t->nrows++;
}

static void dispatch(json_t *o, odl_render_summary *sum, json_t *fixes, const char *source)
{
	enum kind k = cfg.kind ? cfg.kind : detect(o);

	/* an "errors" array was streamed by: a report, even without its counts */
	if (!cfg.kind && k == K_TABLE && sum && (json_object_get(o, "valid") || json_object_get(o, "path")))
		k = K_REPORT;
	switch (k) {
	case K_REPORT:
		add_report(o, sum, fixes);
		return;
	case K_MANIFEST:
		add_manifest(o);
		break;
	case K_INDICATOR:
		add_irow(o);
		break;
	case K_COMPLIANCE:
		add_comp(o);
		break;
	default:
		add_table_row(o, source);
	}
	odl_render_summary_free(sum);
}

/* ---- reading ------------------------------------------------------- */

struct reader {
	const char *path;
	json_t *cur;
	odl_render_summary *sum;
	json_t *fixes; /* how-to-fix texts met in this line's errors */
	/* CSV */
	char **header;
	size_t nheader;
};

static int on_member(void *ctx, const char *key, json_t *v, uint64_t line)
{
	struct reader *r = ctx;
	(void)line;
	json_object_set(r->cur, key, v);
	return 0;
}

static int on_error(void *ctx, const char *key, json_t *e, uint64_t line)
{
	struct reader *r = ctx;
	json_t *t;
	char b1[64], b2[64];
	double row, col;
	(void)key;
	(void)line;
	if (!json_is_object(e))
		return 0;
	if (!r->sum && !(r->sum = odl_render_summary_new(0, 3)))
		cli_die("out of memory");
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
		cli_die("out of memory");
	return 0;
}

static int on_end(void *ctx, uint64_t line)
{
	struct reader *r = ctx;
	(void)line;
	dispatch(r->cur, r->sum, r->fixes, r->path);
	r->sum = NULL;
	json_object_clear(r->cur);
	json_object_clear(r->fixes);
	return 0;
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct reader *r = ctx;
	size_t i;

	if (rec->is_header) {
		r->nheader = rec->ncells;
		r->header = xcalloc(rec->ncells, sizeof(*r->header));
		for (i = 0; i < rec->ncells; i++) {
			r->header[i] = xcalloc(rec->cells[i].len + 1, 1);
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
	dispatch(r->cur, NULL, NULL, r->path);
	json_object_clear(r->cur);
	return 0;
}

static int read_csv(struct reader *r, int fd, const unsigned char *head, size_t hlen)
{
	struct odl_csv_options opt;
	struct odl_error err;
	odl_csv *csv;
	unsigned char buf[65536];
	ssize_t n;
	int rc;

	odl_error_clear(&err);
	odl_csv_options_init(&opt);
	opt.name = r->path;
	opt.replace_invalid = 1;
	csv = odl_csv_new(&opt, on_record, r);
	if (!csv)
		cli_die("out of memory");
	rc = odl_csv_feed(csv, head, hlen, &err);
	while (rc == ODL_OK && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cli_error("'%s': read error: %s", r->path, strerror(errno));
			odl_csv_free(csv);
			return -1;
		}
		rc = odl_csv_feed(csv, buf, (size_t)n, &err);
	}
	if (rc == ODL_OK)
		rc = odl_csv_finish(csv, &err);
	odl_csv_free(csv);
	for (size_t i = 0; i < r->nheader; i++)
		free(r->header[i]);
	free(r->header);
	r->header = NULL;
	r->nheader = 0;
	if (rc != ODL_OK) {
		cli_error_odl(r->path, &err);
		return -1;
	}
	return 0;
}

static int read_ndjson(struct reader *r, int fd, const unsigned char *head, size_t hlen)
{
	static const char *const keys[] = { "errors", NULL };
	static const struct odl_render_jsonl_fns fns = { on_member, on_error, on_end };
	struct odl_error err;
	odl_render_jsonl *j = odl_render_jsonl_new(keys, 0, &fns, r, r->path);
	unsigned char buf[65536];
	ssize_t n;
	int rc;

	if (!j)
		cli_die("out of memory");
	odl_error_clear(&err);
	rc = odl_render_jsonl_feed(j, head, hlen, &err);
	while (rc == ODL_OK && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cli_error("'%s': read error: %s", r->path, strerror(errno));
			odl_render_jsonl_free(j);
			return -1;
		}
		rc = odl_render_jsonl_feed(j, buf, (size_t)n, &err);
	}
	if (rc == ODL_OK)
		rc = odl_render_jsonl_finish(j, &err);
	odl_render_jsonl_free(j);
	odl_render_summary_free(r->sum);
	r->sum = NULL;
	if (rc != ODL_OK) {
		cli_error_odl(r->path, &err);
		return -1;
	}
	return 0;
}

/* NDJSON when the first non-blank byte opens an object, CSV otherwise. */
static int read_input(const char *path)
{
	struct reader r;
	unsigned char head[4096];
	size_t hlen = 0, i;
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	int rc;

	if (fd < 0) {
		cli_error("'%s': cannot open: %s", path, strerror(errno));
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.path = path;
	r.cur = json_object();
	r.fixes = json_object();
	for (;;) {
		ssize_t n = read(fd, head + hlen, sizeof(head) - hlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cli_error("'%s': read error: %s", path, strerror(errno));
			rc = -1;
			goto out;
		}
		hlen += (size_t)n;
		for (i = 0; i < hlen && strchr(" \t\r\n", head[i]); i++)
			;
		if (n == 0 || i < hlen || hlen == sizeof(head))
			break;
	}
	if (i < hlen && head[i] == '{')
		rc = read_ndjson(&r, fd, head, hlen);
	else if (cfg.kind == K_REPORT)
		rc = (cli_error("'%s': validation reports are read from NDJSON", path), -1);
	else
		rc = read_csv(&r, fd, head, hlen);
out:
	json_decref(r.cur);
	json_decref(r.fixes);
	if (fd > 0)
		close(fd);
	return rc;
}

/* ---- document structure -------------------------------------------- */

static FILE *out;

static void heading(int level, const char *text)
{
	switch (cfg.fmt) {
	case ODL_FMT_TEXT: {
		size_t n, w;
		char *c = odl_render_term_clean(text, strlen(text), &n);
		if (!c)
			cli_die("out of memory");
		w = odl_render_width(c, n);
		fprintf(out, "%s%s\n", level > 1 ? "\n" : "", c);
		if (level <= 2) {
			for (size_t i = 0; i < w; i++)
				fputc(level == 1 ? '=' : '-', out);
			fputc('\n', out);
		}
		free(c);
		break;
	}
	case ODL_FMT_MARKDOWN:
		fprintf(out, "%s%.*s ", level > 1 ? "\n" : "", level, "####");
		odl_render_md(out, text, strlen(text));
		fputc('\n', out);
		break;
	case ODL_FMT_HTML:
		fprintf(out, "<h%d>", level);
		odl_render_html_str(out, text);
		fprintf(out, "</h%d>\n", level);
		break;
	default:
		break;
	}
}

/* A paragraph of plain text (never for CSV or SVG). */
static void para(const char *cls, const char *text)
{
	switch (cfg.fmt) {
	case ODL_FMT_TEXT: {
		char *c = odl_render_term_clean(text, strlen(text), NULL);
		if (!c)
			cli_die("out of memory");
		fprintf(out, "%s\n", c);
		free(c);
		break;
	}
	case ODL_FMT_MARKDOWN:
		fputc('\n', out);
		odl_render_md(out, text, strlen(text));
		fputc('\n', out);
		break;
	case ODL_FMT_HTML:
		fprintf(out, "<p%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
		odl_render_html_str(out, text);
		fputs("</p>\n", out);
		break;
	default:
		break;
	}
}

static void table(const char *caption, const char *id, const struct odl_render_col *cols,
		  size_t ncols, size_t nrows, odl_render_row_fn fn, void *ctx, int sortable)
{
	struct odl_render_table_opts o;
	int rc;

	odl_render_table_opts_init(&o);
	o.caption = caption;
	o.id = id;
	o.sortable = sortable;
	o.max_width = cfg.width;
	o.color = cfg.color;
	if (cfg.fmt == ODL_FMT_TEXT || cfg.fmt == ODL_FMT_MARKDOWN)
		fputc('\n', out);
	rc = odl_render_table_write(out, cfg.fmt, cols, ncols, nrows, fn, ctx, &o);
	if (rc != ODL_OK)
		cli_write_failed(out); /* a closed pipe, a full disk */
}

static int csv_tables; /* CSV: tables written so far, separated by a blank line */

static void csv_begin(void)
{
	if (csv_tables++)
		fputc('\n', out);
}

/* ---- compliance dashboard ------------------------------------------ */

static const char *report_anchor(const char *path)
{
	static char buf[32];
	for (size_t i = 0; path && i < M.nreports; i++)
		if (strcmp(M.reports[i].path, path) == 0) {
			snprintf(buf, sizeof(buf), "#rapport-%zu", i + 1);
			return buf;
		}
	return NULL;
}

static const char *comp_link(const struct comp *c)
{
	static char buf[1024];
	const char *a, *p;
	size_t o = 0;

	if ((a = report_anchor(c->report)))
		return cfg.fmt == ODL_FMT_HTML ? a : c->report;
	if (!cfg.link)
		return c->report;
	for (p = cfg.link; *p && o + 1 < sizeof(buf); p++) {
		if (strncmp(p, "{code}", 6) == 0) {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", c->code);
			if (o >= sizeof(buf))
				o = sizeof(buf) - 1;
			p += 5;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = 0;
	return buf;
}

static const char *obligated_text(int o)
{
	if (cfg.fmt == ODL_FMT_CSV)
		return o == 1 ? "true" : o == 0 ? "false" : o == -1 ? "unknown-agents" : "";
	switch (o) {
	case 1: return L("oui", "yes");
	case 0: return L("non", "no");
	case -1: return L("agents inconnus", "unknown agents");
	}
	return "";
}

static int publishing(const struct comp *c)
{
	return c->published > 0 || c->datasets > 0 || c->resources > 0;
}

static int comp_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	const struct comp *c = &((const struct comp *)ctx)[i];
	static char grade[2];

	cells[0].text = c->code;
	cells[0].href = comp_link(c);
	cells[1].text = c->name;
	cells[2].text = c->type;
	cells[3].text = fmtnum(c->population, 0);
	cells[3].num = c->population;
	cells[4].text = fmtnum(c->agents, -1);
	cells[4].num = c->agents;
	cells[5].text = obligated_text(c->obligated);
	cells[6].text = fmtnum(isnan(c->datasets) ? c->published : c->datasets, -1);
	cells[6].num = isnan(c->datasets) ? c->published : c->datasets;
	cells[7].text = fmtnum(c->valid, -1);
	cells[7].num = c->valid;
	cells[8].text = fmtnum(c->days, 0);
	cells[8].num = c->days;
	grade[0] = c->grade;
	cells[9].text = grade;
	if (cfg.focus && strcmp(cfg.focus, c->code) == 0)
		*flags = ODL_ROW_FOCUS;
	return 0;
}

struct grade_count {
	char label[32];
	double n;
};

static int grade_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	struct grade_count *g = ctx;
	(void)flags;
	cells[0].text = g[i].label;
	cells[1].text = fmtnum(g[i].n, 0);
	cells[1].num = g[i].n;
	return 0;
}

static size_t grades(struct grade_count g[6])
{
	size_t n = 0;
	for (int k = 0; k < 6; k++) {
		snprintf(g[k].label, sizeof(g[k].label), "%s", k < 5 ? (char[]){ (char)('A' + k), 0 }
								: L("sans note", "no grade"));
		g[k].n = 0;
	}
	for (size_t i = 0; i < M.ncomps; i++)
		g[M.comps[i].grade ? M.comps[i].grade - 'A' : 5].n++;
	n = g[5].n > 0 ? 6 : 5;
	return n;
}

static void grade_chart(FILE *f, int standalone)
{
	struct grade_count g[6];
	struct odl_render_bar bars[6];
	size_t n = grades(g);
	struct odl_render_chart c = { L("Collectivités par note", "Territories by grade"), cfg.lang, NAN,
				      NULL, 560, standalone };

	for (size_t i = 0; i < n; i++) {
		bars[i].label = g[i].label;
		bars[i].value = g[i].n;
		bars[i].highlight = 0;
	}
	odl_render_svg_bars(f, &c, bars, n);
}

static void view_compliance(void)
{
	static const struct odl_render_col gcols[] = { { "Note", ODL_ALIGN_LEFT },
						       { "Collectivités", ODL_ALIGN_RIGHT } };
	static const struct odl_render_col gcols_en[] = { { "Grade", ODL_ALIGN_LEFT },
							  { "Territories", ODL_ALIGN_RIGHT } };
	const struct odl_render_col cols[] = {
		{ "Code", ODL_ALIGN_LEFT }, { L("Nom", "Name"), ODL_ALIGN_LEFT },
		{ "Type", ODL_ALIGN_LEFT }, { "Population", ODL_ALIGN_RIGHT },
		{ L("Agents", "Agents"), ODL_ALIGN_RIGHT }, { L("Obligée", "Obligated"), ODL_ALIGN_LEFT },
		{ L("Jeux publiés", "Datasets"), ODL_ALIGN_RIGHT },
		{ L("Fichiers valides", "Valid files"), ODL_ALIGN_RIGHT },
		{ L("Jours depuis la mise à jour", "Days since update"), ODL_ALIGN_RIGHT },
		{ "Note", ODL_ALIGN_LEFT },
	};
	size_t obligated = 0, unknown = 0, pub = 0, valid = 0, i;
	struct grade_count g[6];
	size_t ng;
	char line[512];

	if (cfg.fmt == ODL_FMT_CSV) {
		csv_begin();
		table(NULL, NULL, cols, 10, M.ncomps, comp_row, M.comps, 0);
		return;
	}
	for (i = 0; i < M.ncomps; i++) {
		obligated += M.comps[i].obligated == 1;
		unknown += M.comps[i].obligated == -1;
		pub += publishing(&M.comps[i]);
		valid += M.comps[i].valid > 0;
	}
	heading(2, L("Tableau de bord de l'ouverture des données", "Open data compliance dashboard"));
	if (cfg.fmt == ODL_FMT_HTML) {
		fprintf(out, "<ul class=\"cards\">\n<li><b>%s</b>%s</li>\n<li><b>%s</b>%s</li>\n",
			fmtint(M.ncomps), L("collectivités", "territories"), fmtint(obligated),
			L("soumises à l'obligation", "under the obligation"));
		if (unknown)
			fprintf(out, "<li><b>%s</b>%s</li>\n", fmtint(unknown),
				L("effectif d'agents inconnu", "agents unknown"));
		fprintf(out, "<li><b>%s</b>%s</li>\n<li><b>%s</b>%s</li>\n</ul>\n", fmtint(pub),
			L("publient des données", "publish data"), fmtint(valid),
			L("ont au moins un fichier valide", "have a valid file"));
	} else {
		snprintf(line, sizeof(line), L("%s collectivités, %s soumises à l'obligation%s%s%s, %s publient des données, %s ont au moins un fichier valide",
					       "%s territories, %s under the obligation%s%s%s, %s publish data, %s have a valid file"),
			 fmtint(M.ncomps), fmtint(obligated), unknown ? " (" : "",
			 unknown ? fmtint(unknown) : "",
			 unknown ? L(" à l'effectif d'agents inconnu)", " with unknown agents)") : "",
			 fmtint(pub), fmtint(valid));
		para(NULL, line);
	}
	ng = grades(g);
	heading(3, L("Répartition par note", "Grades"));
	if (cfg.fmt == ODL_FMT_HTML) {
		fputs("<div class=\"pair\"><figure>\n", out);
		grade_chart(out, 0);
		fputs("</figure>\n", out);
	}
	table(cfg.fmt == ODL_FMT_HTML ? L("Collectivités par note", "Territories by grade") : NULL,
	      NULL, cfg.fr ? gcols : gcols_en, 2, ng, grade_row, g, 0);
	if (cfg.fmt == ODL_FMT_HTML)
		fputs("</div>\n", out);
	heading(3, L("Toutes les collectivités", "All territories"));
	table(cfg.fmt == ODL_FMT_HTML ? L("Collectivités, obligation et publication", "Territories, obligation and publication") : NULL,
	      "collectivites", cols, 10, M.ncomps, comp_row, M.comps, 1);
}

/* ---- comparison and indicators ------------------------------------- */

struct ind_view {
	size_t *idx;   /* rows of one indicator and year, ranked */
	size_t n;
	int cmp;
};

/* Charts show the value the rank and the peer median are about; the
 * per-inhabitant figure, when a row has one, is a column of the table. */
static double shown_value(const struct irow *r)
{
	return isnan(r->value) ? r->per_value : r->value;
}

static int is_focus(const struct irow *r)
{
	return cfg.focus && strcmp(cfg.focus, r->territory) == 0;
}

static int by_rank(const void *a, const void *b)
{
	const struct irow *x = &M.irows[*(const size_t *)a], *y = &M.irows[*(const size_t *)b];
	double vx, vy;

	if (!isnan(x->rank) && !isnan(y->rank) && x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	vx = shown_value(x);
	vy = shown_value(y);
	if (isnan(vx) != isnan(vy))
		return isnan(vx) ? 1 : -1;
	if (!isnan(vx) && vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(x->territory, y->territory);
}

static int irow_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	struct ind_view *v = ctx;
	const struct irow *r = &M.irows[v->idx[i]];
	size_t c = 0;

	if (v->cmp) {
		cells[c].text = fmtnum(r->rank, 0);
		cells[c++].num = r->rank;
	}
	cells[c++].text = r->territory;
	cells[c++].text = r->name;
	if (!v->cmp) {
		cells[c++].text = r->indicator;
	}
	cells[c++].text = r->year;
	cells[c].text = fmtnum(r->value, -1);
	cells[c++].num = r->value;
	if (v->cmp) {
		cells[c].text = fmtnum(r->per_value, -1);
		cells[c++].num = r->per_value;
		cells[c].text = fmtnum(r->peers, 0);
		cells[c++].num = r->peers;
		cells[c].text = fmtnum(r->percentile, -1);
		cells[c++].num = r->percentile;
		cells[c].text = fmtnum(r->median, -1);
		cells[c++].num = r->median;
		cells[c].text = fmtnum(r->q1, -1);
		cells[c++].num = r->q1;
		cells[c].text = fmtnum(r->q3, -1);
		cells[c++].num = r->q3;
		cells[c].text = fmtnum(r->ratio, 2);
		cells[c++].num = r->ratio;
		cells[c].text = fmtnum(r->change, -1);
		cells[c++].num = r->change;
	} else {
		cells[c].text = fmtnum(r->denominator, -1);
		cells[c++].num = r->denominator;
		cells[c].text = fmtnum(r->per, 0);
		cells[c++].num = r->per;
		cells[c].text = fmtnum(r->n_rows, 0);
		cells[c++].num = r->n_rows;
	}
	if (is_focus(r))
		*flags = ODL_ROW_FOCUS;
	return 0;
}

static size_t irow_cols(int cmp, struct odl_render_col *cols)
{
	size_t n = 0;

	if (cmp)
		cols[n++] = (struct odl_render_col){ L("Rang", "Rank"), ODL_ALIGN_RIGHT };
	cols[n++] = (struct odl_render_col){ L("Territoire", "Territory"), ODL_ALIGN_LEFT };
	cols[n++] = (struct odl_render_col){ L("Nom", "Name"), ODL_ALIGN_LEFT };
	if (!cmp)
		cols[n++] = (struct odl_render_col){ L("Indicateur", "Indicator"), ODL_ALIGN_LEFT };
	cols[n++] = (struct odl_render_col){ L("Année", "Year"), ODL_ALIGN_LEFT };
	cols[n++] = (struct odl_render_col){ L("Valeur", "Value"), ODL_ALIGN_RIGHT };
	if (cmp) {
		cols[n++] = (struct odl_render_col){ L("Par habitant", "Per inhabitant"), ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ L("Pairs", "Peers"), ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ L("Centile", "Percentile"), ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ L("Médiane des pairs", "Peer median"), ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ "Q1", ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ "Q3", ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ L("Rapport à la médiane", "Ratio to median"), ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ L("Évolution", "Change"), ODL_ALIGN_RIGHT };
	} else {
		cols[n++] = (struct odl_render_col){ L("Dénominateur", "Denominator"), ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ L("Pour", "Per"), ODL_ALIGN_RIGHT };
		cols[n++] = (struct odl_render_col){ L("Lignes", "Rows"), ODL_ALIGN_RIGHT };
	}
	return n;
}

/* Bars: the first cfg.top ranked rows; the focus replaces the last one when further down. */
static size_t chart_rows(const struct ind_view *v, size_t *sel)
{
	size_t n = v->n < cfg.top ? v->n : cfg.top, i, focus = (size_t)-1;

	for (i = 0; i < n; i++)
		sel[i] = v->idx[i];
	for (i = n; i < v->n; i++)
		if (is_focus(&M.irows[v->idx[i]]))
			focus = v->idx[i];
	if (focus != (size_t)-1 && n > 0)
		sel[n - 1] = focus;
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median_of(const struct ind_view *v)
{
	const struct irow *f = NULL;
	double *vals, m;
	size_t n = 0, i;

	for (i = 0; i < v->n; i++)
		if (is_focus(&M.irows[v->idx[i]]))
			f = &M.irows[v->idx[i]];
	if (!f && v->n)
		f = &M.irows[v->idx[0]];
	if (f && !isnan(f->median))
		return f->median;
	vals = xcalloc(v->n, sizeof(*vals));
	for (i = 0; i < v->n; i++) {
		double x = shown_value(&M.irows[v->idx[i]]);
		if (!isnan(x))
			vals[n++] = x;
	}
	qsort(vals, n, sizeof(*vals), cmp_double);
	m = n == 0 ? NAN : n % 2 ? vals[n / 2] : (vals[n / 2 - 1] + vals[n / 2]) / 2;
	free(vals);
	return m;
}

/* The indicator's title in the report's language, or its id when the
 * rows carry none (the tables show the id in any case). */
static const char *indicator_name(const char *ind)
{
	for (size_t i = 0; i < M.nirows; i++)
		if (strcmp(M.irows[i].indicator, ind) == 0 && *M.irows[i].title)
			return M.irows[i].title;
	return ind;
}

/* "Montant par habitant en 2024" */
static void chart_title(char *buf, size_t size, const char *ind, const char *year)
{
	snprintf(buf, size, "%s %s %s", indicator_name(ind), L("en", "in"), year);
}

static void ranking_chart(FILE *f, const struct ind_view *v, const char *ind, const char *year,
			  int standalone)
{
	size_t *sel = xcalloc(cfg.top, sizeof(*sel)), n = chart_rows(v, sel), i;
	struct odl_render_bar *bars = xcalloc(n, sizeof(*bars));
	char title[512];
	struct odl_render_chart c = { title, cfg.lang, median_of(v), L("médiane", "median"), 0, standalone };

	chart_title(title, sizeof(title), ind, year);
	for (i = 0; i < n; i++) {
		const struct irow *r = &M.irows[sel[i]];
		bars[i].label = *r->name ? r->name : r->territory;
		bars[i].value = shown_value(r);
		bars[i].highlight = is_focus(r);
	}
	odl_render_svg_bars(f, &c, bars, n);
	free(bars);
	free(sel);
}

struct series_ctx {
	const char **years;
	double *focus, *median;
	size_t n;
};

static int series_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	struct series_ctx *s = ctx;
	(void)flags;
	cells[0].text = s->years[i];
	cells[1].text = fmtnum(s->focus[i], -1);
	cells[1].num = s->focus[i];
	cells[2].text = fmtnum(s->median[i], -1);
	cells[2].num = s->median[i];
	return 0;
}

static int by_year(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The focus territory over the years, beside its peers' median. */
static void time_series(const char *ind, const char *focus)
{
	struct series_ctx s = { NULL, NULL, NULL, 0 };
	size_t i, k;
	const char *name = focus;

	s.years = xcalloc(M.nirows, sizeof(*s.years));
	for (i = 0; i < M.nirows; i++) {
		const struct irow *r = &M.irows[i];
		if (strcmp(r->indicator, ind) || strcmp(r->territory, focus))
			continue;
		for (k = 0; k < s.n && strcmp(s.years[k], r->year); k++)
			;
		if (k == s.n)
			s.years[s.n++] = r->year;
	}
	if (s.n > 1) {
		qsort(s.years, s.n, sizeof(*s.years), by_year);
		s.focus = xcalloc(s.n, sizeof(double));
		s.median = xcalloc(s.n, sizeof(double));
		for (k = 0; k < s.n; k++)
			s.focus[k] = s.median[k] = NAN;
		for (i = 0; i < M.nirows; i++) {
			const struct irow *r = &M.irows[i];
			if (strcmp(r->indicator, ind) || strcmp(r->territory, focus))
				continue;
			for (k = 0; k < s.n && strcmp(s.years[k], r->year); k++)
				;
			s.focus[k] = shown_value(r);
			s.median[k] = r->median;
			if (*r->name)
				name = r->name;
		}
		char title[512];
		snprintf(title, sizeof(title), "%s : %s, %s–%s", indicator_name(ind), name, s.years[0],
			 s.years[s.n - 1]);
		struct odl_render_col cols[3] = { { L("Année", "Year"), ODL_ALIGN_LEFT },
						  { name, ODL_ALIGN_RIGHT },
						  { L("Médiane des pairs", "Peer median"), ODL_ALIGN_RIGHT } };
		heading(4, title);
		if (cfg.fmt == ODL_FMT_HTML) {
			struct odl_render_series ser[2] = { { name, s.focus, 1 },
							    { L("médiane des pairs", "peer median"), s.median, 0 } };
			fputs("<div class=\"pair\"><figure>\n", out);
			odl_render_svg_lines(out, &(struct odl_render_chart){ title, cfg.lang, NAN, NULL, 0, 0 },
					     s.years, s.n, ser, 2);
			fputs("</figure>\n", out);
		}
		table(cfg.fmt == ODL_FMT_HTML ? title : NULL, NULL, cols, 3, s.n, series_row, &s, 0);
		if (cfg.fmt == ODL_FMT_HTML)
			fputs("</div>\n", out);
		free(s.focus);
		free(s.median);
	}
	free(s.years);
}

struct chart_ctx {
	size_t *sel;
	size_t n;
};

static int chart_table_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	struct chart_ctx *c = ctx;
	const struct irow *r = &M.irows[c->sel[i]];
	cells[0].text = *r->name ? r->name : r->territory;
	cells[1].text = fmtnum(shown_value(r), -1);
	cells[1].num = shown_value(r);
	if (is_focus(r))
		*flags = ODL_ROW_FOCUS;
	return 0;
}

/* Indicators in order of first appearance, each with the year shown. */
static size_t indicator_list(const char ***inds)
{
	size_t n = 0, i, k;
	*inds = xcalloc(M.nirows + 1, sizeof(**inds));
	for (i = 0; i < M.nirows; i++) {
		if (cfg.indicator && strcmp(cfg.indicator, M.irows[i].indicator))
			continue;
		for (k = 0; k < n && strcmp((*inds)[k], M.irows[i].indicator); k++)
			;
		if (k == n)
			(*inds)[n++] = M.irows[i].indicator;
	}
	return n;
}

static const char *year_of(const char *ind)
{
	const char *best = NULL;
	if (cfg.year)
		return cfg.year;
	for (size_t i = 0; i < M.nirows; i++)
		if (!strcmp(M.irows[i].indicator, ind) &&
		    (!best || strcmp(M.irows[i].year, best) > 0))
			best = M.irows[i].year;
	return best ? best : "";
}

static void build_view(struct ind_view *v, const char *ind, const char *year)
{
	v->idx = xcalloc(M.nirows, sizeof(*v->idx));
	v->n = 0;
	v->cmp = M.comparison;
	for (size_t i = 0; i < M.nirows; i++)
		if (!strcmp(M.irows[i].indicator, ind) && !strcmp(M.irows[i].year, year))
			v->idx[v->n++] = i;
	/* a focus territory is ranked among its own peers, not beside other
	 * groups' rows that odl-compare ranked separately */
	for (size_t i = 0; i < v->n; i++) {
		const struct irow *f = &M.irows[v->idx[i]];
		if (is_focus(f)) {
			size_t n = 0;
			for (size_t j = 0; j < v->n; j++)
				if (!strcmp(M.irows[v->idx[j]].group, f->group))
					v->idx[n++] = v->idx[j];
			v->n = n;
			break;
		}
	}
	qsort(v->idx, v->n, sizeof(*v->idx), by_rank);
}

static void view_indicators(void)
{
	struct odl_render_col cols[16];
	size_t ncols = irow_cols(M.comparison, cols), nind, k;
	const char **inds;

	nind = indicator_list(&inds);
	if (cfg.fmt == ODL_FMT_CSV) {
		/* the rows as they are, for every year */
		struct ind_view all = { xcalloc(M.nirows, sizeof(size_t)), 0, M.comparison };
		for (size_t i = 0; i < M.nirows; i++)
			if (!cfg.indicator || !strcmp(cfg.indicator, M.irows[i].indicator))
				all.idx[all.n++] = i;
		csv_begin();
		table(NULL, NULL, cols, ncols, all.n, irow_row, &all, 0);
		free(all.idx);
		free(inds);
		return;
	}
	heading(2, M.comparison ? L("Comparaison avec les pairs", "Comparison with peers")
				: L("Indicateurs", "Indicators"));
	for (k = 0; k < nind; k++) {
		const char *year = year_of(inds[k]);
		struct ind_view v;
		char title[512];

		build_view(&v, inds[k], year);
		chart_title(title, sizeof(title), inds[k], year);
		heading(3, title);
		if (cfg.fmt == ODL_FMT_HTML && v.n) {
			struct chart_ctx cc;
			struct odl_render_col ccols[2] = { { L("Territoire", "Territory"), ODL_ALIGN_LEFT },
							   { L("Valeur", "Value"), ODL_ALIGN_RIGHT } };
			cc.sel = xcalloc(cfg.top, sizeof(size_t));
			cc.n = chart_rows(&v, cc.sel);
			fputs("<div class=\"pair\"><figure>\n", out);
			ranking_chart(out, &v, inds[k], year, 0);
			fputs("</figure>\n", out);
			table(title, NULL, ccols, 2, cc.n, chart_table_row, &cc, 0);
			fputs("</div>\n", out);
			free(cc.sel);
			if (v.n > cc.n) {
				char note[256];
				snprintf(note, sizeof(note), L("Le graphique montre %s territoires sur %s ; le tableau complet suit.",
							       "The chart shows %s territories of %s; the full table follows."),
					 fmtint(cc.n), fmtint(v.n));
				para("note", note);
			}
			if (!isnan(median_of(&v))) {
				char note[256];
				snprintf(note, sizeof(note), L("Médiane des pairs : %s.", "Peer median: %s."),
					 fmtnum(median_of(&v), -1));
				para("note", note);
			}
		}
		table(cfg.fmt == ODL_FMT_HTML ? L("Tableau complet", "Full table") : NULL, NULL, cols, ncols,
		      v.n, irow_row, &v, 1);
		if (cfg.focus)
			time_series(inds[k], cfg.focus);
		free(v.idx);
	}
	free(inds);
}

/* ---- validation reports -------------------------------------------- */

struct count_row {
	const char *code;
	double n;
};

static int count_row_fn(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	struct count_row *c = ctx;
	(void)flags;
	cells[0].text = c[i].code;
	cells[1].text = odl_render_code_title(c[i].code, cfg.lang);
	cells[2].text = fmtnum(c[i].n, 0);
	cells[2].num = c[i].n;
	return 0;
}

static int by_count_desc(const void *a, const void *b)
{
	const struct count_row *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->code, y->code);
}

static size_t count_rows(const struct report *r, struct count_row **out_rows)
{
	size_t n = 0;
	const char *k;
	json_t *v;
	struct count_row *c = xcalloc(json_object_size(r->counts), sizeof(*c));

	json_object_foreach(r->counts, k, v) {
		c[n].code = k;
		c[n++].n = json_number_value(v);
	}
	qsort(c, n, sizeof(*c), by_count_desc);
	*out_rows = c;
	return n;
}

static void counts_chart(FILE *f, const struct report *r, int standalone)
{
	struct count_row *c;
	size_t n = count_rows(r, &c);
	struct odl_render_bar *bars = xcalloc(n, sizeof(*bars));
	char title[512];
	struct odl_render_chart ch = { title, cfg.lang, NAN, NULL, 0, standalone };

	snprintf(title, sizeof(title), L("Erreurs par code : %s", "Errors by code: %s"), r->path);
	for (size_t i = 0; i < n; i++) {
		bars[i].label = c[i].code;
		bars[i].value = c[i].n;
	}
	odl_render_svg_bars(f, &ch, bars, n);
	free(bars);
	free(c);
}

static int example_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	const struct odl_render_group *g = ctx;
	const struct odl_render_example *e = &g->examples[i];
	(void)flags;
	cells[0].text = e->row ? fmtint(e->row) : "";
	cells[0].num = e->row ? (double)e->row : NAN;
	cells[1].text = e->column ? fmtint(e->column) : "";
	cells[1].num = e->column ? (double)e->column : NAN;
	cells[2].text = !e->cell ? "" : *e->cell ? e->cell : L("(vide)", "(empty)");
	cells[3].text = e->message ? e->message : "";
	return 0;
}

struct csv_report_ctx {
	const struct report *r;
};

static void verdict(const struct report *r, char *buf, size_t size)
{
	char schema[600];

	if (*r->schema)
		snprintf(schema, sizeof(schema), "%s %s%s%s", L("schéma", "schema"), r->schema,
			 *r->version ? " " : "", r->version);
	else
		snprintf(schema, sizeof(schema), "%s", L("schéma inconnu", "unknown schema"));
	snprintf(buf, size, "%s (%s, %s %s, %s %s)",
		 r->valid == 1 ? L("valide", "valid") : r->valid == 0 ? L("invalide", "invalid")
								      : L("verdict inconnu", "no verdict"),
		 schema, fmtnum(r->rows, 0), L("lignes", "rows"), fmtnum(r->error_count, 0),
		 L("erreurs", "errors"));
}

static const char *warning_code(json_t *w)
{
	json_t *t = json_object_get(w, "type");

	if (!json_is_string(t))
		t = json_object_get(w, "code");
	return json_is_string(t) ? json_string_value(t) : NULL;
}

static void list_item(const char *s)
{
	char line[1200];

	if (cfg.fmt == ODL_FMT_HTML) {
		fputs("<li>", out);
		odl_render_html_str(out, s);
		fputs("</li>\n", out);
	} else {
		snprintf(line, sizeof(line), "- %s", s);
		para(NULL, line);
	}
}

static void list(int open)
{
	if (cfg.fmt == ODL_FMT_HTML)
		fputs(open ? "<ul>\n" : "</ul>\n", out);
}

/* A warning's own words: its message, else its column, else nothing. */
static const char *warning_text(json_t *w, char **dump)
{
	json_t *m = json_object_get(w, "message");

	*dump = NULL;
	if (json_is_string(w))
		return json_string_value(w);
	if (json_is_string(m))
		return json_string_value(m);
	m = json_object_get(w, "field");
	if (!json_is_string(m))
		m = json_object_get(w, "fieldName");
	if (json_is_string(m))
		return json_string_value(m);
	if (warning_code(w))
		return NULL;
	*dump = json_dumps(w, JSON_COMPACT | JSON_ENCODE_ANY);
	return *dump ? *dump : "";
}

/* The first how-to-fix text a warning of this code carries itself, as for errors. */
static const char *own_fix(json_t *warnings, const char *code)
{
	size_t i;
	json_t *w;

	json_array_foreach(warnings, i, w) {
		if (!warning_code(w) || strcmp(warning_code(w), code) != 0)
			continue;
		for (const char *const *k = (const char *const[]){ "how_to_fix", "fix", "hint", NULL }; *k; k++)
			if (json_is_string(json_object_get(w, *k)))
				return json_string_value(json_object_get(w, *k));
	}
	return NULL;
}

/*
 * Warnings grouped by code in the order they first appear, each code with
 * its catalogue texts once; warnings without a code (plain strings) first.
 * At most MAX_WARNINGS are kept, so the quadratic grouping stays small.
 */
static void report_warnings(const struct report *r)
{
	size_t i, j, n = json_array_size(r->warnings);
	json_t *w;
	char line[1200], *dump;
	const char *s, *fix, *title;
	int any = 0;

	heading(4, L("Avertissements", "Warnings"));
	json_array_foreach(r->warnings, i, w) {
		if (warning_code(w))
			continue;
		if (!any++)
			list(1);
		s = warning_text(w, &dump);
		list_item(s);
		free(dump);
	}
	if (any)
		list(0);
	for (i = 0; i < n; i++) {
		const char *code = warning_code(json_array_get(r->warnings, i));
		size_t count = 0;
		if (!code)
			continue;
		for (j = 0; j < i; j++)
			if (warning_code(json_array_get(r->warnings, j)) &&
			    strcmp(warning_code(json_array_get(r->warnings, j)), code) == 0)
				break;
		if (j < i)
			continue;
		for (j = i; j < n; j++)
			count += warning_code(json_array_get(r->warnings, j)) &&
				 strcmp(warning_code(json_array_get(r->warnings, j)), code) == 0;
		title = odl_render_code_title(code, cfg.lang);
		if (strcmp(title, code) == 0)
			snprintf(line, sizeof(line), L("%s : %zu %s", "%s: %zu %s"), code, count,
				 count > 1 ? L("avertissements", "warnings") : L("avertissement", "warning"));
		else
			snprintf(line, sizeof(line), L("%s (%s) : %zu %s", "%s (%s): %zu %s"), title, code, count,
				 count > 1 ? L("avertissements", "warnings") : L("avertissement", "warning"));
		heading(4, line);
		if (odl_render_code_explanation(code, cfg.lang))
			para(NULL, odl_render_code_explanation(code, cfg.lang));
		fix = own_fix(r->warnings, code);
		if (fix || odl_message_get(code, cfg.lang)) {
			snprintf(line, sizeof(line), "%s %s", L("Comment corriger :", "How to fix:"),
				 fix ? fix : odl_render_code_fix(code, cfg.lang));
			para(NULL, line);
		}
		any = 0;
		for (j = i; j < n; j++) {
			w = json_array_get(r->warnings, j);
			if (!warning_code(w) || strcmp(warning_code(w), code) != 0)
				continue;
			s = warning_text(w, &dump);
			if (!s)
				continue;
			if (!any++)
				list(1);
			list_item(s);
			free(dump);
		}
		if (any)
			list(0);
	}
}

static void view_report(size_t idx)
{
	static const struct odl_render_col ecols_fr[] = { { "Ligne", ODL_ALIGN_RIGHT }, { "Colonne", ODL_ALIGN_RIGHT },
							  { "Cellule", ODL_ALIGN_LEFT }, { "Message", ODL_ALIGN_LEFT } };
	static const struct odl_render_col ecols_en[] = { { "Row", ODL_ALIGN_RIGHT }, { "Column", ODL_ALIGN_RIGHT },
							  { "Cell", ODL_ALIGN_LEFT }, { "Message", ODL_ALIGN_LEFT } };
	const struct odl_render_col ccols[] = { { "Code", ODL_ALIGN_LEFT },
						{ L("Signification", "Meaning"), ODL_ALIGN_LEFT },
						{ L("Erreurs", "Errors"), ODL_ALIGN_RIGHT } };
	const struct report *r = &M.reports[idx];
	struct count_row *c;
	size_t nc = count_rows(r, &c), g;
	char line[1200];

	if (cfg.fmt == ODL_FMT_HTML)
		fprintf(out, "<section id=\"rapport-%zu\">\n", idx + 1);
	heading(3, r->path);
	verdict(r, line, sizeof(line));
	if (cfg.fmt == ODL_FMT_HTML) {
		fprintf(out, "<p class=\"%s\">%s</p>\n", r->valid == 1 ? "ok" : "ko",
			r->valid == 1 ? L("✔ Fichier valide", "✔ Valid file")
				      : r->valid == 0 ? L("✘ Fichier invalide", "✘ Invalid file")
						      : L("Verdict inconnu", "No verdict"));
	}
	para(NULL, line);
	if (r->complete == 0 || (r->sum && odl_render_summary_total(r->sum) < r->error_count)) {
		snprintf(line, sizeof(line),
			 L("Le rapport ne détaille que %s erreurs sur %s (limite fixée à la validation).",
			   "The report details only %s errors of %s (a limit set at validation)."),
			 fmtint(odl_render_summary_total(r->sum)), fmtnum(r->error_count, 0));
		para("note", line);
	}
	if (nc) {
		if (cfg.fmt == ODL_FMT_HTML) {
			fputs("<div class=\"pair\"><figure>\n", out);
			counts_chart(out, r, 0);
			fputs("</figure>\n", out);
		}
		table(cfg.fmt == ODL_FMT_HTML ? L("Erreurs par code", "Errors by code") : NULL, NULL, ccols, 3,
		      nc, count_row_fn, c, 0);
		if (cfg.fmt == ODL_FMT_HTML)
			fputs("</div>\n", out);
	}
	free(c);
	for (g = 0; g < odl_render_summary_ngroups(r->sum); g++) {
		const struct odl_render_group *gr = odl_render_summary_group(r->sum, g);
		char title[700];
		if (*gr->field)
			snprintf(title, sizeof(title), "%s — %s « %s » : %s %s", odl_render_code_title(gr->type, cfg.lang),
				 L("colonne", "column"), gr->field, fmtint(gr->count),
				 gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		else if (strcmp(odl_render_code_title(gr->type, cfg.lang), gr->type) == 0)
			snprintf(title, sizeof(title), "%s : %s %s", gr->type, fmtint(gr->count),
				 gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		else
			snprintf(title, sizeof(title), "%s (%s) : %s %s", odl_render_code_title(gr->type, cfg.lang),
				 gr->type, fmtint(gr->count), gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		heading(4, title);
		if (odl_render_code_explanation(gr->type, cfg.lang))
			para(NULL, odl_render_code_explanation(gr->type, cfg.lang));
		snprintf(line, sizeof(line), "%s %s", L("Comment corriger :", "How to fix:"),
			 json_is_string(json_object_get(r->fixes, gr->type)) ?
			 json_string_value(json_object_get(r->fixes, gr->type)) :
			 odl_render_code_fix(gr->type, cfg.lang));
		para(NULL, line);
		if (gr->nexamples)
			table(cfg.fmt == ODL_FMT_HTML ? L("Exemples", "Examples") : NULL, NULL,
			      cfg.fr ? ecols_fr : ecols_en, 4, gr->nexamples, example_row, (void *)gr, 0);
	}
	if (json_array_size(r->warnings))
		report_warnings(r);
	if (cfg.fmt == ODL_FMT_HTML)
		fputs("</section>\n", out);
}

/* CSV: one line per error group, the verdict repeated. */
struct flat {
	size_t report, group;
};

static struct flat *flats;

static int report_csv_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	const struct report *r = &M.reports[flats[i].report];
	const struct odl_render_group *g = odl_render_summary_group(r->sum, flats[i].group);
	static char ex_row[32];
	(void)ctx;
	(void)flags;
	cells[0].text = r->path;
	cells[1].text = r->schema;
	cells[2].text = r->version;
	cells[3].text = r->valid == 1 ? "true" : r->valid == 0 ? "false" : "";
	cells[4].num = r->rows;
	cells[5].num = r->error_count;
	if (g) {
		cells[6].text = g->type;
		cells[7].text = g->field;
		cells[8].num = (double)g->count;
		snprintf(ex_row, sizeof(ex_row), "%llu", (unsigned long long)(g->nexamples ? g->examples[0].row : 0));
		cells[9].text = g->nexamples && g->examples[0].row ? ex_row : "";
		cells[10].text = g->nexamples && g->examples[0].cell ? g->examples[0].cell : "";
		cells[11].text = json_is_string(json_object_get(r->fixes, g->type)) ?
				 json_string_value(json_object_get(r->fixes, g->type)) :
				 odl_render_code_fix(g->type, cfg.lang);
	}
	return 0;
}

static void view_reports(void)
{
	size_t i, valid = 0;
	char line[256];

	if (cfg.fmt == ODL_FMT_CSV) {
		static const struct odl_render_col cols[] = {
			{ "path", 0 }, { "schema", 0 }, { "version", 0 }, { "valid", 0 }, { "rows", 1 },
			{ "error_count", 1 }, { "type", 0 }, { "field", 0 }, { "count", 1 },
			{ "example_row", 1 }, { "example_cell", 0 }, { "how_to_fix", 0 } };
		size_t n = 0;
		for (i = 0; i < M.nreports; i++)
			n += odl_render_summary_ngroups(M.reports[i].sum) ? odl_render_summary_ngroups(M.reports[i].sum) : 1;
		flats = xcalloc(n, sizeof(*flats));
		n = 0;
		for (i = 0; i < M.nreports; i++) {
			size_t g = odl_render_summary_ngroups(M.reports[i].sum);
			for (size_t k = 0; k < (g ? g : 1); k++)
				flats[n++] = (struct flat){ i, g ? k : (size_t)-1 };
		}
		csv_begin();
		table(NULL, NULL, cols, 12, n, report_csv_row, NULL, 0);
		free(flats);
		return;
	}
	for (i = 0; i < M.nreports; i++)
		valid += M.reports[i].valid == 1;
	heading(2, L("Rapports de validation", "Validation reports"));
	snprintf(line, sizeof(line), L("%s fichiers, %s valides, %s invalides.", "%s files, %s valid, %s invalid."),
		 fmtint(M.nreports), fmtint(valid), fmtint(M.nreports - valid));
	para(NULL, line);
	for (i = 0; i < M.nreports; i++)
		view_report(i);
}

/* ---- fetch manifests ----------------------------------------------- */

static int manifest_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	const struct manifest *m = &((const struct manifest *)ctx)[i];
	(void)flags;
	cells[0].text = m->status;
	cells[1].text = m->org;
	cells[2].text = m->dataset;
	cells[3].text = m->resource;
	cells[4].text = m->schema;
	cells[5].text = fmtnum(m->http, 0);
	cells[5].num = m->http;
	cells[6].text = fmtnum(m->bytes, 0);
	cells[6].num = m->bytes;
	cells[7].text = *m->path ? m->path : m->url;
	cells[7].href = cfg.fmt == ODL_FMT_HTML && *m->url ? m->url : NULL;
	cells[8].text = m->error;
	return 0;
}

static void view_manifests(void)
{
	const struct odl_render_col cols[] = {
		{ L("Statut", "Status"), 0 }, { L("Organisation", "Organization"), 0 },
		{ L("Jeu de données", "Dataset"), 0 }, { L("Ressource", "Resource"), 0 },
		{ L("Schéma", "Schema"), 0 }, { "HTTP", 1 }, { L("Octets", "Bytes"), 1 },
		{ L("Fichier", "File"), 0 }, { L("Erreur", "Error"), 0 } };
	static const char *const st[] = { "ok", "not-modified", "cached", "failed" };
	size_t counts[4] = { 0 }, i, k;
	char line[512];

	if (cfg.fmt == ODL_FMT_CSV) {
		csv_begin();
		table(NULL, NULL, cols, 9, M.nmanifests, manifest_row, M.manifests, 0);
		return;
	}
	for (i = 0; i < M.nmanifests; i++)
		for (k = 0; k < 4; k++)
			counts[k] += strcmp(M.manifests[i].status, st[k]) == 0;
	heading(2, L("Téléchargements", "Downloads"));
	snprintf(line, sizeof(line), L("%s ressources : %s téléchargées, %s inchangées, %s en cache, %s en échec.",
				       "%s resources: %s downloaded, %s not modified, %s cached, %s failed."),
		 fmtint(M.nmanifests), fmtint(counts[0]), fmtint(counts[1]), fmtint(counts[2]), fmtint(counts[3]));
	para(NULL, line);
	table(cfg.fmt == ODL_FMT_HTML ? L("Ressources téléchargées", "Downloaded resources") : NULL, "telechargements",
	      cols, 9, M.nmanifests, manifest_row, M.manifests, 1);
}

/* ---- generic tables ------------------------------------------------ */

static int generic_row(void *ctx, size_t i, struct odl_render_cell *cells, int *flags)
{
	const struct table *t = ctx;
	(void)flags;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = t->cells[i * t->ncols + c];
		cells[c].text = s;
		if (cfg.fmt != ODL_FMT_CSV && odl_render_is_number(s, strlen(s)))
			cells[c].num = strtod(s, NULL);
	}
	return 0;
}

static void view_tables(void)
{
	for (size_t k = 0; k < M.ntables; k++) {
		struct table *t = &M.tables[k];
		struct odl_render_col *cols = xcalloc(t->ncols, sizeof(*cols));
		int numeric;
		for (size_t c = 0; c < t->ncols; c++) {
			numeric = t->nrows > 0;
			for (size_t r = 0; r < t->nrows && numeric; r++) {
				const char *s = t->cells[r * t->ncols + c];
				numeric = !*s || odl_render_is_number(s, strlen(s));
			}
			cols[c].title = t->cols[c];
			cols[c].align = numeric ? ODL_ALIGN_RIGHT : ODL_ALIGN_LEFT;
		}
		if (cfg.fmt == ODL_FMT_CSV) {
			csv_begin();
		} else {
			heading(2, t->source);
		}
		table(cfg.fmt == ODL_FMT_HTML ? t->source : NULL, NULL, cols, t->ncols, t->nrows, generic_row, t,
		      1);
		if (t->dropped && cfg.fmt != ODL_FMT_CSV) {
			char note[200];
			snprintf(note, sizeof(note), L("%s lignes de plus ne sont pas montrées (--max-rows).",
						       "%s more rows are not shown (--max-rows)."),
				 fmtint(t->dropped));
			para("note", note);
		}
		free(cols);
	}
}

/* ---- SVG: the first chart there is --------------------------------- */

static int write_svg(void)
{
	if (M.nirows) {
		const char **inds;
		size_t n = indicator_list(&inds);
		if (n) {
			struct ind_view v;
			const char *year = year_of(inds[0]);
			build_view(&v, inds[0], year);
			ranking_chart(out, &v, inds[0], year, 1);
			free(v.idx);
			free(inds);
			return 0;
		}
		free(inds);
	}
	if (M.ncomps) {
		grade_chart(out, 1);
		return 0;
	}
	for (size_t i = 0; i < M.nreports; i++)
		if (json_object_size(M.reports[i].counts)) {
			counts_chart(out, &M.reports[i], 1);
			return 0;
		}
	return -1;
}

/* ---- main ---------------------------------------------------------- */

static int handle(int id, const char *arg, void *ctx)
{
	(void)ctx;
	switch (id) {
	case OPT_FORMAT:
		if (!strcmp(arg, "text"))
			cfg.fmt = ODL_FMT_TEXT;
		else if (!strcmp(arg, "markdown") || !strcmp(arg, "md"))
			cfg.fmt = ODL_FMT_MARKDOWN;
		else if (!strcmp(arg, "csv"))
			cfg.fmt = ODL_FMT_CSV;
		else if (!strcmp(arg, "html"))
			cfg.fmt = ODL_FMT_HTML;
		else if (!strcmp(arg, "svg"))
			cfg.fmt = ODL_FMT_SVG;
		else
			cli_usage_error("unknown format '%s' (text, markdown, csv, html or svg)", arg);
		break;
	case OPT_KIND:
		if (!strcmp(arg, "report"))
			cfg.kind = K_REPORT;
		else if (!strcmp(arg, "manifest"))
			cfg.kind = K_MANIFEST;
		else if (!strcmp(arg, "indicators") || !strcmp(arg, "comparison"))
			cfg.kind = K_INDICATOR;
		else if (!strcmp(arg, "compliance"))
			cfg.kind = K_COMPLIANCE;
		else if (!strcmp(arg, "table"))
			cfg.kind = K_TABLE;
		else
			cli_usage_error("unknown kind '%s' (report, manifest, indicators, comparison, compliance or table)", arg);
		break;
	case OPT_OUTPUT: cfg.output = arg; break;
	case OPT_FOCUS: cfg.focus = arg; break;
	case OPT_INDICATOR: cfg.indicator = arg; break;
	case OPT_YEAR:
		cli_parse_long("--year", arg, 1800, 2200);
		cfg.year = arg;
		break;
	case OPT_TITLE: cfg.title = arg; break;
	case OPT_LINK: cfg.link = arg; break;
	case OPT_LANG:
		if (strcmp(arg, "fr") && strcmp(arg, "en"))
			cli_usage_error("unknown language '%s' (fr or en)", arg);
		cfg.lang = arg;
		break;
	case OPT_WIDTH: cfg.width = (size_t)cli_parse_long("--width", arg, 4, 10000); break;
	case OPT_TOP: cfg.top = (size_t)cli_parse_long("--top", arg, 1, 10000); break;
	case OPT_MAX_ROWS: cfg.max_rows = (size_t)cli_parse_long("--max-rows", arg, 0, 100000000); break;
	case OPT_COLOR:
		if (!strcmp(arg, "auto"))
			cfg.color = -1;
		else if (!strcmp(arg, "always"))
			cfg.color = 1;
		else if (!strcmp(arg, "never"))
			cfg.color = 0;
		else
			cli_usage_error("unknown colour mode '%s' (auto, always or never)", arg);
		break;
	}
	return 0;
}

static void free_model(void)
{
	size_t i, k;
	for (i = 0; i < M.nreports; i++) {
		struct report *r = &M.reports[i];
		free(r->path);
		free(r->schema);
		free(r->version);
		json_decref(r->counts);
		json_decref(r->warnings);
		json_decref(r->fixes);
		odl_render_summary_free(r->sum);
	}
	for (i = 0; i < M.nmanifests; i++) {
		struct manifest *m = &M.manifests[i];
		free(m->url); free(m->path); free(m->status); free(m->error); free(m->dataset);
		free(m->resource); free(m->org); free(m->schema); free(m->format);
	}
	for (i = 0; i < M.nirows; i++) {
		free(M.irows[i].territory); free(M.irows[i].name);
		free(M.irows[i].indicator); free(M.irows[i].year); free(M.irows[i].group);
		free(M.irows[i].title);
	}
	for (i = 0; i < M.ncomps; i++) {
		free(M.comps[i].code); free(M.comps[i].name); free(M.comps[i].type);
		free(M.comps[i].report); free(M.comps[i].last_update);
	}
	for (i = 0; i < M.ntables; i++) {
		struct table *t = &M.tables[i];
		for (k = 0; k < t->nrows * t->ncols; k++)
			free(t->cells[k]);
		for (k = 0; k < t->ncols; k++)
			free(t->cols[k]);
		free(t->cells);
		free(t->cols);
		free(t->source);
	}
	free(M.reports); free(M.manifests); free(M.irows); free(M.comps); free(M.tables);
}

int main(int argc, char **argv)
{
	int first, status = EXIT_OK;
	const char *title;

	cfg.color = -1;
	cfg.width = 40;
	cfg.top = 30;
	cfg.max_rows = 1000000;
	cli_init(&program);
	first = cli_parse(&program, argc, argv, handle, NULL);
	if (!cfg.lang)
		cfg.lang = cli_lang();
	cfg.fr = strcmp(cfg.lang, "fr") == 0;
	/* from a build tree, its own build/locale; else the installed catalogue */
	odl_messages_set_dir_near_exe();
	if (first >= argc) {
		if (read_input("-") != 0)
			return cli_finish(EXIT_TROUBLE);
	}
	for (int i = first; i < argc; i++)
		if (read_input(argv[i]) != 0) {
			free_model();
			return cli_finish(EXIT_TROUBLE);
		}
	out = cli_output_open(cfg.output ? cfg.output : "-");
	if (cfg.color == -1)
		cfg.color = cfg.fmt == ODL_FMT_TEXT && out == stdout && cli_use_color(stdout);
	if (cfg.fmt != ODL_FMT_TEXT)
		cfg.color = 0;
	title = cfg.title ? cfg.title : L("Données ouvertes : rapport", "Open data report");
	if (cfg.fmt == ODL_FMT_SVG) {
		if (write_svg() != 0) {
			cli_error("nothing to chart in this input");
			cli_output_discard(out);
			free_model();
			return cli_finish(EXIT_TROUBLE);
		}
	} else {
		if (cfg.fmt == ODL_FMT_HTML)
			odl_render_html_begin(out, title, cfg.lang);
		if (cfg.fmt != ODL_FMT_CSV)
			heading(1, title);
		if (M.ncomps)
			view_compliance();
		if (M.nirows)
			view_indicators();
		if (M.nreports)
			view_reports();
		if (M.nmanifests)
			view_manifests();
		if (M.ntables)
			view_tables();
		if (!M.ncomps && !M.nirows && !M.nreports && !M.nmanifests && !M.ntables)
			para("note", L("Aucune donnée à afficher.", "Nothing to show."));
		if (cfg.fmt == ODL_FMT_HTML) {
			fprintf(out, "<footer><p class=\"note\">%s ", L("Sources :", "Sources:"));
			for (int i = first; i < argc || (i == first && first >= argc); i++) {
				odl_render_html_str(out, i < argc ? argv[i] : L("entrée standard", "standard input"));
				fputs(i + 1 < argc ? ", " : ". ", out);
			}
			fprintf(out, "%s odl-render %s.</p></footer>\n", L("Produit par", "Made by"), ODL_VERSION);
			odl_render_html_end(out);
		}
	}
	free_model();
	return cli_finish(cli_output_end(out, status));
}
