#!/usr/bin/env bats
# ipctool mq: System V and POSIX message queues, checked against the
# contract (SPEC.md) and from outside: ipcs -q, /dev/mqueue/NAME (QSIZE),
# Perl's IPC::Msg, and Python for the JSON.

load helpers

# What the shared helpers (new_sysv, ipcs_field...) work on.
IPC_OBJECT=mq
IPCS_FLAG=-q

# ---- helpers for this file ----

# The `ipcs -q` row of queue ID: key msqid owner perms used-bytes messages.
ipcs_row() {
	ipcs -q | awk -v id="$1" '$2 == id { print $1, $2, $3, $4, $5, $6 }'
}

# "used-bytes messages" of queue ID, from the `ipcs -q` table.
ipcs_usage() {
	ipcs -q | awk -v id="$1" '$2 == id { print $5, $6 }'
}

# QSIZE (bytes of queued message data) from /dev/mqueue/NAME.
qsize() {
	sed -n 's/^QSIZE:\([0-9]*\).*/\1/p' "/dev/mqueue${1}"
}

# One field of `ipctool --json mq info REF`.
info_field() {
	"$IPCTOOL" --json mq info "$1" | python3 -c '
import json, sys
print(json.load(sys.stdin).get(sys.argv[1]))' "$2"
}

# as_nobody CMD...: run CMD as nobody:nogroup under `run`.
as_nobody() {
	run --separate-stderr timeout 10 setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$@"
}

# JSON lines on stdin, checked against the expected (tag, bytes) pairs
# given as arguments: TAGFIELD then TAG PYTHON-BYTES-LITERAL pairs.
PY_CHECK_MSGS='
import base64, json, sys, ast
field = sys.argv[1]
want = [(int(sys.argv[i]), ast.literal_eval(sys.argv[i + 1]))
        for i in range(2, len(sys.argv), 2)]
got = []
for line in sys.stdin.read().splitlines():
    d = json.loads(line)
    assert type(d[field]) is int, d
    assert type(d["size"]) is int, d
    if "data" in d:
        assert type(d["data"]) is str and "data_base64" not in d, d
        data = d["data"].encode("utf-8")
    else:
        data = base64.b64decode(d["data_base64"], validate=True)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise AssertionError("valid UTF-8 sent as base64: %r" % d)
    assert d["size"] == len(data), d
    got.append((d[field], data))
assert got == want, (got, want)
'

# ---- create ----

@test "create key:0x.. prints only the id; ipcs -q agrees on key, owner, perms, empty" {
	key=$(unique_key)
	cleanup_later mq "key:$key"
	run_ipctool 0 mq create "key:$key"
	assert_output --regexp '^[0-9]+$'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" ''
	id=$output
	assert_equal "$(ipcs_row "$id")" "$key $id $(id -un) 600 0 0"
	assert_equal "$(ipcs_field "$id" mode)" 0600
}

@test "create with no REF uses IPC_PRIVATE and prints only the id" {
	run_ipctool 0 mq create
	assert_output --regexp '^[0-9]+$'
	id=$output
	cleanup_later mq "$id"
	assert_equal "$(ipcs_row "$id")" "0x00000000 $id $(id -un) 600 0 0"
}

@test "create /name prints only the name; /dev/mqueue file is 0600, QSIZE 0" {
	name=$(unique_name)
	cleanup_later mq "$name"
	run_ipctool 0 mq create "$name"
	assert_output "$name"
	assert_equal "$stderr" ''
	run stat -c '%a %U' "/dev/mqueue${name}"
	assert_output "600 $(id -un)"
	assert_equal "$(qsize "$name")" 0
}

@test "create: the default mode is 0600 even with umask 000; --mode is exact" {
	key=$(unique_key)
	name=$(unique_name)
	cleanup_later mq "key:$key"
	cleanup_later mq "$name"
	id=$(umask 000 && ipctool mq create "key:$key")
	(umask 000 && ipctool mq create "$name" >/dev/null)
	assert_equal "$(ipcs_field "$id" mode)" 0600
	assert_equal "$(stat -c %a "/dev/mqueue${name}")" 600
	new_sysv --mode 0640
	assert_equal "$(ipcs_field "$id" mode)" 0640
	name=$(unique_name)
	cleanup_later mq "$name"
	(umask 077 && ipctool mq create "$name" -m 0664 >/dev/null)
	assert_equal "$(stat -c %a "/dev/mqueue${name}")" 664
}

@test "create an existing System V key: exit 1, 'exists', nothing on stdout" {
	new_sysv
	ipctool mq send "$id" keep
	run_ipctool 1 mq create "key:$key"
	assert_error_naming exists
	assert_equal "$(ipcs -q | grep -ci "^$key ")" 1
	assert_equal "$(ipcs_usage "$id")" "4 1"
}

@test "create an existing POSIX name: exit 1, 'exists'" {
	new_posix
	ipctool mq send "$name" keep
	run_ipctool 1 mq create "$name"
	assert_error_naming exists
	assert_equal "$(qsize "$name")" 4
}

@test "create --exist-ok (and -e) opens the existing queue, messages kept" {
	new_sysv
	ipctool mq send "$id" kept
	run_ipctool 0 mq create "key:$key" --exist-ok
	assert_output "$id"
	run_ipctool 0 mq create "key:$key" -e
	assert_output "$id"
	assert_equal "$(ipcs_usage "$id")" "4 1"
	new_posix
	ipctool mq send "$name" kept
	run_ipctool 0 mq create "$name" --exist-ok
	assert_output "$name"
	run_ipctool 0 mq create "$name" -e
	assert_output "$name"
	run_ipctool 0 mq recv "$name" --nowait
	assert_output kept
}

@test "create --queue-bytes (-b) sets qbytes, seen by ipcs -q -i and info" {
	new_sysv --queue-bytes 1K
	assert_equal "$(ipcs_field "$id" qbytes)" 1024
	assert_equal "$(info_field "$id" qbytes)" 1024
	new_sysv -b 100
	assert_equal "$(ipcs_field "$id" qbytes)" 100
	run_ipctool 0 mq info "$id"
	assert_line --regexp '^qbytes: +100$'
}

@test "create --max-messages/--message-size (-M, long only) show in info" {
	new_posix --max-messages 3 --message-size 100
	assert_equal "$(info_field "$name" maxmsg)" 3
	assert_equal "$(info_field "$name" msgsize)" 100
	run_ipctool 0 mq info "$name"
	assert_line --regexp '^maxmsg: +3$'
	assert_line --regexp '^msgsize: +100$'
	new_posix -M 2 --message-size 1K
	assert_equal "$(info_field "$name" maxmsg)" 2
	assert_equal "$(info_field "$name" msgsize)" 1024
	# Only one set: the other is the system default.
	new_posix --message-size 64
	assert_equal "$(info_field "$name" msgsize)" 64
	assert_equal "$(info_field "$name" maxmsg)" \
	    "$(cat /proc/sys/fs/mqueue/msg_default)"
}

@test "create: an option of the other flavour is a usage error, nothing created" {
	name=$(unique_name)
	cleanup_later mq "$name"
	run_ipctool 2 mq create "$name" --queue-bytes 100
	assert_error_naming --queue-bytes
	[ ! -e "/dev/mqueue${name}" ]
	key=$(unique_key)
	cleanup_later mq "key:$key"
	run_ipctool 2 mq create "key:$key" --max-messages 3
	assert_error_naming --max-messages
	run_ipctool 2 mq create "key:$key" --message-size 100
	assert_error_naming --message-size
	assert_equal "$(ipcs -q | grep -ci "^$key ")" 0
}

@test "create --max-messages over msg_max as nobody: exit 1 naming the limit and /proc path" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch user"
	max=$(cat /proc/sys/fs/mqueue/msg_max)
	name=$(unique_name)
	cleanup_later mq "$name"
	as_nobody "$IPCTOOL" mq create "$name" --max-messages $((max + 1))
	assert_equal "$status" 1
	assert_error_naming /proc/sys/fs/mqueue/msg_max
	[[ $stderr == *"$max"* ]] || fail "limit $max not named: $stderr"
	[ ! -e "/dev/mqueue${name}" ]
	smax=$(cat /proc/sys/fs/mqueue/msgsize_max)
	as_nobody "$IPCTOOL" mq create "$name" --message-size $((smax + 1))
	assert_equal "$status" 1
	assert_error_naming /proc/sys/fs/mqueue/msgsize_max
	[[ $stderr == *"$smax"* ]] || fail "limit $smax not named: $stderr"
	[ ! -e "/dev/mqueue${name}" ]
}

