#!/usr/bin/env bats
# Shell completions.  The bash function is driven directly, the way bash
# calls it; zsh and fish are asked for real completions from a shell that
# has the files loaded; all three files are checked for syntax.

load helpers

COMPLETIONS=$BATS_TEST_DIRNAME/../completions

setup() {
	# ipctool on PATH under its own name, as an installed one would be,
	# and no shell function of that name in the way.
	BIN_DIR=$BATS_TEST_TMPDIR/bin
	mkdir -p "$BIN_DIR"
	ln -sf "$IPCTOOL" "$BIN_DIR/ipctool"
	PATH=$BIN_DIR:$PATH
	unset -f ipctool
	# shellcheck source=../completions/ipctool.bash
	source "$COMPLETIONS/ipctool.bash"
}

# comp_line LINE: run the bash completion function as bash would with the
# cursor at the end of LINE, and print COMPREPLY one per line.  COMP_WORDS
# is split the way bash splits it: at blanks, and around ':' and '='.
comp_line() {
	local line=$1 tok
	local -a toks

	COMP_LINE=$line
	COMP_POINT=${#line}
	COMP_WORDS=()
	read -ra toks <<<"$line"
	for tok in "${toks[@]}"; do
		while [[ $tok =~ ^([^:=]*)([:=]+)(.*)$ ]]; do
			[[ -n ${BASH_REMATCH[1]} ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
			COMP_WORDS+=("${BASH_REMATCH[2]}")
			tok=${BASH_REMATCH[3]}
		done
		[[ -z $tok ]] || COMP_WORDS+=("$tok")
	done
	[[ $line != *' ' ]] || COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_ipctool
	printf '%s\n' "${COMPREPLY[@]}"
}

# Every word in $output, and nothing else.
assert_exactly() {
	local want got
	want=$(printf '%s\n' "$@" | sort)
	got=$(printf '%s\n' "${lines[@]}" | sort)
	assert_equal "$got" "$want"
}

# --- bash: objects, commands, verbs, options ---

@test "bash: the top level offers the objects and the commands" {
	run comp_line "ipctool "
	assert_success
	assert_line shm
	assert_line ls
	assert_line limits
	assert_line bench
	assert_line help
	refute_line create
	refute_line --json
}

@test "bash: bench offers its own options, and type names for --type" {
	run comp_line "ipctool bench -"
	assert_success
	assert_line --type
	assert_line --size
	assert_line --count
	assert_line -c
	assert_line --json
	refute_line --follow
	run comp_line "ipctool bench --type p"
	assert_line pipe
	refute_line shm
	run comp_line "ipctool bench --size "
	assert_output ""
}

@test "bash: global options, and an object after them" {
	run comp_line "ipctool -"
	assert_line --json
	assert_line -j
	assert_line --trace
	assert_line --help
	assert_line --version
	refute_line shm
	run comp_line "ipctool --json --trace sh"
	assert_exactly shm
}

@test "bash: ipctool shm offers every verb the binary has" {
	run comp_line "ipctool shm "
	assert_success
	assert_exactly create ls info write read attach set rm
	# the same list the binary gives, so the two never drift apart
	local -a verbs
	mapfile -t verbs < <("$IPCTOOL" __complete words shm)
	assert_exactly "${verbs[@]}"
}

@test "bash: verbs complete from a prefix" {
	run comp_line "ipctool shm r"
	assert_exactly read rm
}

@test "bash: shm create -- offers its options and the global ones" {
	run comp_line "ipctool shm create --"
	assert_success
	assert_line --size
	assert_line --mode
	assert_line --exist-ok
	assert_line --json
	assert_line --trace
	refute_line --offset
	refute_line --rdonly
	refute_line -s
}

@test "bash: a letter is one option everywhere; flags and valued options" {
	run comp_line "ipctool shm read -"
	assert_line -O
	assert_line -l
	assert_line -x
	assert_line --string
	# -s is --size in every verb, and read takes no size
	refute_line -s
	refute_line --size
	# --string is a flag: a REF comes next
	run comp_line "ipctool shm read --string "
	assert_line key:
	run comp_line "ipctool shm read -x "
	assert_line key:
	# -O takes a value: nothing to offer, then the REF
	run comp_line "ipctool shm read -O "
	assert_success
	assert_output ""
	run comp_line "ipctool shm read -O 4 "
	assert_line key:
	# in create, -s is --size, which takes a value: nothing to offer
	run comp_line "ipctool shm create -s "
	assert_success
	assert_output ""
	# so the word after the value is the REF again
	run comp_line "ipctool shm create -s 4K "
	assert_line key:
}

@test "bash: --mode offers common modes, with or without =" {
	run comp_line "ipctool shm create --mode "
	assert_line 0600
	assert_line 0644
	assert_line 0660
	assert_line 0666
	run comp_line "ipctool shm set -m 06"
	assert_line 0600
	refute_line 0444
	# bash replaces only what follows '=', so that is all that is offered
	run comp_line "ipctool shm create --mode=066"
	assert_exactly 0660 0666
}

@test "bash: --owner offers users, --group offers groups" {
	run comp_line "ipctool shm set --owner roo"
	assert_line root
	run comp_line "ipctool shm set -U roo"
	assert_line root
	run comp_line "ipctool shm set -g roo"
	assert_line root
	run comp_line "ipctool shm set --group roo"
	assert_line root
	run comp_line "ipctool shm set --group=roo"
	assert_line root
}

@test "bash: sizes, offsets, lengths and timeouts offer nothing" {
	local line
	for line in "ipctool shm create --size " "ipctool shm write /x --offset " \
	    "ipctool shm read /x -l " "ipctool shm attach /x --timeout "; do
		run comp_line "$line"
		assert_success
		assert_output ""
	done
}

@test "bash: ls --type and limits -t offer the object names" {
	run comp_line "ipctool ls --type "
	assert_success
	assert_line shm
	run comp_line "ipctool limits -t "
	assert_line shm
	run comp_line "ipctool ls --type=sh"
	assert_exactly shm
	# a name already in the list is not offered again
	run comp_line "ipctool ls --type shm,"
	assert_success
	assert_line "shm,mq"
	refute_line "shm,shm"
	run comp_line "ipctool ls -"
	assert_line --type
	assert_line -t
	assert_line --json
}

@test "bash: help completes an object, then its verbs" {
	run comp_line "ipctool help "
	assert_exactly $(objects)
	run comp_line "ipctool help shm "
	assert_line create
	assert_line attach
	run comp_line "ipctool help shm create "
	assert_output ""
	# ls takes no operand; nothing follows a verb shm has not
	run comp_line "ipctool ls "
	assert_output ""
	run comp_line "ipctool shm help "
	assert_output ""
}

@test "zsh and fish: help completes an object, then its verbs" {
	local -a lines_in=("ipctool help " "ipctool help shm " "ipctool ls "
	    "ipctool shm help ")
	run zsh_complete_each "${lines_in[@]}"
	assert_success
	assert_equal "$(answer_for "ipctool help ")" "$(objects | sort)"
	assert_equal "$(answer_for "ipctool help shm ")" \
	    "$("$IPCTOOL" __complete words shm | sort)"
	# (zsh offers ls's options where no operand can come)
	assert_equal "$(answer_for "ipctool ls " | grep -v '^-')" ""
	assert_equal "$(answer_for "ipctool shm help ")" ""
	run fish_complete_each "${lines_in[@]}"
	assert_success
	assert_equal "$(answer_for "ipctool help ")" "$(objects | sort)"
	assert_equal "$(answer_for "ipctool help shm ")" \
	    "$("$IPCTOOL" __complete words shm | sort)"
	assert_equal "$(answer_for "ipctool ls ")" ""
	assert_equal "$(answer_for "ipctool shm help ")" ""
}

# --- bash: references ---

@test "bash: a live POSIX segment completes after /" {
	local name
	name=$(unique_name)
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 1K
	run comp_line "ipctool shm info /"
	assert_success
	assert_line "$name"
	refute_line key:
	run comp_line "ipctool shm info ${name:0:6}"
	assert_line "$name"
}

@test "bash: a live System V id completes for shm rm" {
	local id
	id=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$id"
	run comp_line "ipctool shm rm "
	assert_success
	assert_line "$id"
	assert_line key:
	assert_line ftok:
}

@test "bash: rm does not offer a REF that is already on the line" {
	local a b
	a=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$a"
	b=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$b"
	run comp_line "ipctool shm rm $a "
	assert_line "$b"
	refute_line "$a"
}

@test "bash: only the first operand of info is a REF" {
	local id
	id=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$id"
	run comp_line "ipctool shm info $id "
	assert_success
	assert_output ""
	# create makes a new one: the forms, never a live one
	run comp_line "ipctool shm create "
	assert_exactly key: ftok:
}

@test "bash: ftok: completes a path after the prefix" {
	local dir=$BATS_TEST_TMPDIR/keys
	mkdir -p "$dir/sub"
	touch "$dir/keyfile"
	run comp_line "ipctool shm info ftok:$dir/k"
	# bash replaces what follows the ':', so the path alone comes back
	assert_exactly "$dir/keyfile"
	run comp_line "ipctool shm info ftok:$dir/s"
	assert_exactly "$dir/sub/"
	run comp_line "ipctool shm info f"
	assert_exactly ftok:
}

@test "bash: after -- in shm attach, a command" {
	run comp_line "ipctool shm attach /x -- slee"
	assert_line sleep
	# before --, no command
	run comp_line "ipctool shm attach /x slee"
	assert_success
	assert_output ""
	# after the command, its own arguments (files without bash-completion)
	mkdir -p "$BATS_TEST_TMPDIR/args"
	touch "$BATS_TEST_TMPDIR/args/one"
	run comp_line "ipctool shm attach /x -- cat $BATS_TEST_TMPDIR/args/o"
	assert_line "$BATS_TEST_TMPDIR/args/one"
}

# --- bash: which binary ---

@test "bash: the typed command word is the binary asked, on PATH or not" {
	PATH=/usr/bin:/bin
	run comp_line "$IPCTOOL shm "
	assert_line create
	assert_line rm
	run comp_line "ipctool shm "
	assert_success
	assert_output ""
	# no binary, no words: not even the commands are known here
	run comp_line "/nonexistent/ipctool "
	assert_success
	assert_output ""
}

@test "bash: the function is registered for ipctool" {
	run complete -p ipctool
	assert_success
	assert_output --partial "-F _ipctool"
}

# --- syntax ---

@test "bash: completions/ipctool.bash parses" {
	run bash -n "$COMPLETIONS/ipctool.bash"
	assert_success
	assert_output ""
}

@test "zsh: completions/_ipctool parses and is a compdef file" {
	run zsh -n "$COMPLETIONS/_ipctool"
	assert_success
	assert_output ""
	run head -n 1 "$COMPLETIONS/_ipctool"
	assert_output "#compdef ipctool"
}

@test "fish: completions/ipctool.fish parses" {
	run fish --no-execute "$COMPLETIONS/ipctool.fish"
	assert_success
	assert_output ""
}

# --- fish, for real ---

# fish_complete LINE: what fish offers for LINE, words only.
fish_complete() {
	fish --no-config -c "source '$COMPLETIONS/ipctool.fish'
complete -C'$1'" | cut -f1
}

@test "fish: verbs, options and type names" {
	run fish_complete "ipctool "
	assert_line shm
	assert_line ls
	assert_line help
	run fish_complete "ipctool shm "
	assert_success
	assert_exactly create ls info write read attach set rm
	run fish_complete "ipctool shm create --"
	assert_line --size
	assert_line --mode
	assert_line --exist-ok
	assert_line --json
	run fish_complete "ipctool shm create --mode "
	assert_line 0600
	run fish_complete "ipctool ls --type "
	assert_line shm
	run fish_complete "ipctool "
	assert_line bench
	run fish_complete "ipctool bench --"
	assert_line --size
	assert_line --count
	assert_line --type
}

@test "fish: live references" {
	local name id
	name=$(unique_name)
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 1K
	id=$("$IPCTOOL" shm create --size 1K)
	cleanup_later shm "$id"
	run fish_complete "ipctool shm info /"
	assert_line "$name"
	run fish_complete "ipctool shm rm "
	assert_line "$id"
	assert_line "$name"
	assert_line key:
	run fish_complete "ipctool shm rm $id "
	refute_line "$id"
	assert_line "$name"
}

@test "fish: ftok: paths and the command after --" {
	mkdir -p "$BATS_TEST_TMPDIR/keys"
	touch "$BATS_TEST_TMPDIR/keys/keyfile"
	run fish_complete "ipctool shm info ftok:$BATS_TEST_TMPDIR/keys/k"
	assert_exactly "ftok:$BATS_TEST_TMPDIR/keys/keyfile"
	run fish_complete "ipctool shm attach /x -- slee"
	assert_line sleep
}

# --- zsh, for real ---

# zsh_complete LINE: what zsh offers for LINE, from an interactive zsh on a
# pseudo-terminal with compinit and the completion directory on $fpath.
# Each compadd call is recorded with the matches it added.
zsh_complete() {
	local script=$BATS_TEST_TMPDIR/capture.zsh out=$BATS_TEST_TMPDIR/zsh.out
	cat >"$script" <<'EOF'
zmodload zsh/zpty || exit 1
dir=$1 out=$2 line=$3
: >$out
zpty z zsh -f -i
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compadd() { local -a m; builtin compadd -O m \"\$@\"; print -rl -- \$m >>${(q)out}; builtin compadd \"\$@\" }"
zpty -w z "bindkey -e; zstyle ':completion:*' list-prompt ''"
# wait_for WORD: until zsh prints WORD (the command that prints it is
# typed as Z${:-WORD}, so its echo does not count).
wait_for() {
	local buf= chunk i
	for i in {1..100}; do
		zpty -r -t z chunk && buf+=$chunk
		[[ $buf == *Z$1* ]] && return 0
		sleep 0.1
	done
	print -u2 "zsh did not answer: $buf"
	exit 1
}
zpty -w z 'print Z${:-READY}'
wait_for READY
# The line, Tab, ^U to empty the line, then a marker: zle takes keys in
# order, so when the marker comes the completion has run.
zpty -w -n z "$line"$'\t'$'\025''print Z${:-DONE}'$'\n'
wait_for DONE
zpty -d z
cat $out
EOF
	zsh -f "$script" "$COMPLETIONS" "$out" "$1"
}

@test "zsh: verbs, options, type names and live references" {
	local name
	name=$(unique_name)
	cleanup_later shm "$name"
	run_ipctool 0 shm create "$name" --size 1K
	run zsh_complete "ipctool shm "
	assert_success
	assert_line create
	assert_line attach
	assert_line rm
	run zsh_complete "ipctool shm create --"
	assert_line --size
	assert_line --exist-ok
	assert_line --json
	run zsh_complete "ipctool ls --type "
	assert_line shm
	run zsh_complete "ipctool bench --"
	assert_line --size
	assert_line --count
	run zsh_complete "ipctool shm info /"
	assert_line "$name"
}

@test "bash: mq verbs, recv options and live queue names complete" {
	run comp_line "ipctool mq "
	for v in create ls info send recv write read rm; do
		assert_line "$v"
	done
	run comp_line "ipctool mq recv --"
	assert_line --count
	assert_line --all
	assert_line --truncate
	run comp_line "ipctool mq recv -"
	for o in -t -c -a -T -l -w -n; do
		assert_line -- "$o"
	done
	# recv's --type is a message type, a number: nothing to offer
	run comp_line "ipctool mq recv -t "
	assert_success
	assert_output ""
	local id
	id=$("$IPCTOOL" mq create)
	cleanup_later mq "$id"
	run comp_line "ipctool mq recv "
	assert_line "$id"
	run comp_line "ipctool mq recv -t 2 "
	assert_line "$id"
}

@test "bash: sem verbs and run options complete; --index takes a value" {
	run comp_line "ipctool sem "
	for v in create ls info get set wait post zero op run rm; do
		assert_line "$v"
	done
	run comp_line "ipctool sem run --"
	assert_line -- --nowait
	assert_line -- --timeout
	assert_line -- --index
	run comp_line "ipctool sem wait --index "
	assert_output ""
}

# --- fifo and pipe ---

# Background processes of a test, killed in teardown by their pids.
BG_FILE=${BATS_TEST_TMPDIR:-/tmp}/background
teardown() {
	local pid
	if [ -f "$BG_FILE" ]; then
		while read -r pid; do
			kill "$pid" 2>/dev/null || true
		done <"$BG_FILE"
		rm -f "$BG_FILE"
	fi
	cleanup_objects
}

# bg_pipeline: `sleep | sleep` in the background, the reader's fd 0 the
# pipe; sets $reader to the reader's pid.
bg_pipeline() {
	local f=$BATS_TEST_TMPDIR/writer.pid
	rm -f "$f"
	# shellcheck disable=SC2216 # the reader holds the pipe, reading nothing
	sh -c 'echo $$ >"$1"; exec sleep 30' sh "$f" </dev/null 2>/dev/null 3>&- |
	    sleep 30 >/dev/null 2>&1 3>&- &
	reader=$!
	echo "$reader" >>"$BG_FILE"
	wait_for 5 test -s "$f"
	cat "$f" >>"$BG_FILE"
	wait_for 5 test "$(readlink "/proc/$reader/fd/0")" != ""
}

# fifo_is_open PATH: some process has the FIFO at PATH open.
fifo_is_open() {
	"$IPCTOOL" __complete refs fifo | grep -qxF "$1"
}

# bg_hold PATH: ipctool fifo attach PATH in the background, until it shows.
bg_hold() {
	"$IPCTOOL" fifo attach "$1" --timeout 30 </dev/null >/dev/null 2>&1 3>&- &
	echo "$!" >>"$BG_FILE"
	wait_for 5 fifo_is_open "$1"
}

# fifo_dir: $dir with a FIFO ff, a regular file reg and a directory sub.
fifo_dir() {
	dir=$BATS_TEST_TMPDIR/fifos
	mkdir -p "$dir/sub"
	mkfifo "$dir/ff"
	touch "$dir/reg"
}

@test "bash: fifo verbs and the options of each verb" {
	run comp_line "ipctool fifo "
	assert_exactly create ls info write read attach rm
	run comp_line "ipctool fifo create -"
	assert_line -- --mode
	assert_line -- -m
	assert_line -- --exist-ok
	assert_line -- -e
	refute_line -- --nowait
	run comp_line "ipctool fifo write -"
	assert_line -- --nowait
	assert_line -- -n
	assert_line -- --timeout
	assert_line -- -w
	run comp_line "ipctool fifo read -"
	for o in --length -l --follow -f --nowait -n --timeout -w --json; do
		assert_line -- "$o"
	done
	run comp_line "ipctool fifo attach -"
	for o in --read --write --timeout -w; do
		assert_line -- "$o"
	done
	# --read and --write have no letter: -r is --raw, -w --timeout
	refute_line -- -r
	refute_line -- --nowait
}

@test "bash: fifo --mode offers modes; --timeout and --length take a value" {
	run comp_line "ipctool fifo create --mode "
	assert_line 0600
	run comp_line "ipctool fifo create /tmp/x -m 06"
	assert_line 0600
	refute_line 0444
	local line
	for line in "ipctool fifo write --timeout " "ipctool fifo write -w " \
	    "ipctool fifo read -l " "ipctool fifo read --length " \
	    "ipctool fifo attach -w "; do
		run comp_line "$line"
		assert_success
		assert_output ""
	done
}

@test "bash: a fifo REF is a path: FIFOs and directories, not other files" {
	fifo_dir
	run comp_line "ipctool fifo info $dir/"
	assert_exactly "$dir/ff" "$dir/sub/"
	for verb in read write attach rm; do
		run comp_line "ipctool fifo $verb $dir/"
		assert_exactly "$dir/ff" "$dir/sub/"
	done
	# after a flag, and after a valued option and its value
	run comp_line "ipctool fifo read -f $dir/f"
	assert_exactly "$dir/ff"
	run comp_line "ipctool fifo write -w 1s $dir/f"
	assert_exactly "$dir/ff"
	# write PATH DATA: DATA is not a path
	run comp_line "ipctool fifo write $dir/ff "
	assert_success
	assert_output ""
	# rm does not offer a path that is already on the line
	run comp_line "ipctool fifo rm $dir/ff $dir/"
	assert_exactly "$dir/sub/"
}

@test "bash: fifo create completes any path, for every operand" {
	fifo_dir
	run comp_line "ipctool fifo create $dir/"
	assert_exactly "$dir/ff" "$dir/reg" "$dir/sub/"
	run comp_line "ipctool fifo create $dir/new -m 0600 $dir/r"
	assert_exactly "$dir/reg"
}

@test "bash: fifo ls completes directories only" {
	fifo_dir
	run comp_line "ipctool fifo ls $dir/"
	assert_exactly "$dir/sub/"
	run comp_line "ipctool fifo ls /tmp $dir/s"
	assert_exactly "$dir/sub/"
}

@test "bash: an open FIFO completes from anywhere; a removed one does not" {
	local f=$BATS_TEST_TMPDIR/held.fifo gone=$BATS_TEST_TMPDIR/gone.fifo
	mkfifo "$f" "$gone"
	bg_hold "$f"
	bg_hold "$gone"
	rm "$gone"
	cd /
	run comp_line "ipctool fifo info ${f:0:8}"
	assert_line "$f"
	refute_line --partial gone.fifo
}

@test "bash: after -- in fifo attach, a command" {
	fifo_dir
	run comp_line "ipctool fifo attach $dir/ff -- slee"
	assert_line sleep
	run comp_line "ipctool fifo attach $dir/ff -w -t 5 -- slee"
	assert_line sleep
	run comp_line "ipctool fifo attach $dir/ff slee"
	assert_success
	assert_output ""
}

@test "bash: pipe verbs and the options of each verb" {
	run comp_line "ipctool pipe "
	assert_exactly create ls info peek read write resize
	run comp_line "ipctool pipe create -"
	for o in --size -s --stats -S --json; do
		assert_line -- "$o"
	done
	run comp_line "ipctool pipe ls -"
	assert_line -- --pid
	# --pid has no letter; -p is --priority, which ls does not take
	refute_line -- -p
	run comp_line "ipctool pipe peek -"
	for o in --length -l --hex -x; do
		assert_line -- "$o"
	done
	run comp_line "ipctool pipe read -"
	assert_line -- --length
	refute_line -- --hex
}

@test "bash: pipe REF operands are PID:FD of live pipe ends" {
	bg_pipeline
	run comp_line "ipctool pipe info "
	assert_line "$reader:0"
	# bash replaces what follows the ':', so the FD alone comes back
	run comp_line "ipctool pipe peek $reader:"
	assert_line 0
	run comp_line "ipctool pipe peek -x -l 4 $reader:"
	assert_line 0
	for verb in read write resize; do
		run comp_line "ipctool pipe $verb $reader:"
		assert_line 0
	done
	# only the first operand is a REF: DATA and SIZE are not
	run comp_line "ipctool pipe resize $reader:0 "
	assert_success
	assert_output ""
	run comp_line "ipctool pipe write $reader:0 "
	assert_output ""
}

@test "bash: pipe ls --pid completes the pids that hold pipes" {
	bg_pipeline
	run comp_line "ipctool pipe ls --pid "
	assert_line "$reader"
	run comp_line "ipctool pipe ls -H --pid $reader"
	assert_line "$reader"
	run comp_line "ipctool pipe ls --pid=$reader"
	assert_line "$reader"
	# each pid once
	run comp_line "ipctool pipe ls --pid $reader"
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cx "$reader")" 1
	# and after it, nothing: ls takes no operand
	run comp_line "ipctool pipe ls --pid $reader "
	assert_success
	assert_output ""
}

@test "bash: pipe create operands are commands, every one of them" {
	run comp_line "ipctool pipe create slee"
	assert_line sleep
	run comp_line "ipctool pipe create true slee"
	assert_line sleep
	run comp_line "ipctool pipe create -S -s 1M true slee"
	assert_line sleep
	# --size takes a value: nothing to offer
	run comp_line "ipctool pipe create --size "
	assert_success
	assert_output ""
	# after an opening quote, the command name still completes; bash
	# replaces what follows the quote
	run comp_line "ipctool pipe create 'slee"
	assert_line sleep
}

@test "zsh: fifo paths, fifo ls directories, pipe ends and pids" {
	fifo_dir
	run zsh_complete "ipctool fifo info $dir/"
	assert_line ff
	assert_line sub
	refute_line reg
	run zsh_complete "ipctool fifo create $dir/"
	assert_line reg
	run zsh_complete "ipctool fifo ls $dir/"
	assert_line sub
	refute_line ff
	bg_pipeline
	run zsh_complete "ipctool pipe info $reader:"
	assert_line "$reader:0"
	run zsh_complete "ipctool pipe ls --pid "
	assert_line "$reader"
	run zsh_complete "ipctool pipe create slee"
	assert_line sleep
	run zsh_complete "ipctool fifo read -"
	assert_line -- --follow
	assert_line -- --length
}

@test "fish: fifo paths, fifo ls directories, pipe ends and pids" {
	fifo_dir
	run fish_complete "ipctool fifo info $dir/"
	assert_exactly "$dir/ff" "$dir/sub/"
	run fish_complete "ipctool fifo create $dir/"
	assert_exactly "$dir/ff" "$dir/reg" "$dir/sub/"
	run fish_complete "ipctool fifo ls $dir/"
	assert_exactly "$dir/sub/"
	run fish_complete "ipctool fifo rm $dir/ff $dir/"
	assert_exactly "$dir/sub/"
	run fish_complete "ipctool fifo attach $dir/ff -- slee"
	assert_line sleep
	run fish_complete "ipctool fifo read --timeout "
	assert_output ""
	bg_pipeline
	run fish_complete "ipctool pipe info $reader:"
	assert_line "$reader:0"
	run fish_complete "ipctool pipe ls --pid "
	assert_line "$reader"
	run fish_complete "ipctool pipe ls --pid=$reader"
	assert_line "--pid=$reader"
	run fish_complete "ipctool pipe create true slee"
	assert_line sleep
}

# --- every option, from the registry, in every shell ---

# commands: the top-level commands, as the binary lists them.
commands() {
	"$IPCTOOL" __complete commands
}

# objects: the first words of `__complete words` that are not commands.
objects() {
	"$IPCTOOL" __complete words | grep -v '^-' | grep -vxF -f <(commands)
}

# verb_paths: "OBJECT VERB" for every verb of every object, then each
# top-level command that takes options of its own (not help, which takes
# the globals alone), one a line, as the binary lists them.
verb_paths() {
	local o v globals
	globals=$("$IPCTOOL" __complete words | grep '^-' | sort)
	for o in $(objects); do
		for v in $("$IPCTOOL" __complete words "$o"); do
			printf '%s %s\n' "$o" "$v"
		done
	done
	for v in $(commands); do
		[ "$("$IPCTOOL" __complete words "$v" | sort)" = "$globals" ] ||
		    printf '%s\n' "$v"
	done
}

@test "the helper: commands are among the first words, objects are the rest, each once" {
	local first
	first=$("$IPCTOOL" __complete words | grep -v '^-')
	# each first word once
	assert_equal "$(printf '%s\n' "$first" | sort)" \
	    "$(printf '%s\n' "$first" | sort -u)"
	[ "$(commands | wc -l)" -ge 3 ]
	assert_equal "$(commands | grep -cvxF -f <(printf '%s\n' "$first"))" 0
	# objects are what `help OBJECT` knows, commands are not
	[ "$(objects | wc -l)" -ge 5 ]
	local o
	for o in $(objects); do
		"$IPCTOOL" help "$o" >/dev/null || fail "help $o failed"
		[ -n "$("$IPCTOOL" __complete words "$o")" ]
	done
	for o in $(commands); do
		run "$IPCTOOL" help "$o"
		assert_failure 2
	done
	# the paths: every object's verbs, and the commands with options
	run verb_paths
	assert_line "shm create"
	assert_line ls
	refute_line --regexp '^(ls|limits|bench|help) '
}

# Each LINE, then what fish offers for it: "@@ LINE" before each.
fish_complete_each() {
	local script='source $argv[1]
for l in $argv[2..-1]
    echo "@@ $l"
    complete -C"$l" | string replace -r "\t.*" ""
end
true'
	fish --no-config -c "$script" "$COMPLETIONS/ipctool.fish" "$@"
}

# Each LINE, then what zsh offers for it: "@@ LINE" before each; one
# interactive zsh for them all.
zsh_complete_each() {
	local script=$BATS_TEST_TMPDIR/capture-each.zsh out=$BATS_TEST_TMPDIR/zsh.out
	cat >"$script" <<'ZSH'
zmodload zsh/zpty || exit 1
dir=$1 out=$2
shift 2
: >$out
zpty z zsh -f -i
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compadd() { local -a m; builtin compadd -O m \"\$@\"; print -rl -- \$m >>${(q)out}; builtin compadd \"\$@\" }"
zpty -w z "bindkey -e; zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no"
wait_for() {
	local buf= chunk i
	for i in {1..100}; do
		zpty -r -t z chunk && buf+=$chunk
		[[ $buf == *Z$1* ]] && return 0
		sleep 0.05
	done
	print -u2 "zsh did not answer: $buf"
	exit 1
}
zpty -w z 'print Z${:-READY}'
wait_for READY
n=0
for line; do
	(( n++ ))
	zpty -w z "print -r -- @@ ${(q)line} >>${(q)out}"$'\n'
	zpty -w z "print Z\${:-MARK$n}"$'\n'
	wait_for MARK$n
	zpty -w -n z "$line"$'\t'$'\025''print Z${:-DONE'$n'}'$'\n'
	wait_for DONE$n
done
zpty -d z
grep -v '^$' $out
ZSH
	zsh -f "$script" "$COMPLETIONS" "$out" "$@"
}

# answer_for LINE: from $output of a *_complete_each, what came for LINE,
# sorted, once each.
answer_for() {
	printf '%s\n' "$output" | awk -v want="@@ $1" '
		/^@@ / { on = ($0 == want); next }
		on' | sort -u
}

@test "the registry: every verb's options are registry rows, and every row is some verb's" {
	local path w registry used=
	registry=$("$IPCTOOL" __complete options | awk '{ print $2; if ($1 != "-") print $1 }' | sort -u)
	[ -n "$registry" ]
	while IFS= read -r path; do
		# shellcheck disable=SC2086 # OBJECT VERB, two words
		for w in $("$IPCTOOL" __complete words $path); do
			printf '%s\n' "$registry" | grep -qxF -- "$w" ||
			    fail "$path offers $w, which is not in the registry"
			used+="$w"$'\n'
		done
	done < <(verb_paths)
	# and those of the program alone, before OBJECT (--install, ...)
	used+=$("$IPCTOOL" __complete words | grep '^-')$'\n'
	assert_equal "$(printf '%s' "$used" | sort -u)" "$registry"
}

@test "bash: every verb offers exactly its options from the registry" {
	local path want got n=0
	while IFS= read -r path; do
		want=$("$IPCTOOL" __complete words $path | sort -u)
		[ -n "$want" ] || fail "no options for $path"
		got=$(comp_line "ipctool $path -" | sort -u)
		assert_equal "$got" "$want"
		n=$((n + 1))
	done < <(verb_paths)
	[ "$n" -gt 40 ]
}

# every_verb_offers_exactly COMPLETE_EACH [IGNORED]: the shell behind
# COMPLETE_EACH offers, after "ipctool PATH -" for every verb, exactly
# `__complete words PATH`; an answer equal to IGNORED is passed over.
every_verb_offers_exactly() {
	local -a paths lines_in=()
	local path ignored=${2:-}
	mapfile -t paths < <(verb_paths)
	for path in "${paths[@]}"; do
		lines_in+=("ipctool $path -")
	done
	run "$1" "${lines_in[@]}"
	assert_success
	for path in "${paths[@]}"; do
		assert_equal "$(answer_for "ipctool $path -" |
		    { [ -n "$ignored" ] && grep -vxF -- "$ignored" || cat; })" \
		    "$("$IPCTOOL" __complete words $path | sort -u)"
	done
}

@test "zsh: every verb offers exactly its options from the registry" {
	# (a lone "-" is zsh's precommand modifier, offered where an operand
	# is a command, as in pipe create)
	every_verb_offers_exactly zsh_complete_each -
}

@test "fish: every verb offers exactly its options from the registry" {
	every_verb_offers_exactly fish_complete_each
}

# verbs_with OPTION: the verb paths that take OPTION.
verbs_with() {
	local path
	while IFS= read -r path; do
		"$IPCTOOL" __complete words $path | grep -qxF -- "$1" &&
		    printf '%s\n' "$path"
	done < <(verb_paths)
}

@test "-o and --output offer the verb's column names in bash, zsh and fish" {
	local -a paths lines_in=()
	local path want
	mapfile -t paths < <(verbs_with --output)
	# ls and info of the objects that declare columns, and ls and limits
	[ "${#paths[@]}" -ge 6 ]
	for path in "${paths[@]}"; do
		want=$("$IPCTOOL" __complete values $path --output | sort -u)
		assert_equal "$want" "$("$IPCTOOL" __complete values $path -o | sort -u)"
		[ "$(printf '%s\n' "$want" | wc -l)" -ge 5 ] ||
		    fail "$path: too few columns: $want"
		assert_equal "$(comp_line "ipctool $path -o " | sort -u)" "$want"
		# bash replaces what follows '=', so the names come back bare
		assert_equal "$(comp_line "ipctool $path --output=" | sort -u)" "$want"
		lines_in+=("ipctool $path -o " "ipctool $path --output ")
	done
	run zsh_complete_each "${lines_in[@]}"
	assert_success
	for path in "${paths[@]}"; do
		want=$("$IPCTOOL" __complete values $path --output | sort -u)
		assert_equal "$(answer_for "ipctool $path -o ")" "$want"
		assert_equal "$(answer_for "ipctool $path --output ")" "$want"
	done
	run fish_complete_each "${lines_in[@]}" "ipctool shm ls --output=" \
	    "ipctool shm ls -o ref,ty"
	assert_success
	for path in "${paths[@]}"; do
		want=$("$IPCTOOL" __complete values $path --output | sort -u)
		assert_equal "$(answer_for "ipctool $path -o ")" "$want"
		assert_equal "$(answer_for "ipctool $path --output ")" "$want"
	done
	assert_equal "$(answer_for "ipctool shm ls --output=")" \
	    "$("$IPCTOOL" __complete values shm ls --output | sed 's/^/--output=/' | sort -u)"
	assert_equal "$(answer_for "ipctool shm ls -o ref,ty")" "ref,type"
}

@test "bash: -o takes a comma list, each column once, and +LIST" {
	run comp_line "ipctool shm ls -o ref,ty"
	assert_exactly ref,type
	run comp_line "ipctool shm ls -o ref,"
	assert_line ref,type
	refute_line ref,ref
	run comp_line "ipctool ls -o +own"
	assert_exactly +owner
	run comp_line "ipctool shm ls -oref,ty"
	assert_exactly -oref,type
}

@test "no option is named in the completion scripts: all come from the binary" {
	local name f
	for name in $("$IPCTOOL" __complete options | awk '{ print $2 }' | sort -u); do
		for f in ipctool.bash _ipctool ipctool.fish; do
			# code, not comments; but for the one request the
			# SPEC fixes: a command's usage line, from its --help
			run grep -nE -- "^[^#]*$name([^a-z-]|\$)" "$COMPLETIONS/$f"
			if [ "$name" = --help ]; then
				run grep -vE -- '(command|cmd)[}"]* --help([^a-z-]|$)' <<<"$output"
				assert_equal "$(printf '%s\n' "$output" | grep -c .)" 0
			else
				assert_failure
			fi
		done
	done
}

# command_names_in FILE: the lines of FILE's code (not comments) that name a
# top-level command as a word of its own (ls the verb, in OBJECT/ls, does
# not count).
command_names_in() {
	local name
	for name in $(commands); do
		grep -nE -- "^([^#]*[^[:alnum:]_/#-])?$name([^[:alnum:]_-]|\$)" "$1"
	done
}

@test "no command is named in the completion scripts: __complete commands tells them" {
	local f
	# the check finds a name where there is one
	run command_names_in <(printf '%s\n' "case \$w in $(commands | head -n 1)) ;;")
	assert_output --partial 'case $w in'
	run command_names_in <(printf '%s\n' "# $(commands | head -n 1)" 'case $o/$v in */ls) ;;')
	assert_output ""
	for f in ipctool.bash _ipctool ipctool.fish; do
		run command_names_in "$COMPLETIONS/$f"
		assert_output ""
		grep -q -- '__complete commands' "$COMPLETIONS/$f" ||
		    fail "$f does not say where the commands come from"
	done
}

@test "the top level offers exactly __complete words, each once, in bash, zsh and fish" {
	local first opts all
	first=$("$IPCTOOL" __complete words | grep -v '^-' | sort)
	opts=$("$IPCTOOL" __complete words | grep '^-' | sort)
	all=$("$IPCTOOL" __complete words | sort)
	# the words and the options are all of it, each once
	assert_equal "$(printf '%s\n' "$first" "$opts" | sort)" "$all"
	assert_equal "$all" "$(printf '%s\n' "$all" | sort -u)"
	# bash: each offered once
	assert_equal "$(comp_line "ipctool " | sort)" "$first"
	assert_equal "$(comp_line "ipctool -" | sort)" "$opts"
	# zsh: every match as compadd added it
	run zsh_complete_each "ipctool " "ipctool -"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | awk '/^@@ / { on = ($0 == "@@ ipctool "); next } on' | sort)" "$first"
	assert_equal "$(answer_for "ipctool -")" "$opts"
	# fish
	run fish_complete_each "ipctool " "ipctool -"
	assert_success
	assert_equal "$(answer_for "ipctool ")" "$first"
	assert_equal "$(answer_for "ipctool -")" "$opts"
}

# fake_ipctool: an ipctool on PATH whose registry has options the real one
# has not: thing make takes -Q/--frob (a mode, 0600 or 0701), -K/--knob (a
# column list) and -h/--help; its REFs are r1 and r2.  Its one command,
# tally, takes [OBJECT [VERB]] as its usage line says.
fake_ipctool() {
	rm -f "$BIN_DIR/ipctool"
	cat >"$BIN_DIR/ipctool" <<'SH'
#!/bin/sh
if [ "$*" = "tally --help" ]; then
	echo 'Usage: ipctool tally [OBJECT [VERB]]'
	exit 0
fi
[ "$1" = __complete ] || exit 2
shift
case "$*" in
options) printf '%s\n' '-Q --frob mode' '-K --knob columns' '-h --help flag' ;;
commands) echo tally ;;
words) printf '%s\n' thing tally --help -h ;;
'values thing make --frob' | 'values thing make -Q') printf '%s\n' 0600 0701 ;;
'words thing') echo make ;;
'words thing make') printf '%s\n' --frob -Q --knob -K --help -h ;;
'values thing make --knob' | 'values thing make -K') printf '%s\n' alpha beta ;;
'refs thing') printf '%s\n' r1 r2 ;;
esac
SH
	chmod +x "$BIN_DIR/ipctool"
}

