#!/usr/bin/env bash
# make pgo: regenerate cmd/hashgate/default.pgo, the CPU profile `go build`
# reads for profile-guided optimisation (https://go.dev/doc/pgo: a main
# package's default.pgo is used by default, -pgo=auto, since Go 1.21).
#
# A command-line tool has no production to profile, so the profile is the
# benchmarks' workloads, each once, merged (a sum of samples: go.dev/doc/pgo,
# "Merging profiles"), so that no command is tuned at another's expense:
#   - the dry-run of the bench export (testdata/bench/config.yaml, both
#     destinations), DRY times from standard input and DRY times from the file;
#   - its upload to both destinations against the loopback fakes, and the
#     rerun that finds everything sent (bench-upload -profile);
#   - the channel report over bench-channels' export and a year of spend.
# The runs are those of testdata/bench/upload acting as hashgate (the same
# code, with a CPU profile), at GOGC=50 as hashgate's main sets it (gc.go).
# It is built with -trimpath and run from a temporary directory outside the
# checkout, so the profile names source files by module path
# (github.com/hashgate/hashgate/...) and no developer's directory; PGO
# matches functions by package path and name and line offsets within them,
# never by file name (go.dev/doc/pgo, "Source stability and refactoring").
#
# When: after a change that renames, moves or rewrites hot functions, or
# when a Go release changes what PGO does; a stale profile only loses some
# of the gain (graceful degradation, go.dev/doc/pgo). Measure before keeping
# the new one (docs/performance.md, "Profile-guided optimisation").
set -euo pipefail
ROWS=${ROWS:-1000000}
DRY=${DRY:-2}
SHARED=${SHARED:-../shared}
OUTPUT=${OUTPUT:-cmd/hashgate/default.pgo}
T=${BENCH_DIR:-.bench}
mkdir -p "$T"
T=$(cd "$T" && pwd)
[ -d "$SHARED/bench" ] || { echo "pgo: $SHARED/bench not found (set SHARED=path/to/shared)" >&2; exit 2; }
SHARED=$(cd "$SHARED" && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

csv="$T/export-$ROWS.csv"
[ -s "$csv" ] || { echo "pgo: generating $ROWS rows (once; kept in $T)" >&2; python3 "$SHARED/bench/gen.py" "$ROWS" > "$csv"; }
ch="$T/channels-$ROWS.csv"
[ -s "$ch" ] && [ -s "$T/channels-google.csv" ] && [ -s "$T/channels-meta.csv" ] ||
  ROWS=$ROWS GENERATE_ONLY=1 ./testdata/bench/channels.sh

go build -trimpath -pgo=off -o "$W/hashgate" ./testdata/bench/upload
as() { # as NAME command args...: one run of hashgate, profiled into $W/NAME.pprof
  local name=$1; shift
  echo "pgo: $name" >&2
  HASHGATE_BENCH_AS_HASHGATE=1 HASHGATE_BENCH_CPUPROFILE="$W/$name.pprof" GOGC=50 "$W/hashgate" "$@" > /dev/null
}
for i in $(seq "$DRY"); do
  as "dry-stdin-$i" upload --dry-run --quiet --config testdata/bench/config.yaml - < "$csv"
  as "dry-file-$i" upload --dry-run --quiet --config testdata/bench/config.yaml "$csv"
done
as channels channels --quiet --config testdata/bench/channels.yaml \
  --spend google="$T/channels-google.csv" --spend meta="$T/channels-meta.csv" \
  --from 2025-12-01 --to 2026-11-30 --period month "$ch"
# The upload and its rerun: bench-upload's own targets are not this
# script's business (a loaded machine misses them), its profiles are.
echo "pgo: upload and rerun (bench-upload -profile)" >&2
"$W/hashgate" -bin self -profile "$W/upload" -env GOGC=50 -rows "$ROWS" -yearfull 0 -dir "$T" -shared "$SHARED" > "$W/upload.out" ||
  grep -q 'TARGETS MISSED' "$W/upload.out" || { cat "$W/upload.out" >&2; exit 1; }
go tool pprof -proto "$W"/*.pprof "$W"/upload/*.pprof > "$W/merged.pgo" 2> "$W/merge.err" || { cat "$W/merge.err" >&2; exit 1; }
for p in "$W"/*.pprof "$W"/upload/*.pprof; do
  printf '%-24s %s\n' "$(basename "$p")" "$(go tool pprof -top "$p" 2>/dev/null | grep -m1 'Total samples' || true)" >&2
done
[ -z "${KEEP:-}" ] || { mkdir -p "$KEEP" && cp "$W"/*.pprof "$W"/upload/*.pprof "$KEEP"/; } # KEEP=dir: the runs' own profiles
mv "$W/merged.pgo" "$OUTPUT"
echo "pgo: wrote $OUTPUT ($(wc -c < "$OUTPUT") bytes)" >&2
