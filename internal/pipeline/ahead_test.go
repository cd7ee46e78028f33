package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/reviewcsv"
)

// aheadHeader is the layout of aheadExport: a consent column shared by
// both platforms (consent) and one per platform (cg, cm), a patient key,
// booked_at and a click id.
const aheadHeader = "id,at,status,email,phone,patient,consent,cg,cm,consent_at,gclid,booked\n"

// aheadConfig maps aheadExport. perPlatform reads each platform's consent
// from its own column (a refusal then withdraws an order from one
// platform alone); bookings turns conversion.bookings on.
func aheadConfig(perPlatform, bookings bool) *config.Config {
	c := baseConfig()
	c.Input.Columns = config.Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Email: []string{"email"}, Phone: []string{"phone"},
		PatientKey: "patient", Consent: "consent", ConsentAt: "consent_at", GCLID: "gclid", BookedAt: "booked",
	}
	if perPlatform {
		c.Input.Columns.Consent, c.Input.Columns.ConsentGoogle, c.Input.Columns.ConsentMeta = "", "cg", "cm"
	}
	if bookings {
		c.Conversion.Bookings = config.Bookings{Enabled: true, EventName: config.DefaultBookingEventName}
	}
	return c
}

// aheadExport writes n rows drawn from rng over few orders and patients
// (about one consent cell in refusals+1 may refuse),
// so that orders repeat (duplicates), and refusals and revocations fall
// before, between and after an order's or a patient's other rows, several
// per key: consent values that grant, deny, revoke and say nothing, in
// the shared column and in each platform's; cancelled visits; appointment
// times that do not read; bookings with and without booked_at; invalid
// phones (dropped identifiers); rows without an order id.
func aheadExport(rng *rand.Rand, n, orders, patients, refusals int) string {
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	consentWord := func() string {
		if rng.IntN(refusals+1) != 0 {
			return "yes"
		}
		return pick("yes", "revoked", "no", "", "已撤回")
	}
	var b strings.Builder
	b.WriteString(aheadHeader)
	for range n {
		id := fmt.Sprintf("A%d", rng.IntN(orders))
		if rng.IntN(50) == 0 {
			id = ""
		}
		at := fmt.Sprintf("2026-11-%02d %02d:00", 1+rng.IntN(9), 8+rng.IntN(10))
		if rng.IntN(40) == 0 {
			at = pick("2026-13-45 10:00", "soon")
		}
		phone := pick("0912-345-678", "12", "", "+1 650 253 0000")
		fmt.Fprintf(&b, "%s,%s,%s,p%d@example.com,%s,%s,%s,%s,%s,%s,%s,%s\n",
			id, at, pick("completed", "completed", "completed", "cancelled"),
			rng.IntN(orders), phone, pick(fmt.Sprintf("P%d", rng.IntN(patients)), fmt.Sprintf("P%d", rng.IntN(patients)), ""),
			consentWord(), consentWord(), consentWord(),
			pick("2026-10-01 10:00", "2026-10-01 10:00", "2026-12-01 10:00"),
			pick(bookingGCLID, ""), pick("2026-10-20 14:30", "", "2026-11-30 09:00"))
	}
	return b.String()
}

