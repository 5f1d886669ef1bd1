/* test_validate.c - the engine: column matching modes, row errors, keys, order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/validate.h"

struct run {
	odl_validator *v;
	char out[8192];
	int stop_after;
	int seen;
};

static int show_mismatch;
static int show_notes;

static int on_finding(void *ctx, const struct odl_finding *f)
{
	struct run *r = ctx;
	size_t o = strlen(r->out);
	/* checked on its own below, left out of the other expectations */
	if (!show_mismatch && strcmp(f->code, "schema-mismatch-warn") == 0)
		return 0;
	snprintf(r->out + o, sizeof(r->out) - o, "%s%llu:%llu:%s%s%s%s%s", o ? " " : "",
		 (unsigned long long)f->row, (unsigned long long)f->field_number, f->code,
		 f->warning ? "(w)" : "", show_notes ? " [" : "", show_notes ? f->note : "",
		 show_notes ? "]" : "");
	r->seen++;
	return r->stop_after && r->seen >= r->stop_after;
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct run *r = ctx;
	return odl_validator_record(r->v, rec, NULL) != ODL_OK;
}

static int on_prepass(void *ctx, const struct odl_record *rec)
{
	struct run *r = ctx;
	return odl_validator_prepass(r->v, rec) != ODL_OK;
}

/* Validate csv against schema with mode; the findings as "row:fieldNumber:code ...". */
static const char *validate(const char *schema, const char *csv, enum odl_fields_match mode)
{
	static struct run r;
	odl_schema *s;
	struct odl_error err;
	struct odl_validate_options opt;
	struct odl_csv_options co;

	memset(&r, 0, sizeof(r));
	if (odl_schema_load_text(schema, strlen(schema), "t.json", &s, &err) != ODL_OK)
		fail_msg("schema: %s", err.message);
	odl_validate_options_init(&opt);
	opt.fields_match = mode;
	r.v = odl_validator_new(s, &opt, on_finding, &r);
	assert_non_null(r.v);
	odl_csv_options_init(&co);
	co.delimiter = ',';
	if (odl_validator_needs_prepass(r.v)) {
		odl_csv *p = odl_csv_new(&co, on_prepass, &r);
		assert_int_equal(odl_csv_feed(p, csv, strlen(csv), NULL), ODL_OK);
		assert_int_equal(odl_csv_finish(p, NULL), ODL_OK);
		odl_csv_free(p);
	}
	/* every chunk size gives the same findings */
	odl_csv *c = odl_csv_new(&co, on_record, &r);
	for (size_t i = 0; i < strlen(csv); i += 7)
		odl_csv_feed(c, csv + i, strlen(csv) - i < 7 ? strlen(csv) - i : 7, NULL);
	odl_csv_finish(c, NULL);
	odl_validator_finish(r.v, NULL);
	odl_csv_free(c);
	odl_validator_free(r.v);
	odl_schema_free(s);
	return r.out;
}

static const char ABC[] =
	"{\"fields\": [{\"name\": \"a\", \"type\": \"integer\", \"constraints\": {\"required\": true}},"
	" {\"name\": \"b\"}, {\"name\": \"c\", \"constraints\": {\"maxLength\": 2}}]}";

