package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/money"
)

// TestRowsDifferingOnlyInTheirFeeAreSaid: the bundled example with a
// second row per visit — one row per treatment line, as dental practice
// systems list a visit — that differs from the first in its fee only, run
// under conversion.value: actual, holds each such order as
// order_rows_disagree and says so in one warning line and the run
// report's orders_differing_in_fee_only: before, the visits were held
// told only by one count among the excluded rows. Second rows at another
// time are a real conflict: held, never said to differ in the fee only.
// The planted fee and the order ids appear in no output.
func TestRowsDifferingOnlyInTheirFeeAreSaid(t *testing.T) {
	const fee = "73519"
	base := mustReplace(t, mustRead(t, "../../configs/example.yaml"), "value: fixed\n  fixed_value: 1000\n  value_buckets: []", "value: actual")
	base = mustReplace(t, base, "allow_actual_value: false", "allow_actual_value: true")
	rd := csv.NewReader(strings.NewReader(mustRead(t, root+"/example/appointments.csv")))
	rd.FieldsPerRecord = -1 // A0018 is a short row, on purpose
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	warning := regexp.MustCompile(`warning: (\d+) order\(s\) have rows that differ only in their fee — one row per treatment line\? — all held as order_rows_disagree: export one row per appointment with its total fee, or set conversion.value: fixed\n`)
	run := func(name, at string) (string, map[string]any) {
		t.Helper()
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		w.Write(recs[0])
		for _, r := range recs[1:] {
			w.Write(r)
			if _, err := money.Parse(r[min(col["fee"], len(r)-1)]); len(r) <= col["fee"] || err != nil {
				continue
			}
			line := append([]string(nil), r...)
			line[col["fee"]] = fee
			if at != "" {
				line[col["appointment_time"]] = at
			}
			w.Write(line)
		}
		w.Flush()
		dir := filepath.Join(t.TempDir(), name)
		os.MkdirAll(dir, 0o700)
		cfg, export, rep := filepath.Join(dir, "c.yaml"), filepath.Join(dir, "appointments.csv"), filepath.Join(dir, "report.json")
		os.WriteFile(cfg, []byte(base), 0o600)
		os.WriteFile(export, out.Bytes(), 0o600)
		r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, "--report", rep, export)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, r.code, r.stderr)
		}
		b, err := os.ReadFile(rep)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if ex, _ := m["excluded"].(map[string]any); ex["order_rows_disagree"] == nil {
			t.Errorf("%s: no row held as order_rows_disagree: %v", name, m["excluded"])
		}
		// The canary: neither the planted fee nor an order id is said
		// (nor sent: a row at another time whose first row's time did
		// not read, 2026-13-45, is sent with its fee in the review CSV).
		outs := []string{r.stderr, string(b)}
		if at == "" {
			outs = append(outs, r.stdout)
		}
		for _, s := range outs {
			for _, raw := range []string{fee, "A0002", "A0019"} {
				if strings.Contains(s, raw) {
					t.Errorf("%s: %q in an output:\n%s", name, raw, s)
				}
			}
		}
		return r.stderr, m
	}
	stderr, m := run("fee-only", "")
	got := warning.FindStringSubmatch(stderr)
	if got == nil {
		t.Fatalf("no fee-only warning:\n%s", stderr)
	}
	n, _ := strconv.Atoi(got[1])
	if n < 5 || m["orders_differing_in_fee_only"] != float64(n) {
		t.Errorf("the line says %d orders, the report %v; want the same, at least 5", n, m["orders_differing_in_fee_only"])
	}
	stderr, m = run("another-time", "2026-11-04 08:15")
	if strings.Contains(stderr, "differ only in their fee") || m["orders_differing_in_fee_only"] != nil {
		t.Errorf("rows at another time are said to differ in the fee only:\n%s", stderr)
	}
}
