/* check_values.c - single-column checks on the text of one cell:
 * year-interval-value, nomenclature-actes-value, french-gps-coordinates. */
#include "check_impl.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static int digits4(const char *p)
{
	for (int i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int year_of(const char *p)
{
	return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
}

int check_year_interval_row(struct odl_check *c, const struct odl_cell *const *cells,
			    size_t nfields, odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell = check_cell(cells, nfields, c->col);
	const char *p;
	size_t n;
	int y1, y2, q;

	if (!check_filled(cell))
		return ODL_OK;
	p = cell->ptr;
	n = cell->len;
	q = check_clip(p, n);
	/* Python's `$` also matches before one final newline. */
	if (n > 0 && p[n - 1] == '\n')
		n--;
	if (n == 9 && p[4] == '/' && digits4(p) && digits4(p + 5)) {
		y1 = year_of(p);
		y2 = year_of(p + 5);
		if (y1 < y2)
			return ODL_OK;
		if (y1 == y2)
			check_say(c, "year interval '%.*s' is incorrect: the two years must differ",
				  "L'année ou l'intervalle d'années '%.*s' est incorrect (les deux années doivent être différentes).",
				  q, p);
		else
			check_say(c, "year interval '%.*s' is incorrect: the second year (%d) must be later than the first (%d)",
				  "L'année ou l'intervalle d'années '%.*s' est incorrect (la deuxième année (%d) doit être postérieure à la première (%d)).",
				  q, p, y2, y1);
	} else if (c->allow_year_only && n == 4 && digits4(p)) {
		return ODL_OK;
	} else if (c->allow_year_only) {
		check_say(c, "year or year interval '%.*s' is incorrect: expected a year (YYYY) or an interval (YYYY/YYYY)",
			  "L'année ou l'intervalle d'années '%.*s' est incorrect (format attendu : année AAAA ou intervalle AAAA/AAAA).",
			  q, p);
	} else {
		check_say(c, "year interval '%.*s' is incorrect: expected format YYYY/YYYY",
			  "L'intervalle d'années '%.*s' est incorrect (format attendu : AAAA/AAAA).",
			  q, p);
	}
	check_emit(c, "year-interval-value", c->col, cell, fn, ctx);
	return ODL_OK;
}

static const char *const matieres[] = {
	"commande publique", "urbanisme", "domaine et patrimoine", "fonction publique",
	"institutions et vie politique", "libertes publiques et pouvoirs de police",
	"finances locales", "domaines de competences par themes",
	"autres domaines de competences", NULL
};

/* Lowercase and fold the accents of à-å è-ë ì-ï ò-ö ù-ü (both cases) as
 * fr-format does; 0 when the text does not fit out. */
static int fold(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		char o;

		if (ch == 0xC3 && i + 1 < n) {
			unsigned l = 0xC0u | ((unsigned char)s[i + 1] & 0x3Fu);

			if (l <= 0xDE && l != 0xD7)
				l += 0x20;  /* À..Þ -> à..þ */

			if (l >= 0xE0 && l <= 0xE5)
				o = 'a';
			else if (l >= 0xE8 && l <= 0xEB)
				o = 'e';
			else if (l >= 0xEC && l <= 0xEF)
				o = 'i';
			else if (l >= 0xF2 && l <= 0xF6)
				o = 'o';
			else if (l >= 0xF9 && l <= 0xFC)
				o = 'u';
			else
				o = '?';
			i++;
		} else if (ch >= 'A' && ch <= 'Z') {
			o = (char)(ch + 32);
		} else {
			o = (char)ch;
		}
		if (k + 1 >= cap)
			return 0;
		out[k++] = o;
	}
	out[k] = 0;
	return 1;
}

int check_nomenclature_row(struct odl_check *c, const struct odl_cell *const *cells,
			   size_t nfields, odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell = check_cell(cells, nfields, c->col);
	const char *slash;
	char prefix[96];
	int q;

	if (!check_filled(cell))
		return ODL_OK;
	q = check_clip(cell->ptr, cell->len);
	slash = memchr(cell->ptr, '/', cell->len);
	if (!slash) {
		check_say(c, "'%.*s' lacks the '/' between the subject of the actes nomenclature and its detail",
			  "La valeur '%.*s' ne contient pas le signe oblique « / » qui sépare la matière de la nomenclature Actes de son détail.",
			  q, cell->ptr);
	} else if (slash > cell->ptr && (slash[-1] == ' ' ||
					 (slash + 1 < cell->ptr + cell->len && slash[1] == ' '))) {
		check_say(c, "'%.*s': the '/' must have no space before or after it",
			  "La valeur '%.*s' est incorrecte : le signe oblique ne doit pas être précédé ni suivi d'espace.",
			  q, cell->ptr);
	} else {
		if (fold(cell->ptr, (size_t)(slash - cell->ptr), prefix, sizeof(prefix)))
			for (int i = 0; matieres[i]; i++)
				if (strcmp(prefix, matieres[i]) == 0)
					return ODL_OK;
		check_say(c, "'%.*s' does not start with one of the nine subjects of the actes nomenclature",
			  "La valeur '%.*s' ne commence pas par l'une des neuf matières de la nomenclature Actes.",
			  q, cell->ptr);
	}
	check_emit(c, "nomenclature-actes-value", c->col, cell, fn, ctx);
	return ODL_OK;
}

static const long double p10[] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L,
	1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L
};

