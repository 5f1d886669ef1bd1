/*
 * odl/sha256.h - SHA-256 (FIPS 180-4), streaming.
 *
 *	struct odl_sha256 h;
 *	char hex[65];
 *	odl_sha256_init(&h);
 *	odl_sha256_update(&h, buf, len);      // any number of times
 *	odl_sha256_hex(&h, hex);              // finishes; h must be re-initialised
 */
#ifndef ODL_SHA256_H
#define ODL_SHA256_H

#include "../odl.h"

struct odl_sha256 {
	uint32_t state[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
};

ODL_API void odl_sha256_init(struct odl_sha256 *h);
ODL_API void odl_sha256_update(struct odl_sha256 *h, const void *data, size_t len);
ODL_API void odl_sha256_final(struct odl_sha256 *h, unsigned char digest[32]);
/* Finish and write 64 lowercase hex digits and a NUL. */
ODL_API void odl_sha256_hex(struct odl_sha256 *h, char hex[65]);

#endif
