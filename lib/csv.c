/*
 * csv.c - the dataset reader: gzip -> decoding -> sniffing -> records -> header.
 *
 * The record rules are those of Python's csv.reader (non-strict, doubled
 * quotes, no escape character), which frictionless-py reads CSV with, so
 * that every file, well formed or not, splits into the records the
 * reference validator sees.  Python reads a file line by line (universal
 * newlines: LF, CRLF or a lone CR end a line) and runs a small state machine
 * over the characters of each line, then over an end-of-line event:
 *
 *   - a quote opens a quoted field only as the first character of a field
 *     (after the spaces skipinitialspace drops); elsewhere it is literal;
 *   - in a quoted field, "" is one quote, and a quote followed by anything
 *     but a quote, the delimiter or a line end closes the quoted part: what
 *     follows is read unquoted up to the next delimiter (`"a" b;` is `a b`);
 *   - line breaks inside a quoted field are data; a quote never closed runs
 *     to the end of the file, where the field is kept;
 *   - an empty line is a record with no cells.
 *
 * Around the rules this file keeps physical line numbers and offsets of
 * records, line-ending statistics and a ceiling on every buffer, and it
 * picks the header row as frictionless does (first record of the sample
 * whose width is near the sample's average).  Any chunking of the input
 * gives the same records: the state lives between calls, never in the
 * position of a chunk boundary.
 */
#include "odl/csv.h"
#include "csv_private.h"
#include "decode.h"
#include "error.h"
#include "gunzip.h"
#include "scan.h"
#include "sniff.h"
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* frictionless's DEFAULT_SAMPLE_SIZE: records looked at to find the header */
#define HEADER_SAMPLE 100

enum pstate {
	START_RECORD, /* before the first character of a record */
	START_FIELD,  /* before the first character of a field */
	IN_FIELD,     /* in an unquoted field (or the unquoted tail of one) */
	IN_QUOTED,    /* inside quotes */
	QUOTE_IN_QUOTED, /* a quote seen inside quotes: doubled or closing */
	EAT_CRNL      /* the record ended; the rest of the line terminator */
};

struct cell_span {
	size_t off, len;
};

/* A record kept while the header is not chosen yet. */
struct held {
	size_t first_span, nspans;
	uint64_t record, line, offset, unclosed;
};

struct odl_csv {
	struct odl_csv_options opt;
	char name[256];
	odl_record_fn fn;
	void *ctx;

	/* stage 1: gzip or not */
	unsigned char magic[2];
	size_t nmagic;
	int gz_decided;
	struct odl_gunzip *gz;
	/* stage 2: text */
	struct odl_decoder *dec;
	/* stage 3: dialect */
	int dialect_known;
	char *sample;
	size_t nsample;
	char delim;
	int skipspace;
	unsigned char stop_unquoted[256]; /* bytes that end a run in IN_FIELD */
	unsigned char stop_quoted[256];   /* ... in IN_QUOTED */
	int vec;                  /* search those bytes with vector code */
	/* stage 4: records */
	enum pstate state;
	char *rbuf;               /* bytes of the current record's cells */
	size_t rlen, rcap;
	size_t field_start;       /* where the current field begins in rbuf */
	struct cell_span *spans;
	struct odl_cell *cells;
	size_t ncells, cells_cap;
	uint64_t rec_line, rec_offset;
	uint64_t quote_line;      /* line where the current quoted field opened */
	uint64_t line;            /* physical line of the next byte, 1-based */
	uint64_t offset;          /* decoded offset of the next byte */
	uint64_t line_start;      /* decoded offset where the current line began */
	int pending_cr;           /* the last byte was a CR: LF or not decides */
	uint64_t n_lf, n_crlf, n_cr;
	uint64_t records;         /* records in the stream, blank lines included */
	/* stage 5: header */
	int header_decided;
	int header_seen;          /* the header, or in no-header mode a record
				     with cells, was seen */
	struct held *held;
	size_t nheld;
	struct cell_span *hspans;
	size_t nhspans, hspans_cap;
	char *hbuf;
	size_t hlen, hcap;
	int finished;
	int failed;               /* an error was returned: the reader is done */
	struct odl_error failure; /* ... and that error, returned again */
	struct odl_csv_info info;
	struct odl_xlsx_front *xlsx; /* stage 0: a workbook, or text on */
	const struct odl_csv_info *view; /* what odl_csv_info() shows while
					    another thread feeds the reader */
	struct odl_csv_info frozen; /* the counters where a reader on two
				       threads was stopped */
};

void odl_csv_options_init(struct odl_csv_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->header = 1;
	opt->skip_initial_space = -1;
	opt->max_cell = 1u << 20;
	opt->max_cells = 4096;
	opt->max_record = 16u << 20;
	opt->sniff_bytes = 64u << 10;
}

const char *odl_line_ending_name(enum odl_line_ending eol)
{
	switch (eol) {
	case ODL_EOL_LF: return "lf";
	case ODL_EOL_CRLF: return "crlf";
	case ODL_EOL_CR: return "cr";
	case ODL_EOL_MIXED: return "mixed";
	case ODL_EOL_NONE: break;
	}
	return "none";
}

