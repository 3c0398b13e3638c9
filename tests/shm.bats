#!/usr/bin/env bats
# ipctool shm: System V and POSIX shared memory, checked against the
# contract (SPEC.md) and from outside: ipcs, lsipc, stat on /dev/shm, Perl's
# shmget/shmread/shmwrite and Python's multiprocessing.shared_memory.

load helpers

# What the shared helpers (new_sysv, ipcs_field...) work on.
IPC_OBJECT=shm
IPCS_FLAG=-m

# ---- helpers for this file ----

# Paths made by hand in /dev/shm (directories, symlinks, sem.* files) that
# `ipctool shm rm` rightly refuses to remove.
PATHS_FILE=${BATS_TEST_TMPDIR:-/tmp}/paths
remove_later() {
	printf '%s\n' "$1" >>"$PATHS_FILE"
}

teardown() {
	cleanup_objects
	if [ -f "$PATHS_FILE" ]; then
		while read -r p; do
			rm -rf -- "$p"
		done <"$PATHS_FILE"
		rm -f "$PATHS_FILE"
	fi
}

# The `ipcs -m` row of segment ID: key shmid owner perms bytes nattch status.
ipcs_row() {
	ipcs -m | awk -v id="$1" '$2 == id { print $1, $2, $3, $4, $5, $6 }'
}

nattch_is() {
	[ "$(ipcs_field "$1" nattch)" = "$2" ]
}

# Every byte value, 0 to 255, once each, into the file $1.
all_bytes() {
	perl -e 'print map { chr } 0 .. 255' >"$1"
}

# Python: open an existing POSIX segment by name (no slash) and never let
# the 3.11 resource tracker unlink it at exit.
PY_OPEN='
import sys
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(name=sys.argv[1].lstrip("/"))
resource_tracker.unregister(m._name, "shared_memory")
'
PY_READ=$PY_OPEN'
n = int(sys.argv[2])
sys.stdout.buffer.write(bytes(m.buf[:n]))
m.close()
'
PY_WRITE=$PY_OPEN'
data = sys.stdin.buffer.read()
m.buf[:len(data)] = data
m.close()
'
PY_CREATE='
import sys
from multiprocessing import shared_memory, resource_tracker
m = shared_memory.SharedMemory(name=sys.argv[1].lstrip("/"), create=True,
    size=int(sys.argv[2]))
resource_tracker.unregister(m._name, "shared_memory")
m.buf[:5] = b"py\x00ok"
m.close()
'

# ---- create ----

@test "create key:0x.. prints only the id; ipcs agrees on key, size, perms, owner" {
	key=$(unique_key)
	cleanup_later shm "key:$key"
	run_ipctool 0 shm create "key:$key" --size 4K
	assert_output --regexp '^[0-9]+$'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" ''
	id=$output
	assert_equal "$(ipcs_row "$id")" "$key $id $(id -un) 600 4096 0"
	assert_equal "$(ipcs_field "$id" bytes)" 4096
	assert_equal "$(ipcs_field "$id" mode)" 0600
	assert_equal "$(ipcs_field "$id" uid)" "$(id -u)"
}

@test "create agrees with lsipc -m" {
	new_sysv --size 1M --mode 0640
	run lsipc -m -r -b -P --noheadings -o KEY,ID,PERMS,OWNER,SIZE,NATTCH
	assert_success
	assert_line --regexp "^$key $id 0?640 $(id -un) 1048576 0\$"
}

@test "create with no REF uses IPC_PRIVATE and prints only the id" {
	run_ipctool 0 shm create --size 100
	assert_output --regexp '^[0-9]+$'
	id=$output
	cleanup_later shm "$id"
	assert_equal "$(ipcs_row "$id")" "0x00000000 $id $(id -un) 600 100 0"
}

@test "create /name prints only the name; /dev/shm file is 0600 with the size" {
	name=$(unique_name)
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 4K
	assert_output "$name"
	assert_equal "$stderr" ''
	run stat -c '%F %a %s %U' "/dev/shm${name}"
	assert_output "regular file 600 4096 $(id -un)"
}

@test "create: the default mode is 0600 even with umask 000" {
	key=$(unique_key)
	name=$(unique_name)
	cleanup_later shm "key:$key"
	cleanup_later shm "$name"
	id=$(umask 000 && ipctool shm create "key:$key" --size 4K)
	(umask 000 && ipctool shm create "$name" --size 4K >/dev/null)
	assert_equal "$(ipcs_field "$id" mode)" 0600
	assert_equal "$(stat -c %a "/dev/shm${name}")" 600
}

@test "create --mode 0666 under umask 077 gives 0666 (POSIX file and System V)" {
	key=$(unique_key)
	name=$(unique_name)
	cleanup_later shm "key:$key"
	cleanup_later shm "$name"
	id=$(umask 077 && ipctool shm create "key:$key" --size 4K --mode 0666)
	(umask 077 && ipctool shm create "$name" --size 4K --mode 0666 >/dev/null)
	assert_equal "$(stat -c %a "/dev/shm${name}")" 666
	assert_equal "$(ipcs_field "$id" mode)" 0666
}

@test "create accepts size suffixes K and M, and a plain byte count" {
	new_sysv --size 1M
	assert_equal "$(ipcs_field "$id" bytes)" 1048576
	new_posix --size 3K
	assert_equal "$(stat -c %s "/dev/shm${name}")" 3072
	new_posix --size 12345
	assert_equal "$(stat -c %s "/dev/shm${name}")" 12345
}

@test "create an existing System V key: exit 1, 'exists', nothing on stdout" {
	new_sysv --size 4K
	run_ipctool 1 shm create "key:$key" --size 4K
	assert_error_naming exists
	assert_equal "$(ipcs -m | grep -ci "^$key ")" 1
}

@test "create an existing POSIX name: exit 1, 'exists'" {
	new_posix --size 4K
	ipctool shm write "$name" keep
	run_ipctool 1 shm create "$name" --size 4K
	assert_error_naming exists
	run_ipctool 0 shm read "$name" --length 4
	assert_output keep
}

@test "create --exist-ok (and -e) opens the existing System V segment" {
	new_sysv --size 4K
	run_ipctool 0 shm create "key:$key" --size 4K --exist-ok
	assert_output "$id"
	run_ipctool 0 shm create "key:$key" --size 4K -e
	assert_output "$id"
	assert_equal "$(ipcs -m | grep -ci "^$key ")" 1
}

@test "create --exist-ok opens the existing POSIX segment and keeps its data" {
	new_posix --size 4K
	ipctool shm write "$name" 'still here'
	run_ipctool 0 shm create "$name" --size 4K --exist-ok
	assert_output "$name"
	run_ipctool 0 shm read "$name" --length 10
	assert_output 'still here'
	assert_equal "$(stat -c %s "/dev/shm${name}")" 4096
}

@test "create refuses POSIX names starting with /sem." {
	name="/sem.ipct-$$-$RANDOM"
	remove_later "/dev/shm${name}"
	run_ipctool 1 shm create "$name" --size 4K
	assert_error_naming "$name"
	[ ! -e "/dev/shm${name}" ]
}

# ---- references ----

@test "REF forms key:0x, key:decimal, key:octal and the id all name one segment" {
	new_sysv --size 4K
	for ref in "$id" "key:$key" "key:$((key))" "$(printf 'key:0%o' "$key")"; do
		run_ipctool 0 --json shm info "$ref"
		python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["id"] == int(sys.argv[1]), d
assert d["key"] == sys.argv[2], d' "$id" "$key" <<<"$output" ||
		    fail "info $ref: $output"
	done
}

