/* territory_build.c - the territory table from Insee's COG (communes,
 * municipal arrondissements, départements, régions), Insee's populations
 * légales, the DGCL composition of the EPCI and SIREN tables. */
#include "odl/territory.h"
#include "territory_map.h"
#include "territory_priv.h"
#include "error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* where a population comes from: a bit per base source */
enum { SRC_INSEE = 1, SRC_DGCL = 2 };

struct commune {
	char *code, *name, *dep, *reg, *parent; /* parent: an ARM's commune */
	char *pmun, *ptot;                       /* Insee's, as written */
	char *dgcl_pmun, *dgcl_ptot;             /* the DGCL file's, as written */
	char *siren, *epci;
	int arm;                                 /* TYPECOM ARM */
	/* a commune: the sum of its arrondissements */
	double arm_ptot, arm_pmun;
	size_t n_arm, n_arm_pop;
	/* the population chosen */
	double ptot_v, pmun_v;
	int has_pop, has_pmun, src;
};

/* an aggregate (EPCI, département, région): the sum of its communes */
struct agg {
	char *code, *name, *dep, *reg, *siren, *parent, *nature;
	double ptot, pmun;
	size_t members, with_pop, with_pmun;
	int src;
};

struct build {
	const struct odl_territory_sources *in;
	struct odl_territory_build_stats *st;
	struct commune *com;
	size_t ncom, capcom;
	struct odl_strmap com_by_code;
	struct agg *epci, *dep, *reg;
	size_t nepci, capepci, ndep, capdep, nreg, capreg;
	struct odl_strmap epci_by_siren, dep_by_code, reg_by_code;
	struct odl_strmap dep_siren, reg_siren; /* COG code -> index in sirens */
	char **sirens;
	size_t nsirens, capsirens;
	char insee_source[64], dgcl_source[80];
};

static int oom(struct odl_error *err)
{
	return odl_fail(err, ODL_ENOMEM, "out of memory");
}

