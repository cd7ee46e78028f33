package cli

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/config"
)

// exec runs hashgate with args at n.now, as night does an upload.
func (n *bookingNights) exec(args ...string) result {
	n.t.Helper()
	var out, errOut bytes.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut)
	f.Now = func() time.Time { return n.now }
	f.Getenv = func(k string) string { return n.env[k] }
	f.HTTPClient = func() (*http.Client, error) { return http.DefaultClient, nil }
	f.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	f.GoogleTokenSource = func(context.Context, *config.Config) (oauth2.TokenSource, error) {
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: googleBearer}), nil
	}
	code := execute(context.Background(), f, args)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// edit replaces old by new in n's config; old must be there.
func (n *bookingNights) edit(old, new string) {
	n.t.Helper()
	b, err := os.ReadFile(n.cfg)
	if err != nil || !bytes.Contains(b, []byte(old)) {
		n.t.Fatalf("config has no %q (%v)", old, err)
	}
	if err := os.WriteFile(n.cfg, bytes.Replace(b, []byte(old), []byte(new), 1), 0o600); err != nil {
		n.t.Fatal(err)
	}
}

// TestAFailureIsJudgedByTheActionsItsRequestNamed (review of bookings
// over many nights): a request holding a visit and its booking names
// both conversion actions, and Google answers a status for each, "in the
// order of the destinations in the original request" (ingestion_service.
// proto). Read after the config changed — another booking action,
// bookings off, another visits' action — the failure of the action the
// request named is still reported failed, and the retryable one is sent
// again by the next upload; judged by tonight's config, the status of the
// action no longer configured was dropped and the request read
// "processed ok", its failure lost.
func TestAFailureIsJudgedByTheActionsItsRequestNamed(t *testing.T) {
	const row = "R1,2026-11-10 10:00,completed,r1@example.com,yes," + bookingGCLIDcli + ",2026-11-09 09:30"
	for _, tc := range []struct {
		name     string
		failRef  string // the destination reference whose events fail
		old, new string // the config edit after the upload
		resent   string // the action the next upload sends the failed event to
	}{
		{"another booking action", "booking", `booking_conversion_action_id: "555000222"`, `booking_conversion_action_id: "555000333"`, "555000333"},
		{"bookings turned off", "booking", "    enabled: true\ndestinations:", "    enabled: false\ndestinations:", ""},
		{"another visits' action", "visit", `conversion_action_id: "555000111"`, `conversion_action_id: "555000999"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC))
			n.dm.Processing.Event = func(_ int, ev map[string]any) (string, string) {
				if refs, _ := ev["destinationReferences"].([]any); slices.Contains(refs, any(tc.failRef)) {
					return "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK", ""
				}
				return "", ""
			}
			n.night(row)
			if _, google := n.sent(); google["555000111"] != 1 || google["555000222"] != 1 {
				t.Fatalf("night 1 sent %v to Google, want the visit and its booking", google)
			}
			n.edit(tc.old, tc.new)
			n.now = n.now.Add(2 * time.Hour)
			st := n.exec("status", "--config", n.cfg)
			if st.code != 0 || !strings.Contains(st.stdout, "2 ingested; 1 processed ok, 1 failed") ||
				!strings.Contains(st.stdout, "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK 1 (resent by the next upload)") {
				t.Fatalf("status (exit %d):\n%s%s", st.code, st.stdout, st.stderr)
			}
			if tc.resent == "" {
				return
			}
			n.now = n.now.Add(24 * time.Hour)
			// It finds the failure the status read: exit 3, once (failuresOutcome).
			if r := n.run(row); r.code != ExitPartial || !strings.Contains(r.stderr, "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK 1 (this upload sends them again)") {
				t.Fatalf("the night that finds the failure: exit %d\n%s", r.code, r.stderr)
			}
			if got := len(n.dm.AcceptedAt("1234567890/" + tc.resent)); got != 1 {
				t.Errorf("the failed booking was not sent again to %s (%d events there)", tc.resent, got)
			}
		})
	}
}

// TestAStatusMissingAnActionOfItsRequestIsNoVerdict: Google answers a
// status per destination of the request (ingestion_service.proto); an
// answer that holds only the visits' action's status, for a request that
// named the bookings' too, says nothing of the booking. It is refused,
// read again, and never reported as processed ok — judged by what the
// answer held, the booking was taken as processed, and a failure there
// would never be resent.
func TestAStatusMissingAnActionOfItsRequestIsNoVerdict(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC))
	n.dm.Fault = func(_ int, w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1/requestStatus:retrieve" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"requestStatusPerDestination": [{"destination": {"reference": "visit", "operatingAccount": {"accountType": "GOOGLE_ADS", "accountId": "1234567890"}, "productDestinationId": "555000111"}, "requestStatus": "SUCCESS", "eventsIngestionStatus": {"recordCount": "1"}}]}`))
		return true
	}
	n.night("R1,2026-11-10 10:00,completed,r1@example.com,yes," + bookingGCLIDcli + ",2026-11-09 09:30")
	n.now = n.now.Add(2 * time.Hour)
	st := n.exec("status", "--config", n.cfg)
	if st.code != 0 || !strings.Contains(st.stdout, "2 ingested; 0 processed ok, 0 failed, 2 still processing") {
		t.Fatalf("status (exit %d):\n%s%s", st.code, st.stdout, st.stderr)
	}
}

// TestAWrongBookingActionIsNamedByItsKey (review of bookings over many
// nights): Google knows the visits' action but not the bookings'. The
// upload of a visit and its booking, and a --validate run of a booking
// alone, stop naming destinations.google.booking_conversion_action_id —
// the key to fix (contract G5) — never the visits' conversion_action_id,
// which is right.
func TestAWrongBookingActionIsNamedByItsKey(t *testing.T) {
	for _, tc := range []struct {
		name, row string
		args      []string
		at        string
	}{
		{"a visit and its booking", "R1,2026-11-10 10:00,completed,r1@example.com,yes," + bookingGCLIDcli + ",2026-11-09 09:30", nil, "destinations[1]"},
		{"a booking alone, validated", "B1,2026-11-20 10:00,booked,b1@example.com,yes," + bookingGCLIDcli + ",2026-11-10 09:30", []string{"--validate"}, "destinations[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC))
			n.dm.Destinations = []string{"1234567890/555000111"}
			p := n.t.TempDir() + "/export.csv"
			// Z0, as in night: an old visit without consent, so that the
			// export holds a visit's status word.
			rows := tc.row + "\nZ0,2026-11-01 10:00,completed,z0@example.com,no,,\n"
			if err := os.WriteFile(p, []byte("id,at,status,email,consent,gclid,booked\n"+rows), 0o600); err != nil {
				t.Fatal(err)
			}
			r := n.exec(append([]string{"upload", "--config", n.cfg, p}, tc.args...)...)
			out := r.stdout + r.stderr
			if r.code == 0 || !strings.Contains(out, "INVALID_CONVERSION_ACTION_ID") || !strings.Contains(out, tc.at) ||
				!strings.Contains(out, "destinations.google.booking_conversion_action_id is not a conversion action") ||
				strings.Contains(out, "destinations.google.conversion_action_id is not") {
				t.Errorf("exit %d:\n%s", r.code, out)
			}
		})
	}
}
