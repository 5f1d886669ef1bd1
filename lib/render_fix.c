/*
 * render_fix.c - what each validation error code means and how to fix it.
 *
 * The texts are the project's message catalogue (odl/messages.h), so a
 * report reads the same in odl-validate and odl-render.  Only two things
 * stay here, because no validator emits them and the catalogue has no
 * entry for them: the "other" group the summary itself creates past its
 * group limit, and the generic line for a code nobody knows (a newer
 * validator's, or another tool's).
 */
#include "odl/render.h"
#include "odl/messages.h"

#include <string.h>

static int is_fr(const char *lang)
{
	return lang && strncmp(lang, "fr", 2) == 0;
}

static int is_other(const char *code)
{
	return code && strcmp(code, "other") == 0;
}

const char *odl_render_code_title(const char *code, const char *lang)
{
	const struct odl_message *m = odl_message_get(code, lang);

	if (m)
		return m->title;
	if (is_other(code))
		return is_fr(lang) ? "Autres erreurs" : "Other errors";
	return code ? code : "";
}

const char *odl_render_code_explanation(const char *code, const char *lang)
{
	const struct odl_message *m = odl_message_get(code, lang);

	if (m)
		return m->explanation;
	if (is_other(code))
		return is_fr(lang) ? "Erreurs de codes trop nombreux pour être détaillés un par un."
				   : "Errors of too many different codes to be detailed one by one.";
	return NULL;
}

const char *odl_render_code_fix(const char *code, const char *lang)
{
	const struct odl_message *m = odl_message_get(code, lang);

	if (m)
		return m->fix;
	if (is_other(code))
		return is_fr(lang) ? "Voir le rapport complet de validation pour le détail de ces erreurs."
				   : "See the full validation report for these errors.";
	return is_fr(lang) ? "Consultez la documentation du schéma pour cette règle."
			   : "See the schema's documentation for this rule.";
}
