/* check_ids.c - french-siret-value and french-siren-value (Luhn keys). */
#include "check_impl.h"
#include "value_memo.h"

#include <stdint.h>
#include <string.h>

int odl_luhn_valid(const char *d, size_t n)
{
	/* a digit doubled, its digits summed */
	static const unsigned char doubled[10] = {0, 2, 4, 6, 8, 1, 3, 5, 7, 9};
	unsigned sum = 0;
	size_t i = n;

	while (i >= 2) {
		sum += (unsigned)(d[i - 1] - '0') + doubled[(unsigned)(d[i - 2] - '0') % 10];
		i -= 2;
	}
	if (i)
		sum += (unsigned)(d[0] - '0');
	return sum % 10 == 0;
}

/* Eight bytes, all ASCII digits: each byte 0x30..0x39 (no carry crosses
 * bytes once every high nibble is 3). */
static int digits8(uint64_t w)
{
	return (w & 0xF0F0F0F0F0F0F0F0ULL) == 0x3030303030303030ULL &&
	       ((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) == 0x3030303030303030ULL;
}

/* s[0..14) is 14 ASCII digits: two overlapping words. */
static int fourteen_digits(const char *s)
{
	uint64_t a, b;

	memcpy(&a, s, 8);
	memcpy(&b, s + 6, 8);
	return digits8(a) && digits8(b);
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
	char buf[14];
	const char *d = s;

	/* the usual cell is the bare 14 digits: nothing to compact */
	if (n != 14 || !fourteen_digits(s)) {
		if (compact_digits(s, n, buf, 14) != 14)
			return 0;
		d = buf;
	}
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

/* Publishers' numbers repeat on every row: a memo spares the keys. */
static int known_valid(struct odl_check *c, const struct odl_cell *cell)
{
	if (!c->memo && !c->memo_tried) {
		c->memo = odl_value_memo_new(); /* without it, every cell is computed */
		c->memo_tried = 1;
	}
	return c->memo && odl_value_memo_seen(c->memo, cell->ptr, cell->len);
}

static void remember_valid(struct odl_check *c, const struct odl_cell *cell)
{
	if (c->memo)
		odl_value_memo_add(c->memo, cell->ptr, cell->len);
}

int check_siret_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		    odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell = check_cell(cells, nfields, c->col);

	if (!check_filled(cell) || known_valid(c, cell))
		return ODL_OK;
	if (odl_siret_valid(cell->ptr, cell->len)) {
		remember_valid(c, cell);
		return ODL_OK;
	}
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

	if (!check_filled(cell) || known_valid(c, cell))
		return ODL_OK;
	if (odl_siren_valid(cell->ptr, cell->len)) {
		remember_valid(c, cell);
		return ODL_OK;
	}
	check_say(c, "'%.*s' is not a valid siren number",
		  "La valeur '%.*s' n'est pas un numéro SIREN français valide.",
		  check_clip(cell->ptr, cell->len), cell->ptr);
	check_emit(c, "french-siren-value", c->col, cell, fn, ctx);
	return ODL_OK;
}
