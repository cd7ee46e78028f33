package printable

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

var words = NewVocabulary([]string{"yes", "no", "completed", "同意", "已完成"}, ChannelWords())

func TestVocabularyWordsArePrintedInHashgatesSpelling(t *testing.T) {
	r := Rule{Vocabulary: words}
	c := r.Column()
	c.Add(" ＹＥＳ ") // once: a vocabulary word needs no crowd
	got, ok := r.Printable("ＹＥＳ", nil)
	if !ok || got != "yes" {
		t.Fatalf("Printable(ＹＥＳ) = %q, %v; want hashgate's own word", got, ok)
	}
	vs, hidden := c.Values(nil)
	if len(vs) != 1 || vs[0] != (Value{Text: "yes", Count: 1}) || hidden != 0 {
		t.Errorf("Values = %+v, %d hidden", vs, hidden)
	}
}

// TestARepeatedNameIsNeverPrinted is issue 22's finding: a source cell
// 介紹人:<name> seen 6 times in a column of few values passed the old
// "categorical" rule and was printed, proposed as a channel and reported.
// No value that is not a word of hashgate's is printable, however often
// it repeats.
func TestARepeatedNameIsNeverPrinted(t *testing.T) {
	r := Rule{Vocabulary: words}
	c := r.Column()
	for range 6 {
		c.Add("介紹人:王大明")
		c.Add("Facebook Ads")
		c.Add("google")
	}
	for _, v := range []string{"介紹人:王大明", "Facebook Ads"} {
		if _, ok := r.Printable(v, nil); ok {
			t.Errorf("%q is printable", v)
		}
	}
	vs, hidden := c.Values(nil)
	if len(vs) != 1 || vs[0].Text != "google" || hidden != 12 {
		t.Errorf("Values = %+v, %d hidden; want google shown and 12 rows counted", vs, hidden)
	}
}

// TestAWordThatIsAPatientsNameIsNotPrinted: a channel word is withheld when
// it is also a token of an identifying column (a patient called Line, a
// note that says 路過).
func TestAWordThatIsAPatientsNameIsNotPrinted(t *testing.T) {
	ident := NewTokens(ChannelWords(), []string{"ava"})
	ident.Add("Line Chen")
	ident.Add("canary.ava@example.com")
	ident.Add("介紹人陳大明路過")
	r := Rule{Vocabulary: words}
	for _, v := range []string{"LINE", "路過", "ava"} {
		if _, ok := r.Printable(v, ident); ok {
			t.Errorf("%q shares a token with the identifying columns, yet is printable", v)
		}
	}
	if _, ok := r.Printable("google", ident); !ok {
		t.Error("google shares no token, yet is not printable")
	}
	c := r.Column()
	c.Add("line")
	c.Add("google")
	vs, hidden := c.Values(ident)
	if len(vs) != 1 || vs[0].Text != "google" || hidden != 1 {
		t.Errorf("Values = %+v, %d hidden", vs, hidden)
	}
}

func TestTokens(t *testing.T) {
	var got []string
	eachToken("介紹人:陳大明 CANARY-x1 a", func(s string) bool { got = append(got, s); return true })
	want := []string{"介紹人", "介紹", "紹人", "陳大明", "陳大", "大明", "canary", "x1"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens = %q, want %q", got, want)
	}
	ts := NewTokens([]string{"小明", "介紹人:王小明", "google"})
	ts.Add("王小明")
	if !ts.Shares("小明") || !ts.Shares("介紹人:王小明") || ts.Shares("google") {
		t.Error("Shares")
	}
	var empty *Tokens
	if empty.Shares("x") {
		t.Error("a nil set shares a token")
	}
}

func TestGuardVetoesWords(t *testing.T) {
	r := Rule{Vocabulary: NewVocabulary([]string{"植牙", "google"}), Guard: func(s string) bool { return strings.Contains(s, "植牙") }}
	if _, ok := r.Printable("植牙", nil); ok {
		t.Error("a vetoed term is printable")
	}
	if _, ok := r.Printable("google", nil); !ok {
		t.Error("an unvetoed word is not printable")
	}
}

func TestUnsafeTextIsNeverPrintable(t *testing.T) {
	for _, v := range []string{"a\x1b[2Jb", "abc\u202edef", "x\xffy", "tab\there"} {
		if Safe(v) {
			t.Errorf("%q safe", v)
		}
		r := Rule{Vocabulary: NewVocabulary([]string{v})}
		if _, ok := r.Printable(v, nil); ok {
			t.Errorf("%q printable", v)
		}
	}
}

