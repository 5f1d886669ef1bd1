/*
 * check_hours.c - opening-hours-value: the OpenStreetMap opening_hours
 * syntax (wiki.openstreetmap.org/wiki/Key:opening_hours/specification),
 * which Validata checks with the opening-hours-py parser.
 *
 * A recursive-descent recogniser over the text, no allocation; every rule
 * restores the position when it fails, so alternatives can be tried.
 * Names (Mo, Jan, PH, sunrise, off...) are case-sensitive; runs of spaces
 * count as one.
 */
#include "check_impl.h"

#include <string.h>

struct p {
	const char *s;
	size_t i, n;
};

static int at_end(const struct p *p)
{
	return p->i >= p->n;
}

static int peek(const struct p *p)
{
	return p->i < p->n ? (unsigned char)p->s[p->i] : -1;
}

static int ch(struct p *p, char c)
{
	if (peek(p) == (unsigned char)c) {
		p->i++;
		return 1;
	}
	return 0;
}

static int spaces(struct p *p)
{
	size_t start = p->i;

	while (peek(p) == ' ')
		p->i++;
	return p->i > start;
}

/* c, with optional spaces around it. */
static int sep(struct p *p, char c)
{
	size_t save = p->i;

	spaces(p);
	if (ch(p, c)) {
		spaces(p);
		return 1;
	}
	p->i = save;
	return 0;
}

static int word(struct p *p, const char *w)
{
	size_t k = strlen(w);

	if (p->n - p->i >= k && strncmp(p->s + p->i, w, k) == 0) {
		p->i += k;
		return 1;
	}
	return 0;
}

/* One of words; its index, or -1. */
static int one_of(struct p *p, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (word(p, words[i]))
			return i;
	return -1;
}

/* An unsigned number of 1 to maxd digits, in [lo, hi]. */
static int num(struct p *p, int mind, int maxd, long lo, long hi)
{
	size_t save = p->i;
	int d = 0;
	long v = 0;

	while (d < maxd && peek(p) >= '0' && peek(p) <= '9') {
		v = v * 10 + (peek(p) - '0');
		p->i++;
		d++;
	}
	if (d < mind || (peek(p) >= '0' && peek(p) <= '9') || v < lo || v > hi) {
		p->i = save;
		return 0;
	}
	return 1;
}

static const char *const wdays[] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", NULL};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
				     "Sep", "Oct", "Nov", "Dec", NULL};
static const char *const events[] = {"dawn", "sunrise", "sunset", "dusk", NULL};
static const char *const modifiers[] = {"open", "closed", "off", "unknown", NULL};

static int comment(struct p *p)
{
	size_t save = p->i;

	if (!ch(p, '"'))
		return 0;
	while (!at_end(p) && peek(p) != '"')
		p->i++;
	if (ch(p, '"'))
		return 1;
	p->i = save;
	return 0;
}

static int hour_minutes(struct p *p, int max_hour)
{
	size_t save = p->i;

	if (num(p, 2, 2, 0, max_hour) && ch(p, ':') && num(p, 2, 2, 0, 59))
		return 1;
	p->i = save;
	/* A single-digit hour (9:00) is accepted by the reference parser too. */
	if (num(p, 1, 1, 0, 9) && ch(p, ':') && num(p, 2, 2, 0, 59))
		return 1;
	p->i = save;
	return 0;
}

static int variable_time(struct p *p)
{
	size_t save = p->i;

	if (one_of(p, events) >= 0)
		return 1;
	if (ch(p, '(') && (spaces(p), one_of(p, events) >= 0) && spaces(p) >= 0 &&
	    (ch(p, '+') || ch(p, '-')) && spaces(p) >= 0 && hour_minutes(p, 24) &&
	    spaces(p) >= 0 && ch(p, ')'))
		return 1;
	p->i = save;
	return 0;
}

static int timepoint(struct p *p, int max_hour)
{
	return hour_minutes(p, max_hour) || variable_time(p);
}

static int timespan(struct p *p)
{
	size_t save;

	if (!timepoint(p, 24))
		return 0;
	save = p->i;
	if (sep(p, '-') && timepoint(p, 48)) {
		size_t s2 = p->i;

		if (ch(p, '/') && !(hour_minutes(p, 24) || num(p, 1, 4, 1, 9999)))
			p->i = s2;
		ch(p, '+');
		return 1;
	}
	p->i = save;
	ch(p, '+');
	return 1;
}

static int list(struct p *p, int (*item)(struct p *))
{
	if (!item(p))
		return 0;
	for (;;) {
		size_t save = p->i;

		if (sep(p, ',') && item(p))
			continue;
		p->i = save;
		return 1;
	}
}

static int time_selector(struct p *p)
{
	return list(p, timespan);
}

static int day_offset(struct p *p)
{
	size_t save = p->i;

	spaces(p);
	if ((ch(p, '+') || ch(p, '-')) && num(p, 1, 3, 0, 366) && spaces(p) &&
	    (word(p, "days") || word(p, "day")))
		return 1;
	p->i = save;
	return 0;
}

static int nth(struct p *p)
{
	size_t save = p->i;

	if (ch(p, '-') && num(p, 1, 1, 1, 5))
		return 1;
	p->i = save;
	if (!num(p, 1, 1, 1, 5))
		return 0;
	save = p->i;
	if (!(ch(p, '-') && num(p, 1, 1, 1, 5)))
		p->i = save;
	return 1;
}

