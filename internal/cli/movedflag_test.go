package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The moved-times stop (ledger/movedtimes.go) has a flag of its own,
// --accept-moved-times. --accept-new-ids passes every other stop, and an
// analyst who met this one on a chain's second branch passed the flag they
// knew: the branch's colliding visits stayed skipped as already sent, exit
// 0, and the comparison went silent for both branches (a docs review).

// TestAcceptNewIDsDoesNotPassTheMovedTimesStop: the second branch sharing
// the first's ledger still stops with --accept-new-ids, sending nothing,
// and the stop and the dry-run name the flag that passes it.
func TestAcceptNewIDsDoesNotPassTheMovedTimesStop(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t) // one state directory: the default ledger, shared
	cfg := bothConfig(t, gURL, mURL, "")
	a, b := writeClinic(t, branchVisits(6, 9, 0)), writeClinic(t, branchVisits(5, 11, 100))
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, a); r.code != 0 || len(dm.Accepted()) != 6 {
		t.Fatalf("branch A: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	gReq, mReq := dm.Requests(), g.Requests()
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), b)
	if dry.code != 0 || !strings.Contains(dry.stderr, "an upload with this config stops (exit 2)") ||
		!strings.Contains(dry.stderr, "--accept-moved-times") || !strings.Contains(dry.stderr, "--accept-new-ids does not pass it") {
		t.Errorf("branch B's dry-run does not name the flag that passes the stop: exit %d\n%s", dry.code, dry.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, b)
	if r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq {
		t.Fatalf("branch B with --accept-new-ids: exit %d, %d google and %d meta requests more; want the moved-times stop, nothing sent\n%s",
			r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	for _, want := range []string{"ledger.path:", "5 of the 5 conversions", "--accept-moved-times", "--accept-new-ids does not pass it", "Never for another export", "its own ledger.path", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	// Nor did it record the times as accepted: the plain night stops too.
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, b); r.code != 2 || dm.Requests() != gReq {
		t.Fatalf("branch B after --accept-new-ids: exit %d, %d google requests more\n%s", r.code, dm.Requests()-gReq, r.stderr)
	}
}

// TestAcceptMovedTimesIsOneNight: a changed timezone brings every visit
// back an hour off; --accept-new-ids does not pass the stop,
// --accept-moved-times does, sending nothing again, and the nights after
// — without the flag, as a cron job runs — go through: what was accepted
// that night is the reference.
func TestAcceptMovedTimesIsOneNight(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	visits := clinicDays("V", 3, 3)
	export := writeClinic(t, visits)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 0 || len(dm.Accepted()) != 9 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), "timezone: Asia/Taipei", "timezone: Asia/Tokyo", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	gReq, mReq := dm.Requests(), g.Requests()
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, export); r.code != 2 || dm.Requests() != gReq || g.Requests() != mReq ||
		!strings.Contains(r.stderr, "this export's times moved") {
		t.Fatalf("another zone, --accept-new-ids: exit %d, %d google and %d meta requests more; want exit 2, nothing sent\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--accept-moved-times", "--config", cfg, export)
	if r.code != 0 || dm.Requests() != gReq || g.Requests() != mReq || !strings.Contains(r.stderr, "sent as --accept-moved-times asked") {
		t.Fatalf("--accept-moved-times: exit %d, %d google and %d meta requests more; want exit 0, nothing sent again, a warning\n%s", r.code, dm.Requests()-gReq, g.Requests()-mReq, r.stderr)
	}
	// The nights after, without the flag: a visit added, the moved ones
	// still in the export at their new times.
	more := append(append([]clinicVisit(nil), visits...), clinicVisit{id: "V101", at: time.Date(2026, 11, 23, 11, 0, 0, 0, taipei), n: 101})
	for night := range 2 {
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, more))
		if r.code != 0 || len(dm.Accepted()) != 10 || strings.Contains(r.stderr, "another event time") {
			t.Fatalf("night %d after --accept-moved-times: exit %d, google %d; want exit 0, the new visit alone sent, nothing said of moved times\n%s", night+1, r.code, len(dm.Accepted()), r.stderr)
		}
	}
	for id, n := range dm.Accepted() {
		if n != 1 {
			t.Fatalf("google ingested %s %d times", id, n)
		}
	}
	// The flag left in the nightly job: a night with nothing moved says so.
	if r := runGoogle(t, env, "", true, "upload", "--accept-moved-times", "--config", cfg, writeClinic(t, more)); r.code != 0 || !strings.Contains(r.stderr, "--accept-moved-times passed nothing tonight") {
		t.Fatalf("--accept-moved-times on a night with nothing moved: exit %d, nothing said\n%s", r.code, r.stderr)
	}
}