@test "key:010 is octal: key 8, not 10" {
	# Only safe where no one else uses key 8: our own IPC namespace.
	[ -n "${IPCTOOL_ISOLATED:-}" ] || skip "needs tests/run's IPC namespace"
	cleanup_later shm key:010
	id=$(ipctool shm create key:010 --size 4K)
	assert_equal "$(ipcs_row "$id" | cut -d' ' -f1)" 0x00000008
	run_ipctool 0 --json shm info key:8
	[[ $output == *'"key":"0x00000008"'* ]] || fail "$output"
}

@test "ftok:PATH uses project 1 and agrees with Perl's ftok" {
	f=$BATS_TEST_TMPDIR/ftok-file
	: >"$f"
	want=$(perl -MIPC::SysV=ftok -e 'printf "0x%08x", ftok($ARGV[0], 1)' "$f")
	cleanup_later shm "ftok:$f"
	id=$(ipctool shm create "ftok:$f" --size 4K)
	assert_equal "$(ipcs_row "$id" | cut -d' ' -f1)" "$want"
	run_ipctool 0 shm info "key:$want"
	assert_line --regexp "^id: +$id\$"
}

@test "ftok:PATH:PROJ agrees with Perl's ftok(PATH, PROJ)" {
	f=$BATS_TEST_TMPDIR/ftok-file
	: >"$f"
	want=$(perl -MIPC::SysV=ftok -e 'printf "0x%08x", ftok($ARGV[0], 7)' "$f")
	other=$(perl -MIPC::SysV=ftok -e 'printf "0x%08x", ftok($ARGV[0], 1)' "$f")
	[ "$want" != "$other" ]
	cleanup_later shm "ftok:$f:7"
	id=$(ipctool shm create "ftok:$f:7" --size 4K)
	assert_equal "$(ipcs_row "$id" | cut -d' ' -f1)" "$want"
	run_ipctool 0 shm read "ftok:$f:7" --length 1
	run_ipctool 0 shm rm "ftok:$f:7"
	assert_equal "$(ipcs_row "$id")" ''
}

@test "ftok on a missing path: exit 1 naming the path" {
	run_ipctool 1 shm info "ftok:$BATS_TEST_TMPDIR/no-such-file"
	assert_error_naming no-such-file
}

# ---- info, ls, JSON, trace ----

@test "info shows key, id, owner, mode, size, nattch and status" {
	new_sysv --size 4K --mode 0640
	run_ipctool 0 shm info "$id"
	assert_line --regexp "^key: +$key\$"
	assert_line --regexp "^id: +$id\$"
	assert_line --regexp "^owner: +$(id -un)\$"
	assert_line --regexp '^mode: +0640$'
	assert_line --regexp '^size: +4096$'
	assert_line --regexp '^nattch: +0$'
	assert_line --regexp "^cpid: +[1-9][0-9]*\$"
	assert_line --regexp '^dest: +no$'
	assert_line --regexp '^locked: +no$'
}

@test "info on a POSIX segment shows name, owner, mode and size" {
	new_posix --size 100 --mode 0640
	run_ipctool 0 shm info "$name"
	assert_line --regexp "^name: +$name\$"
	assert_line --regexp "^owner: +$(id -un)\$"
	assert_line --regexp '^mode: +0640$'
	assert_line --regexp '^size: +100$'
}

@test "ls lists System V and POSIX segments together with a flavour column" {
	new_sysv --size 4K
	new_posix --size 4K
	run_ipctool 0 shm ls
	assert_line --index 0 --regexp '^FLAVOR +KEY +ID +NAME'
	assert_line --regexp "^sysv +$key +$id "
	assert_line --regexp "^posix +- +- +$name "
}

@test "create --json: one object with typed fields (System V)" {
	key=$(unique_key)
	cleanup_later shm "key:$key"
	run_ipctool 0 shm create "key:$key" --size 4K --json
	assert_equal "${#lines[@]}" 1
	python3 -c '
import json, re, sys
d = json.loads(sys.stdin.read())
assert d["type"] == "shm" and d["flavor"] == "sysv", d
assert d["key"] == sys.argv[1], d
assert type(d["id"]) is int and d["id"] >= 0, d
assert type(d["size"]) is int and d["size"] == 4096, d
assert type(d["nattch"]) is int and d["nattch"] == 0, d
assert type(d["cpid"]) is int and d["cpid"] > 0, d
assert type(d["lpid"]) is int, d
assert d["mode"] == "0600", d
assert type(d["owner"]) is str and d["owner"], d
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["ctime"]), d
assert d["atime"] is None and d["dtime"] is None, d
' "$key" <<<"$output" || fail "bad JSON: $output"
}

@test "info --json on a POSIX segment: typed fields" {
	new_posix --size 100 --mode 0604
	run_ipctool 0 shm info "$name" --json
	python3 -c '
import json, re, sys
d = json.loads(sys.stdin.read())
assert d["type"] == "shm" and d["flavor"] == "posix", d
assert d["name"] == sys.argv[1], d
assert type(d["size"]) is int and d["size"] == 100, d
assert d["mode"] == "0604", d
assert type(d["owner"]) is str and d["owner"], d
for t in ("ctime", "atime"):
    assert d.get(t) is None or re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d[t]), d
' "$name" <<<"$output" || fail "bad JSON: $output"
}

@test "ls --json: an array holding both flavours, numbers as numbers" {
	new_sysv --size 4K
	new_posix --size 100
	run_ipctool 0 --json shm ls
	python3 -c '
import json, sys
a = json.loads(sys.stdin.read())
assert type(a) is list, a
sv = [d for d in a if d.get("flavor") == "sysv" and d.get("key") == sys.argv[1]]
px = [d for d in a if d.get("flavor") == "posix" and d.get("name") == sys.argv[3]]
assert len(sv) == 1 and len(px) == 1, a
assert sv[0]["id"] == int(sys.argv[2]) and sv[0]["size"] == 4096, sv
assert px[0]["size"] == 100 and px[0]["mode"] == "0600", px
assert all(d["type"] == "shm" for d in a), a
' "$key" "$id" "$name" <<<"$output" || fail "bad JSON: $output"
}

@test "--trace prints shmget(...) to stderr and only the id to stdout" {
	key=$(unique_key)
	cleanup_later shm "key:$key"
	run_ipctool 0 --trace shm create "key:$key" --size 4096
	assert_output --regexp '^[0-9]+$'
	id=$output
	[[ $stderr == *"shmget($key, 4096, IPC_CREAT|IPC_EXCL|0600) = $id"* ]] ||
	    fail "no shmget line: $stderr"
	# After the verb too, and for a failing call.
	run_ipctool 1 shm create "key:$key" --size 4096 --trace
	assert_output ''
	[[ $stderr == *"shmget($key, 4096, IPC_CREAT|IPC_EXCL|0600) = -1 EEXIST"* ]] ||
	    fail "no failing shmget line: $stderr"
}

@test "--trace on POSIX create shows shm_open; stdout is only the name" {
	name=$(unique_name)
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 4K --trace
	assert_output "$name"
	[[ $stderr == *"shm_open(\"$name\", O_RDWR|O_CREAT|O_EXCL"* ]] ||
	    fail "no shm_open line: $stderr"
	[[ $stderr == *"ftruncate("*", 4096) = 0"* ]] || fail "no ftruncate: $stderr"
}