@test "create --json: one object (System V and POSIX)" {
	key=$(unique_key)
	cleanup_later mq "key:$key"
	run_ipctool 0 --json mq create "key:$key" --queue-bytes 512
	assert_equal "${#lines[@]}" 1
	python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["type"] == "mq" and d["flavor"] == "sysv", d
assert d["key"] == sys.argv[1] and type(d["id"]) is int, d
assert d["qbytes"] == 512 and d["qnum"] == 0 and d["mode"] == "0600", d
' "$key" <<<"$output" || fail "bad JSON: $output"
	name=$(unique_name)
	cleanup_later mq "$name"
	run_ipctool 0 --json mq create "$name" -M 4 --message-size 200
	python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["type"] == "mq" and d["flavor"] == "posix", d
assert d["name"] == sys.argv[1] and d["mode"] == "0600", d
assert d["maxmsg"] == 4 and d["msgsize"] == 200 and d["curmsgs"] == 0, d
' "$name" <<<"$output" || fail "bad JSON: $output"
}

@test "ftok:PATH names the queue Perl's ftok names" {
	f=$BATS_TEST_TMPDIR/ftok-file
	: >"$f"
	want=$(perl -MIPC::SysV=ftok -e 'printf "0x%08x", ftok($ARGV[0], 1)' "$f")
	cleanup_later mq "ftok:$f"
	id=$(ipctool mq create "ftok:$f")
	assert_equal "$(ipcs_row "$id" | cut -d' ' -f1)" "$want"
	run_ipctool 0 mq send "ftok:$f" via-ftok
	run_ipctool 0 mq recv "key:$want"
	assert_output via-ftok
}

# ---- ls, info ----

@test "info (System V): qnum, qbytes, cbytes, lspid, lrpid and times follow send and recv" {
	new_sysv --queue-bytes 4K
	run_ipctool 0 mq info "$id"
	assert_line --regexp "^key: +$key\$"
	assert_line --regexp "^id: +$id\$"
	assert_line --regexp '^mode: +0600$'
	assert_line --regexp '^qnum: +0$'
	assert_line --regexp '^qbytes: +4096$'
	assert_line --regexp '^cbytes: +0$'
	assert_line --regexp '^stime: +never$'
	ipctool mq send "$id" abc defgh
	run_ipctool 0 --json mq info "$id"
	python3 -c '
import json, re, sys
d = json.loads(sys.stdin.read())
iso = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
assert d["qnum"] == 2 and d["cbytes"] == 8 and d["qbytes"] == 4096, d
assert type(d["lspid"]) is int and d["lspid"] > 0 and d["lrpid"] == 0, d
assert re.fullmatch(iso, d["stime"]) and d["rtime"] is None, d
assert re.fullmatch(iso, d["ctime"]), d
' <<<"$output" || fail "$output"
	ipctool mq recv "$id" >/dev/null
	run_ipctool 0 --json mq info "$id"
	python3 -c '
import json, re, sys
d = json.loads(sys.stdin.read())
assert d["qnum"] == 1 and d["cbytes"] == 5, d
assert d["lrpid"] > 0 and re.fullmatch(r"\d{4}-.*Z", d["rtime"]), d
' <<<"$output" || fail "$output"
}

@test "info (POSIX): curmsgs, maxmsg, msgsize and QSIZE follow send and recv" {
	new_posix -M 5 --message-size 64
	run_ipctool 0 mq info "$name"
	assert_line --regexp "^name: +$name\$"
	assert_line --regexp '^mode: +0600$'
	assert_line --regexp '^curmsgs: +0$'
	ipctool mq send "$name" abc defgh
	run_ipctool 0 --json mq info "$name"
	python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["type"] == "mq" and d["flavor"] == "posix", d
assert d["curmsgs"] == 2 and d["maxmsg"] == 5 and d["msgsize"] == 64, d
assert d["qsize"] == 8, d
' <<<"$output" || fail "$output"
	assert_equal "$(qsize "$name")" 8
}

@test "info (POSIX): mtime is the last send or receive, as stat shows it; reading the queue moves it not" {
	new_posix
	ipctool mq send "$name" one
	m1=$(info_field "$name" mtime)
	assert_equal "$m1" "$(date -u -d "@$(stat -c %Y "/dev/mqueue$name")" +%FT%TZ)"
	sleep 1.1
	cat "/dev/mqueue$name" >/dev/null	# sets the file's ctime
	ipctool mq ls >/dev/null
	assert_equal "$(info_field "$name" mtime)" "$m1"
	assert_equal "$(info_field "$name" ctime)" None
	ipctool mq recv "$name" >/dev/null
	m2=$(info_field "$name" mtime)
	[[ $m2 > $m1 ]] || fail "mtime $m2 not after $m1"
	assert_equal "$m2" "$(date -u -d "@$(stat -c %Y "/dev/mqueue$name")" +%FT%TZ)"
}

@test "ls lists System V and POSIX queues together with a flavour column" {
	new_sysv
	new_posix
	ipctool mq send "$id" one two
	run_ipctool 0 mq ls
	assert_line --index 0 --regexp '^FLAVOR +KEY +ID +NAME'
	assert_line --regexp "^sysv +$key +$id +- +$(id -un) +0600 +2 +6 "
	assert_line --regexp "^posix +- +- +$name +$(id -un) +0600 "
	run_ipctool 0 --json mq ls
	python3 -c '
import json, sys
a = json.loads(sys.stdin.read())
assert type(a) is list, a
sv = [d for d in a if d.get("flavor") == "sysv" and d.get("id") == int(sys.argv[1])]
px = [d for d in a if d.get("flavor") == "posix" and d.get("name") == sys.argv[2]]
assert len(sv) == 1 and len(px) == 1, a
assert sv[0]["qnum"] == 2 and sv[0]["cbytes"] == 6, sv
assert px[0]["curmsgs"] == 0, px
assert all(d["type"] == "mq" for d in a), a
' "$id" "$name" <<<"$output" || fail "bad JSON: $output"
}

# ---- output options of ls and info ----

@test "ls -o ref,name: the columns asked for, in that order, for both flavours" {
	new_sysv
	new_posix
	run_ipctool 0 mq ls -o ref,name
	assert_line --index 0 --regexp '^REF +NAME$'
	assert_line --regexp "^$id +-\$"
	assert_line --regexp "^$name +$name\$"
	run_ipctool 0 mq ls -o +ref
	assert_line --index 0 --regexp '^FLAVOR +KEY +ID +NAME .* MSGSIZE +REF$'
	run_ipctool 2 mq ls -o ref,bogus
	assert_error_naming "unknown column 'bogus'"
	run_ipctool 2 mq info "$id" -o nosuch
	assert_error_naming "unknown column 'nosuch'"
}

@test "--list-columns: each column once with its help; -o takes every one in every format" {
	new_sysv
	new_posix
	for verb in ls info; do
		run_ipctool 0 mq "$verb" --list-columns
		assert_line --index 0 --regexp '^NAME +TYPE +DEFAULT +HELP$'
		for c in type flavor ref key id name owner group creator mode \
		    qnum cbytes qbytes curmsgs maxmsg msgsize qsize notify_pid \
		    lspid lrpid stime rtime mtime ctime; do
			assert_line --regexp "^$c +[a-z]+ +(yes|no) +[^ ]"
		done
		assert_equal "$(printf '%s\n' "${lines[@]:1}" | awk '{ print $1 }' |
		    sort | uniq -d)" ''
	done
	cols=$(printf '%s\n' "${lines[@]:1}" | awk '{ print $1 }' | paste -sd, -)
	run_ipctool 0 mq ls -o "$cols"
	run_ipctool 0 mq ls -o "$cols" --raw
	run_ipctool 0 mq ls -o "$cols" --export
	run_ipctool 0 mq ls -o "$cols" --json
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert len(rows) >= 2, rows
for r in rows:
    assert list(r) == sys.argv[2].split(","), r
' "$output" "$cols" || fail "$output"
	for ref in "$id" "$name"; do
		run_ipctool 0 mq info "$ref" -o "$cols" --json
		python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert list(d) == sys.argv[2].split(","), d
' "$output" "$cols" || fail "$output"
	done
	# The list itself takes the output options.
	run_ipctool 0 mq ls --list-columns --json
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
qnum = [r for r in rows if r["name"] == "qnum"]
assert len(qnum) == 1 and qnum[0]["type"] == "integer", rows
assert qnum[0]["default"] is True and qnum[0]["help"], rows
' "$output" || fail "$output"
}

@test "ipctool-mq(1) describes every column --list-columns gives, and no other" {
	man=$BATS_TEST_DIRNAME/../man/ipctool-mq.1
	[ -f "$man" ] || skip "no man page at $man"
	run_ipctool 0 mq ls --list-columns -H --raw
	listed=$(printf '%s\n' "${lines[@]}" | awk '{ print $1 }' | sort)
	documented=$(sed -n '/^\.Sh COLUMNS/,/^\.Sh /p' "$man" |
	    sed -n 's/^\.It Cm \([a-z_]*\)$/\1/p' | sort)
	assert_equal "$documented" "$listed"
}

