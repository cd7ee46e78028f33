package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mainLedger puts the ledger written by hashgate's main at ca6ab7a (schema
// 3, event ids made from the cells as written; see testdata/ledger/README.md)
// into env's state directory.
func mainLedger(t *testing.T, env map[string]string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ledger", "main-ca6ab7a.db"))
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

// twComposite writes the fixture's config, pointing at the fakes, with
// edit applied to its text.
func twComposite(t *testing.T, gURL, mURL string, edit func(string) string) string {
	t.Helper()
	body := mustRead(t, filepath.Join("..", "..", "testdata", "ledger", "tw-composite.yaml"))
	body = strings.NewReplacer("GOOGLE_URL", gURL, "GRAPH_URL", mURL).Replace(body)
	if edit != nil {
		body = edit(body)
	}
	p := filepath.Join(t.TempDir(), "tw.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// twResaved is the fixture export re-saved as Excel does: Gregorian ISO
// dates, 24-hour times, LF line ends.
func twResaved(t *testing.T, extra string) string {
	t.Helper()
	raw := mustRead(t, filepath.Join("..", "..", "testdata", "ledger", "tw-composite.csv"))
	tb := readTable(t, []byte(raw), "utf-8", "就診日期")
	tb = respell(t, tb, timeCols{at: -1, date: 2, clock: 3}, "iso", "24h-secs")
	tb.crlf = false
	p := filepath.Join(t.TempDir(), "resaved.csv")
	if err := os.WriteFile(p, append(tb.bytes(t), extra...), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLedgerFromMainIsHonoured: a clinic upgrading with a ledger written
// by today's main sends nothing again — not the export as it was, nor the
// export re-saved with its dates spelt another way (dual lookup) — and
// does send what is new.
func TestLedgerFromMainIsHonoured(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	mainLedger(t, env)
	cfg := twComposite(t, gURL, mURL, nil)
	orig := filepath.Join("..", "..", "testdata", "ledger", "tw-composite.csv")
	for _, export := range []string{orig, twResaved(t, "")} {
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
		if r.code != 0 || dm.Requests() != 0 || g.Requests() != 0 || !strings.Contains(r.stderr, "40 already ingested") {
			t.Fatalf("%s: exit %d, %d google and %d meta requests\n%s", export, r.code, dm.Requests(), g.Requests(), r.stderr)
		}
	}
	// Three visits entered since: sent, under the new derivation.
	extra := "A009001,病患x,2026-11-20,10:00:00,已完成,0912-900-001,同意,1500\n" +
		"A009002,病患y,2026-11-21,14:30:00,已完成,0912-900-002,同意,1500\n" +
		"A009003,病患z,2026-11-22,09:15:00,已完成,0912-900-003,同意,1500\n"
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, twResaved(t, extra))
	if r.code != 0 || len(dm.Accepted()) != 3 || len(g.Accepted()) != 3 {
		t.Fatalf("exit %d, google %d, meta %d\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
}

// TestSafetyNetStopsChangedOrderIDs: the order id changed in the config
// (the visit time left out of it) makes every visit a new event; the run
// stops before sending, naming the key, and --accept-new-ids proceeds.
// Meta's 40, dated weeks before the ledger first delivered there, are
// history it keeps back (before_first_upload) as it would from any night:
// accepting new ids does not say Meta never had them.
func TestSafetyNetStopsChangedOrderIDs(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	mainLedger(t, env)
	cfg := twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, `order_id: ["病歷號碼", "就診日期", "就診時間"]`, `order_id: ["病歷號碼", "就診日期"]`, 1)
	})
	export := filepath.Join("..", "..", "testdata", "ledger", "tw-composite.csv")
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if r.code != 2 || dm.Requests() != 0 || g.Requests() != 0 {
		t.Fatalf("exit %d, %d google and %d meta requests\n%s", r.code, dm.Requests(), g.Requests(), r.stderr)
	}
	for _, want := range []string{"input.columns.order_id", "40 of the 40 conversions", "never seen", "HASHGATE_SECRET", "--accept-new-ids", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, export)
	if r.code != 0 || len(dm.Accepted()) != 40 || len(g.Accepted()) != 0 || !strings.Contains(r.stderr, "kept back 40 conversions dated before this ledger first delivered") {
		t.Fatalf("--accept-new-ids: exit %d, google %d, meta %d\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
}

// TestSafetyNetLetsNightsThrough: nights written by this hashgate record
// the newest event of each request; a night whose export adds visits
// entered late (dated before the newest delivered, fewer than 20) sends
// them, and a changed secret stops the next.
func TestSafetyNetLetsNightsThrough(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	raw := mustRead(t, filepath.Join("..", "..", "testdata", "ledger", "tw-composite.csv"))
	lines := strings.SplitAfter(raw, "\n")
	write := func(ls []string) string {
		p := filepath.Join(t.TempDir(), "e.csv")
		os.WriteFile(p, []byte(strings.Join(ls, "")), 0o600)
		return p
	}
	// Night 1: every row but the 12 below, which the front desk enters late.
	var first, late []string
	first = append(first, lines[0])
	for i, l := range lines[1:] {
		if i%4 == 1 {
			late = append(late, l)
		} else {
			first = append(first, l)
		}
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, write(first)); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	n1 := len(dm.Accepted())
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, write(lines)); r.code != 0 || len(dm.Accepted()) <= n1 {
		t.Fatalf("night 2 (late entries): exit %d, google %d → %d\n%s", r.code, n1, len(dm.Accepted()), r.stderr)
	}
	env["HASHGATE_SECRET"] = "another-secret-Qw8Zr2Lk5Vn0Tb7Yx3mP9"
	// The ledger's fingerprint of the secret stops it before the net
	// judges (run/eventkey.go).
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, write(lines)); r.code != 2 || !strings.Contains(r.stderr, "secret: the secret (HASHGATE_SECRET)") {
		t.Fatalf("changed secret: exit %d\n%s", r.code, r.stderr)
	}
}
