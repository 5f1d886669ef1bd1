/*
 * fix.c - the fixer: header mapping, the cell rules in order, blank rows
 * and empty trailing columns, and the repaired record handed on.
 *
 * A cell is repaired only when it does not read as its field wants, and a
 * candidate is kept only when it does: the rules propose, the schema's own
 * reading decides.  Repaired records are numbered as in the repaired file,
 * so that validating them reports what validating that file would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odl/fix.h"
#include "error.h"
#include "fix_memo.h"
#include "fix_private.h"

#define FIX_MAX_RECORD (32u << 20)

static const char *const rule_names[ODL_FIX_NRULES] = {
	"header", "numbers", "dates", "booleans", "enum", "identifiers", "patterns", "whitespace"
};

struct odl_fixer {
	const odl_schema *s;
	struct odl_fix_options opt;
	odl_fix_fn fn;
	void *ctx;
	struct odl_pattern_match *md;

	int *col_field;          /* field of each input column, -1 none */
	char **col_label;        /* the header's labels, for the header record */
	size_t ncols;            /* columns of the header */
	int have_header;
	size_t keep_cols;        /* columns written (empty trailing ones dropped) */
	size_t *added;           /* missing required fields appended (add_missing) */
	size_t nadded;

	unsigned char *ident_len;  /* per field: 14 (SIRET) or 9 (SIREN) digits, else 0 */
	unsigned char *any_text;   /* per field: every text reads (a plain string) */
	struct fix_memo **memo;    /* per field: cells lately read as valid, or NULL */
	unsigned char *memo_off;   /* per field: remembering did not pay */

	int learned;               /* the columns are known (learnt, or guessed) */
	unsigned char *col_filled; /* learn: a data cell of the column is not empty */
	size_t watch_from;         /* learn: columns from here on may be dropped if empty */
	size_t *date_cols;         /* learn: columns read as dates, date evidence to gather */
	size_t ndate_cols;
	unsigned *dmy, *mdy;       /* learn: date evidence per field */
	int excel;                 /* odl_fixer_excel_dates: 1 (1900 system) or 2 (1904) */
	int guessing;              /* odl_fixer_guess: no first pass, the guesses checked */
	int guess_wrong;           /* a guess that made a difference proved wrong */
	unsigned char *guessed;    /* per field: the orders an ambiguous date was read in */

	size_t *perm;            /* --fix-order: output column j is cell perm[j] */
	size_t nperm;
	struct odl_cell *ordered;

	size_t *check_cols;      /* columns whose cells are read (not plain text) */
	size_t ncheck;

	struct odl_cell *cells;  /* the repaired record */
	size_t *cell_off;        /* its cells' offsets in arena, SIZE_MAX = input */
	size_t *fixed_col;       /* data records: the columns repaired, their
				    offsets in cell_off[0..] */
	size_t cap_cells;
	char *arena;
	size_t alen, acap;
	char *scratch;
	size_t scap;

	uint64_t out_record, out_row, out_line;
	uint64_t counts[ODL_FIX_NRULES][2];
};

void odl_fix_options_init(struct odl_fix_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->rules = (1u << ODL_FIX_NRULES) - 1;
}

const char *odl_fix_rule_name(enum odl_fix_rule r)
{
	return (unsigned)r < ODL_FIX_NRULES ? rule_names[r] : "unknown";
}

int odl_fix_rule_parse(const char *name, enum odl_fix_rule *r)
{
	for (int i = 0; i < ODL_FIX_NRULES; i++) {
		if (strcmp(name, rule_names[i]) == 0) {
			*r = (enum odl_fix_rule)i;
			return ODL_OK;
		}
	}
	return ODL_EINVAL;
}

