package pipeline

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/report"
)

// TestAnAnnotatedWithdrawalWithholdsTheEarlierVisits is metamorphic: a
// patient's consented visit and, on a later row, her withdrawal written
// as staff annotate a cell ("yes (revoked)", "同意(已撤回)", "opted-out",
// "unsubscribed", …) are sent and counted exactly as with the plain word
// "revoked" — the earlier visit withheld as consent_revoked_patient, the
// withdrawing row consent_revoked — in either row order, on one worker and
// on three, while another patient's visit is sent. Before, every such
// spelling was consent_not_granted: it excluded its own row, and her
// earlier visit was sent (a review, session 29).
func TestAnAnnotatedWithdrawalWithholdsTheEarlierVisits(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "last"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rows := func(withdrawal string) []string {
		return []string{
			"A1,2026-11-02 09:00,completed,zqa1@example.com,,,,P1,,,yes,\n",                    // her earlier, consented visit
			"A2,2026-11-02 10:00,completed,zqa2@example.com,,,,P2,,,yes,\n",                    // another patient's: sent
			"A3,2026-11-20 09:00,completed,zqa1@example.com,,,,P1,,,\"" + withdrawal + "\",\n", // her later row
		}
	}
	type result struct {
		sent     map[int]int
		excluded map[string]int
	}
	runOnce := func(body string, workers int) result {
		sink, sum := &capture{}, report.New("t")
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t", Sink: sink,
			Workers: workers}, sum); err != nil {
			t.Fatal(err)
		}
		r := result{sent: map[int]int{}, excluded: sum.Excluded}
		for _, cv := range sink.got {
			r.sent[cv.Line]++
		}
		return r
	}
	want := runOnce(strings.Join(rows("revoked"), ""), 1)
	if want.sent[3] == 0 || len(want.sent) != 1 || want.excluded[ReasonPatientRevoked] != 1 || want.excluded["consent_revoked"] != 1 {
		t.Fatalf("plain revoked: sent %v, excluded %v; want line 3 (A2) alone, A1 consent_revoked_patient", want.sent, want.excluded)
	}
	for _, w := range []string{"yes (revoked)", "yes - revoked", "Y (撤回)", "同意(已撤回)", "同意撤回", "不再同意", "withdrew consent", "Withdrew",
		"unsubscribed", "opted-out", "Opted Out", "opt-out", "退訂", "退订", "撤銷同意", "取消同意"} {
		r := rows(w)
		for _, order := range [][]string{r, {r[2], r[1], r[0]}} {
			for _, workers := range []int{1, 3} {
				got := runOnce(strings.Join(order, ""), workers)
				// Reordered, A2 is on line 3 still; A1 moves to line 4.
				if len(got.sent) != 1 || got.sent[3] != want.sent[3] || !maps.Equal(got.excluded, want.excluded) {
					t.Errorf("%q (first row %.2s, workers %d): sent %v, excluded %v; want as plain revoked: sent %v, excluded %v",
						w, order[0], workers, got.sent, got.excluded, want.sent, want.excluded)
				}
			}
		}
	}
}
