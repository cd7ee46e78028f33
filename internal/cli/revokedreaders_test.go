package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDryRunAndWriteKnowRememberedWithdrawals: a patient withdrew on a
// row an upload read; the next night's export no longer holds that row.
// The upload keeps the patient's later visit out — and so must the two
// commands that send nothing themselves: the dry-run, whose review CSV is
// what the privacy officer reads as "what would be sent", and `write`,
// whose file a person uploads by hand. Before, both read the export alone
// and showed or wrote the withdrawn patient's visit.
func TestDryRunAndWriteKnowRememberedWithdrawals(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, `conversion_action_id: "555000111"`, "conversion_action_id: \"555000111\"\n    conversion_name: Clinic visit", 1)
	})
	withdraws := "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	later := "A007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"
	other := "A007002,病患o,115/10/26,上午 11:00,已完成,0912-700-002,同意,1500\n"
	night2 := twExport(t, later+other)

	// Before any upload there is no ledger: both commands see the export
	// alone, and neither makes a ledger.
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, night2)
	if dry.code != 0 || dataRows(dry.stdout) != 4 {
		t.Fatalf("dry-run before any upload: exit %d, %d rows (want both visits, for both destinations)\n%s", dry.code, dataRows(dry.stdout), dry.stderr)
	}
	if _, err := os.Stat(filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db")); err == nil {
		t.Fatal("a dry-run made a ledger")
	}

	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, withdraws+later+other)); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	dry = runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, night2)
	if dry.code != 0 || dataRows(dry.stdout) != 2 || !strings.Contains(dry.stderr, "consent_revoked_patient 1") {
		t.Errorf("dry-run on night 2: exit %d, %d rows; want the other patient's visit alone, one consent_revoked_patient\n%s\n%s", dry.code, dataRows(dry.stdout), dry.stdout, dry.stderr)
	}
	for _, format := range []string{"google-ads-csv", "meta-offline-csv"} {
		w := runGoogle(t, env, "", true, "write", "--format", format, "--config", cfg, night2)
		if w.code != 0 || !strings.Contains(w.stderr, "consent_revoked_patient 1") {
			t.Errorf("write %s on night 2: exit %d; want the withdrawn patient's visit left out, counted\n%s\n%s", format, w.code, w.stdout, w.stderr)
		}
	}

	// Under the public demo key (no secret), the remembered digests match
	// no one: the dry-run says so instead of showing the visit as if
	// nothing were known.
	demo := map[string]string{}
	for k, v := range env {
		demo[k] = v
	}
	delete(demo, "HASHGATE_SECRET")
	dry = runGoogle(t, demo, "", true, "upload", "--dry-run", "--config", cfg, night2)
	if dry.code != 0 || !strings.Contains(dry.stderr, "withdrew consent") || !strings.Contains(dry.stderr, "HASHGATE_SECRET") {
		t.Errorf("dry-run without the uploads' secret: exit %d; want a warning naming HASHGATE_SECRET\n%s", dry.code, dry.stderr)
	}

	// A manual-upload file under another secret would carry the withdrawn
	// patient: it stops, as the upload does, naming the secret, and writes
	// nothing.
	other2 := map[string]string{}
	for k, v := range env {
		other2[k] = v
	}
	other2["HASHGATE_SECRET"] = "another-upload-secret-8Kq2Wz7Lp4Rv1Ty6"
	w := runGoogle(t, other2, "", true, "write", "--format", "google-ads-csv", "--config", cfg, night2)
	if w.code != ExitUsage || w.stdout != "" || !strings.Contains(w.stderr, "secret:") || !strings.Contains(w.stderr, "withdrew consent") {
		t.Errorf("write under another secret: exit %d, stdout %d bytes; want exit 2 naming the secret, nothing written\n%s", w.code, len(w.stdout), w.stderr)
	}
}

// dataRows counts the review CSV's rows after its header (one per
// conversion and destination).
func dataRows(csv string) int {
	n := strings.Count(strings.TrimRight(csv, "\n"), "\n")
	if strings.TrimSpace(csv) == "" {
		return 0
	}
	return n
}
