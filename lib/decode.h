/*
 * decode.h - bytes to UTF-8 (private).
 *
 * Decides the encoding (BOM, else UTF-8 validated as it streams with a
 * switch to Windows-1252 at the first invalid sequence, else as forced)
 * and hands UTF-8 text to a sink in chunks of at most DECODE_CHUNK bytes.
 */
#ifndef ODL_DECODE_H
#define ODL_DECODE_H

#include "odl/csv.h"

#define DECODE_CHUNK 65536

typedef int (*odl_sink_fn)(void *ctx, const char *buf, size_t len, struct odl_error *err);

struct odl_decoder;

struct odl_decoder *odl_decoder_new(enum odl_encoding forced, int replace,
				    odl_decode_fn on_issue, void *issue_ctx,
				    odl_sink_fn sink, void *sink_ctx);
void odl_decoder_free(struct odl_decoder *d);
int odl_decoder_feed(struct odl_decoder *d, const unsigned char *p, size_t n,
		     struct odl_error *err);
int odl_decoder_finish(struct odl_decoder *d, struct odl_error *err);

enum odl_encoding odl_decoder_encoding(const struct odl_decoder *d);
int odl_decoder_bom(const struct odl_decoder *d);
const char *odl_decoder_reason(const struct odl_decoder *d);
uint64_t odl_decoder_issues(const struct odl_decoder *d);
uint64_t odl_decoder_fallback_line(const struct odl_decoder *d);
uint64_t odl_decoder_bytes_out(const struct odl_decoder *d);

#endif
