#!/usr/bin/env bats
# Output contracts under failure: a create that cannot print the new
# object's handle removes what it made; stdout stays empty on every error;
# --json of an empty list is []; output to a closed stdout, /dev/full or a
# pipe whose reader has gone is one line and exit 1.  Checked from outside:
# ipcs, /dev/shm, /dev/mqueue and the FIFO's path.

load helpers

setup() {
	DIR=$(mktemp -d)
}

teardown() {
	kill_tracked
	cleanup_objects
	rm -rf -- "$DIR"
}

# broken HOW ARGS...: ipctool ARGS with stdout closed, /dev/full, or the
# write end of a pipe whose reader has already gone (SIGPIPE is left at
# its default in the child); stderr in $stderr.
broken() {
	local how=$1
	shift
	case $how in
	closed)	run --separate-stderr bash -c '"$@" >&-' _ "$IPCTOOL" "$@" ;;
	full)	run --separate-stderr bash -c '"$@" >/dev/full' _ "$IPCTOOL" "$@" ;;
	deadpipe)
		run --separate-stderr python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.call(sys.argv[1:], stdout=w))' "$IPCTOOL" "$@" ;;
	esac
}

# The last broken call failed as it should: exit 1, one line, a write error.
failed_once() {
	local want=${1:-write error}
	if [ "$status" -ne 1 ] || [ "$(printf '%s\n' "$stderr" | wc -l)" -ne 1 ] ||
	    [[ $stderr != "ipctool: "*"$want"* ]]; then
		printf '# exit %s\n# stderr: %s\n' "$status" "$stderr" >&2
		return 1
	fi
}

# What the System V objects of a kind are now, by id (ipcs -m, -q or -s).
sysv_ids() {
	ipcs "$1" | awk '$2 ~ /^[0-9]+$/ { print $2 }' | sort
}

# shmid / msqid / semid of KEY, or nothing.
id_of_key() {
	ipcs "$1" | awk -v k="$2" 'tolower($1) == tolower(k) { print $2 }'
}

# ---- a create that cannot print removes what it made ----

@test "sysv create (IPC_PRIVATE and a key): nothing left when stdout is closed, full or a dead pipe" {
	local how obj flag key before
	for how in closed full deadpipe; do
		for obj in shm mq sem; do
			case $obj in
			shm) flag=-m; set -- --size 4K ;;
			mq) flag=-q; set -- ;;
			sem) flag=-s; set -- --count 2 ;;
			esac
			before=$(sysv_ids $flag)
			broken "$how" "$obj" create "$@"
			failed_once "write error"
			[[ $stderr == *"; not created" ]]
			[ "$(sysv_ids $flag)" = "$before" ]
			key=$(unique_key)
			broken "$how" "$obj" create "key:$key" "$@"
			failed_once "write error"
			[ -z "$(id_of_key $flag "$key")" ]
			[ "$(sysv_ids $flag)" = "$before" ]
		done
	done
}

@test "posix create: nothing left in /dev/shm or /dev/mqueue when stdout is closed, full or a dead pipe" {
	local how name
	for how in closed full deadpipe; do
		name=$(unique_name)
		broken "$how" shm create "$name" --size 4K
		failed_once "write error"
		[ ! -e "/dev/shm${name}" ]
		name=$(unique_name)
		broken "$how" mq create "$name"
		failed_once "write error"
		[ ! -e "/dev/mqueue${name}" ]
		name=$(unique_name)
		broken "$how" sem create "$name" --value 3
		failed_once "write error"
		[ ! -e "/dev/shm/sem.${name#/}" ]
	done
}

@test "fifo create: the FIFO is removed again when stdout is closed, full or a dead pipe" {
	local how
	for how in closed full deadpipe; do
		broken "$how" fifo create "$DIR/f-$how"
		failed_once "fifo create $DIR/f-$how: write error"
		[ ! -e "$DIR/f-$how" ]
	done
	# Several paths: the first that cannot be printed is undone, and
	# nothing after it is made.
	broken full fifo create "$DIR/a" "$DIR/b"
	failed_once "$DIR/a: write error"
	[ ! -e "$DIR/a" ] && [ ! -e "$DIR/b" ]
}

@test "create --json that cannot print removes the object too" {
	local before name
	before=$(sysv_ids -m)
	broken full -j shm create --size 4K
	failed_once "write error"
	[ "$(sysv_ids -m)" = "$before" ]
	name=$(unique_name)
	broken deadpipe -j mq create "$name"
	failed_once "write error"
	[ ! -e "/dev/mqueue${name}" ]
}

