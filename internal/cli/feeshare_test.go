package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestAFeeColumnThatNoLongerReadsStopsTheUpload, end to end with the Data
// Manager fake: an export whose fees were re-saved as "12 00" (or 12'00:
// a grouping of no thousands; "1 200" reads since fees27) made every
// visit value_not_a_number; the dry-run said exit 0 and the upload sent Google every visit without a value — for good, with
// restate off. Now the dry-run and the upload stop (exit 2) naming the
// first cell by file:line:column and input.max_unreadable_value_share,
// never the value, and Google receives nothing; `write` and `check` refuse
// such an export as they refuse one whose dates no longer read.
func TestAFeeColumnThatNoLongerReadsStopsTheUpload(t *testing.T) {
	for _, fee := range []string{"12 00", "12'00"} {
		t.Run(fee, func(t *testing.T) {
			clk := &simClock{t: fixedNow}
			dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
			gURL := dm.Start(t).URL + "/"
			g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
			cfg := restateConfig(t, gURL, g.Start(t).URL, false)
			env := uploadEnv(t)
			var b strings.Builder
			b.WriteString("id,at,status,email,phone,first,last,consent,fee,expect\n")
			for i := range 8 {
				fmt.Fprintf(&b, "R%04d,2026-11-%02d 10:00,completed,zqfee%d@example.com,0912-100-%03d,Zqf%d,Zql%d,yes,%s,include\n", i, 10+i, i, i, i, i, fee)
			}
			export := filepath.Join(t.TempDir(), "fees.csv")
			if err := os.WriteFile(export, []byte(b.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			at := "fees.csv:2:" + fmt.Sprint(len("R0000,2026-11-10 10:00,completed,zqfee0@example.com,0912-100-000,Zqf0,Zql0,yes,")+1)
			for _, args := range [][]string{
				{"upload", "--dry-run", "--config", cfg, export},
				{"upload", "--config", cfg, export},
				{"write", "--config", cfg, "--format", "meta-offline-csv", "--out", filepath.Join(t.TempDir(), "meta.csv"), export},
				{"check", "--config", cfg, export},
			} {
				r := runAt(t, clk, env, args...)
				if r.code != 2 || !strings.Contains(r.stderr, at+": ") || !strings.Contains(r.stderr, "input.max_unreadable_value_share") {
					t.Errorf("%v: exit %d, want 2 naming %s and input.max_unreadable_value_share\n%s%s", args[:2], r.code, at, r.stdout, r.stderr)
				}
				if strings.Contains(r.stdout+r.stderr, fee) {
					t.Errorf("%v: the output holds the cell:\n%s%s", args[:2], r.stdout, r.stderr)
				}
			}
			if n := len(dm.Accepted()); n != 0 {
				t.Errorf("Google received %d conversions, their conversionValue %v", n, heldValues(dm))
			}
		})
	}
}

// TestChannelsStopsOnAFeeColumnThatNoLongerReads: the channel report read
// a fee column re-saved as "(1,500)" and printed revenue and ROAS from
// the few fees that read, exit 0. It stops as the upload does (exit 2),
// naming the first cell by file:line:column, never the value, and prints
// no report — released or exact.
func TestChannelsStopsOnAFeeColumnThatNoLongerReads(t *testing.T) {
	raw := mustRead(t, chPath("export-en.csv"))
	body := strings.ReplaceAll(raw, `,"1,500",`, `,"(1,500)",`)
	for _, fee := range []string{`"1,200"`, `"2,000"`, `"3,000"`, `"800"`, `"1,000"`, `"8,000"`, `"12,000"`, "800", "1200", "1500"} {
		body = strings.ReplaceAll(body, ","+fee+",", `,"(1,500)",`)
	}
	if strings.Count(body, "(1,500)") < 50 {
		t.Fatalf("only %d fees rewritten: the fixture changed shape", strings.Count(body, "(1,500)"))
	}
	export := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(export, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	// The first fee cell, A-20003's: column 11's start on line 2.
	line2 := strings.SplitN(body, "\r\n", 3)[1]
	at := export + ":2:" + fmt.Sprint(strings.Index(line2, `"(1,500)"`)+1) + ": "
	for _, exact := range []bool{false, true} {
		args := []string{"channels", "--config", chPath("en.yaml"), "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, export}
		if exact {
			args = append(args[:len(args)-1], "--exact", export)
		}
		r := runCLI(t, nil, "", args...)
		if r.code != ExitUsage || r.stdout != "" || !strings.Contains(r.stderr, at) || !strings.Contains(r.stderr, "input.max_unreadable_value_share") {
			t.Errorf("exact %v: exit %d, want 2 naming %s and input.max_unreadable_value_share\n%s%s", exact, r.code, at, r.stdout, r.stderr)
		}
		if strings.Contains(strings.ReplaceAll(r.stderr, export, ""), "1,500") {
			t.Errorf("exact %v: stderr holds the cell: %s", exact, r.stderr)
		}
	}
}
