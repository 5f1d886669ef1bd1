/*
 * render_report_tables.c - the fetch manifests and any other table
 * of fields.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	cells[5].text = report_fmtnum(R, m->http, 0);
	cells[5].num = m->http;
	cells[6].text = report_fmtnum(R, m->bytes, 0);
	cells[6].num = m->bytes;
	cells[7].text = *m->path ? m->path : m->url;
	cells[7].href = R->cfg.fmt == ODL_FMT_HTML && *m->url ? m->url : NULL;
	cells[8].text = m->error;
	return 0;
}

void report_view_manifests(odl_report *R)
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
		report_csv_begin(R);
		report_table(R, NULL, NULL, cols, 9, R->M.nmanifests, manifest_row, R->M.manifests, 0);
		return;
	}
	for (i = 0; i < R->M.nmanifests; i++)
		for (k = 0; k < 4; k++)
			counts[k] += strcmp(R->M.manifests[i].status, st[k]) == 0;
	report_heading(R, 2, L("Téléchargements", "Downloads"));
	snprintf(line, sizeof(line), L("%s ressources : %s téléchargées, %s inchangées, %s en cache, %s en échec.",
				       "%s resources: %s downloaded, %s not modified, %s cached, %s failed."),
		 report_fmtint(R, R->M.nmanifests), report_fmtint(R, counts[0]), report_fmtint(R, counts[1]), report_fmtint(R, counts[2]), report_fmtint(R, counts[3]));
	report_para(R, NULL, line);
	report_table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Ressources téléchargées", "Downloaded resources") : NULL, "telechargements",
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

void report_view_tables(odl_report *R)
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
			report_csv_begin(R);
		} else {
			report_heading(R, 2, t->source);
		}
		report_table(R, R->cfg.fmt == ODL_FMT_HTML ? t->source : NULL, NULL, cols, t->ncols, t->nrows, generic_row, t,
		      1);
		if (t->dropped && R->cfg.fmt != ODL_FMT_CSV) {
			char note[200];
			snprintf(note, sizeof(note), L("%s lignes de plus ne sont pas montrées (--max-rows).",
						       "%s more rows are not shown (--max-rows)."),
				 report_fmtint(R, t->dropped));
			report_para(R, "note", note);
		}
		free(cols);
	}
}