func TestIdentifierShaped(t *testing.T) {
	for v, want := range map[string]bool{
		"a@b": true, "0912": true, "０９１２": true, "ref 123": false, "12-34-56": false,
		"A1234": true, "completed": false, "同意": false, "113/05/02": false,
	} {
		if got := IdentifierShaped(v); got != want {
			t.Errorf("IdentifierShaped(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestCurrencyCode(t *testing.T) {
	for v, want := range map[string]bool{"USD": true, "TWD": true, "usd": false, "ABC": false, "Ava": false} {
		if CurrencyCode(v) != want {
			t.Errorf("CurrencyCode(%q) = %v", v, !want)
		}
	}
}

// TestHeader: a known header word is shown wherever it is; an unknown cell
// only when the line is known to be the header, and never one shaped like
// an identifier or sharing a token with an identifying column. A line
// that could be data (a headerless first row with 同意 and phone in it)
// shows only hashgate's own words.
func TestHeader(t *testing.T) {
	hw := NewVocabulary([]string{"phone", "consent", "同意", "email"})
	known := hw.Has
	row := []string{"王大明", "phone", "同意", "植牙 術後回診", "0912-345-678"}
	got := Header(row, known, true, nil)
	want := []string{"", "phone", "同意", "", ""}
	if !slices.Equal(got, want) {
		t.Errorf("a line that could be data: %q, want %q", got, want)
	}
	got = Header(row, known, false, nil)
	want = []string{"王大明", "phone", "同意", "植牙 術後回診", ""}
	if !slices.Equal(got, want) {
		t.Errorf("a header line: %q, want %q", got, want)
	}
	ident := NewTokens(row)
	ident.Add("王大明")
	if got := Header(row, known, false, ident); got[0] != "" {
		t.Errorf("a header cell that is a patient's name is shown: %q", got[0])
	}
	if got := Header([]string{"\uFEFFemail", " Phone ", "ProcCodes"}, known, false, nil); got[0] != "email" || got[1] != "Phone" || got[2] != "ProcCodes" {
		t.Errorf("a header with one unknown column: %q", got)
	}
}

func TestColumnMemoryIsBounded(t *testing.T) {
	c := Rule{Vocabulary: words}.Column()
	for i := range 100000 {
		c.Add(fmt.Sprint("v", i))
	}
	if len(c.vocab) != 0 || c.others != 100000 {
		t.Errorf("column kept %d values", len(c.vocab))
	}
}

// TestKeyFoldsSpellingsNotChannels: Key makes one word of the spellings a
// front desk types, and never one of two channel groups' words.
func TestKeyFoldsSpellingsNotChannels(t *testing.T) {
	for _, same := range [][]string{
		{"Google", "google ", "ＧＯＯＧＬＥ"},
		{"Google Ads", "Google-Ads", "GoogleAds", "google_ads", "google.ads"},
		{"LINE@", "Line @", "line"},
		{"walk-in", "walk in", "Walk In", "walkin"},
		{"google 廣告", "google 广告", "Google廣告"},
		{"朋友介紹", "朋友介绍"}, {"親友介紹", "亲友介绍"}, {"大眾點評", "大众点评"}, {"掃描二維碼", "扫描二维码"},
		{"line 官方帳號", "LINE官方帐号"}, {"小紅書", "小红书"}, {"自然進店", "自然进店"},
	} {
		for _, s := range same[1:] {
			if Key(s) != Key(same[0]) {
				t.Errorf("Key(%q) = %q, Key(%q) = %q: want one word", s, Key(s), same[0], Key(same[0]))
			}
		}
	}
	group := map[string]string{}
	for _, g := range ChannelGroups() {
		for _, w := range g.Words {
			k := Key(w)
			if other, ok := group[k]; ok && other != g.Name {
				t.Errorf("%q of %s has the Key of a word of %s", w, g.Name, other)
			}
			group[k] = g.Name
		}
	}
	if Key(" -@- ") != "" {
		t.Errorf("punctuation alone: Key %q, want empty", Key(" -@- "))
	}
	v := NewVocabulary([]string{"completed"}).Loose("google ads")
	if w, ok := v.Word("Google-Ads"); !ok || w != "google ads" {
		t.Errorf("a loose word: %q %v", w, ok)
	}
	if _, ok := v.Word("complet-ed"); ok {
		t.Error("a word added with Add matched up to punctuation: status and consent words must match exactly")
	}
}

// FuzzAddASCIIIsAdd holds Tokens.Add's ASCII fast path to eachToken: the
// same tokens tracked, from any cell.
func FuzzAddASCIIIsAdd(f *testing.F) {
	for _, s := range []string{"Bing Lin", "p0039906@example.com", "0976-906-039", "LINE@", "a", "GoogleAds", strings.Repeat("x", 70) + " bing", "Dcard陳", " fb "} {
		f.Add(s, "bing dcard line google ads fb "+strings.Repeat("x", 70))
	}
	f.Fuzz(func(t *testing.T, cell, words string) {
		slow := NewTokens(strings.Fields(words))
		fast := slow.Child()
		eachToken(cell, func(tok string) bool {
			if i, ok := slow.index[tok]; ok {
				slow.bits[i/64] |= 1 << (i % 64)
			}
			return true
		})
		fast.Add(cell)
		if !slices.Equal(slow.bits, fast.bits) {
			t.Fatalf("%q over %q: fast path %b, eachToken %b", cell, words, fast.bits, slow.bits)
		}
	})
}
