/* hash_feed.c - a file's digest computed on a thread of its own (hash_feed.h). */
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
	int ending;
	pthread_mutex_t mu;
	pthread_cond_t cond;    /* any change of the above */
	pthread_t th;
};

static void *digest(void *arg)
{
	struct hash_feed *f = arg;

	pthread_mutex_lock(&f->mu);
	for (;;) {
		while (!f->nqueued && !f->ending)
			pthread_cond_wait(&f->cond, &f->mu);
		if (!f->nqueued)
			break;
		char *buf = f->queue[f->head].buf;
		size_t n = f->queue[f->head].n;
		pthread_mutex_unlock(&f->mu);
		if (n)
			odl_hash_update(f->h, buf, n);
		pthread_mutex_lock(&f->mu);
		f->head = (f->head + 1) % HASH_FEED_NBUF;
		f->nqueued--;
		f->free_b[f->nfree++] = buf;
		pthread_cond_broadcast(&f->cond);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
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
	if (pthread_create(&f->th, NULL, digest, f) != 0) {
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->cond);
		free(f->mem);
		free(f);
		return NULL;
	}
	return f;
}

char *hash_feed_buffer(struct hash_feed *f)
{
	pthread_mutex_lock(&f->mu);
	while (!f->nfree)
		pthread_cond_wait(&f->cond, &f->mu);
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
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->mu);
}

void hash_feed_end(struct hash_feed *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->mu);
	f->ending = 1;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->th, NULL);
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cond);
	free(f->mem);
	free(f);
}
