package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/report"
)

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
