package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/report"
)

// failAtEnd reads r and, at its end, fails instead of reporting io.EOF:
// what package run's verified reader does for a file that changed while
// it was read.
type failAtEnd struct {
	r   io.Reader
	err error
}

func (f failAtEnd) Read(b []byte) (int, error) {
	n, err := f.r.Read(b)
	if errors.Is(err, io.EOF) {
		return n, f.err
	}
	return n, err
}

// TestNothingReachesTheSinkBeforeTheEnd: rows are held until the reader
// reports the end of the export; a reader that fails there stops the run
// with not one conversion written, whatever the number of workers.
func TestNothingReachesTheSinkBeforeTheEnd(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for i := range 3000 {
		fmt.Fprintf(&b, "A%d,2026-11-02 09:00,completed,a%d@example.com,,,,,,,yes,\n", i, i)
	}
	changed := errors.New("changed")
	for _, workers := range []int{1, 4} {
		sink := &capture{}
		cfg := baseConfig()
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: failAtEnd{strings.NewReader(b.String()), changed},
			InputName: "t.csv", Sink: sink, Workers: workers}, report.New("t.csv"))
		if !errors.Is(err, changed) || len(sink.got) != 0 {
			t.Errorf("workers %d: err %v, %d conversions written before the end", workers, err, len(sink.got))
		}
	}
}

// TestOrderRefusedByALaterRow: an order's later row that revokes, denies
// or scopes consent withdraws its earlier rows (consent_refused_order);
// with a consent column per platform, only from the platform whose column
// refuses — the other still gets the conversion, and the refused
// platform's dropped identifiers are not counted.
func TestOrderRefusedByALaterRow(t *testing.T) {
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes,\n" +
		"B1,2026-11-02 10:00,completed,b@example.com,,,,,,,yes,\n" +
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,,,revoked,\n"
	sink, sum := run(t, baseConfig(), body)
	if len(sink.got) != 2 || sum.Excluded[ReasonOrderRefused] != 1 || sum.Excluded["consent_revoked"] != 1 {
		t.Fatalf("got %d conversions, excluded %v", len(sink.got), sum.Excluded)
	}

	cfg := baseConfig()
	cfg.Input.Columns.Consent, cfg.Input.Columns.ConsentGoogle, cfg.Input.Columns.ConsentMeta = "", "cg", "cm"
	hdr := "id,at,status,email,email2,phone,first,last,zip,country,cg,cm,gclid\n"
	// A1's second row refuses Google (no) and grants Meta; its first row
	// has an e-mail and an invalid phone, dropped for both platforms.
	body = "A1,2026-11-02 09:00,completed,a@example.com,,12,,,,,yes,yes,\n" +
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,,,no,yes,\n"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink = &capture{}
	sum = report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(hdr + body), InputName: "t.csv", Sink: sink}, sum); err != nil {
		t.Fatal(err)
	}
	if len(sink.got) != 1 || sink.got[0].Platform.String() != "meta" || sink.got[0].Line != 2 {
		t.Fatalf("got %+v, want line 2 for Meta alone", sink.got)
	}
	if sum.Skipped["google"][ReasonOrderRefused] != 1 || sum.Excluded[ReasonDuplicate] != 1 {
		t.Errorf("skipped %v, excluded %v", sum.Skipped, sum.Excluded)
	}
	for k := range sum.Dropped {
		if strings.HasPrefix(k, "google ") {
			t.Errorf("a dropped identifier of the withdrawn platform is counted: %v", sum.Dropped)
		}
	}
	if len(sum.Dropped) == 0 {
		t.Errorf("Meta's dropped phone is not counted")
	}
}

// TestHeldRowsThroughTheSpillFile: held rows that go through the spill
// file (a 1-byte memory limit) and rows decided on several workers give
// the same conversions and summary as the defaults, with a patient
// revoked on the last row.
func TestHeldRowsThroughTheSpillFile(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(header)
	for i := range 2000 {
		// Rows 1500 on repeat earlier ones as written (rows of an order
		// that disagree are held: orderrows.go).
		j := i % 1500
		fmt.Fprintf(&b, "A%d,2026-11-02 09:00,completed,a%d@example.com,,0912-345-%03d,P%d,,,,yes,\n", j, j, j%1000, j%300)
	}
	b.WriteString("Z1,2026-11-03 09:00,completed,z@example.com,,,P7,,,,revoked,\n")
	type answer struct {
		got []string
		sum *report.Summary
	}
	do := func(workers, memory int) answer {
		sink := &capture{}
		sum := report.New("t.csv")
		err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(b.String()), InputName: "t.csv",
			Sink: sink, Workers: workers, HoldMemory: memory}, sum)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range sink.got {
			got = append(got, fmt.Sprint(c.Platform, c.EventID, c.Line, c.Time, c.Identifiers))
		}
		return answer{got, sum}
	}
	want := do(1, 0)
	if want.sum.Excluded[ReasonPatientRevoked] == 0 || want.sum.Excluded[ReasonDuplicate] == 0 {
		t.Fatalf("the export proves nothing: %v", want.sum.Excluded)
	}
	for _, c := range []struct{ workers, memory int }{{1, 1}, {4, 1}, {4, 0}} {
		got := do(c.workers, c.memory)
		if !reflect.DeepEqual(got.got, want.got) || !reflect.DeepEqual(got.sum, want.sum) {
			t.Errorf("workers %d, memory %d: %d conversions, summary %+v; want %d, %+v", c.workers, c.memory, len(got.got), got.sum, len(want.got), want.sum)
		}
	}
}

