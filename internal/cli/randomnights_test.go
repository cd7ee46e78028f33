package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestRandomNightsNeverCountTwiceNorLose plays nightly uploads to the Meta
// fake over an export that grows by three visits a day, on nights a
// random one to nine days apart, each night clean or with a fault drawn
// at random: Meta unavailable for a share of requests (retried), Meta
// refusing every request (an outage: nothing ingested), answers lost on
// the way back for a share of requests or for all (Meta ingested them;
// hashgate sees timeouts, and leaves the requests open when its retries
// run out), a count one short for half the requests (Meta took them all;
// hashgate cannot tell which, and leaves them open), or a crash after
// sending (Meta ingested, the answers lost). The fake deduplicates as
// Meta does, within 7 days. After every night no visit is counted twice;
// after two clean nights at the end, every visit is counted once, or is
// older than Meta takes and was never counted, or is among those the last
// night reports as unconfirmed past the window (for a person to check) or
// as kept back before a first upload (for --backfill) — none lost without
// a word. End to end, what the Sender and ledger tests
// hold piece by piece.
func TestRandomNightsNeverCountTwiceNorLose(t *testing.T) {
	t.Parallel()
	taipei, err := time.LoadLocation("Asia/Taipei")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	seeds := 24
	if testing.Short() {
		seeds = 6
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { randomNights(t, seed, taipei) })
	}
}

func randomNights(t *testing.T, seed uint64, taipei *time.Location) {
	rng := rand.New(rand.NewPCG(seed, 29))
	day0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	clock := &simClock{t: day0.Add(10 * time.Hour)}
	var mu sync.Mutex
	mode := "clean"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clock.Now}
	g.Fault = func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case mode == "outage", mode == "flaky" && rng.IntN(3) == 0:
			g.Unavailable(w)
			return true
		}
		return false
	}
	miscount := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return mode == "miscount" && rng.IntN(2) == 0
	}
	srv := g.Start(t)
	// On "lossy" nights a share of answers is lost after Meta took the
	// request, on "blackhole" nights every one: hashgate sees a timeout,
	// which may have arrived.
	lossy := roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil { // the request body, read for the canaries and put back
			raw, _ := io.ReadAll(r.Body)
			r.Body.Close()
			assertAbsent(t, "a request body", raw, rawCells)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
		}
		resp, err := http.DefaultTransport.RoundTrip(r)
		mu.Lock()
		lose := mode == "lossy" && rng.IntN(3) == 0 || mode == "blackhole"
		mu.Unlock()
		if err == nil && lose {
			resp.Body.Close()
			return nil, fmt.Errorf("read answer: %w", context.DeadlineExceeded)
		}
		if err == nil && resp.StatusCode == http.StatusOK && miscount() {
			// Meta took every event and says it took one fewer.
			var body map[string]any
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if json.Unmarshal(raw, &body) == nil {
				if n, ok := body["events_received"].(float64); ok && n > 1 {
					body["events_received"] = n - 1
				}
				raw, _ = json.Marshal(body)
			}
			resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
		}
		return resp, err
	})
	// Small batches, so that a night holds several requests; no pacing
	// in real time (the simulated clock stands still within a night).
	cfg := metaConfig(t, srv.URL, "    batch_size: 8\n    requests_per_minute: 6000\n")
	env := uploadEnv(t)
	export := filepath.Join(t.TempDir(), "export.csv")
	days := 0
	var log []string
	night := func(m string) uploadJSON {
		mu.Lock()
		mode = m
		mu.Unlock()
		days = int(clock.Now().Sub(day0)/(24*time.Hour)) + 1
		growingExport(t, export, day0, days, "")
		before, start := g.Requests(), clock.Now()
		r := runVia(t, clock, env, &http.Client{Transport: lossy}, "upload", "--json", "--config", cfg, export)
		log = append(log, fmt.Sprintf("day %d %s: exit %d", days-1, m, r.code))
		if r.code == ExitUsage {
			t.Fatalf("%v\n%s", log, r.stderr)
		}
		if m == "crash" && g.Requests() > before {
			crashAfterSending(t, env, start)
		}
		assertAbsent(t, "stdout", []byte(r.stdout), rawCells)
		assertAbsent(t, "stderr", []byte(r.stderr), rawCells)
		var rep uploadJSON
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("%v: the JSON report: %v\n%s", log, err, r.stderr)
		}
		if bad := rep.addsUp(); bad != "" {
			t.Fatalf("%v: the report's numbers do not add up: %s", log, bad)
		}
		for id, n := range g.Counted() {
			if n > 1 {
				t.Fatalf("%v: %s counted %d times by Meta\n%s", log, id, n, r.stderr)
			}
		}
		return rep
	}
	for range 4 + rng.IntN(6) {
		night([]string{"clean", "flaky", "outage", "lossy", "blackhole", "miscount", "crash", "crash"}[rng.IntN(8)])
		clock.Advance(time.Duration(1+rng.IntN(9)) * 24 * time.Hour)
	}
	night("clean")
	clock.Advance(24 * time.Hour)
	last := night("clean")

	for _, f := range []string{"ledger.db", "ledger.db-wal"} {
		if b, err := os.ReadFile(filepath.Join(env["XDG_STATE_HOME"], "hashgate", f)); err == nil {
			assertAbsent(t, f, b, rawCells)
		}
	}

	// Each visit, by its event time (one per row).
	counted := map[int64]int{}
	for id, n := range g.Counted() {
		if ev := g.Event(id); ev != nil {
			if at, err := ev["event_time"].(json.Number).Int64(); err == nil {
				counted[at] += n
			}
		}
	}
	now := clock.Now()
	missing := 0
	for d := range days {
		for i := range 3 {
			local := day0.AddDate(0, 0, d).Add(time.Duration(i) * time.Hour)
			at := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), 0, 0, 0, taipei)
			if counted[at.Unix()] == 0 && now.Sub(at) <= 60*24*time.Hour {
				missing++
			}
		}
	}
	// Said: unconfirmed past the window (check Events Manager), or kept
	// back because this ledger had never delivered to the dataset when
	// they were first seen (a first upload sends only the last six days;
	// `--backfill` sends the rest), reported then and held back since.
	said := 0
	for _, u := range last.Destinations {
		said += u.UnconfirmedPastWindow + u.KeptBeforeFirstUpload + u.HeldEarlier
	}
	if missing > said {
		t.Fatalf("%v: %d visits within Meta's 60 days never counted, %d reported unconfirmed or kept back: lost without a word", log, missing, said)
	}
}

