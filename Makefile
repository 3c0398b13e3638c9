# ipctool.  `make` builds, `make check` tests, `make demo` tours; each
# installs its own Debian packages first when they are missing (see deps).
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
ifeq ($(SANITIZE),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
BUILD	= build/sanitize
else
BUILD	= build/normal
endif

# libbsd (and its libmd) are linked in statically and libsmartcols is
# dlopen()ed when a table is printed, so a plain call starts with libc
# alone: start-up is most of what a one-shot `ipctool shm info` costs.
PKGS	= libbsd-overlay smartcols
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = -Wl,--as-needed -Wl,-Bstatic $(shell pkg-config --static --libs-only-l libbsd 2>/dev/null) -Wl,-Bdynamic
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DIPCTOOL_VERSION='"$(VERSION)"' \
	  $(WARN) $(PKG_CFLAGS) $(CFLAGS)

SRCS	= $(wildcard src/*.c)
OBJS	= $(SRCS:src/%.c=$(BUILD)/%.o)
BIN	= $(BUILD)/ipctool
MANS	= $(wildcard man/*.1)

all: deps-build ipctool

ipctool: $(BIN)
	ln -sf $(BIN) ipctool

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

$(BUILD)/%.o: src/%.c src/ipctool.h Makefile | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD):
	mkdir -p $@

# Debian packages: build needs, then what the tests and lint use.
BUILD_DEBS = gcc make pkg-config libbsd-dev libsmartcols-dev
TEST_DEBS = bats bats-support bats-assert mandoc util-linux perl python3 \
	  bash-completion zsh fish
deps-build:
	@./.ci/deps $(BUILD_DEBS)
deps: deps-build
	@./.ci/deps $(TEST_DEBS)

check: deps all
	IPCTOOL=$(CURDIR)/$(BIN) tests/run

demo: all
	IPCTOOL=$(CURDIR)/$(BIN) ./demo.sh

bench: all
	IPCTOOL=$(CURDIR)/$(BIN) bench/run

lint: deps
	mandoc -Tlint -W warning $(MANS)
	bash -n completions/ipctool.bash
	zsh -n completions/_ipctool
	fish --no-execute completions/ipctool.fish

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/ipctool
	install -m 644 $(MANS) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completions/ipctool.bash $(DESTDIR)$(BASHCOMPDIR)/ipctool
	install -m 644 completions/_ipctool $(DESTDIR)$(ZSHCOMPDIR)/_ipctool
	install -m 644 completions/ipctool.fish $(DESTDIR)$(FISHCOMPDIR)/ipctool.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ipctool
	rm -f $(MANS:man/%=$(DESTDIR)$(MANDIR)/man1/%)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/ipctool $(DESTDIR)$(ZSHCOMPDIR)/_ipctool
	rm -f $(DESTDIR)$(FISHCOMPDIR)/ipctool.fish

clean:
	rm -rf build ipctool

.PHONY: all ipctool deps deps-build check demo bench lint install uninstall clean
