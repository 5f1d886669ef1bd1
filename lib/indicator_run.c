/*
 * indicator_run.c - streaming datasets into per-group accumulators.
 *
 * Built for national files (a million rows, 35,000 communes, 100,000+
 * groups), where the cost is memory touched rather than arithmetic:
 * - a group is a header followed by one accumulator per indicator, each
 *   sized to its measure (16 to 48 bytes), carved from 2 MiB zeroed
 *   anonymous mappings advised for huge pages: nothing is initialised
 *   ahead of the rows, and faults come one per 2 MiB;
 * - median value arrays and distinct sets grow in power-of-two arena
 *   blocks recycled through per-size free lists (malloc only past 4 KiB);
 *   a distinct set of up to 16 values is a plain array;
 * - the last key's territory and the last group are remembered (published
 *   files come in runs of one publisher), and a territory's groups are a
 *   short list, never hashed;
 * - past a memory budget the groups in memory go to a temporary file
 *   (lib/indicator_spill.c) and the arena starts afresh: in the order
 *   publishers come, each group is written once and read back once;
 * - results walk the territory table in order, each territory's groups
 *   sorted by year: only per-category accumulators need a global sort.
 */
#include "indicator_priv.h"
#include "territory_map.h"
#include "fix_private.h"
#include "csv_private.h"
#include "error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/*
 * Each indicator keeps only what its measure needs (a count 16 bytes, a sum
 * 32, a median or distinct count 40), and a group's accumulators sit
 * together right after its header in a zeroed arena: most memory is
 * first written by the row that needs it, never by an initialisation pass.
 */
struct acc_base {
	uint64_t n_rows, n_err;
};
struct acc_sum { /* sum, mean */
	struct acc_base b;
	uint64_t n_vals;
	double sum;
};
struct acc_ext { /* min, max */
	struct acc_base b;
	uint64_t n_vals;
	double m;
};
struct acc_sos { /* share_of_sum */
	struct acc_base b;
	uint64_t n_vals;
	double sum, sum_match;
};
struct acc_share {
	struct acc_base b;
	uint64_t n_match;
};
struct acc_vals { /* median, quantile */
	struct acc_base b;
	double *vals;
	size_t nv, cap;
};
struct acc_set { /* count_distinct: open addressing on hashes, 0 = free */
	struct acc_base b;
	uint64_t *set;
	size_t nv, cap;
};

static size_t acc_size(enum odl_measure m)
{
	switch (m) {
	case ODL_M_COUNT: return sizeof(struct acc_base);
	case ODL_M_SUM: case ODL_M_MEAN: return sizeof(struct acc_sum);
	case ODL_M_MIN: case ODL_M_MAX: return sizeof(struct acc_ext);
	case ODL_M_SHARE_OF_SUM: return sizeof(struct acc_sos);
	case ODL_M_SHARE: return sizeof(struct acc_share);
	case ODL_M_MEDIAN: case ODL_M_QUANTILE: return sizeof(struct acc_vals);
	default: return sizeof(struct acc_set);
	}
}

/* An indicator with "needs" counts, after its measure's accumulator, the
 * rows that fill every needed field: the others pay nothing for it. */
static size_t ind_acc_size(const struct odl_ind *d)
{
	return acc_size(d->measure) + (d->nneeds ? sizeof(uint64_t) : 0);
}

static uint64_t *filled_of(const struct odl_ind *d, struct acc_base *a)
{
	return (uint64_t *)((char *)a + acc_size(d->measure));
}

/* a (territory, year) group in memory; its accumulators follow at off[k] */
struct group {
	uint32_t dir;  /* its entry in the directory */
	uint32_t terr;
	int year;
	uint32_t pad;
};

/* Every group has an entry here, in memory or not: a run over a national
 * file keeps 40 bytes per group, and the groups' accumulators and
 * values up to the memory budget.  Beyond it, the groups in memory are
 * written to the spill file (one record each: the accumulators, then each
 * value array whole) and come back when a row needs them again, exactly as
 * they were: sums go on in the same order, sets hold the same hashes. */
struct gdir {
	uint32_t next;      /* next group of the same territory, index + 1 (0: none) */
	uint32_t terr;
	int year;
	struct group *hot;  /* in memory, else NULL: in the spill file at off */
	uint64_t off, len;  /* its record in the spill file */
};

/* a per-category accumulator of an indicator with "by" */
struct by_acc {
	struct group *g;
	uint32_t ind;
	char *category;
	struct acc_base *a;
};

/* arena chunks are anonymous mappings of 2 MiB, aligned and offered to
 * transparent huge pages: one page fault per chunk instead of 512, and the
 * kernel zeroes them as it maps them */
#define CHUNK ((size_t)2 << 20)
/* value arrays and distinct sets up to 4 KiB come from the arena in
 * power-of-two blocks from 64 bytes; a block outgrown is reused by the next
 * array of its size: no per-block header, no general-purpose allocator on
 * the path of every group */
#define SLAB_MIN 64
#define SLAB_MAX 4096
#define SLAB_CLASSES 7
/* a distinct set of up to SMALL_SET hashes is a plain array searched in
 * order; above, an open-addressing table at most half full */
#define SMALL_SET 16

struct odl_indicator_run {
	const odl_indicator_set *set;
	const odl_territories *terr;
	uint64_t max_values, kept;
	size_t *off;       /* per indicator: its accumulator's offset in a group */
	size_t group_size;
	/* the arena: calloc'd chunks, so untouched pages cost nothing */
	struct chunk { void *p; size_t size; } *chunks;
	size_t nchunks, capchunks;
	char *bump;
	size_t left;
	size_t ngroups;
	uint32_t *first_group; /* per territory index: its latest group, index + 1 */
	struct gdir *dir;
	size_t capdir;
	/* the memory budget: arena bytes handed out and malloc'd blocks */
	size_t cur;        /* chunk bump points into */
	uint64_t used, big_bytes, budget;
	uint64_t slack;    /* what rows may take from the arena between two checks */
	struct odl_spill *spill;
	uint64_t spilled;  /* records written */
	void *scratch;     /* a record read back for the results */
	size_t scratch_cap;
	void *free_blocks[SLAB_CLASSES]; /* per size class, linked through their first word */
	size_t nbig;       /* blocks from malloc (above SLAB_MAX) not yet freed */
	struct by_acc *by;
	size_t nby, capby;
	struct odl_strmap by_map;
	struct odl_indicator_stats stats;
	struct odl_indicator_result_stats rstats;
	const struct odl_territory *last_bad;
	/* per file */
	int terr_col, year_col;
	/* the cells of the columns the set reads (cols), trimmed once per row
	 * into cells[col]: a row reads its amount or its RNA number several
	 * times, once per indicator and per filter */
	int *cols;
	size_t ncols, capcols;
	struct odl_cell *cells;
	size_t capcells;
	char last_key[64];
	size_t last_key_len;
	const struct odl_territory *last_terr;
	struct group *last_group;
	uint64_t last_error_record;
	uint64_t parsed_record;
	int parsed_col, parsed_ok;
	double parsed_value;
	const char *path;
	int lenient;
	int threads;          /* per file: 2 = the reader on a thread of its own */
	struct odl_error own;
	/* results: the last denominator read (one territory's rows are consecutive) */
	const struct odl_territory *den_terr;
	const char *den_column;
	int den_rc;
	double den_value;
};

