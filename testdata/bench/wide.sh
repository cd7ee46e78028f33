#!/usr/bin/env bash
# make bench-wide: peak RSS of upload --dry-run, inspect and channels over
# an export whose header is as wide as hashgate reads (export.MaxColumns,
# 18,278: Google Sheets' limit), its rows as wide (ROWS of them, mostly
# empty cells), and of the refusal of a header of 900k columns (a
# security review: inspect took 1.25 GB, a dry run 215 MB). Memory stays
# flat whatever the input holds: the target is 64 MB for each.
set -euo pipefail
T=${BENCH_DIR:-.bench}
ROWS=${ROWS:-2000}
WIDTH=${WIDTH:-18278}
mkdir -p "$T"
[ -x /usr/bin/time ] || { echo "bench-wide: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2; exit 2; }
go build -o "$T/hashgate" ./cmd/hashgate
HEAD="appointment_id,appointment_time,status,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid"
python3 - "$T" "$ROWS" "$WIDTH" "$HEAD" <<'PY'
import sys
t, rows, width, head = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
pad = "," * (width - 12)
with open(f"{t}/wide.csv", "w") as f:
    f.write(head + pad + "\n")
    for i in range(rows):
        f.write(f"A{i},2026-11-01 09:00,completed,Bob,Alice,p{i}@example.com,+8869{i % 100000000:08d},Y,2026-10-01T10:00:00+08:00,100,TWD,{pad}\n")
with open(f"{t}/wider.csv", "w") as f:
    f.write(head + "," * 900_000 + "\n")
    f.write("A1,2026-11-01 09:00,completed,Bob,Alice,p@example.com,+886912345678,Y,2026-10-01T10:00:00+08:00,100,TWD," + "," * 900_000 + "\n")
PY
fail=0
run() { # label, want exit 0 (1: refused), command...
  local label=$1 want=$2; shift 2
  local rc=0
  /usr/bin/time -f "%M" -o "$T/wide.time" "$T/hashgate" "$@" >"$T/wide.out" 2>&1 || rc=$?
  local kb; kb=$(tail -1 "$T/wide.time")
  echo "$label: peak RSS $((kb / 1024)) MB (target < 64), exit $rc"
  if [ "$kb" -ge $((64 * 1024)) ] || { [ "$want" = 0 ] && [ "$rc" != 0 ]; } || { [ "$want" = 1 ] && [ "$rc" = 0 ]; }; then fail=1; sed -n 1,3p "$T/wide.out" | cut -c1-300; fi
}
C=testdata/bench/config.yaml
run "upload --dry-run, $WIDTH columns × $ROWS rows" 0 upload --dry-run --quiet --out "$T/wide-out.csv" --config "$C" "$T/wide.csv"
run "inspect, $WIDTH columns × $ROWS rows" 0 inspect "$T/wide.csv"
run "channels, $WIDTH columns × $ROWS rows" 0 channels --config "$C" "$T/wide.csv"
run "upload --dry-run, a header of 900k columns (refused)" 1 upload --dry-run --quiet --out "$T/wide-out.csv" --config "$C" "$T/wider.csv"
run "inspect, a header of 900k columns (refused)" 1 inspect "$T/wider.csv"
exit $fail
