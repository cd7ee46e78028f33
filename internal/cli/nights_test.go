package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// growingExport is a clinic's nightly export: every visit so far (three a
// day from day0, in the clinic's local time), plus rows that stay in it.
func growingExport(t *testing.T, path string, day0 time.Time, days int, extra string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	b.WriteString(extra)
	for d := 0; d < days; d++ {
		for i := range 3 {
			n := d*3 + i
			fmt.Fprintf(&b, "W%04d,%s,completed,zqweek%d@example.com,0912-%03d-%03d,Zqwfirst%d,Zqwlast%d,yes\n",
				n, day0.AddDate(0, 0, d).Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), n, n%1000, n/1000, n, n)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestWeekOfNights replays a week of cron runs against the Meta fake on a
// clock advanced a day at a time, over an export that grows every day and
// keeps one row Meta will never take (a visit months old, quarantined as
// event_too_old). Only the first night — when that row is new — exits 3;
// every later night exits 0 and reports it as "held back in earlier runs",
// a night whose export has nothing new exits 0, and Meta counts every
// visit exactly once.
func TestWeekOfNights(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)} // 02:30 in Taipei
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clock.Now}
	srv := g.Start(t)
	cfg := metaConfig(t, srv.URL, "")
	env := uploadEnv(t)
	export := filepath.Join(t.TempDir(), "export.csv")
	stale := "OLD1,2026-08-01 10:00,completed,zqold@example.com,0912-999-000,Zqold,Zqold,yes\n"
	day0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // first visits, the morning before night 0 (Taipei time)
	report := filepath.Join(t.TempDir(), "last.json")
	sent := 0
	for night := range 7 {
		if night > 0 {
			clock.Advance(24 * time.Hour)
		}
		days := night + 1
		if night == 4 {
			days = night // the clinic's export failed to add a day: nothing new tonight
		}
		growingExport(t, export, day0, days, stale)
		r := runAt(t, clock, env, "upload", "--config", cfg, "--report", report, export)
		want, newRows := ExitOK, 3
		switch night {
		case 0:
			want = ExitPartial // the stale row is new tonight: alert once
		case 4:
			newRows = 0
		case 5:
			newRows = 6 // yesterday's visits and tonight's
		}
		if r.code != want {
			t.Fatalf("night %d: exit %d, want %d\n%s", night, r.code, want, r.stderr)
		}
		sent += newRows
		if got := len(g.Accepted()); got != sent {
			t.Fatalf("night %d: Meta holds %d events, want %d\n%s", night, got, sent, r.stderr)
		}
		var rep struct {
			ExitCode     int `json:"exit_code"`
			Destinations []struct {
				Ingested    int            `json:"ingested"`
				HeldEarlier int            `json:"held_back_in_earlier_runs"`
				Quarantined map[string]int `json:"quarantined"`
			} `json:"destinations"`
		}
		b, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &rep); err != nil || len(rep.Destinations) != 1 {
			t.Fatalf("night %d: report %v\n%s", night, err, b)
		}
		d := rep.Destinations[0]
		if d.Ingested != newRows {
			t.Errorf("night %d: ingested %d, want %d", night, d.Ingested, newRows)
		}
		if night == 0 {
			if d.HeldEarlier != 0 || d.Quarantined["event_too_old"] != 1 {
				t.Errorf("night 0: held earlier %d, quarantined %v", d.HeldEarlier, d.Quarantined)
			}
			continue
		}
		if d.HeldEarlier != 1 || len(d.Quarantined) != 0 {
			t.Errorf("night %d: held earlier %d, quarantined %v", night, d.HeldEarlier, d.Quarantined)
		}
		if !strings.Contains(r.stderr, "held back in earlier runs: 1") {
			t.Errorf("night %d: the summary does not say what was held back before:\n%s", night, r.stderr)
		}
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), sent)
}