@test "--trace on read does not add to stdout" {
	new_sysv --size 16
	ipctool shm write "$id" abc
	run_ipctool 0 --trace shm read "$id" --length 3
	assert_output abc
	[[ $stderr == *"shmat($id, NULL, SHM_RDONLY)"* ]] || fail "$stderr"
	[[ $stderr == *"shmdt("* ]] || fail "$stderr"
}

# ---- output options of ls and info ----

@test "ls and info -o ref,size: just those two columns, in that order" {
	new_sysv --size 4K
	new_posix --size 100
	run_ipctool 0 shm ls -o ref,size
	assert_line --index 0 --regexp '^REF +SIZE$'
	assert_line --regexp "^$id +4\.0K\$"
	assert_line --regexp "^$name +100\$"
	# SIZE is right-aligned and last: every line has the header's length.
	local l
	for l in "${lines[@]}"; do
		[ "${#l}" -eq "${#lines[0]}" ] || fail "not aligned: '$l'"
	done
	run_ipctool 0 shm info -o ref,size "$id"
	assert_output "ref:  $id
size: 4096"
	run_ipctool 0 shm info -o size,ref "$name"
	assert_output "size: 100
ref:  $name"
}

@test "ls -o +ref: the default columns, then REF" {
	new_sysv --size 4K
	new_posix --size 100
	run_ipctool 0 shm ls
	local plain=("${lines[@]}")
	run_ipctool 0 shm ls -o +ref
	assert_equal "${#lines[@]}" "${#plain[@]}"
	assert_line --index 0 --regexp \
	    '^FLAVOR +KEY +ID +NAME +OWNER +MODE +SIZE +NATTCH +CPID +LPID +REF *$'
	assert_line --regexp "^sysv +$key +$id .* $id *\$"
	assert_line --regexp "^posix +- +- +$name .* $name *\$"
	# The default columns keep their place and width.
	local i
	for i in "${!plain[@]}"; do
		[[ ${lines[i]} == "${plain[i]} "* ]] ||
		    fail "line $i: '${lines[i]}' does not start with '${plain[i]}'"
	done
}

@test "-H prints exactly what ls prints, minus its first line" {
	new_sysv --size 4K
	new_posix --size 100
	local args
	for args in "" "-o ref,size" "-o +group" "--raw"; do
		# shellcheck disable=SC2086
		full=$("$IPCTOOL" shm ls $args)
		# shellcheck disable=SC2086
		bare=$("$IPCTOOL" shm ls -H $args)
		[ "$(wc -l <<<"$full")" -ge 3 ] || fail "ls $args: $full"
		assert_equal "$bare" "$(tail -n +2 <<<"$full")"
	done
	run_ipctool 0 shm info -H -o ref,size "$id"
	assert_output "$id
4096"
}

