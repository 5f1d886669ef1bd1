/*
 * odl/render.h - building blocks for showing data to people: display width
 * of UTF-8 text, escaping for each output, number formatting, tables in
 * text/Markdown/CSV/HTML, SVG charts, grouped summaries of validation
 * errors and a streaming reader for NDJSON objects holding huge arrays.
 *
 * Every string that comes from a dataset goes through one of the escapers
 * below before it reaches an output: odl_render_html() for HTML and SVG,
 * odl_render_term_clean() for a terminal, odl_render_md() for Markdown,
 * odl_render_csv_cell() for CSV.  Invalid UTF-8 becomes U+FFFD everywhere.
 *
 *	struct odl_render_col cols[] = { { "Commune", ODL_ALIGN_LEFT },
 *					 { "Montant", ODL_ALIGN_RIGHT } };
 *	odl_render_table_write(stdout, ODL_FMT_TEXT, cols, 2, nrows, row_fn,
 *			       ctx, &opts);
 */
#ifndef ODL_RENDER_H
#define ODL_RENDER_H

#include <stdio.h>
#include <jansson.h>
#include "../odl.h"

enum odl_render_format {
	ODL_FMT_TEXT = 0,
	ODL_FMT_MARKDOWN,
	ODL_FMT_CSV,
	ODL_FMT_HTML,
	ODL_FMT_SVG
};

/* ---- text ---------------------------------------------------------- */

/*
 * Columns s[0..len) takes on a terminal: combining marks 0, East Asian
 * wide and fullwidth characters (CJK, Hangul, most emoji) 2, others 1.
 * Control characters count 1 (odl_render_term_clean replaces them).
 */
ODL_API size_t odl_render_width(const char *s, size_t len);

/*
 * Longest prefix of s, in bytes, whose width is at most max_cols; never
 * splits a character nor separates a combining mark from its base.
 * *cols (may be NULL) receives the prefix's width.
 */
ODL_API size_t odl_render_prefix(const char *s, size_t len, size_t max_cols,
				 size_t *cols);

/*
 * A copy of s safe for a terminal, NUL-terminated, malloc'd (NULL when out
 * of memory): tab, CR and LF become spaces; other C0/C1 controls, DEL and
 * the bidirectional overrides (U+202A-U+202E, U+2066-U+2069) become U+FFFD,
 * so that a cell can neither move the cursor nor reorder the line.
 */
ODL_API char *odl_render_term_clean(const char *s, size_t len, size_t *out_len);

/*
 * s clipped to max_cols columns with a final "…" when it is longer,
 * terminal-cleaned, malloc'd.  max_cols 0 = no limit.
 */
ODL_API char *odl_render_clip(const char *s, size_t len, size_t max_cols,
			      size_t *out_len);

/* ---- escaping ------------------------------------------------------ */

/* HTML/XML text and attribute values: & < > " ' escaped, controls U+FFFD. */
ODL_API int odl_render_html(FILE *f, const char *s, size_t len);
ODL_API int odl_render_html_str(FILE *f, const char *s);

/*
 * A Markdown table cell: characters Markdown gives a meaning to are
 * backslash-escaped (\ ` * _ [ ] < > | ~ & #), line breaks become spaces.
 */
ODL_API int odl_render_md(FILE *f, const char *s, size_t len);

/*
 * One CSV cell (RFC 4180 quoting when needed).  A cell that begins with
 * = + - @, a tab or a CR is prefixed with ' so that no spreadsheet runs it
 * as a formula; a plain number such as -12.5 is left as it is.
 */
ODL_API int odl_render_csv_cell(FILE *f, const char *s, size_t len, char delim);

/* 1 when s[0..len) is an optional '-' then digits with an optional '.' part. */
ODL_API int odl_render_is_number(const char *s, size_t len);

/*
 * v for a reader: decimals < 0 means 0 when v is whole, else 2.  lang "fr"
 * groups thousands with U+202F and uses a decimal comma; otherwise "," and
 * ".".  NaN gives "".  Returns buf.
 */
ODL_API char *odl_render_number(char *buf, size_t size, double v, int decimals,
				const char *lang);

/* ---- tables -------------------------------------------------------- */

enum { ODL_ALIGN_LEFT = 0, ODL_ALIGN_RIGHT = 1 };

struct odl_render_col {
	const char *title;
	int align;
};

/* A cell as the row callback gives it; strings borrowed until the next call. */
struct odl_render_cell {
	const char *text;  /* shown text (NULL = empty) */
	double num;        /* the value behind it, NaN when none (sorting, CSV) */
	const char *href;  /* HTML link target, NULL for none */
};

#define ODL_ROW_FOCUS 1    /* highlight the row (the focus territory) */

/*
 * Fill cells[0..ncols) for row i (0-based) and *flags; non-zero stops with
 * ODL_ECANCELED.  The writer may ask for the same row more than once (text
 * measures every row before writing it).
 */
typedef int (*odl_render_row_fn)(void *ctx, size_t row,
				 struct odl_render_cell *cells, int *flags);

struct odl_render_table_opts {
	const char *caption;  /* HTML <caption>, text title line; may be NULL */
	size_t max_width;     /* text: columns per cell before "…" (0 = 40) */
	int color;            /* text: ANSI colours (header bold, focus) */
	int sortable;         /* HTML: class="sortable" (the page's script) */
	const char *id;       /* HTML id attribute, may be NULL */
	char delim;           /* CSV delimiter (0 = ',') */
	int csv_header;       /* CSV: write the header line (1) */
};

