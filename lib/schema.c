/* schema.c - loading and compiling Table Schema / SCDL schema files. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schema_private.h"
#include "error.h"
#include "odl/hash.h"
#include "odl/messages.h"

#define SCHEMA_MAX_BYTES (16u << 20)

static const struct {
	const char *name;
	enum odl_fields_match m;
} match_names[] = {
	{ "validata", ODL_MATCH_VALIDATA }, { "exact", ODL_MATCH_EXACT }, { "equal", ODL_MATCH_EQUAL },
	{ "subset", ODL_MATCH_SUBSET }, { "superset", ODL_MATCH_SUPERSET }, { "partial", ODL_MATCH_PARTIAL },
};

int odl_fields_match_parse(const char *name, enum odl_fields_match *out)
{
	for (size_t i = 0; i < sizeof(match_names) / sizeof(match_names[0]); i++)
		if (strcmp(name, match_names[i].name) == 0) {
			*out = match_names[i].m;
			return ODL_OK;
		}
	return ODL_EINVAL;
}

const char *odl_fields_match_name(enum odl_fields_match m)
{
	for (size_t i = 0; i < sizeof(match_names) / sizeof(match_names[0]); i++)
		if (match_names[i].m == m)
			return match_names[i].name;
	return "default";
}

static const struct {
	const char *name;
	enum odl_type type;
	unsigned cons; /* bit per enum odl_cons supported */
} types[] = {
#define B(c) (1u << (c))
#define BASE (B(ODL_C_REQUIRED) | B(ODL_C_UNIQUE) | B(ODL_C_ENUM))
#define LEN (B(ODL_C_MINLENGTH) | B(ODL_C_MAXLENGTH))
#define RANGE (B(ODL_C_MINIMUM) | B(ODL_C_MAXIMUM) | B(ODL_C_EXCLMIN) | B(ODL_C_EXCLMAX))
	{ "string", ODL_T_STRING, BASE | LEN | B(ODL_C_PATTERN) },
	{ "number", ODL_T_NUMBER, BASE | RANGE },
	{ "integer", ODL_T_INTEGER, BASE | RANGE },
	{ "boolean", ODL_T_BOOLEAN, BASE },
	{ "date", ODL_T_DATE, BASE | RANGE },
	{ "time", ODL_T_TIME, BASE | RANGE },
	{ "datetime", ODL_T_DATETIME, BASE | RANGE },
	{ "year", ODL_T_YEAR, BASE | RANGE },
	{ "yearmonth", ODL_T_YEARMONTH, BASE | RANGE },
	{ "duration", ODL_T_DURATION, BASE | RANGE },
	{ "geopoint", ODL_T_GEOPOINT, BASE },
	{ "geojson", ODL_T_GEOJSON, BASE },
	{ "object", ODL_T_OBJECT, BASE | LEN },
	{ "array", ODL_T_ARRAY, BASE | LEN },
	{ "any", ODL_T_ANY, BASE },
};

static const struct {
	const char *name;
	enum odl_cons kind;
} cons_names[] = {
	{ "required", ODL_C_REQUIRED }, { "unique", ODL_C_UNIQUE }, { "minLength", ODL_C_MINLENGTH },
	{ "maxLength", ODL_C_MAXLENGTH }, { "minimum", ODL_C_MINIMUM }, { "maximum", ODL_C_MAXIMUM },
	{ "exclusiveMinimum", ODL_C_EXCLMIN }, { "exclusiveMaximum", ODL_C_EXCLMAX },
	{ "pattern", ODL_C_PATTERN }, { "enum", ODL_C_ENUM },
};

struct loader {
	struct odl_error *err;
	const char *file;
	char where[160];
};

