/* http.c - the transfer engine: curl multi, retries, rate, atomic parts. */
#include "odl/http.h"
#include "error.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct xfer {
	struct xfer *next;
	char *url, *path, *part, *etag_in, *lm_in, *sum_type, *sum;
	void *user;
	CURL *easy;
	struct curl_slist *headers;
	int fd;
	uint64_t offset;        /* bytes already in the part when this attempt began */
	uint64_t written;       /* body bytes received in this attempt */
	odl_hash *h256, *h1, *hx;
	char *mem;
	size_t mem_len, mem_cap;
	int attempts;
	int too_large, write_errno, restart, busy;
	int local_ok;           /* typed by the user: file:// accepted */
	long retry_after_s;     /* -1 none */
	double not_before;
	char etag[256], lm[64], ctype[128];
	char location[256];     /* the last answer's Location, to name a refused redirect */
	char errbuf[CURL_ERROR_SIZE];
};

struct odl_http {
	struct odl_http_options o;
	char *ua;
	CURLM *multi;
	struct xfer *queue, *queue_tail; /* waiting to start */
	struct xfer *active;
	int nactive;
	double last_start;
	uint64_t received;
	double last_progress;
	unsigned rng;
	/* odl_http_get */
	char *get_body;
	struct odl_http_result get_res;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void odl_http_options_init(struct odl_http_options *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 10000;
	o->timeout_ms = 300000;
	o->low_speed_bytes = 1;
	o->low_speed_time_s = 30;
	o->max_redirects = 10;
	o->max_size = (uint64_t)1 << 30;
	o->retries = 3;
	o->retry_delay_ms = 1000;
	o->retry_max_ms = 60000;
	o->rate = 10;
	o->parallel = 4;
}

const char *odl_http_class_name(enum odl_http_class c)
{
	static const char *const names[] = {
		"", "dns", "connect", "timeout", "http-4xx", "http-5xx", "too-large",
		"checksum", "write", "network", "redirect", "unsupported", "offline", "interrupted"
	};
	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "network";
}

int odl_http_scheme_ok(const char *url)
{
	return url && (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0 ||
		       strncasecmp(url, "file://", 7) == 0);
}

static int is_file_url(const char *url)
{
	return strncasecmp(url, "file://", 7) == 0;
}

static int has_prefix(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

/*
 * The remote-URL rule, checked before libcurl sees the URL: a URL read from
 * remote data could otherwise name a local file ("file:///etc/shadow") or
 * any of the other schemes libcurl speaks (ftp, gopher, dict, scp...).
 */
const char *odl_http_url_refused(const char *url, int local_ok)
{
	if (!url || !*url)
		return "no url";
	/* a URL is printed in messages: no terminal escapes, no line breaks */
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "url with control characters refused";
	if (has_prefix(url, "http://") || has_prefix(url, "https://"))
		return NULL;
	if (local_ok)
		return is_file_url(url) ? NULL : "unsupported url scheme (http, https or file only)";
	if (has_prefix(url, "file:"))
		return "local file refused: a url read from remote data must be http or https";
	return "unsupported url scheme: a url read from remote data must be http or https";
}

odl_http *odl_http_new(const struct odl_http_options *o, struct odl_error *err)
{
	static int curl_ready;
	odl_http *h;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			odl_fail(err, ODL_ENET, "cannot initialise libcurl");
			return NULL;
		}
		curl_ready = 1;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		odl_fail(err, ODL_ENOMEM, "out of memory");
		return NULL;
	}
	if (o)
		h->o = *o;
	else
		odl_http_options_init(&h->o);
	if (h->o.parallel < 1)
		h->o.parallel = 1;
	if (h->o.retries < 0)
		h->o.retries = 0;
	h->ua = strdup(h->o.user_agent ? h->o.user_agent : "odl/" ODL_VERSION);
	h->multi = curl_multi_init();
	if (!h->ua || !h->multi) {
		odl_http_free(h);
		odl_fail(err, ODL_ENOMEM, "out of memory");
		return NULL;
	}
	h->o.user_agent = h->ua;
	h->rng = (unsigned)time(NULL) ^ (unsigned)getpid();
	h->last_start = -1e9;
	return h;
}

