/* schema_resolve.c - "scdl/subventions@2.1.1" to a schema file path. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "odl/schema.h"
#include "error.h"

int odl_version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
		if (x != y)
			return x < y ? -1 : 1;
		if (ea == a || eb == b) {
			int c = strcmp(a, b);
			return c < 0 ? -1 : c > 0;
		}
		a = ea;
		b = eb;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if (!*a && *b)
			return -1;
		if (*a && !*b)
			return 1;
	}
	return 0;
}

static int name_ok(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return s[0] != '.';
}

int odl_schema_resolve(const char *ref, const char *data_dir,
		       char *path, size_t path_size, struct odl_error *err)
{
	struct stat st;
	const char *slash, *at;
	char dir[4096], best[256] = "", avail[256] = "";
	DIR *d;
	struct dirent *e;

	if (strncmp(ref, "http://", 7) == 0 || strncmp(ref, "https://", 8) == 0) {
		odl_error_at(err, ref, 0, 0, NULL);
		return odl_fail(err, ODL_EUNSUPPORTED, "schema URLs are not supported yet: download the schema and give its path");
	}
	if (stat(ref, &st) == 0 && S_ISREG(st.st_mode)) {
		if ((size_t)snprintf(path, path_size, "%s", ref) >= path_size)
			return odl_fail(err, ODL_ELIMIT, "path too long");
		return ODL_OK;
	}
	slash = strchr(ref, '/');
	at = strchr(ref, '@');
	if (!slash || strchr(slash + 1, '/') || !name_ok(ref, (size_t)(slash - ref)) ||
	    !name_ok(slash + 1, (size_t)((at ? at : ref + strlen(ref)) - slash - 1)) ||
	    (at && !name_ok(at + 1, strlen(at + 1)))) {
		odl_error_at(err, ref, 0, 0, NULL);
		return odl_fail(err, ODL_ENOTFOUND, "no such schema file, and not a name like scdl/subventions[@2.1.1]");
	}
	snprintf(dir, sizeof(dir), "%s/schemas/%.*s", data_dir, (int)((at ? at : ref + strlen(ref)) - ref), ref);
	d = opendir(dir);
	if (!d) {
		odl_error_at(err, ref, 0, 0, NULL);
		return odl_fail(err, ODL_ENOTFOUND, "unknown schema (no directory %s)", dir);
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0 || l - 5 >= sizeof(best))
			continue;
		char v[256];
		memcpy(v, e->d_name, l - 5);
		v[l - 5] = 0;
		if (strlen(avail) + l < sizeof(avail) - 8) {
			if (*avail)
				strcat(avail, ", ");
			strcat(avail, v);
		}
		if (at ? strcmp(v, at + 1) == 0 : (!*best || odl_version_compare(v, best) > 0))
			snprintf(best, sizeof(best), "%s", v);
	}
	closedir(d);
	if (!*best) {
		odl_error_at(err, ref, 0, 0, NULL);
		return odl_fail(err, ODL_ENOTFOUND, "no such version (available: %s)", *avail ? avail : "none");
	}
	if ((size_t)snprintf(path, path_size, "%s/%s.json", dir, best) >= path_size)
		return odl_fail(err, ODL_ELIMIT, "path too long");
	return ODL_OK;
}
