# odl - C toolkit for French local open data.
# `make` builds libodl and the programs into $(B)/ (runnable from there);
# `make check` runs every test, then again under ASan+UBSan (clang);
# `make demo` runs the pipeline on the bundled example data.

VERSION    = 0.1.0
SOVERSION  = 0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share/odl
LOCALEDIR ?= $(PREFIX)/share/locale
DESTDIR   ?=

# Build directory: one per flavour so normal and sanitizer objects never mix.
B ?= build
SAN ?=

PKGS     = jansson libcurl zlib libpcre2-8 libcrypto expat
# Deferred (=, not :=): on a fresh machine the packages arrive during this
# very run, installed by the .deps step that every compile waits for.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS     = $(PKG_LIBS) -lm -lpthread

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wwrite-strings -Wvla
ifeq ($(SAN),1)
CC       = clang
OPTFLAGS = -O1 -g -fno-omit-frame-pointer \
           -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN    = -fsanitize=address,undefined
# the sanitizer runtime lives in the executables, so the library has
# undefined references to it until they load it
NO_UNDEFINED =
else
NO_UNDEFINED = -Wl,--no-undefined
OPTFLAGS ?= -O2 -g
LDSAN    =
endif
CPPFLAGS += -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Ilib \
            -DODL_DATADIR='"$(DATADIR)"' -DODL_LOCALEDIR='"$(LOCALEDIR)"'
ALL_CFLAGS = -std=c11 $(WARN) $(OPTFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDSAN) $(LDFLAGS)

