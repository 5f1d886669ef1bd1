/* gunzip.c - inflate gzip members as they arrive, concatenated members too. */
#include "gunzip.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

struct odl_gunzip {
	z_stream zs;
	int in_member;   /* inside a member whose end has not been seen */
	odl_sink_fn sink;
	void *ctx;
	unsigned char out[65536];
};

int odl_is_gzip(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

struct odl_gunzip *odl_gunzip_new(odl_sink_fn sink, void *ctx)
{
	struct odl_gunzip *gz = calloc(1, sizeof(*gz));

	if (!gz)
		return NULL;
	/* 16 + MAX_WBITS: gzip wrapper only, so a zlib or raw stream is an error */
	if (inflateInit2(&gz->zs, 16 + MAX_WBITS) != Z_OK) {
		free(gz);
		return NULL;
	}
	gz->sink = sink;
	gz->ctx = ctx;
	return gz;
}

void odl_gunzip_free(struct odl_gunzip *gz)
{
	if (!gz)
		return;
	inflateEnd(&gz->zs);
	free(gz);
}

int odl_gunzip_feed(struct odl_gunzip *gz, const unsigned char *p, size_t n,
		    struct odl_error *err)
{
	int rc;

	gz->zs.next_in = (unsigned char *)p;
	gz->zs.avail_in = (uInt)n;
	while (gz->zs.avail_in) {
		gz->in_member = 1;
		gz->zs.next_out = gz->out;
		gz->zs.avail_out = sizeof(gz->out);
		int zrc = inflate(&gz->zs, Z_NO_FLUSH);
		size_t got = sizeof(gz->out) - gz->zs.avail_out;
		/* what inflate produced before it met the damage goes on first, so
		 * that the first problem reported does not depend on how the
		 * input was cut */
		if (got && (rc = gz->sink(gz->ctx, (const char *)gz->out, got, err)))
			return rc;
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
			return odl_fail(err, ODL_EFORMAT, "corrupt gzip data: %s",
					gz->zs.msg ? gz->zs.msg : "inflate failed");
		if (zrc == Z_STREAM_END) {
			/* another member may follow (gzip files can be concatenated) */
			gz->in_member = 0;
			inflateReset(&gz->zs);
		} else if (zrc == Z_BUF_ERROR && !got) {
			break;
		}
	}
	return ODL_OK;
}

int odl_gunzip_finish(struct odl_gunzip *gz, struct odl_error *err)
{
	int rc;

	/* drain what inflate still holds */
	for (;;) {
		gz->zs.next_in = NULL;
		gz->zs.avail_in = 0;
		gz->zs.next_out = gz->out;
		gz->zs.avail_out = sizeof(gz->out);
		int zrc = inflate(&gz->zs, Z_FINISH);
		size_t got = sizeof(gz->out) - gz->zs.avail_out;
		if (got && (rc = gz->sink(gz->ctx, (const char *)gz->out, got, err)))
			return rc;
		if (zrc == Z_STREAM_END) {
			gz->in_member = 0;
			break;
		}
		if (!got)
			break;
	}
	if (gz->in_member)
		return odl_fail(err, ODL_EFORMAT, "truncated gzip data");
	return ODL_OK;
}
