package cli

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// A clinic system that writes identifiers as Excel text formulas
// (="A0001"), uploaded by hashgate at c55587c — the last before it read
// such a cell as its text — which made each wrapped order id's event id
// from ="A0001" and remembered a wrapped patient key's withdrawal under
// ="00099". testdata/ledger/main-c55587c-wrapped*.db are the ledgers that
// binary wrote (testdata/ledger/README.md): one upload of
// wrapped-ids.csv, 24 visits to each destination, chart ="00099"
// withdrawn. Before this was mended, the upgraded upload of the same
// visits stopped as new ids (the safety net, or the patient keys'
// changed shape), and among enough new visits sent them again.

// wrappedLedger puts the ledger c55587c wrote into env's state directory.
func wrappedLedger(t *testing.T, env map[string]string, composite bool) {
	t.Helper()
	name := "main-c55587c-wrapped.db"
	if composite {
		name = "main-c55587c-wrapped-composite.db"
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ledger", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(env["XDG_STATE_HOME"], "hashgate")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ledger.db"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// wrappedConfig is testdata/ledger/wrapped-ids.yaml pointing at the
// fakes; composite joins the appointment time to the order id, as the
// composite fixture was uploaded.
func wrappedConfig(t *testing.T, gURL, mURL string, composite bool) string {
	t.Helper()
	body := mustRead(t, filepath.Join("..", "..", "testdata", "ledger", "wrapped-ids.yaml"))
	body = strings.NewReplacer("GOOGLE_URL", gURL, "GRAPH_URL", mURL).Replace(body)
	if composite {
		body = strings.Replace(body, "order_id: appointment_id", "order_id: [appointment_id, appointment_time]", 1)
	}
	p := filepath.Join(t.TempDir(), "wrapped.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// nextNight is the night after the fixture's: its 24 visits again (the
// withdrawing row, A0025, has left the export), three new ones, and a new visit
// of the withdrawn patient, consenting, with an e-mail address the
// withdrawal did not carry — written as the fixture (raw text formulas),
// RFC-quoted, or plain (as Excel shows and re-saves them).
var nextNight = []string{
	`="A0026",2026-11-22 10:00,completed,p26@example.com,="0912000026",yes,="00126"`,
	`="A0027",2026-11-22 10:30,completed,p27@example.com,="0912000027",yes,="00127"`,
	`="A0028",2026-11-22 11:00,completed,p28@example.com,="0912000028",yes,="00128"`,
	`="A0029",2026-11-22 11:30,completed,p29@example.com,,yes,="00099"`,
}

var rawFormula = regexp.MustCompile(`="((?:[^"]|"")*)"`)

func wrappedExport(t *testing.T, style string, withFixture bool) string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(mustRead(t, filepath.Join("..", "..", "testdata", "ledger", "wrapped-ids.csv")), "\r\n"), "\r\n")
	keep := lines[:1]
	if withFixture {
		keep = lines[:len(lines)-1] // the withdrawing row (A0025) has left
	}
	lines = append(slices.Clone(keep), nextNight...)
	body := strings.Join(lines, "\r\n") + "\r\n"
	switch style {
	case "quoted":
		body = rawFormula.ReplaceAllStringFunc(body, func(c string) string { return `"` + strings.ReplaceAll(c, `"`, `""`) + `"` })
	case "plain":
		body = rawFormula.ReplaceAllString(body, "$1")
	}
	p := filepath.Join(t.TempDir(), style+".csv")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUpgradeFromALiteralTextFormulaReaderSendsNothingTwice: on the
// ledger hashgate c55587c wrote from wrapped ids, the next night — its
// export written as before, raw or RFC-quoted — sends exactly what a
// ledger of this hashgate's own nights sends (the metamorphic reference:
// the plain export both nights): the three new visits, once each; not the
// 24 sent under the wrapped spelling, nor the withdrawn patient's new
// visit (her withdrawal remembered under ="00099"); and it does not stop.
// The night after, the analyst's plain re-save of that export sends
// nothing (the upgraded night taught the ledger the ids' new spelling).
// A plain re-save uploaded first, straight after the old version, cannot
// tell which ids were wrapped: it sends none of the old visits again
// (it stops, exit 2, on the patient keys' changed shape here).
func TestUpgradeFromALiteralTextFormulaReaderSendsNothingTwice(t *testing.T) {
	for _, composite := range []bool{false, true} {
		// The reference: this hashgate's own two nights, plain.
		dm, gURL := googleFake(t, nil)
		_, mURL := metaFake(t, nil)
		env := uploadEnv(t)
		cfg := wrappedConfig(t, gURL, mURL, composite)
		first := mustRead(t, filepath.Join("..", "..", "testdata", "ledger", "wrapped-ids.csv"))
		p := filepath.Join(t.TempDir(), "first.csv")
		if err := os.WriteFile(p, []byte(rawFormula.ReplaceAllString(first, "$1")), 0o600); err != nil {
			t.Fatal(err)
		}
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, p); r.code != 0 || len(dm.Accepted()) != 24 {
			t.Fatalf("composite=%v: reference night 1: exit %d, google %d\n%s", composite, r.code, len(dm.Accepted()), r.stderr)
		}
		before := maps.Clone(dm.Accepted())
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, wrappedExport(t, "plain", true)); r.code != 0 {
			t.Fatalf("composite=%v: reference night 2: exit %d\n%s", composite, r.code, r.stderr)
		}
		var want []string
		for id := range dm.Accepted() {
			if before[id] == 0 {
				want = append(want, id)
			}
		}
		slices.Sort(want)
		if len(want) != 3 {
			t.Fatalf("composite=%v: the reference's second night sent %d, want the 3 new visits", composite, len(want))
		}
		for _, style := range []string{"raw", "quoted", "plain"} {
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			wrappedLedger(t, env, composite)
			cfg := wrappedConfig(t, gURL, mURL, composite)
			r := runGoogle(t, env, "", true, "upload", "--config", cfg, wrappedExport(t, style, true))
			got, gotMeta := slices.Sorted(maps.Keys(dm.Accepted())), slices.Sorted(maps.Keys(g.Accepted()))
			if style == "plain" {
				for _, id := range append(got, gotMeta...) {
					if !slices.Contains(want, id) {
						t.Errorf("composite=%v: a plain re-save straight after the upgrade sent %s, no new visit's (exit %d)\n%s", composite, id, r.code, r.stderr)
					}
				}
				continue
			}
			if r.code != 0 || !slices.Equal(got, want) || !slices.Equal(gotMeta, want) {
				t.Errorf("composite=%v %s after the upgrade: exit %d, google sent %d %v, meta %d; want the 3 new visits %v\n%s",
					composite, style, r.code, len(got), got, len(gotMeta), want, r.stderr)
				continue
			}
			r = runGoogle(t, env, "", true, "upload", "--config", cfg, wrappedExport(t, "plain", true))
			if r.code != 0 || len(dm.Accepted()) != 3 || len(g.Accepted()) != 3 {
				t.Errorf("composite=%v %s, then its plain re-save: exit %d, google %d, meta %d accepted in all; want the same 3\n%s",
					composite, style, r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
			}
			destinationtest.ExactlyOnce(t, dm.Accepted(), 3)
			destinationtest.ExactlyOnce(t, g.Accepted(), 3)
		}
	}
}

// TestLedgerFindOrdersFindsTheWrappedSpelling: `ledger find --orders`
// finds a visit sent under the wrapped spelling by its id as listed
// (A0001), as it finds one sent under a folded id's other spelling.
func TestLedgerFindOrdersFindsTheWrappedSpelling(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	wrappedLedger(t, env, false)
	cfg := wrappedConfig(t, gURL, mURL, false)
	// find reads only a ledger of its own schema: the upgraded night's.
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, wrappedExport(t, "raw", true)); r.code != 0 {
		t.Errorf("the upgraded night: exit %d\n%s", r.code, r.stderr)
	}
	// The list as the export shows the id (a text formula, raw or as a
	// CSV quotes it) reads as its text: such lines were refused, exit 2.
	for _, id := range []string{"A0001", "Ａ0008", `="A0001"`, `"=""A0001"""`} {
		r := runGoogle(t, env, id+"\n", true, "ledger", "find", "--json", "--config", cfg, "--orders", "-")
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
		if n != 2 {
			t.Errorf("%s: found sent %d time(s); want 2 (google, meta)", id, n)
		}
	}
}