@test "--raw: single spaces, exact sizes, a space in a POSIX name as \\x20" {
	name="$(unique_name)-a b"
	cleanup_later shm "$name"
	ipctool shm create "$name" --size 4K >/dev/null
	new_sysv --size 5000
	local escaped=${name// /\\x20}
	run_ipctool 0 shm ls --raw -o ref,size,name
	assert_line --index 0 'REF SIZE NAME'
	assert_line "$escaped 4096 $escaped"
	assert_line "$id 5000 -"
	refute_line --regexp '  '
	run_ipctool 0 shm info --raw -o ref,size "$name"
	assert_output "REF SIZE
$escaped 4096"
}

@test "--export: each line is safe to eval and gives REF and the exact SIZE" {
	# Quotes, a dollar, backticks, a backslash and a space in the name.
	name="$(unique_name)-a b\"'\$(false)\`x\`\\"
	cleanup_later shm "$name"
	ipctool shm create "$name" --size 5000 >/dev/null
	new_sysv --size 4K
	run_ipctool 0 shm ls --export
	local line got=()
	for line in "${lines[@]}"; do
		got+=("$(REF='' SIZE='' FLAVOR=''; eval "$line" &&
		    printf '%s|%s|%s' "$FLAVOR" "$NAME" "$SIZE")") ||
		    fail "eval failed: $line"
	done
	printf '%s\n' "${got[@]}" | grep -qxF "posix|$name|5000" ||
	    fail "no posix|$name|5000 in: ${got[*]}"
	printf '%s\n' "${got[@]}" | grep -qxF "sysv||4096" ||
	    fail "no sysv||4096 in: ${got[*]}"
	run_ipctool 0 shm info --export -o ref,size "$name"
	assert_equal "${#lines[@]}" 1
	(eval "$output" && [ "$REF" = "$name" ] && [ "$SIZE" = 5000 ]) ||
	    fail "info --export: $output"
	run_ipctool 0 shm info --export "$id"
	(eval "$output" && [ "$REF" = "$id" ] && [ "$SIZE" = 4096 ] &&
	    [ "$KEY" = "$key" ]) || fail "info --export: $output"
}

@test "--json -o ref,size: objects with exactly those keys, size a number" {
	new_sysv --size 4K
	new_posix --size 100
	run_ipctool 0 shm ls --json -o ref,size
	python3 -c '
import json, sys
a = json.loads(sys.stdin.read())
assert type(a) is list and len(a) >= 2, a
for d in a:
    assert list(d) == ["ref", "size"], d
    assert type(d["ref"]) is str and type(d["size"]) is int, d
assert {"ref": sys.argv[1], "size": 4096} in a, a
assert {"ref": sys.argv[2], "size": 100} in a, a
' "$id" "$name" <<<"$output" || fail "bad JSON: $output"
	run_ipctool 0 shm info --json -o size,ref "$name"
	python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert list(d) == ["size", "ref"] and d == {"size": 100, "ref": sys.argv[1]}, d
' "$name" <<<"$output" || fail "bad JSON: $output"
}

@test "the ref that ls prints is accepted by info and rm, both flavours" {
	new_sysv --size 4K
	name="$(unique_name)-a b"
	cleanup_later shm "$name"
	ipctool shm create "$name" --size 100 >/dev/null
	run_ipctool 0 shm ls --export -o ref,key,name
	local line sv='' px=''
	for line in "${lines[@]}"; do
		eval "$line"
		[ "$KEY" = "$key" ] && sv=$REF
		[ "$NAME" = "$name" ] && px=$REF
	done
	assert_equal "$sv" "$id"
	assert_equal "$px" "$name"
	run_ipctool 0 shm info -o ref,size "$sv"
	assert_output "ref:  $id
size: 4096"
	run_ipctool 0 shm info -o ref,size "$px"
	assert_output "ref:  $name
size: 100"
	run_ipctool 0 shm rm "$sv" "$px"
	# Gone, as seen from outside.
	[ -z "$(ipcs_row "$id")" ] || fail "still in ipcs -m: $(ipcs_row "$id")"
	[ ! -e "/dev/shm${name}" ]
}

@test "--list-columns names every column, and each works alone in -o" {
	new_sysv --size 4K
	new_posix --size 100
	run_ipctool 0 shm ls --list-columns
	assert_line --index 0 --regexp '^NAME +TYPE +DEFAULT +HELP$'
	local cols=() l c
	for l in "${lines[@]:1}"; do
		cols+=("${l%% *}")
	done
	[ "${#cols[@]}" -ge 10 ] || fail "too few columns: ${cols[*]}"
	run_ipctool 0 shm info --list-columns
	local info_cols=("${lines[@]:1}")
	assert_equal "${#info_cols[@]}" "${#cols[@]}"
	for c in "${cols[@]}"; do
		run_ipctool 0 shm ls -o "$c"
		assert_line --index 0 --regexp "^ *${c^^} *\$"
		assert_equal "${#lines[@]}" "$(("$("$IPCTOOL" shm ls -H | wc -l)" + 1))"
		run_ipctool 0 shm info -o "$c" "$id"
		assert_line --index 0 --regexp "^$c:"
		run_ipctool 0 shm ls --json -o "$c"
		python3 -c '
import json, sys
a = json.loads(sys.stdin.read())
assert a and all(list(d) == [sys.argv[1]] for d in a), a
' "$c" <<<"$output" || fail "--json -o $c: $output"
	done
	# Every field of the full JSON objects is a listed column ...
	run_ipctool 0 shm ls --json
	python3 -c '
import json, sys
cols = set(sys.argv[1:])
for d in json.loads(sys.stdin.read()):
    assert set(d) <= cols, (set(d) - cols, d)
' "${cols[@]}" <<<"$output" || fail "unlisted field: $output"
	# ... and a name that is not listed is a usage error.
	run_ipctool 2 shm ls -o ref,nosuchcolumn
	assert_error_naming nosuchcolumn
}

# ---- write and read ----

@test "write DATA then read it back (System V and POSIX), no newline added" {
	new_sysv --size 4K
	new_posix --size 4K
	for ref in "$id" "$name"; do
		run_ipctool 0 shm write "$ref" 'hello world'
		assert_output ''
		"$IPCTOOL" shm read "$ref" --length 12 >"$BATS_TEST_TMPDIR/out"
		printf 'hello world\0' | cmp - "$BATS_TEST_TMPDIR/out"
	done
}

@test "read with no --length copies the whole segment" {
	new_sysv --size 4K
	new_posix --size 100
	assert_equal "$("$IPCTOOL" shm read "$id" | wc -c)" 4096
	assert_equal "$("$IPCTOOL" shm read "$name" | wc -c)" 100
}

@test "all 256 byte values round-trip from a stdin file (System V)" {
	all_bytes "$BATS_TEST_TMPDIR/in"
	new_sysv --size 256
	run_ipctool 0 shm write "$id" <"$BATS_TEST_TMPDIR/in"
	"$IPCTOOL" shm read "$id" >"$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
}

@test "all 256 byte values round-trip from a pipe (POSIX)" {
	all_bytes "$BATS_TEST_TMPDIR/in"
	new_posix --size 256
	run_ipctool 0 shm write "$name" < <(cat "$BATS_TEST_TMPDIR/in")
	"$IPCTOOL" shm read "$name" >"$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
}

@test "a large binary stream with NULs round-trips through a pipe (System V)" {
	head -c 300000 /dev/urandom >"$BATS_TEST_TMPDIR/in"
	new_sysv --size 300000
	cat "$BATS_TEST_TMPDIR/in" | timeout 10 "$IPCTOOL" shm write "$id"
	timeout 10 "$IPCTOOL" shm read "$id" | cmp - "$BATS_TEST_TMPDIR/in"
}

@test "a multi-MiB pipe: exact fit round-trips, one byte more changes nothing" {
	n=$((2 * 1024 * 1024 + 5))
	head -c "$n" /dev/urandom >"$BATS_TEST_TMPDIR/in"
	new_posix --size "$n"
	cat "$BATS_TEST_TMPDIR/in" | timeout 20 "$IPCTOOL" shm write "$name"
	timeout 20 "$IPCTOOL" shm read "$name" | cmp - "$BATS_TEST_TMPDIR/in"
	run_ipctool 1 shm write "$name" < <(head -c $((n + 1)) /dev/zero)
	assert_error_naming "$name"
	timeout 20 "$IPCTOOL" shm read "$name" | cmp - "$BATS_TEST_TMPDIR/in"
}

# ---- read into a pipe: pages handed over, the last pipe-full copied ----

# slow_reader OUT: copy stdin to OUT in 64 KiB reads with a pause between,
# so that read finds the pipe full again and again.
slow_reader() {
	python3 -c '
import os, sys, time
out = open(sys.argv[1], "wb")
while True:
    b = os.read(0, 65536)
    if not b:
        break
    out.write(b)
    time.sleep(0.002)' "$1"
}

@test "read into a pipe with a slow reader is byte-exact, whole and with --offset/--length (System V and POSIX)" {
	local n=$((6 * 1024 * 1024 + 123)) in=$BATS_TEST_TMPDIR/in out=$BATS_TEST_TMPDIR/out ref
	head -c "$n" /dev/urandom >"$in"
	new_sysv --size "$n"
	new_posix --size "$n"
	for ref in "$id" "$name"; do
		ipctool shm write "$ref" <"$in"
		timeout 30 "$IPCTOOL" shm read "$ref" | slow_reader "$out"
		cmp "$in" "$out"
		# An odd offset, a length that ends short of the end.
		timeout 30 "$IPCTOOL" shm read "$ref" --offset 4097 \
		    --length $((5 * 1024 * 1024 + 7)) | slow_reader "$out"
		tail -c +4098 "$in" | head -c $((5 * 1024 * 1024 + 7)) | cmp - "$out"
		# A range smaller than any pipe's buffer, at the end.
		"$IPCTOOL" shm read "$ref" --offset $((n - 10)) | cmp - <(tail -c 10 "$in")
	done
}

@test "read into a pipe: pages go by vmsplice (System V) or sendfile (POSIX), only the last pipe-full by write" {
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace not permitted)"
	local n=$((4 * 1024 * 1024)) t=$BATS_TEST_TMPDIR/trace
	new_sysv --size "$n"
	new_posix --size "$n"
	ASAN_OPTIONS=detect_leaks=0 strace -o "$t" -e trace=vmsplice,sendfile,write \
	    "$IPCTOOL" shm read "$id" | cmp - <(head -c "$n" /dev/zero)
	grep -q '^vmsplice(1, ' "$t" || fail "no vmsplice: $(cat "$t")"
	! grep -q '^sendfile(' "$t" || fail "a sendfile: $(cat "$t")"
	[ "$(grep -c '^write(1, ' "$t")" -le 2 ] || fail "many writes: $(cat "$t")"
	ASAN_OPTIONS=detect_leaks=0 strace -o "$t" -e trace=vmsplice,sendfile,write \
	    "$IPCTOOL" shm read "$name" | cmp - <(head -c "$n" /dev/zero)
	grep -q '^sendfile(1, ' "$t" || fail "no sendfile: $(cat "$t")"
	! grep -q '^vmsplice(' "$t" || fail "a vmsplice: $(cat "$t")"
}

@test "read into a pipe: bytes still queued when read exits are the segment's as read, not as changed after (System V and POSIX)" {
	local n=$((4 * 1024 * 1024)) d=$BATS_TEST_TMPDIR ref
	head -c "$n" /dev/urandom >"$d/in"
	new_sysv --size "$n"
	new_posix --size "$n"
	for ref in "$id" "$name"; do
		ipctool shm write "$ref" <"$d/in"
		rm -f "$d/done" "$d/go" "$d/out1" "$d/out2"
		mkfifo "$d/go"
		# The reader takes all but the last 4 KiB (less than any pipe
		# holds, so read can finish), then waits for the go.
		{ timeout 30 "$IPCTOOL" shm read "$ref"; echo $? >"$d/done"; } |
		    { dd bs=4096 count=$((n / 4096 - 1)) iflag=fullblock \
		    status=none >"$d/out1"; read -r _ <"$d/go"; cat >"$d/out2"; } &
		wait_for 20 test -s "$d/done" || fail "read did not finish"
		assert_equal "$(cat "$d/done")" 0
		# The segment changes, then the reader takes the rest.
		ipctool shm write "$ref" < <(head -c "$n" /dev/zero)
		echo go >"$d/go"
		wait
		cat "$d/out1" "$d/out2" | cmp - "$d/in"
	done
}

