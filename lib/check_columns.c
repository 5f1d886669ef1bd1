/* check_columns.c - checks tying several columns of a row together:
 * compare-columns-value, sum-columns-value, cohesive-columns-value,
 * one-of-required. */
#include "check_impl.h"

#include <stdio.h>
#include <string.h>

/*
 * The multi-column rule: nothing to do when none of the check's columns is
 * in the file; when only some are, one check-error naming the first missing
 * one, then the check is dropped for the rest of the file.  Returns 1 when
 * the row must not be checked.
 */
static int columns_absent(struct odl_check *c, const struct odl_cell *const *cells,
			  size_t nfields, odl_check_finding_fn fn, void *ctx)
{
	size_t n = 0, absent = 0;
	const char *first = NULL;

	for (size_t i = 0; i < 2 + c->ncols; i++) {
		int idx = i == 0 ? c->col : i == 1 ? c->col2 : c->cols[i - 2];
		const char *name = i == 0 ? c->name : i == 1 ? c->name2 : c->names[i - 2];

		if (idx < 0)
			continue;
		n++;
		if (!check_cell(cells, nfields, idx) && absent++ == 0)
			first = name;
	}
	if (absent == 0)
		return 0;
	c->done = 1;
	if (absent == n)
		return 1;
	check_say(c, "column '%s' is missing, so the check '%s' cannot be applied",
		  "La colonne '%s' est manquante : le contrôle « %s » ne peut pas être appliqué.",
		  first, c->kind->name);
	check_emit(c, "check-error", -1, NULL, fn, ctx);
	return 1;
}

static const char *const op_en[] = {
	"greater than", "greater than or equal to", "equal to", "less than or equal to", "less than"
};
static const char *const op_fr[] = {
	"supérieure à", "supérieure ou égale à", "égale à", "inférieure ou égale à", "inférieure à"
};

int check_compare_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		      odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *a, *b;
	double x, y;
	int nx, ny, qa, qb, cmp, ok;

	if (columns_absent(c, cells, nfields, fn, ctx))
		return ODL_OK;
	a = check_cell(cells, nfields, c->col);
	b = check_cell(cells, nfields, c->col2);
	if (!check_filled(a) || !check_filled(b))
		return ODL_OK;
	nx = check_number(a->ptr, a->len, &x);
	ny = check_number(b->ptr, b->len, &y);
	qa = check_clip(a->ptr, a->len);
	qb = check_clip(b->ptr, b->len);
	if (nx != ny) {
		snprintf(c->msg, sizeof(c->msg),
			 "value `%.*s` of column '%s' cannot be compared with value `%.*s` of column '%s'",
			 qa, a->ptr, c->name, qb, b->ptr, c->name2);
		snprintf(c->msg_fr, sizeof(c->msg_fr),
			 "La valeur de la colonne %s `%.*s` n'est pas comparable avec la valeur de la colonne %s `%.*s`.",
			 c->name, qa, a->ptr, c->name2, qb, b->ptr);
		check_emit(c, "compare-columns-value", c->col, a, fn, ctx);
		return ODL_OK;
	}
	if (nx) {
		cmp = x < y ? -1 : x > y;
	} else {
		size_t m = a->len < b->len ? a->len : b->len;

		/* UTF-8 byte order is code-point order. */
		cmp = memcmp(a->ptr, b->ptr, m);
		if (cmp == 0)
			cmp = a->len < b->len ? -1 : a->len > b->len;
	}
	switch (c->op) {
	case OP_GT: ok = cmp > 0; break;
	case OP_GE: ok = cmp >= 0; break;
	case OP_EQ: ok = cmp == 0; break;
	case OP_LE: ok = cmp <= 0; break;
	default: ok = cmp < 0; break;
	}
	if (ok)
		return ODL_OK;
	snprintf(c->msg, sizeof(c->msg),
		 "value `%.*s` of column '%s' should be %s value `%.*s` of column '%s'",
		 qa, a->ptr, c->name, op_en[c->op], qb, b->ptr, c->name2);
	snprintf(c->msg_fr, sizeof(c->msg_fr),
		 "La valeur de la colonne %s `%.*s` devrait être %s la valeur de la colonne %s `%.*s`.",
		 c->name, qa, a->ptr, op_fr[c->op], c->name2, qb, b->ptr);
	check_emit(c, "compare-columns-value", c->col, a, fn, ctx);
	return ODL_OK;
}

