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
		{now.Add(-61 * 24 * time.Hour), true, ""},
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
		kind  destination.Kind
	}{
		{"bad token", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 400, 190, 0, "OAuthException", "Invalid OAuth access token")
		}, destination.Fatal},
		{"permission", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 403, 200, 0, "OAuthException", "(#200) Permissions error")
		}, destination.Fatal},
		{"invalid parameter", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 400, 100, 2804003, "OAuthException", "Invalid parameter")
		}, destination.Invalid},
		{"throttled", func(w http.ResponseWriter) { destinationtest.Throttle(w, 4) }, destination.Retryable},
		{"bad gateway without body", func(w http.ResponseWriter) { w.WriteHeader(502) }, destination.Retryable},
		{"connection reset", func(w http.ResponseWriter) { destinationtest.Reset(w) }, destination.Retryable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c := fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool { tc.fault(w); return true })
			_, err := c.Send(context.Background(), convs(t, 1))
			de, ok := err.(*destination.Error)
			if !ok || de.Kind != tc.kind {
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
	if de, ok := err.(*destination.Error); !ok || de.Kind != destination.Fatal {
		t.Fatalf("got %v", err)
	}
}
