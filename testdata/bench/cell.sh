#!/usr/bin/env bash
# make bench-cell: peak RSS of a dry-run over an export whose line 3 holds
# one 100 MB cell (quoted, with line breaks), streamed from a generator so
# the file never sits in memory or on disk. The row is refused as
# record_too_large; the target is a peak RSS under 100 MB (issue 14: the
# encoding/csv reader took ~530 MB).
set -euo pipefail
T=${BENCH_DIR:-.bench}
MB=${CELL_MB:-100}
mkdir -p "$T"
[ -x /usr/bin/time ] || { echo "bench-cell: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2; exit 2; }
go build -o "$T/hashgate" ./cmd/hashgate
gen() {
  echo "appointment_id,appointment_time,status,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid"
  echo "A1,2026-11-01 09:00,completed,Bob,Alice,bob@example.com,+886912345678,Y,2026-10-01T10:00:00+08:00,100,TWD,"
  printf 'A2,2026-11-01 09:00,completed,"'
  python3 -c "import sys
line = b'x' * 1023 + b'\n'
for _ in range($MB * 1024): sys.stdout.buffer.write(line)"
  echo '",Alice,bob2@example.com,+886912345679,Y,2026-10-01T10:00:00+08:00,100,TWD,'
  echo "A3,2026-11-01 09:00,completed,Carl,Alice,carl@example.com,+886912345670,Y,2026-10-01T10:00:00+08:00,100,TWD,"
}
gen | /usr/bin/time -f "%M" -o "$T/cell.time" "$T/hashgate" upload --dry-run --quiet --out "$T/cell.csv" --report "$T/cell.json" --config testdata/bench/config.yaml -
kb=$(tail -1 "$T/cell.time")
refused=$(python3 -c "import json,sys; print(json.load(open('$T/cell.json'))['excluded'].get('record_too_large', 0))")
echo "a ${MB} MB cell: peak RSS $((kb / 1024)) MB (target < 100), rows refused as record_too_large: $refused (want 1)"
[ "$refused" = 1 ] && [ "$kb" -lt $((100 * 1024)) ]
