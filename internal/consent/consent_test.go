package consent

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var taipei, _ = time.LoadLocation("Asia/Taipei")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, taipei)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDecideEveryRuleInThreeLanguages(t *testing.T) {
	strict := NewPolicy(Options{
		Granted:          []string{"yes", "y", "同意", "是", "√", "opt-in"},
		Scoped:           []string{"marketing: text"},
		Denied:           []string{"nope"},
		RequireTimestamp: true,
		Location:         taipei,
	})
	earlierOK := NewPolicy(Options{Granted: []string{"yes", "同意"}, RevokedAllowsEarlier: true, Location: taipei})
	listScoped := NewPolicy(Options{Granted: []string{"yes - email only", "同意(僅簡訊)"}})
	oneZero := NewPolicy(Options{Granted: []string{"1", "T"}})

	event := at("2024-06-10 09:30")
	earlier, later := event.Add(-48*time.Hour), event.Add(time.Hour)
	ok := func(v string) Input { return Input{Value: v, At: earlier, HasAt: true, Event: event} }
	cases := []struct {
		name   string
		p      *Policy
		in     Input
		reason string
	}{
		// granted
		{"en yes", strict, ok("Yes"), ""},
		{"en y, padded", strict, ok("  Y "), ""},
		{"zh-Hant 同意", strict, ok("同意"), ""},
		{"zh 是", strict, ok("是"), ""},
		{"full-width YES folds", strict, ok("ＹＥＳ"), ""},
		{"check mark", strict, ok("√"), ""},
		{"consent at the appointment instant", strict, Input{Value: "yes", At: event, HasAt: true, Event: event}, ""},
		// missing
		{"blank", strict, ok(""), ReasonMissing},
		{"spaces", strict, ok("   "), ReasonMissing},
		{"ideographic space", strict, ok("\u3000"), ReasonMissing},
		// denied
		{"en no", strict, ok("No"), ReasonDenied},
		{"en false", strict, ok("false"), ReasonDenied},
		{"zh-Hant 不同意", strict, ok("不同意"), ReasonDenied},
		{"zh-Hans 拒绝", strict, ok("拒绝"), ReasonDenied},
		{"zh 否", strict, ok("否"), ReasonDenied},
		{"configured denial", strict, ok("NOPE"), ReasonDenied},
		// unknown
		{"open dental unknown 0", strict, ok("0"), ReasonNotGranted},
		{"0 beside a granted 1 says no", oneZero, ok("0"), ReasonDenied},
		{"f beside a granted t says no", oneZero, ok(" F "), ReasonDenied},
		{"1 is granted", oneZero, ok("1"), ""},
		{"unknown word", strict, ok("Unknown"), ReasonNotGranted},
		{"soft opt-in is the clinic's choice, not the patient's", strict, ok("Soft Opt-In"), ReasonNotGranted},
		{"yes with trailing note", strict, ok("yes!"), ReasonNotGranted},
		// scoped
		{"en email only", strict, ok("yes - email only"), ReasonScoped},
		{"en sms only", strict, ok("Yes (SMS only)"), ReasonScoped},
		{"zh-Hant 僅簡訊", strict, ok("同意(僅簡訊)"), ReasonScoped},
		{"zh-Hans 仅短信", strict, ok("同意-仅短信"), ReasonScoped},
		{"configured scoped value", strict, ok("Marketing: Text"), ReasonScoped},
		{"scoped value granted only when listed exactly", listScoped, Input{Value: "同意(僅簡訊)", Event: event}, ""},
		// revoked
		{"en revoked", strict, ok("revoked"), ReasonRevoked},
		{"en revoked with date", strict, ok("Revoked 2024-06-01"), ReasonRevoked},
		{"en withdrawn", strict, ok("Withdrawn"), ReasonRevoked},
		{"zh-Hant 已撤回", strict, ok("已撤回"), ReasonRevoked},
		{"zh-Hant ROC date", strict, ok("撤回 113/06/01"), ReasonRevoked},
		{"zh-Hans 撤销", strict, ok("已撤销"), ReasonRevoked},
		{"bracketed date", strict, ok("撤回(2024-06-01)"), ReasonRevoked},
		// revoked, but the clinic lets a revocation start on its date
		{"after the revocation date", earlierOK, Input{Value: "revoked 2024-06-01", Event: event}, ReasonRevoked},
		{"before the revocation date", earlierOK, Input{Value: "revoked 2024-06-11", Event: event}, ""},
		{"ROC before", earlierOK, Input{Value: "撤回 113/06/11", Event: event}, ""},
		{"ROC compact before", earlierOK, Input{Value: "撤回1130611", Event: event}, ""},
		{"on the revocation day itself", earlierOK, Input{Value: "撤回(2024-06-10)", Event: event}, ReasonRevoked},
		// A date-only export reads its appointment as 00:00 local, exactly
		// the instant the revocation day starts: the visit is on that day
		// and so after the revocation. (A mutant that compares with After
		// instead of !Before lets exactly these rows through.)
		{"date-only visit on the revocation day", earlierOK, Input{Value: "revoked 2024-06-10", Event: at("2024-06-10 00:00")}, ReasonRevoked},
		{"date-only visit on the ROC revocation day", earlierOK, Input{Value: "撤回 113/06/10", Event: at("2024-06-10 00:00")}, ReasonRevoked},
		{"date-only visit the day before", earlierOK, Input{Value: "revoked 2024-06-10", Event: at("2024-06-09 00:00")}, ""},
		{"last minute before the revocation day", earlierOK, Input{Value: "revoked 2024-06-10", Event: at("2024-06-09 23:59")}, ""},
		{"ambiguous US date stays revoked", earlierOK, Input{Value: "Revoked 06/03/2024", Event: event}, ReasonRevoked},
		{"impossible date stays revoked", earlierOK, Input{Value: "revoked 2024-02-31", Event: at("2024-01-01 10:00")}, ReasonRevoked},
		{"undated stays revoked", earlierOK, Input{Value: "已撤回", Event: event}, ReasonRevoked},
		// consent time
		{"time missing", strict, Input{Value: "yes", Event: event}, ReasonTimeMissing},
		{"time unreadable", strict, Input{Value: "yes", HasAt: true, AtErr: errors.New("x"), Event: event}, ReasonTimeInvalid},
		{"consent after the visit", strict, Input{Value: "yes", At: later, HasAt: true, Event: event}, ReasonAfterEvent},
		{"no timestamp rule: time not needed", earlierOK, Input{Value: "yes", Event: event}, ""},
	}
	for _, c := range cases {
		if got := c.p.Decide(c.in); got != c.reason {
			t.Errorf("%s (%q): got %q, want %q", c.name, c.in.Value, got, c.reason)
		}
	}
}

