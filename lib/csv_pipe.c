/*
 * csv_pipe.c - a reader on two threads: bytes to records on one, the
 * record callback on the caller's.
 *
 * The producer thread runs the caller's feeding function (reading, hashing,
 * and through odl_csv_feed gunzip, decoding and parsing); each record it
 * completes is copied, with the reader's counters as they stood at that
 * record, into a batch.  Full batches go through a ring of PIPE_BATCHES to
 * the calling thread, which hands the records to the callback in order, so
 * that what the callback sees (records, odl_csv_info()) is what one thread
 * would show it.  The ring is bounded: the producer waits when every batch
 * is in use, the caller's thread when none is ready; either first does the
 * caller's idle work when there is some (odl_csv_run_shared).  Workbook
 * cells may ask the callback's own state how to spell a boolean
 * (bool_text), so for a workbook the producer waits for each record to be
 * delivered before it reads the next.
 */
#include "odl/csv.h"
#include "csv_private.h"
#include "error.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PIPE_BATCHES 4
#define BATCH_BYTES (256u << 10)
#define BATCH_RECORDS 1024

struct prec {
	struct odl_record rec;  /* cells set at delivery */
	size_t first;           /* its first cell in the batch */
	struct odl_csv_info info;
};

/* Records' bytes and cells; cells point into bytes, which does not move
 * while the batch holds records (a record that does not fit goes to the
 * next batch), so the consumer uses them as they are. */
struct batch {
	char *bytes;
	size_t nbytes, capbytes;
	struct odl_cell *cells;
	size_t ncells, capcells;
	struct prec *recs;
	size_t nrecs, caprecs;
};

struct pipe {
	odl_csv *c;
	odl_record_fn fn;       /* the caller's callback */
	void *ctx;
	int (*produce)(void *ctx, struct odl_error *err);
	void *pctx;
	int (*idle)(void *ctx); /* work for a thread that would wait, or NULL */
	void *ictx;
	struct batch batches[PIPE_BATCHES];
	struct batch *free_b[PIPE_BATCHES], *full_b[PIPE_BATCHES];
	size_t nfree, full_head, nfull;
	struct batch *cur;      /* the batch the producer fills */
	int workbook;           /* known from the first record on */
	uint64_t pushed, delivered; /* records */
	int cancel;             /* the callback stopped: the producer stops */
	int done;               /* the producer returned */
	int oom;
	pthread_mutex_t mu;
	pthread_cond_t cond;    /* any change of the above */
	int rc;
	struct odl_error perr;
};

/* With the lock held, instead of waiting on cond: the caller's idle work
 * if it has some (then the condition is looked at again), else the wait. */
static void wait_or_help(struct pipe *p)
{
	if (p->idle) {
		pthread_mutex_unlock(&p->mu);
		int did = p->idle(p->ictx);
		pthread_mutex_lock(&p->mu);
		if (did)
			return;
	}
	pthread_cond_wait(&p->cond, &p->mu);
}

/* Producer side, with the lock held: hand cur over. */
static void push_locked(struct pipe *p)
{
	p->full_b[(p->full_head + p->nfull) % PIPE_BATCHES] = p->cur;
	p->nfull++;
	p->pushed += p->cur->nrecs;
	p->cur = NULL;
	pthread_cond_broadcast(&p->cond);
}

static size_t record_bytes(const struct odl_record *rec)
{
	size_t bytes = 0;

	if (rec->text) /* every cell in one piece of text: one copy for all */
		return rec->text_len;
	for (size_t i = 0; i < rec->ncells; i++)
		bytes += rec->cells[i].len;
	return bytes;
}

/* Copy rec into b, which has room for its bytes unless it is empty. */
static int append(struct batch *b, const struct odl_record *rec, size_t bytes,
		  const struct odl_csv_info *info)
{
	if (b->nbytes + bytes + 1 > b->capbytes) {
		/* an empty batch: no cell points into bytes yet */
		size_t cap = bytes + 1 > BATCH_BYTES ? bytes + 1 : BATCH_BYTES;
		char *q = realloc(b->bytes, cap);
		if (!q)
			return -1;
		b->bytes = q;
		b->capbytes = cap;
	}
	if ((b->nrecs + 1 > b->caprecs &&
	     odl_csv_grow((void **)&b->recs, &b->caprecs, b->nrecs + 1, sizeof(*b->recs))) ||
	    (b->ncells + rec->ncells >= b->capcells && /* one more: never NULL */
	     odl_csv_grow((void **)&b->cells, &b->capcells, b->ncells + rec->ncells + 1, sizeof(*b->cells))))
		return -1;
	struct prec *pr = &b->recs[b->nrecs++];
	pr->rec = *rec;
	pr->rec.text = NULL; /* set below when the copy is in one piece */
	pr->rec.text_len = 0;
	pr->first = b->ncells;
	pr->info = *info;
	char *to = b->bytes + b->nbytes;
	struct odl_cell *cell = b->cells + b->ncells;
	if (rec->text) {
		const char *base = rec->text;
		if (bytes)
			memcpy(to, base, bytes);
		for (size_t i = 0; i < rec->ncells; i++) {
			cell[i].ptr = to + (rec->cells[i].ptr - base);
			cell[i].len = rec->cells[i].len;
		}
		pr->rec.text = to;
		pr->rec.text_len = bytes;
	} else {
		for (size_t i = 0; i < rec->ncells; i++) {
			cell[i].ptr = to;
			cell[i].len = rec->cells[i].len;
			if (cell[i].len)
				memcpy(to, rec->cells[i].ptr, cell[i].len);
			to += cell[i].len;
		}
	}
	b->ncells += rec->ncells;
	b->nbytes += bytes;
	return 0;
}

