package cli

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
