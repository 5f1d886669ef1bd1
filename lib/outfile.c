/* outfile.c - atomic output files: temporary beside the target, then rename. */
#include "odl/outfile.h"
#include "error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct odl_outfile {
	FILE *fp;
	char *path;
	char *temp;  /* NULL for stdout */
};

int odl_outfile_open(const char *path, odl_outfile **out, struct odl_error *err)
{
	odl_outfile *o;
	int fd;

	*out = NULL;
	if (!path || !*path)
		return odl_fail(err, ODL_EINVAL, "empty output path");
	o = calloc(1, sizeof(*o));
	if (!o || !(o->path = strdup(path))) {
		free(o);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	if (strcmp(path, "-") == 0) {
		o->fp = stdout;
		*out = o;
		return ODL_OK;
	}
	size_t n = strlen(path) + sizeof(".tmp.XXXXXX");
	o->temp = malloc(n);
	if (!o->temp) {
		free(o->path);
		free(o);
		return odl_fail(err, ODL_ENOMEM, "out of memory");
	}
	snprintf(o->temp, n, "%s.tmp.XXXXXX", path);
	fd = mkstemp(o->temp);
	if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(o->temp);
		}
		odl_error_at(err, path, 0, 0, NULL);
		if (err)
			err->sys_errno = e;
		odl_fail(err, ODL_EIO, "cannot create: %s", strerror(e));
		free(o->temp);
		free(o->path);
		free(o);
		return ODL_EIO;
	}
	/* mkstemp makes 0600; give the file the mode a plain fopen would. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	*out = o;
	return ODL_OK;
}

FILE *odl_outfile_stream(odl_outfile *out)
{
	return out->fp;
}

const char *odl_outfile_temp_path(const odl_outfile *out)
{
	return out->temp;
}

const char *odl_outfile_path(const odl_outfile *out)
{
	return out->path;
}

static void outfile_release(odl_outfile *out)
{
	free(out->temp);
	free(out->path);
	free(out);
}

int odl_outfile_commit(odl_outfile *out, struct odl_error *err)
{
	int rc = ODL_OK, e = 0;

	if (!out->temp) {
		if (fflush(out->fp) != 0 || ferror(out->fp))
			e = errno ? errno : EIO;
	} else {
		if (fflush(out->fp) != 0 || ferror(out->fp) || fsync(fileno(out->fp)) != 0)
			e = errno ? errno : EIO;
		if (fclose(out->fp) != 0 && !e)
			e = errno ? errno : EIO;
		if (!e && rename(out->temp, out->path) != 0)
			e = errno;
		if (e)
			unlink(out->temp);
	}
	if (e) {
		odl_error_at(err, out->path, 0, 0, NULL);
		if (err)
			err->sys_errno = e;
		rc = odl_fail(err, ODL_EIO, "cannot write: %s", strerror(e));
	}
	outfile_release(out);
	return rc;
}

void odl_outfile_abort(odl_outfile *out)
{
	if (!out)
		return;
	if (out->temp) {
		fclose(out->fp);
		unlink(out->temp);
	}
	outfile_release(out);
}
