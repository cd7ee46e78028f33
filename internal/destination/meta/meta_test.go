package meta

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

const token = "EAAB-fake-token-zq9"

var now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func fake(t *testing.T, fault func(n int, w http.ResponseWriter, r *http.Request) bool) (*destinationtest.Graph, *Client) {
	t.Helper()
	g := &destinationtest.Graph{Token: token, AppSecret: "app-secret", APIVersion: "v25.0", DatasetID: "123456", Now: func() time.Time { return now }, Fault: fault}
	srv := g.Start(t)
	c, err := New(Config{GraphURL: srv.URL, APIVersion: "v25.0", DatasetID: "123456", AccessToken: token, AppSecret: "app-secret", Timeout: 2 * time.Second}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return g, c
}

// TestContract runs the shared destination contract (batch limits, storms,
// poison bisection, bad credentials, timeouts, dedup key) against the Meta
// client over the Graph fake.
func TestContract(t *testing.T) {
	destinationtest.RunContract(t, func(t *testing.T, s destinationtest.Setup) destinationtest.Harness {
		g := &destinationtest.Graph{Token: token, AppSecret: "app-secret", APIVersion: "v25.0", DatasetID: "123456",
			Now: s.Now, Fault: s.Fault, MaxAge: s.MaxAge}
		srv := g.Start(t)
		tok := token
		if s.WrongCredentials {
			tok = "EAAB-revoked-token"
		}
		timeout := s.Timeout
		if timeout == 0 {
			timeout = 2 * time.Second
		}
		c, err := New(Config{GraphURL: srv.URL, APIVersion: "v25.0", DatasetID: "123456", AccessToken: tok,
			AppSecret: "app-secret", Timeout: timeout}, srv.Client())
		if err != nil {
			t.Fatal(err)
		}
		return destinationtest.Harness{Client: c, Fake: g, Secrets: []string{tok, token, "app-secret"}}
	})
}

func convs(t *testing.T, n int) []*conversion.Conversion {
	t.Helper()
	out := make([]*conversion.Conversion, n)
	d := eventid.NewDeriver("k")
	for i := range out {
		id, _ := d.Derive(fmt.Sprint("A", i))
		em, err := identifier.Prepare(identifier.Meta, identifier.Email, fmt.Sprintf("p%d@example.com", i), identifier.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ph, _ := identifier.Prepare(identifier.Meta, identifier.Phone, "0912-345-678", identifier.Options{Region: "TW"})
		fn, _ := identifier.Prepare(identifier.Meta, identifier.FirstName, "Ann", identifier.Options{})
		out[i] = &conversion.Conversion{Platform: identifier.Meta, EventID: id, Line: i + 2, Time: now.Add(-48 * time.Hour),
			Name: "Purchase", Value: 1000, HasValue: true, Currency: "TWD", Identifiers: []identifier.Sent{em, ph, fn}}
	}
	return out
}

func send(t *testing.T, c *Client, in []*conversion.Conversion) destination.Result {
	t.Helper()
	s := destination.NewSender(context.Background(), c, destination.Options{
		Now: func() time.Time { return now }, Sleep: func(context.Context, time.Duration) error { return nil },
	})
	for _, cv := range in {
		s.Write(cv)
	}
	s.Close()
	return s.Result()
}

func TestEventShape(t *testing.T) {
	g, c := fake(t, nil)
	in := convs(t, 1)
	rec, err := c.Send(context.Background(), in)
	if err != nil || rec.Accepted != 1 || rec.RequestID == "" {
		t.Fatalf("%+v %v", rec, err)
	}
	ev := g.Event(string(in[0].EventID))
	ud := ev["user_data"].(map[string]any)
	if _, isArr := ud["em"].([]any); !isArr {
		t.Error("em must be an array")
	}
	if _, isStr := ud["fn"].(string); !isStr {
		t.Error("fn must be a string")
	}
	if ev["action_source"] != "physical_store" || fmt.Sprint(ev["event_time"]) != fmt.Sprint(in[0].Time.Unix()) {
		t.Errorf("event %v", ev)
	}
	if cd := ev["custom_data"].(map[string]any); cd["currency"] != "TWD" {
		t.Errorf("custom_data %v", cd)
	}
	if dpo, ok := ev["data_processing_options"].([]any); !ok || len(dpo) != 0 {
		t.Errorf("LDU off must be sent as []: %v", ev["data_processing_options"])
	}
}

func TestLimitedDataUse(t *testing.T) {
	g, c := fake(t, nil)
	c.cfg.LimitedDataUse, c.cfg.LDUCountry, c.cfg.LDUState = true, 1, 1000
	in := convs(t, 1)
	if _, err := c.Send(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	ev := g.Event(string(in[0].EventID))
	if fmt.Sprint(ev["data_processing_options"]) != "[LDU]" || fmt.Sprint(ev["data_processing_options_state"]) != "1000" {
		t.Errorf("LDU not sent: %v", ev)
	}
}

func TestPreflight(t *testing.T) {
	_, c := fake(t, nil)
	cv := convs(t, 1)[0]
	for _, tc := range []struct {
		at     time.Time
		ids    bool
		reason string
	}{
		{now.Add(-63 * 24 * time.Hour), true, ReasonTooOld},
		{now.Add(-61 * 24 * time.Hour), true, ReasonTooOld}, // inside Meta's 62 days, outside the 2-day margin
		{now.Add(-59 * 24 * time.Hour), true, ""},
		{now.Add(time.Hour), true, ReasonInFuture},
		{now, false, ReasonNoIdentifier},
	} {
		x := *cv
		x.Time = tc.at
		if !tc.ids {
			x.Identifiers = nil
		}
		if got := c.Preflight(&x, now); got != tc.reason {
			t.Errorf("%v: got %q want %q", tc.at, got, tc.reason)
		}
	}
}

func TestTestEventCodePassedThrough(t *testing.T) {
	g, c := fake(t, nil)
	c.cfg.TestEventCode = "TEST12345"
	if _, err := c.Send(context.Background(), convs(t, 2)); err != nil {
		t.Fatal(err)
	}
	if codes := g.TestEventCodes(); len(codes) != 1 || codes[0] != "TEST12345" {
		t.Errorf("test codes %v", codes)
	}
}

func TestErrorsAreClassifiedAndTokenFree(t *testing.T) {
	cases := []struct {
		name  string
		fault func(w http.ResponseWriter)
		kind  platform.Action
	}{
		{"bad token", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 400, 190, 0, "OAuthException", "Invalid OAuth access token "+token)
		}, platform.StopRun},
		{"permission removed", func(w http.ResponseWriter) { destinationtest.GraphPermissionDenied(w, 200) }, platform.StopDestination},
		{"permission denied", func(w http.ResponseWriter) { destinationtest.GraphPermissionDenied(w, 10) }, platform.StopDestination},
		{"session expired", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 400, 102, 0, "OAuthException", "Session key invalid or no longer valid")
		}, platform.StopRun},
		{"invalid parameter", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 400, 100, 2804003, "OAuthException", "Invalid parameter")
		}, platform.Bisect},
		{"wrong dataset", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 400, 100, 33, "GraphMethodException", "Unsupported post request.")
		}, platform.StopDestination},
		{"policy block", destinationtest.PolicyBlock, platform.StopDestination},
		{"throttled", func(w http.ResponseWriter) { destinationtest.Throttle(w, 4) }, platform.Retry},
		{"business use case", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 400, 80004, 0, "OAuthException", "too many calls")
		}, platform.Retry},
		{"bad gateway without body", func(w http.ResponseWriter) { w.WriteHeader(502) }, platform.Retry},
		{"connection reset", func(w http.ResponseWriter) { destinationtest.Reset(w) }, platform.Retry},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c := fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool { tc.fault(w); return true })
			_, err := c.Send(context.Background(), convs(t, 1))
			de, ok := err.(*destination.Error)
			if !ok || de.Action != tc.kind {
				t.Fatalf("got %v (%T), want kind %v", err, err, tc.kind)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("error carries the token: %v", err)
			}
		})
	}
}

