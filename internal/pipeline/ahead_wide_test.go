package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/reviewcsv"
)

// Settling ahead against settling at the end, beyond ahead_test.go (issue
// 29; the review of 03a2620, finding F4): a wider export, the Observe hook
// on and off (off is the only way finishAhead writes an untouched plain
// record without decoding it), and the configurations no other test
// settles ahead — one platform of a whole config, a revocations list,
// composite order keys, a shared consent column beside one platform's own,
// and key sets small enough to spill to disk.

// wideHeader is aheadHeader with branch, the second part of a composite
// order key.
const wideHeader = "id,branch,at,status,email,phone,patient,consent,cg,cm,consent_at,gclid,booked\n"

// wideExport is aheadExport widened as the review of settling ahead did
// (its reviewExport): blank and invalid e-mails beside blank or invalid
// phones (no_identifier, decided late), blank statuses, consent times
// blank or unreadable, appointment dates invalid or without a year (read
// against the run's fixed clock), booked_at cells that do not read, and a
// branch column (few values, often blank) for composite order keys.
func wideExport(rng *rand.Rand, n, orders, patients, refusals int) string {
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	consentWord := func() string {
		if rng.IntN(refusals+1) != 0 {
			return "yes"
		}
		return pick("yes", "revoked", "no", "", "已撤回")
	}
	var b strings.Builder
	b.WriteString(wideHeader)
	for range n {
		id := fmt.Sprintf("A%d", rng.IntN(orders))
		if rng.IntN(50) == 0 {
			id = ""
		}
		at := fmt.Sprintf("2026-11-%02d %02d:00", 1+rng.IntN(9), 8+rng.IntN(10))
		if rng.IntN(40) == 0 {
			at = pick("2026-13-45 10:00", "soon", "11-03 10:00")
		}
		email := pick(fmt.Sprintf("p%d@example.com", rng.IntN(orders)), "", "not-an-email")
		phone := pick("0912-345-678", "12", "", "", "+1 650 253 0000")
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
			id, pick("B1", "B2", ""), at, pick("completed", "completed", "cancelled", ""),
			email, phone, pick(fmt.Sprintf("P%d", rng.IntN(patients)), fmt.Sprintf("P%d", rng.IntN(patients)), ""),
			consentWord(), consentWord(), consentWord(),
			pick("2026-10-01 10:00", "2026-12-01 10:00", "", "bad"),
			pick(bookingGCLID, "", ""), pick("2026-10-20 14:30", "", "2026-11-30 09:00", "x"))
	}
	return b.String()
}

// wideCase is one configuration of a wide run.
type wideCase struct {
	// consent: 0 the shared column for both platforms, 1 each its own
	// (cg, cm), 2 Google's own beside the shared one (Meta's), 3 Meta's
	// own beside the shared one (Google's).
	consent     int
	bookings    bool
	gateDecided bool // MaxUnreadableDateShare 1: the date gate decides at the first row
	composite   bool // the order key is id and branch
	revocations bool // a revocations list names orders and patients
	// whole: the run is one platform (Google, or Meta when meta is set)
	// of the whole config, as `hashgate write` runs it: the whole
	// config's consent columns withdraw patients too.
	whole, meta bool
	spill       bool // key sets and the held rows spill to disk
}

func (c wideCase) String() string {
	return fmt.Sprintf("consent %d bookings %v gate-decided %v composite %v revocations %v whole %v (meta %v) spill %v",
		c.consent, c.bookings, c.gateDecided, c.composite, c.revocations, c.whole, c.meta, c.spill)
}

// caseOf draws a wideCase from bits (the fuzzer's, or a test's).
func caseOf(bits uint64) wideCase {
	return wideCase{consent: int(bits & 3), bookings: bits&4 != 0, gateDecided: bits&8 != 0, composite: bits&16 != 0,
		revocations: bits&32 != 0, whole: bits&64 != 0, meta: bits&128 != 0, spill: bits&256 != 0}
}

