# libodl exports only odl_* symbols, has a versioned soname, and `make
# install` with DESTDIR/PREFIX gives a usable library (pkg-config, headers).
. tests/cli/lib.sh

so=$ODL_BUILD/lib/libodl.so.0.1.0
[ -f "$so" ] || fail "no $so"
nm -D --defined-only "$so" | awk '$2 ~ /[TDBR]/ { print $3 }' | grep -v '^odl_' |
	grep -v -e '^_init$' -e '^_fini$' -e '^_edata$' -e '^_end$' -e '^__bss_start$' >"$TMP/extra" || true
[ -s "$TMP/extra" ] && { fail "non-odl_ symbols exported:"; head "$TMP/extra"; }
objdump -p "$so" | grep -q 'SONAME *libodl.so.0$' || fail "soname is not libodl.so.0"

# only the normal build is installed and linked against (the sanitizer
# runtime would need the same flags in the test program)
case "$ODL_BUILD" in *asan*) done_testing ;; esac
make -s -C "$ODL_TOP" install B="$(basename "$ODL_BUILD")" DESTDIR="$TMP/root" PREFIX=/usr >"$TMP/install.log" 2>&1 ||
	{ fail "make install"; tail "$TMP/install.log"; }
for f in usr/bin/odl-validate usr/lib/libodl.so.0 usr/lib/libodl.a usr/include/odl.h \
	usr/include/odl/csv.h usr/lib/pkgconfig/libodl.pc usr/share/man/man1/odl-validate.1; do
	[ -e "$TMP/root/$f" ] || fail "not installed: $f"
done
cat >"$TMP/t.c" <<'C'
#include <stdio.h>
#include <odl/csv.h>
static int n;
static int count(void *ctx, const struct odl_record *r) { (void)ctx; n += !r->is_header; return 0; }
int main(void) {
	odl_csv *c = odl_csv_new(NULL, count, NULL);
	odl_csv_feed(c, "a;b\n1;2\n3;4\n", 12, NULL);
	odl_csv_finish(c, NULL);
	printf("%s %d %c\n", odl_version(), n, odl_csv_info(c)->delimiter);
	odl_csv_free(c);
	return 0;
}
C
flags=$(PKG_CONFIG_SYSROOT_DIR="$TMP/root" PKG_CONFIG_PATH="$TMP/root/usr/lib/pkgconfig" pkg-config --cflags --libs libodl)
cc -std=c11 -o "$TMP/t" "$TMP/t.c" $flags -Wl,-rpath,"$TMP/root/usr/lib" || fail "cannot build against the installed library"
run 0 "$TMP/t"
same_text "$TMP/out" "0.1.0 2 ;"
done_testing
