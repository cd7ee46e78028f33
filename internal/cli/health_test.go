package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/platform"
)

// healthConfig is a clinic config for both platforms with a gclid column;
// googleBlock is what it says under destinations.google beyond the
// account settings (identifiers, or nothing: the built-in default).
func healthConfig(t *testing.T, gURL, mURL, googleBlock string) string {
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
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: fixed
  fixed_value: 1000
  currency: TWD
destinations:
  meta:
    enabled: true
    graph_url: %s
    dataset_id: "998877"
  google:
    enabled: true
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
%s`, mURL, gURL, googleBlock)
	p := filepath.Join(t.TempDir(), "clinic.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// healthExport writes n consented visits of the last few days (inside
// Meta's first-upload window); every third carries a gclid.
func healthExport(t *testing.T, n int) (path string, withClick int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,gclid,consent\n")
	for i := 0; i < n; i++ {
		gclid := ""
		if i%3 == 0 {
			gclid = testClickID(i)
			withClick++
		}
		fmt.Fprintf(&b, "V%05d,2026-11-%02d 10:00,completed,zqpatient%d@example.com,0912-%03d-%03d,%s,yes\n", i, 18+i%5, i, i%1000, i/1000, gclid)
	}
	path = filepath.Join(t.TempDir(), "visits.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, withClick
}

// googleEvents decodes every event the Data Manager fake received.
func googleEvents(t *testing.T, dm *destinationtest.DataManager) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, b := range dm.Bodies() {
		var req struct{ Events []map[string]any }
		if err := json.Unmarshal(b, &req); err != nil {
			t.Fatal(err)
		}
		out = append(out, req.Events...)
	}
	return out
}

// TestGoogleDefaultSendsClickIDsOnly: a config that never set
// destinations.google.identifiers sends Google no userData — click ids
// alone, outside Google's customer data policy on enhanced conversions —
// excludes the rows without one from Google as no_click_id (counted, not
// quarantined, exit 0), says so once, and still sends Meta every visit.
func TestGoogleDefaultSendsClickIDsOnly(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	in, withClick := healthExport(t, 30)
	r := runGoogle(t, googleEnv(t), "", true, "upload", "--json", "--config", healthConfig(t, gURL, mURL, ""), in)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	evs := googleEvents(t, dm)
	if len(evs) != withClick || len(dm.Accepted()) != withClick || len(g.Accepted()) != 30 {
		t.Fatalf("google %d events (%d accepted), meta %d; want %d and 30", len(evs), len(dm.Accepted()), len(g.Accepted()), withClick)
	}
	for _, ev := range evs {
		if _, has := ev["userData"]; has {
			t.Fatalf("google event carries userData: %v", ev["userData"])
		}
		if ad, _ := ev["adIdentifiers"].(map[string]any); ad["gclid"] == "" || ad["gclid"] == nil {
			t.Fatalf("google event without its gclid: %v", ev)
		}
	}
	var rep struct {
		ExitCode int                       `json:"exit_code"`
		NotSent  map[string]map[string]int `json:"not_sent_to"`
		Notices  []string                  `json:"notices"`
		Dests    []struct {
			Destination string         `json:"destination"`
			Quarantined map[string]int `json:"quarantined"`
		} `json:"destinations"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if rep.ExitCode != 0 || rep.NotSent["google"]["no_click_id"] != 30-withClick {
		t.Errorf("report: exit %d, not sent to %v", rep.ExitCode, rep.NotSent)
	}
	for _, d := range rep.Dests {
		if len(d.Quarantined) != 0 {
			t.Errorf("%s quarantined %v: a row without a click id is not a conversion for Google", d.Destination, d.Quarantined)
		}
	}
	// Meta is enabled: its health note follows Google's line.
	if len(rep.Notices) != 2 || rep.Notices[0] != platform.GoogleClickIDsOnlyNote || rep.Notices[1] != platform.MetaHealthNote {
		t.Errorf("notices %q", rep.Notices)
	}

	// The human summary says it once, and counts the exclusion.
	dm2, gURL2 := googleFake(t, nil)
	_, mURL2 := metaFake(t, nil)
	h := runGoogle(t, googleEnv(t), "", true, "upload", "--config", healthConfig(t, gURL2, mURL2, ""), in)
	if h.code != 0 || strings.Count(h.stderr, platform.GoogleClickIDsOnlyNote) != 1 || len(dm2.Accepted()) != withClick {
		t.Fatalf("exit %d\n%s", h.code, h.stderr)
	}
	if !strings.Contains(h.stderr, fmt.Sprintf("not sent to google:\n    no_click_id %d", 30-withClick)) {
		t.Errorf("summary does not count no_click_id:\n%s", h.stderr)
	}
}

