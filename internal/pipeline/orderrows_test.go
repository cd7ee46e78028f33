package pipeline

import (
	"slices"
	"strings"
	"testing"
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