static void exact_mode(void **state)
{
	(void)state;
	assert_string_equal(validate(ABC, "a,b,c\n1,x,yy\n", ODL_MATCH_EXACT), "");
	/* the frictionless baseline example: blank and duplicate labels, short, blank and long rows */
	assert_string_equal(validate(ABC, "a,,a\n1,english\n\n2,german,1,2,3\n", ODL_MATCH_EXACT),
			    "0:2:blank-label 0:3:duplicate-label 2:3:missing-cell 3:0:blank-row "
			    "4:4:extra-cell 4:5:extra-cell");
	assert_string_equal(validate(ABC, "b,a,c\nx,1,yy\n", ODL_MATCH_EXACT),
			    "0:1:incorrect-label 0:2:incorrect-label 2:1:type-error");
	/* a short row in a required field: constraint-error and missing-cell */
	assert_string_equal(validate(ABC, "c,b\nx\n", ODL_MATCH_EXACT),
			    "0:3:missing-label 0:1:incorrect-label 2:1:type-error 2:2:missing-cell 2:3:missing-cell");
	assert_string_equal(validate(ABC, "a,b\n,x\n", ODL_MATCH_EXACT),
			    "0:3:missing-label 2:1:constraint-error 2:3:missing-cell");
	assert_string_equal(validate(ABC, "a,b,c,d\n1,x,toolong,z\n", ODL_MATCH_EXACT),
			    "0:4:extra-label 2:3:constraint-error 2:4:extra-cell");
}

static void validata_mode(void **state)
{
	(void)state;
	assert_string_equal(validate(ABC, "c,b,a\nyy,x,1\n", ODL_MATCH_VALIDATA), "0:0:disordered-header-warn(w)");
	assert_string_equal(validate(ABC, "a,d\n1,z\n", ODL_MATCH_VALIDATA),
			    "0:2:extra-header-warn(w) 0:0:missing-header-warn(w) 0:0:missing-header-warn(w)");
	assert_string_equal(validate(ABC, "b,c\nx,y\n", ODL_MATCH_VALIDATA), "0:0:missing-required-header");
	/* cells are read by name: c's maxLength applies to the first column */
	assert_string_equal(validate(ABC, "c,a\nlong,x\n", ODL_MATCH_VALIDATA),
			    "0:0:missing-header-warn(w) 2:1:constraint-error 2:2:type-error");
}

static void name_modes(void **state)
{
	(void)state;
	assert_string_equal(validate(ABC, "a,d\n1,z\n", ODL_MATCH_EQUAL),
			    "0:2:extra-label 0:3:missing-label 0:4:missing-label");
	assert_string_equal(validate(ABC, "a,d\n1,z\n", ODL_MATCH_SUBSET), "0:3:missing-label 0:4:missing-label");
	assert_string_equal(validate(ABC, "a,d\n1,z\n", ODL_MATCH_SUPERSET), "0:2:extra-label");
	assert_string_equal(validate(ABC, "a,d\n1,z\n", ODL_MATCH_PARTIAL), "");
	/* only required fields are missing labels under partial */
	assert_string_equal(validate(ABC, "b,c\nx,y\n", ODL_MATCH_PARTIAL), "0:3:missing-label");
	assert_string_equal(validate(ABC, "x,y\n1,2\n", ODL_MATCH_PARTIAL), "0:3:missing-label 0:0:unmatched-header");
	/* short and long rows are measured against the labels */
	assert_string_equal(validate(ABC, "b,a\nx\ny,1,3\n", ODL_MATCH_PARTIAL),
			    "2:2:constraint-error 2:2:missing-cell 3:3:extra-cell");
	/* the schema's own fieldsMatch is the default */
	static const char SUB[] = "{\"fieldsMatch\": \"subset\", \"fields\": [{\"name\": \"a\"}]}";
	assert_string_equal(validate(SUB, "z,a\n1,2\n", ODL_MATCH_DEFAULT), "");
}

