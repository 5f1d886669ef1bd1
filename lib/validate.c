/* validate.c - rows against a compiled schema, frictionless-py's way. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "odl/validate.h"
#include "schema_private.h"
#include "error.h"
#include "value_memo.h"

#define DEFAULT_MAX_KEYS (8u << 20)

/* Cells on which a pattern may hit the engine's limits before it is no
 * longer evaluated for the file: each costs at most a few milliseconds.
 * Once the file's patterns together have hit them PATTERN_FILE_COSTLY
 * times (a schema with many hostile patterns), one cell is enough. */
#define PATTERN_MAX_COSTLY 10u
#define PATTERN_FILE_COSTLY 100u

/* A pattern that hit the engine's limits in this file. */
struct pattern_cost {
	const struct odl_constraint *c;
	unsigned hits;
	int off;        /* given up for the file */
};

/* Open-addressing set of 64-bit value hashes, each with the row it came from. */
struct keyset {
	uint64_t *keys; /* 0 = empty slot (hash 0 is remapped to 1) */
	uint64_t *rows;
	size_t cap, n, max;
	int full;       /* max reached: the check stopped */
};

/* A column to check, with what its cells need looked up once. */
struct col_plan {
	size_t col;
	size_t field;
	struct odl_value_memo *memo;  /* NULL: no memo for this field */
	int for_checks;               /* the column custom checks see for the field */
	int only_empty_missing;       /* a missing value is an empty cell */
};

struct odl_validator {
	const struct odl_schema *s;
	struct odl_validate_options opt;
	odl_finding_fn fn;
	void *ctx;
	struct odl_validate_stats st;
	enum odl_fields_match mode;
	int by_name;
	int header_done;
	int stopped;
	/* columns */
	char **labels;
	size_t nlabels;
	int *col_field;    /* label j -> field i, or -1 */
	int *field_col;    /* field i -> column j, or -1 */
	struct col_plan *order; /* columns in the order their cells are checked */
	size_t norder;
	size_t expected;   /* cells a row should have */
	const struct odl_cell **by_field; /* row cells by schema field, for custom checks */
	struct odl_pattern_match *pm;
	struct pattern_cost *pcost;
	size_t npcost;
	unsigned costly;   /* cells on which any pattern hit the limits */
	struct odl_value_memo **memo; /* per field: values it accepted, or NULL */
	struct keyset *unique;   /* per field (only unique fields used) */
	struct keyset pk;
	struct keyset *fk_ref;   /* per foreign key: referenced tuples */
	int prepass_header;
	int *pre_field_col;
	char msg[2048], note[512];
	const char *cur_fr;
	const struct odl_record *cur_rec;
};

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	h ^= 0x9e3779b97f4a7c15ULL + n;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return mix(h);
}

/* 1 = added, 0 = already there (*prev = its row), -1 = set full. */
static int keyset_add(struct keyset *ks, uint64_t h, uint64_t row, uint64_t *prev, int update)
{
	if (!h)
		h = 1;
	if (ks->n * 2 >= ks->cap) {
		if (ks->n >= ks->max) {
			ks->full = 1;
			return -1;
		}
		size_t ncap = ks->cap ? ks->cap * 2 : 1024;
		uint64_t *nk = calloc(ncap, sizeof(uint64_t)), *nr = calloc(ncap, sizeof(uint64_t));
		if (!nk || !nr) {
			free(nk);
			free(nr);
			ks->full = 1;
			return -1;
		}
		for (size_t i = 0; i < ks->cap; i++) {
			if (!ks->keys[i])
				continue;
			size_t j = ks->keys[i] & (ncap - 1);
			while (nk[j])
				j = (j + 1) & (ncap - 1);
			nk[j] = ks->keys[i];
			nr[j] = ks->rows[i];
		}
		free(ks->keys);
		free(ks->rows);
		ks->keys = nk;
		ks->rows = nr;
		ks->cap = ncap;
	}
	size_t j = h & (ks->cap - 1);
	while (ks->keys[j]) {
		if (ks->keys[j] == h) {
			*prev = ks->rows[j];
			if (update)
				ks->rows[j] = row; /* frictionless names the most recent earlier row */
			return 0;
		}
		j = (j + 1) & (ks->cap - 1);
	}
	ks->keys[j] = h;
	ks->rows[j] = row;
	ks->n++;
	return 1;
}

static int keyset_has(const struct keyset *ks, uint64_t h)
{
	if (!h)
		h = 1;
	if (!ks->cap)
		return 0;
	size_t j = h & (ks->cap - 1);
	while (ks->keys[j]) {
		if (ks->keys[j] == h)
			return 1;
		j = (j + 1) & (ks->cap - 1);
	}
	return 0;
}

static void keyset_free(struct keyset *ks)
{
	free(ks->keys);
	free(ks->rows);
}

void odl_validate_options_init(struct odl_validate_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->max_keys = DEFAULT_MAX_KEYS;
}

/*
 * A memo of accepted values pays where a cell's check costs more than a
 * hash: not for a string with nothing to check, and not where the cell
 * must be seen anyway (unique values, arrays whose items are judged).
 */
static int worth_a_memo(const struct odl_field *f)
{
	int checked = f->type != ODL_T_STRING || (f->format != ODL_F_DEFAULT && f->format != ODL_F_ANY);

	for (size_t k = 0; k < f->ncons && !checked; k++)
		checked = f->cons[k].kind != ODL_C_REQUIRED;
	return checked && f->type != ODL_T_ANY && !f->unique && !f->item;
}

