/*
 * render_report.c - the report's views: the compliance dashboard, the
 * indicators and their rankings beside the peers, the validation reports
 * with their errors grouped and explained, the fetch manifests and the
 * generic tables, in text, Markdown, CSV, HTML or one SVG chart.  What is
 * shown was chosen by report_model.c; here it is only written.
 */
#include "report.h"
#include "error.h"
#include "odl/messages.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rotating buffers so that several formatted numbers live in one row. */
static const char *fmtnum(odl_report *R, double v, int decimals)
{
	R->numi = (R->numi + 1) % 16;
	return odl_render_number(R->numbufs[R->numi], sizeof(R->numbufs[R->numi]), v, decimals,
				 R->cfg.lang);
}

static const char *fmtint(odl_report *R, uint64_t v)
{
	return fmtnum(R, (double)v, 0);
}

/* ---- document structure -------------------------------------------- */

static void heading(odl_report *R, int level, const char *text)
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
static void para(odl_report *R, const char *cls, const char *text)
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

static void table(odl_report *R, const char *caption, const char *id, const struct odl_render_col *cols,
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

static void csv_begin(odl_report *R)
{
	if (R->csv_tables++)
		fputc('\n', R->out);
}

/* ---- compliance dashboard ------------------------------------------ */

static const char *report_anchor(odl_report *R, const char *path)
{
	for (size_t i = 0; path && i < R->M.nreports; i++)
		if (strcmp(R->M.reports[i].path, path) == 0) {
			snprintf(R->anchor, sizeof(R->anchor), "#rapport-%zu", i + 1);
			return R->anchor;
		}
	return NULL;
}

static const char *comp_link(odl_report *R, const struct comp *c)
{
	char *buf = R->link;
	const char *a, *p;
	size_t o = 0;

	if ((a = report_anchor(R, c->report)))
		return R->cfg.fmt == ODL_FMT_HTML ? a : c->report;
	if (!R->cfg.link)
		return c->report;
	for (p = R->cfg.link; *p && o + 1 < sizeof(R->link); p++) {
		if (strncmp(p, "{code}", 6) == 0) {
			o += (size_t)snprintf(buf + o, sizeof(R->link) - o, "%s", c->code);
			if (o >= sizeof(R->link))
				o = sizeof(R->link) - 1;
			p += 5;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = 0;
	return buf;
}

static const char *obligated_text(odl_report *R, int o)
{
	if (R->cfg.fmt == ODL_FMT_CSV)
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

static int comp_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	const struct comp *c = &((const struct comp *)ctx)[i];

	cells[0].text = c->code;
	cells[0].href = comp_link(R, c);
	cells[1].text = c->name;
	cells[2].text = c->type;
	cells[3].text = fmtnum(R, c->population, 0);
	cells[3].num = c->population;
	cells[4].text = fmtnum(R, c->agents, -1);
	cells[4].num = c->agents;
	cells[5].text = obligated_text(R, c->obligated);
	cells[6].text = fmtnum(R, isnan(c->datasets) ? c->published : c->datasets, -1);
	cells[6].num = isnan(c->datasets) ? c->published : c->datasets;
	cells[7].text = fmtnum(R, c->valid, -1);
	cells[7].num = c->valid;
	cells[8].text = fmtnum(R, c->days, 0);
	cells[8].num = c->days;
	R->grade[0] = c->grade;
	cells[9].text = R->grade;
	if (R->cfg.focus && strcmp(R->cfg.focus, c->code) == 0)
		*flags = ODL_ROW_FOCUS;
	return 0;
}

struct grade_count {
	char label[32];
	double n;
};

static int grade_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	struct grade_count *g = ctx;
	(void)flags;
	cells[0].text = g[i].label;
	cells[1].text = fmtnum(R, g[i].n, 0);
	cells[1].num = g[i].n;
	return 0;
}

static size_t grades(odl_report *R, struct grade_count g[6])
{
	size_t n = 0;
	for (int k = 0; k < 6; k++) {
		snprintf(g[k].label, sizeof(g[k].label), "%s", k < 5 ? (char[]){ (char)('A' + k), 0 }
								: L("sans note", "no grade"));
		g[k].n = 0;
	}
	for (size_t i = 0; i < R->M.ncomps; i++)
		g[R->M.comps[i].grade ? R->M.comps[i].grade - 'A' : 5].n++;
	n = g[5].n > 0 ? 6 : 5;
	return n;
}

static void grade_chart(odl_report *R, FILE *f, int standalone)
{
	struct grade_count g[6];
	struct odl_render_bar bars[6];
	size_t n = grades(R, g);
	struct odl_render_chart c = { L("Collectivités par note", "Territories by grade"), R->cfg.lang, NAN,
				      NULL, 560, standalone };

	for (size_t i = 0; i < n; i++) {
		bars[i].label = g[i].label;
		bars[i].value = g[i].n;
		bars[i].highlight = 0;
	}
	odl_render_svg_bars(f, &c, bars, n);
}

static void view_compliance(odl_report *R)
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

	if (R->cfg.fmt == ODL_FMT_CSV) {
		csv_begin(R);
		table(R, NULL, NULL, cols, 10, R->M.ncomps, comp_row, R->M.comps, 0);
		return;
	}
	for (i = 0; i < R->M.ncomps; i++) {
		obligated += R->M.comps[i].obligated == 1;
		unknown += R->M.comps[i].obligated == -1;
		pub += publishing(&R->M.comps[i]);
		valid += R->M.comps[i].valid > 0;
	}
	heading(R, 2, L("Tableau de bord de l'ouverture des données", "Open data compliance dashboard"));
	if (R->cfg.fmt == ODL_FMT_HTML) {
		fprintf(R->out, "<ul class=\"cards\">\n<li><b>%s</b>%s</li>\n<li><b>%s</b>%s</li>\n",
			fmtint(R, R->M.ncomps), L("collectivités", "territories"), fmtint(R, obligated),
			L("soumises à l'obligation", "under the obligation"));
		if (unknown)
			fprintf(R->out, "<li><b>%s</b>%s</li>\n", fmtint(R, unknown),
				L("effectif d'agents inconnu", "agents unknown"));
		fprintf(R->out, "<li><b>%s</b>%s</li>\n<li><b>%s</b>%s</li>\n</ul>\n", fmtint(R, pub),
			L("publient des données", "publish data"), fmtint(R, valid),
			L("ont au moins un fichier valide", "have a valid file"));
	} else {
		snprintf(line, sizeof(line), L("%s collectivités, %s soumises à l'obligation%s%s%s, %s publient des données, %s ont au moins un fichier valide",
					       "%s territories, %s under the obligation%s%s%s, %s publish data, %s have a valid file"),
			 fmtint(R, R->M.ncomps), fmtint(R, obligated), unknown ? " (" : "",
			 unknown ? fmtint(R, unknown) : "",
			 unknown ? L(" à l'effectif d'agents inconnu)", " with unknown agents)") : "",
			 fmtint(R, pub), fmtint(R, valid));
		para(R, NULL, line);
	}
	if (R->cfg.today) {
		/* grades age with the data: say which day they were counted on */
		snprintf(line, sizeof(line), L("Notes calculées au %s.", "Grades as of %s."), R->cfg.today);
		para(R, "note", line);
	}
	ng = grades(R, g);
	heading(R, 3, L("Répartition par note", "Grades"));
	if (R->cfg.fmt == ODL_FMT_HTML) {
		fputs("<div class=\"pair\"><figure>\n", R->out);
		grade_chart(R, R->out, 0);
		fputs("</figure>\n", R->out);
	}
	table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Collectivités par note", "Territories by grade") : NULL,
	      NULL, R->cfg.fr ? gcols : gcols_en, 2, ng, grade_row, g, 0);
	if (R->cfg.fmt == ODL_FMT_HTML)
		fputs("</div>\n", R->out);
	heading(R, 3, L("Toutes les collectivités", "All territories"));
	table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Collectivités, obligation et publication", "Territories, obligation and publication") : NULL,
	      "collectivites", cols, 10, R->M.ncomps, comp_row, R->M.comps, 1);
}

