/*
 * fix_values.c - values that mean what the schema wants but are not
 * written its way: booleans in French words, enum values up to case and
 * accents, identifiers grouped or turned into floats by a spreadsheet,
 * separators other than the pattern's.
 */
#include <string.h>

#include "fix_private.h"

static int put(char *dst, size_t cap, size_t *dlen, const char *s, size_t n)
{
	if (n >= cap)
		return FIX_NA;
	memcpy(dst, s, n);
	*dlen = n;
	return FIX_DONE;
}

int odl_fix_boolean(const struct odl_field *f, const char *p, size_t n, char *dst, size_t cap,
		    size_t *dlen)
{
	static const char *const yes[] = { "oui", "vrai", "yes", "true", "1", "x", "o", "y", "v" };
	static const char *const no[] = { "non", "faux", "no", "false", "0", "n", "f" };
	char w[16];

	if (f->type != ODL_T_BOOLEAN || !f->ntrue || !f->nfalse || n >= sizeof(w))
		return FIX_NA;
	odl_fix_fold(p, n, w, sizeof(w), 1);
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (strcmp(w, yes[i]) == 0)
			return put(dst, cap, dlen, f->true_v[0], strlen(f->true_v[0]));
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (strcmp(w, no[i]) == 0)
			return put(dst, cap, dlen, f->false_v[0], strlen(f->false_v[0]));
	return FIX_NA;
}

static const struct odl_constraint *constraint(const struct odl_field *f, enum odl_cons kind)
{
	for (size_t i = 0; i < f->ncons; i++)
		if (f->cons[i].kind == kind)
			return &f->cons[i];
	return NULL;
}

int odl_fix_enum(const struct odl_field *f, const char *p, size_t n, char *dst, size_t cap,
		 size_t *dlen)
{
	const struct odl_constraint *c = constraint(f, ODL_C_ENUM);
	char want[512], have[512];
	size_t found = 0, which = 0;

	if (!c || !c->enum_s || n >= sizeof(have))
		return FIX_NA;
	odl_fix_fold(p, n, have, sizeof(have), 1);
	for (size_t i = 0; i < c->nenum; i++) {
		if (c->enum_len[i] >= sizeof(want))
			continue;
		odl_fix_fold(c->enum_s[i], c->enum_len[i], want, sizeof(want), 1);
		if (strcmp(want, have) == 0)
			found++, which = i;
	}
	if (found != 1) /* none, or two allowed values alike up to case: no choice */
		return FIX_NA;
	return put(dst, cap, dlen, c->enum_s[which], c->enum_len[which]);
}

/*
 * "2.1860194600012E+13": mantissa digits and exponent into the integer
 * they write.  Returns 1 and the digits when exact, 0 when the display
 * cut digits off (the exponent runs past the mantissa), -1 when it is
 * not such a number.
 */
static int expand_float(const char *p, size_t n, char *dst, size_t cap, size_t *dlen)
{
	size_t i = 0, o = 0, frac = 0;
	int in_frac = 0;
	long e = 0;

	for (; i < n && ((p[i] >= '0' && p[i] <= '9') || (p[i] == '.' && !in_frac) || p[i] == ','); i++) {
		if (p[i] == '.' || p[i] == ',') {
			if (in_frac)
				return -1;
			in_frac = 1;
			continue;
		}
		if (o + 1 >= cap)
			return -1;
		dst[o++] = p[i];
		frac += in_frac;
	}
	if (!o || i == n || (p[i] != 'e' && p[i] != 'E'))
		return -1;
	i++;
	if (i < n && p[i] == '+')
		i++;
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (p[i] < '0' || p[i] > '9' || e > 100)
			return -1;
		e = e * 10 + (p[i] - '0');
	}
	if ((size_t)e < frac)
		return -1; /* a fraction remains: not an identifier */
	if ((size_t)e > frac)
		return 0;
	*dlen = o;
	return 1;
}

int odl_fix_identifier(const struct odl_field *f, int is_id, const char *p, size_t n, char *dst,
		       size_t cap, size_t *dlen, struct fix_why *why)
{
	size_t o = 0, i, k;
	int r;

	if ((f->type != ODL_T_STRING && f->type != ODL_T_ANY) || (!is_id && !constraint(f, ODL_C_PATTERN)))
		return FIX_NA;
	if ((r = expand_float(p, n, dst, cap, dlen)) >= 0) {
		if (r == 1)
			return FIX_DONE;
		why->en = "digits were lost when a spreadsheet turned the identifier into a number";
		why->fr = "des chiffres ont été perdus quand un tableur a changé l'identifiant en nombre";
		return FIX_LEFT;
	}
	/* 21860194600000.0 and 21860194600000,00: zeros after the point only */
	for (i = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i && i + 1 < n && (p[i] == '.' || p[i] == ',')) {
		size_t j = i + 1;
		while (j < n && p[j] == '0')
			j++;
		if (j == n)
			return put(dst, cap, dlen, p, i);
	}
	/* 218 601 946 00012, 218.601.946: digits grouped by spaces or dots */
	int grouped = 0;
	for (i = 0; i < n;) {
		if (p[i] >= '0' && p[i] <= '9') {
			if (o + 1 >= cap)
				return FIX_NA;
			dst[o++] = p[i++];
		} else if (o && (p[i] == '.' || (k = odl_fix_space_at(p + i, n - i)) != 0)) {
			i += p[i] == '.' ? 1 : k;
			grouped = 1;
		} else {
			return FIX_NA;
		}
	}
	if (!grouped || !o)
		return FIX_NA;
	*dlen = o;
	return FIX_DONE;
}