odl_validator *odl_validator_new(const odl_schema *s, const struct odl_validate_options *opt,
				 odl_finding_fn fn, void *ctx)
{
	odl_validator *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->s = s;
	if (opt)
		v->opt = *opt;
	else
		odl_validate_options_init(&v->opt);
	if (!v->opt.max_keys)
		v->opt.max_keys = DEFAULT_MAX_KEYS;
	v->fn = fn;
	v->ctx = ctx;
	v->mode = v->opt.fields_match;
	if (v->mode == ODL_MATCH_DEFAULT)
		v->mode = s->fields_match != ODL_MATCH_DEFAULT ? s->fields_match : ODL_MATCH_VALIDATA;
	v->by_name = v->mode != ODL_MATCH_EXACT;
	v->st.fields_match = v->mode;
	v->st.complete = 1;
	v->field_col = malloc((s->nfields + 1) * sizeof(int));
	v->by_field = calloc(s->nfields + 1, sizeof(*v->by_field));
	v->unique = calloc(s->nfields + 1, sizeof(*v->unique));
	v->fk_ref = calloc(s->nfkeys + 1, sizeof(*v->fk_ref));
	v->pre_field_col = malloc((s->nfields + 1) * sizeof(int));
	v->pm = odl_pattern_match_new();
	if (!v->field_col || !v->by_field || !v->unique || !v->fk_ref || !v->pm || !v->pre_field_col) {
		odl_validator_free(v);
		return NULL;
	}
	for (size_t i = 0; i < s->nfields; i++) {
		v->unique[i].max = v->opt.max_keys;
		v->field_col[i] = -1;
		v->pre_field_col[i] = (int)i;
	}
	v->pk.max = v->opt.max_keys;
	for (size_t i = 0; i < s->nfkeys; i++)
		v->fk_ref[i].max = v->opt.max_keys;
	v->memo = calloc(s->nfields + 1, sizeof(*v->memo));
	if (!v->memo) {
		odl_validator_free(v);
		return NULL;
	}
	/* without a memo (none wanted, or no memory for one), cells are checked */
	for (size_t i = 0; i < s->nfields; i++)
		if (worth_a_memo(&s->fields[i]))
			v->memo[i] = odl_value_memo_new();
	return v;
}

void odl_validator_free(odl_validator *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nlabels; i++)
		free(v->labels[i]);
	free(v->labels);
	free(v->col_field);
	free(v->order);
	free(v->field_col);
	free(v->by_field);
	if (v->unique)
		for (size_t i = 0; i < v->s->nfields; i++)
			keyset_free(&v->unique[i]);
	free(v->unique);
	keyset_free(&v->pk);
	if (v->fk_ref)
		for (size_t i = 0; i < v->s->nfkeys; i++)
			keyset_free(&v->fk_ref[i]);
	free(v->fk_ref);
	free(v->pre_field_col);
	if (v->memo)
		for (size_t i = 0; i < v->s->nfields; i++)
			odl_value_memo_free(v->memo[i]);
	free(v->memo);
	odl_pattern_match_free(v->pm);
	free(v->pcost);
	free(v);
}

const struct odl_validate_stats *odl_validator_stats(const odl_validator *v)
{
	return &v->st;
}

/* Emit one finding; message is built from fmt (frictionless's template). */
static int emit(odl_validator *v, const char *code, int warning, const struct odl_record *rec,
		uint64_t field_number, const char *field, int column, const char *label,
		const char *cell, size_t cell_len, const char *note, const char *fmt, ...)
	ODL_PRINTF(12, 13);
static int emit(odl_validator *v, const char *code, int warning, const struct odl_record *rec,
		uint64_t field_number, const char *field, int column, const char *label,
		const char *cell, size_t cell_len, const char *note, const char *fmt, ...)
{
	struct odl_finding f;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
	f.code = code;
	f.warning = warning;
	f.row = rec ? rec->record : 0;
	f.field_number = field_number;
	f.field = field ? field : "";
	f.column = column >= 0 ? (uint64_t)column + 1 : 0;
	f.label = label;
	f.cell = cell;
	f.cell_len = cell_len;
	f.note = note ? note : "";
	f.message = v->msg;
	f.message_fr = v->cur_fr;
	f.record = rec;
	if (warning)
		v->st.warnings++;
	else
		v->st.errors++;
	if (v->fn && v->fn(v->ctx, &f) != 0) {
		v->stopped = 1;
		return -1;
	}
	return 0;
}

static char *trim_label(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++)
		d[i] = p[i] == '\n' || p[i] == '\r' ? ' ' : p[i];
	d[n] = 0;
	return d;
}

static int in_pk(const struct odl_schema *s, size_t f)
{
	for (size_t i = 0; i < s->npkey; i++)
		if (s->pkey[i] == f)
			return 1;
	return 0;
}