@test "read into a pipe: a 0-length POSIX object and an offset at the end give nothing, exit 0" {
	name=$(unique_name)
	cleanup_later shm "$name"
	: >"/dev/shm${name}"
	assert_equal "$("$IPCTOOL" shm read "$name" | wc -c)" 0
	new_sysv --size 8M
	assert_equal "$("$IPCTOOL" shm read "$id" --offset 8M | wc -c)" 0
	assert_equal "$("$IPCTOOL" shm read "$id" --offset 8M --length 0 | wc -c)" 0
}

@test "read into a pipe whose reader quits: killed by SIGPIPE as cat is (POSIX)" {
	new_posix --size 4M
	run bash -c "set -o pipefail; '$IPCTOOL' shm read '$name' | head -c 10 | wc -c"
	assert_output "10"
	[ "$status" -eq 141 ]
}

@test "stdin already partly read: only the rest of the file is written" {
	printf 'skipmeDATA' >"$BATS_TEST_TMPDIR/in"
	new_sysv --size 16
	new_posix --size 16
	for ref in "$id" "$name"; do
		{
			dd bs=6 count=1 status=none of=/dev/null
			"$IPCTOOL" shm write "$ref" --offset 2
		} <"$BATS_TEST_TMPDIR/in"
		"$IPCTOOL" shm read "$ref" --length 8 >"$BATS_TEST_TMPDIR/out"
		printf '\0\0DATA\0\0' | cmp - "$BATS_TEST_TMPDIR/out"
	done
}

@test "a stdin file exactly filling the segment is accepted; NUL bytes kept" {
	new_posix --size 8
	printf 'a\0b\0c\0d\0' >"$BATS_TEST_TMPDIR/in"
	run_ipctool 0 shm write "$name" <"$BATS_TEST_TMPDIR/in"
	"$IPCTOOL" shm read "$name" | cmp - "$BATS_TEST_TMPDIR/in"
}

@test "write --offset and read --offset/--length address the right bytes" {
	new_sysv --size 64
	ipctool shm write "$id" 0123456789
	run_ipctool 0 shm write "$id" --offset 3 XYZ
	run_ipctool 0 shm read "$id" --length 10
	assert_output 012XYZ6789
	run_ipctool 0 shm read "$id" --offset 2 --length 5
	assert_output 2XYZ6
	# Offset at the very end reads nothing, successfully.
	run_ipctool 0 shm read "$id" --offset 64
	assert_output ''
}

@test "read into a regular file: fresh, after existing content, and appended" {
	all_bytes "$BATS_TEST_TMPDIR/in"
	new_sysv --size 256
	new_posix --size 256
	for ref in "$id" "$name"; do
		ipctool shm write "$ref" <"$BATS_TEST_TMPDIR/in"
		out=$BATS_TEST_TMPDIR/out
		"$IPCTOOL" shm read "$ref" --offset 10 --length 100 >"$out"
		dd if="$BATS_TEST_TMPDIR/in" bs=1 skip=10 count=100 status=none |
		    cmp - "$out"
		{ printf head; "$IPCTOOL" shm read "$ref" --length 3; } >"$out"
		printf 'head\0\1\2' | cmp - "$out"
		printf 'old' >"$out"
		"$IPCTOOL" shm read "$ref" --offset 250 >>"$out"
		printf 'old\372\373\374\375\376\377' | cmp - "$out"
	done
}

@test "read --string stops at the first NUL" {
	new_posix --size 64
	printf 'C string\0trailing junk' | ipctool shm write "$name"
	run_ipctool 0 shm read "$name" --string
	assert_output 'C string'
	run_ipctool 0 shm read "$name" --string --offset 9
	assert_output 'trailing junk'
}

@test "read --hex matches hexdump -C" {
	all_bytes "$BATS_TEST_TMPDIR/in"
	new_sysv --size 256
	ipctool shm write "$id" <"$BATS_TEST_TMPDIR/in"
	"$IPCTOOL" shm read "$id" --hex >"$BATS_TEST_TMPDIR/ours"
	LC_ALL=C hexdump -vC "$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/theirs"
	diff -u "$BATS_TEST_TMPDIR/theirs" "$BATS_TEST_TMPDIR/ours"
}

@test "read --hex with --offset and a short last line matches hexdump -C -s -n" {
	all_bytes "$BATS_TEST_TMPDIR/in"
	new_posix --size 256
	ipctool shm write "$name" <"$BATS_TEST_TMPDIR/in"
	"$IPCTOOL" shm read "$name" --hex --offset 40 --length 21 >"$BATS_TEST_TMPDIR/ours"
	LC_ALL=C hexdump -vC -s 40 -n 21 "$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/theirs"
	diff -u "$BATS_TEST_TMPDIR/theirs" "$BATS_TEST_TMPDIR/ours"
}

@test "write DATA past the end: exit 1, nothing written (System V)" {
	new_sysv --size 8
	ipctool shm write "$id" abcdefgh
	run_ipctool 1 shm write "$id" 123456789
	assert_error_naming "$id"
	run_ipctool 1 shm write "$id" --offset 5 1234
	assert_error_naming "$id"
	run_ipctool 0 shm read "$id"
	assert_output abcdefgh
}

@test "write DATA past the end: exit 1, nothing written (POSIX)" {
	new_posix --size 8
	ipctool shm write "$name" abcdefgh
	run_ipctool 1 shm write "$name" --offset 7 XY
	assert_error_naming "$name"
	run_ipctool 0 shm read "$name"
	assert_output abcdefgh
	# Up to the last byte is fine.
	run_ipctool 0 shm write "$name" --offset 6 XY
	run_ipctool 0 shm read "$name"
	assert_output abcdefXY
}

@test "over-long piped stdin: exit 1 and the segment is unchanged" {
	new_sysv --size 4096
	head -c 4096 /dev/urandom >"$BATS_TEST_TMPDIR/before"
	ipctool shm write "$id" <"$BATS_TEST_TMPDIR/before"
	# 200000 bytes: the pipe is read in several chunks before the overflow.
	run_ipctool 1 shm write "$id" < <(head -c 200000 /dev/zero)
	assert_error_naming "$id"
	"$IPCTOOL" shm read "$id" | cmp - "$BATS_TEST_TMPDIR/before"
	# One byte too many, at an offset.
	run_ipctool 1 shm write "$id" --offset 4000 < <(head -c 97 /dev/zero)
	assert_error_naming "$id"
	"$IPCTOOL" shm read "$id" | cmp - "$BATS_TEST_TMPDIR/before"
}

@test "over-long stdin file: exit 1 and the POSIX segment is unchanged" {
	new_posix --size 100
	ipctool shm write "$name" original
	head -c 101 /dev/zero >"$BATS_TEST_TMPDIR/big"
	run_ipctool 1 shm write "$name" <"$BATS_TEST_TMPDIR/big"
	assert_error_naming "$name"
	run_ipctool 0 shm read "$name" --string
	assert_output original
}

@test "piped data at an offset equal to the size: exit 1 with one error line" {
	new_posix --size 16
	run_ipctool 1 shm write "$name" --offset 16 < <(printf abc)
	assert_error_naming "$name"
	# Empty stdin there is fine: nothing to write.
	run_ipctool 0 shm write "$name" --offset 16 </dev/null
}

@test "write with --offset past the end: exit 1" {
	new_sysv --size 16
	run_ipctool 1 shm write "$id" --offset 17 x
	assert_error_naming "$id"
}