// options are the run's config, whole config and revocations list.
func (c wideCase) options(rng *rand.Rand, orders, patients int) (cfg, whole *config.Config, rev consent.Revocations, err error) {
	cfg = aheadConfig(false, c.bookings)
	cols := &cfg.Input.Columns
	switch c.consent {
	case 1:
		cols.Consent, cols.ConsentGoogle, cols.ConsentMeta = "", "cg", "cm"
	case 2:
		cols.ConsentGoogle = "cg"
	case 3:
		cols.ConsentMeta = "cm"
	}
	if c.composite {
		cols.OrderID = []string{"id", "branch"}
	}
	if c.gateDecided {
		cfg.Input.MaxUnreadableDateShare = 1
	}
	if err := cfg.Validate(); err != nil {
		return nil, nil, nil, err
	}
	if c.revocations {
		rev = consent.Revocations{}
		for range 1 + rng.IntN(6) {
			rev[fmt.Sprintf("A%d", rng.IntN(orders))] = true
			rev[fmt.Sprintf("A%d|B%d", rng.IntN(orders), 1+rng.IntN(2))] = true // a composite order id
			rev[fmt.Sprintf("P%d", rng.IntN(patients))] = true
		}
	}
	if !c.whole {
		return cfg, nil, rev, nil
	}
	only := *cfg
	p := platform.Google
	if c.meta {
		p = platform.Meta
	}
	for _, q := range platform.All {
		only.SetEnabled(q, q == p)
	}
	only.Conversion.Bookings.Enabled = false // as run.Write does: the files carry visits only
	if err := only.Validate(); err != nil {
		return nil, nil, nil, err
	}
	return &only, cfg, rev, nil
}

// wideMode is how a run is played: the sink, the Observe hook, workers and
// the held rows' memory.
type wideMode struct {
	prepared, observe bool
	workers, hold     int
}

