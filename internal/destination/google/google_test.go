package google

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
)

const bearer = "ya29.fake-google-token-zq"

var now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func fake(t *testing.T, cfg Config, fault func(n int, w http.ResponseWriter, r *http.Request) bool) (*destinationtest.DataManager, *Client) {
	t.Helper()
	dm := &destinationtest.DataManager{Token: bearer, Now: func() time.Time { return now }, Fault: fault}
	srv := dm.Start(t)
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer}))
	if cfg.OperatingAccount == "" {
		cfg.OperatingAccount = "1234567890"
	}
	if cfg.ConversionActionID == "" {
		cfg.ConversionActionID = "987654321"
	}
	cfg.Endpoint = srv.URL + "/"
	c, err := New(context.Background(), cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	return dm, c
}

// TestContract runs the shared destination contract (batch limits, storms,
// poison bisection, bad credentials, timeouts, dedup key) against the
// Google client over the Data Manager fake.
func TestContract(t *testing.T) {
	destinationtest.RunContract(t, func(t *testing.T, s destinationtest.Setup) destinationtest.Harness {
		dm := &destinationtest.DataManager{Token: bearer, Now: s.Now, Fault: s.Fault, MaxAge: s.MaxAge}
		srv := dm.Start(t)
		token := bearer
		if s.WrongCredentials {
			token = "ya29.revoked-token"
		}
		hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}))
		c, err := New(context.Background(), Config{Endpoint: srv.URL + "/", OperatingAccount: "1234567890",
			ConversionActionID: "987654321", Timeout: s.Timeout}, hc)
		if err != nil {
			t.Fatal(err)
		}
		return destinationtest.Harness{Client: c, Fake: dm, Secrets: []string{token, bearer}}
	})
}

