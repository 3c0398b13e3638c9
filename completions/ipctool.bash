# bash completion for ipctool                              -*- shell-script -*-
#
# The words come from the binary the user is typing, so this file does not
# go stale when ipctool gains an object, a verb or an option, or an option
# changes its letter:
#
#   ipctool __complete words                  objects, top-level commands and
#                                             global options
#   ipctool __complete commands               the top-level commands
#   ipctool __complete words OBJECT           OBJECT's verbs
#   ipctool __complete words COMMAND          ls's, limits' or bench's options
#   ipctool __complete words OBJECT VERB      VERB's options, then the globals
#   ipctool __complete values OBJECT VERB OPT the values of OPT (-x or --name)
#                                             there: words, or @user, @group,
#                                             @pid, @file for the shell to find
#   ipctool __complete refs OBJECT            live ids and /names of OBJECT,
#                                             open FIFOs' paths, pipes' PID:FD
#   ipctool __complete options                the registry, "-x --name kind"
#
# No option and no command is named here.  What the helper does not say is
# written down by kind (the values of kinds columns and types make a comma
# list), and a command's operands are read off its usage line (OBJECT,
# VERB).

# _ipctool_commands: " ls limits ... ", the top-level commands of the
# binary _ipctool_commands_prog, from `__complete commands`; asked once a
# shell session for each command word typed (again when it gave none).
_ipctool_load_commands() {
	local -a c

	[[ ${_ipctool_commands_prog-} == "$_ipctool_prog" ]] && return 0
	mapfile -t c < <(_ipctool_ask commands)
	_ipctool_commands=" ${c[*]} "
	((${#c[@]})) && _ipctool_commands_prog=$_ipctool_prog
	return 0
}

# _ipctool_kind[WORD]: the kinds of the registry rows for WORD (-x or
# --name), from `__complete options`; a word of kind other than flag is
# followed by a value.
_ipctool_load_registry() {
	local letter long kind

	_ipctool_kind=()
	while read -r letter long kind; do
		[[ $long == --?* && -n $kind ]] || continue
		_ipctool_kind[$long]+=" $kind "
		[[ $letter == -? ]] && _ipctool_kind[$letter]+=" $kind "
	done < <(_ipctool_ask options)
}

# _ipctool_valued WORD: WORD is an option that takes a value.
_ipctool_valued() {
	local k=${_ipctool_kind[$1]-}

	k=${k//' flag '/}
	[[ $k == *[![:space:]]* ]]
}

# Run the binary the user typed: _ipctool_run ARGS..., and the helper,
# _ipctool_ask ARGS... for `__complete ARGS...`.
_ipctool_run() {
	local prog=${_ipctool_prog:-ipctool}

	# A literal ~/ in the typed word, which bash has not expanded yet.
	# shellcheck disable=SC2088
	[[ $prog == '~/'* ]] && prog=$HOME/${prog#'~/'}
	"$prog" "$@" 2>/dev/null </dev/null
}

_ipctool_ask() {
	_ipctool_run __complete "$@"
}

# Operands of $command, as its usage line (`COMMAND --help`) names them:
# for OBJECT an object (a first word that is not a command), for VERB a
# verb of the OBJECT before it; nothing for a command that takes none.
_ipctool_offer_command_operand() {
	local line w n=${#operands[@]} i obj=''
	local -a u=() names=() cands=()

	IFS= read -r line < <(_ipctool_run "$command" --help)
	read -ra u <<<"$line"
	for ((i = 0; i < ${#u[@]}; i++)); do
		[[ ${u[i]} == "$command" ]] || continue
		for w in "${u[@]:i+1}"; do
			w=${w//[\[\]]/}
			names+=("${w%...}")
		done
		break
	done
	for ((i = 0; i < n && i < ${#names[@]}; i++)); do
		[[ ${names[i]} == OBJECT ]] && obj=${operands[i]}
	done
	case ${names[n]-} in
	OBJECT)
		while IFS= read -r w; do
			[[ $w == -* || $_ipctool_commands == *" $w "* ]] ||
				cands+=("$w")
		done < <(_ipctool_ask words)
		;;
	VERB)
		[[ -n $obj ]] && mapfile -t cands < <(_ipctool_ask words "$obj")
		;;
	esac
	_ipctool_offer "${cands[@]}"
}

# Put the words of COMP_WORDS that bash split at COMP_WORDBREAKS (':' in
# key:0x1, '=' in --type=shm) back together.  Sets _ipctool_w (the words,
# the last one cut at the cursor), _ipctool_cw (its index) and _ipctool_at
# (the index in COMP_WORDS where each word starts).
_ipctool_join_words() {
	local line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}
	local i pos=0 word glued n

	_ipctool_w=() _ipctool_at=()
	if [[ -z $COMP_LINE ]]; then
		_ipctool_w=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
		for ((i = 0; i <= COMP_CWORD; i++)); do
			_ipctool_at+=("$i")
		done
		_ipctool_cw=$COMP_CWORD
		return
	fi
	for ((i = 0; i <= COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		glued=1
		while [[ ${line:pos:1} == [[:space:]] ]]; do
			pos=$((pos + 1))
			glued=0
		done
		((i == 0)) && glued=0
		if ((i == COMP_CWORD)); then
			word=${line:pos}
		elif [[ ${line:pos:${#word}} != "$word" ]]; then
			glued=0
		fi
		pos=$((pos + ${#word}))
		n=${#_ipctool_w[@]}
		if ((glued && n > 0)); then
			_ipctool_w[n - 1]+=$word
		else
			_ipctool_w+=("$word")
			_ipctool_at+=("$i")
		fi
	done
	_ipctool_cw=$((${#_ipctool_w[@]} - 1))
}

# Offer each candidate that starts with $cur.  Bash replaces only what
# follows the last COMP_WORDBREAKS character of the word, so that much is
# cut from the front of each.
_ipctool_offer() {
	local c cut=0 i

	for ((i = 0; i < ${#cur}; i++)); do
		[[ $COMP_WORDBREAKS == *"${cur:i:1}"* ]] && cut=$((i + 1))
	done
	for c in "$@"; do
		[[ -n $c && $c == "$cur"* ]] || continue
		COMPREPLY+=("${c:cut}")
		[[ $c == *[:/=] ]] && compopt -o nospace 2>/dev/null
	done
	return 0
}

# Files and directories for a word that is PREFIX then a path.
_ipctool_offer_paths() {
	local prefix=$1 path=${cur#"$1"} f
	local -a found=()

	while IFS= read -r f; do
		[[ -d $f ]] && f+=/
		found+=("$prefix$f")
	done < <(compgen -f -- "$path")
	_ipctool_offer "${found[@]}"
}

# Paths for a FIFO operand: with $1 = any, every file; dir, directories
# only; fifo, FIFOs.  Directories (with a /) are always offered, to go on
# from; a path already on the line (rm P P...) is not offered again.
_ipctool_offer_fifo_paths() {
	local what=$1 f
	local -a found=()

	while IFS= read -r f; do
		if [[ " ${operands[*]} " == *" $f "* ]]; then
			continue
		elif [[ -d $f ]]; then
			found+=("$f/")
		elif [[ $what == any || ($what == fifo && -p $f) ]]; then
			found+=("$f")
		fi
	done < <(compgen -f -- "$cur")
	_ipctool_offer "${found[@]}"
}

# Process ids for @pid: those in front of the PID:FD refs of $object (the
# processes that hold a pipe, for `pipe ls --pid`), once each; else every
# process.
_ipctool_pids() {
	local w
	local -A seen=()

	if [[ -n $object ]]; then
		while IFS= read -r w; do
			[[ $w =~ ^([0-9]+): ]] || continue
			w=${BASH_REMATCH[1]}
			[[ -n ${seen[$w]-} || ! -d /proc/$w ]] && continue
			seen[$w]=1
			printf '%s\n' "$w"
		done < <(_ipctool_ask refs "$object")
	fi
	((${#seen[@]})) && return 0
	for w in /proc/[0-9]*; do
		printf '%s\n' "${w#/proc/}"
	done
}

# Command names for a command-string operand (`pipe create CMD CMD...`):
# its first word, after an opening quote if there is one.
_ipctool_offer_cmdstring() {
	local q='' rest=$cur w
	local -a cands=()
	local -A seen=()

	if [[ $cur == [\'\"]* ]]; then
		q=${cur:0:1}
		rest=${cur:1}
	fi
	[[ $rest == *[[:space:]]* ]] && return 0
	while IFS= read -r w; do
		[[ -n ${seen[$w]-} ]] && continue
		seen[$w]=1
		cands+=("$q$w")
	done < <(compgen -c -- "$rest")
	_ipctool_offer "${cands[@]}"
}

# Values of option $1 (-x or --name) of the verb or command on the line, as
# `__complete values` gives them; $2 goes in front (--output= when the value
# is in the same word).  The values of kinds columns and types make a comma
# list (columns may start with +), each name once.
_ipctool_offer_value() {
	local opt=$1 front=$2 val=${cur#"$2"} w v list='' kinds i
	local -a vals=() cands=() where=()

	kinds=${_ipctool_kind[$opt]-}
	if [[ -n $object ]]; then
		where=("$object" "$verb")
	elif [[ -n $command ]]; then
		where=("$command")
	fi
	while IFS= read -r w; do
		[[ -n $w ]] && vals+=("$w")
	done < <(_ipctool_ask values "${where[@]}" "$opt")
	if [[ $kinds == *' columns '* || $kinds == *' types '* ]]; then
		[[ $val == +* ]] && list=+
		[[ $val == *,* ]] && list=${val%,*},
	fi
	v=${val#"$list"}
	for w in "${vals[@]}"; do
		case $w in
		@user) mapfile -t -O "${#cands[@]}" cands < <(compgen -u -- "$v") ;;
		@group) mapfile -t -O "${#cands[@]}" cands < <(compgen -g -- "$v") ;;
		@pid) mapfile -t -O "${#cands[@]}" cands < <(_ipctool_pids) ;;
		@file) mapfile -t -O "${#cands[@]}" cands < <(compgen -f -- "$v") ;;
		@*) ;;
		*)
			[[ ,${list#+} == *,"$w",* ]] || cands+=("$w")
			;;
		esac
	done
	for ((i = 0; i < ${#cands[@]}; i++)); do
		cands[i]=$front$list${cands[i]}
	done
	_ipctool_offer "${cands[@]}"
}

# REF operands of $object: its live handles, the key:/ftok: forms; for a
# FIFO, paths (any file when $1 is 0, for create), for a pipe, PID:FD.
_ipctool_offer_refs() {
	local w live=${1:-1}
	local -a cands=()

	case $object in
	shm | mq | sem)
		if [[ $cur == ftok:* ]]; then
			_ipctool_offer_paths ftok:
			return 0
		fi
		cands+=(key: ftok:)
		;;
	fifo)
		if ((live)); then
			_ipctool_offer_fifo_paths fifo
		else
			_ipctool_offer_fifo_paths any
		fi
		;;
	esac
	if ((live)); then
		while IFS= read -r w; do
			# rm REF REF...: each one only once.
			[[ " ${operands[*]} " == *" $w "* ]] && continue
			case $object in
			# an open FIFO that is still there, and not offered
			# already as a path
			fifo)
				[[ -p $w && " ${COMPREPLY[*]} " != *" $w "* ]] ||
					continue
				;;
			# an end held by a process that is still there
			pipe) [[ -d /proc/${w%%:*} ]] || continue ;;
			esac
			cands+=("$w")
		done < <(_ipctool_ask refs "$object")
	fi
	_ipctool_offer "${cands[@]}"
}

_ipctool() {
	local cur _ipctool_prog _ipctool_cw
	local -a _ipctool_w _ipctool_at operands=() optwords=()
	local -A _ipctool_kind=()
	local object='' verb='' command='' expect='' w i j k dashdash=0 cmdstart=-1
	local -a opts=()

	COMPREPLY=()
	_ipctool_join_words
	cur=${_ipctool_w[_ipctool_cw]}
	_ipctool_prog=${_ipctool_w[0]}
	_ipctool_load_registry
	_ipctool_load_commands

	# Which object (or command) and verb: the first words that are not
	# global options.  ipctool stops at the object, and the verb must come
	# right after it.
	for ((i = 1; i < _ipctool_cw; i++)); do
		w=${_ipctool_w[i]}
		if [[ -z $object && -z $command ]]; then
			# an option before OBJECT that takes a value (--install
			# DIR): the value is no object
			if [[ $w == -?* && $w != *=* ]] && _ipctool_valued "$w"; then
				i=$((i + 1))
				if ((i == _ipctool_cw)); then
					_ipctool_offer_value "$w" ""
					return 0
				fi
				continue
			fi
			[[ $w == -* ]] && continue
			if [[ $_ipctool_commands == *" $w "* ]]; then
				command=$w
			else
				object=$w
			fi
			continue
		fi
		if [[ -n $object && -z $verb ]]; then
			verb=$w
			continue
		fi
		break
	done
	k=$i
	# A verb the object has not (shm --help, shm help): nothing follows.
	if [[ -n $verb ]]; then
		mapfile -t opts < <(_ipctool_ask words "$object")
		[[ " ${opts[*]} " == *" $verb "* ]] || return 0
		opts=()
	fi

	# The options of the command or verb.
	if [[ -n $command ]]; then
		while IFS= read -r w; do
			[[ $w == -* ]] && optwords+=("$w")
		done < <(_ipctool_ask words "$command")
	elif [[ -n $verb ]]; then
		while IFS= read -r w; do
			optwords+=("$w")
		done < <(_ipctool_ask words "$object" "$verb")
	fi

	# The rest, as getopt_long sees it (options may follow operands).
	for ((i = k; i < _ipctool_cw; i++)); do
		w=${_ipctool_w[i]}
		if [[ -n $expect ]]; then
			expect=
			continue
		fi
		if ((!dashdash)); then
			case $w in
			--)
				dashdash=1
				cmdstart=${#operands[@]}
				continue
				;;
			--*=*) continue ;;
			--?*)
				_ipctool_valued "$w" && expect=$w
				continue
				;;
			-?*)
				# A bundle of letters; a valued one takes the
				# rest of the word, or the next word.
				for ((j = 1; j < ${#w}; j++)); do
					if _ipctool_valued "-${w:j:1}"; then
						((j == ${#w} - 1)) && expect=-${w:j:1}
						break
					fi
				done
				continue
				;;
			esac
		fi
		operands+=("$w")
	done

	# An option's value.
	if [[ -n $expect ]]; then
		_ipctool_offer_value "$expect" ""
		return 0
	fi
	if ((!dashdash)) && [[ $cur == --?*=* ]]; then
		_ipctool_offer_value "${cur%%=*}" "${cur%%=*}="
		return 0
	fi
	# A value in the same word as its letter: -otype,ref.
	if ((!dashdash)) && [[ $cur == -[!-]?* ]]; then
		for ((j = 1; j < ${#cur} - 1; j++)); do
			if _ipctool_valued "-${cur:j:1}"; then
				_ipctool_offer_value "-${cur:j:1}" "${cur:0:j+1}"
				return 0
			fi
		done
	fi

	# Options.
	if ((!dashdash)) && [[ $cur == -* ]]; then
		if [[ -z $object && -z $command ]]; then
			while IFS= read -r w; do
				[[ $w == -* ]] && opts+=("$w")
			done < <(_ipctool_ask words)
		elif [[ -n $object && -z $verb ]]; then
			# whatever options the helper lists among the verbs
			while IFS= read -r w; do
				[[ $w == -* ]] && opts+=("$w")
			done < <(_ipctool_ask words "$object")
		else
			opts=("${optwords[@]}")
		fi
		_ipctool_offer "${opts[@]}"
		return 0
	fi

	# The object or command: the words the helper lists, as it lists them.
	if [[ -z $object && -z $command ]]; then
		while IFS= read -r w; do
			[[ $w == -* ]] || opts+=("$w")
		done < <(_ipctool_ask words)
		_ipctool_offer "${opts[@]}"
		return 0
	fi

	if [[ -n $command ]]; then
		_ipctool_offer_command_operand
		return 0
	fi

	# A verb of the object.
	if [[ -z $verb ]]; then
		while IFS= read -r w; do
			opts+=("$w")
		done < <(_ipctool_ask words "$object")
		_ipctool_offer "${opts[@]}"
		return 0
	fi

	# The verb's operands.  Some are not REFs: every operand of fifo
	# create is a new path, of fifo ls a directory, of pipe create a
	# command line for sh -c.
	case $object/$verb in
	fifo/create)
		_ipctool_offer_fifo_paths any
		return 0
		;;
	fifo/ls)
		_ipctool_offer_fifo_paths dir
		return 0
		;;
	pipe/create)
		_ipctool_offer_cmdstring
		return 0
		;;
	esac
	case $object/$verb in
	*/ls) ;;
	*/create)
		# A new object: only the forms, no live one.
		((${#operands[@]} == 0)) && _ipctool_offer_refs 0
		;;
	*/rm)
		_ipctool_offer_refs 1
		;;
	*/attach | */run)
		# REF, then after -- a command line of its own.
		if ((${#operands[@]} == 0)); then
			_ipctool_offer_refs 1
		elif ((dashdash)); then
			((cmdstart < 1)) && cmdstart=1
			if ((${#operands[@]} == cmdstart)); then
				while IFS= read -r w; do
					opts+=("$w")
				done < <(compgen -c -- "$cur")
				_ipctool_offer "${opts[@]}"
			elif declare -F _command_offset >/dev/null; then
				# bash-completion completes the command's own
				# arguments; it works on COMP_WORDS.
				i=$((_ipctool_cw - (${#operands[@]} - cmdstart)))
				_command_offset "${_ipctool_at[i]}"
			else
				_ipctool_offer_paths ""
			fi
		fi
		;;
	*)
		((${#operands[@]} == 0)) && _ipctool_offer_refs 1
		;;
	esac
	return 0
}

complete -F _ipctool ipctool

# The applets (ipctool started as ipcs, ipcrm or ipcmk): their options are
# read off their own --help, as is ipcrm's old form (a usage line
# " ipcrm shm|msg|sem <id>...") and the values of an option written
# --all[=shm|msg]; an option shown with <arg> takes a value.
_ipctool_applet() {
	local cmd=${COMP_WORDS[0]} line w cur prev
	local -a words=() kinds=() vals=() valued=() toks=()

	# the words as typed, not split at '=' as COMP_WORDS is
	line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}
	read -ra toks <<<"$line"
	[[ $line == *[[:space:]] ]] && toks+=("")
	cur=${toks[${#toks[@]} - 1]}
	prev=${toks[${#toks[@]} - 2]-}
	COMPREPLY=()
	while IFS= read -r line; do
		if [[ $line =~ ^\ ${cmd##*/}\ ([a-z]+(\|[a-z]+)+)\  ]]; then
			IFS='|' read -ra kinds <<<"${BASH_REMATCH[1]}"
			continue
		fi
		[[ $line =~ ^\ +(-[[:alnum:]],\ )?(--[[:alnum:]-]+)(\[=([a-z|]+)\])?(\ <)? ]] || continue
		w=${BASH_REMATCH[2]}
		if [[ -n ${BASH_REMATCH[4]} ]]; then
			IFS='|' read -ra vals <<<"${BASH_REMATCH[4]}"
			if [[ $cur == "$w"=* ]]; then
				mapfile -t COMPREPLY < <(compgen -W "${vals[*]}" -- "${cur#*=}")
				return 0
			fi
			words+=("$w" "$w=")
		else
			words+=("$w")
		fi
		[[ -n ${BASH_REMATCH[1]} ]] && words+=("${BASH_REMATCH[1]%, }")
		if [[ -n ${BASH_REMATCH[5]} ]]; then
			valued+=("$w")
			[[ -n ${BASH_REMATCH[1]} ]] && valued+=("${BASH_REMATCH[1]%, }")
		fi
	done < <("$cmd" --help 2>/dev/null </dev/null)
	# the value of an option: nothing to offer
	[[ " ${valued[*]} " == *" $prev "* ]] && return 0
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "${words[*]}" -- "$cur")
		[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null
	elif ((${#toks[@]} == 2 && ${#kinds[@]})); then
		mapfile -t COMPREPLY < <(compgen -W "${kinds[*]}" -- "$cur")
	fi
	return 0
}

complete -F _ipctool_applet ipcs ipcrm ipcmk
