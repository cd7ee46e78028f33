package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// clinicGuardConfig is clinic B's config for both platforms' fakes, with
// the clinic guard on: input.columns.clinic and input.clinic_values.
func clinicGuardConfig(t *testing.T, gURL, mURL, input string) string {
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
    first_name: first
    last_name: last
    consent: consent
    patient_key: chart
    clinic: 分院
%s
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: fixed
  fixed_value: 1000
  currency: TWD
destinations:
  google:
    enabled: true
    identifiers: [email, phone]
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
    conversion_name: Visit
  meta:
    enabled: true
    identifiers: [email, phone, first_name, last_name]
    graph_url: %s
    dataset_id: "998877"
`, input, gURL, mURL)
	p := filepath.Join(t.TempDir(), "clinic-b.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// clinicExport writes n rows of the given clinic (its cell as written),
// visits in the days before fixedNow (on day, in November, when it is
// not 0); the row with chart "P7" says consent "revoked" when revoke is
// set.
func clinicExport(t *testing.T, clinic, prefix string, n int, revoke bool, day int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent,chart,分院\n")
	for i := range n {
		consent := "yes"
		if revoke && i == 7 {
			consent = "revoked"
		}
		d := day
		if d == 0 {
			d = 18 + i%5
		}
		fmt.Fprintf(&b, "%s%03d,2026-11-%02d 10:00,completed,zq%s%d@example.com,0912-%03d-%03d,Zqfirst%d,Zqlast%d,%s,P%d,%s\n",
			prefix, i, d, strings.ToLower(prefix), i, i, 500+i, i, i, consent, i, clinic)
	}
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAnotherClinicsExportReachesNoPlatform: clinic A's daily export,
// dropped in clinic B's folder, run by B's cron line under B's config
// with the clinic guard on (input.columns.clinic, input.clinic_values),
// stops before anything is sent: exit 2, zero requests to either fake,
// the first foreign cell named by file:line:column and the rows counted,
// no cell's value said anywhere; a dry-run and `write` stop the same way
// and write nothing; and the withdrawal A's export carries is not
// remembered by B's ledger (it is another business's patient P7: B's own
// P7 is still sent the next night). Before the guard, A's patients went
// to B's Google account and Meta dataset with exit 0 (a review,
// 2026-12-07, D1).
func TestAnotherClinicsExportReachesNoPlatform(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := clinicGuardConfig(t, gURL, mURL, "  clinic_values: [台北分院]")
	run := func(args ...string) result {
		t.Helper()
		return runGoogle(t, env, "", true, args...)
	}
	// Night 1: B's own export is sent — the fakes count requests.
	own := clinicExport(t, "台北分院", "B", 5, false, 0)
	if r := run("upload", "--config", cfg, own); r.code != 0 || dm.Requests() == 0 || g.Requests() == 0 {
		t.Fatalf("B's own export: exit %d, google %d, meta %d requests\n%s", r.code, dm.Requests(), g.Requests(), r.stderr)
	}
	gReq, gStatus, mReq := dm.Requests(), dm.StatusReads(), g.Requests()
	// Night 2: A's yesterday-only export, whose cells name A's branch:
	// its visits are newer than anything B sent, so the new-ids safety
	// net has nothing to compare them with.
	foreign := clinicExport(t, "ZqBanqiaoBranch", "A", 20, true, 23)
	r := run("upload", "--config", cfg, foreign)
	if r.code != 2 {
		t.Fatalf("A's export under B's config: exit %d, want 2\n%s%s", r.code, r.stdout, r.stderr)
	}
	if sends := dm.Requests() - gReq - (dm.StatusReads() - gStatus); sends != 0 || g.Requests() != mReq {
		t.Fatalf("stopped, yet made %d google requests besides status reads and %d meta requests", sends, g.Requests()-mReq)
	}
	for _, want := range []string{"export.csv:2:", "20 of the 20 rows", "nothing was sent", "input.other_clinic_rows: exclude"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop lacks %q:\n%s", want, r.stderr)
		}
	}
	outputs := []string{r.stdout + r.stderr}
	// A dry-run and write judge it as the upload does.
	dry := run("upload", "--dry-run", "--config", cfg, foreign)
	out := filepath.Join(t.TempDir(), "google.csv")
	wr := run("write", "--format", "google-ads-csv", "--out", out, "--config", cfg, foreign)
	// check judges a fixture of A's rows as the upload does.
	fixture := filepath.Join(t.TempDir(), "fixture.csv")
	lines := strings.Split(strings.TrimSpace(mustRead(t, foreign)), "\n")
	for i := range lines {
		lines[i] += map[bool]string{true: ",expect", false: ",google:include;meta:include"}[i == 0]
	}
	if err := os.WriteFile(fixture, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	chk := run("check", "--config", cfg, fixture)
	for name, x := range map[string]result{"dry-run": dry, "write": wr, "check": chk} {
		if x.code != 2 || !strings.Contains(x.stderr, "20 of the 20 rows") {
			t.Errorf("%s: exit %d, want the clinic stop\n%s", name, x.code, x.stderr)
		}
		outputs = append(outputs, x.stdout+x.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("write stopped, yet left its file")
	}
	for i, o := range outputs {
		for _, cell := range []string{"zqbanqiaobranch", "zqa", "zqfirst", "0912"} {
			if strings.Contains(strings.ToLower(o), cell) {
				t.Errorf("output %d holds a cell (%q):\n%s", i, cell, o)
			}
		}
	}
	// Night 3: B's own patient P7 visits (today, after what night 1
	// sent: no new-ids stop); A's revoking P7 was not remembered, so
	// B's visit is sent.
	before := dm.Accepted()
	again := clinicExport(t, "台北分院", "C", 8, false, 23)
	if r := run("upload", "--config", cfg, again); r.code != 0 {
		t.Fatalf("night 3: exit %d\n%s", r.code, r.stderr)
	}
	if n := len(dm.Accepted()) - len(before); n != 8 {
		t.Errorf("night 3 sent %d of B's 8 visits to Google: A's withdrawal was remembered under B's ledger", n)
	}
}
