/*
 * render_report_compliance.c - the compliance dashboard: counts, grades
 * beside their chart, every territory with its obligation and publication.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	cells[3].text = report_fmtnum(R, c->population, 0);
	cells[3].num = c->population;
	cells[4].text = report_fmtnum(R, c->agents, -1);
	cells[4].num = c->agents;
	cells[5].text = obligated_text(R, c->obligated);
	cells[6].text = report_fmtnum(R, isnan(c->datasets) ? c->published : c->datasets, -1);
	cells[6].num = isnan(c->datasets) ? c->published : c->datasets;
	cells[7].text = report_fmtnum(R, c->valid, -1);
	cells[7].num = c->valid;
	cells[8].text = report_fmtnum(R, c->days, 0);
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
	cells[1].text = report_fmtnum(R, g[i].n, 0);
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

void report_grade_chart(odl_report *R, FILE *f, int standalone)
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

void report_view_compliance(odl_report *R)
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
		report_csv_begin(R);
		report_table(R, NULL, NULL, cols, 10, R->M.ncomps, comp_row, R->M.comps, 0);
		return;
	}
	for (i = 0; i < R->M.ncomps; i++) {
		obligated += R->M.comps[i].obligated == 1;
		unknown += R->M.comps[i].obligated == -1;
		pub += publishing(&R->M.comps[i]);
		valid += R->M.comps[i].valid > 0;
	}
	report_heading(R, 2, L("Tableau de bord de l'ouverture des données", "Open data compliance dashboard"));
	if (R->cfg.fmt == ODL_FMT_HTML) {
		fprintf(R->out, "<ul class=\"cards\">\n<li><b>%s</b>%s</li>\n<li><b>%s</b>%s</li>\n",
			report_fmtint(R, R->M.ncomps), L("collectivités", "territories"), report_fmtint(R, obligated),
			L("soumises à l'obligation", "under the obligation"));
		if (unknown)
			fprintf(R->out, "<li><b>%s</b>%s</li>\n", report_fmtint(R, unknown),
				L("effectif d'agents inconnu", "agents unknown"));
		fprintf(R->out, "<li><b>%s</b>%s</li>\n<li><b>%s</b>%s</li>\n</ul>\n", report_fmtint(R, pub),
			L("publient des données", "publish data"), report_fmtint(R, valid),
			L("ont au moins un fichier valide", "have a valid file"));
	} else {
		snprintf(line, sizeof(line), L("%s collectivités, %s soumises à l'obligation%s%s%s, %s publient des données, %s ont au moins un fichier valide",
					       "%s territories, %s under the obligation%s%s%s, %s publish data, %s have a valid file"),
			 report_fmtint(R, R->M.ncomps), report_fmtint(R, obligated), unknown ? " (" : "",
			 unknown ? report_fmtint(R, unknown) : "",
			 unknown ? L(" à l'effectif d'agents inconnu)", " with unknown agents)") : "",
			 report_fmtint(R, pub), report_fmtint(R, valid));
		report_para(R, NULL, line);
	}
	if (R->cfg.today) {
		/* grades age with the data: say which day they were counted on */
		snprintf(line, sizeof(line), L("Notes calculées au %s.", "Grades as of %s."), R->cfg.today);
		report_para(R, "note", line);
	}
	ng = grades(R, g);
	report_heading(R, 3, L("Répartition par note", "Grades"));
	if (R->cfg.fmt == ODL_FMT_HTML) {
		fputs("<div class=\"pair\"><figure>\n", R->out);
		report_grade_chart(R, R->out, 0);
		fputs("</figure>\n", R->out);
	}
	report_table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Collectivités par note", "Territories by grade") : NULL,
	      NULL, R->cfg.fr ? gcols : gcols_en, 2, ng, grade_row, g, 0);
	if (R->cfg.fmt == ODL_FMT_HTML)
		fputs("</div>\n", R->out);
	report_heading(R, 3, L("Toutes les collectivités", "All territories"));
	report_table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Collectivités, obligation et publication", "Territories, obligation and publication") : NULL,
	      "collectivites", cols, 10, R->M.ncomps, comp_row, R->M.comps, 1);
}

