package consent

import (
	"strings"
	"testing"
)

// TestMainlandNoWords: a review playing a mainland clinic found config
// validate accepting, in consent.granted, values that say no to this
// upload — consent to a call or WeChat only, a cancelled authorisation,
// consent kept in the country or from third parties, a partial or
// unsigned consent. Each is now refused at load, and excluded at run time
// with its reason in both scripts.
func TestMainlandNoWords(t *testing.T) {
	cases := map[string]string{
		"同意-仅微信": ReasonScoped, "同意(微信)": ReasonScoped, "同意仅电话": ReasonScoped, "同意（仅电话回访）": ReasonScoped,
		"同意(電話)": ReasonScoped, "同意（回訪）": ReasonScoped, "yes - phone": ReasonScoped, "yes (call)": ReasonScoped,
		"Yes, LINE": ReasonScoped, "yes - wechat": ReasonScoped,
		"取消授权": ReasonRevoked, "取消授權": ReasonRevoked, "已取消授权": ReasonRevoked,
		"同意(境内)": ReasonScoped, "同意(境內)": ReasonScoped, "同意但不外传": ReasonScoped, "同意但不外傳": ReasonScoped,
		"同意，不提供给第三方": ReasonScoped, "同意,不提供給第三方": ReasonScoped, "同意(不出境)": ReasonScoped,
		"部分同意": ReasonNotGranted, "部份同意": ReasonNotGranted, "未签署": ReasonNotGranted, "未簽署": ReasonNotGranted,
	}
	var granted []string
	for v := range cases {
		granted = append(granted, v)
	}
	got := map[string]string{}
	for _, c := range GrantedConflicts(Options{Granted: append(granted, "同意", "yes", "Yes (online form)", "yes - recall ok")}) {
		got[c.Value] = c.Reason
	}
	p := NewPolicy(Options{Granted: []string{"同意", "yes"}})
	for v, want := range cases {
		if got[v] != want {
			t.Errorf("granted %q: conflict %q, want %q", v, got[v], want)
		}
		if r := p.Screen(v); r != want {
			t.Errorf("run time %q: %q, want %q", v, r, want)
		}
	}
	// Plain yes-words, and English words that hold a channel word inside
	// a longer word, stay grantable.
	for _, v := range []string{"同意", "yes", "Yes (online form)", "yes - recall ok"} {
		if r, ok := got[v]; ok {
			t.Errorf("granted %q refused as %s", v, r)
		}
	}
	if r := p.Screen("Yes (online form)"); !strings.HasPrefix(r, "consent_not") {
		t.Errorf("an ungranted word: %q", r)
	}
}
