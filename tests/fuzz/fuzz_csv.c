/* fuzz_csv.c - libFuzzer harness for the dataset reader.
 *
 * The first byte picks options (encoding, delimiter, replace mode, header,
 * chunk size); the rest is fed whole and in chunks, so both sniffing and
 * streaming paths and every decoder state see hostile input, and both
 * reads must give the same records. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odl/csv.h"

/* A hash of every record and its positions: any chunking must give the
 * same. */
static int touch(void *ctx, const struct odl_record *rec)
{
	uint64_t *h = ctx;
	*h = *h * 1099511628211u + rec->line * 31 + rec->record * 7 + rec->offset + rec->ncells;
	for (size_t i = 0; i < rec->ncells; i++) {
		for (size_t k = 0; k < rec->cells[i].len; k++)
			*h = (*h ^ (unsigned char)rec->cells[i].ptr[k]) * 1099511628211u;
		*h ^= 0xff;
	}
	return 0;
}

static int read_all(const struct odl_csv_options *opt, const uint8_t *data, size_t size,
		    size_t chunk, uint64_t *h)
{
	struct odl_error err;
	odl_csv *csv = odl_csv_new(opt, touch, h);
	if (!csv)
		return -1;
	int rc = 0;
	for (size_t off = 0; off < size && rc == 0; off += chunk)
		rc = odl_csv_feed(csv, data + off, size - off < chunk ? size - off : chunk, &err);
	if (rc == 0)
		rc = odl_csv_finish(csv, &err);
	(void)odl_csv_info(csv);
	odl_csv_free(csv);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum odl_encoding encs[] = { ODL_ENC_UNKNOWN, ODL_ENC_UTF8, ODL_ENC_UTF16LE,
						  ODL_ENC_UTF16BE, ODL_ENC_WINDOWS1252 };
	static const char delims[] = { 0, ',', ';', '\t' };
	struct odl_csv_options opt;

	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	data++;
	size--;
	odl_csv_options_init(&opt);
	opt.encoding = encs[sel % 5];
	opt.delimiter = delims[(sel >> 3) & 3];
	opt.replace_invalid = (sel >> 5) & 1;
	opt.header = (sel >> 6) & 1;
	opt.max_cell = 300;
	opt.max_cells = 40;
	opt.sniff_bytes = 128;
	opt.skip_initial_space = (int)(sel >> 1 & 1) - (int)(sel >> 2 & 1);
	size_t chunk = 1 + (sel >> 7) * 6;
	uint64_t whole = 0, parts = 0;
	int rc_whole = read_all(&opt, data, size, size ? size : 1, &whole);
	int rc_parts = read_all(&opt, data, size, chunk, &parts);
	if (rc_whole != rc_parts || (rc_whole == 0 && whole != parts))
		abort();
	return 0;
}
