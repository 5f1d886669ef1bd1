/*
 * render_report.c - the report as a document: headings, paragraphs and
 * tables in text, Markdown, CSV or HTML, the views in their order (each in
 * its render_report_*.c), the sources, or one SVG chart.  What is shown was
 * chosen by report_model.c; here it is only written.
 */
#include "report.h"
#include "error.h"
#include "odl/messages.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rotating buffers so that several formatted numbers live in one row. */
const char *report_fmtnum(odl_report *R, double v, int decimals)
{
	R->numi = (R->numi + 1) % 16;
	return odl_render_number(R->numbufs[R->numi], sizeof(R->numbufs[R->numi]), v, decimals,
				 R->cfg.lang);
}

const char *report_fmtint(odl_report *R, uint64_t v)
{
	return report_fmtnum(R, (double)v, 0);
}

/* ---- document structure -------------------------------------------- */

void report_heading(odl_report *R, int level, const char *text)
{
	switch (R->cfg.fmt) {
	case ODL_FMT_TEXT: {
		size_t n, w;
		char *c = odl_render_term_clean(text, strlen(text), &n);
		if (!c)
			longjmp(R->oom, 1);
		w = odl_render_width(c, n);
		fprintf(R->out, "%s%s\n", level > 1 ? "\n" : "", c);
		if (level <= 2) {
			for (size_t i = 0; i < w; i++)
				fputc(level == 1 ? '=' : '-', R->out);
			fputc('\n', R->out);
		}
		free(c);
		break;
	}
	case ODL_FMT_MARKDOWN:
		fprintf(R->out, "%s%.*s ", level > 1 ? "\n" : "", level, "####");
		odl_render_md(R->out, text, strlen(text));
		fputc('\n', R->out);
		break;
	case ODL_FMT_HTML:
		fprintf(R->out, "<h%d>", level);
		odl_render_html_str(R->out, text);
		fprintf(R->out, "</h%d>\n", level);
		break;
	default:
		break;
	}
}

