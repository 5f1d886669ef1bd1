/* render_svg.c - bar and line charts as inline or standalone SVG. */
#include "odl/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_W 210
#define VALUE_W 100
#define BAR_H 18
#define BAR_STEP 24
#define TOP 44
#define LABEL_COLS 30

static const char *const bar_fill = "#4f6fa8";      /* 4.9:1 on white */
static const char *const focus_fill = "#b3471b";    /* 5.3:1 on white */
static const char *const ink = "#1a1a1a";

static void svg_open(FILE *f, const struct odl_render_chart *c, int w, int h)
{
	if (c->standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" "
		"font-family=\"system-ui, 'DejaVu Sans', sans-serif\" font-size=\"13\" aria-label=\"",
		w, h, w, h);
	odl_render_html_str(f, c->title);
	fputs("\">\n<title>", f);
	odl_render_html_str(f, c->title);
	fputs("</title>\n", f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
	fprintf(f, "<text x=\"8\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"%s\">", ink);
	odl_render_html_str(f, c->title);
	fputs("</text>\n", f);
}

/* A label clipped for its column, then escaped. */
static void label(FILE *f, const char *s, size_t cols)
{
	size_t n;
	char *c = odl_render_clip(s ? s : "", s ? strlen(s) : 0, cols, &n);

	if (c)
		odl_render_html(f, c, n);
	free(c);
}

int odl_render_svg_bars(FILE *f, const struct odl_render_chart *c,
			const struct odl_render_bar *bars, size_t n)
{
	int w = c->width > 0 ? c->width : 720;
	double pw = w - LABEL_W - VALUE_W, lo = 0, hi = 0, scale, zx;
	int h = TOP + (int)n * BAR_STEP + 34;
	char num[64];
	size_t i;

	if (pw < 100)
		pw = 100;
	for (i = 0; i < n; i++) {
		if (isnan(bars[i].value) || isinf(bars[i].value))
			continue;
		if (bars[i].value < lo)
			lo = bars[i].value;
		if (bars[i].value > hi)
			hi = bars[i].value;
	}
	if (!isnan(c->reference) && !isinf(c->reference)) {
		if (c->reference < lo)
			lo = c->reference;
		if (c->reference > hi)
			hi = c->reference;
	}
	if (hi - lo <= 0)
		hi = lo + 1;
	scale = pw / (hi - lo);
	zx = LABEL_W + (0 - lo) * scale;
	svg_open(f, c, w, h);
	for (i = 0; i < n; i++) {
		double v = bars[i].value, y = TOP + (double)i * BAR_STEP;
		int ok = !isnan(v) && !isinf(v);
		const char *fill = bars[i].highlight ? focus_fill : bar_fill;

		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\"%s>",
			LABEL_W - 8, y + 13.5, ink, bars[i].highlight ? " font-weight=\"700\"" : "");
		label(f, bars[i].label, LABEL_COLS);
		fputs("</text>\n", f);
		odl_render_number(num, sizeof(num), v, -1, c->lang);
		if (ok) {
			double x = v < 0 ? zx + v * scale : zx;
			fprintf(f, "<rect class=\"bar\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" "
				"fill=\"%s\" data-value=\"%.15g\"><title>", x, y, fabs(v) * scale,
				BAR_H, fill, v);
			label(f, bars[i].label, 80);
			fprintf(f, " : %s</title></rect>\n", num);
			fprintf(f, "<text x=\"%.2f\" y=\"%.1f\" fill=\"%s\">%s</text>\n",
				(v < 0 ? zx : zx + v * scale) + 4, y + 13.5, ink, num);
		} else {
			fprintf(f, "<text x=\"%.2f\" y=\"%.1f\" fill=\"%s\">\xE2\x80\x94</text>\n",
				zx + 4, y + 13.5, ink);
		}
	}
	fprintf(f, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"%s\"/>\n", zx, TOP - 4,
		zx, TOP + (int)n * BAR_STEP, ink);
	if (!isnan(c->reference) && !isinf(c->reference)) {
		double rx = zx + c->reference * scale;
		odl_render_number(num, sizeof(num), c->reference, -1, c->lang);
		fprintf(f, "<line class=\"ref\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"%s\" "
			"stroke-width=\"2\" stroke-dasharray=\"6 4\" data-value=\"%.15g\"/>\n",
			rx, TOP - 8, rx, TOP + (int)n * BAR_STEP + 4, ink, c->reference);
		fprintf(f, "<text x=\"%.2f\" y=\"%d\" fill=\"%s\" text-anchor=\"middle\">", rx,
			TOP + (int)n * BAR_STEP + 20, ink);
		odl_render_html_str(f, c->reference_label ? c->reference_label : "");
		fprintf(f, " %s</text>\n", num);
	}
	fputs("</svg>\n", f);
	return ferror(f) ? ODL_EIO : ODL_OK;
}