static int text_in(void *ctx, const char *s, size_t n, struct odl_error *err);
static int raw_in(void *ctx, const char *s, size_t n, struct odl_error *err);
static int feed_bytes(void *ctx, const void *buf, size_t len, struct odl_error *err);

/* A workbook's records go through c->fn too, which csv_pipe.c may swap. */
static int sheet_record(void *ctx, const struct odl_record *rec)
{
	odl_csv *c = ctx;
	return c->fn(c->ctx, rec);
}

odl_csv *odl_csv_new(const struct odl_csv_options *opt, odl_record_fn fn, void *ctx)
{
	odl_csv *c;

	if (!fn)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	if (opt)
		c->opt = *opt;
	else
		odl_csv_options_init(&c->opt);
	if (!c->opt.max_cell || !c->opt.max_cells || !c->opt.sniff_bytes ||
	    !c->opt.max_record || c->opt.skip_initial_space < -1 || c->opt.skip_initial_space > 1 ||
	    (c->opt.delimiter && (c->opt.delimiter == '"' || c->opt.delimiter == '\n' ||
				  c->opt.delimiter == '\r'))) {
		free(c);
		return NULL;
	}
	snprintf(c->name, sizeof(c->name), "%s", c->opt.name ? c->opt.name : "");
	c->opt.name = c->name;
	c->fn = fn;
	c->ctx = ctx;
	c->line = 1;
	c->state = START_RECORD;
	c->vec = odl_scan_vector();
	c->header_decided = !c->opt.header;
	c->dec = odl_decoder_new(c->opt.encoding, c->opt.replace_invalid,
				 c->opt.on_decode_issue, c->opt.decode_ctx, text_in, c);
	c->sample = malloc(c->opt.sniff_bytes);
	c->xlsx = odl_xlsx_front_new(&c->opt, c->name, sheet_record, c, feed_bytes, c);
	if (!c->dec || !c->sample || !c->xlsx) {
		odl_xlsx_front_free(c->xlsx);
		odl_decoder_free(c->dec);
		free(c->sample);
		free(c);
		return NULL;
	}
	return c;
}

static void free_held(odl_csv *c)
{
	free(c->held);
	free(c->hspans);
	free(c->hbuf);
	c->held = NULL;
	c->hspans = NULL;
	c->hbuf = NULL;
	c->nheld = c->nhspans = c->hspans_cap = c->hlen = c->hcap = 0;
}

void odl_csv_free(odl_csv *c)
{
	if (!c)
		return;
	odl_xlsx_front_free(c->xlsx);
	odl_gunzip_free(c->gz);
	odl_decoder_free(c->dec);
	free(c->sample);
	free(c->rbuf);
	free(c->spans);
	free(c->cells);
	free_held(c);
	free(c);
}

/* ---- errors ---- */

static int fail_at(odl_csv *c, struct odl_error *err, int code, uint64_t line, const char *fmt,
		   const char *detail)
{
	c->failed = 1;
	odl_error_clear(err);
	odl_error_at(err, c->name, line, 0, NULL);
	return odl_fail(err, code, fmt, detail);
}

static int too_long_cell(odl_csv *c, struct odl_error *err)
{
	char msg[256];
	int n = snprintf(msg, sizeof(msg), "cell %zu is longer than %zu bytes", c->ncells + 1,
			 c->opt.max_cell);
	if (c->state == IN_QUOTED && c->line > c->quote_line && n > 0 && (size_t)n < sizeof(msg))
		/* the usual cause: a quote that is never closed swallows the file */
		snprintf(msg + n, sizeof(msg) - (size_t)n,
			 " (it is quoted from line %llu: is a closing quote missing?)",
			 (unsigned long long)c->quote_line);
	return fail_at(c, err, ODL_ELIMIT, c->rec_line, "%s", msg);
}

/* ---- stage 5: records to the caller, the header chosen as frictionless does ---- */

/* rec->is_blank is set: the records' makers know it as they measure cells */
static int call(odl_csv *c, struct odl_record *rec, struct odl_error *err)
{
	int blank = rec->is_blank;

	if (!c->header_seen && rec->ncells) {
		/* no-header mode: the width rows are measured against */
		c->header_seen = 1;
		c->info.columns = rec->ncells;
	}
	if (rec->is_header) {
		rec->row = 0;
	} else {
		rec->row = ++c->info.rows;
		if (blank)
			c->info.blank_rows++;
		else if (rec->ncells != c->info.columns)
			c->info.ragged_rows++;
	}
	if (rec->unclosed_quote)
		c->info.unclosed_quote_line = rec->unclosed_quote;
	if (c->fn(c->ctx, rec) != 0)
		return fail_at(c, err, ODL_ECANCELED, rec->line, "%s", "stopped by the caller");
	return ODL_OK;
}

/* Python's round(): halves to even (rint in the default rounding mode). */
static long py_round(double x)
{
	return (long)nearbyint(x);
}

/*
 * frictionless's header row: the first sample record whose width lies
 * within max(1, round(10 %)) of the rounded average width of the sample;
 * the first record when none does.  Records before it are skipped (a title
 * line, a comment) and keep their numbers.
 */