// failingSink fails its n-th write.
type failingSink struct {
	n, written int
	err        error
}

func (f *failingSink) Write(*conversion.Conversion) error {
	if f.written++; f.written == f.n {
		return f.err
	}
	if f.written > f.n {
		panic("written to after it failed")
	}
	return nil
}
func (f *failingSink) Close() error { return nil }

// TestSinkErrorStopsTheSettling: the sink is written from a goroutine of
// its own once the export has ended (asyncSink); when it fails, the run
// returns its error, and nothing more is written to it.
func TestSinkErrorStopsTheSettling(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for i := range 3000 {
		fmt.Fprintf(&b, "A%d,2026-11-02 09:00,completed,a%d@example.com,,,,,,,yes,\n", i, i)
	}
	cfg := baseConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 300, 2999} {
		full := errors.New("disk full")
		snk := &failingSink{n: n, err: full}
		err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(b.String()), InputName: "t.csv", Sink: snk}, report.New("t.csv"))
		if !errors.Is(err, full) || snk.written != n {
			t.Errorf("failing at write %d: err %v after %d writes", n, err, snk.written)
		}
	}
}

// TestPatientKeyIsTheProcesss: a patient's set key is the same for every
// row of the run and differs between patients, and it is no digest anyone
// can recompute outside the process: not the event-id HMAC under the
// public demo key that dry-runs use (what the sets, and the held rows on
// disk, kept before).
func TestPatientKeyIsTheProcesss(t *testing.T) {
	demo := eventid.NewDeriver(eventid.DemoKey)
	for _, pk := range []string{"P001", "0000123", "王小明-1988"} {
		if patientKey(pk) != patientKey(pk) {
			t.Fatalf("%s: two keys in one run", pk)
		}
		if _, k := demo.Derive("patient\x00" + pk); k == patientKey(pk) {
			t.Errorf("%s: the key is the demo key's HMAC", pk)
		}
	}
	if patientKey("P001") == patientKey("P002") {
		t.Error("two patients, one key")
	}
}

// TestAShortRowStillWithdraws (metamorphic: a writer that leaves out
// trailing empty cells): a row one cell short is malformed and excluded,
// but the patient it revokes and the order it refuses are withdrawn all
// the same, on one worker and on four — before, the short row's
// withdrawal was lost and the earlier visit of a patient who had revoked
// was sent (a review's reproduction). A short row only ever adds
// exclusions.
func TestAShortRowStillWithdraws(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,P7,,,,yes,\n" +
		"A2,2026-11-02 10:00,completed,b@example.com,,,P8,,,,yes,\n" +
		"A3,2026-11-02 11:00,completed,c@example.com,,,P9,,,,yes,\n" +
		"Z1,2026-11-05 09:00,cancelled,,,,P7,,,,revoked\n" + // P7 revokes, its gclid cell left out
		"A2,2026-11-02 10:00,completed,b@example.com,,,P8,,,,no\n" // A2 refused, short
	for _, workers := range []int{1, 4} {
		sink := &capture{}
		sum := report.New("t.csv")
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv",
			Sink: sink, Workers: workers}, sum); err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, cv := range sink.got {
			lines = append(lines, cv.Line)
		}
		if len(sink.got) != 2 || sink.got[0].Line != 4 || sink.got[1].Line != 4 {
			t.Errorf("workers %d: conversions from lines %v, want only A3's (line 4), for both platforms", workers, lines)
		}
		if sum.Excluded[ReasonMalformedRow] != 2 || sum.Excluded[ReasonPatientRevoked] != 1 || sum.Excluded[ReasonOrderRefused] != 1 {
			t.Errorf("workers %d: excluded %v", workers, sum.Excluded)
		}
	}
}