static void xfer_close_attempt(odl_http *h, struct xfer *x)
{
	if (x->easy) {
		curl_multi_remove_handle(h->multi, x->easy);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	curl_slist_free_all(x->headers);
	x->headers = NULL;
	if (x->fd >= 0) {
		close(x->fd);
		x->fd = -1;
	}
}

static void xfer_free(odl_http *h, struct xfer *x)
{
	if (!x)
		return;
	xfer_close_attempt(h, x);
	free(x->url);
	free(x->path);
	free(x->part);
	free(x->etag_in);
	free(x->lm_in);
	free(x->sum_type);
	free(x->sum);
	odl_hash_free(x->h256);
	odl_hash_free(x->h1);
	odl_hash_free(x->hx);
	free(x->mem);
	free(x);
}

void odl_http_free(odl_http *h)
{
	if (!h)
		return;
	for (struct xfer *x = h->queue, *n; x; x = n) {
		n = x->next;
		xfer_free(h, x);
	}
	for (struct xfer *x = h->active, *n; x; x = n) {
		n = x->next;
		xfer_free(h, x);
	}
	if (h->multi)
		curl_multi_cleanup(h->multi);
	free(h->get_body);
	free(h->ua);
	free(h);
}

static char *dup_or_null(const char *s, int *bad)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*bad = 1;
	return d;
}

static void enqueue(odl_http *h, struct xfer *x)
{
	x->next = NULL;
	if (h->queue_tail)
		h->queue_tail->next = x;
	else
		h->queue = x;
	h->queue_tail = x;
}

int odl_http_add(odl_http *h, const struct odl_http_request *rq, struct odl_error *err)
{
	struct xfer *x;
	int bad = 0;

	if (!rq || !rq->url)
		return odl_fail(err, ODL_EINVAL, "no url");
	x = calloc(1, sizeof(*x));
	if (!x)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	x->fd = -1;
	x->retry_after_s = -1;
	x->user = rq->user;
	x->local_ok = rq->local_ok != 0;
	x->url = dup_or_null(rq->url, &bad);
	x->path = dup_or_null(rq->path, &bad);
	x->etag_in = dup_or_null(rq->etag, &bad);
	x->lm_in = dup_or_null(rq->last_modified, &bad);
	x->sum_type = dup_or_null(rq->checksum_type, &bad);
	x->sum = dup_or_null(rq->checksum, &bad);
	if (x->path && !bad) {
		size_t n = strlen(x->path) + 6;
		if ((x->part = malloc(n)))
			snprintf(x->part, n, "%s.part", x->path);
		else
			bad = 1;
	}
	if (!bad && x->path) {
		x->h256 = odl_hash_new(ODL_HASH_SHA256);
		x->h1 = odl_hash_new(ODL_HASH_SHA1);
		if (!x->h256 || !x->h1)
			bad = 1;
		enum odl_hash_alg alg;
		if (x->sum_type && x->sum && odl_hash_parse(x->sum_type, &alg) == ODL_OK &&
		    alg == ODL_HASH_MD5 && !(x->hx = odl_hash_new(alg)))
			bad = 1;
	}
	if (bad) {
		xfer_free(h, x);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	enqueue(h, x);
	return ODL_OK;
}

static void set_header_value(char *dst, size_t cap, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = 0;
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *ctx)
{
	struct xfer *x = ctx;
	size_t n = size * nitems;

	if (n >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* a new response (redirect hop, retry): forget the previous one's fields */
		x->etag[0] = x->lm[0] = x->ctype[0] = x->location[0] = 0;
		x->retry_after_s = -1;
		return n;
	}
	const char *colon = memchr(buf, ':', n);
	if (!colon)
		return n;
	size_t klen = (size_t)(colon - buf);
	const char *v = colon + 1;
	size_t vlen = n - klen - 1;
	if (klen == 4 && strncasecmp(buf, "etag", 4) == 0)
		set_header_value(x->etag, sizeof(x->etag), v, vlen);
	else if (klen == 13 && strncasecmp(buf, "last-modified", 13) == 0)
		set_header_value(x->lm, sizeof(x->lm), v, vlen);
	else if (klen == 12 && strncasecmp(buf, "content-type", 12) == 0)
		set_header_value(x->ctype, sizeof(x->ctype), v, vlen);
	else if (klen == 8 && strncasecmp(buf, "location", 8) == 0)
		set_header_value(x->location, sizeof(x->location), v, vlen);
	else if (klen == 11 && strncasecmp(buf, "retry-after", 11) == 0) {
		char tmp[64];
		set_header_value(tmp, sizeof(tmp), v, vlen);
		char *end;
		long s = strtol(tmp, &end, 10);
		if (end != tmp && *end == 0 && s >= 0)
			x->retry_after_s = s;
		else {
			time_t t = curl_getdate(tmp, NULL);
			if (t != -1) {
				long d = (long)(t - time(NULL));
				x->retry_after_s = d > 0 ? d : 0;
			}
		}
	}
	return n;
}

static long response_code(struct xfer *x)
{
	long code = 0;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	return code;
}

static size_t on_body(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	odl_http *h;
	size_t n = size * nmemb;
	long code = response_code(x);

	curl_easy_getinfo(x->easy, CURLINFO_PRIVATE, (char **)&h);
	if (x->path && !is_file_url(x->url) && (code < 200 || code >= 300))
		return n; /* error pages are not the resource (in memory, they explain the error) */
	if (x->offset + x->written + n > h->o.max_size) {
		x->too_large = 1;
		return 0;
	}
	if (x->path) {
		const char *p = buf;
		size_t left = n;
		while (left) {
			ssize_t w = write(x->fd, p, left);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				x->write_errno = errno;
				return 0;
			}
			p += w;
			left -= (size_t)w;
		}
		odl_hash_update(x->h256, buf, n);
		odl_hash_update(x->h1, buf, n);
		if (x->hx)
			odl_hash_update(x->hx, buf, n);
	} else {
		if (x->mem_len + n + 1 > x->mem_cap) {
			size_t cap = (x->mem_len + n + 1) * 2;
			char *m = realloc(x->mem, cap);
			if (!m) {
				x->too_large = 1;
				return 0;
			}
			x->mem = m;
			x->mem_cap = cap;
		}
		memcpy(x->mem + x->mem_len, buf, n);
		x->mem_len += n;
		x->mem[x->mem_len] = 0;
	}
	x->written += n;
	h->received += n;
	return n;
}

