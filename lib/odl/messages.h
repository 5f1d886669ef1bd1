/*
 * odl/messages.h - what each error code means, for people.
 *
 * Every finding odl reports carries a code (frictionless's: "type-error",
 * "missing-label"...; Validata's custom checks: "french-siret-value"...;
 * column-matching warnings: "extra-header-warn"...).  This catalogue gives
 * for each code a title, an explanation and a "how to fix" line, written
 * for a data steward, in English or French.
 *
 * The English texts are compiled in.  The French ones come from the gettext
 * catalogue odl.mo (po/fr.po, installed as
 * <localedir>/fr/LC_MESSAGES/odl.mo), read by libodl itself: the language
 * is the `lang` argument, never the process locale, so the result does not
 * depend on setlocale(), LANGUAGE or LC_MESSAGES and is safe from several
 * threads.  When the French catalogue cannot be found, French requests get
 * the English texts.
 *
 * Example:
 *
 *	odl_messages_set_dir("build/locale");      // optional; default ODL_LOCALEDIR
 *	const struct odl_message *m = odl_message_get("type-error", "fr");
 *	if (m)
 *		printf("%s\n%s\n%s\n", m->title, m->explanation, m->fix);
 *
 * Results are static: they live until the next odl_messages_set_dir().
 */
#ifndef ODL_MESSAGES_H
#define ODL_MESSAGES_H

#include <stddef.h>
#include "../odl.h"

struct odl_message {
	const char *code;        /* "type-error" */
	const char *title;       /* "Wrong format" / "Format incorrect" */
	const char *explanation; /* one or two sentences, with final period */
	const char *fix;         /* how to fix, one sentence, with final period */
};

/*
 * The texts of code in lang: "fr" (also "fr_FR.UTF-8", "fr-FR"...) for
 * French, anything else (or NULL) for English.  NULL for an unknown code.
 */
ODL_API const struct odl_message *odl_message_get(const char *code, const char *lang);

/*
 * Any English text of the catalogue in lang (French when available), else
 * the text itself.  For programs that translate their own fixed labels.
 */
ODL_API const char *odl_message_translate(const char *english, const char *lang);

/*
 * A finding's note (struct odl_finding.note: frictionless's short detail,
 * 'type is "date/default"', 'constraint "maxLength" is "10"') said for a
 * person in lang, into buf: in French "attendu : une date sous la forme
 * AAAA-MM-JJ (2024-03-31)".  In English, or for a note it does not know,
 * the note itself.  Returns buf.
 */
ODL_API const char *odl_message_note(const char *note, const char *lang, char *buf, size_t size);

/*
 * What a value of a field should look like, from the schema's own
 * declarations (its trueValues, decimalChar, date format...), in lang,
 * into buf: "attendu : oui ou non".  For a type error this says more than
 * the note.  NULL when the schema has no such field.
 */
struct odl_schema;
ODL_API const char *odl_message_expected(const struct odl_schema *s, const char *field,
					 const char *lang, char *buf, size_t size);

/*
 * Where to find <dir>/fr/LC_MESSAGES/odl.mo (programs run from the build
 * tree pass build/locale).  Loads it at once: ODL_OK, ODL_ENOTFOUND when
 * the file is absent (English is then used for French), ODL_EFORMAT when
 * it is not a valid catalogue.  Call it before other threads use the
 * catalogue; it invalidates earlier results.
 */
ODL_API int odl_messages_set_dir(const char *localedir);

/*
 * For programs: use <directory of the running executable>/../locale when
 * it exists (a build tree's build/bin and build/locale, or a relocated
 * install), else keep the configured directory.  ODL_OK when that
 * directory was taken and holds a valid catalogue, ODL_ENOTFOUND when it
 * is absent (nothing changed), or what odl_messages_set_dir() returned.
 */
ODL_API int odl_messages_set_dir_near_exe(void);

/* Every known code, NULL-terminated. */
ODL_API const char *const *odl_message_codes(void);

#endif