odl_fixer *odl_fixer_new(const odl_schema *s, const struct odl_fix_options *opt, odl_fix_fn fn,
			 void *ctx)
{
	odl_fixer *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return NULL;
	fx->s = s;
	if (opt)
		fx->opt = *opt;
	else
		odl_fix_options_init(&fx->opt);
	fx->fn = fn;
	fx->ctx = ctx;
	fx->md = odl_pattern_match_new();
	fx->dmy = calloc(s->nfields ? s->nfields : 1, sizeof(*fx->dmy));
	fx->guessed = calloc(s->nfields ? s->nfields : 1, 1);
	fx->mdy = calloc(s->nfields ? s->nfields : 1, sizeof(*fx->mdy));
	fx->ident_len = calloc(s->nfields ? s->nfields : 1, 1);
	fx->any_text = calloc(s->nfields ? s->nfields : 1, 1);
	fx->memo = calloc(s->nfields ? s->nfields : 1, sizeof(*fx->memo));
	fx->memo_off = calloc(s->nfields ? s->nfields : 1, 1);
	if (!fx->md || !fx->dmy || !fx->mdy || !fx->ident_len || !fx->any_text || !fx->memo || !fx->memo_off ||
	    !fx->guessed) {
		odl_fixer_free(fx);
		return NULL;
	}
	/* a field that a SIRET or SIREN check reads holds digits only */
	for (size_t i = 0; i < s->nchecks; i++) {
		const char *code = odl_check_code(s->checks[i]);
		int col = odl_check_column(s->checks[i]);
		if (col >= 0 && (size_t)col < s->nfields && strcmp(code, "french-siret-value") == 0)
			fx->ident_len[col] = 14;
		else if (col >= 0 && (size_t)col < s->nfields && strcmp(code, "french-siren-value") == 0)
			fx->ident_len[col] = 9;
	}
	for (size_t i = 0; i < s->nfields; i++) {
		const struct odl_field *f = &s->fields[i];
		int plain = (f->type == ODL_T_STRING || f->type == ODL_T_ANY) &&
			    (f->type == ODL_T_ANY || f->format == ODL_F_DEFAULT) && !fx->ident_len[i];
		for (size_t k = 0; plain && k < f->ncons; k++)
			plain = f->cons[k].kind == ODL_C_REQUIRED || f->cons[k].kind == ODL_C_UNIQUE;
		fx->any_text[i] = (unsigned char)plain;
	}
	return fx;
}

void odl_fixer_free(odl_fixer *fx)
{
	if (!fx)
		return;
	odl_pattern_match_free(fx->md);
	for (size_t i = 0; i < fx->ncols; i++)
		free(fx->col_label[i]);
	free(fx->col_label);
	free(fx->col_field);
	free(fx->added);
	free(fx->col_filled);
	free(fx->date_cols);
	free(fx->guessed);
	free(fx->dmy);
	free(fx->mdy);
	free(fx->ident_len);
	free(fx->any_text);
	for (size_t i = 0; fx->memo && i < fx->s->nfields; i++)
		free(fx->memo[i]);
	free(fx->memo);
	free(fx->memo_off);
	free(fx->cells);
	free(fx->cell_off);
	free(fx->fixed_col);
	free(fx->check_cols);
	free(fx->perm);
	free(fx->ordered);
	free(fx->arena);
	free(fx->scratch);
	free(fx);
}

uint64_t odl_fixer_count(const odl_fixer *fx, enum odl_fix_rule r, int left)
{
	return (unsigned)r < ODL_FIX_NRULES ? fx->counts[r][left != 0] : 0;
}

static int on(const odl_fixer *fx, enum odl_fix_rule r)
{
	return (fx->opt.rules >> r) & 1;
}

static int report(odl_fixer *fx, enum odl_fix_rule rule, const struct odl_record *in, size_t col,
		  const char *field, const char *before, size_t blen, const char *after, size_t alen,
		  const struct fix_why *why)
{
	struct odl_fix_change c = {
		.rule = rule, .left = why != NULL, .why = why ? why->en : NULL,
		.why_fr = why ? why->fr : NULL, .row = in->record, .line = in->line,
		.column = col + 1, .field = field ? field : "", .before = before,
		.before_len = blen, .after = after, .after_len = alen
	};

	fx->counts[rule][why != NULL]++;
	return fx->fn && fx->fn(fx->ctx, &c) ? ODL_ECANCELED : ODL_OK;
}

static int read_ok(odl_fixer *fx, const struct odl_field *f, const char *p, size_t n);

/* 1 when the cell reads as its field wants (missing values included). */
static inline int cell_ok(odl_fixer *fx, const struct odl_field *f, const char *p, size_t n)
{
	size_t k = (size_t)(f - fx->s->fields);
	struct fix_memo *m = fx->memo[k];
	struct fix_memo_key key;

	if (fx->any_text[k])
		return 1;
	if (!m && !fx->memo_off[k] && (m = malloc(sizeof(*m))) != NULL) {
		/* made for the fields the file has (out of memory: none) */
		fix_memo_init(m);
		fx->memo[k] = m;
	}
	int use = m && fix_memo_key(p, n, &key);
	if (use) {
		m->tries++;
		if (fix_memo_has(m, &key)) {
			m->hits++;
			return 1;
		}
	}
	if (!read_ok(fx, f, p, n))
		return 0;
	if (use) {
		fix_memo_add(m, &key);
		if (m->tries >= 4096 && m->hits * 4 < m->tries) {
			/* a column of distinct values: remembering costs more */
			free(m);
			fx->memo[k] = NULL;
			fx->memo_off[k] = 1;
		}
	}
	return 1;
}