/* Hash what an earlier attempt or run left in the part, so the digest covers the whole file. */
static int rehash_part(struct xfer *x)
{
	char buf[65536];
	ssize_t r;
	int fd = open(x->part, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		odl_hash_update(x->h256, buf, (size_t)r);
		odl_hash_update(x->h1, buf, (size_t)r);
		if (x->hx)
			odl_hash_update(x->hx, buf, (size_t)r);
	}
	close(fd);
	return r < 0 ? -1 : 0;
}

static int start(odl_http *h, struct xfer *x)
{
	CURL *e;

	x->attempts++;
	x->written = 0;
	x->offset = 0;
	x->too_large = 0;
	x->write_errno = 0;
	x->restart = 0;
	x->busy = 0;
	x->retry_after_s = -1;
	x->etag[0] = x->lm[0] = x->ctype[0] = x->location[0] = 0;
	x->mem_len = 0;
	if (x->path) {
		struct stat st;
		odl_hash_reset(x->h256);
		odl_hash_reset(x->h1);
		if (x->hx)
			odl_hash_reset(x->hx);
		if (stat(x->part, &st) == 0 && st.st_size > 0 && rehash_part(x) == 0)
			x->offset = (uint64_t)st.st_size;
		else {
			odl_hash_reset(x->h256);
			odl_hash_reset(x->h1);
			if (x->hx)
				odl_hash_reset(x->hx);
		}
		/* truncated only once locked: another odl-fetch may be writing this part */
		x->fd = open(x->part, O_WRONLY | O_CREAT | O_APPEND, 0666);
		if (x->fd < 0) {
			x->write_errno = errno;
			return -1;
		}
		if (flock(x->fd, LOCK_EX | LOCK_NB) != 0) {
			x->busy = 1;
			close(x->fd);
			x->fd = -1;
			return -1;
		}
		if (!x->offset && ftruncate(x->fd, 0) != 0) {
			x->write_errno = errno;
			return -1;
		}
	}
	x->easy = e = curl_easy_init();
	if (!e)
		return -1;
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)h);
	/* the remote-URL rule again, in libcurl's own terms, for this request */
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, x->local_ok ? "http,https,file" : "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, h->o.max_redirects);
	curl_easy_setopt(e, CURLOPT_USERAGENT, h->ua);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->o.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->o.timeout_ms);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, h->o.low_speed_bytes);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, h->o.low_speed_time_s);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->o.max_size);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	x->errbuf[0] = 0;
	if (x->offset) {
		/* offsets count decoded bytes: ask for the identity encoding */
		curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)x->offset);
	} else {
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
		char line[400];
		if (x->etag_in && *x->etag_in) {
			snprintf(line, sizeof(line), "If-None-Match: %s", x->etag_in);
			x->headers = curl_slist_append(x->headers, line);
		}
		if (x->lm_in && *x->lm_in) {
			snprintf(line, sizeof(line), "If-Modified-Since: %s", x->lm_in);
			x->headers = curl_slist_append(x->headers, line);
		}
		if (x->headers)
			curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	}
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
		return -1;
	return 0;
}

