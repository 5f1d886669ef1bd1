/*
 * odl/report.h - the report a person reads, built from what the other odl
 * programs write: validation reports, fetch manifests, indicator and
 * comparison rows, compliance rows, or any other table.
 *
 * A report is fed one input at a time, by push, NDJSON or CSV (recognised
 * from the first non-blank byte: '{' opens NDJSON).  The kind of each line
 * is recognised from its fields, unless the options fix it.  Everything is
 * kept in compact rows; the errors of a validation report are grouped and
 * counted as they stream by, never kept.  Then the report chooses its
 * views (which indicators, which year, which peers beside the focus) and
 * writes them in one of the odl/render.h formats.
 *
 *	struct odl_report_options o;
 *	odl_report_options_init(&o);
 *	o.lang = "fr";
 *	o.focus = "69123";
 *	odl_report *r = odl_report_new(&o);
 *	odl_report_begin(r, "ranks.ndjson", &err);
 *	while ((n = read(fd, buf, sizeof(buf))) > 0)
 *		if (odl_report_feed(r, buf, n, &err)) break;
 *	odl_report_end(r, &err);
 *	odl_report_write(r, stdout, &(struct odl_report_output){ ODL_FMT_HTML }, &err);
 *	odl_report_free(r);
 *
 * After ODL_ENOMEM the handle may only be freed.
 */
#ifndef ODL_REPORT_H
#define ODL_REPORT_H

#include <stdio.h>
#include "render.h"

enum odl_report_kind {
	ODL_REPORT_AUTO = 0,   /* recognise each line from its fields */
	ODL_REPORT_VALIDATION, /* odl-validate's report (NDJSON only) */
	ODL_REPORT_MANIFEST,   /* odl-fetch's manifest */
	ODL_REPORT_INDICATOR,  /* odl-compare's indicator or comparison rows */
	ODL_REPORT_COMPLIANCE, /* odl-atd-check's compliance rows */
	ODL_REPORT_TABLE       /* anything else: a generic table */
};

struct odl_report_options {
	const char *lang;       /* "fr" or "en" (NULL = "en"); copied */
	enum odl_report_kind kind;
	const char *focus;      /* territory code to highlight, NULL = none; copied */
	const char *indicator;  /* show only this indicator, NULL = all; copied */
	const char *year;       /* year of the rankings, NULL = the latest; copied */
	const char *link;       /* compliance: link pattern, "{code}" replaced; copied */
	const char *today;      /* compliance: the date the grades were counted from,
				   stated on the page (NULL = not stated); copied */
	size_t top;             /* bars in a ranking chart (0 = 30) */
	size_t max_rows;        /* rows kept per generic table (the rest counted) */
};

ODL_API void odl_report_options_init(struct odl_report_options *o);

typedef struct odl_report odl_report;

/* NULL when out of memory. */
ODL_API odl_report *odl_report_new(const struct odl_report_options *o);
ODL_API void odl_report_free(odl_report *r);

/*
 * One input: begin names it (the name is its place in errors and in the
 * document), feed gives its bytes in chunks of any size, end closes it.
 * Errors: ODL_EFORMAT, ODL_ELIMIT (from the NDJSON or CSV reader, with
 * file and line), ODL_EFORMAT "validation reports are read from NDJSON"
 * when the kind is ODL_REPORT_VALIDATION and the input is CSV, ODL_ENOMEM.
 * After an error the input is abandoned; the rows read before it are kept.
 */
ODL_API int odl_report_begin(odl_report *r, const char *name, struct odl_error *err);
ODL_API int odl_report_feed(odl_report *r, const void *buf, size_t len,
			    struct odl_error *err);
ODL_API int odl_report_end(odl_report *r, struct odl_error *err);

struct odl_report_output {
	enum odl_render_format fmt;
	const char *title;      /* NULL = "Open data report" in the language */
	size_t width;           /* text: widest cell (0 = 40) */
	int color;              /* text: ANSI colours */
};

/*
 * The document: every view the rows call for, in a fixed order
 * (compliance, indicators, validation reports, manifests, tables).
 * ODL_FMT_SVG writes the first chart there is, ODL_ENOTFOUND when there is
 * none (nothing written).  ODL_EIO when a write fails (errno in err).
 */
ODL_API int odl_report_write(odl_report *r, FILE *f, const struct odl_report_output *o,
			     struct odl_error *err);

/* ---- what the report holds and chose (borrowed until the next call) ---- */

/* Rows (or reports) of one kind read so far; ODL_REPORT_AUTO: all. */
ODL_API size_t odl_report_count(const odl_report *r, enum odl_report_kind kind);

/* Indicators in order of first appearance (after the indicator filter). */
ODL_API size_t odl_report_indicators(odl_report *r);
ODL_API const char *odl_report_indicator(odl_report *r, size_t i);

/* The year shown for an indicator ("" when it has no row). */
ODL_API const char *odl_report_year(odl_report *r, const char *indicator);

/*
 * The territories ranked in the view of indicator and year, best first:
 * with a focus, only the focus's own peer group.  codes[0..max) receives
 * them (borrowed); returns how many there are (may exceed max).
 */
ODL_API size_t odl_report_ranking(odl_report *r, const char *indicator, const char *year,
				  const char **codes, size_t max);

/*
 * The published files the report was computed from, in order of first
 * mention, once each: the fetched resources of manifests ("dataset —
 * resource", dated by data.gouv.fr's last_modified) and what indicator and
 * compliance rows name in "sources" / "source" (a file name, or an object
 * with title, path, file or url and date, last_modified, modified or
 * last_update).  *date (may be NULL) receives YYYY-MM-DD or "".
 */
ODL_API size_t odl_report_nsources(const odl_report *r);
ODL_API const char *odl_report_source(const odl_report *r, size_t i, const char **date);

#endif
