/* fuzz_schema.c - libFuzzer harness for schema loading and validation.
 *
 * Input: a schema (JSON text), then optionally a NUL byte and a CSV file.
 * The schema must load or be rejected with a message; when it loads, the
 * CSV is validated under the column matching mode the last byte picks, so
 * hostile schemas meet hostile data (patterns, formats, keys, checks). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odl/csv.h"
#include "odl/schema.h"
#include "odl/validate.h"

static int count(void *ctx, const struct odl_finding *f)
{
	size_t *n = ctx;
	*n += strlen(f->message) + strlen(f->code) + f->cell_len;
	return 0;
}

struct run {
	odl_validator *v;
	int prepass;
};

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct run *r = ctx;
	if (r->prepass)
		return odl_validator_prepass(r->v, rec) != ODL_OK;
	return odl_validator_record(r->v, rec, NULL) != ODL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t slen = nul ? (size_t)(nul - data) : size;
	struct odl_error err;
	odl_schema *s = NULL;

	if (odl_schema_load_text((const char *)data, slen, "fuzz.json", &s, &err) != ODL_OK) {
		if (!err.message[0])
			abort(); /* a rejection always says why */
		return 0;
	}
	if (nul) {
		const uint8_t *csv = nul + 1;
		size_t clen = size - slen - 1;
		struct odl_validate_options opt;
		struct odl_csv_options co;
		size_t n = 0;
		struct run r = { NULL, 0 };

		odl_validate_options_init(&opt);
		opt.fields_match = clen ? (enum odl_fields_match)(csv[clen - 1] % 7) : ODL_MATCH_DEFAULT;
		opt.max_keys = 1000;
		r.v = odl_validator_new(s, &opt, count, &n);
		odl_csv_options_init(&co);
		co.max_cell = 4096;
		for (int pass = odl_validator_needs_prepass(r.v) ? 0 : 1; r.v && pass < 2; pass++) {
			r.prepass = pass == 0;
			odl_csv *c = odl_csv_new(&co, on_record, &r);
			if (!c)
				break;
			if (odl_csv_feed(c, csv, clen, &err) == ODL_OK)
				odl_csv_finish(c, &err);
			odl_csv_free(c);
		}
		if (r.v)
			odl_validator_finish(r.v, NULL);
		odl_validator_free(r.v);
	}
	odl_schema_free(s);
	return 0;
}