#define ACC_OF(r, g, k) ((struct acc_base *)((char *)(g) + (r)->off[k]))

odl_indicator_run *odl_indicator_run_new(const odl_indicator_set *set,
					 const odl_territories *territories,
					 const struct odl_indicator_limits *lim)
{
	odl_indicator_run *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->set = set;
	r->terr = territories;
	r->max_values = lim && lim->max_values ? lim->max_values : (uint64_t)64 << 20;
	r->budget = lim && lim->memory ? lim->memory : (uint64_t)4 << 20;
	odl_strmap_init(&r->by_map);
	size_t n = odl_territories_count(territories);
	r->first_group = calloc(n ? n : 1, sizeof(*r->first_group));
	r->off = malloc((set->nind ? set->nind : 1) * sizeof(*r->off));
	if (!r->first_group || !r->off) {
		free(r->first_group);
		free(r->off);
		free(r);
		return NULL;
	}
	size_t o = sizeof(struct group);
	for (size_t k = 0; k < set->nind; k++) {
		r->off[k] = o;
		/* a "by" indicator's results live in its per-category accumulators */
		if (!set->ind[k].by)
			o += ind_acc_size(&set->ind[k]);
		/* per-category accumulators point to their group: groups stay
		 * in memory */
		else
			r->budget = UINT64_MAX;
	}
	r->group_size = o;
	/* a row takes a group and, per indicator, blocks of up to SLAB_MAX
	 * (the smaller ones on the way there, at most as much again) */
	r->slack = o + set->nind * 2 * SLAB_MAX;
	return r;
}

static void acc_free(const struct odl_ind *d, struct acc_base *a)
{
	if (d->measure == ODL_M_MEDIAN || d->measure == ODL_M_QUANTILE) {
		struct acc_vals *q = (struct acc_vals *)a;
		if (q->cap * sizeof(double) > SLAB_MAX)
			free(q->vals);
	} else if (d->measure == ODL_M_COUNT_DISTINCT) {
		struct acc_set *st = (struct acc_set *)a;
		if (st->cap * sizeof(uint64_t) > SLAB_MAX)
			free(st->set);
	}
}

void odl_indicator_run_free(odl_indicator_run *r)
{
	if (!r)
		return;
	size_t nterr = odl_territories_count(r->terr);
	/* with no array past the arena's blocks, the groups hold nothing to free */
	for (size_t i = 0; r->nbig && i < r->ngroups; i++)
		for (size_t k = 0; r->dir[i].hot && k < r->set->nind; k++)
			if (!r->set->ind[k].by)
				acc_free(&r->set->ind[k], ACC_OF(r, r->dir[i].hot, k));
	(void)nterr;
	odl_spill_free(r->spill);
	free(r->scratch);
	free(r->dir);
	for (size_t i = 0; i < r->nby; i++) {
		acc_free(&r->set->ind[r->by[i].ind], r->by[i].a);
		free(r->by[i].category);
	}
	for (size_t c = 0; c < r->nchunks; c++)
		munmap(r->chunks[c].p, r->chunks[c].size);
	free(r->chunks);
	free(r->by);
	free(r->off);
	free(r->cols);
	free(r->cells);
	odl_strmap_clear(&r->by_map);
	free(r->first_group);
	free(r);
}

void odl_indicator_run_set_lenient(odl_indicator_run *r, int lenient)
{
	r->lenient = lenient;
}

void odl_indicator_run_set_threads(odl_indicator_run *r, int threads)
{
	r->threads = threads;
}

struct path_reading {
	odl_csv *csv;
	const char *path;
};

/* The reading thread's whole work: the file through the reader. */
static int read_whole_path(void *ctx, struct odl_error *err)
{
	struct path_reading *pr = ctx;

	return odl_csv_read_path(pr->csv, pr->path, err);
}

const struct odl_indicator_stats *odl_indicator_run_stats(const odl_indicator_run *r)
{
	return &r->stats;
}

const struct odl_indicator_result_stats *odl_indicator_run_result_stats(const odl_indicator_run *r)
{
	return &r->rstats;
}

/* size bytes, a multiple of CHUNK, zeroed, CHUNK-aligned */
static char *chunk_map(size_t size)
{
	char *p = mmap(NULL, size + CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	size_t head = (CHUNK - (uintptr_t)p % CHUNK) % CHUNK;
	if (head)
		munmap(p, head);
	munmap(p + head + size, CHUNK - head);
	p += head;
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE);
#endif
	return p;
}

/* n zeroed bytes, 8-aligned (every size here is a multiple of 8) */
static void *arena_alloc(odl_indicator_run *r, size_t n)
{
	r->used += n;
	/* after a spill, the chunks already mapped are used again */
	while (n > r->left && r->cur + 1 < r->nchunks) {
		r->cur++;
		r->bump = r->chunks[r->cur].p;
		r->left = r->chunks[r->cur].size;
	}
	if (n > r->left) {
		size_t size = (n + CHUNK - 1) / CHUNK * CHUNK;
		if (odl_csv_grow((void **)&r->chunks, &r->capchunks, r->nchunks + 1, sizeof(*r->chunks)))
			return NULL;
		char *c = chunk_map(size);
		if (!c)
			return NULL;
		r->chunks[r->nchunks].p = c;
		r->chunks[r->nchunks].size = size;
		r->cur = r->nchunks++;
		r->bump = c;
		r->left = size;
	}
	void *p = r->bump;
	r->bump += n;
	r->left -= n;
	return p;
}

static size_t slab_class(size_t bytes)
{
	size_t c = 0;

	while ((size_t)SLAB_MIN << c < bytes)
		c++;
	return c;
}

