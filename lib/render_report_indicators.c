/*
 * render_report_indicators.c - indicators and comparisons: each
 * ranking beside its chart, values in their units, the peer group said,
 * values not computed saying why, the focus territory over the years.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Units, as the indicator sets name them (data/indicators/): amounts
 * in EUR, EUR per inhabitant, shares as a ratio (shown as a percentage),
 * anything else a count of what the unit names.
 */
static int is_amount(const char *unit)
{
	return !strcmp(unit, "EUR") || !strcmp(unit, "€");
}

static int is_per_inhabitant(const char *unit)
{
	return !strcmp(unit, "EUR/habitant") || !strcmp(unit, "EUR/hab") || !strcmp(unit, "€/hab.");
}

static int is_share(const char *unit)
{
	return !strcmp(unit, "ratio");
}

static int is_percent(const char *unit)
{
	return !strcmp(unit, "%") || !strcmp(unit, "percent");
}

/* The unit as a column title says it ("" when unknown). */
static const char *unit_name(odl_report *R, const char *unit)
{
	if (is_amount(unit))
		return "€";
	if (is_per_inhabitant(unit))
		return L("€/hab.", "€/inhab.");
	if (is_share(unit) || is_percent(unit))
		return "%";
	return unit;
}

/* v with its unit after it: "2 510 000 €", "60,18 €/hab.", "45,2 %"; a
 * count is a plain number (its unit is in the column title). */
static const char *fmtval(odl_report *R, double v, const char *unit, int decimals)
{
	const char *suffix = "";
	char num[64];

	if (isnan(v) || !*unit)
		return report_fmtnum(R, v, decimals);
	if (is_amount(unit) || is_per_inhabitant(unit)) {
		suffix = unit_name(R, unit);
	} else if (is_share(unit)) {
		v *= 100;
		decimals = 1;
		suffix = "%";
	} else if (is_percent(unit)) {
		suffix = "%";
	}
	odl_render_number(num, sizeof(num), v, decimals, R->cfg.lang);
	R->numi = (R->numi + 1) % 16;
	snprintf(R->numbufs[R->numi], sizeof(R->numbufs[R->numi]), "%s%s%s", num,
		 *suffix ? "\xC2\xA0" : "", suffix);
	return R->numbufs[R->numi];
}

/* What odl-compare says of a value it could not compute. */
static const char *null_reason_text(odl_report *R, const char *code)
{
	static const struct { const char *code, *fr, *en; } reasons[] = {
		{ "not-measured", "colonne absente ou vide", "column absent or empty" },
		{ "not-a-number", "cellules illisibles", "unreadable cells" },
		{ "no-rows", "aucune ligne retenue", "no row kept" },
		{ "zero-total", "total nul", "total of zero" },
		{ "overflow", "dépassement de capacité", "overflow" },
		{ "no-denominator", "population inconnue", "population unknown" },
		{ "zero-denominator", "population nulle", "population of zero" },
		{ "bad-denominator", "population illisible", "population unreadable" },
	};
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(code, reasons[i].code))
			return L(reasons[i].fr, reasons[i].en);
	return code;
}

/* A missing value says why, never a bare blank: the reason odl-compare
 * gave, the errors it counted, or at least that it was not computed. */
static const char *not_computed(odl_report *R, const struct irow *r)
{
	char *b;
	size_t size;

	R->numi = (R->numi + 1) % 16;
	b = R->numbufs[R->numi];
	size = sizeof(R->numbufs[R->numi]);
	if (*r->null_reason)
		snprintf(b, size, "%s (%s)", L("non calculé", "not computed"), null_reason_text(R, r->null_reason));
	else if (!isnan(r->n_errors) && r->n_errors > 0)
		snprintf(b, size, "%s (%.0f %s)", L("non calculé", "not computed"), r->n_errors,
			 r->n_errors > 1 ? L("erreurs", "errors") : L("erreur", "error"));
	else
		snprintf(b, size, "%s", L("non calculé", "not computed"));
	return b;
}