@test "read with --offset past the end: exit 1, nothing on stdout" {
	new_sysv --size 16
	run_ipctool 1 shm read "$id" --offset 17
	assert_error_naming "$id"
	new_posix --size 16
	run_ipctool 1 shm read "$name" --offset 4K
	assert_error_naming "$name"
}

@test "read with --length past the end: exit 1" {
	new_posix --size 16
	run_ipctool 1 shm read "$name" --offset 10 --length 7
	assert_error_naming "$name"
}

@test "a zero-length POSIX object (shm_open, no ftruncate) reads as empty" {
	name=$(unique_name)
	cleanup_later shm "$name"
	: >"/dev/shm${name}"
	run_ipctool 0 shm read "$name"
	assert_output ''
	run_ipctool 0 shm read "$name" --string
	assert_output ''
	run_ipctool 0 shm read "$name" --hex
	assert_output ''
}

@test "a zero-length POSIX object: empty DATA writes fine, one byte is too long" {
	name=$(unique_name)
	cleanup_later shm "$name"
	: >"/dev/shm${name}"
	run_ipctool 0 shm write "$name" ''
	assert_output ''
	run_ipctool 1 shm write "$name" x
	assert_error_naming "$name"
}

# ---- other programs ----

@test "Perl shmwrite, ipctool reads byte-exact" {
	new_sysv --size 256
	perl -e '
		my $id = shmget(hex($ARGV[0]), 0, 0) // die "shmget: $!";
		shmwrite($id, join("", map { chr } 0 .. 255), 0, 256) or die "shmwrite: $!";
	' "$key"
	all_bytes "$BATS_TEST_TMPDIR/want"
	"$IPCTOOL" shm read "key:$key" | cmp - "$BATS_TEST_TMPDIR/want"
}

@test "ipctool writes, Perl shmread reads byte-exact" {
	new_sysv --size 4K
	all_bytes "$BATS_TEST_TMPDIR/in"
	ipctool shm write "$id" --offset 100 <"$BATS_TEST_TMPDIR/in"
	perl -e '
		my $id = shmget(hex($ARGV[0]), 0, 0) // die "shmget: $!";
		shmread($id, my $buf, 100, 256) or die "shmread: $!";
		binmode STDOUT;
		print $buf;
	' "$key" | cmp - "$BATS_TEST_TMPDIR/in"
}

@test "a segment Perl creates shows Perl's key, size and mode in ipctool" {
	key=$(unique_key)
	cleanup_later shm "key:$key"
	id=$(perl -MIPC::SysV=IPC_CREAT,IPC_EXCL -e '
		my $id = shmget(hex($ARGV[0]), 5000, IPC_CREAT | IPC_EXCL | 0640)
		    // die "shmget: $!";
		shmwrite($id, "perl\0", 0, 5) or die;
		print $id;
	' "$key")
	run_ipctool 0 --json shm info "key:$key"
	python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["id"] == int(sys.argv[1]) and d["key"] == sys.argv[2], d
assert d["size"] == 5000 and d["mode"] == "0640", d
' "$id" "$key" <<<"$output" || fail "$output"
	run_ipctool 0 shm read "$id" --string
	assert_output perl
}

@test "Python writes a POSIX segment, ipctool reads byte-exact" {
	new_posix --size 256
	all_bytes "$BATS_TEST_TMPDIR/in"
	python3 -c "$PY_WRITE" "$name" <"$BATS_TEST_TMPDIR/in"
	"$IPCTOOL" shm read "$name" | cmp - "$BATS_TEST_TMPDIR/in"
}

@test "ipctool writes a POSIX segment, Python reads byte-exact" {
	new_posix --size 4K
	all_bytes "$BATS_TEST_TMPDIR/in"
	ipctool shm write "$name" <"$BATS_TEST_TMPDIR/in"
	python3 -c "$PY_READ" "$name" 256 | cmp - "$BATS_TEST_TMPDIR/in"
	# Python only opened it: it is still there.
	[ -f "/dev/shm${name}" ]
}

@test "a POSIX segment Python creates is seen by ipctool info, ls and read" {
	name=$(unique_name)
	cleanup_later shm "$name"
	python3 -c "$PY_CREATE" "$name" 777
	run_ipctool 0 shm info "$name"
	assert_line --regexp '^size: +777$'
	run_ipctool 0 shm ls
	assert_line --regexp "^posix +- +- +$name "
	"$IPCTOOL" shm read "$name" --length 5 >"$BATS_TEST_TMPDIR/out"
	printf 'py\0ok' | cmp - "$BATS_TEST_TMPDIR/out"
}

# ---- attach ----

@test "attach --timeout 0.3 shows the address and nattch 1, exits 0" {
	new_sysv --size 4K
	start=$(date +%s%N)
	run_ipctool 0 shm attach "$id" --timeout 0.3
	ms=$((($(date +%s%N) - start) / 1000000))
	assert_line --regexp '^address: +0x[0-9a-f]+$'
	assert_line --regexp '^nattch: +1$'
	assert_line --regexp '^rdonly: +no$'
	[ "$ms" -ge 290 ] && [ "$ms" -lt 5000 ] || fail "attached for ${ms}ms"
	assert_equal "$(ipcs_field "$id" nattch)" 0
}

@test "attach --json: address is a string, nattch a number" {
	new_sysv --size 4K
	run_ipctool 0 --json shm attach "$id" --timeout 250ms
	python3 -c '
import json, re, sys
d = json.loads(sys.stdin.read())
assert d["type"] == "shm" and d["flavor"] == "sysv", d
assert re.fullmatch(r"0x[0-9a-f]+", d["address"]), d
assert d["nattch"] == 1 and d["size"] == 4096, d
' <<<"$output" || fail "$output"
}

@test "while attach runs, ipcs shows nattch 1; afterwards 0, and times are set" {
	new_sysv --size 4K
	timeout 20 "$IPCTOOL" shm attach "$id" --timeout 2 \
	    >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	wait_for 10 nattch_is "$id" 1 || fail "nattch never became 1"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	assert_equal "$(ipcs_field "$id" nattch)" 0
	run_ipctool 0 --json shm info "$id"
	python3 -c '
import json, re, sys
d = json.loads(sys.stdin.read())
iso = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
assert d["nattch"] == 0 and d["lpid"] > 0, d
assert re.fullmatch(iso, d["atime"]) and re.fullmatch(iso, d["dtime"]), d
' <<<"$output" || fail "$output"
}

@test "attach -- CMD exits with CMD's status, attached while CMD runs" {
	new_sysv --size 4K
	run_ipctool 7 shm attach "$id" -- sh -c \
	    'ipcs -m -i "$1" | grep -q "nattch=1" && exit 7; exit 1' sh "$id"
	assert_line --regexp '^nattch: +1$'
	run_ipctool 0 shm attach "$id" -- true
	assert_equal "$(ipcs_field "$id" nattch)" 0
}

@test "attach -- CMD: a CMD killed by a signal gives 128+signal; a missing CMD 127" {
	new_sysv --size 4K
	run_ipctool 137 shm attach "$id" -- sh -c 'kill -KILL $$'
	run -127 --separate-stderr "$IPCTOOL" shm attach "$id" -- \
	    "$BATS_TEST_TMPDIR/no-such-command"
	[[ $stderr == *no-such-command* ]] || fail "$stderr"
	assert_equal "$(ipcs_field "$id" nattch)" 0
}

@test "attach --timeout with a CMD still running: CMD is stopped, exit 0" {
	new_sysv --size 4K
	start=$(date +%s%N)
	run_ipctool 0 shm attach "$id" --timeout 0.3 -- sleep 30
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -lt 10000 ] || fail "took ${ms}ms"
	assert_equal "$(ipcs_field "$id" nattch)" 0
}

