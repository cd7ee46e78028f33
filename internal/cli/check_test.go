package cli

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
)

func TestCheckPassingFixtures(t *testing.T) {
	r := runCLI(t, nil, "", "check", "--config", "../../configs/example.yaml", root+"/consent/example.csv")
	if r.code != ExitOK || r.stdout != "" {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "24 rows, 24 matched, 0 mismatched") {
		t.Errorf("summary: %s", r.stderr)
	}
	r = runCLI(t, nil, "", "check", "--config", root+"/consent/split.yaml", root+"/consent/split.csv")
	if r.code != ExitOK {
		t.Fatalf("per-destination fixture: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestCheckCatchesALoosenedGate is the point of check: a config change that
// lets more rows through fails, naming the line.
func TestCheckCatchesALoosenedGate(t *testing.T) {
	base := mustRead(t, "../../configs/example.yaml")
	// Granting 同意 lets C016 through. (A word that says no — "yes - sms
	// only", "revoked" — is refused at config load: TestGrantedWordsThatSayNo.)
	loose := mustReplace(t, base, `granted: ["yes", "y", "true", "1"]`, `granted: ["yes", "y", "true", "1", "同意"]`)
	if loose == base {
		t.Fatal("example config changed shape; update this test")
	}
	p := filepath.Join(t.TempDir(), "loose.yaml")
	os.WriteFile(p, []byte(loose), 0o600)
	r := runCLI(t, nil, "", "check", "--config", p, root+"/consent/example.csv")
	if r.code != ExitMismatch {
		t.Fatalf("exit %d, want 5\n%s%s", r.code, r.stdout, r.stderr)
	}
	want := root + "/consent/example.csv:17: expected google:exclude:consent_not_granted;meta:exclude:consent_not_granted, got google:exclude:no_click_id;meta:include\n"
	if r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", r.stdout, want)
	}
}

// TestCheckWrongExpectationAndBadCells: cells outside the grammar make the
// fixture wrong (exit 2, each named) — but a mismatch beside them is a
// gate that changed, and exits 5 with everything printed: CI that alerts
// on 5 must not see it hidden behind a typo.
func TestCheckWrongExpectationAndBadCells(t *testing.T) {
	dir := t.TempDir()
	body := mustRead(t, root+"/consent/split.csv")
	withBad := mustReplace(t, body, "S6,2026-11-02 09:30,completed,s6@example.com,yes,yes,google:include;meta:include",
		"S6,2026-11-02 09:30,completed,s6@example.com,yes,yes,zqcanary-expect@example.com")
	withBad += "S7,2026-11-02 09:30,completed,s7@example.com,yes,yes,exclude:zq_made_up_reason\n"
	p := filepath.Join(dir, "split.csv")
	os.WriteFile(p, []byte(withBad), 0o600)
	r := runCLI(t, nil, "", "check", "--config", root+"/consent/split.yaml", p)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "2 expect cell(s) check cannot judge — outside the grammar") {
		t.Fatalf("bad cells alone: exit %d, want 2 naming the bad cells\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], p+":7: expect cell is not") || !strings.HasPrefix(lines[1], p+":8: expect cell is not") {
		t.Errorf("bad cells: %q", lines)
	}
	mismatched := mustReplace(t, withBad, "S2,2026-11-02 09:30,completed,s2@example.com,yes,no,google:include;meta:exclude:consent_denied",
		"S2,2026-11-02 09:30,completed,s2@example.com,yes,no,google:include;meta:include")
	os.WriteFile(p, []byte(mismatched), 0o600)
	r = runCLI(t, nil, "", "check", "--config", root+"/consent/split.yaml", p)
	if r.code != ExitMismatch || !strings.Contains(r.stderr, "1 row(s) mismatched; also: 2 expect cell(s) outside the grammar") {
		t.Fatalf("a mismatch beside bad cells: exit %d, want 5 naming both\n%s", r.code, r.stderr)
	}
	lines = strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || lines[0] != p+":3: expected google:include;meta:include, got google:include;meta:exclude:consent_denied" {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	for _, canary := range []string{"zqcanary", "zq_made_up", "s2@example", "s6@example"} {
		if strings.Contains(r.stdout+r.stderr, canary) {
			t.Errorf("output echoes a cell value (%s):\n%s%s", canary, r.stdout, r.stderr)
		}
	}
}

// TestCheckJudgesEveryDestination: a per-destination cell that leaves an
// enabled destination out is outside the grammar — before, "meta:include"
// passed while the config read Google's consent from Meta's column and
// sent the patient who said no to Google (a review's reproduction). Named
// twice, or with spaces around the parts, it is judged as meant.
func TestCheckJudgesEveryDestination(t *testing.T) {
	wrong := mustReplace(t, mustRead(t, root+"/consent/split.yaml"), "consent_google: consent_google", "consent_google: consent_meta")
	cfg := filepath.Join(t.TempDir(), "wrong.yaml")
	os.WriteFile(cfg, []byte(wrong), 0o600)
	fixture := func(expect string) string {
		p := filepath.Join(t.TempDir(), "f.csv")
		os.WriteFile(p, []byte("id,at,status,email,consent_google,consent_meta,expect\nS1,2026-11-02 09:30,completed,s1@example.com,no,yes,"+expect+"\n"), 0o600)
		return p
	}
	for expect, want := range map[string]int{
		"meta:include":                                      ExitUsage,    // Google unchecked: refused
		"meta:include;meta:include":                         ExitUsage,    // named twice
		"google:exclude:consent_denied;meta:include":        ExitMismatch, // the wrong column is caught
		" google : exclude:consent_denied ; meta: include ": ExitMismatch,
	} {
		r := runCLI(t, nil, "", "check", "--config", cfg, fixture(expect))
		if r.code != want {
			t.Errorf("%q under the wrong config: exit %d, want %d\n%s%s", expect, r.code, want, r.stdout, r.stderr)
		}
	}
	r := runCLI(t, nil, "", "check", "--config", root+"/consent/split.yaml", fixture("google:exclude:consent_denied;meta:include"))
	if r.code != ExitOK {
		t.Errorf("under the right config: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestCheckFixturesWithoutRowsOrWithAFooter: a fixture with no rows proves
// nothing and fails (a truncated file turned CI green); with
// input.skip_footer_lines, a fixture is read as an upload reads the export:
// its last rows are the footer, withdrawing nothing, and one whose expect
// cell is filled is a bad cell (exit 2, naming its line) — dropped
// unchecked before, then judged as a row whose revocation withdrew an
// earlier row the upload of the same file sent (a review).
func TestCheckFixturesWithoutRowsOrWithAFooter(t *testing.T) {
	head := "id,at,status,email,consent_google,consent_meta,expect\n"
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, []byte(head), 0o600)
	r := runCLI(t, nil, "", "check", "--config", root+"/consent/split.yaml", empty)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "no rows to judge") {
		t.Errorf("a fixture without rows: exit %d\n%s", r.code, r.stderr)
	}
	footer := mustRead(t, root+"/consent/split.yaml") + "\n"
	footer = strings.Replace(footer, "input:\n", "input:\n  skip_footer_lines: 1\n", 1)
	if !strings.Contains(footer, "skip_footer_lines: 1") {
		t.Fatal("split.yaml changed shape; update this test")
	}
	cfg := filepath.Join(dir, "footer.yaml")
	os.WriteFile(cfg, []byte(footer), 0o600)
	last := "S9,2026-11-02 09:30,completed,s9@example.com,yes,no,include\n" // wrong: Meta says no
	noFooter := filepath.Join(dir, "nofooter.csv")
	os.WriteFile(noFooter, []byte(head+"S1,2026-11-02 09:30,completed,s1@example.com,yes,yes,include\n"+last), 0o600)
	if r := runCLI(t, nil, "", "check", "--config", cfg, noFooter); r.code != ExitUsage || !strings.Contains(r.stdout, ":3: an upload drops this row as the footer") {
		t.Errorf("the last row of a fixture without a footer: exit %d, want 2 at line 3\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A footer row's cells withdraw nothing: the patient P1 revoked on
	// the dropped last row is sent by an upload, so check says S1 is
	// included, against an expectation written as if the row were read.
	pk := strings.Replace(footer, "input:\n", "input:\n  columns:\n    patient_key: pk\n", 1)
	if strings.Count(pk, "columns:") != 1 {
		// split.yaml maps its columns under input.columns already: add
		// the patient key there.
		pk = strings.Replace(footer, "  columns:\n", "  columns:\n    patient_key: pk\n", 1)
	}
	pkCfg := filepath.Join(dir, "pk.yaml")
	os.WriteFile(pkCfg, []byte(pk), 0o600)
	revoking := filepath.Join(dir, "revoking.csv")
	os.WriteFile(revoking, []byte("id,pk,at,status,email,consent_google,consent_meta,expect\n"+
		"S1,P1,2026-11-02 09:30,completed,s1@example.com,yes,yes,exclude:consent_revoked_patient\n"+
		"S2,P2,2026-11-02 09:30,completed,s2@example.com,yes,yes,include\n"+
		"S3,P1,2026-11-03 09:30,completed,s1@example.com,revoked,revoked,\n"), 0o600)
	if r := runCLI(t, nil, "", "check", "--config", pkCfg, revoking); r.code != ExitMismatch || !strings.Contains(r.stdout, ":2: expected") {
		t.Errorf("a revocation on the footer row: exit %d, want 5 at line 2 (an upload sends S1)\n%s%s", r.code, r.stdout, r.stderr)
	}
	withFooter := filepath.Join(dir, "footer.csv")
	os.WriteFile(withFooter, []byte(head+"S1,2026-11-02 09:30,completed,s1@example.com,yes,yes,include\n合計,,,,,,\n"), 0o600)
	if r := runCLI(t, nil, "", "check", "--config", cfg, withFooter); r.code != ExitOK || !strings.Contains(r.stderr, "taken for the footer") {
		t.Errorf("a fixture with a totals line: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCheckNeverPrintsPersonalData(t *testing.T) {
	// The canary export with an expect column in which every expectation is wrong.
	body := mustRead(t, root+"/canary/export.csv")
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] += ",expect"
		} else {
			lines[i] += ",exclude:duplicate_order"
		}
	}
	p := filepath.Join(t.TempDir(), "canary.csv")
	os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	r := runCLI(t, secretEnv, "", "check", "--config", root+"/canary/config.yaml", p)
	if r.code != ExitMismatch || !strings.Contains(r.stdout, "expected") {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	cs := canaries(t)
	assertNoCanary(t, "stdout", r.stdout, cs)
	assertNoCanary(t, "stderr", r.stderr, cs)
	// The same over check --json's report.
	r = runCLI(t, secretEnv, "", "check", "--json", "--config", root+"/canary/config.yaml", p)
	if r.code != ExitMismatch || !strings.Contains(r.stdout, `"kind": "mismatch"`) {
		t.Fatalf("--json: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	assertNoCanary(t, "check --json stdout", r.stdout, cs)
	assertNoCanary(t, "check --json stderr", r.stderr, cs)

	// Fixtures that cannot be read are reported beside the others
	// ("unreadable"): a quote left open on a canary row, a canary row in
	// bytes that are not UTF-8. The reader's errors name line and column
	// only.
	dir := filepath.Dir(p)
	broken := map[string]string{
		"open-quote.csv": strings.Join(lines[:2], "\n") + "\n" + strings.Replace(lines[2], ",", ",\"", 1) + "\n" + strings.Join(lines[3:], "\n") + "\n",
		"latin1.csv":     strings.Join(lines[:2], "\n") + "\n" + strings.Replace(lines[2], "zqcanary", "zqcanary\xe9\xe8", 1) + "\n",
	}
	args := []string{"check", "--config", root + "/canary/config.yaml", p}
	for name, body := range broken {
		f := filepath.Join(dir, name)
		os.WriteFile(f, []byte(body), 0o600)
		args = append(args, f)
	}
	for _, json := range []bool{false, true} {
		a := args
		if json {
			a = append([]string{"check", "--json"}, args[1:]...)
		}
		r := runCLI(t, secretEnv, "", a...)
		if r.code != ExitMismatch || !strings.Contains(r.stderr, "open-quote.csv:3:") || !strings.Contains(r.stderr, "latin1.csv:3:") {
			t.Fatalf("broken fixtures beside the canary (json %v): exit %d\n%s%s", json, r.code, r.stdout, r.stderr)
		}
		if json && strings.Count(r.stdout, `"kind": "unreadable"`) != len(broken) {
			t.Errorf("--json reports %d unreadable fixtures, want %d:\n%s", strings.Count(r.stdout, `"kind": "unreadable"`), len(broken), r.stdout)
		}
		assertNoCanary(t, fmt.Sprintf("unreadable fixtures (json %v) stdout", json), r.stdout, cs)
		assertNoCanary(t, fmt.Sprintf("unreadable fixtures (json %v) stderr", json), r.stderr, cs)
	}
}

func TestPHIGuardStopsTheRunBeforeAnyOutput(t *testing.T) {
	base := mustRead(t, "../../configs/example.yaml")
	dir := t.TempDir()
	for _, c := range []struct{ name, body, want string }{
		{"english", mustReplace(t, base, "event_name: Purchase", "event_name: Implant_Completed"), `"implant"`},
		{"traditional chinese", mustReplace(t, base, "event_name: Purchase", "event_name: 植牙完成"), `"植牙"`},
		{"simplified chinese", mustReplace(t, base, "event_name: Purchase", "event_name: 隆胸套餐"), `"隆胸"`},
		{"full width", mustReplace(t, base, "event_name: Purchase", "event_name: ＢＯＴＯＸ"), `"botox"`},
		// A review's dry-runs sent these (2026-12-07): CamelCase, an
		// acronym glued to a word, a specialty, a phrase without its space.
		{"camel case", mustReplace(t, base, "event_name: Purchase", "event_name: ImplantCompleted"), `"implant"`},
		{"acronym", mustReplace(t, base, "event_name: Purchase", "event_name: IVFConsult"), `"ivf"`},
		{"specialty", mustReplace(t, base, "event_name: Purchase", "event_name: DentalVisit"), `"dental"`},
		{"phrase glued", mustReplace(t, base, "event_name: Purchase", "event_name: RootCanal"), `"root canal"`},
		{"clinic's own term", mustReplace(t, mustReplace(t, base, "event_name: Purchase", "event_name: GlowPackage"), "deny_terms: []", "deny_terms: [glowpackage]"), `"glowpackage"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "c.yaml")
			os.WriteFile(p, []byte(c.body), 0o600)
			out := filepath.Join(dir, "review.csv")
			r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", p, "--out", out, root+"/example/appointments.csv")
			if r.code != ExitUsage || !strings.Contains(r.stderr, "conversion.event_name: contains the health term "+c.want) {
				t.Fatalf("exit %d:\n%s", r.code, r.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a refused run wrote the review file")
			}
		})
	}
	t.Run("allow-listed term passes", func(t *testing.T) {
		p := filepath.Join(dir, "c.yaml")
		os.WriteFile(p, []byte(mustReplace(t, mustReplace(t, base, "event_name: Purchase", "event_name: Crown Visit"), "allow_terms: []", "allow_terms: [crown]")), 0o600)
		if r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", p, root+"/example/appointments.csv"); r.code != 0 {
			t.Fatalf("exit %d:\n%s", r.code, r.stderr)
		}
	})
	t.Run("file name", func(t *testing.T) {
		out := filepath.Join(dir, "ivf-patients.csv")
		r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", "--out", out, root+"/example/appointments.csv")
		if r.code != ExitUsage || !strings.Contains(r.stderr, `--out: contains the health term "ivf"`) {
			t.Fatalf("exit %d:\n%s", r.code, r.stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("file written")
		}
	})
}

func TestValuePolicies(t *testing.T) {
	base := mustRead(t, "../../configs/example.yaml")
	dir := t.TempDir()
	for _, c := range []struct{ name, policy, want string }{
		{"actual", "value: actual", ",Purchase,1500,TWD,"},
		{"bucket", "value: bucket\n  value_buckets: [1000, 5000, 20000]", ",Purchase,1000,TWD,"},
		{"fixed", "value: fixed\n  fixed_value: 100", ",Purchase,100,TWD,"},
		{"none", "value: none", ",Purchase,,,"},
		{"bucket below the first edge", "value: bucket\n  value_buckets: [2000, 5000]", ",Purchase,0,TWD,"},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := mustReplace(t, base, "value: fixed\n  fixed_value: 1000\n  value_buckets: []", c.policy)
			if body == base {
				t.Fatal("example config changed shape; update this test")
			}
			p := filepath.Join(dir, c.name+".yaml")
			os.WriteFile(p, []byte(body), 0o600)
			r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", p, root+"/example/appointments.csv")
			rows := strings.SplitN(r.stdout, "\n", 3)
			if r.code != 0 || len(rows) < 2 {
				t.Fatalf("exit %d:\n%s", r.code, r.stderr)
			}
			if first := rows[1]; !strings.Contains(first, c.want) { // the A0001 google row, fee NT$1,500
				t.Fatalf("first row %q, want %q", first, c.want)
			}
		})
	}
}

func TestRevocationsFile(t *testing.T) {
	dir := t.TempDir()
	rev := filepath.Join(dir, "revocations.txt")
	os.WriteFile(rev, []byte("# withdrawn\nA0001\n"), 0o600)
	p := filepath.Join(dir, "c.yaml")
	os.WriteFile(p, []byte(mustReplace(t, mustRead(t, "../../configs/example.yaml"), `revocations_file: ""`, "revocations_file: "+rev)), 0o600)
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", p, root+"/example/appointments.csv")
	if r.code != 0 || !strings.Contains(r.stderr, "consent_revoked_list 2") {
		t.Fatalf("exit %d: both A0001 rows must be excluded as revoked:\n%s", r.code, r.stderr)
	}
	os.WriteFile(p, []byte(mustReplace(t, mustRead(t, "../../configs/example.yaml"), `revocations_file: ""`, "revocations_file: "+filepath.Join(dir, "missing.txt"))), 0o600)
	r = runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", p, root+"/example/appointments.csv")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "consent.revocations_file:") {
		t.Fatalf("missing revocations file: exit %d\n%s", r.code, r.stderr)
	}
}

// mustReplace replaces the first old in s and fails the test when old is not
// there: a fixture edited out from under a test must not turn it into a no-op.
func mustReplace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("text to replace not found: %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// editConfig replaces the first old in the config file at path with new
// (mustReplace: failing when old is not there) and writes it back.
func editConfig(t *testing.T, path, old, new string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(mustReplace(t, mustRead(t, path), old, new)), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestWriteFormatsGolden(t *testing.T) {
	env := map[string]string{"HASHGATE_SECRET": goldenSecret, "HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME": "Clinic visit"}
	for _, format := range []string{"google-ads-csv", "meta-offline-csv"} {
		t.Run(format, func(t *testing.T) {
			r := runCLI(t, env, "", "write", "--format", format, "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			golden(t, format+".csv", r.stdout)
		})
	}
}

func TestWriteGuardsAndCanaries(t *testing.T) {
	env := map[string]string{"HASHGATE_SECRET": goldenSecret, "HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME": "Implant consult"}
	r := runCLI(t, env, "", "write", "--format", "google-ads-csv", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "destinations.google.conversion_name: contains the health term \"implant\"") || r.stdout != "" {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	r = runCLI(t, nil, "", "write", "--format", "tiktok", "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	if r.code != ExitUsage {
		t.Fatalf("unknown format: exit %d", r.code)
	}
	cs := canaries(t)
	for _, format := range []string{"google-ads-csv", "meta-offline-csv"} {
		// A fixed value: Meta's file, like its API, refuses a Purchase
		// without one (config's ValueRequired).
		env := map[string]string{"HASHGATE_SECRET": goldenSecret, "HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME": "Visit",
			"HASHGATE_CONVERSION_VALUE": "fixed", "HASHGATE_CONVERSION_FIXED_VALUE": "1000", "HASHGATE_CONVERSION_CURRENCY": "TWD"}
		r := runCLI(t, env, "", "write", "--format", format, "--config", root+"/canary/config.yaml", root+"/canary/export.csv")
		if r.code != 0 || strings.Count(r.stdout, "\n") < 3 {
			t.Fatalf("%s: exit %d\n%s%s", format, r.code, r.stdout, r.stderr)
		}
		assertNoCanary(t, format+" stdout", r.stdout, cs)
		assertNoCanary(t, format+" stderr", r.stderr, cs)
		// The file as uploaded, read back by --uploaded: its summary
		// (what was left out, files read) names counts and paths only.
		up := filepath.Join(t.TempDir(), "uploaded")
		os.Mkdir(up, 0o700)
		os.WriteFile(filepath.Join(up, "first.csv"), []byte(r.stdout), 0o600)
		r = runCLI(t, env, "", "write", "--format", format, "--uploaded", up, "--config", root+"/canary/config.yaml", root+"/canary/export.csv")
		if r.code != 0 || !strings.Contains(r.stderr, "left out of this file") {
			t.Fatalf("%s --uploaded: exit %d\n%s", format, r.code, r.stderr)
		}
		assertNoCanary(t, format+" --uploaded stdout", r.stdout, cs)
		assertNoCanary(t, format+" --uploaded stderr", r.stderr, cs)
	}
}

// TestWriteHoldsBackWhatTheUploadWould: a platform's file carries only
// what an upload would send. A reviewer's file held a visit 280 days old,
// one 14 days ahead, a fee of 0 and a blank fee under value: actual, each
// refused by the platform, while the upload held them back; a Meta file of
// Purchases without a value was written with a note; and the Meta file
// dropped Limited Data Use without a word.
func TestWriteHoldsBackWhatTheUploadWould(t *testing.T) {
	clk := &simClock{t: time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)}
	dir := t.TempDir()
	export := filepath.Join(dir, "w.csv")
	var b strings.Builder
	b.WriteString("appointment_id,appointment_time,status,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid,postal_code,city,country\n")
	for i, c := range []struct{ at, fee string }{{"2026-03-01 10:00", "1500"}, {"2026-12-20 10:00", "1500"}, {"2026-12-01 10:00", "0"}, {"2026-12-02 10:00", ""}, {"2026-12-03 10:00", "2000"}} {
		sum := sha256.Sum256([]byte{byte(i)})
		gclid := "Cj0KCQiA" + base64.RawURLEncoding.EncodeToString(sum[:]) // random-looking, as Google's are
		fmt.Fprintf(&b, "A%d,%s,completed,Zqa,Zqb,zqa%d@example.com,0912-000-00%d,yes,2026-01-01,%s,TWD,%s,10617,Taipei City,TW\n", i+1, c.at, i, i, c.fee, gclid)
	}
	os.WriteFile(export, []byte(b.String()), 0o600)
	env := map[string]string{"HASHGATE_SECRET": goldenSecret, "HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME": "Visit",
		"HASHGATE_CONVERSION_VALUE": "actual", "HASHGATE_CONVERSION_CURRENCY": "TWD", "HASHGATE_PRIVACY_ALLOW_ACTUAL_VALUE": "true"}
	for _, format := range []string{"google-ads-csv", "meta-offline-csv"} {
		r := runAt(t, clk, env, "write", "--format", format, "--config", "../../configs/example.yaml", export)
		if r.code != ExitOK {
			t.Fatalf("%s: exit %d\n%s", format, r.code, r.stderr)
		}
		rows := strings.Count(strings.TrimSpace(r.stdout), "\n") // lines below the header(s)
		if format == "google-ads-csv" {
			rows-- // Parameters:TimeZone= above the header
		}
		// Google takes a conversion without a value, or of value 0; Meta's
		// Purchase needs one above 0 (each client's pre-flight).
		want := map[string]int{"google-ads-csv": 3, "meta-offline-csv": 1}[format]
		if rows != want || !strings.Contains(r.stderr, "event_too_old") || !strings.Contains(r.stderr, "event_in_future") {
			t.Errorf("%s: %d rows in the file, want %d, with the too old and future ones counted\n%s\n%s", format, rows, want, r.stdout, r.stderr)
		}
	}
	env["HASHGATE_CONVERSION_VALUE"] = "none"
	if r := runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--config", "../../configs/example.yaml", export); r.code != ExitUsage || r.stdout != "" {
		t.Errorf("a Meta file of Purchases without a value: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_CONVERSION_VALUE"] = "actual"
	env["HASHGATE_DESTINATIONS_META_LIMITED_DATA_USE"] = "true"
	if r := runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--config", "../../configs/example.yaml", export); r.code != ExitUsage || !strings.Contains(r.stderr, "limited_data_use") {
		t.Errorf("Limited Data Use and a Meta file: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCheckJSON: --json gives a CI parser one report on stdout — counts,
// and per row that did not pass its file, line, kind, expected and got —
// with the same exit codes, and no cell value.
func TestCheckJSON(t *testing.T) {
	dir := t.TempDir()
	body := mustRead(t, root+"/consent/split.csv")
	body = mustReplace(t, body, "S2,2026-11-02 09:30,completed,s2@example.com,yes,no,google:include;meta:exclude:consent_denied",
		"S2,2026-11-02 09:30,completed,s2@example.com,yes,no,include")
	body += "S7,2026-11-02 09:30,completed,s7@example.com,yes,yes,zqcanary-expect\n"
	p := filepath.Join(dir, "split.csv")
	os.WriteFile(p, []byte(body), 0o600)
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, []byte("id,at,status,email,consent_google,consent_meta,expect\n"), 0o600)
	r := runCLI(t, nil, "", "check", "--json", "--config", root+"/consent/split.yaml", p, empty)
	if r.code != ExitMismatch {
		t.Fatalf("exit %d, want 5\n%s%s", r.code, r.stdout, r.stderr)
	}
	var rep struct {
		Fixtures, Rows, Matched, Mismatched int
		BadCells                            int `json:"bad_cells"`
		Results                             []struct {
			File, Kind, Expected, Got string
			Line                      int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("stdout is not one JSON report: %v\n%s", err, r.stdout)
	}
	if rep.Fixtures != 2 || rep.Rows != 7 || rep.Matched != 5 || rep.Mismatched != 1 || rep.BadCells != 1 || len(rep.Results) != 3 {
		t.Fatalf("report %+v", rep)
	}
	want := []string{p + ":3:mismatch:google:include;meta:include:google:include;meta:exclude:consent_denied", p + ":8:bad_cell::", empty + ":0:no_rows::"}
	for i, res := range rep.Results {
		if got := fmt.Sprintf("%s:%d:%s:%s:%s", res.File, res.Line, res.Kind, res.Expected, res.Got); got != want[i] {
			t.Errorf("result %d: %s, want %s", i, got, want[i])
		}
	}
	if strings.Contains(r.stdout+r.stderr, "zqcanary") || strings.Contains(r.stdout+r.stderr, "s2@example") {
		t.Errorf("output echoes a cell value:\n%s%s", r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "hashgate check:") {
		t.Errorf("--json prints the summary on stderr too:\n%s", r.stderr)
	}
}

// TestCheckJudgesEveryFixture: a fixture that cannot be read is reported
// and the others are still judged — one broken fixture stopped the whole
// check, and a mismatch in another was lost (exit 1, --json empty: a
// review of check as a CI job); a mismatch anywhere exits 5. A 0-byte
// fixture has no rows (exit 2), as the help says.
func TestCheckJudgesEveryFixture(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.csv")
	os.WriteFile(broken, []byte("id,at,status,email,consent_google,consent_meta,expect\nS1,\"2026-11-02 09:30,completed\n"), 0o600)
	body := mustRead(t, root+"/consent/split.csv")
	wrong := filepath.Join(dir, "wrong.csv")
	os.WriteFile(wrong, []byte(mustReplace(t, body, "S2,2026-11-02 09:30,completed,s2@example.com,yes,no,google:include;meta:exclude:consent_denied",
		"S2,2026-11-02 09:30,completed,s2@example.com,yes,no,google:include;meta:include")), 0o600)
	r := runCLI(t, nil, "", "check", "--json", "--config", root+"/consent/split.yaml", broken, wrong)
	if r.code != ExitMismatch || !strings.Contains(r.stdout, `"kind": "unreadable"`) || !strings.Contains(r.stdout, `"kind": "mismatch"`) {
		t.Errorf("a broken fixture beside a mismatching one: exit %d, want 5 with both in the report\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "check", "--config", root+"/consent/split.yaml", broken, root+"/consent/split.csv")
	if r.code == ExitOK || r.code == ExitMismatch || !strings.Contains(r.stderr, "broken.csv") {
		t.Errorf("a broken fixture beside a passing one: exit %d\n%s", r.code, r.stderr)
	}
	zero := filepath.Join(dir, "zero.csv")
	os.WriteFile(zero, nil, 0o600)
	if r := runCLI(t, nil, "", "check", "--config", root+"/consent/split.yaml", zero); r.code != ExitUsage || !strings.Contains(r.stderr, "no rows to judge") {
		t.Errorf("a 0-byte fixture: exit %d, want 2\n%s", r.code, r.stderr)
	}
}

// TestCheckNamesTheMissingExpectColumn: a fixture without its expect column
// is told so in words a CI log's reader can act on; the error named
// "input.columns.expect", a config key that does not exist (a review of
// check as a CI job). Exit 2: the fixture is wrong, not the gate
// (TestCheckOnAFileWithoutAnExpectColumn).
func TestCheckNamesTheMissingExpectColumn(t *testing.T) {
	body := mustRead(t, root+"/consent/split.csv")
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	for i, l := range lines {
		lines[i] = l[:strings.LastIndexByte(l, ',')]
	}
	fixture := filepath.Join(t.TempDir(), "noexpect.csv")
	os.WriteFile(fixture, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	r := runCLI(t, nil, "", "check", "--config", root+"/consent/split.yaml", fixture)
	if r.code != ExitUsage || !strings.Contains(r.stderr, `column "expect" (the expect column of a check fixture) is not in the header`) ||
		strings.Contains(r.stderr, "input.columns.expect") {
		t.Errorf("a fixture without its expect column: exit %d\n%s", r.code, r.stderr)
	}
}

// TestCheckSaysItCannotJudgeRevokedEventIDs: a revocations file may list
// event ids, which only the uploads' secret derives. A CI job runs check
// without it, on the demo key, where those lines name no row: a fixture row
// expected included passed while the upload excluded it, and check said
// nothing (a review of check as a CI job). It says so now, on stderr and in
// --json; with the secret it judges them and says nothing.
func TestCheckSaysItCannotJudgeRevokedEventIDs(t *testing.T) {
	dir := t.TempDir()
	id, _ := eventid.NewDeriver(secretEnv["HASHGATE_SECRET"]).Derive("S1")
	rev := filepath.Join(dir, "revoked.txt")
	os.WriteFile(rev, []byte("# withdrawn by event id\n"+string(id)+"\n"), 0o600)
	cfg := filepath.Join(dir, "split.yaml")
	os.WriteFile(cfg, []byte(mustReplace(t, mustRead(t, root+"/consent/split.yaml"), "consent:\n", "consent:\n  revocations_file: "+rev+"\n")), 0o600)
	body := mustRead(t, root+"/consent/split.csv")
	fixture := filepath.Join(dir, "split.csv")
	os.WriteFile(fixture, []byte(mustReplace(t, body, "S1,2026-11-02 09:30,completed,s1@example.com,yes,yes,include",
		"S1,2026-11-02 09:30,completed,s1@example.com,yes,yes,exclude:consent_revoked_list")), 0o600)

	const notice = "lists 1 event id(s), and check runs without the uploads' secret"
	if r := runCLI(t, secretEnv, "", "check", "--config", cfg, fixture); r.code != ExitOK || strings.Contains(r.stderr, notice) {
		t.Errorf("with the secret: exit %d, want 0 and no notice\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := runCLI(t, nil, "", "check", "--config", cfg, fixture)
	if r.code != ExitMismatch || !strings.Contains(r.stderr, notice) {
		t.Errorf("on the demo key: exit %d, want 5 and the notice\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, nil, "", "check", "--json", "--config", cfg, fixture); !strings.Contains(r.stdout, `"revoked_event_ids_not_judged": 1`) {
		t.Errorf("on the demo key, --json:\n%s", r.stdout)
	}
	if r := runCLI(t, secretEnv, "", "check", "--json", "--config", cfg, fixture); strings.Contains(r.stdout, "revoked_event_ids_not_judged") {
		t.Errorf("with the secret, --json:\n%s", r.stdout)
	}
}