LIB_SRC  = $(wildcard lib/*.c)
LIB_HDR  = lib/odl.h $(wildcard lib/odl/*.h) $(wildcard lib/*.h)
LIB_OBJ  = $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
CLI_SRC  = $(filter-out cmd/odl-%.c,$(wildcard cmd/*.c))
CLI_OBJ  = $(CLI_SRC:cmd/%.c=$(B)/cmd/%.o)
PROG_SRC = $(wildcard cmd/odl-*.c)
PROGS    = $(PROG_SRC:cmd/%.c=$(B)/bin/%)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
# make_xlsx links libxlsxwriter, not libodl: it has its own rule
TOOL_SRC = $(filter-out tests/tools/make_xlsx.c,$(wildcard tests/tools/*.c))
TOOLS    = $(TOOL_SRC:tests/tools/%.c=$(B)/tests/tools/%)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
PO       = $(wildcard po/*.po)
MO       = $(PO:po/%.po=$(B)/locale/%/LC_MESSAGES/odl.mo)
MAN      = $(wildcard man/*.1)

SO_NAME  = libodl.so.$(SOVERSION)
SO_FILE  = libodl.so.$(VERSION)

.PHONY: all lib programs tests check check-asan check-fast demo fuzz fuzz-run \
        install uninstall clean deps deps-test bench lint
.DELETE_ON_ERROR:

all: $(B)/.deps lib programs $(MO)

lib: $(B)/lib/$(SO_FILE) $(B)/lib/libodl.a
programs: $(PROGS)
tests: all $(UNITS) $(TOOLS) $(B)/tests/make_xlsx

# Missing Debian packages are installed when root, named otherwise.
$(B)/.deps: scripts/install-deps
	@scripts/install-deps build
	@mkdir -p $(B) && touch $@
deps:
	@scripts/install-deps build
deps-test:
	@scripts/install-deps test

$(B)/lib/%.o: lib/%.c $(LIB_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DODL_BUILDING $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(B)/lib/$(SO_FILE): $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -shared -Wl,-soname,$(SO_NAME) $(NO_UNDEFINED) \
	    -o $@ $(LIB_OBJ) $(LIBS)
	ln -sf $(SO_FILE) $(B)/lib/$(SO_NAME)
	ln -sf $(SO_NAME) $(B)/lib/libodl.so

$(B)/lib/libodl.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(B)/cmd/%.o: cmd/%.c $(LIB_HDR) $(wildcard cmd/*.h) | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Icmd $(ALL_CFLAGS) -c -o $@ $<

# Programs find libodl beside them in the build tree and once installed.
$(B)/bin/%: $(B)/cmd/%.o $(CLI_OBJ) $(B)/lib/$(SO_FILE)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CLI_OBJ) -L$(B)/lib -lodl \
	    -Wl,-rpath,'$$ORIGIN/../lib' $(LIBS)

# Unit tests link the static library so they reach private functions too.
$(B)/tests/test_%: tests/unit/test_%.c $(B)/lib/libodl.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DODL_TESTDATA='"$(CURDIR)/testdata"' \
	    -DODL_SHARED='"$(abspath $(CURDIR)/../shared)"' $(ALL_CFLAGS) \
	    -Wno-missing-prototypes $(ALL_LDFLAGS) -o $@ $< $(B)/lib/libodl.a \
	    $(LIBS) $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# Test programs on libodl (tests/tools/*.c), run by the shell tests.
$(B)/tests/tools/%: tests/tools/%.c $(B)/lib/libodl.a $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/lib/libodl.a $(LIBS)

# Writes the xlsx workbooks tests need (libxlsxwriter, a test dependency).
$(B)/tests/make_xlsx: tests/tools/make_xlsx.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) $(OPTFLAGS) $(shell pkg-config --cflags xlsxwriter 2>/dev/null) \
	    $(ALL_LDFLAGS) -o $@ $< $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter)

$(B)/locale/%/LC_MESSAGES/odl.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

check: deps-test
	$(MAKE) --no-print-directory tests B=build
	$(MAKE) --no-print-directory tests B=build-asan SAN=1
	@tests/run build build-asan

check-fast: deps-test
	$(MAKE) --no-print-directory tests B=build
	@tests/run build

check-asan: deps-test
	$(MAKE) --no-print-directory tests B=build-asan SAN=1
	@tests/run build-asan

demo: all
	@scripts/demo $(B)

# libFuzzer harnesses (clang); `make fuzz-run FUZZTIME=60` runs each.
FUZZTIME ?= 30
fuzz: $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(LIB_HDR)
	@mkdir -p $(@D)
	clang $(CPPFLAGS) -std=c11 $(WARN) -Wno-missing-prototypes $(PKG_CFLAGS) -g -O1 \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ $< $(LIB_SRC) $(LIBS)
fuzz-run: fuzz
	@for f in $(FUZZ_SRC:tests/fuzz/%.c=%); do \
	    mkdir -p build-fuzz/corpus-$$f; \
	    echo "fuzzing $$f for $(FUZZTIME)s"; \
	    build-fuzz/$$f -max_total_time=$(FUZZTIME) -max_len=65536 \
	        build-fuzz/corpus-$$f tests/fuzz/seeds-$$f || exit 1; \
	done

# One table (MB/s, rows/s, peak RSS) headed by the commit: diff two runs.
bench: all
	@scripts/bench $(B)

lint:
	mandoc -Tlint -W warning $(MAN)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(INCLUDEDIR)/odl $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 755 $(B)/lib/$(SO_FILE) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SO_FILE) $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libodl.so
	install -m 644 $(B)/lib/libodl.a $(DESTDIR)$(LIBDIR)/
	install -m 644 lib/odl.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(wildcard lib/odl/*.h) $(DESTDIR)$(INCLUDEDIR)/odl/
	$(if $(MAN),install -m 644 $(MAN) $(DESTDIR)$(MANDIR)/man1/)
	if [ -d data ]; then cp -R data/. $(DESTDIR)$(DATADIR)/; fi
	for mo in $(MO); do l=$${mo#$(B)/locale/}; l=$${l%%/*}; \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES; \
	    install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/odl.mo; done
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    libodl.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libodl.pc

uninstall:
	rm -f $(PROGS:$(B)/bin/%=$(DESTDIR)$(BINDIR)/%) \
	    $(DESTDIR)$(LIBDIR)/libodl.* $(DESTDIR)$(LIBDIR)/pkgconfig/libodl.pc \
	    $(DESTDIR)$(INCLUDEDIR)/odl.h $(MAN:man/%=$(DESTDIR)$(MANDIR)/man1/%)
	rm -rf $(DESTDIR)$(INCLUDEDIR)/odl $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-fuzz demo