func prep(t *testing.T, f identifier.Field, raw string) identifier.Sent {
	t.Helper()
	s, err := identifier.Prepare(identifier.Google, f, raw, identifier.Options{Region: "TW"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func convs(t *testing.T, n int) []*conversion.Conversion {
	t.Helper()
	d := eventid.NewDeriver("k")
	out := make([]*conversion.Conversion, n)
	for i := range out {
		id, _ := d.Derive(fmt.Sprint("G", i))
		out[i] = &conversion.Conversion{Platform: identifier.Google, EventID: id, Line: i + 2, Time: now.Add(-72 * time.Hour),
			Name: "Purchase", Value: 1000, HasValue: true, Currency: "TWD",
			Identifiers: []identifier.Sent{prep(t, identifier.Email, fmt.Sprintf("g%d@example.com", i)), prep(t, identifier.Phone, "0912-345-678")}}
	}
	return out
}

func send(t *testing.T, c *Client, in []*conversion.Conversion) destination.Result {
	t.Helper()
	s := destination.NewSender(context.Background(), c, destination.Options{
		Now: func() time.Time { return now }, Sleep: func(context.Context, time.Duration) error { return nil }, Concurrency: 4,
	})
	for _, cv := range in {
		s.Write(cv)
	}
	s.Close()
	return s.Result()
}

func TestRequestShape(t *testing.T) {
	dm, c := fake(t, Config{LoginAccount: "1112223333"}, nil)
	cv := convs(t, 1)[0]
	cv.GCLID = "Cj0KCQ-test"
	cv.AdPersonalization = true
	cv.Identifiers = append(cv.Identifiers,
		prep(t, identifier.FirstName, "Ann"), prep(t, identifier.LastName, "Lee"),
		prep(t, identifier.PostalCode, "10617"), prep(t, identifier.Country, "TW"))
	rec, err := c.Send(context.Background(), []*conversion.Conversion{cv})
	if err != nil || rec.RequestID == "" || rec.Accepted != 1 {
		t.Fatalf("%+v %v", rec, err)
	}
	ev := dm.Event(string(cv.EventID))
	if ev["eventTimestamp"] != cv.Time.Format(time.RFC3339) || ev["currency"] != "TWD" {
		t.Errorf("event %v", ev)
	}
	consent := ev["consent"].(map[string]any)
	if consent["adUserData"] != "CONSENT_GRANTED" || consent["adPersonalization"] != "CONSENT_GRANTED" {
		t.Errorf("consent %v", consent)
	}
	ids := ev["userData"].(map[string]any)["userIdentifiers"].([]any)
	if len(ids) != 3 {
		t.Fatalf("identifiers %v: want email, phone and one address", ids)
	}
	addr := ids[2].(map[string]any)["address"].(map[string]any)
	if addr["regionCode"] != "TW" || addr["postalCode"] != "10617" || len(addr["givenName"].(string)) != 64 {
		t.Errorf("address %v", addr)
	}
	if ev["adIdentifiers"].(map[string]any)["gclid"] != "Cj0KCQ-test" {
		t.Errorf("ad identifiers %v", ev["adIdentifiers"])
	}
	if !strings.Contains(string(dm.Bodies()[0]), `"encoding":"HEX"`) || !strings.Contains(string(dm.Bodies()[0]), `"loginAccount"`) {
		t.Errorf("request lacks encoding or login account:\n%s", dm.Bodies()[0])
	}
}

func TestZeroValueIsSent(t *testing.T) {
	dm, c := fake(t, Config{}, nil)
	cv := convs(t, 1)[0]
	cv.Value = 0
	if _, err := c.Send(context.Background(), []*conversion.Conversion{cv}); err != nil {
		t.Fatal(err)
	}
	if _, ok := dm.Event(string(cv.EventID))["conversionValue"]; !ok {
		t.Error("a value of 0 was dropped")
	}
}

func TestRequestLevelErrorIsFatalNotBisected(t *testing.T) {
	dm, c := fake(t, Config{OperatingAccount: "123456789"}, nil) // 9 digits
	r := send(t, c, convs(t, 2000))
	if r.Fatal == nil || dm.Requests() != 1 {
		t.Fatalf("requests %d, result %+v", dm.Requests(), r)
	}
}

func TestValidateOnly(t *testing.T) {
	dm, c := fake(t, Config{ValidateOnly: true}, nil)
	r := send(t, c, convs(t, 10))
	if r.Accepted != 10 || dm.ValidateOnlyRequests() != 1 || len(dm.Accepted()) != 0 {
		t.Fatalf("result %+v, validate-only %d, ingested %d", r, dm.ValidateOnlyRequests(), len(dm.Accepted()))
	}
	if !strings.Contains(string(dm.Bodies()[0]), `"validateOnly":true`) {
		t.Error("validateOnly not sent")
	}
}

func TestPreflight(t *testing.T) {
	_, c := fake(t, Config{MaxEventAge: 90 * 24 * time.Hour}, nil)
	base := convs(t, 1)[0]
	cases := []struct {
		mod    func(*conversion.Conversion)
		reason string
	}{
		{func(cv *conversion.Conversion) {}, ""},
		{func(cv *conversion.Conversion) { cv.Time = now.Add(-91 * 24 * time.Hour) }, ReasonTooOld},
		{func(cv *conversion.Conversion) { cv.Time = now.Add(2 * time.Hour) }, ReasonInFuture},
		{func(cv *conversion.Conversion) { cv.GCLID, cv.GBRAID = "a", "b" }, ReasonClickIDs},
		{func(cv *conversion.Conversion) { cv.Identifiers = nil }, ReasonNoIdentifier},
		{func(cv *conversion.Conversion) { cv.Identifiers, cv.GCLID = nil, "Cj0" }, ""},
		{func(cv *conversion.Conversion) {
			for i := 0; i < 10; i++ {
				cv.Identifiers = append(cv.Identifiers, cv.Identifiers[0])
			}
		}, ReasonTooManyIDs},
	}
	for i, tc := range cases {
		cv := *base
		cv.Identifiers = append([]identifier.Sent(nil), base.Identifiers...)
		tc.mod(&cv)
		if got := c.Preflight(&cv, now); got != tc.reason {
			t.Errorf("case %d: got %q, want %q", i, got, tc.reason)
		}
	}
}

func TestStatusReportsDuplicates(t *testing.T) {
	_, c := fake(t, Config{}, nil)
	in := convs(t, 5)
	rec1, err := c.Send(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	rec2, _ := c.Send(context.Background(), in[:2]) // a resend after a crash
	st, err := c.Status(context.Background(), rec1.RequestID)
	if err != nil || st.RequestStatusPerDestination[0].RequestStatus != "SUCCESS" {
		t.Fatalf("%v %v", st, err)
	}
	st, _ = c.Status(context.Background(), rec2.RequestID)
	d := st.RequestStatusPerDestination[0]
	if d.RequestStatus != "PARTIAL_SUCCESS" || d.ErrorInfo.ErrorCounts[0].Reason != "PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID" || d.ErrorInfo.ErrorCounts[0].RecordCount != 2 {
		t.Errorf("status %+v", d)
	}
}
