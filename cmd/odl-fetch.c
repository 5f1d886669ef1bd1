/*
 * odl-fetch - download data.gouv.fr datasets, organizations, schema
 * resources, catalogs and plain URLs into a directory, with a manifest.
 */
#include "cli.h"
#include "strset.h"
#include "odl/cache.h"
#include "odl/datagouv.h"
#include "odl/http.h"
#include "odl/ndjson.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { OPT_API = 1, OPT_OUTDIR, OPT_CACHE, OPT_OFFLINE, OPT_JOBS, OPT_FORMAT, OPT_TYPE,
       OPT_SCHEMA, OPT_SIRET, OPT_SCHEMA_VERSION, OPT_QUIET, OPT_CONNECT_TIMEOUT, OPT_TIMEOUT,
       OPT_LOW_SPEED, OPT_LOW_SPEED_TIME, OPT_MAX_SIZE, OPT_RETRIES, OPT_RETRY_DELAY, OPT_RATE,
       OPT_MAX_REDIRECTS, OPT_SCHEMAS_URL, OPT_CATALOG_DATASET, OPT_PAGE_SIZE };

static const struct cli_option options[] = {
	{ OPT_API, 0, "api", "URL", "data.gouv.fr API root (default $ODL_API_URL or https://www.data.gouv.fr/api/1)" },
	{ OPT_OUTDIR, 'o', "output-dir", "DIR", "put the files under DIR (default: current directory)" },
	{ OPT_CACHE, 0, "cache", "DIR", "cache directory (default $XDG_CACHE_HOME/odl)" },
	{ OPT_OFFLINE, 0, "offline", NULL, "no network: take every file from the cache" },
	{ OPT_JOBS, 'j', "jobs", "N", "transfers at once (default 4)" },
	{ OPT_FORMAT, 0, "format", "FMT", "keep resources in format FMT only (e.g. csv)" },
	{ OPT_TYPE, 0, "type", "TYPE", "keep resources of type TYPE only (e.g. main)" },
	{ OPT_SCHEMA, 0, "schema", "NAME", "keep resources declaring schema NAME; with url, declare it" },
	{ OPT_SIRET, 0, "siret", NULL, "org: the operands are SIRET numbers" },
	{ OPT_SCHEMA_VERSION, 0, "schema-version", "V", "schema: keep resources declaring version V" },
	{ OPT_QUIET, 'q', "quiet", NULL, "no progress line and no summary" },
	{ OPT_CONNECT_TIMEOUT, 0, "connect-timeout", "SEC", "connection timeout (default 10)" },
	{ OPT_TIMEOUT, 0, "timeout", "SEC", "timeout of one transfer attempt, 0 = none (default 300)" },
	{ OPT_LOW_SPEED, 0, "low-speed", "BYTES", "abort a transfer slower than BYTES/s ... (default 1)" },
	{ OPT_LOW_SPEED_TIME, 0, "low-speed-time", "SEC", "... during SEC seconds (default 30)" },
	{ OPT_MAX_SIZE, 0, "max-size", "BYTES", "largest body accepted, suffix k, M or G (default 1G)" },
	{ OPT_RETRIES, 0, "retries", "N", "extra attempts on timeouts, 5xx, 429, broken transfers (default 3)" },
	{ OPT_RETRY_DELAY, 0, "retry-delay", "SEC", "first wait before a retry, doubled each time (default 1)" },
	{ OPT_RATE, 0, "rate", "N", "at most N requests per second, 0 = no limit (default 10)" },
	{ OPT_MAX_REDIRECTS, 0, "max-redirects", "N", "redirects followed (default 10)" },
	{ OPT_SCHEMAS_URL, 0, "schemas-url", "URL", "schemas: the catalogue (default $ODL_SCHEMAS_URL or schema.data.gouv.fr)" },
	{ OPT_CATALOG_DATASET, 0, "catalog-dataset", "ID", "catalog: the dataset holding the exports" },
	{ OPT_PAGE_SIZE, 0, "page-size", "N", "API results per page (default 100)" },
	{ 0, 0, NULL, NULL, NULL }
};

static const struct cli_program program = {
	"odl-fetch", "[OPTION]... COMMAND [ARG]...",
	"Download open data from data.gouv.fr or plain URLs, cached, verified and resumable.",
	options,
	"Commands:\n"
	"  url URL...                   http, https or file URLs\n"
	"  dataset ID-OR-SLUG...        every resource of the datasets\n"
	"  org ID-OR-SLUG...            every resource of the organizations' datasets\n"
	"  org --siret SIRET...         the same, organizations found by SIRET\n"
	"  schema NAME[@VERSION]        every resource declaring the schema (e.g. scdl/deliberations)\n"
	"  catalog                      data.gouv.fr's catalog exports (CSV)\n"
	"  sirene                       Insee's Sirene StockUniteLegale file (zip), the agents proxy\n"
	"  schemas                      schema.data.gouv.fr's catalogue and every schema it lists\n"
	"  resources LIST...            resources listed as NDJSON lines with a \"url\" (odl-compare\n"
	"                               match, an earlier manifest); '-' reads standard input\n"
	"\nOne NDJSON manifest line per resource goes to standard output.\n"
	"Exit status: 0 every resource obtained, 1 some failed, 2 usage or fatal error.\n"
};

