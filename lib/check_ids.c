/* check_ids.c - french-siret-value and french-siren-value (Luhn keys). */
#include "check_impl.h"

#include <string.h>

int odl_luhn_valid(const char *d, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned v = (unsigned)(d[n - 1 - i] - '0');

		if (i % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

/*
 * python-stdnum's compact(): spaces and dots removed anywhere, then other
 * surrounding whitespace trimmed.  Returns the digit count put in out, or
 * -1 when the result is not want ASCII digits.
 */
static int compact_digits(const char *s, size_t n, char *out, size_t want)
{
	size_t b = 0, e = n, k = 0;

	while (b < e && (s[b] == ' ' || s[b] == '.' || s[b] == '\t' || s[b] == '\n' ||
			 s[b] == '\r' || s[b] == '\v' || s[b] == '\f'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '.' || s[e - 1] == '\t' ||
			 s[e - 1] == '\n' || s[e - 1] == '\r' || s[e - 1] == '\v' ||
			 s[e - 1] == '\f'))
		e--;
	for (size_t i = b; i < e; i++) {
		if (s[i] == ' ' || s[i] == '.')
			continue;
		if (s[i] < '0' || s[i] > '9' || k == want)
			return -1;
		out[k++] = s[i];
	}
	return k == want ? (int)k : -1;
}

int odl_siren_valid(const char *s, size_t n)
{
	char d[9];

	return compact_digits(s, n, d, 9) == 9 && odl_luhn_valid(d, 9);
}

int odl_siret_valid(const char *s, size_t n)
{
	char d[14];

	if (compact_digits(s, n, d, 14) != 14)
		return 0;
	/* La Poste's establishments (SIREN 356000000) use a sum of digits
	 * multiple of 5 instead of the Luhn key; the head office does not. */
	if (memcmp(d, "356000000", 9) == 0 && memcmp(d, "35600000000048", 14) != 0) {
		unsigned sum = 0;

		for (int i = 0; i < 14; i++)
			sum += (unsigned)(d[i] - '0');
		if (sum % 5 != 0)
			return 0;
	} else if (!odl_luhn_valid(d, 14)) {
		return 0;
	}
	return odl_luhn_valid(d, 9);
}

int check_siret_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		    odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell = check_cell(cells, nfields, c->col);

	if (!check_filled(cell) || odl_siret_valid(cell->ptr, cell->len))
		return ODL_OK;
	check_say(c, "'%.*s' is not a valid siret number",
		  "La valeur '%.*s' n'est pas un numéro SIRET français valide.",
		  check_clip(cell->ptr, cell->len), cell->ptr);
	check_emit(c, "french-siret-value", c->col, cell, fn, ctx);
	return ODL_OK;
}

int check_siren_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		    odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell = check_cell(cells, nfields, c->col);

	if (!check_filled(cell) || odl_siren_valid(cell->ptr, cell->len))
		return ODL_OK;
	check_say(c, "'%.*s' is not a valid siren number",
		  "La valeur '%.*s' n'est pas un numéro SIREN français valide.",
		  check_clip(cell->ptr, cell->len), cell->ptr);
	check_emit(c, "french-siren-value", c->col, cell, fn, ctx);
	return ODL_OK;
}
