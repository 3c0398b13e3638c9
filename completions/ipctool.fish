# fish completion for ipctool
#
# The words come from the binary being typed, so this file does not go stale
# when ipctool gains an object, a verb or an option, or an option changes
# its letter:
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

# __ipctool_load_commands PROG: __ipctool_commands, the top-level commands
# of the binary __ipctool_commands_prog, from `__complete commands`; asked
# once a shell session for each command word typed (again when it gave
# none).
function __ipctool_load_commands
    set -q __ipctool_commands_prog; and test "$__ipctool_commands_prog" = $argv[1]
    and return
    set -g __ipctool_commands (__ipctool_ask $argv[1] commands)
    test (count $__ipctool_commands) -gt 0
    and set -g __ipctool_commands_prog $argv[1]
    return 0
end

# __ipctool_command_operand PROG COMMAND OPERANDS...: an operand of
# COMMAND, as its usage line (`COMMAND --help`) names them: OBJECT, an
# object (a first word that is not a command); VERB, a verb of the OBJECT
# before it.  Nothing for a command that takes none.
function __ipctool_command_operand
    set -l prog $argv[1]
    set -l cmd $argv[2]
    set -l operands $argv[3..-1]
    string match -q -- '~/*' $prog; and set prog $HOME/(string sub -s 3 -- $prog)
    set -l usage (command $prog $cmd --help 2>/dev/null </dev/null)[1]
    set -l u (string split -n ' ' -- "$usage")
    set -l at (contains -i -- $cmd $u); or return
    set -l names
    for w in $u[(math $at + 1)..-1]
        set -a names (string replace -a -r '[][]|\.\.\.$' '' -- $w)
    end
    set -l n (math (count $operands) + 1)
    test $n -le (count $names); or return
    set -l obj
    for i in (seq (math $n - 1))
        test "$names[$i]" = OBJECT; and set obj $operands[$i]
    end
    switch $names[$n]
        case OBJECT
            for w in (__ipctool_ask $prog words | string match -v -- '-*')
                contains -- $w $__ipctool_commands; or printf '%s\tobject\n' $w
            end
        case VERB
            test -n "$obj"; and __ipctool_ask $prog words $obj
    end
end

# __ipctool_registry PROG: "WORD KIND" for each -x and --name of the
# registry, from `__complete options`.
function __ipctool_registry
    for row in (__ipctool_ask $argv[1] options)
        set -l f (string split ' ' -- $row)
        test (count $f) -ge 3; or continue
        printf '%s %s\n' $f[2] $f[3]
        string match -qr -- '^-.$' $f[1]; and printf '%s %s\n' $f[1] $f[3]
    end
end

# __ipctool_kinds WORD REGISTRY...: the kinds of the rows for WORD.
function __ipctool_kinds
    set -l word $argv[1]
    for row in $argv[2..-1]
        set -l f (string split ' ' -- $row)
        test "$f[1]" = "$word"; and echo $f[2]
    end
end

# __ipctool_kindword WORD REGISTRY...: the kinds of WORD as one word.
function __ipctool_kindword
    set -l k (__ipctool_kinds $argv)
    echo "$k"
end

# __ipctool_valued WORD REGISTRY...: WORD takes a value.
function __ipctool_valued
    __ipctool_kinds $argv | string match -qv flag
end

# __ipctool_ask PROG ARGS...: run PROG's completion helper.
function __ipctool_ask
    set -l prog $argv[1]
    string match -q -- '~/*' $prog; and set prog $HOME/(string sub -s 3 -- $prog)
    command $prog __complete $argv[2..-1] 2>/dev/null </dev/null
end

# __ipctool_paths PREFIX PATH: files and directories (with a /) under PATH.
function __ipctool_paths
    set -l prefix $argv[1]
    set -l path $argv[2]
    set -l found $path*
    for f in $found
        if test -d $f
            printf '%s%s/\n' $prefix $f
        else
            printf '%s%s\n' $prefix $f
        end
    end
end

# __ipctool_fifo_paths WHAT PATH: paths under PATH for a FIFO operand: with
# WHAT any, every file; dir, directories; fifo, FIFOs.  Directories (with a
# /) are always offered, to go on from.
function __ipctool_fifo_paths
    set -l what $argv[1]
    set -l path $argv[2]
    set -l found $path*
    for f in $found
        if test -d $f
            printf '%s/\n' $f
        else if test $what = any
            printf '%s\n' $f
        else if test $what = fifo -a -p $f
            printf '%s\tFIFO\n' $f
        end
    end
end

