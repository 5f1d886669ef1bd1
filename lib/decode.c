/* decode.c - encoding detection and transcoding to UTF-8, streaming. */
#include "decode.h"
#include "error.h"
#include "scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Windows-1252 bytes 0x80-0x9F; 0 marks the five undefined ones. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* Bytes looked at before the encoding is decided: a BOM, or the
 * NUL-every-other-byte pattern of UTF-16 without one. */
#define HEAD_BYTES 512
/* Raw bytes kept on each side of a NUL to tell binary data from UTF-16. */
#define NUL_CONTEXT 32

struct odl_decoder {
	enum odl_encoding enc;     /* decided encoding, UNKNOWN until then */
	int forced, replace, bom;
	int started;               /* BOM question settled */
	int vec;                   /* ASCII runs found with vector code */
	odl_decode_fn on_issue;
	void *issue_ctx;
	odl_sink_fn sink;
	void *sink_ctx;
	char reason[160];
	unsigned char pend[4];     /* bytes of an incomplete sequence */
	size_t npend;
	uint64_t issues, fallback_line, bytes_out;
	/* position of the next output byte, for messages */
	uint64_t line;             /* lines completed before the buffer */
	uint64_t col;              /* characters after the last line break */
	int last_cr;               /* flushed text ended with CR */
	char out[DECODE_CHUNK + 8];
	size_t nout;
	unsigned char head[HEAD_BYTES];
	size_t nhead;
	uint64_t fed;              /* raw offset of the next byte fed */
	uint64_t in_base;          /* raw offset of the buffer being decoded */
	unsigned char hist[NUL_CONTEXT]; /* the last raw bytes decoded */
	size_t nhist;
	/* the first NUL: where, and the raw bytes around it */
	int nul;
	uint64_t nul_off, nul_line, nul_col;
	unsigned char nul_ctx[2 * NUL_CONTEXT + 1];
	size_t nul_before, nul_nctx;
};

static void nul_hit(struct odl_decoder *d, const unsigned char *before, size_t nbefore,
		    uint64_t off, const unsigned char *p, size_t n);

const char *odl_encoding_name(enum odl_encoding enc)
{
	switch (enc) {
	case ODL_ENC_UTF8: return "utf-8";
	case ODL_ENC_UTF16LE: return "utf-16le";
	case ODL_ENC_UTF16BE: return "utf-16be";
	case ODL_ENC_WINDOWS1252: return "windows-1252";
	case ODL_ENC_UNKNOWN: break;
	}
	return "unknown";
}

int odl_encoding_parse(const char *name, enum odl_encoding *out)
{
	static const struct { const char *name; enum odl_encoding enc; } names[] = {
		{ "utf-8", ODL_ENC_UTF8 }, { "utf8", ODL_ENC_UTF8 },
		{ "utf-8-sig", ODL_ENC_UTF8 },
		{ "utf-16le", ODL_ENC_UTF16LE }, { "utf16le", ODL_ENC_UTF16LE },
		{ "utf-16be", ODL_ENC_UTF16BE }, { "utf16be", ODL_ENC_UTF16BE },
		{ "windows-1252", ODL_ENC_WINDOWS1252 }, { "cp1252", ODL_ENC_WINDOWS1252 },
		{ "win1252", ODL_ENC_WINDOWS1252 },
		/* ISO-8859-1 files are read as Windows-1252, its superset for
		 * every printable character, as browsers do. */
		{ "latin1", ODL_ENC_WINDOWS1252 }, { "latin-1", ODL_ENC_WINDOWS1252 },
		{ "iso-8859-1", ODL_ENC_WINDOWS1252 }, { "iso8859-1", ODL_ENC_WINDOWS1252 },
		{ "auto", ODL_ENC_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].enc;
			return ODL_OK;
		}
	return ODL_EINVAL;
}

struct odl_decoder *odl_decoder_new(enum odl_encoding forced, int replace,
				    odl_decode_fn on_issue, void *issue_ctx,
				    odl_sink_fn sink, void *sink_ctx)
{
	struct odl_decoder *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->enc = forced;
	d->forced = forced != ODL_ENC_UNKNOWN;
	d->replace = replace;
	d->on_issue = on_issue;
	d->issue_ctx = issue_ctx;
	d->sink = sink;
	d->sink_ctx = sink_ctx;
	d->vec = odl_scan_vector();
	if (d->forced)
		snprintf(d->reason, sizeof(d->reason), "given as an option");
	return d;
}

