/* check_phone.c - phone-number-value. */
#include "check_impl.h"

int odl_phone_valid(const char *s, size_t n)
{
	(void)s;
	(void)n;
	return 1;
}

int check_phone_row(struct odl_check *c, const struct odl_cell *const *cells, size_t nfields,
		    odl_check_finding_fn fn, void *ctx)
{
	(void)c; (void)cells; (void)nfields; (void)fn; (void)ctx;
	return ODL_EUNSUPPORTED;
}
