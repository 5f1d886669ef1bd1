/* test_xlsx.c - xlsx workbooks as records: cell text (numbers, dates,
 * strings, booleans), the layout of rows, and hostile containers and XML.
 * Workbooks are built here part by part in a small zip writer, so that each
 * case holds exactly the bytes it is about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "odl/csv.h"
#include "xlsx.h"

/* ---- a zip writer ---- */

struct zent {
	const char *name;
	const char *data;
	size_t len;           /* 0: strlen(data) */
	int deflate;
	uint32_t usize_lie;   /* declare this uncompressed size instead */
	uint32_t crc_xor;     /* spoil the CRC */
};

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void le16(struct buf *b, unsigned v)
{
	unsigned char c[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	put(b, c, 2);
}

static void le32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	put(b, c, 4);
}

static void zip_build(struct buf *z, const struct zent *e, size_t n)
{
	struct buf cd = { 0 };
	memset(z, 0, sizeof(*z));
	for (size_t i = 0; i < n; i++) {
		size_t len = e[i].len ? e[i].len : strlen(e[i].data);
		uint32_t crc = (uint32_t)crc32(0, (const Bytef *)e[i].data, (uInt)len) ^ e[i].crc_xor;
		unsigned char *comp = NULL;
		size_t clen = len;
		if (e[i].deflate) {
			z_stream zs;
			memset(&zs, 0, sizeof(zs));
			assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
			size_t cap = deflateBound(&zs, (uLong)len);
			comp = malloc(cap);
			zs.next_in = (Bytef *)e[i].data;
			zs.avail_in = (uInt)len;
			zs.next_out = comp;
			zs.avail_out = (uInt)cap;
			assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
			clen = cap - zs.avail_out;
			deflateEnd(&zs);
		}
		uint32_t usize = e[i].usize_lie ? e[i].usize_lie : (uint32_t)len;
		uint32_t off = (uint32_t)z->len;
		size_t nlen = strlen(e[i].name);
		le32(z, 0x04034b50); le16(z, 20); le16(z, 0); le16(z, e[i].deflate ? 8 : 0);
		le16(z, 0); le16(z, 0); le32(z, crc); le32(z, (uint32_t)clen); le32(z, usize);
		le16(z, (unsigned)nlen); le16(z, 0);
		put(z, e[i].name, nlen);
		put(z, e[i].deflate ? (const void *)comp : (const void *)e[i].data, clen);
		le32(&cd, 0x02014b50); le16(&cd, 20); le16(&cd, 20); le16(&cd, 0);
		le16(&cd, e[i].deflate ? 8 : 0); le16(&cd, 0); le16(&cd, 0); le32(&cd, crc);
		le32(&cd, (uint32_t)clen); le32(&cd, usize); le16(&cd, (unsigned)nlen);
		le16(&cd, 0); le16(&cd, 0); le16(&cd, 0); le16(&cd, 0); le32(&cd, 0); le32(&cd, off);
		put(&cd, e[i].name, nlen);
		free(comp);
	}
	uint32_t cdoff = (uint32_t)z->len;
	put(z, cd.p, cd.len);
	le32(z, 0x06054b50); le16(z, 0); le16(z, 0); le16(z, (unsigned)n); le16(z, (unsigned)n);
	le32(z, (uint32_t)cd.len); le32(z, cdoff); le16(z, 0);
	free(cd.p);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	   "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

static const char *WORKBOOK =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workbook " NS "><sheets>"
	"<sheet name=\"Feuil1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *WORKBOOK1904 =
	"<?xml version=\"1.0\"?><workbook " NS "><workbookPr date1904=\"1\"/><sheets>"
	"<sheet name=\"Feuil1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *RELS =
	"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"x\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
static const char *STYLES =
	"<?xml version=\"1.0\"?><styleSheet " NS "><numFmts count=\"2\">"
	"<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"#,##0.00&quot;days&quot;\"/></numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
	"<xf numFmtId=\"165\"/><xf numFmtId=\"21\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>";

static struct buf workbook(const char *wb, const char *sheet, const char *strings,
			   const char *styles, int deflate)
{
	struct zent e[6];
	size_t n = 0;
	struct buf z;

	e[n++] = (struct zent){ "[Content_Types].xml", "<Types/>", 0, deflate, 0, 0 };
	e[n++] = (struct zent){ "xl/workbook.xml", wb ? wb : WORKBOOK, 0, deflate, 0, 0 };
	e[n++] = (struct zent){ "xl/_rels/workbook.xml.rels", RELS, 0, deflate, 0, 0 };
	if (styles)
		e[n++] = (struct zent){ "xl/styles.xml", styles, 0, deflate, 0, 0 };
	if (strings)
		e[n++] = (struct zent){ "xl/sharedStrings.xml", strings, 0, deflate, 0, 0 };
	e[n++] = (struct zent){ "xl/worksheets/sheet1.xml", sheet, 0, deflate, 0, 0 };
	zip_build(&z, e, n);
	return z;
}

/* ---- reading ---- */

static int dump_record(void *ctx, const struct odl_record *rec)
{
	struct buf *d = ctx;
	char head[64];
	int n = snprintf(head, sizeof(head), "%llu:", (unsigned long long)rec->line);
	put(d, head, (size_t)n);
	for (size_t i = 0; i < rec->ncells; i++) {
		if (i)
			put(d, "|", 1);
		put(d, rec->cells[i].ptr, rec->cells[i].len);
	}
	put(d, rec->is_blank ? " (blank)\n" : "\n", rec->is_blank ? 9 : 1);
	return 0;
}

/* Read through the dataset reader in chunks of every given size; each read
 * must give the same records.  Returns the dump, sets rc and err. */
static char *read_xlsx(const struct buf *z, const struct odl_csv_options *o, int *rc,
		       struct odl_error *err)
{
	static const size_t chunks[] = { 1, 3, 4, 5, 7, 4096, 1 << 20 };
	char *first = NULL;

	for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
		struct odl_csv_options opt;
		struct buf d = { 0 };
		if (o)
			opt = *o;
		else
			odl_csv_options_init(&opt);
		opt.name = "f.xlsx";
		odl_csv *csv = odl_csv_new(&opt, dump_record, &d);
		assert_non_null(csv);
		odl_error_clear(err);
		int r = 0;
		for (size_t off = 0; off < z->len && r == 0; off += chunks[k])
			r = odl_csv_feed(csv, z->p + off,
					 z->len - off < chunks[k] ? z->len - off : chunks[k], err);
		if (r == 0)
			r = odl_csv_finish(csv, err);
		odl_csv_free(csv);
		put(&d, "", 0);
		if (!first) {
			first = (char *)d.p;
			*rc = r;
		} else {
			assert_int_equal(r, *rc);
			assert_string_equal((char *)d.p, first);
			free(d.p);
		}
	}
	return first;
}

