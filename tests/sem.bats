#!/usr/bin/env bats
# ipctool sem: System V semaphore sets and POSIX named semaphores, checked
# against the contract (SPEC.md) and from outside: ipcs -s -i, the
# /dev/shm/sem.NAME file, Perl's IPC::Semaphore, and Python for the JSON.

load helpers

# What the shared helpers (new_sysv, ipcs_field...) work on.
IPC_OBJECT=sem
IPCS_FLAG=-s

# ---- helpers for this file ----

# The values of set ID, one a line, from `ipcs -s -i ID`.
ipcs_values() {
	ipcs -s -i "$1" | awk 'f && NF == 5 { print $2 } /^semnum/ { f = 1 }'
}

# "value ncount zcount pid" of semaphore N of set ID, from `ipcs -s -i ID`.
ipcs_sem() {
	ipcs -s -i "$1" | awk -v n="$2" 'f && NF == 5 && $1 == n { print $2, $3, $4, $5 }
	    /^semnum/ { f = 1 }'
}

# mode=, without the comma ipcs puts after it.
ipcs_mode() {
	local m
	m=$(ipcs_field "$1" mode)
	echo "${m%,}"
}

ipcs_nsems() {
	ipcs -s -i "$1" | sed -n 's/^nsems *= *//p'
}

# ncount of semaphore N of set ID.
ipcs_ncnt() {
	ipcs_sem "$1" "$2" | awk '{ print $2 }'
}

# perl_sem KEY CODE: run CODE with $s an IPC::Semaphore on the set of KEY.
perl_sem() {
	perl -MIPC::SysV=IPC_NOWAIT,S_IRUSR -MIPC::Semaphore -e '
my $s = IPC::Semaphore->new(hex($ARGV[0]), 0, 0) or die "semget: $!";
'"$2" "$1"
}

value_is() {
	[ "$("$IPCTOOL" sem get "$1" "${@:3}")" = "$2" ]
}

ncnt_is() {
	[ "$(ipcs_ncnt "$1" "$2")" = "$3" ]
}

zcnt_is() {
	[ "$(ipcs_sem "$1" "$2" | awk '{ print $3 }')" = "$3" ]
}

as_nobody() {
	run --separate-stderr timeout 10 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$@"
}

# ---- create ----

@test "create with no REF uses IPC_PRIVATE, prints only the id; ipcs agrees" {
	run_ipctool 0 sem create
	assert_output --regexp '^[0-9]+$'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" ''
	id=$output
	cleanup_later sem "$id"
	ipcs -s | awk -v id="$id" '$2 == id' | grep -q '^0x00000000 '
	assert_equal "$(ipcs_nsems "$id")" 1
	assert_equal "$(ipcs_values "$id")" 0
	assert_equal "$(ipcs_mode "$id")" 0600
}

@test "create key:KEY --count 3 prints the id; ipcs shows key, nsems 3, values 0" {
	key=$(unique_key)
	cleanup_later sem "key:$key"
	run_ipctool 0 sem create "key:$key" --count 3
	assert_output --regexp '^[0-9]+$'
	assert_equal "${#lines[@]}" 1
	id=$output
	assert_equal "$(ipcs -s | awk -v id="$id" '$2 == id { print $1, $5 }')" "$key 3"
	assert_equal "$(ipcs_nsems "$id")" 3
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 0 0 "
	run_ipctool 0 sem get "key:$key"
	assert_output "$(printf '0\n0\n0')"
}

@test "create ftok:PATH:PROJ uses ftok(3)'s key" {
	f=$BATS_TEST_TMPDIR/ftokfile
	touch "$f"
	want=$(perl -MIPC::SysV=ftok -e 'printf "0x%08x", ftok($ARGV[0], 7)' "$f")
	cleanup_later sem "ftok:$f:7"
	run_ipctool 0 sem create "ftok:$f:7"
	assert_output --regexp '^[0-9]+$'
	id=$output
	assert_equal "$(ipcs -s | awk -v id="$id" '$2 == id { print $1 }')" "$want"
	run_ipctool 0 sem get "ftok:$f:7"
	assert_output 0
}

