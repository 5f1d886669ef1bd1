/* value_memo.c - the values a field has already accepted (value_memo.h). */
#include "value_memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct odl_value_memo *odl_value_memo_new(void)
{
	const char *env = getenv("ODL_MEMO");

	if (env && strcmp(env, "off") == 0)
		return NULL;
	struct odl_value_memo *m = calloc(1, sizeof(*m));

	if (m)
		for (size_t i = 0; i < ODL_MEMO_SLOTS; i++)
			m->slot[i].len = 0xff;
	return m;
}

void odl_value_memo_free(struct odl_value_memo *m)
{
	free(m);
}
