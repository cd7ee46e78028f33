package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/hashgate/hashgate/internal/inspect"
)

// A guardian's birth date is never the patient's (inspect's
// BirthDateHeaderProblem). A review (2026-12-07) ran config init on a
// Dentally-like export whose guardian_date_of_birth comes before
// date_of_birth: the config mapped the guardian's, and its dry-run sent
// children of 10 and 14 as adults; a Taiwanese export's 家長生日 before
// 生日 went the same way, and 出生地 (place of birth) was mapped as a
// birth date. config validate and the runs accepted all three.

// guardianExport is the Dentally-like layout of the review: two children
// (10 and 14 on the visit) under a guardian's adult birth date, and an
// adult.
const guardianExport = "id,patient_id,start_time,state,email_address,mobile_phone,guardian_name,guardian_date_of_birth,date_of_birth,marketing_consent\n" +
	"G1,ZQ700,2026-11-02T09:00:00Z,Completed,canary.kid10@example.com,07700 900100,Canary Guardian,1981-03-04,2016-05-06,true\n" +
	"G2,ZQ701,2026-11-02T10:00:00Z,Completed,canary.kid14@example.com,07700 900101,Canary Parent,1979-07-08,2012-01-02,true\n" +
	"G3,ZQ702,2026-11-02T11:00:00Z,Completed,canary.adult@example.com,07700 900102,,,1970-01-02,true\n"

// twGuardianExport: 出生地 and 家長生日 before the patient's 生日.
const twGuardianExport = "預約編號,預約日期,狀態,手機,出生地,家長生日,生日,行銷同意\n" +
	"T1,2026-11-02 09:00,已完成,0912345678,台北市,1980-03-04,2016-05-06,同意\n" +
	"T2,2026-11-02 10:00,已完成,0912345679,台中市,1979-07-08,2012-01-02,同意\n" +
	"T3,2026-11-02 11:00,已完成,0912345670,高雄市,,1970-01-02,同意\n"