static size_t pick_header(const odl_csv *c)
{
	double sum = 0;

	for (size_t i = 0; i < c->nheld; i++)
		sum += (double)c->held[i].nspans;
	long width = py_round(sum / (double)c->nheld);
	long drift = py_round((double)width * 0.1);
	if (drift < 1)
		drift = 1;
	for (size_t i = 0; i < c->nheld; i++) {
		long w = (long)c->held[i].nspans;
		if (w >= width - drift && w <= width + drift)
			return i;
	}
	return 0;
}

static int decide_header(odl_csv *c, struct odl_error *err)
{
	size_t h = c->nheld ? pick_header(c) : 0;
	int rc = ODL_OK;
	struct odl_cell *cells = NULL;
	size_t maxc = 0;

	c->header_decided = 1;
	c->header_seen = 1;
	for (size_t i = 0; i < c->nheld; i++)
		if (c->held[i].nspans > maxc)
			maxc = c->held[i].nspans;
	if (maxc && !(cells = malloc(maxc * sizeof(*cells)))) {
		free_held(c);
		return fail_at(c, err, ODL_ENOMEM, 0, "%s", "out of memory");
	}
	for (size_t i = 0; i < c->nheld && rc == ODL_OK; i++) {
		const struct held *hd = &c->held[i];
		struct odl_record rec;
		if (i < h) {
			c->info.skipped_lines++;
			continue;
		}
		for (size_t k = 0; k < hd->nspans; k++) {
			cells[k].ptr = c->hbuf ? c->hbuf + c->hspans[hd->first_span + k].off : "";
			cells[k].len = c->hspans[hd->first_span + k].len;
		}
		memset(&rec, 0, sizeof(rec));
		rec.cells = cells;
		rec.ncells = hd->nspans;
		rec.record = hd->record;
		rec.line = hd->line;
		rec.offset = hd->offset;
		rec.unclosed_quote = hd->unclosed;
		rec.is_blank = 1;
		for (size_t k = 0; k < rec.ncells; k++)
			rec.is_blank &= cells[k].len == 0;
		rec.is_header = i == h;
		if (rec.is_header)
			c->info.columns = rec.ncells;
		rc = call(c, &rec, err);
	}
	free(cells);
	free_held(c);
	return rc;
}

int odl_csv_grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap *= 2;
	void *q = realloc(*p, ncap * size);
	if (!q)
		return -1;
	*p = q;
	*cap = ncap;
	return 0;
}

/* Keep a record of the header sample; its bytes count against max_record. */
static int hold(odl_csv *c, const struct odl_record *rec, struct odl_error *err)
{
	size_t bytes = 0;

	for (size_t i = 0; i < rec->ncells; i++)
		bytes += rec->cells[i].len;
	if (c->hlen + bytes > c->opt.max_record && c->nheld) {
		/* a sample this large: choose on the records already held */
		int rc = decide_header(c, err);
		return rc ? rc : call(c, (struct odl_record *)rec, err);
	}
	if (!c->held)
		c->held = malloc(HEADER_SAMPLE * sizeof(*c->held));
	if (!c->held ||
	    odl_csv_grow((void **)&c->hspans, &c->hspans_cap, c->nhspans + rec->ncells, sizeof(*c->hspans)) ||
	    odl_csv_grow((void **)&c->hbuf, &c->hcap, c->hlen + bytes + 1, 1))
		return fail_at(c, err, ODL_ENOMEM, rec->line, "%s", "out of memory");
	struct held *hd = &c->held[c->nheld++];
	hd->first_span = c->nhspans;
	hd->nspans = rec->ncells;
	hd->record = rec->record;
	hd->line = rec->line;
	hd->offset = rec->offset;
	hd->unclosed = rec->unclosed_quote;
	for (size_t i = 0; i < rec->ncells; i++) {
		c->hspans[c->nhspans].off = c->hlen;
		c->hspans[c->nhspans].len = rec->cells[i].len;
		c->nhspans++;
		memcpy(c->hbuf + c->hlen, rec->cells[i].ptr, rec->cells[i].len);
		c->hlen += rec->cells[i].len;
	}
	if (c->nheld == HEADER_SAMPLE)
		return decide_header(c, err);
	return ODL_OK;
}

/* ---- stage 4: Python's csv state machine ---- */

static int add_bytes_slow(odl_csv *c, const char *s, size_t n, struct odl_error *err)
{
	if (c->rlen - c->field_start + n > c->opt.max_cell)
		return too_long_cell(c, err);
	if (c->rlen + n > c->opt.max_record) {
		char msg[96];
		snprintf(msg, sizeof(msg), "record is longer than %zu bytes", c->opt.max_record);
		return fail_at(c, err, ODL_ELIMIT, c->rec_line, "%s", msg);
	}
	if (odl_csv_grow((void **)&c->rbuf, &c->rcap, c->rlen + n, 1))
		return fail_at(c, err, ODL_ENOMEM, c->rec_line, "%s", "out of memory");
	memcpy(c->rbuf + c->rlen, s, n);
	c->rlen += n;
	return ODL_OK;
}

/* The common case inline: room in the buffer, no ceiling near. */
static inline int add_bytes(odl_csv *c, const char *s, size_t n, struct odl_error *err)
{
	if (c->rlen + n <= c->rcap && c->rlen + n <= c->opt.max_record &&
	    c->rlen - c->field_start + n <= c->opt.max_cell) {
		memcpy(c->rbuf + c->rlen, s, n);
		c->rlen += n;
		return ODL_OK;
	}
	return add_bytes_slow(c, s, n, err);
}