static int header_exact(odl_validator *v)
{
	const struct odl_schema *s = v->s;
	size_t nl = v->nlabels, nf = s->nfields;

	v->expected = nf;
	for (size_t j = 0; j < nl || j < nf; j++)
		v->col_field[j] = j < nf ? (int)j : -1;
	for (size_t i = 0; i < nf; i++)
		v->field_col[i] = (int)i;
	for (size_t j = nf; j < nl; j++)
		if (emit(v, "extra-label", 0, NULL, j + 1, "", (int)j, v->labels[j], NULL, 0, "",
			 "There is an extra label \"%s\" in header at position \"%zu\"", v->labels[j], j + 1))
			return -1;
	for (size_t i = nl; i < nf; i++)
		if (emit(v, "missing-label", 0, NULL, i + 1, s->fields[i].name, -1, NULL, NULL, 0, "",
			 "There is a missing label in the header's field \"%s\" at position \"%zu\"",
			 s->fields[i].name, i + 1))
			return -1;
	for (size_t j = 0; j < nl && j < nf; j++) {
		const char *l = v->labels[j];
		if (!*l) {
			if (emit(v, "blank-label", 0, NULL, j + 1, s->fields[j].name, (int)j, l, NULL, 0, "",
				 "Label in the header in field at position \"%zu\" is blank", j + 1))
				return -1;
			continue;
		}
		char note[256] = "";
		for (size_t k = 0; k < j; k++)
			if (strcmp(v->labels[k], l) == 0) {
				size_t o = strlen(note);
				snprintf(note + o, sizeof(note) - o, "%sat position \"%zu\"", o ? ", " : "", k + 1);
			}
		if (*note) {
			if (emit(v, "duplicate-label", 0, NULL, j + 1, s->fields[j].name, (int)j, l, NULL, 0, note,
				 "Label \"%s\" in the header at position \"%zu\" is duplicated to a label: %s",
				 l, j + 1, note))
				return -1;
			continue;
		}
		if (strcmp(l, s->fields[j].name) != 0)
			if (emit(v, "incorrect-label", 0, NULL, j + 1, s->fields[j].name, (int)j, l, NULL, 0, "",
				 "Label \"%s\" in field %s at position \"%zu\" does not match the field name in the schema",
				 l, s->fields[j].name, j + 1))
				return -1;
	}
	return 0;
}

static int header_by_name(odl_validator *v)
{
	const struct odl_schema *s = v->s;
	size_t nl = v->nlabels, nf = s->nfields, extra = 0, missing = 0, after = nl;
	int validata = v->mode == ODL_MATCH_VALIDATA;
	int extra_ok = v->mode == ODL_MATCH_SUBSET || v->mode == ODL_MATCH_PARTIAL;
	int missing_ok = v->mode == ODL_MATCH_SUPERSET || v->mode == ODL_MATCH_PARTIAL;

	v->expected = nl;
	for (size_t j = 0; j < nl; j++) {
		int dupe = 0;
		v->col_field[j] = -1;
		for (size_t k = 0; k < j; k++)
			if (strcmp(v->labels[k], v->labels[j]) == 0) {
				char note[64];
				snprintf(note, sizeof(note), "at position \"%zu\"", k + 1);
				if (emit(v, "duplicate-label", 0, NULL, j + 1, "", (int)j, v->labels[j], NULL, 0, note,
					 "Label \"%s\" in the header at position \"%zu\" is duplicated to a label: %s",
					 v->labels[j], j + 1, note))
					return -1;
				dupe = 1;
				break;
			}
		if (dupe)
			continue;
		int f = odl_field_index(s, v->labels[j], strlen(v->labels[j]));
		if (f >= 0) {
			v->col_field[j] = f;
			v->field_col[f] = (int)j;
			continue;
		}
		extra++;
		if (validata) {
			if (emit(v, "extra-header-warn", 1, NULL, j + 1, "", (int)j, v->labels[j], NULL, 0, "",
				 "Column \"%s\" at position \"%zu\" is not defined in the schema", v->labels[j], j + 1))
				return -1;
		} else if (!extra_ok) {
			if (emit(v, "extra-label", 0, NULL, j + 1, "", (int)j, v->labels[j], NULL, 0, "",
				 "There is an extra label \"%s\" in header at position \"%zu\"", v->labels[j], j + 1))
				return -1;
		}
	}
	for (size_t i = 0; i < nf; i++) {
		if (v->field_col[i] >= 0)
			continue;
		missing++;
		int needed = s->fields[i].required || in_pk(s, i);
		if (validata) {
			if (emit(v, needed ? "missing-required-header" : "missing-header-warn", !needed, NULL,
				 0, s->fields[i].name, -1, NULL, NULL, 0, "",
				 needed ? "Required column \"%s\" is missing" : "Column \"%s\" is missing",
				 s->fields[i].name))
				return -1;
		} else if (!missing_ok || needed) {
			after++;
			if (emit(v, "missing-label", 0, NULL, after, s->fields[i].name, -1, NULL, NULL, 0, "",
				 "There is a missing label in the header's field \"%s\" at position \"%zu\"",
				 s->fields[i].name, after))
				return -1;
		}
	}
	if (validata && !extra && !missing) {
		for (size_t j = 0; j < nl; j++)
			if (v->col_field[j] != (int)j) {
				if (emit(v, "disordered-header-warn", 1, NULL, 0, "", -1, NULL, NULL, 0, "",
					 "The columns are not in the schema's order"))
					return -1;
				break;
			}
	}
	if (v->mode == ODL_MATCH_PARTIAL && nl && extra == nl &&
	    emit(v, "unmatched-header", 0, NULL, 0, "", -1, NULL, NULL, 0, "",
		 "None of the fields defined in the schema is present in the header"))
		return -1;
	return 0;
}