static int read_ok(odl_fixer *fx, const struct odl_field *f, const char *p, size_t n)
{
	struct odl_value v;

	if (odl_field_is_missing(fx->s, f, p, n))
		return 1;
	if (odl_type_read(f, p, n, &v) != 0)
		return 0;
	size_t want = fx->ident_len[f - fx->s->fields];
	if (want) {
		if (n != want)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (p[i] < '0' || p[i] > '9')
				return 0;
	}
	for (size_t i = 0; i < f->ncons; i++) {
		/* required holds (the cell is not missing); unique is the
		 * file's business, not the cell's */
		if (f->cons[i].kind == ODL_C_REQUIRED || f->cons[i].kind == ODL_C_UNIQUE)
			continue;
		if (odl_constraint_check(f, &f->cons[i], p, n, &v, fx->md) != 1)
			return 0;
	}
	return 1;
}

struct ok_ctx {
	odl_fixer *fx;
	const struct odl_field *f;
};

static int ok_cb(void *ctx, const char *s, size_t n)
{
	struct ok_ctx *c = ctx;
	return cell_ok(c->fx, c->f, s, n);
}

/* ---- the header ---------------------------------------------------------- */

static int field_named(const odl_schema *s, const char *p, size_t n)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (s->fields[i].name_len == n && memcmp(s->fields[i].name, p, n) == 0)
			return (int)i;
	return -1;
}

/* Match the header's labels to fields; with report set, say each change. */
static int map_header(odl_fixer *fx, const struct odl_record *rec, int emit)
{
	const odl_schema *s = fx->s;
	size_t n = rec->ncells;
	int *claims = calloc(s->nfields ? s->nfields : 1, sizeof(int));
	int *cand = calloc(n ? n : 1, sizeof(int));
	char a[512], b[512];
	int rc = ODL_OK;

	fx->col_field = calloc(n ? n : 1, sizeof(int));
	fx->col_label = calloc(n ? n : 1, sizeof(char *));
	if (!claims || !cand || !fx->col_field || !fx->col_label) {
		free(claims);
		free(cand);
		return ODL_ENOMEM;
	}
	fx->ncols = n;
	fx->keep_cols = n;
	fx->have_header = 1;
	for (size_t i = 0; i < n; i++) {
		const struct odl_cell *c = &rec->cells[i];
		if (!(fx->col_label[i] = strndup(c->ptr, c->len))) {
			rc = ODL_ENOMEM;
			goto out;
		}
		fx->col_field[i] = field_named(s, c->ptr, c->len);
		cand[i] = -1;
		if (fx->col_field[i] >= 0)
			claims[fx->col_field[i]] = -1; /* named exactly: taken */
	}
	if (!on(fx, ODL_FIX_HEADER))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct odl_cell *c = &rec->cells[i];
		int found = -1, count = 0;
		if (fx->col_field[i] >= 0 || !c->len || c->len >= sizeof(a))
			continue;
		odl_fix_fold(c->ptr, c->len, a, sizeof(a), 0);
		if (!*a)
			continue;
		for (size_t k = 0; k < s->nfields; k++) {
			const struct odl_field *f = &s->fields[k];
			int same = 0;
			odl_fix_fold(f->name, f->name_len, b, sizeof(b), 0);
			same = strcmp(a, b) == 0;
			if (!same && f->title && strlen(f->title) < sizeof(b)) {
				/* "Date de la convention" names dateConvention */
				odl_fix_fold(f->title, strlen(f->title), b, sizeof(b), 0);
				same = strcmp(a, b) == 0;
			}
			if (same)
				found = (int)k, count++;
		}
		if (count == 1) {
			cand[i] = found;
			if (claims[found] >= 0)
				claims[found]++;
		}
	}
	for (size_t i = 0; i < n && rc == ODL_OK; i++) {
		int k = cand[i];
		if (k < 0)
			continue;
		const struct odl_cell *c = &rec->cells[i];
		const char *name = s->fields[k].name;
		if (claims[k] == 1) {
			fx->col_field[i] = k;
			free(fx->col_label[i]);
			if (!(fx->col_label[i] = strdup(name))) {
				rc = ODL_ENOMEM;
				break;
			}
			if (emit)
				rc = report(fx, ODL_FIX_HEADER, rec, i, name, c->ptr, c->len, name,
					    strlen(name), NULL);
		} else if (emit) {
			struct fix_why why = claims[k] < 0 ?
				(struct fix_why){ "another column already has this name",
						  "une autre colonne porte déjà ce nom" } :
				(struct fix_why){ "several columns could be this field",
						  "plusieurs colonnes pourraient être ce champ" };
			rc = report(fx, ODL_FIX_HEADER, rec, i, name, c->ptr, c->len, NULL, 0, &why);
		}
	}
	if (rc == ODL_OK && fx->opt.add_missing) {
		fx->added = calloc(s->nfields ? s->nfields : 1, sizeof(size_t));
		if (!fx->added) {
			rc = ODL_ENOMEM;
			goto out;
		}
		for (size_t k = 0; k < s->nfields; k++) {
			int present = 0;
			for (size_t i = 0; i < n; i++)
				present |= fx->col_field[i] == (int)k;
			if (!present && s->fields[k].required)
				fx->added[fx->nadded++] = k;
		}
	}