struct config {
	const char *api, *outdir, *cache, *format, *type, *schema, *schema_version;
	const char *schemas_url, *catalog_dataset;
	int offline, siret, quiet, page_size;
	struct odl_http_options http;
};

static double parse_seconds(const char *opt, const char *arg, double max)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0) || v > max)
		cli_usage_error("invalid value '%s' for %s (expected 0 to %g seconds)", arg, opt, max);
	return v;
}

static uint64_t parse_size(const char *arg)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	uint64_t mul = 1;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'M')
		mul = 1024 * 1024, end++;
	else if (*end == 'G')
		mul = 1024 * 1024 * 1024, end++;
	if (errno || end == arg || *end || arg[0] == '-' || v == 0 || v > (1ULL << 50) / mul)
		cli_usage_error("invalid value '%s' for --max-size", arg);
	return (uint64_t)v * mul;
}

static int handle(int id, const char *arg, void *ctx)
{
	struct config *c = ctx;

	switch (id) {
	case OPT_API: c->api = arg; break;
	case OPT_OUTDIR: c->outdir = arg; break;
	case OPT_CACHE: c->cache = arg; break;
	case OPT_OFFLINE: c->offline = 1; break;
	case OPT_JOBS: c->http.parallel = (int)cli_parse_long("--jobs", arg, 1, 256); break;
	case OPT_FORMAT: c->format = arg; break;
	case OPT_TYPE: c->type = arg; break;
	case OPT_SCHEMA: c->schema = arg; break;
	case OPT_SIRET: c->siret = 1; break;
	case OPT_SCHEMA_VERSION: c->schema_version = arg; break;
	case OPT_QUIET: c->quiet = 1; break;
	case OPT_CONNECT_TIMEOUT:
		c->http.connect_timeout_ms = lround(parse_seconds("--connect-timeout", arg, 3600) * 1000);
		break;
	case OPT_TIMEOUT:
		c->http.timeout_ms = lround(parse_seconds("--timeout", arg, 86400) * 1000);
		break;
	case OPT_LOW_SPEED: c->http.low_speed_bytes = cli_parse_long("--low-speed", arg, 0, 1L << 30); break;
	case OPT_LOW_SPEED_TIME:
		c->http.low_speed_time_s = cli_parse_long("--low-speed-time", arg, 1, 86400);
		break;
	case OPT_MAX_SIZE: c->http.max_size = parse_size(arg); break;
	case OPT_RETRIES: c->http.retries = (int)cli_parse_long("--retries", arg, 0, 100); break;
	case OPT_RETRY_DELAY:
		c->http.retry_delay_ms = lround(parse_seconds("--retry-delay", arg, 3600) * 1000);
		break;
	case OPT_RATE: c->http.rate = parse_seconds("--rate", arg, 1e6); break;
	case OPT_MAX_REDIRECTS:
		c->http.max_redirects = cli_parse_long("--max-redirects", arg, 0, 100);
		break;
	case OPT_SCHEMAS_URL: c->schemas_url = arg; break;
	case OPT_CATALOG_DATASET: c->catalog_dataset = arg; break;
	case OPT_PAGE_SIZE: c->page_size = (int)cli_parse_long("--page-size", arg, 1, 1000); break;
	}
	return 0;
}

/* ---- signals: transfers in flight get a manifest line before the program ends ---- */

static volatile sig_atomic_t interrupt_sig, transferring;
static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction previous[3];

/*
 * During the transfers the first signal only sets a flag: odl_http_run sees
 * it within a fraction of a second and reports each transfer in flight,
 * which gets its "interrupted" line; then the program ends by the signal as
 * before (die_by_signal).  Before the transfers, or at a second signal, the
 * previous handler (the front end's: remove temporaries, die) runs at once.
 */
static void on_signal(int sig)
{
	if (transferring && !interrupt_sig) {
		interrupt_sig = sig;
		return;
	}
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		if (caught[i] == sig)
			sigaction(sig, &previous[i], NULL);
	raise(sig);
}

static void catch_signals(void)
{
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(caught[i], &sa, &previous[i]);
	}
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "a signal";
}

