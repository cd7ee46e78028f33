#!/usr/bin/env bash
# make bench-startup: what every command pays before it starts (docs/performance.md,
# Start-up). Builds the working tree and BASE (a commit, default
# 653f6f0: main before start-up was cut) and runs testdata/bench/startup on
# both: ROUNDS alternating runs of `hashgate version` and of a dry-run of the
# bundled example, medians of CPU and wall time, and inittrace's totals.
# No target: it prints figures, for a commit message or README.
set -euo pipefail
BASE=${BASE:-653f6f0}
ROUNDS=${ROUNDS:-21}
T=${BENCH_DIR:-.bench}/startup
rm -rf "$T" && mkdir -p "$T/base"
T=$(cd "$T" && pwd)
git archive "$BASE" | tar -x -C "$T/base"
(cd "$T/base" && go build -o "$T/hashgate-$BASE" ./cmd/hashgate)
go build -o "$T/hashgate-tree" ./cmd/hashgate
go build -o "$T/startup" ./testdata/bench/startup
"$T/startup" -rounds "$ROUNDS" "$T/hashgate-$BASE" "$T/hashgate-tree"
