package cli

import (
	"bytes"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
)

// respellInLedger rewrites the ledger's requests as an older hashgate
// made them: the event id of key plain becomes that of written. It
// returns how many it rewrote.
func respellInLedger(t *testing.T, env map[string]string, plain, written string) int {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := eventid.NewDeriver(env["HASHGATE_SECRET"])
	p, _ := d.Derive(plain)
	w, _ := d.Derive(written)
	pb, _ := hex.DecodeString(string(p))
	wb, _ := hex.DecodeString(string(w))
	rows, err := db.Query(`SELECT id, event_ids FROM requests`)
	if err != nil {
		t.Fatal(err)
	}
	type req struct {
		id  int64
		ids []byte
	}
	var reqs []req
	for rows.Next() {
		var q req
		if err := rows.Scan(&q.id, &q.ids); err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, q)
	}
	rows.Close()
	n := 0
	for _, q := range reqs {
		if at := bytes.Index(q.ids, pb); at >= 0 {
			copy(q.ids[at:], wb)
			n++
			if _, err := db.Exec(`UPDATE requests SET event_ids = ? WHERE id = ?`, q.ids, q.id); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.Exec(`UPDATE meta SET value = (SELECT CAST(max(id) AS TEXT) FROM requests) WHERE key = 'unfolded_ids_through'`); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAnOrderListFindsWhatAnOlderHashgateSentFullWidth: an older hashgate
// (ledger schema 15 or before) sent a full-width order id, Ａ１００２, under
// the event id of that spelling. An order list naming it as written finds
// it sent, and erase erases it: the list's id is looked up under both
// spellings, as the upload looks it up. Before, --orders derived the
// folded spelling's id only, and the event was neither found nor erased.
func TestAnOrderListFindsWhatAnOlderHashgateSentFullWidth(t *testing.T) {
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
	foldExport(t, export, map[int]bool{2: true}, fullWidth)
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	if n := respellInLedger(t, env, "A1002", fullWidth("A1002")); n != 1 {
		t.Fatalf("rewrote %d requests", n)
	}
	dir := t.TempDir()
	wide := filepath.Join(dir, "wide.txt")
	if err := os.WriteFile(wide, []byte(fullWidth("A1002")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sent := func() int {
		t.Helper()
		r := runAt(t, clock, env, "ledger", "find", "--json", "--config", cfg, "--orders", wide)
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
	if n := sent(); n != 1 {
		t.Fatalf("Ａ１００２ found sent %d time(s); want 1: the id as listed was not looked up", n)
	}
	patients := filepath.Join(dir, "patients.txt")
	if err := os.WriteFile(patients, []byte("zqfold2@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runAt(t, clock, env, "ledger", "erase", "--config", cfg, "--patients", patients, "--orders", wide)
	if r.code != 0 {
		t.Fatalf("ledger erase: exit %d\n%s", r.code, r.stderr)
	}
	if n := sent(); n != 0 {
		t.Errorf("after erasing Ａ１００２, still found sent %d time(s): erase left the event sent under the spelling as written", n)
	}
	if strings.Contains(r.stdout+r.stderr, "A1002") || strings.Contains(r.stdout+r.stderr, fullWidth("A1002")) {
		t.Errorf("erase printed the order id\n%s%s", r.stdout, r.stderr)
	}
}
