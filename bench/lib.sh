# Shared by the bench/ scripts (sourced, not run): a private IPC and mount
# namespace as root, and one way of printing a row.
#
# Every row is ipctool's median and spread beside the baseline's, measured
# in the same run with rounds alternating so that a noisy neighbour slows
# both alike; then the ratio and the goal, and "(missed)" when the ratio is
# on the wrong side of the goal.  Spread is the largest distance from the
# median to the fastest or slowest round, as a percentage of the median.

# bench_isolate "$0" "$@": as root, re-run the script in its own IPC and
# mount namespaces with an empty /dev/shm and /dev/mqueue, so it neither
# sees nor touches the host's objects.
bench_isolate() {
	if [ "$(id -u)" -eq 0 ] && [ -z "${IPCTOOL_ISOLATED:-}" ]; then
		export IPCTOOL_ISOLATED=1
		exec unshare --ipc --mount --propagation private -- "$@"
	fi
	if [ -n "${IPCTOOL_ISOLATED:-}" ] && [ -z "${IPCTOOL_MOUNTED:-}" ]; then
		export IPCTOOL_MOUNTED=1
		mount -t tmpfs -o mode=1777 tmpfs /dev/shm
		[ -d /dev/mqueue ] || mkdir -p /dev/mqueue
		mount -t mqueue mqueue /dev/mqueue
	fi
}

bench_now() { local t=${EPOCHREALTIME/./}; echo "$t"; }	# microseconds

# bench_time_us CMD...: microseconds one run of CMD took (stdout dropped).
bench_time_us() {
	local t0
	t0=$(bench_now)
	"$@" >/dev/null
	echo $(( $(bench_now) - t0 ))
}

bench_header() {
	printf '%-44s %12s %5s %12s %5s %7s  %s\n' benchmark ipctool spread \
	    baseline spread ratio goal
}

# bench_row NAME UNIT GOAL A B [SCALE]: A and B are files of samples, one
# per round.  UNIT says what a sample is and how it is shown:
#   ms     microseconds for one run; shown as ms; ratio A/B
#   call   microseconds for SCALE calls; shown as ms per call; ratio A/B
#   msg/s  microseconds for SCALE messages; shown as messages per second;
#          ratio is A's rate over B's (higher is better)
#   MiB/s  microseconds for SCALE MiB; shown as MiB/s; ratio of rates
#   MiB    KiB of memory; shown as MiB; ratio A/B
#   ns, us as they are; ratio A/B
# GOAL is "<= R", ">= R" (a ratio), "< N MiB" (an absolute memory limit
# on A) or "info" (no goal: a floor or a ceiling shown for reference).
bench_row() {
	awk -v name="$1" -v unit="$2" -v goal="$3" -v scale="${6:-1}" '
	function stats(v, n, s,   i, j, t, med, d) {
		for (i = 2; i <= n; i++)	# insertion sort, n is small
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		d = med - v[1]
		if (v[n] - med > d)
			d = v[n] - med
		s["med"] = med
		s["spread"] = med > 0 ? 100 * d / med : 0
	}
	function shown(x) {
		if (unit == "ms") return sprintf("%.1f ms", x / 1000)
		if (unit == "call") return sprintf("%.3f ms", x / scale / 1000)
		if (unit == "msg/s") return sprintf("%.0f/s", scale / (x / 1e6))
		if (unit == "MiB/s") return sprintf("%.0f MiB/s", scale / (x / 1e6))
		if (unit == "MiB") return sprintf("%.1f MiB", x / 1024)
		return sprintf("%.0f %s", x, unit)
	}
	FNR == 1 { f++ }
	f == 1 { a[++na] = $1 }
	f == 2 { b[++nb] = $1 }
	END {
		stats(a, na, sa)
		bm = "-"; bs = ""; ratio = "-"
		if (nb > 0) {
			stats(b, nb, sb)
			rate = unit == "msg/s" || unit == "MiB/s"
			r = rate ? sb["med"] / sa["med"] : sa["med"] / sb["med"]
			ratio = sprintf("%.2fx", r)
			bm = shown(sb["med"]); bs = sprintf("±%.0f%%", sb["spread"])
		}
		split(goal, g, " ")
		missed = ""
		if (g[1] == "<=" && r + 0 > g[2] + 0) missed = " (missed)"
		if (g[1] == ">=" && r + 0 < g[2] + 0) missed = " (missed)"
		if (g[1] == "<" && sa["med"] / 1024 >= g[2] + 0) missed = " (missed)"
		shown_goal = (g[1] == "<" || g[1] == "info") ? goal : goal "x"
		printf "%-44s %12s %5s %12s %5s %7s  %s%s\n", name,
		    shown(sa["med"]), sprintf("±%.0f%%", sa["spread"]), bm, bs,
		    ratio, shown_goal, missed
	}' "$4" "${5:-/dev/null}"
}