/* ---- comparison and indicators ------------------------------------- */

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
		return fmtnum(R, v, decimals);
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
		cells[c].text = fmtnum(R, r->rank, 0);
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
		cells[c].text = fmtnum(R, r->peers, 0);
		cells[c++].num = r->peers;
		cells[c].text = fmtnum(R, r->percentile, -1);
		cells[c++].num = r->percentile;
		cells[c].text = fmtval(R, r->median, v->unit, -1);
		cells[c++].num = r->median;
		cells[c].text = fmtval(R, r->q1, v->unit, -1);
		cells[c++].num = r->q1;
		cells[c].text = fmtval(R, r->q3, v->unit, -1);
		cells[c++].num = r->q3;
		cells[c].text = fmtnum(R, r->ratio, 2);
		cells[c++].num = r->ratio;
		cells[c].text = fmtval(R, r->change, v->unit, -1);
		cells[c++].num = r->change;
	} else {
		cells[c].text = fmtnum(R, r->denominator, -1);
		cells[c++].num = r->denominator;
		cells[c].text = fmtnum(R, r->per, 0);
		cells[c++].num = r->per;
		cells[c].text = fmtnum(R, r->n_rows, 0);
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
	cells[1].text = fmtnum(R, s->focus[i], -1);
	cells[1].num = s->focus[i];
	cells[2].text = fmtnum(R, s->median[i], -1);
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
		heading(R, 4, title);
		if (R->cfg.fmt == ODL_FMT_HTML) {
			struct odl_render_series ser[2] = { { name, s.focus, 1 },
							    { L("médiane des pairs", "peer median"), s.median, 0 } };
			fputs("<div class=\"pair\"><figure>\n", R->out);
			odl_render_svg_lines(R->out, &(struct odl_render_chart){ title, R->cfg.lang, NAN, NULL, 0, 0 },
					     s.years, s.n, ser, 2);
			fputs("</figure>\n", R->out);
		}
		table(R, R->cfg.fmt == ODL_FMT_HTML ? title : NULL, NULL, cols, 3, s.n, series_row, &s, 0);
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
	table(R, title, NULL, ccols, 2, cc.n, chart_table_row, &cc, 0);
	fputs("</div>\n", R->out);
	free(cc.sel);
	if (v->n > cc.n) {
		char note[256];
		snprintf(note, sizeof(note), L("Le graphique montre %s territoires sur %s ; le tableau complet suit.",
					       "The chart shows %s territories of %s; the full table follows."),
			 fmtint(R, cc.n), fmtint(R, v->n));
		para(R, "note", note);
	}
	if (!isnan(median)) {
		char note[256];
		const char *m = fmtval(R, median, v->unit, -1);
		/* one final period, even after "€/hab." */
		snprintf(note, sizeof(note), L("Médiane des pairs : %s%s", "Peer median: %s%s"), m,
			 *m && m[strlen(m) - 1] == '.' ? "" : ".");
		para(R, "note", note);
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
		heading(R, 4, title);
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
			 *r->name ? r->name : r->territory, r->peer_label, fmtint(R, v->n),
			 v->n > 1 ? L("territoires", "territories") : L("territoire", "territory"));
		para(R, "note peers", note);
		return;
	}
}