out:
	free(claims);
	free(cand);
	return rc;
}

/* ---- learning the columns ------------------------------------------------ */

/* Forget the header's mapping, so that the real pass maps it again and
 * reports each change. */
static void reset_mapping(odl_fixer *fx)
{
	for (size_t i = 0; i < fx->ncols; i++)
		free(fx->col_label[i]);
	free(fx->col_label);
	free(fx->col_field);
	free(fx->added);
	fx->col_label = NULL;
	fx->col_field = NULL;
	fx->added = NULL;
	fx->nadded = 0;
	fx->ncols = 0;
	fx->have_header = 0;
}

/* What the header tells the learning: the columns that go when no data
 * cell fills them (those after the last labelled one), and those read as
 * dates. */
static int learn_setup(odl_fixer *fx)
{
	size_t n = fx->ncols ? fx->ncols : 1, w = fx->ncols;

	free(fx->col_filled);
	free(fx->date_cols);
	fx->col_filled = calloc(n, 1);
	fx->date_cols = malloc(n * sizeof(*fx->date_cols));
	if (!fx->col_filled || !fx->date_cols)
		return ODL_ENOMEM;
	while (w > 0 && !*fx->col_label[w - 1])
		w--;
	fx->watch_from = on(fx, ODL_FIX_WHITESPACE) ? w : fx->ncols;
	fx->ndate_cols = 0;
	for (size_t i = 0; i < fx->ncols; i++) {
		int k = fx->col_field[i];
		if (k >= 0 && (fx->s->fields[k].type == ODL_T_DATE || fx->s->fields[k].type == ODL_T_DATETIME))
			fx->date_cols[fx->ndate_cols++] = i;
	}
	return ODL_OK;
}

/* What a data record tells of its columns.  While guessing, a fact that
 * contradicts a guess already used makes the guess wrong. */
static void learn_cells(odl_fixer *fx, const struct odl_record *rec)
{
	size_t n = rec->ncells < fx->ncols ? rec->ncells : fx->ncols;

	for (size_t i = fx->watch_from; i < n; i++) {
		const char *p = rec->cells[i].ptr;
		size_t len = rec->cells[i].len;
		if (fx->col_filled[i] || !len)
			continue;
		odl_fix_trim(&p, &len);
		if (len) {
			fx->col_filled[i] = 1;
			fx->guess_wrong |= fx->guessing; /* the column was dropped */
		}
	}
	for (size_t j = 0; j < fx->ndate_cols && fx->date_cols[j] < n; j++) {
		const struct odl_cell *c = &rec->cells[fx->date_cols[j]];
		int k = fx->col_field[fx->date_cols[j]];
		if (fx->dmy[k] && fx->mdy[k])
			continue; /* mixed whatever follows */
		enum fix_date_order o = odl_fix_date_evidence(c->ptr, c->len);
		if (o == FIX_ORDER_DMY) {
			fx->dmy[k]++;
			fx->guess_wrong |= (fx->guessed[k] >> FIX_ORDER_MDY) & 1;
		} else if (o == FIX_ORDER_MDY) {
			fx->mdy[k]++;
			fx->guess_wrong |= (fx->guessed[k] >> FIX_ORDER_DMY) & 1;
		}
	}
}

