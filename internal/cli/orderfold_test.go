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

// foldExport writes 16 visits, ids A1000…A1015, the ids of respell
// written by spell (a full-width keyboard mode, a paste from a chat).
func foldExport(t *testing.T, path string, respell map[int]bool, spell func(string) string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for i := range 16 {
		id := fmt.Sprintf("A%d", 1000+i)
		if respell[i] {
			id = spell(id)
		}
		fmt.Fprintf(&b, "%s,2026-11-24 %02d:00,completed,zqfold%d@example.com,0912-556-%03d,Zqffirst%d,Zqflast%d,yes\n", id, 8+i/2, i, i, i, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// fullWidth spells ASCII letters and digits as an IME's full-width mode
// types them.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if '!' <= r && r <= '~' {
			return r - '!' + '！'
		}
		return r
	}, s)
}

// TestARespelledOrderIDIsNotSentAgain: night 1 sends 16 visits; night 2
// the same export with 4 of the ids respelled — full-width, or with a
// zero-width space pasted at the end — sends nothing new: the same event
// ids, no request at all. Before, the 4 went again under new event ids,
// exit 0 (too few for the safety net), and Meta counted them twice.
func TestARespelledOrderIDIsNotSentAgain(t *testing.T) {
	for name, spell := range map[string]func(string) string{
		"full-width":       fullWidth,
		"zero-width-space": func(s string) string { return s + "\u200b" },
	} {
		t.Run(name, func(t *testing.T) {
			clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
			g, cfg, env, export := metaNights(t, clock)
			foldExport(t, export, nil, nil)
			if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			destinationtest.ExactlyOnce(t, g.Counted(), 16)
			requests := g.Requests()
			clock.Advance(24 * time.Hour)
			foldExport(t, export, map[int]bool{2: true, 5: true, 9: true, 14: true}, spell)
			r := runAt(t, clock, env, "upload", "--config", cfg, export)
			if r.code != ExitOK {
				t.Fatalf("night 2: exit %d\n%s", r.code, r.stderr)
			}
			if g.Requests() != requests {
				t.Errorf("night 2 sent %d requests; the respelled ids went again\n%s", g.Requests()-requests, r.stderr)
			}
			destinationtest.ExactlyOnce(t, g.Counted(), 16)
		})
	}
}

// TestALedgerOfUnfoldedIDsStaysRight: a ledger made before single-column
// ids were folded holds a full-width id's event id as written. Tonight's
// export, the same, folds it to the plain spelling's id: the dual lookup
// finds it under the one the ledger holds, and nothing is sent again —
// tonight, nor the night after when the export writes it plainly.
func TestALedgerOfUnfoldedIDsStaysRight(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := metaNights(t, clock)
	respelled := map[int]bool{3: true, 7: true}
	foldExport(t, export, respelled, fullWidth)
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	unfoldLedger(t, env, respelled)
	requests := g.Requests()
	for night, spell := range []map[int]bool{respelled, nil} {
		clock.Advance(24 * time.Hour)
		foldExport(t, export, spell, fullWidth)
		r := runAt(t, clock, env, "upload", "--config", cfg, export)
		if r.code != ExitOK || g.Requests() != requests {
			t.Fatalf("night %d: exit %d, %d requests sent again\n%s", night+2, r.code, g.Requests()-requests, r.stderr)
		}
	}
}

// unfoldLedger makes the ledger in env's state directory one written
// before single-column ids were folded: the event ids of the visits of
// respelled (foldExport) are those of their full-width spelling, and the
// ledger marks them so.
func unfoldLedger(t *testing.T, env map[string]string, respelled map[int]bool) {
	t.Helper()
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
			plain, _ := d.Derive(fmt.Sprintf("A%d", 1000+i))
			written, _ := d.Derive(fullWidth(fmt.Sprintf("A%d", 1000+i)))
			p, _ := hex.DecodeString(string(plain))
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
	if _, err := db.Exec(`UPDATE meta SET value = (SELECT CAST(max(id) AS TEXT) FROM requests) WHERE key = 'unfolded_ids_through'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if swapped != len(respelled) {
		t.Fatalf("swapped %d ids", swapped)
	}
}