void odl_decoder_free(struct odl_decoder *d)
{
	free(d);
}

enum odl_encoding odl_decoder_encoding(const struct odl_decoder *d)
{
	return d->enc;
}
int odl_decoder_bom(const struct odl_decoder *d)
{
	return d->bom;
}
const char *odl_decoder_reason(const struct odl_decoder *d)
{
	return d->reason;
}
uint64_t odl_decoder_issues(const struct odl_decoder *d)
{
	return d->issues;
}
uint64_t odl_decoder_fallback_line(const struct odl_decoder *d)
{
	return d->fallback_line;
}
uint64_t odl_decoder_bytes_out(const struct odl_decoder *d)
{
	return d->bytes_out + d->nout;
}

static uint64_t count_chars(const char *s, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* Hand n bytes of text to the sink, keeping the position for messages. */
static int emit(struct odl_decoder *d, const char *s, size_t n, struct odl_error *err)
{
	const char *p, *end = s + n;

	if (!n)
		return ODL_OK;
	/* Lines and columns only serve error messages; counting them once per
	 * chunk with memchr keeps the per-byte paths free of bookkeeping. */
	for (p = s; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		d->line += !(p == s ? d->last_cr : p[-1] == '\r');
	for (p = s; (p = memchr(p, '\r', (size_t)(end - p))); p++)
		d->line++;
	const char *brk = end;
	while (brk > s && brk[-1] != '\n' && brk[-1] != '\r')
		brk--;
	brk = brk > s ? brk - 1 : NULL;
	if (brk)
		d->col = count_chars(brk + 1, (size_t)(end - brk - 1));
	else
		d->col += count_chars(s, n);
	d->last_cr = end[-1] == '\r';
	d->bytes_out += n;
	return d->sink(d->sink_ctx, s, n, err);
}

static int flush(struct odl_decoder *d, struct odl_error *err)
{
	size_t n = d->nout;

	d->nout = 0;
	return emit(d, d->out, n, err);
}

static inline int put_cp(struct odl_decoder *d, uint32_t cp, struct odl_error *err)
{
	char *o;

	if (d->nout > DECODE_CHUNK - 4) {
		int rc = flush(d, err);
		if (rc)
			return rc;
	}
	o = d->out + d->nout;
	if (cp < 0x80) {
		o[0] = (char)cp;
		d->nout += 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		d->nout += 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		d->nout += 3;
	} else {
		o[0] = (char)(0xF0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		d->nout += 4;
	}
	return ODL_OK;
}

/* Where the next output character lands: line and column, 1-based. */
static void position(struct odl_decoder *d, uint64_t *line, uint64_t *col)
{
	uint64_t l = d->line, c = d->col;
	int last_cr = d->last_cr;

	for (size_t i = 0; i < d->nout; i++) {
		unsigned char ch = (unsigned char)d->out[i];
		if (ch == '\n') {
			if (!last_cr)
				l++;
			c = 0;
			last_cr = 0;
		} else if (ch == '\r') {
			l++;
			c = 0;
			last_cr = 1;
		} else {
			last_cr = 0;
			c += (ch & 0xC0) != 0x80;
		}
	}
	*line = l + 1;
	*col = c + 1;
}

/* Undecodable bytes: an error, or U+FFFD and a report in replace mode. */
static int bad_bytes(struct odl_decoder *d, const unsigned char *b, size_t n,
		     struct odl_error *err)
{
	struct odl_decode_issue issue;
	char hex[24] = "";

	memset(&issue, 0, sizeof(issue));
	position(d, &issue.line, &issue.column);
	issue.nbytes = n > 4 ? 4 : n;
	memcpy(issue.bytes, b, issue.nbytes);
	if (d->replace) {
		d->issues++;
		if (d->on_issue)
			d->on_issue(d->issue_ctx, &issue);
		return put_cp(d, 0xFFFD, err);
	}
	for (size_t i = 0; i < issue.nbytes; i++)
		snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%s0x%02X",
			 i ? " " : "", issue.bytes[i]);
	/* the text before the bad bytes goes on first: its own problems come
	 * first, however the input was cut */
	int rc = flush(d, err);
	if (rc)
		return rc;
	odl_error_clear(err); /* the reader names the file when none is set */
	odl_error_at(err, NULL, issue.line, issue.column, NULL);
	return odl_fail(err, ODL_EENCODING, "bytes %s are not valid %s", hex,
			odl_encoding_name(d->enc));
}

/* Length of a valid UTF-8 sequence at p (n bytes available): >0 valid,
 * 0 incomplete but possibly valid, -1 invalid (first byte is bad). */
static int utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0];
	int len;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		return -1;
	}
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return 0;
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (p[i] & 0x3F);
		/* reject overlongs and surrogates as soon as the second byte says so */
		if (i == 1 && len == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)))
			return -1;
		if (i == 1 && len == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)))
			return -1;
	}
	if (v < min)
		return -1;
	*cp = v;
	return len;
}

