package pipeline

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/report"
)

// TestAListedOrderWithdrawsItsPatient: consent belongs to a person. A
// listed order id (or event id) withdrew only its own visit, while a
// revoking consent cell on the same row withdraws every visit of the
// patient: CHART-1's other visit, before the listed row in the export,
// and CHART-3's, listed by event id, were sent (review). Now the patient
// goes, counted under consent_revoked_list, and an upload remembers the
// patient as for a revoking cell; a listed row without a patient key
// withdraws itself alone. Whatever the number of workers, the same rows.
func TestAListedOrderWithdrawsItsPatient(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "last"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	body := "A2,2026-11-02 09:00,completed,b@example.com,,,,CHART-1,,,yes,\n" + // line 2: CHART-1's other visit
		"A1,2026-11-03 09:00,completed,a@example.com,,,,CHART-1,,,yes,\n" + // listed by order id
		"A3,2026-11-03 09:00,completed,c@example.com,,,,CHART-2,,,yes,\n" + // line 4: sent
		"A6,2026-11-03 10:00,completed,f@example.com,,,,CHART-3,,,yes,\n" + // CHART-3's other visit
		"A5,2026-11-04 09:00,completed,e@example.com,,,,CHART-3,,,yes,\n" + // listed by event id
		"A7,2026-11-04 09:00,completed,g@example.com,,,,,,,yes,\n" + // listed, no patient key
		"A8,2026-11-04 10:00,completed,h@example.com,,,,,,,yes,\n" // line 8: sent
	a5, _ := eventid.NewDeriver("k").Derive("A5")
	d := eventid.NewDeriver("k")
	for _, workers := range []int{1, 3} {
		rev := &PatientRevocations{}
		sink, sum := &capture{}, report.New("t")
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t", Sink: sink,
			Revocations: consent.NewRevocations("A1", string(a5), "A7"), Revoked: rev, Workers: workers}, sum); err != nil {
			t.Fatal(err)
		}
		var lines []int // each platform's conversion of a row: its line once
		for _, cv := range sink.got {
			if !slices.Contains(lines, cv.Line) {
				lines = append(lines, cv.Line)
			}
		}
		if sum.Excluded[consent.ReasonListed] != 5 || sum.RowsUsed != 2 || !reflect.DeepEqual(lines, []int{4, 8}) {
			t.Errorf("workers %d: excluded %v, used %d, lines sent %v; want the listed patients' five rows withdrawn, lines 4 and 8 sent",
				workers, sum.Excluded, sum.RowsUsed, lines)
		}
		got := remembers(t, rev)
		from1, ok1 := got[RememberedDigest(d, "CHART-1")]
		from3, ok3 := got[RememberedDigest(d, "CHART-3")]
		if len(got) != 2 || !ok1 || !ok3 || from1 != 0 || from3 != 0 {
			t.Errorf("workers %d: remembered %v; want CHART-1 and CHART-3, every appointment", workers, got)
		}
	}
}

// TestRevocationsMatchAsWritten: the export's cells are folded as the
// file's ids are (consent.Key): a chart number the export pads with
// zeros, an order id in another case or in full-width forms, a cell with
// an invisible character at its edge, all match.
func TestRevocationsMatchAsWritten(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "last"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	body := "a1,2026-11-02 09:00,completed,a@example.com,,,,P1,,,yes,\n" +
		"Ａ２,2026-11-02 09:00,completed,b@example.com,,,,P2,,,yes,\n" +
		"A3,2026-11-02 09:00,completed,c@example.com,,,,00123,,,yes,\n" +
		"A4,2026-11-02 09:00,completed,d@example.com,,,,\u200b456,,,yes,\n" +
		"A5,2026-11-02 09:00,completed,e@example.com,,,,P5,,,yes,\n"
	rev := consent.NewRevocations("A1", "a2", "123", "000456")
	sink, sum := &capture{}, report.New("t")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t", Sink: sink, Revocations: rev}, sum); err != nil {
		t.Fatal(err)
	}
	if sum.Excluded[consent.ReasonListed] != 4 || sum.RowsUsed != 1 || rev.Matched() != 4 {
		t.Fatalf("excluded %v, used %d, ids matched %d of %d", sum.Excluded, sum.RowsUsed, rev.Matched(), rev.Len())
	}
	if sink.got[0].Line != 6 {
		t.Errorf("sent line %d, want 6", sink.got[0].Line)
	}
}
