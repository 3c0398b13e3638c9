# fish completion for ipctool
#
# The words come from the binary being typed, so this file does not go stale
# when ipctool gains an object, a verb or an option:
#
#   ipctool __complete words                  objects and global options
#   ipctool __complete words OBJECT           OBJECT's verbs
#   ipctool __complete words OBJECT VERB      VERB's options, then the globals
#   ipctool __complete refs OBJECT            live ids and /names of OBJECT,
#                                             open FIFOs' paths, pipes' PID:FD
#
# Only what the helper does not say is written down here: the top-level
# commands (ls, limits, bench, help), and which long options
# take a value (the long names are fixed by the interface contract).

set -g __ipctool_valued size mode offset length timeout owner group type \
    priority count value index max-messages message-size queue-bytes pid

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

# __ipctool_pipe_pids PROG: the processes that hold an end of a pipe, once
# each, with their command names.
function __ipctool_pipe_pids
    set -l seen
    for w in (__ipctool_ask $argv[1] refs pipe)
        set -l pid (string replace -r ':.*' '' -- $w)
        contains -- $pid $seen; and continue
        set -a seen $pid
        test -r /proc/$pid/comm; or continue
        printf '%s\t%s\n' $pid (cat /proc/$pid/comm 2>/dev/null)
    end
end

# __ipctool_value PROG OBJECT OPTION FRONT VALUE: the values of a long option.
function __ipctool_value
    set -l prog $argv[1]
    set -l object $argv[2]
    set -l opt $argv[3]
    set -l front $argv[4]
    set -l val $argv[5]
    switch $opt
        case type
            # ls and limits take a comma list of object names.
            test -n "$object"; and return
            set -l done
            set -l list
            if string match -q -- '*,*' $val
                set list (string replace -r ',[^,]*$' ',' -- $val)
                set done (string split , -- $list)
            end
            for w in (__ipctool_ask $prog words)
                string match -q -- '-*' $w; and continue
                contains -- $w $done; and continue
                printf '%s%s%s\tobject\n' $front $list $w
            end
        case owner
            for u in (__fish_complete_users)
                printf '%s%s\n' $front $u
            end
        case group
            for gr in (__fish_complete_groups)
                printf '%s%s\n' $front $gr
            end
        case mode
            printf "$front%s\toctal mode\n" 0600 0640 0644 0660 0666 0400 0444
        case pid
            for w in (__ipctool_pipe_pids $prog)
                printf '%s%s\n' $front $w
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
                if contains -- $w ls limits bench help
                    set cmd $w
                else
                    set object $w
                end
            end
        else if test -n "$object" -a -z "$verb"
            set verb $w
            # shm --help, shm help: nothing follows.
            string match -q -- '-*' $w; and return
            test "$w" = help; and return
        else
            break
        end
        set i (math $i + 1)
    end

    # The options of the command or verb: long names, each followed by its
    # short letter if it has one.
    set -l optwords
    if test -n "$cmd"
        if test "$cmd" = help
            set optwords (__ipctool_ask $prog words | string match -- '-*')
        else
            set optwords (__ipctool_ask $prog words $cmd | string match -- '-*')
        end
    else if test -n "$verb"
        set optwords (__ipctool_ask $prog words $object $verb)
    end
    set -l letters
    set -l longs
    set -l name
    for w in $optwords
        if string match -q -- '--*' $w
            set name (string sub -s 3 -- $w)
        else if string match -qr -- '^-.$' $w; and test -n "$name"
            set -a letters (string sub -s 2 -- $w)
            set -a longs $name
        end
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
                    set name (string sub -s 3 -- $w)
                    contains -- $name $__ipctool_valued; and set expect $name
                    continue
                case '-?*'
                    # A bundle of letters; a valued one takes the rest
                    # of the word, or the next word.
                    set -l chars (string split '' -- (string sub -s 2 -- $w))
                    set -l k 1
                    for c in $chars
                        set -l at (contains -i -- $c $letters)
                        if test -n "$at"; and contains -- $longs[$at] $__ipctool_valued
                            test $k -eq (count $chars); and set expect $longs[$at]
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
        __ipctool_value $prog "$object" $expect '' $cur
        return
    end
    if test $dashdash = 0; and string match -qr -- '^--[^=]+=' $cur
        set -l parts (string split -m 1 = -- $cur)
        __ipctool_value $prog "$object" (string sub -s 3 -- $parts[1]) $parts[1]= $parts[2]
        return
    end

    # Options.
    if test $dashdash = 0; and string match -q -- '-*' $cur
        if test -z "$object" -a -z "$cmd"
            __ipctool_ask $prog words | string match -- '-*'
        else if test -n "$object" -a -z "$verb"
            printf '%s\n' --help -h
        else
            printf '%s\n' $optwords
        end
        return
    end

    # The object or command.
    if test -z "$object" -a -z "$cmd"
        for w in (__ipctool_ask $prog words)
            string match -q -- '-*' $w; or printf '%s\tobject\n' $w
        end
        printf '%s\tcommand\n' ls limits bench help
        return
    end

    switch "$cmd"
        case help
            switch (count $operands)
                case 0
                    __ipctool_ask $prog words | string match -v -- '-*'
                case 1
                    __ipctool_ask $prog words $operands[1]
            end
            return
        case ls limits bench
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
    switch "$object $verb"
        case 'fifo create'
            __ipctool_fifo_paths any $cur
            return
        case 'fifo ls'
            __ipctool_fifo_paths dir $cur
            return
        case 'pipe create'
            __fish_complete_command
            return
    end
    switch $verb
        case ls
        case create
            # A new object: only the forms, no live one.
            test $nops -eq 0; and __ipctool_refs $prog $object 0 $cur
        case rm
            __ipctool_refs $prog $object 1 $cur $operands
        case attach run
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