/* Read with given limits straight from a file. */
static int read_limited(const struct buf *z, const struct odl_xlsx_limits *lim,
			struct odl_error *err)
{
	char path[] = "/tmp/test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, z->p, z->len), (ssize_t)z->len);
	struct odl_csv_options opt;
	struct odl_csv_info info;
	struct buf d = { 0 };
	odl_csv_options_init(&opt);
	memset(&info, 0, sizeof(info));
	odl_error_clear(err);
	int rc = odl_xlsx_read_fd(fd, "f.xlsx", &opt, lim, dump_record, &d, &info, err);
	close(fd);
	free(d.p);
	return rc;
}

#define SHEET(rows) "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet " NS "><sheetData>" \
	rows "</sheetData></worksheet>"

/* ---- cell text ---- */

static void numbers_shortest_round_trip(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *s; /* as /usr/bin/python3's repr, integers without ".0" */
	} cases[] = {
		{ 0.1, "0.1" }, { 0.30000000000000004, "0.30000000000000004" },
		{ 1.0 / 3, "0.3333333333333333" }, { 2.5, "2.5" }, { -21.85, "-21.85" },
		{ 1e-5, "1e-05" }, { 1e20, "1e+20" }, { 123456789, "123456789" },
		{ 200029999, "200029999" }, { 1e16, "10000000000000000" }, { -0.0, "0" },
		{ 0, "0" }, { DBL_MAX, "1.7976931348623157e+308" }, { 5e-324, "5e-324" },
		{ 6.081738, "6.081738" }, { 1234.5678, "1234.5678" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		odl_xlsx_number(cases[i].v, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].s);
	}
	/* any double reads back to itself */
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double v;
		memcpy(&v, &x, sizeof(v));
		if (!isfinite(v))
			continue;
		odl_xlsx_number(v, buf, sizeof(buf));
		assert_true(strtod(buf, NULL) == v || (v == 0 && strcmp(buf, "0") == 0));
		assert_null(strchr(buf, ','));
	}
}

