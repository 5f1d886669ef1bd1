/*
 * csv.c - the dataset reader: gzip -> decoding -> sniffing -> libcsv -> records.
 *
 * libcsv does the quoting rules; around it this file keeps what libcsv
 * does not: physical line numbers and offsets of records, blank lines,
 * line-ending statistics and ceilings on every buffer.  Text is handed to
 * libcsv one physical line (at most SLICE bytes) at a time, so that the
 * line of every record start is known and libcsv's own field buffer is
 * checked against max_cell before it can grow far past it.
 */
#include "odl/csv.h"
#include "decode.h"
#include "error.h"
#include "gunzip.h"
#include "sniff.h"
#include "xlsx.h"
#include "csv_private.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLICE 65536
#define LIBCSV_ROW_NOT_BEGUN 0 /* libcsv's pstate between records */

struct cell_span {
	size_t off, len;
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
	/* stage 4: records */
	struct csv_parser p;
	int parser_ready;
	char *rbuf;               /* bytes of the current record's cells */
	size_t rlen, rcap;
	struct cell_span *spans;
	struct odl_cell *cells;
	size_t ncells, cells_cap;
	int in_record;
	uint64_t rec_line, rec_offset;
	uint64_t line;            /* physical line of the next byte, 1-based */
	uint64_t offset;          /* decoded offset of the next byte */
	uint64_t line_start;      /* decoded offset where the current line began */
	int prev_cr;
	int cr_ended_record;      /* that CR ended a record */
	uint64_t n_lf, n_crlf, n_cr;
	uint64_t records;         /* records in the stream, blank lines included */
	int header_seen;          /* a non-blank record has been seen */
	int header_expected;
	/* an error met inside a libcsv callback, returned after csv_parse */
	int cb_code;
	struct odl_error cb_err;
	int finished;
	int slow_only;            /* tests: libcsv for every record */
	char *scratch;            /* unescaped quoted cell (fast path) */
	unsigned char special[256]; /* bytes that end an unquoted cell */
	size_t scratch_cap;
	struct odl_csv_info info;
	struct odl_xlsx_front *xlsx; /* stage 0: a workbook, or text on */
};

void odl_csv_options_init(struct odl_csv_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->header = 1;
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

static int no_space(unsigned char c)
{
	(void)c;
	return 0; /* cells keep their spaces, as the reference validator does */
}

static int text_in(void *ctx, const char *s, size_t n, struct odl_error *err);
static int raw_in(void *ctx, const char *s, size_t n, struct odl_error *err);
static int feed_bytes(void *ctx, const void *buf, size_t len, struct odl_error *err);

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
	    !c->opt.max_record ||
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
	c->header_expected = c->opt.header;
	c->dec = odl_decoder_new(c->opt.encoding, c->opt.replace_invalid,
				 c->opt.on_decode_issue, c->opt.decode_ctx, text_in, c);
	c->sample = malloc(c->opt.sniff_bytes);
	c->xlsx = odl_xlsx_front_new(&c->opt, c->name, fn, ctx, feed_bytes, c);
	if (!c->dec || !c->sample || !c->xlsx || csv_init(&c->p, 0) != 0) {
		odl_xlsx_front_free(c->xlsx);
		odl_decoder_free(c->dec);
		free(c->sample);
		free(c);
		return NULL;
	}
	c->parser_ready = 1;
	csv_set_space_func(&c->p, no_space);
	return c;
}

void odl_csv_free(odl_csv *c)
{
	if (!c)
		return;
	if (c->parser_ready)
		csv_free(&c->p);
	odl_xlsx_front_free(c->xlsx);
	odl_gunzip_free(c->gz);
	odl_decoder_free(c->dec);
	free(c->sample);
	free(c->rbuf);
	free(c->scratch);
	free(c->spans);
	free(c->cells);
	free(c);
}

/* ---- records, from libcsv's callbacks ---- */

static void cb_fail(odl_csv *c, int code, uint64_t line, const char *msg)
{
	if (c->cb_code)
		return;
	c->cb_code = code;
	odl_error_clear(&c->cb_err);
	odl_error_at(&c->cb_err, c->name, line, 0, NULL);
	odl_fail(&c->cb_err, code, "%s", msg);
}

