package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// TestEraseReachesAWithdrawalRememberedUnderTheTextFormula: hashgate up to
// c55587c remembered the withdrawal of chart ="00099" (a text formula)
// under the formula as written. Erasing 00099 — the key as the export
// shows it, or as the officer lists it plainly — removes that record from
// the ledger's bytes, and keeps her withdrawn under the key's text; before,
// the record under the formula stayed after her erasure (a keyed digest
// of her chart number, with the nights that had read it), exit 0.
func TestEraseReachesAWithdrawalRememberedUnderTheTextFormula(t *testing.T) {
	for _, listed := range []string{"00099", `="00099"`} {
		env, cfg, old := literalWithdrawal(t)
		r := runGoogle(t, env, listed+"\n", true, "ledger", "erase", "--config", cfg, "--patients", "-")
		noLiteralCanary(t, r.stdout+r.stderr)
		if r.code != ExitOK || !strings.Contains(r.stderr, "kept the withdrawal of 1") {
			t.Fatalf("listed %s: exit %d\n%s%s", listed, r.code, r.stdout, r.stderr)
		}
		for _, b := range old {
			if bytes.Contains(ledgerFiles(t, env), b) {
				t.Errorf("listed %s: the withdrawal remembered under the text formula is still in the ledger after the erasure", listed)
			}
		}
	}
}

// TestUnrevokeForgetsAWithdrawalRememberedUnderTheTextFormula: listing
// 00099 to unrevoke --patients (her consent given again) forgets the
// withdrawal c55587c remembered under ="00099"; before, "forgot 0", and
// the next upload with her wrapped row moved it to her key's text and
// kept her out.
func TestUnrevokeForgetsAWithdrawalRememberedUnderTheTextFormula(t *testing.T) {
	env, cfg, old := literalWithdrawal(t)
	r := runGoogle(t, env, "00099\n", true, "ledger", "unrevoke", "--config", cfg, "--patients", "-")
	noLiteralCanary(t, r.stdout+r.stderr)
	if r.code != ExitOK || !strings.Contains(r.stderr+r.stdout, "forgot the withdrawal of 1") {
		t.Fatalf("unrevoke: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, b := range old {
		if bytes.Contains(ledgerFiles(t, env), b) {
			t.Error("the withdrawal remembered under the text formula is still in the ledger after unrevoke")
		}
	}
}

// literalWithdrawal is the ledger c55587c wrote, upgraded by a night
// without the withdrawn patient's row, and the two digests of ="00099"
// as the ledger stores them, one at least present.
func literalWithdrawal(t *testing.T) (map[string]string, string, [][]byte) {
	t.Helper()
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	wrappedLedger(t, env, false)
	cfg := wrappedConfig(t, gURL, mURL, false)
	// An upgraded night without her row: the ledger is of this
	// hashgate's schema, her record still under the formula (a night
	// with her wrapped row would have moved it: RekeyLiteral).
	night := strings.Split(strings.TrimRight(mustRead(t, wrappedExport(t, "raw", true)), "\r\n"), "\r\n")
	night = slices.DeleteFunc(night, func(l string) bool { return strings.Contains(l, "00099") })
	p := filepath.Join(t.TempDir(), "night.csv")
	if err := os.WriteFile(p, []byte(strings.Join(night, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, p); r.code != ExitOK {
		t.Fatalf("the upgraded night: exit %d\n%s", r.code, r.stderr)
	}
	d := eventid.NewDeriver(env["HASHGATE_SECRET"])
	lit := celltext.Literal("00099")
	var old [][]byte
	digests := []uint64{pipeline.RememberedDigest(d, lit)}
	if legacy, differs := pipeline.LegacyDigest(d, lit); differs {
		digests = append(digests, legacy)
	}
	present := 0
	for _, dg := range digests {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], dg)
		old = append(old, b[:])
		if bytes.Contains(ledgerFiles(t, env), b[:]) {
			present++
		}
	}
	if present == 0 {
		t.Fatal("the test's premise: the withdrawal under the formula's digest is in the ledger c55587c wrote")
	}
	return env, cfg, old
}

// TestFindShowsAWithdrawalRememberedUnderTheTextFormula: `ledger find
// --patients 00099` answers with the withdrawal c55587c remembered under
// ="00099" — an access request's answer lacked it ("no withdrawal").
func TestFindShowsAWithdrawalRememberedUnderTheTextFormula(t *testing.T) {
	env, cfg, _ := literalWithdrawal(t)
	export := filepath.Join("..", "..", "testdata", "ledger", "wrapped-ids.csv")
	r := runGoogle(t, env, "00099\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", export)
	noLiteralCanary(t, r.stdout+r.stderr)
	var out struct {
		Withdrawals []json.RawMessage `json:"withdrawals"`
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &out) != nil {
		t.Fatalf("find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if len(out.Withdrawals) == 0 {
		t.Errorf("find shows no withdrawal for 00099; the ledger remembers hers under =\"00099\"\n%s", r.stdout)
	}
}

// noLiteralCanary: the chart number, the fixture's e-mails and phones
// reach no output of erase, unrevoke or find (counts, lines and keyed ids
// only).
func noLiteralCanary(t *testing.T, out string) {
	t.Helper()
	for _, v := range []string{"00099", "@example.com", "0912000"} {
		if strings.Contains(out, v) {
			t.Errorf("an output carries %q:\n%s", v, out)
		}
	}
}
