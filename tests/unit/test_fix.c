/* test_fix.c - the repair rules: each repairs what it should, leaves what is
 * ambiguous, never touches a valid cell; the fixer end to end, and its
 * idempotence (fixing a fixed file changes nothing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odl/csv.h"
#include "odl/fix.h"
#include "fix_private.h"

static const char schema_json[] =
	"{\"fields\": ["
	"{\"name\": \"montant\", \"type\": \"number\"},"
	"{\"name\": \"effectif\", \"type\": \"integer\"},"
	"{\"name\": \"dateConvention\", \"type\": \"date\"},"
	"{\"name\": \"notificationUE\", \"type\": \"boolean\", \"trueValues\": [\"oui\"], \"falseValues\": [\"non\"]},"
	"{\"name\": \"nature\", \"type\": \"string\", \"constraints\": {\"enum\": [\"aide en numéraire\", \"aide en nature\"]}},"
	"{\"name\": \"idBeneficiaire\", \"type\": \"string\", \"constraints\": {\"pattern\": \"^\\\\d{14}$\"}},"
	"{\"name\": \"datesPeriodeVersement\", \"type\": \"string\", \"constraints\": {\"pattern\": \"^\\\\d{4}-\\\\d{2}-\\\\d{2}/\\\\d{4}-\\\\d{2}-\\\\d{2}$\"}},"
	"{\"name\": \"dateFr\", \"type\": \"date\", \"format\": \"%d/%m/%Y\"},"
	"{\"name\": \"objet\", \"type\": \"string\"},"
	"{\"name\": \"idRAE\", \"title\": \"Identifiant du RAE\", \"type\": \"string\"},"
	"{\"name\": \"dateHeure\", \"type\": \"datetime\"}"
	"]}";

static odl_schema *schema;

static int setup(void **state)
{
	(void)state;
	struct odl_error err = { 0 };
	if (odl_schema_load_text(schema_json, strlen(schema_json), "fix.json", &schema, &err) != ODL_OK) {
		fprintf(stderr, "schema: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	odl_schema_free(schema);
	return 0;
}

static const struct odl_field *field(const char *name)
{
	for (size_t i = 0; i < schema->nfields; i++)
		if (strcmp(schema->fields[i].name, name) == 0)
			return &schema->fields[i];
	fail_msg("no field %s", name);
	return NULL;
}

static char out[512];

/* The number rule's output for cell, or NULL when it has nothing to say. */
static const char *num(const char *fname, const char *cell)
{
	size_t len;
	if (odl_fix_number(field(fname), cell, strlen(cell), out, sizeof(out), &len) != FIX_DONE)
		return NULL;
	out[len] = 0;
	return out;
}

static void numbers(void **state)
{
	(void)state;
	assert_string_equal(num("montant", "26 956,00"), "26956.00");
	assert_string_equal(num("montant", "26\xc2\xa0" "956,00"), "26956.00");
	assert_string_equal(num("montant", "26\xe2\x80\xaf" "956,5"), "26956.5");
	assert_string_equal(num("montant", "9500 \xe2\x82\xac"), "9500");
	assert_string_equal(num("montant", "9500 EUR"), "9500");
	assert_string_equal(num("montant", "+1.234,5"), "1234.5");
	assert_string_equal(num("montant", "1,234.5"), "1234.5");
	assert_string_equal(num("montant", "36000,50"), "36000.50");
	assert_string_equal(num("montant", "1.234.567"), "1234567");
	assert_string_equal(num("montant", "-0,5"), "-0.5");
	assert_string_equal(num("montant", "1.5E+04"), "15000");
	assert_string_equal(num("effectif", "12.0"), "12");
	assert_string_equal(num("effectif", "1 200"), "1200");
	assert_string_equal(num("effectif", "1,5E+04"), "15000");
	/* ambiguous or not a number: nothing said */
	assert_null(num("effectif", "12.5"));     /* not whole */
	assert_null(num("effectif", "1,000"));    /* a thousand, or one? */
	assert_null(num("montant", "1 23"));      /* not grouped by three */
	assert_null(num("montant", "12,3,4"));
	assert_null(num("montant", "douze"));
	assert_null(num("montant", "12 euros 50"));
	assert_null(num("objet", "12,5"));        /* not a number field */
}

