/* fix_private.h - the cell rules of odl_fixer, one family per file (private). */
#ifndef ODL_FIX_PRIVATE_H
#define ODL_FIX_PRIVATE_H

#include <stddef.h>

#include "schema_private.h"

/*
 * Every rule reads the cell p[0..n) for field f and, when it applies,
 * writes a candidate into dst (cap bytes, at least n + 64) and its length
 * into *dlen.  The fixer keeps a candidate only when the field then reads
 * it without error.  Returns FIX_DONE (a candidate), FIX_NA (the rule has
 * nothing to say) or FIX_LEFT (a problem the rule will not decide: *why
 * says which, in English and French).
 */
enum { FIX_NA = 0, FIX_DONE = 1, FIX_LEFT = -1 };

struct fix_why {
	const char *en, *fr;
};

/* Date order of a column, settled by odl_fixer_learn. */
enum fix_date_order { FIX_ORDER_UNKNOWN, FIX_ORDER_DMY, FIX_ORDER_MDY, FIX_ORDER_MIXED };

int odl_fix_number(const struct odl_field *f, const char *p, size_t n, char *dst, size_t cap,
		   size_t *dlen);
int odl_fix_date(const struct odl_field *f, enum fix_date_order order, const char *p, size_t n,
		 char *dst, size_t cap, size_t *dlen, struct fix_why *why);
/* A number in a date or datetime field of a workbook: an Excel serial date
 * (1900 system with its phantom 1900-02-29, or 1904) into the field's
 * format.  FIX_LEFT for a number outside 10000 (1927) .. 9999-12-31: a
 * year, a count, anything but a date. */
int odl_fix_excel_date(const struct odl_field *f, int date1904, const char *p, size_t n,
		       char *dst, size_t cap, size_t *dlen, struct fix_why *why);
/* What a date cell says of its column: FIX_ORDER_DMY when its first part
 * can only be a day, FIX_ORDER_MDY when its second part can only be one,
 * else FIX_ORDER_UNKNOWN. */
enum fix_date_order odl_fix_date_evidence(const char *p, size_t n);
int odl_fix_boolean(const struct odl_field *f, const char *p, size_t n, char *dst, size_t cap,
		    size_t *dlen);
int odl_fix_enum(const struct odl_field *f, const char *p, size_t n, char *dst, size_t cap,
		 size_t *dlen);
/* is_id: a check reads the field as a SIRET or SIREN (else the rule needs
 * a pattern constraint). */
int odl_fix_identifier(const struct odl_field *f, int is_id, const char *p, size_t n, char *dst,
		       size_t cap, size_t *dlen, struct fix_why *why);
/* Candidates with one separator replaced: calls ok(ctx, cand, len) for
 * each; FIX_DONE when exactly one passes (written to dst). */
int odl_fix_pattern(const struct odl_field *f, const char *p, size_t n, char *dst, size_t cap,
		    size_t *dlen, int (*ok)(void *ctx, const char *s, size_t len), void *ctx);

/* Python's str.strip() whitespace, in UTF-8: the bytes of the space at p
 * (up to n), or 0 when p does not start with one. */
size_t odl_fix_space_at(const char *p, size_t n);
/* p[0..n) without the whitespace around it. */
void odl_fix_trim(const char **p, size_t *n);
/* Fold for comparing names and values: lowercase, Latin accents removed,
 * spaces collapsed (keep_spaces) or removed with '_', '-', '.' (names).
 * Returns the folded length (at most cap - 1), NUL-terminated. */
size_t odl_fix_fold(const char *p, size_t n, char *dst, size_t cap, int keep_spaces);

#endif