@test "create --exist-ok that found the object keeps it when it cannot print" {
	local key id name
	key=$(unique_key)
	id=$(ipctool shm create "key:$key" --size 4K)
	cleanup_later shm "$id"
	broken full shm create "key:$key" --size 4K --exist-ok
	failed_once "existed before and is kept"
	[ "$(id_of_key -m "$key")" = "$id" ]

	key=$(unique_key)
	id=$(ipctool sem create "key:$key")
	cleanup_later sem "$id"
	broken closed sem create "key:$key" --exist-ok
	failed_once "existed before and is kept"
	[ "$(id_of_key -s "$key")" = "$id" ]

	key=$(unique_key)
	id=$(ipctool mq create "key:$key")
	cleanup_later mq "$id"
	broken deadpipe mq create "key:$key" --exist-ok
	failed_once "existed before and is kept"
	[ "$(id_of_key -q "$key")" = "$id" ]

	name=$(unique_name)
	ipctool shm create "$name" --size 4K
	cleanup_later shm "$name"
	broken full shm create "$name" --size 4K --exist-ok
	failed_once "existed before and is kept"
	[ -e "/dev/shm${name}" ]

	name=$(unique_name)
	ipctool mq create "$name"
	cleanup_later mq "$name"
	broken full mq create "$name" --exist-ok
	failed_once "existed before and is kept"
	[ -e "/dev/mqueue${name}" ]

	name=$(unique_name)
	ipctool sem create "$name"
	cleanup_later sem "$name"
	broken full sem create "$name" --exist-ok
	failed_once "existed before and is kept"
	[ -e "/dev/shm/sem.${name#/}" ]

	mkfifo "$DIR/held"
	broken full fifo create "$DIR/held" --exist-ok
	failed_once "existed before and is kept"
	[ -p "$DIR/held" ]
}

@test "create --exist-ok that made a new object removes it when it cannot print" {
	local key name before
	key=$(unique_key)
	broken full shm create "key:$key" --size 4K --exist-ok
	failed_once "not created"
	[ -z "$(id_of_key -m "$key")" ]
	name=$(unique_name)
	broken full shm create "$name" --size 4K --exist-ok
	failed_once "not created"
	[ ! -e "/dev/shm${name}" ]
	key=$(unique_key)
	broken closed sem create "key:$key" --exist-ok
	failed_once "not created"
	[ -z "$(id_of_key -s "$key")" ]
	name=$(unique_name)
	broken closed sem create "$name" --exist-ok
	failed_once "not created"
	[ ! -e "/dev/shm/sem.${name#/}" ]
	broken deadpipe fifo create "$DIR/new" --exist-ok
	failed_once "not created"
	[ ! -e "$DIR/new" ]
	# IPC_PRIVATE is always new, --exist-ok or not.
	before=$(sysv_ids -q)
	broken full mq create --exist-ok
	failed_once "not created"
	[ "$(sysv_ids -q)" = "$before" ]
}

@test "mq create --exist-ok that made a new queue removes it when it cannot print" {
	local key name
	key=$(unique_key)
	cleanup_later mq "key:$key"
	broken full mq create "key:$key" --exist-ok
	failed_once "not created"
	[ -z "$(id_of_key -q "$key")" ]
	name=$(unique_name)
	cleanup_later mq "$name"
	broken full mq create "$name" --exist-ok
	failed_once "not created"
	[ ! -e "/dev/mqueue${name}" ]
}

@test "a create that prints normally is kept (the undo is only for a failed write)" {
	local id name
	id=$(ipctool shm create --size 4K)
	cleanup_later shm "$id"
	[ -n "$(ipcs -m | awk -v id="$id" '$2 == id')" ]
	name=$(unique_name)
	ipctool mq create "$name" | cat >/dev/null
	cleanup_later mq "$name"
	[ -e "/dev/mqueue${name}" ]
}

# ---- stdout stays empty on every error ----

@test "failing calls of every object leave stdout empty" {
	local key name id
	key=$(unique_key)
	name=$(unique_name)
	id=$(ipctool shm create "key:$key" --size 4K)
	cleanup_later shm "$id"
	ipctool mq create "$name" >/dev/null
	cleanup_later mq "$name"
	local -a calls=(
		"1 shm info 999999999"
		"1 shm info /ipct-absent-$$"
		"1 shm rm 999999999"
		"1 shm create key:$key --size 4K"
		"1 shm read /ipct-absent-$$"
		"2 shm create --size 4Q"
		"2 shm bogus"
		"1 -j shm info 999999999"
		"1 mq info 999999999"
		"1 mq create $name"
		"3 mq recv $name --nowait"
		"1 mq send /ipct-absent-$$ hi"
		"2 mq recv $name --type 3"
		"1 sem info /ipct-absent-$$"
		"1 sem get 999999999"
		"1 sem rm 999999999"
		"2 sem create --value x"
		"1 fifo info $DIR/none"
		"1 fifo info $DIR"
		"1 fifo rm $DIR/none"
		"2 fifo create"
		"1 pipe info 999999999:0"
		"2 pipe info nonsense"
		"2 ls --type bogus"
		"1 -j sem info 999999999"
	)
	local c want
	for c in "${calls[@]}"; do
		want=${c%% *}
		# shellcheck disable=SC2086
		run --separate-stderr "$IPCTOOL" ${c#* }
		if [ "$status" -ne "$want" ] || [ -n "$output" ] ||
		    [ -z "$stderr" ]; then
			printf '# ipctool %s: exit %s (wanted %s)\n# stdout: %s\n# stderr: %s\n' \
			    "${c#* }" "$status" "$want" "$output" "$stderr" >&2
			return 1
		fi
	done
}

# ---- --json of an empty list ----

# ipctool ARGS in fresh IPC, mount and PID namespaces: no System V or POSIX
# object, no process holding a pipe or FIFO; stdout to a file, so that not
# even ipctool's own stdout is a pipe.
fresh() {
	local out=$DIR/fresh.out
	unshare --ipc --mount --pid --fork --mount-proc --propagation private \
	    bash -c 'mount -t tmpfs tmpfs /dev/shm && mkdir -p /dev/mqueue &&
	    mount -t mqueue mqueue /dev/mqueue || exit 1
	    for f in /proc/$$/fd/*; do	# bats holds pipes on fds 3 and up
		n=${f##*/}
		[ "$n" -gt 2 ] && eval "exec $n>&-"
	    done 2>/dev/null
	    exec "$@"' _ \
	    "$IPCTOOL" "$@" </dev/null >"$out" 2>"$DIR/fresh.err" || {
		cat "$DIR/fresh.err" >&2
		return 1
	}
	cat "$out"
}

