/* test_outfile.c - what -o does to each kind of target: files replaced atomically
 * with their mode, symlinks followed, devices, FIFOs and descriptors written in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "odl/outfile.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/odl-test-outfile.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *at(const char *name)
{
	static char p[4][PATH_MAX];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void assert_content(const char *path, const char *want)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	assert_string_equal(buf, want);
}

/* no "*.tmp.*" left in the test directory */
static void assert_no_temporary(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp."))
			fail_msg("temporary left behind: %s", e->d_name);
	closedir(d);
}

static void write_commit(const char *path, const char *text)
{
	struct odl_error err;
	odl_outfile *o;

	odl_error_clear(&err);
	assert_int_equal(odl_outfile_open(path, &o, &err), ODL_OK);
	fputs(text, odl_outfile_stream(o));
	assert_int_equal(odl_outfile_commit(o, &err), ODL_OK);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode;
}

static void new_file_gets_umask(void **state)
{
	(void)state;
	mode_t old = umask(022);
	write_commit(at("a.ndjson"), "{}\n");
	assert_int_equal(mode_of(at("a.ndjson")) & 07777, 0644);
	umask(077);
	write_commit(at("b.ndjson"), "{}\n");
	assert_int_equal(mode_of(at("b.ndjson")) & 07777, 0600);
	umask(old);
	assert_content(at("a.ndjson"), "{}\n");
	assert_no_temporary();
}

static void replaced_file_keeps_its_mode(void **state)
{
	static const mode_t modes[] = { 0600, 0640, 0444, 0664 };
	(void)state;
	mode_t old = umask(022);
	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++) {
		put(at("r.ndjson"), "previous\n", modes[i]);
		write_commit(at("r.ndjson"), "new\n");
		assert_content(at("r.ndjson"), "new\n");
		assert_int_equal(mode_of(at("r.ndjson")) & 07777, modes[i]);
	}
	umask(old);
	assert_no_temporary();
}

static void replaced_file_keeps_its_owner(void **state)
{
	struct stat st;
	(void)state;
	if (geteuid() != 0)
		skip(); /* only root may give a file to someone else */
	put(at("o.ndjson"), "previous\n", 0640);
	assert_int_equal(chown(at("o.ndjson"), 1234, 4321), 0);
	write_commit(at("o.ndjson"), "new\n");
	assert_int_equal(stat(at("o.ndjson"), &st), 0);
	assert_int_equal(st.st_uid, 1234);
	assert_int_equal(st.st_gid, 4321);
	assert_int_equal(st.st_mode & 07777, 0640);
}

static void temporary_is_private_from_the_start(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	struct stat st;
	(void)state;
	put(at("p.ndjson"), "secret\n", 0600);
	assert_int_equal(odl_outfile_open(at("p.ndjson"), &o, &err), ODL_OK);
	assert_non_null(odl_outfile_temp_path(o));
	assert_int_equal(stat(odl_outfile_temp_path(o), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_false(odl_outfile_in_place(o));
	odl_outfile_abort(o);
}

static void abort_keeps_previous_file(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	(void)state;
	put(at("k.ndjson"), "previous\n", 0600);
	assert_int_equal(odl_outfile_open(at("k.ndjson"), &o, &err), ODL_OK);
	for (int i = 0; i < 100000; i++) /* past any buffer */
		fputs("partial line\n", odl_outfile_stream(o));
	odl_outfile_abort(o);
	assert_content(at("k.ndjson"), "previous\n");
	assert_int_equal(mode_of(at("k.ndjson")) & 07777, 0600);
	assert_no_temporary();
	odl_outfile_abort(NULL);
}

static void symlink_target_replaced(void **state)
{
	(void)state;
	assert_int_equal(mkdir(at("sub"), 0755), 0);
	put(at("sub/real.ndjson"), "previous\n", 0600);
	/* a relative link, then a link to that link */
	assert_int_equal(symlink("sub/real.ndjson", at("link1")), 0);
	assert_int_equal(symlink(at("link1"), at("link2")), 0);
	write_commit(at("link2"), "new\n");
	assert_true(S_ISLNK(mode_of(at("link1"))));
	assert_true(S_ISLNK(mode_of(at("link2"))));
	assert_content(at("sub/real.ndjson"), "new\n");
	assert_int_equal(mode_of(at("sub/real.ndjson")) & 07777, 0600);
	/* a dangling link creates its target */
	assert_int_equal(symlink("sub/made.ndjson", at("dangling")), 0);
	write_commit(at("dangling"), "made\n");
	assert_true(S_ISLNK(mode_of(at("dangling"))));
	assert_content(at("sub/made.ndjson"), "made\n");
	assert_no_temporary();
}

static void symlink_loop_is_an_error(void **state)
{
	struct odl_error err;
	odl_outfile *o = (odl_outfile *)1;
	(void)state;
	assert_int_equal(symlink("loop2", at("loop1")), 0);
	assert_int_equal(symlink("loop1", at("loop2")), 0);
	odl_error_clear(&err);
	assert_int_equal(odl_outfile_open(at("loop1"), &o, &err), ODL_EIO);
	assert_null(o);
	assert_int_equal(err.sys_errno, ELOOP);
	assert_true(S_ISLNK(mode_of(at("loop1"))));
}

static void directory_is_an_error(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	(void)state;
	assert_int_equal(mkdir(at("d"), 0755), 0);
	odl_error_clear(&err);
	assert_int_equal(odl_outfile_open(at("d"), &o, &err), ODL_EIO);
	assert_int_equal(err.sys_errno, EISDIR);
	assert_string_equal(err.file, at("d"));
	assert_string_equal(err.message, "cannot create: Is a directory");
	assert_true(S_ISDIR(mode_of(at("d"))));
}

static void missing_directory_is_an_error(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	(void)state;
	odl_error_clear(&err);
	assert_int_equal(odl_outfile_open(at("nowhere/r.ndjson"), &o, &err), ODL_EIO);
	assert_int_equal(err.sys_errno, ENOENT);
	assert_string_equal(err.message, "cannot create: No such file or directory");
	odl_error_clear(&err);
	assert_int_equal(odl_outfile_open("", &o, &err), ODL_EINVAL);
	assert_no_temporary();
}

static void character_device_written_in_place(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	(void)state;
	/* a private /dev/null: a failure here never breaks the real one */
	if (mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)) != 0)
		skip();
	assert_int_equal(odl_outfile_open(at("null"), &o, &err), ODL_OK);
	assert_true(odl_outfile_in_place(o));
	assert_null(odl_outfile_temp_path(o));
	fputs("nothing\n", odl_outfile_stream(o));
	assert_int_equal(odl_outfile_commit(o, &err), ODL_OK);
	assert_true(S_ISCHR(mode_of(at("null"))));
	assert_no_temporary();
}

