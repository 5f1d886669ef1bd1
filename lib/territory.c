/* territory.c - the territory table and its lookups. */
#include "odl/territory.h"
#include "odl/csv.h"
#include "territory_map.h"
#include "territory_priv.h"
#include "csv_private.h"
#include "error.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 256

/* Cells live in a string arena (chunks of STR_CHUNK bytes, never moved),
 * an empty one is the shared "": 35,000 communes of nine columns were
 * 315,000 allocations of 32 bytes and more.  Codes and SIRENs are found
 * through tables of row numbers (4 bytes a slot, the key read from the
 * row), not through maps that copy every key. */
#define STR_CHUNK ((size_t)64 << 10)

struct str_chunk {
	struct str_chunk *next;
	size_t used, size;
	char text[];
};

/* open addressing: row + 1, 0 = free; at most half full */
struct row_index {
	uint32_t *slot;
	size_t cap, count;
};

struct odl_territories {
	char **colnames;
	size_t ncols;
	long ci[7]; /* code name type siren epci dep reg */
	char ***rows;
	struct odl_territory *views;
	uint64_t *lines; /* physical line of each row read from a file, else 0 */
	size_t n, cap;
	uint64_t next_line; /* set by the reader before each odl_territories_add */
	struct row_index by_code, by_siren;
	struct odl_strmap by_column;
	struct str_chunk *strs;
};

static char empty_cell[1];

/* a copy of s[0..len) in the arena, NUL-terminated; NULL out of memory */
static char *str_keep(odl_territories *t, const char *s, size_t len)
{
	if (!len)
		return empty_cell;
	struct str_chunk *c = t->strs;
	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > STR_CHUNK / 4 ? len + 1 : STR_CHUNK;
		struct str_chunk *n = malloc(sizeof(*n) + size);
		if (!n)
			return NULL;
		n->used = 0;
		n->size = size;
		/* a big string gets its own chunk behind the current one */
		if (c && size != STR_CHUNK) {
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			t->strs = n;
		}
		c = n;
	}
	char *d = c->text + c->used;
	memcpy(d, s, len);
	d[len] = 0;
	c->used += len + 1;
	return d;
}

/* the key a row is found by in by_siren: its SIREN, else its code (an
 * EPCI's code is its SIREN) */
static const char *siren_key(const odl_territories *t, size_t row)
{
	const char *code = t->rows[row][t->ci[0]];
	return t->ci[3] >= 0 && t->rows[row][t->ci[3]][0] ? t->rows[row][t->ci[3]] : code;
}

static const char *index_key(const odl_territories *t, const struct row_index *x, size_t row)
{
	return x == &t->by_code ? t->rows[row][t->ci[0]] : siren_key(t, row);
}

/* the row whose key is k (len bytes), or -1 */
static long index_get(const odl_territories *t, const struct row_index *x, const char *k,
		      size_t len)
{
	if (!x->cap)
		return -1;
	size_t mask = x->cap - 1;
	for (size_t j = (size_t)odl_hash64(k, len) & mask; x->slot[j]; j = (j + 1) & mask) {
		const char *key = index_key(t, x, x->slot[j] - 1);
		if (strncmp(key, k, len) == 0 && key[len] == 0)
			return (long)x->slot[j] - 1;
	}
	return -1;
}

/* index row under its key unless the key is there: 1 added, 0 present,
 * -1 out of memory */
static int index_put(odl_territories *t, struct row_index *x, size_t row)
{
	const char *k = index_key(t, x, row);
	size_t len = strlen(k);

	if (index_get(t, x, k, len) >= 0)
		return 0;
	if ((x->count + 1) * 2 > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 1024;
		uint32_t *slot = calloc(cap, sizeof(*slot));
		if (!slot)
			return -1;
		for (size_t i = 0; i < x->cap; i++) {
			if (!x->slot[i])
				continue;
			const char *ok = index_key(t, x, x->slot[i] - 1);
			size_t j = (size_t)odl_hash64(ok, strlen(ok)) & (cap - 1);
			while (slot[j])
				j = (j + 1) & (cap - 1);
			slot[j] = x->slot[i];
		}
		free(x->slot);
		x->slot = slot;
		x->cap = cap;
	}
	size_t j = (size_t)odl_hash64(k, len) & (x->cap - 1);
	while (x->slot[j])
		j = (j + 1) & (x->cap - 1);
	x->slot[j] = (uint32_t)row + 1;
	x->count++;
	return 1;
}

static const char *const known[7] = { "code", "name", "type", "siren", "epci", "dep", "reg" };

odl_territories *odl_territories_new(void)
{
	odl_territories *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	odl_strmap_init(&t->by_column);
	for (int i = 0; i < 7; i++)
		t->ci[i] = -1;
	return t;
}