func TestThrottleHeaderSetsRetryAfter(t *testing.T) {
	_, c := fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool { destinationtest.Throttle(w, 17); return true })
	_, err := c.Send(context.Background(), convs(t, 1))
	if de := err.(*destination.Error); de.RetryAfter != time.Minute {
		t.Errorf("RetryAfter %v, want 1m from estimated_time_to_regain_access", de.RetryAfter)
	}
}

func TestWrongAppSecretIsFatal(t *testing.T) {
	g, c := fake(t, nil)
	_ = g
	c.proof = "0000"
	_, err := c.Send(context.Background(), convs(t, 1))
	if de, ok := err.(*destination.Error); !ok || de.Action != platform.StopRun || !strings.Contains(err.Error(), "app_secret_file") {
		t.Fatalf("got %v", err)
	}
}

func TestPurchaseWithoutAFeeIsHeldBackBeforeSending(t *testing.T) {
	g, c := fake(t, nil)
	in := convs(t, 10)
	in[2].HasValue, in[2].Value, in[2].Currency = false, 0, "" // an NHI visit under value: actual
	in[5].Value = 0
	r := send(t, c, in)
	if r.Accepted != 8 || r.Quarantined[ReasonPurchaseNoValue] != 1 || r.Quarantined[ReasonPurchaseZero] != 1 || g.Requests() != 1 {
		t.Fatalf("requests %d result %+v", g.Requests(), r)
	}
}

