package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A clinic changes its practice-management software mid-year; the nightly
// upload keeps its config, ledger and secret. The new system numbers its
// appointments from 1 again, so its visits take the event ids of the old
// system's (an event id is HMAC(secret, order id)).

// oldSystem is the old system's visits: ids 1–18 on Nov 13–21, two a day
// (Meta's first upload keeps back the 10 of Nov 13–17 as before_first_upload).
func oldSystem() []clinicVisit {
	var out []clinicVisit
	for i := range 18 {
		out = append(out, clinicVisit{id: fmt.Sprint(i + 1), at: time.Date(2026, 11, 13+i/2, 9+5*(i%2), 0, 0, 0, taipei), n: i})
	}
	return out
}

// newSystemVisits is the new system's first n visits, ids 1..n, all on Nov 22,
// other patients at other times.
func newSystemVisits(n int) []clinicVisit {
	var out []clinicVisit
	for i := range n {
		out = append(out, clinicVisit{id: fmt.Sprint(i + 1), at: time.Date(2026, 11, 22, 8+i, 15, 0, 0, taipei), n: 200 + i})
	}
	return out
}

// composite is cfg with the order id made of the id and the appointment time.
func composite(t *testing.T, cfg string) string {
	t.Helper()
	body := strings.Replace(mustRead(t, cfg), "    order_id: id\n", "    order_id: [id, at]\n", 1)
	p := filepath.Join(t.TempDir(), "composite.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNewSystemIDsHeldBeforeFirstUploadAreNotLost: Meta only. Ids 1–8 of
// the new system met the old system's ids 1–10 that Meta's first upload
// kept back, and were held back as that history ("held back in earlier
// runs: 8", Meta +0, exit 0), the dry-run silent. A hold is for that event:
// the same id at another time goes to the moved-times guard, which stops
// (its dry-run says so), and the composite order id sends them, once.
func TestNewSystemIDsHeldBeforeFirstUploadAreNotLost(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, writeClinic(t, oldSystem())); r.code != 0 || len(g.Accepted()) != 8 || !strings.Contains(r.stderr, "kept back 10") {
		t.Fatalf("old system: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	reqs := g.Requests()
	export := writeClinic(t, newSystemVisits(8))
	dry := runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), export)
	if dry.code != 0 || !strings.Contains(dry.stderr, "an upload with this config stops (exit 2)") {
		t.Errorf("new system's dry-run: exit %d, no word of the stop\n%s", dry.code, dry.stderr)
	}
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export)
	if r.code != 2 || g.Requests() != reqs {
		t.Fatalf("new system: exit %d, %d meta requests more (its 8 visits held back as the old system's history)\n%s", r.code, g.Requests()-reqs, r.stderr)
	}
	for _, want := range []string{"8 of the 8", "new clinic system", "order_id"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	cc := composite(t, cfg)
	for night := range 2 {
		if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cc, export); r.code != 0 || len(g.Accepted()) != 16 {
			t.Fatalf("composite order id, night %d: exit %d, meta %d, want 16\n%s", night, r.code, len(g.Accepted()), r.stderr)
		}
	}
	for id, n := range g.Accepted() {
		if n != 1 {
			t.Fatalf("meta ingested %s %d times", id, n)
		}
	}
}