void odl_territories_free(odl_territories *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->rows[i]);
	for (size_t j = 0; j < t->ncols; j++)
		free(t->colnames[j]);
	while (t->strs) {
		struct str_chunk *next = t->strs->next;
		free(t->strs);
		t->strs = next;
	}
	free(t->colnames);
	free(t->rows);
	free(t->views);
	free(t->lines);
	free(t->by_code.slot);
	free(t->by_siren.slot);
	odl_strmap_clear(&t->by_column);
	free(t);
}

int odl_territories_set_columns(odl_territories *t, const char *const *names, size_t n,
				struct odl_error *err)
{
	if (t->colnames)
		return odl_fail(err, ODL_EINVAL, "columns already set");
	if (n > MAX_COLUMNS)
		return odl_fail(err, ODL_ELIMIT, "more than %d columns", MAX_COLUMNS);
	t->colnames = calloc(n ? n : 1, sizeof(char *));
	if (!t->colnames)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	t->ncols = n;
	for (size_t j = 0; j < n; j++) {
		t->colnames[j] = strdup(names[j] ? names[j] : "");
		if (!t->colnames[j])
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		size_t v = j;
		if (odl_strmap_put(&t->by_column, names[j], strlen(names[j]), &v) < 0)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		for (int k = 0; k < 7; k++)
			if (t->ci[k] < 0 && strcmp(names[j], known[k]) == 0)
				t->ci[k] = (long)j;
	}
	if (t->ci[0] < 0)
		return odl_fail(err, ODL_EFORMAT, "no 'code' column");
	return ODL_OK;
}

static const char *cell_of(const odl_territories *t, size_t row, long col)
{
	return col < 0 ? "" : t->rows[row][col];
}

static void fill_view(odl_territories *t, size_t i)
{
	{
		struct odl_territory *v = &t->views[i];
		v->index = i;
		v->code = cell_of(t, i, t->ci[0]);
		v->name = cell_of(t, i, t->ci[1]);
		v->type = cell_of(t, i, t->ci[2]);
		v->siren = cell_of(t, i, t->ci[3]);
		v->epci = cell_of(t, i, t->ci[4]);
		v->dep = cell_of(t, i, t->ci[5]);
		v->reg = cell_of(t, i, t->ci[6]);
	}
}

int odl_territories_add(odl_territories *t, const char *const *cells, struct odl_error *err)
{
	if (!t->colnames)
		return odl_fail(err, ODL_EINVAL, "columns not set");
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		char ***rows = realloc(t->rows, cap * sizeof(*rows));
		if (!rows)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		t->rows = rows;
		struct odl_territory *views = realloc(t->views, cap * sizeof(*views));
		if (!views)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		t->views = views;
		uint64_t *lines = realloc(t->lines, cap * sizeof(*lines));
		if (!lines)
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		t->lines = lines;
		t->cap = cap;
	}
	if (t->n >= UINT32_MAX - 1)
		return odl_fail(err, ODL_ELIMIT, "too many territories");
	char **row = calloc(t->ncols ? t->ncols : 1, sizeof(char *));
	if (!row)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	for (size_t j = 0; j < t->ncols; j++) {
		const char *c = cells[j] ? cells[j] : "";
		if (!(row[j] = str_keep(t, c, strlen(c)))) {
			free(row);
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		}
	}
	const char *code = row[t->ci[0]];
	/* the row is in place (not yet counted) for the index to read its key */
	t->rows[t->n] = row;
	int rc = code[0] ? index_put(t, &t->by_code, t->n) : 0;
	if (rc != 1) {
		if (rc < 0)
			odl_fail(err, ODL_ENOMEM, "out of memory");
		else if (code[0])
			odl_fail(err, ODL_EFORMAT, "duplicate code '%s'", code);
		else
			odl_fail(err, ODL_EFORMAT, "empty code");
		odl_error_at(err, NULL, 0, 0, rc < 0 ? NULL : "code");
		free(row);
		return rc < 0 ? ODL_ENOMEM : ODL_EFORMAT;
	}
	t->lines[t->n] = t->next_line;
	t->n++;
	/* an EPCI's code is its SIREN: index it there too */
	if (strlen(siren_key(t, t->n - 1)) == 9 && index_put(t, &t->by_siren, t->n - 1) < 0)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	fill_view(t, t->n - 1);
	return ODL_OK;
}

struct reader {
	odl_territories *t;
	struct odl_error own;
	const char *path;
	char **cells;
	char *text;        /* a row's trimmed cells, NUL after each: no
			      allocation per cell on the way to the arena */
	size_t cap;
};

