package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEraseAfterARotationErasesEventsSentUnderThePreviousSecret: O's
// visit sent on night 1, under secret A, is in the ledger under A's event
// id until retention. After the rotation A→B, `ledger find` made her rows'
// ids under B alone and answered "never sent: not in the ledger" — a
// wrong answer to an access request — and `ledger erase` erased 0 event
// entries, exit 0, leaving it. With A given as HASHGATE_PREVIOUS_SECRET,
// find lists it and erase removes it from the ledger's bytes.
func TestEraseAfterARotationErasesEventsSentUnderThePreviousSecret(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	night1 := twExport(t, rotNights[0])
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, night1); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	// Her event ids under A, as find answered before the rotation.
	r := runGoogle(t, env, "A007002\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", night1)
	var before struct {
		Events []struct {
			EventID string `json:"event_id"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &before); r.code != ExitOK || err != nil || len(before.Events) == 0 {
		t.Fatalf("find under A: exit %d (%v)\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[1])); r.code != ExitOK {
		t.Fatalf("night 2 (rotation A→B): exit %d\n%s", r.code, r.stderr)
	}
	// Metamorphic: find answers after the rotation what it answered before.
	f := runGoogle(t, env, "A007002\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", night1)
	var after struct {
		Events []struct {
			EventID string `json:"event_id"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(f.stdout), &after); f.code != ExitOK || err != nil || len(after.Events) != len(before.Events) || after.Events[0].EventID != before.Events[0].EventID {
		t.Errorf("find after the rotation: %d event record(s), %d before it (exit %d, %v)\n%s", len(after.Events), len(before.Events), f.code, err, f.stdout)
	}
	e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
	if e.code != ExitOK || !strings.Contains(e.stderr, "erased 2 event entries") {
		t.Errorf("erase after the rotation: exit %d; want her night-1 visit's 2 entries (Google, Meta) erased\n%s", e.code, e.stderr)
	}
	for _, ev := range before.Events {
		if bytes.Contains(ledgerFiles(t, env), mustHex(t, ev.EventID)) {
			t.Errorf("O's event %s, sent under the previous secret, is still in the ledger after her erasure", ev.EventID)
		}
	}
}

// TestEraseByOrdersAfterARotationErasesEventsSentUnderThePreviousSecret:
// the same with the visit named by its order id (--orders, a one-column
// order id): its event id is made under the previous secret too.
func TestEraseByOrdersAfterARotationErasesEventsSentUnderThePreviousSecret(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, `order_id: ["病歷號碼", "就診日期", "就診時間"]`, `order_id: "姓名"`, 1)
	})
	night1 := twExport(t, rotNights[0])
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, night1); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, "A007002,病患x,115/10/25,上午 11:00,已完成,0912-700-002,同意,1500\n")); r.code != ExitOK {
		t.Fatalf("night 2 (rotation A→B): exit %d\n%s", r.code, r.stderr)
	}
	orders := filepath.Join(t.TempDir(), "orders.txt")
	if err := os.WriteFile(orders, []byte("病患o\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", "--orders", orders)
	if e.code != ExitOK || !strings.Contains(e.stderr, "erased 2 event entries") {
		t.Errorf("erase --orders after the rotation: exit %d; want her night-1 visit's 2 entries (Google, Meta) erased\n%s", e.code, e.stderr)
	}
}

// TestEraseByExportsWithoutThePreviousSecretSaysEventsMayRemain: after a
// rotation whose withdrawals have all moved to the new secret (P came
// back on night 2), erase by the exports without HASHGATE_PREVIOUS_SECRET
// cannot make O's night-1 event id: it says the events sent before the
// rotation may remain and exits 3; another previous secret is refused
// (exit 2); with the rotation's, exit 0 and the event gone.
func TestEraseByExportsWithoutThePreviousSecretSaysEventsMayRemain(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	night1 := twExport(t, rotNights[0])
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, night1); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[2])); r.code != ExitOK {
		t.Fatalf("night 2 (rotation A→B, P back): exit %d\n%s", r.code, r.stderr)
	}
	delete(env, "HASHGATE_PREVIOUS_SECRET")
	e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1)
	if e.code != ExitPartial || !strings.Contains(e.stderr, "events sent before the last rotation") || strings.Contains(e.stderr, "withdrawn patient(s) only under the previous secret") {
		t.Fatalf("erase without the previous secret: exit %d; want 3, saying the events from before the rotation may remain\n%s", e.code, e.stderr)
	}
	// Another previous secret than the rotation's would make ids that
	// reach none of them: refused, nothing erased.
	env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret
	if e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1); e.code != ExitUsage || !strings.Contains(e.stderr, "nothing was erased") {
		t.Fatalf("erase with another previous secret: exit %d; want 2\n%s", e.code, e.stderr)
	}
	env["HASHGATE_PREVIOUS_SECRET"] = prevOldSecret
	if e := runGoogle(t, env, "A007002\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1); e.code != ExitOK || !strings.Contains(e.stderr, "erased 2 event entries") {
		t.Fatalf("erase with it: exit %d; want her night-1 visit's 2 entries erased\n%s", e.code, e.stderr)
	}
}
