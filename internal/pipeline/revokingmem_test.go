package pipeline

import (
	"context"
	"fmt"
	"maps"
	"runtime"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/report"
)

// TestRevokingPatientsStayFlat: an upload remembers every patient its
// export revokes (PatientRevocations.New); they were kept in a map until
// the ledger wrote them, 111 MB at 10M (memory review, session 21). Now
// 150,000 patients revoking leave under 2 MB of heap after the run,
// where the map held about 3.5 MB.
func TestRevokingPatientsStayFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("150,000 rows")
	}
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	const n = 150_000
	var b strings.Builder
	b.WriteString(header)
	for i := range n {
		fmt.Fprintf(&b, "Z%d,2026-11-03 09:00,completed,,,,P%d,,,,revoked,\n", i, i)
	}
	input := b.String()
	rev := &PatientRevocations{}
	sum := report.New("t.csv")
	before := liveHeap()
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(input), InputName: "t.csv",
		Sink: &capture{}, Workers: 2, Revoked: rev}, sum); err != nil {
		t.Fatal(err)
	}
	const bound = 2 << 20
	if grew := int64(liveHeap()) - int64(before); grew > bound {
		t.Errorf("%d patients revoking: %d KB of heap kept after the run; want at most %d KB", n, grew>>10, bound>>10)
	}
	if sum.Excluded[consent.ReasonRevoked] != n {
		t.Errorf("excluded %v; want %d consent_revoked", sum.Excluded, n)
	}
	runtime.KeepAlive(rev)
	runtime.KeepAlive(input)
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// remembers is what the ledger would remember of rev.New: each patient
// once, with 0 over any day, else the earliest (ledger.AddRevokedPatients
// merges so; TestRevokedRecordsMerge there).
func remembers(t *testing.T, rev *PatientRevocations) map[uint64]int64 {
	t.Helper()
	out := map[uint64]int64{}
	if err := rev.New.Each(func(d uint64, from int64) error {
		if was, ok := out[d]; !ok || was != 0 && (from == 0 || from < was) {
			out[d] = from
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRevokingKeepsWhatTheLedgerMerges: a patient recorded with 0 adds
// nothing more, but one recorded with a day first is recorded again
// with 0 — the ledger keeps 0 over any day — and so is a second day.
func TestRevokingKeepsWhatTheLedgerMerges(t *testing.T) {
	rev := &PatientRevocations{}
	defer rev.Close()
	for _, r := range [][2]int64{{1, 5 * 86400}, {1, 0}, {1, 3 * 86400}, {2, 0}, {2, 3 * 86400}, {3, 7 * 86400}, {3, 6 * 86400}} {
		if err := rev.New.add(uint64(r[0]), r[1], nil); err != nil {
			t.Fatal(err)
		}
	}
	var recs int
	rev.New.Each(func(uint64, int64) error { recs++; return nil })
	got := remembers(t, rev)
	if want := map[uint64]int64{1: 0, 2: 0, 3: 6 * 86400}; !maps.Equal(got, want) || recs != 5 {
		t.Errorf("remembered %v from %d records; want %v from 5", got, recs, want)
	}
}