static void full_device_reports_enospc(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	const char *full = "/dev/full";
	(void)state;
	if (mknod(at("full"), S_IFCHR | 0666, makedev(1, 7)) == 0)
		full = at("full");
	assert_int_equal(odl_outfile_open(full, &o, &err), ODL_OK);
	assert_int_equal(odl_outfile_write_errno(o), 0);
	for (int i = 0; i < 10000; i++)
		fputs("a line that will not fit\n", odl_outfile_stream(o));
	assert_int_equal(odl_outfile_write_errno(o), ENOSPC);
	odl_error_clear(&err);
	assert_int_equal(odl_outfile_commit(o, &err), ODL_EIO);
	assert_int_equal(err.sys_errno, ENOSPC);
	assert_string_equal(err.file, full);
	assert_string_equal(err.message, "cannot write: No space left on device");
	assert_true(S_ISCHR(mode_of(full)));
}

static void fifo_written_in_place(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	char buf[64];
	(void)state;
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	int rd = open(at("fifo"), O_RDONLY | O_NONBLOCK); /* the reader, so open does not wait */
	assert_true(rd >= 0);
	assert_int_equal(odl_outfile_open(at("fifo"), &o, &err), ODL_OK);
	assert_true(odl_outfile_in_place(o));
	fputs("through the fifo\n", odl_outfile_stream(o));
	assert_int_equal(odl_outfile_commit(o, &err), ODL_OK);
	ssize_t n = read(rd, buf, sizeof(buf) - 1);
	close(rd);
	assert_true(n > 0);
	buf[n] = 0;
	assert_string_equal(buf, "through the fifo\n");
	assert_true(S_ISFIFO(mode_of(at("fifo"))));
	assert_no_temporary();
}

static void descriptor_names_written_in_place(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	char name[64], buf[64];
	int p[2];
	(void)state;
	assert_int_equal(pipe(p), 0);
	for (int k = 0; k < 2; k++) {
		snprintf(name, sizeof(name), k ? "/proc/self/fd/%d" : "/dev/fd/%d", p[1]);
		assert_int_equal(odl_outfile_open(name, &o, &err), ODL_OK);
		assert_true(odl_outfile_in_place(o));
		fputs("via fd\n", odl_outfile_stream(o));
		assert_int_equal(odl_outfile_commit(o, &err), ODL_OK);
		ssize_t n = read(p[0], buf, sizeof(buf) - 1);
		assert_int_equal(n, 7);
		buf[n] = 0;
		assert_string_equal(buf, "via fd\n");
	}
	/* the descriptor itself stays open: it was duplicated, not taken */
	assert_int_equal(write(p[1], "x", 1), 1);
	close(p[0]);
	close(p[1]);
	/* a closed pipe is EPIPE, kept by the stream */
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	snprintf(name, sizeof(name), "/dev/fd/%d", p[1]);
	assert_int_equal(odl_outfile_open(name, &o, &err), ODL_OK);
	fputs("nobody reads\n", odl_outfile_stream(o));
	odl_error_clear(&err);
	assert_int_equal(odl_outfile_commit(o, &err), ODL_EIO);
	assert_int_equal(err.sys_errno, EPIPE);
	close(p[1]);
}

static void stdout_dash(void **state)
{
	struct odl_error err;
	odl_outfile *o;
	(void)state;
	assert_int_equal(odl_outfile_open("-", &o, &err), ODL_OK);
	assert_ptr_equal(odl_outfile_stream(o), stdout);
	assert_true(odl_outfile_in_place(o));
	assert_int_equal(odl_outfile_commit(o, &err), ODL_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(new_file_gets_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(replaced_file_keeps_its_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(replaced_file_keeps_its_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(temporary_is_private_from_the_start, setup, teardown),
		cmocka_unit_test_setup_teardown(abort_keeps_previous_file, setup, teardown),
		cmocka_unit_test_setup_teardown(symlink_target_replaced, setup, teardown),
		cmocka_unit_test_setup_teardown(symlink_loop_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(directory_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_directory_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(character_device_written_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(full_device_reports_enospc, setup, teardown),
		cmocka_unit_test_setup_teardown(fifo_written_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(descriptor_names_written_in_place, setup, teardown),
		cmocka_unit_test(stdout_dash),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