static void view_indicators(odl_report *R)
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
		csv_begin(R);
		table(R, NULL, NULL, cols, ncols, all.n, irow_row, &all, 0);
		free(all.idx);
		free(inds);
		return;
	}
	heading(R, 2, R->M.comparison ? L("Comparaison avec les pairs", "Comparison with peers")
				: L("Indicateurs", "Indicators"));
	for (k = 0; k < nind; k++) {
		const char *year = report_year_of(R, inds[k]);
		struct ind_view v;
		char title[512];

		report_build_view(R, &v, inds[k], year);
		view_columns(R, &v, inds[k]);
		chart_title(R, title, sizeof(title), inds[k], year, v.unit);
		heading(R, 3, title);
		if (R->cfg.fmt == ODL_FMT_HTML && v.n) {
			if (v.group_col)
				group_figures(R, &v, inds[k], year);
			else
				ranking_figure(R, &v, inds[k], year, title);
		}
		if (R->cfg.focus)
			focus_group_note(R, &v);
		ncols = irow_cols(R, &v, cols);
		table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Tableau complet", "Full table") : NULL, NULL, cols, ncols,
		      v.n, irow_row, &v, 1);
		if (R->cfg.focus)
			time_series(R, inds[k], R->cfg.focus);
		free(v.idx);
	}
	free(inds);
}

/* ---- validation reports -------------------------------------------- */

struct count_row {
	const char *code;
	double n;
};