static int is_key_field(const struct odl_schema *s, size_t f)
{
	if (s->fields[f].unique || in_pk(s, f))
		return 1;
	for (size_t k = 0; k < s->nfkeys; k++)
		for (size_t i = 0; i < s->fkeys[k].n; i++)
			if (s->fkeys[k].fields[i] == f)
				return 1;
	return 0;
}

/* frictionless reads the key fields of a row first, then the others: their
 * errors come first in the row */
/* missingValues is [""] (the default): odl_field_is_missing() is n == 0 */
static int only_empty_missing(const struct odl_schema *s, const struct odl_field *f)
{
	return f->missing ? f->missing_only_empty : s->missing_only_empty;
}

static int order_columns(odl_validator *v)
{
	size_t limit = v->by_name ? v->nlabels : v->s->nfields;

	v->order = malloc((limit + 1) * sizeof(*v->order));
	if (!v->order)
		return ODL_ENOMEM;
	v->norder = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < limit; j++) {
			int fi = v->col_field[j];
			if (fi < 0 || is_key_field(v->s, (size_t)fi) != !pass)
				continue;
			const struct odl_field *f = &v->s->fields[fi];
			struct col_plan *cp = &v->order[v->norder++];
			cp->col = j;
			cp->field = (size_t)fi;
			cp->memo = v->memo[fi];
			cp->for_checks = v->field_col[fi] == (int)j;
			cp->only_empty_missing = only_empty_missing(v->s, f);
		}
	return ODL_OK;
}

static int take_header(odl_validator *v, const struct odl_record *rec, int is_header)
{
	size_t n = is_header ? rec->ncells : 0;

	v->header_done = 1;
	v->labels = calloc(n + 1, sizeof(char *));
	v->col_field = malloc((n > v->s->nfields ? n : v->s->nfields) * sizeof(int) + sizeof(int));
	if (!v->labels || !v->col_field)
		return ODL_ENOMEM;
	for (size_t j = 0; j < n; j++) {
		if (!(v->labels[j] = trim_label(rec->cells[j].ptr, rec->cells[j].len)))
			return ODL_ENOMEM;
		v->nlabels++;
	}
	if (!is_header) {
		/* no header: positional, nothing to check */
		v->by_name = 0;
		v->expected = v->s->nfields;
		for (size_t i = 0; i < v->s->nfields; i++) {
			v->col_field[i] = (int)i;
			v->field_col[i] = (int)i;
		}
		return order_columns(v);
	}
	if (v->by_name ? header_by_name(v) : header_exact(v))
		return ODL_ECANCELED;
	if (order_columns(v) != ODL_OK)
		return ODL_ENOMEM;
	/* a declared schema that does not fit the file at all deserves a word */
	size_t matched = 0;
	for (size_t i = 0; i < v->s->nfields; i++)
		for (size_t j = 0; j < v->nlabels; j++)
			if (strcmp(v->labels[j], v->s->fields[i].name) == 0) {
				matched++;
				break;
			}
	if (v->s->nfields && matched * 2 < v->s->nfields &&
	    emit(v, "schema-mismatch-warn", 1, NULL, 0, "", -1, NULL, NULL, 0, "",
		 "Only %zu of the schema's %zu columns are in the header: is this the right schema?",
		 matched, v->s->nfields))
		return ODL_ECANCELED;
	return ODL_OK;
}

static uint64_t value_hash(const struct odl_field *f, uint64_t h, const char *p, size_t n)
{
	struct odl_value val;

	if (f->type != ODL_T_STRING && f->type != ODL_T_ANY && odl_type_read(f, p, n, &val) == 0 &&
	    f->type != ODL_T_OBJECT && f->type != ODL_T_ARRAY && f->type != ODL_T_GEOJSON) {
		double d = val.num == 0 ? 0 : val.num; /* -0 == 0 */
		return hash_bytes(h, &d, sizeof(d));
	}
	return hash_bytes(h, p, n);
}

/*
 * A key cell as frictionless holds it after type reading: 0 for null (an
 * absent or missing cell, or one that does not read as the field's type),
 * else 1 with the value mixed into *h.
 */
static int key_value(const odl_validator *v, const struct odl_record *rec, const int *fcol, size_t fi,
		     uint64_t *h)
{
	const struct odl_field *f = &v->s->fields[fi];
	struct odl_value val;
	int c = fcol[fi];
	const char *p;
	size_t n;

	if (c < 0 || (size_t)c >= rec->ncells)
		return 0;
	p = rec->cells[c].ptr;
	n = rec->cells[c].len;
	if (odl_field_is_missing(v->s, f, p, n))
		return 0;
	if (f->type == ODL_T_ANY) {
		*h = hash_bytes(*h, p, n);
		return 1;
	}
	if (odl_type_read(f, p, n, &val) != 0)
		return 0;
	if (f->type == ODL_T_STRING || f->type == ODL_T_GEOPOINT)
		*h = hash_bytes(*h, p, n);
	else
		*h = value_hash(f, *h, p, n);
	return 1;
}

