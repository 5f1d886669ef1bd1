/*
 * hash.c - MD5, SHA-1 and SHA-256, streaming, through OpenSSL's libcrypto.
 *
 * libcrypto is already on every machine that has libcurl's OpenSSL flavour,
 * and it picks the CPU's SHA and AVX2 code paths itself; keeping our own
 * implementations would only mean keeping them as fast and as correct.
 */
#include "odl/hash.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <strings.h>

struct odl_hash {
	enum odl_hash_alg alg;
	EVP_MD_CTX *ctx;
	int failed;  /* libcrypto refused a step: the digest is never valid */
};

static const EVP_MD *digest_of(enum odl_hash_alg alg)
{
	switch (alg) {
	case ODL_HASH_MD5: return EVP_md5();
	case ODL_HASH_SHA1: return EVP_sha1();
	case ODL_HASH_SHA256: return EVP_sha256();
	}
	return NULL;
}

odl_hash *odl_hash_new(enum odl_hash_alg alg)
{
	odl_hash *h;

	if (!digest_of(alg))
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->alg = alg;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx) {
		free(h);
		return NULL;
	}
	odl_hash_reset(h);
	if (h->failed) {
		odl_hash_free(h);
		return NULL;
	}
	return h;
}

void odl_hash_free(odl_hash *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void odl_hash_reset(odl_hash *h)
{
	h->failed = EVP_DigestInit_ex(h->ctx, digest_of(h->alg), NULL) != 1;
}

void odl_hash_update(odl_hash *h, const void *data, size_t len)
{
	if (!h->failed && len && EVP_DigestUpdate(h->ctx, data, len) != 1)
		h->failed = 1;
}

void odl_hash_final_hex(odl_hash *h, char hex[ODL_HASH_HEX_MAX])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	/* An empty digest matches no declared checksum, so a failure inside
	 * libcrypto can only ever make a check fail, never pass. */
	if (h->failed || EVP_DigestFinal_ex(h->ctx, md, &n) != 1)
		n = 0;
	h->failed = 1;  /* until reset */
	for (unsigned int i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = 0;
}

size_t odl_hash_size(enum odl_hash_alg alg)
{
	return alg == ODL_HASH_MD5 ? 16 : alg == ODL_HASH_SHA1 ? 20 : 32;
}

const char *odl_hash_name(enum odl_hash_alg alg)
{
	return alg == ODL_HASH_MD5 ? "md5" : alg == ODL_HASH_SHA1 ? "sha1" : "sha256";
}

int odl_hash_parse(const char *name, enum odl_hash_alg *alg)
{
	if (!name)
		return ODL_EINVAL;
	if (strcasecmp(name, "md5") == 0)
		*alg = ODL_HASH_MD5;
	else if (strcasecmp(name, "sha1") == 0 || strcasecmp(name, "sha-1") == 0)
		*alg = ODL_HASH_SHA1;
	else if (strcasecmp(name, "sha256") == 0 || strcasecmp(name, "sha-256") == 0)
		*alg = ODL_HASH_SHA256;
	else
		return ODL_EUNSUPPORTED;
	return ODL_OK;
}
