package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A month of nightly cron uploads played against the fakes (a review): a
// small clinic's export is below the safety net's minimum of 20, so a
// changed secret or re-keyed order ids sent every visit to both platforms
// again, exit 0. These nights are that clinic's.

// clinicVisit is one row of a small clinic's export.
type clinicVisit struct {
	id string
	at time.Time // in Taipei, the configs' zone
	n  int       // whose identifiers
}

// taipei is the zone of metaConfig and bothConfig.
var taipei = time.FixedZone("Asia/Taipei", 8*3600)

// clinicDays is a small clinic's visits: perDay a day over the days
// before fixedNow (2026-11-23 17:00 in Taipei), at 10:00 and 15:00, ids
// prefix + number.
func clinicDays(prefix string, days, perDay int) []clinicVisit {
	var out []clinicVisit
	for d := days; d >= 1; d-- {
		for i := range perDay {
			n := len(out)
			out = append(out, clinicVisit{
				id: fmt.Sprintf("%s%03d", prefix, n+1),
				at: time.Date(2026, 11, 23-d, 10+5*i, 0, 0, 0, taipei),
				n:  n,
			})
		}
	}
	return out
}

// writeClinic writes visits as an export in metaConfig's columns.
func writeClinic(t *testing.T, visits []clinicVisit) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for _, v := range visits {
		fmt.Fprintf(&b, "%s,%s,completed,zqclinic%d@example.com,0912-555-%03d,Zqcfirst%d,Zqclast%d,yes\n", v.id, v.at.Format("2006-01-02 15:04"), v.n, v.n, v.n, v.n)
	}
	p := filepath.Join(t.TempDir(), "clinic.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestChangedSecretStopsASmallClinic: a 9-day export of 18 visits, one
// night's plain upload, then the same export with HASHGATE_SECRET changed.
// It exited 0, Google held 36 conversions for 18 visits and Meta counted
// twice the 10 it had taken; it stops before sending (exit 2), naming the secret and
// what to do, never its value. --accept-new-ids goes on, and the night
// after runs under the new secret.
func TestChangedSecretStopsASmallClinic(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	export := writeClinic(t, clinicDays("V", 9, 2))
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 0 || len(dm.Accepted()) != 18 || len(g.Accepted()) != 10 {
		t.Fatalf("night 1: exit %d, google %d, meta %d\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	gReq, mReq := dm.Requests(), g.Requests()
	const newSecret = "another-secret-Qw8Zr2Lk5Vn0Tb7Yx3mP9"
	env["HASHGATE_SECRET"] = newSecret
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq {
		t.Fatalf("changed secret: exit %d, %d google and %d meta requests more\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	for _, want := range []string{"secret:", "HASHGATE_SECRET", "counted twice", "--accept-new-ids", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stdout+r.stderr, newSecret) {
		t.Error("the stop prints the secret")
	}
	// The same stop with --quiet: exit 2 is what cron alerts on.
	if r := runGoogle(t, env, "", true, "upload", "--quiet", "--config", cfg, export); r.code != 2 || dm.Requests() != gReq {
		t.Fatalf("--quiet: exit %d\n%s", r.code, r.stderr)
	}
	// A person chose the new secret: --accept-new-ids goes on (it sends the
	// export's visits under their new ids: the README says to wait until the
	// export no longer holds the old ones), and keeps its fingerprint.
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, export); r.code != 0 {
		t.Fatalf("--accept-new-ids: exit %d\n%s", r.code, r.stderr)
	}
	gReq, mReq = dm.Requests(), g.Requests()
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 0 || dm.Requests() != gReq || g.Requests() != mReq {
		t.Fatalf("the night after, under the new secret: exit %d\n%s", r.code, r.stderr)
	}
	// And the old secret is now the changed one.
	env["HASHGATE_SECRET"] = uploadEnv(t)["HASHGATE_SECRET"]
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 2 || dm.Requests() != gReq || !strings.Contains(r.stderr, "secret:") {
		t.Fatalf("back to the old secret: exit %d\n%s", r.code, r.stderr)
	}
}

// TestLedgerWithoutFingerprintRecordsIt: a ledger written before hashgate
// kept the secret's fingerprint (main at ca6ab7a) records it on its next
// upload, and a changed secret then stops by it.
func TestLedgerWithoutFingerprintRecordsIt(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	mainLedger(t, env)
	cfg := twComposite(t, gURL, mURL, nil)
	export := filepath.Join("..", "..", "testdata", "ledger", "tw-composite.csv")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 0 || dm.Requests() != 0 || g.Requests() != 0 {
		t.Fatalf("first upload on the old ledger: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"] = "another-secret-Qw8Zr2Lk5Vn0Tb7Yx3mP9"
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if r.code != 2 || dm.Requests() != 0 || g.Requests() != 0 || !strings.Contains(r.stderr, "secret: the secret (HASHGATE_SECRET) is not the one") {
		t.Fatalf("changed secret: exit %d\n%s", r.code, r.stderr)
	}
}

// TestRekeyedOrderIDsStopASmallClinic: 10 visits, one night's upload, then
// the same visits with their ids re-keyed (V… → X…: the clinic system's
// new numbering). Both platforms received all 10 again, exit 0: the net's
// minimum of 20 was more than the clinic has. Its minimum is now what the
// destination accepted within the export's dates.
func TestRekeyedOrderIDsStopASmallClinic(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	visits := clinicDays("V", 5, 2)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, visits)); r.code != 0 || len(dm.Accepted()) != 10 || len(g.Accepted()) != 10 {
		t.Fatalf("night 1: exit %d, google %d, meta %d\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	for i := range visits {
		visits[i].id = "X" + visits[i].id[1:]
	}
	gReq, mReq := dm.Requests(), g.Requests()
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, visits))
	if r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq {
		t.Fatalf("re-keyed ids: exit %d, %d google and %d meta requests more\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	for _, want := range []string{"input.columns.order_id", "10 of the 10 conversions", "--accept-new-ids", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
}

// TestSmallClinicOrdinaryNightsGoThrough: the smaller minimum must not stop
// a small clinic's ordinary nights — the export rolling on (the oldest
// visits gone, new ones added, a few entered late), nor a night whose
// short export is mostly visits entered late, though the destination
// accepted many more over the month than the export holds.
func TestSmallClinicOrdinaryNightsGoThrough(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	visits := clinicDays("V", 9, 2)
	night := func(name string, vs []clinicVisit, google int) {
		t.Helper()
		before := len(dm.Accepted())
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, vs))
		if r.code != 0 || len(dm.Accepted())-before != google {
			t.Fatalf("%s: exit %d, google %d new, want %d\n%s", name, r.code, len(dm.Accepted())-before, google, r.stderr)
		}
		for id, n := range dm.Accepted() {
			if n != 1 {
				t.Fatalf("%s: google ingested %s %d times", name, id, n)
			}
		}
		for id, n := range g.Accepted() {
			if n != 1 {
				t.Fatalf("%s: meta ingested %s %d times", name, id, n)
			}
		}
	}
	night("night 1", visits, 18)
	// The oldest four visits leave the export; two visits of today and two
	// entered late (dated before what was delivered) come in.
	rolled := append([]clinicVisit(nil), visits[4:]...)
	rolled = append(rolled,
		clinicVisit{id: "V101", at: time.Date(2026, 11, 23, 11, 0, 0, 0, taipei), n: 101},
		clinicVisit{id: "V102", at: time.Date(2026, 11, 23, 12, 0, 0, 0, taipei), n: 102},
		clinicVisit{id: "V103", at: time.Date(2026, 11, 20, 12, 0, 0, 0, taipei), n: 103},
		clinicVisit{id: "V104", at: time.Date(2026, 11, 21, 12, 0, 0, 0, taipei), n: 104})
	night("rolling night", rolled, 4)
	// Today's export only: its two visits, and three entered late this
	// morning. Three of five are dated before the newest delivered and
	// unseen; the destinations accepted 22 over the month, 2 of them today.
	today := []clinicVisit{
		{id: "V105", at: time.Date(2026, 11, 23, 9, 0, 0, 0, taipei), n: 105},
		{id: "V106", at: time.Date(2026, 11, 23, 9, 30, 0, 0, taipei), n: 106},
		{id: "V107", at: time.Date(2026, 11, 23, 10, 0, 0, 0, taipei), n: 107},
		rolled[len(rolled)-4], rolled[len(rolled)-3],
	}
	night("today's late entries", today, 3)
}
