/*
 * messages_note.c - a finding's note said for a person.
 *
 * Notes keep frictionless's wording ('type is "date/default"', 'constraint
 * "maxLength" is "10"') so that reports stay comparable with the reference
 * validator.  A French data steward reads them here as "attendu : une date
 * sous la forme AAAA-MM-JJ (2024-03-31)".  The sentences are English
 * msgids translated through odl.mo like the rest of the catalogue.
 */
#include "odl/messages.h"
#include "messages_private.h"
#include "schema_private.h"

#include <stdio.h>
#include <string.h>

#define N_(s) s

/* What a value of each type and format looks like. */
static const struct {
	const char *type, *format, *text;
} shapes[] = {
	{ "string", "email", N_("an email address") },
	{ "string", "uri", N_("a web address (https://...)") },
	{ "string", "uuid", N_("a UUID") },
	{ "string", NULL, N_("a text") },
	{ "number", NULL, N_("a number with a decimal point, without space or unit (1250.50)") },
	{ "integer", NULL, N_("a whole number, without space or unit (12)") },
	{ "boolean", NULL, N_("true or false") },
	{ "date", "default", N_("a date as YYYY-MM-DD (2024-03-31)") },
	{ "date", NULL, N_("a date") },
	{ "time", "default", N_("a time as hh:mm:ss (14:30:00)") },
	{ "time", NULL, N_("a time") },
	{ "datetime", "default", N_("a date and time as YYYY-MM-DDThh:mm:ss (2024-03-31T14:30:00)") },
	{ "datetime", NULL, N_("a date and time") },
	{ "year", NULL, N_("a year (2024)") },
	{ "yearmonth", NULL, N_("a year and month as YYYY-MM (2024-03)") },
	{ "duration", NULL, N_("a duration (P1Y2M10D)") },
	{ "geopoint", NULL, N_("a point: longitude, latitude") },
	{ "geojson", NULL, N_("a GeoJSON object") },
	{ "object", NULL, N_("a JSON object") },
	{ "array", NULL, N_("a JSON list") },
};

static const struct {
	const char *name, *text;
} rules[] = {
	{ "required", N_("a value is required") },
	{ "pattern", N_("must follow the pattern %s") },
	{ "enum", N_("must be one of %s") },
	{ "minLength", N_("at least %s characters") },
	{ "maxLength", N_("at most %s characters") },
	{ "minimum", N_("at least %s") },
	{ "maximum", N_("at most %s") },
};

/* 'is "VALUE"' at s: VALUE into out; 0 when s is not that. */
static int quoted_value(const char *s, char *out, size_t size)
{
	size_t n;

	if (strncmp(s, " is \"", 5) != 0)
		return 0;
	s += 5;
	n = strlen(s);
	if (n == 0 || s[n - 1] != '"')
		return 0;
	snprintf(out, size, "%.*s", (int)(n - 1), s);
	return 1;
}

static const char *type_shape(const char *spec, const char *lang, char *buf, size_t size)
{
	const char *slash = strchr(spec, '/');
	size_t tlen = slash ? (size_t)(slash - spec) : strlen(spec);
	const char *format = slash ? slash + 1 : "default";

	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++) {
		if (strlen(shapes[i].type) != tlen || strncmp(shapes[i].type, spec, tlen) != 0)
			continue;
		if (shapes[i].format && strcmp(shapes[i].format, format) != 0)
			continue;
		/* a date with a pattern of its own: say the pattern */
		if (!shapes[i].format && strcmp(format, "default") && strcmp(format, "any") &&
		    (!strcmp(shapes[i].type, "date") || !strcmp(shapes[i].type, "time") ||
		     !strcmp(shapes[i].type, "datetime"))) {
			snprintf(buf, size, "%s (%s)", odl_message_translate(shapes[i].text, lang), format);
			return buf;
		}
		return odl_message_translate(shapes[i].text, lang);
	}
	return NULL;
}

static int say(const char *note, const char *lang, char *buf, size_t size)
{
	char value[512], shape[600];
	const char *s;

	if (strncmp(note, "array item ", 11) == 0) {
		char inner[600];
		if (!say(note + 11, lang, inner, sizeof(inner)))
			return 0;
		snprintf(buf, size, odl_message_translate(N_("list item: %s"), lang), inner);
		return 1;
	}
	if (strncmp(note, "type", 4) == 0 && quoted_value(note + 4, value, sizeof(value))) {
		if (!(s = type_shape(value, lang, shape, sizeof(shape))))
			return 0;
		snprintf(buf, size, odl_message_translate(N_("expected: %s"), lang), s);
		return 1;
	}
	if (strncmp(note, "constraint \"", 12) == 0) {
		const char *name = note + 12, *end = strchr(name, '"');
		if (!end || !quoted_value(end + 1, value, sizeof(value)))
			return 0;
		for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++)
			if (strlen(rules[i].name) == (size_t)(end - name) &&
			    strncmp(rules[i].name, name, (size_t)(end - name)) == 0) {
				snprintf(buf, size, odl_message_translate(rules[i].text, lang), value);
				return 1;
			}
		return 0;
	}
	if (strncmp(note, "the same as in the row at position ", 35) == 0) {
		snprintf(buf, size, odl_message_translate(N_("the same value as row %s"), lang),
			 note + 35);
		return 1;
	}
	return 0;
}

const char *odl_message_expected(const odl_schema *s, const char *field, const char *lang,
				 char *buf, size_t size)
{
	char shape[400];
	const char *what;
	int i;

	if (!s || !field || !buf || !size || (i = odl_field_index(s, field, strlen(field))) < 0)
		return NULL;
	const struct odl_field *f = &s->fields[i];
	if (f->type == ODL_T_BOOLEAN && f->ntrue && f->nfalse) {
		/* the schema's own words: "oui ou non" */
		snprintf(shape, sizeof(shape), odl_message_translate(N_("%s or %s"), lang), f->true_v[0],
			 f->false_v[0]);
		what = shape;
	} else if (f->type == ODL_T_NUMBER && strcmp(f->decimal_char, ".") != 0) {
		snprintf(shape, sizeof(shape),
			 odl_message_translate(N_("a number with '%s' before the decimals, without space or unit"),
					       lang), f->decimal_char);
		what = shape;
	} else if ((f->type == ODL_T_NUMBER || f->type == ODL_T_INTEGER) && f->number_custom) {
		/* a thousands separator or units allowed: say no more than the type */
		what = odl_message_translate(f->type == ODL_T_NUMBER ? N_("a number") : N_("a whole number"),
					     lang);
	} else if (!(what = type_shape(f->type_name, lang, shape, sizeof(shape)))) {
		return NULL;
	}
	snprintf(buf, size, odl_message_translate(N_("expected: %s"), lang), what);
	return buf;
}

const char *odl_message_note(const char *note, const char *lang, char *buf, size_t size)
{
	if (!buf || !size)
		return note;
	if (!note)
		note = "";
	if (!odl_lang_is_french(lang) || !say(note, lang, buf, size))
		snprintf(buf, size, "%s", note);
	return buf;
}
