/* check_impl.h - what the custom-check families share (private). */
#ifndef ODL_CHECK_IMPL_H
#define ODL_CHECK_IMPL_H

#include "checks.h"

#define CHECK_MSG 1024

enum check_op { OP_GT, OP_GE, OP_EQ, OP_LE, OP_LT };

struct check_kind;

struct odl_check {
	const struct check_kind *kind;
	int col, col2;           /* schema indexes (column/column1, column2) */
	char *name, *name2;      /* their field names, for messages */
	int *cols;               /* columns / othercolumns */
	char **names;
	size_t ncols;
	enum check_op op;
	int allow_year_only;
	int done;                /* check-error or table error sent: silent from now on */
	struct odl_value_memo *memo; /* values a one-cell check accepted, or NULL */
	int memo_tried;
	char msg[CHECK_MSG];
	char msg_fr[CHECK_MSG];
};

typedef int (*check_row_fn)(struct odl_check *c, const struct odl_cell *const *cells,
			    size_t nfields, odl_check_finding_fn fn, void *ctx);

struct check_kind {
	const char *name;
	int multi;               /* uses cols[] (compile reads the list param) */
	check_row_fn row;
};

/* The cell of schema field i, or NULL when absent (index out of range too). */
const struct odl_cell *check_cell(const struct odl_cell *const *cells, size_t nfields, int i);
/* A cell holding a value: present and non-empty. */
int check_filled(const struct odl_cell *c);

/* Bytes of p to quote in a message: at most a few hundred, cut on a UTF-8 boundary. */
int check_clip(const char *p, size_t n);

void check_emit(struct odl_check *c, const char *code, int field, const struct odl_cell *cell,
		odl_check_finding_fn fn, void *ctx);
void check_say(struct odl_check *c, const char *en, const char *fr, ...);

/* A decimal number in C-locale form (surrounding spaces allowed): 1 if ok. */
int check_number(const char *s, size_t n, double *out);

/* Families. */
int check_siret_row(struct odl_check *, const struct odl_cell *const *, size_t,
		    odl_check_finding_fn, void *);
int check_siren_row(struct odl_check *, const struct odl_cell *const *, size_t,
		    odl_check_finding_fn, void *);
int check_year_interval_row(struct odl_check *, const struct odl_cell *const *, size_t,
			    odl_check_finding_fn, void *);
int check_nomenclature_row(struct odl_check *, const struct odl_cell *const *, size_t,
			   odl_check_finding_fn, void *);
int check_gps_row(struct odl_check *, const struct odl_cell *const *, size_t,
		  odl_check_finding_fn, void *);
int check_compare_row(struct odl_check *, const struct odl_cell *const *, size_t,
		      odl_check_finding_fn, void *);
int check_sum_row(struct odl_check *, const struct odl_cell *const *, size_t,
		  odl_check_finding_fn, void *);
int check_cohesive_row(struct odl_check *, const struct odl_cell *const *, size_t,
		       odl_check_finding_fn, void *);
int check_one_of_row(struct odl_check *, const struct odl_cell *const *, size_t,
		     odl_check_finding_fn, void *);
int check_phone_row(struct odl_check *, const struct odl_cell *const *, size_t,
		    odl_check_finding_fn, void *);
int check_hours_row(struct odl_check *, const struct odl_cell *const *, size_t,
		    odl_check_finding_fn, void *);

/* Value tests, exposed for the unit tests. */
int odl_siret_valid(const char *s, size_t n);
int odl_siren_valid(const char *s, size_t n);
int odl_luhn_valid(const char *digits, size_t n);
int odl_phone_valid(const char *s, size_t n);
int odl_opening_hours_valid(const char *s, size_t n);

#endif