/* Hash of a key tuple; 0 when every cell of it is null. */
static uint64_t tuple_hash(const odl_validator *v, const struct odl_record *rec, const int *fcol,
			   const size_t *fields, size_t nk)
{
	uint64_t h = 0x1234567;
	int any = 0;

	for (size_t k = 0; k < nk; k++) {
		if (key_value(v, rec, fcol, fields[k], &h))
			any = 1;
		else
			h = hash_bytes(h, "\0null", 5);
	}
	return any ? (h ? h : 1) : 0;
}

int odl_validator_needs_prepass(const odl_validator *v)
{
	return v->s->nfkeys > 0;
}

int odl_validator_prepass(odl_validator *v, const struct odl_record *rec)
{
	if (rec->is_header) {
		if (v->by_name)
			for (size_t i = 0; i < v->s->nfields; i++) {
				v->pre_field_col[i] = -1;
				for (size_t j = 0; j < rec->ncells; j++) {
					char *l = trim_label(rec->cells[j].ptr, rec->cells[j].len);
					if (!l)
						return ODL_ENOMEM;
					int same = strcmp(l, v->s->fields[i].name) == 0;
					free(l);
					if (same) {
						v->pre_field_col[i] = (int)j;
						break;
					}
				}
			}
		return ODL_OK;
	}
	for (size_t k = 0; k < v->s->nfkeys; k++) {
		const struct odl_fkey *fk = &v->s->fkeys[k];
		uint64_t h = tuple_hash(v, rec, v->pre_field_col, fk->ref_fields, fk->n), prev;
		if (h)
			keyset_add(&v->fk_ref[k], h, rec->record, &prev, 0);
	}
	return ODL_OK;
}

static void check_finding(void *ctx, const struct odl_check_finding *cf)
{
	odl_validator *v = ctx;
	if (v->stopped)
		return;
	const struct odl_field *f = cf->field >= 0 ? &v->s->fields[cf->field] : NULL;
	int col = cf->field >= 0 ? v->field_col[cf->field] : -1;
	v->cur_fr = cf->message_fr;
	emit(v, cf->code, 0, v->cur_rec, col >= 0 ? (uint64_t)col + 1 : 0, f ? f->name : "", col, NULL,
	     cf->cell, cf->cell_len, cf->message, "%s", cf->message);
	v->cur_fr = NULL;
}

static int row_blank(const odl_validator *v, const struct odl_record *rec)
{
	const struct odl_schema *s = v->s;

	if (rec->is_blank || rec->ncells == 0)
		return 1;
	for (size_t j = 0; j < rec->ncells; j++) {
		const struct odl_cell *c = &rec->cells[j];
		if (!c->len)
			continue;
		int fi = j < v->nlabels || !v->by_name ? (j < s->nfields || v->by_name ? v->col_field[j] : -1) : -1;
		if (fi >= 0 ? !odl_field_is_missing(s, &s->fields[fi], c->ptr, c->len)
			    : (s->missing_only_empty || !s->nfields ||
			       !odl_field_is_missing(s, &s->fields[0], c->ptr, c->len)))
			return 0;
	}
	return 1;
}

/* A type-error or a constraint-error on a cell, in frictionless's words. */
static int emit_type_error(odl_validator *v, const struct odl_record *rec, size_t pos,
			   const struct odl_field *f, const char *p, size_t n, const char *note)
{
	return emit(v, "type-error", 0, rec, pos + 1, f->name, (int)pos, NULL, p, n, note,
		    "Type error in the cell \"%.*s\" in row \"%llu\" and field \"%s\" at position \"%zu\": %s",
		    (int)n, p, (unsigned long long)rec->record, f->name, pos + 1, note);
}

static int emit_constraint_error(odl_validator *v, const struct odl_record *rec, size_t pos,
				 const struct odl_field *f, const char *p, size_t n, int present,
				 const char *note)
{
	return emit(v, "constraint-error", 0, rec, pos + 1, f->name, present ? (int)pos : -1, NULL, p,
		    present ? n : 0, note,
		    "The cell \"%.*s\" in row at position \"%llu\" and field \"%s\" at position \"%zu\" does not conform to a constraint: %s",
		    present ? (int)n : 0, present ? p : "", (unsigned long long)rec->record, f->name,
		    pos + 1, note);
}

static struct pattern_cost *pattern_cost_of(const odl_validator *v, const struct odl_constraint *c)
{
	for (size_t i = 0; i < v->npcost; i++)
		if (v->pcost[i].c == c)
			return &v->pcost[i];
	return NULL;
}

/* 1 when pattern c is no longer evaluated in this file. */
static int pattern_given_up(const odl_validator *v, const struct odl_constraint *c)
{
	const struct pattern_cost *pc;

	if (!v->npcost || c->kind != ODL_C_PATTERN)
		return 0;
	pc = pattern_cost_of(v, c);
	return pc && pc->off;
}

/*
 * Pattern c of field f could not be decided on a cell: a warning, never a
 * verdict on the data; after PATTERN_MAX_COSTLY such cells (one when the
 * file's patterns have already cost PATTERN_FILE_COSTLY) the pattern is
 * given up for the file, which is said once.  -1 when the sink stopped.
 */
