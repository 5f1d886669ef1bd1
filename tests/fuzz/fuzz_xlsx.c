/* fuzz_xlsx.c - libFuzzer harness for the xlsx reader.
 *
 * The first byte picks the shape of the input.  Even: the rest is the file
 * itself (the zip container meets hostile bytes).  Odd: the rest is split at
 * NUL bytes into the sheet, the shared strings, the styles and the workbook,
 * which are packed into a valid zip here, so that the XML handlers see
 * hostile documents behind a sound container.  Either way the reader must
 * return a status, never crash, and keep every record within its ceilings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "odl/csv.h"

#define MAX_CELL 300
#define MAX_CELLS 40

static int touch(void *ctx, const struct odl_record *rec)
{
	uint64_t *h = ctx;
	if (rec->ncells > MAX_CELLS)
		abort();
	for (size_t i = 0; i < rec->ncells; i++) {
		if (rec->cells[i].len > MAX_CELL)
			abort();
		for (size_t k = 0; k < rec->cells[i].len; k++)
			*h = (*h ^ (unsigned char)rec->cells[i].ptr[k]) * 1099511628211u;
	}
	return 0;
}

struct out {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2 + 64;
		o->p = realloc(o->p, o->cap);
		if (!o->p)
			abort();
	}
	if (n)
		memcpy(o->p + o->len, p, n);
	o->len += n;
}

static void le(struct out *o, uint32_t v, int n)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	put(o, c, (size_t)n);
}

/* A stored zip of the given parts. */
static void pack(struct out *z, const char *const *names, const uint8_t *const *data,
		 const size_t *len, int n)
{
	struct out cd = { 0 };
	for (int i = 0; i < n; i++) {
		uint32_t crc = (uint32_t)crc32(0, data[i], (uInt)len[i]), off = (uint32_t)z->len;
		size_t nl = strlen(names[i]);
		le(z, 0x04034b50, 4); le(z, 20, 2); le(z, 0, 2); le(z, 0, 2); le(z, 0, 4);
		le(z, crc, 4); le(z, (uint32_t)len[i], 4); le(z, (uint32_t)len[i], 4);
		le(z, (uint32_t)nl, 2); le(z, 0, 2);
		put(z, names[i], nl);
		put(z, data[i], len[i]);
		le(&cd, 0x02014b50, 4); le(&cd, 20, 2); le(&cd, 20, 2); le(&cd, 0, 2); le(&cd, 0, 2);
		le(&cd, 0, 4); le(&cd, crc, 4); le(&cd, (uint32_t)len[i], 4); le(&cd, (uint32_t)len[i], 4);
		le(&cd, (uint32_t)nl, 2); le(&cd, 0, 2); le(&cd, 0, 2); le(&cd, 0, 2); le(&cd, 0, 2);
		le(&cd, 0, 4); le(&cd, off, 4);
		put(&cd, names[i], nl);
	}
	uint32_t cdoff = (uint32_t)z->len;
	put(z, cd.p, cd.len);
	le(z, 0x06054b50, 4); le(z, 0, 4); le(z, (uint32_t)n, 2); le(z, (uint32_t)n, 2);
	le(z, (uint32_t)cd.len, 4); le(z, cdoff, 4); le(z, 0, 2);
	free(cd.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char WB[] = "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" "
				 "r:id=\"rId1\"/></sheets></workbook>";
	static const char RELS[] = "<Relationships><Relationship Id=\"rId1\" "
				   "Target=\"worksheets/sheet1.xml\"/></Relationships>";
	struct odl_csv_options opt;
	struct odl_error err;
	struct out z = { 0 };
	uint64_t h = 0;

	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	data++;
	size--;
	if (sel & 1) {
		const char *names[5] = { "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
					 "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels" };
		const uint8_t *part[5] = { 0 };
		size_t len[5] = { 0 };
		int n = 0;
		const uint8_t *p = data, *end = data + size;
		while (n < 4) {
			const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
			part[n] = p;
			len[n] = (size_t)((nul ? nul : end) - p);
			n++;
			if (!nul)
				break;
			p = nul + 1;
		}
		if (n < 4) {
			part[n] = (const uint8_t *)WB;
			len[n] = sizeof(WB) - 1;
			names[n] = "xl/workbook.xml";
			n++;
		}
		part[n] = (const uint8_t *)RELS;
		len[n] = sizeof(RELS) - 1;
		names[n] = "xl/_rels/workbook.xml.rels";
		n++;
		pack(&z, names, part, len, n);
	} else {
		put(&z, data, size);
	}
	odl_csv_options_init(&opt);
	opt.name = "fuzz.xlsx"; /* non-zip input is an error, not CSV */
	opt.max_cell = MAX_CELL;
	opt.max_cells = MAX_CELLS;
	opt.header = (sel >> 1) & 1;
	odl_csv *csv = odl_csv_new(&opt, touch, &h);
	if (!csv)
		abort();
	size_t chunk = 1 + (size_t)(sel >> 2) * 97;
	int rc = 0;
	for (size_t off = 0; off < z.len && rc == 0; off += chunk)
		rc = odl_csv_feed(csv, z.p + off, z.len - off < chunk ? z.len - off : chunk, &err);
	if (rc == 0)
		rc = odl_csv_finish(csv, &err);
	if (rc != 0 && !err.message[0])
		abort(); /* every failure says why */
	(void)odl_csv_info(csv);
	odl_csv_free(csv);
	free(z.p);
	return 0;
}
