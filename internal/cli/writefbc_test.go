package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMetaFileCountsTheClickIDItHasNoColumnFor: an upload sends Meta the
// fbc made of a row's fbclid; Meta's offline events file has no column for
// it (its match keys: docs/research/platform-apis.md C.2), and the file
// left it out without a word. Google's file counts its like as
// no_file_column; Meta's does too, and no click id is ever printed.
func TestMetaFileCountsTheClickIDItHasNoColumnFor(t *testing.T) {
	clk := &simClock{t: time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)}
	env := writeFilesEnv(t)
	cfg := writeFilesConfig(t, "[email]", "[email]", "")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "    gclid: gclid\n", "    gclid: gclid\n    fbclid: fbclid\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	const click = "IwAR2ZqCanaryClickZq0l7Mn1IawQQGCINEz7PYXQvwjNwB"
	export := filepath.Join(t.TempDir(), "export.csv")
	body := "id,at,status,email,phone,first,last,zip,country,fee,gclid,consent,fbclid\n" +
		"F1,2026-12-01 10:00,completed,zqf1@example.com,,Zqa,Zqb,10617,TW,1000,,yes," + click + "1\n" +
		"F2,2026-12-02 10:00,completed,zqf2@example.com,,Zqc,Zqd,10617,TW,1000,,yes," + click + "2\n"
	if err := os.WriteFile(export, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	dry := runAt(t, clk, env, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), export)
	if dry.code != ExitOK || !strings.Contains(dry.stderr, "meta 2") {
		t.Fatalf("the upload's dry-run: exit %d, want both to Meta\n%s", dry.code, dry.stderr)
	}
	r := runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--config", cfg, export)
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, recs := fileRecords(t, r.stdout); len(recs) != 2 {
		t.Errorf("%d rows written, want both, matched on their emails", len(recs))
	}
	if !strings.Contains(r.stderr, "meta fbc no_file_column 2") || !strings.Contains(r.stderr, "conversions: meta 2") {
		t.Errorf("the summary does not say the file has no click id column:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, "ZqCanary") || strings.Contains(r.stdout+r.stderr, "zqf2") {
		t.Errorf("a raw value in the output:\n%s\n%s", r.stdout, r.stderr)
	}
}