static int decode_cp1252(struct odl_decoder *d, const unsigned char *p, size_t n,
			 struct odl_error *err)
{
	int rc;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c < 0x80) {
			if (d->nout >= DECODE_CHUNK && (rc = flush(d, err)))
				return rc;
			d->out[d->nout++] = (char)c;
			continue;
		}
		uint32_t cp = c >= 0xA0 ? c : cp1252_high[c - 0x80];
		rc = cp ? put_cp(d, cp, err) : bad_bytes(d, &c, 1, err);
		if (rc)
			return rc;
	}
	return ODL_OK;
}

/* Switch an undecided stream to Windows-1252 at its first invalid UTF-8. */
static void fall_back(struct odl_decoder *d)
{
	uint64_t line, col;

	position(d, &line, &col);
	d->enc = ODL_ENC_WINDOWS1252;
	d->fallback_line = line;
	snprintf(d->reason, sizeof(d->reason),
		 "%sinvalid utf-8 at line %llu, column %llu%s",
		 d->bom ? "utf-8 byte order mark but " : "",
		 (unsigned long long)line, (unsigned long long)col,
		 d->bytes_out + d->nout > 0 && line > 1 ? ", read as windows-1252 from there" : "");
}

/* The length of the valid UTF-8 prefix of p[0..n), at most DECODE_CHUNK;
 * it stops before an invalid or incomplete sequence. */
static size_t valid_utf8(const struct odl_decoder *d, const unsigned char *p, size_t n)
{
	size_t i = 0;

	if (n > DECODE_CHUNK)
		n = DECODE_CHUNK;
	while (i < n) {
		i += d->vec ? odl_scan_ascii(p + i, n - i) : odl_scan_ascii_scalar(p + i, n - i);
		if (i >= n)
			break;
		/* the accented letters of French text: two bytes, taken here */
		if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		uint32_t cp;
		int len = utf8_seq(p + i, n - i, &cp);
		if (len <= 0 || (size_t)len > n - i)
			break;
		i += (size_t)len;
	}
	return i;
}

/* Valid UTF-8 is its own decoding: spans of it go to the sink as they lie
 * in the input, without a copy; only what is replaced or re-encoded goes
 * through d->out. */
static int decode_utf8(struct odl_decoder *d, const unsigned char *p, size_t n,
		       struct odl_error *err, int final)
{
	size_t i = 0;
	int rc;

	while (i < n) {
		size_t v = valid_utf8(d, p + i, n - i);
		if (v) {
			/* what d->out holds comes first */
			if ((rc = flush(d, err)) || (rc = emit(d, (const char *)p + i, v, err)))
				return rc;
			i += v;
			continue;
		}
		uint32_t cp;
		int len = utf8_seq(p + i, n - i, &cp);
		if (len == 0 && !final) {
			memcpy(d->pend, p + i, n - i);
			d->npend = n - i;
			return ODL_OK;
		}
		if (len <= 0) {
			if (d->enc == ODL_ENC_UNKNOWN) {
				fall_back(d);
				return decode_cp1252(d, p + i, n - i, err);
			}
			rc = bad_bytes(d, p + i, 1, err);
			if (rc)
				return rc;
			i++;
			continue;
		}
		/* not reached: valid_utf8() took every valid sequence */
		if (d->nout > DECODE_CHUNK - 4 && (rc = flush(d, err)))
			return rc;
		memcpy(d->out + d->nout, p + i, (size_t)len);
		d->nout += (size_t)len;
		i += (size_t)len;
	}
	return ODL_OK;
}

