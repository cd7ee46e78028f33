package channels

import (
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
)

func TestAttribution(t *testing.T) {
	list := []config.Channel{
		{Name: "Google Ads", Platform: "google", Sources: []string{"google"}},
		{Name: "Meta Ads", Platform: "meta", Sources: []string{"facebook", "ig"}},
		{Name: "LINE", Sources: []string{"line", "朋友介紹"}},
		{Name: "Friends", Sources: []string{"朋友介紹", "referral"}}, // 朋友介紹 is LINE's: first listed wins
	}
	a := NewAttributor(list)
	gclid := "Cj0KCQiA5rGuBhCnARIsAN11vgR1mJ8Xw2Yk0p7Qyz"
	fbclid := "IwAR2xYz_7kq9d-Lr0pQ3vN8mB1cT6uHsE4fG5hJ"
	type ClickIDs struct{ GCLID, GBRAID, WBRAID, FBCLID string }
	clicked := func(c ClickIDs) func(platform.Platform) bool {
		return func(p platform.Platform) bool {
			if p == platform.Google {
				return IsClickID(c.GCLID) || IsClickID(c.GBRAID) || IsClickID(c.WBRAID)
			}
			return IsClickID(c.FBCLID)
		}
	}
	for _, tc := range []struct {
		name   string
		source string
		clicks ClickIDs
		want   int
	}{
		{"source word", "Facebook", ClickIDs{}, 1},
		{"trimmed, case-folded", "  GOOGLE ", ClickIDs{}, 0},
		{"full-width folds (NFKC)", "ＩＧ", ClickIDs{}, 1},
		{"gclid beats a contradicting source word", "facebook", ClickIDs{GCLID: gclid}, 0},
		{"gbraid counts as a Google click", "line", ClickIDs{GBRAID: gclid}, 0},
		{"wbraid counts as a Google click", "", ClickIDs{WBRAID: gclid}, 0},
		{"fbclid beats a contradicting source word", "google", ClickIDs{FBCLID: fbclid}, 1},
		{"first channel listing a word keeps it", "朋友介紹", ClickIDs{}, 2},
		{"second channel's own word", "Referral", ClickIDs{}, 3},
		{"placeholder is not a click id", "line", ClickIDs{GCLID: "N/A", FBCLID: "-"}, 2},
		{"unknown source", "walk-in", ClickIDs{}, 4},
		{"nothing at all", "", ClickIDs{}, 4},
	} {
		if got := a.Channel(tc.source, clicked(tc.clicks)); got != tc.want {
			t.Errorf("%s: channel %d, want %d", tc.name, got, tc.want)
		}
	}
	if a.Unattributed() != 4 {
		t.Errorf("Unattributed index %d, want 4", a.Unattributed())
	}
}

func TestClickIDWithoutItsPlatformFallsBackToSource(t *testing.T) {
	// No channel has platform meta: an fbclid cannot place the row, so its
	// source word does.
	a := NewAttributor([]config.Channel{{Name: "LINE", Sources: []string{"line"}}})
	if got := a.Channel("LINE", func(p platform.Platform) bool { return p == platform.Meta }); got != 0 {
		t.Errorf("channel %d, want 0", got)
	}
}

// TestAttributionFoldsSpellings: a source cell spelled with other spaces,
// punctuation or script than the config's word is that word (printable.Key,
// as config init counted it); an exact spelling still wins, so a word two
// channels list up to punctuation goes to the one that lists it exactly.
func TestAttributionFoldsSpellings(t *testing.T) {
	a := NewAttributor([]config.Channel{
		{Name: "Google Ads", Platform: "google", Sources: []string{"google ads", "google 廣告"}},
		{Name: "LINE", Sources: []string{"line"}},
		{Name: "LINE@", Sources: []string{"line@"}},
		{Name: "Referral", Sources: []string{"朋友介紹"}},
	})
	none := func(platform.Platform) bool { return false }
	for src, want := range map[string]int{
		"Google Ads": 0, "Google-Ads": 0, "GoogleAds": 0, "google_ads ": 0, "ＧＯＯＧＬＥ　ＡＤＳ": 0, "google 广告": 0,
		"LINE": 1, "Line @": 1, "line@": 2, "LINE@": 2, "朋友介绍": 3, "朋友 介紹": 3,
		"google": 4, "googleadsx": 4, "": 4,
	} {
		if got := a.Channel(src, none); got != want {
			t.Errorf("%q: channel %d, want %d", src, got, want)
		}
	}
}
