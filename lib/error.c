/* error.c - status codes and error details. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *odl_version(void)
{
	return ODL_VERSION;
}

const char *odl_strerror(int code)
{
	switch (code) {
	case ODL_OK: return "success";
	case ODL_ENOMEM: return "out of memory";
	case ODL_EINVAL: return "invalid argument";
	case ODL_EIO: return "input/output error";
	case ODL_ELIMIT: return "limit exceeded";
	case ODL_EENCODING: return "undecodable bytes";
	case ODL_EFORMAT: return "malformed input";
	case ODL_ESCHEMA: return "invalid schema";
	case ODL_ENOTFOUND: return "not found";
	case ODL_ENET: return "network error";
	case ODL_ECANCELED: return "canceled";
	case ODL_ECHECKSUM: return "checksum mismatch";
	case ODL_EUNSUPPORTED: return "unsupported";
	}
	return "unknown error";
}

void odl_error_clear(struct odl_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int odl_fail(struct odl_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void odl_error_at(struct odl_error *err, const char *file, uint64_t line,
		  uint64_t column, const char *field)
{
	if (!err)
		return;
	if (file)
		snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = line;
	err->column = column;
	if (field)
		snprintf(err->field, sizeof(err->field), "%s", field);
}
