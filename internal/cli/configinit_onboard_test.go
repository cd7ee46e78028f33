package cli

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The findings of a review that ran sixteen vendors' exports through config
// init (2026-12-06): opt-out columns proposed as the consent, any yes/no
// column taken as the consent by its values (which one depended on column
// order), a column empty in every row proposed as the order id.

// writeExport writes rows as a UTF-8 CSV export in a temporary directory.
func writeExport(t *testing.T, rows [][]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// permuteColumns reorders every row's cells by perm.
func permuteColumns(recs [][]string, perm []int) [][]string {
	out := make([][]string, len(recs))
	for r, rec := range recs {
		out[r] = make([]string, len(perm))
		for i, p := range perm {
			if p < len(rec) {
				out[r][i] = rec[p]
			}
		}
	}
	return out
}

// TestConsentIgnoresColumnOrder is metamorphic: on every layout of the
// corpus, the column config init proposes as the consent is the one
// expected.yaml names (or none), whatever the order of the columns —
// reversed, rotated or shuffled. With two yes/no columns and no consent
// header, the first one used to become the consent.
func TestConsentIgnoresColumnOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(28, 33))
	for _, l := range loadLayouts(t) {
		want, _ := l.spec.Columns["consent"].(string)
		recs := l.cells(t)
		n := len(recs[0])
		perms := [][]int{}
		rev := make([]int, n)
		for i := range rev {
			rev[i] = n - 1 - i
		}
		perms = append(perms, rev)
		for _, k := range []int{1, n / 2, n - 1} {
			rot := make([]int, n)
			for i := range rot {
				rot[i] = (i + k) % n
			}
			perms = append(perms, rot)
		}
		perms = append(perms, rng.Perm(n), rng.Perm(n))
		for _, perm := range perms {
			export := writeExport(t, permuteColumns(recs, perm))
			r := runCLI(t, nil, "", "config", "init", "--from", export)
			if r.code != 0 {
				t.Fatalf("%s: exit %d: %s", l.name, r.code, r.stderr)
			}
			if got := parseGenerated(t, r.stdout).Input.Columns.Consent; got != want {
				t.Errorf("%s with columns in the order %v: consent %q, want %q", l.name, perm, got, want)
			}
		}
	}
}

// TestConfigInitOptOutIsNoConsent: a column of opt-outs (unsubscribed, do
// not contact) is never proposed as the consent, in English, 繁體 or 简体:
// its "yes" means the patient said no. The config and the summary say so.
func TestConfigInitOptOutIsNoConsent(t *testing.T) {
	for _, h := range []string{"Unsubscribed", "Email Unsubscribed", "Mass Email Unsubscribed", "Opt Out", "Do Not Contact",
		"DNC", "No Marketing", "拒收營銷", "退订", "营销退订",
		// A consent refused or withdrawn (a review of the day's diff found
		// each proposed as the consent, "是" granted: the refusers sent).
		"不同意行銷", "不同意廣告", "未同意廣告", "撤回同意", "撤銷同意", "取消同意", "Consent declined", "Refused consent",
		"Consent withdrawn", "Consent revoked", "No consent", "Not consented"} {
		rows := [][]string{{"Appointment ID", "Appointment Time", "Email", "Status", h}}
		for i := range 6 {
			rows = append(rows, []string{"A" + string(rune('1'+i)), "2026-11-0" + string(rune('2'+i)) + " 09:30",
				"canary.opt" + string(rune('a'+i)) + "@example.com", "Completed", []string{"Yes", "No"}[i%2]})
		}
		r := runCLI(t, nil, "", "config", "init", "--from", writeExport(t, rows))
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", h, r.code, r.stderr)
		}
		g := parseGenerated(t, r.stdout)
		if g.Input.Columns.Consent != "" || len(g.Consent.Granted) > 0 {
			t.Errorf("%q proposed as the consent (granted %q):\n%s", h, g.Consent.Granted, r.stdout)
		}
		note := `"` + h + `" — an opt-out`
		if !strings.Contains(r.stdout, note) {
			t.Errorf("%q: the config does not say it is an opt-out (want %q):\n%s", h, note, r.stdout)
		}
		if !strings.Contains(r.stderr, "to answer: input.columns.consent") || !strings.Contains(r.stderr, `"`+h+`" is an opt-out`) {
			t.Errorf("%q: the summary does not say it is an opt-out:\n%s", h, r.stderr)
		}
	}
}