/* The punctuation that the pattern's source writes literally. */
static size_t pattern_separators(const struct odl_constraint *c, char *seps, size_t cap)
{
	static const char candidates[] = "-/_.:;,| ";
	const char *src = c->note ? strstr(c->note, "is \"") : NULL;
	size_t n = 0;

	if (!src)
		return 0;
	src += 4;
	for (const char *s = src; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++; /* an escaped character: \. means a literal dot */
			if (!strchr(candidates, *s) || *s == ' ')
				continue;
		} else if (*s == '.' || !strchr(candidates, *s)) {
			continue; /* a bare '.' is "any character" */
		}
		if (!memchr(seps, *s, n) && n < cap)
			seps[n++] = *s;
	}
	return n;
}

/*
 * A period written as two dates the French way, "2018/02/21_2020/02/20" or
 * "21/02/2018 - 20/02/2020", where the pattern wants two ISO dates joined by
 * one of its separators: each half through the dates rule, joined by each
 * separator; kept when exactly one candidate matches.
 */
static int date_range(const char *p, size_t n, char *dst, size_t cap, size_t *dlen,
		      const char *seps, size_t nseps, int (*ok)(void *ctx, const char *s, size_t len),
		      void *ctx)
{
	static const struct odl_field iso_date = { .type = ODL_T_DATE, .format = ODL_F_DEFAULT };
	static const char joins[] = "_;,| ";
	char a[32], b[32];
	size_t na, nb, found = 0, best = 0;

	if (n > 64 || cap < 2 * sizeof(a) + 2)
		return FIX_NA;
	for (size_t i = 1; i + 1 < n; i++) {
		if (!strchr(joins, p[i]) && !(p[i] == '-' && i > 0 && p[i - 1] == ' '))
			continue;
		/* the halves, without the spaces around the separator */
		size_t ea = i, sb = i + 1;
		while (ea > 0 && p[ea - 1] == ' ')
			ea--;
		while (sb < n && (p[sb] == ' ' || (p[sb] == '-' && p[i] == ' ')))
			sb++;
		struct fix_why why = { NULL, NULL };
		if (!ea || sb >= n ||
		    odl_fix_date(&iso_date, FIX_ORDER_UNKNOWN, p, ea, a, sizeof(a), &na, &why) != FIX_DONE ||
		    odl_fix_date(&iso_date, FIX_ORDER_UNKNOWN, p + sb, n - sb, b, sizeof(b), &nb, &why) != FIX_DONE)
			continue;
		for (size_t k = 0; k < nseps; k++) {
			memcpy(dst, a, na);
			dst[na] = seps[k];
			memcpy(dst + na + 1, b, nb);
			if (ok(ctx, dst, na + 1 + nb)) {
				found++;
				best = k;
			}
		}
		if (found == 1) {
			memcpy(dst, a, na);
			dst[na] = seps[best];
			memcpy(dst + na + 1, b, nb);
			*dlen = na + 1 + nb;
			return FIX_DONE;
		}
		return FIX_NA;
	}
	return FIX_NA;
}

int odl_fix_pattern(const struct odl_field *f, const char *p, size_t n, char *dst, size_t cap,
		    size_t *dlen, int (*ok)(void *ctx, const char *s, size_t len), void *ctx)
{
	static const char candidates[] = "-/_.:;,| ";
	const struct odl_constraint *c = constraint(f, ODL_C_PATTERN);
	char seps[16], have[16];
	size_t nseps, nhave = 0, found = 0;

	if (!c || n + 1 > cap || !(nseps = pattern_separators(c, seps, sizeof(seps))))
		return FIX_NA;
	for (size_t i = 0; i < n; i++)
		if (strchr(candidates, p[i]) && p[i] && !memchr(have, p[i], nhave) && nhave < sizeof(have))
			have[nhave++] = p[i];
	char best_from = 0, best_to = 0;
	for (size_t a = 0; a < nhave; a++) {
		for (size_t b = 0; b < nseps; b++) {
			if (have[a] == seps[b])
				continue;
			for (size_t i = 0; i < n; i++)
				dst[i] = p[i] == have[a] ? seps[b] : p[i];
			if (ok(ctx, dst, n)) {
				found++;
				best_from = have[a], best_to = seps[b];
			}
		}
	}
	if (found == 1) {
		for (size_t i = 0; i < n; i++)
			dst[i] = p[i] == best_from ? best_to : p[i];
		*dlen = n;
		return FIX_DONE;
	}
	if (found)
		return FIX_NA;
	return date_range(p, n, dst, cap, dlen, seps, nseps, ok, ctx);
}
