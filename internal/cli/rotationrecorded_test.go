package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// A rotation made while the ledger remembered no withdrawal. The upload
// recorded a rotation only when withdrawals were remembered under the old
// secret: with none, the ledger's fingerprint simply followed the new
// secret, and a later `ledger erase` by the exports without
// HASHGATE_PREVIOUS_SECRET could not tell that O's visit sent before the
// rotation stayed in the ledger under the old secret's event id — it said
// "erased 0 event entries", exit 0.

// rotNoWithdrawal is night 1 of these tests: O alone, consenting (no
// withdrawal remembered).
const rotNoWithdrawal = "A007002,病患o,115/10/21,下午 02:30,已完成,0912-700-002,同意,1500\n"

// rotCanary asserts that no output, report or ledger byte carries O's or
// P's raw values (chart numbers, names, phones as written and as digits)
// nor any secret.
func rotCanary(t *testing.T, env map[string]string, outs []result) {
	t.Helper()
	all := rotOutputs(t, env, outs)
	for _, raw := range []string{"A007001", "A007002", "病患w", "病患o", "0912-700-00", "912700001", "912700002", prevOldSecret, prevNewSecret, rotOlderSecret} {
		if strings.Contains(all, raw) {
			t.Errorf("%q is in an output, a report or the ledger", raw)
		}
	}
}

// findEventIDs is what `ledger find --json` answers of O's events.
func findEventIDs(t *testing.T, r result) []string {
	t.Helper()
	var out struct {
		Events []struct {
			EventID string `json:"event_id"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); r.code != ExitOK || err != nil {
		t.Fatalf("find: exit %d (%v)\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	var ids []string
	for _, e := range out.Events {
		ids = append(ids, e.EventID)
	}
	return ids
}

// TestARotationWithNoWithdrawalIsRecordedForErase: the rotation A→B
// with no withdrawal remembered is recorded, with or without the previous
// secret given to the upload: erase by the exports without it says the
// events sent before the rotation may remain and exits 3; with it, O's
// night-1 entries are erased from the ledger's bytes, exit 0.
func TestARotationWithNoWithdrawalIsRecordedForErase(t *testing.T) {
	for _, givenToUpload := range []bool{false, true} {
		_, gURL := googleFake(t, nil)
		_, mURL := metaFake(t, nil)
		env := uploadEnv(t)
		cfg := twComposite(t, gURL, mURL, nil)
		night1 := twExport(t, rotNoWithdrawal)
		var outs []result
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, night1)
		if r.code != ExitOK {
			t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
		}
		outs = append(outs, r)
		f := runGoogle(t, env, "A007002\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", night1)
		ids := findEventIDs(t, f)
		outs = append(outs, f)
		env["HASHGATE_SECRET"] = prevNewSecret
		if givenToUpload {
			env["HASHGATE_PREVIOUS_SECRET"] = prevOldSecret
		}
		r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[1]))
		if r.code != ExitOK {
			t.Fatalf("night 2 (rotation A→B, previous secret given: %v): exit %d\n%s", givenToUpload, r.code, r.stderr)
		}
		outs = append(outs, r)
		delete(env, "HASHGATE_PREVIOUS_SECRET")
		e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
		outs = append(outs, e)
		if e.code != ExitPartial || !strings.Contains(e.stderr, "events sent before the last rotation") {
			t.Fatalf("erase without the previous secret (given to the upload: %v): exit %d; want 3, saying the events from before the rotation may remain\n%s", givenToUpload, e.code, e.stderr)
		}
		env["HASHGATE_PREVIOUS_SECRET"] = prevOldSecret
		e = runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
		outs = append(outs, e)
		if e.code != ExitOK || !strings.Contains(e.stderr, "erased 2 event entries") {
			t.Fatalf("erase with the previous secret: exit %d; want her night-1 visit's 2 entries erased\n%s", e.code, e.stderr)
		}
		for _, id := range ids {
			if bytes.Contains(ledgerFiles(t, env), mustHex(t, id)) {
				t.Errorf("O's event %s, sent under the previous secret, is still in the ledger after her erasure", id)
			}
		}
		rotCanary(t, env, outs)
	}
}

// TestAChangedPatientKeyColumnIsNoRotation: the same secret under another
// patient-key column changes the withdrawals' fingerprint but no event
// id: not a rotation, and erase by the exports afterwards exits 0 saying
// nothing may remain.
func TestAChangedPatientKeyColumnIsNoRotation(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	night1 := twExport(t, rotNoWithdrawal)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, night1); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	byName := twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, `patient_key: "病歷號碼"`, `patient_key: "姓名"`, 1)
	})
	if r := runGoogle(t, env, "", true, "upload", "--config", byName, twExport(t, rotNights[1])); r.code != ExitOK {
		t.Fatalf("night 2 (patient key by name): exit %d\n%s", r.code, r.stderr)
	}
	e := runGoogle(t, env, "病患o\n", true, "ledger", "erase", "--config", byName, "--patients", "-", night1)
	if e.code != ExitOK || strings.Contains(e.stderr, "rotation") {
		t.Fatalf("erase after a column change: exit %d; want 0, no rotation\n%s", e.code, e.stderr)
	}
}