int check_number(const char *s, size_t n, double *out)
{
	size_t i = 0, digits = 0;
	long double mant = 0;
	int exp10 = 0, neg = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		mant = mant * 10 + (s[i] - '0');
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
			mant = mant * 10 + (s[i] - '0');
			exp10--;
		}
	}
	if (digits == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0, e = 0, ed = 0;

		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, ed++)
			if (e < 100000)
				e = e * 10 + (s[i] - '0');
		if (ed == 0)
			return 0;
		exp10 += eneg ? -e : e;
	}
	if (i != n)
		return 0;
	if (exp10 == 0)
		*out = (double)mant;
	else if (exp10 < 0 && exp10 >= -22)
		*out = (double)(mant / p10[-exp10]);
	else if (exp10 > 0 && exp10 <= 22)
		*out = (double)(mant * p10[exp10]);
	else
		*out = (double)(mant * powl(10.0L, exp10));
	if (neg)
		*out = -*out;
	return isfinite(*out);
}

static const double boxes[][4] = {  /* lon min, lon max, lat min, lat max */
	{-5.141277, 9.560091, 41.333571, 51.088989},    /* metropolitan France, Corsica */
	{-61.809839, -61.001959, 15.832041, 16.514488}, /* Guadeloupe */
	{-61.229033, -60.809655, 14.388646, 14.878723}, /* Martinique */
	{-54.60239, -51.619041, 2.111055, 5.748138},    /* Guyane */
	{55.216526, 55.836654, -21.389631, -20.8718},   /* La Réunion */
	{45.01833, 45.299985, -13.005254, -12.63659},   /* Mayotte */
};

static int in_france(double lon, double lat)
{
	for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++)
		if (lon > boxes[i][0] && lon < boxes[i][1] && lat > boxes[i][2] && lat < boxes[i][3])
			return 1;
	return 0;
}

/* A geopoint in any of its three Table Schema formats: "lon, lat",
 * [lon, lat] or {"lon": x, "lat": y}. */
static int geopoint(const char *s, size_t n, double *lon, double *lat)
{
	const char *comma;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n > 0 && (*s == '[' || *s == '{')) {
		json_t *j = json_loadb(s, n, JSON_DECODE_ANY, NULL);
		json_t *x, *y;
		int ok;

		if (!j)
			return 0;
		if (json_is_array(j) && json_array_size(j) == 2) {
			x = json_array_get(j, 0);
			y = json_array_get(j, 1);
		} else {
			x = json_object_get(j, "lon");
			y = json_object_get(j, "lat");
		}
		ok = json_is_number(x) && json_is_number(y);
		if (ok) {
			*lon = json_number_value(x);
			*lat = json_number_value(y);
		}
		json_decref(j);
		return ok;
	}
	comma = memchr(s, ',', n);
	return comma && check_number(s, (size_t)(comma - s), lon) &&
	       check_number(comma + 1, n - (size_t)(comma + 1 - s), lat);
}

int check_gps_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		  odl_check_finding_fn fn, void *ctx)
{
	const struct odl_cell *cell = check_cell(cells, nfields, c->col);
	double lon, lat;
	int q;

	if (!check_filled(cell))
		return ODL_OK;
	q = check_clip(cell->ptr, cell->len);
	if (!geopoint(cell->ptr, cell->len, &lon, &lat)) {
		/* A malformed point is the type check's business. */
		return ODL_OK;
	}
	if (in_france(lon, lat))
		return ODL_OK;
	if (in_france(lat, lon)) {
		check_say(c, "gps coordinates '%.*s' look reversed: longitude and latitude are swapped",
			  "Les coordonnées GPS '%.*s' semblent inversées : la longitude et la latitude sont permutées.",
			  q, cell->ptr);
		check_emit(c, "reversed-french-gps-coordinates", c->col, cell, fn, ctx);
		return ODL_OK;
	}
	check_say(c, "gps coordinates '%.*s' are not in france",
		  "Les coordonnées GPS '%.*s' ne sont pas situées en France.", q, cell->ptr);
	check_emit(c, "french-gps-coordinates", c->col, cell, fn, ctx);
	return ODL_OK;
}