static void serials_as_iso_dates(void **state)
{
	(void)state;
	char b[64];
#define SERIAL(v, d1904, kind, want) \
	do { \
		assert_true(odl_xlsx_serial(v, d1904, kind, b, sizeof(b)) > 0); \
		assert_string_equal(b, want); \
	} while (0)
	SERIAL(1, 0, ODL_XLSX_DATE, "1900-01-01");
	SERIAL(59, 0, ODL_XLSX_DATE, "1900-02-28");
	SERIAL(60, 0, ODL_XLSX_DATE, "1900-02-29"); /* Excel's phantom day */
	SERIAL(61, 0, ODL_XLSX_DATE, "1900-03-01");
	SERIAL(45292, 0, ODL_XLSX_DATE, "2024-01-01");
	SERIAL(45351, 0, ODL_XLSX_DATE, "2024-02-29");
	SERIAL(2958465, 0, ODL_XLSX_DATE, "9999-12-31");
	SERIAL(0.5, 0, ODL_XLSX_TIME, "12:00:00");
	SERIAL(0.4375, 0, ODL_XLSX_TIME, "10:30:00");
	SERIAL(10.0 / 86400 + 0.25, 0, ODL_XLSX_TIME, "06:00:10");
	SERIAL(0.5 + 0.123 / 86400, 0, ODL_XLSX_TIME, "12:00:00.123");
	SERIAL(45292.75, 0, ODL_XLSX_DATETIME, "2024-01-01T18:00:00");
	SERIAL(45292.75, 0, ODL_XLSX_DATE, "2024-01-01T18:00:00"); /* a time is kept */
	SERIAL(45292, 0, ODL_XLSX_DATETIME, "2024-01-01T00:00:00");
	SERIAL(1.5, 0, ODL_XLSX_TIME, "1900-01-01T12:00:00"); /* [h] past a day */
	SERIAL(0, 1, ODL_XLSX_DATE, "1904-01-01");
	SERIAL(43830, 1, ODL_XLSX_DATE, "2024-01-01");
	SERIAL(43830.5, 1, ODL_XLSX_DATETIME, "2024-01-01T12:00:00");
	/* outside the calendar: written as a number by the caller */
	assert_int_equal(odl_xlsx_serial(-1, 0, ODL_XLSX_DATE, b, sizeof(b)), 0);
	assert_int_equal(odl_xlsx_serial(2958466, 0, ODL_XLSX_DATE, b, sizeof(b)), 0);
	assert_int_equal(odl_xlsx_serial(NAN, 0, ODL_XLSX_DATE, b, sizeof(b)), 0);
}

static void number_formats(void **state)
{
	(void)state;
	assert_int_equal(odl_xlsx_format_kind(0, NULL), ODL_XLSX_NUMBER);
	assert_int_equal(odl_xlsx_format_kind(2, NULL), ODL_XLSX_NUMBER);
	assert_int_equal(odl_xlsx_format_kind(49, NULL), ODL_XLSX_NUMBER);
	for (unsigned id = 14; id <= 17; id++)
		assert_int_equal(odl_xlsx_format_kind(id, NULL), ODL_XLSX_DATE);
	for (unsigned id = 18; id <= 21; id++)
		assert_int_equal(odl_xlsx_format_kind(id, NULL), ODL_XLSX_TIME);
	assert_int_equal(odl_xlsx_format_kind(22, NULL), ODL_XLSX_DATETIME);
	for (unsigned id = 45; id <= 47; id++)
		assert_int_equal(odl_xlsx_format_kind(id, NULL), ODL_XLSX_TIME);
	assert_int_equal(odl_xlsx_format_kind(0, "yyyy-mm-dd"), ODL_XLSX_DATE);
	assert_int_equal(odl_xlsx_format_kind(0, "dd/mm/yyyy"), ODL_XLSX_DATE);
	assert_int_equal(odl_xlsx_format_kind(0, "[$-40C]d mmmm yyyy"), ODL_XLSX_DATE);
	assert_int_equal(odl_xlsx_format_kind(0, "mmm-yy"), ODL_XLSX_DATE);
	assert_int_equal(odl_xlsx_format_kind(0, "hh:mm"), ODL_XLSX_TIME);
	assert_int_equal(odl_xlsx_format_kind(0, "[h]:mm:ss"), ODL_XLSX_TIME);
	assert_int_equal(odl_xlsx_format_kind(0, "yyyy-mm-dd hh:mm:ss"), ODL_XLSX_DATETIME);
	assert_int_equal(odl_xlsx_format_kind(0, "General"), ODL_XLSX_NUMBER);
	assert_int_equal(odl_xlsx_format_kind(0, "0.00E+00"), ODL_XLSX_NUMBER);
	assert_int_equal(odl_xlsx_format_kind(0, "#,##0.00 \"days\""), ODL_XLSX_NUMBER);
	assert_int_equal(odl_xlsx_format_kind(0, "[Red]0.00;[Blue]-0.00"), ODL_XLSX_NUMBER);
	assert_int_equal(odl_xlsx_format_kind(0, "0\\d"), ODL_XLSX_NUMBER);
}

