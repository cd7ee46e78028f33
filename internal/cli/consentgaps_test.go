package cli

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// gapsNight runs one nightly upload of body (under wExport's header plus a
// patient column) at clk, with the JSON report at rep, and returns it.
func gapsNight(t *testing.T, clk *simClock, env map[string]string, cfg, rep, body string) result {
	t.Helper()
	p := filepath.Join(t.TempDir(), "w.csv")
	if err := os.WriteFile(p, []byte("id,at,status,email,phone,first,last,consent,patient\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	return runAt(t, clk, env, "upload", "--config", cfg, "--report", rep, p)
}

// gapsConfig is bothConfig with consent.granted and the patient column
// changed by edit.
func gapsConfig(t *testing.T, clk *simClock, edit func(string) string) (string, *destinationtest.DataManager, *destinationtest.Graph) {
	t.Helper()
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	cfg := bothConfig(t, dm.Start(t).URL+"/", g.Start(t).URL, "")
	if err := os.WriteFile(cfg, []byte(edit(mustRead(t, cfg))), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg, dm, g
}

// withdrawnReport is the report's withdrawn_after_sent objects, spaces
// removed.
func withdrawnReport(t *testing.T, rep string) string {
	t.Helper()
	return strings.Join(strings.Fields(mustRead(t, rep)), "")
}

// TestAPlainRefusalAfterAGrantIsAWithdrawal: a 0/1 consent column
// (consent.granted: ["1"]) whose cell was 1 the night the visit was sent
// and is 0 on a later night: the patient refused what they had granted —
// withdrawn, as GDPR Art. 7(3) and the PDPA mean it — and the platforms
// hold the visit. Before, "0" was consent_not_granted (a word the config
// does not know), and withdrawn_after_sent did not count it while a cell
// turned to "revoked" was counted; the drift check already read "0" beside
// a granted "1" as a known refusal.
func TestAPlainRefusalAfterAGrantIsAWithdrawal(t *testing.T) {
	clk := &simClock{t: fixedNow}
	cfg, _, _ := gapsConfig(t, clk, func(s string) string { return strings.Replace(s, `granted: ["yes"]`, `granted: ["1"]`, 1) })
	env := uploadEnv(t)
	rep := filepath.Join(t.TempDir(), "run.json")
	row := func(id, day, c string) string {
		return id + ",2026-11-" + day + " 10:00,completed,zqw" + id + "@example.com,0912-300-00" + id[1:] + ",Zqw,Zqw," + c + ",\n"
	}
	if r := gapsNight(t, clk, env, cfg, rep, row("W1", "20", "1")+row("W2", "21", "1")); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	clk.Advance(24 * time.Hour)
	r := gapsNight(t, clk, env, cfg, rep, row("W1", "20", "0")+row("W2", "21", "1"))
	if r.code != 0 || !strings.Contains(r.stderr, "withdrawn after they were sent: google 1, meta 1 (") {
		t.Errorf("night 2: exit %d; want W1's visit counted withdrawn after sent\n%s", r.code, r.stderr)
	}
	if raw := withdrawnReport(t, rep); strings.Count(raw, `"withdrawn_after_sent":{"consent_denied":1}`) != 2 {
		t.Errorf("report:\n%s", mustRead(t, rep))
	}
}

// TestRowsWithdrawnByAnotherRowAreCountedAfterSent: W1 (patient P1) and W2
// (P2) were sent; the next night P1 revokes on a new row (W3) and the
// revocations file lists P2's new row (W4). W1 and W2 are withdrawn by
// another row (consent_revoked_patient, consent_revoked_list), and the
// platforms hold them: they are withdrawn after they were sent. Before,
// only a row whose own cell or listing withdrew it was counted — the
// settling applied other rows' withdrawals after the rows had been noted.
func TestRowsWithdrawnByAnotherRowAreCountedAfterSent(t *testing.T) {
	clk := &simClock{t: fixedNow}
	rev := filepath.Join(t.TempDir(), "revoked.txt")
	cfg, _, _ := gapsConfig(t, clk, func(s string) string {
		return strings.Replace(s, "    consent: consent\n", "    consent: consent\n    patient_key: patient\n", 1)
	})
	env := uploadEnv(t)
	rep := filepath.Join(t.TempDir(), "run.json")
	row := func(id, day, c, patient string) string {
		return id + ",2026-11-" + day + " 10:00,completed,zqw" + id + "@example.com,0912-300-00" + id[1:] + ",Zqw,Zqw," + c + "," + patient + "\n"
	}
	sent := row("W1", "20", "yes", "P1") + row("W2", "20", "yes", "P2")
	if r := gapsNight(t, clk, env, cfg, rep, sent); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	if err := os.WriteFile(rev, []byte("W4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), "consent:\n  granted", "consent:\n  revocations_file: "+rev+"\n  granted", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	clk.Advance(24 * time.Hour)
	r := gapsNight(t, clk, env, cfg, rep, sent+row("W3", "21", "revoked", "P1")+row("W4", "21", "yes", "P2"))
	if r.code != 0 || !strings.Contains(r.stderr, "withdrawn after they were sent: google 2, meta 2 (") {
		t.Errorf("night 2: exit %d; want W1 and W2 counted withdrawn after sent\n%s", r.code, r.stderr)
	}
	if raw := withdrawnReport(t, rep); strings.Count(raw, `"withdrawn_after_sent":{"consent_revoked_list":1,"consent_revoked_patient":1}`) != 2 {
		t.Errorf("report:\n%s", mustRead(t, rep))
	}
}

// TestUnrevokeFoldsPatientKeysAsTheExportDoes: `ledger unrevoke --patients`
// reads its keys folded as consent.revocations_file and the export's
// patient keys are (consent.Key: case, full-width forms, invisible edges,
// an all-digit key's zeros). A patient who withdrew as "A007001" (and one
// written in full-width forms) and is listed as "a007001" (and as the
// export wrote it) is forgotten; before, the remembered digest kept the
// case and the full-width forms while unrevoke folded the full-width
// forms, so neither was found ("forgot 0"), though the revocations file
// matches both ids.
func TestUnrevokeFoldsPatientKeysAsTheExportDoes(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	withdraw := "A007001,病患a,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n" +
		"Ｂ００７００２,病患b,115/10/20,上午 10:00,已完成,0912-700-002,撤回,1500\n"
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, withdraw)); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	r := runGoogle(t, env, "a007001\nＢ００７００２\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	if r.code != 0 || !strings.Contains(r.stderr, "forgot the withdrawal of 2 of the 2 listed patient(s)") {
		t.Fatalf("unrevoke --patients: exit %d\n%s", r.code, r.stderr)
	}
	later := "A007001,病患a,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n" +
		"Ｂ００７００２,病患b,115/10/25,上午 11:00,已完成,0912-700-002,同意,1500\n"
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later)); r.code != 0 || len(dm.Accepted()) != 2 {
		t.Fatalf("night 2: exit %d, google %d; want both re-consented patients' visits sent\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}

// TestWithdrawalsRememberedBeforeTheFoldStillHold: a ledger whose uploads
// remembered withdrawals under the key as the export wrote it (an older
// hashgate: A007001, Ｂ００７００２ as written; pipeline.LegacyDigest) keeps
// those patients out after the memory folded keys, and `unrevoke
// --patients` forgets the first listed as the export wrote it. The second
// it cannot find — it reads its list in NFKC, as it did before, so the
// full-width form is lost — and that patient stays out: `unrevoke --run`
// forgets such a withdrawal.
func TestWithdrawalsRememberedBeforeTheFoldStillHold(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	withdraw := "A007001,病患a,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n" +
		"Ｂ００７００２,病患b,115/10/20,上午 10:00,已完成,0912-700-002,撤回,1500\n"
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, withdraw)); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	// What an older hashgate remembered: the digests of the keys as written.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := eventid.NewDeriver(env["HASHGATE_SECRET"])
	for _, k := range []string{"A007001", "Ｂ００７００２"} {
		if _, err := db.Exec("UPDATE revoked_patients SET digest = ? WHERE digest = ?", int64(d.RevokedPatient(k)), int64(pipeline.RememberedDigest(d, k))); err != nil {
			t.Fatal(err)
		}
	}
	later := "A007001,病患a,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n" +
		"Ｂ００７００２,病患b,115/10/25,上午 11:00,已完成,0912-700-002,同意,1500\n"
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later)); r.code != 0 || len(dm.Accepted()) != 0 || !strings.Contains(r.stderr, "consent_revoked_patient 2") {
		t.Fatalf("night 2: exit %d, google %d; want both patients still withdrawn\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	// a007001 is the same patient: listed after A007001, not counted twice.
	r := runGoogle(t, env, "a007001\nA007001\nＢ００７００２\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	if r.code != 0 || !strings.Contains(r.stderr, "forgot the withdrawal of 1 of the 2 listed patient(s)") {
		t.Fatalf("unrevoke --patients: exit %d\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later)); r.code != 0 || len(dm.Accepted()) != 1 || !strings.Contains(r.stderr, "consent_revoked_patient 1") {
		t.Fatalf("night 3: exit %d, google %d; want A007001's visit sent, Ｂ００７００２ still withdrawn\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}
