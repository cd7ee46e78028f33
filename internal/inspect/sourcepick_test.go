package inspect

import (
	"strings"
	"testing"
)

// TestSourceIsTheColumnOfChannelWords: a mainland export with 一级来源
// (网络推广, 新媒体, 老客户: categories) and 二级来源 (百度推广, 抖音, 美团,
// 转介绍: the channels hashgate's report names) had its source picked by
// column order, both headers scoring alike: 一级来源 first, and most rows
// Unattributed. The column whose rows hold more channel words is the
// source, in either order; with none in either, column order decides.
func TestSourceIsTheColumnOfChannelWords(t *testing.T) {
	first := []string{"网络推广", "新媒体", "老客户", "网络推广", "新媒体", "网络推广"}
	second := []string{"百度推广", "抖音", "转介绍", "美团", "抖音", "百度推广"}
	build := func(cols [2]string, vals [2][]string) string {
		var b strings.Builder
		b.WriteString("预约单号,预约时间,到诊状态," + cols[0] + "," + cols[1] + "\n")
		for i := range vals[0] {
			b.WriteString("A" + string(rune('0'+i)) + ",2026-11-0" + string(rune('1'+i)) + " 09:00,已到诊," + vals[0][i] + "," + vals[1][i] + "\n")
		}
		return b.String()
	}
	for _, tc := range []struct {
		cols [2]string
		vals [2][]string
		want string
	}{
		{[2]string{"一级来源", "二级来源"}, [2][]string{first, second}, "二级来源"},
		{[2]string{"二级来源", "一级来源"}, [2][]string{second, first}, "二级来源"},
		// No channel word in either: column order, as before.
		{[2]string{"一级来源", "二级来源"}, [2][]string{{"网络推广", "新媒体"}, {"新媒体", "网络推广"}}, "一级来源"},
	} {
		p, err := Run(strings.NewReader(build(tc.cols, tc.vals)), "export.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Mapped("source"); len(got) != 1 || got[0] != tc.want {
			t.Errorf("columns %q: source %q, want %q", tc.cols, got, tc.want)
		}
	}
}
