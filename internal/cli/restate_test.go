package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// feeExport writes an export of visits with fees: fees[i] < 0 leaves
// visit i out (the row vanished from the export).
func feeExport(t *testing.T, fees ...int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent,fee\n")
	for i, fee := range fees {
		if fee < 0 {
			continue
		}
		fmt.Fprintf(&b, "R%04d,2026-11-%02d 10:00,completed,zqfee%d@example.com,0912-100-%03d,Zqf%d,Zql%d,yes,%d\n", i, 18+i, i, i, i, i, fee)
	}
	p := filepath.Join(t.TempDir(), "fees.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func restateConfig(t *testing.T, gURL, mURL string, restate bool) string {
	cfg := googleOnly(t, gURL, mURL, fmt.Sprintf("    restate: %v\n", restate))
	body := strings.Replace(mustRead(t, cfg), "  value: fixed\n  fixed_value: 1000\n", "  value: actual\n", 1)
	body = strings.Replace(body, "    consent: consent\n", "    consent: consent\n    value: fee\n", 1)
	body += "privacy:\n  allow_actual_value: true # restating a fee means sending it\n"
	os.WriteFile(cfg, []byte(body), 0o600)
	return cfg
}

// values returns the conversion value Google holds per fee row's e-mail
// order (by the order the fake saw them), as text.
func heldValues(dm *destinationtest.DataManager) map[string]string {
	out := map[string]string{}
	for tx := range dm.Accepted() {
		out[tx] = fmt.Sprint(dm.Event(tx)["conversionValue"])
	}
	return out
}

// TestAChangedFeeIsRestated, end to end with the Data Manager fake (which
// applies adjustments as the conversion-adjustments devguide says): with
// destinations.google.restate on, a corrected fee and a refund to 0 are
// sent again under the transactionId Google holds, Google's values are
// overwritten with no conversion added, the visit gone from the export is
// reported and nothing is sent for it, and the ledger lists the two as
// restated. With restate off, nothing is resent.
func TestAChangedFeeIsRestated(t *testing.T) {
	for _, restate := range []bool{false, true} {
		t.Run(fmt.Sprint("restate=", restate), func(t *testing.T) {
			clk := &simClock{t: fixedNow}
			dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
			gURL := dm.Start(t).URL + "/"
			g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
			cfg := restateConfig(t, gURL, g.Start(t).URL, restate)
			env := uploadEnv(t)

			first := runAt(t, clk, env, "upload", "--config", cfg, feeExport(t, 1000, 1000, 1000, 1000))
			if first.code != 0 || !strings.Contains(first.stderr, "google: 4 of 4 conversions ingested") {
				t.Fatalf("first upload exit %d\n%s", first.code, first.stderr)
			}
			before := heldValues(dm)
			clk.Advance(24 * 60 * 60 * 1e9)
			// Visit 0's fee corrected, visit 1 refunded, visit 2 gone, visit 3 unchanged.
			changed := feeExport(t, 1200, 0, -1, 1000)
			rep := filepath.Join(t.TempDir(), "run.json")
			second := runAt(t, clk, env, "upload", "--config", cfg, "--report", rep, changed)
			if second.code != 0 {
				t.Fatalf("second upload exit %d\n%s", second.code, second.stderr)
			}
			after := heldValues(dm)
			if dm.Conversions("1234567890/555000111") != 4 {
				t.Errorf("Google holds %d conversions, want 4", dm.Conversions("1234567890/555000111"))
			}
			if !restate {
				if !strings.Contains(second.stderr, "3 already ingested in earlier runs") || strings.Contains(second.stderr, "restated") || fmt.Sprint(after) != fmt.Sprint(before) {
					t.Errorf("restate off resent:\n%s", second.stderr)
				}
				return
			}
			for _, want := range []string{
				"google: 2 of 2 conversions ingested",
				"1 already ingested in earlier runs",
				"2 restated: ingested before, their value or currency changed since",
				"1 ingested events dated within this export are no longer among its conversions",
			} {
				if !strings.Contains(second.stderr, want) {
					t.Errorf("summary lacks %q:\n%s", want, second.stderr)
				}
			}
			var got []string
			for tx, v := range after {
				if before[tx] != v {
					got = append(got, before[tx]+"→"+v)
				}
				if n := dm.Accepted()[tx]; (before[tx] != v) != (n == 2) {
					t.Errorf("%s ingested %d times", tx, n)
				}
			}
			if s := strings.Join(sortedCopy(got), " "); s != "1000→0 1000→1200" {
				t.Errorf("Google's values changed %s, want 1000→0 1000→1200", s)
			}
			raw := mustRead(t, rep)
			if !strings.Contains(raw, `"restated": 2`) || !strings.Contains(raw, `"ingested_not_in_export": 1`) {
				t.Errorf("report:\n%s", raw)
			}
			st := runAt(t, clk, env, "ledger", "stats", "--config", cfg)
			if !strings.Contains(st.stdout, "google:1234567890/555000111: ingested 4,") || !strings.Contains(st.stdout, "restated 2") {
				t.Errorf("ledger stats:\n%s", st.stdout)
			}
			ls := runAt(t, clk, env, "ledger", "list", "--config", cfg)
			lines := strings.Split(ls.stdout, "\n")
			if !strings.Contains(lines[0], "\trestated\t") || len(lines) < 3 || !strings.Contains(lines[1], "\t2\t1\t") {
				t.Errorf("ledger list:\n%s", ls.stdout)
			}
			// Nothing changed since: nothing is sent again.
			clk.Advance(60 * 60 * 1e9)
			third := runAt(t, clk, env, "upload", "--config", cfg, changed)
			if strings.Contains(third.stderr, "restated:") || !strings.Contains(third.stderr, "3 already ingested in earlier runs") {
				t.Errorf("third upload:\n%s", third.stderr)
			}
		})
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestARewrittenExportRestatesNothing: what Excel or the clinic's software
// does to an export — rows reordered, columns swapped, the fee written
// 1,000.00 instead of 1000 — changes no value, so restate sends nothing.
func TestARewrittenExportRestatesNothing(t *testing.T) {
	clk := &simClock{t: fixedNow}
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	cfg := restateConfig(t, gURL, g.Start(t).URL, true)
	env := uploadEnv(t)
	if first := runAt(t, clk, env, "upload", "--config", cfg, feeExport(t, 1000, 2500, 0, 1000)); first.code != 0 {
		t.Fatalf("first upload exit %d\n%s", first.code, first.stderr)
	}
	rows := []string{
		`R0003,2026-11-21 10:00,completed,zqfee3@example.com,0912-100-003,Zqf3,Zql3,"1,000.00",yes`,
		`R0000,2026-11-18 10:00,completed,zqfee0@example.com,0912-100-000,Zqf0,Zql0,1000.0,yes`,
		`R0002,2026-11-20 10:00,completed,zqfee2@example.com,0912-100-002,Zqf2,Zql2,0.00,yes`,
		`R0001,2026-11-19 10:00,completed,zqfee1@example.com,0912-100-001,Zqf1,Zql1,"2,500",yes`,
	}
	p := filepath.Join(t.TempDir(), "resaved.csv")
	os.WriteFile(p, []byte("id,at,status,email,phone,first,last,fee,consent\r\n"+strings.Join(rows, "\r\n")+"\r\n"), 0o600)
	clk.Advance(60 * 60 * 1e9)
	again := runAt(t, clk, env, "upload", "--config", cfg, p)
	if again.code != 0 || strings.Contains(again.stderr, "restated") || strings.Contains(again.stderr, "no longer") ||
		!strings.Contains(again.stderr, "4 already ingested in earlier runs") {
		t.Errorf("a re-saved export restated or lost something: exit %d\n%s", again.code, again.stderr)
	}
	for tx, n := range dm.Accepted() {
		if n != 1 {
			t.Errorf("%s ingested %d times", tx, n)
		}
	}
}
