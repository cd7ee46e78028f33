package channels

import (
	"context"
	"encoding/csv"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/money"
)

// feeRewrite is the fixture export with each fee cell that reads rewritten
// by fee (its index among them, and the cell), and where the first
// rewritten cell is (line, column) — as decimalcomma_test counts it.
func feeRewrite(t *testing.T, fee func(i int, cell string) string) (body string, line, col int) {
	t.Helper()
	header, rows := fixtureExport(t)
	cols, err := csv.NewReader(strings.NewReader(header)).Read()
	if err != nil {
		t.Fatal(err)
	}
	at := -1
	for i, c := range cols {
		if c == "Fee" {
			at = i
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(cols)
	n := 0
	for i, l := range rows {
		rec, err := csv.NewReader(strings.NewReader(l)).Read()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := money.Parse(rec[at]); err == nil && rec[at] != "" {
			if was := rec[at]; fee(n, was) != was && line == 0 {
				var pre strings.Builder
				pw := csv.NewWriter(&pre)
				_ = pw.Write(rec[:at])
				pw.Flush()
				line, col = i+2, len(strings.TrimRight(pre.String(), "\n"))+2
			}
			rec[at] = fee(n, rec[at])
			n++
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.String(), line, col
}

// TestUnreadableFeesStopTheChannelReport: the channel report summed the
// fees that read and said on stderr how many visits had none — a revenue,
// ROAS and 14d value silently missing most visits when the fee column was
// re-saved as "(1,500)" or "1.50E+03", where the upload stops past
// input.max_unreadable_value_share. A figure is a promise: the report
// stops by the upload's rule (pipeline.ValueFit), naming the first cell
// by file:line:column and never its value, and under the release rule
// never how many cells; a few cells under the share, words for no fee
// (健保) and a share of 1 print the report as before.
func TestUnreadableFeesStopTheChannelReport(t *testing.T) {
	build := func(body string, exact bool, setup func(*config.Config)) error {
		cfg := fixtureConfig()
		cfg.Channels.MinCell = 5
		if setup != nil {
			setup(cfg)
		}
		_, _, err := Build(context.Background(), Options{Config: cfg, Input: strings.NewReader(body), InputName: "export.csv",
			From: day("2026-08-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Period: "week", Key: testKey, Exact: exact})
		return err
	}
	for _, bad := range []string{"(1,500)", "1.50E+03", "12 00"} {
		body, line, col := feeRewrite(t, func(int, string) string { return bad })
		for _, exact := range []bool{false, true} {
			err := build(body, exact, nil)
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != "input.columns.value" {
				t.Errorf("%q, exact %v: got %v, want a config.Error naming input.columns.value", bad, exact, err)
				continue
			}
			msg := ce.Error()
			at := "export.csv:" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": "
			for _, want := range []string{at, "input.max_unreadable_value_share", "no report was printed", "revenue"} {
				if !strings.Contains(msg, want) {
					t.Errorf("%q, exact %v: the stop does not say %q: %s", bad, exact, want, msg)
				}
			}
			if strings.Contains(msg, bad) {
				t.Errorf("%q: the stop holds the cell: %s", bad, msg)
			}
			// Upload's destinations are no part of a channel report.
			if strings.Contains(msg, "Meta would") || strings.Contains(msg, "restate") {
				t.Errorf("%q: the stop speaks of sending: %s", bad, msg)
			}
			counts := regexp.MustCompile(`\d+ of the \d+ fee cells`)
			if counts.MatchString(msg) != exact {
				t.Errorf("%q, exact %v: counts of the export's cells in the stop: %v: %s", bad, exact, counts.MatchString(msg), msg)
			}
		}
	}
	for _, c := range []struct {
		name  string
		fee   func(int, string) string
		setup func(*config.Config)
	}{
		{"a few under the share", func(i int, s string) string {
			if i%10 == 0 {
				return "(1,500)"
			}
			return s
		}, nil},
		{"words for no fee", func(int, string) string { return "健保" }, nil},
		{"share 1", func(int, string) string { return "(1,500)" }, func(c *config.Config) { c.Input.MaxUnreadableValueShare = 1 }},
		{"a fixed value reads no fee", func(int, string) string { return "(1,500)" }, func(c *config.Config) {
			c.Conversion.Value, c.Conversion.FixedValue = config.ValueFixed, 1000
		}},
	} {
		body, _, _ := feeRewrite(t, c.fee)
		if err := build(body, false, c.setup); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
