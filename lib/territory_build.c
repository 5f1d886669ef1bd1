/* territory_build.c - the territory table from Insee's COG, Insee's
 * populations légales and the DGCL composition of the EPCI. */
#include "odl/territory.h"
#include "territory_map.h"
#include "territory_priv.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct commune {
	char *code, *name, *dep, *reg;
	char *pmun, *ptot;
	char *siren, *epci;
};

struct epci {
	char *siren, *name, *dep, *reg;
	double ptot, pmun;
	int has_pop;
};

struct build {
	struct commune *com;
	size_t ncom, capcom;
	struct odl_strmap com_by_code;
	struct epci *epci;
	size_t nepci, capepci;
	struct odl_strmap epci_by_siren;
};

static int oom(struct odl_error *err)
{
	return odl_fail(err, ODL_ENOMEM, "out of memory");
}

static int on_cog(void *ctx, const struct odl_cell *c, const struct odl_record *rec,
		  struct odl_error *err)
{
	struct build *b = ctx;

	(void)rec;
	if (!(c[0].len == 3 && memcmp(c[0].ptr, "COM", 3) == 0))
		return 0;
	if (b->ncom == b->capcom) {
		size_t cap = b->capcom ? b->capcom * 2 : 1024;
		struct commune *p = realloc(b->com, cap * sizeof(*p));
		if (!p)
			return oom(err);
		b->com = p;
		b->capcom = cap;
	}
	struct commune *m = &b->com[b->ncom];
	memset(m, 0, sizeof(*m));
	m->code = odl_cell_dup(&c[1]);
	m->reg = odl_cell_dup(&c[2]);
	m->dep = odl_cell_dup(&c[3]);
	m->name = odl_cell_dup(&c[4]);
	b->ncom++;
	if (!m->code || !m->reg || !m->dep || !m->name)
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
		if (b->nepci == b->capepci) {
			size_t cap = b->capepci ? b->capepci * 2 : 256;
			struct epci *p = realloc(b->epci, cap * sizeof(*p));
			if (!p)
				return oom(err);
			b->epci = p;
			b->capepci = cap;
		}
		struct epci *e = &b->epci[b->nepci++];
		memset(e, 0, sizeof(*e));
		e->siren = odl_cell_dup(&c[0]);
		e->name = odl_cell_dup(&c[1]);
		e->dep = odl_cell_dup(&c[4]);
		if (!e->siren || !e->name || !e->dep)
			return oom(err);
	}
	size_t ci;
	if (!odl_strmap_get(&b->com_by_code, c[2].ptr, c[2].len, &ci))
		return 0;
	struct commune *m = &b->com[ci];
	free(m->siren);
	free(m->epci);
	m->siren = odl_cell_dup(&c[3]);
	m->epci = odl_cell_dup(&c[0]);
	if (!m->siren || !m->epci)
		return oom(err);
	if (!b->epci[idx].reg && !(b->epci[idx].reg = strdup(m->reg)))
		return oom(err);
	return 0;
}

static void fmt_number(char *buf, size_t n, double v)
{
	snprintf(buf, n, "%.0f", v);
}

static int assemble(odl_territories *t, struct build *b, struct odl_error *err)
{
	static const char *const cols[] = { "code", "name", "type", "population",
					    "population_municipale", "siren", "epci",
					    "dep", "reg", "agents" };
	int rc = odl_territories_set_columns(t, cols, 10, err);

	for (size_t i = 0; rc == ODL_OK && i < b->ncom; i++) {
		struct commune *m = &b->com[i];
		const char *cells[10] = { m->code, m->name, "COM", m->ptot, m->pmun,
					  m->siren, m->epci, m->dep, m->reg, "" };
		size_t ei;
		double v;
		if (m->epci && odl_strmap_get(&b->epci_by_siren, m->epci, strlen(m->epci), &ei)) {
			struct epci *e = &b->epci[ei];
			if (m->ptot && odl_parse_number(m->ptot, strlen(m->ptot), &v) == ODL_OK) {
				e->ptot += v;
				e->has_pop = 1;
			}
			if (m->pmun && odl_parse_number(m->pmun, strlen(m->pmun), &v) == ODL_OK)
				e->pmun += v;
		}
		rc = odl_territories_add(t, cells, err);
	}
	for (size_t i = 0; rc == ODL_OK && i < b->nepci; i++) {
		struct epci *e = &b->epci[i];
		char ptot[32] = "", pmun[32] = "";
		if (e->has_pop) {
			fmt_number(ptot, sizeof(ptot), e->ptot);
			fmt_number(pmun, sizeof(pmun), e->pmun);
		}
		const char *cells[10] = { e->siren, e->name, "EPCI", ptot, pmun, e->siren, "",
					  e->dep, e->reg, "" };
		rc = odl_territories_add(t, cells, err);
	}
	return rc;
}

static void build_free(struct build *b)
{
	for (size_t i = 0; i < b->ncom; i++) {
		struct commune *m = &b->com[i];
		free(m->code);
		free(m->name);
		free(m->dep);
		free(m->reg);
		free(m->pmun);
		free(m->ptot);
		free(m->siren);
		free(m->epci);
	}
	for (size_t i = 0; i < b->nepci; i++) {
		free(b->epci[i].siren);
		free(b->epci[i].name);
		free(b->epci[i].dep);
		free(b->epci[i].reg);
	}
	free(b->com);
	free(b->epci);
	odl_strmap_clear(&b->com_by_code);
	odl_strmap_clear(&b->epci_by_siren);
}

int odl_territories_build(odl_territories *t, const char *cog_path, const char *population_path,
			  const char *epci_path, struct odl_error *err)
{
	static const char *const cog_cols[] = { "!TYPECOM", "!COM", "!REG", "!DEP", "!LIBELLE" };
	static const char *const pop_cols[] = { "!COM", "!PMUN", "!PTOT" };
	static const char *const epci_cols[] = { "!siren", "!raison_sociale", "!insee",
						 "!siren_membre", "dept" };
	struct build b;
	int rc;

	memset(&b, 0, sizeof(b));
	odl_strmap_init(&b.com_by_code);
	odl_strmap_init(&b.epci_by_siren);
	rc = odl_read_columns(cog_path, cog_cols, 5, on_cog, &b, err);
	if (rc == ODL_OK && population_path)
		rc = odl_read_columns(population_path, pop_cols, 3, on_pop, &b, err);
	if (rc == ODL_OK && epci_path)
		rc = odl_read_columns(epci_path, epci_cols, 5, on_epci, &b, err);
	if (rc == ODL_OK)
		rc = assemble(t, &b, err);
	build_free(&b);
	return rc;
}