@test "ls -H drops the header line and nothing else" {
	new_sysv
	new_posix
	run_ipctool 0 mq ls
	with=("${lines[@]}")
	assert_line --index 0 --regexp '^FLAVOR '
	run_ipctool 0 mq ls -H
	assert_equal "${#lines[@]}" $(( ${#with[@]} - 1 ))
	# The same rows, word for word (widths may shrink without the header).
	for i in "${!lines[@]}"; do
		assert_equal "$(tr -s ' ' <<<"${lines[$i]}")" \
		    "$(tr -s ' ' <<<"${with[$((i + 1))]}")"
	done
	assert_line --regexp "^sysv +$key +$id "
	assert_line --regexp "^posix +- +- +$name "
	run_ipctool 0 mq ls --noheadings -o ref --raw
	assert_line "$id"
	assert_line "$name"
	refute_line REF
	# info -H: the values alone, one a line.
	run_ipctool 0 mq info "$id" -o id,key,qbytes -H
	assert_output "$(printf '%s\n' "$id" "$key" \
	    "$(ipcs_field "$id" qbytes)")"
}

@test "ls --raw: single spaces, exact numbers that ipcs -q agrees with, unsafe bytes as \\xHH" {
	new_sysv --queue-bytes 12K
	ipctool mq send "$id" abc defgh
	spaced="/ipct-$BATS_TEST_NUMBER-$$-a b"
	cleanup_later mq "$spaced"
	ipctool mq create "$spaced" -M 3 --message-size 1K >/dev/null
	ipctool mq send "$spaced" -p 2 'x y'
	run_ipctool 0 mq ls -o ref,qnum,cbytes,qbytes,curmsgs,maxmsg,msgsize,qsize --raw
	assert_line --index 0 'REF QNUM CBYTES QBYTES CURMSGS MAXMSG MSGSIZE QSIZE'
	read -r used msgs <<<"$(ipcs_usage "$id")"
	assert_line "$id $msgs $used 12288 - - - -"
	assert_line "${spaced// /\\x20} - - - 1 3 1024 $(qsize "$spaced")"
	refute_output --partial '  '
	# The table humanises what --raw gives exactly.
	run_ipctool 0 mq ls -o ref,qbytes
	assert_line --regexp "^$id +12K\$"
}

@test "ls --export and info --export: NAME=\"value\" lines that eval back to the exact values" {
	new_sysv -b 4096
	ipctool mq send "$id" one two three
	new_posix -M 4 --message-size 128
	ipctool mq send "$name" hello
	run_ipctool 0 mq ls -o ref,flavor,key,mode,qnum,cbytes,curmsgs,qsize --export
	found=0
	for l in "${lines[@]}"; do
		[[ $l =~ ^REF=\".*\"\ FLAVOR=\"(sysv|posix)\"\ KEY= ]] ||
		    fail "not an export line: $l"
		REF= FLAVOR= KEY= MODE= QNUM= CBYTES= CURMSGS= QSIZE=
		eval "$l"
		[ "$REF" = "$id" ] || [ "$REF" = "$name" ] || continue
		found=$((found + 1))
		assert_equal "$MODE" 0600
		if [ "$FLAVOR" = sysv ]; then
			assert_equal "$REF" "$id"
			assert_equal "$KEY" "$key"
			assert_equal "$CBYTES $QNUM" "$(ipcs_usage "$id")"
			assert_equal "$CURMSGS$QSIZE" ''
		else
			assert_equal "$REF" "$name"
			assert_equal "$KEY$QNUM$CBYTES" ''
			assert_equal "$CURMSGS" 1
			assert_equal "$QSIZE" "$(qsize "$name")"
		fi
	done
	assert_equal "$found" 2
	run_ipctool 0 mq info "$name" -o ref,maxmsg,msgsize --export
	assert_output "REF=\"$name\" MAXMSG=\"4\" MSGSIZE=\"128\""
}

@test "ls and info --json: typed numbers, the -o selection, the same fields in both" {
	new_sysv --queue-bytes 2K
	ipctool mq send "$id" abc defgh
	new_posix -M 6 --message-size 256
	ipctool mq send "$name" hello
	run_ipctool 0 --json mq ls
	ls_json=$output
	run_ipctool 0 --json mq info "$id"
	sv_json=$output
	run_ipctool 0 mq info "$name" --json
	px_json=$output
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
sv, px = json.loads(sys.argv[2]), json.loads(sys.argv[3])
by_ref = {r["ref"]: r for r in rows}
# ls gives each queue the object info gives, field for field.
assert by_ref[sys.argv[4]] == sv, (by_ref, sv)
assert by_ref[sys.argv[5]] == px, (by_ref, px)
for k in ("id", "qnum", "qbytes", "cbytes", "lspid", "lrpid"):
    assert type(sv[k]) is int, (k, sv)
for k in ("curmsgs", "maxmsg", "msgsize", "qsize", "notify_pid"):
    assert type(px[k]) is int, (k, px)
assert sv["qnum"] == 2 and sv["cbytes"] == 8 and sv["qbytes"] == 2048, sv
assert px["curmsgs"] == 1 and px["maxmsg"] == 6 and px["msgsize"] == 256, px
assert px["qsize"] == 5, px
assert sv["key"].startswith("0x") and sv["mode"] == "0600", sv
assert sv["ref"] == str(sv["id"]) and px["ref"] == px["name"], (sv, px)
' "$ls_json" "$sv_json" "$px_json" "$id" "$name" || fail "$ls_json"
	assert_equal "$(ipcs_usage "$id")" "8 2"
	assert_equal "$(qsize "$name")" 5
	run_ipctool 0 --json mq ls -o ref,qnum,curmsgs
	python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert all(list(r) == ["ref", "qnum", "curmsgs"] for r in rows), rows
want = {sys.argv[2]: [2, None], sys.argv[3]: [None, 1]}
assert {r["ref"]: [r["qnum"], r["curmsgs"]] for r in rows} == want, rows
' "$output" "$id" "$name" || fail "$output"
	run_ipctool 0 --json mq info "$id" -o ref,qbytes
	python3 -c '
import json, sys
assert json.loads(sys.argv[1]) == {"ref": sys.argv[2], "qbytes": 2048}
' "$output" "$id" || fail "$output"
}

@test "the ref column of ls is accepted as is by info and rm (both flavours)" {
	new_sysv
	id1=$id
	new_sysv
	run_ipctool 0 mq create
	private=$output
	cleanup_later mq "$private"
	new_posix
	name1=$name
	new_posix
	ours=" $id1 $id $private $name1 $name "
	run_ipctool 0 mq ls -o flavor,ref -H --raw
	refs=()
	for l in "${lines[@]}"; do
		read -r flavor ref <<<"$l"
		[[ $ours == *" $ref "* ]] || continue
		refs+=("$ref")
		run_ipctool 0 mq info "$ref" -o ref,flavor -H
		assert_output "$(printf '%s\n%s' "$ref" "$flavor")"
	done
	assert_equal "${#refs[@]}" 5
	run_ipctool 0 mq rm "${refs[@]}"
	for ref in "$id1" "$id" "$private"; do
		assert_equal "$(ipcs_row "$ref")" ''
	done
	[ ! -e "/dev/mqueue$name1" ] && [ ! -e "/dev/mqueue$name" ]
	run_ipctool 0 mq ls -o ref -H --raw
	for ref in "${refs[@]}"; do
		[[ $'\n'$output$'\n' != *$'\n'"$ref"$'\n'* ]] ||
		    fail "$ref still listed: $output"
	done
}

@test "a refused option of the other flavour is refused before any system call" {
	new_sysv
	new_posix
	for args in "create /ipct-never -b 1K" "create -M 2" \
	    "create key:0x7ffffff1 --message-size 64" \
	    "send $id -p 1 x" "send $name -t 1 x" \
	    "recv $name -t 1" "recv $name --except -t 1" "recv $name -l 10" \
	    "recv $name -l 10 -T"; do
		run_ipctool 2 --trace mq $args
		# One line: the error; no traced call before it.
		assert_error_naming "queues only"
	done
	[ ! -e /dev/mqueue/ipct-never ]
	assert_equal "$(ipcs -q | grep -ci '^0x7ffffff1 ')" 0
	assert_equal "$(ipcs_usage "$id")" "0 0"
	assert_equal "$(qsize "$name")" 0
}

@test "letters other verbs own are not mq create's: -n, -s, -x are usage errors" {
	name=$(unique_name)
	cleanup_later mq "$name"
	run_ipctool 2 mq create "$name" -n 2
	assert_error_naming "-n"
	run_ipctool 2 mq create "$name" -s 1K
	assert_error_naming "-s"
	[ ! -e "/dev/mqueue${name}" ]
	new_sysv
	ipctool mq send "$id" -t 2 keep
	run_ipctool 2 mq recv "$id" -x -t 1
	assert_error_naming "-x"
	assert_equal "$(ipcs_usage "$id")" "4 1"
}

# ---- send and recv ----

@test "send: each DATA operand is one message, in order (both flavours)" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		run_ipctool 0 mq send "$ref" first 'second one' third
		assert_output ''
		run_ipctool 0 mq recv "$ref" --count 3
		assert_output "$(printf 'first\nsecond one\nthird')"
		run_ipctool 3 mq recv "$ref" --nowait
	done
	# Seen from outside before receiving.
	ipctool mq send "$id" first 'second one' third
	assert_equal "$(ipcs_usage "$id")" "20 3"
	ipctool mq send "$name" first 'second one' third
	assert_equal "$(qsize "$name")" 20
	assert_equal "$(info_field "$name" curmsgs)" 3
}

@test "send: stdin with no DATA is one message, newlines and all (both flavours)" {
	printf 'line one\nline two\n' >"$BATS_TEST_TMPDIR/in"
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		run_ipctool 0 mq send "$ref" <"$BATS_TEST_TMPDIR/in"
		"$IPCTOOL" mq recv "$ref" --raw --nowait >"$BATS_TEST_TMPDIR/out"
		cmp "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/out"
	done
	ipctool mq send "$id" <"$BATS_TEST_TMPDIR/in"
	assert_equal "$(ipcs_usage "$id")" "18 1"
	# Empty stdin: one empty message.
	ipctool mq send "$name" </dev/null
	assert_equal "$(info_field "$name" curmsgs)" 1
	run_ipctool 0 --json mq recv "$name"
	python3 -c "$PY_CHECK_MSGS" priority 0 "b''" <<<"$output" || fail "$output"
}

@test "send --lines (-L): each line one message, newline not included" {
	printf 'alpha\nbeta gamma\n\ndelta' >"$BATS_TEST_TMPDIR/in"
	new_sysv
	new_posix
	run_ipctool 0 mq send "$id" --lines <"$BATS_TEST_TMPDIR/in"
	# alpha(5) + "beta gamma"(10) + ""(0) + delta(5), four messages.
	assert_equal "$(ipcs_usage "$id")" "20 4"
	run_ipctool 0 mq send "$name" -L <"$BATS_TEST_TMPDIR/in"
	assert_equal "$(qsize "$name")" 20
	for ref in "$id" "$name"; do
		run_ipctool 0 --json mq recv "$ref" --all
		[ "$ref" = "$id" ] && f=type t=1 || f=priority t=0
		python3 -c "$PY_CHECK_MSGS" $f $t "b'alpha'" $t "b'beta gamma'" \
		    $t "b''" $t "b'delta'" <<<"$output" || fail "$output"
	done
}

@test "send -0 (--null): each NUL-ended record one message" {
	printf 'a b\0\nc\0last' >"$BATS_TEST_TMPDIR/in"
	new_sysv
	new_posix
	run_ipctool 0 mq send "$id" -0 <"$BATS_TEST_TMPDIR/in"
	assert_equal "$(ipcs_usage "$id")" "9 3"
	run_ipctool 0 mq send "$name" --null <"$BATS_TEST_TMPDIR/in"
	assert_equal "$(info_field "$name" curmsgs)" 3
	for ref in "$id" "$name"; do
		run_ipctool 0 --json mq recv "$ref" --all
		[ "$ref" = "$id" ] && f=type t=1 || f=priority t=0
		python3 -c "$PY_CHECK_MSGS" $f $t "b'a b'" $t "b'\\nc'" \
		    $t "b'last'" <<<"$output" || fail "$output"
	done
}

@test "recv delimiters: a newline by default, NUL with -0, nothing with --raw" {
	new_sysv
	new_posix
	out=$BATS_TEST_TMPDIR/out
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" ab c def gh ij kl
		"$IPCTOOL" mq recv "$ref" --count 2 >"$out"
		printf 'ab\nc\n' | cmp - "$out"
		"$IPCTOOL" mq recv "$ref" -0 --count 2 >"$out"
		printf 'def\0gh\0' | cmp - "$out"
		"$IPCTOOL" mq recv "$ref" --raw --count 2 >"$out"
		printf 'ijkl' | cmp - "$out"
	done
	run_ipctool 2 mq recv "$id" --raw -0
}

@test "binary messages with NUL bytes travel byte-exact (System V)" {
	new_sysv
	printf '\0\1\2\377' >"$BATS_TEST_TMPDIR/small"
	perl -e 'print map { chr } 0 .. 255' >"$BATS_TEST_TMPDIR/all"
	head -c 4000 /dev/urandom >"$BATS_TEST_TMPDIR/random"
	for f in small all random; do
		run_ipctool 0 mq send "$id" <"$BATS_TEST_TMPDIR/$f"
	done
	assert_equal "$(ipcs_usage "$id")" "4260 3"
	for f in small all random; do
		"$IPCTOOL" mq recv "$id" --raw >"$BATS_TEST_TMPDIR/out"
		cmp "$BATS_TEST_TMPDIR/$f" "$BATS_TEST_TMPDIR/out"
	done
}

@test "binary messages with NUL bytes travel byte-exact (POSIX)" {
	new_posix --message-size 4096
	printf '\0\1\2\377' >"$BATS_TEST_TMPDIR/small"
	perl -e 'print map { chr } 0 .. 255' >"$BATS_TEST_TMPDIR/all"
	head -c 4096 /dev/urandom >"$BATS_TEST_TMPDIR/random"
	for f in small all random; do
		run_ipctool 0 mq send "$name" <"$BATS_TEST_TMPDIR/$f"
	done
	assert_equal "$(qsize "$name")" 4356
	for f in small all random; do
		"$IPCTOOL" mq recv "$name" --raw >"$BATS_TEST_TMPDIR/out"
		cmp "$BATS_TEST_TMPDIR/$f" "$BATS_TEST_TMPDIR/out"
	done
}

@test "recv --count (-c) N takes exactly N, oldest first" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" 1 2 3 4 5
		run_ipctool 0 mq recv "$ref" --count 3
		assert_output "$(printf '1\n2\n3')"
		run_ipctool 0 mq recv "$ref" -c 2
		assert_output "$(printf '4\n5')"
	done
	assert_equal "$(ipcs_usage "$id")" "0 0"
	assert_equal "$(qsize "$name")" 0
}

@test "recv --all (-a) drains the queue; on an empty queue it prints nothing, exit 0" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" x yy zzz
		run_ipctool 0 mq recv "$ref" --all
		assert_output "$(printf 'x\nyy\nzzz')"
		run --separate-stderr timeout 20 "$IPCTOOL" mq recv "$ref" -a
		assert_equal "$status" 0
		assert_output ''
		assert_equal "$stderr" ''
	done
	assert_equal "$(ipcs_usage "$id")" "0 0"
	assert_equal "$(info_field "$name" curmsgs)" 0
}

@test "recv --nowait (-n) on an empty queue: exit 3, nothing on stdout" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		run_ipctool 3 mq recv "$ref" --nowait
		assert_error_naming "$ref"
		run_ipctool 3 mq read "$ref" -n
		assert_output ''
		# --count 2 with one queued: the one is printed, then exit 3.
		ipctool mq send "$ref" only
		run_ipctool 3 mq recv "$ref" --nowait --count 2
		assert_output only
	done
}

@test "recv --timeout 0.3 on an empty queue: exit 3 (both flavours)" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		run timeout 20 "$IPCTOOL" mq recv "$ref" --timeout 0.3
		assert_equal "$status" 3
		run --separate-stderr timeout 20 "$IPCTOOL" mq recv "$ref" -w 250ms
		assert_equal "$status" 3
		assert_error_naming "$ref"
	done
}

