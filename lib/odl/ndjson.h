/*
 * odl/ndjson.h - newline-delimited JSON in and out (jansson values).
 *
 * The odl programs exchange manifests, reports and indicator rows as NDJSON:
 * one JSON object per line.  The reader is push-style like odl_csv: feed
 * bytes, receive one parsed object per line; blank lines are skipped; a
 * line longer than max_line bytes or that is not a JSON object is an error
 * naming the line.
 *
 *	static int on_obj(void *ctx, json_t *obj, uint64_t line) { ...; return 0; }
 *	odl_ndjson *nd = odl_ndjson_new(0, on_obj, ctx);
 *	rc = odl_ndjson_read_path(nd, "manifest.ndjson", &err);
 *	odl_ndjson_free(nd);
 */
#ifndef ODL_NDJSON_H
#define ODL_NDJSON_H

#include <stdio.h>
#include <jansson.h>
#include "../odl.h"

/* obj is borrowed: it is released after the callback (json_incref to keep). */
typedef int (*odl_ndjson_fn)(void *ctx, json_t *obj, uint64_t line);

typedef struct odl_ndjson odl_ndjson;

/* max_line 0 = 16 MiB. */
ODL_API odl_ndjson *odl_ndjson_new(size_t max_line, odl_ndjson_fn fn, void *ctx);
ODL_API void odl_ndjson_free(odl_ndjson *nd);
ODL_API int odl_ndjson_feed(odl_ndjson *nd, const void *buf, size_t len,
			    struct odl_error *err);
ODL_API int odl_ndjson_finish(odl_ndjson *nd, struct odl_error *err);
/*
 * Optional, for callers that read millions of lines of a known shape: line
 * sees each non-blank line (without its end of line and surrounding
 * blanks) before it is parsed, and returns 0 when it took the line
 * itself, -1 to have it parsed and given to the object callback as usual,
 * or 1 to stop the reader (ODL_ECANCELED, as the object callback's
 * non-zero).
 */
typedef int (*odl_ndjson_line_fn)(void *ctx, const char *s, size_t len, uint64_t line);
ODL_API void odl_ndjson_set_line_fn(odl_ndjson *nd, odl_ndjson_line_fn line);

/* Whole file ("-" = stdin); the name is used in errors. */
ODL_API int odl_ndjson_read_path(odl_ndjson *nd, const char *path,
				 struct odl_error *err);

/*
 * The JSON string literal of s[0..n) byte for byte as jansson's compact
 * dump writes it (UTF-8 kept; '"', '\\' and control characters escaped,
 * \b \f \n \r \t by name, others as \u00XX), without building a json_t:
 * for writers of millions of small objects.  Returns -1 before writing
 * anything when s is not valid UTF-8 (jansson refuses such a string), else
 * 0, or the first non-zero value put returned.
 */
typedef int (*odl_json_put_fn)(void *ctx, const char *p, size_t n);
ODL_API int odl_json_quote(odl_json_put_fn put, void *ctx, const char *s, size_t n);

/* Write obj compactly on one line, UTF-8, followed by '\n', in one write
 * for lines up to 1 MiB.  ODL_OK, ODL_EIO or ODL_ENOMEM. */
ODL_API int odl_ndjson_write(FILE *f, const json_t *obj);

#endif
