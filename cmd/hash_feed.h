/*
 * hash_feed - a file's digest computed on a thread of its own.
 *
 * With --threads 2, one thread reads and parses and another validates; the
 * SHA-256 of the raw bytes would be a third of the reading thread's work.
 * A hash feed takes it away: the reading thread reads into one of a few
 * buffers, pushes it (the digest thread hashes it, in order) and goes on
 * parsing the same bytes; a buffer comes back for reading once hashed.
 * The digest is that of every byte pushed, as odl_hash_update would give.
 * The caller may read a pushed buffer until it asks for the next one.
 *
 *	struct hash_feed *f = hash_feed_new(h);    (NULL: hash inline)
 *	char *buf = hash_feed_buffer(f);           (HASH_FEED_BUF bytes)
 *	n = read(fd, buf, HASH_FEED_BUF);
 *	hash_feed_push(f, buf, n);                 (n may be 0: recycled)
 *	... parse buf[0..n) ...
 *	hash_feed_end(f);                          (all hashed, thread gone)
 *	odl_hash_final_hex(h, hex);
 *
 * Memory is HASH_FEED_NBUF buffers whatever the file's size.
 */
#ifndef ODL_CMD_HASH_FEED_H
#define ODL_CMD_HASH_FEED_H

#include <stddef.h>

#include "odl/hash.h"

#define HASH_FEED_BUF ((size_t)1 << 16)
#define HASH_FEED_NBUF 4

struct hash_feed;

struct hash_feed *hash_feed_new(odl_hash *h);
char *hash_feed_buffer(struct hash_feed *f);
void hash_feed_push(struct hash_feed *f, char *buf, size_t n);
void hash_feed_end(struct hash_feed *f);

#endif
