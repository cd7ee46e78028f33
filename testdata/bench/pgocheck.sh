#!/usr/bin/env bash
# make pgo-check, and the last step of make pgo: does a CPU profile make the
# compiler put on the heap a variable that a build without it keeps on the
# stack? Usage: testdata/bench/pgocheck.sh [PROFILE] (default
# cmd/hashgate/default.pgo); exit 1, with the variables, when it does.
#
# Why: PGO changes what is inlined, and with it what escape analysis can
# prove. A variable of a per-row function moved to the heap is an
# allocation a row, whatever the profile saves in calls: the profile of
# 2026-12-07 with the upload in it cost the 1M dry-run 13-20% more CPU that
# way (identifier.sum's hash went through the hash.Hash interface: 2.6
# allocations a row, 76 collections instead of 13), and the one taken at
# 031cf29 allocated consent's folding buffer once a row (docs/performance.md,
# "Why a refreshed profile was worse"). callgrind's instruction count does
# not see it (GOGC=off); -m does, without running anything.
#
# The lines are compared without their line:column (an inlined copy's
# position moves with the profile) but with their count. A variable shown
# to be off the per-row path (callgrind's callers of runtime.newobject:
# docs/performance.md) can be let through with ALLOW_MOVED=1 in make pgo.
# Building with a new profile compiles every package hashgate links with it,
# as the next go build would (the cache keeps them: minutes of CPU once).
set -euo pipefail
PROFILE=${1:-cmd/hashgate/default.pgo}
[ -s "$PROFILE" ] || { echo "pgocheck: $PROFILE not found" >&2; exit 2; }
PROFILE=$(cd "$(dirname "$PROFILE")" && pwd)/$(basename "$PROFILE")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
moved() { # moved PGO OUT: hashgate's "moved to heap" lines when built with -pgo=PGO
  go build -pgo="$1" -gcflags='github.com/hashgate/hashgate/...=-m' -o /dev/null ./cmd/hashgate > "$W/m" 2>&1 ||
    { cat "$W/m" >&2; echo "pgocheck: go build -pgo=$1 failed" >&2; exit 2; }
  grep 'moved to heap' "$W/m" | sed -E 's/:[0-9]+:[0-9]+:/:/' | sort > "$2" || true
}
moved off "$W/off"
moved "$PROFILE" "$W/pgo"
[ -s "$W/off" ] || { echo "pgocheck: no escape analysis in the -pgo=off build's output" >&2; exit 2; }
comm -13 "$W/off" "$W/pgo" > "$W/new"
if [ -s "$W/new" ]; then
  echo "pgocheck: built with $PROFILE, these variables move to the heap (not with -pgo=off):" >&2
  cat "$W/new" >&2
  exit 1
fi
echo "pgocheck: $PROFILE moves nothing to the heap that -pgo=off keeps on the stack" >&2
