package spend

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestSpendEncodingIsItsOwnSetting: a Google download a mainland Excel
// re-saved as "CSV (逗号分隔)" is GBK, and a few campaign names cannot
// decide between Big5 and GB18030: the read stopped saying "set
// input.encoding", which spend files never read. The message names
// spend.google.encoding now, which reads the file; and a zh-CN header
// (广告系列) decides the encoding by itself, as the export's names do.
func TestSpendEncodingIsItsOwnSetting(t *testing.T) {
	gbk := func(s string) string {
		out, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	in := gbk("Day,Campaign,Currency code,Cost\n2026-11-03,品牌 - 美白,CNY,12.00\n2026-11-04,植牙搜索,CNY,8.50\n")
	read := func(enc string) (*File, error) {
		return Read(strings.NewReader(in), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google), Encoding: enc})
	}
	_, err := read("")
	if err == nil || !strings.Contains(err.Error(), "set spend.google.encoding") || strings.Contains(err.Error(), "input.encoding") {
		t.Fatalf("auto: %v; want the advice to name spend.google.encoding", err)
	}
	f, err := read("gbk")
	if err != nil || len(f.Rows) != 2 || f.Rows[0].CostCents != 1200 || f.Rows[1].Currency != "CNY" {
		t.Fatalf("spend.google.encoding gbk: %+v %v", f, err)
	}
	// Pinned to another encoding than the file's: the advice names the
	// same key.
	bom := "\uFEFFDay,Campaign,Currency code,Cost\n2026-11-03,A,CNY,1\n"
	_, err = Read(strings.NewReader(bom), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google), Encoding: "big5"})
	if err == nil || !strings.Contains(err.Error(), "spend.google.encoding is big5") {
		t.Errorf("a BOM under big5: %v", err)
	}
	zh := gbk("天,广告系列,货币代码,费用\n2026-11-03,品牌 - 美白,CNY,12.00\n")
	cols := Preset(platform.Google).Override("天", "", "费用", "", "", "货币代码", "")
	if f, err := Read(strings.NewReader(zh), "g.csv", Options{Platform: platform.Google, Columns: cols}); err != nil || f.Rows[0].CostCents != 1200 {
		t.Errorf("a zh-CN header in GBK: %+v %v", f, err)
	}
}