@test "recv --timeout with a message already queued gets it, exit 0" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" ready
		run --separate-stderr timeout 20 "$IPCTOOL" mq recv "$ref" --timeout 1
		assert_equal "$status" 0
		assert_output ready
	done
}

@test "recv waits for a message that comes later (both flavours)" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		timeout 20 "$IPCTOOL" mq recv "$ref" >"$BATS_TEST_TMPDIR/out" \
		    2>"$BATS_TEST_TMPDIR/err" 3>&- &
		pid=$!
		wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
		ipctool mq send "$ref" late
		st=0
		wait "$pid" || st=$?
		assert_equal "$st" 0
		assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" late
	done
}

@test "System V --type 0 takes any type, in FIFO order" {
	new_sysv
	ipctool mq send "$id" -t 3 c1
	ipctool mq send "$id" -t 1 a1
	ipctool mq send "$id" --type 2 b1
	ipctool mq send "$id" -t 1 a2
	ipctool mq send "$id" -t 3 c2
	run_ipctool 0 --json mq recv "$id" --type 0 --count 5
	python3 -c "$PY_CHECK_MSGS" type 3 "b'c1'" 1 "b'a1'" 2 "b'b1'" \
	    1 "b'a2'" 3 "b'c2'" <<<"$output" || fail "$output"
}

@test "System V --type T > 0 takes exactly that type" {
	new_sysv
	ipctool mq send "$id" -t 3 c1
	ipctool mq send "$id" -t 1 a1
	ipctool mq send "$id" -t 3 c2
	ipctool mq send "$id" -t 30 big
	run_ipctool 0 mq recv "$id" --type 3 --count 2
	assert_output "$(printf 'c1\nc2')"
	run_ipctool 3 mq recv "$id" --type 3 --nowait
	run_ipctool 3 mq recv "$id" --type 2 --nowait
	run_ipctool 0 mq recv "$id" -t 30
	assert_output big
	assert_equal "$(ipcs_usage "$id")" "2 1"
}