static int count_row_fn(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	struct count_row *c = ctx;
	(void)flags;
	cells[0].text = c[i].code;
	cells[1].text = odl_render_code_title(c[i].code, R->cfg.lang);
	cells[2].text = fmtnum(R, c[i].n, 0);
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

static size_t count_rows(odl_report *R, const struct report *r, struct count_row **out_rows)
{
	size_t n = 0;
	const char *k;
	json_t *v;
	struct count_row *c = report_xcalloc(R, json_object_size(r->counts), sizeof(*c));

	json_object_foreach(r->counts, k, v) {
		c[n].code = k;
		c[n++].n = json_number_value(v);
	}
	qsort(c, n, sizeof(*c), by_count_desc);
	*out_rows = c;
	return n;
}

static void counts_chart(odl_report *R, FILE *f, const struct report *r, int standalone)
{
	struct count_row *c;
	size_t n = count_rows(R, r, &c);
	struct odl_render_bar *bars = report_xcalloc(R, n, sizeof(*bars));
	char title[512];
	struct odl_render_chart ch = { title, R->cfg.lang, NAN, NULL, 0, standalone };

	snprintf(title, sizeof(title), L("Erreurs par code : %s", "Errors by code: %s"), r->path);
	for (size_t i = 0; i < n; i++) {
		bars[i].label = c[i].code;
		bars[i].value = c[i].n;
	}
	odl_render_svg_bars(f, &ch, bars, n);
	free(bars);
	free(c);
}

static int example_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	const struct odl_render_group *g = ctx;
	const struct odl_render_example *e = &g->examples[i];
	(void)flags;
	cells[0].text = e->row ? fmtint(R, e->row) : "";
	cells[0].num = e->row ? (double)e->row : NAN;
	cells[1].text = e->column ? fmtint(R, e->column) : "";
	cells[1].num = e->column ? (double)e->column : NAN;
	cells[2].text = !e->cell ? "" : *e->cell ? e->cell : L("(vide)", "(empty)");
	cells[3].text = e->message ? e->message : "";
	return 0;
}

struct csv_report_ctx {
	const struct report *r;
};

static void verdict(odl_report *R, const struct report *r, char *buf, size_t size)
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
		 schema, fmtnum(R, r->rows, 0), L("lignes", "rows"), fmtnum(R, r->error_count, 0),
		 L("erreurs", "errors"));
}

static const char *warning_code(json_t *w)
{
	json_t *t = json_object_get(w, "type");

	if (!json_is_string(t))
		t = json_object_get(w, "code");
	return json_is_string(t) ? json_string_value(t) : NULL;
}

static void list_item(odl_report *R, const char *s)
{
	char line[1200];

	if (R->cfg.fmt == ODL_FMT_HTML) {
		fputs("<li>", R->out);
		odl_render_html_str(R->out, s);
		fputs("</li>\n", R->out);
	} else {
		snprintf(line, sizeof(line), "- %s", s);
		para(R, NULL, line);
	}
}

static void list(odl_report *R, int open)
{
	if (R->cfg.fmt == ODL_FMT_HTML)
		fputs(open ? "<ul>\n" : "</ul>\n", R->out);
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
static void report_warnings(odl_report *R, const struct report *r)
{
	size_t i, j, n = json_array_size(r->warnings);
	json_t *w;
	char line[1200], *dump;
	const char *s, *fix, *title;
	int any = 0;

	heading(R, 4, L("Avertissements", "Warnings"));
	json_array_foreach(r->warnings, i, w) {
		if (warning_code(w))
			continue;
		if (!any++)
			list(R, 1);
		s = warning_text(w, &dump);
		list_item(R, s);
		free(dump);
	}
	if (any)
		list(R, 0);
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
		title = odl_render_code_title(code, R->cfg.lang);
		if (strcmp(title, code) == 0)
			snprintf(line, sizeof(line), L("%s : %zu %s", "%s: %zu %s"), code, count,
				 count > 1 ? L("avertissements", "warnings") : L("avertissement", "warning"));
		else
			snprintf(line, sizeof(line), L("%s (%s) : %zu %s", "%s (%s): %zu %s"), title, code, count,
				 count > 1 ? L("avertissements", "warnings") : L("avertissement", "warning"));
		heading(R, 4, line);
		if (odl_render_code_explanation(code, R->cfg.lang))
			para(R, NULL, odl_render_code_explanation(code, R->cfg.lang));
		fix = own_fix(r->warnings, code);
		if (fix || odl_message_get(code, R->cfg.lang)) {
			snprintf(line, sizeof(line), "%s %s", L("Comment corriger :", "How to fix:"),
				 fix ? fix : odl_render_code_fix(code, R->cfg.lang));
			para(R, NULL, line);
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
				list(R, 1);
			list_item(R, s);
			free(dump);
		}
		if (any)
			list(R, 0);
	}
}