static int is_text(const struct odl_cell *c, const char *s)
{
	size_t n = strlen(s);
	return c->len == n && memcmp(c->ptr, s, n) == 0;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 256;
	void *q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static void gap(struct build *b, enum odl_territory_gap_cause cause, const char *code)
{
	struct odl_territory_gap *g;

	if (!b->st)
		return;
	g = &b->st->gap[cause];
	if (g->n < ODL_TERRITORY_GAP_FIRST)
		snprintf(g->first[g->n], sizeof(g->first[0]), "%s", code);
	g->n++;
}

/* ---- reading ---- */

static int on_cog(void *ctx, const struct odl_cell *c, const struct odl_record *rec,
		  struct odl_error *err)
{
	struct build *b = ctx;
	int arm = is_text(&c[0], "ARM");

	(void)rec;
	if (!arm && !is_text(&c[0], "COM"))
		return 0;
	if (grow((void **)&b->com, &b->capcom, b->ncom, sizeof(*b->com)))
		return oom(err);
	struct commune *m = &b->com[b->ncom];
	memset(m, 0, sizeof(*m));
	m->arm = arm;
	m->code = odl_cell_dup(&c[1]);
	m->reg = odl_cell_dup(&c[2]);
	m->dep = odl_cell_dup(&c[3]);
	m->name = odl_cell_dup(&c[4]);
	m->parent = odl_cell_dup(&c[5]);
	b->ncom++;
	if (!m->code || !m->reg || !m->dep || !m->name || !m->parent)
		return oom(err);
	size_t idx = b->ncom - 1;
	if (odl_strmap_put(&b->com_by_code, m->code, strlen(m->code), &idx) < 0)
		return oom(err);
	return 0;
}

static int on_pop(void *ctx, const struct odl_cell *c, const struct odl_record *rec,
		  struct odl_error *err)
{
	struct build *b = ctx;
	size_t idx;

	(void)rec;
	if (!odl_strmap_get(&b->com_by_code, c[0].ptr, c[0].len, &idx))
		return 0;
	struct commune *m = &b->com[idx];
	free(m->pmun);
	free(m->ptot);
	m->pmun = odl_cell_dup(&c[1]);
	m->ptot = odl_cell_dup(&c[2]);
	return m->pmun && m->ptot ? 0 : oom(err);
}

static struct agg *agg_add(struct agg **v, size_t *n, size_t *cap, struct odl_error *err)
{
	if (grow((void **)v, cap, *n, sizeof(**v))) {
		oom(err);
		return NULL;
	}
	struct agg *a = &(*v)[(*n)++];
	memset(a, 0, sizeof(*a));
	return a;
}

static int on_epci(void *ctx, const struct odl_cell *c, const struct odl_record *rec,
		   struct odl_error *err)
{
	struct build *b = ctx;
	size_t idx = b->nepci;
	int rc;

	(void)rec;
	if (c[0].len == 0)
		return 0;
	rc = odl_strmap_put(&b->epci_by_siren, c[0].ptr, c[0].len, &idx);
	if (rc < 0)
		return oom(err);
	if (rc == 1) {
		struct agg *e = agg_add(&b->epci, &b->nepci, &b->capepci, err);
		if (!e)
			return ODL_ENOMEM;
		e->code = odl_cell_dup(&c[0]);
		e->siren = odl_cell_dup(&c[0]);
		e->name = odl_cell_dup(&c[1]);
		e->dep = odl_cell_dup(&c[4]);
		e->nature = odl_cell_dup(&c[7]);
		if (!e->code || !e->siren || !e->name || !e->dep || !e->nature)
			return oom(err);
	}
	size_t ci;
	if (!odl_strmap_get(&b->com_by_code, c[2].ptr, c[2].len, &ci) || b->com[ci].arm)
		return 0;
	struct commune *m = &b->com[ci];
	free(m->epci);
	m->epci = odl_cell_dup(&c[0]);
	if (!m->epci)
		return oom(err);
	if (c[3].len) {
		free(m->siren);
		if (!(m->siren = odl_cell_dup(&c[3])))
			return oom(err);
	}
	free(m->dgcl_ptot);
	free(m->dgcl_pmun);
	m->dgcl_ptot = odl_cell_dup(&c[5]);
	m->dgcl_pmun = odl_cell_dup(&c[6]);
	if (!m->dgcl_ptot || !m->dgcl_pmun)
		return oom(err);
	if (!b->epci[idx].reg && !(b->epci[idx].reg = strdup(m->reg)))
		return oom(err);
	return 0;
}

static int on_dep(void *ctx, const struct odl_cell *c, const struct odl_record *rec,
		  struct odl_error *err)
{
	struct build *b = ctx;
	size_t idx = b->ndep;

	if (!c[0].len)
		return 0;
	int rc = odl_strmap_put(&b->dep_by_code, c[0].ptr, c[0].len, &idx);
	if (rc < 0)
		return oom(err);
	if (rc == 0) {
		odl_error_at(err, NULL, rec->line, 0, "DEP");
		return odl_fail(err, ODL_EFORMAT, "département listed twice");
	}
	struct agg *d = agg_add(&b->dep, &b->ndep, &b->capdep, err);
	if (!d)
		return ODL_ENOMEM;
	d->dep = odl_cell_dup(&c[0]);
	d->reg = odl_cell_dup(&c[1]);
	d->name = odl_cell_dup(&c[2]);
	return d->dep && d->reg && d->name ? 0 : oom(err);
}

static int on_reg(void *ctx, const struct odl_cell *c, const struct odl_record *rec,
		  struct odl_error *err)
{
	struct build *b = ctx;
	size_t idx = b->nreg;

	if (!c[0].len)
		return 0;
	int rc = odl_strmap_put(&b->reg_by_code, c[0].ptr, c[0].len, &idx);
	if (rc < 0)
		return oom(err);
	if (rc == 0) {
		odl_error_at(err, NULL, rec->line, 0, "REG");
		return odl_fail(err, ODL_EFORMAT, "région listed twice");
	}
	struct agg *r = agg_add(&b->reg, &b->nreg, &b->capreg, err);
	if (!r)
		return ODL_ENOMEM;
	r->reg = odl_cell_dup(&c[0]);
	r->dep = strdup("");
	r->name = odl_cell_dup(&c[1]);
	return r->reg && r->dep && r->name ? 0 : oom(err);
}

static int nine_digits(const struct odl_cell *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->len; i++) {
		if (c->ptr[i] == ' ')
			continue;
		if (!isdigit((unsigned char)c->ptr[i]))
			return 0;
		n++;
	}
	return n == 9;
}

/* a SIREN table: communes (insee, siren), or collectivités (COG, SIREN,
 * type DEP, REG or CTU) */
