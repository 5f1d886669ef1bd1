/*
 * schema_versions.c - every published version of a schema, offline: the
 * schema.data.gouv.fr catalogue and the files it lists, as `odl-fetch
 * schemas` left them in the cache (by URL), and how a header compares
 * with a schema's columns (for detection and for what a file lacks to be
 * the latest version).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schema_private.h"
#include "error.h"
#include "odl/cache.h"
#include "odl/datagouv.h"

#define CATALOG_MAX_BYTES (32u << 20)

/* The cache directory odl_cache_new(NULL) would use, without creating it. */
static int default_cache_dir(char *dir, size_t size)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	int n;

	if (x && *x)
		n = snprintf(dir, size, "%s/odl", x);
	else if (h && *h)
		n = snprintf(dir, size, "%s/.cache/odl", h);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}

static char *read_bounded(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	struct stat st;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size >= 0 && (uint64_t)st.st_size <= max &&
	    (buf = malloc((size_t)st.st_size + 1))) {
		*len = fread(buf, 1, (size_t)st.st_size, f);
		if (ferror(f) || *len != (size_t)st.st_size) {
			free(buf);
			buf = NULL;
		} else {
			buf[*len] = 0;
		}
	}
	fclose(f);
	return buf;
}

struct walk {
	odl_cache *cache;
	odl_schema_version_fn fn;
	void *ctx;
};

static int on_version(void *ctx, const char *name, const char *version, const char *url)
{
	struct walk *w = ctx;
	struct odl_cache_meta m;
	char path[ODL_CACHE_PATH_MAX];

	if (strcmp(version, "latest") == 0)
		return 0; /* a copy of the highest version */
	if (odl_cache_lookup(w->cache, url, &m, path, sizeof(path)) != ODL_OK)
		return 0; /* listed, not downloaded */
	return w->fn(w->ctx, name, version, path);
}

const char *odl_schema_catalog_url(void)
{
	const char *u = getenv("ODL_SCHEMAS_URL");
	return u && *u ? u : ODL_DATAGOUV_SCHEMAS;
}