// TestRememberedWithdrawals: a patient an earlier run saw withdraw
// (Revoked.Prior, keyed with the secret) is kept out on every row, on one
// worker and on four, with nothing in the export saying so — among a few
// remembered patients (a map) and among more than keyset.MinsMapMax (on
// disk, asked from every worker at once); New holds every patient this
// export revokes, remembered already or not, the same whatever the
// workers.
func TestRememberedWithdrawals(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	d := eventid.NewDeriver("k")
	// P7 as an older hashgate remembered it (the key as written:
	// LegacyDigest), P9 as this one does.
	p7, p9 := d.RevokedPatient("P7"), RememberedDigest(d, "P9")
	var b strings.Builder
	b.WriteString(header)
	for i := range 300 {
		fmt.Fprintf(&b, "A%d,2026-11-02 09:00,completed,a%d@example.com,,,P%d,,,,yes,\n", i, i, i%10)
	}
	b.WriteString("Z1,2026-11-03 09:00,cancelled,,,,P9,,,,revoked,\n")
	var want []string
	for run := range 4 {
		workers, prior := []int{1, 4}[run%2], map[uint64]int64{p7: 0}
		if run >= 2 {
			for i := range keyset.MinsMapMax + 100 {
				prior[d.RevokedPatient(fmt.Sprint("other", i))] = int64(i%2) * 86400
			}
		}
		rev := &PatientRevocations{Prior: rememberedOf(t, prior)}
		if _, onDisk := rev.Prior.Spilled(); (onDisk > 0) != (run >= 2) {
			t.Fatalf("run %d: %d remembered patients on disk", run, onDisk)
		}
		defer rev.Close()
		sink := &capture{}
		sum := report.New("t.csv")
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(b.String()), InputName: "t.csv",
			Sink: sink, Workers: workers, Revoked: rev}, sum); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, cv := range sink.got {
			got = append(got, fmt.Sprint(cv.Line))
		}
		remembered := remembers(t, rev)
		if from, ok := remembered[p9]; sum.Excluded[ReasonPatientRevoked] != 60 || len(remembered) != 1 || !ok || from != 0 {
			t.Errorf("workers %d: excluded %v, new %v; want P7's and P9's 60 rows withdrawn, P9 new", workers, sum.Excluded, remembered)
		}
		if want == nil {
			want = got
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("workers %d: sent lines differ from one worker's", workers)
		}
	}
	// Remembered already, revoking again: New holds it again (per run).
	rev := &PatientRevocations{Prior: rememberedOf(t, map[uint64]int64{p9: 0})}
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(b.String()), InputName: "t.csv",
		Sink: &capture{}, Workers: 2, Revoked: rev}, report.New("t.csv")); err != nil {
		t.Fatal(err)
	}
	if _, ok := remembers(t, rev)[p9]; !ok {
		t.Errorf("a patient remembered already and revoking again is not in New: %v", remembers(t, rev))
	}
}

// TestRememberedWithdrawalsSurviveTrimmedZeros: a chart-number column a
// spreadsheet re-saved without its zeros (00000007 as 7) still matches the
// withdrawal remembered under the padded key.
func TestRememberedWithdrawalsSurviveTrimmedZeros(t *testing.T) {
	for k, want := range map[string]string{"00000007": "7", "7": "7", "0000": "0", "A007": "A007", "007-1": "007-1"} {
		if got := rememberedKey(k); got != want {
			t.Errorf("rememberedKey(%q) = %q, want %q", k, got, want)
		}
	}
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	// Remembered from a night whose export held the padded key.
	first := &PatientRevocations{}
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + "Z1,2026-11-03 09:00,cancelled,,,,00000007,,,,revoked,\n"),
		InputName: "t.csv", Sink: &capture{}, Revoked: first}, report.New("t.csv")); err != nil {
		t.Fatal(err)
	}
	next := &PatientRevocations{Prior: rememberedOf(t, remembers(t, first))}
	sum := report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + "A1,2026-11-05 09:00,completed,a@example.com,,,7,,,,yes,\n"),
		InputName: "t.csv", Sink: &capture{}, Revoked: next}, sum); err != nil {
		t.Fatal(err)
	}
	if sum.Excluded[ReasonPatientRevoked] != 1 {
		t.Errorf("the trimmed key's visit: excluded %v, want consent_revoked_patient", sum.Excluded)
	}
}