@test "attach --rdonly attaches read-only (System V and POSIX)" {
	new_sysv --size 4K
	run_ipctool 0 --trace shm attach "$id" --rdonly --timeout 0.1
	assert_line --regexp '^rdonly: +yes$'
	[[ $stderr == *"shmat($id, NULL, SHM_RDONLY)"* ]] || fail "$stderr"
	new_posix --size 4K
	run_ipctool 0 --trace shm attach "$name" --rdonly --timeout 0.1
	assert_line --regexp '^rdonly: +yes$'
	[[ $stderr == *"O_RDONLY"* && $stderr == *", PROT_READ, MAP_SHARED"* ]] ||
	    fail "$stderr"
}

@test "attach --rdonly works where only read permission is granted" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch user"
	new_sysv --size 4K --mode 0644
	run --separate-stderr timeout 10 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$IPCTOOL" shm attach "$id" --rdonly --timeout 0.1
	assert_equal "$status" 0
	run --separate-stderr timeout 10 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$IPCTOOL" shm attach "$id" --timeout 0.1
	assert_equal "$status" 1
	[[ $stderr == *"permission denied"* ]] || fail "$stderr"
}

@test "attach a POSIX segment shows its address and exits 0 after the timeout" {
	new_posix --size 4K
	run_ipctool 0 shm attach "$name" --timeout 0.2
	assert_line --regexp "^name: +$name\$"
	assert_line --regexp '^address: +0x[0-9a-f]+$'
	assert_line --regexp '^size: +4096$'
}

@test "attach interrupted by SIGINT exits 130 and detaches (POSIX too)" {
	new_posix --size 4K
	timeout 20 "$IPCTOOL" shm attach "$name" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	wait_for 10 grep -q '^address:' "$BATS_TEST_TMPDIR/out" || fail "no address"
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 130
}

@test "attach killed by SIGTERM exits 143 and detaches" {
	new_sysv --size 4K
	timeout 20 "$IPCTOOL" shm attach "$id" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	wait_for 10 nattch_is "$id" 1 || fail "nattch never became 1"
	wait_for 5 grep -q '^address:' "$BATS_TEST_TMPDIR/out" || fail "no address"
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 143
	assert_equal "$(ipcs_field "$id" nattch)" 0
}

@test "ls as an unprivileged user still lists a root 0600 segment, as ipcs does" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch user"
	new_sysv --size 4K
	new_posix --size 4K
	run --separate-stderr timeout 10 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups ipcs -m
	[[ $output == *"$key"* ]] || skip "ipcs itself hides it here"
	run --separate-stderr timeout 10 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$IPCTOOL" shm ls
	assert_equal "$status" 0
	assert_line --regexp "^sysv +$key +$id +- +root +0600 "
	assert_line --regexp "^posix +- +- +$name +root +0600 "
}

# ---- set ----

@test "set --mode changes the mode seen by ipcs (System V)" {
	new_sysv --size 4K
	run_ipctool 0 shm set "$id" --mode 0640
	assert_output ''
	assert_equal "$(ipcs_field "$id" mode)" 0640
	assert_equal "$(ipcs_row "$id" | cut -d' ' -f4)" 640
}

@test "set --mode changes the mode of the /dev/shm file (POSIX)" {
	new_posix --size 4K
	run_ipctool 0 shm set "$name" --mode 0604
	assert_equal "$(stat -c %a "/dev/shm${name}")" 604
}

@test "set --owner nobody (System V): ipcs shows the new owner" {
	new_sysv --size 4K
	run_ipctool 0 shm set "key:$key" --owner nobody
	assert_equal "$(ipcs_row "$id" | cut -d' ' -f3)" nobody
	assert_equal "$(ipcs_field "$id" uid)" "$(id -u nobody)"
	run_ipctool 0 shm info "$id"
	assert_line --regexp '^owner: +nobody$'
}

@test "set --owner nobody --group nogroup (POSIX): stat shows them" {
	[ "$(id -u)" -eq 0 ] || skip "chown needs root"
	new_posix --size 4K
	run_ipctool 0 shm set "$name" --owner nobody --group nogroup
	assert_equal "$(stat -c '%U %G' "/dev/shm${name}")" "nobody nogroup"
}

@test "set with nothing to set is a usage error" {
	new_sysv --size 4K
	run_ipctool 2 shm set "$id"
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 1
}

# ---- rm ----

@test "rm then gone: info says no such shared memory segment" {
	new_sysv --size 4K
	new_posix --size 4K
	run_ipctool 0 shm rm "$id" "$name"
	assert_output ''
	assert_equal "$(ipcs_row "$id")" ''
	[ ! -e "/dev/shm${name}" ]
	run_ipctool 1 shm info "$id"
	assert_error_naming "no such shared memory segment"
	run_ipctool 1 shm info "$name"
	assert_error_naming "no such shared memory segment"
}

@test "rm by key:, by decimal key and by octal key" {
	new_sysv --size 4K
	run_ipctool 0 shm rm "key:$key"
	assert_equal "$(ipcs_row "$id")" ''
	new_sysv --size 4K
	run_ipctool 0 shm rm "key:$((key))"
	assert_equal "$(ipcs_row "$id")" ''
	new_sysv --size 4K
	run_ipctool 0 shm rm "$(printf 'key:0%o' "$key")"
	assert_equal "$(ipcs_row "$id")" ''
}

@test "rm of an attached System V segment marks it dest; it goes at detach" {
	new_sysv --size 4K
	timeout 20 "$IPCTOOL" shm attach "$id" --timeout 10 \
	    >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	wait_for 10 nattch_is "$id" 1 || fail "nattch never became 1"
	run_ipctool 0 shm rm "$id"
	run_ipctool 0 --json shm info "$id"
	[[ $output == *'"dest":true'* ]] || fail "$output"
	kill -TERM "$pid"
	wait "$pid" || true
	run_ipctool 1 shm info "$id"
	assert_error_naming "no such shared memory segment"
}

@test "rm several, one missing: the others are removed, exit 1" {
	new_sysv --size 4K
	id1=$id
	new_sysv --size 4K
	id2=$id
	new_posix --size 4K
	missing=$(unique_name)
	run_ipctool 1 shm rm "$id1" "$missing" "$name" "$id2"
	assert_error_naming "$missing"
	[[ $stderr == *"no such shared memory segment"* ]] || fail "$stderr"
	assert_equal "$(ipcs_row "$id1")" ''
	assert_equal "$(ipcs_row "$id2")" ''
	[ ! -e "/dev/shm${name}" ]
}

@test "rm refuses a directory in /dev/shm" {
	name=$(unique_name)
	mkdir "/dev/shm${name}"
	remove_later "/dev/shm${name}"
	run_ipctool 1 shm rm "$name"
	assert_error_naming "$name"
	[ -d "/dev/shm${name}" ]
}

@test "rm refuses a symlink in /dev/shm and leaves it and its target" {
	new_posix --size 4K
	link=$(unique_name)
	ln -s "/dev/shm${name}" "/dev/shm${link}"
	remove_later "/dev/shm${link}"
	run_ipctool 1 shm rm "$link"
	assert_error_naming "$link"
	[ -L "/dev/shm${link}" ]
	[ -f "/dev/shm${name}" ]
}

