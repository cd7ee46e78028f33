package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// revocationsRun is a dry-run of revocationsExport under a config whose
// consent.revocations_file holds list (bytes as written), with the
// patient-key column mapped or not.
type revocationsRun struct {
	result
	Excluded    map[string]int `json:"excluded"`
	RowsUsed    int            `json:"rows_used"`
	Revocations *struct {
		Listed        int      `json:"ids_listed"`
		Matched       int      `json:"ids_matched"`
		RowsWithdrawn int      `json:"rows_withdrawn"`
		Warnings      []string `json:"warnings"`
	} `json:"revocations_file"`
}

// revocationsExport: five visits of four patients (00123 twice), the
// chart numbers padded as the clinic's system writes them.
const revocationsExport = "id,at,status,email,phone,first,last,consent,pk\n" +
	"A1,2026-11-18 10:00,completed,zq1@example.com,0912-000-001,Zqa,Zqa,yes,00123\n" +
	"A2,2026-11-18 11:00,completed,zq2@example.com,0912-000-002,Zqb,Zqb,yes,00456\n" +
	"A3,2026-11-19 10:00,completed,zq3@example.com,0912-000-003,Zqc,Zqc,yes,00789\n" +
	"A4,2026-11-19 11:00,completed,zq4@example.com,0912-000-004,Zqa,Zqa,yes,00123\n" +
	"A5,2026-11-20 10:00,completed,zq5@example.com,0912-000-005,Zqe,Zqe,yes,01000\n"

func runRevocations(t *testing.T, list string, patientKey bool, args ...string) revocationsRun {
	t.Helper()
	dir := t.TempDir()
	rev := filepath.Join(dir, "rev.txt")
	if err := os.WriteFile(rev, []byte(list), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := metaConfig(t, "http://127.0.0.1:9", "")
	body := strings.Replace(mustRead(t, cfg), "consent:\n  granted", "consent:\n  revocations_file: "+rev+"\n  granted", 1)
	if patientKey {
		body = strings.Replace(body, "    consent: consent\n", "    consent: consent\n    patient_key: pk\n", 1)
	}
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	export := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(export, []byte(revocationsExport), 0o600); err != nil {
		t.Fatal(err)
	}
	all := append([]string{"upload", "--dry-run", "--out", filepath.Join(dir, "review.csv"), "--config", cfg}, args...)
	r := revocationsRun{result: runGoogle(t, uploadEnv(t), "", true, append(all, export)...)}
	if r.code == 0 && strings.Contains(strings.Join(args, " "), "--json") {
		if err := json.Unmarshal([]byte(r.stdout), &r); err != nil {
			t.Fatalf("report: %v\n%s", err, r.stdout)
		}
	}
	return r
}

// TestRevocationsFileAsWritten (metamorphic): the same list — order A2,
// and patient 123, whom the export writes 00123 — written with LF, CRLF,
// classic-Mac line ends (a lone CR), a byte-order mark at the start or
// mid-file (two files joined with cat), full-width forms, invisible
// padding, withdraws the same rows: A2, and both visits of patient 123.
// A review found all but LF and CRLF withdrawing nothing — exit 0, those
// visits sent — and even those missing the padded chart number.
func TestRevocationsFileAsWritten(t *testing.T) {
	for name, list := range map[string]string{
		"lf":           "A2\n123\n",
		"crlf":         "A2\r\n123\r\n",
		"cr":           "A2\r123\r",
		"bom":          "\ufeffA2\n123\n",
		"bom mid-file": "A2\n\ufeff123\n",
		"full-width":   "Ａ２\n１２３\n",
		"padded":       "\u200bA2 \n\u3000123\u200b\n",
		"zeros":        "a2\n00123\n",
	} {
		r := runRevocations(t, list, true, "--json")
		if r.code != 0 || r.Excluded["consent_revoked_list"] != 3 || r.RowsUsed != 2 {
			t.Errorf("%s: exit %d, excluded %v, used %d; want A2, A1 and A4 withdrawn\n%s", name, r.code, r.Excluded, r.RowsUsed, r.stderr)
		}
		if f := r.Revocations; f == nil || f.Listed != 2 || f.Matched != 2 || f.RowsWithdrawn != 3 || len(f.Warnings) != 0 {
			t.Errorf("%s: the report says of the file %+v; want 2 listed, 2 matched, 3 rows", name, f)
		}
	}
}

// TestRevocationsFileRefusedBeforeAnythingIsSent: a line that cannot be
// one id — two ids with a separator of any width or a space between them,
// a "#" without a space before it, a 70 KB line — was read as one id that
// matched nothing (exit 0, the patients' visits sent), or stopped the run
// with Go's "bufio.Scanner: token too long" and exit 1, while a missing
// file exits 2. Each is a config problem found before anything is sent:
// exit 2, file:line:column and a reason, never the line's text.
func TestRevocationsFileRefusedBeforeAnythingIsSent(t *testing.T) {
	for name, tc := range map[string]struct{ list, want string }{
		"full-width comma":  {"A1，A2\n", "rev.txt:1:3: more than one value"},
		"ideographic comma": {"A1、A2\n", "rev.txt:1:3: more than one value"},
		"comma":             {"A1,A2\n", "rev.txt:1:3: more than one value"},
		"space-separated":   {"A1 A2\n", "rev.txt:1:3: white space or an invisible character inside the value"},
		"hash":              {"A1#x\n", "rev.txt:1:3: a \"#\" inside the value"},
		"lone CRs":          {"A3\rA1 A2\r", "rev.txt:2:3: white space"},
		"a 70 KB line":      {"A3\n" + strings.Repeat("A", 70<<10) + "\n", "rev.txt:2:4097: the line is longer than 4096 bytes"},
	} {
		r := runRevocations(t, tc.list, true)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "consent.revocations_file") || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d; want 2 and %q\n%s", name, r.code, tc.want, r.stderr)
		}
		if strings.Contains(r.stderr, "A2") || strings.Contains(r.stderr, "AAAA") || strings.Contains(r.stderr, "bufio") {
			t.Errorf("%s: the error quotes the file or speaks Go:\n%s", name, r.stderr)
		}
	}
}