// TestNewSystemFewIDsStopWithTheWayOut: both platforms. The new system's
// first night brought ids 1–3: below the guard's minimum of 5 they were
// skipped as accepted ("not sent again": lost), the next night (ids 1–8)
// stopped naming another branch or moved times, and the remedy it gave
// (an own ledger and secret) sent the migrated history again. When none
// of the known ids comes back at its own time the guard stops at fewer,
// and names the new system with its way out: the composite order id on
// the same ledger and secret, which sends the new visits once.
func TestNewSystemFewIDsStopWithTheWayOut(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, oldSystem())); r.code != 0 || len(dm.Accepted()) != 18 || len(g.Accepted()) != 8 {
		t.Fatalf("old system: exit %d, google %d, meta %d\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	gReq, mReq := dm.Requests(), g.Requests()
	night1 := writeClinic(t, newSystemVisits(3))
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, night1)
	if r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq {
		t.Fatalf("new system, 3 visits: exit %d, google +%d requests, meta +%d (the 3 visits skipped as the old system's)\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	for _, want := range []string{"3 of the 3", "new clinic system numbering its appointments from 1", "keep this ledger and HASHGATE_SECRET", "input.columns.order_id: [", "a new ledger would send", "another export whose order ids overlap", "timezone"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	cc := composite(t, cfg)
	if r := runGoogle(t, env, "", true, "upload", "--config", cc, night1); r.code != 0 || len(dm.Accepted()) != 21 || len(g.Accepted()) != 11 {
		t.Fatalf("composite, night 1: exit %d, google %d (want 21), meta %d (want 11)\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cc, writeClinic(t, newSystemVisits(8))); r.code != 0 || len(dm.Accepted()) != 26 || len(g.Accepted()) != 16 {
		t.Fatalf("composite, night 2: exit %d, google %d (want 26), meta %d (want 16)\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	for _, acc := range []map[string]int{dm.Accepted(), g.Accepted()} {
		for id, n := range acc {
			if n != 1 {
				t.Fatalf("ingested %s %d times", id, n)
			}
		}
	}
}

// TestAHeldIDAtAnotherTimeGoesToTheGuard: one new-system visit under an id
// of the old system's held history, among five new ids, is under every
// minimum of the moved-times guard: it is sent with the others (held by
// its id alone, it was kept back as the old system's history for good).
func TestAHeldIDAtAnotherTimeGoesToTheGuard(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, writeClinic(t, oldSystem())); r.code != 0 || len(g.Accepted()) != 8 {
		t.Fatalf("old system: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	tonight := newSystemVisits(1)
	for i := range 5 {
		tonight = append(tonight, clinicVisit{id: fmt.Sprint(19 + i), at: time.Date(2026, 11, 22, 12+i, 40, 0, 0, taipei), n: 300 + i})
	}
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, writeClinic(t, tonight)); r.code != 0 || len(g.Accepted()) != 14 {
		t.Fatalf("one held id at another time among new ones: exit %d, meta %d, want 14\n%s", r.code, len(g.Accepted()), r.stderr)
	}
}

// TestAHeldHistoryStaysHeldWhenItsTimesMove: Meta's first upload kept back
// 10 visits as before_first_upload; the export then read under another
// timezone moves all 18. The guard stops; --accept-moved-times (the same
// visits, a person judged) sends nothing: the 8 were accepted, and the 10
// stay the history a lost ledger may have sent — matched by their ids that
// night, and held with their new times from then on.
func TestAHeldHistoryStaysHeldWhenItsTimesMove(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	export := writeClinic(t, oldSystem())
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != 0 || len(g.Accepted()) != 8 {
		t.Fatalf("night 1: exit %d, meta %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	editConfig(t, cfg, "timezone: Asia/Taipei", "timezone: Asia/Tokyo")
	reqs := g.Requests()
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != 2 || g.Requests() != reqs {
		t.Fatalf("another zone: exit %d, %d meta requests more\n%s", r.code, g.Requests()-reqs, r.stderr)
	}
	for _, args := range [][]string{{"--accept-moved-times"}, nil} {
		r := runWithHTTP(t, http.DefaultClient, env, append(append([]string{"upload"}, args...), "--config", cfg, export)...)
		if r.code != 0 || g.Requests() != reqs || !strings.Contains(r.stderr, "held back in earlier runs: 10") {
			t.Fatalf("%v: exit %d, %d meta requests more (the held history sent)\n%s", args, r.code, g.Requests()-reqs, r.stderr)
		}
	}
}