static int irow_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	struct ind_view *v = ctx;
	const struct irow *r = &R->M.irows[v->idx[i]];
	size_t c = 0;

	if (v->cmp) {
		cells[c].text = report_fmtnum(R, r->rank, 0);
		cells[c++].num = r->rank;
	}
	cells[c++].text = r->territory;
	cells[c++].text = r->name;
	if (!v->cmp) {
		cells[c++].text = r->indicator;
	}
	cells[c++].text = r->year;
	if (isnan(r->value) && R->cfg.fmt != ODL_FMT_CSV && (v->cmp || *r->null_reason || !isnan(r->n_errors)))
		cells[c].text = not_computed(R, r);
	else
		cells[c].text = fmtval(R, r->value, v->unit, -1);
	cells[c++].num = r->value;
	if (v->cmp) {
		if (v->per_col) {
			cells[c].text = fmtval(R, r->per_value, *v->unit ? "EUR/habitant" : "", -1);
			cells[c++].num = r->per_value;
		}
		if (v->group_col)
			cells[c++].text = r->peer_label;
		cells[c].text = report_fmtnum(R, r->peers, 0);
		cells[c++].num = r->peers;
		cells[c].text = report_fmtnum(R, r->percentile, -1);
		cells[c++].num = r->percentile;
		cells[c].text = fmtval(R, r->median, v->unit, -1);
		cells[c++].num = r->median;
		cells[c].text = fmtval(R, r->q1, v->unit, -1);
		cells[c++].num = r->q1;
		cells[c].text = fmtval(R, r->q3, v->unit, -1);
		cells[c++].num = r->q3;
		cells[c].text = report_fmtnum(R, r->ratio, 2);
		cells[c++].num = r->ratio;
		cells[c].text = fmtval(R, r->change, v->unit, -1);
		cells[c++].num = r->change;
	} else {
		cells[c].text = report_fmtnum(R, r->denominator, -1);
		cells[c++].num = r->denominator;
		cells[c].text = report_fmtnum(R, r->per, 0);
		cells[c++].num = r->per;
		cells[c].text = report_fmtnum(R, r->n_rows, 0);
		cells[c++].num = r->n_rows;
	}
	if (report_is_focus(R, r))
		*flags = ODL_ROW_FOCUS;
	return 0;
}

