package reconcile

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/destination/google"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

const bearer = "ya29.reconcile-test"

var t0 = time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// noWait is a limiter that never waits: the fake enforces the quota.
type noWait struct{}

func (noWait) Wait(context.Context) error { return nil }

type env struct {
	clk    *clock
	dm     *destinationtest.DataManager
	client *google.Client
	l      *ledger.Ledger
	url    string
	dest   ledger.Destination
	src    Source
}

func newEnv(t *testing.T, p destinationtest.Processing) *env {
	t.Helper()
	e := &env{clk: &clock{t: t0}}
	e.dm = &destinationtest.DataManager{Token: bearer, Now: e.clk.Now, Processing: p}
	e.url = e.dm.Start(t).URL + "/"
	e.client = e.newClient(t, bearer, false)
	var err error
	e.l, err = ledger.Open(context.Background(), filepath.Join(t.TempDir(), "ledger.db"), ledger.Options{Now: e.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.l.Close() })
	e.dest = ledger.Destination{Key: ledger.DestinationKey("google", "1234567890/987654321")}
	e.src = Source{Platform: "google", Poller: e.client, Schedule: google.StatusSchedule}
	return e
}

func (e *env) opts() Options {
	return Options{Ledger: e.l, Sources: []Source{e.src}, Now: e.clk.Now, Limiters: map[string]Limiter{"google": noWait{}}}
}