// TestConfigInitMapsThePatientsBirthDateNotTheGuardians: config init maps
// date_of_birth and 生日, and lists guardian_date_of_birth, 家長生日 and
// 出生地 as not mapped, on purpose, with why.
func TestConfigInitMapsThePatientsBirthDateNotTheGuardians(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, body, want string
		aside            map[string]string
	}{
		{"dentally.csv", guardianExport, "date_of_birth", map[string]string{"guardian_date_of_birth": inspect.WhyAnotherPersonsBirth}},
		{"tw.csv", twGuardianExport, "生日", map[string]string{"家長生日": inspect.WhyAnotherPersonsBirth, "出生地": inspect.WhyBirthPlace}},
		// A qualifier in brackets, which header matching drops for every
		// other key, is read for the birth date (a review of the day's diff).
		{"tw-brackets.csv", strings.Replace(twGuardianExport, "出生地,家長生日,生日", "出生國,出生日期（母親）,出生日期", 1),
			"出生日期", map[string]string{"出生日期（母親）": inspect.WhyAnotherPersonsBirth, "出生國": inspect.WhyBirthPlace}},
		{"dentally-brackets.csv", strings.Replace(guardianExport, "guardian_date_of_birth,date_of_birth", "DOB (guardian),DOB", 1),
			"DOB", map[string]string{"DOB (guardian)": inspect.WhyAnotherPersonsBirth}},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, nil, "", "config", "init", "--from", path)
		if r.code != ExitOK {
			t.Fatalf("%s: exit %d\n%s", c.name, r.code, r.stderr)
		}
		var g struct {
			Input struct {
				Columns map[string]any `yaml:"columns"`
			} `yaml:"input"`
		}
		if err := yaml.Unmarshal([]byte(r.stdout), &g); err != nil {
			t.Fatalf("%s: not YAML: %v", c.name, err)
		}
		if got := g.Input.Columns["birth_date"]; got != c.want {
			t.Errorf("%s: birth_date %v, want %q\n%s", c.name, got, c.want, r.stdout)
		}
		for h, why := range c.aside {
			if line := strconv.Quote(h) + " — " + why; !strings.Contains(r.stdout, line) {
				t.Errorf("%s: not listed as not mapped on purpose: %s\n%s", c.name, line, r.stdout)
			}
		}
		assertNoCellLeaks(t, path, r.stdout)
	}
	// Only the guardian's: birth_date stays commented, and its line says no
	// column is the patient's own rather than that none names one.
	path := filepath.Join(dir, "guardian-only.csv")
	body := strings.ReplaceAll(strings.ReplaceAll(guardianExport, ",date_of_birth,", ","), ",2016-05-06,", ",")
	body = strings.ReplaceAll(strings.ReplaceAll(body, ",2012-01-02,", ","), ",1970-01-02,", ",")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "", "config", "init", "--from", path)
	if r.code != ExitOK || strings.Contains(r.stdout, "    birth_date:") || !strings.Contains(r.stdout, "no column is the patient's own") {
		t.Errorf("guardian-only export: exit %d, want birth_date commented and said to have no patient's column\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestBirthDateOfAnotherPersonRefused: config validate and the dry-run
// refuse a birth_date naming a guardian, a parent or a place (exit 2, the
// key and the header named, no cell), where the patient's own passes and
// its dry-run holds the children back as minor.
func TestBirthDateOfAnotherPersonRefused(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(export, []byte(guardianExport), 0o600); err != nil {
		t.Fatal(err)
	}
	config := func(birth string) string {
		body := `timezone: Europe/London
region: GB
input:
  columns:
    order_id: id
    appointment_at: start_time
    status: state
    email: email_address
    consent: marketing_consent
    birth_date: ` + strconv.Quote(birth) + `
consent:
  granted: ["true"]
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
		path := filepath.Join(dir, "c"+strconv.Itoa(len(birth))+".yaml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, h := range []string{"guardian_date_of_birth", "家長生日", "Mother DOB", "出生地", "Place of Birth",
		"DOB (guardian)", "出生日期(母親)", "出生日期（母親）", "Subscriber DOB",
		// Who pays or holds the account (a review, 2026-12-07: passed).
		"DOB (account holder)", "付款人生日"} {
		cfg := config(h)
		for _, args := range [][]string{
			{"config", "validate", "--config", cfg},
			{"upload", "--dry-run", "--config", cfg, export},
		} {
			r := runCLI(t, secretEnv, "", args...)
			out := r.stdout + r.stderr
			if r.code != ExitUsage || !strings.Contains(r.stderr, "input.columns.birth_date: "+strconv.Quote(h)) {
				t.Errorf("%s with birth_date %q: exit %d, want %d naming the key and the header\n%s", args[0], h, r.code, ExitUsage, out)
			}
			for _, cell := range []string{"1981-03-04", "2016-05-06", "canary.kid10", "Canary Guardian"} {
				if strings.Contains(out, cell) {
					t.Errorf("%s: the output holds the cell %q", args[0], cell)
				}
			}
		}
	}
	// An insurance subscriber is often the patient: the refusal says how
	// to proceed (rename the column in the export, or map the patient's own).
	r := runCLI(t, secretEnv, "", "config", "validate", "--config", config("Subscriber DOB"))
	if !strings.Contains(r.stderr, "rename the column in the export") || !strings.Contains(r.stderr, "map the column of the patient's own date of birth") {
		t.Errorf("Subscriber DOB: the refusal does not say how to proceed\n%s", r.stderr)
	}
	// A word naming who recorded the date is no other person: an upgrade
	// refused dob_verified_by_staff with exit 2. Nor is a document the
	// date was read from: "Patient DOB (per insurance card)" was refused
	// as a subscriber's (a review, 2026-12-07).
	for _, h := range []string{"dob_verified_by_staff", "birth_date_per_provider", "Patient DOB (per insurance card)", "出生日期(依健保卡)"} {
		if r := runCLI(t, secretEnv, "", "config", "validate", "--config", config(h)); r.code != ExitOK {
			t.Errorf("birth_date %q refused: exit %d\n%s", h, r.code, r.stderr)
		}
	}
	cfg := config("date_of_birth")
	if r := runCLI(t, secretEnv, "", "config", "validate", "--config", cfg); r.code != ExitOK {
		t.Fatalf("the patient's own birth date refused: exit %d\n%s", r.code, r.stderr)
	}
	r = runCLI(t, secretEnv, "", "upload", "--dry-run", "--json", "--out", filepath.Join(dir, "review.csv"), "--config", cfg, export)
	if s := strings.ReplaceAll(r.stdout, " ", ""); r.code != ExitOK || !strings.Contains(s, `"minor":2`) {
		t.Errorf("dry-run with date_of_birth: exit %d, want the two children excluded as minor\n%s%s", r.code, r.stdout, r.stderr)
	}
}
