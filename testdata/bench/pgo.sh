#!/usr/bin/env bash
# make pgo: regenerate cmd/hashgate/default.pgo, the CPU profile `go build`
# reads for profile-guided optimisation (https://go.dev/doc/pgo: a main
# package's default.pgo is used by default, -pgo=auto, since Go 1.21).
#
# A command-line tool has no production to profile, so the profile is the
# benchmarks' workloads, each once, merged (a sum of samples: go.dev/doc/pgo,
# "Merging profiles"):
#   - the dry-run of the bench export (testdata/bench/config.yaml, both
#     destinations), DRY times from standard input and DRY times from the file;
#   - the channel report over bench-channels' export and a year of spend;
#   - with UPLOAD=1 only, its upload to both destinations against the loopback
#     fakes and the rerun that finds everything sent (bench-upload -profile).
#     Off by default: the profile of 2026-12-07 that held them made the
#     dry-run 13-20% slower in CPU (docs/performance.md, "Why a refreshed
#     profile was worse"). Two of the upload's samples made
#     crypto/internal/fips140/sha256.New a hot callee, its larger inlining
#     budget made crypto/sha256.New cost 121 (over the 80 of a call the
#     profile does not name), so New was no longer inlined into
#     sha256.Sum256 where identifier.sum inlines it, the hash stayed an
#     interface, and the digest (in half the calls the data's buffer and
#     the sum too) went to the heap: 2.6 allocations a row, 76 collections
#     in a 1M dry-run instead of 13.
#
# Then the guard, testdata/bench/pgocheck.sh: PGO changes what is inlined,
# so what escape analysis can keep on the stack; the new profile is refused
# (exit 1, the old one left in place) when it moves a variable to the heap
# that -pgo=off keeps on the stack — in a per-row function an allocation a
# row (the two known cases: identifier.sum's above, and consent's folding
# buffer under the profile taken at 031cf29). ALLOW_MOVED=1 keeps it anyway,
# for a variable shown to be off the per-row path.
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
mkdir -p "$W/upload"
if [ -n "${UPLOAD:-}" ]; then
  # The upload and its rerun: bench-upload's own targets are not this
  # script's business (a loaded machine misses them), its profiles are.
  echo "pgo: upload and rerun (bench-upload -profile)" >&2
  "$W/hashgate" -bin self -profile "$W/upload" -env GOGC=50 -rows "$ROWS" -yearfull 0 -dir "$T" -shared "$SHARED" > "$W/upload.out" ||
    grep -q 'TARGETS MISSED' "$W/upload.out" || { cat "$W/upload.out" >&2; exit 1; }
fi
profiles=("$W"/*.pprof)
shopt -s nullglob
profiles+=("$W"/upload/*.pprof)
shopt -u nullglob
go tool pprof -proto "${profiles[@]}" > "$W/merged.pgo" 2> "$W/merge.err" || { cat "$W/merge.err" >&2; exit 1; }
for p in "${profiles[@]}"; do
  printf '%-24s %s\n' "$(basename "$p")" "$(go tool pprof -top "$p" 2>/dev/null | grep -m1 'Total samples' || true)" >&2
done
[ -z "${KEEP:-}" ] || { mkdir -p "$KEEP" && cp "${profiles[@]}" "$KEEP"/; } # KEEP=dir: the runs' own profiles

# The guard (above; testdata/bench/pgocheck.sh says how).
echo "pgo: escape analysis with the new profile against -pgo=off" >&2
rc=0
./testdata/bench/pgocheck.sh "$W/merged.pgo" || rc=$?
if [ "$rc" -eq 1 ] && [ -n "${ALLOW_MOVED:-}" ]; then
  echo "pgo: ALLOW_MOVED=1: written all the same" >&2
elif [ "$rc" -ne 0 ]; then
  echo "pgo: not written: $OUTPUT is unchanged (ALLOW_MOVED=1 writes it anyway, once each variable is shown to be off the per-row path)" >&2
  exit 1
fi
mv "$W/merged.pgo" "$OUTPUT"
echo "pgo: wrote $OUTPUT ($(wc -c < "$OUTPUT") bytes)" >&2