static void on_field(void *s, size_t len, void *ctx)
{
	odl_csv *c = ctx;
	char msg[128];

	if (c->cb_code)
		return;
	if (!c->in_record) {
		/* a record whose first byte libcsv saw before our line split */
		c->in_record = 1;
		c->rec_line = c->line;
		c->rec_offset = c->offset;
	}
	if (c->ncells >= c->opt.max_cells) {
		snprintf(msg, sizeof(msg), "record has more than %zu cells", c->opt.max_cells);
		cb_fail(c, ODL_ELIMIT, c->rec_line, msg);
		return;
	}
	if (len > c->opt.max_cell) {
		snprintf(msg, sizeof(msg), "cell %zu is longer than %zu bytes", c->ncells + 1,
			 c->opt.max_cell);
		cb_fail(c, ODL_ELIMIT, c->rec_line, msg);
		return;
	}
	if (c->rlen + len > c->opt.max_record) {
		snprintf(msg, sizeof(msg), "record is longer than %zu bytes", c->opt.max_record);
		cb_fail(c, ODL_ELIMIT, c->rec_line, msg);
		return;
	}
	if (c->ncells == c->cells_cap) {
		size_t cap = c->cells_cap ? c->cells_cap * 2 : 64;
		struct cell_span *sp = realloc(c->spans, cap * sizeof(*sp));
		if (sp)
			c->spans = sp;
		struct odl_cell *ce = sp ? realloc(c->cells, cap * sizeof(*ce)) : NULL;
		if (!sp || !ce) {
			cb_fail(c, ODL_ENOMEM, c->rec_line, "out of memory");
			return;
		}
		c->cells = ce;
		c->cells_cap = cap;
	}
	if (c->rlen + len > c->rcap) {
		size_t cap = c->rcap ? c->rcap : 4096;
		while (cap < c->rlen + len)
			cap *= 2;
		char *b = realloc(c->rbuf, cap);
		if (!b) {
			cb_fail(c, ODL_ENOMEM, c->rec_line, "out of memory");
			return;
		}
		c->rbuf = b;
		c->rcap = cap;
	}
	if (len)
		memcpy(c->rbuf + c->rlen, s, len);
	c->spans[c->ncells].off = c->rlen;
	c->spans[c->ncells].len = len;
	c->rlen += len;
	c->ncells++;
}

static void deliver(odl_csv *c, int blank_line)
{
	struct odl_record rec;
	int blank = 1;

	for (size_t i = 0; i < c->ncells; i++) {
		c->cells[i].ptr = c->rbuf ? c->rbuf + c->spans[i].off : "";
		c->cells[i].len = c->spans[i].len;
		if (c->spans[i].len)
			blank = 0;
	}
	memset(&rec, 0, sizeof(rec));
	rec.cells = c->cells;
	rec.ncells = blank_line ? 0 : c->ncells;
	rec.line = c->rec_line;
	rec.offset = c->rec_offset;
	c->records++;
	rec.record = c->records;
	rec.is_blank = blank;

	if (!c->header_seen) {
		if (blank_line) {
			/* blank lines before the first record are skipped, but
			 * keep their place in the record numbering */
			c->info.skipped_lines++;
			return;
		}
		c->header_seen = 1;
		c->info.columns = c->ncells;
		if (c->header_expected) {
			rec.is_header = 1;
			rec.row = 0;
			goto call;
		}
	}
	rec.row = ++c->info.rows;
	if (blank)
		c->info.blank_rows++;
	else if (c->ncells != c->info.columns)
		c->info.ragged_rows++;
call:
	if (c->fn(c->ctx, &rec) != 0)
		cb_fail(c, ODL_ECANCELED, rec.line, "stopped by the caller");
}

static void on_record(int term, void *ctx)
{
	odl_csv *c = ctx;

	(void)term;
	if (c->cb_code)
		return;
	if (!c->in_record) {
		/* libcsv reports an empty final record at fini in some states */
		c->rec_line = c->line;
		c->rec_offset = c->offset;
	}
	deliver(c, 0);
	c->in_record = 0;
	c->ncells = 0;
	c->rlen = 0;
}

/* ---- text into libcsv, line by line ---- */

static int take_cb_error(odl_csv *c, struct odl_error *err)
{
	if (!c->cb_code)
		return ODL_OK;
	if (err)
		*err = c->cb_err;
	return c->cb_code;
}