ODL_API void odl_render_table_opts_init(struct odl_render_table_opts *o);

/* ODL_FMT_TEXT, MARKDOWN, CSV or HTML; 0, ODL_EIO, ODL_ENOMEM, ODL_ECANCELED. */
ODL_API int odl_render_table_write(FILE *f, enum odl_render_format fmt,
				   const struct odl_render_col *cols, size_t ncols,
				   size_t nrows, odl_render_row_fn fn, void *ctx,
				   const struct odl_render_table_opts *o);

/* ---- SVG charts ---------------------------------------------------- */

struct odl_render_bar {
	const char *label;
	double value;
	int highlight;
};

struct odl_render_chart {
	const char *title;          /* <title>, also the aria-label */
	const char *lang;           /* number format */
	double reference;           /* a vertical line (e.g. peer median), NaN = none */
	const char *reference_label;
	int width;                  /* px, 0 = 720 */
	int standalone;             /* 1: XML prolog and xmlns (an .svg file) */
};

/*
 * Horizontal bars, one per entry in the given order, length proportional
 * to the value from a zero axis (negative values to its left); each <rect>
 * carries data-value.  ODL_EIO on write failure.
 */
ODL_API int odl_render_svg_bars(FILE *f, const struct odl_render_chart *c,
				const struct odl_render_bar *bars, size_t n);

struct odl_render_series {
	const char *name;
	const double *y;   /* nx values, NaN = missing point */
	int highlight;
};

/* Lines over nx x labels (years), one polyline per series. */
ODL_API int odl_render_svg_lines(FILE *f, const struct odl_render_chart *c,
				 const char *const *xlabels, size_t nx,
				 const struct odl_render_series *s, size_t ns);

/* ---- HTML page ----------------------------------------------------- */

/*
 * The page around the sections: doctype, lang, a Content-Security-Policy
 * allowing no network access at all, the inline style and the small
 * table-sorting script (both admitted by their SHA-256 in the policy).
 */
ODL_API int odl_render_html_begin(FILE *f, const char *title, const char *lang);
ODL_API int odl_render_html_end(FILE *f);

/* ---- validation errors, summarised --------------------------------- */

struct odl_render_example {
	uint64_t row;      /* 0 when none */
	uint64_t column;   /* 0 when none */
	char *cell;        /* clipped to 200 bytes; NULL when none */
	char *message;     /* NULL when none */
};

#define ODL_RENDER_MAX_EXAMPLES 5

struct odl_render_group {
	char *type;        /* error code, e.g. "type-error" */
	char *field;       /* "" when the error has no field */
	uint64_t count;
	size_t nexamples;
	struct odl_render_example examples[ODL_RENDER_MAX_EXAMPLES];
};

typedef struct odl_render_summary odl_render_summary;

/*
 * Errors grouped by (type, field), counted, a few kept as examples: memory
 * depends on max_groups and max_examples, never on the number of errors.
 * Past max_groups, errors land in one group of type "other".
 * max_groups 0 = 256, max_examples 0 = 3 (at most ODL_RENDER_MAX_EXAMPLES).
 */
ODL_API odl_render_summary *odl_render_summary_new(size_t max_groups,
						   size_t max_examples);
ODL_API void odl_render_summary_free(odl_render_summary *s);
/* type must be non-NULL; the other strings may be NULL. */
ODL_API int odl_render_summary_add(odl_render_summary *s, const char *type,
				   const char *field, uint64_t row, uint64_t column,
				   const char *cell, const char *message);
/* Groups by decreasing count, then type, then field (stable order). */
ODL_API void odl_render_summary_sort(odl_render_summary *s);
ODL_API size_t odl_render_summary_ngroups(const odl_render_summary *s);
ODL_API const struct odl_render_group *
odl_render_summary_group(const odl_render_summary *s, size_t i);
ODL_API uint64_t odl_render_summary_total(const odl_render_summary *s);

/*
 * What an error code means and how to fix it, in "fr" or "en" (anything
 * else is "en"); unknown codes get a generic text.  Static strings.
 */
ODL_API const char *odl_render_code_title(const char *code, const char *lang);
ODL_API const char *odl_render_code_fix(const char *code, const char *lang);

/* ---- NDJSON with huge arrays --------------------------------------- */

/*
 * Like odl_ndjson, but an array member whose key is listed in stream_keys
 * is not built: each of its elements reaches element() as soon as it is
 * read, so a report line holding a million errors costs the memory of one
 * error.  Other members reach member() one by one, then end() closes the
 * line.  Values are borrowed (json_incref to keep).  Any callback
 * returning non-zero stops with ODL_ECANCELED.  A member value or element
 * longer than max_value bytes (0 = 16 MiB) is ODL_ELIMIT.
 */
struct odl_render_jsonl_fns {
	int (*member)(void *ctx, const char *key, json_t *value, uint64_t line);
	int (*element)(void *ctx, const char *key, json_t *elem, uint64_t line);
	int (*end)(void *ctx, uint64_t line);
};

typedef struct odl_render_jsonl odl_render_jsonl;

ODL_API odl_render_jsonl *odl_render_jsonl_new(const char *const *stream_keys,
					       size_t max_value,
					       const struct odl_render_jsonl_fns *fns,
					       void *ctx, const char *name);
ODL_API void odl_render_jsonl_free(odl_render_jsonl *j);
ODL_API int odl_render_jsonl_feed(odl_render_jsonl *j, const void *buf, size_t len,
				  struct odl_error *err);
ODL_API int odl_render_jsonl_finish(odl_render_jsonl *j, struct odl_error *err);

#endif