int odl_schema_cached_versions(const char *catalog_url, const char *cache_dir,
			       odl_schema_version_fn fn, void *ctx, struct odl_error *err)
{
	char dir[ODL_CACHE_PATH_MAX], path[ODL_CACHE_PATH_MAX];
	struct odl_cache_meta m;
	struct walk w = { NULL, fn, ctx };
	struct stat st;
	size_t len = 0;
	char *body;
	int rc;

	if (!catalog_url)
		catalog_url = odl_schema_catalog_url();
	if (!cache_dir) {
		if (default_cache_dir(dir, sizeof(dir)) != 0)
			return odl_fail(err, ODL_ENOTFOUND, "no cache directory (neither XDG_CACHE_HOME nor HOME)");
		cache_dir = dir;
	}
	/* looking must not create the cache */
	if (stat(cache_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return odl_fail(err, ODL_ENOTFOUND, "the schema catalogue is not cached");
	if (!(w.cache = odl_cache_new(cache_dir, err)))
		return err ? err->code : ODL_EIO;
	if (odl_cache_lookup(w.cache, catalog_url, &m, path, sizeof(path)) != ODL_OK) {
		odl_cache_free(w.cache);
		return odl_fail(err, ODL_ENOTFOUND, "the schema catalogue is not cached");
	}
	if (!(body = read_bounded(path, CATALOG_MAX_BYTES, &len))) {
		odl_cache_free(w.cache);
		odl_error_at(err, path, 0, 0, NULL);
		return odl_fail(err, ODL_EIO, "cannot read the cached schema catalogue");
	}
	rc = odl_datagouv_parse_schema_catalog(body, len, catalog_url, on_version, &w, err);
	free(body);
	odl_cache_free(w.cache);
	return rc;
}

struct find {
	const char *name, *version;
	char *path;
	size_t size;
	int found;
	char best[64];
	char avail[256];
};

/* "1.1.6" is also published as "v1.1.6" (prenoms) */
static int same_version(const char *a, const char *b)
{
	if (*a == 'v')
		a++;
	if (*b == 'v')
		b++;
	return strcmp(a, b) == 0;
}

static int on_find(void *ctx, const char *name, const char *version, const char *path)
{
	struct find *f = ctx;
	size_t n;

	if (strcmp(name, f->name) != 0)
		return 0;
	if (f->version ? same_version(version, f->version) && !f->found
		       : !f->found || odl_version_compare(version, f->best) > 0) {
		/* a name alone: the highest cached version */
		snprintf(f->path, f->size, "%s", path);
		snprintf(f->best, sizeof(f->best), "%s", version);
		f->found = 1;
	}
	n = strlen(f->avail);
	if (n + strlen(version) + 3 < sizeof(f->avail))
		snprintf(f->avail + n, sizeof(f->avail) - n, "%s%s", n ? ", " : "", version);
	return 0;
}

int odl_schema_resolve_any(const char *ref, const char *data_dir, char *path, size_t path_size,
			   struct odl_error *err)
{
	struct odl_error first, cerr;
	char name[256];
	const char *at;
	int rc;

	odl_error_clear(&first);
	rc = odl_schema_resolve(ref, data_dir, path, path_size, &first);
	if (rc != ODL_ENOTFOUND || strstr(ref, "://") || strstr(ref, ".json"))
		goto keep;
	at = strchr(ref, '@');
	snprintf(name, sizeof(name), "%.*s", (int)(at ? (size_t)(at - ref) : strlen(ref)), ref);
	if (!strchr(name, '/'))
		goto keep;
	struct find f = { name, at ? at + 1 : NULL, path, path_size, 0, "", "" };
	odl_error_clear(&cerr);
	if (odl_schema_cached_versions(NULL, NULL, on_find, &f, &cerr) != ODL_OK) {
		if (cerr.code == ODL_ENOTFOUND) {
			odl_error_at(err, first.file, 0, 0, NULL);
			return odl_fail(err, rc, "%s; 'odl-fetch schemas' caches every published version for offline use",
					first.message);
		}
		goto keep;
	}
	if (f.found)
		return ODL_OK;
	if (*f.avail) {
		odl_error_at(err, first.file, 0, 0, NULL);
		return odl_fail(err, rc, "%s; cached: %s", first.message, f.avail);
	}
keep:
	if (err && rc != ODL_OK)
		*err = first;
	return rc;
}

void odl_header_compare(const odl_schema *s, const char *const *labels, size_t nlabels,
			struct odl_header_match *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < nlabels; i++) {
		int k = odl_field_index(s, labels[i], strlen(labels[i]));
		if (k < 0)
			continue;
		m->matched++;
		if ((size_t)k == i)
			m->in_place++;
	}
	size_t uni = s->nfields + nlabels - m->matched;
	m->score = uni ? (double)m->matched / (double)uni : 0;
}

/* "menu_type_repas" and "menuTypeRepas" are the same name, told apart by case and separators */
static void squash(const char *s, char *out, size_t size)
{
	size_t o = 0;
	for (; *s && o + 1 < size; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))
			out[o++] = *s;
		else if (*s >= 'A' && *s <= 'Z')
			out[o++] = (char)(*s - 'A' + 'a');
	out[o] = 0;
}

static int has_label(const char *const *labels, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(labels[i], name) == 0)
			return 1;
	return 0;
}

static void append(char *buf, size_t size, const char *sep, const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(buf);
	if (n + 8 >= size)
		return;
	snprintf(buf + n, size - n, "%s", n ? sep : "");
	n = strlen(buf);
	snprintf(buf + n, size - n, fmt, a, b);
}

int odl_header_upgrade(const odl_schema *from, const odl_schema *latest, const char *const *labels,
		       size_t nlabels, char *missing, size_t msize, char *renamed, size_t rsize)
{
	char a[256], b[256];
	int n = 0;

	*missing = *renamed = 0;
	for (size_t k = 0; k < latest->nfields; k++) {
		const char *want = latest->fields[k].name;
		const char *old = NULL;
		if (has_label(labels, nlabels, want))
			continue;
		n++;
		squash(want, a, sizeof(a));
		/* a label of the file that is not in the latest version: the same
		 * name written otherwise, or the field at the same place in the
		 * version the file follows when that field left the schema */
		for (size_t i = 0; i < nlabels && !old; i++) {
			if (odl_field_index(latest, labels[i], strlen(labels[i])) >= 0)
				continue;
			squash(labels[i], b, sizeof(b));
			if (strcmp(a, b) == 0)
				old = labels[i];
		}
		if (!old && from && k < from->nfields &&
		    odl_field_index(latest, from->fields[k].name, from->fields[k].name_len) < 0 &&
		    odl_field_index(from, want, strlen(want)) < 0 &&
		    has_label(labels, nlabels, from->fields[k].name))
			old = from->fields[k].name;
		if (old)
			append(renamed, rsize, ", ", "%s -> %s", old, want);
		else
			append(missing, msize, ", ", "%s%s", want, "");
	}
	return n;
}