# __ipctool_pids PROG OBJECT: process ids for @pid, with their command
# names: those in front of OBJECT's PID:FD refs (the processes that hold a
# pipe, for `pipe ls --pid`), once each; else every process.
function __ipctool_pids
    set -l seen
    if test -n "$argv[2]"
        for w in (__ipctool_ask $argv[1] refs $argv[2])
            set -l pid (string match -r -g -- '^([0-9]+):' $w); or continue
            contains -- $pid $seen; and continue
            test -r /proc/$pid/comm; or continue
            set -a seen $pid
            printf '%s\t%s\n' $pid (cat /proc/$pid/comm 2>/dev/null)
        end
    end
    test (count $seen) -gt 0; and return
    __fish_complete_pids
end

# __ipctool_value PROG KINDS WHERE OPTION FRONT VALUE: the values of OPTION
# (-x or --name) of WHERE (OBJECT VERB, or COMMAND, one word) as
# `__complete values` gives them, each after FRONT (--output= when the value
# is in the same word).  KINDS are the option's kinds, one word.  The values
# of kinds columns and types make a comma list (columns may start with +),
# each name once.
function __ipctool_value
    set -l prog $argv[1]
    set -l kinds (string split ' ' -- $argv[2])
    set -l where (string split ' ' -- $argv[3])
    set -l opt $argv[4]
    set -l front $argv[5]
    set -l val $argv[6]
    set -l vals (__ipctool_ask $prog values $where $opt)
    set -l list ''
    set -l done
    if contains -- columns $kinds; or contains -- types $kinds
        string match -q -- '+*' $val; and set list +
        if string match -q -- '*,*' $val
            set list (string replace -r ',[^,]*$' ',' -- $val)
            set done (string split , -- (string replace -r '^\+' '' -- $list))
        end
    end
    for w in $vals
        switch $w
            case @user
                set -l u (__fish_complete_users)
                printf '%s\n' $front$list$u
            case @group
                set -l gr (__fish_complete_groups)
                printf '%s\n' $front$list$gr
            case @pid
                set -l p (__ipctool_pids $prog $where[1])
                printf '%s\n' $front$list$p
            case @file
                set -l f (__fish_complete_path (string replace -- "$list" '' $val))
                printf '%s\n' $front$list$f
            case '@*'
            case '*'
                contains -- $w $done; and continue
                printf '%s\n' $front$list$w
        end
    end
end

# __ipctool_refs PROG OBJECT LIVE CUR DONE...: REF operands: live handles
# (if LIVE is 1) and the key:/ftok: forms; for a FIFO, paths (FIFOs, or any
# file if LIVE is 0, for create); for a pipe, PID:FD.
function __ipctool_refs
    set -l prog $argv[1]
    set -l object $argv[2]
    set -l live $argv[3]
    set -l cur $argv[4]
    set -l done $argv[5..-1]
    set -l paths
    switch $object
        case shm mq sem
            if string match -q -- 'ftok:*' $cur
                __ipctool_paths ftok: (string sub -s 6 -- $cur)
                return
            end
            printf '%s\t%s\n' key: 'System V key' ftok: 'System V key of a file'
        case fifo
            set -l what fifo
            test "$live" = 1; or set what any
            for p in (__ipctool_fifo_paths $what $cur)
                set -l path (string replace -r '\t.*' '' -- $p)
                # rm PATH PATH...: each one only once.
                contains -- $path $done; and continue
                set -a paths $path
                printf '%s\n' $p
            end
    end
    test "$live" = 1; or return
    for w in (__ipctool_ask $prog refs $object)
        # rm REF REF...: each one only once.
        contains -- $w $done $paths; and continue
        switch $object
            case fifo
                # an open FIFO that is still there
                test -p $w; or continue
            case pipe
                # an end held by a process that is still there, with
                # its command name
                set -l pid (string replace -r ':.*' '' -- $w)
                test -r /proc/$pid/comm; or continue
                printf '%s\t%s\n' $w (cat /proc/$pid/comm 2>/dev/null)
                continue
        end
        printf '%s\t%s\n' $w "live $object"
    end
end

