package cli

import (
	"bytes"
	"strings"
	"testing"
)

// A rotation under a config without input.columns.patient_key. Uploads
// do not need the column, erase does: a clinic adds it only in order to
// erase a patient. The upload judged and recorded a rotation only with a
// patient-key column, so after uploads A→B without one, erase by the
// exports without HASHGATE_PREVIOUS_SECRET said "erased 0 event entries",
// exit 0, and the patient's visit sent under A stayed in the ledger —
// the very thing the rotation record is for (a review of rotation29).

// TestARotationWithoutAPatientKeyColumnIsRecordedForErase: night 1 (A)
// uploads under a config without the column, night 2 (B, with
// --accept-new-ids) under it or under one that adds the column that
// night (the ledger keeps no withdrawal fingerprint yet either way); erase
// with the column and without the previous secret says the events sent
// before the rotation may remain, exit 3; another previous secret is
// refused (exit 2); with the rotation's it erases O's night-1 entries
// from the ledger's bytes, exit 0; nothing raw or secret in any output.
func TestARotationWithoutAPatientKeyColumnIsRecordedForErase(t *testing.T) {
	for _, columnOnNight2 := range []bool{false, true} {
		_, gURL := googleFake(t, nil)
		_, mURL := metaFake(t, nil)
		env := uploadEnv(t)
		noColumn := twComposite(t, gURL, mURL, func(s string) string {
			out := strings.Replace(s, `    patient_key: "病歷號碼"`+"\n", "", 1)
			if out == s {
				t.Fatal("the config's patient_key line moved: this test no longer drops it")
			}
			return out
		})
		cfg := twComposite(t, gURL, mURL, nil)
		night2 := noColumn
		if columnOnNight2 {
			night2 = cfg
		}
		night1 := twExport(t, rotNoWithdrawal)
		var outs []result
		r := runGoogle(t, env, "", true, "upload", "--config", noColumn, night1)
		if r.code != ExitOK {
			t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
		}
		outs = append(outs, r)
		f := runGoogle(t, env, "A007002\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", night1)
		ids := findEventIDs(t, f)
		outs = append(outs, f)
		env["HASHGATE_SECRET"] = prevNewSecret
		r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", night2, twExport(t, rotNights[1]))
		if r.code != ExitOK {
			t.Fatalf("night 2 (rotation A→B, the column added that night: %v): exit %d\n%s", columnOnNight2, r.code, r.stderr)
		}
		outs = append(outs, r)
		e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
		outs = append(outs, e)
		if e.code != ExitPartial || !strings.Contains(e.stderr, "events sent before the last rotation") {
			t.Fatalf("erase without the previous secret after a rotation under no patient-key column (added on night 2: %v): exit %d; want 3, saying the events from before the rotation may remain\n%s", columnOnNight2, e.code, e.stderr)
		}
		// Another previous secret than the rotation's makes ids that reach
		// none of them: refused, nothing erased — judged by the event ids'
		// key, since the rotation kept no withdrawal fingerprint to judge by.
		env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret
		e = runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
		outs = append(outs, e)
		if e.code != ExitUsage || !strings.Contains(e.stderr, "nothing was erased") {
			t.Fatalf("erase with another previous secret than the rotation's: exit %d; want 2, nothing erased\n%s", e.code, e.stderr)
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

// TestARotationsStoppedNightRecordsItOnce: the rotation's first upload
// under B reads an empty export (nothing sent: the ledger keeps no new
// event-id fingerprint), and the next night's upload under B judges the
// same rotation again. With and without a patient-key column, erase with
// the previous secret then erases O's night-1 entries and says nothing of
// a rotation before last: recorded twice, they read as two rotations out
// of reach (exit 3) though the previous secret reaches them.
func TestARotationsStoppedNightRecordsItOnce(t *testing.T) {
	for _, column := range []bool{false, true} {
		_, gURL := googleFake(t, nil)
		_, mURL := metaFake(t, nil)
		env := uploadEnv(t)
		cfg := twComposite(t, gURL, mURL, nil)
		upload := cfg
		if !column {
			upload = twComposite(t, gURL, mURL, func(s string) string {
				return strings.Replace(s, `    patient_key: "病歷號碼"`+"\n", "", 1)
			})
		}
		night1 := twExport(t, rotNoWithdrawal)
		if r := runGoogle(t, env, "", true, "upload", "--config", upload, night1); r.code != ExitOK {
			t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
		}
		env["HASHGATE_SECRET"] = prevNewSecret
		r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", upload, twExport(t, ""))
		if r.code == ExitUsage {
			t.Fatalf("night 2 (an empty export): exit %d; want it past the secret's stop\n%s", r.code, r.stderr)
		}
		if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", upload, twExport(t, rotNights[1])); r.code != ExitOK {
			t.Fatalf("night 3: exit %d\n%s", r.code, r.stderr)
		}
		env["HASHGATE_PREVIOUS_SECRET"] = prevOldSecret
		e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
		if e.code != ExitOK || !strings.Contains(e.stderr, "erased 2 event entries") || strings.Contains(e.stderr, "rotation before last") {
			t.Errorf("erase with the previous secret after a stopped rotation night (patient-key column: %v): exit %d; want 0, her 2 entries erased, no rotation before last\n%s", column, e.code, e.stderr)
		}
	}
}

// TestAWithdrawalOnTheRotationsNightIsTheNewSecrets: a rotation under no
// remembered withdrawal moves the withdrawals' fingerprint to the new
// secret with it (ledger.RotateRevokedKey), not only the event ids'
// record: P, who withdraws on the rotation's night, is remembered under
// B, and the next night's upload under B goes on (exit 0) and keeps her
// out. Were the event ids' rotation recorded alone, the ledger would
// keep A's fingerprint beside B's digests, and the next night stopped
// on "another patient-key column" (exit 2).
func TestAWithdrawalOnTheRotationsNightIsTheNewSecrets(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, rotNoWithdrawal)); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"] = prevNewSecret
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[0])); r.code != ExitOK {
		t.Fatalf("night 2 (rotation A→B, P withdraws): exit %d\n%s", r.code, r.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, "A007001,病患w,115/10/28,上午 09:00,已完成,0912-700-001,同意,1500\n"))
	if r.code != ExitOK || !strings.Contains(r.stderr, "consent_revoked_patient") && !strings.Contains(r.stdout, "consent_revoked_patient") {
		t.Fatalf("night 3 under B: exit %d; want 0, P's consenting visit kept out as withdrawn\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
