/* test_checks.c - Validata's custom checks, on hand-computed cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_impl.h"
#include "odl/csv.h"

/* A schema of named fields; rows are given as strings, NULL = column absent. */
struct schema {
	const char *const *names;
};

static int field_index(void *ctx, const char *name)
{
	const struct schema *s = ctx;

	for (int i = 0; s->names[i]; i++)
		if (strcmp(s->names[i], name) == 0)
			return i;
	return -1;
}

static char found[8192];
static size_t last_message_len;

static void collect(void *ctx, const struct odl_check_finding *f)
{
	size_t n = strlen(found);

	(void)ctx;
	last_message_len = strlen(f->message) + strlen(f->message_fr);
	snprintf(found + n, sizeof(found) - n, "%s%s %d [%.*s] %s | %s", n ? "\n" : "", f->code,
		 f->field, (int)f->cell_len, f->cell ? f->cell : "", f->message, f->message_fr);
}

#define assert_starts(lit) assert_memory_equal(found, lit, strlen(lit))

static struct odl_check *compile(const char *const *names, const char *spec)
{
	struct schema s = {names};
	json_t *j = json_loads(spec, 0, NULL);
	struct odl_check *c = NULL;
	struct odl_error err;

	assert_non_null(j);
	odl_error_clear(&err);
	assert_int_equal(odl_check_compile(j, field_index, &s, &c, &err), ODL_OK);
	json_decref(j);
	assert_non_null(c);
	return c;
}

static int compile_fails(const char *const *names, const char *spec, char *msg, size_t cap)
{
	struct schema s = {names};
	json_t *j = json_loads(spec, 0, NULL);
	struct odl_check *c = (struct odl_check *)1;
	struct odl_error err;
	int rc;

	assert_non_null(j);
	odl_error_clear(&err);
	rc = odl_check_compile(j, field_index, &s, &c, &err);
	json_decref(j);
	assert_null(c);
	snprintf(msg, cap, "%s", err.message);
	return rc;
}

/* Run one row; cells as strings (NULL = absent); findings into `found`. */
static void row(struct odl_check *c, size_t n, const char *const *vals)
{
	struct odl_cell cells[16];
	const struct odl_cell *ptrs[16];

	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++) {
		cells[i].ptr = vals[i] ? vals[i] : "";
		cells[i].len = vals[i] ? strlen(vals[i]) : 0;
		ptrs[i] = vals[i] ? &cells[i] : NULL;
	}
	found[0] = 0;
	assert_int_equal(odl_check_row(c, ptrs, n, 1, collect, NULL), ODL_OK);
}

static void one(struct odl_check *c, const char *val)
{
	const char *v[1] = {val};

	row(c, 1, v);
}

static void test_luhn(void **state)
{
	(void)state;
	assert_true(odl_luhn_valid("73282932000074", 14));
	assert_false(odl_luhn_valid("73282932000079", 14));
	assert_true(odl_luhn_valid("356000000", 9));
	assert_true(odl_luhn_valid("0", 1));
	assert_false(odl_luhn_valid("1", 1));
	assert_true(odl_luhn_valid("18", 2));  /* 1*2 + 8 = 10 */
	assert_true(odl_luhn_valid("59", 2));  /* 5*2-9 + 9 = 10 */
}

static void test_siret_values(void **state)
{
	(void)state;
#define OK(s) assert_true(odl_siret_valid(s, strlen(s)))
#define KO(s) assert_false(odl_siret_valid(s, strlen(s)))
	OK("73282932000074");
	KO("73282932000079");          /* wrong key */
	OK("21060004500392");
	KO("21860194600000");
	OK("732 829 320 00074");       /* spaces removed */
	OK("732.829.320.00074");       /* dots removed */
	OK(" 73282932000074\t");
	KO("32402138500000.0");        /* 15 digits once the dot is gone */
	KO("7328293200007");           /* 13 digits */
	KO("732829320000744");         /* 15 digits */
	KO("7328293200007A");
	KO("");
	KO("7328293200\t0074");        /* inner tab is not removed */
	/* La Poste: SIREN 356000000, establishments keyed by digit sum % 5. */
	OK("35600000000048");          /* head office: Luhn */
	OK("35600000049837");          /* sum 45 */
	KO("35600000049838");          /* sum 46 */
	KO("35600000000045");          /* sum 3+5+6+4+5 = 23 */
	OK("35600000000060");          /* sum 3+5+6+6 = 20 */
	/* any byte that is not a digit, at any of the 14 places of a valid
	 * SIRET, is refused (the bare-digits path tests words at a time) */
	static const char others[] = "/:A a\x7f\x80\xb9\xf9";
	for (size_t i = 0; i < 14; i++)
		for (const char *o = others; *o; o++) {
			char bad[15] = "73282932000074";
			bad[i] = *o;
			if (*o == ' ')
				continue; /* a space is compacted away: 13 digits, also refused below */
			KO(bad);
		}
	KO("7328293200007 ");
#undef OK
#undef KO
}

