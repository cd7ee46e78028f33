package cli

import (
	"bytes"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/eventid"
)

// compositeNights is metaNights with the order id joined from the chart
// number and the appointment time.
func compositeNights(t *testing.T, clock *simClock) (g *destinationtest.Graph, cfg string, env map[string]string, export string) {
	t.Helper()
	g, cfg, env, export = metaNights(t, clock)
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte("order_id: id\n"), []byte("order_id: [id, at]\n"), 1)
	if err := os.WriteFile(cfg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return g, cfg, env, export
}

// compositeKey is the order key of visit i of foldExport under a
// composite id of [id, at], its id part spelled id.
func compositeKey(id string, i int) string {
	return fmt.Sprintf("%s\x1f2026-11-24T%02d:00", id, 8+i/2)
}

// zeroWidthInside respells an id with a zero-width space inside it, as a
// paste from a chat leaves one.
func zeroWidthInside(s string) string { return s[:2] + "\u200b" + s[2:] }

// TestACompositeIDsRespelledPartIsNotSentAgain: a part of a composite
// order id folds as a single-column id does (celltext.Fold): night 2 with
// a zero-width space or a soft hyphen inside 4 of 16 chart numbers sends
// nothing again. Before, the parts were NFKC-folded only, and the 4 went
// again under new event ids, exit 0.
func TestACompositeIDsRespelledPartIsNotSentAgain(t *testing.T) {
	for name, spell := range map[string]func(string) string{
		"zero-width-space": zeroWidthInside,
		"soft-hyphen":      func(s string) string { return s[:3] + "\u00ad" + s[3:] },
	} {
		t.Run(name, func(t *testing.T) {
			clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
			g, cfg, env, export := compositeNights(t, clock)
			foldExport(t, export, nil, nil)
			if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			destinationtest.ExactlyOnce(t, g.Counted(), 16)
			requests := g.Requests()
			clock.Advance(24 * time.Hour)
			foldExport(t, export, map[int]bool{1: true, 6: true, 10: true, 15: true}, spell)
			r := runAt(t, clock, env, "upload", "--config", cfg, export)
			if r.code != ExitOK || g.Requests() != requests {
				t.Errorf("night 2: exit %d, %d requests; the respelled ids went again\n%s", r.code, g.Requests()-requests, r.stderr)
			}
			destinationtest.ExactlyOnce(t, g.Counted(), 16)
		})
	}
}

// TestALedgerOfNFKCCompositeIDsStaysRight: a ledger whose composite ids
// were made with their parts NFKC-folded only (before this release) holds
// a chart number with a zero-width space inside under that spelling's
// event id. Tonight's export, the same, folds it away: the dual lookup
// finds the event under the id the ledger holds, and nothing is sent
// again — tonight, nor the night after when the chart number is written
// plainly.
func TestALedgerOfNFKCCompositeIDsStaysRight(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := compositeNights(t, clock)
	respelled := map[int]bool{3: true, 7: true}
	foldExport(t, export, respelled, zeroWidthInside)
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	// Made before: the ledger holds the NFKC spelling's ids, and marks
	// its requests so.
	db, err := sql.Open("sqlite", filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	d := eventid.NewDeriver(env["HASHGATE_SECRET"])
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
	swapped := 0
	for _, q := range reqs {
		for i := range respelled {
			id := fmt.Sprintf("A%d", 1000+i)
			folded, _ := d.Derive(compositeKey(id, i))
			written, _ := d.Derive(compositeKey(zeroWidthInside(id), i))
			p, _ := hex.DecodeString(string(folded))
			w, _ := hex.DecodeString(string(written))
			if at := bytes.Index(q.ids, p); at >= 0 {
				copy(q.ids[at:], w)
				swapped++
			}
		}
		if _, err := db.Exec(`UPDATE requests SET event_ids = ? WHERE id = ?`, q.ids, q.id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`UPDATE meta SET value = (SELECT CAST(max(id) AS TEXT) FROM requests) WHERE key = 'unfolded_parts_through'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if swapped != len(respelled) {
		t.Fatalf("swapped %d ids", swapped)
	}
	requests := g.Requests()
	for night, spell := range []map[int]bool{respelled, nil} {
		clock.Advance(24 * time.Hour)
		foldExport(t, export, spell, zeroWidthInside)
		r := runAt(t, clock, env, "upload", "--config", cfg, export)
		if r.code != ExitOK || g.Requests() != requests {
			t.Fatalf("night %d: exit %d, %d requests sent again\n%s", night+2, r.code, g.Requests()-requests, r.stderr)
		}
	}
}

var _ = strings.Contains
