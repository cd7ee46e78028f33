package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckAndChannelsRefuseAConsentColumnThatIsNoConsent: a consent
// column whose header names an SMS opt-in, an e-mail consent or an arrival
// is refused by config validate and every upload, dry-run and write
// (TestConsentColumnThatIsNoConsentRefused) — but check passed the same
// config, so a CI job went green on a config the nightly upload refused
// (a review of check as a CI job), and channels counted under
// channels.consented_only every arrival as consented. Both refuse it now
// as the upload does: exit 2, naming the key, before reading a row.
func TestCheckAndChannelsRefuseAConsentColumnThatIsNoConsent(t *testing.T) {
	yaml := mustRead(t, root+"/consent/split.yaml")
	fixture := mustRead(t, root+"/consent/split.csv")
	chYAML := mustRead(t, chPath("en.yaml"))
	chExport := mustRead(t, chPath("export-en.csv"))
	for _, h := range []string{"SMS opt-in", "Patient Arrived", "Accepted Email Marketing"} {
		dir := t.TempDir()
		want := "input.columns.consent_meta: \"" + h + "\" names"
		cfg := filepath.Join(dir, "split.yaml")
		os.WriteFile(cfg, []byte(mustReplace(t, yaml, "consent_meta: consent_meta", "consent_meta: \""+h+"\"")), 0o600)
		csv := filepath.Join(dir, "split.csv")
		os.WriteFile(csv, []byte(mustReplace(t, fixture, ",consent_meta,expect\n", ","+h+",expect\n")), 0o600)
		d := runCLI(t, nil, "", "upload", "--dry-run", "--config", cfg, csv)
		if d.code != ExitUsage || !strings.Contains(d.stderr, want) {
			t.Fatalf("dry-run with consent_meta %q: exit %d, want 2 and %q:\n%s", h, d.code, want, d.stderr)
		}
		for _, args := range [][]string{{"check"}, {"check", "--json"}} {
			r := runCLI(t, nil, "", append(args, "--config", cfg, csv)...)
			if r.code != d.code || !strings.Contains(r.stderr, want) || r.stdout != "" {
				t.Errorf("%s with consent_meta %q: exit %d, stdout %q, want the dry-run's exit %d and %q:\n%s", strings.Join(args, " "), h, r.code, r.stdout, d.code, want, r.stderr)
			}
		}

		want = "input.columns.consent: \"" + h + "\" names"
		chCfg := mustReplace(t, chYAML, "    order_id: Appointment ID\n", "    order_id: Appointment ID\n    consent: \""+h+"\"\n")
		chCfg = mustReplace(t, chCfg, "\nchannels:\n", "\nconsent:\n  granted: [\"yes\"]\nchannels:\n  consented_only: true\n")
		cfg = filepath.Join(dir, "en.yaml")
		os.WriteFile(cfg, []byte(chCfg), 0o600)
		export := filepath.Join(dir, "export-en.csv")
		os.WriteFile(export, []byte(mustReplace(t, chExport, ",Marketing Consent,", ","+h+",")), 0o600)
		args := channelsArgs(channelsCases[0])
		args[2], args[len(args)-1] = cfg, export
		r := runCLI(t, nil, "", args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, want) || r.stdout != "" {
			t.Errorf("channels with consent %q: exit %d, stdout %d bytes, want 2 and %q:\n%s", h, r.code, len(r.stdout), want, r.stderr)
		}
	}
}
