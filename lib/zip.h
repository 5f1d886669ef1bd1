/*
 * zip.h - read entries of a zip archive through its central directory
 * (private; the container of xlsx workbooks).
 *
 * The archive is read with pread() on a descriptor the caller owns: the
 * central directory (bounded: entries and name lengths) is loaded once,
 * then an entry is inflated on demand (stored or raw deflate) and pushed to
 * a sink in chunks of at most 64 KiB.  An entry is refused before a byte is
 * inflated when its declared size passes max_size, or when it is larger
 * than 1 MiB and its declared compression ratio passes max_ratio; while
 * inflating, producing more than declared is an error too, so a lying
 * header buys nothing.  The CRC-32 is checked at the end of each entry.
 * Zip64 and encrypted archives are ODL_EUNSUPPORTED.
 */
#ifndef ODL_ZIP_H
#define ODL_ZIP_H

#include "decode.h"

#include <stdint.h>

struct odl_zip_limits {
	size_t max_entries;  /* entries in the central directory */
	size_t max_name;     /* bytes per entry name */
	uint64_t max_size;   /* uncompressed bytes per entry */
	uint64_t max_ratio;  /* uncompressed / compressed, for entries > 1 MiB */
};

struct odl_zip;

/* Defaults: 10,000 entries, 1,024-byte names, 4 GiB per entry, ratio 200. */
void odl_zip_limits_init(struct odl_zip_limits *lim);

/* 1 when p starts with a zip local file header signature (PK\3\4). */
int odl_is_zip(const unsigned char *p, size_t n);

/* Read the central directory of the archive on fd; name is for errors. */
int odl_zip_open(struct odl_zip **out, int fd, const char *name,
		 const struct odl_zip_limits *lim, struct odl_error *err);
void odl_zip_free(struct odl_zip *z);

/* Index of the entry called name (exact, case-sensitive), or -1. */
long odl_zip_find(const struct odl_zip *z, const char *name);
/* Same, ignoring ASCII case (producers differ on xl/sharedStrings.xml). */
long odl_zip_find_nocase(const struct odl_zip *z, const char *name);
size_t odl_zip_count(const struct odl_zip *z);
const char *odl_zip_name(const struct odl_zip *z, size_t i);

/* Inflate entry i into sink; a non-zero sink status stops and is returned. */
int odl_zip_read(struct odl_zip *z, size_t i, odl_sink_fn sink, void *ctx,
		 struct odl_error *err);

#endif
