package pipeline

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
)

// TestOrderRowsThatDisagreeAreHeld: an order whose usable rows would send
// another time or another e-mail is held — all its rows, in either
// order, as order_rows_disagree — while rows that agree on what is sent
// (an e-mail differing in case only, a row excluded for its own reason)
// stay one conversion; the identifiers' order in a row is not a
// disagreement.
func TestOrderRowsThatDisagreeAreHeld(t *testing.T) {
	rows := []string{
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes,",
		"A1,2026-11-02 10:00,completed,a@example.com,,,,,,,yes,", // another time
		"B1,2026-11-02 09:00,completed,b@example.com,,,,,,,yes,",
		"B1,2026-11-02 09:00,completed,bb@example.com,,,,,,,yes,", // another e-mail
		"C1,2026-11-02 09:00,completed,c@example.com,,,,,,,yes,",
		"C1,2026-11-02 09:00,completed,C@Example.com,,,,,,,yes,", // the same, normalised
		"D1,2026-11-02 09:00,completed,d@example.com,d2@example.com,,,,,,yes,",
		"D1,2026-11-02 09:00,completed,d2@example.com,d@example.com,,,,,,yes,", // the same two e-mails
		"E1,2026-11-02 09:00,completed,e@example.com,,,,,,,yes,",
		"E1,2026-11-02 11:00,no-show,e@example.com,,,,,,,yes,", // not a visit: no disagreement
	}
	cfg := baseConfig()
	cfg.Input.Columns.Email = []string{"email", "email2"}
	for _, reversed := range []bool{false, true} {
		body := slices.Clone(rows)
		if reversed {
			slices.Reverse(body)
		}
		sink, sum := run(t, cfg, strings.Join(body, "\n")+"\n")
		if n := sum.Excluded[ReasonOrderRowsDisagree]; n != 4 {
			t.Errorf("reversed %v: %d rows %s, want A1's and B1's 4: %v", reversed, n, ReasonOrderRowsDisagree, sum.Excluded)
		}
		if n := sum.Excluded[ReasonDuplicate]; n != 2 {
			t.Errorf("reversed %v: %d duplicate_order, want C1's and D1's second rows", reversed, n)
		}
		ids := map[string]bool{}
		for _, c := range sink.got {
			ids[string(c.EventID)] = true
		}
		if len(ids) != 3 {
			t.Errorf("reversed %v: %d orders sent, want C1, D1, E1", reversed, len(ids))
		}
	}
}

// TestOrdersDifferingInTheFeeAloneAreCounted: under conversion.value:
// bucket, an order whose rows differ in the fee's bucket alone — one row
// per treatment line — is held and counted in orders_differing_in_fee_only,
// once however many rows it has; one whose rows also differ in time, or
// whose third row does, is a real conflict: held, not counted. In any row
// order.
func TestOrdersDifferingInTheFeeAloneAreCounted(t *testing.T) {
	rows := []string{ // the zip column holds the fee here
		"F1,2026-11-02 09:00,completed,f@example.com,,,,,100,,yes,",
		"F1,2026-11-02 09:00,completed,f@example.com,,,,,2000,,yes,", // another line's fee
		"F1,2026-11-02 09:00,completed,f@example.com,,,,,100,,yes,",
		"G1,2026-11-02 09:00,completed,g@example.com,,,,,100,,yes,",
		"G1,2026-11-02 10:00,completed,g@example.com,,,,,2000,,yes,", // another fee and time
		"H1,2026-11-02 09:00,completed,h@example.com,,,,,100,,yes,",
		"H1,2026-11-02 09:00,completed,h@example.com,,,,,2000,,yes,",
		"H1,2026-11-02 11:00,completed,h@example.com,,,,,2000,,yes,", // a third row at another time
		"K1,2026-11-02 09:00,completed,k@example.com,,,,,100,,yes,",
		"K1,2026-11-02 09:00,completed,k2@example.com,,,,,100,,yes,", // another e-mail
	}
	cfg := baseConfig()
	cfg.Input.Columns.PostalCode, cfg.Input.Columns.Value = "", "zip"
	cfg.Conversion.Value, cfg.Conversion.Currency, cfg.Conversion.ValueBuckets = config.ValueBucket, "TWD", []float64{0, 1000}
	for seed := range uint64(6) {
		body := slices.Clone(rows)
		if seed > 0 {
			rng := rand.New(rand.NewPCG(seed, 27))
			rng.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
		}
		_, sum := run(t, cfg, strings.Join(body, "\n")+"\n")
		if n := sum.Excluded[ReasonOrderRowsDisagree]; n != len(rows) {
			t.Errorf("seed %d: %d rows %s, want all %d: %v", seed, n, ReasonOrderRowsDisagree, len(rows), sum.Excluded)
		}
		if n := sum.OrdersDifferingInFeeOnly; n != 1 {
			t.Errorf("seed %d: %d orders differing in the fee alone, want F1", seed, n)
		}
	}
}

