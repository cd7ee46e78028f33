package spend

import (
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// metaTotal is testdata/channels/meta-total.csv under header, with the
// summary row Ads Manager writes above the rows (its names blank) when
// summary is set.
func metaTotal(t *testing.T, header, summary string) string {
	t.Helper()
	in := fixtureWith(t, "meta-total.csv", "\uFEFFCampaign name,", "\uFEFF"+header)
	if summary == "" {
		return in
	}
	head, rest, _ := strings.Cut(in, "\n")
	return head + "\n" + summary + "\n" + rest
}

// zhColumns is a reviewer's mapping of a zh-TW Ads Manager export.
func zhColumns() Columns {
	return Preset(platform.Meta).Override("分析報告開始", "分析報告結束", "花費金額 (TWD)", "連結點擊次數", "成果", "", "成果指標")
}

const (
	zhHeader = "行銷活動名稱,花費金額 (TWD),連結點擊次數,成果,成果指標,分析報告開始,分析報告結束"
	// The summary row: names blank, each figure the sum of the rows'.
	summaryRow = ",78290.36,2628,74,,2026-11-01,2026-11-30"
)

// TestLocalizedSummaryRowIsSkipped: Meta's summary row was told only by
// English naming columns (Campaign name, …): a zh-TW export, mapped under
// spend.meta.columns, had none, its summary row was summed with the rows,
// and November's 78,290.36 read as 156,580.72, "0 total or summary rows
// skipped". The zh-TW and zh-CN naming headers are known now, a file in
// another language is judged by its figures, and spend.meta.columns.name
// names the column for any other.
func TestLocalizedSummaryRowIsSkipped(t *testing.T) {
	read := func(in string, cols Columns) (*File, error) {
		return Read(strings.NewReader(in), "meta.csv", Options{Platform: platform.Meta, Columns: cols, Currency: "TWD"})
	}
	for _, c := range []struct {
		name, header string
		cols         Columns
	}{
		{"English", "Campaign name,Amount spent (TWD),Link clicks,Results,Result indicator,Reporting starts,Reporting ends", Preset(platform.Meta)},
		{"zh-TW", zhHeader, zhColumns()},
		{"zh-CN", strings.Replace(zhHeader, "行銷活動名稱", "广告系列名称", 1), zhColumns()},
		// A language hashgate knows no naming header of: the summary row
		// is the sum of the rows below it, to the cent.
		{"by its figures", strings.Replace(zhHeader, "行銷活動名稱", "キャンペーン名", 1), zhColumns()},
		{"columns.name", strings.Replace(zhHeader, "行銷活動名稱", "キャンペーン名", 1), zhColumns().WithName("キャンペーン名")},
	} {
		f, err := read(metaTotal(t, c.header, summaryRow), c.cols)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		cost, clicks, conv := totals(f)
		if int(cost*100+0.5) != 7829036 || clicks != 2628 || conv != 74 || f.Skipped != 1 || f.Read != 2 {
			t.Errorf("%s: cost %.2f, clicks %v, conversions %v, %d read, %d skipped; want 78290.36, 2628, 74, 2 read, 1 skipped",
				c.name, cost, clicks, conv, f.Read, f.Skipped)
		}
		if len(f.Rows) != 1 || f.Rows[0].Line != 3 {
			t.Errorf("%s: rows %+v; want one range, first line 3 (the summary row's line is not a row's)", c.name, f.Rows)
		}
	}
	// Told by its names, a summary row need not be the exact sum: Meta's
	// is the account's total rounded once, the rows each rounded.
	for _, header := range []string{zhHeader, strings.Replace(zhHeader, "行銷活動名稱", "广告系列名称", 1)} {
		f, err := read(metaTotal(t, header, strings.Replace(summaryRow, "78290.36", "78290.37", 1)), zhColumns())
		if err != nil || f.Skipped != 1 || f.Rows[0].CostCents != 7829036 {
			t.Errorf("a summary row a cent off the sum, under %.6s: %+v %v", header, f, err)
		}
	}
	// The same file at the bottom: Google writes its totals last.
	in := metaTotal(t, strings.Replace(zhHeader, "行銷活動名稱", "キャンペーン名", 1), "")
	in = strings.TrimRight(in, "\r\n") + "\n" + summaryRow + "\n"
	if f, err := read(in, zhColumns()); err != nil || f.Skipped != 1 {
		t.Errorf("a summary row last: %+v %v", f, err)
	}
}

// TestUndecidableSummaryRowStops: without a naming column, rows that
// share days of which none is the others' exact sum — a summary row a
// rounding away from the sum, or two campaigns alike — cannot be told
// apart: the read stops, naming the setting, rather than double the
// spend or halve it.
func TestUndecidableSummaryRowStops(t *testing.T) {
	ja := strings.Replace(zhHeader, "行銷活動名稱", "キャンペーン名", 1)
	for name, in := range map[string]string{
		"a cent off":      metaTotal(t, ja, strings.Replace(summaryRow, "78290.36", "78290.37", 1)),
		"clicks off":      metaTotal(t, ja, strings.Replace(summaryRow, "2628", "2629", 1)),
		"no summary row":  metaTotal(t, ja, ""),
		"one row summed":  "キャンペーン名,花費金額 (TWD),連結點擊次數,分析報告開始,分析報告結束\n,10,2,2026-11-01,2026-11-30\nA,10,2,2026-11-01,2026-11-30\n",
		"not covering it": "キャンペーン名,花費金額 (TWD),連結點擊次數,分析報告開始,分析報告結束\n,30,6,2026-11-01,2026-11-15\nA,10,2,2026-11-01,2026-11-30\nB,20,4,2026-11-01,2026-11-30\n",
	} {
		_, err := Read(strings.NewReader(in), "meta.csv", Options{Platform: platform.Meta, Columns: zhColumns(), Currency: "TWD"})
		if err == nil || !strings.Contains(err.Error(), "meta.csv:") || !strings.Contains(err.Error(), "spend.meta.columns.name") || !strings.Contains(err.Error(), "double") {
			t.Errorf("%s: %v; want a stop naming spend.meta.columns.name", name, err)
		}
	}
	// Rows that share no day need no judging: one row per day and
	// campaign-less (an account-level report by day).
	in := "Day,Cost,Currency code\n2026-11-01,10,TWD\n2026-11-02,20,TWD\n"
	if f, err := Read(strings.NewReader(in), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)}); err != nil || f.Read != 2 {
		t.Errorf("an account's days: %+v %v", f, err)
	}
	// A mapped name column the file lacks is named.
	_, err := Read(strings.NewReader(metaTotal(t, zhHeader, "")), "meta.csv", Options{Platform: platform.Meta, Columns: zhColumns().WithName("Campaign"), Currency: "TWD"})
	if err == nil || !strings.Contains(err.Error(), "spend.meta.columns.name") || !strings.Contains(err.Error(), "meta.csv:1") {
		t.Errorf("a mapped name column the file lacks: %v", err)
	}
}
