#!/usr/bin/env bats
# Limits and overflow (issue 12): each refusal is one line naming the limit
# and its value, exit 1 (2 for a malformed or unrepresentable value), and
# nothing is created or changed.  The suite runs in its own IPC namespace,
# so lowering a kernel/ limit here touches only it; each is restored.

load helpers

IPC_OBJECT=shm
IPCS_FLAG=-m

SAVED=()
# lower FILE VALUE: write VALUE to /proc/sys/FILE, restored in teardown.
lower() {
	SAVED+=("$1" "$(cat "/proc/sys/$1")")
	echo "$2" >"/proc/sys/$1"
}

teardown() {
	local i
	for ((i = ${#SAVED[@]} - 2; i >= 0; i -= 2)); do
		echo "${SAVED[i + 1]}" >"/proc/sys/${SAVED[i]}"
	done
	kill_tracked
	cleanup_objects
}

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

count() {
	ipcs "$1" | grep -c '^0x' || true
}

# ---- --offset and --length ----

@test "shm read: --offset+--length exactly to the end works; one past is refused naming the size" {
	new_sysv --size 4K
	ipctool shm write "$id" --offset 4090 abcdef
	run_ipctool 0 shm read "$id" --offset 4090 --length 6
	assert_output abcdef
	run_ipctool 0 shm read "$id" --offset 4096
	assert_output ''
	run_ipctool 1 shm read "$id" --offset 4090 --length 7
	assert_error_naming "7 bytes at offset 4090 pass the end (size 4096)"
	run_ipctool 1 shm read "$id" --offset 4097
	assert_error_naming "offset 4097 is past the end (size 4096)"
	run_ipctool 1 shm write "$id" --offset 4090 abcdefg
	assert_error_naming "nothing written"
	assert_equal "$(ipctool shm read "$id" --offset 4090)" abcdef
}

@test "shm read/write near INT64_MAX: no overflow, a clear refusal; past INT64_MAX is malformed (exit 2)" {
	new_sysv --size 4K
	max=9223372036854775807
	run_ipctool 1 shm read "$id" --offset 1 --length "$max"
	assert_error_naming "$max bytes at offset 1 pass the end (size 4096)"
	run_ipctool 1 shm read "$id" --offset "$max" --length "$max"
	assert_error_naming "offset $max is past the end (size 4096)"
	run_ipctool 1 shm read "$id" --offset 4095 --length "$max"
	assert_error_naming "pass the end"
	run_ipctool 1 shm write "$id" --offset "$max" x
	assert_error_naming "past the end"
	run_ipctool 2 shm read "$id" --offset 9223372036854775808
	assert_error_naming "--offset"
	run_ipctool 2 shm read "$id" --length 8E
	assert_error_naming "--length"
	name=$(unique_name)
	cleanup_later shm "$name"
	ipctool shm create "$name" --size 4K >/dev/null
	run_ipctool 1 shm read "$name" --offset 4000 --length "$max"
	assert_error_naming "pass the end (size 4096)"
}

# ---- shmmax, shmmni ----

@test "shm create --size above shmmax: one line naming shmmax and its value, exit 1, nothing created" {
	lower kernel/shmmax 65536
	before=$(count -m)
	run_ipctool 1 shm create --size 1M
	assert_error_naming "above the kernel's limit shmmax (65536 bytes"
	run_ipctool 1 shm create "key:$(unique_key)" --size 65537
	assert_error_naming "shmmax (65536"
	assert_equal "$(count -m)" "$before"
}

@test "shm create past shmmni: names shmmni and its value, exit 1, nothing created" {
	new_sysv --size 4K
	lower kernel/shmmni "$(count -m)"
	before=$(count -m)
	run_ipctool 1 shm create --size 4K
	assert_error_naming "shmmni ($before segments"
	assert_equal "$(count -m)" "$before"
}

# ---- sem: SEMVMX, semmni, semmsl ----

@test "sem set/create above SEMVMX (32767): exit 2 naming SEMVMX and the value; nothing changed or created" {
	IPC_OBJECT=sem new_sysv --count 2 --value 5
	run_ipctool 2 sem set "$id" 32768
	assert_error_naming "'32768' (above the kernel's limit SEMVMX, 32767)"
	run_ipctool 2 sem set "$id" --value 1,99999999999999999999
	assert_error_naming "99999999999999999999"
	before=$(count -s)
	run_ipctool 2 sem create --value 40000
	assert_error_naming "SEMVMX, 32767"
	assert_equal "$(count -s)" "$before"
	assert_equal "$(ipctool sem get "$id" --index 1)" 5
	run_ipctool 0 sem set "$id" 32767
	assert_equal "$(ipctool sem get "$id" --index 0)" 32767
	run_ipctool 1 sem post "$id"
	assert_error_naming "SEMVMX"
	assert_equal "$(ipctool sem get "$id" --index 0)" 32767
}

@test "sem create past semmni and semmsl: names the limit and its value, exit 1, nothing created" {
	IPC_OBJECT=sem new_sysv
	read -r msl mns opm mni </proc/sys/kernel/sem
	lower kernel/sem "10 $mns $opm $(count -s)"
	before=$(count -s)
	run_ipctool 1 sem create
	assert_error_naming "semmni ($before sets"
	run_ipctool 1 sem create --count 11
	assert_error_naming "semmsl (10 semaphores"
	assert_equal "$(count -s)" "$before"
}

@test "sem op: a delta past SEMVMX is malformed (exit 2) naming SEMVMX; nothing changes" {
	IPC_OBJECT=sem new_sysv --value 1
	run_ipctool 2 sem op "$id" 0:+32768
	assert_error_naming "SEMVMX"
	run_ipctool 2 sem op "$id" 0:-99999999999999999999999
	assert_error_naming "SEMVMX"
	assert_equal "$(ipctool sem get "$id")" 1
}

# ---- mq: msgsize, msgmax, msgmni ----

@test "mq send above msgsize (POSIX) / msgmax (System V): exit 1, one line with the size, nothing sent" {
	name=$(unique_name)
	cleanup_later mq "$name"
	ipctool mq create "$name" --message-size 128 >/dev/null
	run_ipctool 1 mq send "$name" "$(printf '%129s' x)"
	assert_error_naming 128
	assert_equal "$(ipctool mq info "$name" -H -r -o curmsgs)" 0
	IPC_OBJECT=mq new_sysv
	max=$(cat /proc/sys/kernel/msgmax)
	run_ipctool 1 mq send "$id" "$(head -c $((max + 1)) /dev/zero | tr '\0' a)"
	assert_error_naming "$max"
	assert_equal "$(ipcs -q | awk -v id="$id" '$2 == id { print $6 }')" 0
}

@test "mq send above msgsize/msgmax names the limit: msgsize (POSIX), msgmax (System V)" {
	name=$(unique_name)
	cleanup_later mq "$name"
	ipctool mq create "$name" --message-size 128 >/dev/null
	run_ipctool 1 mq send "$name" "$(printf '%129s' x)"
	assert_error_naming "msgsize (128"
	IPC_OBJECT=mq new_sysv
	max=$(cat /proc/sys/kernel/msgmax)
	run_ipctool 1 mq send "$id" "$(head -c $((max + 1)) /dev/zero | tr '\0' a)"
	assert_error_naming "msgmax, /proc/sys/kernel/msgmax ($max"
}

@test "mq create past msgmni: names msgmni, exit 1, nothing created" {
	IPC_OBJECT=mq new_sysv
	lower kernel/msgmni "$(count -q)"
	before=$(count -q)
	run_ipctool 1 mq create
	assert_error_naming "msgmni"
	assert_equal "$(count -q)" "$before"
}

# ---- pipe-max-size ----

@test "as nobody: pipe resize above pipe-max-size names it and its value, exit 1, capacity unchanged" {
	max=$(cat /proc/sys/fs/pipe-max-size)
	run --separate-stderr as_nobody bash -c '
	    exec 3< <(exec sleep 5)
	    "$1" pipe resize 3 "$2"; echo "rc=$?"
	    "$1" pipe info 3 -H -r -o capacity' _ "$IPCTOOL" "$((max * 2))"
	assert_equal "$stderr" "ipctool: pipe resize 3: $((max * 2)) bytes is above the limit of $max in /proc/sys/fs/pipe-max-size"
	assert_equal "${lines[0]}" rc=1
	assert_equal "${lines[1]}" 65536
	run_ipctool 2 pipe resize 0 4G
	assert_error_naming "size"
}