@test "System V --type T < 0 takes the lowest type <= |T|" {
	new_sysv
	ipctool mq send "$id" -t 3 c1
	ipctool mq send "$id" -t 2 b1
	ipctool mq send "$id" -t 1 a1
	ipctool mq send "$id" -t 2 b2
	ipctool mq send "$id" -t 5 e1
	run_ipctool 0 --json mq recv "$id" --type -4 --count 4
	python3 -c "$PY_CHECK_MSGS" type 1 "b'a1'" 2 "b'b1'" 2 "b'b2'" \
	    3 "b'c1'" <<<"$output" || fail "$output"
	# Only type 5 is left: nothing <= 4.
	run_ipctool 3 mq recv "$id" --type -4 --nowait
	run_ipctool 0 mq recv "$id" --type -5
	assert_output e1
}

@test "System V --except --type T (-t) takes the first message not of type T" {
	new_sysv
	ipctool mq send "$id" -t 1 a1
	ipctool mq send "$id" -t 1 a2
	ipctool mq send "$id" -t 4 d1
	ipctool mq send "$id" -t 2 b1
	run_ipctool 0 --json mq recv "$id" --except --type 1 --count 2
	python3 -c "$PY_CHECK_MSGS" type 4 "b'd1'" 2 "b'b1'" <<<"$output" ||
	    fail "$output"
	run_ipctool 3 mq recv "$id" --except -t 1 -n
	assert_equal "$(ipcs_usage "$id")" "4 2"
}

@test "POSIX: the highest priority comes first, FIFO within a priority" {
	new_posix
	ipctool mq send "$name" -p 1 low
	ipctool mq send "$name" --priority 5 high1
	ipctool mq send "$name" zero
	ipctool mq send "$name" -p 5 high2
	ipctool mq send "$name" -p 32767 top
	run_ipctool 0 --json mq recv "$name" --all
	python3 -c "$PY_CHECK_MSGS" priority 32767 "b'top'" 5 "b'high1'" \
	    5 "b'high2'" 1 "b'low'" 0 "b'zero'" <<<"$output" || fail "$output"
}

@test "recv --json: one object per message, numbers as numbers (System V)" {
	new_sysv
	ipctool mq send "$id" -t 7 'plain text'
	printf 'x\0y' | ipctool mq send "$id" -t 2
	printf 'h\303\251llo \342\234\223' | ipctool mq send "$id" -t 9
	run_ipctool 0 --json mq recv "$id" --all
	assert_equal "${#lines[@]}" 3
	python3 -c "$PY_CHECK_MSGS" type 7 "b'plain text'" 2 "b'x\\x00y'" \
	    9 "b'h\\xc3\\xa9llo \\xe2\\x9c\\x93'" <<<"$output" || fail "$output"
	# Exactly the fields the contract names.
	python3 -c '
import json, sys
for line in sys.stdin.read().splitlines():
    d = json.loads(line)
    assert set(d) == {"type", "size", "data"}, d
' <<<"$output" || fail "$output"
}

@test "recv --json: bytes that are not UTF-8 come as data_base64, decoding to the same bytes" {
	new_sysv
	new_posix
	printf 'ok\0\377\376\200end' >"$BATS_TEST_TMPDIR/bin"
	ipctool mq send "$id" -t 4 <"$BATS_TEST_TMPDIR/bin"
	ipctool mq send "$name" -p 8 <"$BATS_TEST_TMPDIR/bin"
	run_ipctool 0 --json mq recv "$id"
	python3 -c "$PY_CHECK_MSGS" type 4 "b'ok\\x00\\xff\\xfe\\x80end'" \
	    <<<"$output" || fail "$output"
	python3 -c '
import base64, json, sys
d = json.loads(sys.stdin.read())
assert "data" not in d and d["size"] == 9, d
sys.stdout.buffer.write(base64.b64decode(d["data_base64"]))
' <<<"$output" >"$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/bin" "$BATS_TEST_TMPDIR/out"
	run_ipctool 0 mq recv "$name" --json
	python3 -c "$PY_CHECK_MSGS" priority 8 "b'ok\\x00\\xff\\xfe\\x80end'" \
	    <<<"$output" || fail "$output"
}

@test "write and read are aliases of send and recv" {
	new_sysv
	new_posix
	run_ipctool 0 mq write "$id" -t 4 w1 w2
	run_ipctool 0 mq read "$id" -t 4 --count 2
	assert_output "$(printf 'w1\nw2')"
	run_ipctool 0 mq write "$name" -p 3 w3
	run_ipctool 0 --json mq read "$name"
	python3 -c "$PY_CHECK_MSGS" priority 3 "b'w3'" <<<"$output" ||
	    fail "$output"
}

@test "recv -l 4 (--length): a longer message is an error, exit 1, and stays queued" {
	new_sysv
	ipctool mq send "$id" 1234567890 ab
	assert_equal "$(ipcs_usage "$id")" "12 2"
	run_ipctool 1 mq recv "$id" -l 4
	assert_error_naming "$id"
	[[ $stderr == *4* ]] || fail "limit not named: $stderr"
	assert_equal "$(ipcs_usage "$id")" "12 2"
	assert_equal "$(ipcs_field "$id" qnum)" 2
	run_ipctool 1 mq recv "$id" --length 4 --all
	assert_equal "$(ipcs_field "$id" qnum)" 2
}

@test "recv -l 4 -T (--truncate): the message arrives cut to 4 bytes and is consumed" {
	new_sysv
	ipctool mq send "$id" 1234567890 ab
	"$IPCTOOL" mq recv "$id" -l 4 -T --raw >"$BATS_TEST_TMPDIR/out"
	printf 1234 | cmp - "$BATS_TEST_TMPDIR/out"
	assert_equal "$(ipcs_usage "$id")" "2 1"
	run_ipctool 0 mq recv "$id" --length 4 --truncate
	assert_output ab
	assert_equal "$(ipcs_usage "$id")" "0 0"
}

# ---- other programs ----

@test "Perl IPC::Msg sends typed messages; ipctool receives them with types" {
	new_sysv
	perl -MIPC::Msg -e '
		my $q = IPC::Msg->new(hex($ARGV[0]), 0) or die "IPC::Msg: $!";
		$q->snd(7, "from perl") or die "snd: $!";
		$q->snd(3, "x\0y\377") or die "snd: $!";
		$q->snd(100, "") or die "snd: $!";
	' "$key"
	assert_equal "$(ipcs_usage "$id")" "13 3"
	run_ipctool 0 --json mq recv "$id" --all
	python3 -c "$PY_CHECK_MSGS" type 7 "b'from perl'" 3 "b'x\\x00y\\xff'" \
	    100 "b''" <<<"$output" || fail "$output"
}

@test "ipctool sends typed messages; Perl IPC::Msg receives them with types" {
	new_sysv
	ipctool mq send "$id" -t 42 'to perl'
	printf 'b\0in\377' | ipctool mq send "key:$key" -t 5
	run perl -MIPC::Msg -e '
		my $q = IPC::Msg->new(hex($ARGV[0]), 0) or die "IPC::Msg: $!";
		for (1 .. 2) {
			my $buf;
			my $t = $q->rcv($buf, 100) // die "rcv: $!";
			$buf =~ s/([^ -~])/sprintf "\\x%02x", ord $1/ge;
			print "$t:$buf\n";
		}
	' "$key"
	assert_success
	assert_output "$(printf '%s\n' '42:to perl' '5:b\x00in\xff')"
	# Perl picks a type too.
	ipctool mq send "$id" -t 1 one
	ipctool mq send "$id" -t 9 nine
	run perl -MIPC::Msg -e '
		my $q = IPC::Msg->new(hex($ARGV[0]), 0) or die;
		my $t = $q->rcv(my $buf, 100, 9) // die "rcv: $!";
		print "$t:$buf\n";
	' "$key"
	assert_output 9:nine
	assert_equal "$(ipcs_usage "$id")" "3 1"
}

# ---- seen from outside ----

@test "ipcs -q and /dev/mqueue QSIZE follow every send and recv" {
	new_sysv
	new_posix
	assert_equal "$(ipcs_usage "$id")" "0 0"
	ipctool mq send "$id" 12345
	assert_equal "$(ipcs_usage "$id")" "5 1"
	ipctool mq send "$id" 123 4567890
	assert_equal "$(ipcs_usage "$id")" "15 3"
	ipctool mq recv "$id" >/dev/null
	assert_equal "$(ipcs_usage "$id")" "10 2"
	ipctool mq recv "$id" --all >/dev/null
	assert_equal "$(ipcs_usage "$id")" "0 0"
	assert_equal "$(qsize "$name")" 0
	ipctool mq send "$name" 12345 123
	assert_equal "$(qsize "$name")" 8
	ipctool mq recv "$name" >/dev/null
	assert_equal "$(qsize "$name")" 3
	ipctool mq recv "$name" >/dev/null
	assert_equal "$(qsize "$name")" 0
}