static int save_field_slow(odl_csv *c, struct odl_error *err);

static inline int save_field(odl_csv *c, struct odl_error *err)
{
	if (c->ncells < c->cells_cap && c->ncells < c->opt.max_cells) {
		c->spans[c->ncells].off = c->field_start;
		c->spans[c->ncells].len = c->rlen - c->field_start;
		c->ncells++;
		c->field_start = c->rlen;
		return ODL_OK;
	}
	return save_field_slow(c, err);
}

static int save_field_slow(odl_csv *c, struct odl_error *err)
{
	if (c->ncells >= c->opt.max_cells) {
		char msg[96];
		snprintf(msg, sizeof(msg), "record has more than %zu cells", c->opt.max_cells);
		return fail_at(c, err, ODL_ELIMIT, c->rec_line, "%s", msg);
	}
	if (c->ncells == c->cells_cap) {
		size_t cap = c->cells_cap;
		if (odl_csv_grow((void **)&c->spans, &cap, c->ncells + 1, sizeof(*c->spans)) ||
		    odl_csv_grow((void **)&c->cells, &c->cells_cap, c->ncells + 1, sizeof(*c->cells)))
			return fail_at(c, err, ODL_ENOMEM, c->rec_line, "%s", "out of memory");
	}
	c->spans[c->ncells].off = c->field_start;
	c->spans[c->ncells].len = c->rlen - c->field_start;
	c->ncells++;
	c->field_start = c->rlen;
	return ODL_OK;
}

static int end_record(odl_csv *c, uint64_t unclosed, struct odl_error *err)
{
	struct odl_record rec;
	int blank = 1;

	for (size_t i = 0; i < c->ncells; i++) {
		c->cells[i].ptr = c->rbuf ? c->rbuf + c->spans[i].off : "";
		c->cells[i].len = c->spans[i].len;
		blank &= c->spans[i].len == 0;
	}
	memset(&rec, 0, sizeof(rec));
	rec.is_blank = blank;
	rec.cells = c->cells;
	rec.ncells = c->ncells;
	rec.text = c->rbuf;
	rec.text_len = c->rbuf ? c->rlen : 0;
	rec.line = c->rec_line;
	rec.offset = c->rec_offset;
	rec.record = ++c->records;
	rec.unclosed_quote = unclosed;
	c->ncells = 0;
	c->rlen = 0;
	c->field_start = 0;
	c->state = START_RECORD;
	if (!c->header_decided)
		return hold(c, &rec, err);
	return call(c, &rec, err);
}

/* The end of a physical line (Python's EOL event after each line). */
static int end_line(odl_csv *c, enum odl_line_ending kind, struct odl_error *err)
{
	int rc = ODL_OK;

	switch (c->state) {
	case IN_QUOTED:
		break; /* the line break was data; the record goes on */
	case START_FIELD:
	case IN_FIELD:
	case QUOTE_IN_QUOTED:
		rc = save_field(c, err);
		/* fall through */
	case START_RECORD:
	case EAT_CRNL:
		if (rc == ODL_OK) {
			/* line endings are counted where they end records:
			 * breaks inside quoted cells are the data's own */
			c->n_lf += kind == ODL_EOL_LF;
			c->n_crlf += kind == ODL_EOL_CRLF;
			c->n_cr += kind == ODL_EOL_CR;
			rc = end_record(c, 0, err);
		}
		break;
	}
	if (kind != ODL_EOL_NONE) {
		c->line++;
		c->line_start = c->offset;
	}
	return rc;
}

/* One character that is not an end-of-line event. */
static int step(odl_csv *c, char ch, struct odl_error *err)
{
	int rc = ODL_OK;

	switch (c->state) {
	case START_RECORD:
		c->rec_line = c->line;
		c->rec_offset = c->offset;
		if (ch == '\n' || ch == '\r') {
			c->state = EAT_CRNL; /* an empty line: a record with no cells */
			break;
		}
		c->state = START_FIELD;
		/* fall through */
	case START_FIELD:
		if (ch == '\n' || ch == '\r') {
			rc = save_field(c, err);
			c->state = EAT_CRNL;
		} else if (ch == '"') {
			c->quote_line = c->line;
			c->state = IN_QUOTED;
		} else if (ch == ' ' && c->skipspace) {
			; /* spaces after the delimiter are dropped */
		} else if (ch == c->delim) {
			rc = save_field(c, err);
		} else {
			rc = add_bytes(c, &ch, 1, err);
			c->state = IN_FIELD;
		}
		break;
	case IN_FIELD:
		if (ch == '\n' || ch == '\r') {
			rc = save_field(c, err);
			c->state = EAT_CRNL;
		} else if (ch == c->delim) {
			rc = save_field(c, err);
			c->state = START_FIELD;
		} else {
			rc = add_bytes(c, &ch, 1, err);
		}
		break;
	case IN_QUOTED:
		if (ch == '"')
			c->state = QUOTE_IN_QUOTED;
		else
			rc = add_bytes(c, &ch, 1, err);
		break;
	case QUOTE_IN_QUOTED:
		if (ch == '"') {
			rc = add_bytes(c, &ch, 1, err); /* "" is one quote */
			c->state = IN_QUOTED;
		} else if (ch == c->delim) {
			rc = save_field(c, err);
			c->state = START_FIELD;
		} else if (ch == '\n' || ch == '\r') {
			rc = save_field(c, err);
			c->state = EAT_CRNL;
		} else {
			/* the quotes closed before the field's end: the rest is
			 * read unquoted (Python's non-strict mode) */
			rc = add_bytes(c, &ch, 1, err);
			c->state = IN_FIELD;
		}
		break;
	case EAT_CRNL:
		/* only the LF of a CRLF can come here: lines end at CR and LF */
		break;
	}
	return rc;
}

