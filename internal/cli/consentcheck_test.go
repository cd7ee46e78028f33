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
	// The second line: channel-scoped or practice-decided columns a review
	// of 2026-12-07 found passing (allowsms, Open Dental's ShortCodeOptIn
	// and contact preferences, OpenEMR's portal and exchange flags,
	// PracSuite's Soft Opt-In), and hipaa_allowsms, refused before only
	// for its "hipaa".
	for _, h := range []string{"SMS opt-in", "Patient Arrived", "Accepted Email Marketing",
		"allowsms", "hipaa_allowsms", "ShortCodeOptIn", "PreferContactMethod", "PreferRecallMethod", "allow_patient_portal",
		"allow_health_info_ex", "Soft Opt-In"} {
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
		// OpenEMR's hipaa_allowsms defaults to NO: a consent to texts,
		// not one every patient accepts as care.
		if strings.HasPrefix(h, "hipaa_") && !strings.Contains(d.stderr, "to be contacted on one channel") {
			t.Errorf("dry-run with consent_meta %q does not give the channel's reason:\n%s", h, d.stderr)
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

// TestConfigInitOffersNoChannelScopedConsent: yes/no columns whose header
// names a channel (allowsms, hipaa_allowsms, ShortCodeOptIn,
// allow_patient_portal), a contact preference, a record exchange or a soft
// opt-in, which every run refuses as the consent
// (TestCheckAndChannelsRefuseAConsentColumnThatIsNoConsent), are neither
// mapped nor offered under the consent's ASK; a neutral one beside them
// (是否VIP) still is.
func TestConfigInitOffersNoChannelScopedConsent(t *testing.T) {
	refused := []string{"allowsms", "hipaa_allowsms", "ShortCodeOptIn", "PreferContactMethod", "PreferRecallMethod",
		"allow_patient_portal", "allow_health_info_ex", "Soft Opt-In"}
	text := mustRead(t, filepath.Join(root, "exports", "31-cn-first-visit-flag", "export.csv"))
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		if l == "" {
			continue
		}
		l = strings.TrimRight(l, "\r\n")
		for _, h := range append(refused, "是否VIP") {
			switch {
			case i == 0:
				l += "," + h
			case i%2 == 0:
				l += ",YES"
			default:
				l += ",NO"
			}
		}
		lines[i] = l + "\n"
	}
	export := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(export, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "", "config", "init", "--from", export)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if c := parseGenerated(t, r.stdout).Input.Columns.Consent; c != "" {
		t.Errorf("consent %q proposed", c)
	}
	at := strings.Index(r.stdout, "    consent: \"\"")
	if at < 0 {
		t.Fatalf("no empty consent line:\n%s", r.stdout)
	}
	above := r.stdout[:at]
	above = above[strings.LastIndex(above, "consent to ad measurement"):]
	for _, h := range refused {
		if strings.Contains(above, `"`+h+`"`) {
			t.Errorf("%q, which every run refuses as the consent, is offered under the consent's ASK:\n%s", h, above)
		}
	}
	if !strings.Contains(above, `"是否VIP"`) {
		t.Errorf("the neutral yes/no column is not offered:\n%s", above)
	}
}
