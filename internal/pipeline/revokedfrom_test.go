package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/report"
)

// TestDatedRevocationsKeepTheHeapFlat: the earliest day of each patient's
// dated revocation (withdrawals.from) is held in bounded memory
// (keyset.Mins), not a Go map: the map held 103 MB at 10M rows (24 bytes
// of heap a patient here, 4.8 MB for 200k patients), where the day set
// keeps a 1 MiB buffer until it spills, then an index of 8 bytes a 4 KiB
// block (33 KB here).
func TestDatedRevocationsKeepTheHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("200k patients")
	}
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	cfg.Consent.RevokedAllowsEarlier = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	const patients = 200_000
	day := func(i int) int64 { return time.Date(2026, 10, 1+i%20, 0, 0, 0, 0, time.UTC).Unix() }
	var before, with runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	w := newWithdrawals(Options{Config: cfg}, nil)
	defer w.close()
	for i := range patients {
		o := &outcome{patient: uint64(i) * 0x9E3779B97F4A7C15, hasPatient: true, revokesFrom: day(i) + 86400}
		if err := w.note(o, 0); err != nil {
			t.Fatal(err)
		}
		o.revokesFrom = day(i) // a second, earlier day: the earliest holds
		if err := w.note(o, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.freeze(); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&with)
	runtime.KeepAlive(w)
	kept := int64(with.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("the dated revocations of %d patients keep %d bytes of heap", patients, kept)
	if perPatient := float64(kept) / patients; perPatient > 8 {
		t.Errorf("the dated revocations keep %d bytes of heap, %.1f a patient: they grow with the export", kept, perPatient)
	}
	for _, i := range []int{0, 1, 12345, patients - 1} {
		o := &outcome{patient: uint64(i) * 0x9E3779B97F4A7C15, hasPatient: true, stage: stageShaped, open: 1, at: day(i)}
		if err := w.apply(o, make([]string, 2)); err != nil {
			t.Fatal(err)
		}
		if o.reason != ReasonPatientRevoked {
			t.Errorf("patient %d, on the earliest day: reason %q, want %s", i, o.reason, ReasonPatientRevoked)
		}
	}
}

// TestDatedRevocationsAcrossSpills: with the sizes shrunk so that the
// days spill every 16 notes and a patient's two revocations land in
// different runs, each patient's later visits are withdrawn from the
// earliest day, as in memory: a visit on the 26th, between the two days
// (20th and 27th), is withdrawn; one on the 18th is sent.
func TestDatedRevocationsAcrossSpills(t *testing.T) {
	defer keyset.ShrinkDefaults(keyset.Sizes{BloomBits: 1 << 12, TableSlots: 1 << 6})()
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	cfg.Consent.RevokedAllowsEarlier = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	const patients = 300
	var b strings.Builder
	row := func(id string, p int, at, consent string) {
		fmt.Fprintf(&b, "%s%d,%s 09:00,completed,%s%d@example.com,,,P%d,,,,%s,\n", id, p, at, strings.ToLower(id), p, p, consent)
	}
	for p := range patients {
		row("A", p, "2026-10-15", "yes")                // before both days: sent
		row("B", p, "2026-10-26", "revoked 2026-10-27") // its own day later: withdrawn by the earlier one
	}
	for p := range patients {
		row("C", p, "2026-10-28", "revoked 2026-10-20") // its own row: consent_revoked
		row("D", p, "2026-10-18", "yes")                // before the earliest day: sent
	}
	for _, workers := range []int{1, 4} {
		sink := &capture{}
		sum := report.New("t.csv")
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + b.String()), InputName: "t.csv",
			Sink: sink, Workers: workers, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, sum); err != nil {
			t.Fatal(err)
		}
		sent := map[string]int{}
		for _, cv := range sink.got { // lines 2, 3, … hold A0, B0, A1, B1, …, then C0, D0, …
			kind := []string{"A", "B", "C", "D"}[(cv.Line-2)%2+2*((cv.Line-2)/(2*patients))]
			sent[kind]++
		}
		if sent["A"] != 2*patients || sent["D"] != 2*patients || sent["B"]+sent["C"] != 0 {
			t.Errorf("workers %d: conversions by row kind %v, want A and D %d each (two platforms), no B or C", workers, sent, 2*patients)
		}
		if sum.Excluded[ReasonPatientRevoked] != patients {
			t.Errorf("workers %d: excluded %v, want %d consent_revoked_patient", workers, sum.Excluded, patients)
		}
	}
}
