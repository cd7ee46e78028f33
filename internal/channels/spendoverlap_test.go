package channels

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spend"
)

// TestOverlappingSpendDownloads: a Google download split in two that do
// not overlap gives the report of the whole, to the byte; the same
// download given twice, or two that overlap (July to mid-November beside
// November), stop naming both lines instead of counting the overlap twice
// (a reviewer's pair doubled November's first half, silently); so do two
// downloads naming the same campaigns with other figures (one account's,
// revised between downloads); two accounts' downloads over the same days,
// naming other campaigns, are summed.
func TestOverlappingSpendDownloads(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/channels/google-ads.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\r\n"), "\n")
	head, rows := lines[2], lines[3:]
	part := func(rangeLine string, keep func(day string) bool, scale float64, account ...string) string {
		var b strings.Builder
		b.WriteString("Campaign report\n" + rangeLine + "\n" + head + "\n")
		w := csv.NewWriter(&b)
		for _, r := range rows {
			if !keep(r[:10]) {
				continue
			}
			rec, err := csv.NewReader(strings.NewReader(r)).Read()
			if err != nil {
				t.Fatal(err)
			}
			v, _ := strconv.ParseFloat(strings.ReplaceAll(rec[3], ",", ""), 64)
			rec[3] = fmt.Sprintf("%.2f", v*scale) // revised, or another account's spend, when scale is not 1
			if len(account) > 0 {
				rec[1] = account[0] + " " + rec[1] // another account's campaigns
			}
			w.Write(rec)
		}
		w.Flush()
		return b.String()
	}
	upTo := func(d string) func(string) bool { return func(x string) bool { return x <= d } }
	from := func(d string) func(string) bool { return func(x string) bool { return x >= d } }
	build := func(files ...string) (*Report, error) {
		var in []SpendInput
		for i, f := range files {
			in = append(in, SpendInput{Platform: platform.Google, Name: fmt.Sprintf("g%d.csv", i+1), R: strings.NewReader(f)})
		}
		header, rs := fixtureExport(t)
		rep, _, err := Build(context.Background(), Options{
			Config: fixtureConfig(), Input: strings.NewReader(header + "\r\n" + strings.Join(rs, "\r\n") + "\r\n"), InputName: "export.csv",
			From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Exact: true, Spend: in,
		})
		return rep, err
	}
	whole, err := build(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	spendOf := func(r *Report) string { return fmt.Sprint(r.Table.Channels[0].Values[Spend]) }

	split, err := build(part("July 30, 2026 - October 31, 2026", upTo("2026-10-31"), 1), part("November 1, 2026 - December 2, 2026", from("2026-11-01"), 1))
	if err != nil || spendOf(split) != spendOf(whole) || len(split.Warnings) != len(whole.Warnings) {
		t.Fatalf("split without overlap: %v; spend %s, want %s; warnings %q", err, spendOf(split), spendOf(whole), split.Warnings)
	}
	for name, files := range map[string][]string{
		"the same download twice": {string(raw), string(raw)},
		"July to mid-November beside November": {
			part("July 30, 2026 - November 15, 2026", upTo("2026-11-15"), 1), part("November 1, 2026 - December 2, 2026", from("2026-11-01"), 1)},
	} {
		_, err := build(files...)
		var se *spend.Error
		if !errors.As(err, &se) || se.File != "g2.csv" || se.Line == 0 || !strings.Contains(err.Error(), "g1.csv's on line") || !strings.Contains(err.Error(), "overlap") {
			t.Errorf("%s: %v; want a stop naming g2.csv's line and g1.csv's", name, err)
		}
	}
	_, err = build(string(raw), part("November 1, 2026 - December 2, 2026", from("2026-11-01"), 0.5))
	if !strings.Contains(fmt.Sprint(err), "name the same google campaigns") || !strings.Contains(fmt.Sprint(err), "g2.csv") {
		t.Errorf("the same campaigns with other figures: %v; want a stop", err)
	}
	two, err := build(string(raw), part("November 1, 2026 - December 2, 2026", from("2026-11-01"), 0.5, "North"))
	if err != nil {
		t.Fatalf("two accounts: %v", err)
	}
	if spendOf(two) == spendOf(whole) || strings.Contains(strings.Join(two.Warnings, "\n"), "g1.csv and g2.csv") {
		t.Errorf("two accounts: spend %s (one account's %s), warnings %q", spendOf(two), spendOf(whole), two.Warnings)
	}
}