static void keys(void **state)
{
	static const char U[] =
		"{\"fields\": [{\"name\": \"id\", \"type\": \"integer\", \"constraints\": {\"unique\": true}},"
		" {\"name\": \"n\"}]}";
	static const char PK[] =
		"{\"primaryKey\": [\"x\", \"y\"], \"fields\": [{\"name\": \"x\"}, {\"name\": \"y\", \"type\": \"integer\"}, {\"name\": \"z\"}]}";
	static const char FK[] =
		"{\"foreignKeys\": [{\"fields\": \"parent\", \"reference\": {\"resource\": \"\", \"fields\": \"id\"}}],"
		" \"fields\": [{\"name\": \"id\"}, {\"name\": \"parent\"}]}";
	(void)state;
	/* typed equality: 01 and 1 are the same integer; missing values are not compared */
	assert_string_equal(validate(U, "id,n\n1,a\n2,b\n01,c\n,d\n,e\n1,f\n", ODL_MATCH_EXACT),
			    "4:1:unique-error 7:1:unique-error");
	assert_string_equal(validate(PK, "x,y,z\na,1,\na,2,\na,01,\n,,q\n", ODL_MATCH_EXACT),
			    "4:0:primary-key 5:0:primary-key");
	/* keys are typed values: a key cell that fails its type is null, so a
	 * blank row or a bad key is a primary-key error (all "None"), and two
	 * rows whose only difference is in cells that failed are the same key */
	show_notes = 1;
	assert_string_equal(validate(PK, "x,y,z\na,1,\n,,\nb,x,\n,zz,q\na,one,\nc,1,\nc,01,\nd,x,\nd,y,\n", ODL_MATCH_EXACT),
			    "3:0:blank-row [] 3:0:primary-key [cells composing the primary keys are all \"None\"] "
			    "4:2:type-error [type is \"integer/default\"] "
			    "5:2:type-error [type is \"integer/default\"] "
			    "5:0:primary-key [cells composing the primary keys are all \"None\"] "
			    "6:2:type-error [type is \"integer/default\"] "
			    "8:0:primary-key [the same as in the row at position 7] "
			    "9:2:type-error [type is \"integer/default\"] "
			    "10:2:type-error [type is \"integer/default\"] "
			    "10:0:primary-key [the same as in the row at position 9]");
	show_notes = 0;
	/* a foreign key may point to a later row of the same file */
	assert_string_equal(validate(FK, "id,parent\n1,\n2,3\n3,1\n4,9\n", ODL_MATCH_EXACT), "5:0:foreign-key");
}

static void missing_values_and_order(void **state)
{
	static const char MV[] =
		"{\"missingValues\": [\"\", \"NA\"], \"fields\": [{\"name\": \"a\", \"type\": \"number\","
		" \"constraints\": {\"required\": true, \"minimum\": 0, \"maximum\": 10}},"
		" {\"name\": \"b\", \"type\": \"string\", \"constraints\": {\"pattern\": \"[a-z]+\", \"minLength\": 3}}]}";
	(void)state;
	assert_string_equal(validate(MV, "a,b\nNA,abc\n-1,AB\n5,NA\n11,é\nNA,NA\n", ODL_MATCH_EXACT),
			    "2:1:constraint-error 3:1:constraint-error 3:2:constraint-error 3:2:constraint-error "
			    "5:1:constraint-error 5:2:constraint-error 5:2:constraint-error 6:0:blank-row");
}

static void key_fields_first(void **state)
{
	static const char K[] =
		"{\"primaryKey\": \"id\", \"fields\": [{\"name\": \"n\", \"type\": \"integer\"},"
		" {\"name\": \"id\", \"type\": \"integer\"}]}";
	(void)state;
	/* frictionless reads key fields first: id's error comes before n's; the
	 * key, null once id failed its type, is a primary-key error after them */
	assert_string_equal(validate(K, "n,id\nx,y\n", ODL_MATCH_EXACT),
			    "2:2:type-error 2:1:type-error 2:0:primary-key");
}

/*
 * arrayItem: items go through the item field; problems land on the array
 * cell, one type-error or one constraint-error per constraint broken, as
 * frictionless reports them; the array's own constraints come first and,
 * when they fail, its items are not judged.
 */
