package channelreport

import (
	"bytes"
	"strings"
	"testing"
)

// TestConsentSentenceIsTrue: every report said "an aggregate that never
// leaves the clinic discloses no patient" (a privacy officer's review) —
// but the report is made to leave the clinic. In every language the
// sentence now says that every row counts, consented or not, that the
// release rule is what keeps a patient from being singled out, and how to
// count only consented rows; and never that the report stays in.
func TestConsentSentenceIsTrue(t *testing.T) {
	never := []string{"never leaves", "不離開診所", "不离开诊所"}
	release := map[string]string{"en": "release rule", "zh-Hant": "發布規則", "zh-Hans": "发布规则"}
	for lang, w := range lexicon {
		s := w.countedAll
		for _, n := range never {
			if strings.Contains(s, n) {
				t.Errorf("%s: %q says the report stays in the clinic", lang, s)
			}
		}
		if !strings.Contains(s, release[lang]) || !strings.Contains(s, "channels.consented_only: true") {
			t.Errorf("%s: %q names neither the release rule nor channels.consented_only: true", lang, s)
		}
	}
	for _, lang := range []string{"en", "zh-Hant", "zh-Hans"} {
		r := sample(false)
		r.Language = lang
		var b bytes.Buffer
		if err := WriteHTML(&b, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), release[lang]) {
			t.Errorf("%s: the page does not say what protects its patients", lang)
		}
	}
	if l := Legend(sample(false)); !strings.Contains(l, "release rule") || strings.Contains(l, "never leaves") {
		t.Errorf("the table's legend: %q", l)
	}
}