@test "a binary with other letters and names: all three shells follow it" {
	fake_ipctool
	run comp_line "ipctool thing make -"
	assert_exactly --frob -Q --knob -K --help -h
	run comp_line "ipctool thing make -Q 0"
	assert_exactly 0600 0701
	run comp_line "ipctool thing make -K "
	assert_exactly alpha beta
	run comp_line "ipctool thing make --knob alpha,"
	assert_exactly alpha,beta
	run comp_line "ipctool thing make -Q 0600 -h "
	assert_exactly r1 r2
	run comp_line "ipctool "
	assert_exactly thing tally
	run comp_line "ipctool tally "
	assert_exactly thing
	run comp_line "ipctool tally thing "
	assert_exactly make
	run fish_complete_each "ipctool thing make -" "ipctool thing make -Q 06" \
	    "ipctool thing make -K " "ipctool thing make -Q 0600 -h " \
	    "ipctool thing make -Q 07" "ipctool " "ipctool tally " \
	    "ipctool tally thing "
	assert_success
	assert_equal "$(answer_for "ipctool thing make -Q 07")" 0701
	assert_equal "$(answer_for "ipctool ")" "$(printf 'tally\nthing')"
	assert_equal "$(answer_for "ipctool tally ")" thing
	assert_equal "$(answer_for "ipctool tally thing ")" make
	assert_equal "$(answer_for "ipctool thing make -")" \
	    "$(printf '%s\n' --frob -Q --knob -K --help -h | sort)"
	assert_equal "$(answer_for "ipctool thing make -Q 06" | grep -c 0600)" 1
	assert_equal "$(answer_for "ipctool thing make -K ")" "$(printf 'alpha\nbeta')"
	assert_equal "$(answer_for "ipctool thing make -Q 0600 -h ")" "$(printf 'r1\nr2')"
	run zsh_complete_each "ipctool thing make -" "ipctool thing make -Q 06" \
	    "ipctool thing make -K " "ipctool thing make -Q 0600 -h " \
	    "ipctool thing make -Q 07" "ipctool " "ipctool tally " \
	    "ipctool tally thing "
	assert_success
	assert_equal "$(answer_for "ipctool thing make -Q 07")" 0701
	assert_equal "$(answer_for "ipctool ")" "$(printf 'tally\nthing')"
	assert_equal "$(answer_for "ipctool tally ")" thing
	assert_equal "$(answer_for "ipctool tally thing ")" make
	assert_equal "$(answer_for "ipctool thing make -")" \
	    "$(printf '%s\n' --frob -Q --knob -K --help -h | sort)"
	assert_equal "$(answer_for "ipctool thing make -Q 06" | grep -c 0600)" 1
	assert_equal "$(answer_for "ipctool thing make -K ")" "$(printf 'alpha\nbeta')"
	assert_equal "$(answer_for "ipctool thing make -Q 0600 -h ")" "$(printf 'r1\nr2')"
}

