/* error.h - filling struct odl_error inside the library (private). */
#ifndef ODL_ERROR_H
#define ODL_ERROR_H

#include "odl.h"

#if defined(__GNUC__)
#define ODL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ODL_PRINTF(a, b)
#endif

/*
 * Record an error in err (which may be NULL) and return code, so that
 * callers write `return odl_fail(err, ODL_EINVAL, "...")`.
 * Location fields already set in err are kept unless set again.
 */
int odl_fail(struct odl_error *err, int code, const char *fmt, ...) ODL_PRINTF(3, 4);

/* Set the location of err (NULL file or field leaves them as they are). */
void odl_error_at(struct odl_error *err, const char *file, uint64_t line,
		  uint64_t column, const char *field);

#endif
