/* hash_feed.c - a file's digest computed by whichever thread would wait (hash_feed.h). */
#include "hash_feed.h"

#include <pthread.h>
#include <stdlib.h>

struct hash_feed {
	odl_hash *h;
	char *mem;
	char *free_b[HASH_FEED_NBUF];
	size_t nfree;
	struct { char *buf; size_t n; } queue[HASH_FEED_NBUF]; /* pushed, not hashed */
	size_t head, nqueued;
	int hashing;            /* a thread is hashing queue[head] */
	pthread_mutex_t mu;
	pthread_cond_t cond;    /* a buffer hashed */
};

/* With the lock held and a buffer queued, no one hashing: hash the oldest
 * (without the lock, so that pushes go on), then free it. */
static void hash_oldest_locked(struct hash_feed *f)
{
	char *buf = f->queue[f->head].buf;
	size_t n = f->queue[f->head].n;

	f->hashing = 1;
	pthread_mutex_unlock(&f->mu);
	if (n)
		odl_hash_update(f->h, buf, n);
	pthread_mutex_lock(&f->mu);
	f->hashing = 0;
	f->head = (f->head + 1) % HASH_FEED_NBUF;
	f->nqueued--;
	f->free_b[f->nfree++] = buf;
	pthread_cond_broadcast(&f->cond);
}

/* With the lock held and a buffer queued: hash it here, or wait for the
 * thread hashing one to finish. */
static void hash_or_wait_locked(struct hash_feed *f)
{
	if (!f->hashing)
		hash_oldest_locked(f);
	else
		pthread_cond_wait(&f->cond, &f->mu);
}

struct hash_feed *hash_feed_new(odl_hash *h)
{
	struct hash_feed *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->h = h;
	f->mem = malloc(HASH_FEED_NBUF * HASH_FEED_BUF);
	if (!f->mem) {
		free(f);
		return NULL;
	}
	for (size_t i = 0; i < HASH_FEED_NBUF; i++)
		f->free_b[f->nfree++] = f->mem + i * HASH_FEED_BUF;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cond, NULL);
	return f;
}

char *hash_feed_buffer(struct hash_feed *f)
{
	pthread_mutex_lock(&f->mu);
	while (!f->nfree) /* every buffer waits to be hashed */
		hash_or_wait_locked(f);
	char *buf = f->free_b[--f->nfree];
	pthread_mutex_unlock(&f->mu);
	return buf;
}

void hash_feed_push(struct hash_feed *f, char *buf, size_t n)
{
	pthread_mutex_lock(&f->mu);
	f->queue[(f->head + f->nqueued) % HASH_FEED_NBUF].buf = buf;
	f->queue[(f->head + f->nqueued) % HASH_FEED_NBUF].n = n;
	f->nqueued++;
	pthread_mutex_unlock(&f->mu);
}

int hash_feed_help(void *arg)
{
	struct hash_feed *f = arg;
	int did = 0;

	pthread_mutex_lock(&f->mu);
	if (f->nqueued && !f->hashing) {
		hash_oldest_locked(f);
		did = 1;
	}
	pthread_mutex_unlock(&f->mu);
	return did;
}

void hash_feed_end(struct hash_feed *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	while (f->nqueued)
		hash_or_wait_locked(f);
	pthread_mutex_unlock(&f->mu);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cond);
	free(f->mem);
	free(f);
}
