package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/report"
)

// TestABlankOrUnknownConsentIsNoWithdrawal: a blank consent cell or one
// the clinic's vocabulary does not know (and the consent time's reasons)
// withdraws nothing a platform was sent — the rows sent before said yes —
// so such rows are not among LeftOut's withdrawals: counting them derived
// the event ids of every unconsented row and kept ~40 bytes of each.
func TestABlankOrUnknownConsentIsNoWithdrawal(t *testing.T) {
	for _, r := range []string{consent.ReasonMissing, consent.ReasonNotGranted, consent.ReasonTimeMissing,
		consent.ReasonTimeInvalid, consent.ReasonAfterEvent, ReasonDuplicate, ""} {
		if withdrawing(r) {
			t.Errorf("%q counts as a withdrawal", r)
		}
	}
	for _, r := range []string{consent.ReasonRevoked, consent.ReasonListed, consent.ReasonDenied,
		consent.ReasonScoped, ReasonOrderRefused, ReasonPatientRevoked} {
		if !withdrawing(r) {
			t.Errorf("%q does not count as a withdrawal", r)
		}
	}
}

// runLeftOut runs the pipeline over body with a LeftOut, for the caller
// to Close.
func runLeftOut(t *testing.T, body string) *LeftOut {
	t.Helper()
	cfg := baseConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	left := &LeftOut{}
	err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv",
		Sink: &capture{}, LeftOut: left}, report.New("t.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return left
}

// TestLeftOutHoldsTheRefusingRowsOnly: of four rows not sent, the blank and the
// unknown consent are left out of the withdrawals; the "no" and the
// revoked row are noted once per platform, with their reasons.
func TestLeftOutHoldsTheRefusingRowsOnly(t *testing.T) {
	left := runLeftOut(t, "A0,2026-11-02 09:00,completed,z@example.com,,,,,,,yes,\n"+
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,,,,\n"+
		"A2,2026-11-02 09:00,completed,b@example.com,,,,,,,maybe,\n"+
		"A3,2026-11-02 09:00,completed,c@example.com,,,,,,,no,\n"+
		"A4,2026-11-02 09:00,completed,d@example.com,,,,,,,revoked,\n")
	defer left.Close()
	got := map[string]int{}
	if err := left.Each(context.Background(), func(w Withdrawal) error {
		if w.ID == 0 {
			t.Errorf("a withdrawal without its event id: %+v", w)
		}
		got[w.Platform.String()+" "+w.Reason]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"google consent_denied": 1, "meta consent_denied": 1, "google consent_revoked": 1, "meta consent_revoked": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("withdrawals %v, want %v", got, want)
	}
}

// TestWithdrawnRowsKeepTheHeapFlat: an export whose every row says no
// must not grow the heap with its rows. The withdrawals were a slice of
// ~40 bytes a row and platform: 100k rows kept about 8 MB live (and up to
// twice that while it doubled), 90 MB at 1M rows against the upload's
// 80 MB budget. Now they go to a spool (1 MiB in memory, then a file) and
// a keyset.Set (off the heap from 256 KiB up).
func TestWithdrawnRowsKeepTheHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("100k rows")
	}
	const rows = 100_000
	var b strings.Builder
	for i := range rows {
		fmt.Fprintf(&b, "A%d,2026-11-02 09:00,completed,a%d@example.com,,,,,,,no,\n", i, i)
	}
	left := runLeftOut(t, b.String())
	if n := left.Withdrawals(); n != 2*rows {
		t.Fatalf("%d withdrawals, want %d", n, 2*rows)
	}
	// What the LeftOut keeps live on the heap: the heap with it, less the
	// heap once it is let go.
	var with, without runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&with)
	runtime.KeepAlive(left) // live until here: the heap "with" it
	left.Close()
	left = nil
	runtime.GC()
	runtime.ReadMemStats(&without)
	kept := int64(with.HeapAlloc) - int64(without.HeapAlloc)
	t.Logf("the withdrawals of %d rows keep %d bytes of heap", rows, kept)
	if perRow := float64(kept) / rows; perRow > 20 {
		t.Errorf("the withdrawals keep %d bytes of heap, %.1f a withdrawn row: they grow with the export", kept, perRow)
	}
}

// TestLeftOutIsFrozenOnceRun: once the export has been read, the
// withdrawn rows' ids are frozen (LeftOut.freeze): the ledger then asks
// them once an accepted event, and a set left unfrozen read one block of
// each of its runs on disk for a lookup its filter let through, which past
// its filter's most was nearly every one (keyset's
// TestFrozenLookupsReadOneRun). The sizes are shrunk so that 3,000
// withdrawn rows spill; a frozen set refuses a key added.
func TestLeftOutIsFrozenOnceRun(t *testing.T) {
	defer keyset.ShrinkDefaults(keyset.Sizes{BloomBits: 1 << 12, TableSlots: 1 << 8})()
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, "A%d,2026-11-02 09:00,completed,a%d@example.com,,,,,,,no,\n", i, i)
	}
	left := runLeftOut(t, b.String())
	defer left.Close()
	if onDisk, _ := left.ids.Stats(); onDisk == 0 {
		t.Fatal("the withdrawn rows' ids did not spill: the sizes were not shrunk")
	}
	if _, err := left.ids.Seen(1, true); err == nil {
		t.Error("after the run, the withdrawn rows' ids took a key: they were not frozen")
	}
	if n := left.Withdrawals(); n != 2*3000 {
		t.Errorf("%d withdrawals, want %d", n, 2*3000)
	}
}
