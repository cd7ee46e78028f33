package pipeline

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/report"
)

// sameNightRows: patient PA withdraws (A2); B1 and B3 (patient PB, consent
// yes) carry her phone, written otherwise, before and after her row; B2
// carries her email in upper case, with no patient key; B4 is PB with his
// own email alone; C1 is another patient. PA's A1 is consent_revoked_patient.
var sameNightRows = []string{
	"A1,2026-10-15 09:00,completed,a@example.com,,0912-555-111,PA,,,,yes,\n",
	"B1,2026-10-16 09:00,completed,b@example.com,,+886 912 555 111,PB,,,,yes,\n",
	"A2,2026-10-17 09:00,completed,a@example.com,,0912555111,PA,,,,revoked,\n",
	"B2,2026-10-18 09:00,completed,A@EXAMPLE.COM,,,,,,,yes,\n",
	"B3,2026-10-19 09:00,completed,,,(09)12-555-111,PB,,,,yes,\n",
	"B4,2026-10-20 09:00,completed,b@example.com,,,PB,,,,yes,\n",
	"C1,2026-10-21 09:00,completed,c@example.com,,0912-555-333,PC,,,,yes,\n",
}

// sameNight runs rows through a dry-run's pipeline (no ledger: nothing
// remembered) and returns the order ids sent and the summary.
func sameNight(t *testing.T, rows []string, workers int, revoked *PatientRevocations) (map[string]bool, *report.Summary) {
	t.Helper()
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	sum := report.New("t.csv")
	body := strings.Join(rows, "")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv",
		Sink: sink, Workers: workers, Revoked: revoked, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, sum); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, cv := range sink.got {
		id, _, _ := strings.Cut(rows[cv.Line-2], ",")
		ids[id] = true
	}
	return ids, sum
}

// TestIdentifiersWithdrawnTheSameNight: the export's own withdrawal keeps
// out every other row carrying the withdrawing row's email or phone (as
// identifier.Canonical compares them), before and after it, with or
// without a patient key, counted consent_withdrawn_identifier — whatever
// the rows' order (every rotation and reversal: a metamorphic check), with
// three workers (one for two orders), with the ledger's memory or without
// one. The relative's row carrying his own email alone is sent. The rows
// are spread among other patients' (padSameNight) over three chunks
// (chunkRows): seven rows were one chunk, and of "3 workers" one ran.
func TestIdentifiersWithdrawnTheSameNight(t *testing.T) {
	var orders [][]string
	for k := range sameNightRows {
		rot := append(slices.Clone(sameNightRows[k:]), sameNightRows[:k]...)
		back := slices.Clone(rot)
		slices.Reverse(back)
		orders = append(orders, rot, back)
	}
	want := map[string]bool{"B4": true, "C1": true}
	wantEx := map[string]int{consent.ReasonRevoked: 1, ReasonPatientRevoked: 1, ReasonIdentifierWithdrawn: 3}
	for i, rows := range orders {
		padded, fillers := padSameNight(rows)
		// Every order with three workers, the ledger's memory every other
		// one; one worker and both memories for the first two orders alone
		// (each run reads 1,301 rows: all 56 runs took 13 s under -race).
		type run struct {
			workers int
			revoked *PatientRevocations
		}
		runs := []run{{3, nil}}
		if i%2 == 1 {
			runs = []run{{3, &PatientRevocations{}}}
		}
		if i < 2 {
			runs = append(runs, run{1, nil}, run{1, &PatientRevocations{}})
		}
		for _, r := range runs {
			sent, sum := sameNight(t, padded, r.workers, r.revoked)
			n := 0
			for id := range sent {
				if strings.HasPrefix(id, "F") {
					delete(sent, id)
					n++
				}
			}
			if !maps.Equal(sent, want) || !maps.Equal(sum.Excluded, wantEx) || n != fillers {
				t.Fatalf("order %d, workers %d, ledger %v: sent %v and %d of %d others, excluded %v; want %v and %v", i, r.workers, r.revoked != nil, sent, n, fillers, sum.Excluded, want, wantEx)
			}
		}
	}
}

// padSameNight spreads rows every 200th among rows of other patients
// (F…, each with an email of their own, consent yes), 2.5 chunks in all
// for sameNightRows' seven: the withdrawing row and the rows it withdraws
// are read by different workers. It returns the rows and how many others.
func padSameNight(rows []string) ([]string, int) {
	const every = 200
	var out []string
	for i, r := range rows {
		out = append(out, r)
		for j := range every - 1 {
			if i == len(rows)-1 && j >= every/2 {
				break
			}
			f := fmt.Sprintf("F%d-%d", i, j)
			out = append(out, fmt.Sprintf("%s,2026-10-%02d 10:00,completed,%s@example.com,,,%s,,,,yes,\n", f, 15+i, strings.ToLower(f), f))
		}
	}
	return out, len(out) - len(rows)
}