struct siren_ctx {
	struct build *b;
	char (*found)[64];
	int layout; /* 0 not yet known, 1 communes, 2 collectivités */
};

static int on_siren(void *ctx, const struct odl_cell *c, const struct odl_record *rec,
		    struct odl_error *err)
{
	struct siren_ctx *sc = ctx;
	struct build *b = sc->b;
	size_t idx;

	if (!sc->layout) {
		/* the header tells the layout */
		sc->layout = sc->found[0][0] && sc->found[1][0] ? 1 :
			     sc->found[2][0] && sc->found[3][0] && sc->found[4][0] ? 2 : -1;
		if (sc->layout < 0) {
			odl_error_at(err, NULL, 1, 0, NULL);
			return odl_fail(err, ODL_EFORMAT, "a SIREN table needs the columns insee "
				       "and siren (communes) or SIREN, COG and type (départements, "
				       "régions)");
		}
	}
	const struct odl_cell *siren = sc->layout == 1 ? &c[1] : &c[2];
	if (!siren->len)
		return 0;
	if (!nine_digits(siren)) {
		odl_error_at(err, NULL, rec->line, 0, sc->layout == 1 ? "siren" : "SIREN");
		return odl_fail(err, ODL_EFORMAT, "not a 9-digit siren");
	}
	if (sc->layout == 1) {
		if (!odl_strmap_get(&b->com_by_code, c[0].ptr, c[0].len, &idx) || b->com[idx].arm)
			return 0;
		struct commune *m = &b->com[idx];
		if (m->siren && *m->siren)
			return 0;
		free(m->siren);
		return (m->siren = odl_cell_dup(siren)) ? 0 : oom(err);
	}
	struct odl_strmap *map = is_text(&c[4], "DEP") ? &b->dep_siren :
				 is_text(&c[4], "REG") || is_text(&c[4], "CTU") ? &b->reg_siren : NULL;
	if (!map || !c[3].len)
		return 0;
	idx = b->nsirens;
	int rc = odl_strmap_put(map, c[3].ptr, c[3].len, &idx);
	if (rc < 0 || grow((void **)&b->sirens, &b->capsirens, b->nsirens, sizeof(char *)))
		return oom(err);
	if (rc == 1 && !(b->sirens[b->nsirens++] = odl_cell_dup(siren)))
		return oom(err);
	return 0;
}

static int read_siren(struct build *b, const char *path, struct odl_error *err)
{
	static const char *const cols[] = { "insee", "siren", "SIREN", "COG", "type" };
	char found[5][64];
	struct siren_ctx sc = { b, found, 0 };
	int rc = odl_read_columns_found(path, cols, 5, on_siren, &sc, found, err);

	/* a table without rows still needs one of the layouts */
	if (rc == ODL_OK && !sc.layout && !(found[0][0] && found[1][0]) &&
	    !(found[2][0] && found[3][0] && found[4][0])) {
		odl_error_at(err, path, 1, 0, NULL);
		rc = odl_fail(err, ODL_EFORMAT, "a SIREN table needs the columns insee and siren "
			      "(communes) or SIREN, COG and type (départements, régions)");
		odl_xlsx_hint(path, rc, err);
	}
	return rc;
}

/* ---- assembling ---- */

static int number(const char *s, double *v)
{
	return s && *s && odl_parse_number(s, strlen(s), v) == ODL_OK && *v >= 0;
}

static void add_to(struct agg *a, const struct commune *m)
{
	a->members++;
	if (m->has_pop) {
		a->with_pop++;
		a->ptot += m->ptot_v;
		a->src |= m->src;
	}
	if (m->has_pmun) {
		a->with_pmun++;
		a->pmun += m->pmun_v;
	}
}

static void source_text(char *buf, size_t n, const struct build *b, int src, int sum, int arm)
{
	snprintf(buf, n, "%s%s%s%s%s", sum ? "sum:" : "", src & SRC_INSEE ? b->insee_source : "",
		 src == (SRC_INSEE | SRC_DGCL) ? "+" : "", src & SRC_DGCL ? b->dgcl_source : "",
		 arm ? "+arm" : "");
}

