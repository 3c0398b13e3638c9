# ipctool.  `make` builds, `make check` tests, `make demo` tours; check,
# demo, bench and lint install their Debian packages first when they are
# missing (see deps); all and install never do.
VERSION	= 0.1.0
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN	+= -Werror
endif

# One static binary by default (libc, libbsd and libmd linked in): start-up
# is most of what a one-shot `ipctool shm info` costs, and one file can be
# copied into a container.  STATIC=0 links dynamically, for distributions.
# The sanitizers need the dynamic loader, so SANITIZE=1 implies STATIC=0.
STATIC	?= 1
# VALGRIND=1: `make check` runs every ipctool call under memcheck (see
# tests/valgrind-ipctool), on the dynamic build: valgrind models a static
# glibc poorly.  ASan and memcheck do not mix.
ifeq ($(VALGRIND),1)
ifeq ($(SANITIZE),1)
$(error VALGRIND=1 and SANITIZE=1 do not go together)
endif
override STATIC = 0
endif
ifeq ($(SANITIZE),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
BUILD	= build/sanitize
override STATIC = 0
else ifeq ($(STATIC),1)
BUILD	= build/static
else
BUILD	= build/dynamic
endif
PKG_CFLAGS = $(shell pkg-config --cflags libbsd-overlay 2>/dev/null)
ifeq ($(STATIC),1)
PKG_LIBS = -static $(shell pkg-config --static --libs-only-l libbsd 2>/dev/null)
DEFS	= -DIPCTOOL_STATIC
else
PKG_LIBS = $(shell pkg-config --libs-only-l libbsd 2>/dev/null)
DEFS	=
endif
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DIPCTOOL_VERSION='"$(VERSION)"' $(DEFS) \
	  $(WARN) $(PKG_CFLAGS) $(CFLAGS)

SRCS	= $(wildcard src/*.c)
HDRS	= $(wildcard src/*.h)
OBJS	= $(SRCS:src/%.c=$(BUILD)/%.o)
BIN	= $(BUILD)/ipctool
MANS	= $(wildcard man/*.1)
MANS7	= $(wildcard man/*.7)
APPLETS	= ipcs ipcrm ipcmk

all: ipctool

ipctool: $(BIN)
	ln -f $(BIN) ipctool

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

$(BUILD)/%.o: src/%.c $(HDRS) Makefile | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD):
	mkdir -p $@

# Debian packages: what the build, the tests and lint use.  Only `make
# deps` installs them; check, demo and bench run it first, one step after
# the other, so that `make -j` cannot build before the headers are there.
DEBS	= gcc make pkg-config libbsd-dev file bats bats-support bats-assert \
	  mandoc util-linux perl python3 bash-completion zsh fish strace \
	  clang libclang-rt-14-dev
ifeq ($(VALGRIND),1)
DEBS	+= valgrind
endif
deps:
	@./.ci/deps $(DEBS)

# VALGRIND=1: IPCTOOL is the wrapper, the binary it runs VALGRIND_IPCTOOL;
# tests/run fails on any memcheck error in any run.  The whole suite under
# memcheck takes over 10 minutes, so VALGRIND=1 runs the subset named in
# tests/valgrind.tests (every verb of every object at least once);
# VALGRIND_ALL=1 runs everything.
ifeq ($(VALGRIND),1)
CHECK_ENV = VALGRIND=1 IPCTOOL=$(CURDIR)/tests/valgrind-ipctool \
	    VALGRIND_IPCTOOL=$(CURDIR)/$(BIN)
ifneq ($(VALGRIND_ALL),1)
CHECK_ENV += SUBSET=$(CURDIR)/tests/valgrind.tests
endif
else
CHECK_ENV = IPCTOOL=$(CURDIR)/$(BIN)
endif
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	$(CHECK_ENV) tests/run

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	IPCTOOL=$(CURDIR)/$(BIN) ./demo.sh

# make bench: every figure beside its baseline (a few minutes); QUICK=1
# runs each benchmark on tiny sizes only to show it works (CI does).
bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	IPCTOOL=$(CURDIR)/$(BIN) QUICK=$(QUICK) bench/run

# The layers: infrastructure never includes the CLI or object headers, and
# System V versus POSIX is chosen in one place (flavor_pick), not in verbs.
INFRA	= child fail io names output parse proc trace wait
lint:
	@$(MAKE) --no-print-directory deps
	@! grep -n '"object.h"\|"cli.h"' $(INFRA:%=src/%.c) || \
	    { echo "lint: an infrastructure file includes a CLI header"; false; }
	@! grep -n 'ref_is_posix\|== REF_POSIX' src/*.c src/*.h | grep -v '^src/parse.c' || \
	    { echo "lint: a flavour test outside flavor_pick"; false; }
	mandoc -Tlint -W warning $(MANS) $(MANS7)
	bash -n completions/ipctool.bash
	zsh -n completions/_ipctool
	fish --no-execute completions/ipctool.fish

# Coverage-guided fuzzing of the parsers: one libFuzzer harness per parser
# in fuzz/, linked with the infrastructure it needs (parse.c, fail.c) and
# fuzz/stubs.c, never the CLI or an object; built by clang with ASan and
# UBSan under build/fuzz.  `make fuzz FUZZ_SECONDS=N` runs each N seconds
# (fuzz/run) and fails on any crash, leak or undefined behaviour.
FUZZ_SECONDS ?= 60
FUZZ_CC	= clang
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	  -fsanitize=fuzzer-no-link,address,undefined \
	  -fno-sanitize-recover=undefined $(WARN) $(PKG_CFLAGS)
FUZZ_LIBS = $(shell pkg-config --libs-only-l libbsd 2>/dev/null)
FUZZ_NAMES = $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_BINS = $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
FUZZ_OBJS = build/fuzz/parse.o build/fuzz/fail.o build/fuzz/stubs.o

fuzz:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run $(FUZZ_NAMES)

fuzz-build: $(FUZZ_BINS)
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_NAMES:%=build/fuzz/fuzz_%.o)

build/fuzz/fuzz_%: build/fuzz/fuzz_%.o $(FUZZ_OBJS)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(FUZZ_LIBS)

build/fuzz/%.o: src/%.c $(HDRS) Makefile | build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz/%.o: fuzz/%.c fuzz/fuzz.h $(HDRS) Makefile | build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz:
	mkdir -p $@

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/ipctool
	install -m 644 $(MANS) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MANS7) $(DESTDIR)$(MANDIR)/man7/
	install -m 644 completions/ipctool.bash $(DESTDIR)$(BASHCOMPDIR)/ipctool
	install -m 644 completions/_ipctool $(DESTDIR)$(ZSHCOMPDIR)/_ipctool
	install -m 644 completions/ipctool.fish $(DESTDIR)$(FISHCOMPDIR)/ipctool.fish

# The applets: ipcs, ipcrm and ipcmk as symlinks beside the installed
# binary, relative (ln -s ipctool), so that they hold under DESTDIR and
# wherever the tree is moved; an existing ipcs is replaced only when it is
# already a link (see ipctool --install for the checked way).
install-applets: install
	@for a in $(APPLETS); do \
	    f=$(DESTDIR)$(BINDIR)/$$a; \
	    if [ -e "$$f" ] && [ ! -L "$$f" ]; then \
	        echo "install-applets: $$f exists and is not a link; not replaced" >&2; \
	        exit 1; \
	    fi; \
	done
	for a in $(APPLETS); do \
	    ln -sfn ipctool $(DESTDIR)$(BINDIR)/$$a || exit 1; \
	done

uninstall-applets:
	for a in $(APPLETS); do \
	    f=$(DESTDIR)$(BINDIR)/$$a; \
	    if [ -L "$$f" ] && [ "$$(readlink "$$f")" = ipctool ]; then \
	        rm -f "$$f"; \
	    fi; \
	done

uninstall: uninstall-applets
	rm -f $(DESTDIR)$(BINDIR)/ipctool
	rm -f $(MANS:man/%=$(DESTDIR)$(MANDIR)/man1/%)
	rm -f $(MANS7:man/%=$(DESTDIR)$(MANDIR)/man7/%)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/ipctool $(DESTDIR)$(ZSHCOMPDIR)/_ipctool
	rm -f $(DESTDIR)$(FISHCOMPDIR)/ipctool.fish

# make deb: the Debian package (debian/), dynamically linked, without the
# applet links; the .deb is written to the parent directory.  Needs
# dpkg-dev and debhelper; `make deps` never installs them.
deb:
	dpkg-buildpackage -us -uc -b

clean:
	rm -rf build ipctool

.PHONY: all ipctool deps check demo bench lint fuzz fuzz-build install \
	install-applets uninstall uninstall-applets deb clean
