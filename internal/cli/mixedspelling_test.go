package cli

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/eventid"
)

// On the night hashgate is upgraded past c55587c, an order whose rows
// mix the spellings — one row ="A0001", a plain copy A0001 (a row
// pasted by hand, a partial re-save) — is one visit the ledger holds
// under the wrapped spelling's event id. Before, the order's conversion
// was its first row's: with the plain row first it carried no legacy
// id, the ledger did not find it, and the visit was sent again (4 sent,
// want 3; the session-28 review). Row order must not change what is
// sent.

// mixedExport is the raw next night (wrappedExport) with a plain copy
// of A0001's row, its rows then ordered by order (the data rows' indexes).
func mixedExport(t *testing.T, order func(rows []string) []string) string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(mustRead(t, wrappedExport(t, "raw", true)), "\r\n"), "\r\n")
	head, rows := lines[0], lines[1:]
	plain := ""
	for _, l := range rows {
		if strings.HasPrefix(l, `="A0001",`) {
			plain = rawFormula.ReplaceAllString(l, "$1")
		}
	}
	if plain == "" {
		t.Fatal("no A0001 row in the fixture")
	}
	rows = order(append(rows, plain))
	p := filepath.Join(t.TempDir(), "mixed.csv")
	if err := os.WriteFile(p, []byte(head+"\r\n"+strings.Join(rows, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// plainAt moves the plain copy of A0001 (the last row) to just before
// (before) or after its wrapped row.
func plainAt(before bool) func([]string) []string {
	return func(rows []string) []string {
		plain := rows[len(rows)-1]
		rows = rows[:len(rows)-1]
		i := slices.IndexFunc(rows, func(l string) bool { return strings.HasPrefix(l, `="A0001",`) })
		if !before {
			i++
		}
		return slices.Insert(rows, i, plain)
	}
}

var heldLine = regexp.MustCompile(`already holds (\d+) of (google|meta)'s (\d+) conversions`)

// dryRunWouldSend is, per destination, what a dry-run says an upload
// would send: its conversions less those the ledger already holds.
func dryRunWouldSend(t *testing.T, stderr string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range heldLine.FindAllStringSubmatch(stderr, -1) {
		held, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[3])
		out[m[2]] = n - held
	}
	return out
}

// TestAnOrderMixingSpellingsIsNotSentAgainInAnyRowOrder: on the ledger
// c55587c wrote, the raw next night with a plain copy of A0001's row —
// before its wrapped row, after it, or the rows shuffled — sends the
// three new visits to each destination, and A0001 to neither; the
// dry-run of the same file says the same. No raw id, e-mail or phone
// reaches an output, the review or the ledger.
func TestAnOrderMixingSpellingsIsNotSentAgainInAnyRowOrder(t *testing.T) {
	orders := map[string]func([]string) []string{
		"plain before": plainAt(true),
		"plain after":  plainAt(false),
		"wrapped last": func(rows []string) []string {
			i := slices.IndexFunc(rows, func(l string) bool { return strings.HasPrefix(l, `="A0001",`) })
			w := rows[i]
			return append(slices.Delete(rows, i, i+1), w)
		},
	}
	for seed := range uint64(4) {
		orders[fmt.Sprintf("shuffle %d", seed)] = func(rows []string) []string {
			rand.New(rand.NewPCG(seed, 29)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			return rows
		}
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			wrappedLedger(t, env, false)
			cfg := wrappedConfig(t, gURL, mURL, false)
			export := mixedExport(t, order)
			review := filepath.Join(t.TempDir(), "review.csv")
			dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", review, export)
			if dry.code != 0 {
				t.Fatalf("dry-run: exit %d\n%s", dry.code, dry.stderr)
			}
			r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
			if r.code != 0 || len(dm.Accepted()) != 3 || len(g.Accepted()) != 3 {
				t.Fatalf("upload: exit %d, google sent %d, meta %d; want the 3 new visits\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
			}
			destinationtest.ExactlyOnce(t, dm.Accepted(), 3)
			destinationtest.ExactlyOnce(t, g.Accepted(), 3)
			if got := dryRunWouldSend(t, dry.stderr); got["google"] != 3 || got["meta"] != 3 {
				t.Errorf("the dry-run says an upload would send %v; the upload sent 3 to each\n%s", got, dry.stderr)
			}
			ledger, err := os.ReadFile(filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
			if err != nil {
				t.Fatal(err)
			}
			all := dry.stdout + dry.stderr + r.stdout + r.stderr + mustRead(t, review) + string(ledger)
			for _, v := range []string{"A0001", "A0026", "@example.com", "0912000"} {
				if strings.Contains(all, v) {
					t.Errorf("an output, the review or the ledger carries %q", v)
				}
			}
		})
	}
}

// TestAFullWidthAndAPlainRowOfAnOrderAreNotSentAgain: on a ledger made
// before single-column ids were folded (unfoldLedger: it holds A1003's
// and A1007's visits under their full-width spelling), the night whose
// export lists those orders twice — full-width and plain, in any row
// order — sends nothing again, and its dry-run says an upload would send
// nothing. Before, the order whose plain row came first went again.
func TestAFullWidthAndAPlainRowOfAnOrderAreNotSentAgain(t *testing.T) {
	respelled := map[int]bool{3: true, 7: true}
	orders := map[string]func([]string) []string{
		// A1003's plain row before its full-width one, A1007's after.
		"mixed": func(rows []string) []string {
			out := []string{}
			for _, l := range rows {
				for _, i := range []int{3, 7} {
					id := fmt.Sprintf("A%d", 1000+i)
					if strings.HasPrefix(l, fullWidth(id)+",") {
						plain := id + strings.TrimPrefix(l, fullWidth(id))
						if i == 3 {
							out = append(out, plain)
						} else {
							defer func() { out = append(out, plain) }()
						}
					}
				}
				out = append(out, l)
			}
			return out
		},
	}
	for seed := range uint64(3) {
		orders[fmt.Sprintf("shuffle %d", seed)] = func(rows []string) []string {
			rows = orders["mixed"](rows)
			rand.New(rand.NewPCG(seed, 7)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			return rows
		}
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
			g, cfg, env, export := metaNights(t, clock)
			foldExport(t, export, respelled, fullWidth)
			if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			unfoldLedger(t, env, respelled)
			requests := g.Requests()
			clock.Advance(24 * time.Hour)
			foldExport(t, export, respelled, fullWidth)
			lines := strings.Split(strings.TrimRight(mustRead(t, export), "\n"), "\n")
			body := lines[0] + "\n" + strings.Join(order(lines[1:]), "\n") + "\n"
			if err := os.WriteFile(export, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			review := filepath.Join(t.TempDir(), "review.csv")
			dry := runAt(t, clock, env, "upload", "--dry-run", "--config", cfg, "--out", review, export)
			if got := dryRunWouldSend(t, dry.stderr); dry.code != ExitOK || got["meta"] != 0 || !strings.Contains(dry.stderr, "already holds") {
				t.Errorf("the dry-run: exit %d, says an upload would send %v; want nothing\n%s", dry.code, got, dry.stderr)
			}
			r := runAt(t, clock, env, "upload", "--config", cfg, export)
			if r.code != ExitOK || g.Requests() != requests {
				t.Fatalf("night 2: exit %d, %d requests sent again\n%s", r.code, g.Requests()-requests, r.stderr)
			}
			destinationtest.ExactlyOnce(t, g.Counted(), 16)
			all := dry.stdout + dry.stderr + r.stdout + r.stderr + mustRead(t, review)
			for _, v := range []string{"A1003", fullWidth("A1003"), "zqfold", "0912-556", "Zqf"} {
				if strings.Contains(all, v) {
					t.Errorf("an output or the review carries %q", v)
				}
			}
		})
	}
}

// wrapLedgerBooking makes the ledger in env's state directory what
// c55587c would have written for order id's booking exported as a text
// formula: the booking id it holds made from ="id" (c55587c read the
// cell as written), every request marked made so (literal_ids_through,
// as its migration marks a real c55587c ledger).
func wrapLedgerBooking(t *testing.T, env map[string]string, id string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d := eventid.NewDeriver(env["HASHGATE_SECRET"])
	plain, _ := d.DeriveBooking(id)
	wrapped, _ := d.DeriveBooking(`="` + id + `"`)
	p, _ := hex.DecodeString(string(plain))
	w, _ := hex.DecodeString(string(wrapped))
	res, err := db.Exec(`UPDATE requests SET event_ids = replace(event_ids, ?, ?) WHERE instr(event_ids, ?) > 0`, p, w, p)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 2 {
		t.Fatalf("the booking's id swapped in %d requests, want Meta's and Google's", n)
	}
	if _, err := db.Exec(`INSERT OR REPLACE INTO meta (key, value) SELECT 'literal_ids_through', CAST(max(id) AS TEXT) FROM requests`); err != nil {
		t.Fatal(err)
	}
}

// TestAMixedSpellingOrdersBookingIsNotSentAgainInAnyRowOrder: with
// bookings on, an order booked and sent under its text formula (="BK0417")
// by a hashgate before c55587c's successor, whose visit's night lists it
// twice — ="BK0417" and a plain BK0417 — in either row order, sends its
// visit once and its booking not again, at Meta and Google, and the
// dry-run says the same. Before, the booking went as its first row's, and
// with the plain row first it carried no legacy id: the ledger missed it
// and it was sent again (the session-29 review). The ledgers c55587c
// wrote (testdata/ledger/main-c55587c-wrapped*.db) hold no booking, and
// that binary cannot be run here: the ledger is this hashgate's, its
// booking's id swapped for the formula's (wrapLedgerBooking), as
// unfoldLedger makes an unfolded one.
func TestAMixedSpellingOrdersBookingIsNotSentAgainInAnyRowOrder(t *testing.T) {
	const (
		booked  = "BK0417,2026-11-12 10:00,booked,bk0417@example.com,yes," + bookingGCLIDcli + ",2026-11-10 09:30"
		visited = "BK0417,2026-11-12 10:00,completed,bk0417@example.com,yes," + bookingGCLIDcli + ",2026-11-10 09:30"
	)
	wrapped := `="BK0417"` + strings.TrimPrefix(visited, "BK0417")
	for name, rows := range map[string][]string{"formula first": {wrapped, visited}, "plain first": {visited, wrapped}} {
		t.Run(name, func(t *testing.T) {
			n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC))
			n.night(booked)
			if meta, google := n.sent(); meta["Schedule"] != 1 || google["555000222"] != 1 {
				t.Fatalf("night 1 sent meta %v, google %v; want the booking", meta, google)
			}
			wrapLedgerBooking(t, n.env, "BK0417")
			n.now = time.Date(2026, 11, 12, 15, 0, 0, 0, time.UTC) // within Meta's 7 days of the booking
			n.extra = []string{"--dry-run"}
			dry := n.night(rows...)
			n.extra = nil
			up := n.night(rows...)
			meta, google := n.sent()
			if meta["Schedule"] != 1 || google["555000222"] != 1 || meta["Purchase"] != 1 || google["555000111"] != 1 {
				t.Errorf("sent meta %v, google %v; want the booking once (night 1) and the visit once\n%s", meta, google, up.stderr)
			}
			if got := dryRunWouldSend(t, dry.stderr); got["meta"] != 1 || got["google"] != 1 {
				t.Errorf("the dry-run says an upload would send %v; the upload sent the visit alone to each\n%s", got, dry.stderr)
			}
			all := dry.stdout + dry.stderr + up.stdout + up.stderr
			for _, v := range []string{"BK0417", "bk0417", "@example.com"} {
				if strings.Contains(all, v) {
					t.Errorf("an output carries %q", v)
				}
			}
		})
	}
}