func TestTheFakeRefusesAPurchaseWithoutCurrency(t *testing.T) {
	// The rule the pre-flight mirrors: Meta answers 100/2804010, with
	// test_event_code too; a Purchase reaching it so is a configuration
	// fault, not an event's: the destination stops.
	g, c := fake(t, nil)
	c.cfg.TestEventCode = "TEST1"
	cv := convs(t, 1)[0]
	cv.HasValue = false
	_, err := c.Send(context.Background(), []*conversion.Conversion{cv})
	de, ok := err.(*destination.Error)
	if !ok || de.Code != "100/2804010" || de.Action != platform.StopDestination || de.UserTitle != "Missing Currency for Purchase Event" {
		t.Fatalf("got %#v", err)
	}
	if !strings.Contains(err.Error(), "conversion.value") {
		t.Errorf("message does not say what to set: %v", err)
	}
	if len(g.TestEvents()) != 0 {
		t.Error("the fake took the event")
	}
}

func TestEventCarriesOrderIDAndExternalID(t *testing.T) {
	g, c := fake(t, nil)
	cv := convs(t, 1)[0]
	ext, err := identifier.Prepare(identifier.Meta, identifier.ExternalID, "hgp-0a1b2c3d4e5f60718293a4b5c6d7e8f9", identifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cv.Identifiers = append(cv.Identifiers, ext)
	if r := send(t, c, []*conversion.Conversion{cv}); r.Accepted != 1 {
		t.Fatalf("result %+v", r)
	}
	ev := g.Event(string(cv.EventID))
	if cd := ev["custom_data"].(map[string]any); cd["order_id"] != string(cv.EventID) {
		t.Errorf("custom_data %v", cd)
	}
	ids, _ := ev["user_data"].(map[string]any)["external_id"].([]any)
	if len(ids) != 1 || ids[0] != ext.Text() || len(ext.Text()) != 64 {
		t.Errorf("external_id %v", ids)
	}
}

// TestFBCTravelsUnhashedInUserData: the formatted click id reaches Meta
// as user_data.fbc exactly as built (customer-information-parameters:
// "Do not hash"), and the fake, holding the fbp-and-fbc page's form,
// accepts it; an event without one carries no fbc key at all.
func TestFBCTravelsUnhashedInUserData(t *testing.T) {
	g, c := fake(t, nil)
	cs := convs(t, 2)
	const fbclid = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk" // Meta's example
	cs[0].Formatted = platform.MetaFBC(fbclid, cs[0].Time.Add(-72*time.Hour))
	if r := send(t, c, cs); r.Accepted != 2 {
		t.Fatalf("result %+v", r)
	}
	ud := g.Event(string(cs[0].EventID))["user_data"].(map[string]any)
	if ud["fbc"] != cs[0].Formatted || !strings.HasPrefix(cs[0].Formatted, "fb.1.") || !strings.HasSuffix(cs[0].Formatted, "."+fbclid) {
		t.Errorf("fbc %v, want %s", ud["fbc"], cs[0].Formatted)
	}
	if _, has := g.Event(string(cs[1].EventID))["user_data"].(map[string]any)["fbc"]; has {
		t.Error("an event without an fbclid carries an fbc")
	}
}

func TestWrongDatasetStopsAfterOneRequest(t *testing.T) {
	g, c := fake(t, nil)
	c.endpoint = strings.Replace(c.endpoint, "/123456/", "/999999/", 1)
	r := send(t, c, convs(t, 2500))
	if g.Requests() != 1 || r.Stop != platform.StopDestination || r.Unsent != 2500 || r.QuarantinedTotal() != 0 {
		t.Fatalf("requests %d result %+v", g.Requests(), r)
	}
	if msg := r.Fatal.Error(); !strings.Contains(msg, "100/33") || !strings.Contains(msg, "destinations.meta.dataset_id") {
		t.Errorf("message: %s", msg)
	}
}

// TestAPermissionErrorStopsMetaAfterOneRequest: code 200 (or 10) is the
// dataset's permission for the token's system user, not the token: Meta
// stops after one request, every event not sent (none quarantined or
// rejected), and the fix names the dataset and the system user.
func TestAPermissionErrorStopsMetaAfterOneRequest(t *testing.T) {
	for _, code := range []int{200, 10} {
		g, c := fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
			destinationtest.GraphPermissionDenied(w, code)
			return true
		})
		r := send(t, c, convs(t, 2500))
		if g.Requests() != 1 || r.Stop != platform.StopDestination || r.Unsent != 2500 || r.QuarantinedTotal() != 0 || len(r.Rejected) != 0 {
			t.Fatalf("code %d: requests %d result %+v", code, g.Requests(), r)
		}
		if msg := r.Fatal.Error(); !strings.Contains(msg, "destinations.meta.dataset_id") || !strings.Contains(msg, "system user") || strings.Contains(msg, token) {
			t.Errorf("code %d message: %s", code, msg)
		}
	}
}