/*
 * Where the fast lane's fields end: the next delimiter or line break after
 * an unquoted field's start, the next quote or line break inside quotes.
 * With vector code one pass over 64 bytes finds both kinds as bit masks,
 * kept while the lines that follow fall in them, so that a field costs a
 * count of trailing zeros, not a search of its own; the last bytes of a
 * buffer, and every byte under ODL_SCAN=scalar, are searched one by one
 * for the same answers.
 */
struct stops {
	const char *s;
	size_t n;
	size_t base, len;  /* the window s[base, base + len) */
	uint64_t unq, quo; /* its stops, bit i for s[base + i] */
	char delim;
	int vec;
};

#ifdef ODL_SCAN_SSE2
static inline void stops_load(struct stops *w, size_t from)
{
	const __m128i vd = _mm_set1_epi8(w->delim), vq = _mm_set1_epi8('"');
	const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
	uint64_t unq = 0, quo = 0;

	for (int j = 0; j < 4; j++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(w->s + from + 16 * j));
		__m128i nl = _mm_or_si128(_mm_cmpeq_epi8(x, vn), _mm_cmpeq_epi8(x, vr));
		unq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(nl, _mm_cmpeq_epi8(x, vd)))
		       << (16 * j);
		quo |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(nl, _mm_cmpeq_epi8(x, vq)))
		       << (16 * j);
	}
	w->base = from;
	w->len = 64;
	w->unq = unq;
	w->quo = quo;
}
#endif

/* the first stop at or after from (from <= n), n when none */
static inline size_t next_stop(struct stops *w, size_t from, int quoted)
{
	char a = quoted ? '"' : w->delim;

#ifdef ODL_SCAN_SSE2
	if (w->vec) {
		for (;;) {
			if (from - w->base < w->len) {
				uint64_t m = (quoted ? w->quo : w->unq) >> (from - w->base);
				if (m)
					return from + (size_t)__builtin_ctzll(m);
				from = w->base + w->len;
			}
			if (w->n - from < 64)
				return from + odl_scan_any3(w->s + from, w->n - from, a, '\n', '\r');
			stops_load(w, from);
		}
	}
#endif
	return from + odl_scan_any3_scalar(w->s + from, w->n - from, a, '\n', '\r');
}

/*
 * The fast lane for a whole record: at the start of a record (s[at]), a
 * line whose terminator is in s (skipinitialspace off) and whose quoted
 * fields, if any, hold no quote and no line break and close right before
 * a delimiter or the line's end, is split where it lies: its cells point
 * into s for the callback's time, with the counters the byte-by-byte rules
 * would leave; a quoted field with doubled quotes is copied, each "" as
 * one quote, into the record buffer.  Returns the bytes taken, or 0 to
 * leave the line to those rules (an empty line, a quoted line break, text
 * after a closing quote, a CR at the end of s, a ceiling reached: they say
 * why).
 */