static int weekday_range(struct p *p)
{
	size_t save;

	if (one_of(p, wdays) < 0)
		return 0;
	save = p->i;
	if (sep(p, '-') && one_of(p, wdays) >= 0)
		return 1;
	p->i = save;
	if (ch(p, '[')) {
		if (list(p, nth) && ch(p, ']')) {
			day_offset(p);
			return 1;
		}
		p->i = save;
		return 0;
	}
	return 1;
}

static int holiday(struct p *p)
{
	if (!word(p, "PH") && !word(p, "SH"))
		return 0;
	day_offset(p);
	return 1;
}

static int weekday_item(struct p *p)
{
	return holiday(p) || weekday_range(p);
}

static int weekday_selector(struct p *p)
{
	size_t save;

	if (!list(p, weekday_item))
		return 0;
	/* "PH Mo-Fr": a holiday sequence then a weekday sequence. */
	save = p->i;
	if (!(spaces(p) && list(p, weekday_range)))
		p->i = save;
	return 1;
}

static int year(struct p *p)
{
	return num(p, 4, 4, 1900, 9999);
}

static int year_range(struct p *p)
{
	size_t save;

	if (!year(p))
		return 0;
	save = p->i;
	if (sep(p, '-') && year(p)) {
		size_t s2 = p->i;

		if (!(ch(p, '/') && num(p, 1, 4, 1, 9999)))
			p->i = s2;
		return 1;
	}
	p->i = save;
	ch(p, '+');
	return 1;
}

static int year_selector(struct p *p)
{
	return list(p, year_range);
}

/* [year] month day | [year] easter */
static int date(struct p *p)
{
	size_t save = p->i;

	if (year(p))
		spaces(p);
	if (word(p, "easter"))
		return 1;
	if (one_of(p, months) >= 0 && (spaces(p), num(p, 1, 2, 1, 31)))
		return 1;
	p->i = save;
	return 0;
}

static int monthday_range(struct p *p)
{
	size_t save = p->i;

	if (date(p)) {
		size_t s2;

		day_offset(p);
		s2 = p->i;
		if (sep(p, '-')) {
			if (date(p)) {
				day_offset(p);
				return 1;
			}
			if (num(p, 1, 2, 1, 31))
				return 1;
			p->i = s2;
		}
		ch(p, '+');
		return 1;
	}
	p->i = save;
	if (year(p))
		spaces(p);
	if (one_of(p, months) >= 0) {
		size_t s2 = p->i;

		if (!(sep(p, '-') && one_of(p, months) >= 0))
			p->i = s2;
		return 1;
	}
	p->i = save;
	return 0;
}

static int monthday_selector(struct p *p)
{
	return list(p, monthday_range);
}

static int week_range(struct p *p)
{
	size_t save;

	if (!num(p, 1, 2, 1, 53))
		return 0;
	save = p->i;
	if (sep(p, '-') && num(p, 1, 2, 1, 53)) {
		size_t s2 = p->i;

		if (!(ch(p, '/') && num(p, 1, 2, 1, 53)))
			p->i = s2;
		return 1;
	}
	p->i = save;
	return 1;
}

static int week_selector(struct p *p)
{
	size_t save = p->i;

	if (word(p, "week") && (spaces(p), list(p, week_range)))
		return 1;
	p->i = save;
	return 0;
}

/* The ':' that may end the wide selectors, spaces before it allowed. */
static int colon(struct p *p)
{
	size_t save = p->i;

	spaces(p);
	if (ch(p, ':'))
		return 1;
	p->i = save;
	return 0;
}

/* Try a selector after optional spaces; keep the spaces only on success. */
static int then(struct p *p, int (*sel)(struct p *), int first)
{
	size_t save = p->i;

	if (!first && !spaces(p))
		return 0;
	if (sel(p))
		return 1;
	p->i = save;
	return 0;
}

static int rule_sequence(struct p *p)
{
	size_t save;
	int any = 0;

	if (word(p, "24/7")) {
		any = 1;
	} else {
		any |= then(p, year_selector, !any);
		any |= then(p, monthday_selector, !any);
		any |= then(p, week_selector, !any);
		save = p->i;
		if (any)
			colon(p);
		else if (comment(p) && colon(p))
			any = 1;
		else
			p->i = save;
		any |= then(p, weekday_selector, !any);
		any |= then(p, time_selector, !any);
	}
	save = p->i;
	if ((!any || spaces(p)) && one_of(p, modifiers) >= 0) {
		size_t s2 = p->i;

		if (!(spaces(p) && comment(p)))
			p->i = s2;
		return 1;
	}
	p->i = save;
	if ((!any || spaces(p)) && comment(p))
		return 1;
	p->i = save;
	return any;
}

int odl_opening_hours_valid(const char *s, size_t n)
{
	struct p p = {s, 0, n};

	while (n > 0 && s[n - 1] == ' ')
		n--;
	p.n = n;
	spaces(&p);
	if (!rule_sequence(&p))
		return 0;
	while (!at_end(&p)) {
		size_t save = p.i;

		spaces(&p);
		if (word(&p, "||") || ch(&p, ';') || ch(&p, ',')) {
			spaces(&p);
			if (rule_sequence(&p))
				continue;
		}
		p.i = save;
		return 0;
	}
	return 1;
}

int check_hours_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		    odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell = check_cell(cells, nfields, c->col);

	if (!check_filled(cell) || odl_opening_hours_valid(cell->ptr, cell->len))
		return ODL_OK;
	check_say(c, "'%.*s' is not a valid openstreetmap opening hours expression",
		  "La valeur '%.*s' ne suit pas le format des horaires d'ouverture d'OpenStreetMap.",
		  check_clip(cell->ptr, cell->len), cell->ptr);
	check_emit(c, "opening-hours-value", c->col, cell, fn, ctx);
	return ODL_OK;
}