# ---- signals ----

# sig_during_recv REF SIGNAL STATUS: a blocking recv killed by SIGNAL
# exits STATUS and takes nothing; a message sent after is there for the
# next recv.
sig_during_recv() {
	local ref=$1 sig=$2 want=$3 st=0
	timeout 20 "$IPCTOOL" mq recv "$ref" >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
	kill -"$sig" "$pid"
	wait "$pid" || st=$?
	assert_equal "$st" "$want"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ''
	ipctool mq send "$ref" after-$sig
	run_ipctool 0 mq recv "$ref" --nowait
	assert_output after-$sig
}

@test "SIGINT during a blocking System V recv: exit 130, nothing lost" {
	new_sysv
	sig_during_recv "$id" INT 130
	assert_equal "$(ipcs_usage "$id")" "0 0"
}

@test "SIGTERM during a blocking System V recv: exit 143, nothing lost" {
	new_sysv
	sig_during_recv "$id" TERM 143
}

@test "SIGINT and SIGTERM during a blocking POSIX recv: exit 130 and 143, nothing lost" {
	new_posix
	sig_during_recv "$name" INT 130
	sig_during_recv "$name" TERM 143
	assert_equal "$(qsize "$name")" 0
}

@test "a System V recv waiting for type 2, killed, leaves the type 1 messages sent meanwhile" {
	new_sysv
	timeout 20 "$IPCTOOL" mq recv "$id" --type 2 >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
	ipctool mq send "$id" -t 1 other1 other2
	sleep 0.2
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 130
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" ''
	assert_equal "$(ipcs_usage "$id")" "12 2"
	run_ipctool 0 mq recv "$id" --all
	assert_output "$(printf 'other1\nother2')"
}

@test "SIGINT during a send blocked on a full System V queue: exit 130, queue unchanged" {
	new_sysv --queue-bytes 16
	ipctool mq send "$id" 0123456789abcdef
	assert_equal "$(ipcs_usage "$id")" "16 1"
	for sig in INT:130 TERM:143; do
		timeout 20 "$IPCTOOL" mq send "$id" more >"$BATS_TEST_TMPDIR/out" \
		    2>"$BATS_TEST_TMPDIR/err" 3>&- &
		pid=$!
		wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
		kill -"${sig%:*}" "$pid"
		st=0
		wait "$pid" || st=$?
		assert_equal "$st" "${sig#*:}"
		assert_equal "$(ipcs_usage "$id")" "16 1"
	done
	run_ipctool 0 mq recv "$id" --all
	assert_output 0123456789abcdef
}

@test "SIGINT during a send blocked on a full POSIX queue: exit 130, queue unchanged" {
	new_posix --max-messages 1 --message-size 32
	ipctool mq send "$name" held
	for sig in INT:130 TERM:143; do
		timeout 20 "$IPCTOOL" mq send "$name" more >"$BATS_TEST_TMPDIR/out" \
		    2>"$BATS_TEST_TMPDIR/err" 3>&- &
		pid=$!
		wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
		kill -"${sig%:*}" "$pid"
		st=0
		wait "$pid" || st=$?
		assert_equal "$st" "${sig#*:}"
		assert_equal "$(qsize "$name")" 4
		assert_equal "$(info_field "$name" curmsgs)" 1
	done
	run_ipctool 0 mq recv "$name" --all
	assert_output held
}

@test "send on a full queue waits for room, then sends (both flavours)" {
	new_sysv --queue-bytes 16
	new_posix --max-messages 1 --message-size 32
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" 0123456789abcdef
		timeout 20 "$IPCTOOL" mq send "$ref" next >"$BATS_TEST_TMPDIR/out" \
		    2>"$BATS_TEST_TMPDIR/err" 3>&- &
		pid=$!
		wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
		run_ipctool 0 mq recv "$ref"
		assert_output 0123456789abcdef
		st=0
		wait "$pid" || st=$?
		assert_equal "$st" 0
		run_ipctool 0 mq recv "$ref" --nowait
		assert_output next
	done
}

@test "send --timeout on a full queue waits for room made in time (both flavours)" {
	new_sysv --queue-bytes 16
	new_posix --max-messages 1 --message-size 32
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" 0123456789abcdef
		timeout 20 "$IPCTOOL" mq send "$ref" --timeout 10 next \
		    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
		pid=$!
		wait_blocked "$pid" "$BATS_TEST_TMPDIR/err"
		ipctool mq recv "$ref" >/dev/null
		st=0
		wait "$pid" || st=$?
		[ "$st" -eq 0 ] ||
		    fail "send --timeout 10 exited $st: $(cat "$BATS_TEST_TMPDIR/err")"
		run_ipctool 0 mq recv "$ref" --nowait
		assert_output next
	done
}

@test "send --nowait and --timeout on a full queue: exit 3, nothing sent" {
	new_sysv --queue-bytes 16
	new_posix --max-messages 1 --message-size 32
	ipctool mq send "$id" 0123456789abcdef
	ipctool mq send "$name" held
	for ref in "$id" "$name"; do
		run_ipctool 3 mq send "$ref" --nowait more
		assert_error_naming "$ref"
		run --separate-stderr timeout 20 "$IPCTOOL" mq send "$ref" \
		    --timeout 0.3 more
		assert_equal "$status" 3
		assert_error_naming "$ref"
	done
	assert_equal "$(ipcs_usage "$id")" "16 1"
	assert_equal "$(qsize "$name")" 4
}

@test "a System V recv --timeout racing a message at the deadline never loses it" {
	new_sysv
	for i in 1 2 3 4 5 6 7 8; do
		delay=0.$((15 + i))	# 0.16 .. 0.23 s around the 0.2 s deadline
		timeout 20 "$IPCTOOL" mq recv "$id" --timeout 0.2 \
		    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
		pid=$!
		(sleep "$delay" && "$IPCTOOL" mq send "$id" "msg-$i") 3>&- &
		spid=$!
		st=0
		wait "$pid" || st=$?
		wait "$spid"
		got=$(cat "$BATS_TEST_TMPDIR/out")
		left=$("$IPCTOOL" mq recv "$id" --all)
		case $st in
		0) assert_equal "$got" "msg-$i"
		   assert_equal "$left" '' ;;
		3) assert_equal "$got" ''
		   assert_equal "$left" "msg-$i" ;;
		*) fail "round $i: recv exited $st: $(cat "$BATS_TEST_TMPDIR/err")" ;;
		esac
	done
	assert_equal "$(ipcs_usage "$id")" "0 0"
}

# ---- concurrency ----

# four_by_four REF: 4 producers each send 2,000 distinct lines, 4
# consumers each receive 2,000; every message arrives exactly once.
four_by_four() {
	local ref=$1 d=$BATS_TEST_TMPDIR i st bad='' consumers=() producers=()
	for i in 1 2 3 4; do
		seq -f "p$i-%04g" 1 2000 >"$d/sent$i"
	done
	for i in 1 2 3 4; do
		timeout 60 "$IPCTOOL" mq recv "$ref" --count 2000 \
		    >"$d/got$i" 2>"$d/cerr$i" 3>&- &
		consumers+=($!)
	done
	for i in 1 2 3 4; do
		timeout 60 "$IPCTOOL" mq send "$ref" --lines <"$d/sent$i" \
		    2>"$d/perr$i" 3>&- &
		producers+=($!)
	done
	for i in 0 1 2 3; do
		st=0
		wait "${producers[$i]}" || st=$?
		[ "$st" -eq 0 ] || bad+=" producer $((i + 1)) exited $st;"
	done
	# A producer failed: the consumers would wait for ever; stop them.
	[ -z "$bad" ] || kill -TERM "${consumers[@]}" 2>/dev/null || true
	for i in 0 1 2 3; do
		st=0
		wait "${consumers[$i]}" || st=$?
		[ "$st" -eq 0 ] || bad+=" consumer $((i + 1)) exited $st;"
	done
	[ -z "$bad" ] || fail "$bad $(cat "$d"/perr? "$d"/cerr?)"
	cat "$d"/sent? | sort >"$d/all-sent"
	cat "$d"/got? | sort >"$d/all-got"
	assert_equal "$(wc -l <"$d/all-sent")" 8000
	assert_equal "$(sort -u "$d/all-sent" | wc -l)" 8000
	assert_equal "$(uniq -d "$d/all-got")" ''
	assert_equal "$(wc -l <"$d/all-got")" 8000
	cmp "$d/all-sent" "$d/all-got"
	for i in 1 2 3 4; do
		assert_equal "$(wc -l <"$d/got$i")" 2000
	done
}

@test "concurrency: 4 producers x 2,000 and 4 consumers on a System V queue, each message once" {
	new_sysv --queue-bytes 16K
	four_by_four "$id"
	assert_equal "$(ipcs_usage "$id")" "0 0"
}

