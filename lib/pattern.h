/*
 * pattern.h - Table Schema `pattern` constraints with PCRE2 (private).
 *
 * frictionless-py compiles "^" + pattern + "$" and applies Python's
 * re.match: the match starts at offset 0 (so a top-level a|b is "^a" or
 * "b$" anchored at the start), `$` also matches before a final newline,
 * \d \w \s are Unicode-aware and \uXXXX escapes are understood.  We
 * reproduce that with PCRE2_ANCHORED, PCRE2_UCP and a rewrite of \uXXXX
 * and \Z; the JIT compiles each pattern once.
 *
 * Every match is bounded: a pattern with nested quantifiers or heavy
 * alternation can backtrack exponentially ("(a+)+$" on 40 a's and a b),
 * so each call stops after ODL_PATTERN_MATCH_LIMIT steps of the engine
 * (a few milliseconds), ODL_PATTERN_DEPTH_LIMIT nested backtracking
 * frames (interpreter) or ODL_PATTERN_JIT_STACK bytes of JIT stack.  A
 * call stopped that way answers ODL_PATTERN_TOO_COSTLY, which is no
 * verdict on the cell: the caller reports it apart (validate.c warns and,
 * after a few such cells, stops evaluating the pattern for the file).
 */
#ifndef ODL_PATTERN_H
#define ODL_PATTERN_H

#include <stddef.h>
#include "odl.h"

#define ODL_PATTERN_MATCH_LIMIT 1000000u
#define ODL_PATTERN_DEPTH_LIMIT 100000u
#define ODL_PATTERN_JIT_STACK (4u << 20)
#define ODL_PATTERN_TOO_COSTLY (-1)

struct odl_pattern;
struct odl_pattern_match; /* per-thread scratch */

/* Compile; on failure ODL_ESCHEMA with "offset N: reason" in err. */
int odl_pattern_compile(const char *pattern, struct odl_pattern **out, struct odl_error *err);
void odl_pattern_free(struct odl_pattern *p);

struct odl_pattern_match *odl_pattern_match_new(void);
void odl_pattern_match_free(struct odl_pattern_match *m);

/* 1 match, 0 no match (also for text that is not valid UTF-8),
 * ODL_PATTERN_TOO_COSTLY when a limit stopped the engine. */
int odl_pattern_test(const struct odl_pattern *p, const char *s, size_t n,
		     struct odl_pattern_match *m);

/* The same through PCRE2 alone, even for a fixed-width pattern (tests). */
int odl_pattern_test_engine(const struct odl_pattern *p, const char *s, size_t n,
			    struct odl_pattern_match *m);
/* 1 when p is matched without the engine on ASCII cells (pattern_simple.c). */
int odl_pattern_is_simple(const struct odl_pattern *p);

/* pattern_simple.c: NULL when the pattern is not a fixed-width sequence of
 * classes; the test answers 1, 0, or -1 when the engine must decide. */
struct odl_simple_pattern;
struct odl_simple_pattern *odl_simple_pattern_new(const char *pattern);
void odl_simple_pattern_free(struct odl_simple_pattern *sp);
int odl_simple_pattern_test(const struct odl_simple_pattern *sp, const char *s, size_t n);

#endif
