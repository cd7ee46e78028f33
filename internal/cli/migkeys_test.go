package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The practice-management software changes mid-year (a review): the
// nightly upload keeps its config, ledger and secret, and the new system
// numbers its patients anew under the same patient-key column name.

// migConfig is bothConfig with a patient key read from column pid.
func migConfig(t *testing.T, gURL, mURL string) string {
	t.Helper()
	p := bothConfig(t, gURL, mURL, "")
	editConfig(t, p, "    consent: consent\n", "    consent: consent\n    patient_key: pid\n")
	return p
}

// migRow is one visit: order id, day of November 2026, the person's email
// and phone (zqmig<person>@example.com, 0912-555-<person>), consent, pid.
func migRow(id string, day, hour, person int, consent, pid string) string {
	return fmt.Sprintf("%s,2026-11-%02d %02d:00,completed,zqmig%03d@example.com,0912-555-%03d,Zqfirst,Zqlast,%s,%s\n", id, day, hour, person, person, consent, pid)
}

func migExport(t *testing.T, rows string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, []byte("id,at,status,email,phone,first,last,consent,pid\n"+rows), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// oldSystemNight is the old system's export: 12 visits of patients 500 to
// 511, the last of whom withdrew.
func oldSystemNight() string {
	var b strings.Builder
	for i := range 12 {
		consent := "yes"
		if i == 11 {
			consent = "withdrawn"
		}
		b.WriteString(migRow(fmt.Sprintf("OLD%03d", i), 18+i%4, 10, 500+i, consent, fmt.Sprint(500+i)))
	}
	return b.String()
}

// newSystemNight is the new system's export: 12 visits of patients
// M70000 to M70011, M70003 being patient 511 (the same email and phone),
// now with consent yes.
func newSystemNight() string {
	var b strings.Builder
	for i := range 12 {
		person := 600 + i // new patients
		if i == 3 {
			person = 511 // the withdrawn patient, renumbered
		}
		b.WriteString(migRow(fmt.Sprintf("NEW%03d", i), 22, 8+i, person, "yes", fmt.Sprintf("M7%04d", i)))
	}
	return b.String()
}

// TestAWithdrawnPatientRenumberedStaysOut: the withdrawn patient (pid 511)
// comes back under the new system's M70003, with consent yes, carrying the
// same email and phone. Before, the upload sent them (exit 0, Google and
// Meta +12): the memory knew the old chart number alone, and the
// fingerprint it checks names the column, not what the column holds. Now
// the withdrawn patient stays out by their email and phone, counted as
// consent_withdrawn_identifier. No identifier, raw
// or as normalised for the digest, is printed or kept.
func TestAWithdrawnPatientRenumberedStaysOut(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, oldSystemNight()))
	if r.code != 0 || len(dm.Accepted()) != 11 || len(g.Accepted()) != 11 || !strings.Contains(r.stderr, "withdrawals remembered: 1") {
		t.Fatalf("old system: exit %d, google %d, meta %d\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	// --accept-new-ids passes the stop for the new numbering
	// (TestANewPatientKeyShapeStops), as a person who checked it would.
	r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, migExport(t, newSystemNight()))
	if r.code != 0 || len(dm.Accepted()) != 22 || len(g.Accepted()) != 22 {
		t.Fatalf("new system, accepted: exit %d, google %d, meta %d (want 22 each: the withdrawn patient kept out)\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	if !strings.Contains(r.stderr, "consent_withdrawn_identifier 1") {
		t.Errorf("the renumbered patient is not counted as consent_withdrawn_identifier:\n%s", r.stderr)
	}
	migCanary(t, env, r.stdout+r.stderr)
}

// TestASharedPhoneKeepsARelativeOut: a relative (pid 520) gives the
// withdrawn patient's phone, a family's one number. Default-deny: they are
// left out too, counted apart (consent_withdrawn_identifier), so a reader
// sees it; their own email alone would not have matched.
func TestASharedPhoneKeepsARelativeOut(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, oldSystemNight())); r.code != 0 || len(dm.Accepted()) != 11 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	relative := "REL001,2026-11-22 09:00,completed,zqrelative@example.com,0912-555-511,Zqfirst,Zqlast,yes,520\n"
	other := migRow("OTH001", 22, 10, 530, "yes", "530")
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, relative+other))
	if r.code != 0 || len(dm.Accepted()) != 12 {
		t.Fatalf("night 2: exit %d, google %d (want the other patient alone sent)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if !strings.Contains(r.stderr, "consent_withdrawn_identifier 1") {
		t.Errorf("the relative is not counted as consent_withdrawn_identifier:\n%s", r.stderr)
	}
	migCanary(t, env, r.stdout+r.stderr)
}

