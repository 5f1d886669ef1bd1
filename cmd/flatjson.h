/*
 * flatjson.h - the lines odl programs write themselves, read without a
 * general JSON parser: one object whose values are strings without
 * escapes, numbers, true, false or null.
 *
 * It either reads a line exactly as jansson would (same types, same
 * numbers, same strings) or declines it, and the caller then gives the
 * line to jansson, whose errors and rules stay the only ones: a nested
 * value, an escape, a control character, bytes that are not UTF-8, a wanted
 * key given twice, a number jansson refuses or anything after the object
 * are all declined.
 */
#ifndef ODL_FLATJSON_H
#define ODL_FLATJSON_H

#include <stddef.h>

enum fj_type { FJ_ABSENT = 0, FJ_NULL, FJ_STRING, FJ_INTEGER, FJ_REAL, FJ_TRUE, FJ_FALSE };

struct fj_value {
	enum fj_type type;
	const char *s; /* FJ_STRING: a view into the line, len bytes */
	size_t len;
	long long i;   /* FJ_INTEGER */
	double d;      /* FJ_INTEGER and FJ_REAL: the number */
};

#define FJ_MAX_KEYS 32

/* out[k] receives the value of keys[k] (FJ_ABSENT when the line lacks it).
 * 0, or -1 when the line is declined (or nkeys > FJ_MAX_KEYS). */
int fj_parse(const char *s, size_t n, const char *const *keys, size_t nkeys,
	     struct fj_value *out);

#endif