int odl_fixer_learn(odl_fixer *fx, const struct odl_record *rec)
{
	if (rec->is_header) {
		int rc = map_header(fx, rec, 0);
		if (rc == ODL_OK)
			rc = learn_setup(fx);
		fx->learned = rc == ODL_OK;
		return rc;
	}
	if (fx->learned)
		learn_cells(fx, rec);
	return ODL_OK;
}

void odl_fixer_excel_dates(odl_fixer *fx, int date1904)
{
	fx->excel = date1904 ? 2 : 1;
}

void odl_fixer_guess(odl_fixer *fx)
{
	fx->guessing = 1;
}

static enum fix_date_order date_order(const odl_fixer *fx, int k);

int odl_fixer_guessed_wrong(const odl_fixer *fx)
{
	if (!fx->guessing || !fx->learned)
		return 0;
	if (fx->guess_wrong)
		return 1;
	for (size_t k = 0; k < fx->s->nfields; k++) {
		if (((fx->guessed[k] >> FIX_ORDER_DMY) & 1) && date_order(fx, (int)k) != FIX_ORDER_DMY)
			return 1;
		if (((fx->guessed[k] >> FIX_ORDER_MDY) & 1) && date_order(fx, (int)k) != FIX_ORDER_MDY)
			return 1;
	}
	return 0;
}

void odl_fixer_restart(odl_fixer *fx)
{
	/* what was learnt stays, as after a first pass */
	fx->guessing = 0;
	fx->guess_wrong = 0;
	memset(fx->guessed, 0, fx->s->nfields ? fx->s->nfields : 1);
	memset(fx->counts, 0, sizeof(fx->counts));
	fx->out_record = fx->out_row = fx->out_line = 0;
}

/* ---- the repaired record ------------------------------------------------- */

static int arena_put(odl_fixer *fx, const char *p, size_t n, size_t *off)
{
	if (fx->alen + n > FIX_MAX_RECORD)
		return ODL_ELIMIT;
	if (fx->alen + n > fx->acap) {
		size_t cap = fx->acap ? fx->acap : 4096;
		while (cap < fx->alen + n)
			cap *= 2;
		char *a = realloc(fx->arena, cap);
		if (!a)
			return ODL_ENOMEM;
		fx->arena = a;
		fx->acap = cap;
	}
	memcpy(fx->arena + fx->alen, p, n);
	*off = fx->alen;
	fx->alen += n;
	return ODL_OK;
}

static int grow_cells(odl_fixer *fx, size_t n)
{
	if (n <= fx->cap_cells)
		return ODL_OK;
	struct odl_cell *c = realloc(fx->cells, n * sizeof(*c));
	if (!c)
		return ODL_ENOMEM;
	fx->cells = c;
	c = realloc(fx->ordered, n * sizeof(*c));
	if (!c)
		return ODL_ENOMEM;
	fx->ordered = c;
	size_t *o = realloc(fx->cell_off, n * sizeof(*o));
	if (!o)
		return ODL_ENOMEM;
	fx->cell_off = o;
	if (!(o = realloc(fx->fixed_col, n * sizeof(*o))))
		return ODL_ENOMEM;
	fx->fixed_col = o;
	fx->cap_cells = n;
	return ODL_OK;
}

static enum fix_date_order date_order(const odl_fixer *fx, int k)
{
	if (fx->dmy[k] && !fx->mdy[k])
		return FIX_ORDER_DMY;
	if (fx->mdy[k] && !fx->dmy[k])
		return FIX_ORDER_MDY;
	return fx->dmy[k] ? FIX_ORDER_MIXED : FIX_ORDER_UNKNOWN;
}

/* Repair one cell that does not read as its field wants: *out_off set when
 * a repair was made. */