static char *dup_cell(const struct odl_cell *c)
{
	return odl_cell_dup(c);
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct reader *r = ctx;
	size_t n = rec->ncells;

	if (rec->is_header) {
		if (n > MAX_COLUMNS) {
			odl_error_at(&r->own, r->path, rec->line, 0, NULL);
			odl_fail(&r->own, ODL_ELIMIT, "more than %d columns", MAX_COLUMNS);
			return 1;
		}
		char *names[MAX_COLUMNS] = { NULL };
		for (size_t i = 0; i < n; i++)
			names[i] = dup_cell(&rec->cells[i]);
		int rc = odl_territories_set_columns(r->t, (const char *const *)names, n, &r->own);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		if (rc != ODL_OK) {
			odl_error_at(&r->own, r->path, rec->line, 0, NULL);
			return 1;
		}
		r->cells = calloc(n ? n : 1, sizeof(char *));
		return r->cells ? 0 : (odl_fail(&r->own, ODL_ENOMEM, "out of memory"), 1);
	}
	if (rec->is_blank)
		return 0;
	size_t nc = r->t->ncols, need = nc;
	for (size_t i = 0; i < nc && i < n; i++)
		need += rec->cells[i].len;
	if (odl_csv_grow((void **)&r->text, &r->cap, need, 1)) {
		odl_fail(&r->own, ODL_ENOMEM, "out of memory");
		return 1;
	}
	char *o = r->text;
	for (size_t i = 0; i < nc; i++) {
		if (i >= n) {
			r->cells[i] = NULL;
			continue;
		}
		const char *p = rec->cells[i].ptr;
		size_t len = rec->cells[i].len;
		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		memcpy(o, p, len);
		o[len] = 0;
		r->cells[i] = o;
		o += len + 1;
	}
	r->t->next_line = rec->line;
	int rc = odl_territories_add(r->t, (const char *const *)r->cells, &r->own);
	r->t->next_line = 0;
	if (rc != ODL_OK) {
		odl_error_at(&r->own, r->path, rec->line, 0, NULL);
		return 1;
	}
	return 0;
}

int odl_territories_read_path(odl_territories *t, const char *path, struct odl_error *err)
{
	struct odl_csv_options opt;
	struct reader r;
	odl_csv *csv;
	int rc;

	memset(&r, 0, sizeof(r));
	r.t = t;
	r.path = path;
	odl_csv_options_init(&opt);
	opt.name = path;
	csv = odl_csv_new(&opt, on_record, &r);
	if (!csv)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	rc = odl_csv_read_path(csv, path, err);
	if (rc == ODL_ECANCELED && r.own.code) {
		rc = r.own.code;
		if (err)
			*err = r.own;
	}
	if (rc == ODL_OK && !t->colnames) {
		odl_error_at(err, path, 0, 0, NULL);
		rc = odl_fail(err, ODL_EFORMAT, "empty territory file");
	}
	odl_csv_free(csv);
	free(r.cells);
	free(r.text);
	return rc;
}

uint64_t odl_territory_line(const odl_territories *t, const struct odl_territory *terr)
{
	return terr && terr->index < t->n ? t->lines[terr->index] : 0;
}

size_t odl_territories_count(const odl_territories *t)
{
	return t->n;
}

const struct odl_territory *odl_territories_at(const odl_territories *t, size_t i)
{
	return i < t->n ? &t->views[i] : NULL;
}

const struct odl_territory *odl_territories_find(const odl_territories *t, const char *key,
						  size_t len)
{
	char k[32];
	size_t n = 0, digits = 0;
	long idx;

	for (size_t i = 0; i < len; i++) {
		if (key[i] == ' ' || key[i] == '\t')
			continue;
		if (n == sizeof(k))
			return NULL;
		digits += isdigit((unsigned char)key[i]) != 0;
		k[n++] = key[i];
	}
	if (n == 14 && digits == 14)
		n = 9;
	if (n == 9 && digits >= 9 && (idx = index_get(t, &t->by_siren, k, 9)) >= 0)
		return &t->views[idx];
	if ((idx = index_get(t, &t->by_code, k, n)) >= 0)
		return &t->views[idx];
	return NULL;
}

int odl_territories_has_column(const odl_territories *t, const char *column)
{
	return odl_strmap_get(&t->by_column, column, strlen(column), NULL);
}

const char *odl_territory_cell(const odl_territories *t, const struct odl_territory *terr,
			       const char *column)
{
	size_t j;

	if (!odl_strmap_get(&t->by_column, column, strlen(column), &j))
		return "";
	return t->rows[terr->index][j];
}