static const char *date(const char *fname, enum fix_date_order order, const char *cell, int *rc)
{
	size_t len;
	struct fix_why why = { 0 };
	*rc = odl_fix_date(field(fname), order, cell, strlen(cell), out, sizeof(out), &len, &why);
	if (*rc != FIX_DONE)
		return NULL;
	out[len] = 0;
	return out;
}

static void dates(void **state)
{
	(void)state;
	int rc;
	assert_string_equal(date("dateConvention", FIX_ORDER_UNKNOWN, "31/03/2024", &rc), "2024-03-31");
	assert_string_equal(date("dateConvention", FIX_ORDER_UNKNOWN, "31-03-2024", &rc), "2024-03-31");
	assert_string_equal(date("dateConvention", FIX_ORDER_UNKNOWN, "31.03.2024", &rc), "2024-03-31");
	assert_string_equal(date("dateConvention", FIX_ORDER_UNKNOWN, "2024/03/31", &rc), "2024-03-31");
	assert_string_equal(date("dateConvention", FIX_ORDER_UNKNOWN, "20240331", &rc), "2024-03-31");
	assert_string_equal(date("dateConvention", FIX_ORDER_UNKNOWN, "2024-03-31T10:00:00Z", &rc), "2024-03-31");
	assert_string_equal(date("dateConvention", FIX_ORDER_UNKNOWN, "25/3/2024", &rc), "2024-03-25");
	/* the field's own format */
	assert_string_equal(date("dateFr", FIX_ORDER_UNKNOWN, "2024-03-31", &rc), "31/03/2024");
	/* day and month: only the column decides */
	assert_null(date("dateConvention", FIX_ORDER_UNKNOWN, "03/04/2024", &rc));
	assert_int_equal(rc, FIX_LEFT);
	assert_string_equal(date("dateConvention", FIX_ORDER_DMY, "03/04/2024", &rc), "2024-04-03");
	assert_string_equal(date("dateConvention", FIX_ORDER_MDY, "03/04/2024", &rc), "2024-03-04");
	assert_null(date("dateConvention", FIX_ORDER_MIXED, "03/04/2024", &rc));
	assert_int_equal(rc, FIX_LEFT);
	assert_string_equal(date("dateConvention", FIX_ORDER_UNKNOWN, "04/04/2024", &rc), "2024-04-04");
	/* never completed or invented */
	assert_null(date("dateConvention", FIX_ORDER_DMY, "31/03/24", &rc));
	assert_int_equal(rc, FIX_NA);
	assert_null(date("dateConvention", FIX_ORDER_DMY, "31/02/2024", &rc));
	assert_null(date("dateConvention", FIX_ORDER_DMY, "31/03/2024 garbage", &rc));
	assert_int_equal(odl_fix_date_evidence("13/01/2024", 10), FIX_ORDER_DMY);
	assert_int_equal(odl_fix_date_evidence("01/13/2024", 10), FIX_ORDER_MDY);
	assert_int_equal(odl_fix_date_evidence("01/02/2024", 10), FIX_ORDER_UNKNOWN);
}

static const char *serial(const char *fname, int date1904, const char *cell, int *rc)
{
	size_t len;
	struct fix_why why = { NULL, NULL };
	*rc = odl_fix_excel_date(field(fname), date1904, cell, strlen(cell), out, sizeof(out), &len, &why);
	if (*rc != FIX_DONE)
		return NULL;
	out[len] = 0;
	return out;
}

/* Excel serial numbers, in a workbook only: the 1900 and 1904 systems, a
 * time of day, the field's format; numbers that cannot be dates left. */