// TestAnOrderHeldPerDestinationCountsFeeOnlyOnce: held per destination,
// an order counts in orders_differing_in_fee_only, once, when its rows
// differ in the fee alone at every destination it is held for. A1's rows
// differ in the fee alone for Google and Meta; C1's second row, without
// an e-mail, reaches Google alone, held there in the fee alone while
// Meta takes the first row: both counted. B1's rows differ in the e-mail
// Meta is sent too — a real conflict there, so not counted though
// Google's differ in the fee alone; E1's third row differs in the fee for
// Google after its second differed in the e-mail for Meta alone: Google
// still compares it, and holds the order. With Google on click ids only,
// in any row order, on one worker or three.
func TestAnOrderHeldPerDestinationCountsFeeOnlyOnce(t *testing.T) {
	g := func(c string) string { return "," + unionGclid1[:len(unionGclid1)-1] + c }
	rows := []string{ // the zip column holds the fee here
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,100,,yes" + g("A"),
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,2000,,yes" + g("A"), // another line's fee
		"B1,2026-11-02 09:00,completed,b@example.com,,,,,100,,yes" + g("B"),
		"B1,2026-11-02 09:00,completed,b2@example.com,,,,,2000,,yes" + g("B"), // and another e-mail
		"C1,2026-11-02 09:00,completed,c@example.com,,,,,100,,yes" + g("C"),
		"C1,2026-11-02 09:00,completed,,,,,,2000,,yes" + g("C"), // Google alone, another fee
		"E1,2026-11-02 09:00,completed,e@example.com,,,,,100,,yes" + g("E"),
		"E1,2026-11-02 09:00,completed,e2@example.com,,,,,100,,yes" + g("E"), // Meta alone differs
		"E1,2026-11-02 09:00,completed,e@example.com,,,,,2000,,yes" + g("E"), // then the fee, for Google too
	}
	cfg := baseConfig()
	cfg.Destinations.Google.Identifiers = nil // its default: click ids only
	cfg.Input.Columns.PostalCode, cfg.Input.Columns.Value = "", "zip"
	cfg.Conversion.Value, cfg.Conversion.Currency, cfg.Conversion.ValueBuckets = config.ValueBucket, "TWD", []float64{0, 1000}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(6) {
		body := slices.Clone(rows)
		if seed > 0 {
			rng := rand.New(rand.NewPCG(seed, 27))
			rng.Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
		}
		for _, workers := range []int{1, 3} {
			sink, sum := &capture{}, report.New("t.csv")
			in := header + strings.Join(body, "\n") + "\n"
			if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(in), InputName: "t.csv", Sink: sink, Workers: workers}, sum); err != nil {
				t.Fatal(err)
			}
			if n := sum.OrdersDifferingInFeeOnly; n != 2 {
				t.Errorf("seed %d, %d workers: %d orders differing in the fee alone, want 2 (A1, C1)", seed, workers, n)
			}
			if gc, mc := sum.Conversions["google"], sum.Conversions["meta"]; gc != 0 || mc != 1 {
				t.Errorf("seed %d, %d workers: sent google %d, meta %d; want 0 (all held) and 1 (C1's first row)", seed, workers, gc, mc)
			}
			if sum.RowsRead != sum.RowsUsed+sum.ExcludedTotal() {
				t.Errorf("seed %d, %d workers: read %d != used %d + excluded %d", seed, workers, sum.RowsRead, sum.RowsUsed, sum.ExcludedTotal())
			}
		}
	}
}
