#!/usr/bin/env bash
# make bench-check: peak RSS of `hashgate check` over a generated fixture of
# ROWS rows (default 1M), half of them mismatching, in text mode and with
# --json. check kept every result until its end, in text mode too: 1.38 GB
# at 10M rows (a review, 2026-12-07). The target is the dry-run's, a peak
# RSS <= 64 MB; the output goes to /dev/null. Run it on 1M rows, not 10M,
# on a shared machine. The fixture is kept in BENCH_DIR (.bench) and made
# once per ROWS.
set -euo pipefail
T=${BENCH_DIR:-.bench}
ROWS=${ROWS:-1000000}
mkdir -p "$T"
[ -x /usr/bin/time ] || { echo "bench-check: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2; exit 2; }
go build -o "$T/hashgate" ./cmd/hashgate
csv=$T/check-$ROWS.csv
# testdata/consent/split.yaml's layout; every row expects "include", and
# every other row's Meta consent says no: half the rows mismatch.
[ -s "$csv" ] || awk -v n="$ROWS" 'BEGIN {
  print "id,at,status,email,consent_google,consent_meta,expect"
  for (i = 1; i <= n; i++) printf "S%d,2026-11-02 09:30,completed,s%d@example.com,yes,%s,include\n", i, i, (i % 2 ? "yes" : "no")
}' > "$csv"
missed=0
for mode in text json; do
  flag=""; [ "$mode" = json ] && flag=--json
  rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$T/check.time" "$T/hashgate" check --quiet $flag --config testdata/consent/split.yaml "$csv" > /dev/null 2>"$T/check.err" || rc=$?
  [ "$rc" = 5 ] || { echo "bench-check: exit $rc, want 5 (half the rows mismatch)" >&2; cat "$T/check.err" >&2; exit 1; }
  # time says "Command exited with non-zero status 5" first: its figures are the last line.
  tail -1 "$T/check.time" | awk -v n="$ROWS" -v m="$mode" '{ printf "check (%s), %d rows, half mismatching: %.1f s wall, %.2f CPU-s, peak RSS %.1f MB (target <= 64)\n", m, n, $1, $2 + $3, $4 / 1024 }'
  tail -1 "$T/check.time" | awk '{ exit !($4 / 1024 > 64) }' && missed=1
done
exit $missed
