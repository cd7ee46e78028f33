package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The strings the Meta health notice and the exact-fee refusal must hold.
// Literal here, not the constants, so the tests read what a person reads.
const (
	metaTermsURL   = "facebook.com/legal/businesstech"
	actualValueKey = "privacy.allow_actual_value"
)

// TestConfigInitLeavesMetaOffForAClinic: what config init writes for a
// clinic's export (every export it reads is one) sends nothing to Meta
// until a person enables it, and says why beside the switch — Meta's
// Business Tools Terms, its health restrictions, and the consent each
// jurisdiction asks before a visit may be shared — as the Google block
// quotes Google's policy. Once enabled, config validate says the rule.
// Before: `meta: enabled: true, identifiers: [email, phone]`, no comment.
func TestConfigInitLeavesMetaOffForAClinic(t *testing.T) {
	for _, c := range onboarding {
		t.Run(c.file, func(t *testing.T) {
			export := filepath.Join(root, "onboarding", c.file)
			r := runCLI(t, nil, "", "config", "init", "--from", export)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var g struct {
				Region       string `yaml:"region"`
				Destinations map[string]struct {
					Enabled     bool     `yaml:"enabled"`
					Identifiers []string `yaml:"identifiers"`
				} `yaml:"destinations"`
			}
			if err := yaml.Unmarshal([]byte(r.stdout), &g); err != nil {
				t.Fatal(err)
			}
			// A mainland clinic's Google is off too (PIPL:
			// TestConfigInitWritesAMainlandClinicNothingEnabled).
			wantGoogle := g.Region != "CN"
			if g.Destinations["meta"].Enabled || g.Destinations["google"].Enabled != wantGoogle {
				t.Errorf("destinations: %+v; want meta disabled, google enabled %v", g.Destinations, wantGoogle)
			}
			at := strings.Index(r.stdout, "\n  meta:\n")
			if at < 0 {
				t.Fatalf("no destinations.meta block:\n%s", r.stdout)
			}
			block := r.stdout[at:]
			for _, want := range []string{metaTermsURL, "health information", "HIPAA authorization", "164.508(a)(3)", "explicit consent", "input.columns.consent_meta"} {
				if !strings.Contains(block, want) {
					t.Errorf("the meta block does not say %q:\n%s", want, block)
				}
			}
			env := map[string]string{"HASHGATE_TIMEZONE": "America/Los_Angeles"}
			cfg := filepath.Join(t.TempDir(), "hashgate.yaml")
			os.WriteFile(cfg, []byte(r.stdout), 0o600)
			d := runCLI(t, env, "", "upload", "--dry-run", "--config", cfg, export)
			switch {
			case !wantGoogle:
				// Nothing enabled: the dry-run stops, saying what enabling needs.
				if d.code != ExitUsage || !strings.Contains(d.stderr, "consent.pipl_separate_consents") {
					t.Errorf("dry-run of the generated mainland config: exit %d, want %d naming the PIPL key\n%s", d.code, ExitUsage, d.stderr)
				}
			case d.code != 0 || strings.Contains(d.stderr, "meta") || strings.Contains(d.stderr, "Meta"):
				t.Errorf("dry-run of the generated config: exit %d, want no Meta at all\n%s", d.code, d.stderr)
			}
			on := r.stdout[:at] + strings.Replace(block, "    enabled: false\n", "    enabled: true\n", 1)
			os.WriteFile(cfg, []byte(on), 0o600)
			v := runCLI(t, env, "", "config", "validate", "--config", cfg)
			if v.code != 0 || strings.Count(v.stderr, metaTermsURL) != 1 {
				t.Errorf("config validate with Meta enabled: exit %d, want the terms quoted once\n%s", v.code, v.stderr)
			}
		})
	}
}