/* ---- workbooks ---- */

static void strings_booleans_gaps(void **state)
{
	(void)state;
	const char *strings =
		"<?xml version=\"1.0\"?><sst " NS " count=\"4\" uniqueCount=\"4\">"
		"<si><t>nom</t></si><si><t>Angoul\xc3\xaame</t></si>"
		"<si><r><t>Ab</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\"> c </t></r>"
		"<rPh sb=\"0\" eb=\"1\"><t>ruby</t></rPh></si>"
		"<si><t>a &amp; b &#233;</t></si></sst>";
	const char *sheet = SHEET(
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>valeur</t></is></c>"
		"<c r=\"C1\" t=\"inlineStr\"><is><t>ok</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>f</t></is></c></row>"
		"<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>21.85</v></c>"
		"<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"str\"><f>A1</f><v>nom</v></c></row>"
		"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c><c r=\"C3\" t=\"b\"><v>0</v></c></row>"
		"<row r=\"5\"><c r=\"B5\" t=\"e\"><v>#N/A</v></c><c r=\"D5\" t=\"s\"><v>3</v></c></row>"
		"<row r=\"6\"><c r=\"A6\" s=\"0\"/><c r=\"B6\"/></row>"
		"<row r=\"7\"><c r=\"A7\" t=\"inlineStr\"><is><r><t>x</t></r><r><t>y</t></r></is></c>"
		"<c r=\"E7\"><v>1</v></c></row>");
	struct buf z = workbook(NULL, sheet, strings, NULL, 1);
	struct odl_error err;
	int rc;
	char *got = read_xlsx(&z, NULL, &rc, &err);
	assert_int_equal(rc, ODL_OK);
	assert_string_equal(got,
			    "1:nom|valeur|ok|f\n"
			    "2:Angoul\xc3\xaame|21.85|true|nom\n"
			    "3:Ab c ||false|\n"
			    "4: (blank)\n"
			    "5:|#N/A||a & b \xc3\xa9\n"
			    "6:||| (blank)\n"
			    "7:xy||||1\n");
	free(got);
	free(z.p);
}

