package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// placeholderNight is the reviewer's repro: 40 patients, each with their
// own phone, every chart carrying the clinic's placeholder address; the
// first withdraws.
func placeholderNight() string {
	var b strings.Builder
	for i := range 40 {
		consent := "yes"
		if i == 0 {
			consent = "withdrawn"
		}
		fmt.Fprintf(&b, "PH%02d,2026-11-18 %02d:%02d,completed,noemail@clinic.com,0912-777-%03d,Zqfirst,Zqlast,%s,Q%03d\n", i, 8+i/6, i%6*10, i, consent, i)
	}
	return b.String()
}

// TestAPlaceholderEmailWithdrawsNoOneListed: unlisted, the one withdrawal's
// placeholder address withdraws the other 39 (default-deny, as before) —
// and the upload now says so, on stderr and in the JSON report, and exits
// 3 instead of 0. Listed under input.not_patient_identifiers (as a front
// desk spells it), 39 of 40 are sent, none with the placeholder's hash, and
// the value appears in no output nor the ledger.
func TestAPlaceholderEmailWithdrawsNoOneListed(t *testing.T) {
	const alarm = "one e-mail or phone of 1 withdrawing row(s) of this run (first at "
	t.Run("unlisted", func(t *testing.T) {
		dm, gURL := googleFake(t, nil)
		g, mURL := metaFake(t, nil)
		env := uploadEnv(t)
		r := runGoogle(t, env, "", true, "upload", "--json", "--config", migConfig(t, gURL, mURL), migExport(t, placeholderNight()))
		if r.code != 3 || len(dm.Accepted()) != 0 || len(g.Accepted()) != 0 {
			t.Fatalf("exit %d, google %d, meta %d; want 3 and nothing sent\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
		}
		if !strings.Contains(r.stderr, alarm) || !strings.Contains(r.stderr, "withdrew the rows of 39 other patient keys (39 rows withdrawn by identifier in all): a placeholder or the clinic's own contact? list it under input.not_patient_identifiers") {
			t.Errorf("stderr says no alarm:\n%s", r.stderr)
		}
		var rep struct {
			Fan *struct {
				Rows int `json:"rows_withdrawn"`
				Keys int `json:"other_patient_keys"`
			} `json:"identifier_fan_out"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Fan == nil || rep.Fan.Rows != 39 || rep.Fan.Keys != 39 {
			t.Errorf("JSON report (%v): %s", err, r.stdout)
		}
		placeholderCanary(t, env, r.stdout+r.stderr)
	})
	t.Run("listed", func(t *testing.T) {
		dm, gURL := googleFake(t, nil)
		g, mURL := metaFake(t, nil)
		env := uploadEnv(t)
		cfg := migConfig(t, gURL, mURL)
		editConfig(t, cfg, "    patient_key: pid\n", "    patient_key: pid\n  not_patient_identifiers: [\" NoEmail@Clinic.com \"]\n")
		r := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, migExport(t, placeholderNight()))
		if r.code != 0 || len(dm.Accepted()) != 39 || len(g.Accepted()) != 39 {
			t.Fatalf("exit %d, google %d, meta %d; want 0 and 39 each\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
		}
		if strings.Contains(r.stderr, alarm) || strings.Contains(r.stdout, "identifier_fan_out") || strings.Contains(r.stdout+r.stderr, "consent_withdrawn_identifier") {
			t.Errorf("an alarm or identifier withdrawal:\n%s\n%s", r.stderr, r.stdout)
		}
		sum := sha256.Sum256([]byte("noemail@clinic.com"))
		for id := range g.Accepted() {
			if ev, _ := json.Marshal(g.Event(id)); strings.Contains(string(ev), hex.EncodeToString(sum[:])) {
				t.Fatalf("meta was sent the placeholder's hash as a patient's: %s", ev)
			}
		}
		placeholderCanary(t, env, r.stdout+r.stderr)
		if b, _ := os.ReadFile(cfg); !strings.Contains(string(b), "NoEmail") {
			t.Fatal("the config lost its value: the canary proves nothing")
		}
	})
}

// placeholderCanary: the placeholder, as written or canonical, is in no
// output and not in the ledger; nor are the rows' names, phones (as
// written and as digits) or chart numbers — the alarm names rows by
// file:line and counts only.
func placeholderCanary(t *testing.T, env map[string]string, out string) {
	t.Helper()
	var db []byte
	for _, f := range []string{"ledger.db", "ledger.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(env["XDG_STATE_HOME"], "hashgate", f))
		db = append(db, b...)
	}
	for _, form := range []string{"noemail", "NoEmail", "clinic.com", "Zqfirst", "Zqlast", "0912-777-", "912777", "+886912777", ",Q0"} {
		if strings.Contains(out, form) || strings.Contains(string(db), form) {
			t.Errorf("output or ledger holds %q:\n%s", form, out)
		}
	}
}