static int fix_cell(odl_fixer *fx, const struct odl_record *in, size_t col, int k, size_t *out_off,
		    size_t *out_len)
{
	const struct odl_field *f = &fx->s->fields[k];
	const char *p0 = in->cells[col].ptr, *p = p0;
	size_t n0 = in->cells[col].len, n = n0, dlen = 0;
	struct fix_why why = { NULL, NULL }, left = { NULL, NULL };
	enum odl_fix_rule left_rule = ODL_FIX_NRULES;
	int r;

	if (fx->scap < n + 64) {
		char *sc = realloc(fx->scratch, n + 64);
		if (!sc)
			return ODL_ENOMEM;
		fx->scratch = sc;
		fx->scap = n + 64;
	}
	odl_fix_trim(&p, &n);
	if (on(fx, ODL_FIX_WHITESPACE) && n != n0 && cell_ok(fx, f, p, n)) {
		memcpy(fx->scratch, p, n);
		dlen = n;
		r = FIX_DONE;
		goto done_whitespace;
	}
	struct ok_ctx okc = { fx, f };
	static const enum odl_fix_rule order[] = { ODL_FIX_BOOLEANS, ODL_FIX_NUMBERS, ODL_FIX_DATES,
		ODL_FIX_ENUM, ODL_FIX_IDENTIFIERS, ODL_FIX_PATTERNS };
	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		enum odl_fix_rule rule = order[i];
		if (!on(fx, rule))
			continue;
		why.en = why.fr = NULL;
		switch (rule) {
		case ODL_FIX_BOOLEANS: r = odl_fix_boolean(f, p, n, fx->scratch, fx->scap, &dlen); break;
		case ODL_FIX_NUMBERS: r = odl_fix_number(f, p, n, fx->scratch, fx->scap, &dlen); break;
		case ODL_FIX_DATES: {
			enum fix_date_order o = fx->learned ? date_order(fx, k) : FIX_ORDER_UNKNOWN;
			if (fx->guessing && o == FIX_ORDER_UNKNOWN)
				o = FIX_ORDER_DMY; /* French dates, unless the column says otherwise */
			r = odl_fix_date(f, fx->guessing ? FIX_ORDER_UNKNOWN : o, p, n, fx->scratch,
					 fx->scap, &dlen, &why);
			if (r == FIX_LEFT && fx->guessing && o != FIX_ORDER_MIXED) {
				/* the guess decides this cell: the file must bear it out */
				fx->guessed[k] |= (unsigned char)(1u << o);
				why.en = why.fr = NULL;
				r = odl_fix_date(f, o, p, n, fx->scratch, fx->scap, &dlen, &why);
			}
			if (r == FIX_NA && fx->excel)
				r = odl_fix_excel_date(f, fx->excel == 2, p, n, fx->scratch, fx->scap,
						       &dlen, &why);
			break;
		}
		case ODL_FIX_ENUM: r = odl_fix_enum(f, p, n, fx->scratch, fx->scap, &dlen); break;
		case ODL_FIX_IDENTIFIERS:
			r = odl_fix_identifier(f, fx->ident_len[k] != 0, p, n, fx->scratch, fx->scap, &dlen, &why);
			break;
		default: r = odl_fix_pattern(f, p, n, fx->scratch, fx->scap, &dlen, ok_cb, &okc); break;
		}
		if (r == FIX_LEFT && left_rule == ODL_FIX_NRULES) {
			left = why;
			left_rule = rule;
		}
		if (r == FIX_DONE && !(dlen == n0 && memcmp(fx->scratch, p0, n0) == 0) &&
		    cell_ok(fx, f, fx->scratch, dlen)) {
			int rc = arena_put(fx, fx->scratch, dlen, out_off);
			if (rc != ODL_OK)
				return rc;
			*out_len = dlen;
			return report(fx, rule, in, col, f->name, p0, n0, fx->arena + *out_off, dlen, NULL);
		}
	}
	if (left_rule != ODL_FIX_NRULES)
		return report(fx, left_rule, in, col, f->name, p0, n0, NULL, 0, &left);
	return ODL_OK;

done_whitespace: {
	int rc = arena_put(fx, fx->scratch, dlen, out_off);
	if (rc != ODL_OK)
		return rc;
	*out_len = dlen;
	(void)r;
	return report(fx, ODL_FIX_WHITESPACE, in, col, f->name, p0, n0, fx->arena + *out_off, dlen,
		      NULL);
}
}

/* --fix-order: the schema's fields first, in its order (a column the header
 * rule could not match keeps its place after them). */