/* bytes: a power of two >= SLAB_MIN; the block is not zeroed */
static void *block_get(odl_indicator_run *r, size_t bytes)
{
	if (bytes > SLAB_MAX) {
		void *b = malloc(bytes);
		r->nbig += b != NULL;
		r->big_bytes += b ? bytes : 0;
		return b;
	}
	size_t c = slab_class(bytes);
	void *p = r->free_blocks[c];
	if (p) {
		memcpy(&r->free_blocks[c], p, sizeof(void *));
		return p;
	}
	return arena_alloc(r, bytes);
}

static void block_put(odl_indicator_run *r, void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes > SLAB_MAX) {
		free(p);
		r->nbig--;
		r->big_bytes -= bytes;
		return;
	}
	size_t c = slab_class(bytes);
	memcpy(p, &r->free_blocks[c], sizeof(void *));
	r->free_blocks[c] = p;
}

/* a block of bytes holding the first used bytes of p (freed) */
static void *block_grow(odl_indicator_run *r, void *p, size_t old, size_t used, size_t bytes)
{
	if (old > SLAB_MAX) {
		void *n = realloc(p, bytes);
		r->big_bytes += n ? bytes - old : 0;
		return n;
	}
	void *n = block_get(r, bytes);
	if (!n)
		return NULL;
	if (used)
		memcpy(n, p, used);
	block_put(r, p, old);
	return n;
}

/* the value arrays of a group's accumulators: (array, bytes) by indicator */
static void **vals_of(const odl_indicator_run *r, struct group *g, size_t k, size_t *bytes)
{
	const struct odl_ind *d = &r->set->ind[k];

	if (d->by)
		return NULL;
	if (d->measure == ODL_M_MEDIAN || d->measure == ODL_M_QUANTILE) {
		struct acc_vals *q = (struct acc_vals *)ACC_OF(r, g, k);
		*bytes = q->cap * sizeof(double);
		return (void **)&q->vals;
	}
	if (d->measure == ODL_M_COUNT_DISTINCT) {
		struct acc_set *st = (struct acc_set *)ACC_OF(r, g, k);
		*bytes = st->cap * sizeof(uint64_t);
		return (void **)&st->set;
	}
	return NULL;
}

/* Write every group in memory to the spill file and start the arena
 * afresh (its pages given back: the kernel zeroes them again). */
static int spill_all(odl_indicator_run *r)
{
	int rc;

	if (!r->spill && (rc = odl_spill_open(&r->spill, &r->own)) != ODL_OK)
		return rc;
	for (size_t i = 0; i < r->ngroups; i++) {
		struct gdir *e = &r->dir[i];
		struct group *g = e->hot;
		if (!g)
			continue;
		uint64_t off = odl_spill_tell(r->spill);
		rc = odl_spill_write(r->spill, g, r->group_size, &r->own);
		for (size_t k = 0; rc == ODL_OK && k < r->set->nind; k++) {
			size_t bytes;
			void **v = vals_of(r, g, k, &bytes);
			if (v && bytes) {
				rc = odl_spill_write(r->spill, *v, bytes, &r->own);
				if (bytes > SLAB_MAX)
					block_put(r, *v, bytes);
			}
		}
		if (rc != ODL_OK)
			return rc;
		e->off = off;
		e->len = odl_spill_tell(r->spill) - off;
		e->hot = NULL;
		r->spilled++;
	}
	for (size_t c = 0; c < r->nchunks; c++)
		madvise(r->chunks[c].p, r->chunks[c].size, MADV_DONTNEED);
	memset(r->free_blocks, 0, sizeof(r->free_blocks));
	r->cur = 0;
	r->bump = r->nchunks ? r->chunks[0].p : NULL;
	r->left = r->nchunks ? r->chunks[0].size : 0;
	r->used = 0;
	r->last_group = NULL;
	return ODL_OK;
}

/* a group's record read back at p: its arrays follow the accumulators */
static void fix_arrays(odl_indicator_run *r, struct group *g)
{
	char *p = (char *)g + r->group_size;

	for (size_t k = 0; k < r->set->nind; k++) {
		size_t bytes;
		void **v = vals_of(r, g, k, &bytes);
		if (v) {
			*v = bytes ? p : NULL;
			p += bytes;
		}
	}
}

/* a spilled group back in memory, as it was */
static struct group *reload(odl_indicator_run *r, struct gdir *e)
{
	if (e->len > r->scratch_cap) {
		void *p = realloc(r->scratch, e->len);
		if (!p)
			return NULL;
		r->scratch = p;
		r->scratch_cap = e->len;
	}
	if (odl_spill_read(r->spill, e->off, r->scratch, e->len, &r->own) != ODL_OK)
		return NULL;
	struct group *g = arena_alloc(r, r->group_size);
	if (!g)
		return NULL;
	memcpy(g, r->scratch, r->group_size);
	fix_arrays(r, (struct group *)r->scratch);
	for (size_t k = 0; k < r->set->nind; k++) {
		size_t bytes;
		void **v = vals_of(r, g, k, &bytes);
		void **from = vals_of(r, (struct group *)r->scratch, k, &bytes);
		if (!v || !bytes)
			continue;
		void *b = block_get(r, bytes);
		if (!b)
			return NULL;
		memcpy(b, *from, bytes);
		*v = b;
	}
	e->hot = g;
	return g;
}

static struct group *find_group(odl_indicator_run *r, const struct odl_territory *t, int year)
{
	/* beyond the budget, the groups in memory go to the spill file; a
	 * little before it, so that the rows until the next check need no
	 * chunk past the budget (a chunk touched is a 2 MiB huge page) */
	if (r->used && r->used + r->big_bytes + r->slack > r->budget && spill_all(r) != ODL_OK)
		return NULL;
	/* a territory has a group per year: a short list, no hashing */
	for (uint32_t i = r->first_group[t->index]; i; i = r->dir[i - 1].next) {
		struct gdir *e = &r->dir[i - 1];
		if (e->year == year)
			return e->hot ? e->hot : reload(r, e);
	}
	if (r->ngroups >= UINT32_MAX - 1)
		return NULL;
	if (odl_csv_grow((void **)&r->dir, &r->capdir, (size_t)r->ngroups + 1, sizeof(*r->dir)))
		return NULL;
	struct group *g = arena_alloc(r, r->group_size);
	if (!g)
		return NULL;
	struct gdir *e = &r->dir[r->ngroups];
	memset(e, 0, sizeof(*e));
	e->terr = g->terr = (uint32_t)t->index;
	e->year = g->year = year;
	e->hot = g;
	e->next = r->first_group[t->index];
	g->dir = (uint32_t)r->ngroups;
	r->first_group[t->index] = (uint32_t)++r->ngroups;
	return g;
}

