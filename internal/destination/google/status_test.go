package google

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	datamanager "google.golang.org/api/datamanager/v1"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// clock is a simulated clock the fake and the test share.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func statusFake(t *testing.T, p destinationtest.Processing, cfg Config) (*clock, *destinationtest.DataManager, *Client) {
	t.Helper()
	clk := &clock{t: now}
	dm := &destinationtest.DataManager{Token: bearer, Now: clk.Now, Processing: p}
	srv := dm.Start(t)
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer}))
	cfg.OperatingAccount, cfg.ConversionActionID, cfg.Endpoint = "1234567890", "987654321", srv.URL+"/"
	c, err := New(context.Background(), cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	return clk, dm, c
}

// failSome fails events 1 and 3 with CLICK_NOT_FOUND, event 4 with
// TOO_RECENT_CLICK, and warns on event 2.
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

func TestProcessingIsPendingForHalfAnHourThenPerRecord(t *testing.T) {
	clk, _, c := statusFake(t, destinationtest.Processing{Event: failSome}, Config{})
	rec, err := c.Send(context.Background(), convs(t, 6))
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(29 * time.Minute)
	p, err := c.Processing(context.Background(), rec.RequestID, nil)
	if err != nil || p.Final || p.Status != StatusProcessing {
		t.Fatalf("at 29 min: %+v %v", p, err)
	}
	clk.Advance(time.Minute)
	p, err = c.Processing(context.Background(), rec.RequestID, nil)
	if err != nil || !p.Final || p.Status != StatusPartialSuccess || p.Records != 6 {
		t.Fatalf("at 30 min: %+v %v", p, err)
	}
	want := []destination.ReasonCount{
		{Reason: "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", Records: 2, Indices: []int{1, 3}},
		{Reason: "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK", Records: 1, Indices: []int{4}, Retry: true},
	}
	if !slices.EqualFunc(p.Errors, want, eqCount) {
		t.Errorf("errors %+v, want %+v", p.Errors, want)
	}
	if len(p.Warnings) != 1 || p.Warnings[0].Reason != "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED" || !slices.Equal(p.Warnings[0].Indices, []int{2}) {
		t.Errorf("warnings %+v", p.Warnings)
	}
}

func eqCount(a, b destination.ReasonCount) bool {
	return a.Reason == b.Reason && a.Records == b.Records && a.Retry == b.Retry && slices.Equal(a.Indices, b.Indices)
}

func TestProcessingWithoutIndicesKeepsCountsOnly(t *testing.T) {
	clk, _, c := statusFake(t, destinationtest.Processing{Event: failSome, WithoutIndices: true}, Config{})
	rec, _ := c.Send(context.Background(), convs(t, 6))
	clk.Advance(time.Hour)
	p, err := c.Processing(context.Background(), rec.RequestID, nil)
	if err != nil || len(p.Errors) != 2 {
		t.Fatalf("%+v %v", p, err)
	}
	for _, e := range p.Errors {
		if e.Indices != nil {
			t.Errorf("%s: indices %v invented", e.Reason, e.Indices)
		}
	}
	if p.Errors[0].Records != 2 {
		t.Errorf("count %d", p.Errors[0].Records)
	}
}

func TestFailedWithoutCountsIsNotSuccess(t *testing.T) {
	all := func(int, map[string]any) (string, string) { return "PROCESSING_ERROR_REASON_INVALID_EVENT", "" }
	clk, _, c := statusFake(t, destinationtest.Processing{Event: all, FailedWithoutCounts: true}, Config{})
	rec, _ := c.Send(context.Background(), convs(t, 3))
	clk.Advance(time.Hour)
	p, err := c.Processing(context.Background(), rec.RequestID, nil)
	if err != nil || p.Status != StatusFailed || !p.Final {
		t.Fatalf("%+v %v", p, err)
	}
	if len(p.Errors) != 1 || p.Errors[0].Reason != ReasonFailedNoDetail || p.Errors[0].Records != 3 || p.Errors[0].Retry {
		t.Errorf("errors %+v", p.Errors)
	}
}

func TestValidateOnlyRequestHasNoVerdict(t *testing.T) {
	clk, dm, c := statusFake(t, destinationtest.Processing{}, Config{ValidateOnly: true})
	rec, err := c.Send(context.Background(), convs(t, 2))
	if err != nil || dm.ValidateOnlyRequests() != 1 {
		t.Fatalf("%v", err)
	}
	clk.Advance(time.Hour)
	id := rec.RequestID
	if id == "" {
		id = "v-unknown" // the ledger never polls these; the API would refuse
	}
	if _, err := c.Processing(context.Background(), id, nil); !errors.Is(err, destination.ErrNoVerdict) {
		t.Fatalf("err %v", err)
	}
	if _, err := c.Processing(context.Background(), "fake-request-999999", nil); !errors.Is(err, destination.ErrNoVerdict) {
		t.Fatalf("unknown id: err %v", err)
	}
}

