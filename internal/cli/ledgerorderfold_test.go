package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLedgerFindAndEraseFoldAListedOrderID: uploads since ledger schema
// 16 send a single-column order id folded (Ａ１００２ is A1002). An order
// list copied from a clinic system storing the id full-width must find
// and erase what they sent: the list reader folds full-width forms
// (consent.ReadRevocations, NFKC), so the ids derived are the folded
// spelling's. A review of folded order ids (2026-12-07) said it did not;
// this pins that it does, and that an order not listed stays.
func TestLedgerFindAndEraseFoldAListedOrderID(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
	_, cfg, env, export := metaNights(t, clock)
	body, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	keyed := strings.Replace(string(body), "    consent: consent\n", "    consent: consent\n    patient_key: email\n", 1)
	if err := os.WriteFile(cfg, []byte(keyed), 0o600); err != nil {
		t.Fatal(err)
	}
	foldExport(t, export, nil, nil)
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	dir := t.TempDir()
	list := func(name, id string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(id+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sent := func(orders string) int {
		t.Helper()
		r := runAt(t, clock, env, "ledger", "find", "--json", "--config", cfg, "--orders", orders)
		var out struct {
			Events []struct {
				Sent bool `json:"sent"`
			} `json:"events"`
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil {
			t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		n := 0
		for _, e := range out.Events {
			if e.Sent {
				n++
			}
		}
		return n
	}
	wide, plain, other := list("wide.txt", fullWidth("A1002")), list("plain.txt", "A1002"), list("other.txt", "A1003")
	if n := sent(plain); n != 1 {
		t.Fatalf("A1002 found sent %d time(s); want 1", n)
	}
	if n := sent(wide); n != 1 {
		t.Errorf("Ａ１００２ found sent %d time(s); want 1: the folded spelling's ids were not looked up", n)
	}
	r := runAt(t, clock, env, "ledger", "erase", "--config", cfg, "--patients", list("patients.txt", "zqfold2@example.com"), "--orders", wide)
	if r.code != 0 {
		t.Fatalf("ledger erase: exit %d\n%s", r.code, r.stderr)
	}
	if n := sent(plain); n != 0 {
		t.Errorf("after erasing Ａ１００２, A1002 still found sent %d time(s): erase left the events sent under the folded id", n)
	}
	if n := sent(other); n != 1 {
		t.Errorf("after erasing Ａ１００２, A1003 found sent %d time(s); want 1", n)
	}
	if strings.Contains(r.stdout+r.stderr, "A1002") || strings.Contains(r.stdout+r.stderr, fullWidth("A1002")) {
		t.Errorf("erase printed the order id\n%s%s", r.stdout, r.stderr)
	}
}