static void array_items(void **state)
{
	static const char A[] =
		"{\"fields\": [{\"name\": \"tags\", \"type\": \"array\","
		" \"constraints\": {\"maxLength\": 3},"
		" \"arrayItem\": {\"type\": \"integer\", \"missingValues\": [\"-\"],"
		" \"constraints\": {\"required\": true, \"minimum\": 1, \"enum\": [1, 2, 3, 40]}}}]}";
	(void)state;
	show_notes = 1;
	assert_string_equal(validate(A, "tags\n\"[1,2]\"\n\"[\"\"3\"\", 40]\"\n", ODL_MATCH_EXACT), "");
	assert_string_equal(validate(A, "tags\n\"[0, 5, 7]\"\n", ODL_MATCH_EXACT),
			    "2:1:constraint-error [array item constraint \"minimum\" is \"1\"] "
			    "2:1:constraint-error [array item constraint \"enum\" is \"[1, 2, 3, 40]\"]");
	assert_string_equal(validate(A, "tags\n\"[5, 0]\"\n", ODL_MATCH_EXACT),
			    "2:1:constraint-error [array item constraint \"enum\" is \"[1, 2, 3, 40]\"] "
			    "2:1:constraint-error [array item constraint \"minimum\" is \"1\"]");
	assert_string_equal(validate(A, "tags\n\"[1, \"\"x\"\", 0]\"\n", ODL_MATCH_EXACT),
			    "2:1:type-error [array item type is \"integer/default\"]");
	assert_string_equal(validate(A, "tags\n\"[1, \"\"-\"\"]\"\n", ODL_MATCH_EXACT),
			    "2:1:constraint-error [array item constraint \"required\" is \"True\"]");
	/* the array's own maxLength fails: its items are not looked at */
	assert_string_equal(validate(A, "tags\n\"[0, 0, 0, 0]\"\n", ODL_MATCH_EXACT),
			    "2:1:constraint-error [constraint \"maxLength\" is \"3\"]");
	assert_string_equal(validate(A, "tags\n\"{}\"\n", ODL_MATCH_EXACT),
			    "2:1:type-error [type is \"array/default\"]");
	/* items that are not strings are read whole, however long */
	static const char O[] =
		"{\"fields\": [{\"name\": \"o\", \"type\": \"array\", \"arrayItem\": {\"type\": \"object\"}}]}";
	assert_string_equal(validate(O, "o\n\"[{\"\"a_rather_long_key_name_for_this_object\"\": \"\"and a long value too\"\"}]\"\n",
				     ODL_MATCH_EXACT), "");
	assert_string_equal(validate(O, "o\n\"[{}, 3]\"\n", ODL_MATCH_EXACT),
			    "2:1:type-error [array item type is \"object/default\"]");
}

/*
 * A pattern the engine gives up on (exponential backtracking) is never a
 * verdict: a warning per cell, and after ten such cells one more warning
 * (row 0) and the pattern is no longer evaluated in the file.
 */