int odl_parse_number(const char *s, size_t len, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
					1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
					1e19, 1e20, 1e21, 1e22 };
	char buf[64];
	char *end;
	size_t i = 0;

	if (len == 0 || len >= sizeof(buf))
		return ODL_EFORMAT;
	if (s[i] == '-' || s[i] == '+')
		i++;
	if (i == len || !(isdigit((unsigned char)s[i]) || (s[i] == '.' && i + 1 < len)))
		return ODL_EFORMAT;
	/* Fast path (Clinger): at most 15 digits and no exponent, so the
	 * mantissa and the power of ten are exact and one division rounds
	 * correctly, giving strtod's result without its cost. */
	{
		uint64_t m = 0;
		size_t j = i, digits, frac = 0;
		unsigned d;
		/* the digits before the point, then those after it */
		for (; j < len && (d = (unsigned)(unsigned char)s[j] - '0') < 10; j++)
			m = m * 10 + d;
		if (j < len && s[j] == '.') {
			size_t from = ++j;
			for (; j < len && (d = (unsigned)(unsigned char)s[j] - '0') < 10; j++)
				m = m * 10 + d;
			frac = j - from;
			digits = j - i - 1;
		} else {
			digits = j - i;
		}
		if (j == len && digits > 0 && digits <= 15) {
			double v = (double)m / pow10[frac];
			*out = s[0] == '-' ? -v : v;
			return ODL_OK;
		}
	}
	for (size_t j = i; j < len; j++)
		if (!isdigit((unsigned char)s[j]) && s[j] != '.' && s[j] != 'e' && s[j] != 'E' &&
		    s[j] != '-' && s[j] != '+')
			return ODL_EFORMAT;
	memcpy(buf, s, len);
	buf[len] = 0;
	*out = strtod(buf, &end);
	/* "1e999" is no number a double holds: strtod's HUGE_VAL would pass
	 * for a value and turn every sum or ratio it meets into inf or 0 */
	return *end || !isfinite(*out) ? ODL_EFORMAT : ODL_OK;
}

int odl_territory_number(const odl_territories *t, const struct odl_territory *terr,
			 const char *column, double *out)
{
	const char *c = odl_territory_cell(t, terr, column);
	char buf[64];
	size_t n = 0;

	if (!*c)
		return ODL_ENOTFOUND;
	for (; *c; c++) {
		if (*c == ' ' || (unsigned char)*c == 0xA0 || *c == '\xc2')
			continue;
		if (n + 1 >= sizeof(buf))
			return ODL_EFORMAT;
		buf[n++] = *c == ',' ? '.' : *c;
	}
	return n ? odl_parse_number(buf, n, out) : ODL_ENOTFOUND;
}

size_t odl_territories_columns(const odl_territories *t, const char *const **names)
{
	*names = (const char *const *)t->colnames;
	return t->ncols;
}

const char *const *odl_territory_cells(const odl_territories *t, const struct odl_territory *terr)
{
	return (const char *const *)t->rows[terr->index];
}

int odl_territories_add_column(odl_territories *t, const char *name, size_t *col,
			       struct odl_error *err)
{
	size_t j;

	if (!t->colnames)
		return odl_fail(err, ODL_EINVAL, "columns not set");
	if (odl_strmap_get(&t->by_column, name, strlen(name), &j)) {
		*col = j;
		return ODL_OK;
	}
	if (t->ncols >= MAX_COLUMNS)
		return odl_fail(err, ODL_ELIMIT, "more than %d columns", MAX_COLUMNS);
	char **names = realloc(t->colnames, (t->ncols + 1) * sizeof(*names));
	if (!names)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	t->colnames = names;
	if (!(names[t->ncols] = strdup(name)))
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	/* rows first: a row array one cell longer, the new cell "" */
	for (size_t i = 0; i < t->n; i++) {
		char **row = realloc(t->rows[i], (t->ncols + 1) * sizeof(*row));
		if (!row) {
			/* the rows keep ncols cells (a longer array is harmless) */
			free(names[t->ncols]);
			return odl_fail(err, ODL_ENOMEM, "out of memory");
		}
		t->rows[i] = row;
		row[t->ncols] = empty_cell;
	}
	j = t->ncols;
	if (odl_strmap_put(&t->by_column, name, strlen(name), &j) < 0)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	*col = t->ncols++;
	return ODL_OK;
}

int odl_territory_set_cell(odl_territories *t, size_t row, size_t col, const char *value,
			   struct odl_error *err)
{
	if (row >= t->n || col >= t->ncols)
		return odl_fail(err, ODL_EINVAL, "no such cell");
	for (int k = 0; k < 7; k++)
		if (t->ci[k] == (long)col)
			return odl_fail(err, ODL_EINVAL, "column '%s' cannot be replaced",
					t->colnames[col]);
	/* the old text stays in the arena until the table is freed */
	char *v = str_keep(t, value ? value : "", value ? strlen(value) : 0);
	if (!v)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	t->rows[row][col] = v;
	return ODL_OK;
}