func TestExpiredTokenStopsTheRunAndNamesTheVariable(t *testing.T) {
	g, c := fake(t, nil)
	g.ExpiredToken = token
	r := send(t, c, convs(t, 2500))
	if g.Requests() != 1 || r.Stop != platform.StopRun {
		t.Fatalf("requests %d result %+v", g.Requests(), r)
	}
	if msg := r.Fatal.Error(); !strings.Contains(msg, "190/463") || !strings.Contains(msg, "HASHGATE_META_ACCESS_TOKEN") || strings.Contains(msg, token) {
		t.Errorf("message: %s", msg)
	}
}

func TestMessagesAndUserTextAreCountedScrubbed(t *testing.T) {
	g, c := fake(t, nil)
	g.Messages = []string{"Event parameter order_id looks unusual for " + token}
	in := convs(t, 4)
	in[1].Time = now.Add(-61 * 24 * time.Hour) // Meta's own window is 62 days: accepted
	c.cfg.MaxEventAge = 62 * 24 * time.Hour    // the client refuses to lift its margin
	r := send(t, c, in)
	if r.Accepted != 3 || r.Quarantined[ReasonTooOld] != 1 {
		t.Fatalf("result %+v", r)
	}
	if r.Messages["message: Event parameter order_id looks unusual for …"] != 1 {
		t.Errorf("messages %v", r.Messages)
	}
}

func TestTestEventsAreTestReceipts(t *testing.T) {
	g, c := fake(t, nil)
	c.cfg.TestEventCode = "TEST12345"
	r := send(t, c, convs(t, 5))
	if r.Accepted != 0 || r.Validated != 5 || len(g.Accepted()) != 0 || len(g.TestEvents()) != 5 {
		t.Fatalf("result %+v", r)
	}
}