static void fill_common(struct xfer *x, struct odl_http_result *r)
{
	memset(r, 0, sizeof(*r));
	r->user = x->user;
	r->attempts = x->attempts;
	snprintf(r->etag, sizeof(r->etag), "%s", x->etag);
	snprintf(r->last_modified, sizeof(r->last_modified), "%s", x->lm);
	snprintf(r->content_type, sizeof(r->content_type), "%s", x->ctype);
	r->effective_url = x->url;
	if (x->easy) {
		char *eff = NULL;
		if (curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
			r->effective_url = eff;
	}
}

static void fail_result(struct odl_http_result *r, int status, enum odl_http_class k,
			const char *fmt, const char *arg)
{
	const char *hole = strstr(fmt, "%s");
	size_t cap = sizeof(r->message), n = 0;

	r->status = status;
	r->klass = k;
	/* fmt holds one "%s"; joined by hand so long curl messages are cut, not refused */
	for (const char *parts[3] = { fmt, arg, hole + 2 }, **p = parts; p < parts + 3; p++) {
		size_t len = p == parts ? (size_t)(hole - fmt) : strlen(*p);
		if (n + len >= cap)
			len = cap - 1 - n;
		memcpy(r->message + n, *p, len);
		n += len;
	}
	r->message[n] = 0;
}

static int retryable(enum odl_http_class k, long http_status)
{
	return k == ODL_HTTP_TIMEOUT || k == ODL_HTTP_5XX || k == ODL_HTTP_NETWORK ||
	       (k == ODL_HTTP_4XX && http_status == 429);
}

/* Classify a finished attempt into r; returns 1 when the attempt succeeded. */
static int classify(struct xfer *x, CURLcode cc, struct odl_http_result *r)
{
	long code = x->easy ? response_code(x) : 0;
	/* curl's static texts, not its error buffer: stable words, no ports or timings */
	const char *msg = curl_easy_strerror(cc);
	char tmp[64];

	r->http_status = code;
	if (x->write_errno) {
		fail_result(r, ODL_EIO, ODL_HTTP_WRITE, "cannot write: %s", strerror(x->write_errno));
		return 0;
	}
	if (x->too_large || cc == CURLE_FILESIZE_EXCEEDED) {
		fail_result(r, ODL_ELIMIT, ODL_HTTP_TOO_LARGE, "%s", "body larger than the size limit");
		return 0;
	}
	switch (cc) {
	case CURLE_OK:
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		fail_result(r, ODL_ENET, ODL_HTTP_DNS, "%s", "cannot resolve host");
		return 0;
	case CURLE_COULDNT_CONNECT:
		fail_result(r, ODL_ENET, ODL_HTTP_CONNECT, "%s", "cannot connect");
		return 0;
	case CURLE_OPERATION_TIMEDOUT:
		fail_result(r, ODL_ENET, ODL_HTTP_TIMEOUT, "%s", "timed out");
		return 0;
	case CURLE_TOO_MANY_REDIRECTS:
		fail_result(r, ODL_ENET, ODL_HTTP_REDIRECT, "%s", "too many redirects");
		return 0;
	case CURLE_UNSUPPORTED_PROTOCOL:
		if (code >= 300 && code < 400 && x->location[0])
			fail_result(r, ODL_EUNSUPPORTED, ODL_HTTP_UNSUPPORTED,
				    has_prefix(x->location, "file:")
					    ? "redirect to a local file refused: %s"
					    : "redirect to a url scheme other than http or https refused: %s",
				    x->location);
		else
			fail_result(r, ODL_EUNSUPPORTED, ODL_HTTP_UNSUPPORTED, "%s",
				    odl_http_url_refused(x->url, x->local_ok)
					    ? odl_http_url_refused(x->url, x->local_ok)
					    : "unsupported url scheme");
		return 0;
	case CURLE_FILE_COULDNT_READ_FILE:
		fail_result(r, ODL_ENET, ODL_HTTP_4XX, "%s", "cannot read file");
		return 0;
	case CURLE_RANGE_ERROR:
	case CURLE_BAD_DOWNLOAD_RESUME:
		/* the server ignores ranges: start again from the first byte */
		x->restart = 1;
		fail_result(r, ODL_ENET, ODL_HTTP_NETWORK, "cannot resume: %s", msg);
		return 0;
	default:
		fail_result(r, ODL_ENET, ODL_HTTP_NETWORK, "transfer failed: %s", msg);
		return 0;
	}
	if (code == 304) {
		r->not_modified = 1;
		return 1;
	}
	if (code == 416 && x->offset) {
		x->restart = 1;
		fail_result(r, ODL_ENET, ODL_HTTP_NETWORK, "%s", "range not satisfiable");
		return 0;
	}
	snprintf(tmp, sizeof(tmp), "%ld", code);
	if (code >= 400 && code < 500) {
		fail_result(r, ODL_ENET, ODL_HTTP_4XX, "http status %s", tmp);
		return 0;
	}
	if (code >= 500 || (code && (code < 200 || code >= 300))) {
		fail_result(r, ODL_ENET, code >= 500 ? ODL_HTTP_5XX : ODL_HTTP_NETWORK, "http status %s", tmp);
		return 0;
	}
	return 1;
}

static int commit_part(struct xfer *x, struct odl_http_result *r)
{
	int e = 0;

	if (fsync(x->fd) != 0)
		e = errno;
	if (close(x->fd) != 0 && !e)
		e = errno;
	x->fd = -1;
	if (!e && rename(x->part, x->path) != 0)
		e = errno;
	if (e) {
		unlink(x->part);
		fail_result(r, ODL_EIO, ODL_HTTP_WRITE, "cannot write: %s", strerror(e));
		return -1;
	}
	return 0;
}

static int verify(struct xfer *x, struct odl_http_result *r)
{
	enum odl_hash_alg alg;
	char hex[ODL_HASH_HEX_MAX];
	const char *got;

	if (!x->sum_type || !x->sum || !*x->sum)
		return 0;
	if (odl_hash_parse(x->sum_type, &alg) != ODL_OK)
		return 0; /* an algorithm we cannot check is not the file's fault */
	if (alg == ODL_HASH_SHA256)
		got = r->sha256;
	else if (alg == ODL_HASH_SHA1)
		got = r->sha1;
	else {
		odl_hash_final_hex(x->hx, hex);
		got = hex;
	}
	if (strcasecmp(got, x->sum) != 0) {
		char m[200];
		snprintf(m, sizeof(m), "%s is %.64s, expected %.64s", odl_hash_name(alg), got, x->sum);
		fail_result(r, ODL_ECHECKSUM, ODL_HTTP_CHECKSUM, "%s", m);
		return -1;
	}
	return 0;
}

static double backoff(odl_http *h, struct xfer *x)
{
	double base = h->o.retry_delay_ms / 1000.0, cap = h->o.retry_max_ms / 1000.0;
	double d = base;
	for (int i = 1; i < x->attempts && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	h->rng = h->rng * 1103515245u + 12345u;
	return d * (0.5 + 0.5 * ((h->rng >> 8) & 0xffff) / 65536.0);
}

/* Finish an attempt: 1 = the request is complete (callback due), 0 = requeued. */
static int finish(odl_http *h, struct xfer *x, CURLcode cc, struct odl_http_result *r)
{
	fill_common(x, r);
	int ok = classify(x, cc, r);

	if (x->restart && x->path) {
		unlink(x->part);
		xfer_close_attempt(h, x);
		if (x->attempts <= h->o.retries + 1) {
			x->attempts--; /* the server's lack of ranges costs no attempt */
			x->not_before = 0;
			enqueue(h, x);
			return 0;
		}
	}
	if (!ok && retryable(r->klass, r->http_status) && x->attempts <= h->o.retries) {
		double wait = backoff(h, x);
		if (x->retry_after_s >= 0) {
			if (x->retry_after_s * 1000.0 > h->o.retry_max_ms)
				goto done;
			wait = (double)x->retry_after_s;
		}
		xfer_close_attempt(h, x);
		x->not_before = now_s() + wait;
		enqueue(h, x);
		return 0;
	}
done:
	if (ok && !r->not_modified && x->path) {
		r->bytes = x->offset + x->written;
		r->resumed_from = x->offset;
		odl_hash_final_hex(x->h256, r->sha256);
		odl_hash_final_hex(x->h1, r->sha1);
		if (verify(x, r) == 0)
			commit_part(x, r);
		else
			unlink(x->part);
	} else if (ok && r->not_modified && x->path) {
		close(x->fd);
		x->fd = -1;
		if (!x->offset)
			unlink(x->part);
	} else if (ok) {
		r->bytes = x->mem_len;
		r->body = x->mem ? x->mem : "";
		r->body_len = x->mem_len;
	} else if (!x->path) {
		r->body = x->mem ? x->mem : "";
		r->body_len = x->mem_len;
	} else if (r->klass != ODL_HTTP_NETWORK && r->klass != ODL_HTTP_TIMEOUT) {
		/* a broken transfer keeps its part for a later resume; anything else does not */
		if (x->fd >= 0) {
			close(x->fd);
			x->fd = -1;
		}
		unlink(x->part);
	}
	return 1;
}

static void unlink_active(odl_http *h, struct xfer *x)
{
	for (struct xfer **p = &h->active; *p; p = &(*p)->next)
		if (*p == x) {
			*p = x->next;
			h->nactive--;
			return;
		}
}

static struct xfer *pop_ready(odl_http *h, double now, double *next_wake)
{
	struct xfer *prev = NULL;
	for (struct xfer *x = h->queue; x; prev = x, x = x->next) {
		if (x->not_before <= now) {
			if (prev)
				prev->next = x->next;
			else
				h->queue = x->next;
			if (h->queue_tail == x)
				h->queue_tail = prev;
			x->next = NULL;
			return x;
		}
		if (x->not_before < *next_wake)
			*next_wake = x->not_before;
	}
	return NULL;
}

static void interrupted_result(struct xfer *x, struct odl_http_result *r)
{
	fill_common(x, r);
	fail_result(r, ODL_ECANCELED, ODL_HTTP_INTERRUPTED, "%s", "interrupted");
	r->http_status = x->easy ? response_code(x) : 0;
	r->bytes = x->offset + x->written;
}

/*
 * A signal asked the run to end: every request begun (in flight, or waiting
 * for a retry) is reported as interrupted; its part stays for a resume.
 */
static void interrupt_all(odl_http *h, odl_http_done_fn done, void *ctx, int stop)
{
	struct odl_http_result r;

	while (h->active) {
		struct xfer *x = h->active;
		h->active = x->next;
		h->nactive--;
		interrupted_result(x, &r);
		xfer_close_attempt(h, x);
		if (!stop)
			stop = done(ctx, &r);
		xfer_free(h, x);
	}
	for (struct xfer *x = h->queue, *n; x; x = n) {
		n = x->next;
		if (x->attempts && !stop) {
			interrupted_result(x, &r);
			stop = done(ctx, &r);
		}
		xfer_free(h, x);
	}
	h->queue = h->queue_tail = NULL;
}

static int interrupt_asked(const odl_http *h)
{
	return h->o.interrupt && *h->o.interrupt;
}

int odl_http_run(odl_http *h, odl_http_done_fn done, void *ctx, struct odl_error *err)
{
	int stop = 0;

	while ((h->queue || h->active) && !stop) {
		double now = now_s(), wake = now + 1.0;
		if (interrupt_asked(h)) {
			interrupt_all(h, done, ctx, stop);
			return odl_fail(err, ODL_ECANCELED, "interrupted");
		}
		while (h->nactive < h->o.parallel) {
			struct xfer *x = h->queue;
			int rate_bound = h->o.rate > 0 && x && !is_file_url(x->url);
			if (x && rate_bound && now < h->last_start + 1.0 / h->o.rate) {
				double w = h->last_start + 1.0 / h->o.rate;
				if (w < wake)
					wake = w;
				break;
			}
			x = pop_ready(h, now, &wake);
			if (!x)
				break;
			struct odl_http_result r;
			const char *refused = odl_http_url_refused(x->url, x->local_ok);
			if (refused) {
				fill_common(x, &r);
				x->attempts = r.attempts = 1;
				fail_result(&r, ODL_EUNSUPPORTED, ODL_HTTP_UNSUPPORTED, "%s", refused);
				stop = done(ctx, &r);
				xfer_free(h, x);
				continue;
			}
			if (!is_file_url(x->url))
				h->last_start = now;
			if (start(h, x) != 0) {
				fill_common(x, &r);
				r.attempts = x->attempts;
				if (x->busy)
					fail_result(&r, ODL_EIO, ODL_HTTP_WRITE, "%s",
						    "being downloaded by another process");
				else if (x->write_errno)
					fail_result(&r, ODL_EIO, ODL_HTTP_WRITE, "cannot write: %s",
						    strerror(x->write_errno));
				else
					fail_result(&r, ODL_ENOMEM, ODL_HTTP_NETWORK, "%s", "out of memory");
				stop = done(ctx, &r);
				xfer_free(h, x);
				continue;
			}
			x->next = h->active;
			h->active = x;
			h->nactive++;
		}
		if (stop)
			break;
		int running = 0;
		curl_multi_perform(h->multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(h->multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			struct xfer *x = NULL;
			for (struct xfer *a = h->active; a; a = a->next)
				if (a->easy == m->easy_handle)
					x = a;
			if (!x)
				continue;
			CURLcode cc = m->data.result;
			unlink_active(h, x);
			struct odl_http_result r;
			/* curl's file:// reader takes a read() cut by a signal
			 * (EINTR) for the end of the file: a local copy that ends
			 * while a signal asks to stop may be short, so it is
			 * reported as interrupted and never committed */
			if (cc == CURLE_OK && is_file_url(x->url) && interrupt_asked(h)) {
				interrupted_result(x, &r);
				xfer_close_attempt(h, x);
				if (!stop)
					stop = done(ctx, &r);
				xfer_free(h, x);
				continue;
			}
			if (finish(h, x, cc, &r)) {
				if (!stop)
					stop = done(ctx, &r);
				xfer_free(h, x);
			}
		}
		if (h->o.progress && now - h->last_progress >= 0.2) {
			h->last_progress = now;
			h->o.progress(h->o.progress_ctx, h->received, h->nactive);
		}
		if (h->nactive == 0 && !h->queue)
			break;
		/* slots freed by this round: do not sleep while a request can start */
		if (h->nactive < h->o.parallel)
			for (struct xfer *x = h->queue; x; x = x->next) {
				double t = x->not_before;
				if (h->o.rate > 0 && !is_file_url(x->url) && t < h->last_start + 1.0 / h->o.rate)
					t = h->last_start + 1.0 / h->o.rate;
				if (t < wake)
					wake = t;
			}
		long ct = -1;
		curl_multi_timeout(h->multi, &ct);
		double until = wake - now_s();
		long ms = until > 0 ? (long)(until * 1000) + 1 : 0;
		if (h->nactive && ct >= 0 && ct < ms)
			ms = ct;
		if (ms > 200)
			ms = 200;
		if (ms > 0)
			curl_multi_poll(h->multi, NULL, 0, (int)ms, NULL);
	}
	if (stop)
		return odl_fail(err, ODL_ECANCELED, "canceled");
	return ODL_OK;
}

static int keep_get(void *ctx, const struct odl_http_result *r)
{
	odl_http *h = ctx;
	h->get_res = *r;
	free(h->get_body);
	h->get_body = NULL;
	if (r->body) {
		h->get_body = malloc(r->body_len + 1);
		if (h->get_body) {
			memcpy(h->get_body, r->body, r->body_len);
			h->get_body[r->body_len] = 0;
		} else {
			h->get_res.status = ODL_ENOMEM;
			h->get_res.klass = ODL_HTTP_NETWORK;
			snprintf(h->get_res.message, sizeof(h->get_res.message), "out of memory");
		}
	}
	h->get_res.body = h->get_body;
	return 0;
}

int odl_http_get(odl_http *h, const char *url, struct odl_http_result *res)
{
	struct odl_http_request rq = { .url = url };
	struct odl_error e;

	memset(&h->get_res, 0, sizeof(h->get_res));
	if (odl_http_add(h, &rq, &e) != ODL_OK || odl_http_run(h, keep_get, h, &e) != ODL_OK) {
		memset(res, 0, sizeof(*res));
		fail_result(res, e.code, ODL_HTTP_NETWORK, "%s", e.message);
		return res->status;
	}
	*res = h->get_res;
	return res->status;
}
