/* pattern.c - Table Schema patterns as frictionless-py applies them. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "error.h"

struct odl_pattern {
	pcre2_code *code;
	int jit;
	struct odl_simple_pattern *simple; /* or NULL: see pattern_simple.c */
};

struct odl_pattern_match {
	pcre2_match_data *md;
	pcre2_match_context *mc;
	pcre2_jit_stack *stack;
};

/* Python's \uXXXX / \UXXXXXXXX become \x{...}; Python's \Z is PCRE's \z. */
static char *rewrite(const char *pat)
{
	size_t n = strlen(pat);
	char *out = malloc(n * 2 + 8);
	size_t o = 0;

	if (!out)
		return NULL;
	out[o++] = '^';
	for (size_t i = 0; i < n; i++) {
		if (pat[i] == '\\' && i + 1 < n) {
			char c = pat[i + 1];
			size_t w = c == 'u' ? 4 : c == 'U' ? 8 : 0;
			if (w && i + 2 + w <= n) {
				size_t k;
				for (k = 0; k < w; k++)
					if (!strchr("0123456789abcdefABCDEF", pat[i + 2 + k]) || !pat[i + 2 + k])
						break;
				if (k == w) {
					memcpy(out + o, "\\x{", 3);
					o += 3;
					memcpy(out + o, pat + i + 2, w);
					o += w;
					out[o++] = '}';
					i += 1 + w;
					continue;
				}
			}
			if (c == 'Z') {
				memcpy(out + o, "\\z", 2);
				o += 2;
				i++;
				continue;
			}
			out[o++] = pat[i];
			out[o++] = c;
			i++;
			continue;
		}
		out[o++] = pat[i];
	}
	out[o++] = '$';
	out[o] = 0;
	return out;
}

int odl_pattern_compile(const char *pattern, struct odl_pattern **out, struct odl_error *err)
{
	int errcode;
	PCRE2_SIZE erroff;
	char *src = rewrite(pattern);
	struct odl_pattern *p;

	*out = NULL;
	if (!src)
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	p = calloc(1, sizeof(*p));
	if (!p) {
		free(src);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	p->code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
				PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &errcode, &erroff, NULL);
	free(src);
	if (!p->code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		free(p);
		/* offsets are in the wrapped pattern: '^' before, '$' after */
		size_t off = erroff > 0 ? (size_t)erroff - 1 : 0;
		if (off > strlen(pattern))
			off = strlen(pattern);
		return odl_fail(err, ODL_ESCHEMA, "invalid regular expression at offset %zu: %s",
				off, (const char *)msg);
	}
	p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0;
	p->simple = odl_simple_pattern_new(pattern); /* NULL: the engine for every cell */
	*out = p;
	return ODL_OK;
}

void odl_pattern_free(struct odl_pattern *p)
{
	if (!p)
		return;
	pcre2_code_free(p->code);
	odl_simple_pattern_free(p->simple);
	free(p);
}

struct odl_pattern_match *odl_pattern_match_new(void)
{
	struct odl_pattern_match *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	/* enough for any pattern's groups: pcre2 truncates safely when more */
	m->md = pcre2_match_data_create(32, NULL);
	m->mc = pcre2_match_context_create(NULL);
	/* the JIT's stack is reserved, not committed: only used pages cost */
	m->stack = pcre2_jit_stack_create(32 * 1024, ODL_PATTERN_JIT_STACK, NULL);
	if (!m->md || !m->mc || !m->stack) {
		odl_pattern_match_free(m);
		return NULL;
	}
	pcre2_set_match_limit(m->mc, ODL_PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mc, ODL_PATTERN_DEPTH_LIMIT);
	pcre2_jit_stack_assign(m->mc, NULL, m->stack);
	return m;
}

void odl_pattern_match_free(struct odl_pattern_match *m)
{
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mc);
	pcre2_jit_stack_free(m->stack);
	free(m);
}

int odl_pattern_is_simple(const struct odl_pattern *p)
{
	return p->simple != NULL;
}

int odl_pattern_test(const struct odl_pattern *p, const char *s, size_t n,
		     struct odl_pattern_match *m)
{
	if (p->simple) {
		int rc = odl_simple_pattern_test(p->simple, s, n);
		if (rc >= 0)
			return rc;
	}
	return odl_pattern_test_engine(p, s, n, m);
}

int odl_pattern_test_engine(const struct odl_pattern *p, const char *s, size_t n,
			    struct odl_pattern_match *m)
{
	int rc;

	/* cells are valid UTF-8: the reader decodes everything to UTF-8 */
	if (p->jit)
		rc = pcre2_jit_match(p->code, (PCRE2_SPTR)s, n, 0, 0, m->md, m->mc);
	else
		rc = pcre2_match(p->code, (PCRE2_SPTR)s, n, 0, 0, m->md, m->mc);
	if (rc >= 0)
		return 1;
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
	case PCRE2_ERROR_NOMEMORY:
		/* the engine gave up: that says nothing about the cell */
		return ODL_PATTERN_TOO_COSTLY;
	default:
		return 0;
	}
}