static const char *const palette[] = { "#4f6fa8", "#2f7d4a", "#7a4fa8", "#6b6b6b" };

int odl_render_svg_lines(FILE *f, const struct odl_render_chart *c,
			 const char *const *xlabels, size_t nx,
			 const struct odl_render_series *s, size_t ns)
{
	int w = c->width > 0 ? c->width : 720, h = 300;
	double left = 90, right = w - 30, top = TOP, bottom = h - 70;
	double lo = 0, hi = 0, step;
	char num[64];
	size_t i, k;

	for (k = 0; k < ns; k++)
		for (i = 0; i < nx; i++) {
			double v = s[k].y[i];
			if (isnan(v) || isinf(v))
				continue;
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
	if (hi - lo <= 0)
		hi = lo + 1;
	step = nx > 1 ? (right - left) / (double)(nx - 1) : 0;
	svg_open(f, c, w, h);
	fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\"/>\n",
		left, bottom, right, bottom, ink);
	fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>\n",
		left - 6, bottom + 4, ink, odl_render_number(num, sizeof(num), lo, -1, c->lang));
	fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s</text>\n",
		left - 6, top + 4, ink, odl_render_number(num, sizeof(num), hi, -1, c->lang));
	for (i = 0; i < nx; i++) {
		fprintf(f, "<text x=\"%.2f\" y=\"%.0f\" text-anchor=\"middle\" fill=\"%s\">",
			left + step * (double)i + (nx == 1 ? (right - left) / 2 : 0), bottom + 18, ink);
		label(f, xlabels[i], 12);
		fputs("</text>\n", f);
	}
	for (k = 0; k < ns; k++) {
		const char *col = s[k].highlight ? focus_fill : palette[k % 4];
		fprintf(f, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s points=\"",
			col, s[k].highlight ? "3" : "2", s[k].highlight ? "" : " stroke-dasharray=\"6 4\"");
		for (i = 0; i < nx; i++) {
			double v = s[k].y[i];
			if (isnan(v) || isinf(v))
				continue;
			fprintf(f, "%.2f,%.2f ", left + step * (double)i + (nx == 1 ? (right - left) / 2 : 0),
				bottom - (v - lo) / (hi - lo) * (bottom - top));
		}
		fputs("\"/>\n", f);
		for (i = 0; i < nx; i++) {
			double v = s[k].y[i];
			if (isnan(v) || isinf(v))
				continue;
			fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\" data-value=\"%.15g\"><title>",
				left + step * (double)i + (nx == 1 ? (right - left) / 2 : 0),
				bottom - (v - lo) / (hi - lo) * (bottom - top), col, v);
			label(f, s[k].name, 60);
			fputs(" ", f);
			label(f, xlabels[i], 12);
			fprintf(f, " : %s</title></circle>\n", odl_render_number(num, sizeof(num), v, -1, c->lang));
		}
		fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"4\" fill=\"%s\"/>"
			"<text x=\"%.0f\" y=\"%.0f\" fill=\"%s\">", left + (double)k * 220, (double)h - 24,
			col, left + (double)k * 220 + 20, (double)h - 18, ink);
		label(f, s[k].name, 28);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
	return ferror(f) ? ODL_EIO : ODL_OK;
}