// TestGoogleIdentifiersChosenExplicitly: `identifiers: []` is the same
// behaviour without the once-per-run line; listing email and phone sends
// hashed userData and makes config validate and every summary quote the
// policy.
func TestGoogleIdentifiersChosenExplicitly(t *testing.T) {
	in, withClick := healthExport(t, 12)

	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	r := runGoogle(t, googleEnv(t), "", true, "upload", "--config", healthConfig(t, gURL, mURL, "    identifiers: []\n"), in)
	if r.code != 0 || len(dm.Accepted()) != withClick {
		t.Fatalf("identifiers []: exit %d, %d accepted\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if strings.Contains(r.stderr, "Google: ") {
		t.Errorf("a config that chose click ids gets no notice:\n%s", r.stderr)
	}

	dm, gURL = googleFake(t, nil)
	_, mURL = metaFake(t, nil)
	cfg := healthConfig(t, gURL, mURL, "    identifiers: [email, phone]\n")
	r = runGoogle(t, googleEnv(t), "", true, "upload", "--config", cfg, in)
	if r.code != 0 || len(dm.Accepted()) != 12 {
		t.Fatalf("identifiers listed: exit %d, %d accepted\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	for _, ev := range googleEvents(t, dm) {
		if ud, _ := ev["userData"].(map[string]any); len(ud) == 0 {
			t.Fatalf("listed identifiers not sent: %v", ev)
		}
	}
	for name, out := range map[string]string{
		"upload summary":  r.stderr,
		"config validate": runCLI(t, uploadEnv(t), "", "config", "validate", "--config", cfg).stderr,
		"dry-run":         runCLI(t, uploadEnv(t), "", "upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "r.csv"), "--config", cfg, in).stderr,
	} {
		if strings.Count(out, platform.GooglePolicyURL) != 1 || !strings.Contains(out, "purchases of medical services") ||
			!strings.Contains(out, "destinations.google.identifiers") {
			t.Errorf("%s does not quote the policy once:\n%s", name, out)
		}
	}
}

// TestGooglePolicyErrorNamesTheKey: when Google refuses enhanced
// conversions under its data policy, the stop says to send click ids only
// and names destinations.google.identifiers.
func TestGooglePolicyErrorNamesTheKey(t *testing.T) {
	dm, gURL := googleFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		destinationtest.RequestLevel(w, "INVALID_ARGUMENT", "DESTINATION_ACCOUNT_DATA_POLICY_PROHIBITS_ENHANCED_CONVERSIONS", "destinations[0]")
		return true
	})
	_, mURL := metaFake(t, nil)
	in, _ := healthExport(t, 9)
	r := runGoogle(t, googleEnv(t), "", true, "upload", "--config", healthConfig(t, gURL, mURL, "    identifiers: [email, phone]\n"), in)
	if r.code != ExitFailure || dm.Requests() != 1 {
		t.Fatalf("exit %d after %d requests\n%s", r.code, dm.Requests(), r.stderr)
	}
	for _, s := range []string{"DESTINATION_ACCOUNT_DATA_POLICY_PROHIBITS_ENHANCED_CONVERSIONS", "click ids only", "destinations.google.identifiers: []"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("summary does not say %q:\n%s", s, r.stderr)
		}
	}
}

// TestAdPersonalizationIsAcceptedIgnoredAndWarned: an old config naming
// input.columns.ad_personalization (a column the export need not even
// have) and destinations.google.ad_personalization still loads and runs;
// Google's events carry adUserData only, and config validate and the
// summary say once each that the key is ignored.
func TestAdPersonalizationIsAcceptedIgnoredAndWarned(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	in, withClick := healthExport(t, 9)
	cfg := healthConfig(t, gURL, mURL, "    identifiers: []\n    ad_personalization: granted\n")
	body := strings.Replace(mustRead(t, cfg), "    consent: consent\n", "    consent: consent\n    ad_personalization: ad_consent\n", 1)
	os.WriteFile(cfg, []byte(body), 0o600)

	r := runGoogle(t, googleEnv(t), "", true, "upload", "--config", cfg, in)
	if r.code != 0 || len(dm.Accepted()) != withClick {
		t.Fatalf("exit %d, %d accepted\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	for _, ev := range googleEvents(t, dm) {
		c, _ := ev["consent"].(map[string]any)
		if _, has := c["adPersonalization"]; has || c["adUserData"] != "CONSENT_GRANTED" {
			t.Fatalf("consent %v: want adUserData only", c)
		}
	}
	v := runCLI(t, uploadEnv(t), "", "config", "validate", "--config", cfg)
	for name, out := range map[string]string{"upload summary": r.stderr, "config validate": v.stderr} {
		for _, key := range []string{"input.columns.ad_personalization", "destinations.google.ad_personalization"} {
			if want := fmt.Sprintf(platform.GoogleAdPersonalizationNote, key); strings.Count(out, want) != 1 {
				t.Errorf("%s does not say once that %s is ignored:\n%s", name, key, out)
			}
		}
	}
}
