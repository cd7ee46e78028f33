package cli

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// Erasure and unrevoke after a rotation. The ledger remembers P's
// withdrawal (A007001, night 1) as a keyed digest under secret A; after
// the rotation A→B (rotFirstTwo) it waits under A, marked prev_key, until
// P reappears. `ledger erase` and `unrevoke --patients` digested the keys
// listed under B alone: the record under A — a keyed digest of P's chart
// number, linkable to her by anyone holding A — stayed in the ledger after
// her erasure, and unrevoke forgot nothing of hers ("forgot 0").

// prevDigestBytes is P's digest under the previous secret as SQLite
// stores a large integer (8 bytes, big-endian): present in the ledger's
// files, the record under A is still there.
func prevDigestBytes(key string) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], pipeline.RememberedDigest(eventid.NewDeriver(prevOldSecret), key))
	return b[:]
}

// ledgerFiles are the bytes of the ledger and its write-ahead log.
func ledgerFiles(t *testing.T, env map[string]string) []byte {
	t.Helper()
	lpath := filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db")
	var all []byte
	for _, f := range []string{lpath, lpath + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// TestEraseAfterARotationErasesTheRecordUnderThePreviousSecret: with A
// given as HASHGATE_PREVIOUS_SECRET, erase removes P's record under A from
// the ledger's bytes (before, it stayed), keeps her withdrawal (one
// suppression record, under B), and night 3 — P back, 同意 — sends O's
// visit alone.
func TestEraseAfterARotationErasesTheRecordUnderThePreviousSecret(t *testing.T) {
	env, cfg, accepted, _ := rotFirstTwo(t)
	old := prevDigestBytes("A007001")
	if !bytes.Contains(ledgerFiles(t, env), old) {
		t.Fatal("the test's premise: P's digest under the previous secret is in the ledger before the erasure")
	}
	r := runGoogle(t, env, "A007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-")
	if r.code != ExitOK || !strings.Contains(r.stderr, "erased 1 patient(s): kept the withdrawal of 1, wrote it for 0") {
		t.Fatalf("erase after the rotation: exit %d\n%s", r.code, r.stderr)
	}
	if bytes.Contains(ledgerFiles(t, env), old) {
		t.Error("P's digest under the previous secret is still in the ledger after her erasure")
	}
	before := accepted()
	up := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, rotNights[2]))
	if up.code != ExitOK || accepted()-before != 1 {
		t.Fatalf("night 3 after the erasure: exit %d, sent %d (want O's visit alone)\n%s", up.code, accepted()-before, up.stderr)
	}
}

// TestEraseAfterARotationWithoutThePreviousSecretSaysWhatMayRemain:
// without HASHGATE_PREVIOUS_SECRET erase erases what it can reach, says
// on stderr (counts only) that records under the previous secret may
// remain and how to reach them, and exits 3 (partial); the same erase
// with it given then erases them, exit 0, and again changes nothing
// (idempotent).
func TestEraseAfterARotationWithoutThePreviousSecretSaysWhatMayRemain(t *testing.T) {
	env, cfg, _, _ := rotFirstTwo(t)
	delete(env, "HASHGATE_PREVIOUS_SECRET")
	r := runGoogle(t, env, "A007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-")
	if r.code != ExitPartial || !strings.Contains(r.stderr, "may remain") || !strings.Contains(r.stderr, "HASHGATE_PREVIOUS_SECRET") {
		t.Fatalf("erase without the previous secret: exit %d (want 3, saying what may remain)\n%s", r.code, r.stderr)
	}
	env["HASHGATE_PREVIOUS_SECRET"] = prevOldSecret
	for i := range 2 {
		r = runGoogle(t, env, "A007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-")
		if r.code != ExitOK || !strings.Contains(r.stderr, "kept the withdrawal of 1, wrote it for 0") || strings.Contains(r.stderr, "may remain") {
			t.Fatalf("erase %d with the previous secret: exit %d\n%s", i+2, r.code, r.stderr)
		}
		if bytes.Contains(ledgerFiles(t, env), prevDigestBytes("A007001")) {
			t.Errorf("erase %d: P's digest under the previous secret is still in the ledger", i+2)
		}
	}
	// Nothing waits under A any more but the phone P withdrew with, kept
	// as the erasure's suppression record: status still counts it.
	st := runGoogle(t, env, "", true, "status", "--config", cfg)
	if !strings.Contains(st.stdout, "0 withdrawn patient(s) and 1 identifier(s)") {
		t.Errorf("status after the erasure: want P's phone alone under the previous secret\n%s", st.stdout)
	}
}