static void dates_by_style_and_1904(void **state)
{
	(void)state;
	const char *sheet = SHEET(
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c>"
		"<c r=\"B1\" t=\"inlineStr\"><is><t>b</t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t>c</t></is></c>"
		"<c r=\"D1\" t=\"inlineStr\"><is><t>d</t></is></c><c r=\"E1\" t=\"inlineStr\"><is><t>e</t></is></c>"
		"<c r=\"F1\" t=\"inlineStr\"><is><t>f</t></is></c></row>"
		"<row r=\"2\"><c r=\"A2\" s=\"1\"><v>60</v></c><c r=\"B2\" s=\"2\"><v>61</v></c>"
		"<c r=\"C2\" s=\"3\"><v>45292</v></c><c r=\"D2\" s=\"4\"><v>0.4375</v></c>"
		"<c r=\"E2\" s=\"5\"><v>45292.75</v></c><c r=\"F2\" s=\"99\"><v>45292</v></c></row>"
		"<row r=\"3\"><c r=\"A3\" s=\"1\"><v>45292</v></c><c r=\"B3\" s=\"1\"><v>-5</v></c>"
		"<c r=\"C3\" t=\"d\"><v>2024-01-01T00:00:00</v></c></row>");
	struct buf z = workbook(NULL, sheet, NULL, STYLES, 1);
	struct odl_error err;
	int rc;
	char *got = read_xlsx(&z, NULL, &rc, &err);
	assert_int_equal(rc, ODL_OK);
	/* s=3 is a number format whose "days" is quoted: a number; s=99 does
	 * not exist: General; a negative serial is no date */
	assert_string_equal(got,
			    "1:a|b|c|d|e|f\n"
			    "2:1900-02-29|1900-03-01|45292|10:30:00|2024-01-01T18:00:00|45292\n"
			    "3:2024-01-01|-5|2024-01-01T00:00:00|||\n");
	free(got);
	free(z.p);

	z = workbook(WORKBOOK1904, sheet, NULL, STYLES, 0);
	got = read_xlsx(&z, NULL, &rc, &err);
	assert_int_equal(rc, ODL_OK);
	assert_string_equal(got,
			    "1:a|b|c|d|e|f\n"
			    "2:1904-03-01|1904-03-02|45292|10:30:00|2028-01-02T18:00:00|45292\n"
			    "3:2028-01-02|-5|2024-01-01T00:00:00|||\n");
	free(got);
	free(z.p);
}

static void sheet_by_name(void **state)
{
	(void)state;
	const char *wb = "<?xml version=\"1.0\"?><workbook " NS "><sheets>"
			 "<sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId9\"/>"
			 "<sheet name=\"Donn\xc3\xa9" "es\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>";
	struct buf z = workbook(wb, SHEET("<row r=\"1\"><c r=\"A1\"><v>7</v></c></row>"), NULL, NULL, 1);
	struct odl_csv_options opt;
	struct odl_error err;
	int rc;
	odl_csv_options_init(&opt);
	opt.sheet = "Donn\xc3\xa9" "es";
	char *got = read_xlsx(&z, &opt, &rc, &err);
	assert_int_equal(rc, ODL_OK);
	assert_string_equal(got, "1:7\n");
	free(got);
	opt.sheet = "Feuil2";
	got = read_xlsx(&z, &opt, &rc, &err);
	assert_int_equal(rc, ODL_ENOTFOUND);
	assert_string_equal(err.message, "no sheet 'Feuil2' (sheets: 'Notes', 'Donn\xc3\xa9" "es')");
	free(got);
	/* the first sheet's relationship is missing */
	got = read_xlsx(&z, NULL, &rc, &err);
	assert_int_equal(rc, ODL_EFORMAT);
	assert_string_equal(err.message, "sheet 'Notes': no part for its relationship 'rId9'");
	free(got);
	free(z.p);
}

/* ---- hostile input ---- */

static void expect_error(const struct buf *z, const struct odl_csv_options *opt, int code,
			 const char *msg)
{
	struct odl_error err;
	int rc;
	char *got = read_xlsx(z, opt, &rc, &err);
	if (rc != code || !strstr(err.message, msg))
		fail_msg("wanted %d '%s', got %d '%s'", code, msg, rc, err.message);
	assert_string_equal(err.file, "f.xlsx");
	free(got);
}