static void test_siren_values(void **state)
{
	(void)state;
	assert_true(odl_siren_valid("404833048", 9));
	assert_false(odl_siren_valid("404833047", 9));
	assert_true(odl_siren_valid("552 008 443", 11));
	assert_true(odl_siren_valid("529173189", 9));
	assert_false(odl_siren_valid("529173188", 9));
	assert_false(odl_siren_valid("40483304", 8));
	assert_false(odl_siren_valid("4048330480", 10));
}

static const char *const one_col[] = {"SIRET", NULL};

static void test_siret_check(void **state)
{
	struct odl_check *c = compile(one_col,
		"{\"name\": \"french-siret-value\", \"params\": {\"column\": \"SIRET\"}}");

	(void)state;
	assert_string_equal(odl_check_code(c), "french-siret-value");
	one(c, "73282932000074");
	assert_string_equal(found, "");
	one(c, "");
	assert_string_equal(found, "");
	one(c, NULL);
	assert_string_equal(found, "");
	one(c, "21860194600000");
	assert_string_equal(found, "french-siret-value 0 [21860194600000] "
		"'21860194600000' is not a valid siret number | "
		"La valeur '21860194600000' n'est pas un numéro SIRET français valide.");
	odl_check_free(c);
}

static void test_siren_check(void **state)
{
	struct odl_check *c = compile(one_col,
		"{\"name\": \"french-siren-value\", \"params\": {\"column\": \"SIRET\"}}");

	(void)state;
	one(c, "404833048");
	assert_string_equal(found, "");
	one(c, "404833047");
	assert_string_equal(found, "french-siren-value 0 [404833047] "
		"'404833047' is not a valid siren number | "
		"La valeur '404833047' n'est pas un numéro SIREN français valide.");
	odl_check_free(c);
}