static int decode_utf16(struct odl_decoder *d, const unsigned char *p, size_t n,
			struct odl_error *err, int final)
{
	int be = d->enc == ODL_ENC_UTF16BE;
	size_t i = 0;
	int rc;

	while (i + 2 <= n) {
		uint32_t u = be ? (uint32_t)(p[i] << 8 | p[i + 1]) : (uint32_t)(p[i + 1] << 8 | p[i]);
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (i + 4 > n) {
				if (!final)
					break;
				rc = bad_bytes(d, p + i, n - i, err);
				return rc;
			}
			uint32_t lo = be ? (uint32_t)(p[i + 2] << 8 | p[i + 3])
					 : (uint32_t)(p[i + 3] << 8 | p[i + 2]);
			if (lo < 0xDC00 || lo > 0xDFFF) {
				if ((rc = bad_bytes(d, p + i, 2, err)))
					return rc;
				i += 2;
				continue;
			}
			rc = put_cp(d, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), err);
			i += 4;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			rc = bad_bytes(d, p + i, 2, err);
			i += 2;
		} else if (u == 0) {
			nul_hit(d, p, i, d->in_base + i, p + i, n - i);
			return ODL_OK;
		} else {
			rc = put_cp(d, u, err);
			i += 2;
		}
		if (rc)
			return rc;
	}
	if (i < n) {
		if (final)
			return bad_bytes(d, p + i, n - i, err);
		memcpy(d->pend, p + i, n - i);
		d->npend = n - i;
	}
	return ODL_OK;
}

/* Remember the raw bytes consumed, for the context of a later NUL. */
static void keep_history(struct odl_decoder *d, const unsigned char *p, size_t n)
{
	if (n >= NUL_CONTEXT) {
		memcpy(d->hist, p + n - NUL_CONTEXT, NUL_CONTEXT);
		d->nhist = NUL_CONTEXT;
		return;
	}
	size_t keep = d->nhist + n > NUL_CONTEXT ? NUL_CONTEXT - n : d->nhist;
	memmove(d->hist, d->hist + d->nhist - keep, keep);
	memcpy(d->hist + keep, p, n);
	d->nhist = keep + n;
}

/* Bytes after the first NUL, kept until NUL_CONTEXT of them are there. */
static void nul_more(struct odl_decoder *d, const unsigned char *p, size_t n)
{
	size_t room = sizeof(d->nul_ctx) - d->nul_nctx;
	size_t k = n < room ? n : room;
	memcpy(d->nul_ctx + d->nul_nctx, p, k);
	d->nul_nctx += k;
}

/* The first NUL, at raw offset off; p holds it and what follows. */
static void nul_hit(struct odl_decoder *d, const unsigned char *before, size_t nbefore,
		    uint64_t off, const unsigned char *p, size_t n)
{
	d->nul = 1;
	d->nul_off = off;
	position(d, &d->nul_line, &d->nul_col);
	keep_history(d, before, nbefore);
	memcpy(d->nul_ctx, d->hist, d->nhist);
	d->nul_before = d->nul_nctx = d->nhist;
	nul_more(d, p, n);
}

/*
 * A NUL is never text.  Around it, NULs on one byte parity and none on the
 * other are the mark of UTF-16 read as 8-bit: say which one to ask for.
 */
