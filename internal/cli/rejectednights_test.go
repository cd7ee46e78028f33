package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestMetaRejectedEventsAreHeldEarlier: events Meta refuses one by one
// (error 100/2804050, insufficient customer information: it names no
// event, so hashgate bisects to find them) are tonight's problem once.
// Each later night sends them again — a corrected row may pass — and,
// refused again, they are "held back in earlier runs" and set no exit code,
// as Google's named events are; a night left with only them to send is
// not a configuration fault (both refused alike, which the systemic guard
// reads as one). A review of the morning found Meta's isolated events
// counted as new every night (exit 3), and a night of only them stopped
// with "the cause is the configuration", exit 1.
func TestMetaRejectedEventsAreHeldEarlier(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)} // 02:30 in Taipei
	g, cfg, env, export := metaNights(t, clock)
	var bad [][]byte
	for _, e := range []string{"zqbad1@example.com", "zqbad2@example.com"} {
		h := sha256.Sum256([]byte(e))
		bad = append(bad, []byte(hex.EncodeToString(h[:])))
	}
	g.Fault = func(_ int, w http.ResponseWriter, r *http.Request) bool {
		body, _ := io.ReadAll(r.Body)
		for _, h := range bad {
			if bytes.Contains(body, h) {
				// The live answer (platform/errors.go's rule for 2804050).
				destinationtest.GraphErr(w, 400, 100, 2804050, "OAuthException", "This event has insufficient customer information")
				return true
			}
		}
		return false
	}
	extra := "BAD1,2026-11-23 11:00,completed,zqbad1@example.com,,Zqbad,One,yes\n" +
		"BAD2,2026-11-23 12:00,completed,zqbad2@example.com,,Zqbad,Two,yes\n"
	day0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC) // 09:00 in Taipei
	report := filepath.Join(t.TempDir(), "last.json")
	for night, c := range []struct {
		days, exit, ingested, held, quarantined int
	}{
		{1, ExitPartial, 3, 0, 2}, // new tonight: alert once
		{2, ExitOK, 3, 2, 0},      // refused again, with new visits
		{2, ExitOK, 0, 2, 0},      // only they are left to send
	} {
		if night > 0 {
			clock.Advance(24 * time.Hour)
		}
		growingExport(t, export, day0, c.days, extra)
		r := runAt(t, clock, env, "upload", "--config", cfg, "--report", report, export)
		var rep struct {
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
		q := 0
		for _, n := range d.Quarantined {
			q += n
		}
		if r.code != c.exit || d.Ingested != c.ingested || d.HeldEarlier != c.held || q != c.quarantined {
			t.Errorf("night %d: exit %d, ingested %d, held earlier %d, quarantined %v; want exit %d, %d, %d, %d\n%s",
				night, r.code, d.Ingested, d.HeldEarlier, d.Quarantined, c.exit, c.ingested, c.held, c.quarantined, r.stderr)
		}
		// The summary's reasons include this one: it named too old, a
		// Purchase without a value and identifiers only (a review).
		if c.held > 0 && !strings.Contains(r.stderr, "refused by the platform on its own") {
			t.Errorf("night %d: the held-back line does not name the platform's refusal:\n%s", night, r.stderr)
		}
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 6)
}