static int pattern_costly(odl_validator *v, const struct odl_record *rec, size_t pos,
			  const struct odl_field *f, const struct odl_constraint *c, const char *p,
			  size_t n)
{
	struct pattern_cost *pc = pattern_cost_of(v, c);

	if (!pc) {
		struct pattern_cost *np = realloc(v->pcost, (v->npcost + 1) * sizeof(*np));
		if (!np)
			return 0; /* counted nowhere: the cell is still not judged */
		v->pcost = np;
		pc = &np[v->npcost++];
		pc->c = c;
		pc->hits = 0;
		pc->off = 0;
	}
	if (pc->off)
		return 0;
	pc->hits++;
	v->costly++;
	pc->off = pc->hits >= PATTERN_MAX_COSTLY || v->costly > PATTERN_FILE_COSTLY;
	if (emit(v, "pattern-too-costly", 1, rec, pos + 1, f->name, (int)pos, NULL, p, n, c->note,
		 "Pattern too costly to evaluate in the cell \"%.*s\" in row \"%llu\" and field \"%s\" at position \"%zu\": %s",
		 (int)n, p, (unsigned long long)rec->record, f->name, pos + 1, c->note))
		return -1;
	if (pc->off &&
	    emit(v, "pattern-too-costly", 1, NULL, pos + 1, f->name, (int)pos, NULL, NULL, 0, c->note,
		 "Pattern of field \"%s\" too costly to evaluate on %u cell%s: no longer evaluated in this file after row \"%llu\": %s",
		 f->name, pc->hits, pc->hits > 1 ? "s" : "", (unsigned long long)rec->record, c->note))
		return -1;
	return 0;
}

/* What the items of one array cell break. */
struct item_faults {
	odl_validator *v;
	const struct odl_field *it;
	size_t order[64], n;  /* constraints broken, first met first; 63 = required */
	uint64_t seen;        /* bit k: constraint k; bit 63: required */
	uint64_t costly;      /* bit k: pattern k could not be decided */
	int type_failed;
};

static void item_fault(struct item_faults *fa, size_t k)
{
	if (!(fa->seen >> k & 1)) {
		fa->seen |= 1ull << k;
		fa->order[fa->n++] = k;
	}
}

static int judge_item(void *ctx, const char *p, size_t n)
{
	struct item_faults *fa = ctx;
	const struct odl_field *it = fa->it;
	struct odl_value iv;

	if (odl_field_is_missing(fa->v->s, it, p, n)) {
		if (it->required)
			item_fault(fa, 63);
	} else if (odl_type_read(it, p, n, &iv) != 0) {
		fa->type_failed = 1;
	} else {
		for (size_t k = 0; k < it->ncons && k < 63; k++) {
			if (it->cons[k].kind == ODL_C_REQUIRED || (fa->seen >> k & 1) ||
			    (fa->costly >> k & 1) || pattern_given_up(fa->v, &it->cons[k]))
				continue;
			int ok = odl_constraint_check(it, &it->cons[k], p, n, &iv, fa->v->pm);
			if (ok == ODL_PATTERN_TOO_COSTLY)
				fa->costly |= 1ull << k;
			else if (!ok)
				item_fault(fa, k);
		}
	}
	return 0;
}

/*
 * An array cell with an arrayItem, once the array itself passed: every item
 * goes through the item field (missing values, type, constraints), and the
 * problems are reported on the array cell, as frictionless does: one
 * type-error when an item has the wrong type, else one constraint-error
 * per constraint some item breaks, in the order first met, the note
 * prefixed "array item".
 */
static int check_array_items(odl_validator *v, const struct odl_record *rec, size_t pos,
			     const struct odl_field *f, const char *p, size_t n)
{
	struct item_faults fa = { .v = v, .it = f->item };
	json_t *arr = json_loadb(p, n, JSON_DECODE_ANY, NULL);

	if (json_is_array(arr))
		odl_array_each(arr, judge_item, &fa);
	json_decref(arr);
	if (fa.type_failed) {
		snprintf(v->note, sizeof(v->note), "array item type is \"%s\"", fa.it->type_name);
		return emit_type_error(v, rec, pos, f, p, n, v->note);
	}
	for (size_t i = 0; i < fa.n; i++) {
		snprintf(v->note, sizeof(v->note), "array item %s",
			 fa.order[i] == 63 ? "constraint \"required\" is \"True\"" : fa.it->cons[fa.order[i]].note);
		if (emit_constraint_error(v, rec, pos, f, p, n, 1, v->note))
			return -1;
	}
	for (size_t k = 0; k < 63; k++)
		if (fa.costly >> k & 1 && pattern_costly(v, rec, pos, f, &fa.it->cons[k], p, n))
			return -1;
	return 0;
}

