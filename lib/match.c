/* match.c - collectivités to data.gouv.fr organizations through the catalog exports. */
#include "odl/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "odl/csv.h"

struct territory {
	char *code;
	uint32_t siren;
};

struct org {
	char *id;
	char *name;
	char *siret;
	char *slug;
	uint32_t territory;
};

/* Open addressing, linear probing; slot value 0 = empty, else index + 1. */
struct table {
	uint32_t *slots;
	size_t cap; /* power of two */
};

struct odl_match {
	struct odl_match_options opt;
	struct territory *terr;
	size_t nterr, terr_cap;
	struct table by_siren;
	struct org *orgs;
	size_t norgs, orgs_cap;
	struct table by_org_id;
	uint64_t no_siren;
	char first_no_siren[32];
};

uint64_t odl_match_without_siren(const odl_match *m, const char **first)
{
	if (first)
		*first = m->first_no_siren;
	return m->no_siren;
}

void odl_match_options_init(struct odl_match_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->max_territories = 1000000;
	opt->max_organizations = 1000000;
	opt->export_delimiter = ';';
}

odl_match *odl_match_new(const struct odl_match_options *opt)
{
	odl_match *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	if (opt)
		m->opt = *opt;
	else
		odl_match_options_init(&m->opt);
	if (m->opt.max_territories == 0 || m->opt.max_organizations == 0 ||
	    m->opt.max_territories > UINT32_MAX / 4 || m->opt.max_organizations > UINT32_MAX / 4) {
		free(m);
		return NULL;
	}
	return m;
}

static void free_orgs(odl_match *m)
{
	for (size_t i = 0; i < m->norgs; i++) {
		free(m->orgs[i].id);
		free(m->orgs[i].name);
		free(m->orgs[i].siret);
		free(m->orgs[i].slug);
	}
	m->norgs = 0;
	free(m->by_org_id.slots);
	m->by_org_id.slots = NULL;
	m->by_org_id.cap = 0;
}

void odl_match_free(odl_match *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nterr; i++)
		free(m->terr[i].code);
	free(m->terr);
	free(m->by_siren.slots);
	free_orgs(m);
	free(m->orgs);
	free(m);
}

static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static uint64_t hash_u32(uint32_t v)
{
	uint64_t h = v * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 31);
}

/* Double the table when it would pass half full; rehash with key(). */
static int table_reserve(struct table *t, size_t n, uint64_t (*key)(const odl_match *, uint32_t),
			 const odl_match *m)
{
	if (t->cap && n * 2 <= t->cap)
		return ODL_OK;
	size_t cap = t->cap ? t->cap * 2 : 1024;
	while (n * 2 > cap)
		cap *= 2;
	uint32_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return ODL_ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		uint32_t v = t->slots[i];
		if (!v)
			continue;
		size_t j = (size_t)key(m, v - 1) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = v;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return ODL_OK;
}

static uint64_t terr_key(const odl_match *m, uint32_t i)
{
	return hash_u32(m->terr[i].siren);
}

static uint64_t org_key(const odl_match *m, uint32_t i)
{
	return hash_bytes(m->orgs[i].id, strlen(m->orgs[i].id));
}

static long find_territory(const odl_match *m, uint32_t siren)
{
	if (!m->by_siren.cap)
		return -1;
	size_t mask = m->by_siren.cap - 1;
	for (size_t j = (size_t)hash_u32(siren) & mask; m->by_siren.slots[j]; j = (j + 1) & mask)
		if (m->terr[m->by_siren.slots[j] - 1].siren == siren)
			return (long)m->by_siren.slots[j] - 1;
	return -1;
}

static long find_org(const odl_match *m, const char *id, size_t len)
{
	if (!m->by_org_id.cap)
		return -1;
	size_t mask = m->by_org_id.cap - 1;
	for (size_t j = (size_t)hash_bytes(id, len) & mask; m->by_org_id.slots[j]; j = (j + 1) & mask) {
		const char *s = m->orgs[m->by_org_id.slots[j] - 1].id;
		if (strlen(s) == len && memcmp(s, id, len) == 0)
			return (long)m->by_org_id.slots[j] - 1;
	}
	return -1;
}

/* The SIREN of 9 digits, or of a 14-digit SIRET, spaces ignored; 0 = none. */
static int parse_business_number(const char *p, size_t n, uint32_t *siren)
{
	char d[15];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == ' ' || c == '\t')
			continue;
		if (c < '0' || c > '9' || k == 14)
			return 0;
		d[k++] = (char)c;
	}
	if (k != 9 && k != 14)
		return 0;
	uint32_t v = 0;
	for (size_t i = 0; i < 9; i++)
		v = v * 10 + (uint32_t)(d[i] - '0');
	*siren = v;
	return 1;
}

