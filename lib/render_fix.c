/*
 * render_fix.c - what each validation error code means and how to fix it.
 *
 * A fallback kept small on purpose: when the validator's message catalogue
 * is available, its texts take precedence in the reports it writes.
 */
#include "odl/render.h"

#include <string.h>

struct fix {
	const char *code;
	const char *title_fr, *fix_fr;
	const char *title_en, *fix_en;
};

static const struct fix fixes[] = {
	{ "blank-label", "En-tête vide", "Donnez un nom à chaque colonne de la première ligne, comme dans le schéma.",
	  "Blank header", "Give every column of the first line a name, as in the schema." },
	{ "duplicate-label", "En-tête en double", "Supprimez ou renommez la colonne répétée : chaque nom de colonne doit être unique.",
	  "Duplicate header", "Remove or rename the repeated column: every column name must be unique." },
	{ "missing-label", "Colonne manquante", "Ajoutez la colonne attendue par le schéma, même vide si elle est facultative.",
	  "Missing column", "Add the column the schema expects, even empty when it is optional." },
	{ "extra-label", "Colonne en trop", "Supprimez la colonne que le schéma ne prévoit pas, ou vérifiez son orthographe.",
	  "Extra column", "Remove the column the schema does not define, or check its spelling." },
	{ "incorrect-label", "Nom de colonne incorrect", "Renommez la colonne exactement comme dans le schéma (accents, majuscules, tirets bas).",
	  "Incorrect column name", "Rename the column exactly as in the schema (accents, case, underscores)." },
	{ "blank-row", "Ligne vide", "Supprimez les lignes entièrement vides.",
	  "Blank row", "Remove rows whose cells are all empty." },
	{ "extra-cell", "Cellule en trop", "Cette ligne a plus de cellules que l'en-tête : cherchez un séparateur (; ou ,) non protégé par des guillemets.",
	  "Extra cell", "This row has more cells than the header: look for a separator (; or ,) not protected by quotes." },
	{ "missing-cell", "Cellule manquante", "Cette ligne a moins de cellules que l'en-tête : complétez-la ou ajoutez les séparateurs manquants.",
	  "Missing cell", "This row has fewer cells than the header: complete it or add the missing separators." },
	{ "type-error", "Valeur du mauvais type", "Écrivez la valeur au format attendu : nombres sans espace ni symbole (1234.5), dates en AAAA-MM-JJ.",
	  "Wrong type", "Write the value in the expected format: numbers without spaces or symbols (1234.5), dates as YYYY-MM-DD." },
	{ "constraint-error", "Contrainte non respectée", "La valeur ne respecte pas une règle du schéma (obligatoire, liste de valeurs, motif, minimum…) : corrigez-la selon la documentation du champ.",
	  "Constraint not met", "The value breaks a schema rule (required, list of values, pattern, minimum...): fix it following the field's documentation." },
	{ "unique-error", "Valeur en double", "Cette colonne doit avoir des valeurs uniques : supprimez le doublon ou corrigez l'identifiant.",
	  "Duplicate value", "This column must hold unique values: remove the duplicate or fix the identifier." },
	{ "primary-key", "Clé primaire en double", "La combinaison des colonnes clés doit être unique : supprimez la ligne en double.",
	  "Duplicate primary key", "The combination of key columns must be unique: remove the duplicated row." },
	{ "foreign-key", "Référence introuvable", "La valeur doit exister dans la colonne référencée : corrigez-la ou ajoutez la ligne référencée.",
	  "Reference not found", "The value must exist in the referenced column: fix it or add the referenced row." },
	{ "encoding-error", "Encodage illisible", "Enregistrez le fichier en UTF-8 (dans le tableur : « CSV UTF-8 »).",
	  "Unreadable encoding", "Save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")." },
	{ "french-siret-value", "SIRET invalide", "Le SIRET compte 14 chiffres sans espace et sa clé de contrôle doit être juste : vérifiez-le sur annuaire-entreprises.data.gouv.fr.",
	  "Invalid SIRET", "A SIRET has 14 digits without spaces and a valid check digit: look it up on annuaire-entreprises.data.gouv.fr." },
	{ "french-siren-value", "SIREN invalide", "Le SIREN compte 9 chiffres sans espace et sa clé de contrôle doit être juste.",
	  "Invalid SIREN", "A SIREN has 9 digits without spaces and a valid check digit." },
	{ "year-interval-value", "Période incorrecte", "Écrivez la période sous la forme AAAA ou AAAA/AAAA, la première année avant la seconde.",
	  "Incorrect period", "Write the period as YYYY or YYYY/YYYY, the first year before the second." },
	{ "compare-columns-value", "Comparaison de colonnes fausse", "Deux colonnes liées se contredisent (par exemple une date de fin avant la date de début) : corrigez l'une d'elles.",
	  "Columns disagree", "Two related columns contradict each other (e.g. an end date before the start date): fix one of them." },
	{ "sum-columns-value", "Somme incorrecte", "La colonne total doit être égale à la somme des colonnes qui la composent.",
	  "Incorrect sum", "The total column must equal the sum of the columns it adds up." },
	{ "cohesive-columns-value", "Colonnes incohérentes", "Ces colonnes vont ensemble : remplissez-les toutes ou laissez-les toutes vides.",
	  "Incoherent columns", "These columns go together: fill them all or leave them all empty." },
	{ "one-of-required", "Une valeur requise parmi plusieurs", "Remplissez au moins une des colonnes indiquées.",
	  "One of several required", "Fill at least one of the listed columns." },
	{ "nomenclature-actes-value", "Nomenclature des actes incorrecte", "Utilisez un intitulé de la nomenclature des actes (par exemple « Commande publique »), suivi si besoin de « / » et d'une précision.",
	  "Incorrect act category", "Use a label from the acts nomenclature (e.g. \"Commande publique\"), optionally followed by \"/\" and a detail." },
	{ "french-gps-coordinates", "Coordonnées hors de France", "Vérifiez la latitude et la longitude (degrés décimaux, point comme séparateur, pas inversées).",
	  "Coordinates outside France", "Check latitude and longitude (decimal degrees, dot separator, not swapped)." },
	{ "phone-number-value", "Numéro de téléphone invalide", "Écrivez un numéro français complet, par exemple 05 45 00 00 00 ou +33 5 45 00 00 00.",
	  "Invalid phone number", "Write a full French number, e.g. 05 45 00 00 00 or +33 5 45 00 00 00." },
	{ "opening-hours-value", "Horaires d'ouverture invalides", "Écrivez les horaires au format OpenStreetMap, par exemple « Mo-Fr 08:30-12:00 ».",
	  "Invalid opening hours", "Write opening hours in OpenStreetMap format, e.g. \"Mo-Fr 08:30-12:00\"." },
	{ "other", "Autres erreurs", "Voir le rapport complet de validation pour le détail de ces erreurs.",
	  "Other errors", "See the full validation report for these errors." },
};

static const struct fix *lookup(const char *code)
{
	for (size_t i = 0; code && i < sizeof(fixes) / sizeof(fixes[0]); i++)
		if (strcmp(fixes[i].code, code) == 0)
			return &fixes[i];
	return NULL;
}

static int is_fr(const char *lang)
{
	return lang && strncmp(lang, "fr", 2) == 0;
}

const char *odl_render_code_title(const char *code, const char *lang)
{
	const struct fix *f = lookup(code);

	if (!f)
		return code ? code : "";
	return is_fr(lang) ? f->title_fr : f->title_en;
}

const char *odl_render_code_fix(const char *code, const char *lang)
{
	const struct fix *f = lookup(code);

	if (!f)
		return is_fr(lang) ? "Consultez la documentation du schéma pour cette règle."
				   : "See the schema's documentation for this rule.";
	return is_fr(lang) ? f->fix_fr : f->fix_en;
}