@test "concurrency: 4 producers x 2,000 and 4 consumers on a POSIX queue, each message once" {
	new_posix --message-size 64
	four_by_four "$name"
	assert_equal "$(qsize "$name")" 0
}

# ---- bad input ----

@test "send --type 0 or -1: exit 2, nothing sent" {
	new_sysv
	run_ipctool 2 mq send "$id" --type 0 x
	assert_error_naming 0
	run_ipctool 2 mq send "$id" --type -1 x
	assert_error_naming -1
	run_ipctool 2 mq send "$id" -t abc x
	assert_error_naming abc
	assert_equal "$(ipcs_usage "$id")" "0 0"
}

@test "send --priority >= 32768 (MQ_PRIO_MAX): exit 2, nothing sent; 32767 is fine" {
	new_posix
	run_ipctool 2 mq send "$name" --priority 32768 x
	assert_error_naming 32768
	run_ipctool 2 mq send "$name" -p -1 x
	assert_error_naming -1
	assert_equal "$(qsize "$name")" 0
	run_ipctool 0 mq send "$name" -p 32767 x
	assert_equal "$(qsize "$name")" 1
}

@test "an option of the other flavour: --priority on System V, --type on POSIX: exit 2" {
	new_sysv
	new_posix
	run_ipctool 2 mq send "$id" --priority 1 x
	assert_error_naming --priority
	run_ipctool 2 mq send "$name" --type 1 x
	assert_error_naming --type
	run_ipctool 2 mq recv "$name" --type 1
	assert_error_naming --type
	run_ipctool 2 mq recv "$name" --except --type 1
	assert_equal "$(ipcs_usage "$id")" "0 0"
	assert_equal "$(qsize "$name")" 0
}

@test "oversized message on POSIX: exit 1 naming the limit, nothing sent" {
	new_posix --message-size 16
	big=$(printf 'x%.0s' {1..17})
	run_ipctool 1 mq send "$name" "$big"
	assert_error_naming 16
	# Every DATA is checked first: the short one before is not sent either.
	run_ipctool 1 mq send "$name" short "$big"
	assert_error_naming 16
	printf '%s' "$big" >"$BATS_TEST_TMPDIR/big"
	run_ipctool 1 mq send "$name" <"$BATS_TEST_TMPDIR/big"
	assert_error_naming 16
	assert_equal "$(qsize "$name")" 0
	assert_equal "$(info_field "$name" curmsgs)" 0
	# Exactly the limit is fine.
	run_ipctool 0 mq send "$name" "${big:1}"
	assert_equal "$(qsize "$name")" 16
}

@test "oversized message on System V (over qbytes): exit 1 naming the limit, nothing sent" {
	new_sysv --queue-bytes 32
	big=$(printf 'y%.0s' {1..33})
	run_ipctool 1 mq send "$id" "$big"
	assert_error_naming 32
	run_ipctool 1 mq send "$id" ok "$big"
	assert_error_naming 32
	printf '%s' "$big" >"$BATS_TEST_TMPDIR/big"
	run_ipctool 1 mq send "$id" <"$BATS_TEST_TMPDIR/big"
	assert_error_naming 32
	assert_equal "$(ipcs_usage "$id")" "0 0"
	run_ipctool 0 mq send "$id" "${big:1}"
	assert_equal "$(ipcs_usage "$id")" "32 1"
}

@test "malformed POSIX name /a/b: exit 2" {
	for verb in "create /a/b" "info /a/b" "send /a/b x" "recv /a/b" "rm /a/b"; do
		run_ipctool 2 mq $verb
		assert_error_naming /a/b
	done
	run_ipctool 2 mq create /
	assert_output ''
}

@test "missing queue: id 2147483000 and /nonexistent: exit 1, no such message queue" {
	for ref in 2147483000 "/nonexistent-$$-$RANDOM"; do
		for verb in info recv send rm; do
			if [ "$verb" = send ]; then
				run_ipctool 1 mq send "$ref" x
			else
				run_ipctool 1 mq "$verb" "$ref"
			fi
			assert_error_naming "no such message queue"
			[[ $stderr == "ipctool: mq $verb $ref: "* ]] || fail "$stderr"
		done
	done
}

@test "a root 0600 System V queue received from as nobody: exit 1, permission denied" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch user"
	new_sysv
	ipctool mq send "$id" secret
	for args in "recv $id" "recv key:$key" "recv $id --nowait" "send $id x"; do
		as_nobody "$IPCTOOL" mq $args
		assert_equal "$status" 1
		assert_error_naming "permission denied"
	done
	assert_equal "$(ipcs_usage "$id")" "6 1"
	run_ipctool 0 mq recv "$id"
	assert_output secret
}

@test "a root 0600 POSIX queue received from as nobody: exit 1, permission denied" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch user"
	new_posix
	ipctool mq send "$name" secret
	for args in "recv $name" "recv $name --all" "send $name x"; do
		as_nobody "$IPCTOOL" mq $args
		assert_equal "$status" 1
		assert_error_naming "permission denied"
	done
	assert_equal "$(qsize "$name")" 6
	run_ipctool 0 mq recv "$name"
	assert_output secret
}

@test "recv --count with --all: exit 2" {
	new_sysv
	ipctool mq send "$id" keep
	run_ipctool 2 mq recv "$id" --count 2 --all
	assert_error_naming --all
	assert_equal "$(ipcs_usage "$id")" "4 1"
}

@test "recv --except without a positive --type: exit 2" {
	new_sysv
	ipctool mq send "$id" -t 3 keep
	run_ipctool 2 mq recv "$id" --except
	assert_error_naming --except
	run_ipctool 2 mq recv "$id" --except --type 0
	run_ipctool 2 mq recv "$id" --except --type -5
	assert_equal "$(ipcs_usage "$id")" "4 1"
}

@test "--nowait with --timeout: exit 2 (send and recv)" {
	new_sysv
	ipctool mq send "$id" keep
	run_ipctool 2 mq recv "$id" --nowait --timeout 1
	assert_error_naming --timeout
	run_ipctool 2 mq send "$id" -n -w 1 x
	assert_error_naming --timeout
	assert_equal "$(ipcs_usage "$id")" "4 1"
}

@test "bad --timeout, --count and --length values: exit 2" {
	new_sysv
	run_ipctool 2 mq recv "$id" --timeout soon
	assert_error_naming soon
	run_ipctool 2 mq recv "$id" --count 0
	assert_error_naming 0
	run_ipctool 2 mq recv "$id" --count many
	assert_error_naming many
	run_ipctool 2 mq recv "$id" --length 4Q
	assert_error_naming 4Q
	run_ipctool 2 mq send "$id" --lines --null </dev/null
	run_ipctool 2 mq send "$id" --lines x </dev/null
	assert_equal "$(ipcs_usage "$id")" "0 0"
}

# ---- rm ----

@test "rm removes both flavours; afterwards: no such message queue" {
	new_sysv
	new_posix
	ipctool mq send "$id" gone
	run_ipctool 0 mq rm "$id" "$name"
	assert_output ''
	assert_equal "$(ipcs_row "$id")" ''
	[ ! -e "/dev/mqueue${name}" ]
	run_ipctool 1 mq info "$id"
	assert_error_naming "no such message queue"
	run_ipctool 1 mq info "$name"
	assert_error_naming "no such message queue"
	new_sysv
	run_ipctool 0 mq rm "key:$key"
	assert_equal "$(ipcs_row "$id")" ''
}

@test "rm several, one missing: the others are removed, exit 1" {
	new_sysv
	id1=$id
	new_sysv
	id2=$id
	new_posix
	missing=$(unique_name)
	run_ipctool 1 mq rm "$id1" "$missing" "$name" "$id2"
	assert_error_naming "$missing"
	[[ $stderr == *"no such message queue"* ]] || fail "$stderr"
	assert_equal "$(ipcs_row "$id1")" ''
	assert_equal "$(ipcs_row "$id2")" ''
	[ ! -e "/dev/mqueue${name}" ]
}

# ---- help ----

@test "help: mq --help, help mq and mq send --help / recv --help exit 0 on stdout" {
	run_ipctool 0 mq --help
	for v in create ls info send recv write read rm; do
		assert_line --regexp "^  $v +"
	done
	assert_equal "$stderr" ''
	run_ipctool 0 help mq
	assert_line --regexp '^  send +'
	run_ipctool 0 mq send --help
	for o in --type --priority --lines --null --nowait --timeout; do
		assert_output --partial -- "$o"
	done
	assert_equal "$stderr" ''
	run_ipctool 0 mq recv --help
	for o in --type --except --count --all --nowait --timeout --length \
	    --truncate --raw --null; do
		assert_output --partial -- "$o"
	done
	run_ipctool 0 mq create --help
	for o in --mode --exist-ok --max-messages --message-size --queue-bytes; do
		assert_output --partial -- "$o"
	done
}