static void costly_patterns(void **state)
{
	static const char P[] =
		"{\"fields\": [{\"name\": \"id\"}, {\"name\": \"v\", \"constraints\": {\"pattern\": \"(?:(a+)+c|a*b)\"}}]}";
	static const char A[] =
		"{\"fields\": [{\"name\": \"t\", \"type\": \"array\","
		" \"arrayItem\": {\"type\": \"string\", \"constraints\": {\"pattern\": \"(a+)+\"}}}]}";
	char csv[4096] = "id,v\n";
	const char *hostile = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"; /* matches a*b */
	(void)state;
	/* decided cells: a match and a plain failure */
	assert_string_equal(validate(P, "id,v\n1,ab\n2,c\n", ODL_MATCH_EXACT), "3:2:constraint-error");
	snprintf(csv + strlen(csv), sizeof(csv) - strlen(csv), "1,%s\n2,c\n", hostile);
	assert_string_equal(validate(P, csv, ODL_MATCH_EXACT), "2:2:pattern-too-costly(w) 3:2:constraint-error");
	for (int i = 0; i < 11; i++)
		snprintf(csv + strlen(csv), sizeof(csv) - strlen(csv), "%d,%s\n", i + 3, hostile);
	strcat(csv, "99,c\n");
	/* 1 + 9 costly cells, the give-up note, then nothing: row 15's c is not judged */
	assert_string_equal(validate(P, csv, ODL_MATCH_EXACT),
			    "2:2:pattern-too-costly(w) 3:2:constraint-error 4:2:pattern-too-costly(w) "
			    "5:2:pattern-too-costly(w) 6:2:pattern-too-costly(w) 7:2:pattern-too-costly(w) "
			    "8:2:pattern-too-costly(w) 9:2:pattern-too-costly(w) 10:2:pattern-too-costly(w) "
			    "11:2:pattern-too-costly(w) 12:2:pattern-too-costly(w) 0:2:pattern-too-costly(w)");
	/* many hostile patterns: once the file's patterns have 100 undecided
	 * cells, one is enough to give a pattern up.  f0-f9 reach 10 each on
	 * rows 2-11 (f10 is "aa" there); f10's first hostile cell, row 12, is
	 * the 101st: given up at once, row 13 is not evaluated */
	{
		static char big[16384], sch[4096];
		size_t o = 0;
		o += (size_t)snprintf(sch + o, sizeof(sch) - o, "{\"fields\": [");
		for (int k = 0; k < 11; k++)
			o += (size_t)snprintf(sch + o, sizeof(sch) - o,
					      "%s{\"name\": \"f%d\", \"constraints\": {\"pattern\": \"(a+)+\"}}",
					      k ? ", " : "", k);
		snprintf(sch + o, sizeof(sch) - o, "]}");
		o = 0;
		for (int k = 0; k < 11; k++)
			o += (size_t)snprintf(big + o, sizeof(big) - o, "%sf%d", k ? "," : "", k);
		big[o++] = '\n';
		for (int r = 0; r < 12; r++) {
			for (int k = 0; k < 11; k++)
				o += (size_t)snprintf(big + o, sizeof(big) - o, "%s%s", k ? "," : "",
						      k == 10 && r < 10 ? "aa" : hostile);
			big[o++] = '\n';
		}
		big[o] = 0;
		const char *got = validate(sch, big, ODL_MATCH_EXACT);
		const char *tail = "11:10:pattern-too-costly(w) 0:10:pattern-too-costly(w) "
				   "12:11:pattern-too-costly(w) 0:11:pattern-too-costly(w)";
		assert_true(strlen(got) > strlen(tail));
		assert_string_equal(got + strlen(got) - strlen(tail), tail);
	}
	/* an array item: the warning lands on the array cell */
	snprintf(csv, sizeof(csv), "t\n\"[\"\"aa\"\", \"\"%s\"\"]\"\n\"[\"\"b\"\"]\"\n", hostile);
	assert_string_equal(validate(A, csv, ODL_MATCH_EXACT), "2:1:pattern-too-costly(w) 3:1:constraint-error");
}

static int notes_off(void **state)
{
	(void)state;
	show_notes = 0;
	return 0;
}

static void mismatch_warning(void **state)
{
	(void)state;
	show_mismatch = 1;
	assert_string_equal(validate(ABC, "x,y,a\n1,2,3\n", ODL_MATCH_PARTIAL), "0:0:schema-mismatch-warn(w)");
	assert_string_equal(validate(ABC, "x,b,a\n1,2,3\n", ODL_MATCH_PARTIAL), "");
	show_mismatch = 0;
}

static void stops_when_asked(void **state)
{
	(void)state;
	/* empty input: the source is empty */
	assert_string_equal(validate(ABC, "", ODL_MATCH_EXACT), "0:0:source-error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_mode),
		cmocka_unit_test_teardown(array_items, notes_off),
		cmocka_unit_test(validata_mode),
		cmocka_unit_test(name_modes),
		cmocka_unit_test(keys),
		cmocka_unit_test(missing_values_and_order),
		cmocka_unit_test(key_fields_first),
		cmocka_unit_test(mismatch_warning),
		cmocka_unit_test(stops_when_asked),
		cmocka_unit_test(costly_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
