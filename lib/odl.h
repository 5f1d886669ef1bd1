/*
 * odl.h - the libodl contract.
 *
 * libodl reads the CSV files French collectivités publish, validates them
 * against Table Schema / SCDL schemas, downloads them and computes
 * territorial indicators.  This header states the rules every other public
 * header (lib/odl/ *.h) follows.
 *
 * Status codes
 *   Every function that can fail returns an int: 0 (ODL_OK) on success, one
 *   of the ODL_E* codes below otherwise.  The codes are stable: a released
 *   code never changes meaning.  odl_strerror() names them.
 *
 * Error details
 *   Functions that take a `struct odl_error *err` fill it on failure when it
 *   is not NULL: the code, and where known the file, the line, the column,
 *   the field and a message in English.  The library never prints, never
 *   exits and never aborts: what to say and how is the caller's business.
 *
 * Ownership
 *   - What odl_X_new() returns belongs to the caller, who releases it with
 *     odl_X_free(); odl_X_free(NULL) does nothing.
 *   - A `const char *` or view returned by a function is borrowed: it lives
 *     until the next call on the same object, or until the object is freed.
 *   - Views passed to callbacks (cells, records) are valid during the
 *     callback only; copy what must outlive it.
 *
 * Limits
 *   Every buffer that input can grow has a ceiling set at creation; input
 *   that would pass it is an ODL_ELIMIT error naming the line, never an
 *   unbounded allocation.
 */
#ifndef ODL_H
#define ODL_H

#include <stddef.h>
#include <stdint.h>

#if defined(ODL_BUILDING) && defined(__GNUC__)
#define ODL_API __attribute__((visibility("default")))
#else
#define ODL_API
#endif

#define ODL_VERSION "0.1.0"
#define ODL_VERSION_MAJOR 0
#define ODL_VERSION_MINOR 1
#define ODL_VERSION_PATCH 0

enum odl_status {
	ODL_OK = 0,
	ODL_ENOMEM = 1,     /* out of memory */
	ODL_EINVAL = 2,     /* invalid argument or option */
	ODL_EIO = 3,        /* read or write failed (errno is kept in err) */
	ODL_ELIMIT = 4,     /* input passed a limit fixed at creation */
	ODL_EENCODING = 5,  /* bytes that cannot be decoded */
	ODL_EFORMAT = 6,    /* malformed input (gzip, CSV, JSON) */
	ODL_ESCHEMA = 7,    /* malformed or unsupported schema */
	ODL_ENOTFOUND = 8,  /* named thing does not exist */
	ODL_ENET = 9,       /* network transfer failed */
	ODL_ECANCELED = 10, /* a callback asked to stop */
	ODL_ECHECKSUM = 11, /* content does not match its declared checksum */
	ODL_EUNSUPPORTED = 12 /* valid but not supported by this build */
};

#define ODL_ERROR_TEXT 512

struct odl_error {
	int code;                     /* an ODL_E* code, 0 when unset */
	int sys_errno;                /* errno behind ODL_EIO, else 0 */
	char file[256];               /* file or URL concerned, "" if none */
	uint64_t line;                /* 1-based physical line, 0 if none */
	uint64_t column;              /* 1-based column, 0 if none */
	char field[128];              /* field (column) name, "" if none */
	char message[ODL_ERROR_TEXT]; /* lowercase English, no final period */
};

/* The library's version string, e.g. "0.1.0". */
ODL_API const char *odl_version(void);

/* A short lowercase name for a status code ("out of memory"...). */
ODL_API const char *odl_strerror(int code);

/* Reset err to "no error"; accepts NULL. */
ODL_API void odl_error_clear(struct odl_error *err);

#endif