func TestScreenAgreesWithDecideOnValues(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes"}})
	for _, v := range []string{"", "yes", "no", "revoked", "yes - sms only", "maybe"} {
		if got, want := p.Screen(v), p.Decide(Input{Value: v}); got != want {
			t.Errorf("%q: Screen %q, Decide %q", v, got, want)
		}
	}
}

func TestNothingPassesWithoutGrantedValues(t *testing.T) {
	p := NewPolicy(Options{})
	for _, v := range []string{"yes", "1", "true", "同意", "Y"} {
		if p.Decide(Input{Value: v}) == "" {
			t.Errorf("%q granted by a policy that lists no granted values", v)
		}
	}
}

func TestRevocations(t *testing.T) {
	r, err := ReadRevocations(strings.NewReader("# withdrawn at the front desk\nA0001\n\n  CHART-77  \n"), "rev.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Has("A0001") || !r.Has("x", "CHART-77") || r.Has("A0002", "") || r.Has("") {
		t.Errorf("set of %d", r.Len())
	}
}

// TestRevocationsAsEditorsSaveThem (metamorphic): the same list saved
// with a UTF-8 byte-order mark (Notepad, Excel), as "Unicode text"
// (UTF-16 with its mark, either byte order), with CRLF line ends, reads
// the same ids — before, the mark made the first id match nothing and
// UTF-16 matched none; what cannot be an id list is refused, naming the
// line and never its content.
func TestRevocationsAsEditorsSaveThem(t *testing.T) {
	const text = "# withdrawn at the front desk, December\nA0001\n\n  CHART-77  \n預約-9\n"
	utf16 := func(bigEndian bool) string {
		var b []byte
		if bigEndian {
			b = append(b, 0xFE, 0xFF)
		} else {
			b = append(b, 0xFF, 0xFE)
		}
		for _, r := range text {
			hi, lo := byte(r>>8), byte(r)
			if bigEndian {
				b = append(b, hi, lo)
			} else {
				b = append(b, lo, hi)
			}
		}
		return string(b)
	}
	for name, in := range map[string]string{
		"utf-8":        text,
		"utf-8 bom":    "\ufeff" + text,
		"crlf":         strings.ReplaceAll(text, "\n", "\r\n"),
		"utf-16le":     utf16(false),
		"utf-16be":     utf16(true),
		"bom and crlf": "\ufeff" + strings.ReplaceAll(text, "\n", "\r\n"),
	} {
		r, err := ReadRevocations(strings.NewReader(in), "rev.txt", nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r.Len() != 3 || !r.Has("A0001") || !r.Has("CHART-77") || !r.Has("預約-9") {
			t.Errorf("%s: read %d ids", name, r.Len())
		}
	}
	for name, tc := range map[string]struct{ in, want string }{
		"utf-16 without its mark": {"A\x00\x30\x00\n\x00", "rev.txt:1:2: not UTF-8"},
		"latin-1":                 {"A0001\nM\xfcller-7\n", "rev.txt:2:2: not UTF-8"},
		"a spreadsheet's csv":     {"order,patient\nA0001,P7\n", "rev.txt:1:6: more than one value"},
		"quoted":                  {"A0001\n\"A0002\"\n", "rev.txt:2:1: more than one value"},
		"a comment after the id":  {"A0001\nA0002 # re-consent pending\n", "rev.txt:2:7: a comment after the value"},
	} {
		_, err := ReadRevocations(strings.NewReader(tc.in), "rev.txt", nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", name, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "A0001") || strings.Contains(err.Error(), "ller")) {
			t.Errorf("%s: the error quotes the file: %v", name, err)
		}
	}
}

// TestGrantedConflicts: consent.granted must not list a value that says
// no, or consent to another channel: the gate would send exactly the
// patients who refused.
func TestGrantedConflicts(t *testing.T) {
	got := GrantedConflicts(Options{
		Granted: []string{"yes", "Y", "同意", "revoked", "撤回 113/06/01", "no", "不同意", "yes - sms only", "同意(僅簡訊)",
			"同意(僅廣告成效)", "ok-ish", "Soft Opt-In", "nope", "Unknown"},
		Denied: []string{"nope"},
		Scoped: []string{"Soft Opt-In"},
	})
	var vals []string
	for _, c := range got {
		vals = append(vals, c.Value+"="+c.Reason)
	}
	want := []string{"revoked=consent_revoked", "撤回 113/06/01=consent_revoked", "no=consent_denied", "不同意=consent_denied",
		"yes - sms only=consent_scoped", "同意(僅簡訊)=consent_scoped", "Soft Opt-In=consent_scoped", "nope=consent_denied",
		"Unknown=consent_not_granted"}
	if strings.Join(vals, "|") != strings.Join(want, "|") {
		t.Errorf("conflicts:\n got %q\nwant %q", vals, want)
	}
}

// FuzzFoldInto: foldInto, which lower-cases short ASCII values into a
// buffer, gives what fold gives, for any value — short and long, ASCII or
// not, with spaces around — and classifies it the same.
func FuzzFoldInto(f *testing.F) {
	for _, s := range []string{"", "Y", " Yes ", "yes", "REVOKED 2024-05-01", "同意", "Ｙｅｓ", "\tNo\n", "Revoked(2024/05/01)", strings.Repeat("Y", 40), "İ", "K",
		"是", "否", "已同意", "不同意", "\ufeffyes", "yes\r", "=\"Y\"", "ｙ", "撤回 115/12/07", "Revoked 115/12/07 下午"} {
		f.Add(s)
	}
	p := NewPolicy(Options{Granted: []string{"yes", "y"}, Revoked: []string{"revoked"}, RevokedAllowsEarlier: true, Location: time.UTC})
	f.Fuzz(func(t *testing.T, s string) {
		var buf [foldBuf]byte
		got := foldInto(&buf, s)
		if want := fold(s); got != want {
			t.Fatalf("%q: foldInto %q, fold %q", s, got, want)
		}
		r1, d1 := p.classify(fold(s))
		if r2 := p.Screen(s); r2 != r1 {
			t.Fatalf("%q: Screen %q, classify %q", s, r2, r1)
		}
		if r3, d3 := p.ScreenDated(s); r3 != r1 || !d3.Equal(d1) {
			t.Fatalf("%q: ScreenDated %q %v, classify %q %v", s, r3, d3, r1, d1)
		}
	})
}

// TestScreenDated: the day of a dated revocation comes back with Screen's
// reason only under RevokedAllowsEarlier, in the clinic's zone; any other
// value, and every value without the option, has no day.
func TestScreenDated(t *testing.T) {
	with := NewPolicy(Options{Granted: []string{"yes"}, RevokedAllowsEarlier: true, Location: taipei})
	without := NewPolicy(Options{Granted: []string{"yes"}, Location: taipei})
	want := time.Date(2024, 6, 1, 0, 0, 0, 0, taipei)
	for _, c := range []struct {
		p      *Policy
		v      string
		reason string
		day    time.Time
	}{
		{with, "Revoked 2024-06-01", "", want},
		{with, "撤回 113/06/01", "", want},
		{with, "revoked", ReasonRevoked, time.Time{}},
		{with, "yes", "", time.Time{}},
		{with, "no", ReasonDenied, time.Time{}},
		{with, "maybe", ReasonNotGranted, time.Time{}},
		{without, "Revoked 2024-06-01", ReasonRevoked, time.Time{}},
	} {
		reason, day := c.p.ScreenDated(c.v)
		if reason != c.reason || !day.Equal(c.day) {
			t.Errorf("%q: ScreenDated = %q %v, want %q %v", c.v, reason, day, c.reason, c.day)
		}
		if s := c.p.Screen(c.v); s != reason {
			t.Errorf("%q: Screen %q, ScreenDated %q", c.v, s, reason)
		}
	}
}

// TestDecideScreenedIsDecide and FuzzDecideScreened: for every value
// Screen passes, under a policy with and without RevokedAllowsEarlier,
// DecideScreened answers what Decide answers, whatever the times say.
func TestDecideScreenedIsDecide(t *testing.T) {
	event := at("2024-06-10 09:30")
	for _, v := range screenedSeeds {
		for _, hasAt := range []bool{false, true} {
			for _, d := range []time.Duration{-48 * time.Hour, 0, time.Hour} {
				checkDecideScreened(t, Input{Value: v, HasAt: hasAt, At: event.Add(d), Event: event})
			}
		}
		checkDecideScreened(t, Input{Value: v, HasAt: true, AtErr: errors.New("x"), Event: event})
	}
}

func FuzzDecideScreened(f *testing.F) {
	for _, v := range screenedSeeds {
		f.Add(v, true, int64(-3600), false)
	}
	event := at("2024-06-10 09:30")
	f.Fuzz(func(t *testing.T, v string, hasAt bool, offset int64, atErr bool) {
		in := Input{Value: v, HasAt: hasAt, At: event.Add(time.Duration(offset) * time.Second), Event: event}
		if atErr {
			in.AtErr = errors.New("x")
		}
		checkDecideScreened(t, in)
	})
}

var screenedSeeds = []string{"yes", " Y ", "ＹＥＳ", "同意", "no", "", "revoked 2024-06-01", "revoked 2024-06-11", "撤回 113/06/11", "revoked", "yes - sms only", "maybe"}

var screenedPolicies = []*Policy{
	NewPolicy(Options{Granted: []string{"yes", "y", "同意"}, RequireTimestamp: true, Location: taipei}),
	NewPolicy(Options{Granted: []string{"yes", "y", "同意"}, Location: taipei}),
	NewPolicy(Options{Granted: []string{"yes", "同意"}, RevokedAllowsEarlier: true, RequireTimestamp: true, Location: taipei}),
	NewPolicy(Options{Granted: []string{"yes - sms only"}, RevokedAllowsEarlier: true, Location: taipei}),
}

func checkDecideScreened(t *testing.T, in Input) {
	t.Helper()
	for i, p := range screenedPolicies {
		if p.Screen(in.Value) != "" {
			continue
		}
		if got, want := p.DecideScreened(in), p.Decide(in); got != want {
			t.Fatalf("policy %d, %+v: DecideScreened %q, Decide %q", i, in, got, want)
		}
	}
}

// TestWordsHasIsFold: Words.Has compares as Fold, for the spellings a
// status column holds.
func TestWordsHasIsFold(t *testing.T) {
	w := NewWords([]string{"completed", "已完成", "Checked Out"})
	for v, want := range map[string]bool{"completed": true, " COMPLETED ": true, "ＣＯＭＰＬＥＴＥＤ": true, "已完成": true, "checked out": true, "complete": false, "": false, strings.Repeat("x", 40): false} {
		if got := w.Has(v); got != want || got != w[Fold(v)] {
			t.Errorf("Has(%q) = %v, want %v (Fold: %v)", v, got, want, w[Fold(v)])
		}
	}
}