// migCanary: neither the output nor the ledger holds a withdrawn
// patient's identifier, as written or as normalised for its digest.
func migCanary(t *testing.T, env map[string]string, out string) {
	t.Helper()
	var db []byte
	for _, f := range []string{"ledger.db", "ledger.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(env["XDG_STATE_HOME"], "hashgate", f))
		db = append(db, b...)
	}
	for _, form := range []string{"zqmig511", "0912-555-511", "+886912555511", "886912555511", "912555511", "M70003"} {
		if strings.Contains(out, form) {
			t.Errorf("the output holds %q:\n%s", form, out)
		}
		if strings.Contains(string(db), form) {
			t.Errorf("the ledger holds %q", form)
		}
	}
}

// TestANewPatientKeyShapeStops: the new system's keys (a letter, then five
// digits) are not the old system's (three digits): the upload stops before
// anything is sent (exit 2, naming input.columns.patient_key, what changed
// and the way out), as a changed order id shape stops it; --accept-new-ids
// passes it once and keeps the new shape, so the next night goes on. A
// growing numbering (511, then 1000) and zeros a spreadsheet dropped stop
// nothing (01001 is 1001, as patient keys compare).
func TestANewPatientKeyShapeStops(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	// The stop judges from keyEvidence (20) keys a side: each system's
	// night has 12 more visits than oldSystemNight's and newSystemNight's.
	var oldMore, newMore strings.Builder
	for i := range 12 {
		oldMore.WriteString(migRow(fmt.Sprintf("OLM%03d", i), 17, 8+i, 512+i, "yes", fmt.Sprint(512+i)))
		newMore.WriteString(migRow(fmt.Sprintf("NEM%03d", i), 23, i, 612+i, "yes", fmt.Sprintf("M7%04d", 12+i)))
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, oldSystemNight()+oldMore.String())); r.code != 0 || len(dm.Accepted()) != 23 {
		t.Fatalf("old system: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	grown := migRow("GRW001", 22, 9, 700, "yes", "1000") + migRow("GRW002", 22, 10, 701, "yes", "01001") + migRow("GRW003", 22, 11, 702, "yes", "1002")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, grown)); r.code != 0 || len(dm.Accepted()) != 26 {
		t.Fatalf("a growing numbering: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	night := migExport(t, newSystemNight()+newMore.String())
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, night)
	if r.code != ExitUsage || len(dm.Accepted()) != 26 {
		t.Fatalf("new numbering: exit %d (want %d), google %d\n%s", r.code, ExitUsage, len(dm.Accepted()), r.stderr)
	}
	for _, want := range []string{"input.columns.patient_key", "export.csv:2: the patient keys in column \"pid\" changed shape", "all digits, 3 to 4 long", "1 letter then digits, 6 long", "consent.revocations_file", "--accept-new-ids", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	migCanary(t, env, r.stdout+r.stderr)
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, night); r.code != 0 || len(dm.Accepted()) != 49 {
		t.Fatalf("accepted: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	} else if !strings.Contains(r.stderr, "patient_key_shape") {
		t.Errorf("the night --accept-new-ids passed the shape stop does not name it (accepted_stops):\n%s", r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, migRow("NXT001", 23, 14, 800, "yes", "M70030"))); r.code != 0 || len(dm.Accepted()) != 50 {
		t.Fatalf("the night after: exit %d, google %d (want the new shape kept)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}

// TestUnrevokeForgetsTheIdentifiersToo: `ledger unrevoke --run` and
// `--patients` forget a patient's identifiers with the patient: a patient
// who consented again, carrying their email under another key, is sent.
func TestUnrevokeForgetsTheIdentifiersToo(t *testing.T) {
	for _, by := range []string{"--run", "--patients"} {
		t.Run(by, func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			_, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			cfg := migConfig(t, gURL, mURL)
			r := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, migExport(t, migRow("OLD011", 20, 10, 511, "withdrawn", "511")))
			runID := runIDOf(t, r)
			again := migExport(t, migRow("BCK001", 22, 10, 511, "yes", "640"))
			arg := runID
			if by == "--patients" {
				arg = filepath.Join(t.TempDir(), "keys.txt")
				if err := os.WriteFile(arg, []byte("511\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, by, arg); r.code != 0 {
				t.Fatalf("unrevoke: exit %d\n%s", r.code, r.stderr)
			}
			if r := runGoogle(t, env, "", true, "upload", "--config", cfg, again); r.code != 0 || len(dm.Accepted()) != 1 {
				t.Fatalf("after unrevoke %s: exit %d, google %d (want the patient sent)\n%s", by, r.code, len(dm.Accepted()), r.stderr)
			}
		})
	}
}

func runIDOf(t *testing.T, r result) string {
	t.Helper()
	var rep struct {
		RunID string `json:"run_id"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.RunID == "" || r.code != 0 {
		t.Fatalf("exit %d, no run id (%v):\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	return rep.RunID
}