static int nul_error(struct odl_decoder *d, struct odl_error *err)
{
	unsigned nul[2] = { 0, 0 }, tot[2] = { 0, 0 };
	uint64_t start = d->nul_off - d->nul_before;
	const char *what = "binary data, not a CSV file";

	for (size_t i = 0; i < d->nul_nctx; i++) {
		int par = (int)((start + i) & 1);
		tot[par]++;
		nul[par] += d->nul_ctx[i] == 0;
	}
	if (d->enc != ODL_ENC_UTF16LE && d->enc != ODL_ENC_UTF16BE) {
		for (int q = 0; q < 2; q++)
			if (tot[q] >= 4 && nul[q] * 4 >= tot[q] * 3 && nul[1 - q] * 4 <= tot[1 - q])
				/* ASCII in UTF-16LE has its zero high bytes at odd offsets */
				what = q ? "utf-16le text read as 8-bit? read it with -e utf-16le"
					 : "utf-16be text read as 8-bit? read it with -e utf-16be";
	}
	odl_error_clear(err); /* the reader names the file when none is set */
	odl_error_at(err, NULL, d->nul_line, 0, NULL);
	return odl_fail(err, ODL_EFORMAT, "NUL byte at byte offset %llu: %s",
			(unsigned long long)d->nul_off, what);
}

static int decode_any(struct odl_decoder *d, const unsigned char *p, size_t n,
		      struct odl_error *err, int final)
{
	switch (d->enc) {
	case ODL_ENC_UTF16LE:
	case ODL_ENC_UTF16BE:
		return decode_utf16(d, p, n, err, final);
	case ODL_ENC_WINDOWS1252:
		return decode_cp1252(d, p, n, err);
	case ODL_ENC_UTF8:
	case ODL_ENC_UNKNOWN:
		break;
	}
	return decode_utf8(d, p, n, err, final);
}

/* Decode n raw bytes whose first is at raw offset d->in_base, stopping at
 * the first NUL. */
static int decode(struct odl_decoder *d, const unsigned char *p, size_t n,
		  struct odl_error *err, int final)
{
	size_t k = n;
	int rc;

	if (d->enc != ODL_ENC_UTF16LE && d->enc != ODL_ENC_UTF16BE) {
		/* in 8-bit encodings and UTF-8 a zero byte is only ever U+0000 */
		const unsigned char *z = memchr(p, 0, n);
		if (z)
			k = (size_t)(z - p);
	}
	rc = decode_any(d, p, k, err, final || k < n);
	if (rc || d->nul)
		return rc;
	if (k < n) {
		nul_hit(d, p, k, d->in_base + k, p + k, n - k);
		return ODL_OK;
	}
	keep_history(d, p, n - d->npend);
	return ODL_OK;
}

/*
 * UTF-16 without a BOM: in text made of Latin characters every other byte
 * is zero (the high byte, second in little-endian order).  Three units in
 * four at least (and four at least) must show it, and no unit may have its
 * zero on the other side or be zero whole.
 */
static enum odl_encoding utf16_pattern(const unsigned char *p, size_t n)
{
	size_t pairs = n / 2, le = 0, be = 0, bad = 0;

	for (size_t i = 0; i + 1 < n; i += 2) {
		if (p[i] && !p[i + 1])
			le++;
		else if (!p[i] && p[i + 1])
			be++;
		else if (!p[i] && !p[i + 1])
			bad++;
	}
	if (bad)
		return ODL_ENC_UNKNOWN;
	if (le >= 4 && le * 4 >= pairs * 3 && !be)
		return ODL_ENC_UTF16LE;
	if (be >= 4 && be * 4 >= pairs * 3 && !le)
		return ODL_ENC_UTF16BE;
	return ODL_ENC_UNKNOWN;
}

/* Settle the BOM question on the first bytes; returns bytes consumed. */
static size_t sniff_bom(struct odl_decoder *d, const unsigned char *p, size_t n)
{
	size_t skip = 0;

	d->started = 1;
	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		d->bom = 1;
		skip = 3;
		/* The encoding stays undecided: files exported with a UTF-8 BOM
		 * and a Windows-1252 body exist, and they fall back like any
		 * other invalid UTF-8. */
		if (!d->forced)
			snprintf(d->reason, sizeof(d->reason), "utf-8 byte order mark");
	} else if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
		int le = p[0] == 0xFF;
		if (!d->forced || d->enc == (le ? ODL_ENC_UTF16LE : ODL_ENC_UTF16BE)) {
			d->bom = 1;
			skip = 2;
		}
		if (!d->forced) {
			d->enc = le ? ODL_ENC_UTF16LE : ODL_ENC_UTF16BE;
			snprintf(d->reason, sizeof(d->reason), "%s byte order mark",
				 odl_encoding_name(d->enc));
		}
	} else if (!d->forced) {
		enum odl_encoding e = utf16_pattern(p, n);
		if (e != ODL_ENC_UNKNOWN) {
			d->enc = e;
			snprintf(d->reason, sizeof(d->reason),
				 "%s without byte order mark (a zero byte in every other place)",
				 odl_encoding_name(e));
		}
	}
	/* A UTF-8 BOM under a forced UTF-8 is dropped too. */
	if (d->forced && d->bom && d->enc != ODL_ENC_UTF8 && skip == 3) {
		d->bom = 0;
		skip = 0;
	}
	return skip;
}