// TestMetaHealthNoteOnceInEverySummary: with destinations.meta enabled,
// config validate, the dry-run summary (text and JSON) and the upload
// summary say Meta's health rule once; a second nightly upload under the
// same destinations shortens it to a line, as Google's notice; with Meta
// disabled nothing is said. Before: no run said anything about Meta.
func TestMetaHealthNoteOnceInEverySummary(t *testing.T) {
	example := "../../configs/example.yaml"
	in := root + "/example/appointments.csv"
	for name, out := range map[string]string{
		"config validate": runCLI(t, secretEnv, "", "config", "validate", "--config", example).stderr,
		"dry-run":         runCLI(t, secretEnv, "", "upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "r.csv"), "--config", example, in).stderr,
	} {
		if strings.Count(out, metaTermsURL) != 1 || strings.Count(out, "Meta: destinations.meta is enabled") != 1 || !strings.Contains(out, "HIPAA authorization") {
			t.Errorf("%s does not say Meta's rule once:\n%s", name, out)
		}
	}
	j := runCLI(t, secretEnv, "", "upload", "--dry-run", "--json", "--out", filepath.Join(t.TempDir(), "r.csv"), "--config", example, in)
	var rep struct {
		Notices []string `json:"notices"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, j.stdout)
	}
	if n := countContaining(rep.Notices, metaTermsURL); n != 1 {
		t.Errorf("JSON notices hold the Meta note %d times: %q", n, rep.Notices)
	}

	in2, _ := healthExport(t, 6)
	env := googleEnv(t)
	for night, want := range []string{metaTermsURL, "in full: hashgate config validate"} {
		_, gURL := googleFake(t, nil)
		g, mURL := metaFake(t, nil)
		r := runGoogle(t, env, "", true, "upload", "--config", healthConfig(t, gURL, mURL, "    identifiers: []\n"), in2)
		if r.code != 0 || len(g.Accepted()) != 6*(1-night) { // the second night sends nothing new
			t.Fatalf("night %d: exit %d, meta %d accepted\n%s", night+1, r.code, len(g.Accepted()), r.stderr)
		}
		if strings.Count(r.stderr, "Meta: destinations.meta is enabled") != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("night %d: the upload summary does not say %q once:\n%s", night+1, want, r.stderr)
		}
	}

	off := strings.Replace(mustRead(t, example), "  meta:\n    enabled: true", "  meta:\n    enabled: false", 1)
	p := filepath.Join(t.TempDir(), "off.yaml")
	os.WriteFile(p, []byte(off), 0o600)
	if r := runCLI(t, secretEnv, "", "config", "validate", "--config", p); r.code != 0 || strings.Contains(r.stderr, metaTermsURL) {
		t.Errorf("Meta disabled: exit %d, the note is said\n%s", r.code, r.stderr)
	}
}

func countContaining(list []string, s string) int {
	n := 0
	for _, l := range list {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// feeConfig is a clinic config for both platforms' fakes under
// conversion.value: actual, with extra appended at the top level.
func feeConfig(t *testing.T, gURL, mURL, extra string) string {
	t.Helper()
	body := fmt.Sprintf(`timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: id
    appointment_at: at
    status: status
    email: email
    phone: phone
    gclid: gclid
    consent: consent
    value: fee
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: actual
  currency: TWD
destinations:
  meta:
    enabled: true
    graph_url: %s
    dataset_id: "998877"
  google:
    enabled: true
    identifiers: []
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
%s`, mURL, gURL, extra)
	p := filepath.Join(t.TempDir(), "fees.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExactFeesRefusedWithoutOptIn: conversion.value: actual sends each
// visit's exact fee, and a fee names the treatment (an implant's 68,000).
// An upload, its preflight (config validate --upload) and the
// manual-upload files refuse it, naming privacy.allow_actual_value, and
// send or write nothing; a dry-run and a plain config validate run and
// warn; with the key set the upload runs and its summary says what it
// sends. Before: "valid", and Purchase,4200,TWD left for both platforms.
func TestExactFeesRefusedWithoutOptIn(t *testing.T) {
	export := filepath.Join(t.TempDir(), "fees.csv")
	os.WriteFile(export, []byte("id,at,status,email,phone,gclid,consent,fee\n"+
		"V1,2026-11-20 10:00,completed,zqfee1@example.com,0912-345-001,"+testClickID(1)+",yes,4200\n"+
		"V2,2026-11-21 10:00,completed,zqfee2@example.com,0912-345-002,"+testClickID(2)+",yes,68000\n"), 0o600)
	env := googleEnv(t)

	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	cfg := feeConfig(t, gURL, mURL, "")
	out := filepath.Join(t.TempDir(), "meta.csv")
	for name, args := range map[string][]string{
		"config validate --upload": {"config", "validate", "--upload", "--config", cfg},
		"upload":                   {"upload", "--config", cfg, export},
		"upload --validate":        {"upload", "--validate", "--config", cfg, export},
		"write":                    {"write", "--format", "meta-offline-csv", "--out", out, "--config", cfg, export},
	} {
		r := runGoogle(t, env, "", true, args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, actualValueKey) || !strings.Contains(r.stderr, "conversion.value") {
			t.Errorf("%s: exit %d, want %d naming %s\n%s", name, r.code, ExitUsage, actualValueKey, r.stderr)
		}
	}
	if len(dm.Bodies()) != 0 || len(g.Bodies()) != 0 {
		t.Errorf("a refused run sent %d Google and %d Meta requests", len(dm.Bodies()), len(g.Bodies()))
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("write refused the config but left a file")
	}

	for name, args := range map[string][]string{
		"config validate": {"config", "validate", "--config", cfg},
		"dry-run":         {"upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "r.csv"), "--config", cfg, export},
	} {
		r := runGoogle(t, env, "", true, args...)
		if r.code != 0 || strings.Count(r.stderr, actualValueKey) != 1 || !strings.Contains(r.stderr, "exact fee") {
			t.Errorf("%s: exit %d, want 0 and one warning naming %s\n%s", name, r.code, actualValueKey, r.stderr)
		}
		if strings.Contains(r.stderr, "4200") || strings.Contains(r.stderr, "68000") {
			t.Errorf("%s: the warning holds a fee:\n%s", name, r.stderr)
		}
	}

	cfg = feeConfig(t, gURL, mURL, "privacy:\n  allow_actual_value: true\n")
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if r.code != 0 || len(g.Accepted()) != 2 || len(dm.Accepted()) != 2 {
		t.Fatalf("opted in: exit %d, meta %d, google %d accepted\n%s", r.code, len(g.Accepted()), len(dm.Accepted()), r.stderr)
	}
	if !strings.Contains(r.stderr, "exact fee") || !strings.Contains(r.stderr, actualValueKey) {
		t.Errorf("opted in: the summary does not say exact fees are sent:\n%s", r.stderr)
	}
}

// TestPolicyNoticesHoldNoCellValue: the notices a run prints about
// Meta's rules and exact fees are fixed text — the canary export's
// dry-run under value: actual with both platforms enabled, its JSON
// notices and config validate's lines hold none of its personal values
// (fees that are no number included), and the notices are there.
func TestPolicyNoticesHoldNoCellValue(t *testing.T) {
	cs := canaries(t)
	cfg := strings.Replace(mustRead(t, root+"/canary/config.yaml"), "conversion:\n", "conversion:\n  value: actual\n", 1)
	p := filepath.Join(t.TempDir(), "canary.yaml")
	os.WriteFile(p, []byte(cfg), 0o600)
	d := runCLI(t, secretEnv, "", "upload", "--dry-run", "--json", "--out", filepath.Join(t.TempDir(), "r.csv"), "--config", p, root+"/canary/export.csv")
	var rep struct {
		Notices []string `json:"notices"`
	}
	if err := json.Unmarshal([]byte(d.stdout), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s%s", d.code, err, d.stdout, d.stderr)
	}
	if countContaining(rep.Notices, metaTermsURL) != 1 || countContaining(rep.Notices, actualValueKey) != 1 {
		t.Fatalf("notices %q: want the Meta note and the exact-fee warning", rep.Notices)
	}
	v := runCLI(t, secretEnv, "", "config", "validate", "--config", p)
	assertNoCanary(t, "notices", strings.Join(rep.Notices, "\n"), cs)
	assertNoCanary(t, "dry-run", d.stdout+d.stderr, cs)
	assertNoCanary(t, "config validate", v.stderr, cs)
}

// withMetaEnabled is a config init output with destinations.meta enabled:
// the choice a clinic makes once its patients' consent covers Meta. Tests
// that score config init's mapping (email, phone and the rest reach only
// Meta while Google takes click ids) make it, so the identifiers mapped
// are still the ones sent.
func withMetaEnabled(t *testing.T, text string) string {
	t.Helper()
	at := strings.Index(text, "\n  meta:\n")
	off := "\n    enabled: false\n    identifiers:"
	if at < 0 || !strings.Contains(text[at:], off) {
		t.Fatalf("no disabled destinations.meta block:\n%s", text)
	}
	return text[:at] + strings.Replace(text[at:], off, "\n    enabled: true\n    identifiers:", 1)
}