static int by_acc(odl_indicator_run *r, struct group *g, size_t ind, const struct odl_cell *cat,
		  struct acc_base **out)
{
	char key[sizeof(g) + 4 + 256];
	uint32_t ii = (uint32_t)ind;
	size_t len = cat->len > 256 ? 256 : cat->len, idx = r->nby;

	memcpy(key, &g, sizeof(g));
	memcpy(key + sizeof(g), &ii, 4);
	memcpy(key + sizeof(g) + 4, cat->ptr, len);
	int rc = odl_strmap_put(&r->by_map, key, sizeof(g) + 4 + len, &idx);
	if (rc < 0)
		return ODL_ENOMEM;
	if (rc == 1) {
		if (r->nby == r->capby) {
			size_t cap = r->capby ? r->capby * 2 : 64;
			struct by_acc *p = realloc(r->by, cap * sizeof(*p));
			if (!p)
				return ODL_ENOMEM;
			r->by = p;
			r->capby = cap;
		}
		struct by_acc *b = &r->by[r->nby];
		b->g = g;
		b->ind = ii;
		b->a = arena_alloc(r, ind_acc_size(&r->set->ind[ind]));
		b->category = malloc(len + 1);
		if (!b->a || !b->category) {
			free(b->category);
			return ODL_ENOMEM;
		}
		memcpy(b->category, cat->ptr, len);
		b->category[len] = 0;
		r->nby++;
	}
	*out = r->by[idx].a;
	return ODL_OK;
}

static inline struct odl_cell trim(struct odl_cell c)
{
	while (c.len && (*c.ptr == ' ' || *c.ptr == '\t')) {
		c.ptr++;
		c.len--;
	}
	while (c.len && (c.ptr[c.len - 1] == ' ' || c.ptr[c.len - 1] == '\t'))
		c.len--;
	return c;
}

/* a column the set reads, in this row (resolve() listed it in cols) */
static struct odl_cell cell_at(const odl_indicator_run *r, int col)
{
	struct odl_cell none = { "", 0 };

	return col < 0 ? none : r->cells[col];
}

/* the row's cells of the columns the set reads, trimmed once */
static void load_cells(odl_indicator_run *r, const struct odl_record *rec)
{
	struct odl_cell none = { "", 0 };

	for (size_t i = 0; i < r->ncols; i++) {
		size_t col = (size_t)r->cols[i];
		r->cells[col] = col < rec->ncells ? trim(rec->cells[col]) : none;
	}
}

static int text_eq(struct odl_cell c, const char *s)
{
	size_t n = strlen(s);
	return c.len == n && memcmp(c.ptr, s, n) == 0;
}

static int cmp_holds(const odl_indicator_run *r, const struct odl_cmp *m)
{
	struct odl_cell c = cell_at(r, m->col);
	double v;

	switch (m->op) {
	case ODL_OP_EMPTY:
		return c.len == 0;
	case ODL_OP_NONEMPTY:
		return c.len != 0;
	case ODL_OP_EQ:
	case ODL_OP_NE: {
		int eq = text_eq(c, m->values[0]);
		if (!eq && m->is_number && odl_parse_number(c.ptr, c.len, &v) == ODL_OK)
			eq = v == m->number;
		return m->op == ODL_OP_EQ ? eq : !eq;
	}
	case ODL_OP_IN:
	case ODL_OP_NOT_IN: {
		int in = 0;
		for (size_t i = 0; i < m->nvalues && !in; i++)
			in = text_eq(c, m->values[i]);
		return m->op == ODL_OP_IN ? in : !in;
	}
	case ODL_OP_PREFIX: {
		size_t n = strlen(m->values[0]);
		return c.len >= n && memcmp(c.ptr, m->values[0], n) == 0;
	}
	default:
		if (odl_parse_number(c.ptr, c.len, &v) != ODL_OK)
			return 0;
		switch (m->op) {
		case ODL_OP_LT: return v < m->number;
		case ODL_OP_LE: return v <= m->number;
		case ODL_OP_GT: return v > m->number;
		default: return v >= m->number;
		}
	}
}

static int all_hold(const odl_indicator_run *r, const struct odl_cmp *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cmp_holds(r, &m[i]))
			return 0;
	return 1;
}

/* isdigit() without the locale's table: '0' to '9' in every locale */
static inline int is_digit(char ch)
{
	return (unsigned)(unsigned char)ch - '0' < 10;
}

static int parse_year(struct odl_cell c, int from_date)
{
	const char *p = c.ptr;

	if (from_date && c.len >= 10 && p[2] == '/' && p[5] == '/')
		p += 6; /* DD/MM/YYYY */
	else if (c.len < 4)
		return 0;
	if (!is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3]))
		return 0;
	if (c.len > 4 && p == c.ptr && is_digit(p[4]))
		return 0;
	return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
}