// aheadRun runs in through cfg and returns what reached the sink, the
// summary and every row's outcome (Observe), or the error, as one string.
func aheadRun(t testing.TB, cfg *config.Config, in string, prepared, observe bool, workers, hold int) string {
	t.Helper()
	var out bytes.Buffer
	w, err := reviewcsv.New(&out, reviewcsv.Layout{})
	if err != nil {
		t.Fatal(err)
	}
	var s sink.Sink = w
	if !prepared {
		s = writeOnly{w} // held and written whole, as uploads are
	}
	var seen strings.Builder
	opt := Options{Config: cfg, Key: "k", Input: strings.NewReader(in), InputName: "t.csv", Sink: s,
		Now: bookingNow, Workers: workers, HoldMemory: hold}
	if observe {
		opt.Observe = func(line int, expect string, o Outcome) {
			fmt.Fprintf(&seen, "%d %q %q %q\n", line, expect, o.Reason, o.Skipped)
		}
	}
	sum := report.New("t.csv")
	if err := Run(context.Background(), opt, sum); err != nil {
		return "error: " + err.Error()
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if sum.RowsRead != sum.RowsUsed+sum.ExcludedTotal() {
		t.Fatalf("accounting: read %d != used %d + excluded %d", sum.RowsRead, sum.RowsUsed, sum.ExcludedTotal())
	}
	js, _ := sum.JSON()
	return out.String() + string(js) + seen.String()
}

// withSettleAhead runs f with settling ahead on or off.
func withSettleAhead(on bool, f func() string) string {
	was := settleAhead
	settleAhead = on
	defer func() { settleAhead = was }()
	return f()
}

// TestSettleAheadEqualsSettleAtTheEnd: rows settled as they are read
// (ahead.go), with only the rows of orders a later row touched settled
// again at the end, give what settling every row at the end gives — the
// review CSV byte for byte, prepared and written whole, the summary, and
// every row's outcome — on exports whose orders and patients are
// withdrawn before and after their rows, several times, in the shared
// consent column and in one platform's, with duplicates and bookings, on
// one core and on three, in memory and through the spill file.
func TestSettleAheadEqualsSettleAtTheEnd(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 1))
	touched := 0
	for round := range 6 {
		perPlatform, bookings := round%2 == 1, round%3 != 0
		cfg := aheadConfig(perPlatform, bookings)
		if round%4 < 2 {
			// The date gate has nothing to decide: plain records are
			// written without decoding from the first row.
			cfg.Input.MaxUnreadableDateShare = 1
		}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		in := aheadExport(rng, 200+rng.IntN(500), 20+rng.IntN(300), 5+rng.IntN(150), []int{2, 20, 300}[round%3])
		for _, c := range []struct {
			prepared, observe bool
			workers, hold     int
		}{{true, false, 3, 0}, {false, false, 1, 512}, {true, true, 1, 0}, {false, true, 3, 512}} {
			want := withSettleAhead(false, func() string { return aheadRun(t, cfg, in, c.prepared, c.observe, c.workers, c.hold) })
			got := withSettleAhead(true, func() string { return aheadRun(t, cfg, in, c.prepared, c.observe, c.workers, c.hold) })
			if got != want {
				t.Fatalf("round %d (per-platform consent %v, bookings %v) %+v: settled ahead differs:\n%s\n---- settled at the end:\n%s",
					round, perPlatform, bookings, c, diffAt(got, want), diffAt(want, got))
			}
		}
		touched += aheadTouched(t, cfg, in)
	}
	if touched == 0 {
		t.Fatal("no order was touched after its rows: the exports prove nothing")
	}
}

// aheadTouched is how many orders a run of in marked touched.
func aheadTouched(t *testing.T, cfg *config.Config, in string) int {
	t.Helper()
	n := 0
	aheadProbe = func(a *ahead) { n = a.ntouched }
	defer func() { aheadProbe = nil }()
	withSettleAhead(true, func() string { return aheadRun(t, cfg, in, true, false, 1, 0) })
	return n
}

// diffAt is a's text from a little before where it first differs from b.
func diffAt(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	start := max(0, strings.LastIndexByte(a[:i], '\n')-200)
	return a[start:min(len(a), i+300)]
}

// FuzzSettleAhead: whatever the export — its orders, patients and consent
// words drawn from the fuzzed seed — settling ahead gives what settling
// at the end gives.
func FuzzSettleAhead(f *testing.F) {
	for _, s := range [][5]uint64{{1, 50, 10, 5, 1}, {2, 400, 3, 2, 5}, {3, 200, 100, 100, 2}, {4, 30, 1, 1, 0}, {5, 590, 150, 40, 60}} {
		f.Add(s[0], s[1], s[2], s[3], s[4], false, false)
		f.Add(s[0], s[1], s[2], s[3], s[4], true, true)
	}
	f.Fuzz(func(t *testing.T, seed, rows, orders, patients, refusals uint64, perPlatform, bookings bool) {
		cfg := aheadConfig(perPlatform, bookings)
		if seed%2 == 0 {
			cfg.Input.MaxUnreadableDateShare = 1 // the date gate decided from the first row
		}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		in := aheadExport(rand.New(rand.NewPCG(seed, 29)), int(rows%600), 1+int(orders%300), 1+int(patients%100), int(refusals%100))
		for _, workers := range []int{1, 2} {
			want := withSettleAhead(false, func() string { return aheadRun(t, cfg, in, workers == 1, true, workers, 256) })
			got := withSettleAhead(true, func() string { return aheadRun(t, cfg, in, workers == 1, true, workers, 256) })
			if got != want {
				t.Fatalf("%d workers: settled ahead differs:\n%s\n---- settled at the end:\n%s", workers, diffAt(got, want), diffAt(want, got))
			}
		}
	})
}