static void zip_bomb_and_lies(void **state)
{
	(void)state;
	size_t n = 4u << 20;
	char *zeros = calloc(1, n + 1);
	memset(zeros, '0', n);
	/* 4 MiB of one byte deflate to ~4 KiB: a ratio over 200 is refused
	 * before a byte is inflated */
	struct zent e[] = {
		{ "xl/workbook.xml", WORKBOOK, 0, 1, 0, 0 },
		{ "xl/_rels/workbook.xml.rels", RELS, 0, 1, 0, 0 },
		{ "xl/worksheets/sheet1.xml", zeros, n, 1, 0, 0 },
	};
	struct buf z;
	zip_build(&z, e, 3);
	expect_error(&z, NULL, ODL_ELIMIT,
		     "zip entry 'xl/worksheets/sheet1.xml': compression ratio above 200 (zip bomb)");
	free(z.p);
	/* a header that declares less than the entry inflates to */
	e[2].len = 300000;
	e[2].usize_lie = 1000;
	zip_build(&z, e, 3);
	expect_error(&z, NULL, ODL_EFORMAT, "inflates past its declared size");
	free(z.p);
	/* a size ceiling */
	e[2].usize_lie = 0;
	zip_build(&z, e, 3);
	struct odl_xlsx_limits lim;
	struct odl_error err;
	odl_xlsx_limits_init(&lim);
	lim.zip.max_size = 100000;
	assert_int_equal(read_limited(&z, &lim, &err), ODL_ELIMIT);
	assert_string_equal(err.message, "sheet 'Feuil1': zip entry 'xl/worksheets/sheet1.xml': "
					 "larger than 100000 bytes uncompressed");
	free(z.p);
	/* a spoiled CRC */
	const char *sheet = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
	e[2] = (struct zent){ "xl/worksheets/sheet1.xml", sheet, 0, 1, 0, 0x5a };
	zip_build(&z, e, 3);
	expect_error(&z, NULL, ODL_ECHECKSUM, "sheet 'Feuil1': zip entry 'xl/worksheets/sheet1.xml': CRC-32 mismatch");
	free(z.p);
	free(zeros);
}

static void broken_containers(void **state)
{
	(void)state;
	const char *sheet = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
	struct buf z = workbook(NULL, sheet, NULL, NULL, 1);
	struct buf t = z;
	/* truncated: every cut is an error, never a crash */
	for (size_t cut = 4; cut < z.len; cut += 7) {
		t.len = cut;
		struct odl_error err;
		int rc;
		char *got = read_xlsx(&t, NULL, &rc, &err);
		assert_int_not_equal(rc, ODL_OK);
		free(got);
	}
	t.len = z.len / 2;
	expect_error(&t, NULL, ODL_EFORMAT, "truncated zip archive");
	/* central directory: a bad signature, an offset past the end */
	unsigned char *cd = z.p + z.len - 22;
	uint32_t cdoff = cd[16] | cd[17] << 8 | (uint32_t)cd[18] << 16 | (uint32_t)cd[19] << 24;
	z.p[cdoff] = 'X';
	expect_error(&z, NULL, ODL_EFORMAT, "bad zip central directory (signature)");
	z.p[cdoff] = 'P';
	cd[16] = 0xff, cd[17] = 0xff, cd[18] = 0xff, cd[19] = 0x7f;
	expect_error(&z, NULL, ODL_EFORMAT, "bad zip central directory (outside the archive)");
	free(z.p);
	/* a zip that is not a workbook */
	struct zent e[] = { { "hello.txt", "hello", 0, 0, 0, 0 } };
	zip_build(&z, e, 1);
	expect_error(&z, NULL, ODL_EFORMAT, "zip archive without xl/workbook.xml: not an xlsx workbook");
	free(z.p);
	/* too many entries, too long a name */
	z = workbook(NULL, sheet, NULL, NULL, 0);
	struct odl_xlsx_limits lim;
	struct odl_error err;
	odl_xlsx_limits_init(&lim);
	lim.zip.max_entries = 3;
	assert_int_equal(read_limited(&z, &lim, &err), ODL_ELIMIT);
	assert_string_equal(err.message, "zip archive has more than 3 entries");
	odl_xlsx_limits_init(&lim);
	lim.zip.max_name = 20;
	assert_int_equal(read_limited(&z, &lim, &err), ODL_ELIMIT);
	assert_string_equal(err.message, "zip entry name longer than 20 bytes");
	free(z.p);
}

