package cli

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAChangedZoneStopsCompositeIDs (a DST review): an export whose
// appointment times state their own offset ("…Z") and whose order id is
// composite (chart number and appointment time) was uploaded without a
// timezone; the next night the config named one — as config init asks, as
// consent.revoked_allows_earlier needs. The key's time part is written in
// the clinic's zone, so every event id changed and five visits were sent
// twice, exit 0 (the safety net needs 20). The upload now stops before
// sending, naming timezone; times without an offset (whose ids a zone does
// not change) are not stopped; --accept-new-ids goes on.
//
// Such a config is refused now without a timezone (a review of time
// handling: "…Z" one night and "-05:00" the next made two ids of each
// visit): a ledger of those zone-less uploads is made here as an UTC run
// over "…Z" times (the same ids) whose kept zone is then set back to
// "none", as the older hashgate wrote it.
func TestAChangedZoneStopsCompositeIDs(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	config := func(zone string) string {
		body := fmt.Sprintf(`%s
region: US
input:
  columns:
    order_id: [chart, at]
    appointment_at: at
    status: status
    phone: [phone]
    consent: consent
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: fixed
  fixed_value: 1
  currency: USD
destinations:
  google:
    enabled: true
    identifiers: [phone]
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
  meta:
    enabled: false
    graph_url: %s
`, zone, gURL, mURL)
		p := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	export := func(stated bool) string {
		var b strings.Builder
		b.WriteString("chart,at,status,phone,consent\n")
		for i := range 5 {
			at := fmt.Sprintf("2026-11-1%dT23:30:00Z", i)
			if !stated {
				at = fmt.Sprintf("2026-11-1%d 18:30", i)
			}
			fmt.Fprintf(&b, "C%03d,%s,completed,+1 650 555 01%02d,yes\n", i, at, i)
		}
		p := filepath.Join(t.TempDir(), "export.csv")
		if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stated := export(true)
	if r := runGoogle(t, env, "", true, "upload", "--config", config(""), stated); r.code != ExitUsage || len(dm.Accepted()) != 0 || !strings.Contains(r.stderr, "timezone: required when input.columns.order_id includes the appointment time") {
		t.Fatalf("without a timezone: exit %d, google %d; want exit 2 naming timezone, nothing sent\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	utc := config("timezone: UTC")
	// zoneLess makes env's ledger one of zone-less uploads of "…Z" times
	// (night 1 under UTC spelled their ids alike).
	zoneLess := func(env map[string]string) {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`UPDATE meta SET value = 'none' WHERE key LIKE 'order_id_zone:%'`); err != nil {
			t.Fatal(err)
		}
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", utc, stated); r.code != 0 || len(dm.Accepted()) != 5 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	// The shape's text is what an older hashgate reads (four parts); the
	// zone has a key of its own (a review: a fifth field made the older
	// hashgate skip its zeros check).
	db, err := sql.Open("sqlite", "file:"+filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	var shape, zone string
	if err := db.QueryRow(`SELECT (SELECT value FROM meta WHERE key LIKE 'order_id_shape:%'), (SELECT value FROM meta WHERE key LIKE 'order_id_zone:%')`).Scan(&shape, &zone); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if strings.Count(shape, ";") != 3 || zone != "UTC" {
		t.Errorf("kept shape %q, zone %q; want four parts and zone UTC", shape, zone)
	}
	zoneLess(env)
	ny := config("timezone: America/New_York")
	r := runGoogle(t, env, "", true, "upload", "--config", ny, stated)
	if r.code != ExitUsage || len(dm.Accepted()) != 5 || !strings.Contains(r.stderr, "timezone:") || !strings.Contains(r.stderr, "export.csv:2") {
		t.Fatalf("night 2 with a timezone: exit %d, google %d; want exit 2 naming timezone and the first row, nothing sent\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if !strings.Contains(r.stderr, "UTC, if its times end in Z") {
		t.Errorf("the stop after zone-less uploads does not name the zone that keeps their ids:\n%s", r.stderr)
	}
	// The way back it names: a zone with the offsets the cells state.
	if r := runGoogle(t, env, "", true, "upload", "--config", utc, stated); r.code != 0 || len(dm.Accepted()) != 5 {
		t.Fatalf("night 2 under UTC: exit %d, google %d; want nothing new\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	zoneLess(env)

	// Times without an offset: the zone reads the wall time the cell
	// holds, and the id does not move with it: the zone check does not
	// stop. The times sent do move (an hour), which the ledger's check of
	// known ids at other times stops, naming the timezone among its
	// causes; --accept-moved-times passes it (--accept-new-ids does not),
	// sending nothing new.
	env2 := uploadEnv(t)
	local := export(false)
	before := len(dm.Accepted())
	if r := runGoogle(t, env2, "", true, "upload", "--config", ny, local); r.code != 0 || len(dm.Accepted()) != before+5 {
		t.Fatalf("local times, New York: exit %d\n%s", r.code, r.stderr)
	}
	chicago := config("timezone: America/Chicago")
	if r := runGoogle(t, env2, "", true, "upload", "--config", chicago, local); r.code != ExitUsage || len(dm.Accepted()) != before+5 ||
		!strings.Contains(r.stderr, "come back at another event time") || !strings.Contains(r.stderr, "check timezone") {
		t.Fatalf("local times, another zone: exit %d, google +%d; want the moved-times stop naming timezone, nothing sent\n%s", r.code, len(dm.Accepted())-before, r.stderr)
	}
	if r := runGoogle(t, env2, "", true, "upload", "--accept-new-ids", "--config", chicago, local); r.code != ExitUsage || len(dm.Accepted()) != before+5 {
		t.Fatalf("local times, another zone, --accept-new-ids: exit %d, google +%d; want the moved-times stop still\n%s", r.code, len(dm.Accepted())-before, r.stderr)
	}
	if r := runGoogle(t, env2, "", true, "upload", "--accept-moved-times", "--config", chicago, local); r.code != 0 || len(dm.Accepted()) != before+5 {
		t.Fatalf("local times, another zone, accepted: exit %d, google +%d; want no stop and nothing new\n%s", r.code, len(dm.Accepted())-before, r.stderr)
	}

	// The review of that check: zones are judged by how they spell the
	// ids, not by name. To UTC from Taipei, "…Z" cells spell other ids
	// (the check missed it: "Z" is UTC, and looked local); between
	// aliases nothing changes, and nothing stops.
	for _, c := range []struct {
		from, to string
		stop     bool
	}{
		{"Asia/Taipei", "UTC", true},
		{"UTC", "Etc/UTC", false},
		{"Asia/Taipei", "ROC", false},
		{"America/New_York", "US/Eastern", false},
	} {
		e := uploadEnv(t)
		before := len(dm.Accepted())
		if r := runGoogle(t, e, "", true, "upload", "--config", config("timezone: "+c.from), stated); r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", c.from, r.code, r.stderr)
		}
		sent := len(dm.Accepted()) - before
		r := runGoogle(t, e, "", true, "upload", "--config", config("timezone: "+c.to), stated)
		if stopped := r.code == ExitUsage; stopped != c.stop || len(dm.Accepted())-before != sent {
			t.Errorf("%s → %s: exit %d, %d more accepted; want stop %v and nothing new\n%s", c.from, c.to, r.code, len(dm.Accepted())-before-sent, c.stop, r.stderr)
		}
	}

	// A review of that: night 1 without a timezone, "…Z" times; the export
	// then writes local times, which stop the run for want of a zone, and
	// with one they read — as another wall time than the ids were made of.
	// The local times did not read in the last upload's "zone" at all;
	// that is a change, not its absence.
	e := uploadEnv(t)
	// The same visits, 18:30 New York = 23:30Z, and six visits after them:
	// five of eleven old ids is not more than half, so the safety net on
	// new ids (which now stops a small clinic's re-keyed night too) leaves
	// this stop to the zone check alone (the mutant that switched it off
	// survived behind the net).
	var lb strings.Builder
	lb.WriteString("chart,at,status,phone,consent\n")
	for i := range 5 {
		fmt.Fprintf(&lb, "C%03d,2026-11-1%d 18:30,completed,+1 650 555 01%02d,yes\n", i, i, i)
	}
	for i := range 6 {
		fmt.Fprintf(&lb, "C%03d,2026-11-2%d 18:30,completed,+1 650 555 02%02d,yes\n", 100+i, i, i)
	}
	later := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(later, []byte(lb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runGoogle(t, e, "", true, "upload", "--config", utc, stated); r.code != 0 {
		t.Fatalf("Z night: exit %d\n%s", r.code, r.stderr)
	}
	zoneLess(e)
	sent := len(dm.Accepted())
	if r := runGoogle(t, e, "", true, "upload", "--config", ny, later); r.code != ExitUsage || len(dm.Accepted()) != sent {
		t.Errorf("local times under a new zone after a night without one: exit %d, %d more accepted; want exit 2, nothing sent\n%s", r.code, len(dm.Accepted())-sent, r.stderr)
	}

	// A change meant: --accept-new-ids sends under the new ids, and the
	// zone it used is the one kept.
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", ny, stated); r.code != 0 || !strings.Contains(r.stderr, "order_id_timezone") {
		t.Fatalf("--accept-new-ids: exit %d, or the zone's stop not named as passed\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", ny, stated); r.code != 0 {
		t.Fatalf("after --accept-new-ids: exit %d\n%s", r.code, r.stderr)
	}
}

// TestAnExportReSpelledInAnotherOffsetSendsNothing (a review of time
// handling): ten visits written +08:00 one night and re-exported in UTC the
// next, the order id chart number and appointment time. Without a
// timezone the ids spelled each cell's offset, and all ten were sent
// again, exit 0; such a config is refused now, and with the zone the
// second night sends nothing.
func TestAnExportReSpelledInAnotherOffsetSendsNothing(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	env := uploadEnv(t)
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: [chart, at]
    appointment_at: at
    status: status
    phone: [phone]
    consent: consent
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: fixed
  fixed_value: 1
  currency: TWD
destinations:
  google:
    enabled: true
    identifiers: [phone]
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
`, gURL)), 0o600); err != nil {
		t.Fatal(err)
	}
	night := func(utc bool) string {
		var b strings.Builder
		b.WriteString("chart,at,status,phone,consent\n")
		for i := range 10 {
			at := fmt.Sprintf("2026-11-%02dT09:30:00+08:00", 10+i)
			if utc {
				at = fmt.Sprintf("2026-11-%02dT01:30:00Z", 10+i)
			}
			fmt.Fprintf(&b, "C%03d,%s,completed,0912 345 6%02d,yes\n", i, at, i)
		}
		p := filepath.Join(t.TempDir(), "export.csv")
		if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, night(false)); r.code != 0 || len(dm.Accepted()) != 10 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, night(true)); r.code != 0 || len(dm.Accepted()) != 10 {
		t.Fatalf("night 2 re-exported in UTC: exit %d, google %d; want nothing sent again\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}