// TestTheFakeDeduplicatesOnlyWithinSevenDays tests the Graph fake's
// model of Meta's rule on its own (offline-events page, "Set Up
// Deduplication": "the maximum deduplication window is 7 days"): a resend
// 6 days after the first is a duplicate Meta drops; a resend 8 days after
// counts the event a second time.
func TestTheFakeDeduplicatesOnlyWithinSevenDays(t *testing.T) {
	clock := now
	g := &destinationtest.Graph{Token: token, AppSecret: "app-secret", APIVersion: "v25.0", DatasetID: "123456", Now: func() time.Time { return clock }}
	srv := g.Start(t)
	c, err := New(Config{GraphURL: srv.URL, APIVersion: "v25.0", DatasetID: "123456", AccessToken: token, AppSecret: "app-secret", Timeout: 2 * time.Second}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	in := convs(t, 2)
	for i := range in {
		in[i].Time = now.Add(-time.Hour)
	}
	for _, day := range []int{0, 6, 8} {
		clock = now.AddDate(0, 0, day)
		if _, err := c.Send(context.Background(), in); err != nil {
			t.Fatalf("day %d: %v", day, err)
		}
		want := 1
		if day == 8 {
			want = 2
		}
		for id, n := range g.Counted() {
			if n != want {
				t.Errorf("day %d: event %s counted %d times, want %d", day, id, n, want)
			}
		}
	}
	if len(g.Accepted()) != 2 {
		t.Fatalf("accepted %v", g.Accepted())
	}
}

// TestSendZeroValueSendsAFreeConsultation: with send_zero_value a Purchase
// worth 0 (a free first consultation) goes to Meta with value 0 and its
// currency; a negative value is still held back, and without the setting
// the zero is held back as before (issue 27 point 6).
func TestSendZeroValueSendsAFreeConsultation(t *testing.T) {
	g := &destinationtest.Graph{Token: token, APIVersion: "v25.0", DatasetID: "123456", Now: func() time.Time { return now }}
	srv := g.Start(t)
	c, err := New(Config{GraphURL: srv.URL, APIVersion: "v25.0", DatasetID: "123456", AccessToken: token, Timeout: 2 * time.Second, SendZeroValue: true}, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	in := convs(t, 4)
	in[1].Value = 0
	in[2].Value = -500 // a refund is not a purchase
	r := send(t, c, in)
	if r.Accepted != 3 || r.Quarantined[ReasonPurchaseZero] != 1 {
		t.Fatalf("result %+v", r)
	}
	ev := g.Event(string(in[1].EventID))
	if ev == nil {
		t.Fatal("the zero-value visit was not sent")
	}
	cd := ev["custom_data"].(map[string]any)
	if v := fmt.Sprint(cd["value"]); v != "0" || cd["currency"] == nil {
		t.Fatalf("custom_data %v, want value 0 with its currency", cd)
	}
	if Preflight(in[1], now, 0, false) != ReasonPurchaseZero || Preflight(in[1], now, 0, true) != "" {
		t.Fatal("Preflight does not follow send_zero_value")
	}
}

// TestASuccessWithoutACountIsUnknown: a 2xx whose body lacks
// events_received says nothing of what Meta took — retried, and, if the
// retries run out, left open as possibly ingested (the Sender's
// mayHaveArrived) — where events_received 0 says it took none.
func TestASuccessWithoutACountIsUnknown(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       int // events Meta says it took; -1: unknown (an error)
	}{
		{"no events_received", `{"fbtrace_id":"AbC"}`, -1},
		{"events_received 0", `{"events_received":0,"fbtrace_id":"AbC"}`, 0},
		{"events_received 1", `{"events_received":1,"fbtrace_id":"AbC"}`, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, cl := fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, c.body)
				return true
			})
			rec, err := cl.Send(context.Background(), convs(t, 1))
			if c.want < 0 {
				de, ok := err.(*destination.Error)
				if !ok || de.Action != platform.Retry || de.Status != 200 || de.TraceID != "AbC" {
					t.Fatalf("got %+v, %v; want a retry of an unknown success", rec, err)
				}
				return
			}
			if err != nil || rec.Accepted != c.want {
				t.Fatalf("got %+v, %v; want %d taken", rec, err, c.want)
			}
		})
	}
}

// TestATokenPastTheCutIsNotPrinted: Meta's error 190 answer (Graph
// "Handling Errors": {"error": {"message", "type": "OAuthException",
// "code": 190, …}}) whose message is 4,790 spaces then the token: the
// scrubber used to cut the text to 4,800 bytes before it removed the
// token, and printed its first ten bytes (security review, 2026-12-07).
func TestATokenPastTheCutIsNotPrinted(t *testing.T) {
	_, c := fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		destinationtest.GraphErr(w, 400, 190, 0, "OAuthException", strings.Repeat(" ", 4790)+token+" is invalid")
		return true
	})
	r := send(t, c, convs(t, 1))
	if r.Fatal == nil {
		t.Fatalf("no stop: %+v", r)
	}
	if msg := r.Fatal.Error(); strings.Contains(msg, token[:4]) {
		t.Errorf("part of the token was printed: %q", msg)
	}
}