// Every reason the classification names must exist in the API's enum, or
// a typo would silently make a retryable reason final.
func TestRetryableReasonsAreGoogles(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "google.golang.org/api").Output()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "datamanager", "v1", "datamanager-api.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schemas map[string]struct {
			Properties map[string]struct {
				Enum  []string `json:"enum"`
				Items *struct {
					Format string `json:"format"`
				} `json:"items"`
			} `json:"properties"`
		} `json:"schemas"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	enum := doc.Schemas["ErrorCount"].Properties["reason"].Enum
	for r := range retryableProcessing {
		if !slices.Contains(enum, r) {
			t.Errorf("%s is not a ProcessingErrorReason", r)
		}
	}
	for _, s := range []string{"ErrorCount", "WarningCount"} {
		if doc.Schemas[s].Properties["recordIndices"].Items == nil {
			t.Errorf("%s has no recordIndices: google.golang.org/api older than v0.312.0", s)
		}
	}
	for _, final := range []string{"EVENT_TOO_OLD", "CLICK_NOT_FOUND", "EXPIRED_CLICK", "CONVERSION_PRECEDES_CLICK", "DUPLICATE_TRANSACTION_ID"} {
		if RetryableProcessingError("PROCESSING_ERROR_REASON_" + final) {
			t.Errorf("%s classified retryable", final)
		}
	}
	for _, again := range []string{"NO_CONSENT", "UNKNOWN_CONSENT", "DENIED_CONSENT"} {
		if !RetryableProcessingError("PROCESSING_ERROR_REASON_" + again) {
			t.Errorf("%s is an account setting: once fixed, a resend counts", again)
		}
	}
	if RetryableProcessingError("PROCESSING_ERROR_REASON_SOMETHING_NEW") {
		t.Error("an unknown reason must be final")
	}
}

// google.golang.org/api v0.315.0 switches to cloud.google.com/go/auth —
// whose token errors hide oauth2.RetrieveError — for the non-deprecated
// credential options and for GOOGLE_API_GO_EXPERIMENTAL_ENABLE_NEW_AUTH_LIB
// (internal/settings.go IsNewAuthLibraryEnabled). hashgate passes its own
// authenticated client (option.WithHTTPClient), which the library returns
// before that switch (transport/http/dial.go), so an expired refresh token
// still reads as an oauth2.RetrieveError with its RFC 6749 code.
func TestNewAuthLibraryDoesNotHideTokenErrors(t *testing.T) {
	t.Setenv("GOOGLE_API_GO_EXPERIMENTAL_ENABLE_NEW_AUTH_LIB", "true")
	tok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		io.WriteString(w, `{"error":"invalid_grant","error_description":"Token has been expired or revoked."}`)
	}))
	defer tok.Close()
	dm := &destinationtest.DataManager{Token: bearer, Now: func() time.Time { return now }}
	srv := dm.Start(t)
	conf := &oauth2.Config{ClientID: "id", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: tok.URL}}
	hc := oauth2.NewClient(context.Background(), conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: "1//refresh"}))
	c, err := New(context.Background(), Config{Endpoint: srv.URL + "/", OperatingAccount: "1234567890", ConversionActionID: "1"}, hc)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Processing(context.Background(), "fake-request-000001", nil)
	// The error table reads the RFC 6749 code from the RetrieveError; with
	// the new library's auth.Error it could not.
	var de *destination.Error
	if !errors.As(err, &de) || de.Reason != "invalid_grant" {
		t.Fatalf("err %v (%T), want invalid_grant read from an oauth2.RetrieveError", err, err)
	}
}

// TestDuplicatesAreRecordedNotErrors: DUPLICATE_TRANSACTION_ID and
// DUPLICATE_GCLID mean Google already holds the conversion: Verdict
// reports them as Recorded, not as errors, and a FAILED request whose only
// reason is a duplicate is not "failed without detail".
func TestDuplicatesAreRecordedNotErrors(t *testing.T) {
	d := &datamanager.RequestStatusPerDestination{RequestStatus: StatusFailed,
		EventsIngestionStatus: &datamanager.IngestEventsStatus{RecordCount: 3},
		ErrorInfo: &datamanager.ErrorInfo{ErrorCounts: []*datamanager.ErrorCount{
			{Reason: "PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID", RecordCount: 2, RecordIndices: []int64{0, 1}},
			{Reason: "PROCESSING_ERROR_REASON_DUPLICATE_GCLID", RecordCount: 1, RecordIndices: []int64{2}},
		}}}
	p := Verdict(d)
	if len(p.Errors) != 0 || len(p.Recorded) != 2 || p.Recorded[0].Retry {
		t.Fatalf("%+v", p)
	}
}
