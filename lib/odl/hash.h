/*
 * odl/hash.h - streaming message digests (MD5, SHA-1, SHA-256), computed by
 * OpenSSL's libcrypto.
 *
 * data.gouv.fr declares a checksum for many resources ({"type": "sha1",
 * "value": "..."}); odl-fetch hashes each body as it arrives, so verifying
 * costs no second pass over the file.
 *
 *	odl_hash *h = odl_hash_new(ODL_HASH_SHA256);
 *	odl_hash_update(h, buf, len);        // as many times as needed
 *	char hex[ODL_HASH_HEX_MAX];
 *	odl_hash_final_hex(h, hex);          // lowercase, NUL-terminated
 *	odl_hash_free(h);
 */
#ifndef ODL_HASH_H
#define ODL_HASH_H

#include <stddef.h>
#include "../odl.h"

enum odl_hash_alg {
	ODL_HASH_MD5 = 0,
	ODL_HASH_SHA1 = 1,
	ODL_HASH_SHA256 = 2
};

/* Room for the longest hex digest (SHA-256) and its NUL. */
#define ODL_HASH_HEX_MAX 65

typedef struct odl_hash odl_hash;

/* NULL when out of memory or alg is unknown. */
ODL_API odl_hash *odl_hash_new(enum odl_hash_alg alg);
ODL_API void odl_hash_free(odl_hash *h);
/* Start over with the same algorithm. */
ODL_API void odl_hash_reset(odl_hash *h);
ODL_API void odl_hash_update(odl_hash *h, const void *data, size_t len);
/* Write the digest as lowercase hex into hex (ODL_HASH_HEX_MAX bytes);
 * the hash must be reset before it is updated again: until then, and after
 * any failure inside the digest library, the digest written is "" (which
 * matches no checksum). */
ODL_API void odl_hash_final_hex(odl_hash *h, char hex[ODL_HASH_HEX_MAX]);
/* Digest length in bytes: 16, 20 or 32. */
ODL_API size_t odl_hash_size(enum odl_hash_alg alg);
/* "md5", "sha1", "sha256". */
ODL_API const char *odl_hash_name(enum odl_hash_alg alg);
/* Accepts "md5", "sha1", "sha-1", "sha256", "sha-256" in any case.
 * ODL_EUNSUPPORTED for other names (e.g. "sha512"). */
ODL_API int odl_hash_parse(const char *name, enum odl_hash_alg *alg);

#endif
