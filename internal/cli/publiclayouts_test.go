package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Exports in public clinic-system layouts, kept with inspect's fixtures
// (internal/inspect/testdata, README.md there names each layout's source):
// the review of 2026-12-06 ran config init, config validate and a dry-run
// on them.
const layouts = "../inspect/testdata"

// initFrom runs config init on a layout and returns the config it wrote.
func initFrom(t *testing.T, file string) (config, stderr string) {
	t.Helper()
	r := runCLI(t, nil, "", "config", "init", "--from", filepath.Join(layouts, file))
	if r.code != 0 {
		t.Fatalf("config init --from %s: exit %d: %s", file, r.code, r.stderr)
	}
	return r.stdout, r.stderr
}

// TestConsentColumnThatIsNoConsentRefused: Cliniko's patient and
// appointment flags (docs.api.cliniko.com/openapi/reference/tag/Patient),
// all true/false. Mapped as the consent with "true" granted, "Patient
// Arrived" passed config validate and the dry-run counted every arrival
// as consented; "Accepted Email Marketing", a channel consent inspect
// itself rules out, passed too. config validate and the dry-run refuse
// each, naming the key; the ad consent a clinic adds passes.
func TestConsentColumnThatIsNoConsentRefused(t *testing.T) {
	text, _ := initFrom(t, "cliniko-patient-flags.csv")
	text = mustReplace(t, text, "\ntimezone: \"\"", "\ntimezone: Australia/Sydney #")
	text = mustReplace(t, text, "  granted: []", "  granted: [\"true\"] #")
	export := filepath.Join(layouts, "cliniko-patient-flags.csv")
	for _, h := range []string{"Patient Arrived", "Did Not Arrive", "Accepted Email Marketing", "Accepted SMS Marketing", "Accepted Privacy Policy"} {
		cfg := mustReplace(t, text, "    consent: \"\"", "    consent: \""+h+"\"")
		if strings.Contains(text, "    status: \""+h+"\"") {
			cfg = mustReplace(t, cfg, "    status: \""+h+"\"", "    status: \"\"")
			cfg = strings.Replace(cfg, "\n  statuses:\n    - \"true\"", "\n  statuses: []\n  # - \"true\"", 1)
		}
		path := filepath.Join(t.TempDir(), "hashgate.yaml")
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		v := runCLI(t, nil, "", "config", "validate", "--config", path)
		want := "input.columns.consent: \"" + h + "\" names"
		if v.code != ExitUsage || !strings.Contains(v.stderr, want) {
			t.Errorf("config validate with consent %q: exit %d, want 2 and %q:\n%s", h, v.code, want, v.stderr)
		}
		d := runCLI(t, nil, "", "upload", "--dry-run", "--config", path, export)
		if d.code != ExitUsage || !strings.Contains(d.stderr, want) || strings.Contains(d.stderr, "used") {
			t.Errorf("dry-run with consent %q: exit %d, want 2 and %q:\n%s", h, d.code, want, d.stderr)
		}
	}
}