@test "create /name prints the name; /dev/shm/sem.NAME is 0600 and the value is 0" {
	name=$(unique_name)
	cleanup_later sem "$name"
	run_ipctool 0 sem create "$name"
	assert_output "$name"
	assert_equal "$stderr" ''
	assert_equal "$(stat -c %a "/dev/shm/sem.${name#/}")" 600
	run_ipctool 0 sem get "$name"
	assert_output 0
}

@test "create --value V sets every semaphore of the set; POSIX gets V" {
	new_sysv --count 4 --value 5
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "5 5 5 5 "
	new_posix --value 7
	run_ipctool 0 sem get "$name"
	assert_output 7
}

@test "create --value 1,0,3 sets each semaphore" {
	new_sysv --count 3 --value 1,0,3
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 0 3 "
	assert_equal "$(perl_sem "$key" 'print join(",", $s->getall)')" 1,0,3
}

@test "default mode is 0600 for both flavours; --mode 0640 is honoured" {
	new_sysv
	assert_equal "$(ipcs_mode "$id")" 0600
	new_posix
	assert_equal "$(stat -c %a "/dev/shm/sem.${name#/}")" 600
	new_sysv --mode 0640
	assert_equal "$(ipcs_mode "$id")" 0640
	new_posix --mode 0640
	assert_equal "$(stat -c %a "/dev/shm/sem.${name#/}")" 640
}

@test "create of an existing set or name exits 1 'exists'" {
	new_sysv
	run_ipctool 1 sem create "key:$key"
	assert_error_naming exists
	new_posix
	run_ipctool 1 sem create "$name"
	assert_error_naming exists
}

@test "--exist-ok on an initialised set returns its id and keeps its values" {
	new_sysv --count 2 --value 4
	ipctool sem set "$id" --index 1 9
	run_ipctool 0 sem create "key:$key" --exist-ok --count 2
	assert_output "$id"
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "4 9 "
	new_posix --value 3
	run_ipctool 0 sem create "$name" -e --value 8
	assert_output "$name"
	run_ipctool 0 sem get "$name"
	assert_output 3
}

# ---- ls, info ----

@test "info shows value, ncnt, zcnt, pid of each semaphore as ipcs does" {
	new_sysv --count 3 --value 1,0,3
	run_ipctool 0 sem info "$id"
	assert_line --regexp "^id: +$id$"
	assert_line --regexp "^key: +$key$"
	assert_line --regexp '^mode: +0600$'
	assert_line --regexp '^nsems: +3$'
	for n in 0 1 2; do
		read -r v nc zc pid <<<"$(ipcs_sem "$id" $n)"
		assert_line --regexp "^ +$n +$v +$nc +$zc +$pid$"
	done
}

@test "info --json: typed semaphores array matching ipcs" {
	new_sysv --count 3 --value 1,0,3
	ipctool sem post "$id" --index 2 --count 2
	run_ipctool 0 --json sem info "$id"
	expect=$(for n in 0 1 2; do echo "$n $(ipcs_sem "$id" $n)"; done)
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["type"] == "sem" and d["flavor"] == "sysv", d
assert d["id"] == int(sys.argv[2]) and d["key"] == sys.argv[3], d
assert d["mode"] == "0600" and d["nsems"] == 3, d
assert type(d["nsems"]) is int
got = []
for s in d["semaphores"]:
    for f in ("index", "value", "ncnt", "zcnt", "pid"):
        assert type(s[f]) is int, s
    got.append("%d %d %d %d %d" % (s["index"], s["value"], s["ncnt"], s["zcnt"], s["pid"]))
assert "\n".join(got) == sys.argv[4], (got, sys.argv[4])
assert [s["value"] for s in d["semaphores"]] == [1, 0, 5]
' "$output" "$id" "$key" "$expect"
}

@test "info of a POSIX semaphore shows its value, text and JSON" {
	new_posix --value 6
	run_ipctool 0 sem info "$name"
	assert_line --regexp '^value: +6$'
	assert_line --regexp '^flavor: +posix$'
	run_ipctool 0 --json sem info "$name"
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["type"] == "sem" and d["flavor"] == "posix", d
assert d["name"] == sys.argv[2] and d["mode"] == "0600", d
assert d["value"] == 6 and type(d["value"]) is int, d
' "$output" "$name"
}

@test "ls lists System V sets and POSIX semaphores, text and JSON" {
	new_sysv --count 2
	new_posix --value 2
	run_ipctool 0 sem ls
	assert_line --regexp "^sysv +$key +$id "
	assert_line --partial "$name"
	run_ipctool 0 --json sem ls
	python3 -c '
import json, sys
a = json.loads(sys.argv[1])
assert type(a) is list
v = [d for d in a if d.get("id") == int(sys.argv[2])]
assert len(v) == 1 and v[0]["flavor"] == "sysv" and v[0]["nsems"] == 2, v
assert len(v[0]["semaphores"]) == 2
p = [d for d in a if d.get("name") == sys.argv[3]]
assert len(p) == 1 and p[0]["flavor"] == "posix" and p[0]["value"] == 2, p
' "$output" "$id" "$name"
}

@test "ls -o ref,name: just those columns, one row per set and per name" {
	new_sysv --count 2
	new_posix
	run_ipctool 0 sem ls -o ref,name
	assert_equal "${lines[0]}" "$(printf 'REF%*sNAME' $((${#name} - 2)) '')"
	assert_line --regexp "^$id +-$"
	assert_line "$name $name"
	run_ipctool 0 sem ls -o REF,Name -H
	refute_line --partial REF
	assert_line --regexp "^$id +-$"
}

@test "ls --list-columns: every column has help and works alone in -o" {
	new_sysv --count 2 --value 1,2
	new_posix --value 3
	run_ipctool 0 sem ls --list-columns
	for c in type flavor ref key id name owner group creator mode nsems \
	    value semaphores otime ctime; do
		assert_line --regexp "^$c +[a-z]+ +(yes|no) +[^ ].*"
	done
	cols=$("$IPCTOOL" sem ls --list-columns -H -r | awk '{ print $1 }')
	[ "$(echo "$cols" | wc -l)" -ge 15 ] || fail "columns: $cols"
	for c in $cols; do
		run_ipctool 0 sem ls -o "$c" --raw
		assert_equal "${lines[0]}" "${c^^}"
		assert_equal "${#lines[@]}" 3
		run_ipctool 0 sem ls -o "$c" --json
		python3 -c '
import json, sys
a = json.loads(sys.argv[1])
assert len(a) == 2 and all(list(d) == [sys.argv[2]] for d in a), a
' "$output" "$c"
	done
	run_ipctool 2 sem ls -o ref,bogus
	assert_error_naming bogus
}

@test "ls -H drops exactly the header; --raw has no padding and the exact values" {
	new_sysv --count 3 --value 1,0,3
	new_posix --value 12
	run_ipctool 0 sem ls
	all=("${lines[@]}")
	run_ipctool 0 sem ls -H
	assert_equal "${#lines[@]}" $((${#all[@]} - 1))
	assert_equal "${lines[*]}" "${all[*]:1}"
	run_ipctool 0 sem ls --raw -o flavor,key,id,name,nsems,value
	assert_line "FLAVOR KEY ID NAME NSEMS VALUE"
	assert_line "sysv $key $id - 3 1,0,3"
	assert_line "posix - - $name - 12"
	refute_line --regexp '  '
}

@test "ls --export lines are safe to eval and give exact values" {
	new_sysv --count 2 --value 7,9
	new_posix --value 5
	run_ipctool 0 sem ls --export -o ref,flavor,id,key,name,nsems,value,mode
	assert_equal "${#lines[@]}" 2
	for l in "${lines[@]}"; do
		(
			eval "$l"
			case $FLAVOR in
			sysv)	[ "$REF" = "$id" ] && [ "$ID" = "$id" ] &&
				    [ "$KEY" = "$key" ] && [ "$NSEMS" = 2 ] &&
				    [ "$VALUE" = 7,9 ] && [ "$NAME" = "" ] &&
				    [ "$MODE" = 0600 ] ;;
			posix)	[ "$REF" = "$name" ] && [ "$NAME" = "$name" ] &&
				    [ "$VALUE" = 5 ] && [ "$ID" = "" ] ;;
			*)	false ;;
			esac
		) || fail "wrong export line: $l"
	done
}

@test "ls --json: typed numbers for both flavours, as ipcs and /dev/shm say" {
	new_sysv --count 2 --value 4,5
	new_posix --value 8 --mode 0640
	run_ipctool 0 sem ls --json
	python3 -c '
import json, os, sys
a = json.loads(sys.argv[1])
v = [d for d in a if d.get("id") == int(sys.argv[2])][0]
assert type(v["id"]) is int and type(v["nsems"]) is int and v["nsems"] == 2, v
assert v["key"] == sys.argv[3] and v["mode"] == "0600" and v["ref"] == sys.argv[2], v
assert [s["value"] for s in v["semaphores"]] == [4, 5], v
assert all(type(s[f]) is int for s in v["semaphores"] for f in s), v
p = [d for d in a if d.get("name") == sys.argv[4]][0]
assert p["value"] == 8 and type(p["value"]) is int and p["ref"] == sys.argv[4], p
assert p["mode"] == "0640", p
st = os.stat("/dev/shm/sem." + sys.argv[4][1:])
assert oct(st.st_mode & 0o777) == "0o640"
' "$output" "$id" "$key" "$name"
	assert_equal "$(ipcs_values "$id" | tr '\n' ,)" 4,5,
	run_ipctool 0 sem ls --json -o ref,nsems,value
	python3 -c '
import json, sys
a = json.loads(sys.argv[1])
assert all(list(d) == ["ref", "nsems", "value"] for d in a), a
p = [d for d in a if d["ref"] == sys.argv[2]][0]
assert p["value"] == 8 and p["nsems"] is None, p
' "$output" "$name"
}

@test "the ref column of ls is accepted by info and rm, both flavours" {
	new_sysv --count 2
	new_posix
	run_ipctool 0 sem ls -o ref -H
	refs=("${lines[@]}")
	assert_equal "${#refs[@]}" 2
	for r in "${refs[@]}"; do
		run_ipctool 0 sem info "$r" -o ref -H
		assert_output "$r"
	done
	run_ipctool 0 sem rm "${refs[@]}"
	ipcs -s | awk '{ print $2 }' | grep -qx "$id" && fail "set $id still exists"
	[ ! -e "/dev/shm/sem.${name#/}" ] || fail "$name still exists"
	run_ipctool 0 sem ls -H
	assert_output ''
}

@test "info takes -o, -H, --raw, --export and --json -o" {
	new_sysv --count 2 --value 3,4
	run_ipctool 0 sem info "$id" -o id,nsems,value
	assert_equal "${lines[0]}" "id:    $id"
	assert_equal "${lines[1]}" "nsems: 2"
	run_ipctool 0 sem info "$id" -o nsems -H
	assert_output 2
	run_ipctool 0 sem info "$id" -o key,nsems --raw
	assert_output "$(printf 'KEY NSEMS\n%s 2' "$key")"
	run_ipctool 0 sem info "$id" -P -o id,key,nsems,mode
	eval "$output"
	assert_equal "$ID $KEY $NSEMS $MODE" "$id $key 2 0600"
	run_ipctool 0 sem info "$id" --json -o id,nsems
	assert_output "{\"id\":$id,\"nsems\":2}"
	new_posix --value 9
	run_ipctool 0 sem info "$name" --json -o name,value,nsems
	assert_output "{\"name\":\"$name\",\"value\":9,\"nsems\":null}"
	run_ipctool 0 sem info "$name" -P -o name,value
	assert_output "NAME=\"$name\" VALUE=\"9\""
}

@test "Perl IPC::Semaphore changes are seen by ipctool get and info" {
	new_sysv --count 3
	perl_sem "$key" '$s->setall(2, 7, 11) or die "setall: $!"'
	run_ipctool 0 sem get "$id"
	assert_output "$(printf '2\n7\n11')"
	perl_sem "$key" '$s->op(1, -3, 0) or die "op: $!"'
	run_ipctool 0 sem get "$id" --index 1
	assert_output 4
	run_ipctool 0 --json sem info "$id"
	pid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["semaphores"][1]["pid"])' "$output")
	assert_equal "$pid" "$(ipcs_sem "$id" 1 | awk '{ print $4 }')"
}

@test "ipctool changes are seen by Perl IPC::Semaphore" {
	new_sysv --count 3 --value 1,0,3
	ipctool sem set "$id" --index 1 12
	assert_equal "$(perl_sem "$key" 'print $s->getval(1)')" 12
	ipctool sem post "$id" --index 2 --count 4
	ipctool sem wait "$id" --index 0
	assert_equal "$(perl_sem "$key" 'print join(",", $s->getall)')" 0,12,7
	ipctool sem set "$id" --value 5,6,7
	assert_equal "$(perl_sem "$key" 'print join(",", $s->getall)')" 5,6,7
}

# ---- get, set ----

@test "get prints all values one a line, --index one, --json an object" {
	new_sysv --count 3 --value 1,0,3
	run_ipctool 0 sem get "$id"
	assert_output "$(printf '1\n0\n3')"
	run_ipctool 0 sem get "$id" --index 2
	assert_output 3
	run_ipctool 0 sem get "$id" -i 0
	assert_output 1
	run_ipctool 0 --json sem get "$id" --index 2
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["type"] == "sem" and d["flavor"] == "sysv" and d["id"] == int(sys.argv[2]), d
assert d["semaphores"] == [{"index": 2, "value": 3}], d
' "$output" "$id"
	run_ipctool 0 sem get "$id" --json
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["type"] == "sem" and d["ref"] == sys.argv[2], d
assert [(s["index"], s["value"]) for s in d["semaphores"]] == [(0, 1), (1, 0), (2, 3)], d
assert all(type(s["value"]) is int for s in d["semaphores"]), d
' "$output" "$id"
	new_posix --value 4
	run_ipctool 0 sem get "$name" -j
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["flavor"] == "posix" and d["name"] == sys.argv[2] and d["value"] == 4, d
assert type(d["value"]) is int and "semaphores" not in d, d
' "$output" "$name"
}

@test "get --json and info --json use the same field names, both flavours" {
	new_sysv --count 3 --value 1,0,3
	new_posix --value 6
	for ref in "$id" "$name"; do
		for i in "" 1; do
			[ -n "$i" ] && [ "$ref" = "$name" ] && continue
			run_ipctool 0 --json sem get "$ref" ${i:+--index $i}
			get=$output
			run_ipctool 0 --json sem info "$ref"
			python3 -c '
import json, sys
g, i = json.loads(sys.argv[1]), json.loads(sys.argv[2])
extra = set(g) - set(i)
assert not extra, ("get has fields info lacks", extra)
for k in g:
    if k != "semaphores":
        assert g[k] == i[k], (k, g[k], i[k])
for s in g.get("semaphores", []):
    full = i["semaphores"][s["index"]]
    assert not set(s) - set(full), (s, full)
    assert all(s[k] == full[k] for k in s), (s, full)
assert ("semaphores" in g) == ("semaphores" in i)
assert ("value" in g) == ("value" in i)
' "$get" "$output"
		done
	done
}

@test "set VALUE --index (SETVAL) and set --value a,b,c (SETALL) are seen by ipcs" {
	new_sysv --count 3
	run_ipctool 0 sem set "$id" --index 1 42
	assert_output ''
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 42 0 "
	run_ipctool 0 sem set "$id" 9
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "9 42 0 "
	run_ipctool 0 sem set "$id" --value 3,2,1
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "3 2 1 "
	run_ipctool 0 sem set "$id" --value 32767,0,32767
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "32767 0 32767 "
}

@test "set on a POSIX semaphore exits 1 saying why; value unchanged" {
	new_posix --value 2
	run_ipctool 1 sem set "$name" 5
	assert_error_naming POSIX
	run_ipctool 0 sem get "$name"
	assert_output 2
}

# ---- wait, post ----

@test "short letters: -c count, -v value, -i index, -u undo, -n nowait, -w timeout" {
	key=$(unique_key)
	cleanup_later sem "key:$key"
	run_ipctool 0 sem create "key:$key" -c 3 -v 2 -m 0640 -e
	id=$output
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "2 2 2 "
	assert_equal "$(ipcs_mode "$id")" 0640
	run_ipctool 0 sem set "$id" -v 1,2,3
	assert_equal "$(perl_sem "$key" 'print join(",", $s->getall)')" 1,2,3
	run_ipctool 0 sem post "$id" -i 2 -c 4 -u
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 2 3 "
	run_ipctool 0 sem post "$id" -i 2 -c 4
	run_ipctool 0 sem get "$id" -i 2
	assert_output 7
	run_ipctool 3 sem wait "$id" -i 0 -c 2 -n
	run --separate-stderr timeout 20 "$IPCTOOL" sem wait "$id" -i 1 -c 3 -w 0.1
	assert_equal "$status" 3
	run_ipctool 0 sem wait "$id" -i 1 -c 2 -w 5
	assert_equal "$(perl_sem "$key" 'print join(",", $s->getall)')" 1,0,7
}

@test "System V options on a POSIX semaphore: exit 2, one line, no system call" {
	new_posix --value 1
	for args in "get -i 0" "wait -i 0" "wait -u" "post -u" "post -i 1" \
	    "run -i 0 -- true" "set -i 0 3" "zero -i 0"; do
		read -ra a <<<"$args"
		run_ipctool 2 --trace sem "${a[0]}" "$name" "${a[@]:1}"
		assert_error_naming "System V"
	done
	n2=$(unique_name)
	cleanup_later sem "$n2"
	run_ipctool 2 --trace sem create "$n2" --count 2
	assert_error_naming count
	run_ipctool 2 --trace sem create "$n2" --value 1,2
	assert_error_naming "one value"
	[ ! -e "/dev/shm/sem.${n2#/}" ] || fail "created anyway"
	run_ipctool 0 sem get "$name"
	assert_output 1
	# From outside: strace sees no open of the semaphore's file.
	command -v strace >/dev/null || return 0
	# LeakSanitizer cannot run under ptrace: no leak check for this run.
	ASAN_OPTIONS=detect_leaks=0 run --separate-stderr strace -f \
	    -e trace=ipc,semget,semop,semtimedop,openat \
	    -o "$BATS_TEST_TMPDIR/trace" "$IPCTOOL" sem wait "$name" --undo
	assert_equal "$status" 2
	grep -q 'exited with 2' "$BATS_TEST_TMPDIR/trace" ||
	    fail "strace traced nothing: $(cat "$BATS_TEST_TMPDIR/trace")"
	! grep -E 'sem\.|/dev/shm|semget|semtimedop' "$BATS_TEST_TMPDIR/trace" ||
	    fail "a system call on the semaphore: $(cat "$BATS_TEST_TMPDIR/trace")"
}


@test "System V wait/post with --count and --index" {
	new_sysv --count 2
	run_ipctool 0 sem post "$id" --index 1 --count 5
	assert_output ''
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 5 "
	run_ipctool 0 sem wait "$id" --index 1 --count 3
	assert_output ''
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 2 "
	run_ipctool 0 sem post "$id"
	run_ipctool 0 sem wait "$id" -i 1 -c 2
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 0 "
}

@test "POSIX wait/post with --count" {
	new_posix
	run_ipctool 0 sem post "$name" --count 4
	run_ipctool 0 sem get "$name"
	assert_output 4
	run_ipctool 0 sem wait "$name" --count 3
	run_ipctool 0 sem get "$name"
	assert_output 1
	run_ipctool 0 sem wait "$name"
	run_ipctool 0 sem get "$name"
	assert_output 0
}

@test "post --undo and wait --undo are undone when ipctool exits" {
	new_sysv --value 2
	run_ipctool 0 sem post "$id" --undo --count 3
	assert_equal "$(ipcs_values "$id")" 2
	run_ipctool 0 sem wait "$id" --undo
	assert_equal "$(ipcs_values "$id")" 2
	run_ipctool 0 sem post "$id"
	assert_equal "$(ipcs_values "$id")" 3
}

@test "wait --nowait on 0 exits 3, value unchanged, both flavours" {
	new_sysv --count 2 --value 0,1
	run_ipctool 3 sem wait "$id" --nowait
	assert_output ''
	run_ipctool 3 sem wait "$id" --index 1 --count 2 --nowait
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 1 "
	new_posix --value 1
	run_ipctool 3 sem wait "$name" --count 2 --nowait
	assert_output ''
	run_ipctool 0 sem get "$name"
	assert_output 1
	ipctool sem wait "$name"
	run_ipctool 3 sem wait "$name" -n
}

@test "wait --timeout 0.2 on 0 exits 3, both flavours" {
	new_sysv
	run --separate-stderr timeout 20 "$IPCTOOL" sem wait "$id" --timeout 0.2
	assert_equal "$status" 3
	assert_output ''
	assert_equal "$(ipcs_values "$id")" 0
	new_posix
	run --separate-stderr timeout 20 "$IPCTOOL" sem wait "$name" --timeout 0.2
	assert_equal "$status" 3
	run --separate-stderr timeout 20 "$IPCTOOL" sem wait "$name" --timeout 200ms
	assert_equal "$status" 3
	run_ipctool 0 sem get "$name"
	assert_output 0
}

# ---- zero ----

@test "zero --nowait on a non-zero value exits 3; on 0 succeeds" {
	new_sysv --count 2 --value 0,2
	run_ipctool 3 sem zero "$id" --index 1 --nowait
	assert_output ''
	run --separate-stderr timeout 20 "$IPCTOOL" sem zero "$id" --index 1 --timeout 0.2
	assert_equal "$status" 3
	run_ipctool 0 sem zero "$id" --nowait
	run --separate-stderr timeout 20 "$IPCTOOL" sem zero "$id"
	assert_equal "$status" 0
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 2 "
}

@test "a background zero completes after wait brings the value to 0" {
	new_sysv --value 1
	timeout 20 "$IPCTOOL" sem zero "$id" >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
	assert_equal "$(ipcs_sem "$id" 0 | awk '{ print $3 }')" 1
	ipctool sem wait "$id"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	assert_equal "$(ipcs_sem "$id" 0 | awk '{ print $1, $3 }')" "0 0"
}

# ---- op ----

@test "op with a part that would block under n exits 3 and changes nothing" {
	new_sysv --count 3 --value 1,2,0
	run_ipctool 3 sem op "$id" 0:-1 1:-5n
	assert_output ''
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 2 0 "
	run_ipctool 3 sem op "$id" 2:+1 0:-2 --nowait
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 2 0 "
}

@test "op applies several operations at once" {
	new_sysv --count 3 --value 1,2,0
	run_ipctool 0 sem op "$id" 0:-1 1:+3 2:0
	assert_output ''
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 5 0 "
	run_ipctool 0 sem op "$id" 1:-5u
	# undone at exit
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 5 0 "
}

@test "op 2:0 waits for zero" {
	new_sysv --count 3 --value 0,0,2
	timeout 20 "$IPCTOOL" sem op "$id" 2:0 0:+1 >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 0 2 "
	wait_for 5 zcnt_is "$id" 2 1
	ipctool sem wait "$id" --index 2 --count 2
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 0
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 0 0 "
}

# ---- run ----

@test "run passes the exit status of CMD through" {
	new_sysv --value 1
	run_ipctool 7 sem run "$id" -- sh -c 'exit 7'
	run_ipctool 0 sem run "$id" -- true
	run_ipctool 1 sem run "$id" -- false
	assert_equal "$(ipcs_values "$id")" 1
	new_posix --value 1
	run_ipctool 7 sem run "$name" -- sh -c 'exit 7'
	run_ipctool 0 sem get "$name"
	assert_output 1
}

@test "run holds the semaphore while CMD runs and gives it back" {
	new_sysv --count 2 --value 1,3
	run_ipctool 0 sem run "$id" -- "$IPCTOOL" sem get "$id"
	assert_output "$(printf '0\n3')"
	run_ipctool 0 sem run "$id" --index 1 --count 2 -- "$IPCTOOL" sem get "$id"
	assert_output "$(printf '1\n1')"
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 3 "
	new_posix --value 1
	run_ipctool 0 sem run "$name" -- "$IPCTOOL" sem get "$name"
	assert_output 0
	run_ipctool 0 sem get "$name"
	assert_output 1
}

@test "run as a lock: 4 racing loops x 50 increments lose no update" {
	new_sysv --value 1
	c=$BATS_TEST_TMPDIR/counter
	echo 0 >"$c"
	pids=()
	for j in 1 2 3 4; do
		(
			for i in $(seq 50); do
				timeout 20 "$IPCTOOL" sem run "$id" -- sh -c \
				    'n=$(cat "$1"); echo $((n + 1)) >"$1"' sh "$c" ||
				    echo "loop $j iteration $i failed" >>"$BATS_TEST_TMPDIR/bad"
			done
		) 3>&- &
		pids+=($!)
	done
	wait "${pids[@]}"
	[ ! -e "$BATS_TEST_TMPDIR/bad" ] || fail "$(cat "$BATS_TEST_TMPDIR/bad")"
	assert_equal "$(cat "$c")" 200
	assert_equal "$(ipcs_values "$id")" 1
}

@test "a SIGKILLed System V run holder releases the semaphore" {
	new_sysv --value 1
	"$IPCTOOL" sem run "$id" -- sleep 30 3>&- &
	pid=$!
	wait_for 10 value_is "$id" 0
	child=$(cat "/proc/$pid/task/$pid/children")
	kill -KILL "$pid"
	wait "$pid" || true
	[ -z "$child" ] || kill $child 2>/dev/null || true
	wait_for 5 value_is "$id" 1
	assert_equal "$(ipcs_values "$id")" 1
}

@test "run --nowait and --timeout on a taken lock exit 3 without running CMD" {
	new_sysv --value 0
	f=$BATS_TEST_TMPDIR/ran
	run_ipctool 3 sem run "$id" --nowait -- touch "$f"
	assert_output ''
	[ ! -e "$f" ] || fail "CMD ran"
	run --separate-stderr timeout 20 "$IPCTOOL" sem run "$id" --timeout 0.2 -- touch "$f"
	assert_equal "$status" 3
	[ ! -e "$f" ] || fail "CMD ran"
	assert_equal "$(ipcs_values "$id")" 0
	new_posix
	run_ipctool 3 sem run "$name" -n -- touch "$f"
	run --separate-stderr timeout 20 "$IPCTOOL" sem run "$name" -w 0.2 -- touch "$f"
	assert_equal "$status" 3
	[ ! -e "$f" ] || fail "CMD ran"
}

@test "SIGTERM to sem run is forwarded to CMD; the lock is given back" {
	new_sysv --value 1
	d=$BATS_TEST_TMPDIR
	"$IPCTOOL" sem run "$id" -- sh -c \
	    'trap "echo got-term >\"$1\"; exit 5" TERM; touch "$1.up"; while :; do sleep 0.05; done' \
	    sh "$d/got" >"$d/out" 2>"$d/err" 3>&- &
	pid=$!
	wait_for 10 test -e "$d/got.up" || fail "CMD did not start: $(cat "$d/err")"
	kill -TERM "$pid"
	st=0
	timeout 10 tail --pid="$pid" -f /dev/null || true
	wait "$pid" || st=$?
	assert_equal "$(cat "$d/got" 2>/dev/null)" got-term
	assert_equal "$st" 5
	assert_equal "$(ipcs_values "$id")" 1
}

# ---- signals ----

@test "SIGINT during a blocking wait: exit 130, value unchanged, ncnt back to 0" {
	new_sysv --count 2 --value 0,4
	timeout 20 "$IPCTOOL" sem wait "$id" --count 2 >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
	assert_equal "$(ipcs_ncnt "$id" 0)" 1
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 130
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ''
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 4 "
	assert_equal "$(ipcs_ncnt "$id" 0)" 0
}

@test "SIGINT during a blocking POSIX wait: exit 130, value unchanged" {
	new_posix
	timeout 20 "$IPCTOOL" sem wait "$name" >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 130
	run_ipctool 0 sem get "$name"
	assert_output 0
}

# ---- rm ----

@test "rm of several, one missing: the others are removed, exit 1" {
	new_sysv
	id1=$id
	new_sysv --count 2
	id2=$id
	new_posix
	run_ipctool 1 sem rm "$id1" 2147483000 "$id2" "$name"
	assert_error_naming 2147483000
	ipcs -s | awk '{ print $2 }' | grep -qx "$id1" && fail "set $id1 still exists"
	ipcs -s | awk '{ print $2 }' | grep -qx "$id2" && fail "set $id2 still exists"
	[ ! -e "/dev/shm/sem.${name#/}" ] || fail "$name still exists"
	run_ipctool 0 sem create "$name"
	ipctool sem rm "$name"
}

# ---- bad input ----

@test "--index out of range: get and wait exit 1" {
	new_sysv --count 2 --value 1
	run_ipctool 1 sem get "$id" --index 2
	assert_error_naming "$id"
	run_ipctool 1 sem wait "$id" --index 2 --nowait
	assert_error_naming "$id"
	run_ipctool 1 sem post "$id" --index 5
	assert_error_naming "$id"
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 1 "
}

@test "a value above 32767 is a usage error (exit 2)" {
	new_sysv --count 2
	run_ipctool 2 sem set "$id" 32768
	assert_error_naming 32768
	run_ipctool 2 sem set "$id" --value 1,32768
	assert_error_naming 32768
	name=$(unique_name)
	cleanup_later sem "$name"
	run_ipctool 2 sem create "$name" --value 32768
	assert_error_naming 32768
	[ ! -e "/dev/shm/sem.${name#/}" ] || fail "created anyway"
	run_ipctool 2 sem create --value 40000
	assert_error_naming 40000
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "0 0 "
}

@test "--count 0 is a usage error (exit 2)" {
	new_sysv --value 1
	run_ipctool 2 sem create --count 0
	assert_error_naming count
	run_ipctool 2 sem wait "$id" --count 0
	assert_error_naming count
	run_ipctool 2 sem post "$id" --count 0
	assert_error_naming count
	assert_equal "$(ipcs_values "$id")" 1
}

@test "malformed ops are usage errors (exit 2) and change nothing" {
	new_sysv --count 2 --value 1
	for op in 0 x:1 0:1q :1 0: 0:+ 0:1x; do
		run_ipctool 2 sem op "$id" "$op"
		assert_error_naming op
	done
	run_ipctool 2 sem op "$id" 1:+1 0:1q
	assert_equal "$(ipcs_values "$id" | tr '\n' ' ')" "1 1 "
}

@test "POSIX names with / inside are usage errors (exit 2)" {
	run_ipctool 2 sem create /a/b
	assert_error_naming /a/b
	run_ipctool 2 sem get /a/b
	assert_error_naming /a/b
	run_ipctool 2 sem rm /x/
	assert_error_naming /x/
	run_ipctool 2 sem create /
	assert_error_naming sem
}

@test "a missing semaphore exits 1 'no such semaphore'" {
	for ref in 2147483000 /nonexistent; do
		for verb in get info wait post; do
			run_ipctool 1 sem $verb "$ref"
			assert_error_naming "no such semaphore"
		done
	done
	run_ipctool 1 sem rm /nonexistent
	assert_error_naming "no such semaphore"
}

@test "no permission: a root-owned 0600 set waited on as nobody exits 1" {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	new_sysv --value 1
	as_nobody "$IPCTOOL" sem wait "$id" --nowait
	assert_equal "$status" 1
	assert_error_naming "permission denied"
	as_nobody "$IPCTOOL" sem get "$id"
	assert_equal "$status" 1
	assert_error_naming "permission denied"
	assert_equal "$(ipcs_values "$id")" 1
	new_posix --value 1
	as_nobody "$IPCTOOL" sem wait "$name" --nowait
	assert_equal "$status" 1
	assert_error_naming "permission denied"
}

# ---- help ----

@test "sem --help, sem run --help and help sem print help and exit 0" {
	run_ipctool 0 sem --help
	assert_line --partial run
	assert_line --partial zero
	assert_equal "$stderr" ''
	run_ipctool 0 sem run --help
	assert_output --partial -- --nowait
	assert_output --partial -- --timeout
	assert_output --partial -- --index
	run_ipctool 0 help sem
	assert_output --partial wait
	run_ipctool 0 sem create --help
	assert_output --partial -- --exist-ok
}

# ---- more ----

@test "SIGINT to sem run is forwarded to CMD; its status passes through" {
	new_sysv --value 1
	d=$BATS_TEST_TMPDIR
	# A background job starts with SIGINT ignored: give it back its default.
	perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die' -- \
	    "$IPCTOOL" sem run "$id" -- sh -c \
	    'trap "echo got-int >\"$1\"; exit 6" INT; touch "$1.up"; while :; do sleep 0.05; done' \
	    sh "$d/got" >"$d/out" 2>"$d/err" 3>&- &
	pid=$!
	wait_for 10 test -e "$d/got.up" || fail "CMD did not start: $(cat "$d/err")"
	assert_equal "$(ipcs_values "$id")" 0
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	assert_equal "$(cat "$d/got" 2>/dev/null)" got-int
	assert_equal "$st" 6
	assert_equal "$(ipcs_values "$id")" 1
}

@test "--exist-ok waits for a set created but not yet initialised by another process" {
	key=$(unique_key)
	cleanup_later sem "key:$key"
	perl -MIPC::SysV=IPC_CREAT -e 'defined semget(hex($ARGV[0]), 1, IPC_CREAT | 0600) or die "$!"' "$key"
	id=$(ipcs -s | awk -v k="$key" '$1 == k { print $2 }')
	(
		sleep 0.5
		perl_sem "$key" '$s->op(0, 1, 0) or die "op: $!"'
	) 3>&- &
	ppid=$!
	run_ipctool 0 sem create "key:$key" --exist-ok
	assert_output "$id"
	wait "$ppid"
	assert_equal "$(ipcs_values "$id")" 1
}

@test "create --json prints one object for the new set" {
	key=$(unique_key)
	cleanup_later sem "key:$key"
	run_ipctool 0 --json sem create "key:$key" --count 2 --value 3
	assert_equal "${#lines[@]}" 1
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["type"] == "sem" and d["flavor"] == "sysv" and d["key"] == sys.argv[2], d
assert d["nsems"] == 2 and [s["value"] for s in d["semaphores"]] == [3, 3], d
' "$output" "$key"
}

@test "--trace shows the semop of wait and post --undo on stderr" {
	new_sysv --value 1
	run_ipctool 0 --trace sem wait "$id"
	assert_output ''
	[[ $stderr == *"op($id, [{0, -1, 0}]"*") = 0"* ]] || fail "trace: $stderr"
	run_ipctool 0 sem post "$id" --trace --count 2 --undo
	[[ $stderr == *"SEM_UNDO"* ]] || fail "trace: $stderr"
	assert_equal "$(ipcs_values "$id")" 0
}

@test "op on a POSIX semaphore: exit 1 saying only System V sets have it" {
	new_posix --value 1
	run_ipctool 1 sem op "$name" 0:-1
	assert_error_naming "only System V"
	run_ipctool 0 sem get "$name"
	assert_output 1
}

@test "create --exist-ok takes a set another program made without a semop" {
	key=$(unique_key)
	cleanup_later sem "key:$key"
	perl -MIPC::SysV=IPC_CREAT,S_IRUSR,S_IWUSR -e \
	    'semget(hex($ARGV[0]), 2, IPC_CREAT | S_IRUSR | S_IWUSR) // die "$!"' "$key"
	run_ipctool 0 sem create "key:$key" --exist-ok
	assert_output --regexp '^[0-9]+$'
}
