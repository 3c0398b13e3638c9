#!/usr/bin/env bats
# ipctool --install DIR [--force], --list-applets and make install-applets:
# the links through which ipctool is ipcs, ipcrm and ipcmk.  (What the
# applets do, side by side with util-linux, is tests/applets-*.bats.)

load helpers

setup() {
	DIR=$BATS_TEST_TMPDIR/bin
	mkdir -p "$DIR"
}

@test "--list-applets names ipcs, ipcrm and ipcmk, one a line" {
	run_ipctool 0 --list-applets
	assert_output $'ipcs\nipcrm\nipcmk'
	assert_equal "$stderr" ""
}

@test "--install DIR makes three symlinks to the binary's absolute path" {
	run_ipctool 0 --install "$DIR"
	assert_output ""
	local a self
	self=$(readlink -f "$IPCTOOL")
	for a in ipcs ipcrm ipcmk; do
		[ -L "$DIR/$a" ] || fail "$DIR/$a is not a symlink"
		assert_equal "$(readlink "$DIR/$a")" "$self"
	done
	# and through one of them ipctool is that applet
	run "$DIR/ipcrm" --version
	assert_output --partial "ipcrm from ipctool"
	run "$DIR/ipcmk" --version
	assert_output --partial "ipcmk from ipctool"
}

@test "--install again over its own links is fine" {
	run_ipctool 0 --install "$DIR"
	run_ipctool 0 --install "$DIR"
	[ -L "$DIR/ipcs" ]
	# a hard link to the binary counts as its own too
	rm "$DIR/ipcmk"
	ln "$(readlink -f "$IPCTOOL")" "$DIR/ipcmk" 2>/dev/null ||
	    skip "cannot hard-link across file systems here"
	run_ipctool 0 --install "$DIR"
	[ -L "$DIR/ipcmk" ]
}

@test "--install refuses a file that is not a link to ipctool, and makes nothing" {
	echo mine >"$DIR/ipcrm"
	run_ipctool 1 --install "$DIR"
	assert_output ""
	[[ "$stderr" == *"$DIR/ipcrm"* ]] || fail "the error does not name the path: $stderr"
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
	# nothing half-made: ipcs comes before ipcrm and was not made either
	[ ! -e "$DIR/ipcs" ] && [ ! -L "$DIR/ipcs" ]
	[ ! -e "$DIR/ipcmk" ] && [ ! -L "$DIR/ipcmk" ]
	assert_equal "$(cat "$DIR/ipcrm")" mine
	# a symlink elsewhere is not ours either
	rm "$DIR/ipcrm"
	ln -s /bin/true "$DIR/ipcrm"
	run_ipctool 1 --install "$DIR"
	assert_equal "$(readlink "$DIR/ipcrm")" /bin/true
}

@test "--install --force replaces other files, never a directory" {
	echo mine >"$DIR/ipcrm"
	ln -s /bin/true "$DIR/ipcs"
	run_ipctool 0 --install "$DIR" --force
	assert_equal "$(readlink "$DIR/ipcrm")" "$(readlink -f "$IPCTOOL")"
	assert_equal "$(readlink "$DIR/ipcs")" "$(readlink -f "$IPCTOOL")"
	rm "$DIR/ipcmk"
	mkdir "$DIR/ipcmk"
	run_ipctool 1 --force --install "$DIR"
	[[ "$stderr" == *"$DIR/ipcmk"* ]]
	[ -d "$DIR/ipcmk" ]
	# no temporary names left behind
	assert_equal "$(find "$DIR" -name '.*' | wc -l)" 0
}

@test "--install: a missing directory is exit 1; --force alone and extra operands are usage errors" {
	run_ipctool 1 --install "$DIR/nonesuch"
	[[ "$stderr" == *nonesuch* ]]
	run_ipctool 2 --force
	[[ "$stderr" == *--install* ]]
	run_ipctool 2 --install "$DIR" shm ls
	[ ! -e "$DIR/ipcs" ]
	run_ipctool 2 --install
}

@test "--install, --force and --list-applets are registry rows, offered at the top level only" {
	run_ipctool 0 __complete options
	assert_line -- "- --install string"
	assert_line -- "- --force flag"
	assert_line -- "- --list-applets flag"
	run_ipctool 0 __complete words
	assert_line -- --install
	assert_line -- --force
	assert_line -- --list-applets
	run_ipctool 0 __complete words shm create
	refute_line -- --install
	run_ipctool 0 __complete values --install
	assert_output @file
	# help names them, and the man page documents them
	run_ipctool 0 --help
	assert_output --partial --install
	assert_output --partial --list-applets
	grep -q '^\.It Fl -install Ar DIR' "$BATS_TEST_DIRNAME/../man/ipctool.1"
	grep -q '^\.It Fl -list-applets' "$BATS_TEST_DIRNAME/../man/ipctool.1"
	# a verb does not take them
	run_ipctool 2 shm ls --install "$DIR"
}

@test "the applets' man page is clean under mandoc -Tlint and referenced from ipctool(1)" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	run mandoc -Tlint -W warning "$BATS_TEST_DIRNAME/../man/ipctool-applets.7"
	assert_output ""
	grep -q 'Xr ipctool-applets 7' "$BATS_TEST_DIRNAME/../man/ipctool.1"
}

@test "make install-applets: relative links beside the binary, under DESTDIR and BINDIR" {
	command -v make >/dev/null || skip "no make"
	local top=$BATS_TEST_DIRNAME/.. dest=$BATS_TEST_TMPDIR/dest
	[ -f "$top/Makefile" ] || skip "no Makefile"
	[ "$(readlink -f "$IPCTOOL")" = "$(readlink -f "$top/ipctool")" ] ||
	    skip "IPCTOOL is not this tree's build"
	run make -C "$top" -s install-applets DESTDIR="$dest" PREFIX=/opt/x
	assert_success
	[ -x "$dest/opt/x/bin/ipctool" ]
	[ -f "$dest/opt/x/share/man/man7/ipctool-applets.7" ]
	local a
	for a in ipcs ipcrm ipcmk; do
		assert_equal "$(readlink "$dest/opt/x/bin/$a")" ipctool
	done
	run "$dest/opt/x/bin/ipcrm" -V
	assert_output --partial "ipcrm from ipctool"
	# BINDIR alone moves them with the binary
	run make -C "$top" -s install-applets DESTDIR="$dest" BINDIR=/b
	assert_success
	assert_equal "$(readlink "$dest/b/ipcmk")" ipctool
	# a file that is not a link is not replaced
	rm "$dest/b/ipcs"
	echo mine >"$dest/b/ipcs"
	run make -C "$top" -s install-applets DESTDIR="$dest" BINDIR=/b
	assert_failure
	assert_equal "$(cat "$dest/b/ipcs")" mine
	# uninstall takes the links away with the rest
	run make -C "$top" -s uninstall DESTDIR="$dest" PREFIX=/opt/x
	assert_success
	[ ! -e "$dest/opt/x/bin/ipcrm" ] && [ ! -L "$dest/opt/x/bin/ipcrm" ]
}