/* memo_missed: the caller has just looked the value up in the field's memo. */
static int check_cell(odl_validator *v, const struct odl_record *rec, size_t fi, size_t pos,
		      const char *p, size_t n, int present, int memo_missed, uint64_t *dup_prev)
{
	const struct odl_field *f = &v->s->fields[fi];
	struct odl_field bare;
	struct odl_value val;
	struct odl_value_memo *memo = v->memo[fi];
	int own_failed = 0, clean = 1;

	if (!present || (only_empty_missing(v->s, f) ? n == 0 : odl_field_is_missing(v->s, f, p, n))) {
		if (f->required)
			return emit_constraint_error(v, rec, pos, f, p, n, present,
						     "constraint \"required\" is \"True\"");
		return 0;
	}
	if (memo && !memo_missed && odl_value_memo_seen(memo, p, n))
		return 0;
	if (f->item) {
		/* the array alone first: its items are judged only when it passes */
		bare = *f;
		bare.item = NULL;
	}
	if (odl_type_read(f->item ? &bare : f, p, n, &val) != 0) {
		snprintf(v->note, sizeof(v->note), "type is \"%s\"", f->type_name);
		return emit_type_error(v, rec, pos, f, p, n, v->note);
	}
	for (size_t k = 0; k < f->ncons; k++) {
		const struct odl_constraint *c = &f->cons[k];
		if (c->kind == ODL_C_REQUIRED || pattern_given_up(v, c))
			continue;
		int ok = odl_constraint_check(f, c, p, n, &val, v->pm);
		if (ok == ODL_PATTERN_TOO_COSTLY) {
			clean = 0;
			if (pattern_costly(v, rec, pos, f, c, p, n))
				return -1;
			continue;
		}
		if (ok)
			continue;
		own_failed = 1;
		clean = 0;
		if (emit_constraint_error(v, rec, pos, f, p, n, 1, c->note))
			return -1;
	}
	if (f->item && !own_failed && check_array_items(v, rec, pos, f, p, n))
		return -1;
	if (memo && clean)
		odl_value_memo_add(memo, p, n);
	if (f->unique) {
		uint64_t prev = 0;
		struct keyset *ks = &v->unique[fi];
		/* reported after the row's cell errors, as frictionless does */
		if (!ks->full && keyset_add(ks, value_hash(f, 0, p, n), rec->record, &prev, 1) == 0) {
			*dup_prev = prev;
			return 1;
		}
	}
	return 0;
}

/*
 * The primary key of a row, with the key cells' typed values: null when
 * every one of them is null (missing, or not of its type: a blank row, a
 * key that failed its type), else the same as an earlier row's.  -1 when
 * the sink stopped.
 */
static int check_primary_key(odl_validator *v, const struct odl_record *rec)
{
	const struct odl_schema *s = v->s;
	uint64_t h, prev = 0;
	const char *note = NULL;

	if (!s->npkey || v->pk.full)
		return 0;
	h = tuple_hash(v, rec, v->field_col, s->pkey, s->npkey);
	if (!h) {
		note = "cells composing the primary keys are all \"None\"";
	} else if (keyset_add(&v->pk, h, rec->record, &prev, 1) == 0) {
		snprintf(v->note, sizeof(v->note), "the same as in the row at position %llu",
			 (unsigned long long)prev);
		note = v->note;
	}
	if (note && emit(v, "primary-key", 0, rec, 0, "", -1, NULL, NULL, 0, note,
			 "Row at position \"%llu\" violates the primary key: %s",
			 (unsigned long long)rec->record, note))
		return -1;
	return 0;
}