static char *dup_cell(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}

static int add_territory(odl_match *m, const char *code, size_t code_len, uint32_t siren)
{
	if (find_territory(m, siren) >= 0)
		return ODL_OK;
	if (m->nterr >= m->opt.max_territories)
		return ODL_ELIMIT;
	if (m->nterr == m->terr_cap) {
		size_t cap = m->terr_cap ? m->terr_cap * 2 : 256;
		struct territory *t = realloc(m->terr, cap * sizeof(*t));
		if (!t)
			return ODL_ENOMEM;
		m->terr = t;
		m->terr_cap = cap;
	}
	if (table_reserve(&m->by_siren, m->nterr + 1, terr_key, m))
		return ODL_ENOMEM;
	char *c = dup_cell(code, code_len);
	if (!c)
		return ODL_ENOMEM;
	m->terr[m->nterr].code = c;
	m->terr[m->nterr].siren = siren;
	size_t mask = m->by_siren.cap - 1;
	size_t j = (size_t)hash_u32(siren) & mask;
	while (m->by_siren.slots[j])
		j = (j + 1) & mask;
	m->by_siren.slots[j] = (uint32_t)m->nterr + 1;
	m->nterr++;
	return ODL_OK;
}

int odl_match_add_territory(odl_match *m, const char *code, const char *siren,
			    struct odl_error *err)
{
	uint32_t s;
	if (!m || !code || !*code || !siren || strlen(siren) != 9 ||
	    !parse_business_number(siren, 9, &s))
		return odl_fail(err, ODL_EINVAL, "a territory needs a code and a 9-digit siren");
	int rc = add_territory(m, code, strlen(code), s);
	if (rc == ODL_ELIMIT)
		return odl_fail(err, rc, "more than %zu territories", m->opt.max_territories);
	if (rc)
		return odl_fail(err, rc, "%s", odl_strerror(rc));
	return ODL_OK;
}

/* ------------------------------------------------------------------ reading */

enum { MAXCOL = 20 };

/* What every pass shares: the header's column positions and our own error. */
struct pass {
	odl_match *m;
	const char *path;
	const char *const *names; /* columns wanted, NULL-terminated */
	size_t required;          /* the first `required` names must be present */
	long col[MAXCOL];
	struct odl_error *err;
	struct odl_error own;     /* ours: the reader rewrites err when a callback stops it */
	int rc;                   /* set with own */
	int (*row)(struct pass *p, const struct odl_record *rec);
	/* resources */
	odl_match_fn fn;
	void *ctx;
	char *buf;
	size_t buf_cap;
};

static int cell_eq(const struct odl_cell *c, const char *s)
{
	size_t n = strlen(s);
	const char *p = c->ptr;
	size_t len = c->len;
	/* a UTF-8 BOM is the reader's business, but a stray one in a header cell is not */
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		len -= 3;
	}
	return len == n && memcmp(p, s, n) == 0;
}

static int pass_fail(struct pass *p, int code, uint64_t line, const char *field,
		     const char *msg)
{
	odl_fail(&p->own, code, "%s", msg);
	odl_error_at(&p->own, p->path, line, 0, field);
	p->rc = code;
	return 1;
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct pass *p = ctx;
	if (rec->is_header) {
		for (size_t k = 0; p->names[k]; k++) {
			p->col[k] = -1;
			for (size_t i = 0; i < rec->ncells; i++)
				if (cell_eq(&rec->cells[i], p->names[k])) {
					p->col[k] = (long)i;
					break;
				}
			if (k < p->required && p->col[k] < 0)
				return pass_fail(p, ODL_EFORMAT, rec->line, p->names[k],
						 "missing column");
		}
		return 0;
	}
	if (rec->is_blank)
		return 0;
	return p->row(p, rec);
}

static const struct odl_cell *cell(const struct pass *p, const struct odl_record *rec, size_t k)
{
	static const struct odl_cell empty = { "", 0 };
	long c = p->col[k];
	if (c < 0 || (size_t)c >= rec->ncells)
		return &empty;
	return &rec->cells[c];
}