static void excel_dates(void **state)
{
	(void)state;
	int rc;
	assert_string_equal(serial("dateConvention", 0, "45382", &rc), "2024-03-31");
	assert_string_equal(serial("dateConvention", 1, "45382", &rc), "2028-04-01");
	assert_string_equal(serial("dateFr", 0, "45382", &rc), "31/03/2024");
	assert_string_equal(serial("dateConvention", 0, "45382.75", &rc), "2024-03-31");
	assert_string_equal(serial("dateHeure", 0, "45382.75", &rc), "2024-03-31T18:00:00");
	assert_string_equal(serial("dateHeure", 0, "45382", &rc), "2024-03-31T00:00:00");
	assert_string_equal(serial("dateConvention", 0, "10000", &rc), "1927-05-18");
	assert_string_equal(serial("dateConvention", 0, "2958465", &rc), "9999-12-31");
	/* a year, a count, past 9999: left, and said */
	assert_null(serial("dateConvention", 0, "2024", &rc));
	assert_int_equal(rc, FIX_LEFT);
	assert_null(serial("dateConvention", 0, "2958466", &rc));
	assert_int_equal(rc, FIX_LEFT);
	assert_null(serial("dateConvention", 1, "2957004", &rc));
	assert_int_equal(rc, FIX_LEFT);
	/* not a number as a workbook writes one, or not a date field */
	assert_null(serial("dateConvention", 0, "45382,5", &rc));
	assert_int_equal(rc, FIX_NA);
	assert_null(serial("dateConvention", 0, "-45382", &rc));
	assert_int_equal(rc, FIX_NA);
	assert_null(serial("dateConvention", 0, "", &rc));
	assert_int_equal(rc, FIX_NA);
	assert_null(serial("objet", 0, "45382", &rc));
	assert_int_equal(rc, FIX_NA);
}

static const char *val(int (*rule)(const struct odl_field *, const char *, size_t, char *, size_t, size_t *),
		       const char *fname, const char *cell)
{
	size_t len;
	if (rule(field(fname), cell, strlen(cell), out, sizeof(out), &len) != FIX_DONE)
		return NULL;
	out[len] = 0;
	return out;
}

static void booleans_and_enum(void **state)
{
	(void)state;
	assert_string_equal(val(odl_fix_boolean, "notificationUE", "Oui"), "oui");
	assert_string_equal(val(odl_fix_boolean, "notificationUE", "NON"), "non");
	assert_string_equal(val(odl_fix_boolean, "notificationUE", "vrai"), "oui");
	assert_string_equal(val(odl_fix_boolean, "notificationUE", "Faux"), "non");
	assert_string_equal(val(odl_fix_boolean, "notificationUE", "x"), "oui");
	assert_string_equal(val(odl_fix_boolean, "notificationUE", "0"), "non");
	assert_null(val(odl_fix_boolean, "notificationUE", "peut-être"));
	assert_null(val(odl_fix_boolean, "objet", "oui"));
	assert_string_equal(val(odl_fix_enum, "nature", "Aide en numéraire"), "aide en numéraire");
	assert_string_equal(val(odl_fix_enum, "nature", "AIDE EN NUMERAIRE"), "aide en numéraire");
	assert_string_equal(val(odl_fix_enum, "nature", "aide  en\xc2\xa0nature"), "aide en nature");
	assert_null(val(odl_fix_enum, "nature", "aide en numéraires"));
	assert_null(val(odl_fix_enum, "objet", "aide en nature"));
}

static const char *ident(const char *cell, int *rc)
{
	size_t len;
	struct fix_why why = { 0 };
	*rc = odl_fix_identifier(field("idBeneficiaire"), 0, cell, strlen(cell), out, sizeof(out), &len, &why);
	if (*rc != FIX_DONE)
		return NULL;
	out[len] = 0;
	return out;
}

static void identifiers(void **state)
{
	(void)state;
	int rc;
	assert_string_equal(ident("218 601 946 00012", &rc), "21860194600012");
	assert_string_equal(ident("218.601.946.00012", &rc), "21860194600012");
	assert_string_equal(ident("21860194600012.0", &rc), "21860194600012");
	assert_string_equal(ident("2.1860194600012E+13", &rc), "21860194600012");
	assert_null(ident("2.18601946E+13", &rc)); /* five digits lost */
	assert_int_equal(rc, FIX_LEFT);
	assert_null(ident("2186019460001A", &rc));
	assert_int_equal(rc, FIX_NA);
}

static int always_slash(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	return n == 21 && s[10] == '/' && !memchr(s, '_', n);
}

static void patterns(void **state)
{
	(void)state;
	size_t len;
	const struct odl_field *f = field("datesPeriodeVersement");
	const char *cell = "2017-01-01_2017-12-31";
	assert_int_equal(odl_fix_pattern(f, cell, strlen(cell), out, sizeof(out), &len, always_slash, NULL),
			 FIX_DONE);
	out[len] = 0;
	assert_string_equal(out, "2017-01-01/2017-12-31");
}

static int period_ok(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	return n == 21 && s[4] == '-' && s[10] == '/' && s[15] == '-';
}