static size_t irow_cols(odl_report *R, const struct ind_view *v, struct odl_render_col *cols)
{
	size_t n = 0;
	int cmp = v->cmp;
	const char *value = L("Valeur", "Value");

	if (*v->unit) {
		snprintf(R->value_title, sizeof(R->value_title), "%s (%s)", value, unit_name(R, v->unit));
		value = R->value_title;
	}

	if (cmp)
		cols[n++] = (struct odl_render_col){ L("Rang", "Rank"), ODL_ALIGN_RIGHT };
	cols[n++] = (struct odl_render_col){ L("Territoire", "Territory"), ODL_ALIGN_LEFT };
	cols[n++] = (struct odl_render_col){ L("Nom", "Name"), ODL_ALIGN_LEFT };
	if (!cmp)
		cols[n++] = (struct odl_render_col){ L("Indicateur", "Indicator"), ODL_ALIGN_LEFT };
	cols[n++] = (struct odl_render_col){ L("Année", "Year"), ODL_ALIGN_LEFT };
	cols[n++] = (struct odl_render_col){ value, ODL_ALIGN_RIGHT };
	if (cmp) {
		if (v->per_col)
			cols[n++] = (struct odl_render_col){ L("Par habitant", "Per inhabitant"), ODL_ALIGN_RIGHT };
		if (v->group_col)
			cols[n++] = (struct odl_render_col){ L("Groupe de pairs", "Peer group"), ODL_ALIGN_LEFT };
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

/* "Montant par habitant en 2024" */
static void chart_title(odl_report *R, char *buf, size_t size, const char *ind, const char *year,
			const char *unit)
{
	snprintf(buf, size, "%s %s %s%s%s%s", report_indicator_name(R, ind), L("en", "in"), year,
		 *unit ? " (" : "", *unit ? unit_name(R, unit) : "", *unit ? ")" : "");
}

static void ranking_chart(odl_report *R, FILE *f, const struct ind_view *v, const char *ind, const char *year,
			  int standalone)
{
	size_t *sel = report_xcalloc(R, R->cfg.top, sizeof(*sel)), n = report_chart_rows(R, v, sel), i;
	struct odl_render_bar *bars = report_xcalloc(R, n, sizeof(*bars));
	char title[512];
	struct odl_render_chart c = { title, R->cfg.lang, report_median_of(R, v), L("médiane", "median"), 0, standalone };

	chart_title(R, title, sizeof(title), ind, year, v->unit ? v->unit : "");
	for (i = 0; i < n; i++) {
		const struct irow *r = &R->M.irows[sel[i]];
		bars[i].label = *r->name ? r->name : r->territory;
		bars[i].value = report_shown_value(r);
		bars[i].highlight = report_is_focus(R, r);
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

static int series_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	struct series_ctx *s = ctx;
	(void)flags;
	cells[0].text = s->years[i];
	cells[1].text = report_fmtnum(R, s->focus[i], -1);
	cells[1].num = s->focus[i];
	cells[2].text = report_fmtnum(R, s->median[i], -1);
	cells[2].num = s->median[i];
	return 0;
}

static int by_year(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The focus territory over the years, beside its peers' median. */
static void time_series(odl_report *R, const char *ind, const char *focus)
{
	struct series_ctx s = { NULL, NULL, NULL, 0 };
	size_t i, k;
	const char *name = focus;

	s.years = report_xcalloc(R, R->M.nirows, sizeof(*s.years));
	for (i = 0; i < R->M.nirows; i++) {
		const struct irow *r = &R->M.irows[i];
		if (strcmp(r->indicator, ind) || strcmp(r->territory, focus))
			continue;
		for (k = 0; k < s.n && strcmp(s.years[k], r->year); k++)
			;
		if (k == s.n)
			s.years[s.n++] = r->year;
	}
	if (s.n > 1) {
		qsort(s.years, s.n, sizeof(*s.years), by_year);
		s.focus = report_xcalloc(R, s.n, sizeof(double));
		s.median = report_xcalloc(R, s.n, sizeof(double));
		for (k = 0; k < s.n; k++)
			s.focus[k] = s.median[k] = NAN;
		for (i = 0; i < R->M.nirows; i++) {
			const struct irow *r = &R->M.irows[i];
			if (strcmp(r->indicator, ind) || strcmp(r->territory, focus))
				continue;
			for (k = 0; k < s.n && strcmp(s.years[k], r->year); k++)
				;
			s.focus[k] = report_shown_value(r);
			s.median[k] = r->median;
			if (*r->name)
				name = r->name;
		}
		char title[512];
		snprintf(title, sizeof(title), "%s : %s, %s–%s", report_indicator_name(R, ind), name, s.years[0],
			 s.years[s.n - 1]);
		struct odl_render_col cols[3] = { { L("Année", "Year"), ODL_ALIGN_LEFT },
						  { name, ODL_ALIGN_RIGHT },
						  { L("Médiane des pairs", "Peer median"), ODL_ALIGN_RIGHT } };
		report_heading(R, 4, title);
		if (R->cfg.fmt == ODL_FMT_HTML) {
			struct odl_render_series ser[2] = { { name, s.focus, 1 },
							    { L("médiane des pairs", "peer median"), s.median, 0 } };
			fputs("<div class=\"pair\"><figure>\n", R->out);
			odl_render_svg_lines(R->out, &(struct odl_render_chart){ title, R->cfg.lang, NAN, NULL, 0, 0 },
					     s.years, s.n, ser, 2);
			fputs("</figure>\n", R->out);
		}
		report_table(R, R->cfg.fmt == ODL_FMT_HTML ? title : NULL, NULL, cols, 3, s.n, series_row, &s, 0);
		if (R->cfg.fmt == ODL_FMT_HTML)
			fputs("</div>\n", R->out);
		free(s.focus);
		free(s.median);
	}
	free(s.years);
}

struct chart_ctx {
	size_t *sel;
	size_t n;
	const char *unit;
};

static int chart_table_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	struct chart_ctx *c = ctx;
	const struct irow *r = &R->M.irows[c->sel[i]];
	cells[0].text = *r->name ? r->name : r->territory;
	cells[1].text = isnan(report_shown_value(r)) ? not_computed(R, r)
			: fmtval(R, report_shown_value(r), isnan(r->value) ? "" : c->unit, -1);
	cells[1].num = report_shown_value(r);
	if (report_is_focus(R, r))
		*flags = ODL_ROW_FOCUS;
	return 0;
}

/* The unit of an indicator's rows, the columns that mean something for it. */
static void view_columns(odl_report *R, struct ind_view *v, const char *ind)
{
	size_t i, j;

	v->unit = "";
	for (i = 0; i < v->n && !*v->unit; i++)
		v->unit = R->M.irows[v->idx[i]].unit;
	/* per inhabitant means something for an amount, not for a count, a
	 * median or a share; rows without a unit keep the column */
	v->per_col = v->cmp && (!*v->unit || (is_amount(v->unit) && !strstr(ind, "median")));
	v->group_col = 0;
	for (i = 1; i < v->n && !v->group_col; i++)
		for (j = 0; j < i && !v->group_col; j++)
			v->group_col = strcmp(R->M.irows[v->idx[i]].group, R->M.irows[v->idx[j]].group) != 0;
	if (v->group_col) {
		/* each group's rows together, in rank order, groups as met */
		size_t *by = report_xcalloc(R, v->n, sizeof(size_t)), n = 0;
		for (i = 0; i < v->n; i++) {
			const char *g = R->M.irows[v->idx[i]].group;
			for (j = 0; j < i && strcmp(R->M.irows[v->idx[j]].group, g); j++)
				;
			if (j < i)
				continue;
			for (j = i; j < v->n; j++)
				if (!strcmp(R->M.irows[v->idx[j]].group, g))
					by[n++] = v->idx[j];
		}
		memcpy(v->idx, by, n * sizeof(size_t));
		free(by);
	}
}

/* The bar chart of one ranking, its table beside it, its notes. */
static void ranking_figure(odl_report *R, const struct ind_view *v, const char *ind, const char *year,
			   const char *title)
{
	struct chart_ctx cc;
	struct odl_render_col ccols[2] = { { L("Territoire", "Territory"), ODL_ALIGN_LEFT },
					   { R->value_title, ODL_ALIGN_RIGHT } };
	double median = report_median_of(R, v);

	snprintf(R->value_title, sizeof(R->value_title), "%s%s%s%s", L("Valeur", "Value"),
		 *v->unit ? " (" : "", *v->unit ? unit_name(R, v->unit) : "", *v->unit ? ")" : "");
	cc.sel = report_xcalloc(R, R->cfg.top, sizeof(size_t));
	cc.n = report_chart_rows(R, v, cc.sel);
	cc.unit = v->unit;
	fputs("<div class=\"pair\"><figure>\n", R->out);
	ranking_chart(R, R->out, v, ind, year, 0);
	fputs("</figure>\n", R->out);
	report_table(R, title, NULL, ccols, 2, cc.n, chart_table_row, &cc, 0);
	fputs("</div>\n", R->out);
	free(cc.sel);
	if (v->n > cc.n) {
		char note[256];
		snprintf(note, sizeof(note), L("Le graphique montre %s territoires sur %s ; le tableau complet suit.",
					       "The chart shows %s territories of %s; the full table follows."),
			 report_fmtint(R, cc.n), report_fmtint(R, v->n));
		report_para(R, "note", note);
	}
	if (!isnan(median)) {
		char note[256];
		const char *m = fmtval(R, median, v->unit, -1);
		/* one final period, even after "€/hab." */
		snprintf(note, sizeof(note), L("Médiane des pairs : %s%s", "Peer median: %s%s"), m,
			 *m && m[strlen(m) - 1] == '.' ? "" : ".");
		report_para(R, "note", note);
	}
}

/* Rankings of different peer groups are not comparable: one chart each. */
static void group_figures(odl_report *R, const struct ind_view *v, const char *ind, const char *year)
{
	struct ind_view g = *v;
	size_t i, j, k;

	g.idx = report_xcalloc(R, v->n, sizeof(size_t));
	for (i = 0; i < v->n; i++) {
		const struct irow *first = &R->M.irows[v->idx[i]];
		char title[700];
		for (j = 0; j < i && strcmp(R->M.irows[v->idx[j]].group, first->group); j++)
			;
		if (j < i)
			continue; /* that group was drawn */
		g.n = 0;
		for (k = i; k < v->n; k++)
			if (!strcmp(R->M.irows[v->idx[k]].group, first->group))
				g.idx[g.n++] = v->idx[k];
		snprintf(title, sizeof(title), L("Groupe de pairs : %s", "Peer group: %s"),
			 *first->peer_label ? first->peer_label : L("sans groupe", "no group"));
		report_heading(R, 4, title);
		ranking_figure(R, &g, ind, year, title);
	}
	free(g.idx);
}

/* With a focus: which peers it is ranked among. */
static void focus_group_note(odl_report *R, const struct ind_view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct irow *r = &R->M.irows[v->idx[i]];
		char note[600];
		if (!report_is_focus(R, r) || !*r->peer_label)
			continue;
		snprintf(note, sizeof(note), L("%s : classement parmi les pairs du groupe %s (%s %s).",
					       "%s: ranked among the peers of group %s (%s %s)."),
			 *r->name ? r->name : r->territory, r->peer_label, report_fmtint(R, v->n),
			 v->n > 1 ? L("territoires", "territories") : L("territoire", "territory"));
		report_para(R, "note peers", note);
		return;
	}
}

void report_view_indicators(odl_report *R)
{
	struct odl_render_col cols[16];
	size_t ncols, nind, k;
	const char **inds;

	nind = report_indicator_list(R, &inds);
	if (R->cfg.fmt == ODL_FMT_CSV) {
		/* the rows as they are, for every year */
		struct ind_view all = { report_xcalloc(R, R->M.nirows, sizeof(size_t)), 0, R->M.comparison,
					"", 1, 0 };
		for (size_t i = 0; i < R->M.nirows; i++)
			if (!R->cfg.indicator || !strcmp(R->cfg.indicator, R->M.irows[i].indicator))
				all.idx[all.n++] = i;
		ncols = irow_cols(R, &all, cols);
		report_csv_begin(R);
		report_table(R, NULL, NULL, cols, ncols, all.n, irow_row, &all, 0);
		free(all.idx);
		free(inds);
		return;
	}
	report_heading(R, 2, R->M.comparison ? L("Comparaison avec les pairs", "Comparison with peers")
				: L("Indicateurs", "Indicators"));
	for (k = 0; k < nind; k++) {
		const char *year = report_year_of(R, inds[k]);
		struct ind_view v;
		char title[512];

		report_build_view(R, &v, inds[k], year);
		view_columns(R, &v, inds[k]);
		chart_title(R, title, sizeof(title), inds[k], year, v.unit);
		report_heading(R, 3, title);
		if (R->cfg.fmt == ODL_FMT_HTML && v.n) {
			if (v.group_col)
				group_figures(R, &v, inds[k], year);
			else
				ranking_figure(R, &v, inds[k], year, title);
		}
		if (R->cfg.focus)
			focus_group_note(R, &v);
		ncols = irow_cols(R, &v, cols);
		report_table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Tableau complet", "Full table") : NULL, NULL, cols, ncols,
		      v.n, irow_row, &v, 1);
		if (R->cfg.focus)
			time_series(R, inds[k], R->cfg.focus);
		free(v.idx);
	}
	free(inds);
}

/* SVG: the first indicator's ranking; -1 when there is none. */
int report_ranking_svg(odl_report *R)
{
	const char **inds;
	size_t n = report_indicator_list(R, &inds);

	if (n) {
		struct ind_view v;
		const char *year = report_year_of(R, inds[0]);
		report_build_view(R, &v, inds[0], year);
		view_columns(R, &v, inds[0]);
		ranking_chart(R, R->out, &v, inds[0], year, 1);
		free(v.idx);
	}
	free(inds);
	return n ? 0 : -1;
}
