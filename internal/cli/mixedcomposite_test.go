package cli

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestACompositeOrderMixingSpellingsIsNotSentAgainInAnyRowOrder: with a
// composite order id (appointment_id and appointment_time), every row
// carries a legacy id — its cells as written, joined — and a wrapped row
// (="A0001") carries another one, the formula's spelling, which is the
// one c55587c sent. On the ledger c55587c wrote, the raw next night with
// a plain copy of A0001's row, before or after its wrapped row or
// shuffled, must send the three new visits to each destination and A0001
// to neither, and its dry-run must say the same. Before, the order took
// the smaller of its two legacy ids, which was not always the one the
// ledger holds: A0001 went again in either row order (4 sent, want 3),
// and the dry-run said 3 when the plain row came after (a reviewer's
// repro, session 29).
func TestACompositeOrderMixingSpellingsIsNotSentAgainInAnyRowOrder(t *testing.T) {
	orders := map[string]func([]string) []string{
		"control":      func(rows []string) []string { return rows[:len(rows)-1] },
		"plain before": plainAt(true),
		"plain after":  plainAt(false),
		"wrapped last": func(rows []string) []string {
			i := slices.IndexFunc(rows, func(l string) bool { return strings.HasPrefix(l, `="A0001",`) })
			w := rows[i]
			return append(slices.Delete(rows, i, i+1), w)
		},
	}
	for seed := range uint64(3) {
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
			wrappedLedger(t, env, true)
			cfg := wrappedConfig(t, gURL, mURL, true)
			export := mixedExport(t, order)
			review := filepath.Join(t.TempDir(), "review.csv")
			dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", review, export)
			if dry.code != 0 {
				t.Fatalf("dry-run: exit %d\n%s", dry.code, dry.stderr)
			}
			if got := dryRunWouldSend(t, dry.stderr); got["google"] != 3 || got["meta"] != 3 {
				t.Errorf("the dry-run says an upload would send %v; want 3 to each\n%s", got, dry.stderr)
			}
			r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
			if r.code != 0 || len(dm.Accepted()) != 3 || len(g.Accepted()) != 3 {
				t.Fatalf("upload: exit %d, google sent %d, meta %d; want the 3 new visits\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
			}
			destinationtest.ExactlyOnce(t, dm.Accepted(), 3)
			destinationtest.ExactlyOnce(t, g.Accepted(), 3)
			ledger, err := os.ReadFile(filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
			if err != nil {
				t.Fatal(err)
			}
			all := dry.stdout + dry.stderr + r.stdout + r.stderr + mustRead(t, review) + string(ledger)
			for _, v := range []string{"A0001", "A0026", "@example.com", "0912000", "00101"} {
				if strings.Contains(all, v) {
					t.Errorf("an output, the review or the ledger carries %q", v)
				}
			}
		})
	}
}

// TestADryRunSaysWhatTheUploadSendsOfAnOrderGivenAnotherRowsLegacyID: an
// order whose conversion comes from a row whose own legacy id the ledger
// holds (a full-width Ａ1003, sent before ids were folded: unfoldLedger)
// and which takes another row's legacy id (a text formula ="A1003", which
// goes before it: spellings.go) is looked up by the upload under its id,
// then the order's legacy id — not its row's. The dry-run re-asked from
// the key it had prepared, its row's legacy id's, and said the ledger
// held what the upload sent (the session-29 review's plain-after case,
// where the dry-run said 3 and the upload sent 4). In either row order
// the dry-run says what the upload sends. (The upload sends A1003 again
// here: a conversion carries one legacy id, and the formula's goes
// before the full-width one: README, "Real clinic exports".)
func TestADryRunSaysWhatTheUploadSendsOfAnOrderGivenAnotherRowsLegacyID(t *testing.T) {
	respelled := map[int]bool{3: true}
	for _, wrappedFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("wrapped first %v", wrappedFirst), func(t *testing.T) {
			clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
			g, cfg, env, export := metaNights(t, clock)
			foldExport(t, export, respelled, fullWidth)
			if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			unfoldLedger(t, env, respelled)
			accepted := func() (n int) { // events Meta accepted, a resend of one id too
				for _, c := range g.Accepted() {
					n += c
				}
				return n
			}
			before := accepted()
			clock.Advance(24 * time.Hour)
			foldExport(t, export, respelled, fullWidth)
			lines := strings.Split(strings.TrimRight(mustRead(t, export), "\n"), "\n")
			var rows []string
			for _, l := range lines[1:] {
				if full := fullWidth("A1003"); strings.HasPrefix(l, full+",") {
					wrapped := `="A1003"` + strings.TrimPrefix(l, full)
					if wrappedFirst {
						rows = append(rows, wrapped, l)
					} else {
						rows = append(rows, l, wrapped)
					}
					continue
				}
				rows = append(rows, l)
			}
			if len(rows) != len(lines) {
				t.Fatal("no A1003 row in the fixture")
			}
			if err := os.WriteFile(export, []byte(lines[0]+"\n"+strings.Join(rows, "\n")+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			review := filepath.Join(t.TempDir(), "review.csv")
			dry := runAt(t, clock, env, "upload", "--dry-run", "--config", cfg, "--out", review, export)
			if dry.code != ExitOK {
				t.Fatalf("dry-run: exit %d\n%s", dry.code, dry.stderr)
			}
			r := runAt(t, clock, env, "upload", "--config", cfg, export)
			if r.code != ExitOK {
				t.Fatalf("night 2: exit %d\n%s", r.code, r.stderr)
			}
			if got, sent := dryRunWouldSend(t, dry.stderr)["meta"], accepted()-before; got != sent {
				t.Errorf("the dry-run says an upload would send %d; the upload sent %d\n%s", got, sent, dry.stderr)
			}
			all := dry.stdout + dry.stderr + r.stdout + r.stderr + mustRead(t, review)
			for _, v := range []string{"A1003", fullWidth("A1003"), "zqfold", "0912-556", "Zqf"} {
				if strings.Contains(all, v) {
					t.Errorf("an output or the review carries %q", v)
				}
			}
		})
	}
}