static size_t whole_line(odl_csv *c, struct stops *ws, size_t at, int *rc, struct odl_error *err)
{
	/* a copy the stores into cells cannot alias: it stays in registers */
	struct stops win = *ws, *w = &win;
	const char *s = w->s;
	const size_t n = w->n, max_cells = c->opt.max_cells, max_cell = c->opt.max_cell;
	const size_t max_record = c->opt.max_record;
	const char delim = c->delim;
	struct odl_cell *cells = c->cells;
	/* cells that fit before a growth or the ceiling */
	size_t room = c->cells_cap < max_cells ? c->cells_cap : max_cells;
	size_t pos = at, end, ncells = 0, bytes = 0, term = 1;
	enum odl_line_ending kind = ODL_EOL_LF;
	int quoted = 0, copied = 0;

	if (s[at] == '\n' || s[at] == '\r')
		return 0;
	for (;;) {
		size_t from, k;
		const char *cell = NULL;
		if (pos < n && s[pos] == '"') {
			from = pos + 1;
			k = next_stop(w, from, 1);
			if (k >= n - 1 || s[k] != '"')
				goto slow;
			size_t piece = from, start = c->rlen;
			while (s[k + 1] == '"') {
				/* "" is one quote: the cell so far, quote included,
				 * goes to the record buffer, and the search goes on */
				if (c->rlen + (k + 1 - piece) > max_record ||
				    odl_csv_grow((void **)&c->rbuf, &c->rcap, c->rlen + (k + 1 - piece), 1))
					goto slow;
				memcpy(c->rbuf + c->rlen, s + piece, k + 1 - piece);
				c->rlen += k + 1 - piece;
				piece = k + 2;
				k = next_stop(w, piece, 1);
				if (k >= n - 1 || s[k] != '"')
					goto slow;
			}
			end = k + 1; /* what follows the closing quote */
			if (s[end] != delim && s[end] != '\n' && s[end] != '\r')
				goto slow;
			quoted = 1;
			if (piece != from) {
				if (c->rlen + (k - piece) > max_record ||
				    odl_csv_grow((void **)&c->rbuf, &c->rcap, c->rlen + (k - piece) + 1, 1))
					goto slow;
				memcpy(c->rbuf + c->rlen, s + piece, k - piece);
				c->rlen += k - piece;
				/* the cell's text, for the length checks below */
				from = start;
				k = c->rlen;
				cell = c->rbuf; /* the buffer may move: placed at the end */
				copied = 1;
			}
		} else {
			from = pos;
			k = end = next_stop(w, from, 0);
			if (k == n)
				goto slow;
		}
		bytes += k - from; /* checked against max_record once the line is split */
		if (k - from > max_cell)
			goto slow;
		if (ncells >= room) {
			if (ncells >= max_cells)
				goto slow;
			size_t scap = c->cells_cap;
			if (odl_csv_grow((void **)&c->spans, &scap, ncells + 1, sizeof(*c->spans)) ||
			    odl_csv_grow((void **)&c->cells, &c->cells_cap, ncells + 1, sizeof(*c->cells)))
				goto slow;
			cells = c->cells;
			room = c->cells_cap < max_cells ? c->cells_cap : max_cells;
		}
		if (cell) {
			/* copied: its offset in the record buffer, a NULL mark */
			c->spans[ncells].off = from;
			cells[ncells].ptr = NULL;
		} else {
			cells[ncells].ptr = s + from;
		}
		cells[ncells++].len = k - from;
		if (s[end] != delim)
			break;
		pos = end + 1;
	}
	if (bytes > max_record)
		goto slow;
	if (s[end] == '\r') {
		if (end + 1 == n)
			goto slow;
		kind = s[end + 1] == '\n' ? ODL_EOL_CRLF : ODL_EOL_CR;
		term = kind == ODL_EOL_CRLF ? 2 : 1;
	}
	for (size_t i = 0; copied && i < ncells; i++)
		if (!cells[i].ptr)
			cells[i].ptr = c->rbuf + c->spans[i].off;

	struct odl_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.cells = cells;
	rec.ncells = ncells;
	rec.is_blank = bytes == 0;
	/* cells in s and in the record buffer: no single text holds them */
	rec.text = copied ? NULL : s + at;
	rec.text_len = copied ? 0 : end - at;
	rec.line = c->line;
	rec.offset = c->offset;
	rec.record = ++c->records;
	if (quoted)
		c->quote_line = c->line;
	c->offset += end + term - at;
	c->n_lf += kind == ODL_EOL_LF;
	c->n_crlf += kind == ODL_EOL_CRLF;
	c->n_cr += kind == ODL_EOL_CR;
	*ws = win;
	*rc = c->header_decided ? call(c, &rec, err) : hold(c, &rec, err);
	c->rlen = 0;
	c->line++;
	c->line_start = c->offset;
	return end + term - at;
slow:
	*ws = win;
	c->rlen = 0;
	return 0;
}

static int process_text(odl_csv *c, const char *s, size_t n, struct odl_error *err)
{
	struct stops w = { s, n, 0, 0, 0, 0, c->delim, c->vec };
	size_t i = 0;
	int rc;

	while (i < n) {
		if (c->state == START_RECORD && !c->pending_cr && !c->skipspace) {
			size_t taken = whole_line(c, &w, i, &rc, err);
			if (taken) {
				if (rc)
					return rc;
				i += taken;
				continue;
			}
		}
		if (c->pending_cr) {
			c->pending_cr = 0;
			if (s[i] == '\n') {
				if ((rc = step(c, '\n', err)))
					return rc;
				c->offset++;
				i++;
				if ((rc = end_line(c, ODL_EOL_CRLF, err)))
					return rc;
				continue;
			}
			if ((rc = end_line(c, ODL_EOL_CR, err)))
				return rc;
		}
		/* Fast lane for the common shapes: unquoted cells and the text of
		 * quoted ones are copied in runs, and a delimiter after an
		 * unquoted cell is taken here; everything else (quotes, line
		 * ends, dropped spaces) goes through step(), byte by byte. */
		if (c->state == START_RECORD && !c->stop_unquoted[(unsigned char)s[i]] &&
		    s[i] != '"' && !(s[i] == ' ' && c->skipspace)) {
			c->rec_line = c->line;
			c->rec_offset = c->offset;
			c->state = START_FIELD;
		}
		while (c->state == START_FIELD || c->state == IN_FIELD) {
			if (c->state == START_FIELD &&
			    (s[i] == '"' || (s[i] == ' ' && c->skipspace)))
				break;
			size_t k = i;
			if (c->vec)
				k += odl_scan_any3(s + i, n - i, c->delim, '\n', '\r');
			else
				while (k < n && !c->stop_unquoted[(unsigned char)s[k]])
					k++;
			if (k > i) {
				if ((rc = add_bytes(c, s + i, k - i, err)))
					return rc;
				c->state = IN_FIELD;
			}
			c->offset += k - i;
			i = k;
			if (i == n || s[i] != c->delim)
				break;
			if ((rc = save_field(c, err)))
				return rc;
			c->state = START_FIELD;
			c->offset++;
			if (++i == n)
				break;
		}
		if (i == n)
			break;
		if (c->state == IN_QUOTED) {
			size_t k = i;
			if (c->vec)
				k += odl_scan_any3(s + i, n - i, '"', '\n', '\r');
			else
				while (k < n && !c->stop_quoted[(unsigned char)s[k]])
					k++;
			if (k > i) {
				if ((rc = add_bytes(c, s + i, k - i, err)))
					return rc;
				c->offset += k - i;
				i = k;
				continue;
			}
		}
		char ch = s[i];
		if ((rc = step(c, ch, err)))
			return rc;
		c->offset++;
		i++;
		if (ch == '\n') {
			if ((rc = end_line(c, ODL_EOL_LF, err)))
				return rc;
		} else if (ch == '\r') {
			c->pending_cr = 1; /* CR or CRLF: the next byte decides */
		}
	}
	return ODL_OK;
}

