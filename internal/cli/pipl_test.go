package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// piplKey is the mainland clinic's statement, literal as a person reads it.
const piplKey = "consent.pipl_separate_consents"

// piplArticles are the articles every PIPL message names.
var piplArticles = []string{"Art. 29", "Art. 23", "Art. 39", "Art. 38"}

// writeExportText writes a small UTF-8 export for a test and returns its path.
func writeExportText(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// destinationsEnabled reads destinations.<name>.enabled of a config.
func destinationsEnabled(t *testing.T, text string) map[string]bool {
	t.Helper()
	var g struct {
		Destinations map[string]struct {
			Enabled bool `yaml:"enabled"`
		} `yaml:"destinations"`
	}
	if err := yaml.Unmarshal([]byte(text), &g); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, text)
	}
	out := map[string]bool{}
	for k, v := range g.Destinations {
		out[k] = v.Enabled
	}
	return out
}

// TestConfigInitWritesAMainlandClinicNothingEnabled: for an export whose
// phone numbers point to mainland China, config init writes every
// destination disabled, under a comment (no ASK) naming PIPL's Art. 29,
// 23, 39 and 38 and what enabling needs, and consent.pipl_separate_consents:
// false; a Hong Kong export (PIPL does not apply there) keeps Google on.
// Before: region CN changed phones, zone, currency and language only, and
// Google was written enabled.
func TestConfigInitWritesAMainlandClinicNothingEnabled(t *testing.T) {
	cn := writeExportText(t, "cn.csv", "预约编号,预约时间,状态,手机号,营销授权,gclid\n"+
		"A1,2026-11-20 10:00,已完成,13800138001,同意,\n"+
		"A2,2026-11-21 10:00,已完成,13800138002,同意,\n"+
		"A3,2026-11-22 10:00,已取消,13800138003,不同意,\n")
	r := runCLI(t, nil, "", "config", "init", "--from", cn)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if on := destinationsEnabled(t, r.stdout); on["google"] || on["meta"] || len(on) != 2 {
		t.Errorf("mainland destinations: %v, want every one disabled", on)
	}
	at, end := strings.Index(r.stdout, "\ndestinations:\n"), strings.Index(r.stdout, "\n  google:\n")
	if at < 0 || end < at {
		t.Fatalf("no destinations block:\n%s", r.stdout)
	}
	block := r.stdout[at:end]
	for _, want := range append([]string{"PIPL", "单独同意", piplKey + ": true"}, piplArticles...) {
		if !strings.Contains(block, want) {
			t.Errorf("the comment over destinations does not say %q:\n%s", want, block)
		}
	}
	if strings.Contains(block, ask) {
		t.Errorf("the PIPL comment is an open question:\n%s", block)
	}
	if !strings.Contains(r.stdout, "\n  pipl_separate_consents: false\n") {
		t.Errorf("consent.pipl_separate_consents is not written false:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, piplKey) {
		t.Errorf("the summary does not say why every destination is off:\n%s", r.stderr)
	}

	// The config as written does not run: nothing is enabled, and the
	// error says what enabling one needs.
	cfg := filepath.Join(t.TempDir(), "cn.yaml")
	os.WriteFile(cfg, []byte(r.stdout), 0o600)
	if v := runCLI(t, nil, "", "config", "validate", "--config", cfg); v.code != ExitUsage || !strings.Contains(v.stderr, "destinations") || !strings.Contains(v.stderr, piplKey) {
		t.Errorf("config validate of the mainland config as written: exit %d, want %d naming destinations and %s\n%s", v.code, ExitUsage, piplKey, v.stderr)
	}
	// Google enabled, the statement still false: validate and the dry-run
	// warn once, naming the key.
	on := strings.Replace(r.stdout, "  google:\n    enabled: false\n", "  google:\n    enabled: true\n", 1)
	os.WriteFile(cfg, []byte(on), 0o600)
	for name, args := range map[string][]string{
		"config validate": {"config", "validate", "--config", cfg},
		"dry-run":         {"upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "r.csv"), "--config", cfg, cn},
	} {
		v := runCLI(t, secretEnv, "", args...)
		if v.code != 0 || strings.Count(v.stderr, piplKey) != 1 {
			t.Errorf("%s with Google enabled: exit %d, want 0 and one warning naming %s\n%s", name, v.code, piplKey, v.stderr)
		}
	}

	hk := writeExportText(t, "hk.csv", "appointment_id,appointment_at,status,phone,ad_consent,gclid\n"+
		"H1,2026-11-20 10:00,completed,+852 9123 4561,yes,\n"+
		"H2,2026-11-21 10:00,completed,+852 9123 4562,yes,\n"+
		"H3,2026-11-22 10:00,cancelled,+852 9123 4563,no,\n")
	h := runCLI(t, nil, "", "config", "init", "--from", hk)
	if h.code != 0 || !strings.Contains(h.stdout, "\nregion: \"HK\"\n") {
		t.Fatalf("Hong Kong export: exit %d, want region HK\n%s%s", h.code, h.stdout, h.stderr)
	}
	if on := destinationsEnabled(t, h.stdout); !on["google"] {
		t.Errorf("Hong Kong destinations: %v, want google enabled (PIPL does not apply)", on)
	}
	if strings.Contains(h.stdout, "PIPL") || strings.Contains(h.stdout, "pipl_") || strings.Contains(h.stderr, "PIPL") {
		t.Errorf("a Hong Kong config speaks of PIPL:\n%s%s", h.stdout, h.stderr)
	}
}

// piplConfig is a mainland clinic's upload config against the fakes.
func piplConfig(t *testing.T, gURL, mURL, extra string) string {
	t.Helper()
	body := fmt.Sprintf(`timezone: Asia/Shanghai
region: CN
input:
  columns:
    order_id: id
    appointment_at: at
    status: status
    email: email
    phone: phone
    gclid: gclid
    consent: consent
consent:
  granted: [同意]
%sconversion:
  statuses: [已完成]
  value: fixed
  fixed_value: 1
  currency: CNY
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
`, extra, mURL, gURL)
	p := filepath.Join(t.TempDir(), "cn.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPIPLGateRefusesMainlandUploads: a mainland config (region CN) with a
// destination enabled uploads nothing, validates nothing for uploads and
// writes no platform file until consent.pipl_separate_consents is true —
// exit 2, naming the key and PIPL's Art. 29, 23, 39 and 38; a dry-run and
// a plain config validate run and warn once; with the statement the upload
// runs. Before: the same config uploaded to both platforms.
func TestPIPLGateRefusesMainlandUploads(t *testing.T) {
	export := writeExportText(t, "cn.csv", "id,at,status,email,phone,gclid,consent\n"+
		"C1,2026-11-20 10:00,已完成,zqpipl1@example.com,13800138001,"+testClickID(1)+",同意\n"+
		"C2,2026-11-21 10:00,已完成,zqpipl2@example.com,13800138002,"+testClickID(2)+",同意\n")
	env := googleEnv(t)
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	cfg := piplConfig(t, gURL, mURL, "")
	out := filepath.Join(t.TempDir(), "meta.csv")
	for name, args := range map[string][]string{
		"config validate --upload": {"config", "validate", "--upload", "--config", cfg},
		"upload":                   {"upload", "--config", cfg, export},
		"upload --validate":        {"upload", "--validate", "--config", cfg, export},
		"write":                    {"write", "--format", "meta-offline-csv", "--out", out, "--config", cfg, export},
	} {
		r := runGoogle(t, env, "", true, args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, piplKey) {
			t.Errorf("%s: exit %d, want %d naming %s\n%s", name, r.code, ExitUsage, piplKey, r.stderr)
		}
		for _, art := range piplArticles {
			if !strings.Contains(r.stderr, art) {
				t.Errorf("%s: the refusal does not name %s\n%s", name, art, r.stderr)
			}
		}
		if strings.Contains(r.stderr, "13800138001") || strings.Contains(r.stderr, "zqpipl") {
			t.Errorf("%s: the refusal holds a cell:\n%s", name, r.stderr)
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
		if r.code != 0 || strings.Count(r.stderr, piplKey) != 1 {
			t.Errorf("%s: exit %d, want 0 and one warning naming %s\n%s", name, r.code, piplKey, r.stderr)
		}
	}

	cfg = piplConfig(t, gURL, mURL, "  "+piplKey[len("consent."):]+": true\n")
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if r.code != 0 || len(g.Accepted()) != 2 || len(dm.Accepted()) != 2 {
		t.Fatalf("with the statement: exit %d, meta %d, google %d accepted\n%s", r.code, len(g.Accepted()), len(dm.Accepted()), r.stderr)
	}
	if strings.Contains(r.stderr, piplKey) {
		t.Errorf("with the statement the summary still warns:\n%s", r.stderr)
	}
}

// TestConfigInitSpeaksOfTaiwansNHIOnlyToTaiwan: the value comment names
// Taiwan's National Health Insurance (健保) in a Taiwanese config only.
// Before: every config said "NHI-covered (健保)", a US and a mainland
// clinic's included.
func TestConfigInitSpeaksOfTaiwansNHIOnlyToTaiwan(t *testing.T) {
	for file, want := range map[string]bool{"tw-his-big5.csv": true, "cn-clinic-gbk.csv": false, "open-dental-like.csv": false} {
		r := runCLI(t, nil, "", "config", "init", "--from", filepath.Join(root, "onboarding", file))
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", file, r.code, r.stderr)
		}
		if got := strings.Contains(r.stdout, "健保") || strings.Contains(r.stdout, "NHI"); got != want {
			t.Errorf("%s: speaks of Taiwan's NHI %v, want %v", file, got, want)
		}
	}
}

// TestConfigInitProposesTheAgeAndExpiryColumns: an export with a birth
// date and an authorization expiry gets input.columns.birth_date and
// consent_expires_at mapped (the birth date under no other key), and a
// commented consent.min_age; the dry-run of that config excludes the minor.
// Without such columns, commented lines say what is not judged. Before:
// neither key was written, whatever the export held.
func TestConfigInitProposesTheAgeAndExpiryColumns(t *testing.T) {
	for _, c := range []struct{ name, text, birth, expiry string }{
		{"us.csv", "appointment_id,appointment_at,status,phone,ad_consent,dob,authorization expires,gclid\n" +
			"U1,2026-11-20 10:00,completed,+1 415 555 0101,yes,1980-05-02,2027-05-01," + testClickID(1) + "\n" +
			"U2,2026-11-21 10:00,completed,+1 415 555 0102,yes,2010-01-09,2027-05-01," + testClickID(2) + "\n" +
			"U3,2026-11-22 10:00,cancelled,+1 415 555 0103,no,1975-03-03,2027-05-01," + testClickID(3) + "\n", "dob", "authorization expires"},
		{"tw.csv", "預約編號,預約時間,狀態,手機,行銷同意,生日,授權到期\n" +
			"T1,2026-11-20 10:00,已完成,0912-345-001,同意,1980/05/02,2027/05/01\n" +
			"T2,2026-11-21 10:00,已完成,0912-345-002,同意,2010/01/09,2027/05/01\n", "生日", "授權到期"},
		{"plain.csv", "appointment_id,appointment_at,status,phone,ad_consent\n" +
			"P1,2026-11-20 10:00,completed,+1 415 555 0101,yes\n", "", ""},
	} {
		export := writeExportText(t, c.name, c.text)
		r := runCLI(t, nil, "", "config", "init", "--from", export)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", c.name, r.code, r.stderr)
		}
		var g struct {
			Input struct {
				Columns map[string]any `yaml:"columns"`
			} `yaml:"input"`
		}
		if err := yaml.Unmarshal([]byte(r.stdout), &g); err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]string{"birth_date": c.birth, "consent_expires_at": c.expiry} {
			got, _ := g.Input.Columns[key].(string)
			if got != want {
				t.Errorf("%s: %s = %q, want %q", c.name, key, got, want)
			}
		}
		for key, v := range g.Input.Columns {
			if key != "birth_date" && c.birth != "" && strings.Contains(fmt.Sprint(v), c.birth) {
				t.Errorf("%s: the birth date %q is mapped as %s", c.name, c.birth, key)
			}
		}
		if got := strings.Contains(r.stdout, "\n  # min_age: 18\n"); got != (c.birth != "") {
			t.Errorf("%s: a commented consent.min_age %v, want %v", c.name, got, c.birth != "")
		}
		if c.birth == "" && (!strings.Contains(r.stdout, "# birth_date:") || !strings.Contains(r.stdout, "no age is judged") || !strings.Contains(r.stdout, "# consent_expires_at:")) {
			t.Errorf("%s: no commented birth_date and consent_expires_at lines:\n%s", c.name, r.stdout)
		}
		if c.name != "us.csv" {
			continue
		}
		cfg := filepath.Join(t.TempDir(), "us.yaml")
		os.WriteFile(cfg, []byte(r.stdout), 0o600)
		d := runCLI(t, map[string]string{"HASHGATE_TIMEZONE": "America/Los_Angeles", "HASHGATE_SECRET": goldenSecret}, "", "upload", "--dry-run", "--config", cfg, export)
		if d.code != 0 || !strings.Contains(d.stderr, "minor") || !strings.Contains(d.stderr, "1 used") {
			t.Errorf("dry-run of the generated config: exit %d, want the minor excluded and 1 used\n%s", d.code, d.stderr)
		}
	}
}
