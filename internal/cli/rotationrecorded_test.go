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
		// The first try stops on the secret (exit 2): nothing is recorded
		// until a run goes on, so the next night's still sees the rotation.
		r = runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, rotNights[1]))
		if r.code != ExitUsage {
			t.Fatalf("night 2 without --accept-new-ids: exit %d; want the secret's stop\n%s", r.code, r.stderr)
		}
		outs = append(outs, r)
		r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[1]))
		if r.code != ExitOK {
			t.Fatalf("night 2 (rotation A→B, previous secret given: %v): exit %d\n%s", givenToUpload, r.code, r.stderr)
		}
		// Not given, the upload has nothing to say of it.
		if !givenToUpload && strings.Contains(r.stderr, "HASHGATE_PREVIOUS_SECRET may be removed") {
			t.Errorf("night 2 without the previous secret speaks of removing it\n%s", r.stderr)
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

// The rotation's first night: HASHGATE_SECRET is already the new secret
// B and HASHGATE_PREVIOUS_SECRET the old A, but no upload has gone on
// under B, so the ledger's fingerprint is still A's. erase and unrevoke
// --patients refused A as "another secret" (exit 2), and a patient's
// erasure had to wait for the night's upload. Every record is A's then:
// they act as under A, exactly as the day before (metamorphic).

// TestEraseOnTheRotationsFirstNightActsUnderThePreviousSecret: O's and
// P's erasure on the first night erases O's night-1 entries from the
// ledger's bytes, keeps both withdrawals, and says what an erasure under
// A alone says; the night's upload then sends neither.
func TestEraseOnTheRotationsFirstNightActsUnderThePreviousSecret(t *testing.T) {
	for _, night1 := range []string{rotNights[0], rotNoWithdrawal} {
		var said [2]string
		for i, firstNight := range []bool{false, true} {
			dm, gURL := googleFake(t, nil)
			_, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			cfg := twComposite(t, gURL, mURL, nil)
			exp := twExport(t, night1)
			var outs []result
			r := runGoogle(t, env, "", true, "upload", "--config", cfg, exp)
			if r.code != ExitOK {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			outs = append(outs, r)
			ids := findEventIDs(t, runGoogle(t, env, "A007002\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", exp))
			if firstNight {
				env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
				f := runGoogle(t, env, "A007002\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", exp)
				outs = append(outs, f)
				if got := findEventIDs(t, f); len(got) != len(ids) {
					t.Errorf("find on the first night: %d event(s), %d under A alone", len(got), len(ids))
				}
			}
			e := runGoogle(t, env, "A007002\nA007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", exp)
			outs = append(outs, e)
			if e.code != ExitOK || !strings.Contains(e.stderr, "erased 2 event entries") {
				t.Fatalf("erase (first night: %v, night 1 %q): exit %d; want O's 2 entries erased\n%s", firstNight, night1[:7], e.code, e.stderr)
			}
			said[i] = strings.SplitN(e.stderr, "\n", 2)[0]
			for _, id := range ids {
				if bytes.Contains(ledgerFiles(t, env), mustHex(t, id)) {
					t.Errorf("first night %v: O's event %s is still in the ledger after her erasure", firstNight, id)
				}
			}
			if firstNight {
				before := len(dm.Accepted())
				up := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[2]))
				outs = append(outs, up)
				if up.code != ExitOK || len(dm.Accepted()) != before {
					t.Errorf("night 2 after the first night's erasure: exit %d, sent %d (want neither O nor P)\n%s", up.code, len(dm.Accepted())-before, up.stderr)
				}
			}
			rotCanary(t, env, outs)
		}
		if said[0] != said[1] {
			t.Errorf("the first night's erasure says\n%s\nunder A alone\n%s", said[1], said[0])
		}
	}
}

// TestUnrevokeOnTheRotationsFirstNightActsUnderThePreviousSecret: P
// consents again on the first night: unrevoke --patients forgets her
// withdrawal under A, and the night's upload sends her visit.
func TestUnrevokeOnTheRotationsFirstNightActsUnderThePreviousSecret(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	var outs []result
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, rotNights[0]))
	if r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	u := runGoogle(t, env, "A007001\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	outs = append(outs, r, u)
	if u.code != ExitOK || !strings.Contains(u.stderr, "forgot the withdrawal of 1 of the 1 listed patient(s)") {
		t.Fatalf("unrevoke on the first night: exit %d\n%s", u.code, u.stderr)
	}
	if bytes.Contains(ledgerFiles(t, env), prevDigestBytes("A007001")) {
		t.Error("P's digest under A is still in the ledger after unrevoke")
	}
	before := len(dm.Accepted())
	up := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[2]))
	outs = append(outs, up)
	if up.code != ExitOK || len(dm.Accepted())-before != 2 {
		t.Errorf("night 2 after unrevoke: exit %d, sent %d (want P's and O's visits)\n%s", up.code, len(dm.Accepted())-before, up.stderr)
	}
	rotCanary(t, env, outs)
}