int odl_validator_record(odl_validator *v, const struct odl_record *rec, struct odl_error *err)
{
	const struct odl_schema *s = v->s;
	int rc;

	if (v->stopped)
		return ODL_ECANCELED;
	if (rec->unclosed_quote &&
	    emit(v, "unclosed-quote", 1, rec, 0, "", -1, NULL, NULL, 0, "",
		 "The quote opened on line %llu is never closed: from there to the end of the file "
		 "is read as one cell, as the reference validator reads it",
		 (unsigned long long)rec->unclosed_quote))
		return ODL_ECANCELED;
	if (!v->header_done) {
		rc = take_header(v, rec, rec->is_header);
		if (rc == ODL_ENOMEM)
			return odl_fail(err, rc, "out of memory");
		if (rc != ODL_OK)
			return rc;
		if (rec->is_header)
			return ODL_OK;
	}
	if (v->opt.max_rows && v->st.rows >= v->opt.max_rows) {
		v->st.complete = 0;
		v->stopped = 1;
		return ODL_ECANCELED;
	}
	v->st.rows++;
	v->cur_rec = rec;
	if (row_blank(v, rec)) {
		/* its key is null too: frictionless reports both */
		if (emit(v, "blank-row", 0, rec, 0, "", -1, NULL, NULL, 0, "",
			 "Row at position \"%llu\" is completely blank", (unsigned long long)rec->record) ||
		    check_primary_key(v, rec))
			return ODL_ECANCELED;
		return ODL_OK;
	}

	/* unique findings wait until the row's cell errors are out */
	size_t dup_fields[64];
	uint64_t dup_rows[64];
	size_t ndup = 0;
	for (size_t o = 0; o < v->norder; o++) {
		const struct col_plan *cp = &v->order[o];
		size_t j = cp->col;
		int present = j < rec->ncells;
		const char *p = present ? rec->cells[j].ptr : NULL;
		size_t n = present ? rec->cells[j].len : 0;
		if (cp->for_checks)
			v->by_field[cp->field] = present ? &rec->cells[j] : NULL;
		/* the usual cell: present, not missing, a value the field accepted before */
		int looked = n && cp->memo && cp->only_empty_missing;
		if (looked && odl_value_memo_seen(cp->memo, p, n))
			continue;
		uint64_t prev = 0;
		rc = check_cell(v, rec, cp->field, j, p, n, present, looked, &prev);
		if (rc < 0)
			return ODL_ECANCELED;
		if (rc > 0 && ndup < 64) {
			dup_fields[ndup] = j;
			dup_rows[ndup++] = prev;
		}
	}
	for (size_t j = v->expected; j < rec->ncells; j++)
		if (emit(v, "extra-cell", 0, rec, j + 1, "", (int)j, NULL, rec->cells[j].ptr, rec->cells[j].len, "",
			 "Row at position \"%llu\" has an extra value in field at position \"%zu\"",
			 (unsigned long long)rec->record, j + 1))
			return ODL_ECANCELED;
	for (size_t j = rec->ncells; j < v->expected; j++) {
		int fi = v->col_field[j];
		const char *name = fi >= 0 ? s->fields[fi].name : v->labels[j];
		if (emit(v, "missing-cell", 0, rec, j + 1, name, (int)j, NULL, NULL, 0, "",
			 "Row at position \"%llu\" has a missing cell in field \"%s\" at position \"%zu\"",
			 (unsigned long long)rec->record, name, j + 1))
			return ODL_ECANCELED;
	}
	for (size_t d = 0; d < ndup; d++) {
		size_t j = dup_fields[d];
		const struct odl_field *f = &s->fields[v->col_field[j]];
		snprintf(v->note, sizeof(v->note), "the same as in the row at position %llu",
			 (unsigned long long)dup_rows[d]);
		if (emit(v, "unique-error", 0, rec, j + 1, f->name, (int)j, NULL, rec->cells[j].ptr,
			 rec->cells[j].len, v->note,
			 "Row at position \"%llu\" has unique constraint violation in field \"%s\" at position \"%zu\": %s",
			 (unsigned long long)rec->record, f->name, j + 1, v->note))
			return ODL_ECANCELED;
	}
	if (check_primary_key(v, rec))
		return ODL_ECANCELED;
	for (size_t k = 0; k < s->nfkeys; k++) {
		const struct odl_fkey *fk = &s->fkeys[k];
		uint64_t h = tuple_hash(v, rec, v->field_col, fk->fields, fk->n);
		if (!h || v->fk_ref[k].full || keyset_has(&v->fk_ref[k], h))
			continue;
		snprintf(v->note, sizeof(v->note), "for \"%s\": values not found in the lookup table",
			 s->fields[fk->fields[0]].name);
		int col = v->field_col[fk->fields[0]];
		const struct odl_cell *fc = col >= 0 && (size_t)col < rec->ncells ? &rec->cells[col] : NULL;
		if (emit(v, "foreign-key", 0, rec, 0, s->fields[fk->fields[0]].name, col, NULL,
			 fc ? fc->ptr : NULL, fc ? fc->len : 0, v->note,
			 "Row at position \"%llu\" violates the foreign key: %s",
			 (unsigned long long)rec->record, v->note))
			return ODL_ECANCELED;
	}
	if (s->nchecks && !v->opt.skip_checks) {
		/* by_field was filled by the cell loop; unmatched fields stay NULL */
		for (size_t k = 0; k < s->nchecks && !v->stopped; k++)
			if (odl_check_row(s->checks[k], v->by_field, s->nfields, rec->record, check_finding, v) ==
			    ODL_ENOMEM)
				return odl_fail(err, ODL_ENOMEM, "out of memory");
		if (v->stopped)
			return ODL_ECANCELED;
	}
	return ODL_OK;
}

int odl_validator_encoding_error(odl_validator *v, const struct odl_error *read_err)
{
	char note[ODL_ERROR_TEXT + 32];

	v->st.complete = 0;
	if (read_err->line)
		snprintf(note, sizeof(note), "line %llu: %s", (unsigned long long)read_err->line, read_err->message);
	else
		snprintf(note, sizeof(note), "%s", read_err->message);
	int rc = emit(v, "encoding-error", 0, NULL, 0, read_err->field, -1, NULL, NULL, 0, note,
		      "The data source could not be successfully decoded: %s", note);
	v->stopped = 1; /* the stream ends here, as in frictionless */
	return rc ? ODL_ECANCELED : ODL_OK;
}

int odl_validator_finish(odl_validator *v, struct odl_error *err)
{
	(void)err;
	if (v->stopped)
		v->st.complete = 0;
	if (!v->header_done && !v->stopped)
		return emit(v, "source-error", 0, NULL, 0, "", -1, NULL, NULL, 0, "the source is empty",
			    "The data source has not supported or has inconsistent contents: the source is empty")
			       ? ODL_ECANCELED : ODL_OK;
	for (size_t i = 0; i < v->s->nfields; i++)
		if (v->unique[i].full)
			emit(v, "unique-limit", 1, NULL, 0, v->s->fields[i].name, -1, NULL, NULL, 0, "",
			     "Uniqueness of field \"%s\" was checked on the first %zu distinct values only",
			     v->s->fields[i].name, v->unique[i].max);
	if (v->pk.full)
		emit(v, "unique-limit", 1, NULL, 0, "", -1, NULL, NULL, 0, "",
		     "The primary key was checked on the first %zu distinct values only", v->pk.max);
	return ODL_OK;
}

const char *odl_validator_bool_text(void *ctx, size_t col, int value)
{
	const odl_validator *v = ctx;

	if (!v || !v->header_done || !v->col_field ||
	    col >= (v->nlabels ? v->nlabels : v->s->nfields))
		return NULL;
	int fi = v->col_field[col];
	if (fi < 0 || v->s->fields[fi].type != ODL_T_BOOLEAN)
		return NULL;
	const struct odl_field *f = &v->s->fields[fi];
	if (value)
		return f->ntrue ? f->true_v[0] : NULL;
	return f->nfalse ? f->false_v[0] : NULL;
}