static void view_report(odl_report *R, size_t idx)
{
	static const struct odl_render_col ecols_fr[] = { { "Ligne", ODL_ALIGN_RIGHT }, { "Colonne", ODL_ALIGN_RIGHT },
							  { "Cellule", ODL_ALIGN_LEFT }, { "Message", ODL_ALIGN_LEFT } };
	static const struct odl_render_col ecols_en[] = { { "Row", ODL_ALIGN_RIGHT }, { "Column", ODL_ALIGN_RIGHT },
							  { "Cell", ODL_ALIGN_LEFT }, { "Message", ODL_ALIGN_LEFT } };
	const struct odl_render_col ccols[] = { { "Code", ODL_ALIGN_LEFT },
						{ L("Signification", "Meaning"), ODL_ALIGN_LEFT },
						{ L("Erreurs", "Errors"), ODL_ALIGN_RIGHT } };
	const struct report *r = &R->M.reports[idx];
	struct count_row *c;
	size_t nc = count_rows(R, r, &c), g;
	char line[1200];

	if (R->cfg.fmt == ODL_FMT_HTML)
		fprintf(R->out, "<section id=\"rapport-%zu\">\n", idx + 1);
	heading(R, 3, r->path);
	verdict(R, r, line, sizeof(line));
	if (R->cfg.fmt == ODL_FMT_HTML) {
		fprintf(R->out, "<p class=\"%s\">%s</p>\n", r->valid == 1 ? "ok" : "ko",
			r->valid == 1 ? L("✔ Fichier valide", "✔ Valid file")
				      : r->valid == 0 ? L("✘ Fichier invalide", "✘ Invalid file")
						      : L("Verdict inconnu", "No verdict"));
	}
	para(R, NULL, line);
	if (r->complete == 0 || (r->sum && odl_render_summary_total(r->sum) < r->error_count)) {
		snprintf(line, sizeof(line),
			 L("Le rapport ne détaille que %s erreurs sur %s (limite fixée à la validation).",
			   "The report details only %s errors of %s (a limit set at validation)."),
			 fmtint(R, odl_render_summary_total(r->sum)), fmtnum(R, r->error_count, 0));
		para(R, "note", line);
	}
	if (nc) {
		if (R->cfg.fmt == ODL_FMT_HTML) {
			fputs("<div class=\"pair\"><figure>\n", R->out);
			counts_chart(R, R->out, r, 0);
			fputs("</figure>\n", R->out);
		}
		table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Erreurs par code", "Errors by code") : NULL, NULL, ccols, 3,
		      nc, count_row_fn, c, 0);
		if (R->cfg.fmt == ODL_FMT_HTML)
			fputs("</div>\n", R->out);
	}
	free(c);
	for (g = 0; g < odl_render_summary_ngroups(r->sum); g++) {
		const struct odl_render_group *gr = odl_render_summary_group(r->sum, g);
		char title[700];
		if (*gr->field)
			snprintf(title, sizeof(title), "%s — %s « %s » : %s %s", odl_render_code_title(gr->type, R->cfg.lang),
				 L("colonne", "column"), gr->field, fmtint(R, gr->count),
				 gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		else if (strcmp(odl_render_code_title(gr->type, R->cfg.lang), gr->type) == 0)
			snprintf(title, sizeof(title), "%s : %s %s", gr->type, fmtint(R, gr->count),
				 gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		else
			snprintf(title, sizeof(title), "%s (%s) : %s %s", odl_render_code_title(gr->type, R->cfg.lang),
				 gr->type, fmtint(R, gr->count), gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		heading(R, 4, title);
		if (odl_render_code_explanation(gr->type, R->cfg.lang))
			para(R, NULL, odl_render_code_explanation(gr->type, R->cfg.lang));
		snprintf(line, sizeof(line), "%s %s", L("Comment corriger :", "How to fix:"),
			 json_is_string(json_object_get(r->fixes, gr->type)) ?
			 json_string_value(json_object_get(r->fixes, gr->type)) :
			 odl_render_code_fix(gr->type, R->cfg.lang));
		para(R, NULL, line);
		if (gr->nexamples)
			table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Exemples", "Examples") : NULL, NULL,
			      R->cfg.fr ? ecols_fr : ecols_en, 4, gr->nexamples, example_row, (void *)gr, 0);
	}
	if (json_array_size(r->warnings))
		report_warnings(R, r);
	if (R->cfg.fmt == ODL_FMT_HTML)
		fputs("</section>\n", R->out);
}

/* CSV: one line per error group, the verdict repeated. */
struct flat {
	size_t report, group;
};


static int report_csv_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	const struct report *r = &R->M.reports[R->flats[i].report];
	const struct odl_render_group *g = odl_render_summary_group(r->sum, R->flats[i].group);
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
		snprintf(R->ex_row, sizeof(R->ex_row), "%llu", (unsigned long long)(g->nexamples ? g->examples[0].row : 0));
		cells[9].text = g->nexamples && g->examples[0].row ? R->ex_row : "";
		cells[10].text = g->nexamples && g->examples[0].cell ? g->examples[0].cell : "";
		cells[11].text = json_is_string(json_object_get(r->fixes, g->type)) ?
				 json_string_value(json_object_get(r->fixes, g->type)) :
				 odl_render_code_fix(g->type, R->cfg.lang);
	}
	return 0;
}