// TestTwoStopsNeedBothFlags: one night whose timezone changed (the known
// visits come back an hour off) and whose order ids changed (twenty visits
// dated among the delivered ones carry ids never seen) trips both stops:
// each flag alone stops at the other's, and both together send.
func TestTwoStopsNeedBothFlags(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	// Google alone: Meta's first-upload window would keep the oldest back.
	body := strings.Replace(mustRead(t, cfg), "  meta:\n    enabled: true", "  meta:\n    enabled: false", 1)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	visits := clinicDays("V", 10, 4)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, visits)); r.code != 0 || len(dm.Accepted()) != 40 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(body, "timezone: Asia/Taipei", "timezone: Asia/Tokyo", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	tonight := append([]clinicVisit(nil), visits[:6]...)
	for i, v := range visits[6:26] {
		v.id = "X" + v.id[1:]
		v.n = 200 + i
		tonight = append(tonight, v)
	}
	export := writeClinic(t, tonight)
	gReq := dm.Requests()
	for _, c := range []struct {
		flags []string
		key   string
	}{
		{nil, "ledger.path:"},
		{[]string{"--accept-new-ids"}, "ledger.path:"},
		{[]string{"--accept-moved-times"}, "input.columns.order_id"},
	} {
		args := append(append([]string{"upload"}, c.flags...), "--config", cfg, export)
		r := runGoogle(t, env, "", true, args...)
		if r.code != 2 || dm.Requests() != gReq || !strings.Contains(r.stderr, c.key) {
			t.Fatalf("%v: exit %d, %d google requests more; want exit 2 naming %s, nothing sent\n%s", c.flags, r.code, dm.Requests()-gReq, c.key, r.stderr)
		}
	}
	r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--accept-moved-times", "--config", cfg, export)
	if r.code != 0 || len(dm.Accepted()) != 60 {
		t.Fatalf("both flags: exit %d, google %d; want the 20 new ids sent\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}

// TestAcceptNewIDsSendsNothingBeforeTheMovedTimesStop: with
// --accept-new-ids the safety net judges no ids, but it still holds what
// would be sent until the moved-times guard has decided — unarmed, the
// Filter sends as it goes, and a night of new visits filling requests
// sent them before the guard stopped it, saying "nothing was sent" (one
// batch alone raced the stop: four do not).
func TestAcceptNewIDsSendsNothingBeforeTheMovedTimesStop(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	body := strings.Replace(mustRead(t, cfg), "  meta:\n    enabled: true", "  meta:\n    enabled: false", 1)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	visits := clinicDays("V", 3, 3)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, visits)); r.code != 0 || len(dm.Accepted()) != 9 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(body, "timezone: Asia/Taipei", "timezone: Asia/Tokyo", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	tonight := append([]clinicVisit(nil), visits...)
	for i := range 8100 { // four of Google's 2,000-event requests and more
		tonight = append(tonight, clinicVisit{id: fmt.Sprintf("N%04d", i), at: time.Date(2026, 11, 23, 9+i%7, i%60, 0, 0, taipei), n: 300 + i%600})
	}
	gReq := dm.Requests()
	r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, writeClinic(t, tonight))
	if r.code != 2 || dm.Requests() != gReq || !strings.Contains(r.stderr, "ledger.path:") {
		t.Fatalf("--accept-new-ids, times moved: exit %d, %d google requests more; want the moved-times stop before anything is sent\n%s", r.code, dm.Requests()-gReq, r.stderr)
	}
}

// TestFewKnownIDsAtOtherTimesAreCounted: a second branch of seven visits
// shares the first's ledger; three of its ids collide with the first's,
// fewer than the stop's five, among four new ones (three of three alone,
// every known id at another time and the whole night, stop since session
// 23: TestNewSystemFewIDsStopWithTheWayOut). They were skipped as
// "already ingested", unsaid; the dry-run, the summary and the JSON report
// now count them at another event time, and the night still exits 0 (a
// rescheduled visit is counted so too: a count, never the exit code).
func TestFewKnownIDsAtOtherTimesAreCounted(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	body := strings.Replace(mustRead(t, cfg), "  meta:\n    enabled: true", "  meta:\n    enabled: false", 1)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, branchVisits(6, 9, 0))); r.code != 0 || len(dm.Accepted()) != 6 {
		t.Fatalf("branch A: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	visitsB := branchVisits(3, 11, 100)
	for i := range 4 {
		visitsB = append(visitsB, clinicVisit{id: fmt.Sprint(7 + i), at: time.Date(2026, 11, 22, 14, 10*i, 0, 0, taipei), n: 110 + i})
	}
	b := writeClinic(t, visitsB)
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), b)
	if dry.code != 0 || !strings.Contains(dry.stderr, "already holds 3 of google's 7 conversions as accepted (3 of the 3 compared at another event time than they were sent with)") ||
		strings.Contains(dry.stderr, "would stop") {
		t.Errorf("branch B's dry-run does not count the moved: exit %d\n%s", dry.code, dry.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, b)
	if r.code != 0 || len(dm.Accepted()) != 10 || !strings.Contains(r.stderr, "3 already ingested in earlier runs") ||
		!strings.Contains(r.stderr, "3 of the 3 ingested before that were compared come back at another event time") {
		t.Errorf("branch B: exit %d, google %d; want exit 0 and the 3 counted\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	j := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, b)
	var rep struct {
		Uploads []struct {
			Destination string `json:"destination"`
			Skipped     int    `json:"skipped_already_ingested"`
			Moved       int    `json:"ingested_at_another_time"`
			Compared    int    `json:"ingested_times_compared"`
		} `json:"destinations"`
		ExitCode int `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &rep); err != nil || j.code != 0 || len(rep.Uploads) != 1 ||
		rep.Uploads[0].Skipped != 7 || rep.Uploads[0].Moved != 3 || rep.Uploads[0].Compared != 7 || rep.ExitCode != 0 {
		t.Errorf("--json: exit %d, %v, %+v\n%s", j.code, err, rep, j.stdout)
	}
	// Branch A's own night: its visits at their own times, nothing moved.
	a := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, branchVisits(6, 9, 0)))
	if a.code != 0 || strings.Contains(a.stderr, "another event time") {
		t.Errorf("branch A again: exit %d\n%s", a.code, a.stderr)
	}
}