static void choose_population(struct build *b)
{
	/* arrondissements first: Paris, Lyon and Marseille are their sum */
	for (size_t i = 0; i < b->ncom; i++) {
		struct commune *m = &b->com[i];
		if (number(m->ptot, &m->ptot_v)) {
			m->has_pop = 1;
			m->src = SRC_INSEE;
			m->has_pmun = number(m->pmun, &m->pmun_v);
		}
		size_t p;
		if (!m->arm)
			continue;
		if (!m->has_pop)
			gap(b, ODL_GAP_ARM_POPULATION, m->code);
		if (!*m->parent || !odl_strmap_get(&b->com_by_code, m->parent, strlen(m->parent), &p))
			continue;
		struct commune *c = &b->com[p];
		c->n_arm++;
		if (m->has_pop) {
			c->n_arm_pop++;
			c->arm_ptot += m->ptot_v;
			c->arm_pmun += m->has_pmun ? m->pmun_v : 0;
		}
	}
	for (size_t i = 0; i < b->ncom; i++) {
		struct commune *m = &b->com[i];
		if (m->arm || m->has_pop)
			continue;
		if (m->n_arm && m->n_arm_pop == m->n_arm) {
			m->has_pop = m->has_pmun = 1;
			m->ptot_v = m->arm_ptot;
			m->pmun_v = m->arm_pmun;
			m->src = SRC_INSEE;
			if (b->st)
				b->st->arm_summed++;
		} else if (number(m->dgcl_ptot, &m->ptot_v)) {
			/* Mayotte: not in Insee's file, the DGCL's carries it */
			m->has_pop = 1;
			m->has_pmun = number(m->dgcl_pmun, &m->pmun_v);
			m->src = SRC_DGCL;
			if (b->st)
				b->st->dgcl_fallback++;
		} else {
			gap(b, ODL_GAP_COM_POPULATION, m->code);
		}
	}
}

static void fmt_number(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%.0f", v);
}

#define NCOLS 13

static int add_agg(odl_territories *t, struct build *b, struct agg *a, const char *type,
		   enum odl_territory_gap_cause no_pop, struct odl_error *err)
{
	char ptot[32] = "", pmun[32] = "", src[160] = "";

	if (a->members && a->with_pop == a->members) {
		fmt_number(ptot, sizeof(ptot), a->ptot);
		if (a->with_pmun == a->members)
			fmt_number(pmun, sizeof(pmun), a->pmun);
		source_text(src, sizeof(src), b, a->src, 1, 0);
	} else {
		/* named as the files name them: an EPCI by SIREN, others by COG code */
		gap(b, no_pop, no_pop == ODL_GAP_DEP_POPULATION ? a->dep :
			       no_pop == ODL_GAP_REG_POPULATION ? a->reg : a->code);
	}
	const char *cells[NCOLS] = { a->code, a->name, type, ptot, pmun, a->siren ? a->siren : "",
				     "", a->dep ? a->dep : "", a->reg ? a->reg : "", "",
				     a->parent ? a->parent : "", src, a->nature ? a->nature : "" };
	return odl_territories_add(t, cells, err);
}

/* a département's or région's code: its SIREN, else "dep:CODE" */
static int agg_code(struct build *b, struct agg *a, const char *kind, const char *cog,
		    struct odl_strmap *sirens, enum odl_territory_gap_cause no_siren)
{
	size_t i;
	char buf[64];

	if (odl_strmap_get(sirens, cog, strlen(cog), &i)) {
		a->siren = strdup(b->sirens[i]);
		a->code = strdup(b->sirens[i]);
	} else {
		snprintf(buf, sizeof(buf), "%s:%s", kind, cog);
		a->siren = strdup("");
		a->code = strdup(buf);
		gap(b, no_siren, cog);
	}
	return a->siren && a->code ? 0 : -1;
}

