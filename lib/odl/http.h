/*
 * odl/http.h - downloads over libcurl: bounded, retried, verified, atomic.
 *
 * An odl_http engine runs a queue of requests with up to `parallel`
 * transfers at once (curl multi), at most `rate` request starts per second
 * (http and https only), retrying timeouts, 5xx, 429 and broken transfers
 * with exponential backoff and jitter (a Retry-After header wins).
 * Redirects are bounded and lead to http or https only, gzip and deflate
 * content encodings are decoded, and a body longer than max_size is cut off.
 *
 * The remote-URL rule: a URL read from remote data (an API answer, a
 * catalogue, a resource list, a manifest) is fetched over http or https
 * only.  file:// is accepted only for a request marked local_ok, a URL the
 * user typed; anything else completes as ODL_HTTP_UNSUPPORTED without a
 * byte read, whatever the case of the scheme.  libcurl itself is told the
 * same per request (CURLOPT_PROTOCOLS_STR, CURLOPT_REDIR_PROTOCOLS_STR).
 *
 * A request with a path streams its body into "<path>.part" while hashing
 * it (SHA-256, SHA-1, and the declared checksum's algorithm); on success the
 * part is fsynced and renamed to path, so path never holds a partial body.
 * A part left by an interrupted run or a broken transfer is resumed with a
 * range request; a checksum mismatch removes it.  A request without a path
 * keeps the body in memory (API calls).
 *
 *	struct odl_http_options o;
 *	odl_http_options_init(&o);
 *	o.parallel = 8;
 *	odl_http *h = odl_http_new(&o, &err);
 *	struct odl_http_request rq = { .url = "https://…/budget.csv", .path = "budget.csv" };
 *	odl_http_add(h, &rq, &err);
 *	odl_http_run(h, on_done, ctx, &err);   // on_done once per request
 *	odl_http_free(h);
 */
#ifndef ODL_HTTP_H
#define ODL_HTTP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "../odl.h"
#include "hash.h"

/* Why a transfer failed; odl_http_class_name() gives the manifest word. */
enum odl_http_class {
	ODL_HTTP_NONE = 0,     /* ""            success */
	ODL_HTTP_DNS,          /* "dns"         host name not resolved */
	ODL_HTTP_CONNECT,      /* "connect"     connection refused or failed */
	ODL_HTTP_TIMEOUT,      /* "timeout"     connect, total or low-speed timeout */
	ODL_HTTP_4XX,          /* "http-4xx"    client error status */
	ODL_HTTP_5XX,          /* "http-5xx"    server error status */
	ODL_HTTP_TOO_LARGE,    /* "too-large"   body over max_size */
	ODL_HTTP_CHECKSUM,     /* "checksum"    body does not match its checksum */
	ODL_HTTP_WRITE,        /* "write"       local file could not be written */
	ODL_HTTP_NETWORK,      /* "network"     transfer broken, truncated, bad encoding */
	ODL_HTTP_REDIRECT,     /* "redirect"    too many redirects */
	ODL_HTTP_UNSUPPORTED,  /* "unsupported" URL scheme refused (see the remote-URL rule) */
	ODL_HTTP_OFFLINE,      /* "offline"     not in the cache and --offline */
	ODL_HTTP_INTERRUPTED   /* "interrupted" in flight when *interrupt became non-zero */
};

struct odl_http_options {
	long connect_timeout_ms;  /* default 10000 */
	long timeout_ms;          /* whole transfer, default 300000; 0 = none */
	long low_speed_bytes;     /* abort below this many bytes/s ... */
	long low_speed_time_s;    /* ... for this long; defaults 1 and 30 */
	long max_redirects;       /* default 10 */
	uint64_t max_size;        /* body ceiling in bytes, default 1 GiB */
	int retries;              /* extra attempts, default 3 */
	long retry_delay_ms;      /* first backoff, default 1000, doubled each time */
	long retry_max_ms;        /* ceiling of one wait (and of Retry-After), default 60000 */
	double rate;              /* request starts per second, 0 = unlimited; default 10 */
	int parallel;             /* transfers at once, default 4 */
	const char *user_agent;   /* default "odl/<version>" */
	/* Called at most a few times per second while transfers run. */
	void (*progress)(void *ctx, uint64_t bytes_received, int active);
	void *progress_ctx;
	/* When not NULL, odl_http_run polls *interrupt (a signal handler's
	 * flag) a few times per second; once non-zero, every request begun and
	 * not finished completes as ODL_HTTP_INTERRUPTED, keeping its part for
	 * a later resume, and the run returns ODL_ECANCELED. */
	const volatile sig_atomic_t *interrupt;
};

