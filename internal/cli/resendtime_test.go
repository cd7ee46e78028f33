package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// correctedExport writes an export of three visits, the second at the
// given local time (the clinic corrects it between nights).
func correctedExport(t *testing.T, path, second string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for i, at := range []string{"2026-11-24 09:00", second, "2026-11-24 11:00"} {
		fmt.Fprintf(&b, "RT%02d,%s,completed,zqresend%d@example.com,0912-555-%03d,Zqrfirst%d,Zqrlast%d,yes\n", i, at, i, i, i, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestAResentEventKeepsItsSentTimeWhenTheExportCorrectsIt: night 1 sends
// three visits to Meta and the answer is lost (a crash: unconfirmed);
// before night 2 the clinic corrects one visit's time. Night 2 resends the
// three (Meta may not have them) — the corrected one with the time it was
// sent with: Meta deduplicates a physical_store event on event_time,
// event_name and order_id (contract M11), so tonight's time would make
// it another event, counted twice (the Graph fake counts on that key).
// The summary and the JSON report say one kept its sent time.
func TestAResentEventKeepsItsSentTimeWhenTheExportCorrectsIt(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)} // 02:30 in Taipei
	g, cfg, env, export := metaNights(t, clock)
	report := filepath.Join(t.TempDir(), "report.json")
	correctedExport(t, export, "2026-11-24 10:00")
	sent := clock.Now()
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	crashAfterSending(t, env, sent)
	destinationtest.ExactlyOnce(t, g.Counted(), 3)

	clock.Advance(24 * time.Hour)
	correctedExport(t, export, "2026-11-24 12:15") // the visit's time, corrected
	r := runAt(t, clock, env, "upload", "--config", cfg, "--report", report, export)
	if r.code != ExitOK || !strings.Contains(r.stderr, "3 of 3 conversions ingested") {
		t.Fatalf("night 2: exit %d\n%s", r.code, r.stderr)
	}
	if g.Requests() != 2 {
		t.Fatalf("%d requests reached Meta, want one a night", g.Requests())
	}
	destinationtest.ExactlyOnce(t, g.Counted(), 3)
	if !strings.Contains(r.stderr, "1 sent before and possibly delivered, now dated otherwise by the export: kept the time they were sent with") {
		t.Errorf("the summary does not say a resend kept its sent time:\n%s", r.stderr)
	}
	var rep struct {
		Destinations []struct {
			Kept       int `json:"kept_sent_time"`
			Unrecorded int `json:"sent_time_not_recorded"`
		} `json:"destinations"`
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Destinations) != 1 || rep.Destinations[0].Kept != 1 || rep.Destinations[0].Unrecorded != 0 {
		t.Fatalf("report %v %+v", err, rep)
	}

	// Night 3: all three ingested, nothing passed on, nothing said.
	clock.Advance(24 * time.Hour)
	correctedExport(t, export, "2026-11-24 12:15")
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK || strings.Contains(r.stderr, "sent before") {
		t.Fatalf("night 3: exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Counted(), 3)
}

// keptSentTimes reads kept_sent_time from a JSON report of one destination.
func keptSentTimes(t *testing.T, report string) int {
	t.Helper()
	var rep struct {
		Destinations []struct {
			Kept int `json:"kept_sent_time"`
		} `json:"destinations"`
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Destinations) != 1 {
		t.Fatalf("report %v %s", err, b)
	}
	return rep.Destinations[0].Kept
}

// TestATokenStopKeepsNoSentTime: night 1 the token has expired (190): the
// batch is recorded rejected and nothing reached Meta. Night 2, the
// token renewed and one visit's time corrected, the three go with
// tonight's times: none was ever seen by Meta, so none "kept its time".
func TestATokenStopKeepsNoSentTime(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := metaNights(t, clock)
	report := filepath.Join(t.TempDir(), "report.json")
	correctedExport(t, export, "2026-11-24 10:00")
	g.ExpiredToken = metaToken
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code == ExitOK || g.Requests() != 1 {
		t.Fatalf("night 1: exit %d, %d requests\n%s", r.code, g.Requests(), r.stderr)
	}
	g.ExpiredToken = ""
	clock.Advance(24 * time.Hour)
	correctedExport(t, export, "2026-11-24 12:15")
	r := runAt(t, clock, env, "upload", "--config", cfg, "--report", report, export)
	if r.code != ExitOK || !strings.Contains(r.stderr, "3 of 3 conversions ingested") {
		t.Fatalf("night 2: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "kept the time") || keptSentTimes(t, report) != 0 {
		t.Errorf("a request refused whole dated a resend:\n%s", r.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Counted(), 3)
}

// TestASentTimePastMetasWindowIsNotKept: night 1's answer is lost; nine
// days later, the visit's time corrected, the events are resent on
// purpose (--resend-unconfirmed). Meta deduplicates only 7 days: the
// first request's time would spare nothing, so they go with tonight's.
func TestASentTimePastMetasWindowIsNotKept(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
	_, cfg, env, export := metaNights(t, clock)
	report := filepath.Join(t.TempDir(), "report.json")
	correctedExport(t, export, "2026-11-24 10:00")
	sent := clock.Now()
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	crashAfterSending(t, env, sent)
	clock.Advance(9 * 24 * time.Hour)
	correctedExport(t, export, "2026-11-24 12:15")
	r := runAt(t, clock, env, "upload", "--config", cfg, "--resend-unconfirmed", "--report", report, export)
	if r.code != ExitOK {
		t.Fatalf("night 10: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "kept the time") || keptSentTimes(t, report) != 0 {
		t.Errorf("a sent time past Meta's 7 days was kept:\n%s", r.stderr)
	}
}

// TestAnEventProcessedThenAnswered5xxKeepsItsSentTime: night 1 Meta
// takes the three events and every attempt is answered 504 (a gateway
// timing out on a backend that processed them; google/rpc/code.proto:
// DEADLINE_EXCEEDED "may be returned even if the operation has completed
// successfully", and nothing of Meta's says a 5xx means not processed).
// The night says unanswered, may have arrived — never rejected — and
// night 2, one visit's time corrected, resends the three with the time
// they were sent with: Meta counts each once. Recorded rejected, the
// corrected one went with tonight's time and Meta counted it twice.
func TestAnEventProcessedThenAnswered5xxKeepsItsSentTime(t *testing.T) {
	for _, answer := range []struct {
		name  string
		write func(http.ResponseWriter)
	}{{"504", destinationtest.GatewayTimeout}, {"500_code_2", destinationtest.GraphUnavailable}} {
		t.Run(answer.name, func(t *testing.T) {
			clock := &simClock{t: time.Date(2026, 11, 24, 18, 30, 0, 0, time.UTC)}
			g, cfg, env, export := metaNights(t, clock)
			g.ProcessedThen = func(_ int, w http.ResponseWriter) bool { answer.write(w); return true }
			correctedExport(t, export, "2026-11-24 10:00")
			r := runAt(t, clock, env, "upload", "--config", cfg, export)
			if r.code != ExitFailure || !strings.Contains(r.stderr, "unanswered 3 (may have arrived") || strings.Contains(r.stderr, "rejected 3") {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			destinationtest.ExactlyOnce(t, g.Counted(), 3)

			g.ProcessedThen = nil
			clock.Advance(24 * time.Hour)
			correctedExport(t, export, "2026-11-24 12:15")
			r = runAt(t, clock, env, "upload", "--config", cfg, export)
			if r.code != ExitOK || !strings.Contains(r.stderr, "3 of 3 conversions ingested") ||
				!strings.Contains(r.stderr, "1 sent before and possibly delivered, now dated otherwise by the export: kept the time they were sent with") {
				t.Fatalf("night 2: exit %d\n%s", r.code, r.stderr)
			}
			destinationtest.ExactlyOnce(t, g.Counted(), 3)
		})
	}
}
