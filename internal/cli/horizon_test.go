package cli

import (
	"database/sql"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// Meta deduplicates a resent event only for 7 days, so a ledger that never
// delivered to a dataset keeps back its events 6 days old or older
// (before_first_upload). The guard is a property of the event — dated
// more than 6 days before the ledger's first delivery there (its horizon)
// — not of the run: how a night's rows are cut into files or runs must not
// change what Meta receives.

// horizonNight is one upload of a horizon test: the Meta fake's accepted
// ids and the run's kept_back_before_first_upload.
type horizonNight struct {
	code int
	kept int
	out  string
}

// horizonRun uploads export at clk's time and returns what the run kept
// back as before_first_upload.
func horizonRun(t *testing.T, clk *simClock, env map[string]string, cfg, export string, extra ...string) horizonNight {
	t.Helper()
	args := append([]string{"upload", "--json", "--config", cfg}, extra...)
	r := runAt(t, clk, env, append(args, export)...)
	var rep struct {
		Destinations []struct {
			Destination string `json:"destination"`
			Kept        int    `json:"kept_back_before_first_upload"`
		} `json:"destinations"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("exit %d, report: %v\n%s", r.code, err, r.stderr)
	}
	n := horizonNight{code: r.code, out: r.stderr + r.stdout}
	for _, d := range rep.Destinations {
		if d.Destination == "meta" {
			n.kept += d.Kept
		}
	}
	return n
}

// metaOn is the Meta fake on clk with a config pointing at it.
func metaOn(t *testing.T, clk *simClock) (*destinationtest.Graph, string) {
	t.Helper()
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	srv := g.Start(t)
	return g, metaConfig(t, srv.URL, "")
}

func acceptedIDs(g *destinationtest.Graph) []string {
	var out []string
	for id, n := range g.Accepted() {
		for range n {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// TestASplitFirstNightSendsWhatOneFileSends: the first night's 36 visits
// over 18 days, as one file, or as two — recent rows (days 1–9) and older
// (days 10–18), in either order, ten minutes apart. Until the horizon, the
// second file of the recent-first order sent its 18 visits 10–18 days old,
// which one run over the union keeps back: the first file had delivered.
func TestASplitFirstNightSendsWhatOneFileSends(t *testing.T) {
	visits := clinicDays("v", 18, 2) // oldest first: v001–v018 are days 18–10
	older, recent := visits[:18], visits[18:]
	night := func(t *testing.T, files ...[]clinicVisit) ([]string, int) {
		clk := &simClock{t: fixedNow}
		g, cfg := metaOn(t, clk)
		env := uploadEnv(t)
		kept := 0
		for i, f := range files {
			n := horizonRun(t, clk, env, cfg, writeClinic(t, f))
			if n.code != 0 {
				t.Fatalf("file %d: exit %d\n%s", i+1, n.code, n.out)
			}
			kept += n.kept
			clk.Advance(10 * time.Minute)
		}
		return acceptedIDs(g), kept
	}
	one, oneKept := night(t, visits)
	if len(one) != 10 || oneKept != 26 {
		t.Fatalf("one file: meta took %d (want the 10 of days 1–5), kept back %d (want 26)", len(one), oneKept)
	}
	for name, files := range map[string][][]clinicVisit{"recent first": {recent, older}, "older first": {older, recent}} {
		got, kept := night(t, files...)
		if !slices.Equal(got, one) || kept != oneKept {
			t.Errorf("%s: meta took %d events (one file: %d), kept back %d (one file: %d)", name, len(got), len(one), kept, oneKept)
		}
	}
}

// backfillNights is the backfill case: night 1 sends the clinic's last 5
// days; night 2 (a day later) brings night 1's rows, 18 visits 10–18 days
// older than night 1 that were not in its export, and a late-entered visit
// 4 days 7 hours before night 1 (5 days 7 hours old on night 2: dated
// before the horizon but younger than the window tonight, it goes).
func backfillNights(t *testing.T) (night1, night2 string) {
	visits := clinicDays("v", 18, 2)
	history, recent := visits[:18], visits[26:]
	late := []clinicVisit{{id: "late1", at: time.Date(2026, 11, 19, 10, 0, 0, 0, taipei), n: 90}}
	night2Rows := append(append(append([]clinicVisit{}, recent...), history...), late...)
	return writeClinic(t, recent), writeClinic(t, night2Rows)
}

// TestABackfillAfterTheFirstNightIsKeptBack: on a re-created ledger —
// the case the guard exists for — the old visits a later night brings
// may be what the lost ledger sent: Meta would count them twice. Until
// the horizon, night 2 sent all 18 (the safety net stops at 20). They are
// kept back, night after night, until `upload --backfill` sends them.
func TestABackfillAfterTheFirstNightIsKeptBack(t *testing.T) {
	clk := &simClock{t: fixedNow}
	g, cfg := metaOn(t, clk)
	env := uploadEnv(t)
	night1, night2 := backfillNights(t)
	if n := horizonRun(t, clk, env, cfg, night1); n.code != 0 || len(g.Accepted()) != 10 || n.kept != 0 {
		t.Fatalf("night 1: exit %d, meta %d (want 10), kept %d\n%s", n.code, len(g.Accepted()), n.kept, n.out)
	}
	clk.Advance(24 * time.Hour)
	n := horizonRun(t, clk, env, cfg, night2)
	if n.code != 0 || len(g.Accepted()) != 11 || n.kept != 18 {
		t.Fatalf("night 2: exit %d, meta %d (want 11: the late visit), kept back %d (want 18)\n%s", n.code, len(g.Accepted()), n.kept, n.out)
	}
	for _, want := range []string{"kept back 18", "first delivered to this Meta destination on 2026-11-23", "--backfill"} {
		if !strings.Contains(n.out, want) {
			t.Errorf("night 2 does not say %q:\n%s", want, n.out)
		}
	}
	for _, raw := range []string{"zqclinic", "0912-555", "Zqcfirst", "Zqclast"} { // writeClinic's identifiers
		if strings.Contains(n.out, raw) {
			t.Errorf("night 2's output holds a raw identifier (%s…)", raw)
		}
	}
	if st := runAt(t, clk, env, "ledger", "stats", "--config", cfg); !strings.Contains(st.stdout, "meta:998877 first delivered 2026-11-23T09:00:00Z (events dated before it and 6 days old or older are kept back") {
		t.Errorf("ledger stats does not name the horizon:\n%s%s", st.stdout, st.stderr)
	}
	clk.Advance(24 * time.Hour)
	if n := horizonRun(t, clk, env, cfg, night2); n.code != 0 || len(g.Accepted()) != 11 {
		t.Fatalf("night 3: exit %d, meta %d (want 11: the history held back still)\n%s", n.code, len(g.Accepted()), n.out)
	}
	if n := horizonRun(t, clk, env, cfg, night2, "--backfill"); n.code != 0 || len(g.Accepted()) != 29 || n.kept != 0 {
		t.Fatalf("--backfill: exit %d, meta %d (want 29), kept %d\n%s", n.code, len(g.Accepted()), n.kept, n.out)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 29)
}

// TestALedgerFromBeforeTheHorizonDerivesIt: a ledger that delivered on
// two nights before the horizon was recorded (its meta row deleted here)
// derives it from the first run that delivered — night 1, not night 2 nor
// tonight: a visit entered late, dated an hour after night 1 began (before
// night 2) and 8 days old tonight, goes as this ledger's own — records it,
// and keeps the backfill back as one that recorded it does (with the late
// visit of backfillNights, dated before night 1 and past the window now).
func TestALedgerFromBeforeTheHorizonDerivesIt(t *testing.T) {
	clk := &simClock{t: fixedNow}
	g, cfg := metaOn(t, clk)
	env := uploadEnv(t)
	night1, night3 := backfillNights(t)
	if n := horizonRun(t, clk, env, cfg, night1); n.code != 0 || len(g.Accepted()) != 10 {
		t.Fatalf("night 1: exit %d, meta %d (want 10)\n%s", n.code, len(g.Accepted()), n.out)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	horizons := func() map[string]string {
		rows, err := db.Query(`SELECT key, value FROM meta WHERE key LIKE 'first_delivered:%'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			out[k] = v
		}
		return out
	}
	recorded := horizons()
	if len(recorded) != 1 {
		t.Fatalf("night 1 recorded horizons %v, want one", recorded)
	}
	clk.Advance(24 * time.Hour)
	today := []clinicVisit{{id: "today1", at: time.Date(2026, 11, 24, 10, 0, 0, 0, taipei), n: 91}}
	if n := horizonRun(t, clk, env, cfg, writeClinic(t, today)); n.code != 0 || len(g.Accepted()) != 11 {
		t.Fatalf("night 2: exit %d, meta %d (want 11)\n%s", n.code, len(g.Accepted()), n.out)
	}
	if _, err := db.Exec(`DELETE FROM meta WHERE key LIKE 'first_delivered:%'`); err != nil {
		t.Fatal(err)
	}
	clk.Advance(7 * 24 * time.Hour)
	after := clinicVisit{id: "after1", at: time.Date(2026, 11, 23, 18, 0, 0, 0, taipei), n: 92}
	n := horizonRun(t, clk, env, cfg, appendClinic(t, night3, after))
	if n.code != 0 || len(g.Accepted()) != 12 || n.kept != 19 {
		t.Fatalf("night 3: exit %d, meta %d (want 12: the visit after night 1), kept back %d (want 19)\n%s", n.code, len(g.Accepted()), n.kept, n.out)
	}
	if got := horizons(); len(got) != 1 || !maps.Equal(got, recorded) {
		t.Errorf("derived horizon %v, recorded on night 1 %v", got, recorded)
	}
}

