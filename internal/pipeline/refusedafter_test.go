package pipeline

import (
	"maps"
	"testing"
)

// TestADatedRevocationRefusesItsOrder: under consent.revoked_allows_earlier
// a dated revocation on a row of an order whose appointment is on or after
// its day refuses the order, as an undated one does — the order's other
// rows are the same appointment — with no patient key mapped too (before,
// only the patient's rows were withdrawn: without input.columns.patient_key
// the consenting row of the order was sent, and the revocation noted
// consent_refused_after_sent). A revocation dated after the appointment
// withdraws nothing of it. In either row order, on one worker or three.
func TestADatedRevocationRefusesItsOrder(t *testing.T) {
	consenting := "X1,2026-11-02 09:00,completed,x@example.com,,yes,,,,1980-01-01"
	for _, tc := range []struct {
		name, other string
		sends       bool
		excluded    map[string]int
	}{
		{"a revocation dated the day before", "X1,2026-11-02 09:00,completed,x@example.com,,撤回(2026-11-01),,,,1980-01-01",
			false, map[string]int{"consent_revoked": 1, ReasonOrderRefused: 1}},
		{"a revocation dated the same day", "X1,2026-11-02 09:00,completed,x@example.com,,revoked 2026-11-02,,,,1980-01-01",
			false, map[string]int{"consent_revoked": 1, ReasonOrderRefused: 1}},
		{"a revocation dated after the visit", "X1,2026-11-02 09:00,completed,x@example.com,,revoked 2026-11-05,,,,1980-01-01",
			true, map[string]int{ReasonDuplicate: 1}},
		{"a plain refusal", "X1,2026-11-02 09:00,completed,x@example.com,,no,,,,1980-01-01",
			false, map[string]int{"consent_denied": 1, ReasonOrderRefused: 1}},
		{"a revocation dated the day before, on an order of one row", "X2,2026-11-02 09:00,completed,y@example.com,,撤回(2026-11-01),,,,1980-01-01",
			true, map[string]int{"consent_revoked": 1}},
	} {
		for _, rows := range [][]string{{consenting, tc.other}, {tc.other, consenting}} {
			for _, workers := range []int{1, 3} {
				sink, sum := runBookings(t, rowCountConfig(), rowCountHeader, rows[0]+"\n"+rows[1]+"\n", workers)
				visits := 0
				for _, cv := range sink.got {
					if !cv.Booking {
						visits++
					}
				}
				// Each destination leaves a row out for the reason it is
				// excluded for: the revoking row's own, not its order's
				// refusal (a review found Meta, sharing Google's consent
				// column, counting it consent_refused_order).
				wantLeft := tc.excluded
				for _, p := range []string{"google", "meta"} {
					got := maps.Clone(sum.LeftOut[p])
					delete(got, ReasonNoClickID) // Google: the consenting row's
					if !sameCounts(got, wantLeft) {
						t.Errorf("%s, %d workers, consenting row first %v: left out of %s %v, want %v", tc.name, workers, rows[0] == consenting, p, sum.LeftOut[p], wantLeft)
					}
				}
				if (visits > 0) != tc.sends || !sameCounts(sum.Excluded, tc.excluded) || sum.Notes[NoteRefusedAfterSent] != 0 {
					t.Errorf("%s, %d workers, consenting row first %v: %d visits sent, excluded %v, consent_refused_after_sent %d; want sent %v, excluded %v, none noted",
						tc.name, workers, rows[0] == consenting, visits, sum.Excluded, sum.Notes[NoteRefusedAfterSent], tc.sends, tc.excluded)
				}
			}
		}
	}
}

// TestARefusalBesideItsSentOrderIsNotedOnce: a refusal that cannot
// withdraw its order — in Google's consent column, while another row of
// the order sends to Meta — is noted consent_refused_after_sent exactly
// once, whichever row comes first (TestReorderedRowsCountTheSame holds row
// orders' counts equal to each other; this holds the count itself).
func TestARefusalBesideItsSentOrderIsNotedOnce(t *testing.T) {
	cfg := rowCountConfig()
	cfg.Input.Columns.Consent = ""
	cfg.Input.Columns.ConsentGoogle, cfg.Input.Columns.ConsentMeta = "consent", "consent_at"
	cfg.Input.Columns.ConsentAt = ""
	// consent (Google's) and consent_at (Meta's) as the header names them.
	sendsMeta := "Z1,2026-11-02 09:00,completed,z@example.com,,,yes,,,1980-01-01"
	refusesGoogle := "Z1,2026-11-02 09:00,completed,z@example.com,,no,,,,1980-01-01"
	for _, rows := range [][]string{{sendsMeta, refusesGoogle}, {refusesGoogle, sendsMeta}} {
		for _, workers := range []int{1, 3} {
			sink, sum := runBookings(t, cfg, rowCountHeader, rows[0]+"\n"+rows[1]+"\n", workers)
			if got := sum.Notes[NoteRefusedAfterSent]; got != 1 || len(sink.got) == 0 {
				t.Errorf("%d workers, the Meta row first %v: consent_refused_after_sent %d, %d conversions sent (excluded %v); want 1 noted, Meta's sent",
					workers, rows[0] == sendsMeta, got, len(sink.got), sum.Excluded)
			}
		}
	}
}

// sameCounts compares counts by reason, a missing reason as zero.
func sameCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}
