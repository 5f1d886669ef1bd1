/*
 * render_jsonl.c - NDJSON objects read member by member, chosen arrays
 * element by element.
 *
 * odl_ndjson builds each line whole; a validation report listing a million
 * errors is one line of a hundred megabytes.  This reader only finds where
 * each top-level member (or streamed array element) begins and ends --
 * strings and nesting are tracked byte by byte -- and hands that span to
 * jansson, so memory is bounded by the largest single value.
 */
#include "odl/render.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_VALUE (16u << 20)
#define MAX_STREAM_KEYS 8

enum state {
	S_LINE_START, S_KEY_OR_END, S_KEY, S_COLON, S_VALUE_START, S_VALUE,
	S_ELEM_START, S_ELEM, S_AFTER_MEMBER, S_AFTER_OBJ
};

struct odl_render_jsonl {
	struct odl_render_jsonl_fns fns;
	void *ctx;
	char *keys[MAX_STREAM_KEYS];
	size_t nkeys;
	size_t max_value;
	char name[256];
	enum state st;
	uint64_t line;
	char *buf;
	size_t len, cap;
	char key[256];
	int in_str, esc;
	size_t depth;
};

odl_render_jsonl *odl_render_jsonl_new(const char *const *stream_keys, size_t max_value,
				       const struct odl_render_jsonl_fns *fns, void *ctx,
				       const char *name)
{
	odl_render_jsonl *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->fns = *fns;
	j->ctx = ctx;
	j->max_value = max_value ? max_value : DEFAULT_MAX_VALUE;
	j->line = 1;
	snprintf(j->name, sizeof(j->name), "%s", name ? name : "");
	for (; stream_keys && *stream_keys && j->nkeys < MAX_STREAM_KEYS; stream_keys++) {
		j->keys[j->nkeys] = strdup(*stream_keys);
		if (!j->keys[j->nkeys]) {
			odl_render_jsonl_free(j);
			return NULL;
		}
		j->nkeys++;
	}
	return j;
}

void odl_render_jsonl_free(odl_render_jsonl *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->nkeys; i++)
		free(j->keys[i]);
	free(j->buf);
	free(j);
}

static int fail(odl_render_jsonl *j, struct odl_error *err, int code, const char *field,
		const char *msg)
{
	odl_error_at(err, j->name[0] ? j->name : NULL, j->line, 0, field);
	return odl_fail(err, code, "%s", msg);
}

static int reserve(odl_render_jsonl *j, size_t n, struct odl_error *err)
{
	size_t cap;
	char *b;

	if (j->len + n > j->max_value) {
		char msg[96];
		snprintf(msg, sizeof(msg), "value longer than %zu bytes", j->max_value);
		return fail(j, err, ODL_ELIMIT, j->key[0] ? j->key : NULL, msg);
	}
	if (j->len + n <= j->cap)
		return ODL_OK;
	cap = j->cap ? j->cap : 256;
	while (cap < j->len + n)
		cap *= 2;
	if (cap > j->max_value)
		cap = j->max_value;
	b = realloc(j->buf, cap);
	if (!b)
		return fail(j, err, ODL_ENOMEM, NULL, "out of memory");
	j->buf = b;
	j->cap = cap;
	return ODL_OK;
}

static int push(odl_render_jsonl *j, char c, struct odl_error *err)
{
	int rc = reserve(j, 1, err);

	if (rc == ODL_OK)
		j->buf[j->len++] = c;
	return rc;
}

static json_t *parse(odl_render_jsonl *j, struct odl_error *err, int *rc)
{
	json_error_t jerr;
	json_t *v = json_loadb(j->buf, j->len, JSON_DECODE_ANY, &jerr);

	*rc = ODL_OK;
	if (!v) {
		char msg[300];
		snprintf(msg, sizeof(msg), "invalid JSON: %s", jerr.text);
		*rc = fail(j, err, ODL_EFORMAT, j->key[0] ? j->key : NULL, msg);
	}
	j->len = 0;
	return v;
}

static int streamed(const odl_render_jsonl *j)
{
	for (size_t i = 0; i < j->nkeys; i++)
		if (strcmp(j->keys[i], j->key) == 0)
			return 1;
	return 0;
}

static int called(odl_render_jsonl *j, int r, struct odl_error *err)
{
	return r ? fail(j, err, ODL_ECANCELED, NULL, "stopped by the caller") : ODL_OK;
}