static int build_order(odl_fixer *fx, size_t keep)
{
	size_t n = keep + fx->nadded, o = 0;
	unsigned char *used = calloc(n ? n : 1, 1);

	free(fx->perm);
	fx->perm = malloc((n ? n : 1) * sizeof(size_t));
	if (!used || !fx->perm) {
		free(used);
		return ODL_ENOMEM;
	}
	for (size_t k = 0; k < fx->s->nfields; k++) {
		for (size_t i = 0; i < keep; i++) {
			if (!used[i] && i < fx->ncols && fx->col_field[i] == (int)k) {
				used[i] = 1;
				fx->perm[o++] = i;
				break;
			}
		}
		for (size_t a = 0; a < fx->nadded; a++) {
			if (fx->added[a] == k) {
				used[keep + a] = 1;
				fx->perm[o++] = keep + a;
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!used[i])
			fx->perm[o++] = i;
	fx->nperm = o;
	free(used);
	return ODL_OK;
}

/* Put the record's cells in the order build_order chose; cells past the
 * header's width stay at the end. */
static void apply_order(odl_fixer *fx, size_t n)
{
	size_t o = 0;

	for (size_t j = 0; j < fx->nperm; j++)
		if (fx->perm[j] < n)
			fx->ordered[o++] = fx->cells[fx->perm[j]];
	for (size_t i = fx->nperm; i < n; i++)
		fx->ordered[o++] = fx->cells[i];
	memcpy(fx->cells, fx->ordered, o * sizeof(*fx->cells));
}

static uint64_t count_lf(const char *p, const char *end)
{
	uint64_t k = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* Line feeds in the cells; reader: all are the reader's (none repaired or
 * added), which may then be searched at once. */
static uint64_t newlines(const struct odl_cell *cells, size_t n, int reader)
{
	uint64_t k = 0;

	/* cells that lie in order in the reader's buffer, a few bytes apart
	 * and no line feed between them, are searched in one call */
	int span = reader && n > 1;
	for (size_t i = 1; i < n && span; i++) {
		uintptr_t end = (uintptr_t)cells[i - 1].ptr + cells[i - 1].len, next = (uintptr_t)cells[i].ptr;
		span = next >= end && next - end <= 4;
		for (const char *gap = cells[i - 1].ptr + cells[i - 1].len; span && gap < cells[i].ptr; gap++)
			span = *gap != '\n';
	}
	if (span)
		return count_lf(cells[0].ptr, cells[n - 1].ptr + cells[n - 1].len);
	for (size_t i = 0; i < n; i++)
		k += count_lf(cells[i].ptr, cells[i].ptr + cells[i].len);
	return k;
}

/* The columns whose cells the fields read (a plain text field takes any). */
static int list_checks(odl_fixer *fx)
{
	free(fx->check_cols);
	fx->ncheck = 0;
	if (!(fx->check_cols = malloc((fx->ncols ? fx->ncols : 1) * sizeof(size_t))))
		return ODL_ENOMEM;
	for (size_t i = 0; i < fx->ncols; i++)
		if (fx->col_field[i] >= 0 && !fx->any_text[fx->col_field[i]])
			fx->check_cols[fx->ncheck++] = i;
	return ODL_OK;
}

int odl_fixer_record(odl_fixer *fx, const struct odl_record *in, struct odl_record *out,
		     struct odl_error *err)
{
	int rc = ODL_OK;

	memset(out, 0, sizeof(*out));
	fx->alen = 0;
	if (fx->guess_wrong) {
		/* the pass will be done again: learn the rest of the file */
		if (!in->is_header)
			learn_cells(fx, in);
		return ODL_OK;
	}
	if (in->is_header) {
		size_t learned_cols = fx->ncols;
		if (fx->learned)
			reset_mapping(fx);
		if ((rc = map_header(fx, in, 1)) != ODL_OK)
			goto fail;
		if (fx->guessing) {
			/* trailing columns without a label taken for empty */
			if ((rc = learn_setup(fx)) != ODL_OK)
				goto fail;
			learned_cols = fx->ncols;
			fx->learned = 1;
		}
		if (fx->learned) {
			/* trailing columns with no label and no data anywhere go */
			size_t keep = learned_cols < in->ncells ? learned_cols : in->ncells;
			while (on(fx, ODL_FIX_WHITESPACE) && keep > 0 && !fx->col_filled[keep - 1] &&
			       !*fx->col_label[keep - 1])
				keep--;
			for (size_t i = keep; i < in->ncells && rc == ODL_OK; i++)
				rc = report(fx, ODL_FIX_WHITESPACE, in, i, "", in->cells[i].ptr,
					    in->cells[i].len, NULL, 0, NULL);
			if (rc != ODL_OK)
				goto fail;
			fx->keep_cols = keep;
		}
	} else if (!fx->have_header) {
		return ODL_OK; /* header off: nothing to map cells to */
	} else if (fx->guessing) {
		learn_cells(fx, in);
		if (fx->guess_wrong)
			return ODL_OK;
	}

	if (!in->is_header && in->is_blank && on(fx, ODL_FIX_WHITESPACE)) {
		rc = report(fx, ODL_FIX_WHITESPACE, in, 0, "", "", 0, NULL, 0, NULL);
		if (rc != ODL_OK)
			goto fail;
		return ODL_OK; /* dropped: out->cells stays NULL */
	}

	size_t keep = in->ncells;
	if (fx->learned && keep > fx->keep_cols) {
		/* drop only what is empty: a filled cell past the header stays */
		size_t k = keep;
		while (k > fx->keep_cols && !in->cells[k - 1].len)
			k--;
		keep = k;
	}
	size_t nout = keep + fx->nadded;
	if ((rc = grow_cells(fx, nout ? nout : 1)) != ODL_OK)
		goto fail;
	size_t nfix = 0;
	if (in->is_header) {
		for (size_t i = 0; i < keep; i++) {
			fx->cell_off[i] = SIZE_MAX;
			fx->cells[i] = in->cells[i];
			if (i < fx->ncols && fx->col_field[i] >= 0) {
				const char *lab = fx->col_label[i];
				size_t len = strlen(lab), off;
				if (len != in->cells[i].len || memcmp(lab, in->cells[i].ptr, len) != 0) {
					if ((rc = arena_put(fx, lab, len, &off)) != ODL_OK)
						goto fail;
					fx->cell_off[i] = off;
					fx->cells[i].len = len;
				}
			}
		}
		for (size_t i = 0; i < fx->nadded; i++) {
			size_t k = fx->added[i], off;
			const char *name = fx->s->fields[k].name;
			if ((rc = arena_put(fx, name, strlen(name), &off)) != ODL_OK)
				goto fail;
			fx->cell_off[keep + i] = off;
			fx->cells[keep + i].len = strlen(name);
			rc = report(fx, ODL_FIX_HEADER, in, keep + i, name, "", 0, name, strlen(name), NULL);
			if (rc != ODL_OK)
				goto fail;
		}
		for (size_t i = 0; i < nout; i++)
			if (fx->cell_off[i] != SIZE_MAX)
				fx->cells[i].ptr = fx->arena + fx->cell_off[i];
		if ((rc = list_checks(fx)) != ODL_OK)
			goto fail;
	} else {
		/* the cells as read; only those of read fields are looked at */
		memcpy(fx->cells, in->cells, keep * sizeof(*fx->cells));
		for (size_t j = 0; j < fx->ncheck && fx->check_cols[j] < keep; j++) {
			size_t i = fx->check_cols[j], off = SIZE_MAX, len = 0;
			int k = fx->col_field[i];
			if (cell_ok(fx, &fx->s->fields[k], in->cells[i].ptr, in->cells[i].len))
				continue;
			if ((rc = fix_cell(fx, in, i, k, &off, &len)) != ODL_OK)
				goto fail;
			if (off != SIZE_MAX) {
				fx->cell_off[nfix] = off;
				fx->fixed_col[nfix++] = i;
				fx->cells[i].len = len;
			}
		}
		for (size_t f = 0; f < nfix; f++)
			fx->cells[fx->fixed_col[f]].ptr = fx->arena + fx->cell_off[f];
		for (size_t i = 0; i < fx->nadded; i++) {
			fx->cells[keep + i].ptr = "";
			fx->cells[keep + i].len = 0;
		}
	}
	if (fx->opt.order) {
		if (in->is_header && (rc = build_order(fx, keep)) != ODL_OK)
			goto fail;
		apply_order(fx, nout);
	}

	out->cells = fx->cells;
	out->ncells = nout;
	out->is_header = in->is_header;
	out->is_blank = in->is_blank;
	out->record = ++fx->out_record;
	out->row = in->is_header ? 0 : ++fx->out_row;
	out->line = ++fx->out_line;
	out->offset = 0;
	out->unclosed_quote = in->unclosed_quote; /* said of the input */
	int as_read = !in->is_header && !nfix && !fx->nadded && !fx->opt.order;
	if (as_read && keep == in->ncells && in->text) {
		/* every cell as read, in the text that holds them */
		out->text = in->text;
		out->text_len = in->text_len;
	}
	fx->out_line += newlines(out->cells, out->ncells, as_read);
	return ODL_OK;
fail:
	if (rc == ODL_ELIMIT)
		return odl_fail(err, rc, "a repaired record is longer than %u bytes", FIX_MAX_RECORD);
	if (rc == ODL_ENOMEM)
		return odl_fail(err, rc, "out of memory");
	return odl_fail(err, rc, "stopped by the caller");
}