// wideRun is aheadRun with a whole config and a revocations list.
func wideRun(t testing.TB, cfg, whole *config.Config, rev consent.Revocations, in string, m wideMode) string {
	t.Helper()
	var out bytes.Buffer
	w, err := reviewcsv.New(&out, reviewcsv.Layout{})
	if err != nil {
		t.Fatal(err)
	}
	var s sink.Sink = w
	if !m.prepared {
		s = writeOnly{w}
	}
	var seen strings.Builder
	opt := Options{Config: cfg, Whole: whole, Revocations: rev, Key: "k", Input: strings.NewReader(in), InputName: "t.csv",
		Sink: s, Now: bookingNow, Workers: m.workers, HoldMemory: m.hold}
	if m.observe {
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

// wideSame runs in both ways and fails t where they differ (a run that
// stops, such as the date gate refusing an export whose first dated rows
// need a date setting, must stop with the same error); it returns how
// many orders settling ahead touched, and how many of them the touched
// set held on disk.
func wideSame(t testing.TB, c wideCase, cfg, whole *config.Config, rev consent.Revocations, in string, m wideMode) (touched, onDisk int) {
	t.Helper()
	if c.spill {
		tiny := keyset.Sizes{BloomBits: 1 << 12, TableSlots: 1 << 8}
		defer keyset.ShrinkDefaults(tiny)()
		was := aheadSetSizes // the touched and revoked sets' own sizes
		aheadSetSizes = tiny
		defer func() { aheadSetSizes = was }()
		m.hold = min(m.hold, 512)
	}
	want := withSettleAhead(false, func() string { return wideRun(t, cfg, whole, rev, in, m) })
	aheadProbe = func(a *ahead) {
		touched = a.ntouched
		onDisk, _ = a.touched.Stats()
	}
	defer func() { aheadProbe = nil }()
	got := withSettleAhead(true, func() string { return wideRun(t, cfg, whole, rev, in, m) })
	if got != want {
		t.Fatalf("%v, %+v: settled ahead differs:\n%s\n---- settled at the end:\n%s", c, m, diffAt(got, want), diffAt(want, got))
	}
	return touched, onDisk
}

// TestSettleAheadWide: the configurations of wideCase, each played one
// way (sink, Observe, workers, held memory — taken in turn), on wide
// exports of 200 to 1100 rows: over 500 dated rows the date gate decides
// in the middle of the export, so rows before it are decoded and rows
// after it written plain. Each configuration bit and way through is
// checked to have touched orders, so none is proven only on exports where
// nothing is settled again. By default 64 of the 512 combinations (every
// combination of the upper six bits, the lower three in turn: about 5 s,
// under a minute with -race); HASHGATE_AHEAD_SWEEP=1 (`make ahead-sweep`)
// plays all 512.
func TestSettleAheadWide(t *testing.T) {
	all := os.Getenv("HASHGATE_AHEAD_SWEEP") != ""
	modes := []wideMode{
		{prepared: true, observe: false, workers: 1, hold: 0}, // finishAhead's fast path: plain records, no decoding
		{prepared: true, observe: false, workers: 2, hold: 300},
		{prepared: false, observe: false, workers: 2, hold: 0},
		{prepared: true, observe: true, workers: 2, hold: 300},
		{prepared: false, observe: true, workers: 1, hold: 300},
	}
	touchedBy := map[string]int{}
	for bits := range uint64(512) {
		if !all && bits&7 != bits>>3&7 {
			continue
		}
		c := caseOf(bits)
		rng := rand.New(rand.NewPCG(bits, 29))
		orders, patients := 20+rng.IntN(300), 5+rng.IntN(150)
		cfg, whole, rev, err := c.options(rng, orders, patients)
		if err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		in := wideExport(rng, 200+rng.IntN(900), orders, patients, []int{2, 20, 300}[bits%3])
		m := modes[bits%uint64(len(modes))]
		n, onDisk := wideSame(t, c, cfg, whole, rev, in, m)
		touchedBy["spill, the touched set on disk"] += onDisk
		for name, on := range map[string]bool{"observe off": !m.observe, "observe on": m.observe, "whole": c.whole,
			"revocations": c.revocations, "composite": c.composite, "spill": c.spill, "mixed consent": c.consent >= 2} {
			if on {
				touchedBy[name] += n
			}
		}
	}
	for name, n := range touchedBy {
		if n == 0 {
			t.Errorf("%s: no order was touched after its rows in any run: settling again is not proven there", name)
		}
	}
}

// FuzzSettleAheadWide: whatever the wide export (drawn from seed) and
// whatever the configuration (variant's bits, see caseOf) and way through
// (the Observe hook, workers, the sink), settling ahead gives what
// settling at the end gives.
func FuzzSettleAheadWide(f *testing.F) {
	for _, s := range [][6]uint64{{1, 50, 10, 5, 1, 0}, {2, 400, 3, 2, 5, 511}, {3, 200, 100, 100, 2, 0x1a5},
		{4, 30, 1, 1, 0, 0x42}, {5, 590, 150, 40, 60, 0x1ff}, {6, 900, 200, 30, 3, 0x0c3}} {
		f.Add(s[0], uint16(s[1]), uint16(s[2]), uint16(s[3]), uint16(s[4]), uint16(s[5]), false, false)
		f.Add(s[0], uint16(s[1]), uint16(s[2]), uint16(s[3]), uint16(s[4]), uint16(s[5]), true, true)
	}
	f.Fuzz(func(t *testing.T, seed uint64, rows, orders, patients, refusals, variant uint16, observe, prepared bool) {
		c := caseOf(uint64(variant))
		rng := rand.New(rand.NewPCG(seed, 29))
		no, np := 1+int(orders%300), 1+int(patients%100)
		cfg, whole, rev, err := c.options(rng, no, np)
		if err != nil {
			t.Fatal(err)
		}
		in := wideExport(rng, int(rows%1100), no, np, int(refusals%100))
		m := wideMode{prepared: prepared, observe: observe, workers: 1 + int(variant>>9&1), hold: []int{0, 256}[variant>>10&1]}
		wideSame(t, c, cfg, whole, rev, in, m)
	})
}