// TestAHistoryJustBeforeTheHorizonIsKeptOnceOld: a visit dated 3 days
// before the horizon, absent from night 1's export, that a later night
// brings. A lost ledger may have sent it before the horizon: while it is
// younger than 6 days tonight Meta still deduplicates the resend, so it
// goes (night 2); 6 days old or older (night 10), a resend would count
// twice, so it is kept back as before_first_upload — until this, only
// events dated 6 days or more before the horizon were. `--backfill` sends
// it.
func TestAHistoryJustBeforeTheHorizonIsKeptOnceOld(t *testing.T) {
	recent := clinicDays("v", 18, 2)[26:]
	late := clinicVisit{id: "late3", at: fixedNow.Add(-72 * time.Hour).In(taipei), n: 93}
	for _, tc := range []struct {
		name     string
		after    time.Duration
		extra    []string
		sent     int // of night 1's 10 and the late visit
		keptBack int
	}{
		{"night 2", 24 * time.Hour, nil, 11, 0},
		{"night 10", 9 * 24 * time.Hour, nil, 10, 1},
		{"night 10 with --backfill", 9 * 24 * time.Hour, []string{"--backfill"}, 11, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &simClock{t: fixedNow}
			g, cfg := metaOn(t, clk)
			env := uploadEnv(t)
			if n := horizonRun(t, clk, env, cfg, writeClinic(t, recent)); n.code != 0 || len(g.Accepted()) != 10 {
				t.Fatalf("night 1: exit %d, meta %d (want 10)\n%s", n.code, len(g.Accepted()), n.out)
			}
			clk.Advance(tc.after)
			rows := append(append([]clinicVisit{}, recent...), late)
			n := horizonRun(t, clk, env, cfg, writeClinic(t, rows), tc.extra...)
			if n.code != 0 || len(g.Accepted()) != tc.sent || n.kept != tc.keptBack {
				t.Fatalf("exit %d, meta %d (want %d), kept back %d (want %d)\n%s", n.code, len(g.Accepted()), tc.sent, n.kept, tc.keptBack, n.out)
			}
			destinationtest.ExactlyOnce(t, g.Accepted(), tc.sent)
		})
	}
}

// appendClinic is the export at path with more visits appended.
func appendClinic(t *testing.T, path string, more ...clinicVisit) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	extra := writeClinic(t, more)
	e, err := os.ReadFile(extra)
	if err != nil {
		t.Fatal(err)
	}
	_, rows, _ := strings.Cut(string(e), "\n")
	if err := os.WriteFile(extra, append(b, rows...), 0o600); err != nil {
		t.Fatal(err)
	}
	return extra
}
