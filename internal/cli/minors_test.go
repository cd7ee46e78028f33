package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The age and expiry rules (consent/patient.go) through the commands:
// check judges them as the upload does, and no output holds a birth date.

const minorsConfig = `timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: id
    appointment_at: at
    status: status
    email: email
    consent: consent
    birth_date: dob
    consent_expires_at: expires
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: none
destinations:
  google:
    enabled: false
  meta:
    enabled: true
    identifiers: [email]
`

// TestCheckJudgesAgeAndExpiryAsTheUploadDoes: a CI consent gate with an
// expect column meets the same minor, birth_date_invalid and
// consent_expired (at the visit, and at the run's clock: the test
// factory's 2026-11-23) as the upload's dry-run counts.
func TestCheckJudgesAgeAndExpiryAsTheUploadDoes(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "minors.yaml")
	fixture := filepath.Join(dir, "minors.csv")
	body := "id,at,status,email,consent,dob,expires,expect\n" +
		"M1,2026-11-02 09:30,completed,m1@example.com,yes,1990-05-08,,include\n" +
		"M2,2026-11-02 09:30,completed,m2@example.com,yes,2012-05-08,,exclude:minor\n" +
		"M3,2026-11-02 09:30,completed,m3@example.com,yes,097/11/02,,include\n" + // 18 that day (ROC)
		"M4,2026-11-02 09:30,completed,m4@example.com,yes,097/11/03,,exclude:minor\n" +
		"M5,2026-11-02 09:30,completed,m5@example.com,yes,1990-13-45,,exclude:birth_date_invalid\n" +
		"M6,2026-11-02 09:30,completed,m6@example.com,yes,,2026-10-01,exclude:consent_expired\n" + // before the visit
		"M7,2026-11-02 09:30,completed,m7@example.com,yes,,2026-11-20,exclude:consent_expired\n" + // before the send
		"M8,2026-11-02 09:30,completed,m8@example.com,yes,,2027-11-20,include\n"
	if err := os.WriteFile(cfg, []byte(minorsConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fixture, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "", "check", "--config", cfg, fixture)
	if r.code != ExitOK || !strings.Contains(r.stderr, "8 rows, 8 matched, 0 mismatched") {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, secretEnv, "", "upload", "--dry-run", "--json", "--out", filepath.Join(dir, "review.csv"), "--config", cfg, fixture)
	for _, want := range []string{`"minor":2`, `"birth_date_invalid":1`, `"consent_expired":2`} {
		if !strings.Contains(strings.ReplaceAll(r.stdout, " ", ""), want) {
			t.Errorf("dry-run summary lacks %s: exit %d\n%s%s", want, r.code, r.stdout, r.stderr)
		}
	}
}

// TestNoBirthDateLeaves plants birth dates in the canary export — adults'
// (sent), a minor's and an unreadable one (excluded) — and looks for them,
// as written and as digits, in everything a run writes: the dry-run's
// review CSV and its stdout, the --json and --report reports, stderr at
// debug level, the manual-upload files, the requests a real upload makes,
// and every file of the state directory (the ledger).
func TestNoBirthDateLeaves(t *testing.T) {
	dobs := []string{"1961-07-23", "052/08/19", "19720304", "2015-06-30", "民國48年12月05日", "1959-14-31"}
	cs := []string{"1961-07-23", "19610723", "0520819", "052/08/19", "19630819", "1963-08-19", "19720304", "1972-03-04",
		"2015-06-30", "20150630", "1959-14-31", "19591431", "民國48年12月05日", "19591205", "1959-12-05", "0481205"}
	lines := strings.SplitAfter(strings.TrimSuffix(mustRead(t, root+"/canary/export.csv"), "\n"), "\n")
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(lines[0], "\n") + ",dob\n")
	for i, l := range lines[1:] {
		b.WriteString(strings.TrimSuffix(l, "\n") + "," + dobs[i%len(dobs)] + "\n")
	}
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(export, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	base := mustReplace(t, mustRead(t, root+"/canary/config.yaml"), "    consent_at: agreed_on\n", "    consent_at: agreed_on\n    birth_date: dob\n")
	at := strings.Index(base, "destinations:")
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	cfg := strings.Replace(base[:at], "conversion:\n", "conversion:\n  value: actual\n", 1) + fmt.Sprintf(`privacy:
  allow_actual_value: true
destinations:
  google:
    enabled: true
    identifiers: [email, phone]
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
    conversion_name: Visit  # google-ads-csv's: without it the write made no file, unseen
  meta:
    enabled: true
    identifiers: [email, phone, first_name, last_name]
    graph_url: %s
    dataset_id: "998877"
`, gURL, mURL)
	cfgPath := filepath.Join(dir, "canary.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := uploadEnv(t)
	var outputs []string
	look := func(name string, args ...string) result {
		t.Helper()
		r := runGoogle(t, env, "", true, append([]string{"--log-level", "debug"}, args...)...)
		outputs = append(outputs, name+"\n"+r.stdout+r.stderr)
		return r
	}
	review, report := filepath.Join(dir, "review.csv"), filepath.Join(dir, "report.json")
	if r := look("dry-run", "upload", "--dry-run", "--json", "--config", cfgPath, "--out", review, export); r.code != 0 && r.code != 3 {
		t.Fatalf("dry-run: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(outputs[0], "minor") || !strings.Contains(outputs[0], "birth_date_invalid") {
		t.Errorf("the dry-run counts no minor or unreadable birth date:\n%s", outputs[0])
	}
	files := map[string]string{"review CSV": review}
	for _, format := range []string{"google-ads-csv", "meta-offline-csv"} {
		out := filepath.Join(dir, format+".csv")
		if r := look("write "+format, "write", "--format", format, "--config", cfgPath, "--out", out, export); r.code != 0 {
			t.Errorf("write %s: exit %d\n%s", format, r.code, r.stderr)
		}
		files["write "+format] = out
	}
	if r := look("upload", "upload", "--config", cfgPath, "--backfill", "--json", "--report", report, export); len(dm.Accepted()) == 0 || len(g.Accepted()) == 0 {
		t.Fatalf("exit %d: the canary must reach both platforms\n%s", r.code, r.stderr)
	}
	files["--report"] = report
	look("ledger list", "ledger", "list", "--config", cfgPath)
	for _, o := range outputs {
		assertNoCanary(t, "output of "+strings.SplitN(o, "\n", 2)[0], o, cs)
	}
	// Every file it means to look in must be there: a write that made no
	// file was passed unseen.
	for name, p := range files {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		assertNoCanary(t, name, string(got), cs)
	}
	for i, req := range append(dm.Sent(), g.Sent()...) {
		assertNoCanary(t, fmt.Sprintf("request %d", i), req, cs)
	}
	states := 0
	err := filepath.WalkDir(env["XDG_STATE_HOME"], func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		states++
		assertNoCanary(t, "state file "+p, mustRead(t, p), cs)
		return nil
	})
	if err != nil || states < 2 {
		t.Fatalf("state directory: %d files, %v", states, err)
	}
}