/* two dates written the French way, joined by another separator */
static void date_periods(void **state)
{
	(void)state;
	size_t len;
	const struct odl_field *f = field("datesPeriodeVersement");
	static const char *const cases[][2] = {
		{ "2018/02/21_2020/02/20", "2018-02-21/2020-02-20" },
		{ "21/02/2018 - 20/02/2020", "2018-02-21/2020-02-20" },
		{ "21/02/2018;20/02/2020", "2018-02-21/2020-02-20" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *cell = cases[i][0];
		assert_int_equal(odl_fix_pattern(f, cell, strlen(cell), out, sizeof(out), &len, period_ok, NULL),
				 FIX_DONE);
		out[len] = 0;
		assert_string_equal(out, cases[i][1]);
	}
	/* day and month both 12 or less: not decided */
	const char *amb = "03/04/2018_05/06/2020";
	assert_int_equal(odl_fix_pattern(f, amb, strlen(amb), out, sizeof(out), &len, period_ok, NULL), FIX_NA);
}

static void whitespace_and_fold(void **state)
{
	(void)state;
	const char *p = "\xc2\xa0 \xe2\x80\xaf" "abc\xe3\x80\x80\t";
	size_t n = strlen(p);
	odl_fix_trim(&p, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "abc", 3);
	char buf[64];
	odl_fix_fold("Nom_Attribuant", 14, buf, sizeof(buf), 0);
	assert_string_equal(buf, "nomattribuant");
	odl_fix_fold("nomAttribuant", 13, buf, sizeof(buf), 0);
	assert_string_equal(buf, "nomattribuant");
	odl_fix_fold("Numéro  Œuvre ", 16, buf, sizeof(buf), 1);
	assert_string_equal(buf, "numero oeuvre");
}

/* ---- the fixer over a whole file ------------------------------------------ */

struct run {
	odl_fixer *fx;
	FILE *out;
	char changes[4096];
	int learn;
	char lines[256]; /* the repaired records' lines */
};

static int on_change(void *ctx, const struct odl_fix_change *c)
{
	struct run *r = ctx;
	size_t l = strlen(r->changes);
	snprintf(r->changes + l, sizeof(r->changes) - l, "%s%s:%llu:%s:%.*s>%.*s\n",
		 c->left ? "left " : "", odl_fix_rule_name(c->rule), (unsigned long long)c->row,
		 c->field, (int)c->before_len, c->before ? c->before : "",
		 (int)c->after_len, c->after ? c->after : "");
	return 0;
}

static int on_learn(void *ctx, const struct odl_record *rec)
{
	struct run *r = ctx;
	return odl_fixer_learn(r->fx, rec);
}

static int on_record(void *ctx, const struct odl_record *rec)
{
	struct run *r = ctx;
	struct odl_record o;
	if (odl_fixer_record(r->fx, rec, &o, NULL) != ODL_OK)
		return 1;
	if (o.cells) {
		size_t l = strlen(r->lines);
		snprintf(r->lines + l, sizeof(r->lines) - l, "%llu ", (unsigned long long)o.line);
	}
	if (o.cells)
		odl_csv_write_record(r->out, o.cells, o.ncells, ';', "\n");
	return 0;
}

/* Fix text (';'-separated), with the learn pass or not, the fixer told (1:
 * 1900 system, 2: 1904) or not (0) that it reads a workbook; the repaired
 * file in *fixed. */
static const char *fix_run(const char *text, char **fixed, int learn, int excel)
{
	static struct run r;
	struct odl_csv_options opt;
	size_t size = 0;

	memset(&r, 0, sizeof(r));
	r.fx = odl_fixer_new(schema, NULL, on_change, &r);
	assert_non_null(r.fx);
	if (excel)
		odl_fixer_excel_dates(r.fx, excel == 2);
	odl_csv_options_init(&opt);
	opt.delimiter = ';';
	if (learn) {
		odl_csv *c = odl_csv_new(&opt, on_learn, &r);
		assert_int_equal(odl_csv_feed(c, text, strlen(text), NULL), ODL_OK);
		assert_int_equal(odl_csv_finish(c, NULL), ODL_OK);
		odl_csv_free(c);
	}
	r.out = open_memstream(fixed, &size);
	odl_csv *c = odl_csv_new(&opt, on_record, &r);
	assert_int_equal(odl_csv_feed(c, text, strlen(text), NULL), ODL_OK);
	assert_int_equal(odl_csv_finish(c, NULL), ODL_OK);
	odl_csv_free(c);
	fclose(r.out);
	odl_fixer_free(r.fx);
	return r.changes;
}

static const char *fix_text(const char *text, char **fixed, int learn)
{
	return fix_run(text, fixed, learn, 0);
}

static void fixer_whole_file(void **state)
{
	(void)state;
	const char *in =
		"Montant;date_convention;nature;objet;;\n"
		"26 956,00;31/03/2024;Aide en numéraire;Théâtre « 12,5 »;;\n"
		";;;;;\n"
		"1.5;03/04/2024;aide en nature; garder  ;;\n";
	char *fixed = NULL, *again = NULL;
	const char *changes = fix_text(in, &fixed, 1);
	assert_string_equal(changes,
			    "header:1:montant:Montant>montant\n"
			    "header:1:dateConvention:date_convention>dateConvention\n"
			    "whitespace:1::>\n"
			    "whitespace:1::>\n"
			    "numbers:2:montant:26 956,00>26956.00\n"
			    "dates:2:dateConvention:31/03/2024>2024-03-31\n"
			    "enum:2:nature:Aide en numéraire>aide en numéraire\n"
			    "whitespace:3::>\n"
			    "dates:4:dateConvention:03/04/2024>2024-04-03\n");
	assert_string_equal(fixed,
			    "montant;dateConvention;nature;objet\n"
			    "26956.00;2024-03-31;aide en numéraire;Théâtre « 12,5 »\n"
			    "1.5;2024-04-03;aide en nature; garder  \n");
	/* fixing the fixed file changes nothing, byte for byte */
	changes = fix_text(fixed, &again, 1);
	assert_string_equal(changes, "");
	assert_string_equal(again, fixed);
	free(fixed);
	free(again);
}

static void fixer_without_learning(void **state)
{
	(void)state;
	char *fixed = NULL;
	const char *changes = fix_text("dateConvention;objet\n03/04/2024;a\n", &fixed, 0);
	assert_string_equal(changes, "left dates:2:dateConvention:03/04/2024>\n");
	assert_string_equal(fixed, "dateConvention;objet\n03/04/2024;a\n");
	free(fixed);
}

/* Fix text guessing instead of learning: the file read again (*passes 2)
 * only when the guess proves wrong. */
static const char *fix_guessing(const char *text, char **fixed, int *passes)
{
	static struct run r;
	struct odl_csv_options opt;
	size_t size = 0;

	memset(&r, 0, sizeof(r));
	r.fx = odl_fixer_new(schema, NULL, on_change, &r);
	assert_non_null(r.fx);
	odl_fixer_guess(r.fx);
	odl_csv_options_init(&opt);
	opt.delimiter = ';';
	for (*passes = 1;; ++*passes) {
		r.out = open_memstream(fixed, &size);
		odl_csv *c = odl_csv_new(&opt, on_record, &r);
		assert_int_equal(odl_csv_feed(c, text, strlen(text), NULL), ODL_OK);
		assert_int_equal(odl_csv_finish(c, NULL), ODL_OK);
		odl_csv_free(c);
		fclose(r.out);
		if (!odl_fixer_guessed_wrong(r.fx))
			break;
		assert_int_equal(*passes, 1);
		free(*fixed);
		*fixed = NULL;
		r.changes[0] = 0;
		odl_fixer_restart(r.fx);
	}
	odl_fixer_free(r.fx);
	return r.changes;
}

/* Guessing gives what a first pass gives, in one pass when the file bears
 * the guess out, in two when not. */
static void fixer_guessing(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int passes;
	} cases[] = {
		/* ambiguous dates before and after the day over 12; an empty
		 * trailing column */
		{ "Montant;date_convention;nature;;\n03/04/2024 is no date;03/04/2024;x;;\n"
		  ";25/04/2024;;;\n;01/02/2024;;;\n", 1 },
		/* no date to decide */
		{ "dateConvention;objet\n2024-04-03;a\n25/04/2024;b\n04/25/2024;c\n", 1 },
		/* decided day first, then a month over 12 in the column */
		{ "dateConvention;objet\n03/04/2024;a\n25/04/2024;b\n04/25/2024;c\n", 2 },
		{ "dateConvention;objet\n03/04/2024;a\n04/25/2024;b\n", 2 },
		/* nothing in the column ever says */
		{ "dateConvention;objet\n03/04/2024;a\n", 2 },
		/* a column taken for empty is not */
		{ "objet;\na;\nb; \nc;x\n", 2 },
		{ "objet;\na;\nb; \n", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *learnt = NULL, *guessed = NULL, want[4096];
		int passes;
		snprintf(want, sizeof(want), "%s", fix_text(cases[i].in, &learnt, 1));
		const char *changes = fix_guessing(cases[i].in, &guessed, &passes);
		assert_string_equal(changes, want);
		assert_string_equal(guessed, learnt);
		assert_int_equal(passes, cases[i].passes);
		free(learnt);
		free(guessed);
	}
}

/* A file through a fixer told (or not) that it reads a workbook. */
static const char *fix_excel(const char *text, int excel, char **fixed)
{
	return fix_run(text, fixed, 0, excel);
}

static void fixer_excel_dates(void **state)
{
	(void)state;
	char *fixed = NULL;
	const char *in = "dateConvention;montant;dateHeure\n45382;45382;45382.5\n2024;1;20240331\n";
	assert_string_equal(fix_excel(in, 1, &fixed),
			    "dates:2:dateConvention:45382>2024-03-31\n"
			    "dates:2:dateHeure:45382.5>2024-03-31T12:00:00\n"
			    "left dates:3:dateConvention:2024>\n"
			    "left dates:3:dateHeure:20240331>\n");
	assert_string_equal(fixed, "dateConvention;montant;dateHeure\n2024-03-31;45382;2024-03-31T12:00:00\n"
			    "2024;1;20240331\n");
	free(fixed);
	assert_string_equal(fix_excel(in, 2, &fixed),
			    "dates:2:dateConvention:45382>2028-04-01\n"
			    "dates:2:dateHeure:45382.5>2028-04-01T12:00:00\n"
			    "left dates:3:dateConvention:2024>\n"
			    "left dates:3:dateHeure:20240331>\n");
	free(fixed);
	/* text input: a number is not known to be a serial */
	assert_string_equal(fix_excel(in, 0, &fixed), "");
	assert_string_equal(fixed, in);
	free(fixed);
}

/* The repaired records' lines count the line feeds of the cells before,
 * repaired or not, quoted or not. */
static void fixer_lines(void **state)
{
	(void)state;
	static struct run r;
	struct odl_csv_options opt;
	char *fixed = NULL;
	size_t size = 0;
	const char *in = "objet;Montant\n\"a\nb\";1\n\"c\";\" 2\n\n\"\n;\"x\"\"y\";3\n\"p\nq\";1,5\n\n;;\n\"\n\";4\n";

	memset(&r, 0, sizeof(r));
	r.fx = odl_fixer_new(schema, NULL, on_change, &r);
	odl_csv_options_init(&opt);
	opt.delimiter = ';';
	r.out = open_memstream(&fixed, &size);
	odl_csv *c = odl_csv_new(&opt, on_record, &r);
	assert_int_equal(odl_csv_feed(c, in, strlen(in), NULL), ODL_OK);
	assert_int_equal(odl_csv_finish(c, NULL), ODL_OK);
	odl_csv_free(c);
	fclose(r.out);
	odl_fixer_free(r.fx);
	assert_string_equal(fixed, "objet;montant\n\"a\nb\";1\nc;\" 2\n\n\"\n;\"x\"\"y\";3\n\"p\nq\";1.5\n\"\n\";4\n");
	/* blank rows are dropped */
	assert_string_equal(r.lines, "1 2 4 7 8 10 ");
	free(fixed);
}

/* A column named like a field's title is that field; a column that could
 * be two fields, or a field another column already names, is left. */
static void header_titles_and_doubts(void **state)
{
	(void)state;
	char *fixed = NULL;
	const char *changes = fix_text("IDENTIFIANT DU RAE;objet;Objet\na;b;c\n", &fixed, 1);
	assert_string_equal(changes,
			    "header:1:idRAE:IDENTIFIANT DU RAE>idRAE\n"
			    "left header:1:objet:Objet>\n");
	assert_string_equal(fixed, "idRAE;objet;Objet\na;b;c\n");
	free(fixed);
	changes = fix_text("Montant;MONTANT\n1;2\n", &fixed, 1);
	assert_string_equal(changes,
			    "left header:1:montant:Montant>\n"
			    "left header:1:montant:MONTANT>\n");
	free(fixed);
}

static void writer(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct odl_cell a[] = { { "a;b", 3 }, { "say \"hi\"", 8 }, { "l1\nl2", 5 }, { "", 0 }, { "x", 1 } };
	struct odl_cell e[] = { { "", 0 } };
	odl_csv_write_record(f, a, 5, ';', "\r\n");
	odl_csv_write_record(f, e, 1, ';', "\n");
	fclose(f);
	assert_string_equal(buf, "\"a;b\";\"say \"\"hi\"\"\";\"l1\nl2\";;x\r\n\"\"\n");
	free(buf);
}

/* odl_csv_writer_put writes a record's text as it is only when that is
 * what odl_csv_writer_record writes of its cells: records read from random
 * text (bare and quoted cells, quotes doubled, delimiters of the writer and
 * of the reader inside cells, line breaks in quotes, long lines), by both
 * search paths, through writers of either delimiter. */
struct put_pair {
	odl_csv_writer *put, *rec;
	size_t as_text; /* records the put writer took as they were */
};

static int put_both(void *ctx, const struct odl_record *rec)
{
	struct put_pair *pp = ctx;
	assert_int_equal(odl_csv_writer_put(pp->put, rec), ODL_OK);
	assert_int_equal(odl_csv_writer_record(pp->rec, rec->cells, rec->ncells), ODL_OK);
	pp->as_text += rec->text != NULL;
	return 0;
}

static void writer_put(void **state)
{
	(void)state;
	static const char *const pieces[] = { "a", "bc", " ", ",", ";", "\"", "\n", "é", "xxxxxxxxxxxxxxxxxxxxxxxxx" };
	size_t cap = 1 << 20, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	srand(7);
	for (int line = 0; line < 3000; line++) {
		int cells = 1 + rand() % 6;
		for (int c = 0; c < cells; c++) {
			char cell[200];
			size_t n = 0;
			int parts = rand() % 5, quote = rand() % 3 == 0;
			for (int k = 0; k < parts; k++) {
				const char *pc = pieces[rand() % (line % 2 ? 9 : 3)];
				if (!quote && (strchr(",\"\n", pc[0])))
					quote = 1;
				for (const char *q = pc; *q; q++) {
					if (*q == '"')
						cell[n++] = '"'; /* doubled in quotes */
					cell[n++] = *q;
				}
			}
			if (c)
				text[len++] = ',';
			if (quote)
				text[len++] = '"';
			memcpy(text + len, cell, n);
			len += n;
			if (quote)
				text[len++] = '"';
		}
		text[len++] = '\n';
		assert_true(len + 2000 < cap);
	}
	for (int v = 0; v < 2; v++) {
		if (v)
			setenv("ODL_SCAN", "scalar", 1);
		for (int d = 0; d < 2; d++) {
			char *a = NULL, *b = NULL;
			size_t na = 0, nb = 0;
			FILE *fa = open_memstream(&a, &na), *fb = open_memstream(&b, &nb);
			struct put_pair pp = { odl_csv_writer_new(fa, d ? ';' : ',', "\n"),
					       odl_csv_writer_new(fb, d ? ';' : ',', "\n"), 0 };
			struct odl_csv_options o;
			odl_csv_options_init(&o);
			o.delimiter = ',';
			odl_csv *c = odl_csv_new(&o, put_both, &pp);
			assert_non_null(c);
			struct odl_error err;
			odl_error_clear(&err);
			for (size_t i = 0; i < len; i += 4096)
				assert_int_equal(odl_csv_feed(c, text + i, len - i < 4096 ? len - i : 4096, &err), ODL_OK);
			assert_int_equal(odl_csv_finish(c, &err), ODL_OK);
			odl_csv_free(c);
			assert_int_equal(odl_csv_writer_flush(pp.put), ODL_OK);
			assert_int_equal(odl_csv_writer_flush(pp.rec), ODL_OK);
			odl_csv_writer_free(pp.put);
			odl_csv_writer_free(pp.rec);
			fclose(fa);
			fclose(fb);
			assert_true(pp.as_text > 1000);
			assert_int_equal(na, nb);
			assert_memory_equal(a, b, na);
			free(a);
			free(b);
		}
	}
	unsetenv("ODL_SCAN");
	free(text);
}

/* Many records through one writer, vector and byte search alike: cells
 * end to end in one buffer (as the reader gives them, read in place) or
 * apart, with the bytes that call for quotes at every place of a 16-byte
 * block, and a cell longer than the writer's buffer. */
static void writer_records(void **state)
{
	(void)state;
	static char text[40], big[70000];
	char *got[2] = { NULL, NULL };
	size_t size[2];
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '"';
	for (int v = 0; v < 2; v++) {
		if (v)
			setenv("ODL_SCAN", "scalar", 1);
		FILE *f = open_memstream(&got[v], &size[v]);
		odl_csv_writer *w = odl_csv_writer_new(f, ';', "\r\n");
		assert_non_null(w);
		for (size_t at = 0; at < 20; at++) {
			/* one special byte at 'at' in the first cell of 20 bytes */
			static const char specials[] = ";\"\r\nA";
			memset(text, 'a', sizeof(text));
			text[at] = specials[at % 5];
			struct odl_cell packed[3] = { { text, 20 }, { text + 20, 3 }, { text + 23, 17 } };
			struct odl_cell apart[2] = { { "plain", 5 }, { text, 20 } };
			assert_int_equal(odl_csv_writer_record(w, packed, 3), ODL_OK);
			assert_int_equal(odl_csv_writer_record(w, apart, 2), ODL_OK);
		}
		struct odl_cell large[2] = { { big, sizeof(big) }, { "z", 1 } };
		assert_int_equal(odl_csv_writer_record(w, large, 2), ODL_OK);
		assert_int_equal(odl_csv_writer_flush(w), ODL_OK);
		odl_csv_writer_free(w);
		fclose(f);
	}
	unsetenv("ODL_SCAN");
	assert_int_equal(size[0], size[1]);
	assert_memory_equal(got[0], got[1], size[0]);
	/* record by record, the one-call writer gives the same */
	char *one = NULL;
	size_t n1 = 0;
	FILE *f = open_memstream(&one, &n1);
	for (size_t at = 0; at < 20; at++) {
		static const char specials[] = ";\"\r\nA";
		memset(text, 'a', sizeof(text));
		text[at] = specials[at % 5];
		struct odl_cell packed[3] = { { text, 20 }, { text + 20, 3 }, { text + 23, 17 } };
		struct odl_cell apart[2] = { { "plain", 5 }, { text, 20 } };
		odl_csv_write_record(f, packed, 3, ';', "\r\n");
		odl_csv_write_record(f, apart, 2, ';', "\r\n");
	}
	fclose(f);
	assert_true(n1 < size[0]);
	assert_memory_equal(one, got[0], n1);
	/* the first records, by hand */
	assert_true(strncmp(got[0], "\";aaaaaaaaaaaaaaaaaaa\";aaa;aaaaaaaaaaaaaaaaa\r\n"
				    "plain;\";aaaaaaaaaaaaaaaaaaa\"\r\n"
				    "\"a\"\"aaaaaaaaaaaaaaaaaa\";aaa;aaaaaaaaaaaaaaaaa\r\n", 120) == 0);
	/* the long cell: quoted, its quote doubled */
	assert_memory_equal(got[0] + size[0] - 8, "x\"\"\";z\r\n", 8);
	free(one);
	free(got[0]);
	free(got[1]);
}

static void rule_names(void **state)
{
	(void)state;
	enum odl_fix_rule r;
	for (int i = 0; i < ODL_FIX_NRULES; i++) {
		assert_int_equal(odl_fix_rule_parse(odl_fix_rule_name((enum odl_fix_rule)i), &r), ODL_OK);
		assert_int_equal(r, i);
	}
	assert_int_equal(odl_fix_rule_parse("encoding-magic", &r), ODL_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers),
		cmocka_unit_test(dates),
		cmocka_unit_test(booleans_and_enum),
		cmocka_unit_test(identifiers),
		cmocka_unit_test(patterns),
		cmocka_unit_test(date_periods),
		cmocka_unit_test(whitespace_and_fold),
		cmocka_unit_test(fixer_whole_file),
		cmocka_unit_test(fixer_without_learning),
		cmocka_unit_test(fixer_guessing),
		cmocka_unit_test(fixer_lines),
		cmocka_unit_test(excel_dates),
		cmocka_unit_test(fixer_excel_dates),
		cmocka_unit_test(header_titles_and_doubts),
		cmocka_unit_test(writer),
		cmocka_unit_test(writer_records),
		cmocka_unit_test(writer_put),
		cmocka_unit_test(rule_names),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
