package cli

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// Chart 0084731 and chart 84731: two patients in a clinic system that
// keeps leading zeros, one key under the withdrawal memory's fold.
const (
	zeroVisit1  = "0084731,病患z,115/11/18,上午 09:00,已完成,0912-731-001,同意,1500\n" // line 2: hers
	plainVisit1 = "84731,病患p,115/11/18,上午 10:00,已完成,0912-731-002,同意,1500\n"   // line 3: his
	zeroVisit2  = "0084731,病患z,115/11/19,上午 09:00,已完成,0912-731-001,同意,1500\n" // line 4: hers
	plainVisit2 = "84731,病患p,115/11/19,上午 10:00,已完成,0912-731-002,同意,1500\n"   // line 5: his
)

// TestEraseByExportErasesOnlyTheKeyAsWritten: erase --export picked the
// rows by the withdrawal memory's fold, so erasing chart 0084731 erased
// the ledger entries of chart 84731 — another patient, whose record of
// what was sent for him cannot be brought back — while `ledger find`
// answered the same request with hers alone. Now erase picks as find
// does: his rows are named on stderr by file:line, his events stay found
// as sent; --folded erases them too. Nothing printed holds a key or a
// cell.
func TestEraseByExportErasesOnlyTheKeyAsWritten(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	exp := twExport(t, zeroVisit1+plainVisit1+zeroVisit2+plainVisit2)
	uploadNights(t, env, cfg, []string{exp})
	var printed strings.Builder
	sent := func(key string) map[string]int {
		t.Helper()
		r := runGoogle(t, env, key+"\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", "--export", exp)
		var out struct {
			Events []struct {
				Row  string `json:"row"`
				Sent bool   `json:"sent"`
			} `json:"events"`
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil {
			t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		printed.WriteString(r.stdout + r.stderr)
		rows := map[string]int{}
		for _, e := range out.Events {
			if e.Sent {
				rows[strings.TrimPrefix(e.Row, exp+":")]++
			}
		}
		return rows
	}
	if hers, his := sent("0084731"), sent("84731"); len(hers) != 2 || len(his) != 2 {
		t.Fatalf("before erasure: sent rows hers %v, his %v; want 2 each", hers, his)
	}

	erase := []string{"ledger", "erase", "--config", cfg, "--patients", "-", "--export", exp}
	r := runGoogle(t, env, "0084731\n", true, erase...)
	t.Logf("\n%s", r.stderr)
	printed.WriteString(r.stdout + r.stderr)
	if r.code != 0 || !strings.Contains(r.stderr, "the exports hold 2 row(s) of 1 of the 1 patient(s)") {
		t.Fatalf("erase --export: exit %d; want her 2 rows alone\n%s", r.code, r.stderr)
	}
	want := "2 row(s) match only when case or leading zeros are ignored: lines " + exp + ":3, " + exp + ":5; not erased"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("erase does not name his rows (%q)\n%s", want, r.stderr)
	}
	if hers := sent("0084731"); len(hers) != 0 {
		t.Errorf("after erasure, her rows %v still found sent", hers)
	}
	if his := sent("84731"); his["3"] != 2 || his["5"] != 2 {
		t.Errorf("after erasing her, his rows sent %v; want lines 3 and 5 to both destinations: another patient's record erased", his)
	}

	f := runGoogle(t, env, "0084731\n", true, append(erase, "--folded")...)
	t.Logf("\n%s", f.stderr)
	printed.WriteString(f.stdout + f.stderr)
	if f.code != 0 || !strings.Contains(f.stderr, "the exports hold 4 row(s) of 1 of the 1 patient(s)") ||
		!strings.Contains(f.stderr, "2 row(s) erased by --folded match only when case or leading zeros are ignored: lines "+exp+":3, "+exp+":5") {
		t.Fatalf("erase --folded: exit %d; want her rows and his erased, his named\n%s", f.code, f.stderr)
	}
	if his := sent("84731"); len(his) != 0 {
		t.Errorf("after erase --folded, his rows %v still found sent", his)
	}

	bare := runGoogle(t, env, "0084731\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", "--folded")
	printed.WriteString(bare.stdout + bare.stderr)
	if bare.code != 2 || !strings.Contains(bare.stderr, "--folded") {
		t.Errorf("erase --folded without exports: exit %d; want a usage refusal\n%s", bare.code, bare.stderr)
	}

	// Canary: ids, run ids, times and the export's path (digits of a
	// temporary directory) out first: a key may be spelt by chance there.
	out := strings.ReplaceAll(printed.String(), exp, "EXPORT")
	out = regexp.MustCompile(`[0-9a-f]{8,}|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\d{8}T\d{6}Z-[0-9a-f]+`).ReplaceAllString(out, "X")
	for _, raw := range []string{"84731", "病患", "0912", "731-00", "912731", "115/11/", "上午", "同意"} {
		if strings.Contains(out, raw) {
			t.Errorf("printed a raw value (%q)\n%s", raw, out)
		}
	}
}
