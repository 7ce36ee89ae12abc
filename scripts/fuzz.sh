#!/bin/sh
# Runs every fuzz target of the module, one after the other, for FUZZTIME
# each (default 60s). Fuzzing is never part of plain `go test`, which only
# replays the checked-in seed corpora (testdata/fuzz/<Target>/).
#
#   scripts/fuzz.sh                          # every target, 60s each
#   FUZZTIME=5m scripts/fuzz.sh              # longer
#   scripts/fuzz.sh FuzzBuildError           # some targets only
#   scripts/fuzz.sh -l                       # list the targets
#
# A failing input is written by go test to <package>/testdata/fuzz/<Target>/;
# check it in with the fix, so that plain `go test` replays it from then on.
# Until then it makes plain `go test` of that package fail, so in a working
# tree others share, fuzz a copy (git worktree add, or git archive HEAD).
# The script goes on with the other targets and exits non-zero if any failed.
# Other knobs: FUZZPARALLEL (fuzzing workers, default GOMAXPROCS) and
# FUZZFLAGS (extra go test flags, such as -race).
set -u

cd "$(dirname "$0")/.." || exit 2
FUZZTIME="${FUZZTIME:-60s}"

# Every package's targets, as "package target" lines, from go test -list.
list_targets() {
	for pkg in $(go list ./...); do
		go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' | while read -r target; do
			echo "$pkg $target"
		done
	done
}

targets=$(list_targets)
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 2
fi
if [ "${1:-}" = "-l" ]; then
	echo "$targets"
	exit 0
fi
if [ $# -gt 0 ]; then
	wanted=""
	for name in "$@"; do
		line=$(echo "$targets" | awk -v t="$name" '$2 == t')
		if [ -z "$line" ]; then
			echo "fuzz.sh: no target $name; the targets are:" >&2
			echo "$targets" >&2
			exit 2
		fi
		wanted="$wanted$line
"
	done
	targets=$wanted
fi

failed=""
passed=""
echo "$targets" | {
	while read -r pkg target; do
		[ -n "$target" ] || continue
		echo "=== fuzz $target ($pkg) for $FUZZTIME"
		parallel=""
		[ -n "${FUZZPARALLEL:-}" ] && parallel="-parallel=$FUZZPARALLEL"
		# -run '^$' skips the package's other tests; the seed corpus still runs first.
		# shellcheck disable=SC2086 # FUZZFLAGS is a list of flags
		if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" $parallel ${FUZZFLAGS:-} "$pkg"; then
			passed="$passed $target"
		else
			failed="$failed $target"
		fi
	done
	echo
	echo "fuzz.sh: passed:${passed:- none}"
	if [ -n "$failed" ]; then
		echo "fuzz.sh: FAILED:$failed (inputs under <package>/testdata/fuzz/<Target>/)"
		exit 1
	fi
}
