/*
 * hash_feed - a file's digest computed by whichever thread would wait.
 *
 * With --threads 2, one thread reads and parses and the other validates;
 * the SHA-256 of the raw bytes is a third job, with no core of its own on
 * a machine of two.  A hash feed lets the two threads share it instead:
 * the reading thread reads into a buffer the feed gives and pushes it; any
 * thread with nothing else to do (the validating one waiting for records,
 * the reading one waiting for room) calls hash_feed_help to hash the
 * oldest pushed buffer; the reading thread hashes one itself when every
 * buffer is waiting to be hashed.  Buffers are hashed one at a time, in
 * the order pushed, so the digest is that of every byte pushed, as
 * odl_hash_update would give.  The caller may read a pushed buffer until it
 * asks for the next one.
 *
 *	struct hash_feed *f = hash_feed_new(h);     (NULL: hash inline)
 *	char *buf = hash_feed_buffer(f);            (HASH_FEED_BUF bytes)
 *	n = read(fd, buf, HASH_FEED_BUF);
 *	hash_feed_push(f, buf, n);                  (n may be 0)
 *	... parse buf[0..n), call hash_feed_help(f) from either thread ...
 *	hash_feed_end(f);                           (the rest hashed; freed)
 *	odl_hash_final_hex(h, hex);
 *
 * Memory is HASH_FEED_NBUF buffers whatever the file's size.
 */
#ifndef ODL_CMD_HASH_FEED_H
#define ODL_CMD_HASH_FEED_H

#include <stddef.h>

#include "odl/hash.h"

#define HASH_FEED_BUF ((size_t)1 << 16)
#define HASH_FEED_NBUF 8

struct hash_feed;

struct hash_feed *hash_feed_new(odl_hash *h);
char *hash_feed_buffer(struct hash_feed *f);
void hash_feed_push(struct hash_feed *f, char *buf, size_t n);
int hash_feed_help(void *f);
void hash_feed_end(struct hash_feed *f);

#endif
