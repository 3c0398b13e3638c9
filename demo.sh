#!/usr/bin/env bash
# A short tour of ipctool: every command it runs is shown first.  It makes
# its own objects (private ids and names with its pid in them) and removes
# them before it ends, whatever happens.
set -eu
ipctool=${IPCTOOL:-$(dirname "$0")/ipctool}
name=/ipctool-demo-$$
id= qid= sid= hold= writer=
dir=$(mktemp -d)

cleanup() {
	if [ -n "$id" ]; then "$ipctool" shm rm "$id" 2>/dev/null || :; fi
	if [ -n "$qid" ]; then "$ipctool" mq rm "$qid" 2>/dev/null || :; fi
	if [ -n "$sid" ]; then "$ipctool" sem rm "$sid" 2>/dev/null || :; fi
	"$ipctool" sem rm "$name" 2>/dev/null || :
	"$ipctool" shm rm "$name" 2>/dev/null || :
	"$ipctool" mq rm "$name" 2>/dev/null || :
	if [ -n "$hold" ]; then kill "$hold" "$writer" 2>/dev/null || :; fi
	rm -rf "$dir"
}
trap cleanup EXIT

bold= plain=
if [ -t 1 ]; then bold=$(printf '\033[1m') plain=$(printf '\033[0m'); fi
show() {
	local line="$*"
	printf '\n%s$ %s%s\n' "$bold" "${line//$ipctool/ipctool}" "$plain"
}
# Show the command as a user would type it, quoting only where needed.
run() {
	local a words=()
	for a in "$@"; do
		if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then words+=("$a")
		else words+=("'$a'"); fi
	done
	show "${words[*]}"
	"$@"
}

echo "== System V shared memory: the classic shmget/shmat/shmctl example"
show "id=\$(ipctool shm create --size 1K)"
id=$("$ipctool" shm create --size 1K)
echo "$id"
run "$ipctool" shm write "$id" "shared hello"
run "$ipctool" shm read "$id" --string
echo
run "$ipctool" shm read "$id" --hex --length 32
run "$ipctool" shm info "$id"
run ipcs -m -i "$id"

echo
echo "== POSIX shared memory: shm_open and mmap, a file in /dev/shm"
run "$ipctool" shm create "$name" --size 4K --mode 0640
show "head -c 100 /dev/urandom | ipctool shm write $name --offset 16"
head -c 100 /dev/urandom | "$ipctool" shm write "$name" --offset 16
run "$ipctool" shm read "$name" --hex --length 48
run ls -l "/dev/shm${name}"

echo
echo "== System V message queues: typed task dispatch"
show "qid=\$(ipctool mq create)"
qid=$("$ipctool" mq create)
echo "$qid"
run "$ipctool" mq send "$qid" --type 2 'resize img.png'
run "$ipctool" mq send "$qid" --type 1 'log started'
run "$ipctool" mq send "$qid" --type 2 'resize cat.jpg'
run "$ipctool" mq recv "$qid" --type 2 --count 2
run "$ipctool" --json mq recv "$qid" --all
run ipcs -q -i "$qid"

echo
echo "== POSIX message queues: priorities, highest first"
run "$ipctool" mq create "$name" --max-messages 8 --message-size 64
run "$ipctool" mq send "$name" --priority 1 routine
run "$ipctool" mq send "$name" --priority 9 urgent
run "$ipctool" mq info "$name"
run "$ipctool" mq recv "$name" --all
run "$ipctool" mq recv "$name" --timeout 0.2 || echo "(exit $?: nothing came)"

echo
echo "== Semaphores: P and V, and a lock around a command"
show "sid=\$(ipctool sem create --count 2 --value 1,0)"
sid=$("$ipctool" sem create --count 2 --value 1,0)
echo "$sid"
run "$ipctool" sem wait "$sid"                 # P on semaphore 0
run "$ipctool" sem post "$sid" --index 1       # V on semaphore 1
run "$ipctool" sem get "$sid"
run "$ipctool" sem op "$sid" 0:+1 1:-1         # both at once, atomically
run "$ipctool" sem wait "$sid" --index 1 --nowait || echo "(exit $?: it is 0)"
run "$ipctool" sem run "$sid" -- "$ipctool" sem get "$sid" --index 0   # 0 while held
run "$ipctool" sem create "$name" --value 3
run "$ipctool" sem info "$name"

echo
echo "== Anonymous pipes: the parent/child example, and one seen from outside"
run "$ipctool" pipe create 'printf "hello from child"' 'cat'
echo
run "$ipctool" pipe create --stats 'head -c 64M /dev/zero' 'wc -c'
show "{ printf 'queued, not yet read'; exec sleep 30; } | sleep 30 &"
{ echo "$BASHPID" >"$dir/writer"; printf 'queued, not yet read'; exec sleep 30; } | exec sleep 30 &
hold=$!
until [ -s "$dir/writer" ]; do sleep 0.05; done
writer=$(cat "$dir/writer")
run "$ipctool" pipe info "$writer:1"
run "$ipctool" pipe peek "$writer:1" --hex          # tee(2): still queued
run "$ipctool" pipe resize "$writer:1" 1M
run "$ipctool" --json pipe info "$writer:1"
kill "$writer" "$hold" 2>/dev/null || :
hold=

echo
echo "== FIFOs: the server/client example with a named pipe"
run "$ipctool" fifo create "$dir/demo_fifo"
run ls -l "$dir/demo_fifo"
show "ipctool fifo read --follow $dir/demo_fifo &     # the server"
"$ipctool" fifo read --follow "$dir/demo_fifo" &
hold=$!
show "echo ping | ipctool fifo write $dir/demo_fifo      # a client"
echo ping | "$ipctool" fifo write "$dir/demo_fifo"
show "echo pong | ipctool fifo write $dir/demo_fifo      # another"
echo pong | "$ipctool" fifo write "$dir/demo_fifo"
run "$ipctool" fifo attach "$dir/demo_fifo" --write -- "$ipctool" fifo info "$dir/demo_fifo"
kill "$hold" 2>/dev/null || :
wait "$hold" 2>/dev/null || :
hold=
run "$ipctool" fifo write "$dir/demo_fifo" --nowait late || echo "(exit $?: no reader now)"
run "$ipctool" fifo rm "$dir/demo_fifo"

echo
echo "== Everything at once, as a table and as JSON"
run "$ipctool" shm ls
run "$ipctool" --json shm info "$id"
run "$ipctool" limits

echo
echo "== Attached while a command runs: nattch counts us"
run "$ipctool" shm attach "$id" -- ipcs -m -i "$id"

echo
echo "== Removing; a second rm says why it fails"
run "$ipctool" mq rm "$qid" "$name"
qid=
run "$ipctool" sem rm "$sid" "$name"
sid=
run "$ipctool" shm rm "$id" "$name"
show "$ipctool shm rm $id"
"$ipctool" shm rm "$id" || echo "(exit $?)"
id=