static int decide_dialect(odl_csv *c, int complete, struct odl_error *err)
{
	const char *reason = "option";
	char d = c->opt.delimiter;

	if (!d)
		d = odl_sniff_delimiter(c->sample, c->nsample, complete, &reason);
	c->delim = d;
	c->info.delimiter = d;
	c->info.delimiter_reason = reason;
	if (c->opt.skip_initial_space >= 0)
		c->skipspace = c->opt.skip_initial_space;
	else
		c->skipspace = odl_sniff_skip_initial_space(c->sample, c->nsample, d,
							    c->opt.delimiter != 0,
							    strcmp(reason, "single column") == 0);
	c->info.skip_initial_space = c->skipspace;
	c->stop_unquoted[(unsigned char)d] = c->stop_unquoted['\n'] = c->stop_unquoted['\r'] = 1;
	c->stop_quoted['"'] = c->stop_quoted['\n'] = c->stop_quoted['\r'] = 1;
	c->dialect_known = 1;
	int rc = process_text(c, c->sample, c->nsample, err);
	free(c->sample);
	c->sample = NULL;
	c->nsample = 0;
	return rc;
}

static int text_in(void *ctx, const char *s, size_t n, struct odl_error *err)
{
	odl_csv *c = ctx;

	if (c->dialect_known)
		return process_text(c, s, n, err);
	size_t room = c->opt.sniff_bytes - c->nsample;
	size_t k = n < room ? n : room;
	memcpy(c->sample + c->nsample, s, k);
	c->nsample += k;
	if (c->nsample < c->opt.sniff_bytes)
		return ODL_OK;
	int rc = decide_dialect(c, 0, err);
	if (rc == ODL_OK && k < n)
		rc = process_text(c, s + k, n - k, err);
	return rc;
}

static int raw_in(void *ctx, const char *s, size_t n, struct odl_error *err)
{
	odl_csv *c = ctx;
	return odl_decoder_feed(c->dec, (const unsigned char *)s, n, err);
}

/* ---- the public face ---- */