// TestConfigInitListsConsentCandidates: yes/no columns whose header names
// no ad consent are not mapped; those naming nothing else would be listed
// under the consent's ASK, but 是否初诊 (a first visit) and 是否已发送提醒 (a
// reminder sent) name something else, which every run refuses as the
// consent (TestAnOlderInitsConsentMappingStopsAfterTheUpgrade), so they
// are not offered; the summary still asks for the consent.
func TestConfigInitListsConsentCandidates(t *testing.T) {
	export := filepath.Join(root, "exports", "31-cn-first-visit-flag", "export.csv")
	r := runCLI(t, nil, "", "config", "init", "--from", export)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if c := parseGenerated(t, r.stdout).Input.Columns.Consent; c != "" {
		t.Errorf("consent %q proposed from values alone", c)
	}
	consentAt := strings.Index(r.stdout, "    consent: \"\"")
	if consentAt < 0 {
		t.Fatalf("no empty consent line:\n%s", r.stdout)
	}
	above := r.stdout[:consentAt]
	above = above[strings.LastIndex(above, "consent to ad measurement"):]
	for _, h := range []string{"是否初诊", "是否已发送提醒"} {
		if strings.Contains(above, `"`+h+`"`) {
			t.Errorf("%q, which every run refuses as the consent, is offered under the consent's ASK:\n%s", h, above)
		}
	}
	if !strings.Contains(r.stderr, "to answer: input.columns.consent") {
		t.Errorf("the summary does not ask for the consent:\n%s", r.stderr)
	}
	// A yes/no column whose header names nothing else is listed: the
	// person may mean it (是否VIP names no consent, and nothing else).
	text, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(text), "\n")
	for i, l := range lines {
		if l == "" {
			continue
		}
		l = strings.TrimRight(l, "\r\n")
		add := ",是否VIP"
		if i > 0 {
			add = []string{",是", ",否"}[i%2]
		}
		lines[i] = l + add + "\n"
	}
	neutral := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(neutral, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, nil, "", "config", "init", "--from", neutral)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if at := strings.Index(r.stdout, "    consent: \"\""); at < 0 || !strings.Contains(r.stdout[:at], `"是否VIP"`) {
		t.Errorf("the neutral yes/no column is not listed under the consent's ASK:\n%s", r.stdout)
	}
}

// TestConfigInitAsksForStatus: without a status column every row counts as
// a visit; the summary says so, not only a comment in the file.
func TestConfigInitAsksForStatus(t *testing.T) {
	export := filepath.Join(root, "exports", "30-calendly-scheduled-events", "export.csv")
	r := runCLI(t, nil, "", "config", "init", "--from", export)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "to answer: input.columns.status (no column recognised: every row counts as a visit") {
		t.Errorf("the summary does not ask for the status:\n%s", r.stderr)
	}
}

// TestConfigInitSaysEmptyColumns: a column empty in every row is proposed
// for nothing, and the config says why it was left (Square's Reference
// ID).
func TestConfigInitSaysEmptyColumns(t *testing.T) {
	export := filepath.Join(root, "exports", "28-square-customers-unsubscribed", "export.csv")
	r := runCLI(t, nil, "", "config", "init", "--from", export)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if ids := parseGenerated(t, r.stdout).Input.Columns.OrderID; len(ids) > 0 {
		t.Errorf("order_id %q proposed from an empty column", ids)
	}
	if !strings.Contains(r.stdout, `"Reference ID" — empty in every row`) {
		t.Errorf("the config does not say Reference ID is empty:\n%s", r.stdout)
	}
}

// TestConfigInitAsksForRegionAndCurrency: an export whose phones point to
// no country leaves region and conversion.currency as ASK lines in the
// file; the summary said nothing of them, and the first config validate
// failed on conversion.currency (a vendors' review). An export whose
// phones point to Taiwan is asked neither.
func TestConfigInitAsksForRegionAndCurrency(t *testing.T) {
	for _, c := range []struct {
		layout string
		asked  bool
	}{{"29-dentally-api-appointments", true}, {"16-tw-his-roc-datetime", false}} {
		export := filepath.Join(root, "exports", c.layout, "export.csv")
		r := runCLI(t, nil, "", "config", "init", "--from", export)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", c.layout, r.code, r.stderr)
		}
		for _, q := range []string{"region (no phone number points to a country", "conversion.currency (the ISO 4217 code"} {
			if got := strings.Contains(r.stderr, q); got != c.asked {
				t.Errorf("%s: asks %q: %v, want %v\n%s", c.layout, q, got, c.asked, r.stderr)
			}
		}
	}
}