// roundTrip is an http.RoundTripper of a function.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// rawCells are what growingExport writes of a patient, each in a form no
// hash, id or count can hold by chance ("-" is no hex digit): none may
// reach an output, a request or the ledger, whatever the night's fault.
var rawCells = []string{"zqweek", "@example.com", "zqwfirst", "zqwlast", "0912-"}

// uploadJSON is the part of upload's JSON report the nights read.
type uploadJSON struct {
	Destinations []struct {
		Destination           string         `json:"destination"`
		Conversions           int            `json:"conversions"`
		Ingested              int            `json:"ingested"`
		Validated             int            `json:"validated"`
		Quarantined           map[string]int `json:"quarantined"`
		Rejected              map[string]int `json:"rejected"`
		NotSent               int            `json:"not_sent"`
		AlreadyIngested       int            `json:"skipped_already_ingested"`
		UnconfirmedPastWindow int            `json:"unconfirmed_past_dedup_window"`
		KeptBeforeFirstUpload int            `json:"kept_back_before_first_upload"`
		HeldEarlier           int            `json:"held_back_in_earlier_runs"`
	} `json:"destinations"`
}

// addsUp reports a destination whose conversions are not the sum README
// states (The nightly job: "the numbers add up"), "" when each is.
func (u uploadJSON) addsUp() string {
	for _, d := range u.Destinations {
		sum := d.Ingested + d.Validated + d.NotSent + d.AlreadyIngested + d.UnconfirmedPastWindow + d.KeptBeforeFirstUpload + d.HeldEarlier
		for _, n := range d.Quarantined {
			sum += n
		}
		for _, n := range d.Rejected {
			sum += n
		}
		if sum != d.Conversions {
			return fmt.Sprintf("%s: %d conversions, the parts sum to %d (%+v)", d.Destination, d.Conversions, sum, d)
		}
	}
	return ""
}
