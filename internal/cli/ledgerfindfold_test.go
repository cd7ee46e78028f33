package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// findEventRows are the answer's event lines, by their row (file:line).
func findEventRows(stdout string) map[string]int {
	rows := map[string]int{}
	for _, l := range strings.Split(stdout, "\n") {
		if f := strings.Split(l, "\t"); len(f) == 11 && f[0] != "row" {
			rows[f[0]]++
		}
	}
	return rows
}

// TestLedgerFindListsOnlyTheKeyAsWritten: a clinic system that numbers
// 0098765 and 98765, or kq71 and KQ71, as two patients. An access request
// for 98765 and kq71 was answered with the rows of all four (picked by the
// withdrawal memory's fold: case and leading zeros dropped), which the
// officer would hand to the requesting patient (a review). Now only the
// keys as written are theirs — a full-width ９８７６５, how an input method
// types the same chart number, included — and the others' rows are named
// on stderr by file:line to check by hand; --folded lists them as theirs.
// No key is printed.
func TestLedgerFindListsOnlyTheKeyAsWritten(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	exp := twExport(t, ""+
		"98765,病患a,115/11/18,上午 09:00,已完成,0912-700-001,同意,1500\n"+ // line 2: hers
		"0098765,病患b,115/11/18,上午 09:30,已完成,0912-700-002,同意,1500\n"+ // line 3: another patient
		"kq71,病患c,115/11/18,上午 10:00,已完成,0912-700-003,同意,1500\n"+ // line 4: his
		"KQ71,病患d,115/11/18,上午 10:30,已完成,0912-700-004,同意,1500\n"+ // line 5: another patient
		"９８７６５,病患a,115/11/19,上午 09:00,已完成,0912-700-001,同意,1500\n"+ // line 6: hers, typed full-width
		"55555,病患e,115/11/18,上午 11:00,已完成,0912-700-005,同意,1500\n") // line 7: nobody asked
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, exp); r.code != 0 {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	list := filepath.Join(t.TempDir(), "request.txt")
	if err := os.WriteFile(list, []byte("98765\nkq71\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"ledger", "find", "--config", cfg, "--export", exp, "--patients", list}
	r := runGoogle(t, env, "", true, args...)
	if r.code != 0 {
		t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("\n%s%s", r.stdout, r.stderr)
	rows := findEventRows(r.stdout)
	for _, line := range []string{"2", "4", "6"} {
		if rows[exp+":"+line] != 2 {
			t.Errorf("line %s (the key as listed) has %d event lines, want 2 (Google and Meta)\n%s", line, rows[exp+":"+line], r.stdout)
		}
	}
	if len(rows) != 3 {
		t.Errorf("events of %d rows, want the 3 of the keys as written: another patient's rows in the answer\n%s", len(rows), r.stdout)
	}
	if !strings.Contains(r.stdout, "# 2 listed patient(s), 2 found in the input; 3 row(s); 6 event record(s)") {
		t.Errorf("the answer's head\n%s", r.stdout)
	}
	want := "2 row(s) match only when case or leading zeros are ignored: lines " + exp + ":3, " + exp + ":5; check them by hand"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr does not name the rows matching only under the fold (%q)\n%s", want, r.stderr)
	}
	if strings.Contains(r.stderr, exp+":7") {
		t.Errorf("stderr names a row of a patient nobody listed\n%s", r.stderr)
	}

	f := runGoogle(t, env, "", true, append(args, "--folded")...)
	if f.code != 0 {
		t.Fatalf("ledger find --folded: exit %d\n%s%s", f.code, f.stdout, f.stderr)
	}
	rows = findEventRows(f.stdout)
	for _, line := range []string{"2", "3", "4", "5", "6"} {
		if rows[exp+":"+line] != 2 {
			t.Errorf("--folded: line %s has %d event lines, want 2\n%s", line, rows[exp+":"+line], f.stdout)
		}
	}
	if len(rows) != 5 || !strings.Contains(f.stderr, "2 row(s) listed by --folded match only when case or leading zeros are ignored") {
		t.Errorf("--folded: events of %d rows, want 5, and the folded rows named\n%s%s", len(rows), f.stdout, f.stderr)
	}
	j := runGoogle(t, env, "", true, append(args, "--json")...)
	var js struct {
		Events     []json.RawMessage `json:"events"`
		FoldedOnly []string          `json:"folded_only"`
		Folded     bool              `json:"folded"`
	}
	if j.code != 0 || json.Unmarshal([]byte(j.stdout), &js) != nil || len(js.Events) != 6 || js.Folded ||
		strings.Join(js.FoldedOnly, " ") != exp+":3 "+exp+":5" {
		t.Errorf("--json: exit %d\n%s%s", j.code, j.stdout, j.stderr)
	}
	// Canary: no key, as written or folded, and no cell. Ids, run ids,
	// times and the export's path (digits of a temporary directory) are
	// taken out first: a short key may be spelt by chance in them.
	printed := r.stdout + r.stderr + f.stdout + f.stderr + j.stdout + j.stderr
	printed = strings.ReplaceAll(printed, exp, "EXPORT")
	printed = strings.ReplaceAll(printed, list, "LIST")
	printed = regexp.MustCompile(`[0-9a-f]{8,}|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\d{8}T\d{6}Z-[0-9a-f]+`).ReplaceAllString(printed, "X")
	for _, raw := range []string{"98765", "９８７６５", "kq71", "KQ71", "55555", "病患", "0912", "115/11/", "上午", "同意"} {
		if strings.Contains(printed, raw) {
			t.Errorf("ledger find printed a raw value (%q)\n%s", raw, printed)
		}
	}
}

// TestLedgerFindReportsAWithdrawalRememberedByEmail: the withdrawn patient
// 511 comes back renumbered M70003 by a new practice system, carrying her
// e-mail (a new phone); the upload keeps her out by the e-mail
// (consent_withdrawn_identifier). An access request for M70003 was
// answered "withdrawal: none remembered": the memory by e-mail or phone
// (schema 14) was never looked at. Now it is, by the digests the upload
// makes of her rows, and said with the run that first remembered it —
// never the identifier.
func TestLedgerFindReportsAWithdrawalRememberedByEmail(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	r := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, migExport(t, oldSystemNight()))
	first := runIDOf(t, r)
	if r.code != 0 || len(dm.Accepted()) != 11 {
		t.Fatalf("old system: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	renumbered := "NEW003,2026-11-22 11:00,completed,zqmig511@example.com,0912-555-999,Zqfirst,Zqlast,yes,M70003\n"
	night := migExport(t, renumbered+migRow("NEW004", 22, 12, 604, "yes", "M70004"))
	r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, night)
	if r.code != 0 || len(dm.Accepted()) != 12 || !strings.Contains(r.stderr, "consent_withdrawn_identifier 1") {
		t.Fatalf("new system: exit %d, google %d (want her kept out by her e-mail)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	args := []string{"ledger", "find", "--config", cfg, "--export", night, "--patients", "-"}
	f := runGoogle(t, env, "M70003\n", true, args...)
	if f.code != 0 {
		t.Fatalf("ledger find: exit %d\n%s%s", f.code, f.stdout, f.stderr)
	}
	t.Logf("\n%s%s", f.stdout, f.stderr)
	for _, want := range []string{
		"withdrawal: none remembered", // by her new key
		"withdrawal: remembered by e-mail (one their rows carry) since run " + first + " at ",
		"never sent: " + night + ":2 (event id ",
	} {
		if !strings.Contains(f.stdout, want) {
			t.Errorf("the answer lacks %q\n%s", want, f.stdout)
		}
	}
	if strings.Contains(f.stdout, "remembered by phone") {
		t.Errorf("a withdrawal by phone: her new phone is no withdrawn patient's\n%s", f.stdout)
	}
	j := runGoogle(t, env, "M70003\n", true, append(args, "--json")...)
	var js struct {
		By []struct {
			By          string `json:"by"`
			Withdrawals []struct {
				Run string `json:"run"`
			} `json:"withdrawals"`
		} `json:"withdrawals_by_identifier"`
	}
	if j.code != 0 || json.Unmarshal([]byte(j.stdout), &js) != nil || len(js.By) != 1 || js.By[0].By != "email" ||
		len(js.By[0].Withdrawals) != 1 || js.By[0].Withdrawals[0].Run != first {
		t.Errorf("--json: exit %d\n%s%s", j.code, j.stdout, j.stderr)
	}
	// The other patient of the night carries no withdrawn identifier.
	o := runGoogle(t, env, "M70004\n", true, args...)
	if o.code != 0 || strings.Contains(o.stdout, "remembered by") {
		t.Errorf("another patient: exit %d, a withdrawal reported\n%s%s", o.code, o.stdout, o.stderr)
	}
	printed := f.stdout + f.stderr + j.stdout + j.stderr + o.stdout + o.stderr
	migCanary(t, env, printed)
	for _, raw := range []string{"zqmig", "0912-555", "+886912555999", "M7000", "example.com"} {
		if strings.Contains(printed, raw) {
			t.Errorf("ledger find printed a raw value (%q)", raw)
		}
	}
}