// TestUnrevokeAfterARotationForgetsTheRecordUnderThePreviousSecret: P
// consents again after the rotation; unrevoke --patients with A given
// forgets her withdrawal under A (before: "forgot 0", she stayed out), and
// night 3 sends her visit.
func TestUnrevokeAfterARotationForgetsTheRecordUnderThePreviousSecret(t *testing.T) {
	env, cfg, accepted, _ := rotFirstTwo(t)
	r := runGoogle(t, env, "A007001\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	if r.code != ExitOK || !strings.Contains(r.stderr, "forgot the withdrawal of 1 of the 1 listed patient(s)") {
		t.Fatalf("unrevoke after the rotation: exit %d\n%s", r.code, r.stderr)
	}
	if bytes.Contains(ledgerFiles(t, env), prevDigestBytes("A007001")) {
		t.Error("P's digest under the previous secret is still in the ledger after unrevoke")
	}
	before := accepted()
	up := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, rotNights[2]))
	if up.code != ExitOK || accepted()-before != 2 {
		t.Fatalf("night 3 after unrevoke: exit %d, sent %d (want P's and O's visits)\n%s", up.code, accepted()-before, up.stderr)
	}
}

// TestUnrevokeAfterARotationWithoutThePreviousSecretSaysWhatMayRemain:
// without it, unrevoke says her withdrawal under the previous secret may
// remain (she stays out) and how to reach it, and exits 3.
func TestUnrevokeAfterARotationWithoutThePreviousSecretSaysWhatMayRemain(t *testing.T) {
	env, cfg, _, _ := rotFirstTwo(t)
	delete(env, "HASHGATE_PREVIOUS_SECRET")
	r := runGoogle(t, env, "A007001\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	if r.code != ExitPartial || !strings.Contains(r.stderr, "may remain") || !strings.Contains(r.stderr, "HASHGATE_PREVIOUS_SECRET") {
		t.Fatalf("unrevoke without the previous secret: exit %d (want 3, saying what may remain)\n%s", r.code, r.stderr)
	}
}

// TestPreviousSecretErasureRefusesAnotherPreviousSecret: a
// HASHGATE_PREVIOUS_SECRET other than the one the waiting withdrawals
// were made under would reach none of them: erase refuses (exit 2) and
// erases nothing, rather than exit 0 with her record left.
func TestPreviousSecretErasureRefusesAnotherPreviousSecret(t *testing.T) {
	env, cfg, _, _ := rotFirstTwo(t)
	env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret
	r := runGoogle(t, env, "A007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "nothing was erased") {
		t.Fatalf("erase with another previous secret: exit %d (want 2)\n%s", r.code, r.stderr)
	}
	u := runGoogle(t, env, "A007001\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	if u.code != ExitUsage || !strings.Contains(u.stderr, "nothing was forgotten") {
		t.Fatalf("unrevoke with another previous secret: exit %d (want 2)\n%s", u.code, u.stderr)
	}
}

// TestErasureAfterARotationLeavesNoTrace (canary): every output of erase
// and unrevoke after a rotation — with and without the previous secret,
// refused — find's answer, the state directory's reports and the ledger's
// bytes carry none of P's or Q's raw values (chart numbers, phone as
// written and as digits, names) nor any secret.
func TestErasureAfterARotationLeavesNoTrace(t *testing.T) {
	env, cfg, _, outs := rotFirstTwo(t)
	exp := twExport(t, rotNights[2]+"A009001,病患q,115/10/27,上午 10:00,已完成,0912-700-001,同意,1500\n")
	run := func(stdin string, args ...string) {
		outs = append(outs, runGoogle(t, env, stdin, true, args...))
	}
	run("A009001\n", "ledger", "find", "--config", cfg, "--patients", "-", "--export", exp)
	run("A009001\n", "ledger", "find", "--json", "--config", cfg, "--patients", "-", "--export", exp)
	delete(env, "HASHGATE_PREVIOUS_SECRET")
	run("A007001\n", "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	run("A007001\n", "ledger", "erase", "--config", cfg, "--patients", "-", exp)
	env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret
	run("A007001\n", "ledger", "erase", "--config", cfg, "--patients", "-", exp)
	env["HASHGATE_PREVIOUS_SECRET"] = prevOldSecret
	run("A007001\n", "ledger", "erase", "--config", cfg, "--patients", "-", exp)
	run("A009001\n", "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	run("", "upload", "--config", cfg, exp)
	all := rotOutputs(t, env, outs)
	for _, raw := range []string{"A007001", "A009001", "0912-700-001", "912700001", "病患w", "病患q", prevOldSecret, prevNewSecret, rotOlderSecret} {
		if strings.Contains(all, raw) {
			t.Errorf("%q is in an output, a report or the ledger", raw)
		}
	}
}