// TestErasureMovesHerPhoneToTheNewSecret: after the rotation A→B, P's
// erasure with the export holding her rows (and A given) moves the phone
// she withdrew with, kept as the erasure's suppression record, to B. It
// stayed under A: status counted it as waiting there (so the clinic could
// never drop the previous secret, and a second rotation stopped), and
// once the previous secret was dropped a new chart number carrying her
// phone was sent. Now status says nothing waits, and with A dropped the
// new chart's visit carrying her phone is held back.
func TestErasureMovesHerPhoneToTheNewSecret(t *testing.T) {
	env, cfg, accepted, outs := rotFirstTwo(t)
	e := runGoogle(t, env, "A007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", twExport(t, rotNights[0]))
	outs = append(outs, e)
	if e.code != ExitOK || !strings.Contains(e.stderr, "kept the withdrawal of 1") {
		t.Fatalf("erase with the export: exit %d\n%s", e.code, e.stderr)
	}
	st := runGoogle(t, env, "", true, "status", "--json", "--config", cfg)
	outs = append(outs, st)
	if strings.Contains(st.stdout, `"previous_secret"`) {
		t.Errorf("status after the erasure: something still waits under the previous secret\n%s", st.stdout)
	}
	delete(env, "HASHGATE_PREVIOUS_SECRET")
	before := accepted()
	up := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, "A009001,病患q,115/10/27,上午 10:00,已完成,0912-700-001,同意,1500\n"))
	outs = append(outs, up)
	if up.code != ExitOK || accepted() != before {
		t.Errorf("a new chart carrying P's phone, the previous secret dropped: exit %d, sent %d (want none)\n%s", up.code, accepted()-before, up.stderr)
	}
	rotCanary(t, env, outs)
}

// TestErasureWithoutHerRowsSaysHerPhoneStaysUnderThePreviousSecret: by
// the patient's key alone erase cannot make her phone's digest under B:
// it says how many of her e-mail and phone records stay under the
// previous secret and how to move them.
func TestErasureWithoutHerRowsSaysHerPhoneStaysUnderThePreviousSecret(t *testing.T) {
	env, cfg, _, outs := rotFirstTwo(t)
	e := runGoogle(t, env, "A007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-")
	outs = append(outs, e)
	if e.code != ExitOK || !strings.Contains(e.stderr, "1 e-mail or phone record(s) of the listed patients stay under the previous secret") {
		t.Fatalf("erase by key alone: exit %d\n%s", e.code, e.stderr)
	}
	rotCanary(t, env, outs)
}

// rotTwice runs night 1 under A (O alone), the rotation A→B and the
// rotation B→C, each recorded with no withdrawal remembered, and returns
// night 1's export and O's event ids under A.
func rotTwice(t *testing.T) (env map[string]string, cfg, night1 string, ids []string, outs []result) {
	t.Helper()
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env = uploadEnv(t)
	cfg = twComposite(t, gURL, mURL, nil)
	night1 = twExport(t, rotNoWithdrawal)
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, night1)
	if r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	f := runGoogle(t, env, "A007002\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", night1)
	ids = findEventIDs(t, f)
	outs = append(outs, r, f)
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[1]))
	if r.code != ExitOK {
		t.Fatalf("night 2 (A→B): exit %d\n%s", r.code, r.stderr)
	}
	outs = append(outs, r)
	return env, cfg, night1, ids, outs
}

// TestEraseTwoRotationsOnSaysWhatIsOutOfReach: after A→B→C, with B given
// as the previous secret, erase makes ids under C and B: O's visit sent
// under A stays in the ledger until retention. It said "erased 0 event
// entries", exit 0; it says they are out of reach and exits 3.
func TestEraseTwoRotationsOnSaysWhatIsOutOfReach(t *testing.T) {
	env, cfg, night1, _, outs := rotTwice(t)
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret, prevNewSecret
	r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[2]))
	if r.code != ExitOK {
		t.Fatalf("night 3 (B→C): exit %d\n%s", r.code, r.stderr)
	}
	e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
	outs = append(outs, r, e)
	if e.code != ExitPartial || !strings.Contains(e.stderr, "before the rotation before last") {
		t.Fatalf("erase two rotations on: exit %d; want 3, saying the events under the older secret are out of reach\n%s", e.code, e.stderr)
	}
	rotCanary(t, env, outs)
}

// TestEraseOnTheSecondRotationsFirstNightSaysHowToReachTheOldest: on
// B→C's first night (C given, B as the previous secret) the ledger is
// B's, and O's visit sent under A is under the previous secret of its
// last rotation: erase says to run it with B as the secret and A as the
// previous one — before the night's upload — exit 3; so run, it erases it.
func TestEraseOnTheSecondRotationsFirstNightSaysHowToReachTheOldest(t *testing.T) {
	env, cfg, night1, ids, outs := rotTwice(t)
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret, prevNewSecret
	e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
	outs = append(outs, e)
	if e.code != ExitPartial || !strings.Contains(e.stderr, "before tonight's upload") {
		t.Fatalf("erase on B→C's first night: exit %d; want 3, saying how to reach the events under A\n%s", e.code, e.stderr)
	}
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	e = runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
	outs = append(outs, e)
	if e.code != ExitOK || !strings.Contains(e.stderr, "erased 2 event entries") {
		t.Fatalf("erase with B and A: exit %d; want O's night-1 entries erased\n%s", e.code, e.stderr)
	}
	for _, id := range ids {
		if bytes.Contains(ledgerFiles(t, env), mustHex(t, id)) {
			t.Errorf("O's event %s, sent under A, is still in the ledger", id)
		}
	}
	rotCanary(t, env, outs)
}