static int end_value(odl_render_jsonl *j, int elem, struct odl_error *err)
{
	int rc, r;
	json_t *v = parse(j, err, &rc);

	if (!v)
		return rc;
	if (elem)
		r = j->fns.element ? j->fns.element(j->ctx, j->key, v, j->line) : 0;
	else
		r = j->fns.member ? j->fns.member(j->ctx, j->key, v, j->line) : 0;
	json_decref(v);
	return called(j, r, err);
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int step(odl_render_jsonl *j, char c, struct odl_error *err)
{
	int rc;

	switch (j->st) {
	case S_LINE_START:
		if (is_ws(c))
			return ODL_OK;
		if (c == '\n') {
			j->line++;
			return ODL_OK;
		}
		if (c != '{')
			return fail(j, err, ODL_EFORMAT, NULL, "not a JSON object");
		j->st = S_KEY_OR_END;
		return ODL_OK;
	case S_KEY_OR_END:
		if (is_ws(c))
			return ODL_OK;
		if (c == '}') {
			j->st = S_AFTER_OBJ;
			return ODL_OK;
		}
		if (c != '"')
			break;
		j->len = 0;
		j->esc = 0;
		j->st = S_KEY;
		return push(j, c, err);
	case S_KEY:
		if (c == '\n')
			break;
		if ((rc = push(j, c, err)) != ODL_OK)
			return rc;
		if (j->esc) {
			j->esc = 0;
		} else if (c == '\\') {
			j->esc = 1;
		} else if (c == '"') {
			json_t *k;
			j->key[0] = 0;
			k = parse(j, err, &rc);
			if (!k)
				return rc;
			snprintf(j->key, sizeof(j->key), "%s", json_string_value(k) ? json_string_value(k) : "");
			json_decref(k);
			j->st = S_COLON;
		}
		return ODL_OK;
	case S_COLON:
		if (is_ws(c))
			return ODL_OK;
		if (c != ':')
			break;
		j->st = S_VALUE_START;
		return ODL_OK;
	case S_VALUE_START:
	case S_ELEM_START:
		if (is_ws(c))
			return ODL_OK;
		if (c == '\n')
			break;
		if (j->st == S_VALUE_START && c == '[' && streamed(j)) {
			j->st = S_ELEM_START;
			return ODL_OK;
		}
		if (j->st == S_ELEM_START && c == ']') {
			j->st = S_AFTER_MEMBER;
			return ODL_OK;
		}
		j->st = j->st == S_VALUE_START ? S_VALUE : S_ELEM;
		j->len = 0;
		j->in_str = 0;
		j->esc = 0;
		j->depth = 0;
		/* fall through: the first byte of the value */
		/* FALLTHROUGH */
	case S_VALUE:
	case S_ELEM:
		if (c == '\n')
			break;
		if (j->in_str) {
			if (j->esc)
				j->esc = 0;
			else if (c == '\\')
				j->esc = 1;
			else if (c == '"')
				j->in_str = 0;
			return push(j, c, err);
		}
		if (c == '"') {
			j->in_str = 1;
		} else if (c == '{' || c == '[') {
			j->depth++;
		} else if (j->depth > 0 && (c == '}' || c == ']')) {
			j->depth--;
		} else if (j->depth == 0 && (c == ',' || c == '}' || c == ']')) {
			int elem = j->st == S_ELEM;
			if ((elem && c == '}') || (!elem && c == ']'))
				break;
			if ((rc = end_value(j, elem, err)) != ODL_OK)
				return rc;
			if (!elem)
				j->st = c == ',' ? S_KEY_OR_END : S_AFTER_OBJ;
			else
				j->st = c == ',' ? S_ELEM_START : S_AFTER_MEMBER;
			return ODL_OK;
		}
		return push(j, c, err);
	case S_AFTER_MEMBER:
		if (is_ws(c))
			return ODL_OK;
		if (c == ',')
			j->st = S_KEY_OR_END;
		else if (c == '}')
			j->st = S_AFTER_OBJ;
		else
			break;
		return ODL_OK;
	case S_AFTER_OBJ:
		if (is_ws(c))
			return ODL_OK;
		if (c != '\n')
			return fail(j, err, ODL_EFORMAT, NULL, "data after the JSON object");
		j->key[0] = 0;
		rc = called(j, j->fns.end ? j->fns.end(j->ctx, j->line) : 0, err);
		j->line++;
		j->st = S_LINE_START;
		return rc;
	}
	return fail(j, err, ODL_EFORMAT, j->key[0] ? j->key : NULL,
		    c == '\n' ? "invalid JSON: object not closed at the end of the line"
			      : "invalid JSON: unexpected character");
}

int odl_render_jsonl_feed(odl_render_jsonl *j, const void *buf, size_t len,
			  struct odl_error *err)
{
	const char *p = buf;

	for (size_t i = 0; i < len; i++) {
		/* inside a string, copy the run up to the next quote or backslash at once */
		if ((j->st == S_VALUE || j->st == S_ELEM) && j->in_str && !j->esc) {
			size_t n = i;
			while (n < len && p[n] != '"' && p[n] != '\\' && p[n] != '\n')
				n++;
			if (n > i) {
				int rc = reserve(j, n - i, err);
				if (rc != ODL_OK)
					return rc;
				memcpy(j->buf + j->len, p + i, n - i);
				j->len += n - i;
				i = n;
				if (i == len)
					break;
			}
		}
		int rc = step(j, p[i], err);
		if (rc != ODL_OK)
			return rc;
	}
	return ODL_OK;
}

int odl_render_jsonl_finish(odl_render_jsonl *j, struct odl_error *err)
{
	if (j->st == S_AFTER_OBJ)
		return step(j, '\n', err);
	if (j->st != S_LINE_START)
		return fail(j, err, ODL_EFORMAT, j->key[0] ? j->key : NULL,
			    "invalid JSON: truncated object");
	return ODL_OK;
}
