/* gunzip.h - streaming gzip inflation with zlib (private). */
#ifndef ODL_GUNZIP_H
#define ODL_GUNZIP_H

#include "decode.h"

struct odl_gunzip;

/* Inflated bytes go to sink in chunks of at most 64 KiB. */
struct odl_gunzip *odl_gunzip_new(odl_sink_fn sink, void *ctx);
void odl_gunzip_free(struct odl_gunzip *gz);
int odl_gunzip_feed(struct odl_gunzip *gz, const unsigned char *p, size_t n,
		    struct odl_error *err);
/* ODL_EFORMAT when the stream ended inside a gzip member (truncated). */
int odl_gunzip_finish(struct odl_gunzip *gz, struct odl_error *err);

/* 1 when p starts with the gzip magic bytes. */
int odl_is_gzip(const unsigned char *p, size_t n);

#endif