static _Noreturn void die_by_signal(int sig)
{
	fflush(stdout);
	transferring = 0;
	for (size_t i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		if (caught[i] == sig)
			sigaction(sig, &previous[i], NULL);
	raise(sig);
	_exit(128 + sig);
}

/* ---- jobs: one per resource, with the manifest fields known before the transfer ---- */

struct job {
	const char *url;   /* both kept in the run's sets */
	const char *path;  /* final path under the output directory */
	char *sum_type, *sum;
	/* the manifest's dataset, resource, organization and schema members,
	 * kept serialized: a queue of 100,000 jobs holds text, not JSON trees */
	char *meta;
	int name_late;     /* named after the URL redirected to (no extension in the URL) */
	int local_ok;      /* typed by the user (url command): file:// accepted */
	char *cache_path;  /* where the cache keeps it, set when the job runs */
};

struct run {
	struct config *cfg;
	odl_cache *cache;
	struct job **jobs;
	size_t njobs, cap;
	struct strset urls;   /* each URL is fetched once */
	struct strset paths;  /* paths handed out, to resolve collisions */
	int flat;          /* catalog: files straight under the output directory */
	size_t done, ok, not_modified, cached, failed, interrupted;
	uint64_t bytes;
	int progress;
	double started;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void oom(void)
{
	cli_die("out of memory");
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		oom();
	return d;
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* dir/name, with "-2", "-3"... before the extension when taken in this run. */
static const char *unique_path(struct run *r, const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 32;
	char *p = malloc(n);
	if (!p)
		oom();
	snprintf(p, n, "%s/%s", dir, name);
	const char *dot = strrchr(name, '.');
	size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
	for (int k = 2; strset_has(&r->paths, p); k++)
		snprintf(p, n, "%s/%.*s-%d%s", dir, (int)stem, name, k, name + stem);
	const char *kept = strset_add(&r->paths, p, NULL);
	free(p);
	return kept;
}

static void add_job(struct run *r, struct job *j)
{
	if (r->njobs == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		struct job **v = realloc(r->jobs, r->cap * sizeof(*v));
		if (!v)
			oom();
		r->jobs = v;
	}
	r->jobs[r->njobs++] = j;
}

/* A job for url, or NULL when the run already has one (a resource listed
 * twice, by two pages or two operands, is fetched once). */
static struct job *new_job(struct run *r, const char *url)
{
	int added;
	const char *kept = strset_add(&r->urls, url, &added);
	if (!added)
		return NULL;
	struct job *j = calloc(1, sizeof(*j));
	if (!j)
		oom();
	j->url = kept;
	return j;
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	free(j->sum_type);
	free(j->sum);
	free(j->cache_path);
	free(j->meta);
	free(j);
}

/* Keep what is known of a job's resource; the references are stolen, NULL
 * stands for null. */
static void set_meta(struct job *j, json_t *dataset, json_t *resource, json_t *organization,
		     json_t *schema)
{
	json_t *m = json_pack("{s:o, s:o, s:o, s:o}", "dataset", dataset ? dataset : json_null(),
			      "resource", resource ? resource : json_null(), "organization",
			      organization ? organization : json_null(), "schema",
			      schema ? schema : json_null());
	free(j->meta);
	j->meta = m ? json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(m);
	if (!j->meta)
		oom();
}

static int same_ci(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static int on_resource(void *ctx, const struct odl_dg_resource *res)
{
	struct run *r = ctx;
	struct config *c = r->cfg;
	char seg1[128], seg2[128], base[256], name[160];
	const char *refused = odl_http_url_refused(res->url, 0);

	if (c->format && !same_ci(res->format, c->format))
		return 0;
	if (c->type && !same_ci(res->type, c->type))
		return 0;
	if (c->schema && !(res->schema_name && strcmp(res->schema_name, c->schema) == 0))
		return 0;
	if (c->schema_version && !(res->schema_version && strcmp(res->schema_version, c->schema_version) == 0))
		return 0;

	struct job *j = new_job(r, res->url);
	if (!j)
		return 0;
	odl_safe_name(res->org_slug ? res->org_slug : res->org_id ? res->org_id : "sans-organisation",
		      seg1, 100);
	odl_safe_name(res->dataset_slug ? res->dataset_slug : res->dataset_id, seg2, 100);
	/* a refused URL (remote-URL rule) is not named after: it gets no file */
	if (!refused)
		odl_url_name(res->url, name, 150);
	if ((refused || !*name) && res->id) {
		snprintf(base, sizeof(base), "%s.%s", res->id, res->format ? res->format : "bin");
		odl_safe_name(base, name, 150);
	} else if (refused) {
		snprintf(name, sizeof(name), "_");
	}
	char dir[ODL_CACHE_PATH_MAX];
	/* a bare URL in a resource list has nothing to sort it under */
	if (r->flat || (!res->org_slug && !res->org_id && !res->dataset_slug && !res->dataset_id))
		snprintf(dir, sizeof(dir), "%s", c->outdir);
	else
		snprintf(dir, sizeof(dir), "%s/%s/%s", c->outdir, seg1, seg2);
	j->path = unique_path(r, dir, name);
	if (res->checksum_type && res->checksum_value) {
		j->sum_type = xstrdup(res->checksum_type);
		j->sum = xstrdup(res->checksum_value);
	}
	json_t *dataset = json_pack("{s:o, s:o, s:o, s:o}", "id", jstr(res->dataset_id), "title",
			       jstr(res->dataset_title), "slug", jstr(res->dataset_slug),
			       "last_update", jstr(res->dataset_last_update));
	json_t *resource = json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", jstr(res->id), "title",
				jstr(res->title), "format", jstr(res->format), "type", jstr(res->type),
				"last_modified", jstr(res->last_modified));
	json_t *organization = res->org_id || res->org_name
		? json_pack("{s:o, s:o, s:o}", "id", jstr(res->org_id), "name", jstr(res->org_name),
			    "siret", jstr(res->org_siret))
		: json_null();
	json_t *schema = res->schema_name
		? json_pack("{s:o, s:o}", "name", jstr(res->schema_name), "version", jstr(res->schema_version))
		: NULL;
	set_meta(j, dataset, resource, organization, schema);
	add_job(r, j);
	return 0;
}

/* ---- progress and manifest ---- */

static void human(uint64_t b, char *out, size_t cap)
{
	if (b < 1024)
		snprintf(out, cap, "%llu B", (unsigned long long)b);
	else if (b < 1024 * 1024)
		snprintf(out, cap, "%.1f kB", b / 1024.0);
	else if (b < 1024ULL * 1024 * 1024)
		snprintf(out, cap, "%.1f MB", b / 1048576.0);
	else
		snprintf(out, cap, "%.2f GB", b / 1073741824.0);
}

static void show_progress(struct run *r, uint64_t received)
{
	char b[32], rate[32];
	double t = now_s() - r->started;

	if (!r->progress)
		return;
	human(received, b, sizeof(b));
	human(t > 0 ? (uint64_t)(received / t) : 0, rate, sizeof(rate));
	fprintf(stderr, "\r%s: %zu/%zu files, %s, %s/s, %zu failed\033[K", cli_name(), r->done,
		r->njobs, b, rate, r->failed);
	fflush(stderr);
}

static void on_progress(void *ctx, uint64_t received, int active)
{
	(void)active;
	show_progress(ctx, received);
}

static void emit(struct run *r, struct job *j, const char *status, const char *path,
		 const char *eclass, const char *emsg, long http_status, int have_body,
		 uint64_t bytes, const char *sha256, const char *sha1, const char *ctype,
		 const char *etag, const char *lm, int from_cache)
{
	json_t *o = json_object();
	json_object_set_new(o, "url", json_string(j->url));
	json_object_set_new(o, "path", jstr(path));
	json_object_set_new(o, "status", json_string(status));
	json_object_set_new(o, "error", eclass ? json_pack("{s:s, s:s}", "class", eclass, "message", emsg)
					       : json_null());
	json_object_set_new(o, "http_status", http_status ? json_integer(http_status) : json_null());
	json_object_set_new(o, "bytes", have_body ? json_integer((json_int_t)bytes) : json_null());
	json_object_set_new(o, "sha256", jstr(sha256 && *sha256 ? sha256 : NULL));
	json_object_set_new(o, "sha1", jstr(sha1 && *sha1 ? sha1 : NULL));
	json_object_set_new(o, "content_type", jstr(ctype && *ctype ? ctype : NULL));
	json_object_set_new(o, "etag", jstr(etag && *etag ? etag : NULL));
	json_object_set_new(o, "last_modified", jstr(lm && *lm ? lm : NULL));
	json_object_set_new(o, "from_cache", json_boolean(from_cache));
	json_t *meta = j->meta ? json_loads(j->meta, 0, NULL) : NULL;
	if (meta) {
		json_object_update(o, meta);
		json_decref(meta);
	} else {
		static const char *const none[] = { "dataset", "resource", "organization", "schema" };
		for (size_t i = 0; i < 4; i++)
			json_object_set_new(o, none[i], json_null());
	}
	if (odl_ndjson_write(stdout, o) != 0 || fflush(stdout) != 0) {
		json_decref(o);
		cli_write_failed(stdout);
	}
	json_decref(o);
	r->done++;
	if (strcmp(status, "failed") == 0)
		r->failed++;
	else if (strcmp(status, "ok") == 0)
		r->ok++;
	else if (strcmp(status, "not-modified") == 0)
		r->not_modified++;
	else if (strcmp(status, "interrupted") == 0)
		r->interrupted++;
	else
		r->cached++;
	if (have_body && strcmp(status, "failed") != 0)
		r->bytes += bytes;
}

static void emit_failed(struct run *r, struct job *j, const char *eclass, const char *msg,
			long http_status)
{
	emit(r, j, "failed", NULL, eclass, msg, http_status, 0, 0, NULL, NULL, NULL, NULL, NULL, 0);
}

/* A URL without a file name in it is named after where it redirected. */
static void rename_late(struct run *r, struct job *j, const char *final_url)
{
	char name[160];

	if (!j->name_late || !final_url || !*final_url || strcmp(final_url, j->url) == 0)
		return;
	odl_url_name(final_url, name, 150);
	if (*name && strchr(name, '.')) {
		j->path = unique_path(r, r->cfg->outdir, name);
	}
}

static int on_done(void *ctx, const struct odl_http_result *res)
{
	struct run *r = ctx;
	struct job *j = res->user;
	struct odl_error err;
	struct odl_cache_meta m;
	char body[ODL_CACHE_PATH_MAX];

	odl_error_clear(&err);
	if (res->klass == ODL_HTTP_INTERRUPTED) {
		char msg[64];
		snprintf(msg, sizeof(msg), "interrupted by %s: the part is kept for the next run",
			 signal_name(interrupt_sig));
		emit(r, j, "interrupted", NULL, "interrupted", msg, res->http_status, 0, 0, NULL, NULL,
		     NULL, NULL, NULL, 0);
		return 0;
	}
	if (res->status != ODL_OK) {
		emit_failed(r, j, odl_http_class_name(res->klass), res->message, res->http_status);
		show_progress(r, 0);
		return 0;
	}
	if (res->not_modified) {
		if (odl_cache_lookup(r->cache, j->url, &m, body, sizeof(body)) != ODL_OK) {
			emit_failed(r, j, "write", "cache entry vanished during the run", 304);
			return 0;
		}
	} else {
		memset(&m, 0, sizeof(m));
		snprintf(m.etag, sizeof(m.etag), "%s", res->etag);
		snprintf(m.last_modified, sizeof(m.last_modified), "%s", res->last_modified);
		snprintf(m.content_type, sizeof(m.content_type), "%s", res->content_type);
		snprintf(m.sha256, sizeof(m.sha256), "%s", res->sha256);
		snprintf(m.sha1, sizeof(m.sha1), "%s", res->sha1);
		snprintf(m.final_url, sizeof(m.final_url), "%s", res->effective_url ? res->effective_url : "");
		m.bytes = res->bytes;
		if (odl_cache_store_meta(r->cache, j->url, &m, &err) != ODL_OK) {
			emit_failed(r, j, "write", err.message, res->http_status);
			return 0;
		}
	}
	rename_late(r, j, res->effective_url);
	if (odl_file_place(j->cache_path, j->path, &err) != ODL_OK) {
		char msg[800];
		snprintf(msg, sizeof(msg), "'%s': %s", err.file, err.message);
		emit_failed(r, j, "write", msg, res->http_status);
		return 0;
	}
	emit(r, j, res->not_modified ? "not-modified" : "ok", j->path, NULL, NULL, res->http_status,
	     1, m.bytes, m.sha256, m.sha1, res->not_modified && !*res->content_type ? m.content_type
										: res->content_type,
	     *res->etag ? res->etag : m.etag, *res->last_modified ? res->last_modified : m.last_modified,
	     res->not_modified);
	show_progress(r, 0);
	return 0;
}

static void run_jobs(struct run *r, odl_http *http)
{
	struct odl_error err;

	for (size_t i = 0; i < r->njobs; i++) {
		struct job *j = r->jobs[i];
		struct odl_cache_meta m;
		char cache_path[ODL_CACHE_PATH_MAX];
		const char *refused = odl_http_url_refused(j->url, j->local_ok);
		if (refused) {
			/* before the cache too: --offline must not hand out a local file either */
			emit_failed(r, j, odl_http_class_name(ODL_HTTP_UNSUPPORTED), refused, 0);
			continue;
		}
		int have = odl_cache_lookup(r->cache, j->url, &m, cache_path, sizeof(cache_path)) == ODL_OK;

		odl_error_clear(&err);
		if (r->cfg->offline) {
			if (!have) {
				emit_failed(r, j, "offline", "not in the cache", 0);
				continue;
			}
			rename_late(r, j, m.final_url);
			if (odl_file_place(cache_path, j->path, &err) != ODL_OK) {
				emit_failed(r, j, "write", err.message, 0);
				continue;
			}
			emit(r, j, "cached", j->path, NULL, NULL, 0, 1, m.bytes, m.sha256, m.sha1,
			     m.content_type, m.etag, m.last_modified, 1);
			continue;
		}
		if (!have && odl_cache_path(r->cache, j->url, cache_path, sizeof(cache_path), &err) != ODL_OK) {
			emit_failed(r, j, "write", err.message, 0);
			continue;
		}
		j->cache_path = xstrdup(cache_path);
		struct odl_http_request rq = {
			.url = j->url, .path = j->cache_path,
			.etag = have && *m.etag ? m.etag : NULL,
			.last_modified = have && *m.last_modified ? m.last_modified : NULL,
			.checksum_type = j->sum_type, .checksum = j->sum, .user = j,
			.local_ok = j->local_ok
		};
		if (odl_http_add(http, &rq, &err) != ODL_OK)
			cli_die("%s", err.message);
	}
	odl_error_clear(&err);
	transferring = 1;
	int rc = odl_http_run(http, on_done, r, &err);
	transferring = 0;
	if (rc != ODL_OK && !interrupt_sig)
		cli_die("%s", err.message);
}

/* ---- commands ---- */

static void add_url_job(struct run *r, const char *url)
{
	char base[256], name[160];
	struct job *j = new_job(r, url);
	if (!j)
		return; /* named twice: fetched once */

	j->local_ok = 1; /* typed by the user */
	odl_url_name(url, name, 150);
	if (!*name) {
		/* "https://www.example.fr/" names the file after the host */
		const char *h = strstr(url, "://");
		h = h ? h + 3 : url;
		snprintf(base, sizeof(base), "%.*s", (int)strcspn(h, "/?#:"), h);
		odl_safe_name(base, name, 150);
	}
	j->path = unique_path(r, r->cfg->outdir, name);
	/* "…/datasets/r/<id>" says nothing of the file: its redirect target will */
	j->name_late = !strchr(name, '.');
	set_meta(j, NULL, NULL, NULL,
		 r->cfg->schema ? json_pack("{s:s, s:o}", "name", r->cfg->schema, "version",
					    jstr(r->cfg->schema_version))
				: NULL);
	add_job(r, j);
}

static int on_schema_version(void *ctx, const char *name, const char *version, const char *url)
{
	struct run *r = ctx;
	char dir[ODL_CACHE_PATH_MAX], seg[128], file[160];
	size_t n = (size_t)snprintf(dir, sizeof(dir), "%s/schemas", r->cfg->outdir);

	/* "scdl/deliberations" keeps its two levels, each made safe */
	for (const char *p = name; *p && n < sizeof(dir);) {
		size_t k = strcspn(p, "/");
		char part[128];
		snprintf(part, sizeof(part), "%.*s", (int)(k < 120 ? k : 120), p);
		odl_safe_name(part, seg, 100);
		n += (size_t)snprintf(dir + n, sizeof(dir) - n, "/%s", seg);
		p += k;
		while (*p == '/')
			p++;
	}
	odl_safe_name(version, seg, 60);
	snprintf(dir + n, sizeof(dir) - n, "/%s", seg);
	odl_url_name(url, file, 150);
	if (!*file)
		snprintf(file, sizeof(file), "schema.json");
	struct job *j = new_job(r, url);
	if (!j)
		return 0; /* "latest" is usually one of the versions already listed */
	j->path = unique_path(r, dir, file);
	set_meta(j, NULL, NULL, NULL, json_pack("{s:s, s:s}", "name", name, "version", version));
	add_job(r, j);
	return 0;
}

/*
 * "resources": NDJSON lines naming resources, as odl-compare match writes
 * them from the catalog exports (or as an earlier manifest holds them).
 * What a line says of its organization, dataset, resource, schema and
 * checksum is carried into the manifest and the checksum verified, exactly
 * as for a resource found through the API, and without any API call.
 */
struct list_ctx {
	struct run *run;
	uint64_t line_without_url;
};

static const char *member(json_t *o, const char *obj, const char *key)
{
	json_t *v = obj ? json_object_get(o, obj) : o;
	v = json_is_object(v) ? json_object_get(v, key) : NULL;
	return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static int on_listed(void *ctx, json_t *o, uint64_t line)
{
	struct list_ctx *l = ctx;
	struct odl_dg_resource res = { 0 };
	char schema[512] = "";

	res.url = member(o, NULL, "url");
	if (!res.url) {
		l->line_without_url = line;
		return 1;
	}
	res.id = member(o, "resource", "id");
	res.title = member(o, "resource", "title");
	res.format = member(o, "resource", "format");
	res.type = member(o, "resource", "type");
	res.last_modified = member(o, "resource", "last_modified");
	if (!res.last_modified)
		res.last_modified = member(o, NULL, "modified");
	res.dataset_id = member(o, "dataset", "id");
	res.dataset_title = member(o, "dataset", "title");
	res.dataset_slug = member(o, "dataset", "slug");
	res.dataset_last_update = member(o, "dataset", "last_update");
	res.org_id = member(o, "organization", "id");
	res.org_name = member(o, "organization", "name");
	res.org_slug = member(o, "organization", "slug");
	res.org_siret = member(o, "organization", "siret");
	res.checksum_type = member(o, "checksum", "type");
	res.checksum_value = member(o, "checksum", "value");
	json_t *sch = json_object_get(o, "schema");
	if (json_is_object(sch)) {
		res.schema_name = member(o, "schema", "name");
		res.schema_version = member(o, "schema", "version");
	} else if (json_is_string(sch) && json_string_length(sch) < sizeof(schema)) {
		/* "scdl/subventions@2.1.1", as odl-validate's manifests accept */
		snprintf(schema, sizeof(schema), "%s", json_string_value(sch));
		char *at = strchr(schema, '@');
		if (at)
			*at++ = 0;
		res.schema_name = *schema ? schema : NULL;
		res.schema_version = at && *at ? at : NULL;
	}
	return on_resource(l->run, &res);
}

/* 0, or 2 after saying what is wrong with the list. */
static int read_list(struct run *r, const char *path)
{
	struct list_ctx l = { r, 0 };
	struct odl_error err;
	odl_ndjson *nd = odl_ndjson_new(0, on_listed, &l);

	if (!nd)
		oom();
	odl_error_clear(&err);
	int rc = odl_ndjson_read_path(nd, path, &err);
	odl_ndjson_free(nd);
	if (rc == ODL_OK)
		return 0;
	if (l.line_without_url)
		cli_error("'%s' line %llu, field 'url': a resource line needs its URL as a string",
			  path, (unsigned long long)l.line_without_url);
	else
		cli_error_odl(path, &err);
	return EXIT_TROUBLE;
}

static int fatal_api(const char *what, const struct odl_error *err)
{
	cli_error_odl(what, err);
	return err->code == ODL_ENOTFOUND ? EXIT_INVALID : EXIT_TROUBLE;
}

int main(int argc, char **argv)
{
	struct config cfg = { 0 };
	struct run r = { 0 };
	struct odl_error err;
	int status = EXIT_OK, first;

	cli_init(&program);
	catch_signals();
	odl_http_options_init(&cfg.http);
	cfg.http.interrupt = &interrupt_sig;
	cfg.outdir = ".";
	first = cli_parse(&program, argc, argv, handle, &cfg);
	if (first >= argc)
		cli_usage_error("no command (url, dataset, org, schema, resources, catalog or schemas)");
	const char *cmd = argv[first++];
	if (!cfg.api)
		cfg.api = getenv("ODL_API_URL");
	if (!cfg.schemas_url)
		cfg.schemas_url = getenv("ODL_SCHEMAS_URL");
	if (!cfg.schemas_url || !*cfg.schemas_url)
		cfg.schemas_url = ODL_DATAGOUV_SCHEMAS;
	/* API answers are read over http or https only (odl_http_get) */
	if (cfg.api && *cfg.api && odl_http_url_refused(cfg.api, 0))
		cli_usage_error("invalid value '%s' for --api or ODL_API_URL (an http or https URL)", cfg.api);
	if (odl_http_url_refused(cfg.schemas_url, 0))
		cli_usage_error("invalid value '%s' for --schemas-url or ODL_SCHEMAS_URL (an http or https URL)",
				cfg.schemas_url);

	int needs_operands = strcmp(cmd, "catalog") != 0 && strcmp(cmd, "schemas") != 0 &&
			     strcmp(cmd, "sirene") != 0;
	if (strcmp(cmd, "url") && strcmp(cmd, "dataset") && strcmp(cmd, "org") &&
	    strcmp(cmd, "schema") && strcmp(cmd, "resources") && needs_operands)
		cli_usage_error("unknown command '%s'", cmd);
	if (needs_operands && first >= argc)
		cli_usage_error("'%s' needs at least one operand", cmd);
	if (!needs_operands && first < argc)
		cli_usage_error("'%s' takes no operand", cmd);
	if (cfg.siret && strcmp(cmd, "org") != 0)
		cli_usage_error("--siret goes with the org command");
	if (cfg.schema_version && strcmp(cmd, "schema") != 0 && !cfg.schema)
		cli_usage_error("--schema-version goes with the schema command or --schema");
	if (strcmp(cmd, "schema") == 0 && argc - first != 1)
		cli_usage_error("'schema' takes one schema name");

	odl_error_clear(&err);
	r.cfg = &cfg;
	r.cache = odl_cache_new(cfg.cache, &err);
	if (!r.cache) {
		cli_error_odl(cfg.cache, &err);
		return EXIT_TROUBLE;
	}
	r.progress = !cfg.quiet && isatty(STDERR_FILENO);
	r.started = now_s();

	struct odl_http_options api_opt = cfg.http;
	api_opt.parallel = 1;
	api_opt.max_size = 256u << 20;
	odl_http *api = odl_http_new(&api_opt, &err);
	if (r.progress) {
		cfg.http.progress = on_progress;
		cfg.http.progress_ctx = &r;
	}
	odl_http *http = odl_http_new(&cfg.http, &err);
	odl_datagouv *dg = api ? odl_datagouv_new(cfg.api, api, &err) : NULL;
	if (!api || !http || !dg) {
		cli_error_odl(NULL, &err);
		return EXIT_TROUBLE;
	}
	if (cfg.page_size)
		odl_datagouv_page_size(dg, cfg.page_size);

	odl_datagouv_cache(dg, r.cache, cfg.offline);

	for (int i = first; i < argc && status != EXIT_TROUBLE; i++) {
		int rc = ODL_OK;
		odl_error_clear(&err);
		if (strcmp(cmd, "url") == 0) {
			add_url_job(&r, argv[i]);
			continue;
		}
		if (strcmp(cmd, "resources") == 0) {
			status = read_list(&r, argv[i]);
			continue;
		}
		if (strcmp(cmd, "dataset") == 0)
			rc = odl_datagouv_dataset(dg, argv[i], on_resource, &r, &err);
		else if (strcmp(cmd, "org") == 0 && cfg.siret)
			rc = odl_datagouv_org_siret(dg, argv[i], on_resource, &r, &err);
		else if (strcmp(cmd, "org") == 0)
			rc = odl_datagouv_org(dg, argv[i], on_resource, &r, &err);
		else if (strcmp(cmd, "schema") == 0) {
			char name[512];
			snprintf(name, sizeof(name), "%s", argv[i]);
			char *at = strchr(name, '@');
			if (at) {
				*at = 0;
				cfg.schema_version = at + 1;
			}
			cfg.schema = name;
			rc = odl_datagouv_schema(dg, name, cfg.schema_version, on_resource, &r, &err);
			cfg.schema = NULL;
			/* keep --schema-version filtering; name is local */
		}
		if (rc != ODL_OK) {
			int s = fatal_api(argv[i], &err);
			if (s > status)
				status = s;
		}
	}
	if (strcmp(cmd, "catalog") == 0) {
		odl_error_clear(&err);
		const char *id = cfg.catalog_dataset ? cfg.catalog_dataset : ODL_DATAGOUV_CATALOG;
		size_t before = r.njobs;
		r.flat = 1;
		if (odl_datagouv_dataset(dg, id, on_resource, &r, &err) != ODL_OK)
			status = fatal_api(id, &err);
		/* keep the three exports that matter for matching: datasets, resources, organizations */
		size_t k = before;
		for (size_t i = before; i < r.njobs; i++) {
			char b[256];
			odl_url_name(r.jobs[i]->url, b, 200);
			if (strncmp(b, "export-dataset", 14) == 0 || strncmp(b, "export-resource", 15) == 0 ||
			    strncmp(b, "export-organization", 19) == 0)
				r.jobs[k++] = r.jobs[i];
			else
				job_free(r.jobs[i]);
		}
		r.njobs = k;
	} else if (strcmp(cmd, "sirene") == 0) {
		/* the stock of legal units, zipped CSV (StockUniteLegale_utf8.zip,
		 * or dated: 2026-12-01-StockUniteLegale_utf8.zip): not its history
		 * (StockUniteLegaleHistorique_), the parquet copy or the
		 * établissements */
		static const char slug[] = "base-sirene-des-entreprises-et-de-leurs-etablissements-siret";
		size_t before = r.njobs, k = before;
		odl_error_clear(&err);
		r.flat = 1;
		if (odl_datagouv_dataset(dg, slug, on_resource, &r, &err) != ODL_OK)
			status = fatal_api(slug, &err);
		for (size_t i = before; i < r.njobs; i++) {
			char b[256];
			size_t n;
			odl_url_name(r.jobs[i]->url, b, 200);
			n = strlen(b);
			if (strstr(b, "StockUniteLegale_") && n > 4 && strcmp(b + n - 4, ".zip") == 0)
				r.jobs[k++] = r.jobs[i];
			else
				job_free(r.jobs[i]);
		}
		r.njobs = k;
		if (k == before && status == EXIT_OK) {
			cli_error("'%s': no StockUniteLegale_*.zip among the dataset's resources", slug);
			status = EXIT_TROUBLE;
		}
	} else if (strcmp(cmd, "schemas") == 0) {
		char *body;
		size_t len;
		odl_error_clear(&err);
		if (odl_datagouv_get_json(dg, cfg.schemas_url, &body, &len, &err) != ODL_OK ||
		    odl_datagouv_parse_schema_catalog(body, len, cfg.schemas_url, on_schema_version, &r,
						      &err) != ODL_OK) {
			status = fatal_api(cfg.schemas_url, &err);
		} else {
			/* the catalogue itself goes to the cache and the directory too */
			struct job *j = new_job(&r, cfg.schemas_url);
			if (j) {
				char dir[ODL_CACHE_PATH_MAX];
				snprintf(dir, sizeof(dir), "%s/schemas", cfg.outdir);
				j->path = unique_path(&r, dir, "schemas.json");
				add_job(&r, j);
			}
		}
		free(body);
	}

	if (status != EXIT_TROUBLE)
		run_jobs(&r, http);
	if (r.progress)
		fputs("\r\033[K", stderr);
	if (interrupt_sig)
		die_by_signal(interrupt_sig);
	if (!cfg.quiet && status != EXIT_TROUBLE) {
		char b[32];
		human(r.bytes, b, sizeof(b));
		fprintf(stderr, "%s: %zu resource%s: %zu ok, %zu not modified, %zu cached, %zu failed, %s\n",
			cli_name(), r.done, r.done == 1 ? "" : "s", r.ok, r.not_modified, r.cached,
			r.failed, b);
	}
	if (r.failed && status == EXIT_OK)
		status = EXIT_INVALID;

	for (size_t i = 0; i < r.njobs; i++)
		job_free(r.jobs[i]);
	free(r.jobs);
	strset_clear(&r.urls);
	strset_clear(&r.paths);
	odl_datagouv_free(dg);
	odl_http_free(api);
	odl_http_free(http);
	odl_cache_free(r.cache);
	return cli_finish(status);
}
