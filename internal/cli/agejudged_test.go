package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Whether the age rule judged anything (report.Age, pipeline.
// NoteBirthDateBlank): a family-practice review (2026-12-07) found
// children sent in silence twice — every row with no birth date mapped,
// and with one mapped, the rows whose birth date was blank.

// ageExport has an adult, a minor, two patients whose birth date is
// blank (two children's, blanked) and a blank one whose consent is denied.
const ageExport = "id,at,status,email,consent,dob\n" +
	"A1,2026-11-02 09:30,completed,a1@example.com,yes,1990-05-08\n" +
	"A2,2026-11-02 09:30,completed,a2@example.com,yes,2012-05-08\n" +
	"A3,2026-11-02 09:30,completed,a3@example.com,yes,\n" +
	"A4,2026-11-02 09:30,completed,a4@example.com,yes,\n" +
	"A5,2026-11-02 09:30,completed,a5@example.com,no,\n"

// ageConfig is minorsConfig without the expiry column ageExport lacks.
var ageConfig = strings.Replace(minorsConfig, "    consent_expires_at: expires\n", "", 1)

// ageRun writes cfg and the export, and dry-runs them with --json: the
// run report, and the plain run's stderr.
func ageRun(t *testing.T, cfg string, extra ...string) (report map[string]any, stderr string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath, export := filepath.Join(dir, "age.yaml"), filepath.Join(dir, "age.csv")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(export, []byte(ageExport), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"upload", "--dry-run", "--out", filepath.Join(dir, "review.csv"), "--config", cfgPath, export}
	r := runCLI(t, secretEnv, "", append(args, "--json")...)
	if r.code != ExitOK {
		t.Fatalf("dry-run --json: exit %d\n%s", r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	r = runCLI(t, secretEnv, "", append(extra, args...)...)
	if r.code != ExitOK {
		t.Fatalf("dry-run: exit %d\n%s", r.code, r.stderr)
	}
	return report, r.stderr
}

// notes is the run report's notes.
func notes(t *testing.T, report map[string]any) map[string]any {
	t.Helper()
	n, _ := report["notes"].(map[string]any)
	return n
}

// TestAgeNotJudgedIsSaid: with no input.columns.birth_date, a dry-run
// says in one line that no age was judged, and the run report says
// "age_judged": false; --quiet prints no summary, the line included, as
// it prints no other; `write` and `check` say it too.
func TestAgeNotJudgedIsSaid(t *testing.T) {
	cfg := strings.Replace(ageConfig, "    birth_date: dob\n", "", 1)
	report, stderr := ageRun(t, cfg)
	if got, ok := report["age_judged"]; !ok || got != false {
		t.Errorf(`run report: "age_judged" is %v (present %v), want false`, got, ok)
	}
	if n := strings.Count(stderr, "age: not judged (no input.columns.birth_date)"); n != 1 {
		t.Errorf("the summary says %d time(s) that no age was judged, want once:\n%s", n, stderr)
	}
	if report["rows_used"] != 4.0 {
		t.Errorf("rows_used %v, want 4 (the minor is sent: no age is judged)", report["rows_used"])
	}
	if _, quiet := ageRun(t, cfg, "--quiet"); quiet != "" {
		t.Errorf("--quiet printed:\n%s", quiet)
	}

	dir := t.TempDir()
	cfgPath, fixture := filepath.Join(dir, "age.yaml"), filepath.Join(dir, "fixture.csv")
	os.WriteFile(cfgPath, []byte(cfg), 0o600)
	os.WriteFile(fixture, []byte(fixtureOf(ageExport, "include", "include", "include", "include", "exclude:consent_denied")), 0o600)
	r := runCLI(t, nil, "", "check", "--config", cfgPath, fixture)
	if r.code != ExitOK || !strings.Contains(r.stderr, "hashgate check: age not judged (no input.columns.birth_date)") {
		t.Errorf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "check", "--json", "--config", cfgPath, fixture)
	if !strings.Contains(r.stdout, `"age_judged": false`) {
		t.Errorf("check --json: exit %d\n%s", r.code, r.stdout)
	}

	// write says it too (the example config maps no birth date).
	env := map[string]string{"HASHGATE_SECRET": goldenSecret, "HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME": "Visit"}
	r = runCLI(t, env, "", "write", "--format", "google-ads-csv", "--out", filepath.Join(dir, "g.csv"), "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	if r.code != ExitOK || !strings.Contains(r.stderr, "age: not judged (no input.columns.birth_date)") {
		t.Errorf("write: exit %d\n%s", r.code, r.stderr)
	}
}

// TestBlankBirthDatesAreCounted: with a birth date mapped, the two rows
// whose birth date is blank are sent as before, and counted under the
// notes as birth_date_blank (the denied row is not: it was not sent);
// under consent.require_birth_date they are excluded as
// birth_date_missing and counted there alone.
func TestBlankBirthDatesAreCounted(t *testing.T) {
	report, stderr := ageRun(t, ageConfig)
	if report["age_judged"] != true {
		t.Errorf(`run report: "age_judged" is %v, want true`, report["age_judged"])
	}
	if n := notes(t, report)["birth_date_blank"]; n != 2.0 || report["rows_used"] != 3.0 {
		t.Errorf("notes.birth_date_blank %v, rows_used %v; want 2 and 3 (adult and the two blanks sent)\n%v", n, report["rows_used"], report)
	}
	if !regexp.MustCompile(`(?m)^  notes:\n(    .*\n)*    birth_date_blank +2$`).MatchString(stderr) || strings.Contains(stderr, "age: not judged") {
		t.Errorf("the summary does not count the blank birth dates under its notes:\n%s", stderr)
	}

	strict := strings.Replace(ageConfig, "consent:\n", "consent:\n  require_birth_date: true\n", 1)
	report, stderr = ageRun(t, strict)
	excluded, _ := report["excluded"].(map[string]any)
	if excluded["birth_date_missing"] != 2.0 || report["rows_used"] != 1.0 {
		t.Errorf("require_birth_date: excluded %v, rows_used %v; want birth_date_missing 2, 1 used", excluded, report["rows_used"])
	}
	if _, ok := notes(t, report)["birth_date_blank"]; ok || strings.Contains(stderr, "birth_date_blank") {
		t.Errorf("require_birth_date: rows it excluded are counted as sent without an age\n%v\n%s", report, stderr)
	}

	// check counts them as the run does.
	dir := t.TempDir()
	cfgPath, fixture := filepath.Join(dir, "age.yaml"), filepath.Join(dir, "fixture.csv")
	os.WriteFile(cfgPath, []byte(ageConfig), 0o600)
	os.WriteFile(fixture, []byte(fixtureOf(ageExport, "include", "exclude:minor", "include", "include", "exclude:consent_denied")), 0o600)
	r := runCLI(t, nil, "", "check", "--config", cfgPath, fixture)
	if r.code != ExitOK || !strings.Contains(r.stderr, "hashgate check: 2 row(s) passed with a blank birth date") {
		t.Errorf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "", "check", "--json", "--config", cfgPath, fixture)
	if !strings.Contains(r.stdout, `"age_judged": true`) || !strings.Contains(r.stdout, `"birth_date_blank": 2`) {
		t.Errorf("check --json: exit %d\n%s", r.code, r.stdout)
	}
}

// fixtureOf is export with an expect column, one cell a row.
func fixtureOf(export string, expect ...string) string {
	lines := strings.Split(strings.TrimSuffix(export, "\n"), "\n")
	lines[0] += ",expect"
	for i := range expect {
		lines[i+1] += "," + expect[i]
	}
	return strings.Join(lines, "\n") + "\n"
}