static int bad(struct loader *L, const char *fmt, ...) ODL_PRINTF(2, 3);
static int bad(struct loader *L, const char *fmt, ...)
{
	char msg[ODL_ERROR_TEXT - 170];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	odl_error_at(L->err, L->file, 0, 0, NULL);
	return odl_fail(L->err, ODL_ESCHEMA, "%s%s%s", L->where, *L->where ? ": " : "", msg);
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

static char *dup(const char *s)
{
	return dupn(s, strlen(s));
}

/* Python's str() of a JSON value, as frictionless puts it in notes. */
static void py_str(const json_t *v, int nested, char *buf, size_t size)
{
	size_t o = strlen(buf);

	if (o >= size - 1)
		return;
	switch (json_typeof(v)) {
	case JSON_TRUE: snprintf(buf + o, size - o, "True"); break;
	case JSON_FALSE: snprintf(buf + o, size - o, "False"); break;
	case JSON_NULL: snprintf(buf + o, size - o, "None"); break;
	case JSON_INTEGER: snprintf(buf + o, size - o, "%lld", (long long)json_integer_value(v)); break;
	case JSON_REAL: {
		double d = json_real_value(v);
		char tmp[40];
		for (int p = 1; p <= 17; p++) {
			snprintf(tmp, sizeof(tmp), "%.*g", p, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
		if (!strpbrk(tmp, ".eEn"))
			strcat(tmp, ".0");
		snprintf(buf + o, size - o, "%s", tmp);
		break;
	}
	case JSON_STRING: {
		const char *s = json_string_value(v);
		if (!nested) {
			snprintf(buf + o, size - o, "%s", s);
			break;
		}
		char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
		size_t k = o;
		if (k < size - 1)
			buf[k++] = q;
		for (; *s && k < size - 3; s++) {
			if (*s == q || *s == '\\')
				buf[k++] = '\\';
			buf[k++] = *s;
		}
		buf[k++] = q;
		buf[k] = 0;
		break;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *it;
		snprintf(buf + o, size - o, "[");
		json_array_foreach(v, i, it) {
			if (i)
				snprintf(buf + strlen(buf), size - strlen(buf), ", ");
			py_str(it, 1, buf, size);
		}
		snprintf(buf + strlen(buf), size - strlen(buf), "]");
		break;
	}
	case JSON_OBJECT: {
		const char *k;
		json_t *it;
		int first = 1;
		snprintf(buf + o, size - o, "{");
		json_object_foreach((json_t *)v, k, it) {
			json_t *ks = json_string(k);
			if (!first)
				snprintf(buf + strlen(buf), size - strlen(buf), ", ");
			first = 0;
			py_str(ks, 1, buf, size);
			json_decref(ks);
			snprintf(buf + strlen(buf), size - strlen(buf), ": ");
			py_str(it, 1, buf, size);
		}
		snprintf(buf + strlen(buf), size - strlen(buf), "}");
		break;
	}
	}
}

static int string_list(struct loader *L, const json_t *arr, char ***out, size_t *n, int allow_objects)
{
	size_t i;
	json_t *v;

	if (!json_is_array(arr))
		return bad(L, "must be an array of strings");
	*out = calloc(json_array_size(arr) + 1, sizeof(char *));
	if (!*out)
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	*n = 0;
	json_array_foreach(arr, i, v) {
		const char *s = json_string_value(v);
		if (!s && allow_objects && json_is_object(v))
			s = json_string_value(json_object_get(v, "value"));
		if (!s)
			return bad(L, "item %zu must be a string", i);
		if (!((*out)[(*n)++] = dup(s)))
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	}
	return ODL_OK;
}

static void free_list(char **l, size_t n)
{
	if (!l)
		return;
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static int only_empty(char **l, size_t n)
{
	return n == 1 && l[0][0] == 0;
}

static int read_bound(struct loader *L, struct odl_field *f, const json_t *v, double *out)
{
	struct odl_value tv;

	if (json_is_number(v) && f->type != ODL_T_STRING) {
		*out = json_number_value(v);
		return ODL_OK;
	}
	if (json_is_string(v) && odl_type_read(f, json_string_value(v), json_string_length(v), &tv) == 0) {
		*out = tv.num;
		return ODL_OK;
	}
	return bad(L, "value is not a valid %s", f->type_name);
}

static int compile_constraint(struct loader *L, struct odl_field *f, const char *key,
			      const json_t *v, unsigned supported, const char *type)
{
	struct odl_constraint *c = &f->cons[f->ncons];
	char note[1024] = "";
	size_t k;

	for (k = 0; k < sizeof(cons_names) / sizeof(cons_names[0]); k++)
		if (strcmp(cons_names[k].name, key) == 0)
			break;
	if (k == sizeof(cons_names) / sizeof(cons_names[0]))
		return bad(L, "unknown constraint");
	c->kind = cons_names[k].kind;
	if (!(supported & (1u << c->kind)))
		return bad(L, "constraint \"%s\" is not supported by type \"%s\"", key, type);
	switch (c->kind) {
	case ODL_C_REQUIRED:
	case ODL_C_UNIQUE:
		if (!json_is_boolean(v))
			return bad(L, "must be true or false");
		if (c->kind == ODL_C_REQUIRED)
			f->required = json_is_true(v);
		else
			f->unique = json_is_true(v);
		if (json_is_false(v) || c->kind == ODL_C_UNIQUE)
			return ODL_OK; /* nothing to check per cell */
		break;
	case ODL_C_MINLENGTH:
	case ODL_C_MAXLENGTH:
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return bad(L, "must be a non-negative integer");
		c->num = (double)json_integer_value(v);
		break;
	case ODL_C_MINIMUM:
	case ODL_C_MAXIMUM:
	case ODL_C_EXCLMIN:
	case ODL_C_EXCLMAX:
		if (read_bound(L, f, v, &c->num) != ODL_OK)
			return L->err ? L->err->code : ODL_ESCHEMA;
		break;
	case ODL_C_PATTERN: {
		struct odl_error perr;
		if (!json_is_string(v))
			return bad(L, "must be a string");
		odl_error_clear(&perr);
		int rc = odl_pattern_compile(json_string_value(v), &c->re, &perr);
		if (rc == ODL_ENOMEM)
			return odl_fail(L->err, rc, "out of memory");
		if (rc != ODL_OK)
			return bad(L, "%s", perr.message);
		break;
	}
	case ODL_C_ENUM: {
		size_t i;
		json_t *it;
		if (!json_is_array(v) || json_array_size(v) == 0)
			return bad(L, "must be a non-empty array");
		c->nenum = json_array_size(v);
		c->enum_v = calloc(c->nenum, sizeof(*c->enum_v));
		c->enum_s = calloc(c->nenum, sizeof(char *));
		c->enum_len = calloc(c->nenum, sizeof(size_t));
		if (!c->enum_v || !c->enum_s || !c->enum_len)
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
		json_array_foreach(v, i, it) {
			if (json_is_string(it)) {
				c->enum_s[i] = dup(json_string_value(it));
			} else {
				char *d = json_dumps(it, JSON_ENCODE_ANY | JSON_COMPACT);
				c->enum_s[i] = d;
			}
			if (!c->enum_s[i])
				return odl_fail(L->err, ODL_ENOMEM, "out of memory");
			c->enum_len[i] = strlen(c->enum_s[i]);
			if (json_is_number(it) && f->type != ODL_T_STRING) {
				c->enum_v[i].num = json_number_value(it);
			} else if (json_is_boolean(it) && f->type == ODL_T_BOOLEAN) {
				c->enum_v[i].num = json_is_true(it);
			} else if (f->type != ODL_T_STRING && f->type != ODL_T_ANY &&
				   odl_type_read(f, c->enum_s[i], c->enum_len[i], &c->enum_v[i]) != 0) {
				return bad(L, "item %zu is not a valid %s", i, f->type_name);
			}
		}
		break;
	}
	}
	snprintf(note, sizeof(note), "constraint \"%s\" is \"", key);
	py_str(v, 0, note, sizeof(note) - 2);
	strcat(note, "\"");
	if (!(c->note = dup(note)))
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	f->ncons++;
	return ODL_OK;
}

static int compile_field(struct loader *L, struct odl_field *f, const json_t *j, int is_item);

static void free_field(struct odl_field *f)
{
	free(f->name);
	free(f->title);
	free(f->type_name);
	free(f->pattern_fmt);
	free_list(f->true_v, f->ntrue);
	free_list(f->false_v, f->nfalse);
	free_list(f->missing, f->nmissing);
	/* cons[ncons] may hold a constraint that failed half-way (the array
	 * has one spare, zeroed slot) */
	for (size_t i = 0; f->cons && i <= f->ncons; i++) {
		struct odl_constraint *c = &f->cons[i];
		odl_pattern_free(c->re);
		free(c->enum_v);
		free_list(c->enum_s, c->nenum);
		free(c->enum_len);
		free(c->note);
	}
	free(f->cons);
	if (f->item) {
		free_field(f->item);
		free(f->item);
	}
}

static void scopy(char *d, size_t size, const char *s)
{
	size_t n = strlen(s);
	if (n >= size)
		n = size - 1;
	memmove(d, s, n);
	d[n] = 0;
}

static int set_where(struct loader *L, const char *base, const char *key)
{
	scopy(L->where, sizeof(L->where), base);
	size_t n = strlen(L->where);
	if (n + 1 < sizeof(L->where)) {
		L->where[n] = '.';
		scopy(L->where + n + 1, sizeof(L->where) - n - 1, key);
	}
	return 0;
}

static int compile_field(struct loader *L, struct odl_field *f, const json_t *j, int is_item)
{
	char base[160];
	const char *tname = "string", *fmt = "default";
	unsigned supported = 0;
	size_t t;
	json_t *v;
	int rc;

	scopy(base, sizeof(base), L->where);
	if (!json_is_object(j))
		return bad(L, "must be an object");
	v = json_object_get(j, "name");
	if (!is_item) {
		if (!v)
			return bad(L, "a field needs a \"name\"");
		if (!json_is_string(v) || json_string_length(v) == 0)
			return bad(L, "\"name\" must be a non-empty string");
	}
	f->name = dup(v && json_is_string(v) ? json_string_value(v) : "");
	if (!f->name)
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	f->name_len = strlen(f->name);
	v = json_object_get(j, "title");
	if (v && json_is_string(v) && json_string_length(v) &&
	    !(f->title = dup(json_string_value(v))))
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	v = json_object_get(j, "type");
	if (v) {
		if (!json_is_string(v))
			return set_where(L, base, "type"), bad(L, "must be a string");
		tname = json_string_value(v);
	}
	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		if (strcmp(types[t].name, tname) == 0)
			break;
	if (t == sizeof(types) / sizeof(types[0]))
		return set_where(L, base, "type"), bad(L, "unknown type \"%s\"", tname);
	f->type = types[t].type;
	supported = types[t].cons;
	v = json_object_get(j, "format");
	if (v) {
		if (!json_is_string(v))
			return set_where(L, base, "format"), bad(L, "must be a string");
		fmt = json_string_value(v);
	}
	f->format = ODL_F_DEFAULT;
	if (strcmp(fmt, "default") != 0) {
		switch (f->type) {
		case ODL_T_STRING:
			if (strcmp(fmt, "email") == 0) f->format = ODL_F_EMAIL;
			else if (strcmp(fmt, "uri") == 0) f->format = ODL_F_URI;
			else if (strcmp(fmt, "uuid") == 0) f->format = ODL_F_UUID;
			else if (strcmp(fmt, "binary") == 0) f->format = ODL_F_BINARY;
			else if (strcmp(fmt, "wkt") == 0) f->format = ODL_F_DEFAULT;
			else return set_where(L, base, "format"), bad(L, "unknown format \"%s\" for type \"string\"", fmt);
			break;
		case ODL_T_DATE: case ODL_T_TIME: case ODL_T_DATETIME:
			if (strcmp(fmt, "any") == 0) {
				f->format = ODL_F_ANY;
			} else {
				if (strncmp(fmt, "fmt:", 4) == 0)
					fmt += 4;
				if (!strchr(fmt, '%'))
					return set_where(L, base, "format"), bad(L, "\"%s\" is neither \"default\", \"any\" nor a strptime pattern", fmt);
				for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 2, '%'))
					if (!p[1] || !strchr("YymdHIMSjfzpbBaA%", p[1]))
						return set_where(L, base, "format"), bad(L, "unsupported directive in \"%s\"", fmt);
				f->format = ODL_F_PATTERN;
				if (!(f->pattern_fmt = dup(fmt)))
					return odl_fail(L->err, ODL_ENOMEM, "out of memory");
			}
			break;
		case ODL_T_GEOPOINT:
			if (strcmp(fmt, "array") == 0) f->format = ODL_F_ARRAY;
			else if (strcmp(fmt, "object") == 0) f->format = ODL_F_OBJECT;
			else return set_where(L, base, "format"), bad(L, "unknown format \"%s\" for type \"geopoint\"", fmt);
			break;
		case ODL_T_GEOJSON:
			if (strcmp(fmt, "topojson") == 0) f->format = ODL_F_TOPOJSON;
			else return set_where(L, base, "format"), bad(L, "unknown format \"%s\" for type \"geojson\"", fmt);
			break;
		default:
			/* frictionless ignores formats of other types */
			break;
		}
	}
	{
		char tn[96];
		snprintf(tn, sizeof(tn), "%s/%s", tname, f->format == ODL_F_DEFAULT ? "default" : fmt);
		if (!(f->type_name = dup(tn)))
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	}
	f->bare_number = 1;
	snprintf(f->decimal_char, sizeof(f->decimal_char), ".");
	if ((v = json_object_get(j, "decimalChar"))) {
		if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= sizeof(f->decimal_char))
			return set_where(L, base, "decimalChar"), bad(L, "must be a short non-empty string");
		snprintf(f->decimal_char, sizeof(f->decimal_char), "%s", json_string_value(v));
		f->number_custom = 1;
	}
	if ((v = json_object_get(j, "groupChar"))) {
		if (!json_is_string(v) || json_string_length(v) >= sizeof(f->group_char))
			return set_where(L, base, "groupChar"), bad(L, "must be a short string");
		snprintf(f->group_char, sizeof(f->group_char), "%s", json_string_value(v));
		f->number_custom = 1;
	}
	if ((v = json_object_get(j, "bareNumber"))) {
		if (!json_is_boolean(v))
			return set_where(L, base, "bareNumber"), bad(L, "must be true or false");
		f->bare_number = json_is_true(v);
		f->number_custom = 1;
	}
	if (f->type != ODL_T_NUMBER && f->type != ODL_T_INTEGER)
		f->number_custom = 0;
	{
		static char *const dtrue[] = { (char *)"true", (char *)"True", (char *)"TRUE", (char *)"1" };
		static char *const dfalse[] = { (char *)"false", (char *)"False", (char *)"FALSE", (char *)"0" };
		const char *keys[2] = { "trueValues", "falseValues" };
		char ***lists[2] = { &f->true_v, &f->false_v };
		size_t *ns[2] = { &f->ntrue, &f->nfalse };
		char *const *defs[2] = { dtrue, dfalse };
		for (int k = 0; k < 2; k++) {
			if ((v = json_object_get(j, keys[k]))) {
				set_where(L, base, keys[k]);
				if ((rc = string_list(L, v, lists[k], ns[k], 0)) != ODL_OK)
					return rc;
			} else {
				*lists[k] = calloc(4, sizeof(char *));
				if (!*lists[k])
					return odl_fail(L->err, ODL_ENOMEM, "out of memory");
				for (int d = 0; d < 4; d++)
					if (!((*lists[k])[d] = dup(defs[k][d])))
						return odl_fail(L->err, ODL_ENOMEM, "out of memory");
				*ns[k] = 4;
			}
		}
	}
	if ((v = json_object_get(j, "missingValues"))) {
		set_where(L, base, "missingValues");
		if ((rc = string_list(L, v, &f->missing, &f->nmissing, 1)) != ODL_OK)
			return rc;
		f->missing_only_empty = only_empty(f->missing, f->nmissing);
	}
	if (f->type == ODL_T_ARRAY && (v = json_object_get(j, "arrayItem"))) {
		if (!(f->item = calloc(1, sizeof(*f->item))))
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
		set_where(L, base, "arrayItem");
		if ((rc = compile_field(L, f->item, v, 1)) != ODL_OK)
			return rc;
	}
	v = json_object_get(j, "constraints");
	if (v) {
		const char *key;
		json_t *cv;
		if (!json_is_object(v))
			return set_where(L, base, "constraints"), bad(L, "must be an object");
		f->cons = calloc(json_object_size(v) + 1, sizeof(*f->cons));
		if (!f->cons)
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
		json_object_foreach(v, key, cv) {
			set_where(L, base, "constraints");
			set_where(L, L->where, key);
			if ((rc = compile_constraint(L, f, key, cv, supported, tname)) != ODL_OK)
				return rc;
		}
	}
	scopy(L->where, sizeof(L->where), base);
	return ODL_OK;
}

/* Messages of problems, marked for xgettext; French through odl.mo. */
#define N_(s) s
static const char field_error_en[] = N_("Field is not valid: %s");
static const char schema_error_en[] = N_("Schema is not valid: %s");
static const char example_fr[] = N_("the example value \"%s\" of column \"%s\" cannot be read as a %s");

static int add_problem(struct loader *L, struct odl_schema *s, const char *code, size_t i,
		       const char *note, const char *fr)
{
	struct odl_schema_problem *np = realloc(s->problems, (s->nproblems + 1) * sizeof(*np));
	char msg[ODL_ERROR_TEXT * 2];
	struct odl_schema_problem *p;
	int field = strcmp(code, "field-error") == 0;

	if (!np)
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	s->problems = np;
	p = &np[s->nproblems];
	memset(p, 0, sizeof(*p));
	snprintf(msg, sizeof(msg), field ? field_error_en : schema_error_en, note);
	p->code = field ? "field-error" : "schema-error";
	p->field = dup(i ? s->fields[i - 1].name : "");
	p->field_number = i;
	p->note = dup(note);
	p->message = dup(msg);
	if (fr) {
		snprintf(msg, sizeof(msg), odl_message_translate(field ? field_error_en : schema_error_en, "fr"), fr);
		p->message_fr = dup(msg);
	}
	s->nproblems++;
	if (!p->field || !p->note || !p->message || (fr && !p->message_fr))
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	return ODL_OK;
}

/* Python's truth value of a JSON value: frictionless skips a falsy example. */
static int py_truthy(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0;
	case JSON_TRUE: return 1;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_OBJECT: return json_object_size(v) > 0;
	default: return 0;
	}
}