// upload sends n conversions in one request, recorded as the upload
// records them, and returns the run and the event ids in batch order.
func (e *env) upload(t *testing.T, prefix string, n int, test bool) (string, []eventid.ID) {
	t.Helper()
	ctx := context.Background()
	run, err := e.l.StartRun(ctx, ledger.RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	d := eventid.NewDeriver("reconcile-test")
	batch := make([]*conversion.Conversion, n)
	ids := make([]eventid.ID, n)
	for i := range batch {
		ids[i], _ = d.Derive(fmt.Sprint(prefix, i))
		email, err := identifier.Prepare(identifier.Google, identifier.Email, fmt.Sprintf("p%d@example.com", i), identifier.Options{Region: "TW"})
		if err != nil {
			t.Fatal(err)
		}
		batch[i] = &conversion.Conversion{Platform: identifier.Google, EventID: ids[i], Time: e.clk.Now().Add(-48 * time.Hour),
			Name: "Purchase", Identifiers: []identifier.Sent{email}}
	}
	dest := e.dest
	dest.Test = test
	req, err := e.l.Sending(ctx, run, dest, ids)
	if err != nil {
		t.Fatal(err)
	}
	c := e.client
	if test {
		c = e.newClient(t, bearer, true)
	}
	rec, err := c.Send(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.l.Answered(ctx, req, ledger.StateAccepted, "", rec.RequestID); err != nil {
		t.Fatal(err)
	}
	return run, ids
}

func (e *env) newClient(t *testing.T, token string, validateOnly bool) *google.Client {
	t.Helper()
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}))
	c, err := google.New(context.Background(), google.Config{Endpoint: e.url, OperatingAccount: "1234567890", ConversionActionID: "987654321", ValidateOnly: validateOnly}, hc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// failSome: events 1 and 3 CLICK_NOT_FOUND (final), 4 TOO_RECENT_CLICK
// (retryable), a warning on 2.
func failSome(i int, _ map[string]any) (string, string) {
	switch i {
	case 1, 3:
		return "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", ""
	case 4:
		return "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK", ""
	case 2:
		return "", "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED"
	}
	return "", ""
}

func TestFailedInProcessingIsReportedUnderItsReason(t *testing.T) {
	e := newEnv(t, destinationtest.Processing{Event: failSome})
	ctx := context.Background()
	run, ids := e.upload(t, "a", 6, false)

	// Before 30 minutes: nothing is read, everything is "still processing".
	e.clk.Advance(20 * time.Minute)
	res, err := Run(ctx, e.opts())
	if err != nil || res.Read != 0 || res.NotDue != 1 || e.dm.StatusReads() != 0 {
		t.Fatalf("early pass %+v %v", res, err)
	}
	reps, _ := Report(ctx, e.l, []string{run}, map[string]bool{"google": true}, nil)
	if d := reps[0].Destinations[0]; d.Ingested != 6 || d.StillProcessing != 6 || d.ProcessedOK != 0 {
		t.Fatalf("before the verdict %+v", d)
	}

	e.clk.Advance(15 * time.Minute)
	res, err = Run(ctx, e.opts())
	if err != nil || res.Read != 1 || res.Final != 1 || len(res.Runs) != 1 || res.Runs[0] != run {
		t.Fatalf("pass %+v %v", res, err)
	}
	reps, err = Report(ctx, e.l, []string{run}, map[string]bool{"google": true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := reps[0].Destinations[0]
	if d.Ingested != 6 || d.ProcessedOK != 3 || d.StillProcessing != 0 || len(d.Failed) != 2 || len(d.Warnings) != 1 {
		t.Fatalf("report %+v", d)
	}
	if d.Failed[0] != (report.ProcessingReason{Reason: "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", Events: 2}) ||
		d.Failed[1] != (report.ProcessingReason{Reason: "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK", Events: 1, ResentByNextUpload: true}) {
		t.Errorf("failed %+v", d.Failed)
	}
	// The failed events are named through the batch order, and none is
	// called accepted.
	evs, _ := e.l.Events(ctx, run)
	byID := map[string]ledger.Event{}
	for _, ev := range evs {
		byID[ev.EventID] = ev
	}
	for i, want := range []string{ledger.StateProcessed, ledger.StateFailed, ledger.StateProcessed, ledger.StateFailed, ledger.StateFailed, ledger.StateProcessed} {
		if got := byID[string(ids[i])]; got.State != want {
			t.Errorf("event %d: %s %q, want %s", i, got.State, got.Reason, want)
		}
	}
	var text bytes.Buffer
	report.WriteProcessing(&text, reps)
	for _, want := range []string{"6 ingested; 3 processed ok, 3 failed, 0 still processing", "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND  2", "resent by the next upload", "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	js, _ := json.Marshal(reps)
	for _, key := range []string{`"processed_ok":3`, `"still_processing":0`, `"resent_by_next_upload":true`, `"run_id"`} {
		if !bytes.Contains(js, []byte(key)) {
			t.Errorf("JSON lacks %s: %s", key, js)
		}
	}
	// A final verdict is not read again.
	e.clk.Advance(3 * time.Hour)
	if res, _ := Run(ctx, e.opts()); res.Read != 0 {
		t.Errorf("a final request was read again: %+v", res)
	}
}

func TestStillProcessingIsReadAgainLaterNotForever(t *testing.T) {
	e := newEnv(t, destinationtest.Processing{Delay: -1}) // never done
	ctx := context.Background()
	run, _ := e.upload(t, "b", 3, false)
	var reads []time.Duration
	// A pass every simulated minute for 5 hours, then every 10 minutes
	// until 27 hours.
	for e.clk.Now().Sub(t0) <= 27*time.Hour {
		before := e.dm.StatusReads()
		if _, err := Run(ctx, e.opts()); err != nil {
			t.Fatal(err)
		}
		if e.dm.StatusReads() > before {
			reads = append(reads, e.clk.Now().Sub(t0))
		}
		if e.clk.Now().Sub(t0) < 5*time.Hour {
			e.clk.Advance(time.Minute)
		} else {
			e.clk.Advance(10 * time.Minute)
		}
	}
	// Google's schedule: 0:30, 1:09, 1:59 (1:59.7 → the 2:00 pass), 2:59
	// (3:00), then hourly, the last read at the 24-hour mark.
	want := []time.Duration{30 * time.Minute, 69 * time.Minute, 120 * time.Minute, 180 * time.Minute, 240 * time.Minute}
	for i, w := range want {
		if i >= len(reads) || reads[i] != w {
			t.Fatalf("reads at %v, want them to start %v", reads, want)
		}
	}
	last := reads[len(reads)-1]
	if last > 24*time.Hour || last < 23*time.Hour || len(reads) > 26 {
		t.Fatalf("%d reads, last at %v: %v", len(reads), last, reads)
	}
	reps, _ := Report(ctx, e.l, []string{run}, map[string]bool{"google": true}, nil)
	if d := reps[0].Destinations[0]; d.NoVerdict != 3 || d.StillProcessing != 0 || d.ProcessedOK != 0 || d.Requests[ledger.ProcessingGaveUp] != 1 {
		t.Errorf("after giving up %+v", d)
	}
}

func TestLateVerdictIsRecordedOnSchedule(t *testing.T) {
	e := newEnv(t, destinationtest.Processing{Delay: 2 * time.Hour})
	ctx := context.Background()
	run, _ := e.upload(t, "c", 4, false)
	for _, at := range []time.Duration{30 * time.Minute, 69 * time.Minute, 120 * time.Minute} {
		e.clk.Advance(t0.Add(at).Sub(e.clk.Now()))
		res, err := Run(ctx, e.opts())
		if err != nil || res.Read != 1 {
			t.Fatalf("at %v: %+v %v", at, res, err)
		}
	}
	reps, _ := Report(ctx, e.l, []string{run}, map[string]bool{"google": true}, nil)
	if d := reps[0].Destinations[0]; d.ProcessedOK != 4 || d.Requests["SUCCESS"] != 1 {
		t.Errorf("%+v", d)
	}
}

func TestValidateOnlyRequestsAreNeverRead(t *testing.T) {
	e := newEnv(t, destinationtest.Processing{})
	e.upload(t, "v", 2, true)
	e.clk.Advance(2 * time.Hour)
	res, err := Run(context.Background(), e.opts())
	if err != nil || res.Read != 0 || e.dm.StatusReads() != 0 {
		t.Fatalf("%+v %v: a validate-only request was read", res, err)
	}
}

func TestBudgetLeavesTheRestForNextTime(t *testing.T) {
	e := newEnv(t, destinationtest.Processing{})
	ctx := context.Background()
	for i := range 5 {
		e.upload(t, fmt.Sprint("d", i), 2, false)
	}
	e.clk.Advance(time.Hour)
	o := e.opts()
	o.Budget = 2 * time.Minute
	o.Now = func() time.Time { e.clk.Advance(time.Minute); return e.clk.Now() } // each look at the clock costs a minute
	res, err := Run(ctx, o)
	if err != nil || res.Read == 0 || res.Read >= 5 || res.Left != 5-res.Read {
		t.Fatalf("budgeted pass %+v %v", res, err)
	}
	res2, err := Run(ctx, e.opts())
	if err != nil || res2.Read != res.Left || res2.Final != res.Left {
		t.Fatalf("next pass %+v %v", res2, err)
	}
}

func TestBadCredentialsStopThePass(t *testing.T) {
	e := newEnv(t, destinationtest.Processing{})
	ctx := context.Background()
	e.upload(t, "x", 2, false)
	e.upload(t, "y", 2, false)
	e.clk.Advance(time.Hour)
	o := e.opts()
	o.Sources[0].Poller = e.newClient(t, "ya29.revoked", false)
	res, err := Run(ctx, o)
	var de *destination.Error
	if err == nil || !errors.As(err, &de) || de.Action != platform.StopRun || res.Read != 1 {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestReadQuotaStopsThePassNotTheRun(t *testing.T) {
	e := newEnv(t, destinationtest.Processing{})
	ctx := context.Background()
	for i := range 3 {
		e.upload(t, fmt.Sprint("q", i), 2, false)
	}
	e.clk.Advance(time.Hour)
	var quota sync.Mutex
	spent := true
	e.dm.Fault = func(_ int, w http.ResponseWriter, r *http.Request) bool {
		quota.Lock()
		defer quota.Unlock()
		if spent && strings.Contains(r.URL.Path, "requestStatus") {
			destinationtest.QuotaExceeded(w, 60)
			return true
		}
		return false
	}
	res, err := Run(ctx, e.opts())
	if err != nil || res.Read != 1 || res.Failures != 1 || res.Left != 2 || res.Final != 0 {
		t.Fatalf("pass under a spent quota %+v %v", res, err)
	}
	quota.Lock()
	spent = false
	quota.Unlock()
	res, err = Run(ctx, e.opts())
	if err != nil || res.Final != 3 {
		t.Fatalf("next pass %+v %v", res, err)
	}
}

func TestFailedWithoutCountsFailsEveryEvent(t *testing.T) {
	all := func(int, map[string]any) (string, string) { return "PROCESSING_ERROR_REASON_INVALID_FORMAT", "" }
	e := newEnv(t, destinationtest.Processing{Event: all, FailedWithoutCounts: true})
	ctx := context.Background()
	run, ids := e.upload(t, "f", 3, false)
	e.clk.Advance(time.Hour)
	if _, err := Run(ctx, e.opts()); err != nil {
		t.Fatal(err)
	}
	reps, _ := Report(ctx, e.l, []string{run}, map[string]bool{"google": true}, nil)
	d := reps[0].Destinations[0]
	if d.ProcessedOK != 0 || len(d.Failed) != 1 || d.Failed[0].Reason != google.ReasonFailedNoDetail || d.Failed[0].Events != 3 || d.Failed[0].NotIdentified != 0 {
		t.Fatalf("a FAILED status without counts read as %+v", d)
	}
	evs, _ := e.l.Events(ctx, run)
	for _, ev := range evs {
		if ev.State != ledger.StateFailed {
			t.Errorf("event %s: %s", ev.EventID, ev.State)
		}
	}
	if len(evs) != len(ids) {
		t.Errorf("%d events listed", len(evs))
	}
}

// pollerFunc is a Poller from a function.
type pollerFunc func(ctx context.Context, id string) (destination.Processing, error)

func (f pollerFunc) Processing(ctx context.Context, id string, _ []string) (destination.Processing, error) {
	return f(ctx, id)
}

// TestBadStatusAnswersRecordNothing: a status answer whose counts or
// indices do not fit the request — more failed than sent, a negative
// count, an index past the request, 3 million indices — is refused and
// counted; nothing of it reaches the ledger, the request is read again,
// and when the platform's window ends it is recorded as no verdict, never
// as processed.
func TestBadStatusAnswersRecordNothing(t *testing.T) {
	many := make([]int, 3_000_000)
	for i := range many {
		many[i] = i
	}
	for name, v := range map[string]destination.Processing{
		"more failed than sent": {Status: google.StatusFailed, Final: true, Records: 3,
			Errors: []destination.ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: 7}}},
		"negative": {Status: google.StatusPartialSuccess, Final: true, Records: 3,
			Errors: []destination.ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: -4}}},
		"index past the request": {Status: google.StatusPartialSuccess, Final: true, Records: 3,
			Errors: []destination.ReasonCount{{Reason: "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", Records: 1, Indices: []int{3}}}},
		"three million indices": {Status: google.StatusPartialSuccess, Final: true, Records: 3,
			Errors: []destination.ReasonCount{{Reason: "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", Records: 3_000_000, Indices: many}}},
		"a forged status": {Status: "SUCCESS\x1b[2J", Final: true, Records: 3},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, destinationtest.Processing{})
			run, _ := e.upload(t, name, 3, false)
			e.src.Poller = pollerFunc(func(context.Context, string) (destination.Processing, error) { return v, nil })
			e.clk.Advance(time.Hour)
			res, err := Run(context.Background(), e.opts())
			if err != nil {
				t.Fatal(err)
			}
			if res.BadAnswers != 1 || res.Final != 0 {
				t.Fatalf("result %+v", res)
			}
			due, err := e.l.Unpolled(context.Background(), "google", t0.Add(-time.Hour))
			if err != nil || len(due) != 1 || due[0].Polls != 0 {
				t.Fatalf("the bad answer was recorded: %+v %v", due, err)
			}
			runs, err := Report(context.Background(), e.l, []string{run}, map[string]bool{"google": true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			d := runs[0].Destinations[0]
			if d.ProcessedOK != 0 || len(d.Failed) != 0 || d.StillProcessing != 3 {
				t.Errorf("report after a bad answer: %+v", d)
			}
			// Past the platform's window: no verdict, never processed.
			e.clk.Advance(google.StatusSchedule.GiveUp)
			if res, err = Run(context.Background(), e.opts()); err != nil || res.GaveUp != 1 {
				t.Fatalf("result %+v %v", res, err)
			}
			runs, _ = Report(context.Background(), e.l, []string{run}, map[string]bool{"google": true}, nil)
			if d := runs[0].Destinations[0]; d.ProcessedOK != 0 || len(d.Failed) != 0 {
				t.Errorf("report after the window: %+v", d)
			}
		})
	}
}