@test "--json of an empty list is [] for every ls" {
	[ "$(id -u)" -eq 0 ] || skip "needs root for fresh namespaces"
	local o
	for o in shm mq sem fifo pipe; do
		[ "$(fresh -j "$o" ls)" = "[]" ]
		[ "$(fresh "$o" ls --json)" = "[]" ]
		[ "$(fresh -j ls --type "$o")" = "[]" ]
	done
	[ "$(fresh -j ls)" = "[]" ]
	[ "$(fresh -j ls --type shm,mq,sem)" = "[]" ]
	[ "$(fresh -j fifo ls "$DIR")" = "[]" ]
	# The text forms of an empty list print nothing at all.
	[ -z "$(fresh shm ls)" ] && [ -z "$(fresh ls)" ]
}

@test "--json with a --type filter that matches nothing is [] here too" {
	local out
	out=$(ipctool -j fifo ls "$DIR")
	[ "$(printf '%s' "$out" | python3 -c 'import json,sys
print([r for r in json.load(sys.stdin) if r.get("path","").startswith(sys.argv[1])])' "$DIR")" = "[]" ]
}

# ---- ls and info to a broken stdout ----

@test "ls and info of every object: exit 1 and one line when stdout is closed, full or a dead pipe" {
	local id name how p
	id=$(ipctool shm create --size 4K)
	cleanup_later shm "$id"
	name=$(unique_name)
	ipctool mq create "$name" >/dev/null
	cleanup_later mq "$name"
	ipctool sem create "$name" >/dev/null
	cleanup_later sem "$name"
	mkfifo "$DIR/f"
	sleep 60 | sleep 60 &
	p=$!
	kill_later "$p" "$(pgrep -P $$ -x sleep | head -1)"
	local -a calls=(
		"shm ls" "shm info $id" "-j shm info $id" "shm ls --raw"
		"mq ls" "mq info $name" "-j mq ls"
		"sem ls" "sem info $name" "sem ls --export"
		"fifo ls $DIR" "fifo info $DIR/f" "-j fifo ls $DIR"
		"pipe ls" "pipe info $p:0" "-j pipe ls"
		"ls" "-j ls" "limits" "shm ls --list-columns"
	)
	local c
	for how in closed full deadpipe; do
		for c in "${calls[@]}"; do
			# shellcheck disable=SC2086
			broken "$how" $c
			failed_once "write error" || {
				echo "# ipctool $c ($how)" >&2
				return 1
			}
		done
	done
}

@test "an empty ls to a closed stdout is a write error; to /dev/full it writes nothing and succeeds" {
	mkdir "$DIR/empty"
	broken closed fifo ls "$DIR/empty" --output path
	# fifo ls also lists open FIFOs elsewhere; with none it is empty.
	if [ -z "$(ipctool fifo ls "$DIR/empty")" ]; then
		failed_once "bad file descriptor"
		broken full fifo ls "$DIR/empty"
		[ "$status" -eq 0 ] && [ -z "$stderr" ]
	fi
}

@test "with stdout closed nothing ipctool opens lands on fd 1: the data goes where it was meant" {
	name=$(unique_name)
	ipctool shm create "$name" --size 4K >/dev/null
	cleanup_later shm "$name"
	# write opens the segment while fd 1 is closed; had shm_open been
	# given fd 1, anything printed would land in the segment
	broken closed shm write "$name" hello
	assert_equal "$status" 0
	run_ipctool 0 shm read "$name" --string
	assert_output hello
	# and a verb that prints still reports the closed stdout
	broken closed shm info "$name"
	failed_once "bad file descriptor"
	# stdin closed: a read error, nothing written
	run --separate-stderr bash -c '"$@" <&-' _ "$IPCTOOL" shm write "$name"
	assert_equal "$status" 1
	[[ "$stderr" == *"reading stdin"* ]]
	run_ipctool 0 shm read "$name" --string
	assert_output hello
}
