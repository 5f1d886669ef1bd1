/*
 * report.h - the report's model, shared by report_model.c (reading the
 * rows, joining them, choosing the views) and render_report.c (writing the
 * views).  Private: never installed.
 */
#ifndef ODL_REPORT_PRIV_H
#define ODL_REPORT_PRIV_H

#include "odl/report.h"
#include "odl/csv.h"

#include <jansson.h>
#include <setjmp.h>

enum kind { K_AUTO = ODL_REPORT_AUTO, K_REPORT = ODL_REPORT_VALIDATION,
	    K_MANIFEST = ODL_REPORT_MANIFEST, K_INDICATOR = ODL_REPORT_INDICATOR,
	    K_COMPLIANCE = ODL_REPORT_COMPLIANCE, K_TABLE = ODL_REPORT_TABLE };

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
	char *peer_label; /* the peer group as said: "dep:16", "dep:16 / COM", "" */
	char *unit;   /* the indicator set's unit ("EUR", "EUR/habitant", "ratio", ...), "" */
	char *null_reason; /* why the value is missing (odl-compare's code), "" */
	double value, per_value, denominator, per, n_rows, rank, peers, percentile,
	       median, q1, q3, ratio, change, n_errors;
};

/* A published data file the rows were computed from. */
struct source {
	char *title, *date; /* date "" when unknown */
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

struct report_model {
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
	struct source *sources;
	size_t nsources, capsources;
	int units; /* some indicator row has a unit */
};

struct ind_view {
	size_t *idx;   /* rows of one indicator and year, ranked */
	size_t n;
	int cmp;
	const char *unit;  /* the indicator's unit, "" when the rows give none */
	int per_col;       /* a per-inhabitant column means something here */
	int group_col;     /* several peer groups: a column names each row's */
};

/* Charts show the value the rank and the peer median are about; the
 * per-inhabitant figure, when a row has one, is a column of the table. */

struct report_config {
	enum odl_render_format fmt;
	enum kind kind;
	char *focus, *indicator, *year, *link, *today;
	const char *title;
	int fr;
	const char *lang;
	size_t width, top, max_rows;
	int color;
};

/* The input being read: NDJSON members gathered into one object per line,
 * or CSV records under their header. */
struct report_reader {
	char *path;
	int state;               /* 0 none, 1 head, 2 NDJSON, 3 CSV */
	unsigned char head[4096];
	size_t hlen;
	odl_render_jsonl *jsonl;
	odl_csv *csv;
	json_t *cur;
	odl_render_summary *sum;
	json_t *fixes;           /* how-to-fix texts met in this line's errors */
	char **header;
	size_t nheader;
};

struct odl_report {
	struct report_config cfg;
	struct report_model M;
	struct report_reader in;
	char **inputs;           /* names of the inputs, in order */
	size_t ninputs, capinputs;
	jmp_buf oom;             /* where an allocation failure returns to */
	/* writing */
	FILE *out;
	int write_failed;
	int csv_tables;          /* CSV: tables written so far, separated by a blank line */
	void *ctx;               /* the row callbacks' own context */
	char numbufs[16][128];    /* several formatted numbers live in one row */
	int numi;
	char anchor[32], link[1024], grade[2], ex_row[32];
	char value_title[160], per_title[160];
	struct flat *flats;
	const char **names;      /* odl_report_indicators() */
	size_t nnames;
};

#define L(f, e) (R->cfg.fr ? (f) : (e))

void *report_xcalloc(odl_report *R, size_t n, size_t size);
void *report_xrealloc(odl_report *R, void *p, size_t size);
char *report_xstrdup(odl_report *R, const char *s);

/* Views of the indicator rows (report_view.c). */
double report_shown_value(const struct irow *r);
int report_is_focus(odl_report *R, const struct irow *r);
size_t report_chart_rows(odl_report *R, const struct ind_view *v, size_t *sel);
double report_median_of(odl_report *R, const struct ind_view *v);
const char *report_indicator_name(odl_report *R, const char *ind);
size_t report_indicator_list(odl_report *R, const char ***inds);
const char *report_year_of(odl_report *R, const char *ind);
void report_build_view(odl_report *R, struct ind_view *v, const char *ind, const char *year);

/* The document (render_report.c): the pieces every view writes with. */
int report_write(odl_report *R);
const char *report_fmtnum(odl_report *R, double v, int decimals);
const char *report_fmtint(odl_report *R, uint64_t v);
void report_heading(odl_report *R, int level, const char *text);
void report_para(odl_report *R, const char *cls, const char *text);
void report_table(odl_report *R, const char *caption, const char *id, const struct odl_render_col *cols,
		  size_t ncols, size_t nrows, odl_render_row_fn fn, void *ctx, int sortable);
void report_csv_begin(odl_report *R);

/* The views, one file each (render_report_*.c). */
void report_view_compliance(odl_report *R);
void report_grade_chart(odl_report *R, FILE *f, int standalone);
void report_view_indicators(odl_report *R);
int report_ranking_svg(odl_report *R);
void report_view_reports(odl_report *R);
void report_counts_chart(odl_report *R, FILE *f, const struct report *r, int standalone);
void report_view_manifests(odl_report *R);
void report_view_tables(odl_report *R);

#endif