static void view_reports(odl_report *R)
{
	size_t i, valid = 0;
	char line[256];

	if (R->cfg.fmt == ODL_FMT_CSV) {
		static const struct odl_render_col cols[] = {
			{ "path", 0 }, { "schema", 0 }, { "version", 0 }, { "valid", 0 }, { "rows", 1 },
			{ "error_count", 1 }, { "type", 0 }, { "field", 0 }, { "count", 1 },
			{ "example_row", 1 }, { "example_cell", 0 }, { "how_to_fix", 0 } };
		size_t n = 0;
		for (i = 0; i < R->M.nreports; i++)
			n += odl_render_summary_ngroups(R->M.reports[i].sum) ? odl_render_summary_ngroups(R->M.reports[i].sum) : 1;
		R->flats = report_xcalloc(R, n, sizeof(*R->flats));
		n = 0;
		for (i = 0; i < R->M.nreports; i++) {
			size_t g = odl_render_summary_ngroups(R->M.reports[i].sum);
			for (size_t k = 0; k < (g ? g : 1); k++)
				R->flats[n++] = (struct flat){ i, g ? k : (size_t)-1 };
		}
		csv_begin(R);
		table(R, NULL, NULL, cols, 12, n, report_csv_row, NULL, 0);
		free(R->flats);
		return;
	}
	for (i = 0; i < R->M.nreports; i++)
		valid += R->M.reports[i].valid == 1;
	heading(R, 2, L("Rapports de validation", "Validation reports"));
	snprintf(line, sizeof(line), L("%s fichiers, %s valides, %s invalides.", "%s files, %s valid, %s invalid."),
		 fmtint(R, R->M.nreports), fmtint(R, valid), fmtint(R, R->M.nreports - valid));
	para(R, NULL, line);
	for (i = 0; i < R->M.nreports; i++)
		view_report(R, i);
}

/* ---- fetch manifests ----------------------------------------------- */

static int manifest_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	const struct manifest *m = &((const struct manifest *)ctx)[i];
	(void)flags;
	cells[0].text = m->status;
	cells[1].text = m->org;
	cells[2].text = m->dataset;
	cells[3].text = m->resource;
	cells[4].text = m->schema;
	cells[5].text = fmtnum(R, m->http, 0);
	cells[5].num = m->http;
	cells[6].text = fmtnum(R, m->bytes, 0);
	cells[6].num = m->bytes;
	cells[7].text = *m->path ? m->path : m->url;
	cells[7].href = R->cfg.fmt == ODL_FMT_HTML && *m->url ? m->url : NULL;
	cells[8].text = m->error;
	return 0;
}