# --- bash: the applets (ipctool started as ipcs, ipcrm, ipcmk) ---

# applet_line LINE: as comp_line, for the applets' completion function.
applet_line() {
	local line=$1
	ln -sf "$IPCTOOL" "$BIN_DIR/ipcrm"
	ln -sf "$IPCTOOL" "$BIN_DIR/ipcmk"
	ln -sf "$IPCTOOL" "$BIN_DIR/ipcs"
	COMP_LINE=$line
	COMP_POINT=${#line}
	read -ra COMP_WORDS <<<"$line"
	[[ $line != *' ' ]] || COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_ipctool_applet
	printf '%s\n' "${COMPREPLY[@]}"
}

@test "bash: ipcs, ipcrm and ipcmk are completed by the applets' function" {
	run complete -p ipcs ipcrm ipcmk
	assert_success
	assert_line "complete -F _ipctool_applet ipcs"
	assert_line "complete -F _ipctool_applet ipcrm"
	assert_line "complete -F _ipctool_applet ipcmk"
}

@test "bash: ipcrm's options come from its --help, long and short" {
	run applet_line "ipcrm --posix-"
	assert_exactly --posix-shmem --posix-mqueue --posix-semaphore
	run applet_line "ipcrm -"
	assert_line -- -m
	assert_line -- --shmem-key
	assert_line -- --all=
	assert_line -- -v
}

@test "bash: ipcrm --all= offers the kinds; the old form's first word the three" {
	run applet_line "ipcrm --all=p"
	assert_exactly pshm pmsg psem
	run applet_line "ipcrm "
	assert_exactly shm msg sem
	# an option's value is the user's to type
	run applet_line "ipcrm -m "
	assert_output ""
}

@test "bash: ipcmk's options, the POSIX ones too" {
	run applet_line "ipcmk --"
	assert_line -- --shmem
	assert_line -- --posix-shmem
	assert_line -- --name
	assert_line -- --mode
	run applet_line "ipcmk -"
	assert_line -- -M
	assert_line -- -n
}

@test "bash: ipctool --install takes a directory, not an object" {
	mkdir "$BATS_TEST_TMPDIR/somedir"
	cd "$BATS_TEST_TMPDIR"
	run comp_line "ipctool --install some"
	assert_output "somedir"
	run comp_line "ipctool --install somedir sh"
	assert_output "shm"
}