@test "rm refuses names starting with /sem. (POSIX semaphores)" {
	name="/sem.ipct-$$-$RANDOM"
	: >"/dev/shm${name}"
	remove_later "/dev/shm${name}"
	run_ipctool 1 shm rm "$name"
	assert_error_naming "$name"
	[ -f "/dev/shm${name}" ]
}

@test "info and read refuse a directory in /dev/shm" {
	name=$(unique_name)
	mkdir "/dev/shm${name}"
	remove_later "/dev/shm${name}"
	run_ipctool 1 shm info "$name"
	assert_error_naming "$name"
	run_ipctool 1 shm read "$name"
	assert_error_naming "$name"
}

# ---- help ----

@test "help: shm --help, shm create --help and help shm exit 0 on stdout" {
	run_ipctool 0 shm --help
	assert_output --partial create
	assert_output --partial attach
	assert_equal "$stderr" ''
	run_ipctool 0 help shm
	assert_output --partial create
	assert_output --partial rm
	run_ipctool 0 shm create --help
	assert_output --partial --size
	assert_output --partial --exist-ok
	assert_equal "$stderr" ''
}

# ---- bad input: each a usage error naming the word ----

@test "bad size 4Q: exit 2" {
	run_ipctool 2 shm create --size 4Q
	assert_error_naming 4Q
}

@test "bad size -5: exit 2" {
	run_ipctool 2 shm create --size -5
	assert_error_naming -5
}

@test "bad size 0: exit 2" {
	run_ipctool 2 shm create --size 0
	assert_error_naming "'0'"
}

@test "bad size 99999999999999999999: exit 2" {
	run_ipctool 2 shm create --size 99999999999999999999
	assert_error_naming 99999999999999999999
}

@test "bad id abc: exit 2" {
	run_ipctool 2 shm info abc
	assert_error_naming abc
}

@test "bad id -1: exit 2" {
	run_ipctool 2 shm read -1
	assert_error_naming -1
}

@test "bad key key:0x1g: exit 2" {
	run_ipctool 2 shm info key:0x1g
	assert_error_naming 0x1g
}

@test "missing id 2147483000: exit 1, no such shared memory segment" {
	run_ipctool 1 shm info 2147483000
	assert_error_naming "no such shared memory segment"
	[[ $stderr == *2147483000* ]] || fail "$stderr"
	run_ipctool 1 shm read 2147483000
	assert_error_naming 2147483000
	run_ipctool 1 shm rm 2147483000
	assert_error_naming 2147483000
}

@test "missing POSIX name: exit 1, no such shared memory segment" {
	name=$(unique_name)
	run_ipctool 1 shm read "$name"
	assert_error_naming "no such shared memory segment"
}

@test "bad name /a/b: exit 2" {
	run_ipctool 2 shm create /a/b --size 4K
	assert_error_naming /a/b
}

@test "bad name of 300 bytes: exit 2" {
	long=/$(printf 'x%.0s' {1..299})
	run_ipctool 2 shm info "$long"
	assert_error_naming "$long"
}

@test "a 254-byte name is valid" {
	name=/ipct-$$-$(printf 'y%.0s' {1..240})
	name=${name:0:255}
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 4K
	assert_output "$name"
}

@test "bad mode 999: exit 2" {
	run_ipctool 2 shm create --size 4K --mode 999
	assert_error_naming 999
}

@test "unknown option: exit 2" {
	run_ipctool 2 shm create --size 4K --frobnicate
	assert_error_naming --frobnicate
}

@test "missing --size: exit 2" {
	run_ipctool 2 shm create "$(unique_name)"
	assert_error_naming --size
}

@test "bad --timeout on attach: exit 2, nothing attached" {
	new_sysv --size 4K
	run_ipctool 2 shm attach "$id" --timeout soon
	assert_error_naming soon
	assert_equal "$(ipcs_field "$id" nattch)" 0
}

# ---- permissions ----

@test "read, info and write of a root 0600 System V segment as nobody: permission denied" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch user"
	new_sysv --size 4K
	ipctool shm write "$id" secret
	for verb in "read $id" "info $id" "read key:$key" "write $id x"; do
		run --separate-stderr timeout 10 setpriv --reuid=nobody \
		    --regid=nogroup --clear-groups "$IPCTOOL" shm $verb
		assert_equal "$status" 1
		assert_error_naming "permission denied"
	done
	run_ipctool 0 shm read "$id" --string
	assert_output secret
}

@test "read, info and write of a root 0600 POSIX segment as nobody: permission denied" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch user"
	new_posix --size 4K
	ipctool shm write "$name" secret
	for verb in "read $name" "info $name" "write $name x"; do
		run --separate-stderr timeout 10 setpriv --reuid=nobody \
		    --regid=nogroup --clear-groups "$IPCTOOL" shm $verb
		assert_equal "$status" 1
		assert_error_naming "permission denied"
	done
	run_ipctool 0 shm read "$name" --string
	assert_output secret
}

@test "a FIFO in /dev/shm is refused at once, never waited on" {
	name=$(unique_name)
	mkfifo "/dev/shm${name}"
	remove_later "/dev/shm${name}"
	for verb in info read; do
		run timeout 5 "$IPCTOOL" shm "$verb" "$name"
		[ "$status" -eq 1 ]
		[[ "$output" == *"$name: not a shared memory object"* ]]
	done
	run timeout 5 "$IPCTOOL" shm attach --rdonly "$name" --timeout 0
	[ "$status" -eq 1 ]
}

@test "mode shows permissions only: an attached segment after rm is 0600, dest" {
	new_sysv --size 64
	"$IPCTOOL" shm attach "$id" --timeout 5 >/dev/null &
	local pid=$!
	wait_for 5 nattch_is "$id" 1
	ipctool shm rm "$id"
	run_ipctool 0 --json shm info "$id"
	kill "$pid"
	wait "$pid" || true
	[[ "$output" == *'"mode":"0600"'* ]]
	[[ "$output" == *'"dest":true'* ]]
}

@test "attach -- CMD that cannot be run: exit 127 and one line naming it" {
	new_sysv --size 64
	run_ipctool 127 shm attach "$id" -- /nonexistent/cmd
	assert_equal "$stderr" "ipctool: shm attach /nonexistent/cmd: cannot run: no such file"
}

@test "read to /dev/full or a closed stdout: exit 1, the operand and the byte counts" {
	id=$(ipctool shm create --size 64K)
	cleanup_later shm "$id"
	name=$(unique_name)
	ipctool shm create "$name" --size 64K >/dev/null
	cleanup_later shm "$name"
	for ref in "$id" "$name"; do
		run --separate-stderr bash -c '"$@" >/dev/full' _ "$IPCTOOL" shm read "$ref"
		assert_equal "$status" 1
		assert_equal "$stderr" "ipctool: shm read $ref: write error: no space left on device after 0 of 65536 bytes"
		run --separate-stderr bash -c '"$@" -O 1000 -l 10 >&-' _ "$IPCTOOL" shm read "$ref"
		assert_equal "$status" 1
		[[ "$stderr" == "ipctool: shm read $ref: write error: bad file descriptor after 0 of 10 bytes" ]]
	done
}

@test "write from a file: a read error of stdin names the bytes already written" {
	name=$(unique_name)
	ipctool shm create "$name" --size 64K >/dev/null
	cleanup_later shm "$name"
	# a directory as stdin: fstat says it has a size, read says EISDIR
	run --separate-stderr bash -c '"$@" <"$0"' "$BATS_TEST_TMPDIR" "$IPCTOOL" shm write "$name"
	assert_equal "$status" 1
	[[ "$stderr" == "ipctool: shm write $name: reading stdin: "* ]]
}
