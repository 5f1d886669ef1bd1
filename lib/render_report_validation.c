/*
 * render_report_validation.c - validation reports: the verdict, the
 * counts by code beside their chart, the errors grouped by cause with
 * examples, what each code means and how to fix it, the warnings.
 */
#include "report.h"
#include "odl/messages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	cells[2].text = report_fmtnum(R, c[i].n, 0);
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

void report_counts_chart(odl_report *R, FILE *f, const struct report *r, int standalone)
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
	cells[0].text = e->row ? report_fmtint(R, e->row) : "";
	cells[0].num = e->row ? (double)e->row : NAN;
	cells[1].text = e->column ? report_fmtint(R, e->column) : "";
	cells[1].num = e->column ? (double)e->column : NAN;
	cells[2].text = !e->cell ? "" : *e->cell ? e->cell : L("(vide)", "(empty)");
	cells[3].text = e->message ? e->message : "";
	return 0;
}

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
		 schema, report_fmtnum(R, r->rows, 0), L("lignes", "rows"), report_fmtnum(R, r->error_count, 0),
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
		report_para(R, NULL, line);
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

	report_heading(R, 4, L("Avertissements", "Warnings"));
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
		report_heading(R, 4, line);
		if (odl_render_code_explanation(code, R->cfg.lang))
			report_para(R, NULL, odl_render_code_explanation(code, R->cfg.lang));
		fix = own_fix(r->warnings, code);
		if (fix || odl_message_get(code, R->cfg.lang)) {
			snprintf(line, sizeof(line), "%s %s", L("Comment corriger :", "How to fix:"),
				 fix ? fix : odl_render_code_fix(code, R->cfg.lang));
			report_para(R, NULL, line);
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
	report_heading(R, 3, r->path);
	verdict(R, r, line, sizeof(line));
	if (R->cfg.fmt == ODL_FMT_HTML) {
		fprintf(R->out, "<p class=\"%s\">%s</p>\n", r->valid == 1 ? "ok" : "ko",
			r->valid == 1 ? L("✔ Fichier valide", "✔ Valid file")
				      : r->valid == 0 ? L("✘ Fichier invalide", "✘ Invalid file")
						      : L("Verdict inconnu", "No verdict"));
	}
	report_para(R, NULL, line);
	if (r->complete == 0 || (r->sum && odl_render_summary_total(r->sum) < r->error_count)) {
		snprintf(line, sizeof(line),
			 L("Le rapport ne détaille que %s erreurs sur %s (limite fixée à la validation).",
			   "The report details only %s errors of %s (a limit set at validation)."),
			 report_fmtint(R, odl_render_summary_total(r->sum)), report_fmtnum(R, r->error_count, 0));
		report_para(R, "note", line);
	}
	if (nc) {
		if (R->cfg.fmt == ODL_FMT_HTML) {
			fputs("<div class=\"pair\"><figure>\n", R->out);
			report_counts_chart(R, R->out, r, 0);
			fputs("</figure>\n", R->out);
		}
		report_table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Erreurs par code", "Errors by code") : NULL, NULL, ccols, 3,
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
				 L("colonne", "column"), gr->field, report_fmtint(R, gr->count),
				 gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		else if (strcmp(odl_render_code_title(gr->type, R->cfg.lang), gr->type) == 0)
			snprintf(title, sizeof(title), "%s : %s %s", gr->type, report_fmtint(R, gr->count),
				 gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		else
			snprintf(title, sizeof(title), "%s (%s) : %s %s", odl_render_code_title(gr->type, R->cfg.lang),
				 gr->type, report_fmtint(R, gr->count), gr->count > 1 ? L("erreurs", "errors") : L("erreur", "error"));
		report_heading(R, 4, title);
		if (odl_render_code_explanation(gr->type, R->cfg.lang))
			report_para(R, NULL, odl_render_code_explanation(gr->type, R->cfg.lang));
		snprintf(line, sizeof(line), "%s %s", L("Comment corriger :", "How to fix:"),
			 json_is_string(json_object_get(r->fixes, gr->type)) ?
			 json_string_value(json_object_get(r->fixes, gr->type)) :
			 odl_render_code_fix(gr->type, R->cfg.lang));
		report_para(R, NULL, line);
		if (gr->nexamples)
			report_table(R, R->cfg.fmt == ODL_FMT_HTML ? L("Exemples", "Examples") : NULL, NULL,
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

void report_view_reports(odl_report *R)
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
		report_csv_begin(R);
		report_table(R, NULL, NULL, cols, 12, n, report_csv_row, NULL, 0);
		free(R->flats);
		return;
	}
	for (i = 0; i < R->M.nreports; i++)
		valid += R->M.reports[i].valid == 1;
	report_heading(R, 2, L("Rapports de validation", "Validation reports"));
	snprintf(line, sizeof(line), L("%s fichiers, %s valides, %s invalides.", "%s files, %s valid, %s invalid."),
		 report_fmtint(R, R->M.nreports), report_fmtint(R, valid), report_fmtint(R, R->M.nreports - valid));
	report_para(R, NULL, line);
	for (i = 0; i < R->M.nreports; i++)
		view_report(R, i);
}