static int assemble(odl_territories *t, struct build *b, struct odl_error *err)
{
	static const char *const cols[NCOLS] = { "code", "name", "type", "population",
						 "population_municipale", "siren", "epci",
						 "dep", "reg", "agents", "parent",
						 "population_source", "nature" };
	int rc = odl_territories_set_columns(t, cols, NCOLS, err);
	size_t i, k;

	choose_population(b);
	for (i = 0; rc == ODL_OK && i < b->ndep; i++)
		if (agg_code(b, &b->dep[i], "dep", b->dep[i].dep, &b->dep_siren,
			     ODL_GAP_DEP_SIREN))
			rc = oom(err);
	for (i = 0; rc == ODL_OK && i < b->nreg; i++)
		if (agg_code(b, &b->reg[i], "reg", b->reg[i].reg, &b->reg_siren,
			     ODL_GAP_REG_SIREN))
			rc = oom(err);
	/* a département's parent is its région's row */
	for (i = 0; rc == ODL_OK && i < b->ndep; i++)
		if (odl_strmap_get(&b->reg_by_code, b->dep[i].reg, strlen(b->dep[i].reg), &k) &&
		    !(b->dep[i].parent = strdup(b->reg[k].code)))
			rc = oom(err);
	/* communes, then arrondissements, in COG order */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; rc == ODL_OK && i < b->ncom; i++) {
			struct commune *m = &b->com[i];
			char ptot[32] = "", pmun[32] = "", src[160] = "";
			if (m->arm != pass)
				continue;
			if (m->has_pop) {
				fmt_number(ptot, sizeof(ptot), m->ptot_v);
				if (m->has_pmun)
					fmt_number(pmun, sizeof(pmun), m->pmun_v);
				source_text(src, sizeof(src), b, m->src, 0,
					    !m->arm && m->n_arm && m->src == SRC_INSEE &&
					    !(m->ptot && *m->ptot));
			}
			if (!m->arm && !(m->siren && *m->siren))
				gap(b, ODL_GAP_COM_SIREN, m->code);
			const char *cells[NCOLS] = { m->code, m->name, m->arm ? "ARM" : "COM", ptot,
						     pmun, m->siren, m->epci, m->dep, m->reg, "",
						     m->arm ? m->parent : "", src, "" };
			if (!m->arm) {
				size_t e;
				if (m->epci && odl_strmap_get(&b->epci_by_siren, m->epci,
							      strlen(m->epci), &e))
					add_to(&b->epci[e], m);
				if (odl_strmap_get(&b->dep_by_code, m->dep, strlen(m->dep), &e))
					add_to(&b->dep[e], m);
				if (odl_strmap_get(&b->reg_by_code, m->reg, strlen(m->reg), &e))
					add_to(&b->reg[e], m);
			}
			rc = odl_territories_add(t, cells, err);
		}
	for (i = 0; rc == ODL_OK && i < b->nepci; i++)
		rc = add_agg(t, b, &b->epci[i], "EPCI", ODL_GAP_EPCI_POPULATION, err);
	for (i = 0; rc == ODL_OK && i < b->ndep; i++)
		rc = add_agg(t, b, &b->dep[i], "DEP", ODL_GAP_DEP_POPULATION, err);
	for (i = 0; rc == ODL_OK && i < b->nreg; i++)
		rc = add_agg(t, b, &b->reg[i], "REG", ODL_GAP_REG_POPULATION, err);
	return rc;
}

static void agg_free(struct agg *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].code);
		free(v[i].name);
		free(v[i].dep);
		free(v[i].reg);
		free(v[i].siren);
		free(v[i].parent);
		free(v[i].nature);
	}
	free(v);
}

static void build_free(struct build *b)
{
	for (size_t i = 0; i < b->ncom; i++) {
		struct commune *m = &b->com[i];
		free(m->code);
		free(m->name);
		free(m->dep);
		free(m->reg);
		free(m->parent);
		free(m->pmun);
		free(m->ptot);
		free(m->dgcl_pmun);
		free(m->dgcl_ptot);
		free(m->siren);
		free(m->epci);
	}
	free(b->com);
	agg_free(b->epci, b->nepci);
	agg_free(b->dep, b->ndep);
	agg_free(b->reg, b->nreg);
	for (size_t i = 0; i < b->nsirens; i++)
		free(b->sirens[i]);
	free(b->sirens);
	odl_strmap_clear(&b->com_by_code);
	odl_strmap_clear(&b->epci_by_siren);
	odl_strmap_clear(&b->dep_by_code);
	odl_strmap_clear(&b->reg_by_code);
	odl_strmap_clear(&b->dep_siren);
	odl_strmap_clear(&b->reg_siren);
}

/* the year in a file's name ("…_2023.csv"), 0 when none */
static int year_in_name(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (const char *p = base; *p; p++)
		if ((p[0] == '1' || p[0] == '2') && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
		    (p == base || !isdigit((unsigned char)p[-1])) && !isdigit((unsigned char)p[4]))
			return atoi(p) >= 1900 && atoi(p) < 2100 ? atoi(p) : 0;
	return 0;
}