// TestConfigInitPrivacyConsentIsNoAdConsent: a privacy notice's or terms'
// consent (隱私同意, 个人信息授权, Privacy consent) is signed by every
// patient: mapped as the ad consent it would send every visit (a review of
// the day's diff). None is proposed.
func TestConfigInitPrivacyConsentIsNoAdConsent(t *testing.T) {
	for _, h := range []string{"隱私同意", "隱私權同意", "個資同意", "個人資料同意", "个人信息授权", "Privacy consent", "Terms consent"} {
		rows := [][]string{{"Appointment ID", "Appointment Time", "Email", "Status", h}}
		for i := range 6 {
			rows = append(rows, []string{"A" + string(rune('1'+i)), "2026-11-0" + string(rune('2'+i)) + " 09:30",
				"canary.priv" + string(rune('a'+i)) + "@example.com", "Completed", "Yes"})
		}
		r := runCLI(t, nil, "", "config", "init", "--from", writeExport(t, rows))
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", h, r.code, r.stderr)
		}
		if g := parseGenerated(t, r.stdout); g.Input.Columns.Consent != "" {
			t.Errorf("%q proposed as the ad consent:\n%s", h, r.stdout)
		}
	}
}

// TestConfigInitReadsCanadaFromItsAreaCodes: +1 is shared by the United
// States, Canada and the Caribbean; Toronto numbers gave region US and
// currency USD with nothing asked (a review of the day's diff). The area
// code says which country, written with a country code or without.
func TestConfigInitReadsCanadaFromItsAreaCodes(t *testing.T) {
	for _, phone := range []string{"+1 416 555 01%02d", "(647) 555-01%02d"} {
		rows := [][]string{{"Appointment ID", "Appointment Time", "Phone", "Status", "Ad Consent"}}
		for i := range 6 {
			rows = append(rows, []string{"A" + string(rune('1'+i)), "2026-11-0" + string(rune('2'+i)) + " 09:30",
				fmt.Sprintf(phone, i), "Completed", "Yes"})
		}
		r := runCLI(t, nil, "", "config", "init", "--from", writeExport(t, rows))
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", phone, r.code, r.stderr)
		}
		g := parseGenerated(t, r.stdout)
		if g.Region != "CA" || g.Conversion.Currency != "CAD" {
			t.Errorf("%s: region %q, currency %q; want CA, CAD", phone, g.Region, g.Conversion.Currency)
		}
	}
	// No phone pointing to a country: region is an ASK line in the file,
	// as the summary asks for it.
	r := runCLI(t, nil, "", "config", "init", "--from", filepath.Join(root, "exports", "29-dentally-api-appointments", "export.csv"))
	if !strings.Contains(r.stdout, `region: "<ASK>"  # ASK:`) {
		t.Errorf("region is no ASK line:\n%s", r.stdout)
	}
}

// TestATimeColumnOfRangesIsTheTime: a time column whose cells are no clock
// time hashgate reads ("09:00-09:30", "9am"), beside a column of dates,
// was taken for the appointment's date-time and the date column dropped:
// no input.time_formats could then read it (a review of the day's diff).
// It is the appointment's time; the date stays.
func TestATimeColumnOfRangesIsTheTime(t *testing.T) {
	for _, slot := range []string{"09:0%d-09:30", "%dam"} {
		rows := [][]string{{"Appointment ID", "Appointment Date", "Appointment Time", "Email", "Status", "Ad Consent"}}
		for i := 1; i <= 6; i++ {
			rows = append(rows, []string{fmt.Sprintf("A%d", i), fmt.Sprintf("2026-11-0%d", i), fmt.Sprintf(slot, i),
				fmt.Sprintf("canary.slot%d@example.com", i), "Completed", "Yes"})
		}
		r := runCLI(t, nil, "", "config", "init", "--from", writeExport(t, rows))
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", slot, r.code, r.stderr)
		}
		for _, want := range []string{`appointment_date: "Appointment Date"`, `appointment_time: "Appointment Time"`} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s: no %s:\n%s", slot, want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, `appointment_at: "Appointment Time"`) {
			t.Errorf("%s: the time column taken for the date-time", slot)
		}
	}
}
