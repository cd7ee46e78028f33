package channels

import (
	"context"
	"strings"
	"testing"
)

// TestUnknownSourcesAreSaid: a review's mainland export put 366 of 600
// rows under Unattributed with unmatched_sources empty and stderr silent,
// even with --exact: its source cells held words of no channel and of no
// vocabulary, which the report never names (a cell may hold a referrer's
// name). Stderr now says that such bookings exist — with their count on an
// exact report, as a kind only on a released one — and never the word.
func TestUnknownSourcesAreSaid(t *testing.T) {
	const export = `id,at,status,source,gclid,fbclid,fee,chart,consent
B1,2026-11-03 10:00,completed,王小明推荐,,,100,P1,yes
B2,2026-11-04 10:00,completed,王小明推荐,,,100,P2,yes
B3,2026-11-05 10:00,completed,某某推广,,,100,P3,yes
B4,2026-11-06 10:00,completed,walk-in,,,100,P4,yes
B5,2026-11-07 10:00,completed,,,,100,P5,yes
B6,2026-11-08 10:00,completed,google,,,100,P6,yes
B7,2026-12-08 10:00,completed,某某推广,,,100,P7,yes
`
	said := func(ws []string) string {
		for _, w := range ws {
			if strings.Contains(w, "hashgate does not know") {
				return w
			}
		}
		return ""
	}
	rep := build(t, testConfig(), export)
	w := said(rep.Warnings)
	if !strings.HasPrefix(w, "3 booking(s) are under Unattributed") {
		t.Errorf("exact: warning %q, want 3 bookings (B1–B3; not walk-in, a named word, nor the blank, nor December's)", w)
	}
	for _, word := range []string{"王小明", "某某"} {
		if strings.Contains(strings.Join(rep.Warnings, "\n"), word) {
			t.Errorf("a source cell %q is printed: %q", word, rep.Warnings)
		}
	}
	cfg := testConfig()
	cfg.Channels.MinCell = 5
	rel, _, err := Build(context.Background(), Options{Config: cfg, Input: strings.NewReader(export), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"), Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if w := said(rel.Warnings); !strings.HasPrefix(w, "some bookings are under Unattributed") || strings.ContainsAny(w, "0123456789") {
		t.Errorf("released: warning %q, want the kind without a count", w)
	}
	if w := said(build(t, testConfig(), smallExport).Warnings); w != "" {
		t.Errorf("no unknown source word, yet %q", w)
	}
}