static int run_pass(struct pass *p, char delimiter)
{
	struct odl_csv_options opt;
	odl_csv_options_init(&opt);
	opt.delimiter = delimiter;
	opt.name = p->path;
	odl_csv *csv = odl_csv_new(&opt, on_record, p);
	if (!csv)
		return odl_fail(p->err, ODL_ENOMEM, "out of memory");
	int rc = odl_csv_read_path(csv, p->path, p->err);
	odl_csv_free(csv);
	if (p->rc) {
		if (p->err)
			*p->err = p->own;
		return p->rc;
	}
	return rc;
}

static int territory_row(struct pass *p, const struct odl_record *rec)
{
	const struct odl_cell *code = cell(p, rec, 0), *siren = cell(p, rec, 1);
	uint32_t s;
	if (code->len == 0)
		return pass_fail(p, ODL_EFORMAT, rec->line, "code", "empty territory code");
	if (siren->len == 0) {
		/* the territory table leaves it empty when no source gives one */
		if (!p->m->no_siren++) {
			size_t n = code->len < sizeof(p->m->first_no_siren) ? code->len :
				   sizeof(p->m->first_no_siren) - 1;
			memcpy(p->m->first_no_siren, code->ptr, n);
			p->m->first_no_siren[n] = 0;
		}
		return 0;
	}
	if (siren->len != 9 || !parse_business_number(siren->ptr, siren->len, &s))
		return pass_fail(p, ODL_EFORMAT, rec->line, "siren", "not a 9-digit siren");
	int rc = add_territory(p->m, code->ptr, code->len, s);
	if (rc == ODL_ELIMIT) {
		char msg[96];
		snprintf(msg, sizeof(msg), "more than %zu territories", p->m->opt.max_territories);
		return pass_fail(p, rc, rec->line, NULL, msg);
	}
	if (rc)
		return pass_fail(p, rc, rec->line, NULL, odl_strerror(rc));
	return 0;
}

int odl_match_load_territories(odl_match *m, const char *path, struct odl_error *err)
{
	static const char *const names[] = { "code", "siren", NULL };
	if (!m || !path)
		return odl_fail(err, ODL_EINVAL, "no territory file");
	struct pass p = { .m = m, .path = path, .names = names, .required = 2, .err = err,
			  .row = territory_row };
	return run_pass(&p, 0);
}

static int org_row(struct pass *p, const struct odl_record *rec)
{
	odl_match *m = p->m;
	const struct odl_cell *id = cell(p, rec, 0), *name = cell(p, rec, 1),
			      *bni = cell(p, rec, 2), *slug = cell(p, rec, 3);
	uint32_t siren;
	if (id->len == 0 || !parse_business_number(bni->ptr, bni->len, &siren))
		return 0;
	long t = find_territory(m, siren);
	if (t < 0 || find_org(m, id->ptr, id->len) >= 0)
		return 0;
	if (m->norgs >= m->opt.max_organizations) {
		char msg[96];
		snprintf(msg, sizeof(msg), "more than %zu matching organizations",
			 m->opt.max_organizations);
		return pass_fail(p, ODL_ELIMIT, rec->line, NULL, msg);
	}
	if (m->norgs == m->orgs_cap) {
		size_t cap = m->orgs_cap ? m->orgs_cap * 2 : 64;
		struct org *o = realloc(m->orgs, cap * sizeof(*o));
		if (!o)
			return pass_fail(p, ODL_ENOMEM, rec->line, NULL, "out of memory");
		m->orgs = o;
		m->orgs_cap = cap;
	}
	struct org *o = &m->orgs[m->norgs];
	o->id = dup_cell(id->ptr, id->len);
	o->name = dup_cell(name->ptr, name->len);
	o->siret = dup_cell(bni->ptr, bni->len);
	o->slug = dup_cell(slug->ptr, slug->len);
	o->territory = (uint32_t)t;
	if (!o->id || !o->name || !o->siret || !o->slug ||
	    table_reserve(&m->by_org_id, m->norgs + 1, org_key, m)) {
		free(o->id);
		free(o->name);
		free(o->siret);
		free(o->slug);
		return pass_fail(p, ODL_ENOMEM, rec->line, NULL, "out of memory");
	}
	size_t mask = m->by_org_id.cap - 1;
	size_t j = (size_t)hash_bytes(o->id, id->len) & mask;
	while (m->by_org_id.slots[j])
		j = (j + 1) & mask;
	m->by_org_id.slots[j] = (uint32_t)m->norgs + 1;
	m->norgs++;
	return 0;
}