void odl_territory_sources_init(struct odl_territory_sources *src)
{
	memset(src, 0, sizeof(*src));
}

int odl_territories_build_from(odl_territories *t, const struct odl_territory_sources *in,
			       struct odl_territory_build_stats *st, struct odl_error *err)
{
	static const char *const cog_cols[] = { "!TYPECOM", "!COM", "!REG", "!DEP", "!LIBELLE",
						"COMPARENT" };
	static const char *const pop_cols[] = { "!COM", "!PMUN", "!PTOT" };
	static const char *const epci_cols[] = { "!siren", "!raison_sociale", "!insee",
						 "!siren_membre", "dept", "ptot_*", "pmun_*",
						 "nature_juridique" };
	static const char *const dep_cols[] = { "!DEP", "!REG", "!LIBELLE" };
	static const char *const reg_cols[] = { "!REG", "!LIBELLE" };
	char found[8][64];
	struct build b;
	int rc;

	memset(&b, 0, sizeof(b));
	if (st)
		memset(st, 0, sizeof(*st));
	b.in = in;
	b.st = st;
	odl_strmap_init(&b.com_by_code);
	odl_strmap_init(&b.epci_by_siren);
	odl_strmap_init(&b.dep_by_code);
	odl_strmap_init(&b.reg_by_code);
	odl_strmap_init(&b.dep_siren);
	odl_strmap_init(&b.reg_siren);
	if (!in->cog)
		return odl_fail(err, ODL_EINVAL, "no COG commune file");
	int year = in->population_year ? in->population_year :
		   in->population ? year_in_name(in->population) : 0;
	snprintf(b.insee_source, sizeof(b.insee_source), year ? "insee-ptot-%d" : "insee-ptot",
		 year);
	snprintf(b.dgcl_source, sizeof(b.dgcl_source), "dgcl-ptot");
	rc = odl_read_columns(in->cog, cog_cols, 6, on_cog, &b, err);
	if (rc == ODL_OK && in->population)
		rc = odl_read_columns(in->population, pop_cols, 3, on_pop, &b, err);
	if (rc == ODL_OK && in->epci) {
		rc = odl_read_columns_found(in->epci, epci_cols, 8, on_epci, &b, found, err);
		/* "ptot_2025": the vintage is in the column's name */
		if (rc == ODL_OK && found[5][0])
			snprintf(b.dgcl_source, sizeof(b.dgcl_source), "dgcl-%s", found[5]);
		for (char *p = b.dgcl_source; *p; p++)
			if (*p == '_')
				*p = '-';
	}
	if (rc == ODL_OK && in->departements)
		rc = odl_read_columns(in->departements, dep_cols, 3, on_dep, &b, err);
	if (rc == ODL_OK && in->regions)
		rc = odl_read_columns(in->regions, reg_cols, 2, on_reg, &b, err);
	for (size_t i = 0; rc == ODL_OK && i < in->nsiren; i++)
		rc = read_siren(&b, in->siren[i], err);
	if (rc == ODL_OK)
		rc = assemble(t, &b, err);
	build_free(&b);
	return rc;
}

int odl_territories_build(odl_territories *t, const char *cog_path, const char *population_path,
			  const char *epci_path, struct odl_error *err)
{
	struct odl_territory_sources in;

	odl_territory_sources_init(&in);
	in.cog = cog_path;
	in.population = population_path;
	in.epci = epci_path;
	return odl_territories_build_from(t, &in, NULL, err);
}

const char *odl_territory_gap_text(enum odl_territory_gap_cause cause)
{
	switch (cause) {
	case ODL_GAP_COM_POPULATION:
		return "communes without population (in neither the population file nor the EPCI file)";
	case ODL_GAP_ARM_POPULATION:
		return "municipal arrondissements without population";
	case ODL_GAP_COM_SIREN:
		return "communes without siren (in no EPCI and no SIREN table)";
	case ODL_GAP_EPCI_POPULATION:
		return "EPCI without population (a member has none)";
	case ODL_GAP_DEP_POPULATION:
		return "départements without population (a commune has none)";
	case ODL_GAP_REG_POPULATION:
		return "régions without population (a commune has none)";
	case ODL_GAP_DEP_SIREN:
		return "départements without siren (not in the SIREN tables)";
	case ODL_GAP_REG_SIREN:
		return "régions without siren (not in the SIREN tables)";
	default:
		return "";
	}
}
