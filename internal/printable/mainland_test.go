package printable

import "testing"

// TestMainlandChannelWords: a review of a mainland clinic's 600-row export
// found 366 rows under Unattributed, the source cells holding the
// mainland's ad systems and referral words hashgate did not know (百度推广,
// 巨量引擎, 腾讯广告, 转介绍 …). Each is a channel word of the right group,
// in simplified and traditional characters, and 抖音 is Douyin — the
// mainland app, bought through 巨量引擎 — not TikTok.
func TestMainlandChannelWords(t *testing.T) {
	group := map[string]string{}
	for _, g := range ChannelGroups() {
		for _, w := range g.Words {
			group[Fold(w)] = g.Name
		}
	}
	for w, want := range map[string]string{
		"百度推广": "Baidu", "百度推廣": "Baidu", "巨量引擎": "Douyin", "抖音": "Douyin", "抖音团购": "Douyin", "抖音團購": "Douyin",
		"tiktok": "TikTok", "腾讯广告": "Tencent Ads", "騰訊廣告": "Tencent Ads", "广点通": "Tencent Ads", "廣點通": "Tencent Ads",
		"朋友圈广告": "Tencent Ads", "朋友圈廣告": "Tencent Ads", "快手": "Kuaishou", "视频号": "WeChat", "視頻號": "WeChat",
		"高德地图": "Amap", "高德地圖": "Amap", "360搜索": "360 Search", "搜狗": "Sogou", "微博": "Weibo", "B站": "Bilibili",
		"哔哩哔哩": "Bilibili", "嗶哩嗶哩": "Bilibili", "知乎": "Zhihu", "美团点评": "Meituan", "美團點評": "Meituan",
		"转介绍": "Referral", "轉介紹": "Referral", "老带新": "Referral", "老帶新": "Referral",
	} {
		if got := group[Fold(w)]; got != want {
			t.Errorf("%q: channel %q, want %q", w, got, want)
		}
	}
	v := NewVocabulary().Loose(ChannelWords()...)
	for _, w := range []string{"百度推广", "巨量引擎", "转介绍", "B站"} {
		if !v.Has(w) {
			t.Errorf("%q is no channel word", w)
		}
	}
}