// TestAListedOrderWithdrawsThePatient: a revoking consent cell withdraws
// every visit of its patient; a listed order id withdrew its own visit
// only, and the patient's other visit (A4, same chart number) was sent.
// Consent belongs to a person: listing A1 withdraws A4 too.
func TestAListedOrderWithdrawsThePatient(t *testing.T) {
	r := runRevocations(t, "A1\n", true, "--json")
	if r.code != 0 || r.Excluded["consent_revoked_list"] != 2 || r.RowsUsed != 3 {
		t.Errorf("exit %d, excluded %v, used %d; want A1 and A4 withdrawn\n%s", r.code, r.Excluded, r.RowsUsed, r.stderr)
	}
}

// TestTheSummarySaysWhatTheRevocationsFileDid: the run said nothing of the
// file, so an empty one, or patient keys listed while no patient-key
// column is mapped (they match no order, and nothing else), went unseen.
// The summary counts the ids listed and matched and the rows withdrawn,
// and warns of both.
func TestTheSummarySaysWhatTheRevocationsFileDid(t *testing.T) {
	r := runRevocations(t, "A2\n123\n", true)
	if r.code != 0 || !strings.Contains(r.stderr, "revocations file: 2 id(s) listed, 2 matched a row of this export; 3 row(s) withdrawn (consent_revoked_list)") {
		t.Errorf("exit %d; the summary:\n%s", r.code, r.stderr)
	}
	r = runRevocations(t, "# nobody yet\n", true, "--json")
	if r.code != 0 || r.Revocations == nil || r.Revocations.Listed != 0 || len(r.Revocations.Warnings) != 1 ||
		!strings.Contains(r.Revocations.Warnings[0], "lists no id") || !strings.Contains(r.stderr, "lists no id") {
		t.Errorf("an empty file: exit %d, %+v\n%s", r.code, r.Revocations, r.stderr)
	}
	r = runRevocations(t, "A2\n123\n", false, "--json")
	if r.code != 0 || r.Excluded["consent_revoked_list"] != 1 || r.Revocations == nil || r.Revocations.Matched != 1 ||
		len(r.Revocations.Warnings) != 1 || !strings.Contains(r.Revocations.Warnings[0], "input.columns.patient_key is not mapped") {
		t.Errorf("patient keys without the column: exit %d, excluded %v, %+v\n%s", r.code, r.Excluded, r.Revocations, r.stderr)
	}
}