static void test_compile_errors(void **state)
{
	char msg[ODL_ERROR_TEXT];

	(void)state;
	assert_int_equal(compile_fails(one_col, "{\"name\": \"no-such-check\", \"params\": {}}",
				       msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'no-such-check': unknown check");
	assert_int_equal(compile_fails(one_col, "{\"name\": \"french-siret-value\", \"params\": {}}",
				       msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'french-siret-value': missing params.column");
	assert_int_equal(compile_fails(one_col, "{\"name\": \"french-siret-value\", "
				       "\"params\": {\"column\": \"X\"}}", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'french-siret-value': params.column 'X' is not a field of the schema");
	assert_int_equal(compile_fails(one_col, "{\"name\": \"french-siret-value\", "
				       "\"params\": {\"column\": 3}}", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'french-siret-value': params.column must be a string");
	assert_int_equal(compile_fails(one_col, "{\"name\": \"french-siret-value\"}",
				       msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'french-siret-value': \"params\" must be an object");
	assert_int_equal(compile_fails(one_col, "{\"params\": {}}", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom_checks: entry without a \"name\" string");
	assert_int_equal(compile_fails(one_col, "[]", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom_checks: each entry must be an object");
}


static const char *const budget[] = {"BUDGET_ANNEE", NULL};

static void test_year_interval(void **state)
{
	struct odl_check *c = compile(budget, "{\"name\": \"year-interval-value\", "
		"\"params\": {\"column\": \"BUDGET_ANNEE\", \"allow-year-only\": \"yes\"}}");
	struct odl_check *strict = compile(budget, "{\"name\": \"year-interval-value\", "
		"\"params\": {\"column\": \"BUDGET_ANNEE\"}}");

	(void)state;
	one(c, "2019");
	assert_string_equal(found, "");
	one(c, "2019/2020");
	assert_string_equal(found, "");
	one(c, "2019/2020\n");   /* Python's `$` */
	assert_string_equal(found, "");
	one(c, "2019/2019");
	assert_string_equal(found, "year-interval-value 0 [2019/2019] year interval '2019/2019' is "
		"incorrect: the two years must differ | L'année ou l'intervalle d'années '2019/2019' "
		"est incorrect (les deux années doivent être différentes).");
	one(c, "2020/2019");
	assert_string_equal(found, "year-interval-value 0 [2020/2019] year interval '2020/2019' is "
		"incorrect: the second year (2019) must be later than the first (2020) | "
		"L'année ou l'intervalle d'années '2020/2019' est incorrect (la deuxième année (2019) "
		"doit être postérieure à la première (2020)).");
	one(c, "19/20");
	assert_string_equal(found, "year-interval-value 0 [19/20] year or year interval '19/20' is "
		"incorrect: expected a year (YYYY) or an interval (YYYY/YYYY) | L'année ou "
		"l'intervalle d'années '19/20' est incorrect (format attendu : année AAAA ou "
		"intervalle AAAA/AAAA).");
	one(c, "2019-2020");
	assert_starts("year-interval-value 0 [2019-2020] year or year");
	one(c, "2019 / 2020");
	assert_starts("year-interval-value 0 [2019 / 2020] year or year");
	one(strict, "2019");
	assert_string_equal(found, "year-interval-value 0 [2019] year interval '2019' is incorrect: "
		"expected format YYYY/YYYY | L'intervalle d'années '2019' est incorrect (format "
		"attendu : AAAA/AAAA).");
	one(strict, "2018/2019");
	assert_string_equal(found, "");
	odl_check_free(c);
	odl_check_free(strict);
}

static const char *const delib[] = {"DELIB_DATE", "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL",
				    "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", NULL};

static void test_compare(void **state)
{
	struct odl_check *d = compile(delib, "{\"name\": \"compare-columns-value\", \"params\": "
		"{\"column\": \"PREF_DATE\", \"column2\": \"DELIB_DATE\", \"op\": \">=\"}}");
	struct odl_check *v = compile(delib, "{\"name\": \"compare-columns-value\", \"params\": "
		"{\"column\": \"VOTE_EFFECTIF\", \"column2\": \"VOTE_REEL\", \"op\": \">=\"}}");
	const char *r1[] = {"2019-03-12", "2019-03-10", "", "", "", "", ""};
	const char *r2[] = {"2019-03-12", "2019-03-12", "9", "10", "", "", ""};
	const char *r3[] = {"2019-03-12", "", "10", "9", "", "", ""};
	const char *r4[] = {"12", "2019-03-12", "9", "10.0", "", "", ""};
	const char *r5[] = {"2019-03-12", "2019-03-12", "abc", "10", "", "", ""};

	(void)state;
	row(d, 7, r1);
	assert_string_equal(found, "compare-columns-value 1 [2019-03-10] value `2019-03-10` of column "
		"'PREF_DATE' should be greater than or equal to value `2019-03-12` of column "
		"'DELIB_DATE' | La valeur de la colonne PREF_DATE `2019-03-10` devrait être "
		"supérieure ou égale à la valeur de la colonne DELIB_DATE `2019-03-12`.");
	row(d, 7, r2);
	assert_string_equal(found, "");
	/* 9 < 10 numerically although "9" > "10" as text. */
	row(v, 7, r2);
	assert_string_equal(found, "compare-columns-value 2 [9] value `9` of column 'VOTE_EFFECTIF' "
		"should be greater than or equal to value `10` of column 'VOTE_REEL' | La valeur de la "
		"colonne VOTE_EFFECTIF `9` devrait être supérieure ou égale à la valeur de la colonne "
		"VOTE_REEL `10`.");
	row(d, 7, r3);           /* an empty cell: skipped */
	assert_string_equal(found, "");
	row(v, 7, r3);
	assert_string_equal(found, "");
	row(d, 7, r4);           /* a number against a date */
	assert_string_equal(found, "compare-columns-value 1 [2019-03-12] value `2019-03-12` of column "
		"'PREF_DATE' cannot be compared with value `12` of column 'DELIB_DATE' | La valeur de "
		"la colonne PREF_DATE `2019-03-12` n'est pas comparable avec la valeur de la colonne "
		"DELIB_DATE `12`.");
	row(v, 7, r4);           /* 9 >= 10.0 fails numerically */
	assert_starts("compare-columns-value 2 [9] ");
	row(v, 7, r5);
	assert_starts("compare-columns-value 2 [abc] value `abc` of column 'VOTE_EFFECTIF' cannot");
	odl_check_free(d);
	odl_check_free(v);
}

static void test_compare_ops(void **state)
{
	static const char *const ops[] = {">", ">=", "==", "<=", "<"};
	/* For (1,2), (2,2), (3,2): which ops hold. */
	static const int holds[5][3] = {{0, 0, 1}, {0, 1, 1}, {0, 1, 0}, {1, 1, 0}, {1, 0, 0}};
	static const char *const a[] = {"1", "2", "3"};
	char spec[256];
	char msg[ODL_ERROR_TEXT];

	(void)state;
	for (int o = 0; o < 5; o++) {
		struct odl_check *c;

		snprintf(spec, sizeof(spec), "{\"name\": \"compare-columns-value\", \"params\": "
			 "{\"column\": \"VOTE_POUR\", \"column2\": \"VOTE_REEL\", \"op\": \"%s\"}}", ops[o]);
		c = compile(delib, spec);
		for (int i = 0; i < 3; i++) {
			const char *r[] = {"", "", "", "2.0", a[i], "", ""};

			row(c, 7, r);
			assert_int_equal(found[0] == 0, holds[o][i]);
		}
		odl_check_free(c);
	}
	assert_int_equal(compile_fails(delib, "{\"name\": \"compare-columns-value\", \"params\": "
		"{\"column\": \"VOTE_POUR\", \"column2\": \"VOTE_REEL\", \"op\": \"!=\"}}", msg, sizeof(msg)),
		ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'compare-columns-value': params.op must be one of >, >=, ==, <=, <");
}

static void test_sum(void **state)
{
	struct odl_check *c = compile(delib, "{\"name\": \"sum-columns-value\", \"params\": "
		"{\"column\": \"VOTE_REEL\", \"columns\": [\"VOTE_POUR\", \"VOTE_CONTRE\", \"VOTE_ABSTENTION\"]}}");
	const char *ok[] = {"", "", "", "13", "10", "2", "1"};
	const char *bad[] = {"", "", "", "12", "10", "2", "1"};
	const char *hole[] = {"", "", "", "12", "10", "", "1"};
	const char *partial[] = {"", "", "", "12", "10", "2", NULL};
	char msg[ODL_ERROR_TEXT];

	(void)state;
	row(c, 7, ok);
	assert_string_equal(found, "");
	row(c, 7, bad);
	assert_string_equal(found, "sum-columns-value 3 [12] the sum of columns 'VOTE_POUR (10), "
		"VOTE_CONTRE (2), VOTE_ABSTENTION (1)' is `13`, which differs from the value found in "
		"column 'VOTE_REEL' (`12`) | La somme des valeurs des colonnes 'VOTE_POUR (10), "
		"VOTE_CONTRE (2), VOTE_ABSTENTION (1)' est `13`, ce nombre est différent de celui "
		"trouvé dans la colonne 'VOTE_REEL' (`12`).");
	row(c, 7, hole);
	assert_string_equal(found, "");
	/* Some columns absent: one check-error, then silence for the file. */
	row(c, 7, partial);
	assert_string_equal(found, "check-error -1 [] column 'VOTE_ABSTENTION' is missing, so the "
		"check 'sum-columns-value' cannot be applied | La colonne 'VOTE_ABSTENTION' est "
		"manquante : le contrôle « sum-columns-value » ne peut pas être appliqué.");
	row(c, 7, bad);
	assert_string_equal(found, "");
	odl_check_reset(c);
	row(c, 7, bad);
	assert_starts("sum-columns-value 3 [12]");
	odl_check_free(c);
	assert_int_equal(compile_fails(delib, "{\"name\": \"sum-columns-value\", \"params\": "
		"{\"column\": \"VOTE_REEL\", \"columns\": [\"VOTE_POUR\"]}}", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'sum-columns-value': params.columns must be a list of at least 2 column names");
}

static void test_cohesive(void **state)
{
	struct odl_check *c = compile(delib, "{\"name\": \"cohesive-columns-value\", \"params\": "
		"{\"column\": \"VOTE_EFFECTIF\", \"othercolumns\": [\"VOTE_REEL\", \"VOTE_POUR\"]}}");
	const char *all[] = {"", "", "1", "2", "3", "", ""};
	const char *none[] = {"", "", "", "", "", "9", ""};
	const char *some[] = {"", "", "1", "", "3", "", ""};
	const char *other[] = {"", "", "", "2", "", "", ""};
	const char *gone[] = {NULL, NULL, NULL, NULL, NULL, "1", "1"};
	char msg[ODL_ERROR_TEXT];

	(void)state;
	row(c, 7, all);
	assert_string_equal(found, "");
	row(c, 7, none);
	assert_string_equal(found, "");
	row(c, 7, some);
	assert_string_equal(found, "cohesive-columns-value 2 [1] inconsistent row: columns "
		"VOTE_EFFECTIF, VOTE_REEL, VOTE_POUR must either all have a value or all be empty | "
		"Incohérence relevée : les colonnes VOTE_EFFECTIF, VOTE_REEL, VOTE_POUR doivent toutes "
		"comporter une valeur ou toutes être vides.");
	row(c, 7, other);
	assert_starts("cohesive-columns-value 2 [] inconsistent");
	row(c, 7, gone);       /* none of the columns in the file: nothing */
	assert_string_equal(found, "");
	odl_check_free(c);
	assert_int_equal(compile_fails(delib, "{\"name\": \"cohesive-columns-value\", \"params\": "
		"{\"column\": \"VOTE_REEL\"}}", msg, sizeof(msg)), ODL_ESCHEMA);
	assert_string_equal(msg, "custom check 'cohesive-columns-value': missing params.othercolumns");
}

static const char *const subv[] = {"idBeneficiaire", "rnaBeneficiaire", NULL};

static void test_one_of_required(void **state)
{
	struct odl_check *c = compile(subv, "{\"name\": \"one-of-required\", \"params\": "
		"{\"column1\": \"idBeneficiaire\", \"column2\": \"rnaBeneficiaire\"}}");
	const char *both[] = {"73282932000074", "W751234567"};
	const char *first[] = {"73282932000074", ""};
	const char *second[] = {"", "W751234567"};
	const char *neither[] = {"", ""};
	const char *only2[] = {NULL, ""};
	const char *only2ok[] = {NULL, "W751234567"};
	const char *absent[] = {NULL, NULL};

	(void)state;
	row(c, 2, both);
	assert_string_equal(found, "");
	row(c, 2, first);
	assert_string_equal(found, "");
	row(c, 2, second);
	assert_string_equal(found, "");
	row(c, 2, neither);
	assert_string_equal(found, "one-of-required -1 [] inconsistent row: at least one of columns "
		"'idBeneficiaire' or 'rnaBeneficiaire' must have a value | Incohérence relevée : au "
		"moins l'une des colonnes 'idBeneficiaire' ou 'rnaBeneficiaire' doit comporter une valeur.");
	row(c, 2, only2);
	assert_starts("one-of-required -1 [] inconsistent");
	row(c, 2, only2ok);
	assert_string_equal(found, "");
	row(c, 2, absent);
	assert_string_equal(found, "one-of-required -1 [] columns 'idBeneficiaire' and "
		"'rnaBeneficiaire' are both missing: one of them is required | Les deux colonnes "
		"'idBeneficiaire' et 'rnaBeneficiaire' sont manquantes.");
	row(c, 2, absent);     /* once per file */
	assert_string_equal(found, "");
	odl_check_free(c);
}

static const char *const matiere[] = {"DELIB_MATIERE_NOM", NULL};

static void test_nomenclature(void **state)
{
	struct odl_check *c = compile(matiere, "{\"name\": \"nomenclature-actes-value\", "
		"\"params\": {\"column\": \"DELIB_MATIERE_NOM\"}}");

	(void)state;
	one(c, "Finances locales/Subventions");
	assert_string_equal(found, "");
	one(c, "finances LOCALES/Divers");
	assert_string_equal(found, "");
	one(c, "Libertes publiques et pouvoirs de police/Police");
	assert_string_equal(found, "");
	one(c, "LIBERTÉS PUBLIQUES ET POUVOIRS DE POLICE/Police");
	assert_string_equal(found, "");
	one(c, "Domaines de compétences par thèmes/");
	assert_string_equal(found, "");
	one(c, "Autres domaines de compétences/Voeux/motions");
	assert_string_equal(found, "");
	one(c, "Finances locales");
	assert_string_equal(found, "nomenclature-actes-value 0 [Finances locales] 'Finances locales' "
		"lacks the '/' between the subject of the actes nomenclature and its detail | La valeur "
		"'Finances locales' ne contient pas le signe oblique « / » qui sépare la matière de la "
		"nomenclature Actes de son détail.");
	one(c, "Budget/Vote");
	assert_string_equal(found, "nomenclature-actes-value 0 [Budget/Vote] 'Budget/Vote' does not "
		"start with one of the nine subjects of the actes nomenclature | La valeur "
		"'Budget/Vote' ne commence pas par l'une des neuf matières de la nomenclature Actes.");
	one(c, "Finances locales /Subventions");
	assert_string_equal(found, "nomenclature-actes-value 0 [Finances locales /Subventions] "
		"'Finances locales /Subventions': the '/' must have no space before or after it | "
		"La valeur 'Finances locales /Subventions' est incorrecte : le signe oblique ne doit "
		"pas être précédé ni suivi d'espace.");
	one(c, "Finances locales/ Subventions");
	assert_starts("nomenclature-actes-value 0 [Finances locales/ Subventions] "
			    "'Finances locales/ Subventions': the '/' must");
	one(c, "Urbanisme préalable/x");
	assert_starts("nomenclature-actes-value 0 [Urbanisme préalable/x] 'Urbanisme préalable/x' does not");
	odl_check_free(c);
}

static const char *const point[] = {"geo", NULL};

static void test_gps(void **state)
{
	struct odl_check *c = compile(point, "{\"name\": \"french-gps-coordinates\", "
		"\"params\": {\"column\": \"geo\"}}");

	(void)state;
	one(c, "2.3522, 48.8566");          /* Paris, lon first */
	assert_string_equal(found, "");
	one(c, "[55.45, -20.88]");          /* Saint-Denis de La Réunion */
	assert_string_equal(found, "");
	one(c, "{\"lon\": -61.55, \"lat\": 16.24}");  /* Pointe-à-Pitre */
	assert_string_equal(found, "");
	one(c, "48.8566,2.3522");
	assert_string_equal(found, "reversed-french-gps-coordinates 0 [48.8566,2.3522] gps "
		"coordinates '48.8566,2.3522' look reversed: longitude and latitude are swapped | Les "
		"coordonnées GPS '48.8566,2.3522' semblent inversées : la longitude et la latitude sont "
		"permutées.");
	one(c, "-0.1276, 51.5072");          /* London */
	assert_string_equal(found, "french-gps-coordinates 0 [-0.1276, 51.5072] gps coordinates "
		"'-0.1276, 51.5072' are not in france | Les coordonnées GPS '-0.1276, 51.5072' ne sont "
		"pas situées en France.");
	one(c, "9.560091, 45");              /* on the edge: strictly inside only */
	assert_starts("french-gps-coordinates 0");
	one(c, "not a point");               /* the type check reports it */
	assert_string_equal(found, "");
	odl_check_free(c);
}

static void test_number(void **state)
{
	double d;

	(void)state;
	assert_true(check_number("12.5", 4, &d));
	assert_true(d == 12.5);
	assert_true(check_number(" -3 ", 4, &d));
	assert_true(d == -3);
	assert_true(check_number("1e3", 3, &d));
	assert_true(d == 1000);
	assert_true(check_number(".5", 2, &d));
	assert_true(d == 0.5);
	assert_false(check_number("12,5", 4, &d));
	assert_false(check_number("", 0, &d));
	assert_false(check_number("-", 1, &d));
	assert_false(check_number("1e", 2, &d));
	assert_false(check_number("2019-03-12", 10, &d));
}

static void test_long_cell_clipped(void **state)
{
	struct odl_check *c = compile(one_col,
		"{\"name\": \"french-siret-value\", \"params\": {\"column\": \"SIRET\"}}");
	char big[3001];

	(void)state;
	/* "é" is two bytes: a cut at 200 must not split one. */
	big[0] = 'x';
	for (int i = 1; i < 3000; i += 2) {
		big[i] = (char)0xC3;
		big[i + 1] = (char)0xA9;
	}
	big[3000] = 0;
	one(c, big);
	assert_int_equal(check_clip(big, 3000), 199);
	assert_int_equal(last_message_len, 2 * 199 + strlen("'' is not a valid siret number") +
			 strlen("La valeur '' n'est pas un numéro SIRET français valide."));
	odl_check_free(c);
}

static void test_phone(void **state)
{
	static const char *const ok[] = {
		"01 99 00 27 37", "+33 1 99 00 27 37", "3949", "0199002737", "01.99.00.27.37",
		"06 12 34 56 78", "07 58 12 34 56", "09 70 12 34 56", "0800 123 456",
		"0033 1 99 00 27 37", "+33 (1) 99 00 27 37", "+33 (0)1 99 00 27 37", "199002737", "+262 262 12 34 56",
		"+590 590 12 34 56", "+687 12 34 56", "+1 202 555 0123", "+44 20 7946 0958",
		"15", "17", "112", "115", "116000", "118712", "1014", NULL
	};
	static const char *const ko[] = {
		"01 99 00 27 3", "01 99 00 27 37 1", "07 12 34 56 78", "06 39 12 34 56",
		"12345", "abc", "01 99 00 27 3A", "+999 1234567", "+33 0 0 99 00 27 37",
		"+262 12345", "+44 0 20 7946 0958", "+", "1", "113", "0", NULL
	};
	struct odl_check *c = compile(one_col,
		"{\"name\": \"phone-number-value\", \"params\": {\"column\": \"SIRET\"}}");

	(void)state;
	for (int i = 0; ok[i]; i++)
		if (!odl_phone_valid(ok[i], strlen(ok[i])))
			fail_msg("'%s' should be a valid phone number", ok[i]);
	for (int i = 0; ko[i]; i++)
		if (odl_phone_valid(ko[i], strlen(ko[i])))
			fail_msg("'%s' should not be a valid phone number", ko[i]);
	one(c, "01 99 00 27 37");
	assert_string_equal(found, "");
	one(c, "12345");
	assert_string_equal(found, "phone-number-value 0 [12345] '12345' is not a valid phone number | "
		"La valeur '12345' n'est pas un numéro de téléphone valide.");
	odl_check_free(c);
}

static void test_opening_hours(void **state)
{
	static const char *const ok[] = {
		"Mo-Fr 08:00-12:00,13:30-17:00; Sa 09:00-12:00", "24/7", "Mo-Fr 08:00-18:00",
		"Mo,We,Fr 09:00-12:00", "Mo-Sa 10:00-20:00; PH off", "Tu-Su 10:00-18:00; Mo closed",
		"Jan-Mar Mo-Fr 09:00-17:00", "Apr-Oct: Mo-Su 08:00-20:00", "sunrise-sunset",
		"Mo-Fr 08:00-12:00, We 14:00-16:00", "Sa 10:00+", "Mo[1] 09:00-12:00",
		"Mo[1,3] 09:00-12:00", "Su[-1] off", "Mo-Fr 22:00-02:00", "2024 Dec 24 off",
		"Dec 25 off", "Jan 01-Mar 15 10:00-16:00", "week 01-26 Mo 10:00-12:00",
		"Mo-Fr 09:00-17:00 \"sur rendez-vous\"", "\"sur rendez-vous\"", "off",
		"Mo-Fr 08:00-12:00 || \"sur rendez-vous\"", "PH,Su off", "Mo-Fr 9:00-17:00",
		"Mo 08:00-12:00;Tu 08:00-12:00", "(sunrise+01:00)-(sunset-01:00)", "SH off",
		"Mo-Fr 10:00-14:00 open", "easter off", "Mo-Fr 08:00-24:00", "Mo-Fr", "08:00",
		"2023-2025 Jul-Aug Sa 10:00-12:00", "Mo-Fr 08:00-12:00 ", NULL
	};
	static const char *const ko[] = {
		"du lundi au vendredi de 8h à 12h", "Mo-Fr 8h-12h", "Lu-Ve 08:00-12:00",
		"Mo-Fr 08:00-12:00;", "Mo-Fr 25:00-26:00", "Mo-Fr 08:60-12:00", "Mo-Fr 08:00-",
		"Mo-Fr 08:00-12:00 foo", "\"unterminated", "Mon-Fri 08:00-12:00", "Jan 32 off",
		"mo-fr 08:00-12:00", "Mo-Fr 08:00-12:00,", "Mo[6] off", ";", "||", NULL
	};
	struct odl_check *c = compile(one_col,
		"{\"name\": \"opening-hours-value\", \"params\": {\"column\": \"SIRET\"}}");

	(void)state;
	for (int i = 0; ok[i]; i++)
		if (!odl_opening_hours_valid(ok[i], strlen(ok[i])))
			fail_msg("'%s' should be valid opening hours", ok[i]);
	for (int i = 0; ko[i]; i++)
		if (odl_opening_hours_valid(ko[i], strlen(ko[i])))
			fail_msg("'%s' should not be valid opening hours", ko[i]);
	/* Every prefix of every case: a verdict, never a read past the end. */
	for (int i = 0; ok[i]; i++) {
		size_t n = strlen(ok[i]);

		for (size_t k = 0; k <= n; k++) {
			char *copy = malloc(k ? k : 1);

			assert_non_null(copy);
			memcpy(copy, ok[i], k);
			(void)odl_opening_hours_valid(copy, k);
			free(copy);
		}
	}
	one(c, "Mo-Fr 08:00-12:00");
	assert_string_equal(found, "");
	one(c, "Mo-Fr 8h-12h");
	assert_string_equal(found, "opening-hours-value 0 [Mo-Fr 8h-12h] 'Mo-Fr 8h-12h' is not a valid "
		"openstreetmap opening hours expression | La valeur 'Mo-Fr 8h-12h' ne suit pas le "
		"format des horaires d'ouverture d'OpenStreetMap.");
	odl_check_free(c);
}

/* Every custom check of the shipped SCDL schemas compiles. */
static int json_field_index(void *ctx, const char *name)
{
	json_t *fields = ctx;

	for (size_t i = 0; i < json_array_size(fields); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(fields, i), "name")),
			   name) == 0)
			return (int)i;
	return -1;
}

static void test_shipped_schemas(void **state)
{
	static const char *const files[] = {
		"subventions/2.1.1", "deliberations/2.1.5", "budget/0.8.3", "equipements/0.1.5",
		"catalogue/0.1.3", "prenoms/1.1.6", "menus-collectifs/1.2.3",
		"plats-menus-collectifs/0.7.2", NULL
	};
	static const size_t counts[] = {3, 11, 1, 1, 2, 0, 2, 1};
	char path[1024];

	(void)state;
	for (size_t i = 0; files[i]; i++) {
		json_error_t jerr;
		json_t *schema, *checks, *fields;

		snprintf(path, sizeof(path), "%s/../data/schemas/scdl/%s.json", ODL_TESTDATA, files[i]);
		schema = json_load_file(path, 0, &jerr);
		assert_non_null(schema);
		checks = json_object_get(schema, "custom_checks");
		fields = json_object_get(schema, "fields");
		assert_int_equal(json_array_size(checks), counts[i]);
		for (size_t k = 0; k < json_array_size(checks); k++) {
			struct odl_check *c = NULL;
			struct odl_error err;

			odl_error_clear(&err);
			assert_int_equal(odl_check_compile(json_array_get(checks, k), json_field_index,
							   fields, &c, &err), ODL_OK);
			assert_string_equal(odl_check_code(c), json_string_value(
				json_object_get(json_array_get(checks, k), "name")));
			odl_check_free(c);
		}
		json_decref(schema);
	}
}

/* A schema's checks run over a CSV file, columns matched by name, cells
 * passed raw (empty = no value): each finding as one line. */
struct run {
	json_t *fields;
	struct odl_check *checks[32];
	size_t nchecks;
	int map[64];             /* file column -> schema field */
	size_t ncols;
	uint64_t row;
	char out[16384];
};

static void run_finding(void *ctx, const struct odl_check_finding *f)
{
	struct run *r = ctx;
	size_t n = strlen(r->out);
	const char *field = f->field >= 0 ? json_string_value(json_object_get(
		json_array_get(r->fields, (size_t)f->field), "name")) : "-";

	snprintf(r->out + n, sizeof(r->out) - n, "row %llu %s %s: %s\n",
		 (unsigned long long)r->row, field, f->code, f->message);
}

static int run_record(void *ctx, const struct odl_record *rec)
{
	struct run *r = ctx;
	const struct odl_cell *cells[64] = {0};
	size_t nf = json_array_size(r->fields);

	if (rec->is_header) {
		r->ncols = rec->ncells;
		for (size_t i = 0; i < rec->ncells; i++) {
			char name[128];

			snprintf(name, sizeof(name), "%.*s", (int)rec->cells[i].len, rec->cells[i].ptr);
			r->map[i] = json_field_index(r->fields, name);
		}
		return 0;
	}
	for (size_t i = 0; i < r->ncols && i < rec->ncells; i++)
		if (r->map[i] >= 0)
			cells[r->map[i]] = &rec->cells[i];
	r->row = rec->row;
	for (size_t k = 0; k < r->nchecks; k++)
		assert_int_equal(odl_check_row(r->checks[k], cells, nf, rec->row, run_finding, r), ODL_OK);
	return 0;
}

static void run_file(struct run *r, const char *schema_path, const char *csv_path)
{
	json_t *schema = json_load_file(schema_path, 0, NULL);
	json_t *checks;
	struct odl_csv_options opt;
	odl_csv *csv;
	struct odl_error err;

	assert_non_null(schema);
	memset(r, 0, sizeof(*r));
	r->fields = json_object_get(schema, "fields");
	checks = json_object_get(schema, "custom_checks");
	for (size_t k = 0; k < json_array_size(checks); k++) {
		assert_int_equal(odl_check_compile(json_array_get(checks, k), json_field_index,
						   r->fields, &r->checks[k], NULL), ODL_OK);
		r->nchecks++;
	}
	odl_csv_options_init(&opt);
	csv = odl_csv_new(&opt, run_record, r);
	assert_non_null(csv);
	assert_int_equal(odl_csv_read_path(csv, csv_path, &err), ODL_OK);
	odl_csv_free(csv);
	for (size_t k = 0; k < r->nchecks; k++)
		odl_check_free(r->checks[k]);
	json_decref(schema);
}

static void same_as_file(const char *text, const char *path)
{
	FILE *f = fopen(path, "rb");
	char want[16384];
	size_t n;

	assert_non_null(f);
	n = fread(want, 1, sizeof(want) - 1, f);
	fclose(f);
	want[n] = 0;
	assert_string_equal(text, want);
}

static void test_deliberations_file(void **state)
{
	struct run r;

	(void)state;
	run_file(&r, ODL_TESTDATA "/../data/schemas/scdl/deliberations/2.1.5.json",
		 ODL_TESTDATA "/checks/deliberations-checks.csv");
	same_as_file(r.out, ODL_TESTDATA "/checks/deliberations-checks.expected");
	run_file(&r, ODL_TESTDATA "/../data/schemas/scdl/deliberations/2.1.5.json",
		 ODL_TESTDATA "/checks/deliberations-missing-column.csv");
	same_as_file(r.out, ODL_TESTDATA "/checks/deliberations-missing-column.expected");
}

/* The official valid subventions example passes its custom checks. */
static void test_official_valid_example(void **state)
{
	const char *csv = ODL_SHARED "/reference/scdl/subventions/2.1.1/exemples/exemple_valide.csv";
	struct run r;
	FILE *f = fopen(csv, "rb");

	(void)state;
	if (!f) {
		fprintf(stderr, "skipped: %s is absent\n", csv);
		skip();
	}
	fclose(f);
	run_file(&r, ODL_TESTDATA "/../data/schemas/scdl/subventions/2.1.1.json", csv);
	assert_string_equal(r.out, "");
	assert_int_equal(r.row, 29);
}

static void test_names(void **state)
{
	size_t n = 0;

	(void)state;
	while (odl_check_names[n])
		n++;
	assert_int_equal(n, 11);
	assert_string_equal(odl_check_names[0], "french-siret-value");
	assert_string_equal(odl_check_names[10], "opening-hours-value");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_luhn),
		cmocka_unit_test(test_siret_values),
		cmocka_unit_test(test_siren_values),
		cmocka_unit_test(test_siret_check),
		cmocka_unit_test(test_siren_check),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_year_interval),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_compare_ops),
		cmocka_unit_test(test_sum),
		cmocka_unit_test(test_cohesive),
		cmocka_unit_test(test_one_of_required),
		cmocka_unit_test(test_nomenclature),
		cmocka_unit_test(test_gps),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_long_cell_clipped),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_opening_hours),
		cmocka_unit_test(test_shipped_schemas),
		cmocka_unit_test(test_deliberations_file),
		cmocka_unit_test(test_official_valid_example),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