/* An integer in plain decimal (sign allowed, surrounding spaces too). */
static int integer(const struct odl_cell *cell, long long *out)
{
	const char *s = cell->ptr;
	size_t n = cell->len, i = 0;
	unsigned long long v = 0;
	int neg = 0;

	while (i < n && s[i] == ' ')
		i++;
	while (n > i && s[n - 1] == ' ')
		n--;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > 100000000000000000ULL)
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = neg ? -(long long)v : (long long)v;
	return 1;
}

int check_sum_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		  odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *total = check_cell(cells, nfields, c->col);
	long long want, sum = 0, v;
	char list[CHECK_MSG / 2];
	size_t used = 0;

	if (columns_absent(c, cells, nfields, fn, ctx))
		return ODL_OK;
	if (!check_filled(total) || !integer(total, &want))
		return ODL_OK;
	for (size_t i = 0; i < c->ncols; i++) {
		const struct odl_cell *cell = check_cell(cells, nfields, c->cols[i]);

		if (!check_filled(cell) || !integer(cell, &v))
			return ODL_OK;
		sum += v;
	}
	if (sum == want)
		return ODL_OK;
	/* The message is built only for a failing row. */
	list[0] = 0;
	for (size_t i = 0; i < c->ncols; i++) {
		int w;

		integer(check_cell(cells, nfields, c->cols[i]), &v);
		w = snprintf(list + used, sizeof(list) - used, "%s%s (%lld)", i ? ", " : "",
			     c->names[i], v);
		if (w > 0 && (size_t)w < sizeof(list) - used)
			used += (size_t)w;
	}
	snprintf(c->msg, sizeof(c->msg),
		 "the sum of columns '%s' is `%lld`, which differs from the value found in column '%s' (`%lld`)",
		 list, sum, c->name, want);
	snprintf(c->msg_fr, sizeof(c->msg_fr),
		 "La somme des valeurs des colonnes '%s' est `%lld`, ce nombre est différent de celui trouvé dans la colonne '%s' (`%lld`).",
		 list, sum, c->name, want);
	check_emit(c, "sum-columns-value", c->col, total, fn, ctx);
	return ODL_OK;
}

int check_cohesive_row(struct odl_check *c, const struct odl_cell *const *cells,
		       size_t nfields, odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell;
	size_t filled = 0;
	char list[CHECK_MSG / 2];
	size_t used;

	if (columns_absent(c, cells, nfields, fn, ctx))
		return ODL_OK;
	cell = check_cell(cells, nfields, c->col);
	filled = check_filled(cell);
	for (size_t i = 0; i < c->ncols; i++)
		filled += (size_t)check_filled(check_cell(cells, nfields, c->cols[i]));
	if (filled == 0 || filled == c->ncols + 1)
		return ODL_OK;
	used = (size_t)snprintf(list, sizeof(list), "%s", c->name);
	for (size_t i = 0; i < c->ncols && used < sizeof(list); i++) {
		int w = snprintf(list + used, sizeof(list) - used, ", %s", c->names[i]);

		if (w > 0)
			used += (size_t)w;
	}
	snprintf(c->msg, sizeof(c->msg),
		 "inconsistent row: columns %s must either all have a value or all be empty", list);
	snprintf(c->msg_fr, sizeof(c->msg_fr),
		 "Incohérence relevée : les colonnes %s doivent toutes comporter une valeur ou toutes être vides.",
		 list);
	check_emit(c, "cohesive-columns-value", c->col, cell, fn, ctx);
	return ODL_OK;
}

int check_one_of_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		     odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *a = check_cell(cells, nfields, c->col);
	const struct odl_cell *b = check_cell(cells, nfields, c->col2);

	if (!a && !b) {
		c->done = 1;
		check_say(c, "columns '%s' and '%s' are both missing: one of them is required",
			  "Les deux colonnes '%s' et '%s' sont manquantes.", c->name, c->name2);
		check_emit(c, "one-of-required", -1, NULL, fn, ctx);
		return ODL_OK;
	}
	if (check_filled(a) || check_filled(b))
		return ODL_OK;
	check_say(c, "inconsistent row: at least one of columns '%s' or '%s' must have a value",
		  "Incohérence relevée : au moins l'une des colonnes '%s' ou '%s' doit comporter une valeur.",
		  c->name, c->name2);
	check_emit(c, "one-of-required", -1, NULL, fn, ctx);
	return ODL_OK;
}
