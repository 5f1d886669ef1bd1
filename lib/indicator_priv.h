/* indicator_priv.h - the parsed form of an indicator set (private). */
#ifndef ODL_INDICATOR_PRIV_H
#define ODL_INDICATOR_PRIV_H

#include "odl/indicator.h"

enum odl_measure {
	ODL_M_COUNT, ODL_M_SUM, ODL_M_MEAN, ODL_M_MEDIAN, ODL_M_QUANTILE, ODL_M_MIN,
	ODL_M_MAX, ODL_M_COUNT_DISTINCT, ODL_M_SHARE, ODL_M_SHARE_OF_SUM
};

enum odl_op {
	ODL_OP_EQ, ODL_OP_NE, ODL_OP_LT, ODL_OP_LE, ODL_OP_GT, ODL_OP_GE, ODL_OP_IN,
	ODL_OP_NOT_IN, ODL_OP_EMPTY, ODL_OP_NONEMPTY, ODL_OP_PREFIX
};

struct odl_cmp {
	char *field;
	enum odl_op op;
	char **values; /* text forms */
	size_t nvalues;
	double number; /* for < <= > >= */
	int is_number;
	int col;       /* resolved per file, -1 = absent */
};

struct odl_ind {
	char *id, *title_fr, *title_en, *unit;
	enum odl_measure measure;
	char *field;
	int field_col;
	double p;
	struct odl_cmp *filter;
	size_t nfilter;
	struct odl_cmp *match;
	size_t nmatch;
	struct odl_cmp *needs; /* "nonempty" on each field the set says the value needs */
	size_t nneeds;
	double per_inhabitants; /* 1, 1000 or 0 (rank: no per-inhabitant figure) */
	char *by;
	int by_col;
	char *den_column;
	double per;
};

struct odl_indicator_set {
	char *name, *schema;
	char *terr_field, *key;
	char *year_field;
	int year_from_date;
	struct odl_ind *ind;
	size_t nind;
};

/* indicator_spill.c: an unlinked temporary file of appended records */
struct odl_spill;
int odl_spill_open(struct odl_spill **out, struct odl_error *err);
void odl_spill_free(struct odl_spill *s);
uint64_t odl_spill_tell(const struct odl_spill *s);
int odl_spill_write(struct odl_spill *s, const void *p, size_t n, struct odl_error *err);
int odl_spill_read(struct odl_spill *s, uint64_t off, void *dst, size_t n,
		   struct odl_error *err);

#endif
