#!/usr/bin/env bats
# Regression tests for what fuzzing the parsers (fuzz/, `make fuzz`) found.
# Each names the harness and the input that showed it; the input is also
# kept in that harness's seed corpus, fuzz/corpus/NAME/.

load helpers

# fuzz_size, input "010" (fuzz/corpus/size/leading-zero): check_size
# handed the digits to expand_number(3), which reads a leading 0 as octal:
# --size 010 made an 8-byte segment and --size 09 was "too large".
@test "sizes: leading zeros are decimal, not octal" {
	for pair in 010:10 09:9 0100K:102400 007:7 00:0; do
		[ "${pair#*:}" -eq 0 ] && continue
		id=$(ipctool shm create --size "${pair%%:*}")
		cleanup_later shm "$id"
		run ipcs -m -i "$id"
		assert_output --partial "bytes=${pair#*:}"
		run_ipctool 0 --json shm info "$id"
		[[ "$output" == *"\"size\":${pair#*:},"* ]]
		ipctool shm rm "$id"
	done
	run_ipctool 2 shm create --size 00
	[[ "$stderr" == *"size '00'"* ]]
}

@test "sizes: a suffix that overflows 64 bits is too large, exit 2" {
	for bad in 16777216T 18014398509481984K 18446744073709551616; do
		run_ipctool 2 shm create --size "$bad"
		assert_output ""
		[[ "$stderr" == *"size '$bad'"*"too large"* ]]
	done
	run ipcs -m
	refute_output --partial "0x00000000"
}
