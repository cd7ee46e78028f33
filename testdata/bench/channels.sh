#!/usr/bin/env bash
# make bench-channels: `hashgate channels` at scale (issue 29). Generates in
# BENCH_DIR (once, kept) an export of ROWS rows (default 1M) over a year,
# with source, click-id and patient-key columns, and a year of daily Google
# Ads and Meta spend; then runs, alternating PAIRS times, the channel report
# over it and a dry-run of the same file with the same config. Targets:
# channels wall <= 2x the dry-run's (median of the rounds' ratios), peak
# RSS <= 64 MB. Exits 1 on a miss. GENERATE_ONLY=1 generates and stops
# (testdata/bench/pgo.sh profiles the report over the same files).
set -euo pipefail
ROWS=${ROWS:-1000000}
PAIRS=${PAIRS:-3}
T=${BENCH_DIR:-.bench}
mkdir -p "$T"
T=$(cd "$T" && pwd)
[ -x /usr/bin/time ] || { echo "bench-channels: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2; exit 2; }
[ -n "${GENERATE_ONLY:-}" ] || go build -o "$T/hashgate" ./cmd/hashgate
CFG=testdata/bench/channels.yaml
csv="$T/channels-$ROWS.csv"
if [ ! -s "$csv" ] || [ ! -s "$T/channels-google.csv" ] || [ ! -s "$T/channels-meta.csv" ]; then
  echo "bench-channels: generating $ROWS rows and a year of spend (once; kept in $T)" >&2
  python3 - "$ROWS" "$csv" "$T/channels-google.csv" "$T/channels-meta.csv" <<'PY'
import datetime, random, string, sys
rows, out, gout, mout = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
rnd = random.Random(29)
start = datetime.date(2025, 12, 1)
days = 365
alnum = string.ascii_letters + string.digits
def clickid(prefix, n):
    return prefix + "".join(rnd.choice(alnum) for _ in range(n))
sources = ["google ads"] * 30 + ["instagram"] * 15 + ["facebook"] * 10 + ["line"] * 15 + ["referral"] * 10 + ["walk-in"] * 10 + [""] * 10
statuses = ["completed"] * 70 + ["booked"] * 10 + ["no-show"] * 10 + ["cancelled"] * 10
with open(out, "w", newline="") as f:
    f.write("Appointment ID,Appointment Time,Status,Email,Mobile,Source,gclid,fbclid,Marketing Consent,Fee,Chart No\n")
    patients = max(rows // 3, 1)
    for i in range(rows):
        d = start + datetime.timedelta(days=i * days // rows)
        src = rnd.choice(sources)
        gclid = clickid("Cj0KCQiA", 60) if src == "google ads" and rnd.random() < 0.6 else ""
        fbclid = clickid("IwAR", 56) if src in ("instagram", "facebook") and rnd.random() < 0.5 else ""
        p = rnd.randrange(patients)
        f.write("A%08d,%s %02d:%02d,%s,p%07d@example.com,09%02d-%03d-%03d,%s,%s,%s,%s,%d,P%07d\n" % (
            i, d.isoformat(), 9 + i % 9, (i * 7) % 60, rnd.choice(statuses), p, 10 + p % 80, p % 1000, (p // 1000) % 1000,
            src, gclid, fbclid, rnd.choice(["yes", "yes", "no", ""]), 500 + rnd.randrange(9000), p))
with open(gout, "w", newline="") as f:
    f.write("Campaign report\n%s - %s\n" % (start.strftime("%B %-d, %Y"), (start + datetime.timedelta(days=days - 1)).strftime("%B %-d, %Y")))
    f.write("Day,Campaign,Currency code,Cost,Clicks,Conversions\n")
    for k in range(days):
        d = start + datetime.timedelta(days=k)
        for c in ("Dental Implant Search", "Brand - Whitening"):
            f.write("%s,%s,TWD,%.2f,%d,%.2f\n" % (d.isoformat(), c, 200 + rnd.random() * 3000, rnd.randrange(10, 120), rnd.randrange(0, 8) / 2))
with open(mout, "w", newline="") as f:
    f.write("Campaign name,Day,Amount spent (TWD),Link clicks,Results,Result indicator,Reporting starts,Reporting ends\n")
    for k in range(days):
        d = start + datetime.timedelta(days=k)
        for c in ("Invisalign Leads", "Veneers Retargeting"):
            f.write("%s,%s,%.2f,%d,%d,actions:lead,%s,%s\n" % (c, d.isoformat(), 100 + rnd.random() * 2500, rnd.randrange(5, 90), rnd.randrange(0, 5), d.isoformat(), d.isoformat()))
PY
fi
[ -z "${GENERATE_ONLY:-}" ] || exit 0
measure() { # name command...: prints "wall_s cpu_s peak_kb"
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$T/$name.time" "$@" > "$T/$name.out" 2> "$T/$name.err" || {
    echo "bench-channels: $name failed:" >&2; cat "$T/$name.err" >&2; exit 1; }
  tail -1 "$T/$name.time" | awk '{printf "%s %.3f %s\n", $1, $2 + $3, $4}'
}
: > "$T/channels-rounds"
for round in $(seq "$PAIRS"); do
  read -r dw dc dk <<<"$(measure ch-dry "$T/hashgate" upload --dry-run --quiet --config "$CFG" "$csv")"
  read -r cw cc ck <<<"$(measure ch-report "$T/hashgate" channels --quiet --config "$CFG" \
    --spend google="$T/channels-google.csv" --spend meta="$T/channels-meta.csv" \
    --from 2025-12-01 --to 2026-11-30 --period month "$csv")"
  echo "$dw $dc $dk $cw $cc $ck" >> "$T/channels-rounds"
done
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
col() { awk -v c="$1" '{print $c}' "$T/channels-rounds" | median; }
awk -v n="$ROWS" -v pairs="$PAIRS" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" \
  -v dw="$(col 1)" -v dc="$(col 2)" -v dk="$(col 3)" -v cw="$(col 4)" -v cc="$(col 5)" \
  -v r="$(awk '{print $4 / $1}' "$T/channels-rounds" | median)" \
  -v maxk="$(awk '$6 > x {x = $6} END {print x}' "$T/channels-rounds")" 'BEGIN {
  printf "rows: %d, a year of daily spend (medians of %d alternating rounds; load average %s)\n", n, pairs, load
  printf "%-10s %8s %8s %10s\n", "", "wall s", "CPU s", "peak MB"
  printf "%-10s %8.2f %8.2f %10.1f\n", "dry-run", dw, dc, dk/1024
  printf "%-10s %8.2f %8.2f %10.1f\n", "channels", cw, cc, maxk/1024
  printf "channels / dry-run: %.2fx wall (target <= 2)\n", r
  printf "channels peak RSS:  %.1f MB, the most of any round (target <= 64)\n", maxk/1024
  missed = (r > 2) + (maxk/1024 > 64)
  if (missed) { printf "TARGETS MISSED: %d\n", missed; exit 1 }
  print "targets: met"
}'
