/*
 * xlsx.c - xlsx workbooks read as records: workbook -> relationships ->
 * styles -> shared strings -> the sheet's rows, each part parsed by expat
 * while zip.c inflates it.
 *
 * expat is set up against hostile documents: no DOCTYPE at all (so neither
 * internal nor external entities), parameter entities never parsed, element
 * nesting bounded.  Every buffer has a ceiling: text per cell (max_cell),
 * cells per row (max_cells), bytes per row (max_record), the shared strings
 * table and the style tables (struct odl_xlsx_limits).
 */
#include "xlsx.h"
#include "error.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_ROWS 1048576u  /* Excel's sheet height */
#define MAX_COLS 16384u    /* Excel's sheet width (XFD) */
#define MAX_NUMFMTS 1024u  /* custom number formats in styles.xml */

void odl_xlsx_limits_init(struct odl_xlsx_limits *lim)
{
	odl_zip_limits_init(&lim->zip);
	lim->max_file = (uint64_t)1 << 30;
	lim->max_strings = 16u << 20;
	lim->max_string_bytes = 256u << 20;
	lim->max_depth = 64;
	lim->max_token = 16u << 20;
	lim->max_styles = 65536;
}

/* ---- cell text ---- */

size_t odl_xlsx_number(double v, char *buf, size_t cap)
{
	int n = 0;

	if (v == 0)
		return (size_t)snprintf(buf, cap, "0"); /* -0 too */
	if (v == floor(v) && fabs(v) < 1e17)
		return (size_t)snprintf(buf, cap, "%.0f", v);
	for (int p = 1; p <= 17; p++) {
		n = snprintf(buf, cap, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* the programs run with LC_NUMERIC "C"; a caller may not */
	for (char *s = buf; *s; s++)
		if (*s == ',')
			*s = '.';
	return n > 0 ? (size_t)n : 0;
}

int odl_xlsx_format_kind(unsigned id, const char *code)
{
	int d = 0, m = 0, y = 0, h = 0, s = 0;

	if (!code) {
		if (id >= 14 && id <= 17)
			return ODL_XLSX_DATE;
		if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
			return ODL_XLSX_TIME;
		if (id == 22)
			return ODL_XLSX_DATETIME;
		return ODL_XLSX_NUMBER;
	}
	for (const char *p = code; *p; p++) {
		switch (*p) {
		case '"':
			while (p[1] && p[1] != '"')
				p++;
			if (p[1])
				p++;
			break;
		case '[':
			while (p[1] && p[1] != ']')
				p++;
			if (p[1])
				p++;
			break;
		case '\\': case '_': case '*':
			if (p[1])
				p++;
			break;
		case 'd': case 'D': d = 1; break;
		case 'm': case 'M': m = 1; break;
		case 'y': case 'Y': y = 1; break;
		case 'h': case 'H': h = 1; break;
		case 's': case 'S': s = 1; break;
		default: break;
		}
	}
	int date = d || y || (m && !h && !s);
	int time = h || s;
	return (date ? ODL_XLSX_DATE : 0) | (time ? ODL_XLSX_TIME : 0);
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil(int64_t z, int *yy, unsigned *mm, unsigned *dd)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*dd = doy - (153 * mp + 2) / 5 + 1;
	*mm = mp < 10 ? mp + 3 : mp - 9;
	*yy = (int)(y + (*mm <= 2));
}

#define DAYS_1899_12_30 (-25569)
#define DAYS_1899_12_31 (-25568)
#define DAYS_1904_01_01 (-24107)

size_t odl_xlsx_serial(double v, int date1904, int kind, char *buf, size_t cap)
{
	if (!isfinite(v) || v < 0 || v >= 2958466.0)
		return 0;
	int64_t ms = llround(v * 86400000.0);
	int64_t days = ms / 86400000;
	int64_t rem = ms % 86400000;
	if (kind == ODL_XLSX_TIME && days > 0)
		kind = ODL_XLSX_DATETIME; /* elapsed times past a day keep their date */
	if (kind == ODL_XLSX_DATE && rem)
		kind = ODL_XLSX_DATETIME;
	char date[16], time[24];
	int yy;
	unsigned mm, dd;
	if (date1904)
		civil(DAYS_1904_01_01 + days, &yy, &mm, &dd);
	else if (days == 60) {
		/* Excel counts 1900 as a leap year: serial 60 is the day that
		 * never was, shown by Excel as 1900-02-29 */
		yy = 1900, mm = 2, dd = 29;
	} else
		civil((days < 60 ? DAYS_1899_12_31 : DAYS_1899_12_30) + days, &yy, &mm, &dd);
	snprintf(date, sizeof(date), "%04d-%02u-%02u", yy, mm, dd);
	unsigned hh = (unsigned)(rem / 3600000), mi = (unsigned)(rem / 60000 % 60),
		 ss = (unsigned)(rem / 1000 % 60), mss = (unsigned)(rem % 1000);
	if (mss)
		snprintf(time, sizeof(time), "%02u:%02u:%02u.%03u", hh, mi, ss, mss);
	else
		snprintf(time, sizeof(time), "%02u:%02u:%02u", hh, mi, ss);
	int n;
	if (kind == ODL_XLSX_DATE)
		n = snprintf(buf, cap, "%s", date);
	else if (kind == ODL_XLSX_TIME)
		n = snprintf(buf, cap, "%s", time);
	else
		n = snprintf(buf, cap, "%sT%s", date, time);
	return n > 0 ? (size_t)n : 0;
}

/* ---- the reader ---- */

enum part { P_WORKBOOK, P_RELS, P_STYLES, P_STRINGS, P_SHEET };

struct numfmt {
	unsigned id;
	int kind;
};

struct span {
	size_t off, len;
};

struct xr {
	const struct odl_csv_options *opt;
	struct odl_xlsx_limits lim;
	const char *file;
	struct odl_zip *z;
	odl_record_fn fn;
	void *ctx;
	struct odl_csv_info *info;
	struct odl_error *err;
	int code;                 /* first error met inside a handler */

	XML_Parser p;
	enum part part;
	const char *part_name;
	size_t depth;
	size_t quiet;             /* bytes fed since expat's last event */

	/* workbook */
	int date1904;
	int sheet_found;
	unsigned nsheets;
	char sheet[256];
	char rid[256];
	char sheets_seen[256];    /* names listed when --sheet is not found */
	char target[1024];

	/* styles */
	int in_numfmts, in_cellxfs;
	struct numfmt *fmts;
	size_t nfmts;
	unsigned char *xf_kind;
	size_t nxf, xf_cap;

	/* text of the element being read */
	char *tx;
	size_t txlen, txcap;
	int in_text;              /* inside <t> or <v> whose text counts */
	int in_phonetic;          /* inside <rPh>: ruby text, not the value */

	/* shared strings */
	char *ss;
	size_t ss_len, ss_cap;
	struct span *ss_idx;
	size_t nss, ss_idx_cap;
	int in_si;

	/* sheet */
	int in_sheetdata;
	uint64_t rownum;          /* current row, 1-based */
	uint64_t last_row;
	unsigned col;             /* current cell's column, 1-based */
	unsigned last_col;
	char ref[16];             /* current cell, "B12" */
	char ctype[12];
	int ckind;
	int in_cell, in_is;
	char *rbuf;
	size_t rlen, rcap;
	struct span *cells;
	struct odl_cell *views;
	size_t ncells, cells_cap;
	int header_seen;
	uint64_t records;
};

static const char *local_name(const char *n)
{
	const char *c = strrchr(n, ':');
	return c ? c + 1 : n;
}

static const char *attr(const char **at, const char *name)
{
	for (size_t i = 0; at[i]; i += 2)
		if (strcmp(local_name(at[i]), name) == 0)
			return at[i + 1];
	return NULL;
}

/* Where we are, for messages: "sheet 'S' cell B12", "sheet 'S' row 3",
 * or the part's name. */
static void where(const struct xr *x, char *buf, size_t cap)
{
	if (x->part == P_SHEET && x->in_cell)
		snprintf(buf, cap, "sheet '%.100s' cell %s", x->sheet, x->ref);
	else if (x->part == P_SHEET && x->rownum)
		snprintf(buf, cap, "sheet '%.100s' row %llu", x->sheet, (unsigned long long)x->rownum);
	else if (x->part == P_SHEET)
		snprintf(buf, cap, "sheet '%.100s'", x->sheet);
	else
		snprintf(buf, cap, "%s", x->part_name);
}

static void fail(struct xr *x, int code, const char *fmt, ...) ODL_PRINTF(3, 4);

static void fail(struct xr *x, int code, const char *fmt, ...)
{
	char msg[ODL_ERROR_TEXT - 160], place[160];
	va_list ap;

	if (x->code)
		return;
	x->code = code;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(x, place, sizeof(place));
	odl_error_at(x->err, x->file, 0, 0, NULL);
	odl_fail(x->err, code, "%s: %s", place, msg);
	if (x->p)
		XML_StopParser(x->p, XML_FALSE);
}

static int text_add(struct xr *x, const char *s, size_t n)
{
	if (x->txlen + n > x->opt->max_cell) {
		if (x->part == P_STRINGS)
			fail(x, ODL_ELIMIT, "shared string %zu is longer than %zu bytes", x->nss,
			     x->opt->max_cell);
		else
			fail(x, ODL_ELIMIT, "cell is longer than %zu bytes", x->opt->max_cell);
		return -1;
	}
	if (x->txlen + n + 1 > x->txcap) { /* + 1: room for a NUL, see cstr() */
		size_t cap = x->txcap ? x->txcap : 256;
		while (cap < x->txlen + n + 1)
			cap *= 2;
		char *b = realloc(x->tx, cap);
		if (!b) {
			fail(x, ODL_ENOMEM, "out of memory");
			return -1;
		}
		x->tx = b;
		x->txcap = cap;
	}
	memcpy(x->tx + x->txlen, s, n);
	x->txlen += n;
	return 0;
}

/* The text read so far as a C string (for strtod and strtoull). */
static const char *cstr(struct xr *x)
{
	if (!x->tx)
		return "";
	x->tx[x->txlen] = 0;
	return x->tx;
}

/* ---- workbook, relationships, styles ---- */

static void wb_start(struct xr *x, const char *n, const char **at)
{
	if (strcmp(n, "workbookPr") == 0) {
		const char *v = attr(at, "date1904");
		x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(n, "sheet") == 0) {
		const char *name = attr(at, "name"), *id = NULL;
		for (size_t i = 0; at[i]; i += 2)
			if (strchr(at[i], ':') && strcmp(local_name(at[i]), "id") == 0)
				id = at[i + 1];
		if (!name || !id)
			return;
		x->nsheets++;
		size_t k = strlen(x->sheets_seen);
		if (k + strlen(name) + 5 < sizeof(x->sheets_seen))
			snprintf(x->sheets_seen + k, sizeof(x->sheets_seen) - k, "%s'%s'",
				 k ? ", " : "", name);
		if (x->sheet_found)
			return;
		if (x->opt->sheet ? strcmp(x->opt->sheet, name) == 0 : 1) {
			x->sheet_found = 1;
			snprintf(x->sheet, sizeof(x->sheet), "%s", name);
			snprintf(x->rid, sizeof(x->rid), "%s", id);
		}
	}
}

static void rels_start(struct xr *x, const char *n, const char **at)
{
	if (strcmp(n, "Relationship") != 0 || x->target[0])
		return;
	const char *id = attr(at, "Id"), *t = attr(at, "Target");
	if (!id || !t || strcmp(id, x->rid) != 0)
		return;
	if (t[0] == '/')
		snprintf(x->target, sizeof(x->target), "%s", t + 1);
	else
		snprintf(x->target, sizeof(x->target), "xl/%s", t);
}

static void styles_start(struct xr *x, const char *n, const char **at)
{
	if (strcmp(n, "numFmts") == 0)
		x->in_numfmts = 1;
	else if (strcmp(n, "cellXfs") == 0)
		x->in_cellxfs = 1;
	else if (x->in_numfmts && strcmp(n, "numFmt") == 0) {
		const char *id = attr(at, "numFmtId"), *code = attr(at, "formatCode");
		if (!id || !code)
			return;
		/* each cell format looks its number format up in this list: its
		 * length bounds that work (Excel allows about 250) */
		if (x->nfmts >= MAX_NUMFMTS) {
			fail(x, ODL_ELIMIT, "more than %u number formats", MAX_NUMFMTS);
			return;
		}
		if (!x->fmts) {
			x->fmts = calloc(MAX_NUMFMTS, sizeof(*x->fmts));
			if (!x->fmts) {
				fail(x, ODL_ENOMEM, "out of memory");
				return;
			}
		}
		x->fmts[x->nfmts].id = (unsigned)strtoul(id, NULL, 10);
		x->fmts[x->nfmts].kind = odl_xlsx_format_kind(0, code);
		x->nfmts++;
	} else if (x->in_cellxfs && strcmp(n, "xf") == 0) {
		const char *id = attr(at, "numFmtId");
		unsigned fid = id ? (unsigned)strtoul(id, NULL, 10) : 0;
		int kind = -1;
		for (size_t i = 0; i < x->nfmts; i++)
			if (x->fmts[i].id == fid)
				kind = x->fmts[i].kind;
		if (kind < 0)
			kind = odl_xlsx_format_kind(fid, NULL);
		if (x->nxf >= x->lim.max_styles) {
			fail(x, ODL_ELIMIT, "more than %zu cell formats", x->lim.max_styles);
			return;
		}
		if (x->nxf == x->xf_cap) {
			size_t cap = x->xf_cap ? x->xf_cap * 2 : 64;
			unsigned char *b = realloc(x->xf_kind, cap);
			if (!b) {
				fail(x, ODL_ENOMEM, "out of memory");
				return;
			}
			x->xf_kind = b;
			x->xf_cap = cap;
		}
		x->xf_kind[x->nxf++] = (unsigned char)kind;
	}
}

static void styles_end(struct xr *x, const char *n)
{
	if (strcmp(n, "numFmts") == 0)
		x->in_numfmts = 0;
	else if (strcmp(n, "cellXfs") == 0)
		x->in_cellxfs = 0;
}

/* ---- shared strings ---- */

static void ss_start(struct xr *x, const char *n)
{
	if (strcmp(n, "si") == 0) {
		x->in_si = 1;
		x->txlen = 0;
	} else if (strcmp(n, "rPh") == 0) {
		x->in_phonetic = 1;
	} else if (x->in_si && !x->in_phonetic && strcmp(n, "t") == 0) {
		x->in_text = 1;
	}
}

static void ss_end(struct xr *x, const char *n)
{
	if (strcmp(n, "t") == 0) {
		x->in_text = 0;
	} else if (strcmp(n, "rPh") == 0) {
		x->in_phonetic = 0;
	} else if (strcmp(n, "si") == 0) {
		x->in_si = 0;
		if (x->nss >= x->lim.max_strings) {
			fail(x, ODL_ELIMIT, "more than %zu shared strings", x->lim.max_strings);
			return;
		}
		if (x->ss_len + x->txlen > x->lim.max_string_bytes) {
			fail(x, ODL_ELIMIT, "shared strings longer than %zu bytes in all",
			     x->lim.max_string_bytes);
			return;
		}
		if (x->nss == x->ss_idx_cap) {
			size_t cap = x->ss_idx_cap ? x->ss_idx_cap * 2 : 1024;
			struct span *b = realloc(x->ss_idx, cap * sizeof(*b));
			if (!b) {
				fail(x, ODL_ENOMEM, "out of memory");
				return;
			}
			x->ss_idx = b;
			x->ss_idx_cap = cap;
		}
		if (x->ss_len + x->txlen > x->ss_cap) {
			size_t cap = x->ss_cap ? x->ss_cap : 65536;
			while (cap < x->ss_len + x->txlen)
				cap *= 2;
			char *b = realloc(x->ss, cap);
			if (!b) {
				fail(x, ODL_ENOMEM, "out of memory");
				return;
			}
			x->ss = b;
			x->ss_cap = cap;
		}
		if (x->txlen)
			memcpy(x->ss + x->ss_len, x->tx, x->txlen);
		x->ss_idx[x->nss].off = x->ss_len;
		x->ss_idx[x->nss].len = x->txlen;
		x->ss_len += x->txlen;
		x->nss++;
		x->txlen = 0;
	}
}

/* ---- the sheet ---- */

static int cell_add(struct xr *x, const char *s, size_t n)
{
	if (x->ncells >= x->opt->max_cells) {
		fail(x, ODL_ELIMIT, "record has more than %zu cells", x->opt->max_cells);
		return -1;
	}
	if (n > x->opt->max_cell) {
		fail(x, ODL_ELIMIT, "cell is longer than %zu bytes", x->opt->max_cell);
		return -1;
	}
	if (x->rlen + n > x->opt->max_record) {
		fail(x, ODL_ELIMIT, "record is longer than %zu bytes", x->opt->max_record);
		return -1;
	}
	if (x->ncells == x->cells_cap) {
		size_t cap = x->cells_cap ? x->cells_cap * 2 : 64;
		struct span *sp = realloc(x->cells, cap * sizeof(*sp));
		if (sp)
			x->cells = sp;
		struct odl_cell *v = sp ? realloc(x->views, cap * sizeof(*v)) : NULL;
		if (!sp || !v) {
			fail(x, ODL_ENOMEM, "out of memory");
			return -1;
		}
		x->views = v;
		x->cells_cap = cap;
	}
	if (x->rlen + n > x->rcap) {
		size_t cap = x->rcap ? x->rcap : 4096;
		while (cap < x->rlen + n)
			cap *= 2;
		char *b = realloc(x->rbuf, cap);
		if (!b) {
			fail(x, ODL_ENOMEM, "out of memory");
			return -1;
		}
		x->rbuf = b;
		x->rcap = cap;
	}
	if (n)
		memcpy(x->rbuf + x->rlen, s, n);
	x->cells[x->ncells].off = x->rlen;
	x->cells[x->ncells].len = n;
	x->rlen += n;
	x->ncells++;
	return 0;
}

/* Deliver the row in the buffer; a row absent from the sheet (missing) has
 * no cells at all, as an empty line of a CSV file. */
static void deliver(struct xr *x, uint64_t line, int missing)
{
	struct odl_record rec;
	size_t used = 0;

	for (size_t i = 0; i < x->ncells; i++)
		if (x->cells[i].len)
			used = i + 1;
	/* trailing empty cells are absent cells; data rows keep the header's width */
	size_t n = used;
	if (x->header_seen && n < x->info->columns && !missing)
		n = (size_t)x->info->columns;
	while (x->ncells < n)
		if (cell_add(x, "", 0))
			return;
	for (size_t i = 0; i < n; i++) {
		x->views[i].ptr = x->rbuf ? x->rbuf + x->cells[i].off : "";
		x->views[i].len = x->cells[i].len;
	}
	memset(&rec, 0, sizeof(rec));
	rec.cells = x->views;
	rec.ncells = n;
	rec.line = line;
	rec.record = ++x->records;
	rec.is_blank = used == 0;
	x->ncells = 0;
	x->rlen = 0;
	if (!x->header_seen) {
		if (!used) {
			x->info->skipped_lines++;
			return;
		}
		x->header_seen = 1;
		x->info->columns = n;
		if (x->opt->header) {
			rec.is_header = 1;
			goto call;
		}
	}
	rec.row = ++x->info->rows;
	if (!used)
		x->info->blank_rows++;
	else if (n != x->info->columns)
		x->info->ragged_rows++;
call:
	if (x->fn(x->ctx, &rec) != 0)
		fail(x, ODL_ECANCELED, "stopped by the caller");
}

/* "B12" -> column 2; 0 when malformed. */
static unsigned ref_column(const char *r)
{
	unsigned col = 0;
	size_t k = 0;

	for (; r[k] >= 'A' && r[k] <= 'Z'; k++) {
		if (k == 3)
			return 0;
		col = col * 26 + (unsigned)(r[k] - 'A' + 1);
	}
	if (k == 0 || r[k] < '0' || r[k] > '9')
		return 0;
	return col;
}

static void column_name(unsigned col, char *buf)
{
	char t[4];
	int n = 0;

	while (col && n < 3) {
		t[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		buf[i] = t[n - 1 - i];
	buf[n] = 0;
}

static void row_start(struct xr *x, const char **at)
{
	const char *r = attr(at, "r");
	uint64_t num = x->last_row + 1;

	if (r) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(r, &end, 10);
		if (errno || *end || v == 0) {
			fail(x, ODL_EFORMAT, "bad row number '%.20s'", r);
			return;
		}
		num = v;
	}
	if (num <= x->last_row || num > MAX_ROWS) {
		x->rownum = num;
		fail(x, ODL_EFORMAT, "row out of order or past row %u", MAX_ROWS);
		return;
	}
	/* missing rows are empty rows */
	while (x->last_row + 1 < num && !x->code)
		deliver(x, ++x->last_row, 1);
	x->rownum = num;
	x->last_row = num;
	x->last_col = 0;
	x->ncells = 0;
	x->rlen = 0;
}

static void cell_start(struct xr *x, const char **at)
{
	const char *r = attr(at, "r"), *t = attr(at, "t"), *s = attr(at, "s");
	unsigned col = x->last_col + 1;

	x->in_cell = 1;
	if (r) {
		col = ref_column(r);
		snprintf(x->ref, sizeof(x->ref), "%.15s", r);
	}
	if (!r || !col) {
		if (!col)
			col = x->last_col + 1;
		column_name(col <= MAX_COLS ? col : MAX_COLS, x->ref);
		snprintf(x->ref + strlen(x->ref), sizeof(x->ref) - strlen(x->ref), "%llu",
			 (unsigned long long)x->rownum);
	}
	if (col <= x->last_col || col > MAX_COLS) {
		fail(x, ODL_EFORMAT, "cell out of order");
		return;
	}
	if (col > x->opt->max_cells) {
		fail(x, ODL_ELIMIT, "record has more than %zu cells", x->opt->max_cells);
		return;
	}
	while (x->ncells + 1 < col)
		if (cell_add(x, "", 0))
			return;
	x->last_col = col;
	snprintf(x->ctype, sizeof(x->ctype), "%s", t ? t : "n");
	x->ckind = ODL_XLSX_NUMBER;
	if (s) {
		unsigned long k = strtoul(s, NULL, 10);
		if (k < x->nxf)
			x->ckind = x->xf_kind[k];
	}
	x->txlen = 0;
}

static void cell_end(struct xr *x)
{
	char num[64];
	const char *out = x->tx ? x->tx : "";
	size_t n = x->txlen;

	if (strcmp(x->ctype, "s") == 0) {
		char *end;
		const char *t = cstr(x);
		errno = 0;
		unsigned long long k = strtoull(t, &end, 10);
		if (n == 0 || errno || *end || k >= x->nss) {
			fail(x, ODL_EFORMAT, "no shared string '%.20s'", t);
			return;
		}
		out = x->ss + x->ss_idx[k].off;
		n = x->ss_idx[k].len;
	} else if (strcmp(x->ctype, "b") == 0 && n == 1 && (out[0] == '0' || out[0] == '1')) {
		int v = out[0] == '1';
		const char *b = x->opt->bool_text ? x->opt->bool_text(x->opt->bool_ctx, x->last_col - 1, v)
						  : NULL;
		out = b ? b : v ? "true" : "false";
		n = strlen(out);
	} else if (strcmp(x->ctype, "n") == 0 && n) {
		char *end;
		double v = strtod(cstr(x), &end);
		if (*end == 0 && isfinite(v)) {
			size_t k = 0;
			if (x->ckind != ODL_XLSX_NUMBER)
				k = odl_xlsx_serial(v, x->date1904, x->ckind, num, sizeof(num));
			if (!k)
				k = odl_xlsx_number(v, num, sizeof(num));
			out = num;
			n = k;
		}
	}
	/* "str", "inlineStr", "e", "d": the text as written */
	cell_add(x, out, n);
	x->txlen = 0;
	x->in_cell = 0;
}

static void sheet_start(struct xr *x, const char *n, const char **at)
{
	if (strcmp(n, "sheetData") == 0) {
		x->in_sheetdata = 1;
		return;
	}
	if (!x->in_sheetdata)
		return;
	if (strcmp(n, "row") == 0)
		row_start(x, at);
	else if (strcmp(n, "c") == 0 && x->rownum)
		cell_start(x, at);
	else if (x->in_cell && strcmp(n, "v") == 0)
		x->in_text = 1;
	else if (x->in_cell && strcmp(n, "is") == 0)
		x->in_is = 1;
	else if (x->in_is && strcmp(n, "rPh") == 0)
		x->in_phonetic = 1;
	else if (x->in_is && !x->in_phonetic && strcmp(n, "t") == 0)
		x->in_text = 1;
}

static void sheet_end(struct xr *x, const char *n)
{
	if (strcmp(n, "sheetData") == 0) {
		x->in_sheetdata = 0;
	} else if (!x->in_sheetdata) {
		return;
	} else if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
		x->in_text = 0;
	} else if (strcmp(n, "rPh") == 0) {
		x->in_phonetic = 0;
	} else if (strcmp(n, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(n, "c") == 0 && x->in_cell) {
		cell_end(x);
	} else if (strcmp(n, "row") == 0 && x->rownum) {
		deliver(x, x->rownum, 0);
		x->rownum = 0;
	}
}

/* ---- expat plumbing ---- */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **at)
{
	struct xr *x = ud;
	const char *n = local_name(name);

	x->quiet = 0;
	if (x->code)
		return;
	if (++x->depth > x->lim.max_depth) {
		fail(x, ODL_ELIMIT, "XML nested deeper than %zu elements", x->lim.max_depth);
		return;
	}
	switch (x->part) {
	case P_WORKBOOK: wb_start(x, n, at); break;
	case P_RELS: rels_start(x, n, at); break;
	case P_STYLES: styles_start(x, n, at); break;
	case P_STRINGS: ss_start(x, n); break;
	case P_SHEET: sheet_start(x, n, at); break;
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct xr *x = ud;
	const char *n = local_name(name);

	x->quiet = 0;
	if (x->depth)
		x->depth--;
	if (x->code)
		return;
	switch (x->part) {
	case P_STYLES: styles_end(x, n); break;
	case P_STRINGS: ss_end(x, n); break;
	case P_SHEET: sheet_end(x, n); break;
	default: break;
	}
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xr *x = ud;

	x->quiet = 0;
	if (x->code || !x->in_text || x->in_phonetic || len <= 0)
		return;
	text_add(x, s, (size_t)len);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct xr *x = ud;

	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	fail(x, ODL_EFORMAT, "DOCTYPE declarations are refused (entities)");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *v, int vlen,
			      const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
			      const XML_Char *notation)
{
	struct xr *x = ud;

	(void)name, (void)pe, (void)v, (void)vlen, (void)base, (void)sysid, (void)pubid,
		(void)notation;
	fail(x, ODL_EFORMAT, "entity declarations are refused");
}

static int xml_in(void *ctx, const char *buf, size_t len, struct odl_error *err)
{
	struct xr *x = ctx;

	(void)err;
	if (x->code)
		return x->code;
	/* expat keeps an unfinished tag whole in memory, however long: a
	 * stream that gives no event for this long is refused */
	x->quiet += len;
	if (x->quiet > x->lim.max_token) {
		fail(x, ODL_ELIMIT, "XML tag longer than %zu bytes", x->lim.max_token);
		return x->code;
	}
	if (XML_Parse(x->p, buf, (int)len, 0) != XML_STATUS_OK) {
		if (!x->code)
			fail(x, ODL_EFORMAT, "malformed XML at line %lu: %s",
			     (unsigned long)XML_GetCurrentLineNumber(x->p),
			     XML_ErrorString(XML_GetErrorCode(x->p)));
		return x->code;
	}
	return ODL_OK;
}

static int parse_part(struct xr *x, enum part part, const char *entry, int required)
{
	long i = odl_zip_find_nocase(x->z, entry);
	int rc;

	x->part = part;
	x->part_name = entry;
	if (i < 0) {
		if (!required)
			return ODL_OK;
		odl_error_at(x->err, x->file, 0, 0, NULL);
		return odl_fail(x->err, ODL_EFORMAT, "no '%s' in the workbook", entry);
	}
	x->p = XML_ParserCreate(NULL);
	if (!x->p)
		return odl_fail(x->err, ODL_ENOMEM, "out of memory");
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	x->depth = 0;
	x->quiet = 0;
	x->in_text = x->in_phonetic = 0;
	rc = odl_zip_read(x->z, (size_t)i, xml_in, x, x->err);
	if (rc == ODL_OK && !x->code && XML_Parse(x->p, "", 0, 1) != XML_STATUS_OK && !x->code)
		fail(x, ODL_EFORMAT, "malformed XML at line %lu: %s",
		     (unsigned long)XML_GetCurrentLineNumber(x->p),
		     XML_ErrorString(XML_GetErrorCode(x->p)));
	XML_ParserFree(x->p);
	x->p = NULL;
	if (x->code)
		return x->code;
	if (rc && x->err && part == P_SHEET) {
		/* a container error while reading the sheet: say where it stopped */
		char place[160], msg[ODL_ERROR_TEXT];
		where(x, place, sizeof(place));
		snprintf(msg, sizeof(msg), "%s", x->err->message);
		snprintf(x->err->message, sizeof(x->err->message), "%s: %.300s", place, msg);
	}
	return rc;
}

/* The reader; the sheet read is named in sheet_out when given. */
static int read_workbook(int fd, const char *name, const struct odl_csv_options *opt,
			 const struct odl_xlsx_limits *lim, odl_record_fn fn, void *ctx,
			 struct odl_csv_info *info, char *sheet_out, size_t sheet_cap,
			 struct odl_error *err)
{
	struct xr x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.opt = opt;
	if (lim)
		x.lim = *lim;
	else
		odl_xlsx_limits_init(&x.lim);
	x.file = name;
	x.fn = fn;
	x.ctx = ctx;
	x.info = info;
	x.err = err;
	info->encoding = ODL_ENC_UTF8;
	info->encoding_reason = "xlsx workbook";
	info->delimiter = ',';
	info->delimiter_reason = "none, xlsx sheet";
	info->xlsx = 1;
	if ((rc = odl_zip_open(&x.z, fd, name, &x.lim.zip, err)))
		return rc;
	if (odl_zip_find_nocase(x.z, "xl/workbook.xml") < 0) {
		odl_zip_free(x.z);
		odl_error_at(err, name, 0, 0, NULL);
		return odl_fail(err, ODL_EFORMAT,
				"zip archive without xl/workbook.xml: not an xlsx workbook");
	}
	rc = parse_part(&x, P_WORKBOOK, "xl/workbook.xml", 1);
	info->date1904 = x.date1904;
	if (rc == ODL_OK && !x.sheet_found) {
		odl_error_at(err, name, 0, 0, NULL);
		rc = x.opt->sheet ? odl_fail(err, ODL_ENOTFOUND, "no sheet '%s' (sheets: %s)",
					     x.opt->sheet, x.sheets_seen[0] ? x.sheets_seen : "none")
				  : odl_fail(err, ODL_EFORMAT, "workbook without sheets");
	}
	if (rc == ODL_OK)
		rc = parse_part(&x, P_RELS, "xl/_rels/workbook.xml.rels", 1);
	if (rc == ODL_OK && !x.target[0]) {
		odl_error_at(err, name, 0, 0, NULL);
		rc = odl_fail(err, ODL_EFORMAT, "sheet '%s': no part for its relationship '%s'",
			      x.sheet, x.rid);
	}
	if (rc == ODL_OK)
		rc = parse_part(&x, P_STYLES, "xl/styles.xml", 0);
	if (rc == ODL_OK)
		rc = parse_part(&x, P_STRINGS, "xl/sharedStrings.xml", 0);
	if (rc == ODL_OK) {
		x.txlen = 0;
		if (sheet_out)
			snprintf(sheet_out, sheet_cap, "%s", x.sheet);
		rc = parse_part(&x, P_SHEET, x.target, 1);
	}
	info->lines = x.last_row;
	odl_zip_free(x.z);
	free(x.fmts);
	free(x.xf_kind);
	free(x.tx);
	free(x.ss);
	free(x.ss_idx);
	free(x.rbuf);
	free(x.cells);
	free(x.views);
	return rc;
}

int odl_xlsx_read_fd(int fd, const char *name, const struct odl_csv_options *opt,
		     const struct odl_xlsx_limits *lim, odl_record_fn fn, void *ctx,
		     struct odl_csv_info *info, struct odl_error *err)
{
	return read_workbook(fd, name, opt, lim, fn, ctx, info, NULL, 0, err);
}

/* ---- the front ---- */

struct odl_xlsx_front {
	const struct odl_csv_options *opt;
	const char *name;
	odl_record_fn fn;
	void *ctx;
	odl_bytes_fn text;
	void *text_ctx;
	unsigned char head[4];
	size_t nhead;
	int decided, xlsx;
	int fd;
	uint64_t spooled;
	struct odl_csv_info info;
	char sheet[256];
	char reason[300];
};

struct odl_xlsx_front *odl_xlsx_front_new(const struct odl_csv_options *opt, const char *name,
					  odl_record_fn fn, void *ctx,
					  odl_bytes_fn text, void *text_ctx)
{
	struct odl_xlsx_front *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->opt = opt;
	f->name = name;
	f->fn = fn;
	f->ctx = ctx;
	f->text = text;
	f->text_ctx = text_ctx;
	f->fd = -1;
	return f;
}

void odl_xlsx_front_free(struct odl_xlsx_front *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f);
}

static int named_xlsx(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n > 5 && strcasecmp(name + n - 5, ".xlsx") == 0;
}

static int spool(struct odl_xlsx_front *f, const void *buf, size_t len, struct odl_error *err)
{
	const char *p = buf;
	struct odl_xlsx_limits lim;

	odl_xlsx_limits_init(&lim);
	if (f->spooled + len > lim.max_file) {
		odl_error_at(err, f->name, 0, 0, NULL);
		return odl_fail(err, ODL_ELIMIT, "xlsx workbook larger than %llu bytes",
				(unsigned long long)lim.max_file);
	}
	while (len) {
		ssize_t k = write(f->fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			odl_error_at(err, f->name, 0, 0, NULL);
			if (err)
				err->sys_errno = e;
			return odl_fail(err, ODL_EIO, "cannot spool the workbook: %s", strerror(e));
		}
		p += k;
		len -= (size_t)k;
		f->spooled += (uint64_t)k;
	}
	return ODL_OK;
}

/* Decide from the bytes held: a workbook is spooled, text passed on. */
static int decide(struct odl_xlsx_front *f, struct odl_error *err)
{
	f->decided = 1;
	if (!odl_is_zip(f->head, f->nhead)) {
		if (named_xlsx(f->name)) {
			odl_error_at(err, f->name, 0, 0, NULL);
			return odl_fail(err, ODL_EFORMAT, "not an xlsx workbook (no zip signature)");
		}
		return f->nhead ? f->text(f->text_ctx, f->head, f->nhead, err) : ODL_OK;
	}
	f->xlsx = 1;
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/odl-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
	f->fd = mkstemp(path);
	if (f->fd >= 0)
		fcntl(f->fd, F_SETFD, FD_CLOEXEC);
	if (f->fd < 0) {
		int e = errno;
		odl_error_at(err, f->name, 0, 0, NULL);
		if (err)
			err->sys_errno = e;
		return odl_fail(err, ODL_EIO, "cannot create a temporary file: %s", strerror(e));
	}
	unlink(path);
	return spool(f, f->head, f->nhead, err);
}

int odl_xlsx_front_feed(struct odl_xlsx_front *f, const void *buf, size_t len,
			struct odl_error *err)
{
	const unsigned char *p = buf;
	int rc;

	if (!f->decided) {
		while (len && f->nhead < sizeof(f->head)) {
			f->head[f->nhead++] = *p++;
			len--;
		}
		if (f->nhead < sizeof(f->head))
			return ODL_OK;
		if ((rc = decide(f, err)))
			return rc;
	}
	if (!len)
		return ODL_OK;
	return f->xlsx ? spool(f, p, len, err) : f->text(f->text_ctx, p, len, err);
}

int odl_xlsx_front_finish(struct odl_xlsx_front *f, int *done, struct odl_error *err)
{
	int rc;

	*done = 0;
	if (!f->decided && (rc = decide(f, err)))
		return rc;
	if (!f->xlsx)
		return ODL_OK;
	*done = 1;
	f->info.bytes_in = f->spooled;
	rc = read_workbook(f->fd, f->name, f->opt, NULL, f->fn, f->ctx, &f->info, f->sheet,
			   sizeof(f->sheet), err);
	if (f->sheet[0]) {
		snprintf(f->reason, sizeof(f->reason), "xlsx workbook, sheet '%.256s'", f->sheet);
		f->info.encoding_reason = f->reason;
	}
	return rc;
}

const struct odl_csv_info *odl_xlsx_front_info(const struct odl_xlsx_front *f)
{
	return f && f->xlsx ? &f->info : NULL;
}