static int feed_parser(odl_csv *c, const char *s, size_t n, struct odl_error *err)
{
	while (n) {
		size_t k = n < SLICE ? n : SLICE;
		if (csv_parse(&c->p, s, k, on_field, on_record, c) != k && !c->cb_code)
			cb_fail(c, ODL_ENOMEM, c->rec_line, csv_strerror(csv_error(&c->p)));
		if (c->cb_code)
			return take_cb_error(c, err);
		if (c->p.entry_pos > c->opt.max_cell) {
			char msg[128];
			snprintf(msg, sizeof(msg), "cell %zu is longer than %zu bytes",
				 c->ncells + 1, c->opt.max_cell);
			cb_fail(c, ODL_ELIMIT, c->in_record ? c->rec_line : c->line, msg);
			return take_cb_error(c, err);
		}
		c->offset += k;
		s += k;
		n -= k;
	}
	return ODL_OK;
}

static int between_records(const odl_csv *c)
{
	return !c->in_record && c->p.pstate == LIBCSV_ROW_NOT_BEGUN;
}

/* Line breaks inside a quoted cell: LF, CRLF and lone CR count once each. */
static uint64_t count_breaks(const char *s, size_t n)
{
	uint64_t k = 0;
	const char *p, *end = s + n;

	for (p = s; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		k += !(p > s && p[-1] == '\r');
	for (p = s; (p = memchr(p, '\r', (size_t)(end - p))); p++)
		k++;
	return k;
}

static void abandon_record(odl_csv *c)
{
	c->ncells = 0;
	c->rlen = 0;
	c->in_record = 0;
}

/*
 * Fast path: tokenise one whole record that lies entirely in s, for the
 * common shapes only (unquoted cells, and quoted cells closed right before
 * a delimiter or the line end).  Returns the bytes used, terminator
 * included, or 0 when the record is incomplete in s or unusual (a quote
 * inside an unquoted cell, text after a closing quote...): libcsv then
 * reads it with its full rules.  Both give the same cells; this is several
 * times faster because it works on runs rather than byte by byte.
 */
static size_t fast_record(odl_csv *c, const char *s, size_t n)
{
	const char d = c->info.delimiter;
	size_t i = 0;
	uint64_t breaks = 0;

	if (n == 0 || s[0] == '\n' || s[0] == '\r')
		return 0;
	c->in_record = 1;
	c->rec_line = c->line;
	c->rec_offset = c->offset;
	for (;;) {
		size_t k;
		if (s[i] == '"') {
			size_t j = i + 1;
			int escaped = 0;
			for (;;) {
				const char *q = memchr(s + j, '"', n - j);
				if (!q || (size_t)(q - s) + 1 >= n)
					goto bail;
				k = (size_t)(q - s);
				if (s[k + 1] == '"') {
					escaped = 1;
					j = k + 2;
					continue;
				}
				break;
			}
			char after = s[k + 1];
			if (after != d && after != '\n' && after != '\r')
				goto bail;
			const char *cell = s + i + 1;
			size_t len = k - i - 1;
			breaks += count_breaks(cell, len);
			if (escaped) {
				/* undo the doubled quotes in a scratch buffer, whose
				 * size the cell ceiling bounds */
				if (len > c->opt.max_cell) {
					on_field((void *)cell, len, c); /* reports the limit */
					return 0;
				}
				if (len > c->scratch_cap) {
					char *b = realloc(c->scratch, len);
					if (!b) {
						cb_fail(c, ODL_ENOMEM, c->rec_line, "out of memory");
						return 0;
					}
					c->scratch = b;
					c->scratch_cap = len;
				}
				size_t m = 0;
				for (size_t t = 0; t < len; t++) {
					c->scratch[m++] = cell[t];
					if (cell[t] == '"')
						t++;
				}
				on_field(c->scratch, m, c);
			} else {
				on_field((void *)cell, len, c);
			}
			k++;
		} else {
			k = i;
			while (k < n && !c->special[(unsigned char)s[k]])
				k++;
			if (k == n || s[k] == '"')
				goto bail;
			on_field((void *)(s + i), k - i, c);
		}
		if (c->cb_code)
			return 0;
		if (s[k] == d) {
			i = k + 1;
			if (i == n)
				goto bail;
			continue;
		}
		/* the record's terminator */
		size_t used;
		if (s[k] == '\n') {
			c->n_lf++;
			used = k + 1;
		} else if (k + 1 < n) {
			if (s[k + 1] == '\n') {
				c->n_crlf++;
				used = k + 2;
			} else {
				c->n_cr++;
				used = k + 1;
			}
		} else {
			/* a CR at the end of the text: the next byte decides */
			c->prev_cr = 1;
			c->cr_ended_record = 1;
			used = k + 1;
		}
		on_record('\n', c);
		c->line += breaks + 1;
		c->offset += used;
		c->line_start = c->offset;
		return used;
	}
bail:
	abandon_record(c);
	return 0;
}

static int process_text(odl_csv *c, const char *s, size_t n, struct odl_error *err)
{
	size_t pos = 0;
	int rc;

	while (pos < n) {
		/* the LF of a CRLF whose CR ended the previous segment */
		if (c->prev_cr) {
			c->prev_cr = 0;
			if (s[pos] == '\n') {
				c->n_crlf += c->cr_ended_record;
				if ((rc = feed_parser(c, s + pos, 1, err)))
					return rc;
				pos++;
				continue;
			}
			c->n_cr += c->cr_ended_record;
		}
		if (between_records(c) && !c->slow_only) {
			size_t used = fast_record(c, s + pos, n - pos);
			if (c->cb_code)
				return take_cb_error(c, err);
			if (used) {
				pos += used;
				continue;
			}
		}
		const char *lf = memchr(s + pos, '\n', n - pos);
		size_t end = lf ? (size_t)(lf - s) : n;
		const char *cr = memchr(s + pos, '\r', end - pos);
		if (cr)
			end = (size_t)(cr - s);
		int has_term = end < n;
		if (between_records(c)) {
			if (end == pos && has_term) {
				/* an empty physical line between records */
				c->rec_line = c->line;
				c->rec_offset = c->offset;
				c->ncells = 0;
				c->rlen = 0;
				deliver(c, 1);
				if (c->cb_code)
					return take_cb_error(c, err);
			} else if (end > pos) {
				c->in_record = 1;
				c->rec_line = c->line;
				c->rec_offset = c->offset;
			}
		}
		if (has_term)
			end++;
		if ((rc = feed_parser(c, s + pos, end - pos, err)))
			return rc;
		if (has_term) {
			/* line endings are counted where they end records: line
			 * breaks inside quoted cells are the data's own */
			int ended = between_records(c);
			if (s[end - 1] == '\n') {
				c->n_lf += ended;
			} else {
				c->prev_cr = 1;
				c->cr_ended_record = ended;
			}
			c->line++;
			c->line_start = c->offset;
		}
		pos = end;
	}
	return ODL_OK;
}

static int decide_dialect(odl_csv *c, int complete, struct odl_error *err)
{
	const char *reason = "option";
	char d = c->opt.delimiter;

	if (!d)
		d = odl_sniff_delimiter(c->sample, c->nsample, complete, &reason);
	c->info.delimiter = d;
	c->info.delimiter_reason = reason;
	csv_set_delim(&c->p, (unsigned char)d);
	c->special[(unsigned char)d] = c->special['\n'] = c->special['\r'] = c->special['"'] = 1;
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
	if (rc && err && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", c->name);
	return rc;
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
	if (c->cb_code)
		return take_cb_error(c, err);
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
				return odl_fail(err, ODL_ENOMEM, "out of memory");
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

	if (c->finished)
		return ODL_OK;
	int xlsx = 0;
	if ((rc = odl_xlsx_front_finish(c->xlsx, &xlsx, err)) || xlsx) {
		c->finished = 1;
		return rc;
	}
	c->finished = 1;
	if (c->cb_code)
		return take_cb_error(c, err);
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
	if (rc == ODL_OK && c->prev_cr) {
		c->prev_cr = 0;
		c->n_cr += c->cr_ended_record;
	}
	if (rc == ODL_OK) {
		/* the last record may lack its line terminator */
		if (!between_records(c) || c->ncells) {
			csv_fini(&c->p, on_field, on_record, c);
			rc = take_cb_error(c, err);
		}
	}
	return locate(c, rc, err);
}

void odl_csv_set_slow_only(odl_csv *c, int on)
{
	c->slow_only = on;
}

const struct odl_csv_info *odl_csv_info(const odl_csv *c)
{
	odl_csv *m = (odl_csv *)c; /* the info is a cache of live counters */

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