// TestADatedRevocationWithdrawsThePatientsLaterVisits: under
// consent.revoked_allows_earlier a dated revocation on one row withdraws
// the patient's appointments from that day on, on every row — before, it
// was judged on its own row alone and the later visit was sent — and
// leaves the earlier ones; on one worker and on four.
func TestADatedRevocationWithdrawsThePatientsLaterVisits(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	cfg.Consent.RevokedAllowsEarlier = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	body := "A1,2026-10-15 09:00,completed,a1@example.com,,,P7,,,,yes,\n" + // before: sent
		"A2,2026-10-20 09:00,completed,a2@example.com,,,P7,,,,revoked 2026-10-20,\n" + // its own row: consent_revoked
		"A3,2026-10-25 09:00,completed,a3@example.com,,,P7,,,,yes,\n" + // after: withdrawn
		"B1,2026-10-25 10:00,completed,b1@example.com,,,P8,,,,yes,\n" // another patient: sent
	for _, workers := range []int{1, 4} {
		sink := &capture{}
		sum := report.New("t.csv")
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv",
			Sink: sink, Workers: workers, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, sum); err != nil {
			t.Fatal(err)
		}
		lines := map[int]bool{}
		for _, cv := range sink.got {
			lines[cv.Line] = true
		}
		if !lines[2] || lines[3] || lines[4] || !lines[5] {
			t.Errorf("workers %d: sent lines %v, want 2 and 5 (before the revocation, and another patient)", workers, lines)
		}
		if sum.Excluded[ReasonPatientRevoked] != 1 {
			t.Errorf("workers %d: excluded %v, want one consent_revoked_patient", workers, sum.Excluded)
		}
	}
}

// TestDatedWithdrawalEdges (a review's reproductions): a dated revocation
// withdraws the bookings of the patient's other rows from its day on,
// whatever their own reason (a cancelled row's booking made after the day
// was sent); a day remembered while revoked_allows_earlier was on
// withdraws every appointment once it is off ("a revoked patient is never
// sent"); the option needs timezone.
func TestDatedWithdrawalEdges(t *testing.T) {
	cfg := bookingConfig()
	cfg.Input.Columns.PatientKey = "pk"
	cfg.Consent.RevokedAllowsEarlier = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	head := "id,at,status,email,consent,consent_at,gclid,booked,pk\n"
	body := "R1,2026-10-18 09:00,completed,r1@example.com,revoked 2026-10-20,,,2026-10-01 09:00,P1\n" +
		"R2,2026-11-05 09:00,cancelled,r2@example.com,yes,,,2026-10-25 09:00,P1\n"
	for _, workers := range []int{1, 4} {
		sink, _ := runBookings(t, cfg, head, body, workers)
		for _, s := range sent(sink) {
			if strings.Contains(s, "2026-10-25") {
				t.Errorf("workers %d: a booking made after the patient's revocation day was sent: %s", workers, s)
			}
		}
	}
	// Remembered with a day, the option now off: every appointment.
	off := baseConfig()
	off.Input.Columns.PatientKey = "first"
	if err := off.Validate(); err != nil {
		t.Fatal(err)
	}
	p7 := eventid.NewDeriver("k").RevokedPatient("P7")
	day := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC).Unix()
	sink := &capture{}
	if err := Run(context.Background(), Options{Config: off, Key: "k", Input: strings.NewReader(header + "A1,2026-10-15 09:00,completed,a@example.com,,,P7,,,,yes,\n"),
		InputName: "t.csv", Sink: sink, Revoked: &PatientRevocations{Prior: rememberedOf(t, map[uint64]int64{p7: day})}}, report.New("t.csv")); err != nil {
		t.Fatal(err)
	}
	if len(sink.got) != 0 {
		t.Errorf("option off: a patient remembered with a day sent %d conversions before it", len(sink.got))
	}
	noZone := baseConfig()
	noZone.Timezone = ""
	noZone.Consent.RevokedAllowsEarlier = true
	if err := noZone.Validate(); err == nil || !strings.Contains(err.Error(), "consent.revoked_allows_earlier") {
		t.Errorf("revoked_allows_earlier without timezone: %v", err)
	}
}

// rememberedOf is a ledger's remembered withdrawals (ledger.RevokedPatients)
// holding pairs, spilling past 256 of them.
func rememberedOf(t *testing.T, pairs map[uint64]int64) *keyset.Mins {
	t.Helper()
	m := keyset.NewMins(t.TempDir(), keyset.Sizes{TableSlots: 1 << 10})
	for k, v := range pairs {
		if err := m.Note(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Freeze(); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestUnreadableRememberedWithdraws: a patient the remembered withdrawals
// could not be read for (keyset.Mins.Get's error) is withdrawn from every
// appointment, as digestmap answered before Mins took its place: the run
// stops on Prior.Err before sending, and decides nothing to send first.
func TestUnreadableRememberedWithdraws(t *testing.T) {
	if from, ok := failClosed(5, false, errors.New("read failed")); !ok || from != 0 {
		t.Errorf("unreadable: %d, %v; want 0 (every appointment), true", from, ok)
	}
	if from, ok := failClosed(86400, true, nil); !ok || from != 86400 {
		t.Errorf("read: %d, %v; want 86400, true", from, ok)
	}
}
