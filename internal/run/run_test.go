package run

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// testEnv is an Env of buffers and a fixed clock: a use case runs without
// cli, cobra or a process. NewClient fails the test: a dry-run, write or
// check must never build one.
func testEnv(t *testing.T, in string) (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &Env{
		In: strings.NewReader(in), Out: &out, ErrOut: &errOut,
		Now:      func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) },
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		StateDir: func() (string, error) { return t.TempDir(), nil },
		NewClient: func(context.Context, *config.Config, platform.Platform) (destination.Client, error) {
			t.Fatal("a client was built")
			return nil, nil
		},
		Version: "test",
	}, &out, &errOut
}

func testConfig(t *testing.T) *config.Config {
	c := config.Defaults()
	c.Timezone, c.Region = "Asia/Taipei", "TW"
	c.Input.Columns = config.Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Email: []string{"email"}, Phone: []string{"phone"}, Consent: "consent",
	}
	c.Consent.Granted = []string{"yes"}
	c.Destinations.Google.Enabled, c.Destinations.Meta.Enabled = true, true
	c.Destinations.Google.Identifiers = []string{"email", "phone"} // the explicit choice (the default is click ids only)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return &c
}

const sampleExport = "id,at,email,phone,consent\n" +
	"A1,2026-11-20 10:00,ann@example.com,0912-345-678,yes\n" +
	"A2,2026-11-20 11:00,bo@example.com,,no\n" +
	"A1,2026-11-20 10:00,ann@example.com,0912-345-678,yes\n"

func TestDryRunWithoutCLI(t *testing.T) {
	env, out, errOut := testEnv(t, sampleExport)
	err := Upload(context.Background(), env, UploadRequest{Config: testConfig(t), Input: "-", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 3 { // header, one conversion per platform
		t.Fatalf("review CSV has %d lines:\n%s", lines, out)
	}
	for _, want := range []string{"3 rows read", "consent_denied", "duplicate_order", "public demo key", "share no review CSV made so"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out.String()+errOut.String(), "ann@example.com") {
		t.Error("a raw e-mail address left the run")
	}
}

func TestUploadRefusesBeforeAnyWork(t *testing.T) {
	env, out, errOut := testEnv(t, sampleExport)
	err := Upload(context.Background(), env, UploadRequest{Config: testConfig(t), Input: "-", Out: "x.csv"})
	var ue *UsageError
	if !errors.As(err, &ue) || Code(err) != ExitUsage || out.Len()+errOut.Len() != 0 {
		t.Fatalf("err %v, code %d, output %q %q", err, Code(err), out, errOut)
	}
	err = Upload(context.Background(), env, UploadRequest{Config: testConfig(t), Input: "-"})
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Key != "secret" {
		t.Fatalf("upload without a secret: %v", err)
	}
}

func TestUploadOutcome(t *testing.T) {
	for _, tc := range []struct {
		name string
		ups  []report.Upload
		code int
	}{
		{"all accepted", []report.Upload{{Destination: "x", Conversions: 3, Accepted: 3}}, ExitOK},
		{"already accepted earlier", []report.Upload{{Destination: "x", Conversions: 3, SkippedAlreadyAccepted: 3}}, ExitOK},
		{"one quarantined", []report.Upload{{Destination: "x", Conversions: 3, Accepted: 2, Quarantined: map[string]int{"r": 1}}}, ExitPartial},
		{"none through", []report.Upload{{Destination: "x", Conversions: 3, Unsent: 3}}, ExitFailure},
		{"fatal", []report.Upload{{Destination: "x", Conversions: 3, Accepted: 3, Fatal: "token"}}, ExitFailure},
	} {
		if got := Code(uploadOutcome(tc.ups)); got != tc.code {
			t.Errorf("%s: exit %d, want %d", tc.name, got, tc.code)
		}
	}
}

// TestOutcomeNamesWhereTheyWent: the line an alert reads (under --quiet
// the only one) names each destination, what became of its conversions
// and why; requests that may have arrived are unanswered, not rejected or
// "not sent" (a review of the morning: "1 of 20 … (see the summary)", and
// "not sent 40" of events the platform had taken).
func TestOutcomeNamesWhereTheyWent(t *testing.T) {
	partial := uploadOutcome([]report.Upload{
		{Destination: "google:1/2", Conversions: 10, Accepted: 10},
		{Destination: "meta:9", Conversions: 10, Accepted: 9, Quarantined: map[string]int{"rejected_by_platform:100/2804050": 1}},
	})
	if Code(partial) != ExitPartial || !strings.Contains(partial.Error(), "1 of 20 new conversions were not ingested: meta:9 quarantined 1 (rejected_by_platform:100/2804050 1)") || strings.Contains(partial.Error(), "google") {
		t.Errorf("partial: %v", partial)
	}
	none := uploadOutcome([]report.Upload{{Destination: "google:1/2", Conversions: 40, Rejected: map[string]int{destination.ReasonUnanswered: 38, destination.ReasonRetriesExhausted: 2}, Cause: "timeout"}})
	for _, want := range []string{"unanswered 38 (may have arrived", "rejected 2 (retries_exhausted 2)"} {
		if !strings.Contains(none.Error(), want) {
			t.Errorf("failure %q does not say %q", none, want)
		}
	}
	if strings.Contains(none.Error(), "unanswered_may_have_arrived") {
		t.Errorf("failure %q counts the unanswered among the rejected", none)
	}
}

func TestParseExpectation(t *testing.T) {
	both := []platform.Platform{platform.Google, platform.Meta}
	if e, ok := parseExpectation(" Exclude:consent_denied ", both); !ok || len(e) != 2 {
		t.Errorf("%v %v", e, ok)
	}
	if e, ok := parseExpectation("google:include;meta:exclude:consent_scoped", both); !ok || e[platform.Meta] != "exclude:consent_scoped" {
		t.Errorf("%v %v", e, ok)
	}
	for _, bad := range []string{"", "maybe", "exclude:made_up", "line:include", "google:include;meta"} {
		if _, ok := parseExpectation(bad, both); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
