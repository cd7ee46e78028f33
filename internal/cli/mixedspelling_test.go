package cli

import (
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
