#!/usr/bin/env bash
# make bench: hashgate's dry-run beside the floor program and the Python
# baseline from shared/bench, on the same generated file, in the same run.
# Compare the ratios, not the seconds: absolute times drift on shared machines.
set -euo pipefail
ROWS=${ROWS:-"1000000 10000000"} # space-separated sizes
SHARED=${SHARED:-../shared}
T=${BENCH_DIR:-.bench}
mkdir -p "$T"
[ -d "$SHARED/bench" ] || { echo "bench: $SHARED/bench not found (set SHARED=path/to/shared)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2; exit 2; }

(cd "$SHARED/bench/limit" && go build -o "$OLDPWD/$T/floor" .)
go build -o "$T/hashgate" ./cmd/hashgate

measure() { # name command...: prints "wall_s peak_kb"
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$T/$name.time" "$@" < "$csv" > "$T/$name.out" 2> "$T/$name.err" || {
    echo "bench: $name failed:" >&2; cat "$T/$name.err" >&2; exit 1; }
  sha256sum < "$T/$name.out" | cut -c1-64 > "$T/$name.sha256"
  rm -f "$T/$name.out" # 10M rows of output would fill small disks
  cat "$T/$name.time" | tail -1
}

failed=0 # every size is measured and printed before the verdict
for rows in $ROWS; do
  csv="$T/export-$rows.csv"
  [ -s "$csv" ] || { echo "bench: generating $rows rows (once; kept in $T)" >&2; python3 "$SHARED/bench/gen.py" "$rows" > "$csv"; }
  read -r floor_s floor_kb <<<"$(measure floor "$T/floor")"
  read -r py_s py_kb <<<"$(measure baseline python3 "$SHARED/bench/baseline.py")"
  read -r hg_s hg_kb <<<"$(measure hashgate "$T/hashgate" upload --dry-run --quiet --config testdata/bench/config.yaml -)"
  # The same file on one core takes the sequential path (no workers, no
  # reordering): its output must be the same bytes.
  measure sequential env GOMAXPROCS=1 "$T/hashgate" upload --dry-run --quiet --config testdata/bench/config.yaml - >/dev/null
  if cmp -s "$T/hashgate.sha256" "$T/sequential.sha256"; then same="identical"; else same="DIFFERENT"; fi
  awk -v n="$rows" -v f="$floor_s" -v fk="$floor_kb" -v p="$py_s" -v pk="$py_kb" -v h="$hg_s" -v hk="$hg_kb" 'BEGIN {
    printf "rows: %d\n", n
    printf "%-10s %8s %12s %10s\n", "program", "wall s", "rows/s", "peak MB"
    printf "%-10s %8.2f %12.0f %10.1f\n", "floor", f, n/f, fk/1024
    printf "%-10s %8.2f %12.0f %10.1f\n", "baseline", p, n/p, pk/1024
    printf "%-10s %8.2f %12.0f %10.1f\n", "hashgate", h, n/h, hk/1024
    printf "hashgate / floor:    %.2fx wall time (target <= 3)\n", h/f
    printf "baseline / hashgate: %.2fx (target >= 4)\n", p/h
    printf "hashgate peak RSS:   %.1f MB (target <= 64)\n", hk/1024
    missed = (h/f > 3) + (p/h < 4) + (hk/1024 > 64)
    if (missed) { printf "TARGETS MISSED: %d\n", missed; exit 1 }
    print "targets: met"
  }' || failed=1
  echo "output vs the sequential path: $same"
  echo
  [ "$same" = identical ] || failed=1
done
exit $failed