/* A JSON example that is not text: what frictionless's readers take as such. */
static int example_value_reads(const struct odl_field *f, const json_t *ex)
{
	switch (f->type) {
	case ODL_T_ANY:
		return 1;
	case ODL_T_NUMBER:
		return json_is_number(ex);
	case ODL_T_INTEGER:
		return json_is_integer(ex);
	case ODL_T_YEAR:
		return json_is_integer(ex) && json_integer_value(ex) >= 0 && json_integer_value(ex) <= 9999;
	case ODL_T_BOOLEAN:
		return json_is_boolean(ex);
	case ODL_T_ARRAY:
		return json_is_array(ex);
	case ODL_T_OBJECT:
	case ODL_T_GEOJSON:
		return json_is_object(ex);
	default:
		return 0;
	}
}

/*
 * frictionless reads a field's example with a field made of the type and
 * the format alone (plus trueValues/falseValues for booleans): the
 * constraints, decimalChar/groupChar/bareNumber and arrayItem are not
 * applied to it.
 */
static int check_example(struct loader *L, struct odl_schema *s, size_t i, const json_t *j)
{
	const struct odl_field *f = &s->fields[i];
	const json_t *ex = json_object_get(j, "example");
	struct odl_field bare;
	struct odl_value v;
	char shown[768] = "", note[ODL_ERROR_TEXT], fr[ODL_ERROR_TEXT];
	int ok;

	if (ex && py_truthy(ex)) {
		bare = *f;
		bare.number_custom = 0;
		bare.bare_number = 1;
		snprintf(bare.decimal_char, sizeof(bare.decimal_char), ".");
		bare.group_char[0] = 0;
		bare.item = NULL;
		bare.cons = NULL;
		bare.ncons = 0;
		if (json_is_string(ex))
			ok = odl_type_read(&bare, json_string_value(ex), json_string_length(ex), &v) == 0;
		else
			ok = example_value_reads(f, ex);
		if (!ok) {
			py_str(ex, 0, shown, sizeof(shown));
			snprintf(note, sizeof(note), "example value \"%s\" for field \"%s\" is not valid", shown, f->name);
			snprintf(fr, sizeof(fr), odl_message_translate(example_fr, "fr"), shown, f->name, f->type_name);
			if (add_problem(L, s, "field-error", i + 1, note, fr) != ODL_OK)
				return L->err ? L->err->code : ODL_ENOMEM;
		}
	}
	if (json_object_get(j, "required")) {
		snprintf(note, sizeof(note), "\"required\" should be set as \"constraints.required\"");
		snprintf(fr, sizeof(fr), "%s", odl_message_translate("\"required\" should be set inside \"constraints\"", "fr"));
		if (add_problem(L, s, "field-error", i + 1, note, fr) != ODL_OK)
			return L->err ? L->err->code : ODL_ENOMEM;
	}
	return ODL_OK;
}