// TestSameNightIdentifiersOfADatedRevocation: under revoked_allows_earlier
// the patient's own visits before the day are sent (they carry the
// identifiers the revoking row does), while another patient's row
// carrying them is withdrawn, whatever its date, as the ledger's
// memory withdraws it.
func TestSameNightIdentifiersOfADatedRevocation(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	cfg.Consent.RevokedAllowsEarlier = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	body := "A1,2026-10-15 09:00,completed,a@example.com,,,P7,,,,yes,\n" + // hers, before: sent
		"A2,2026-10-20 09:00,completed,a@example.com,,,P7,,,,revoked 2026-10-20,\n" +
		"B1,2026-10-10 09:00,completed,a@example.com,,,P8,,,,yes,\n" + // another patient, her email: withdrawn
		"B2,2026-10-11 09:00,completed,b@example.com,,,P8,,,,yes,\n" // his own: sent
	sink := &capture{}
	sum := report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv",
		Sink: sink, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, sum); err != nil {
		t.Fatal(err)
	}
	lines := map[int]bool{}
	for _, cv := range sink.got {
		lines[cv.Line] = true
	}
	if !lines[2] || lines[3] || lines[4] || !lines[5] || sum.Excluded[ReasonIdentifierWithdrawn] != 1 {
		t.Errorf("sent lines %v, excluded %v; want lines 2 and 5, one consent_withdrawn_identifier", lines, sum.Excluded)
	}
}

// TestSameNightIdentifiersNeedAWithdrawal: a run with no withdrawal holds
// the digests and withdraws nothing; one without a patient-key column
// holds none (a revoking cell then withdraws its order alone).
func TestSameNightIdentifiersNeedAWithdrawal(t *testing.T) {
	rows := slices.Clone(sameNightRows)
	rows[2] = strings.Replace(rows[2], "revoked", "yes", 1)
	sent, sum := sameNight(t, rows, 2, nil)
	if len(sent) != len(rows) || len(sum.Excluded) != 0 {
		t.Errorf("no withdrawal: sent %v, excluded %v", sent, sum.Excluded)
	}
}

// TestSameNightIdentifiersKeepTheHeapFlat: the identifiers of 100,000
// withdrawing rows (two each) are held in a keyset, past 16,384 in a
// temporary file read through a Bloom filter: the heap they keep does not
// grow with them (bytes per identifier logged).
func TestSameNightIdentifiersKeepTheHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("200,000 identifiers")
	}
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	const rows = 100_000
	before := liveHeap()
	w := newWithdrawals(Options{Config: cfg}, nil)
	defer w.close()
	o := &outcome{hasPatient: true, revokes: true, selfRevokes: true} // its own revoking cell (withdrawsTonight)
	for i := range uint64(rows) {
		o.patient = i * 0x9E3779B97F4A7C15
		o.heldIDs = append(o.heldIDs[:0], 2*i*0xBF58476D1CE4E5B9, (2*i+1)*0xBF58476D1CE4E5B9)
		if err := w.note(o, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.freeze(); err != nil {
		t.Fatal(err)
	}
	kept := int64(liveHeap()) - int64(before)
	runtime.KeepAlive(w)
	t.Logf("%d withdrawn identifiers (and %d patients) keep %d bytes of heap, %.1f an identifier", 2*rows, rows, kept, float64(kept)/(2*rows))
	if per := float64(kept) / (2 * rows); per > 8 {
		t.Errorf("the withdrawn identifiers keep %d bytes of heap, %.1f an identifier: they grow with the export", kept, per)
	}
	id := uint64(2*777 + 1)
	held := &outcome{hasPatient: true, patient: 1, stage: stageShaped, open: 1, heldIDs: []uint64{id * 0xBF58476D1CE4E5B9}}
	if err := w.apply(held, make([]string, 2)); err != nil || held.reason != ReasonIdentifierWithdrawn {
		t.Errorf("a row carrying a withdrawn identifier: %q, %v", held.reason, err)
	}
}

// BenchmarkWithdrawals is a dry-run of an export of patients (six rows
// each, their email and phone on every visit), with none withdrawing and
// with one row in twenty revoking its patient: ns/op and B/op per row,
// and the peak heap of the run (peak-heap-B, sampled each millisecond).
func BenchmarkWithdrawals(b *testing.B) {
	const rows = 20_000
	for _, share := range []int{0, 20} {
		b.Run(fmt.Sprintf("revoking-1-in-%d", share), func(b *testing.B) {
			var in strings.Builder
			in.WriteString(header)
			for i := range rows {
				consent := "yes"
				if share > 0 && i%share == share-1 {
					consent = "revoked"
				}
				p := i / 6
				fmt.Fprintf(&in, "W%d,2026-10-%02d 09:00,completed,p%d@example.com,,0912-%06d,P%d,,,,%s,\n", i, 1+i%28, p, p, p, consent)
			}
			cfg := baseConfig()
			cfg.Input.Columns.PatientKey = "first"
			if err := cfg.Validate(); err != nil {
				b.Fatal(err)
			}
			data := in.String()
			var peak atomic.Uint64
			stop := make(chan struct{})
			go func() {
				var ms runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Millisecond):
						runtime.ReadMemStats(&ms)
						if ms.HeapAlloc > peak.Load() {
							peak.Store(ms.HeapAlloc)
						}
					}
				}
			}()
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; done += rows {
				if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(data), InputName: "bench",
					Sink: &discard{}, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, report.New("bench")); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			close(stop)
			b.ReportMetric(float64(peak.Load()), "peak-heap-B")
		})
	}
}

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) Write(*conversion.Conversion) error { return nil }
func (discard) Close() error                       { return nil }
