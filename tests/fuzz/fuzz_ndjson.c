/* fuzz_ndjson.c - libFuzzer harness for the NDJSON reader (lib/ndjson.c).
 *
 * The first byte picks the line ceiling and the chunk size; the rest is fed
 * whole and in chunks, and both reads must give the same objects on the same
 * lines and the same outcome.  Every object read is written back with
 * odl_ndjson_write() and read again: it must come back equal, on one line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/ndjson.h"

struct seen {
	uint64_t hash;
	size_t n;
	uint64_t last_line;
	int roundtrip; /* write each object back and read it again */
};

static int on_copy(void *ctx, json_t *obj, uint64_t line)
{
	json_t **out = ctx;
	if (*out || line != 1)
		abort(); /* one object written, one line read back */
	*out = json_incref(obj);
	return 0;
}

static void roundtrip(json_t *obj)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *back = NULL;
	struct odl_error err;

	if (!f)
		return;
	if (odl_ndjson_write(f, obj) != ODL_OK) {
		fclose(f);
		free(buf);
		return; /* out of memory only */
	}
	fclose(f);
	if (len == 0 || buf[len - 1] != '\n' || memchr(buf, '\n', len - 1))
		abort(); /* one line, ending with a newline */
	odl_ndjson *nd = odl_ndjson_new(len + 1, on_copy, &back);
	if (!nd)
		abort();
	if (odl_ndjson_feed(nd, buf, len, &err) != ODL_OK || odl_ndjson_finish(nd, &err) != ODL_OK)
		abort(); /* what odl writes, odl reads */
	odl_ndjson_free(nd);
	if (!back || !json_equal(obj, back))
		abort();
	json_decref(back);
	free(buf);
}

static int on_obj(void *ctx, json_t *obj, uint64_t line)
{
	struct seen *s = ctx;
	char *txt;

	if (!json_is_object(obj) || line <= s->last_line)
		abort(); /* objects only, lines increasing */
	s->last_line = line;
	txt = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (txt) {
		for (const char *p = txt; *p; p++)
			s->hash = (s->hash ^ (unsigned char)*p) * 1099511628211u;
		free(txt);
	}
	s->hash = (s->hash ^ line) * 1099511628211u;
	s->n++;
	if (s->roundtrip)
		roundtrip(obj);
	return 0;
}

static int read_all(const uint8_t *data, size_t size, size_t max_line, size_t chunk,
		    struct seen *s, struct odl_error *err)
{
	odl_ndjson *nd = odl_ndjson_new(max_line, on_obj, s);
	int rc = ODL_OK;

	if (!nd)
		return -1;
	for (size_t off = 0; off < size && rc == ODL_OK; off += chunk)
		rc = odl_ndjson_feed(nd, data + off, size - off < chunk ? size - off : chunk, err);
	if (rc == ODL_OK)
		rc = odl_ndjson_finish(nd, err);
	odl_ndjson_free(nd);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t max_lines[] = { 0, 16, 100, 4096 };
	static const size_t chunks[] = { 1, 2, 3, 7, 64, 4096 };
	struct seen whole = { 0, 0, 0, 1 }, parts = { 0, 0, 0, 0 };
	struct odl_error e1, e2;
	size_t max_line, chunk;
	int r1, r2;

	if (size < 1)
		return 0;
	max_line = max_lines[data[0] & 3];
	chunk = chunks[(data[0] >> 2) % 6];
	data++, size--;
	odl_error_clear(&e1);
	odl_error_clear(&e2);
	r1 = read_all(data, size, max_line, size ? size : 1, &whole, &e1);
	r2 = read_all(data, size, max_line, chunk, &parts, &e2);
	if (r1 == -1 || r2 == -1)
		return 0;
	/* the same outcome, the same objects, the same line in the error */
	if (r1 != r2 || whole.hash != parts.hash || whole.n != parts.n || e1.line != e2.line)
		abort();
	if (r1 != ODL_OK && (!e1.message[0] || e1.line == 0))
		abort(); /* an error names its line */
	return 0;
}