static void copy_text(char *dst, size_t n, const char *src, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

static int keep(odl_indicator_run *r, const char *field, uint64_t line)
{
	odl_error_at(&r->own, r->path, line, 0, field);
	return odl_fail(&r->own, ODL_ELIMIT, "more than %llu values kept for medians and distinct counts",
			(unsigned long long)r->max_values);
}

static void set_insert(uint64_t *set, size_t cap, uint64_t h)
{
	size_t j = (size_t)h & (cap - 1);

	while (set[j])
		j = (j + 1) & (cap - 1);
	set[j] = h;
}

static int set_add(odl_indicator_run *r, struct acc_set *a, uint64_t h)
{
	if (!h)
		h = 1;
	if (a->cap <= SMALL_SET) {
		for (size_t i = 0; i < a->nv; i++)
			if (a->set[i] == h)
				return ODL_OK;
		if (a->nv == a->cap) {
			uint64_t *n;
			if (a->cap < SMALL_SET) {
				size_t cap = a->cap ? a->cap * 2 : 8;
				n = block_grow(r, a->set, a->cap * sizeof(*n), a->nv * sizeof(*n),
					       cap * sizeof(*n));
				if (!n)
					return ODL_ENOMEM;
				a->cap = cap;
			} else {
				size_t cap = SMALL_SET * 4;
				n = block_get(r, cap * sizeof(*n));
				if (!n)
					return ODL_ENOMEM;
				memset(n, 0, cap * sizeof(*n));
				for (size_t i = 0; i < a->nv; i++)
					set_insert(n, cap, a->set[i]);
				block_put(r, a->set, a->cap * sizeof(*n));
				a->cap = cap;
			}
			a->set = n;
		}
		if (a->cap <= SMALL_SET) {
			a->set[a->nv++] = h;
			r->kept++;
			return ODL_OK;
		}
	}
	if ((a->nv + 1) * 2 > a->cap) {
		size_t cap = a->cap * 2;
		uint64_t *n = block_get(r, cap * sizeof(*n));
		if (!n)
			return ODL_ENOMEM;
		memset(n, 0, cap * sizeof(*n));
		for (size_t i = 0; i < a->cap; i++)
			if (a->set[i])
				set_insert(n, cap, a->set[i]);
		block_put(r, a->set, a->cap * sizeof(*n));
		a->set = n;
		a->cap = cap;
	}
	size_t j = (size_t)h & (a->cap - 1);
	while (a->set[j] && a->set[j] != h)
		j = (j + 1) & (a->cap - 1);
	if (!a->set[j]) {
		a->set[j] = h;
		a->nv++;
		r->kept++;
	}
	return ODL_OK;
}

/* A cell the schema's number rule rejects, read through odl-validate
 * --fix's rule ("26 956,00", "9500 €", "1.234,50"): 0 and its plain form
 * in fixed (cap bytes) when that rule reads it, -1 otherwise. */
static int french_number(struct odl_cell c, char *fixed, size_t cap, double *v)
{
	struct odl_field f;
	char buf[512];
	size_t len;

	if (c.len + 64 > sizeof(buf))
		return -1;
	memset(&f, 0, sizeof(f));
	f.type = ODL_T_NUMBER;
	if (odl_fix_number(&f, c.ptr, c.len, buf, sizeof(buf), &len) != FIX_DONE ||
	    odl_parse_number(buf, len, v) != ODL_OK || !isfinite(*v))
		return -1;
	copy_text(fixed, cap, buf, len);
	return 0;
}

/* A sum left the doubles at this row: its result will be null, and the
 * accumulator carries one error for it (later rows add none). */
static void overflowed(odl_indicator_run *r, const struct odl_ind *d, struct acc_base *a,
		       const struct odl_record *rec)
{
	a->n_err++;
	if (!r->stats.overflow++) {
		r->stats.first_overflow_line = rec->line;
		copy_text(r->stats.first_overflow_field, sizeof(r->stats.first_overflow_field),
			  d->field, strlen(d->field));
	}
}

/* A cell that is not a plain number: read as French (--lenient-numbers,
 * 1 and *v) or not (0), and counted either way.  Out of measure()'s way:
 * most cells never come here. */
static __attribute__((noinline, cold)) int not_plain(odl_indicator_run *r,
						     const struct odl_ind *d, struct odl_cell c,
						     const struct odl_record *rec, double *v)
{
	char fixed[64];

	if (french_number(c, fixed, sizeof(fixed), v) != 0)
		return 0;
	if (r->lenient) {
		if (!r->stats.lenient++) {
			r->stats.first_lenient_line = rec->line;
			copy_text(r->stats.first_lenient_field, sizeof(r->stats.first_lenient_field),
				  d->field, strlen(d->field));
			copy_text(r->stats.first_lenient_value, sizeof(r->stats.first_lenient_value),
				  c.ptr, c.len);
			copy_text(r->stats.first_lenient_as, sizeof(r->stats.first_lenient_as), fixed,
				  strlen(fixed));
		}
		return 1;
	}
	if (!r->stats.fixable++) {
		r->stats.first_fixable_line = rec->line;
		copy_text(r->stats.first_fixable_value, sizeof(r->stats.first_fixable_value), c.ptr,
			  c.len);
		copy_text(r->stats.first_fixable_as, sizeof(r->stats.first_fixable_as), fixed,
			  strlen(fixed));
	}
	return 0;
}

static int measure(odl_indicator_run *r, const struct odl_ind *d, struct acc_base *a,
		   const struct odl_record *rec)
{
	struct odl_cell c;
	double v;

	a->n_rows++;
	if (d->nneeds && all_hold(r, d->needs, d->nneeds))
		(*filled_of(d, a))++;
	if (d->measure == ODL_M_COUNT)
		return ODL_OK;
	if (d->measure == ODL_M_SHARE) {
		((struct acc_share *)a)->n_match += all_hold(r, d->match, d->nmatch);
		return ODL_OK;
	}
	c = cell_at(r, d->field_col);
	if (d->measure == ODL_M_COUNT_DISTINCT) {
		if (!c.len)
			return ODL_OK;
		if (r->kept >= r->max_values)
			return keep(r, d->field, rec->line);
		return set_add(r, (struct acc_set *)a, odl_hash64(c.ptr, c.len) | 1);
	}
	if (!c.len)
		return ODL_OK;
	/* several indicators measure the same cell: parse it once per row */
	int ok;
	if (r->parsed_record == rec->record && r->parsed_col == d->field_col) {
		ok = r->parsed_ok;
		v = r->parsed_value;
	} else {
		ok = odl_parse_number(c.ptr, c.len, &v) == ODL_OK && isfinite(v);
		if (!ok)
			ok = not_plain(r, d, c, rec, &v);
		r->parsed_record = rec->record;
		r->parsed_col = d->field_col;
		r->parsed_ok = ok;
		r->parsed_value = v;
	}
	if (!ok) {
		a->n_err++;
		/* several indicators may measure the same cell: count it once */
		if (r->last_error_record == rec->record && r->stats.non_numeric)
			return ODL_OK;
		r->last_error_record = rec->record;
		if (!r->stats.non_numeric++) {
			r->stats.first_error_line = rec->line;
			copy_text(r->stats.first_error_field, sizeof(r->stats.first_error_field),
				  d->field, strlen(d->field));
			copy_text(r->stats.first_error_value, sizeof(r->stats.first_error_value),
				  c.ptr, c.len);
		}
		return ODL_OK;
	}
	switch (d->measure) {
	case ODL_M_SUM:
	case ODL_M_MEAN: {
		struct acc_sum *s = (struct acc_sum *)a;
		int was = isfinite(s->sum);
		s->n_vals++;
		s->sum += v;
		if (was && !isfinite(s->sum))
			overflowed(r, d, a, rec);
		break;
	}
	case ODL_M_MIN:
	case ODL_M_MAX: {
		struct acc_ext *e = (struct acc_ext *)a;
		if (e->n_vals++ == 0 || (d->measure == ODL_M_MIN ? v < e->m : v > e->m))
			e->m = v;
		break;
	}
	case ODL_M_SHARE_OF_SUM: {
		struct acc_sos *s = (struct acc_sos *)a;
		int was = isfinite(s->sum) && isfinite(s->sum_match);
		s->n_vals++;
		s->sum += v;
		if (all_hold(r, d->match, d->nmatch))
			s->sum_match += v;
		if (was && !(isfinite(s->sum) && isfinite(s->sum_match)))
			overflowed(r, d, a, rec);
		break;
	}
	default: { /* median, quantile */
		struct acc_vals *q = (struct acc_vals *)a;
		if (r->kept >= r->max_values)
			return keep(r, d->field, rec->line);
		if (q->nv == q->cap) {
			size_t cap = q->cap ? q->cap * 2 : 8;
			double *p = block_grow(r, q->vals, q->cap * sizeof(*p), q->nv * sizeof(*p),
					       cap * sizeof(*p));
			if (!p)
				return ODL_ENOMEM;
			q->vals = p;
			q->cap = cap;
		}
		q->vals[q->nv++] = v;
		r->kept++;
		break;
	}
	}
	return ODL_OK;
}

/* col among the columns load_cells() fills (0, or -1 out of memory) */
static int read_col(odl_indicator_run *r, int col)
{
	if (col < 0)
		return 0;
	for (size_t i = 0; i < r->ncols; i++)
		if (r->cols[i] == col)
			return 0;
	if (odl_csv_grow((void **)&r->cols, &r->capcols, r->ncols + 1, sizeof(*r->cols)) ||
	    odl_csv_grow((void **)&r->cells, &r->capcells, (size_t)col + 1, sizeof(*r->cells)))
		return -1;
	r->cols[r->ncols++] = col;
	return 0;
}

static int read_cmp_cols(odl_indicator_run *r, const struct odl_cmp *m, size_t n)
{
	for (size_t j = 0; j < n; j++)
		if (read_col(r, m[j].col))
			return -1;
	return 0;
}

/* the columns the set reads in this file, for load_cells() */
static int list_cols(odl_indicator_run *r)
{
	const odl_indicator_set *set = r->set;

	r->ncols = 0;
	if (read_col(r, r->terr_col) || read_col(r, r->year_col))
		return -1;
	for (size_t k = 0; k < set->nind; k++) {
		const struct odl_ind *d = &set->ind[k];
		if (read_col(r, d->field_col) || read_col(r, d->by_col) ||
		    read_cmp_cols(r, d->filter, d->nfilter) || read_cmp_cols(r, d->match, d->nmatch) ||
		    read_cmp_cols(r, d->needs, d->nneeds))
			return -1;
	}
	return 0;
}

static int resolve(odl_indicator_run *r, const struct odl_record *rec)
{
	odl_indicator_set *set = (odl_indicator_set *)r->set;

	for (size_t i = 0; i < rec->ncells; i++) {
		struct odl_cell c = trim(rec->cells[i]);
		int col = (int)i;
		if (r->terr_col < 0 && text_eq(c, set->terr_field))
			r->terr_col = col;
		if (r->year_col < 0 && set->year_field && text_eq(c, set->year_field))
			r->year_col = col;
		for (size_t k = 0; k < set->nind; k++) {
			struct odl_ind *d = &set->ind[k];
			if (d->field && d->field_col < 0 && text_eq(c, d->field))
				d->field_col = col;
			if (d->by && d->by_col < 0 && text_eq(c, d->by))
				d->by_col = col;
			for (size_t j = 0; j < d->nfilter; j++)
				if (d->filter[j].col < 0 && text_eq(c, d->filter[j].field))
					d->filter[j].col = col;
			for (size_t j = 0; j < d->nmatch; j++)
				if (d->match[j].col < 0 && text_eq(c, d->match[j].field))
					d->match[j].col = col;
			for (size_t j = 0; j < d->nneeds; j++)
				if (d->needs[j].col < 0 && text_eq(c, d->needs[j].field))
					d->needs[j].col = col;
		}
	}
	const char *missing = r->terr_col < 0 ? set->terr_field :
			      r->year_col < 0 && set->year_field ? set->year_field : NULL;
	for (size_t k = 0; !missing && k < set->nind; k++) {
		struct odl_ind *d = &set->ind[k];
		if (d->by && d->by_col < 0)
			missing = d->by;
		/* a measured column the file lacks: the indicator reads nothing
		 * here (null, not measured, unless another file measures it);
		 * the file's other indicators still count */
		if (d->field && d->field_col < 0 && !r->stats.absent++) {
			copy_text(r->stats.first_absent_field, sizeof(r->stats.first_absent_field),
				  d->field, strlen(d->field));
			copy_text(r->stats.first_absent_indicator,
				  sizeof(r->stats.first_absent_indicator), d->id, strlen(d->id));
		}
	}
	if (missing) {
		odl_error_at(&r->own, r->path, rec->line, 0, missing);
		return odl_fail(&r->own, ODL_EFORMAT, "missing column");
	}
	if (list_cols(r))
		return odl_fail(&r->own, ODL_ENOMEM, "out of memory");
	return ODL_OK;
}

static void reset_columns(odl_indicator_run *r)
{
	odl_indicator_set *set = (odl_indicator_set *)r->set;

	r->terr_col = r->year_col = -1;
	r->ncols = 0;
	for (size_t k = 0; k < set->nind; k++) {
		struct odl_ind *d = &set->ind[k];
		d->field_col = d->by_col = -1;
		for (size_t j = 0; j < d->nfilter; j++)
			d->filter[j].col = -1;
		for (size_t j = 0; j < d->nmatch; j++)
			d->match[j].col = -1;
		for (size_t j = 0; j < d->nneeds; j++)
			d->needs[j].col = -1;
	}
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	odl_indicator_run *r = ctx;
	const odl_indicator_set *set = r->set;
	const struct odl_territory *t;
	struct odl_cell key, yc;
	struct group *g;
	int year, rc;

	if (rec->is_header)
		return resolve(r, rec) != ODL_OK;
	if (rec->is_blank)
		return 0;
	r->stats.rows++;
	load_cells(r, rec);
	key = cell_at(r, r->terr_col);
	if (key.len == r->last_key_len && key.len && memcmp(key.ptr, r->last_key, key.len) == 0) {
		t = r->last_terr;
	} else {
		t = key.len ? odl_territories_find(r->terr, key.ptr, key.len) : NULL;
		if (key.len < sizeof(r->last_key)) {
			memcpy(r->last_key, key.ptr, key.len);
			r->last_key_len = key.len;
			r->last_terr = t;
		}
	}
	if (!t) {
		if (!r->stats.no_territory++) {
			r->stats.first_unknown_line = rec->line;
			copy_text(r->stats.first_unknown_key, sizeof(r->stats.first_unknown_key),
				  key.ptr, key.len);
		}
		return 0;
	}
	yc = cell_at(r, r->year_col);
	year = set->year_field ? parse_year(yc, set->year_from_date) : 0;
	if (!year && set->year_field) {
		r->stats.no_year++;
		return 0;
	}
	r->stats.used++;
	g = r->last_group;
	if (!g || g->terr != t->index || g->year != year) {
		if (!(g = find_group(r, t, year))) {
			if (r->own.code)
				return 1;
			goto oom;
		}
		r->last_group = g;
	}
	for (size_t k = 0; k < set->nind; k++) {
		const struct odl_ind *d = &set->ind[k];
		struct acc_base *a;
		if (d->nfilter && !all_hold(r, d->filter, d->nfilter))
			continue;
		if (d->by) {
			struct odl_cell cat = cell_at(r, d->by_col);
			if (by_acc(r, g, k, &cat, &a) != ODL_OK)
				goto oom;
		} else {
			a = ACC_OF(r, g, k);
		}
		rc = measure(r, d, a, rec);
		if (rc == ODL_ENOMEM)
			goto oom;
		if (rc != ODL_OK)
			return 1;
	}
	return 0;
oom:
	odl_fail(&r->own, ODL_ENOMEM, "out of memory");
	return 1;
}

int odl_indicator_run_path(odl_indicator_run *r, const char *path,
			   const struct odl_csv_options *csvopt, struct odl_error *err)
{
	struct odl_csv_options opt;
	odl_csv *csv;
	int rc;

	if (csvopt)
		opt = *csvopt;
	else
		odl_csv_options_init(&opt);
	opt.name = path;
	memset(&r->stats, 0, sizeof(r->stats));
	odl_error_clear(&r->own);
	reset_columns(r);
	r->last_key_len = 0;
	r->last_terr = NULL;
	r->last_error_record = 0;
	r->parsed_record = 0;
	r->path = path;
	csv = odl_csv_new(&opt, on_record, r);
	if (!csv)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	if (r->threads > 1) {
		struct path_reading pr = { csv, path };
		rc = odl_csv_run_threaded(csv, read_whole_path, &pr, err);
	} else {
		rc = odl_csv_read_path(csv, path, err);
	}
	if (rc == ODL_ECANCELED && r->own.code) {
		rc = r->own.code;
		if (err)
			*err = r->own;
	}
	if (rc == ODL_OK && r->terr_col < 0) {
		odl_error_at(err, path, 0, 0, NULL);
		rc = odl_fail(err, ODL_EFORMAT, "no header");
	}
	odl_csv_free(csv);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* most groups hold a few values: insertion sort below 32, no comparison
 * calls; the sorted array is the same whatever the method */
static void sort_values(double *v, size_t n)
{
	if (n > 32) {
		qsort(v, n, sizeof(double), cmp_double);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;
		while (j && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* per-category accumulators: territory (table order), year, indicator, category */
static int cmp_by(const void *pa, const void *pb)
{
	const struct by_acc *a = *(const struct by_acc *const *)pa;
	const struct by_acc *b = *(const struct by_acc *const *)pb;

	if (a->g->terr != b->g->terr)
		return a->g->terr < b->g->terr ? -1 : 1;
	if (a->g->year != b->g->year)
		return a->g->year < b->g->year ? -1 : 1;
	if (a->ind != b->ind)
		return a->ind < b->ind ? -1 : 1;
	return strcmp(a->category, b->category);
}

static void bad_denominator(odl_indicator_run *r, const struct odl_territory *t,
			    const char *column)
{
	struct odl_indicator_result_stats *st = &r->rstats;

	if (r->last_bad != t) {
		st->bad_territories++;
		r->last_bad = t;
	}
	if (!st->bad_denominator++) {
		const char *cell = odl_territory_cell(r->terr, t, column);
		st->first_bad = t;
		copy_text(st->first_bad_column, sizeof(st->first_bad_column), column, strlen(column));
		copy_text(st->first_bad_value, sizeof(st->first_bad_value), cell, strlen(cell));
	}
}

/* Why a measure with no value has none: its cells were not numbers, none
 * was filled (the column empty or absent: not measured, never 0), or no
 * row passed the filter. */
static const char *no_value(const struct acc_base *a)
{
	return a->n_err ? ODL_NULL_NOT_A_NUMBER : a->n_rows ? ODL_NULL_NOT_MEASURED :
	       ODL_NULL_NO_ROWS;
}

static void compute(odl_indicator_run *r, const struct odl_ind *d, struct acc_base *a,
		    struct odl_indicator_row *row)
{
	const char *why = NULL;
	double v = 0;
	int has = 1;

	switch (d->measure) {
	case ODL_M_COUNT:
		v = (double)a->n_rows;
		break;
	case ODL_M_SUM: {
		const struct acc_sum *s = (const struct acc_sum *)a;
		v = s->sum;
		/* no row passed the filter: a sum of nothing, 0; rows whose
		 * cells are all empty: not measured */
		has = (s->n_vals > 0 || a->n_rows == 0) && isfinite(s->sum);
		why = !isfinite(s->sum) ? ODL_NULL_OVERFLOW : has ? NULL : no_value(a);
		break;
	}
	case ODL_M_MEAN: {
		const struct acc_sum *s = (const struct acc_sum *)a;
		has = s->n_vals > 0 && isfinite(s->sum);
		v = has ? s->sum / (double)s->n_vals : 0;
		why = s->n_vals && !isfinite(s->sum) ? ODL_NULL_OVERFLOW : has ? NULL : no_value(a);
		break;
	}
	case ODL_M_MIN:
	case ODL_M_MAX: {
		const struct acc_ext *e = (const struct acc_ext *)a;
		has = e->n_vals > 0;
		v = has ? e->m : d->measure == ODL_M_MIN ? INFINITY : -INFINITY;
		why = has ? NULL : no_value(a);
		break;
	}
	case ODL_M_MEDIAN:
	case ODL_M_QUANTILE: {
		struct acc_vals *q = (struct acc_vals *)a;
		has = q->nv > 0;
		if (has) {
			sort_values(q->vals, q->nv);
			v = odl_quantile_sorted(q->vals, q->nv, d->p);
		}
		why = has ? NULL : no_value(a);
		break;
	}
	case ODL_M_COUNT_DISTINCT:
		/* rows, but not one filled cell: the column says nothing */
		v = (double)((const struct acc_set *)a)->nv;
		has = v > 0 || a->n_rows == 0;
		why = has ? NULL : ODL_NULL_NOT_MEASURED;
		break;
	case ODL_M_SHARE:
		has = a->n_rows > 0;
		v = has ? (double)((const struct acc_share *)a)->n_match / (double)a->n_rows : 0;
		why = has ? NULL : ODL_NULL_NO_ROWS;
		break;
	case ODL_M_SHARE_OF_SUM: {
		const struct acc_sos *s = (const struct acc_sos *)a;
		has = s->sum != 0 && isfinite(s->sum) && isfinite(s->sum_match);
		v = has ? s->sum_match / s->sum : 0;
		why = has ? NULL : !s->n_vals ? no_value(a) :
		      isfinite(s->sum) && isfinite(s->sum_match) ? ODL_NULL_ZERO_TOTAL :
		      ODL_NULL_OVERFLOW;
		break;
	}
	}
	/* a needed field filled in no row of the group: what the value
	 * would count cannot be told from what was not written */
	if (has && d->nneeds && a->n_rows && !*filled_of(d, a)) {
		has = 0;
		why = ODL_NULL_NOT_MEASURED;
	}
	row->null_reason = has ? NULL : why;
	row->has_numerator = has;
	row->numerator = has ? v : 0;
	row->has_value = has;
	row->value = row->numerator;
	row->denominator_column = d->den_column;
	row->per = d->per;
	row->has_denominator = 0;
	row->denominator = 0;
	if (d->den_column) {
		if (r->den_terr != row->territory || r->den_column != d->den_column) {
			r->den_rc = odl_territory_number(r->terr, row->territory, d->den_column,
							 &r->den_value);
			r->den_terr = row->territory;
			r->den_column = d->den_column;
		}
		double den = r->den_value;
		if (r->den_rc == ODL_OK && den > 0) {
			row->has_denominator = 1;
			row->denominator = den;
			row->value = v / den * d->per;
			if (has && !isfinite(row->value)) {
				row->has_value = 0;
				row->null_reason = ODL_NULL_OVERFLOW;
				row->n_errors++;
				if (!r->rstats.overflow++) {
					r->rstats.first_overflow = row->territory;
					copy_text(r->rstats.first_overflow_column,
						  sizeof(r->rstats.first_overflow_column),
						  d->den_column, strlen(d->den_column));
					copy_text(r->rstats.first_overflow_indicator,
						  sizeof(r->rstats.first_overflow_indicator), d->id,
						  strlen(d->id));
				}
			}
		} else {
			row->has_value = 0;
			if (has)
				row->null_reason = r->den_rc == ODL_EFORMAT ||
						   (r->den_rc == ODL_OK && den < 0) ?
						   ODL_NULL_BAD_DENOMINATOR : r->den_rc == ODL_OK ?
						   ODL_NULL_ZERO_DENOMINATOR : ODL_NULL_NO_DENOMINATOR;
			if (r->den_rc == ODL_EFORMAT || (r->den_rc == ODL_OK && den < 0)) {
				row->n_errors++;
				bad_denominator(r, row->territory, d->den_column);
			} else if (r->den_rc == ODL_OK && !r->rstats.zero_denominator++) {
				r->rstats.first_zero = row->territory;
				copy_text(r->rstats.first_zero_column,
					  sizeof(r->rstats.first_zero_column), d->den_column,
					  strlen(d->den_column));
			}
		}
	}
}

static int emit(odl_indicator_run *r, const struct group *g, size_t k, const char *category,
		struct acc_base *a, odl_indicator_row_fn fn, void *ctx)
{
	const struct odl_ind *d = &r->set->ind[k];
	struct odl_indicator_row row;

	memset(&row, 0, sizeof(row));
	row.territory = odl_territories_at(r->terr, g->terr);
	row.indicator = d->id;
	row.title_fr = d->title_fr;
	row.title_en = d->title_en;
	row.unit = d->unit;
	row.category = category;
	row.year = g->year;
	row.n_rows = a->n_rows;
	row.n_errors = a->n_err;
	row.per_inhabitants = d->den_column ? 0 : d->per_inhabitants;
	compute(r, d, a, &row);
	return fn(ctx, &row);
}

int odl_indicator_run_results(odl_indicator_run *r, odl_indicator_row_fn fn, void *ctx,
			      struct odl_error *err)
{
	size_t nterr = odl_territories_count(r->terr), nb = 0, capg = 0, bi = 0;
	const struct gdir **gs = NULL;
	struct by_acc **by;
	int stop = 0;

	memset(&r->rstats, 0, sizeof(r->rstats));
	r->last_bad = NULL;
	r->den_terr = NULL;
	/* the walk follows the table, each territory's few groups sorted by
	 * year: only the per-category accumulators need a sort */
	by = malloc((r->nby ? r->nby : 1) * sizeof(*by));
	if (!by)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->nby; i++)
		by[i] = &r->by[i];
	qsort(by, r->nby, sizeof(*by), cmp_by);
	for (size_t t = 0; t < nterr && !stop; t++) {
		nb = 0;
		for (uint32_t gi = r->first_group[t]; gi; gi = r->dir[gi - 1].next) {
			const struct gdir *g = &r->dir[gi - 1];
			if (nb == capg) {
				size_t cap = capg ? capg * 2 : 16;
				const struct gdir **p = realloc(gs, cap * sizeof(*p));
				if (!p) {
					free(gs);
					free(by);
					return odl_fail(err, ODL_ENOMEM, "out of memory");
				}
				gs = p;
				capg = cap;
			}
			size_t i = nb++;
			while (i && gs[i - 1]->year > g->year) {
				gs[i] = gs[i - 1];
				i--;
			}
			gs[i] = g;
		}
		for (size_t i = 0; i < nb && !stop; i++) {
			struct group *g = gs[i]->hot;
			if (!g) {
				/* read back where it is, not into the arena */
				if (gs[i]->len > r->scratch_cap) {
					void *p = realloc(r->scratch, gs[i]->len);
					if (!p) {
						free(gs);
						free(by);
						return odl_fail(err, ODL_ENOMEM, "out of memory");
					}
					r->scratch = p;
					r->scratch_cap = gs[i]->len;
				}
				if (odl_spill_read(r->spill, gs[i]->off, r->scratch, gs[i]->len,
						   err) != ODL_OK) {
					free(gs);
					free(by);
					return ODL_EIO;
				}
				g = r->scratch;
				fix_arrays(r, g);
			}
			for (size_t k = 0; k < r->set->nind && !stop; k++) {
				if (!r->set->ind[k].by) {
					stop = emit(r, g, k, NULL, ACC_OF(r, g, k), fn, ctx) != 0;
					continue;
				}
				for (; bi < r->nby && by[bi]->g == g && by[bi]->ind == k && !stop; bi++)
					stop = emit(r, g, k, by[bi]->category, by[bi]->a, fn, ctx) != 0;
			}
		}
	}
	free(gs);
	free(by);
	return stop ? odl_fail(err, ODL_ECANCELED, "stopped by the caller") : ODL_OK;
}