/* A paragraph of plain text (never for CSV or SVG). */
void report_para(odl_report *R, const char *cls, const char *text)
{
	switch (R->cfg.fmt) {
	case ODL_FMT_TEXT: {
		char *c = odl_render_term_clean(text, strlen(text), NULL);
		if (!c)
			longjmp(R->oom, 1);
		fprintf(R->out, "%s\n", c);
		free(c);
		break;
	}
	case ODL_FMT_MARKDOWN:
		fputc('\n', R->out);
		odl_render_md(R->out, text, strlen(text));
		fputc('\n', R->out);
		break;
	case ODL_FMT_HTML:
		fprintf(R->out, "<p%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
		odl_render_html_str(R->out, text);
		fputs("</p>\n", R->out);
		break;
	default:
		break;
	}
}

void report_table(odl_report *R, const char *caption, const char *id, const struct odl_render_col *cols,
		  size_t ncols, size_t nrows, odl_render_row_fn fn, void *ctx, int sortable)
{
	struct odl_render_table_opts o;
	int rc;

	odl_render_table_opts_init(&o);
	o.caption = caption;
	o.id = id;
	o.sortable = sortable;
	o.max_width = R->cfg.width;
	o.color = R->cfg.color;
	if (R->cfg.fmt == ODL_FMT_TEXT || R->cfg.fmt == ODL_FMT_MARKDOWN)
		fputc('\n', R->out);
	R->ctx = ctx; /* the row callbacks receive R and find their own context there */
	rc = odl_render_table_write(R->out, R->cfg.fmt, cols, ncols, nrows, fn, R, &o);
	if (rc != ODL_OK)
		R->write_failed = 1; /* a closed pipe, a full disk: odl_report_write says so */
}

void report_csv_begin(odl_report *R)
{
	if (R->csv_tables++)
		fputc('\n', R->out);
}

/* ---- SVG: the first chart there is --------------------------------- */

static int write_svg(odl_report *R)
{
	if (R->M.nirows && report_ranking_svg(R) == 0)
		return 0;
	if (R->M.ncomps) {
		report_grade_chart(R, R->out, 1);
		return 0;
	}
	for (size_t i = 0; i < R->M.nreports; i++)
		if (json_object_size(R->M.reports[i].counts)) {
			report_counts_chart(R, R->out, &R->M.reports[i], 1);
			return 0;
		}
	return -1;
}

/* ---- the document -------------------------------------------------- */

/*
 * Sources: the published data files the page was computed from (fetched
 * resources, and the "sources" the rows name), each with its date; the
 * inputs themselves only when no published file is known.
 */
static void footer(odl_report *R)
{
	if (R->M.nsources) {
		fprintf(R->out, "<footer><p class=\"note\">%s</p>\n<ul class=\"sources\">\n",
			L("Sources :", "Sources:"));
		for (size_t i = 0; i < R->M.nsources; i++) {
			const struct source *src = &R->M.sources[i];
			fputs("<li>", R->out);
			odl_render_html_str(R->out, src->title);
			if (*src->date) {
				fputs(" (<time>", R->out);
				odl_render_html_str(R->out, src->date);
				fputs("</time>)", R->out);
			}
			fputs("</li>\n", R->out);
		}
		fprintf(R->out, "</ul>\n<p class=\"note\">%s odl-render %s.</p></footer>\n",
			L("Produit par", "Made by"), ODL_VERSION);
		return;
	}
	fprintf(R->out, "<footer><p class=\"note\">%s ", L("Sources :", "Sources:"));
	for (size_t i = 0; i < R->ninputs || (i == 0 && R->ninputs == 0); i++) {
		const char *name = i < R->ninputs ? R->inputs[i] : "-";
		odl_render_html_str(R->out, strcmp(name, "-") ? name : L("entrée standard", "standard input"));
		fputs(i + 1 < R->ninputs ? ", " : ". ", R->out);
	}
	fprintf(R->out, "%s odl-render %s.</p></footer>\n", L("Produit par", "Made by"), ODL_VERSION);
}

int report_write(odl_report *R)
{
	const char *title = R->cfg.title ? R->cfg.title : L("Données ouvertes : rapport", "Open data report");

	if (R->cfg.fmt == ODL_FMT_SVG)
		return write_svg(R) == 0 ? ODL_OK : ODL_ENOTFOUND;
	if (R->cfg.fmt == ODL_FMT_HTML)
		odl_render_html_begin(R->out, title, R->cfg.lang);
	if (R->cfg.fmt != ODL_FMT_CSV)
		report_heading(R, 1, title);
	if (R->M.ncomps)
		report_view_compliance(R);
	if (R->M.nirows)
		report_view_indicators(R);
	if (R->M.nreports)
		report_view_reports(R);
	if (R->M.nmanifests)
		report_view_manifests(R);
	if (R->M.ntables)
		report_view_tables(R);
	if (!R->M.ncomps && !R->M.nirows && !R->M.nreports && !R->M.nmanifests && !R->M.ntables)
		report_para(R, "note", L("Aucune donnée à afficher.", "Nothing to show."));
	if (R->cfg.fmt == ODL_FMT_HTML) {
		footer(R);
		odl_render_html_end(R->out);
	}
	return ODL_OK;
}

static int write_doc(odl_report *R, FILE *f, const struct odl_report_output *o, struct odl_error *err)
{
	int rc;

	R->out = f;
	R->cfg.fmt = o->fmt;
	R->cfg.title = o->title;
	R->cfg.width = o->width ? o->width : 40;
	R->cfg.color = o->fmt == ODL_FMT_TEXT && o->color;
	R->csv_tables = 0;
	R->write_failed = 0;
	errno = 0;
	rc = report_write(R);
	if (rc == ODL_ENOTFOUND)
		return odl_fail(err, rc, "nothing to chart in this input");
	if (R->write_failed || fflush(f) != 0 || ferror(f)) {
		err->sys_errno = errno;
		return odl_fail(err, ODL_EIO, "cannot write");
	}
	return rc;
}

static int write_guarded(odl_report *R, FILE *f, const struct odl_report_output *o,
			 struct odl_error *err)
{
	odl_error_clear(err);
	if (setjmp(R->oom))
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	return write_doc(R, f, o, err);
}

int odl_report_write(odl_report *R, FILE *f, const struct odl_report_output *o, struct odl_error *err)
{
	struct odl_error dummy;

	return write_guarded(R, f, o, err ? err : &dummy);
}

