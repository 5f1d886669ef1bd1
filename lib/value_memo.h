/* value_memo.h - the values a field has already accepted. */
#ifndef ODL_VALUE_MEMO_H
#define ODL_VALUE_MEMO_H

#include <stddef.h>

/*
 * A field's memo of recent values that passed its type and every
 * constraint: a cell equal to one of them is valid again, and its type
 * and constraints need not be read.  SCDL files repeat most columns (the
 * publisher's name and SIRET, the dates of a few council meetings, enum
 * values), so most cells are answered by one hash and one comparison.
 *
 * Direct-mapped, values of at most ODL_MEMO_VALUE bytes.  A field whose
 * cells seldom repeat (amounts, identifiers of each row) switches its
 * memo off after a sample, so that it costs nothing there.
 */
#define ODL_MEMO_BITS 8
#define ODL_MEMO_SLOTS (1u << ODL_MEMO_BITS)
#define ODL_MEMO_VALUE 46

struct odl_value_memo;

/*
 * NULL when out of memory, and when the environment has ODL_MEMO=off,
 * which the tests use to check that the memo changes no output.
 */
struct odl_value_memo *odl_value_memo_new(void);
void odl_value_memo_free(struct odl_value_memo *m);

/* 1 when p[0..n) was accepted before; 0 otherwise (or the memo is off). */
int odl_value_memo_seen(struct odl_value_memo *m, const char *p, size_t n);

/*
 * p[0..n), which odl_value_memo_seen() has just missed, was accepted
 * (ignored when too long or the memo is off).
 */
void odl_value_memo_add(struct odl_value_memo *m, const char *p, size_t n);

#endif
