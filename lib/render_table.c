/* render_table.c - one table, written as aligned text, Markdown, CSV or HTML. */
#include "odl/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_WIDTH 40

void odl_render_table_opts_init(struct odl_render_table_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_width = DEFAULT_MAX_WIDTH;
	o->delim = ',';
	o->csv_header = 1;
}

static int get_row(odl_render_row_fn fn, void *ctx, size_t r, struct odl_render_cell *cells,
		   size_t ncols, int *flags)
{
	for (size_t c = 0; c < ncols; c++) {
		cells[c].text = NULL;
		cells[c].num = NAN;
		cells[c].href = NULL;
	}
	*flags = 0;
	return fn(ctx, r, cells, flags) ? ODL_ECANCELED : ODL_OK;
}

static const char *txt(const struct odl_render_cell *c)
{
	return c->text ? c->text : "";
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

static int text_cell(FILE *f, const char *s, size_t maxw, size_t colw, int align, int last)
{
	size_t n, w;
	char *c = odl_render_clip(s, strlen(s), maxw, &n);

	if (!c)
		return ODL_ENOMEM;
	w = odl_render_width(c, n);
	if (align == ODL_ALIGN_RIGHT)
		pad(f, colw - w);
	fwrite(c, 1, n, f);
	if (align == ODL_ALIGN_LEFT && !last)
		pad(f, colw - w);
	free(c);
	return ODL_OK;
}

static int write_text(FILE *f, const struct odl_render_col *cols, size_t ncols, size_t nrows,
		      odl_render_row_fn fn, void *ctx, const struct odl_render_table_opts *o,
		      struct odl_render_cell *cells)
{
	size_t maxw = o->max_width ? o->max_width : DEFAULT_MAX_WIDTH;
	size_t *w = calloc(ncols, sizeof(*w));
	int flags, rc = ODL_OK;
	size_t r, c;

	if (!w)
		return ODL_ENOMEM;
	for (c = 0; c < ncols; c++) {
		char *s = odl_render_clip(cols[c].title, strlen(cols[c].title), maxw, NULL);
		if (!s) {
			free(w);
			return ODL_ENOMEM;
		}
		w[c] = odl_render_width(s, strlen(s));
		free(s);
	}
	for (r = 0; r < nrows && rc == ODL_OK; r++) {
		rc = get_row(fn, ctx, r, cells, ncols, &flags);
		for (c = 0; c < ncols && rc == ODL_OK; c++) {
			const char *s = txt(&cells[c]);
			char *k = odl_render_clip(s, strlen(s), maxw, NULL);
			size_t cw;
			if (!k) {
				rc = ODL_ENOMEM;
				break;
			}
			cw = odl_render_width(k, strlen(k));
			if (cw > w[c])
				w[c] = cw;
			free(k);
		}
	}
	if (rc == ODL_OK && o->color)
		fputs("\033[1m", f);
	for (c = 0; c < ncols && rc == ODL_OK; c++) {
		if (c)
			fputs("  ", f);
		rc = text_cell(f, cols[c].title, maxw, w[c], cols[c].align,
			       c + 1 == ncols && !o->color);
	}
	if (rc == ODL_OK && o->color)
		fputs("\033[0m", f);
	if (rc == ODL_OK)
		fputc('\n', f);
	for (c = 0; c < ncols && rc == ODL_OK; c++) {
		if (c)
			fputs("  ", f);
		for (size_t i = 0; i < w[c]; i++)
			fputc('-', f);
	}
	if (rc == ODL_OK)
		fputc('\n', f);
	for (r = 0; r < nrows && rc == ODL_OK; r++) {
		rc = get_row(fn, ctx, r, cells, ncols, &flags);
		if (rc == ODL_OK && o->color && (flags & ODL_ROW_FOCUS))
			fputs("\033[1;33m", f);
		for (c = 0; c < ncols && rc == ODL_OK; c++) {
			if (c)
				fputs("  ", f);
			rc = text_cell(f, txt(&cells[c]), maxw, w[c], cols[c].align,
				       c + 1 == ncols);
		}
		if (rc == ODL_OK && o->color && (flags & ODL_ROW_FOCUS))
			fputs("\033[0m", f);
		if (rc == ODL_OK)
			fputc('\n', f);
	}
	free(w);
	return rc;
}

static int write_markdown(FILE *f, const struct odl_render_col *cols, size_t ncols,
			  size_t nrows, odl_render_row_fn fn, void *ctx,
			  struct odl_render_cell *cells)
{
	int flags, rc = ODL_OK;
	size_t r, c;

	fputc('|', f);
	for (c = 0; c < ncols && rc == ODL_OK; c++) {
		fputc(' ', f);
		rc = odl_render_md(f, cols[c].title, strlen(cols[c].title));
		fputs(" |", f);
	}
	fputs("\n|", f);
	for (c = 0; c < ncols; c++)
		fputs(cols[c].align == ODL_ALIGN_RIGHT ? " ---: |" : " --- |", f);
	fputc('\n', f);
	for (r = 0; r < nrows && rc == ODL_OK; r++) {
		rc = get_row(fn, ctx, r, cells, ncols, &flags);
		fputc('|', f);
		for (c = 0; c < ncols && rc == ODL_OK; c++) {
			const char *s = txt(&cells[c]);
			int bold = (flags & ODL_ROW_FOCUS) && *s;
			fputs(bold ? " **" : " ", f);
			rc = odl_render_md(f, s, strlen(s));
			fputs(bold ? "** |" : " |", f);
		}
		fputc('\n', f);
	}
	return rc;
}

static int write_csv(FILE *f, const struct odl_render_col *cols, size_t ncols, size_t nrows,
		     odl_render_row_fn fn, void *ctx, const struct odl_render_table_opts *o,
		     struct odl_render_cell *cells)
{
	char delim = o->delim ? o->delim : ',';
	int flags, rc = ODL_OK;
	size_t r, c;

	if (o->csv_header) {
		for (c = 0; c < ncols; c++) {
			if (c)
				fputc(delim, f);
			odl_render_csv_cell(f, cols[c].title, strlen(cols[c].title), delim);
		}
		fputc('\n', f);
	}
	for (r = 0; r < nrows && rc == ODL_OK; r++) {
		rc = get_row(fn, ctx, r, cells, ncols, &flags);
		for (c = 0; c < ncols && rc == ODL_OK; c++) {
			char num[64];
			const char *s = txt(&cells[c]);
			if (c)
				fputc(delim, f);
			if (!isnan(cells[c].num)) {
				snprintf(num, sizeof(num), "%.15g", cells[c].num);
				s = num;
			}
			rc = odl_render_csv_cell(f, s, strlen(s), delim);
		}
		fputc('\n', f);
	}
	return rc;
}

/* Links may go to a relative file, an anchor or http(s); nothing else (javascript:...). */
static int safe_href(const char *h)
{
	size_t n = strcspn(h, ":/?#");

	if (h[n] != ':')
		return 1;
	return (n == 4 && strncmp(h, "http", 4) == 0) || (n == 5 && strncmp(h, "https", 5) == 0);
}

static int write_html(FILE *f, const struct odl_render_col *cols, size_t ncols, size_t nrows,
		      odl_render_row_fn fn, void *ctx, const struct odl_render_table_opts *o,
		      struct odl_render_cell *cells)
{
	int flags, rc = ODL_OK;
	size_t r, c;

	fputs("<div class=\"tw\"><table", f);
	if (o->sortable)
		fputs(" class=\"sortable\"", f);
	if (o->id) {
		fputs(" id=\"", f);
		odl_render_html_str(f, o->id);
		fputc('"', f);
	}
	fputs(">\n", f);
	if (o->caption) {
		fputs("<caption>", f);
		odl_render_html_str(f, o->caption);
		fputs("</caption>\n", f);
	}
	fputs("<thead><tr>", f);
	for (c = 0; c < ncols; c++) {
		fputs(cols[c].align == ODL_ALIGN_RIGHT ? "<th scope=\"col\" class=\"num\">"
						       : "<th scope=\"col\">", f);
		if (o->sortable)
			fputs("<button type=\"button\">", f);
		odl_render_html_str(f, cols[c].title);
		if (o->sortable)
			fputs("</button>", f);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
	for (r = 0; r < nrows && rc == ODL_OK; r++) {
		rc = get_row(fn, ctx, r, cells, ncols, &flags);
		fputs(flags & ODL_ROW_FOCUS ? "<tr class=\"focus\">" : "<tr>", f);
		for (c = 0; c < ncols && rc == ODL_OK; c++) {
			const char *tag = c == 0 ? "th" : "td";
			fprintf(f, "<%s", tag);
			if (c == 0)
				fputs(" scope=\"row\"", f);
			if (cols[c].align == ODL_ALIGN_RIGHT)
				fputs(" class=\"num\"", f);
			if (!isnan(cells[c].num))
				fprintf(f, " data-v=\"%.15g\"", cells[c].num);
			fputc('>', f);
			if (cells[c].href && safe_href(cells[c].href)) {
				fputs("<a href=\"", f);
				odl_render_html_str(f, cells[c].href);
				fputs("\">", f);
				odl_render_html_str(f, txt(&cells[c]));
				fputs("</a>", f);
			} else {
				odl_render_html_str(f, txt(&cells[c]));
			}
			fprintf(f, "</%s>", tag);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table></div>\n", f);
	return rc;
}

int odl_render_table_write(FILE *f, enum odl_render_format fmt,
			   const struct odl_render_col *cols, size_t ncols, size_t nrows,
			   odl_render_row_fn fn, void *ctx, const struct odl_render_table_opts *o)
{
	struct odl_render_table_opts def;
	struct odl_render_cell *cells;
	int rc;

	if (!o) {
		odl_render_table_opts_init(&def);
		o = &def;
	}
	if (ncols == 0)
		return ODL_EINVAL;
	cells = calloc(ncols, sizeof(*cells));
	if (!cells)
		return ODL_ENOMEM;
	switch (fmt) {
	case ODL_FMT_TEXT:
		rc = write_text(f, cols, ncols, nrows, fn, ctx, o, cells);
		break;
	case ODL_FMT_MARKDOWN:
		rc = write_markdown(f, cols, ncols, nrows, fn, ctx, cells);
		break;
	case ODL_FMT_CSV:
		rc = write_csv(f, cols, ncols, nrows, fn, ctx, o, cells);
		break;
	case ODL_FMT_HTML:
		rc = write_html(f, cols, ncols, nrows, fn, ctx, o, cells);
		break;
	default:
		rc = ODL_EINVAL;
	}
	free(cells);
	if (rc == ODL_OK && ferror(f))
		rc = ODL_EIO;
	return rc;
}
