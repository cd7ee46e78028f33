package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// canaries returns every personal value of the canary export — emails,
// phones (raw and as bare national digits), names, chart numbers, patient
// keys, free-text consent notes and notes, fees that are not numbers —
// taken from the file itself, so a row added to the fixture is checked
// without touching this test.
func canaries(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(root + "/canary/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// patient_no is input.columns.patient_key (Meta's external_id, the
	// ledger's withdrawals and key shapes); note is mapped to nothing, the
	// free text no run may carry anywhere.
	personal := map[string]bool{"chart_no": true, "mail": true, "mobile": true, "home_phone": true, "given": true, "family": true, "agree": true, "fee": true,
		"patient_no": true, "note": true}
	var out []string
	for _, rec := range recs[1:] {
		for i, v := range rec {
			if !personal[recs[0][i]] || v == "" || v == "yes" || v == "1000" {
				continue
			}
			for _, f := range canaryForms(v) {
				out = append(out, strings.ToLower(f))
			}
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d canaries harvested; fixture changed shape?", len(out))
	}
	return out
}

// canaryForms is one personal value as the canary tests look for it: as
// written, and, when it holds 7
// digits or more, as those digits alone without leading zeros — the form
// inside a phone leaked in E.164 (+886912701701 holds 912701701), digits
// only, or without its trunk 0.
func canaryForms(v string) []string {
	out := []string{v}
	if d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, v); len(d) >= 7 {
		out = append(out, strings.TrimLeft(d, "0"))
	}
	return out
}

func assertNoCanary(t *testing.T, where, text string, cs []string) {
	t.Helper()
	low := strings.ToLower(text)
	for _, c := range cs {
		if strings.Contains(low, c) {
			t.Errorf("%s contains the raw value %q", where, c)
		}
	}
}

func TestNoRawPersonalDataLeaves(t *testing.T) {
	cs := canaries(t)
	cfg := root + "/canary/config.yaml"
	export := root + "/canary/export.csv"
	body, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	variant := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lines := strings.SplitAfter(string(body), "\n")
	header, rows := lines[0], strings.Join(lines[1:], "")

	t.Run("dry-run to stdout, debug logging", func(t *testing.T) {
		r := runCLI(t, secretEnv, "", "--log-level", "debug", "upload", "--dry-run", "--config", cfg, export)
		if r.code != 0 || !strings.Contains(r.stdout, "google,") || !strings.Contains(r.stdout, "meta,") {
			t.Fatalf("exit %d; the canary run must produce conversions for both platforms:\n%s", r.code, r.stderr)
		}
		assertNoCanary(t, "stdout", r.stdout, cs)
		assertNoCanary(t, "stderr", r.stderr, cs)
	})
	t.Run("review file", func(t *testing.T) {
		out := filepath.Join(dir, "review.csv")
		r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, "--out", out, export)
		got, err := os.ReadFile(out)
		if r.code != 0 || err != nil {
			t.Fatalf("exit %d, %v", r.code, err)
		}
		assertNoCanary(t, "review file", string(got), cs)
		assertNoCanary(t, "stderr", r.stderr, cs)
	})
	errorCases := []struct {
		name, file, config string
	}{
		{"invalid UTF-8 in an email cell", variant("utf8.csv", header+mustReplace(t, rows, "zqcanary.two@example.com", "zqcanary.two@example.com\xff")), cfg},
		// A quote inside an unquoted cell is read as text (export.scanner);
		// one that closes a quoted cell before more text breaks the file.
		{"stray quote in a name cell", variant("quote.csv", header+mustReplace(t, rows, "Zqgiventhree", `"Zqgiven"three`)), cfg},
		{"unterminated quote", variant("unterminated.csv", header+mustReplace(t, rows, "Zqfamilyfour", `"Zqfamilyfour`)), cfg},
		// The order id without its time parts: a composite id holding the
		// time is refused without a zone before the export is read (config,
		// no position to name); this case is the read that meets the time.
		{"time without zone", export, variant("nozone.yaml", mustReplace(t, mustReplace(t, mustRead(t, cfg), "timezone: Asia/Taipei", `timezone: ""`),
			"order_id: [chart_no, visit_date, visit_time]", "order_id: [chart_no]"))},
		{"column missing", variant("nocol.csv", mustReplace(t, string(body), "home_phone", "landline")), cfg},
	}
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, secretEnv, "", "--log-level", "debug", "upload", "--dry-run", "--config", c.config, c.file)
			if r.code == 0 {
				t.Fatalf("a broken input succeeded:\n%s", r.stderr)
			}
			if !strings.Contains(r.stderr, ".csv:") {
				t.Errorf("error does not name the file and position:\n%s", r.stderr)
			}
			assertNoCanary(t, "stdout", r.stdout, cs)
			assertNoCanary(t, "stderr", r.stderr, cs)
		})
	}
	t.Run("hash rejections", func(t *testing.T) {
		r := runCLI(t, nil, "zqcanary-bad-mail\n77-0799\n", "hash", "--for", "meta", "--field", "email")
		if r.code != ExitFailure {
			t.Fatalf("exit %d", r.code)
		}
		assertNoCanary(t, "stdout", r.stdout, cs)
		assertNoCanary(t, "stderr", r.stderr, cs)
	})
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