/* Bytes after the encoding is known; base is the raw offset of p[0]. */
static int feed_body(struct odl_decoder *d, const unsigned char *p, size_t n, uint64_t base,
		     struct odl_error *err)
{
	int rc;

	if (d->nul) {
		nul_more(d, p, n);
		return ODL_OK;
	}
	/* Complete a sequence cut by the previous chunk a few bytes at a time;
	 * each round consumes new bytes, so this ends. */
	while (d->npend && n && !d->nul) {
		unsigned char tmp[8];
		size_t k = d->npend, take = n < 4 ? n : 4;
		memcpy(tmp, d->pend, k);
		memcpy(tmp + k, p, take);
		d->npend = 0;
		d->in_base = base - k;
		if ((rc = decode(d, tmp, k + take, err, 0)))
			return rc;
		if (d->nul) {
			/* the context goes on with the bytes after tmp */
			nul_more(d, p + take, n - take);
			return ODL_OK;
		}
		p += take;
		n -= take;
		base += take;
	}
	d->in_base = base;
	if (n && !d->nul && (rc = decode(d, p, n, err, 0)))
		return rc;
	return ODL_OK;
}

int odl_decoder_feed(struct odl_decoder *d, const unsigned char *p, size_t n,
		     struct odl_error *err)
{
	uint64_t base = d->fed;
	int rc;

	d->fed += n;
	if (!d->started) {
		/* the first bytes decide the encoding: a BOM or the UTF-16
		 * pattern (a forced encoding only needs the BOM's three) */
		size_t want = d->forced ? 3 : HEAD_BYTES;
		size_t k = want - d->nhead < n ? want - d->nhead : n;
		memcpy(d->head + d->nhead, p, k);
		d->nhead += k;
		p += k;
		n -= k;
		base += k;
		if (d->nhead < want)
			return ODL_OK;
		size_t skip = sniff_bom(d, d->head, d->nhead);
		if ((rc = feed_body(d, d->head + skip, d->nhead - skip, skip, err)))
			return rc;
	}
	if (n && (rc = feed_body(d, p, n, base, err)))
		return rc;
	/* hand over what this call decoded, so records reach the caller as
	 * soon as their bytes are fed (a pipe may trickle); the text before a
	 * NUL goes first, so that its own problems come first however the
	 * input is cut */
	if ((rc = flush(d, err)))
		return rc;
	if (d->nul && d->nul_nctx == sizeof(d->nul_ctx))
		return nul_error(d, err);
	return ODL_OK;
}

int odl_decoder_finish(struct odl_decoder *d, struct odl_error *err)
{
	int rc;

	if (!d->started) {
		size_t skip = sniff_bom(d, d->head, d->nhead);
		if ((rc = feed_body(d, d->head + skip, d->nhead - skip, skip, err)))
			return rc;
	}
	if (d->npend && !d->nul) {
		unsigned char tmp[4];
		size_t k = d->npend;
		memcpy(tmp, d->pend, k);
		d->npend = 0;
		d->in_base = d->fed - k;
		if ((rc = decode(d, tmp, k, err, 1)))
			return rc;
	}
	if (d->nul)
		return (rc = flush(d, err)) ? rc : nul_error(d, err);
	if (d->enc == ODL_ENC_UNKNOWN) {
		d->enc = ODL_ENC_UTF8;
		if (!d->bom)
			snprintf(d->reason, sizeof(d->reason), "valid utf-8 throughout");
	}
	return flush(d, err);
}