static void hostile_xml(void **state)
{
	(void)state;
	struct buf z;
	/* entities: refused with the DOCTYPE that would declare them */
	const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
			     "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
			     "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>"
			     "</sheetData></worksheet>";
	z = workbook(NULL, laughs, NULL, NULL, 1);
	expect_error(&z, NULL, ODL_EFORMAT, "sheet 'Feuil1': DOCTYPE declarations are refused");
	free(z.p);
	const char *external = "<?xml version=\"1.0\"?><!DOCTYPE sst SYSTEM \"file:///etc/passwd\">"
			       "<sst><si><t>x</t></si></sst>";
	z = workbook(NULL, SHEET(""), external, NULL, 1);
	expect_error(&z, NULL, ODL_EFORMAT, "xl/sharedStrings.xml: DOCTYPE declarations are refused");
	free(z.p);
	/* nesting */
	struct buf deep = { 0 };
	put(&deep, "<worksheet><sheetData><row r=\"1\"><c r=\"A1\">", 43);
	for (int i = 0; i < 200; i++)
		put(&deep, "<x>", 3);
	z = workbook(NULL, (char *)deep.p, NULL, NULL, 1);
	expect_error(&z, NULL, ODL_ELIMIT, "sheet 'Feuil1' cell A1: XML nested deeper than 64 elements");
	free(z.p);
	free(deep.p);
	/* a tag without end: expat would buffer it whole */
	{
		size_t n = 3u << 20;
		char *big = malloc(n + 64);
		strcpy(big, "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" x=\"");
		size_t k = strlen(big);
		memset(big + k, 'a', n - k);
		big[n] = 0;
		struct zent e[] = {
			{ "xl/workbook.xml", WORKBOOK, 0, 0, 0, 0 },
			{ "xl/_rels/workbook.xml.rels", RELS, 0, 0, 0, 0 },
			{ "xl/worksheets/sheet1.xml", big, n, 0, 0, 0 },
		};
		zip_build(&z, e, 3);
		struct odl_xlsx_limits lim;
		struct odl_error err;
		odl_xlsx_limits_init(&lim);
		lim.max_token = 1u << 20;
		assert_int_equal(read_limited(&z, &lim, &err), ODL_ELIMIT);
		assert_string_equal(err.message, "sheet 'Feuil1' row 1: XML tag longer than 1048576 bytes");
		free(z.p);
		free(big);
	}
	/* not well-formed */
	z = workbook(NULL, "<worksheet><sheetData><row r=\"1\"><c r=\"B1\"><v>1</c>", NULL, NULL, 1);
	expect_error(&z, NULL, ODL_EFORMAT, "sheet 'Feuil1' cell B1: malformed XML at line 1: mismatched tag");
	free(z.p);
	/* rows and cells out of order, a shared string that is not there */
	z = workbook(NULL, SHEET("<row r=\"2\"/><row r=\"1\"/>"), NULL, NULL, 1);
	expect_error(&z, NULL, ODL_EFORMAT, "sheet 'Feuil1' row 1: row out of order");
	free(z.p);
	z = workbook(NULL, SHEET("<row r=\"1\"><c r=\"C1\"/><c r=\"B1\"/></row>"), NULL, NULL, 1);
	expect_error(&z, NULL, ODL_EFORMAT, "sheet 'Feuil1' cell B1: cell out of order");
	free(z.p);
	z = workbook(NULL, SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>"), NULL, NULL, 1);
	expect_error(&z, NULL, ODL_EFORMAT, "sheet 'Feuil1' cell A1: no shared string '3'");
	free(z.p);
}

static void ceilings(void **state)
{
	(void)state;
	struct odl_error err0;
	struct odl_csv_options opt;
	struct buf z;

	/* --max-cell, on a cell and on a shared string */
	odl_csv_options_init(&opt);
	opt.max_cell = 8;
	z = workbook(NULL, SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
				 "<row r=\"12\"><c r=\"B12\" t=\"inlineStr\"><is><t>123456789</t></is></c></row>"),
		     NULL, NULL, 1);
	expect_error(&z, &opt, ODL_ELIMIT, "sheet 'Feuil1' cell B12: cell is longer than 8 bytes");
	free(z.p);
	z = workbook(NULL, SHEET(""), "<sst><si><t>short</t></si><si><t>much too long</t></si></sst>", NULL, 1);
	expect_error(&z, &opt, ODL_ELIMIT, "xl/sharedStrings.xml: shared string 1 is longer than 8 bytes");
	free(z.p);
	/* a number exactly as long as the ceiling is read */
	opt.max_cell = 5;
	z = workbook(NULL, SHEET("<row r=\"1\"><c r=\"A1\"><v>12345</v></c><c r=\"B1\" t=\"s\"><v>0</v></c></row>"),
		     "<sst><si><t>abcde</t></si></sst>", NULL, 1);
	{
		int rc;
		char *got = read_xlsx(&z, &opt, &rc, &err0);
		assert_int_equal(rc, ODL_OK);
		assert_string_equal(got, "1:12345|abcde\n");
		free(got);
	}
	free(z.p);
	/* cells per row, past Excel's width */
	odl_csv_options_init(&opt);
	opt.max_cells = 4;
	z = workbook(NULL, SHEET("<row r=\"1\"><c r=\"E1\"><v>1</v></c></row>"), NULL, NULL, 1);
	expect_error(&z, &opt, ODL_ELIMIT, "sheet 'Feuil1' cell E1: record has more than 4 cells");
	free(z.p);
	z = workbook(NULL, SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"), NULL, NULL, 1);
	expect_error(&z, NULL, ODL_EFORMAT, "cell out of order");
	free(z.p);
	/* the shared strings table: count and bytes */
	struct buf sst = { 0 };
	put(&sst, "<sst>", 5);
	for (int i = 0; i < 50; i++)
		put(&sst, "<si><t>abcdefghij</t></si>", 26);
	put(&sst, "</sst>", 6);
	z = workbook(NULL, SHEET(""), (char *)sst.p, NULL, 1);
	struct odl_xlsx_limits lim;
	struct odl_error err;
	odl_xlsx_limits_init(&lim);
	lim.max_strings = 49;
	assert_int_equal(read_limited(&z, &lim, &err), ODL_ELIMIT);
	assert_string_equal(err.message, "xl/sharedStrings.xml: more than 49 shared strings");
	odl_xlsx_limits_init(&lim);
	lim.max_string_bytes = 100;
	assert_int_equal(read_limited(&z, &lim, &err), ODL_ELIMIT);
	assert_string_equal(err.message, "xl/sharedStrings.xml: shared strings longer than 100 bytes in all");
	odl_xlsx_limits_init(&lim);
	assert_int_equal(read_limited(&z, &lim, &err), ODL_OK);
	free(z.p);
	free(sst.p);
	/* cell formats */
	z = workbook(NULL, SHEET(""), NULL, STYLES, 1);
	lim.max_styles = 2;
	assert_int_equal(read_limited(&z, &lim, &err), ODL_ELIMIT);
	assert_string_equal(err.message, "xl/styles.xml: more than 2 cell formats");
	free(z.p);
}

static void named_xlsx_must_be_a_workbook(void **state)
{
	(void)state;
	struct odl_csv_options opt;
	struct odl_error err;
	odl_csv_options_init(&opt);
	opt.name = "budget.XLSX";
	odl_csv *csv = odl_csv_new(&opt, dump_record, NULL);
	assert_int_equal(odl_csv_feed(csv, "a,b\n1,2\n", 8, &err), ODL_EFORMAT);
	assert_string_equal(err.message, "not an xlsx workbook (no zip signature)");
	odl_csv_free(csv);
	/* a CSV whose first bytes look like "PK" but not a zip is still CSV */
	struct buf d = { 0 };
	opt.name = "pk.csv";
	csv = odl_csv_new(&opt, dump_record, &d);
	assert_int_equal(odl_csv_feed(csv, "PK_ID,b\n1,2\n", 12, &err), ODL_OK);
	assert_int_equal(odl_csv_finish(csv, &err), ODL_OK);
	assert_string_equal((char *)d.p, "1:PK_ID|b\n2:1|2\n");
	odl_csv_free(csv);
	free(d.p);
	/* shorter than a signature */
	d = (struct buf){ 0 };
	csv = odl_csv_new(&opt, dump_record, &d);
	assert_int_equal(odl_csv_feed(csv, "a", 1, &err), ODL_OK);
	assert_int_equal(odl_csv_finish(csv, &err), ODL_OK);
	assert_string_equal((char *)d.p, "1:a\n");
	odl_csv_free(csv);
	free(d.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_shortest_round_trip),
		cmocka_unit_test(serials_as_iso_dates),
		cmocka_unit_test(number_formats),
		cmocka_unit_test(strings_booleans_gaps),
		cmocka_unit_test(dates_by_style_and_1904),
		cmocka_unit_test(sheet_by_name),
		cmocka_unit_test(zip_bomb_and_lies),
		cmocka_unit_test(broken_containers),
		cmocka_unit_test(hostile_xml),
		cmocka_unit_test(ceilings),
		cmocka_unit_test(named_xlsx_must_be_a_workbook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
