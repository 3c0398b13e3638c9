# Shared by every .bats file: the bats libraries, the binary under test
# ($IPCTOOL overrides), unique names, and run_ipctool.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

IPCTOOL=${IPCTOOL:-$BATS_TEST_DIRNAME/../ipctool}
[ -x "$IPCTOOL" ] || { echo "no ipctool at $IPCTOOL" >&2; exit 1; }

# run_ipctool STATUS ARGS...: run ipctool with stdout in $output and stderr
# in $stderr; fail, showing both, unless it exits with STATUS.
run_ipctool() {
	local want=$1
	shift
	run --separate-stderr "$IPCTOOL" "$@"
	if [ "$status" -ne "$want" ]; then
		printf '# ipctool %s\n# exit %s, wanted %s\n# stdout: %s\n# stderr: %s\n' \
		    "$*" "$status" "$want" "$output" "$stderr" >&2
		return 1
	fi
}

# ipctool with no `run`: for set-up steps whose output is the point.
ipctool() {
	"$IPCTOOL" "$@"
}

# A name no other test or run uses: /ipct-<test>-<pid>-<random>.
unique_name() {
	printf '/ipct-%s-%s-%s' "${BATS_TEST_NUMBER:-0}" "$$" "$RANDOM"
}

# A System V key that is free now.
unique_key() {
	local k
	while :; do
		k=$(printf '0x%08x' $(( (RANDOM << 15 | RANDOM) + 0x10000 )))
		ipcs -m -q -s 2>/dev/null | grep -qi "^$k " || { echo "$k"; return; }
	done
}

# Remember an object to remove in teardown, whatever the test did.
CLEANUP_FILE=${BATS_TEST_TMPDIR:-/tmp}/cleanup
cleanup_later() {
	printf '%s %s\n' "$1" "$2" >>"$CLEANUP_FILE"
}

cleanup_objects() {
	[ -f "$CLEANUP_FILE" ] || return 0
	while read -r obj ref; do
		"$IPCTOOL" "$obj" rm "$ref" >/dev/null 2>&1 || true
	done <"$CLEANUP_FILE"
	rm -f "$CLEANUP_FILE"
}

teardown() {
	cleanup_objects
}
