package printable

import (
	"fmt"
	"strings"
	"testing"
)

var words = NewVocabulary([]string{"yes", "no", "completed", "同意", "已完成"})

func TestVocabularyWordsArePrintedInHashgatesSpelling(t *testing.T) {
	c := Rule{Vocabulary: words}.Column()
	c.Add(" ＹＥＳ ") // once: a vocabulary word needs no crowd
	got, ok := c.Printable("ＹＥＳ")
	if !ok || got != "yes" {
		t.Fatalf("Printable(ＹＥＳ) = %q, %v; want hashgate's own word", got, ok)
	}
	vs := c.Values()
	if len(vs) != 1 || vs[0] != (Value{Text: "yes", Count: 1, Known: true}) {
		t.Errorf("Values = %+v", vs)
	}
}

func TestCategoricalNeedsACrowdAFewValuesAndNoIdentifierShape(t *testing.T) {
	r := Rule{Vocabulary: words}
	c := r.Column()
	for range MinRepeats {
		c.Add("Facebook Ads")
		c.Add("LINE 官方帳號")
	}
	for range MinRepeats - 1 {
		c.Add("walk-in") // one short of a crowd
	}
	for range MinRepeats {
		c.Add("ref 12345") // a crowd, but a run of digits
		c.Add("team@clinic")
	}
	for _, v := range []string{"Facebook Ads", "LINE 官方帳號"} {
		if _, ok := c.Printable(v); !ok {
			t.Errorf("%q repeats %d times in a column of few values: want printable", v, MinRepeats)
		}
	}
	for _, v := range []string{"walk-in", "ref 12345", "team@clinic", "never seen"} {
		if _, ok := c.Printable(v); ok {
			t.Errorf("%q printable", v)
		}
	}
	var texts []string
	for _, v := range c.Values() {
		texts = append(texts, v.Text)
	}
	if strings.Join(texts, "|") != "Facebook Ads|LINE 官方帳號" {
		t.Errorf("Values = %q", texts)
	}
}

// TestUniquePerRowNeverQualifies: names, notes and treatments differ per
// row; a column of them is not categorical even when one value repeats.
func TestUniquePerRowNeverQualifies(t *testing.T) {
	c := Rule{Vocabulary: words}.Column()
	for i := range 200 {
		c.Add(fmt.Sprintf("王%c明", rune('一'+i)))
	}
	for range 50 {
		c.Add("陳小美") // a common name repeated: still a column of names
	}
	if c.Categorical() {
		t.Fatal("a column of 200 distinct names is categorical")
	}
	if _, ok := c.Printable("陳小美"); ok {
		t.Error("a name from a name column is printable")
	}
	if len(c.Values()) != 0 {
		t.Errorf("Values = %+v", c.Values())
	}
	// Vocabulary words stay printable in any column.
	c.Add("同意")
	if w, ok := c.Printable("同意"); !ok || w != "同意" {
		t.Errorf("同意 = %q, %v", w, ok)
	}
}

func TestGuardVetoesCategoricalValues(t *testing.T) {
	c := Rule{Vocabulary: words, Guard: func(s string) bool { return strings.Contains(s, "植牙") }}.Column()
	for range 10 {
		c.Add("植牙")
		c.Add("洗牙")
	}
	if _, ok := c.Printable("植牙"); ok {
		t.Error("a vetoed term is printable")
	}
	if _, ok := c.Printable("洗牙"); !ok {
		t.Error("an unvetoed category is not printable")
	}
}

func TestUnsafeTextIsNeverPrintable(t *testing.T) {
	for _, v := range []string{"a\x1b[2Jb", "abc\u202edef", "x\xffy", "tab\there", strings.Repeat("長", MaxRunes+1)} {
		c := Rule{}.Column()
		for range 10 {
			c.Add(v)
		}
		if _, ok := c.Printable(v); ok {
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

func TestHeader(t *testing.T) {
	hw := NewVocabulary([]string{"phone", "consent", "同意", "email"})
	row := []string{"王大明", "phone", "同意", "植牙 術後回診", "0912-345-678"}
	got := Header(row, hw, false)
	want := []string{"", "", "", "", ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("guessed header with unknown cells: %q, want nothing", got)
	}
	got = Header(row, hw, true)
	want = []string{"王大明", "phone", "同意", "植牙 術後回診", ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("explicit header: %q, want %q", got, want)
	}
	if got := Header([]string{"\uFEFFemail", " Phone ", ""}, hw, false); got[0] != "email" || got[1] != "Phone" {
		t.Errorf("a guessed header of known words: %q", got)
	}
}

func TestColumnMemoryIsBounded(t *testing.T) {
	c := Rule{}.Column()
	for i := range 100000 {
		c.Add(fmt.Sprint("v", i))
	}
	if c.counts != nil || c.distinct != MaxDistinct+1 {
		t.Errorf("column kept %d values (distinct %d)", len(c.counts), c.distinct)
	}
}