static void view_manifests(odl_report *R)
{
	const struct odl_render_col cols[] = {
		{ L("Statut", "Status"), 0 }, { L("Organisation", "Organization"), 0 },
		{ L("Jeu de données", "Dataset"), 0 }, { L("Ressource", "Resource"), 0 },
		{ L("Schéma", "Schema"), 0 }, { "HTTP", 1 }, { L("Octets", "Bytes"), 1 },
		{ L("Fichier", "File"), 0 }, { L("Erreur", "Error"), 0 } };
	static const char *const st[] = { "ok", "not-modified", "cached", "failed" };
	size_t counts[4] = { 0 }, i, k;
	char line[512];

	if (R->cfg.fmt == ODL_FMT_CSV) {
		csv_begin(R);
		table(R, NULL, NULL, cols, 9, R->M.nmanifests, manifest_row, R->M.manifests, 0);
		return;
	}
	for (i = 0; i < R->M.nmanifests; i++)
		for (k = 0; k < 4; k++)
			counts[k] += strcmp(R->M.manifests[i].status, st[k]) == 0;
	heading(R, 2, L("Téléchargements", "Downloads"));
	snprintf(line, sizeof(line), L("%s ressources : %s téléchargées, %s inchangées, %s en cache, %s en échec.",
				       "%s resources: %s downloaded, %s not modified, %s cached, %s failed."),
		 fmtint(R, R->M.nmanifests), fmtint(R, counts[0]), fmtint(R, counts[1]), fmtint(R, counts[2]), fmtint(R, counts[3]));
	para(R, NULL, line);
	table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Ressources téléchargées", "Downloaded resources") : NULL, "telechargements",
	      cols, 9, R->M.nmanifests, manifest_row, R->M.manifests, 1);
}

/* ---- generic tables ------------------------------------------------ */

static int generic_row(void *arg, size_t i, struct odl_render_cell *cells, int *flags)
{
	odl_report *R = arg;
	void *ctx = R->ctx;
	const struct table *t = ctx;
	(void)flags;
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = t->cells[i * t->ncols + c];
		cells[c].text = s;
		if (R->cfg.fmt != ODL_FMT_CSV && odl_render_is_number(s, strlen(s)))
			cells[c].num = strtod(s, NULL);
	}
	return 0;
}

static void view_tables(odl_report *R)
{
	for (size_t k = 0; k < R->M.ntables; k++) {
		struct table *t = &R->M.tables[k];
		struct odl_render_col *cols = report_xcalloc(R, t->ncols, sizeof(*cols));
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
		if (R->cfg.fmt == ODL_FMT_CSV) {
			csv_begin(R);
		} else {
			heading(R, 2, t->source);
		}
		table(R, R->cfg.fmt == ODL_FMT_HTML ? t->source : NULL, NULL, cols, t->ncols, t->nrows, generic_row, t,
		      1);
		if (t->dropped && R->cfg.fmt != ODL_FMT_CSV) {
			char note[200];
			snprintf(note, sizeof(note), L("%s lignes de plus ne sont pas montrées (--max-rows).",
						       "%s more rows are not shown (--max-rows)."),
				 fmtint(R, t->dropped));
			para(R, "note", note);
		}
		free(cols);
	}
}

/* ---- SVG: the first chart there is --------------------------------- */

static int write_svg(odl_report *R)
{
	if (R->M.nirows) {
		const char **inds;
		size_t n = report_indicator_list(R, &inds);
		if (n) {
			struct ind_view v;
			const char *year = report_year_of(R, inds[0]);
			report_build_view(R, &v, inds[0], year);
			view_columns(R, &v, inds[0]);
			ranking_chart(R, R->out, &v, inds[0], year, 1);
			free(v.idx);
			free(inds);
			return 0;
		}
		free(inds);
	}
	if (R->M.ncomps) {
		grade_chart(R, R->out, 1);
		return 0;
	}
	for (size_t i = 0; i < R->M.nreports; i++)
		if (json_object_size(R->M.reports[i].counts)) {
			counts_chart(R, R->out, &R->M.reports[i], 1);
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
		heading(R, 1, title);
	if (R->M.ncomps)
		view_compliance(R);
	if (R->M.nirows)
		view_indicators(R);
	if (R->M.nreports)
		view_reports(R);
	if (R->M.nmanifests)
		view_manifests(R);
	if (R->M.ntables)
		view_tables(R);
	if (!R->M.ncomps && !R->M.nirows && !R->M.nreports && !R->M.nmanifests && !R->M.ntables)
		para(R, "note", L("Aucune donnée à afficher.", "Nothing to show."));
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