int odl_match_read_organizations(odl_match *m, const char *path, struct odl_error *err)
{
	static const char *const names[] = { "id", "name", "business_number_id", "slug", NULL };
	if (!m || !path)
		return odl_fail(err, ODL_EINVAL, "no organizations export");
	free_orgs(m);
	struct pass p = { .m = m, .path = path, .names = names, .required = 3, .err = err,
			  .row = org_row };
	return run_pass(&p, m->opt.export_delimiter);
}

/* Column order of the resources pass; the first two are required. */
enum {
	R_ORG, R_ID, R_DID, R_DTITLE, R_DSLUG, R_TITLE, R_URL, R_FORMAT, R_TYPE,
	R_CKTYPE, R_CKVALUE, R_SCHEMA, R_SCHEMAV, R_MODIFIED, R_N
};

static int resource_row(struct pass *p, const struct odl_record *rec)
{
	const struct odl_cell *oc = cell(p, rec, R_ORG);
	long o = find_org(p->m, oc->ptr, oc->len);
	if (o < 0)
		return 0;
	/* NUL-terminated copies of the cells we hand out, in one buffer */
	size_t need = 0;
	for (size_t k = 0; k < R_N; k++)
		need += cell(p, rec, k)->len + 1;
	if (need > p->buf_cap) {
		char *b = realloc(p->buf, need);
		if (!b)
			return pass_fail(p, ODL_ENOMEM, rec->line, NULL, "out of memory");
		p->buf = b;
		p->buf_cap = need;
	}
	const char *s[R_N];
	char *w = p->buf;
	for (size_t k = 0; k < R_N; k++) {
		const struct odl_cell *c = cell(p, rec, k);
		memcpy(w, c->ptr, c->len);
		w[c->len] = 0;
		s[k] = w;
		w += c->len + 1;
	}
	const struct org *org = &p->m->orgs[o];
	const struct territory *t = &p->m->terr[org->territory];
	char siren[10];
	snprintf(siren, sizeof(siren), "%09u", (unsigned)t->siren);
	struct odl_match_resource r = {
		.territory = t->code, .siren = siren,
		.org_id = org->id, .org_name = org->name, .org_siret = org->siret,
		.dataset_id = s[R_DID], .dataset_title = s[R_DTITLE], .dataset_slug = s[R_DSLUG],
		.id = s[R_ID], .title = s[R_TITLE], .url = s[R_URL], .format = s[R_FORMAT],
		.type = s[R_TYPE], .checksum_type = s[R_CKTYPE], .checksum_value = s[R_CKVALUE],
		.schema_name = s[R_SCHEMA], .schema_version = s[R_SCHEMAV],
		.modified = s[R_MODIFIED], .line = rec->line, .org_slug = org->slug,
	};
	if (p->fn(p->ctx, &r))
		return pass_fail(p, ODL_ECANCELED, rec->line, NULL, "stopped by the callback");
	return 0;
}

int odl_match_read_resources(odl_match *m, const char *path, odl_match_fn fn, void *ctx,
			     struct odl_error *err)
{
	static const char *const names[] = {
		"dataset.organization_id", "id", "dataset.id", "dataset.title", "dataset.slug",
		"title", "url", "format", "type", "checksum.type", "checksum.value",
		"schema_name", "schema_version", "modified", NULL
	};
	if (!m || !path || !fn)
		return odl_fail(err, ODL_EINVAL, "no resources export or callback");
	struct pass p = { .m = m, .path = path, .names = names, .required = 2, .err = err,
			  .row = resource_row, .fn = fn, .ctx = ctx };
	int rc = run_pass(&p, m->opt.export_delimiter);
	free(p.buf);
	return rc;
}

size_t odl_match_territory_count(const odl_match *m)
{
	return m ? m->nterr : 0;
}

size_t odl_match_org_count(const odl_match *m)
{
	return m ? m->norgs : 0;
}

int odl_match_org_at(const odl_match *m, size_t i, struct odl_match_org *out)
{
	if (!m || i >= m->norgs || !out)
		return ODL_ENOTFOUND;
	const struct org *o = &m->orgs[i];
	const struct territory *t = &m->terr[o->territory];
	snprintf(out->siren, sizeof(out->siren), "%09u", (unsigned)t->siren);
	out->territory = t->code;
	out->id = o->id;
	out->name = o->name;
	out->siret = o->siret;
	out->slug = o->slug;
	return ODL_OK;
}

const char *odl_match_territory_of(const odl_match *m, const char *siren)
{
	uint32_t s;
	if (!m || !siren || strlen(siren) != 9 || !parse_business_number(siren, 9, &s))
		return NULL;
	long t = find_territory(m, s);
	return t < 0 ? NULL : m->terr[t].code;
}