function __ipctool_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l prog $words[1]
    set -l registry (__ipctool_registry $prog)
    __ipctool_load_commands $prog
    set -l object
    set -l verb
    set -l cmd
    set -l i 2
    set -l n (count $words)

    # Which object (or command) and verb: the first words that are not
    # global options.  ipctool stops at the object, and the verb must come
    # right after it.
    while test $i -le $n
        set -l w $words[$i]
        if test -z "$object" -a -z "$cmd"
            if not string match -q -- '-*' $w
                if contains -- $w $__ipctool_commands
                    set cmd $w
                else
                    set object $w
                end
            end
        else if test -n "$object" -a -z "$verb"
            set verb $w
            # a verb the object has not (shm --help, shm help): nothing
            # follows
            contains -- $w (__ipctool_ask $prog words $object); or return
        else
            break
        end
        set i (math $i + 1)
    end

    # The options of the command or verb, and where to ask for values.
    set -l optwords
    set -l where
    if test -n "$cmd"
        set optwords (__ipctool_ask $prog words $cmd | string match -- '-*')
        set where $cmd
    else if test -n "$verb"
        set optwords (__ipctool_ask $prog words $object $verb)
        set where "$object $verb"
    end

    # The rest, as getopt_long sees it (options may follow operands).
    set -l operands
    set -l expect
    set -l dashdash 0
    set -l cmdstart 0
    while test $i -le $n
        set -l w $words[$i]
        set i (math $i + 1)
        if test -n "$expect"
            set expect
            continue
        end
        if test $dashdash = 0
            switch $w
                case --
                    set dashdash 1
                    set cmdstart (count $operands)
                    continue
                case '--*=*'
                    continue
                case '--?*'
                    __ipctool_valued $w $registry; and set expect $w
                    continue
                case '-?*'
                    # A bundle of letters; a valued one takes the rest
                    # of the word, or the next word.
                    set -l chars (string split '' -- (string sub -s 2 -- $w))
                    set -l k 1
                    for c in $chars
                        if __ipctool_valued -$c $registry
                            test $k -eq (count $chars); and set expect -$c
                            break
                        end
                        set k (math $k + 1)
                    end
                    continue
            end
        end
        set -a operands $w
    end

    # An option's value.
    if test -n "$expect"
        __ipctool_value $prog (__ipctool_kindword $expect $registry) "$where" \
            $expect '' $cur
        return
    end
    if test $dashdash = 0; and string match -qr -- '^--[^=]+=' $cur
        set -l parts (string split -m 1 = -- $cur)
        __ipctool_value $prog (__ipctool_kindword $parts[1] $registry) \
            "$where" $parts[1] $parts[1]= $parts[2]
        return
    end
    # A value in the same word as its letter: -otype,ref.
    if test $dashdash = 0; and string match -qr -- '^-[^-].' $cur
        set -l chars (string split '' -- (string sub -s 2 -- $cur))
        set -l k 1
        while test $k -lt (count $chars)
            if __ipctool_valued -$chars[$k] $registry
                __ipctool_value $prog (__ipctool_kindword -$chars[$k] $registry) \
                    "$where" -$chars[$k] (string sub -l (math $k + 1) -- $cur) \
                    (string sub -s (math $k + 2) -- $cur)
                return
            end
            set k (math $k + 1)
        end
    end

    # Options.
    if test $dashdash = 0; and string match -q -- '-*' $cur
        if test -z "$object" -a -z "$cmd"
            __ipctool_ask $prog words | string match -- '-*'
        else if test -n "$object" -a -z "$verb"
            # whatever options the helper lists among the verbs
            __ipctool_ask $prog words $object | string match -- '-*'
        else
            printf '%s\n' $optwords
        end
        return
    end

    # The object or command: the words the helper lists, as it lists them.
    if test -z "$object" -a -z "$cmd"
        for w in (__ipctool_ask $prog words | string match -v -- '-*')
            if contains -- $w $__ipctool_commands
                printf '%s\tcommand\n' $w
            else
                printf '%s\tobject\n' $w
            end
        end
        return
    end

    if test -n "$cmd"
        __ipctool_command_operand $prog $cmd $operands
        return
    end

    # A verb of the object.
    if test -z "$verb"
        for w in (__ipctool_ask $prog words $object)
            printf '%s\tverb\n' $w
        end
        return
    end

    # The verb's operands.  Some are not REFs: every operand of fifo create
    # is a new path, of fifo ls a directory, of pipe create a command line
    # for sh -c.
    set -l nops (count $operands)
    switch "$object/$verb"
        case fifo/create
            __ipctool_fifo_paths any $cur
            return
        case fifo/ls
            __ipctool_fifo_paths dir $cur
            return
        case pipe/create
            __fish_complete_command
            return
    end
    switch "$object/$verb"
        case '*/ls'
        case '*/create'
            # A new object: only the forms, no live one.
            test $nops -eq 0; and __ipctool_refs $prog $object 0 $cur
        case '*/rm'
            __ipctool_refs $prog $object 1 $cur $operands
        case '*/attach' '*/run'
            # REF, then after -- a command line of its own.
            if test $nops -eq 0
                __ipctool_refs $prog $object 1 $cur
            else if test $dashdash = 1
                test $cmdstart -lt 1; and set cmdstart 1
                if test $nops -eq $cmdstart
                    __fish_complete_command
                else
                    __fish_complete_subcommand --commandline \
                        $operands[(math $cmdstart + 1)..-1] $cur
                end
            end
        case '*'
            test $nops -eq 0; and __ipctool_refs $prog $object 1 $cur
    end
end

complete -c ipctool -f -a '(__ipctool_complete)'
