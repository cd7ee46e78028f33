package spend

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestUnmappedHeaderNamesTheLineItRead: a zh-CN Google "Excel CSV"
// (UTF-16LE, tabs, a title and a date-range line above the header on line
// 3) with no column mapped said "no cost column … (header at line 1,
// utf-16, delimiter comma)": the reader had found no header and taken the
// title line, and the message named it. The campaign column (广告系列)
// finds the header now, and the message names line 3 and the tab; a
// header with no name hashgate knows is said to be not found.
func TestUnmappedHeaderNamesTheLineItRead(t *testing.T) {
	excel := func(header string) string {
		text := "广告系列报告\r\n2026年11月1日 - 2026年11月30日\r\n" + header + "\r\n2026-11-03\t品牌\tCNY\t12.00\t3\t0.00\r\n"
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	read := func(in string, cols Columns) (*File, error) {
		return Read(strings.NewReader(in), "g.csv", Options{Platform: platform.Google, Columns: cols})
	}
	header := "天\t广告系列\t货币代码\t费用\t点击次数\t转化次数"
	_, err := read(excel(header), Preset(platform.Google))
	if err == nil || !strings.Contains(err.Error(), "g.csv:3: no cost column") || !strings.Contains(err.Error(), "header at line 3, utf-16, delimiter tab") {
		t.Errorf("a zh-CN header: %v; want the cost column missing from line 3, read with tabs", err)
	}
	_, err = read(excel(strings.Replace(header, "广告系列", "系列", 1)), Preset(platform.Google))
	if err == nil || !strings.Contains(err.Error(), "found no header") || !strings.Contains(err.Error(), "spend.google.columns") || strings.Contains(err.Error(), "line 1") {
		t.Errorf("no known name: %v; want the header not found", err)
	}
	// Mapped, the same file reads, and covers the range above its header.
	cols := Preset(platform.Google).Override("天", "", "费用", "点击次数", "转化次数", "货币代码", "")
	f, err := read(excel(header), cols)
	if err != nil || len(f.Rows) != 1 || f.Rows[0].CostCents != 1200 || f.Rows[0].Line != 4 || f.CoverTo.Day() != 30 {
		t.Errorf("mapped: %+v %v", f, err)
	}
}
