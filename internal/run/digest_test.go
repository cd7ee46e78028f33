package run

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportCarriesTheInputDigest: a dry-run with a JSON report — written
// to a file or printed with --json — gives the SHA-256 of the bytes it
// read, from a file and from standard input; so does an upload's
// (TestLedgerRecordsRuns, in package cli). A dry-run with neither prints
// no digest anywhere, and keeps none (keepsDigest).
func TestReportCarriesTheInputDigest(t *testing.T) {
	sum := sha256.Sum256([]byte(sampleExport))
	want := hex.EncodeToString(sum[:])
	for _, stdin := range []bool{false, true} {
		for _, asJSON := range []bool{false, true} {
			dir := t.TempDir()
			input, rep := filepath.Join(dir, "export.csv"), filepath.Join(dir, "report.json")
			if err := os.WriteFile(input, []byte(sampleExport), 0o600); err != nil {
				t.Fatal(err)
			}
			in := ""
			if stdin {
				in, input = sampleExport, "-"
			}
			env, out, _ := testEnv(t, in)
			r := UploadRequest{Config: testConfig(t), Input: input, DryRun: true, Out: filepath.Join(dir, "review.csv")}
			if asJSON {
				r.JSON = true
			} else {
				r.Report = rep
			}
			if !r.keepsDigest() {
				t.Fatalf("%+v: a dry-run with a JSON report keeps no digest", r)
			}
			if err := Upload(context.Background(), env, r); err != nil {
				t.Fatal(err)
			}
			b := out.Bytes()
			if !asJSON {
				var err error
				if b, err = os.ReadFile(rep); err != nil {
					t.Fatal(err)
				}
			}
			var m struct {
				Input string `json:"input_sha256"`
			}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if m.Input != want {
				t.Errorf("stdin %v, --json %v: input_sha256 %q, want %q", stdin, asJSON, m.Input, want)
			}
		}
	}
	for _, c := range []struct {
		r    UploadRequest
		keep bool
	}{
		{UploadRequest{DryRun: true}, false},
		{UploadRequest{DryRun: true, Out: "review.csv"}, false},
		{UploadRequest{DryRun: true, Report: "r.json"}, true},
		{UploadRequest{DryRun: true, JSON: true}, true},
		{UploadRequest{}, true},
		{UploadRequest{Validate: true}, true},
	} {
		if got := c.r.keepsDigest(); got != c.keep {
			t.Errorf("%+v: keepsDigest %v, want %v", c.r, got, c.keep)
		}
	}
}

// TestDryRunReportsAWeakSecret: the verdict on the secret, worked out
// beside the run (prepare), reaches the JSON report and the summary for a
// guessable secret, and neither for a strong one (under -race: no write of
// the report races it). The summary names HASHGATE_SECRET, never the key.
func TestDryRunReportsAWeakSecret(t *testing.T) {
	for _, c := range []struct {
		secret string
		weak   bool
	}{
		{strings.Repeat("password", 5), true},
		{"DoSknLdp6qCAkqjAglwi5Pr4t3ygKTtUih67dQFTYGE", false},
	} {
		cfg := testConfig(t)
		cfg.Secret = c.secret
		dir := t.TempDir()
		env, out, _ := testEnv(t, sampleExport)
		if err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: "-", DryRun: true, JSON: true, Out: filepath.Join(dir, "review.csv")}); err != nil {
			t.Fatal(err)
		}
		var m struct {
			WeakKey string `json:"weak_key"`
		}
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		if (m.WeakKey != "") != c.weak {
			t.Errorf("secret weak %v: weak_key %q", c.weak, m.WeakKey)
		}
		env, _, errOut := testEnv(t, sampleExport)
		if err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: "-", DryRun: true, Out: filepath.Join(dir, "review2.csv")}); err != nil {
			t.Fatal(err)
		}
		summary := errOut.String()
		if got := strings.Contains(summary, "an upload would refuse this secret: HASHGATE_SECRET is guessable"); got != c.weak {
			t.Errorf("secret weak %v: the summary says so %v:\n%s", c.weak, got, summary)
		}
		if strings.Contains(summary, c.secret) {
			t.Errorf("the summary holds the secret:\n%s", summary)
		}
	}
}