struct list {
	struct odl_schema_candidate *c;
	size_t n, cap;
	char orgs[8][64];
	size_t norgs;
	int failed;
};

static void add_candidate(struct list *l, const char *name, const char *version, const char *path,
			  int cached)
{
	const char *v = version[0] == 'v' ? version + 1 : version;
	for (size_t i = 0; i < l->n; i++) {
		const char *w = l->c[i].version[0] == 'v' ? l->c[i].version + 1 : l->c[i].version;
		if (strcmp(l->c[i].name, name) == 0 && strcmp(w, v) == 0)
			return; /* listed first, odl's own file wins */
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct odl_schema_candidate *nc = realloc(l->c, cap * sizeof(*nc));
		if (!nc) {
			l->failed = 1;
			return;
		}
		l->c = nc;
		l->cap = cap;
	}
	struct odl_schema_candidate *c = &l->c[l->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%.190s", name);
	snprintf(c->version, sizeof(c->version), "%.60s", version);
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->cached = cached;
}

static int on_candidate(void *ctx, const char *name, const char *version, const char *path)
{
	struct list *l = ctx;
	for (size_t i = 0; i < l->norgs; i++) {
		size_t n = strlen(l->orgs[i]);
		if (strncmp(name, l->orgs[i], n) == 0 && name[n] == '/') {
			add_candidate(l, name, version, path, 1);
			break;
		}
	}
	return 0;
}

int odl_schema_candidates(const char *data_dir, struct odl_schema_candidate **out, size_t *n,
			  int *have_cache, struct odl_error *err)
{
	struct list l;
	char root[PATH_MAX];
	DIR *orgs;
	struct dirent *o;

	memset(&l, 0, sizeof(l));
	snprintf(root, sizeof(root), "%s/schemas", data_dir);
	orgs = opendir(root);
	while (orgs && (o = readdir(orgs))) {
		char od[PATH_MAX + 256];
		if (o->d_name[0] == '.')
			continue;
		snprintf(od, sizeof(od), "%s/%.200s", root, o->d_name);
		DIR *names = opendir(od);
		if (!names)
			continue; /* index.json */
		if (l.norgs < sizeof(l.orgs) / sizeof(l.orgs[0]))
			snprintf(l.orgs[l.norgs++], sizeof(l.orgs[0]), "%.60s", o->d_name);
		struct dirent *nm;
		while ((nm = readdir(names))) {
			char nd[PATH_MAX + 512];
			if (nm->d_name[0] == '.')
				continue;
			snprintf(nd, sizeof(nd), "%s/%.200s", od, nm->d_name);
			DIR *vd = opendir(nd);
			struct dirent *ve;
			while (vd && (ve = readdir(vd))) {
				size_t k = strlen(ve->d_name);
				char name[450], ver[128], p[PATH_MAX + 800];
				if (ve->d_name[0] == '.' || k < 6 || strcmp(ve->d_name + k - 5, ".json") != 0)
					continue;
				snprintf(name, sizeof(name), "%.200s/%.200s", o->d_name, nm->d_name);
				snprintf(ver, sizeof(ver), "%.*s", (int)(k - 5 < 100 ? k - 5 : 100), ve->d_name);
				snprintf(p, sizeof(p), "%s/%s", nd, ve->d_name);
				add_candidate(&l, name, ver, p, 0);
			}
			if (vd)
				closedir(vd);
		}
		closedir(names);
	}
	if (orgs)
		closedir(orgs);
	*have_cache = odl_schema_cached_versions(NULL, NULL, on_candidate, &l, NULL) == ODL_OK;
	if (l.failed) {
		free(l.c);
		*out = NULL;
		*n = 0;
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	*out = l.c;
	*n = l.n;
	return ODL_OK;
}
