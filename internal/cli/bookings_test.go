package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// bookingNights is a clinic's nightly job over several nights with one
// ledger: both fakes and hashgate read the same clock.
type bookingNights struct {
	t   *testing.T
	now time.Time
	dm  *destinationtest.DataManager
	g   *destinationtest.Graph
	env map[string]string
	cfg string
	// extra are flags added to the night's upload (--dry-run).
	extra []string
}

const bookingGCLIDcli = "Cj0KCQiA_NC9BhCkARIsABSnSTYk6_HxWq3PqR0m2Vd9LsEJtB4nFgZcK8uYo1aIh7TbX5rW2eQjMzNvUyDcOpLfAaQ"

func newBookingNights(t *testing.T, start time.Time) *bookingNights {
	n := &bookingNights{t: t, now: start, env: uploadEnv(t)}
	clock := func() time.Time { return n.now }
	n.dm = &destinationtest.DataManager{Token: googleBearer, Now: clock}
	gURL := n.dm.Start(t).URL + "/"
	n.g = &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clock}
	mURL := n.g.Start(t).URL
	body := fmt.Sprintf(`timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: id
    appointment_at: at
    status: status
    email: email
    consent: consent
    gclid: gclid
    booked_at: booked
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: fixed
  fixed_value: 1000
  currency: TWD
  bookings:
    enabled: true
destinations:
  meta:
    enabled: true
    identifiers: [email]
    graph_url: %s
    dataset_id: "998877"
  google:
    enabled: true
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
    booking_conversion_action_id: "555000222"
`, mURL, gURL)
	n.cfg = filepath.Join(t.TempDir(), "hashgate.yaml")
	if err := os.WriteFile(n.cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return n
}

// night runs `hashgate upload` over the export rows at n.now; it must exit 0.
func (n *bookingNights) night(rows ...string) result {
	n.t.Helper()
	r := n.run(rows...)
	if r.code != 0 {
		n.t.Fatalf("night of %s: exit %d\n%s", n.now.Format(time.DateOnly), r.code, r.stderr)
	}
	return r
}

// run is night whatever the exit code.
func (n *bookingNights) run(rows ...string) result {
	n.t.Helper()
	p := filepath.Join(n.t.TempDir(), "export.csv")
	// Z0 is an old visit without consent: the export holds the status
	// word of a visit (run.statusMismatch), as a clinic's always does.
	rows = append(rows, "Z0,2026-11-01 10:00,completed,z0@example.com,no,,")
	if err := os.WriteFile(p, []byte("id,at,status,email,consent,gclid,booked\n"+strings.Join(rows, "\n")+"\n"), 0o600); err != nil {
		n.t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut)
	f.Now = func() time.Time { return n.now }
	f.Getenv = func(k string) string { return n.env[k] }
	f.HTTPClient = func() (*http.Client, error) { return http.DefaultClient, nil }
	f.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	f.GoogleTokenSource = func(context.Context, *config.Config) (oauth2.TokenSource, error) {
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: googleBearer}), nil
	}
	r := result{stdout: out.String(), stderr: errOut.String(), code: execute(context.Background(), f, append(append([]string{"upload", "--config", n.cfg}, n.extra...), p))}
	r.stdout, r.stderr = out.String(), errOut.String()
	return r
}

// sent counts, per event name at Meta and per action at Google, the
// events accepted so far.
func (n *bookingNights) sent() (meta map[string]int, google map[string]int) {
	meta, google = map[string]int{}, map[string]int{}
	for id, times := range n.g.Accepted() {
		meta[n.g.Event(id)["event_name"].(string)] += times
	}
	for _, action := range []string{"555000111", "555000222"} {
		for _, times := range n.dm.AcceptedAt("1234567890/" + action) {
			google[action] += times
		}
	}
	return meta, google
}

// TestABookingIsSentTheNightItIsMadeAndNeverAgain (issue 27 point 3): a
// booking made today for an appointment ten days away goes to Meta as
// Schedule and to Google's booking action that night; on the night after
// the visit, the visit goes to Purchase and the visit action, and the
// booking is not sent again.
func TestABookingIsSentTheNightItIsMadeAndNeverAgain(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)) // 23:00 in Taipei
	r := n.night("K1,2026-11-20 10:00,booked,k1@example.com,yes," + bookingGCLIDcli + ",2026-11-10 09:30")
	meta, google := n.sent()
	if meta["Schedule"] != 1 || meta["Purchase"] != 0 || google["555000222"] != 1 || google["555000111"] != 0 {
		t.Fatalf("night 1: meta %v, google %v\n%s", meta, google, r.stderr)
	}
	if !strings.Contains(r.stderr, "bookings (conversion.bookings, within the conversions above): google 1, meta 1") {
		t.Errorf("night 1 summary:\n%s", r.stderr)
	}
	n.now = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	r = n.night("K1,2026-11-20 10:00,completed,k1@example.com,yes," + bookingGCLIDcli + ",2026-11-10 09:30")
	meta, google = n.sent()
	if meta["Schedule"] != 1 || meta["Purchase"] != 1 || google["555000222"] != 1 || google["555000111"] != 1 {
		t.Fatalf("night 2: meta %v, google %v\n%s", meta, google, r.stderr)
	}
	destinationtest.ExactlyOnce(t, n.g.Accepted(), 2)
	destinationtest.ExactlyOnce(t, n.dm.Accepted(), 2)
}

// TestACancelledVisitHasItsBookingSentOnce: the booking goes the night it
// is made; the appointment is cancelled later; no night sends it again,
// and no visit is ever sent.
func TestACancelledVisitHasItsBookingSentOnce(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC))
	n.night("C1,2026-11-14 10:00,booked,c1@example.com,yes,,2026-11-10 12:00")
	n.now = n.now.Add(24 * time.Hour)
	n.night("C1,2026-11-14 10:00,cancelled,c1@example.com,yes,,2026-11-10 12:00")
	n.now = n.now.Add(5 * 24 * time.Hour)
	n.night("C1,2026-11-14 10:00,cancelled,c1@example.com,yes,,2026-11-10 12:00")
	meta, google := n.sent()
	if meta["Schedule"] != 1 || meta["Purchase"] != 0 || len(google) != 0 {
		t.Fatalf("meta %v, google %v (no gclid: Google, click ids only, gets nothing)", meta, google)
	}
}

// TestABookingWithoutBookedAtIsSentOnceItsAppointmentPassed: without booked_at a
// booking is dated by its appointment and sent the first night after it —
// a no-show's too — and once only.
func TestABookingWithoutBookedAtIsSentOnceItsAppointmentPassed(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC))
	r := n.night("W1,2026-11-12 10:00,booked,w1@example.com,yes,,")
	if meta, _ := n.sent(); len(meta) != 0 || !strings.Contains(r.stderr, "1 waiting for their appointment") {
		t.Fatalf("night 1: meta %v\n%s", meta, r.stderr)
	}
	for range 3 {
		n.now = n.now.Add(24 * time.Hour)
		n.night("W1,2026-11-12 10:00,no-show,w1@example.com,yes,,")
	}
	meta, _ := n.sent()
	if meta["Schedule"] != 1 || meta["Purchase"] != 0 {
		t.Fatalf("meta %v", meta)
	}
	for id := range n.g.Accepted() {
		if ev := n.g.Event(id); fmt.Sprint(ev["event_time"]) != fmt.Sprint(time.Date(2026, 11, 12, 2, 0, 0, 0, time.UTC).Unix()) {
			t.Errorf("the booking is dated %v, want the appointment", ev["event_time"])
		}
	}
}
