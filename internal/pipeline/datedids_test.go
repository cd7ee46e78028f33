package pipeline

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/report"
)

// datedRows (a review's repro, revoked_allows_earlier): P7 revokes
// outright on M1, carrying mum@; P8 revokes from 10-20 (P8r, carrying her
// own p8@). P8a, her 10-10 visit carrying mum@, and P9's visit carrying
// it are withdrawn by the identifier; P8b, her earlier visit carrying her
// own alone, is sent, and P8c, after her day, is not. P10 revokes from
// 10-25 (Q1, carrying q@ and a phone); her 10-02 visit carrying them is
// sent, and P8d, P8's visit carrying P10's phone, is withdrawn: another
// patient's dated withdrawal. P8 (P8r) and P11 (S1, from 10-26) both
// carried one phone in their dated withdrawals: every row carrying it is
// withdrawn, theirs too (P8e, S1, S2 counted so; P8r, revoked on her day,
// under her own consent_revoked: its value did not pass, datedorder.go),
// whichever patient's digest is the lesser.
var datedRows = []string{
	"M1,2026-10-05 09:00,completed,mum@example.com,,,P7,,,,revoked,\n",
	"P8a,2026-10-10 09:00,completed,mum@example.com,,,P8,,,,yes,\n",
	"P8b,2026-10-12 09:00,completed,p8@example.com,,,P8,,,,yes,\n",
	"P8d,2026-10-13 09:00,completed,p8@example.com,,0912-555-777,P8,,,,yes,\n",
	"P8r,2026-10-20 09:00,completed,p8@example.com,,0912-555-888,P8,,,,revoked 2026-10-20,\n",
	"P8e,2026-10-14 09:00,completed,p8@example.com,,0912-555-888,P8,,,,yes,\n",
	"P8c,2026-10-22 09:00,completed,p8@example.com,,,P8,,,,yes,\n",
	"P9,2026-10-11 09:00,completed,mum@example.com,,,P9,,,,yes,\n",
	"Q1,2026-10-01 09:00,completed,q@example.com,,0912-555-777,P10,,,,revoked 2026-10-25,\n",
	"Q2,2026-10-02 09:00,completed,q@example.com,,0912-555-777,P10,,,,yes,\n",
	"S1,2026-10-03 09:00,completed,s@example.com,,0912-555-888,P11,,,,revoked 2026-10-26,\n",
	"S2,2026-10-04 09:00,completed,s@example.com,,0912-555-888,P11,,,,yes,\n",
}

// datedNight runs rows as sameNight does, under revoked_allows_earlier.
func datedNight(t *testing.T, rows []string, workers int, revoked *PatientRevocations) (map[string]bool, *report.Summary) {
	t.Helper()
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "first"
	cfg.Consent.RevokedAllowsEarlier = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	sum := report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + strings.Join(rows, "")), InputName: "t.csv",
		Sink: sink, Workers: workers, Revoked: revoked, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, sum); err != nil {
		t.Fatal(err)
	}
	sent := map[string]bool{}
	for _, cv := range sink.got {
		id, _, _ := strings.Cut(rows[cv.Line-2], ",")
		sent[id] = true
	}
	return sent, sum
}

// TestADatedRevocationCarriesNoOneElsesWithdrawnIdentifier: a patient's
// dated revocation exempts her rows from the identifiers her own dated
// withdrawal carried alone, not from one another patient withdrew
// (outright or dated): before, any row of a patient with a dated
// revocation was exempt, and P8's 10-10 visit went out carrying the email
// P7 had withdrawn. Every rotation and reversal of the rows, one worker or
// several, with the ledger's memory or without.
func TestADatedRevocationCarriesNoOneElsesWithdrawnIdentifier(t *testing.T) {
	want := map[string]bool{"P8b": true, "Q1": true, "Q2": true}
	wantEx := map[string]int{consent.ReasonRevoked: 2, ReasonPatientRevoked: 1, ReasonIdentifierWithdrawn: 6}
	for k := range datedRows {
		rot := append(slices.Clone(datedRows[k:]), datedRows[:k]...)
		back := slices.Clone(rot)
		slices.Reverse(back)
		for _, rows := range [][]string{rot, back} {
			for _, workers := range []int{1, 3} {
				for _, revoked := range []*PatientRevocations{nil, {}} {
					sent, sum := datedNight(t, rows, workers, revoked)
					if !maps.Equal(sent, want) || !maps.Equal(sum.Excluded, wantEx) {
						t.Fatalf("rotation %d (first %.3s), workers %d, ledger %v: sent %v excluded %v; want %v and %v", k, rows[0], workers, revoked != nil, sent, sum.Excluded, want, wantEx)
					}
				}
			}
		}
	}
}