static int locate(odl_csv *c, int rc, struct odl_error *err)
{
	if (!rc)
		return rc;
	c->failed = 1;
	if (err && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", c->name);
	if (err)
		c->failure = *err;
	c->failure.code = rc;
	return rc;
}

/* After an error every call returns it again. */
static int failed_before(const odl_csv *c, struct odl_error *err)
{
	if (err)
		*err = c->failure;
	return c->failure.code ? c->failure.code : ODL_EINVAL;
}

int odl_csv_feed(odl_csv *c, const void *buf, size_t len, struct odl_error *err)
{
	if (c->finished)
		return odl_fail(err, ODL_EINVAL, "feed after finish");
	return odl_xlsx_front_feed(c->xlsx, buf, len, err);
}

static int feed_bytes(void *ctx, const void *buf, size_t len, struct odl_error *err)
{
	odl_csv *c = ctx;
	const unsigned char *p = buf;
	int rc;

	if (c->finished)
		return odl_fail(err, ODL_EINVAL, "feed after finish");
	if (c->failed)
		return failed_before(c, err);
	c->info.bytes_in += len;
	if (!c->gz_decided) {
		while (len && c->nmagic < 2) {
			c->magic[c->nmagic++] = *p++;
			len--;
		}
		if (c->nmagic < 2)
			return ODL_OK;
		c->gz_decided = 1;
		if (odl_is_gzip(c->magic, 2)) {
			c->info.gzip = 1;
			c->gz = odl_gunzip_new(raw_in, c);
			if (!c->gz)
				return locate(c, odl_fail(err, ODL_ENOMEM, "out of memory"), err);
		}
		rc = c->gz ? odl_gunzip_feed(c->gz, c->magic, 2, err)
			   : raw_in(c, (const char *)c->magic, 2, err);
		if (rc)
			return locate(c, rc, err);
	}
	if (!len)
		return ODL_OK;
	rc = c->gz ? odl_gunzip_feed(c->gz, p, len, err) : raw_in(c, (const char *)p, len, err);
	return locate(c, rc, err);
}

static enum odl_line_ending line_ending(const odl_csv *c)
{
	int kinds = (c->n_lf > 0) + (c->n_crlf > 0) + (c->n_cr > 0);

	if (kinds > 1)
		return ODL_EOL_MIXED;
	if (c->n_crlf)
		return ODL_EOL_CRLF;
	if (c->n_lf)
		return ODL_EOL_LF;
	if (c->n_cr)
		return ODL_EOL_CR;
	return ODL_EOL_NONE;
}

int odl_csv_finish(odl_csv *c, struct odl_error *err)
{
	int rc = ODL_OK;

	if (c->failed)
		return failed_before(c, err);
	if (c->finished)
		return ODL_OK;
	int xlsx = 0;
	if ((rc = odl_xlsx_front_finish(c->xlsx, &xlsx, err)) || xlsx) {
		c->finished = 1;
		return rc;
	}
	c->finished = 1;
	if (!c->gz_decided && c->nmagic) {
		c->gz_decided = 1;
		rc = raw_in(c, (const char *)c->magic, c->nmagic, err);
	}
	if (rc == ODL_OK && c->gz)
		rc = odl_gunzip_finish(c->gz, err);
	if (rc == ODL_OK)
		rc = odl_decoder_finish(c->dec, err);
	if (rc == ODL_OK && !c->dialect_known)
		rc = decide_dialect(c, 1, err);
	/* the last line may lack its terminator: it still ends */
	if (rc == ODL_OK && c->pending_cr) {
		c->pending_cr = 0;
		rc = end_line(c, ODL_EOL_CR, err);
	} else if (rc == ODL_OK && c->offset > c->line_start) {
		rc = end_line(c, ODL_EOL_NONE, err);
	}
	/* a quoted field never closed runs to the end of the file, where
	 * Python keeps it as the last field of the last record */
	if (rc == ODL_OK && c->state == IN_QUOTED) {
		rc = save_field(c, err);
		if (rc == ODL_OK)
			rc = end_record(c, c->quote_line, err);
	}
	if (rc == ODL_OK && !c->header_decided)
		rc = decide_header(c, err);
	return locate(c, rc, err);
}

const struct odl_csv_info *odl_csv_info_live(odl_csv *c)
{
	odl_csv *m = c; /* the info is a cache of live counters */

	if (odl_xlsx_front_info(c->xlsx))
		return odl_xlsx_front_info(c->xlsx);

	m->info.encoding = odl_decoder_encoding(c->dec);
	m->info.bom = odl_decoder_bom(c->dec);
	m->info.encoding_reason = odl_decoder_reason(c->dec);
	m->info.line_ending = line_ending(c);
	m->info.bytes_decoded = odl_decoder_bytes_out(c->dec);
	m->info.decode_issues = odl_decoder_issues(c->dec);
	m->info.invalid_utf8_line = odl_decoder_fallback_line(c->dec);
	m->info.lines = c->line - 1 + (c->offset > c->line_start);
	if (!m->info.delimiter_reason)
		m->info.delimiter_reason = "";
	return &m->info;
}

const struct odl_csv_info *odl_csv_info(const odl_csv *c)
{
	if (c->view)
		return c->view;
	return odl_csv_info_live((odl_csv *)c);
}

void odl_csv_hook(odl_csv *c, odl_record_fn fn, void *ctx, odl_record_fn *old_fn, void **old_ctx)
{
	*old_fn = c->fn;
	*old_ctx = c->ctx;
	c->fn = fn;
	c->ctx = ctx;
}

void odl_csv_set_view(odl_csv *c, const struct odl_csv_info *view)
{
	c->view = view;
}

int odl_csv_is_workbook(const odl_csv *c)
{
	return odl_xlsx_front_info(c->xlsx) != NULL;
}

void odl_csv_fail_with(odl_csv *c, const struct odl_error *err, const struct odl_csv_info *info)
{
	c->failed = 1;
	c->failure = *err;
	if (info) {
		c->frozen = *info;
		c->view = &c->frozen;
	}
}

const char *odl_csv_name(const odl_csv *c)
{
	return c->name;
}

int odl_csv_read_fd(odl_csv *c, int fd, struct odl_error *err)
{
	char buf[65536];
	ssize_t n;
	int rc = ODL_OK;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			odl_error_at(err, c->name, 0, 0, NULL);
			if (err)
				err->sys_errno = e;
			return odl_fail(err, ODL_EIO, "cannot read: %s", strerror(e));
		}
		if ((rc = odl_csv_feed(c, buf, (size_t)n, err)))
			return rc;
	}
	return odl_csv_finish(c, err);
}

int odl_csv_read_path(odl_csv *c, const char *path, struct odl_error *err)
{
	int fd, rc;

	if (!c->name[0])
		snprintf(c->name, sizeof(c->name), "%s", path);
	if (strcmp(path, "-") == 0)
		return odl_csv_read_fd(c, 0, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		odl_error_at(err, path, 0, 0, NULL);
		if (err)
			err->sys_errno = e;
		return odl_fail(err, ODL_EIO, "cannot open: %s", strerror(e));
	}
	rc = odl_csv_read_fd(c, fd, err);
	close(fd);
	return rc;
}
