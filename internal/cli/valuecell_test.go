package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnUnreadableFeeIsNamedNotShown: a dry-run counted "value_not_a_number
// 312" and named no cell, where `hashgate channels` names its first
// unreadable fee and the key to set. The canary export with a German fee
// (1.234,50 under input.decimal_comma: false) on its first consented row:
// the summary names that cell by file:line:column and says to set
// input.decimal_comma: true, the --report names it too, and neither they
// nor the review CSV (on stdout and in --out), nor any other output, hold
// the fee or any other of the export's personal values.
func TestAnUnreadableFeeIsNamedNotShown(t *testing.T) {
	const fee = "7.654,32"
	cs := append(canaries(t), fee, "7.654")
	dir := t.TempDir()
	body := mustRead(t, root+"/canary/export.csv")
	lines := strings.SplitAfter(body, "\n")
	first := lines[1] // line 2: consented, done; no quoted cell before the fee
	// The fee's column (1-based byte offset): after as many commas as the
	// header has columns before fee — not the last, for the patient key
	// and note columns follow it.
	before := strings.Count(lines[0][:strings.Index(lines[0], "fee")], ",")
	at := 1
	for i := 0; i < before; i++ {
		at += strings.IndexByte(first[at-1:], ',') + 1
	}
	end := at - 1 + strings.IndexByte(first[at-1:], ',')
	export := filepath.Join(dir, "export.csv")
	cfg := filepath.Join(dir, "config.yaml")
	// Line 8 lists line 2's visit again, a phone fewer: the two would
	// disagree and be held (order_rows_disagree counts no notes). Here it
	// repeats line 2 as written, a duplicate.
	repeated := first[:at-1] + `"` + fee + `"` + first[end:]
	if err := os.WriteFile(export, []byte(mustReplace(t, mustReplace(t, body, first, repeated), lines[7], repeated)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(mustReplace(t, mustRead(t, root+"/canary/config.yaml"), "conversion:\n", "conversion:\n  value: actual\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	report, review := filepath.Join(dir, "report.json"), filepath.Join(dir, "review.csv")
	toStdout := runCLI(t, secretEnv, "", "--log-level", "debug", "upload", "--dry-run", "--config", cfg, "--report", report, export)
	toFile := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, "--out", review, export)
	for _, r := range []result{toStdout, toFile} {
		if r.code != 0 {
			t.Fatalf("exit %d:\n%s", r.code, r.stderr)
		}
	}
	want := fmt.Sprintf("the first value_not_a_number: %s:2:%d: not a number, written with a decimal comma", export, at)
	if !strings.Contains(toStdout.stderr, want) || !strings.Contains(toStdout.stderr, "set input.decimal_comma: true\n") {
		t.Errorf("the summary does not name the first unreadable fee (want %q and the key to set):\n%s", want, toStdout.stderr)
	}
	if !strings.Contains(mustRead(t, report), fmt.Sprintf(`"value_not_a_number": "%s:2:%d: not a number`, export, at)) {
		t.Errorf("the --report does not name the first unreadable fee:\n%s", mustRead(t, report))
	}
	assertNoCanary(t, "stdout", toStdout.stdout, cs)
	assertNoCanary(t, "stderr", toStdout.stderr, cs)
	assertNoCanary(t, "--report", mustRead(t, report), cs)
	assertNoCanary(t, "review CSV", mustRead(t, review), cs)
	assertNoCanary(t, "stderr (--out)", toFile.stderr, cs)
}
