/*
 * report_view.c - choosing the views of the indicator rows: which
 * indicators, which year (the focus's latest), which rows beside the focus
 * (its own peer group), in which order, which bars, which median.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Charts show the value the rank and the peer median are about; the
 * per-inhabitant figure, when a row has one, is a column of the table. */
double report_shown_value(const struct irow *r)
{
	return isnan(r->value) ? r->per_value : r->value;
}

int report_is_focus(odl_report *R, const struct irow *r)
{
	return R->cfg.focus && strcmp(R->cfg.focus, r->territory) == 0;
}

static int by_rank(const void *a, const void *b)
{
	const struct irow *x = *(const struct irow *const *)a, *y = *(const struct irow *const *)b;
	double vx, vy;

	if (!isnan(x->rank) && !isnan(y->rank) && x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	vx = report_shown_value(x);
	vy = report_shown_value(y);
	if (isnan(vx) != isnan(vy))
		return isnan(vx) ? 1 : -1;
	if (!isnan(vx) && vx != vy)
		return vx > vy ? -1 : 1;
	return strcmp(x->territory, y->territory);
}
/* Bars: the first R->cfg.top ranked rows; the focus replaces the last one when further down. */
size_t report_chart_rows(odl_report *R, const struct ind_view *v, size_t *sel)
{
	size_t n = v->n < R->cfg.top ? v->n : R->cfg.top, i, focus = (size_t)-1;

	for (i = 0; i < n; i++)
		sel[i] = v->idx[i];
	for (i = n; i < v->n; i++)
		if (report_is_focus(R, &R->M.irows[v->idx[i]]))
			focus = v->idx[i];
	if (focus != (size_t)-1 && n > 0)
		sel[n - 1] = focus;
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double report_median_of(odl_report *R, const struct ind_view *v)
{
	const struct irow *f = NULL;
	double *vals, m;
	size_t n = 0, i;

	for (i = 0; i < v->n; i++)
		if (report_is_focus(R, &R->M.irows[v->idx[i]]))
			f = &R->M.irows[v->idx[i]];
	if (!f && v->n)
		f = &R->M.irows[v->idx[0]];
	if (f && !isnan(f->median))
		return f->median;
	vals = report_xcalloc(R, v->n, sizeof(*vals));
	for (i = 0; i < v->n; i++) {
		double x = report_shown_value(&R->M.irows[v->idx[i]]);
		if (!isnan(x))
			vals[n++] = x;
	}
	qsort(vals, n, sizeof(*vals), cmp_double);
	m = n == 0 ? NAN : n % 2 ? vals[n / 2] : (vals[n / 2 - 1] + vals[n / 2]) / 2;
	free(vals);
	return m;
}

/* The indicator's title in the report's language, or its id when the
 * rows carry none (the tables show the id in any case). */
const char *report_indicator_name(odl_report *R, const char *ind)
{
	for (size_t i = 0; i < R->M.nirows; i++)
		if (strcmp(R->M.irows[i].indicator, ind) == 0 && *R->M.irows[i].title)
			return R->M.irows[i].title;
	return ind;
}

/* Indicators in order of first appearance, each with the year shown. */
size_t report_indicator_list(odl_report *R, const char ***inds)
{
	size_t n = 0, i, k;
	*inds = report_xcalloc(R, R->M.nirows + 1, sizeof(**inds));
	for (i = 0; i < R->M.nirows; i++) {
		if (R->cfg.indicator && strcmp(R->cfg.indicator, R->M.irows[i].indicator))
			continue;
		for (k = 0; k < n && strcmp((*inds)[k], R->M.irows[i].indicator); k++)
			;
		if (k == n)
			(*inds)[n++] = R->M.irows[i].indicator;
	}
	return n;
}

/*
 * The year shown: --year, else the latest year the focus territory has
 * (a newer year published for others only would show a ranking without
 * it), else the latest year of the indicator.
 */
const char *report_year_of(odl_report *R, const char *ind)
{
	const char *best = NULL, *focus = NULL;

	if (R->cfg.year)
		return R->cfg.year;
	for (size_t i = 0; i < R->M.nirows; i++) {
		const struct irow *r = &R->M.irows[i];
		if (strcmp(r->indicator, ind) || !*r->year)
			continue;
		if (!best || strcmp(r->year, best) > 0)
			best = r->year;
		if (report_is_focus(R, r) && (!focus || strcmp(r->year, focus) > 0))
			focus = r->year;
	}
	return focus ? focus : best ? best : "";
}

void report_build_view(odl_report *R, struct ind_view *v, const char *ind, const char *year)
{
	const struct irow **p;

	v->idx = report_xcalloc(R, R->M.nirows, sizeof(*v->idx));
	v->n = 0;
	v->cmp = R->M.comparison;
	v->unit = "";
	v->per_col = v->cmp;
	v->group_col = 0;
	for (size_t i = 0; i < R->M.nirows; i++)
		if (!strcmp(R->M.irows[i].indicator, ind) && !strcmp(R->M.irows[i].year, year))
			v->idx[v->n++] = i;
	/* a focus territory is ranked among its own peers, not beside other
	 * groups' rows that odl-compare ranked separately */
	for (size_t i = 0; i < v->n; i++) {
		const struct irow *f = &R->M.irows[v->idx[i]];
		if (report_is_focus(R, f)) {
			size_t n = 0;
			for (size_t j = 0; j < v->n; j++)
				if (!strcmp(R->M.irows[v->idx[j]].group, f->group))
					v->idx[n++] = v->idx[j];
			v->n = n;
			break;
		}
	}
	/* sorted as pointers: the comparison needs no handle */
	p = report_xcalloc(R, v->n, sizeof(*p));
	for (size_t i = 0; i < v->n; i++)
		p[i] = &R->M.irows[v->idx[i]];
	qsort(p, v->n, sizeof(*p), by_rank);
	for (size_t i = 0; i < v->n; i++)
		v->idx[i] = (size_t)(p[i] - R->M.irows);
	free(p);
}
