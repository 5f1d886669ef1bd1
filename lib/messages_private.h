/* messages_private.h - shared by the message catalogue's files. */
#ifndef ODL_MESSAGES_PRIVATE_H
#define ODL_MESSAGES_PRIVATE_H

/* 1 for "fr", "fr_FR.UTF-8", "fr-FR", "FR"...; 0 for anything else or NULL. */
int odl_lang_is_french(const char *lang);

#endif
