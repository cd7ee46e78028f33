package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A review of a chain of clinics: several branches, each its own export
// and config, one server, one analyst. Two configs without ledger.path
// share the default ledger, and one HASHGATE_SECRET; both branches number
// their appointments from 1, so their visits take each other's event ids.

// branchVisits is a branch's visits numbered 1..n from the given start,
// at hour and hour+5 on the days before fixedNow, patients from first.
func branchVisits(n, hour, first int) []clinicVisit {
	var out []clinicVisit
	for i := range n {
		out = append(out, clinicVisit{
			id: fmt.Sprint(i + 1),
			at: time.Date(2026, 11, 23-3+i/2, hour+5*(i%2), 30, 0, 0, taipei),
			n:  first + i,
		})
	}
	return out
}

// TestTwoBranchesSharingALedgerStopBeforeSending: branch A's ids 1–6 go
// first; branch B's ids 1–5, other visits of other patients at other
// times, went nowhere — "already ingested in earlier runs", exit 0, 5
// visits lost — and with restate on and another fee, B's night restated
// A's five values at Google. It stops before anything is sent (exit 2),
// naming both causes, never a cell.
func TestTwoBranchesSharingALedgerStopBeforeSending(t *testing.T) {
	// Google alone: every id B shares with A is restated (another fee),
	// dated as Google holds it — the guard reads the export's time first.
	for _, only := range []string{"both platforms", "google alone"} {
		t.Run(only, func(t *testing.T) { twoBranches(t, only == "google alone") })
	}
}