size_t odl_schema_nproblems(const odl_schema *s)
{
	return s->nproblems;
}

const struct odl_schema_problem *odl_schema_problem(const odl_schema *s, size_t i)
{
	return i < s->nproblems ? &s->problems[i] : NULL;
}

int odl_field_index(const struct odl_schema *s, const char *name, size_t len)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (s->fields[i].name_len == len && memcmp(s->fields[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static int index_cb(void *ctx, const char *name)
{
	return odl_field_index(ctx, name, strlen(name));
}

static int name_list(struct loader *L, struct odl_schema *s, const json_t *v, size_t **out, size_t *n)
{
	size_t i;
	json_t *it;

	if (json_is_string(v)) {
		int k = odl_field_index(s, json_string_value(v), json_string_length(v));
		if (k < 0)
			return bad(L, "no field named \"%s\"", json_string_value(v));
		if (!(*out = malloc(sizeof(size_t))))
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
		(*out)[0] = (size_t)k;
		*n = 1;
		return ODL_OK;
	}
	if (!json_is_array(v) || json_array_size(v) == 0)
		return bad(L, "must be a field name or a non-empty array of field names");
	if (!(*out = calloc(json_array_size(v), sizeof(size_t))))
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	*n = 0;
	json_array_foreach(v, i, it) {
		int k = json_is_string(it) ? odl_field_index(s, json_string_value(it), json_string_length(it)) : -1;
		if (k < 0)
			return bad(L, "item %zu: no such field", i);
		(*out)[(*n)++] = (size_t)k;
	}
	return ODL_OK;
}

static int compile(struct loader *L, struct odl_schema *s, const json_t *root)
{
	json_t *fields, *v;
	size_t i;
	int rc;

	if (!json_is_object(root))
		return bad(L, "a schema must be a JSON object");
	if ((v = json_object_get(root, "name")) && json_is_string(v))
		s->name = dup(json_string_value(v));
	if ((v = json_object_get(root, "version")) && json_is_string(v))
		s->version = dup(json_string_value(v));
	if (!s->name)
		s->name = dup("");
	if (!s->version)
		s->version = dup("");
	if (!s->name || !s->version)
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	fields = json_object_get(root, "fields");
	snprintf(L->where, sizeof(L->where), "fields");
	if (!fields)
		return bad(L, "the schema has no \"fields\"");
	if (!json_is_array(fields))
		return bad(L, "must be an array");
	s->fields = calloc(json_array_size(fields) + 1, sizeof(*s->fields));
	if (!s->fields)
		return odl_fail(L->err, ODL_ENOMEM, "out of memory");
	json_array_foreach(fields, i, v) {
		snprintf(L->where, sizeof(L->where), "fields[%zu]", i);
		s->nfields = i + 1;
		if ((rc = compile_field(L, &s->fields[i], v, 0)) != ODL_OK)
			return rc;
		for (size_t k = 0; k < i; k++)
			if (strcmp(s->fields[k].name, s->fields[i].name) == 0)
				return bad(L, "names of the fields are not unique: \"%s\" is also fields[%zu]",
					   s->fields[i].name, k);
		if ((rc = check_example(L, s, i, v)) != ODL_OK)
			return rc;
	}
	snprintf(L->where, sizeof(L->where), "missingValues");
	if ((v = json_object_get(root, "missingValues"))) {
		if ((rc = string_list(L, v, &s->missing, &s->nmissing, 1)) != ODL_OK)
			return rc;
	} else {
		if (!(s->missing = calloc(1, sizeof(char *))) || !(s->missing[0] = dup("")))
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
		s->nmissing = 1;
	}
	s->missing_only_empty = only_empty(s->missing, s->nmissing);
	snprintf(L->where, sizeof(L->where), "primaryKey");
	if ((v = json_object_get(root, "primaryKey")))
		if ((rc = name_list(L, s, v, &s->pkey, &s->npkey)) != ODL_OK)
			return rc;
	snprintf(L->where, sizeof(L->where), "fieldsMatch");
	if ((v = json_object_get(root, "fieldsMatch"))) {
		if (!json_is_string(v) || strcmp(json_string_value(v), "validata") == 0 ||
		    odl_fields_match_parse(json_string_value(v), &s->fields_match) != ODL_OK)
			return bad(L, "must be one of \"exact\", \"equal\", \"subset\", \"superset\", \"partial\"");
	}
	if ((v = json_object_get(root, "foreignKeys"))) {
		json_t *fk;
		if (!json_is_array(v))
			return snprintf(L->where, sizeof(L->where), "foreignKeys"), bad(L, "must be an array");
		s->fkeys = calloc(json_array_size(v) + 1, sizeof(*s->fkeys));
		if (!s->fkeys)
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
		json_array_foreach(v, i, fk) {
			struct odl_fkey *k = &s->fkeys[i];
			json_t *ref = json_object_get(fk, "reference");
			size_t nref = 0;
			s->nfkeys = i + 1;
			snprintf(L->where, sizeof(L->where), "foreignKeys[%zu].fields", i);
			if ((rc = name_list(L, s, json_object_get(fk, "fields"), &k->fields, &k->n)) != ODL_OK)
				return rc;
			snprintf(L->where, sizeof(L->where), "foreignKeys[%zu].reference", i);
			if (!json_is_object(ref))
				return bad(L, "must be an object");
			json_t *res = json_object_get(ref, "resource");
			if (res && !(json_is_string(res) && json_string_length(res) == 0)) {
				odl_error_at(L->err, L->file, 0, 0, NULL);
				return odl_fail(L->err, ODL_EUNSUPPORTED,
						"%s.resource: only references to the same file (\"\") are supported", L->where);
			}
			snprintf(L->where, sizeof(L->where), "foreignKeys[%zu].reference.fields", i);
			if ((rc = name_list(L, s, json_object_get(ref, "fields"), &k->ref_fields, &nref)) != ODL_OK)
				return rc;
			if (nref != k->n)
				return bad(L, "has %zu fields where \"fields\" has %zu", nref, k->n);
		}
	}
	if ((v = json_object_get(root, "custom_checks"))) {
		json_t *c;
		snprintf(L->where, sizeof(L->where), "custom_checks");
		if (!json_is_array(v))
			return bad(L, "must be an array");
		s->checks = calloc(json_array_size(v) + 1, sizeof(*s->checks));
		if (!s->checks)
			return odl_fail(L->err, ODL_ENOMEM, "out of memory");
		json_array_foreach(v, i, c) {
			struct odl_error cerr;
			odl_error_clear(&cerr);
			rc = odl_check_compile(c, index_cb, s, &s->checks[s->nchecks], &cerr);
			if (rc == ODL_ENOMEM)
				return odl_fail(L->err, rc, "out of memory");
			if (rc != ODL_OK) {
				snprintf(L->where, sizeof(L->where), "custom_checks[%zu]", i);
				return bad(L, "%s", cerr.message);
			}
			s->nchecks++;
		}
	}
	*L->where = 0;
	return ODL_OK;
}

void odl_schema_free(odl_schema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nfields; i++)
		free_field(&s->fields[i]);
	free(s->fields);
	free_list(s->missing, s->nmissing);
	free(s->pkey);
	for (size_t i = 0; i < s->nfkeys; i++) {
		free(s->fkeys[i].fields);
		free(s->fkeys[i].ref_fields);
	}
	free(s->fkeys);
	for (size_t i = 0; i < s->nchecks; i++)
		odl_check_free(s->checks[i]);
	free(s->checks);
	for (size_t i = 0; i < s->nproblems; i++) {
		free((char *)s->problems[i].field);
		free((char *)s->problems[i].note);
		free((char *)s->problems[i].message);
		free((char *)s->problems[i].message_fr);
	}
	free(s->problems);
	free(s->name);
	free(s->version);
	free(s);
}

int odl_schema_load_text(const char *text, size_t len, const char *name,
			 odl_schema **out, struct odl_error *err)
{
	struct loader L = { err, name ? name : "", "" };
	json_error_t jerr;
	odl_hash *h;
	odl_schema *s;
	json_t *root;
	int rc;

	*out = NULL;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		odl_error_at(err, L.file, (uint64_t)(jerr.line > 0 ? jerr.line : 0),
			     (uint64_t)(jerr.column > 0 ? jerr.column : 0), NULL);
		return odl_fail(err, ODL_ESCHEMA, "not valid JSON: %s", jerr.text);
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		json_decref(root);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	h = odl_hash_new(ODL_HASH_SHA256);
	if (!h) {
		free(s);
		json_decref(root);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	odl_hash_update(h, text, len);
	odl_hash_final_hex(h, s->sha256);
	odl_hash_free(h);
	rc = compile(&L, s, root);
	json_decref(root);
	if (rc != ODL_OK) {
		odl_schema_free(s);
		return rc;
	}
	*out = s;
	return ODL_OK;
}

int odl_schema_load_path(const char *path, odl_schema **out, struct odl_error *err)
{
	FILE *f;
	char *buf;
	size_t n = 0, cap = 65536;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		odl_error_at(err, path, 0, 0, NULL);
		if (err)
			err->sys_errno = errno;
		return odl_fail(err, errno == ENOENT ? ODL_ENOTFOUND : ODL_EIO, "cannot open schema: %s",
				strerror(errno));
	}
	buf = malloc(cap);
	while (buf) {
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
		if (n == cap) {
			if (cap >= SCHEMA_MAX_BYTES) {
				free(buf);
				fclose(f);
				odl_error_at(err, path, 0, 0, NULL);
				return odl_fail(err, ODL_ELIMIT, "schema larger than %u bytes", SCHEMA_MAX_BYTES);
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf) {
		fclose(f);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	if (ferror(f)) {
		int e = errno;
		free(buf);
		fclose(f);
		odl_error_at(err, path, 0, 0, NULL);
		return odl_fail(err, ODL_EIO, "cannot read schema: %s", strerror(e));
	}
	fclose(f);
	rc = odl_schema_load_text(buf, n, path, out, err);
	free(buf);
	return rc;
}

size_t odl_schema_nfields(const odl_schema *s) { return s->nfields; }
const char *odl_schema_field_name(const odl_schema *s, size_t i) { return i < s->nfields ? s->fields[i].name : NULL; }
int odl_schema_field_required(const odl_schema *s, size_t i) { return i < s->nfields && s->fields[i].required; }
const char *odl_schema_name(const odl_schema *s) { return s->name; }
const char *odl_schema_version(const odl_schema *s) { return s->version; }
const char *odl_schema_sha256(const odl_schema *s) { return s->sha256; }
enum odl_fields_match odl_schema_fields_match(const odl_schema *s) { return s->fields_match; }
size_t odl_schema_ncustom_checks(const odl_schema *s) { return s->nchecks; }
