package run

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/pipeline"
)

// patientConfig reads a patient key, so a revocation on a later row of a
// patient holds back the earlier ones.
func patientExport(t *testing.T, latest string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "export.csv")
	body := "id,chart,at,email,phone,consent\n" +
		"P1,CH-1,2026-11-01 10:00,zqearlier@example.com,,yes\n" +
		"P2,CH-1,2026-11-20 10:00,zqlater@example.com,," + latest + "\n"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSwappedFileBetweenThePassesStopsTheRun: the pre-scan reads an export
// where the patient revoked; before the run proper, the file is replaced
// by one where they did not (by rename, and rewritten in place). Either
// way the run stops with nothing written: it never sends the revoked
// patient's earlier visit.
func TestSwappedFileBetweenThePassesStopsTheRun(t *testing.T) {
	t.Cleanup(func() { betweenPasses = nil })
	for _, how := range []string{"rename", "rewrite"} {
		t.Run(how, func(t *testing.T) {
			path := patientExport(t, "revoked")
			innocent := patientExport(t, "yes")
			betweenPasses = func(p string) {
				if how == "rename" {
					if err := os.Rename(innocent, p); err != nil {
						t.Error(err)
					}
					return
				}
				b, _ := os.ReadFile(innocent)
				later := time.Now().Add(2 * time.Second)
				if err := os.WriteFile(p, b, 0o600); err != nil {
					t.Error(err)
				}
				os.Chtimes(p, later, later)
			}
			env, stdout, _ := testEnv(t, "")
			cfg := testConfig(t)
			cfg.Input.Columns.PatientKey = "chart"
			out := filepath.Join(t.TempDir(), "review.csv")
			err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path, DryRun: true, Out: out})
			if !errors.Is(err, ErrExportChanged) || Code(err) != ExitFailure {
				t.Fatalf("err %v (code %d), want the run stopped on a changed export", err, Code(err))
			}
			if _, serr := os.Stat(out); serr == nil || stdout.Len() != 0 {
				t.Errorf("output written: %v, stdout %q", serr, stdout)
			}
			if strings.Contains(err.Error(), "zq") {
				t.Errorf("the error carries a cell: %v", err)
			}
		})
	}
	betweenPasses = nil
	// Without a swap the same export runs, and sends nothing of CH-1.
	env, stdout, _ := testEnv(t, "")
	cfg := testConfig(t)
	cfg.Input.Columns.PatientKey = "chart"
	if err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: patientExport(t, "revoked"), DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Count(stdout.String(), "\n") != 1 {
		t.Errorf("a revoked patient's visit went out:\n%s", stdout)
	}
}

// TestStrictestConsentOfAnOrderWins: two rows of one order id, yes then
// revoked, no patient key: nothing is sent for that order. A denial or a
// scoped consent on another row does the same; blank says nothing.
func TestStrictestConsentOfAnOrderWins(t *testing.T) {
	for _, c := range []struct {
		later string
		sent  bool
	}{{"revoked", false}, {"no", false}, {"yes - sms only", false}, {"", true}, {"yes", true}} {
		p := filepath.Join(t.TempDir(), "export.csv")
		body := "id,at,email,phone,consent\n" +
			"A1,2026-11-20 10:00,ann@example.com,,yes\n" +
			"B1,2026-11-20 11:00,bo@example.com,,yes\n" +
			"A1,2026-11-20 10:00,ann@example.com,," + c.later + "\n"
		os.WriteFile(p, []byte(body), 0o600)
		env, stdout, errOut := testEnv(t, "")
		if err := Upload(context.Background(), env, UploadRequest{Config: testConfig(t), Input: p, DryRun: true}); err != nil {
			t.Fatal(err)
		}
		// B1 goes to both platforms; A1 only when no row refuses it.
		want := 1 + 2
		if c.sent {
			want += 2
		}
		if got := strings.Count(stdout.String(), "\n"); got != want {
			t.Errorf("later row %q: %d lines, want %d:\n%s\n%s", c.later, got, want, stdout, errOut)
		}
		if !c.sent && !strings.Contains(errOut.String(), pipeline.ReasonOrderRefused) {
			t.Errorf("later row %q: summary lacks %s:\n%s", c.later, pipeline.ReasonOrderRefused, errOut)
		}
	}
}

// TestOrderRefusedFromStdinWarns: standard input cannot be pre-scanned;
// when a later row refuses an order already converted, the run says so.
func TestOrderRefusedFromStdinWarns(t *testing.T) {
	body := "id,at,email,phone,consent\n" +
		"A1,2026-11-20 10:00,ann@example.com,,yes\n" +
		"A1,2026-11-20 10:00,ann@example.com,,revoked\n"
	env, _, errOut := testEnv(t, body)
	var log bytes.Buffer
	env.Logger = slog.New(slog.NewTextHandler(&log, nil))
	if err := Upload(context.Background(), env, UploadRequest{Config: testConfig(t), Input: "-", DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "give the export as a file") || !strings.Contains(errOut.String(), pipeline.NoteRefusedAfterSent) {
		t.Errorf("no warning:\nlog: %s\nsummary: %s", log.String(), errOut)
	}
	_ = io.Discard
}