/* The reader's callback, on the producer thread. */
static int pipe_record(void *ctx, const struct odl_record *rec)
{
	struct pipe *p = ctx;
	size_t bytes = record_bytes(rec);

	if (!p->pushed && !p->cur)
		p->workbook = odl_csv_is_workbook(p->c);
	if (p->cur && p->cur->nrecs && p->cur->nbytes + bytes + 1 > p->cur->capbytes) {
		pthread_mutex_lock(&p->mu); /* full: rec opens the next batch */
		push_locked(p);
		pthread_mutex_unlock(&p->mu);
	}
	if (!p->cur) {
		pthread_mutex_lock(&p->mu);
		while (!p->nfree && !p->cancel)
			wait_or_help(p);
		if (!p->cancel) {
			p->cur = p->free_b[--p->nfree];
			p->cur->nbytes = p->cur->ncells = p->cur->nrecs = 0;
		}
		int stop = p->cancel;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			return 1;
	}
	if (append(p->cur, rec, bytes, odl_csv_info_live(p->c))) {
		pthread_mutex_lock(&p->mu);
		p->oom = 1;
		pthread_mutex_unlock(&p->mu);
		return 1;
	}
	if (p->workbook || p->cur->nrecs >= BATCH_RECORDS || p->cur->nbytes >= BATCH_BYTES) {
		pthread_mutex_lock(&p->mu);
		push_locked(p);
		/* a workbook's next cells may depend on what this record does */
		while (p->workbook && p->delivered < p->pushed && !p->cancel)
			pthread_cond_wait(&p->cond, &p->mu);
		int stop = p->cancel;
		pthread_mutex_unlock(&p->mu);
		return stop;
	}
	return 0;
}

static void *producer(void *arg)
{
	struct pipe *p = arg;

	odl_error_clear(&p->perr);
	int rc = p->produce(p->pctx, &p->perr);
	pthread_mutex_lock(&p->mu);
	p->rc = rc;
	if (p->cur && p->cur->nrecs && !p->cancel)
		push_locked(p);
	else if (p->cur)
		p->free_b[p->nfree++] = p->cur;
	p->cur = NULL;
	p->done = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Calling thread: the next full batch, or NULL when the producer is done. */
static struct batch *pop(struct pipe *p)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&p->mu);
	while (!p->nfull && !p->done)
		wait_or_help(p);
	if (p->nfull) {
		b = p->full_b[p->full_head];
		p->full_head = (p->full_head + 1) % PIPE_BATCHES;
		p->nfull--;
	}
	pthread_mutex_unlock(&p->mu);
	return b;
}

int odl_csv_run_threaded(odl_csv *c, int (*produce)(void *ctx, struct odl_error *err), void *pctx,
			 struct odl_error *err)
{
	return odl_csv_run_shared(c, produce, pctx, NULL, NULL, err);
}

int odl_csv_run_shared(odl_csv *c, int (*produce)(void *ctx, struct odl_error *err), void *pctx,
		       int (*idle)(void *ctx), void *ictx, struct odl_error *err)
{
	struct pipe *p = calloc(1, sizeof(*p));
	pthread_t th;
	int stopped = 0, rc;
	uint64_t stop_line = 0;
	struct odl_csv_info stop_info;

	if (!p)
		return produce(pctx, err); /* no memory for two: one thread */
	p->c = c;
	p->produce = produce;
	p->pctx = pctx;
	p->idle = idle;
	p->ictx = ictx;
	for (size_t i = 0; i < PIPE_BATCHES; i++)
		p->free_b[p->nfree++] = &p->batches[i];
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cond, NULL);
	odl_csv_hook(c, pipe_record, p, &p->fn, &p->ctx);
	if (pthread_create(&th, NULL, producer, p) != 0) {
		odl_record_fn f;
		void *x;
		odl_csv_hook(c, p->fn, p->ctx, &f, &x);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cond);
		free(p);
		return produce(pctx, err);
	}
	struct batch *b;
	while ((b = pop(p))) {
		for (size_t i = 0; i < b->nrecs && !stopped; i++) {
			struct prec *pr = &b->recs[i];
			pr->rec.cells = b->cells + pr->first;
			odl_csv_set_view(c, &pr->info);
			if (p->fn(p->ctx, &pr->rec) != 0) {
				stopped = 1;
				stop_line = pr->rec.line;
				stop_info = pr->info;
			}
		}
		pthread_mutex_lock(&p->mu);
		p->delivered += b->nrecs;
		if (stopped)
			p->cancel = 1;
		p->free_b[p->nfree++] = b;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->mu);
	}
	pthread_join(th, NULL);
	odl_csv_set_view(c, NULL);
	{
		odl_record_fn f;
		void *x;
		odl_csv_hook(c, p->fn, p->ctx, &f, &x);
	}
	if (stopped || p->oom) {
		/* as one thread would: stopped at the record the callback
		 * refused, with the counters as they stood there */
		struct odl_error e;
		odl_error_clear(&e);
		odl_error_at(&e, odl_csv_name(c), stopped ? stop_line : 0, 0, NULL);
		rc = stopped ? odl_fail(&e, ODL_ECANCELED, "%s", "stopped by the caller")
			     : odl_fail(&e, ODL_ENOMEM, "%s", "out of memory");
		odl_csv_fail_with(c, &e, stopped ? &stop_info : NULL);
		if (err)
			*err = e;
	} else {
		rc = p->rc;
		if (err)
			*err = p->perr;
	}
	for (size_t i = 0; i < PIPE_BATCHES; i++) {
		free(p->batches[i].bytes);
		free(p->batches[i].cells);
		free(p->batches[i].recs);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cond);
	free(p);
	return rc;
}