ODL_API void odl_http_options_init(struct odl_http_options *o);

struct odl_http_request {
	const char *url;
	const char *path;          /* destination file; NULL keeps the body in memory */
	const char *etag;          /* sent as If-None-Match when not NULL */
	const char *last_modified; /* sent as If-Modified-Since when not NULL */
	const char *checksum_type; /* "sha1", "sha256", "md5"; NULL = none */
	const char *checksum;      /* expected hex digest */
	void *user;                /* handed back in the result */
	int local_ok;              /* 1: typed by the user, file:// accepted; 0: http and https only */
};

struct odl_http_result {
	int status;                /* ODL_OK, ODL_ENET, ODL_ELIMIT, ODL_ECHECKSUM, ODL_EIO, ODL_EUNSUPPORTED */
	enum odl_http_class klass; /* ODL_HTTP_NONE on success */
	char message[256];         /* lowercase, empty on success */
	long http_status;          /* last HTTP status, 0 for file: or no response */
	int not_modified;          /* 304: path was left as it was */
	int attempts;
	uint64_t bytes;            /* body length (whole file when resumed) */
	uint64_t resumed_from;     /* bytes kept from an earlier part, 0 if none */
	char sha256[ODL_HASH_HEX_MAX];
	char sha1[ODL_HASH_HEX_MAX];
	char content_type[128];
	char etag[256];
	char last_modified[64];
	const char *effective_url; /* after redirects; valid during the callback */
	const char *body;          /* memory requests: the body, NUL-terminated */
	size_t body_len;
	void *user;
};

typedef struct odl_http odl_http;

/* Called once per request, in completion order; the result is borrowed.
 * A non-zero return stops the run (ODL_ECANCELED). */
typedef int (*odl_http_done_fn)(void *ctx, const struct odl_http_result *res);

ODL_API odl_http *odl_http_new(const struct odl_http_options *o, struct odl_error *err);
ODL_API void odl_http_free(odl_http *h);
/* Queue a request (strings are copied).  A URL refused by the remote-URL
 * rule is still queued and completes as ODL_HTTP_UNSUPPORTED. */
ODL_API int odl_http_add(odl_http *h, const struct odl_http_request *rq, struct odl_error *err);
/* Run the queue until every request completed. */
ODL_API int odl_http_run(odl_http *h, odl_http_done_fn done, void *ctx, struct odl_error *err);
/* One request in memory, blocking, with retries; *res is filled and
 * res->body stays valid until the next call on h.  Returns res->status.
 * An answer in memory is an API answer: http and https only. */
ODL_API int odl_http_get(odl_http *h, const char *url, struct odl_http_result *res);

ODL_API const char *odl_http_class_name(enum odl_http_class c);
/* 1 when url starts with http://, https:// or file:// (any case). */
ODL_API int odl_http_scheme_ok(const char *url);
/* Why the remote-URL rule refuses url (a lowercase message for the
 * manifest), or NULL when it may be fetched: http:// and https:// always,
 * file:// only when local_ok; a URL holding a control character never. */
ODL_API const char *odl_http_url_refused(const char *url, int local_ok);

/*
 * A safe file name from untrusted text (a title, a URL's last segment):
 * no '/', '\\', control characters or leading dots, "." and ".." refused,
 * invalid UTF-8 replaced, at most max bytes (cut on a character boundary,
 * keeping a short extension).  Never empty: "_" at least.  out has max+1 bytes.
 */
ODL_API void odl_safe_name(const char *in, char *out, size_t max);

/*
 * The file name a URL gives: its last path segment (no query, fragment or
 * host), percent-decoded whole (a decoded NUL becomes '_'), then made safe
 * by odl_safe_name within max bytes, so a long encoded name keeps its
 * extension.  Empty when the path has no last segment.  out has max+1 bytes.
 */
ODL_API void odl_url_name(const char *url, char *out, size_t max);

#endif