@test "send --lines: a record too long names how many went before it" {
	new_posix --max-messages 10 --message-size 8
	printf 'one\ntwo\nmuch too long\nfour\n' >"$BATS_TEST_TMPDIR/in"
	run_ipctool 1 mq send "$name" --lines <"$BATS_TEST_TMPDIR/in"
	[[ "$stderr" == *"above the queue's msgsize (8 bytes); not sent, after 2 sent before it"* ]]
	run_ipctool 0 mq recv "$name" --all
	assert_output $'one\ntwo'
}

@test "without /dev/mqueue: mq ls says how to mount it, exit 1; System V still listed" {
	new_sysv
	[ "$(id -u)" -eq 0 ] || skip "needs root to unmount /dev/mqueue"
	run unshare --mount --propagation private sh -c \
	    "umount /dev/mqueue && '$IPCTOOL' mq ls"
	[ "$status" -eq 1 ]
	[[ "$output" == *"mount -t mqueue none /dev/mqueue"* ]]
	[[ "$output" =~ sysv\ +0x[0-9a-f]+\ +$id ]]
	run unshare --mount --propagation private sh -c \
	    "umount /dev/mqueue && '$IPCTOOL' ls >/dev/null"
	[ "$status" -eq 0 ]
	[[ "$output" == *"not mounted"* ]]
}

# ---- recv never loses a message it took ----

# big_messages: args=(three 5,000-byte messages, "0001xx...", "0002xx..."
# and "0003xx..."), more than a 4 KiB pipe holds.
big_messages() {
	local pad i
	pad=$(printf '%4996s' '' | tr ' ' x)
	args=()
	for i in 1 2 3; do args+=("$(printf '%04d' "$i")$pad"); done
}

# short_reader CMD...: run CMD into a 4 KiB pipe whose reader takes one
# byte and leaves; prints CMD's status.
short_reader() {
	python3 -c '
import fcntl, os, subprocess, sys
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)	# F_SETPIPE_SZ
p = subprocess.Popen(sys.argv[1:], stdout=w)
os.close(w)
os.read(r, 1)
os.close(r)
print(p.wait(timeout=10))' "$@"
}

# signal_while_waiting SIG CMD...: start CMD, send SIG once it waits; prints
# its status as Python sees it (-N: killed by signal N, not an exit).
signal_while_waiting() {
	python3 -c '
import signal, subprocess, sys, time
p = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL)
time.sleep(0.5)
p.send_signal(getattr(signal, sys.argv[1]))
print(p.wait(timeout=10))' "$@"
}

# The first four bytes of each queued message, in the order recv takes them.
queued_heads() {
	"$IPCTOOL" --json mq recv "$1" --all | python3 -c '
import json, sys
print(" ".join(json.loads(l)["data"][:4] for l in sys.stdin))'
}

@test "recv >/dev/full: exit 1, the message put back with its type (System V), behind the rest" {
	new_sysv
	ipctool mq send "$id" -t 5 first
	ipctool mq send "$id" -t 7 second
	ipctool_stdout_to '>/dev/full' mq recv "$id"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "ipctool: mq recv $id: write error: no space left on device; message put back on the queue"
	# Still two messages of 11 bytes, seen from outside.
	assert_equal "$(ipcs_usage "$id")" "11 2"
	# Its type kept; a put-back message queues behind those there.
	run_ipctool 0 --json mq recv "$id" --all
	assert_output $'{"type":7,"size":6,"data":"second"}\n{"type":5,"size":5,"data":"first"}'
}

@test "recv >/dev/full: exit 1, the message put back with its priority (POSIX), after its equals" {
	new_posix
	ipctool mq send "$name" -p 3 first
	ipctool mq send "$name" -p 3 second
	ipctool mq send "$name" -p 1 low
	ipctool_stdout_to '>/dev/full' mq recv "$name"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "ipctool: mq recv $name: write error: no space left on device; message put back on the queue"
	assert_equal "$(qsize "$name")" 14
	run_ipctool 0 --json mq recv "$name" --all
	assert_output $'{"priority":3,"size":6,"data":"second"}\n{"priority":3,"size":5,"data":"first"}\n{"priority":1,"size":3,"data":"low"}'
}

@test "recv --all/--count/--json >/dev/full: exit 1 after one message, none lost (both flavours)" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		for args in "--all" "--count 3" "--json --all" "--all -0" "--all --raw"; do
			ipctool mq send "$ref" one two three
			# shellcheck disable=SC2086
			ipctool_stdout_to '>/dev/full' mq recv "$ref" $args
			[ "$status" -eq 1 ]
			[[ "$stderr" == *"write error: no space left on device; message put back on the queue" ]]
			[ "$(grep -c . <<<"$stderr")" -eq 1 ]
			run_ipctool 0 mq recv "$ref" --all
			assert_output $'two\nthree\none'
		done
	done
	assert_equal "$(ipcs_usage "$id")" "0 0"
	assert_equal "$(qsize "$name")" 0
}

@test "recv into a pipe with no reader: exit 1 not SIGPIPE, every message still queued (both flavours)" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" one two three
		run ipctool_into_dead_pipe mq recv "$ref" --all
		[ "${lines[-1]}" = 1 ]
		[[ "$output" == *"mq recv $ref: write error: broken pipe; message put back on the queue"* ]]
		run_ipctool 0 mq recv "$ref" --all
		assert_output $'two\nthree\none'
	done
}

@test "recv --all into a reader that leaves after one byte: exit 1, what was not delivered stays queued" {
	local ref args
	new_sysv
	new_posix --max-messages 10 --message-size 5000
	big_messages
	# 15,000 bytes into a pipe of 4 KiB whose reader takes one byte and
	# leaves: the first message is cut short and put back, whole.
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" "${args[@]}"
		run short_reader "$IPCTOOL" mq recv "$ref" --all
		[ "${lines[-1]}" = 1 ]
		[[ "$output" == *"mq recv $ref: write error: broken pipe; message put back on the queue"* ]]
		run queued_heads "$ref"
		assert_output "0002 0003 0001"
	done
}

@test "recv with stdout closed: exit 1, no message taken (both flavours)" {
	new_sysv
	new_posix
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" one two
		ipctool_stdout_to '>&-' mq recv "$ref" --all
		[ "$status" -eq 1 ]
		assert_equal "$stderr" "ipctool: mq recv $ref: write error: bad file descriptor; no message taken"
		run_ipctool 0 mq recv "$ref" --all
		assert_output $'one\ntwo'
	done
}

@test "recv waiting: SIGTERM exits 143 and SIGINT 130, queue unchanged (both flavours)" {
	new_sysv
	new_posix
	ipctool mq send "$id" -t 1 stays
	run signal_while_waiting SIGTERM "$IPCTOOL" mq recv "$id" -t 9
	assert_output 143
	run signal_while_waiting SIGINT "$IPCTOOL" mq recv "$id" -t 9 --count 2
	assert_output 130
	assert_equal "$(ipcs_usage "$id")" "5 1"
	run signal_while_waiting SIGTERM "$IPCTOOL" mq recv "$name"
	assert_output 143
	run signal_while_waiting SIGINT "$IPCTOOL" --json mq recv "$name" --count 3
	assert_output 130
	assert_equal "$(qsize "$name")" 0
	# No receiver is left behind to take the next message.
	ipctool mq send "$name" next
	assert_equal "$(qsize "$name")" 4
	run_ipctool 0 mq recv "$id" --all
	assert_output stays
}

@test "recv stuck writing to a full pipe: SIGTERM puts the message back and exits 143 (both flavours)" {
	local ref args
	new_sysv
	new_posix --max-messages 10 --message-size 5000
	big_messages
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" "${args[@]}"
		# A 4 KiB pipe nobody reads: the first message fills it and waits.
		run python3 -c '
import fcntl, os, signal, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, 1031, 4096)	# F_SETPIPE_SZ
p = subprocess.Popen(sys.argv[1:], stdout=w)
os.close(w)
time.sleep(0.5)
p.send_signal(signal.SIGTERM)
print(p.wait(timeout=10), len(os.read(r, 100000)))' "$IPCTOOL" mq recv "$ref" --all
		assert_output "143 4096"
		run queued_heads "$ref"
		assert_output "0002 0003 0001"
	done
}

@test "recv with read permission only: receives; a message it cannot write is reported lost, with why" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run as nobody"
	new_sysv --mode 0644
	new_posix --mode 0644
	for ref in "$id" "$name"; do
		ipctool mq send "$ref" one two
		as_nobody "$IPCTOOL" mq recv "$ref"
		[ "$status" -eq 0 ]
		assert_output one
		run --separate-stderr timeout 10 setpriv --reuid=nobody --regid=nogroup \
		    --clear-groups sh -c 'exec "$@" >/dev/full' _ "$IPCTOOL" mq recv "$ref"
		[ "$status" -eq 1 ]
		[[ "$stderr" == "ipctool: mq recv $ref: write error: no space left on device; the message is lost: "* ]] || fail "$stderr"
	done
	[[ "$stderr" == *"cannot be put back without write permission on the queue" ]]
	assert_equal "$(ipcs_usage "$id")" "0 0"
	assert_equal "$(qsize "$name")" 0
}