func twoBranches(t *testing.T, googleAlone bool) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t) // one state directory: the default ledger, shared
	branch := func(fee string) string {
		p := bothConfig(t, gURL, mURL, "    restate: true\n")
		body := strings.Replace(mustRead(t, p), "fixed_value: 1000", "fixed_value: "+fee, 1)
		if googleAlone {
			body = strings.Replace(body, "  meta:\n    enabled: true", "  meta:\n    enabled: false", 1)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfgA, cfgB := branch("1000"), branch("2000")
	metaA := 6
	if googleAlone {
		metaA = 0
	}
	a, b := writeClinic(t, branchVisits(6, 9, 0)), writeClinic(t, branchVisits(5, 11, 100))
	if r := runGoogle(t, env, "", true, "upload", "--config", cfgA, a); r.code != 0 || len(dm.Accepted()) != 6 || len(g.Accepted()) != metaA {
		t.Fatalf("branch A: exit %d, google %d, meta %d\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	gReq, mReq := dm.Requests(), g.Requests()
	// B's dry-run says what the ledger already holds, and that an upload stops.
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfgB, "--out", filepath.Join(t.TempDir(), "review.csv"), b)
	if dry.code != 0 || !strings.Contains(dry.stderr, "already holds 5 of google's 5 conversions as accepted: an upload would skip them") ||
		!strings.Contains(dry.stderr, "an upload with this config stops (exit 2)") || !strings.Contains(dry.stderr, "another export whose order ids overlap") {
		t.Errorf("branch B's dry-run: exit %d\n%s", dry.code, dry.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--config", cfgB, b)
	if r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq {
		t.Fatalf("branch B: exit %d, %d google and %d meta requests more (its 5 visits skipped as A's, or restated over A's values)\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	for _, want := range []string{"ledger.path:", "5 of the 5 conversions", "another export whose order ids overlap", "HASHGATE_SECRET", "timezone", "--accept-new-ids", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	for _, cell := range []string{"zqclinic", "0912-555", "Zqcfirst", "Zqclast", "2026-11-2"} {
		if strings.Contains(r.stdout+r.stderr, cell) {
			t.Errorf("the stop prints a cell (%q):\n%s", cell, r.stderr)
		}
	}
	// Each branch its own ledger and secret: B's visits go.
	envB := uploadEnv(t)
	envB["HASHGATE_SECRET"] = "branch-b-secret-Lq3Vt8Xw1Zr6Np4Ks0"
	if r := runGoogle(t, envB, "", true, "upload", "--config", cfgB, b); r.code != 0 || len(dm.Accepted()) != 11 {
		t.Fatalf("branch B on its own ledger: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}

// writeClinicAs is writeClinic with the appointment times in layout.
func writeClinicAs(t *testing.T, visits []clinicVisit, layout string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for _, v := range visits {
		fmt.Fprintf(&b, "%s,%s,completed,zqclinic%d@example.com,0912-555-%03d,Zqcfirst%d,Zqclast%d,yes\n", v.id, v.at.Format(layout), v.n, v.n, v.n, v.n)
	}
	p := filepath.Join(t.TempDir(), "clinic.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMovedTimesLetOrdinaryNightsThrough: the nights the guard must not
// stop — a rolling export re-sent nightly, a few visits rescheduled, the
// export re-saved with its times spelt otherwise (the same instants) —
// send what is new and nothing twice.
func TestMovedTimesLetOrdinaryNightsThrough(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "    restate: true\n")
	night := func(name, export string, google int) {
		t.Helper()
		before := len(dm.Accepted())
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
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
	visits := clinicDays("V", 9, 2)
	night("night 1", writeClinic(t, visits), 18)
	rolled := append([]clinicVisit(nil), visits[4:]...)
	rolled = append(rolled, clinicVisit{id: "V101", at: time.Date(2026, 11, 23, 11, 0, 0, 0, taipei), n: 101})
	night("rolling night", writeClinic(t, rolled), 1)
	night("the same export again", writeClinic(t, rolled), 0)
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), writeClinic(t, rolled))
	if dry.code != 0 || !strings.Contains(dry.stderr, "already holds 15 of google's 15 conversions as accepted") || strings.Contains(dry.stderr, "another event time") {
		t.Errorf("a rolling night's dry-run: exit %d\n%s", dry.code, dry.stderr)
	}
	moved := append([]clinicVisit(nil), rolled...)
	moved[2].at = moved[2].at.Add(time.Hour)
	moved[5].at = moved[5].at.Add(-30 * time.Minute)
	moved[9].at = moved[9].at.AddDate(0, 0, 1)
	night("three visits rescheduled", writeClinic(t, moved), 0)
	night("re-saved, times spelt otherwise", writeClinicAs(t, moved, "2006/01/02 15:04:05"), 0)
}

// TestMovedTimesLeaveBookingsOut: bookings whose booked_at was emptied
// after they were sent date by their appointment (README, When a visit
// changes after upload): all six come back at another time, and the
// night goes through, sending nothing again.
func TestMovedTimesLeaveBookingsOut(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 12, 15, 0, 0, 0, time.UTC))
	var rows, blank []string
	for i := range 6 {
		at := fmt.Sprintf("2026-11-%02d %02d:00", 7+i, 9+i)
		rows = append(rows, fmt.Sprintf("N%d,%s,no-show,n%d@example.com,yes,%s,2026-11-06 1%d:00", i, at, i, bookingGCLIDcli, i))
		blank = append(blank, fmt.Sprintf("N%d,%s,no-show,n%d@example.com,yes,%s,", i, at, i, bookingGCLIDcli))
	}
	r := n.night(rows...)
	meta, google := n.sent()
	if google["555000222"] != 6 { // Meta keeps back a first upload's week-old bookings
		t.Fatalf("night 1: meta %v, google %v\n%s", meta, google, r.stderr)
	}
	n.now = n.now.Add(24 * time.Hour)
	// The dry-run judges by the upload's rule: the bookings' moved times
	// are no reason to say an upload would stop (the closing review: only
	// a condition no test held kept them out of the dry-run's count).
	n.extra = []string{"--dry-run"}
	if r := n.night(blank...); strings.Contains(r.stderr, "another event time") || strings.Contains(r.stderr, "would stop") {
		t.Errorf("dry-run, booked_at emptied: says an upload would stop\n%s", r.stderr)
	}
	n.extra = nil
	n.night(blank...)
	if m, g := n.sent(); m["Schedule"] != meta["Schedule"] || g["555000222"] != 6 {
		t.Fatalf("booked_at emptied: meta %v, google %v", m, g)
	}
}

// TestMovedTimesThroughADSTNight: a Berlin clinic's export across the
// night clocks went back (2026-10-25, 02:30 twice) re-sent the night
// after goes through: the same local times give the same instants.
func TestMovedTimesThroughADSTNight(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	if err := os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), "timezone: Asia/Taipei", "timezone: Europe/Berlin", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone data:", err)
	}
	var visits []clinicVisit
	for i, h := range []int{1, 2, 3, 9, 15} {
		for d := 24; d <= 26; d++ {
			visits = append(visits, clinicVisit{id: fmt.Sprintf("D%d-%d", d, i), at: time.Date(2026, 10, d, h, 30, 0, 0, berlin), n: 10*d + i})
		}
	}
	export := writeClinic(t, visits)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 0 || len(dm.Accepted()) != len(visits) {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	gReq, mReq := dm.Requests(), g.Requests()
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 0 || dm.Requests() != gReq || g.Requests() != mReq {
		t.Fatalf("the night after: exit %d\n%s", r.code, r.stderr)
	}
}

// TestAChangedTimezoneStopsUntilAccepted: the same export read under
// another timezone brings every visit back an hour off: the guard stops
// it (exit 2) before anything is sent; --accept-moved-times goes on,
// saying why, and the nights after, under the new zone, go through
// (TestAcceptMovedTimesIsOneNight: --accept-new-ids does not).
func TestAChangedTimezoneStopsUntilAccepted(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	export := writeClinic(t, clinicDays("V", 3, 3))
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 0 || len(dm.Accepted()) != 9 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), "timezone: Asia/Taipei", "timezone: Asia/Tokyo", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	gReq, mReq := dm.Requests(), g.Requests()
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq || !strings.Contains(r.stderr, "this export's times moved") {
		t.Fatalf("another zone: exit %d, %d google and %d meta requests more\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	// A validation sends nothing real and is never compared: it does not
	// stop on the moved times (the closing review: no test held this).
	if v := runGoogle(t, env, "", true, "upload", "--validate", "--config", cfg, export); strings.Contains(v.stderr, "another event time") {
		t.Errorf("--validate compared the moved times: exit %d\n%s", v.code, v.stderr)
	}
	r = runGoogle(t, env, "", true, "upload", "--accept-moved-times", "--config", cfg, export)
	if r.code != 0 || !strings.Contains(r.stderr, "came back at another event time") {
		t.Fatalf("--accept-moved-times: exit %d\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 0 || len(dm.Accepted()) != 9 {
		t.Fatalf("the night after: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}
