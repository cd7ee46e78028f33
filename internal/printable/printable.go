// Package printable is hashgate's one rule for which values read from a
// clinic's export may be shown to a person: on a terminal, in --json, in a
// generated config, in a report. Every command that shows something it read
// (inspect, config init, channels, onboarding) asks this package and nothing
// else, so the rule cannot drift between commands.
//
// A value is printable when it cannot be patient data:
//
//   - it is a word of hashgate's own vocabularies (consent words, status
//     words, header names): then the word hashgate ships is shown, never the
//     cell's spelling of it; or
//   - it is categorical: it repeats in at least MinRepeats rows of its
//     column, the column holds at most MaxDistinct distinct values, and the
//     value has no identifier shape (no "@", no run of 4 or more digits),
//     no control or bidirectional-override characters, and is at most
//     MaxRunes long.
//
// Names, notes and treatments are unique per row (or nearly so): they never
// repeat five times in a column of few values, so they never qualify.
// Anything else — a value seen once, a column of many values, a cell with a
// phone- or chart-number-like run of digits — is never printed; commands
// show counts and format classes instead.
//
// A Guard (such as the PHI guard) may veto categorical values too: a
// treatment column of a handful of procedures is categorical, but its words
// reveal health information.
//
// Memory is bounded: a Column stops remembering values once it has seen
// more than MaxDistinct of them (the column is then not categorical at all).
package printable

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// The rule's thresholds.
const (
	// MinRepeats is how many rows of a column must hold a value before it
	// is categorical: the smallest crowd a value can hide in.
	MinRepeats = 5
	// MaxDistinct is the most distinct values a column may hold for any of
	// them to be categorical ("few distinct values"): status, consent,
	// source and channel columns hold a handful; names and notes hundreds.
	MaxDistinct = 20
	// MaxRunes caps a categorical value's length: a long repeated value is
	// more likely a template note than a category.
	MaxRunes = 40
)

// Vocabulary is a set of words hashgate ships (header names, consent and
// status words), matched as Fold compares them.
type Vocabulary struct {
	words map[string]string // folded → display form
}

// NewVocabulary builds a vocabulary from word lists. The first spelling of
// a word is the one shown.
func NewVocabulary(lists ...[]string) *Vocabulary {
	v := &Vocabulary{words: map[string]string{}}
	for _, l := range lists {
		v.Add(l...)
	}
	return v
}

// Add adds words (the first spelling of each is kept for display).
func (v *Vocabulary) Add(words ...string) {
	for _, w := range words {
		f := Fold(w)
		if f == "" {
			continue
		}
		if _, ok := v.words[f]; !ok {
			v.words[f] = strings.TrimSpace(w)
		}
	}
}

// Word returns hashgate's own spelling of s when s is one of its words.
func (v *Vocabulary) Word(s string) (string, bool) {
	if v == nil {
		return "", false
	}
	w, ok := v.words[Fold(s)]
	return w, ok
}

// Has reports whether s is a word of the vocabulary.
func (v *Vocabulary) Has(s string) bool {
	_, ok := v.Word(s)
	return ok
}

// HasFolded is Has for a string already folded with Fold: it saves a
// second fold on hot paths.
func (v *Vocabulary) HasFolded(f string) bool {
	if v == nil {
		return false
	}
	_, ok := v.words[f]
	return ok
}

// Fold is how vocabulary words compare: trimmed, NFKC (full-width forms
// become ASCII), case-folded. It is consent.Fold's rule, repeated here so
// that this package depends on nothing of hashgate's.
func Fold(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.TrimSpace(cases.Fold().String(norm.NFKC.String(s)))
		}
	}
	return strings.ToLower(s)
}

// IdentifierShaped reports whether s looks like it could identify a person
// or a record: it holds an "@" (an address) or a run of 4 or more digits
// (phone, chart, date, postcode, account). Full-width forms count.
func IdentifierShaped(s string) bool {
	run := 0
	for _, r := range norm.NFKC.String(s) {
		switch {
		case r == '@':
			return true
		case unicode.IsDigit(r):
			run++
			if run >= 4 {
				return true
			}
		default:
			run = 0
		}
	}
	return false
}

// Safe reports whether s can be shown on a terminal at all: valid UTF-8,
// no control characters (escape sequences could rewrite the screen) and no
// bidirectional overrides or other invisible format characters (they can
// make a printed line read differently from what it holds).
func Safe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// Guard vetoes values that pass the shape rule but must still not be
// shown (health terms). It returns true to veto.
type Guard func(s string) bool

// Rule is the printing rule with its vocabulary and guard.
type Rule struct {
	Vocabulary *Vocabulary
	Guard      Guard
}

// Known returns hashgate's spelling of s when it is a vocabulary word: the
// one kind of value printable from a single cell.
func (r Rule) Known(s string) (string, bool) { return r.Vocabulary.Word(s) }

// Column collects one column's values and answers which of them may be
// printed. The zero value is not usable; use Rule.Column.
type Column struct {
	rule     Rule
	counts   map[string]int // trimmed value → rows; nil once over MaxDistinct
	vocab    map[string]int // vocabulary display form → rows
	distinct int            // distinct values seen, up to MaxDistinct+1
}

// Column starts collecting a column.
func (r Rule) Column() *Column {
	return &Column{rule: r, counts: map[string]int{}, vocab: map[string]int{}}
}

// Add records one row's cell. Empty cells are ignored.
func (c *Column) Add(cell string) {
	v := strings.TrimSpace(cell)
	if v == "" {
		return
	}
	if w, ok := c.rule.Known(v); ok {
		c.vocab[w]++
	}
	if c.counts == nil {
		return
	}
	if _, ok := c.counts[v]; !ok {
		c.distinct++
		if c.distinct > MaxDistinct {
			c.counts = nil // not categorical: forget every value
			return
		}
	}
	c.counts[v]++
}

// Categorical reports whether the column has few enough distinct values
// for any of them to be printed as categories.
func (c *Column) Categorical() bool { return c.counts != nil }

// Printable reports whether the cell value v may be printed, and the text
// to print: hashgate's own word for a vocabulary word, else v itself when
// it is categorical in this column.
func (c *Column) Printable(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if w, ok := c.rule.Known(v); ok {
		return w, true
	}
	if c.counts == nil || c.counts[v] < MinRepeats || !c.shapeOK(v) {
		return "", false
	}
	return v, true
}

func (c *Column) shapeOK(v string) bool {
	if utf8.RuneCountInString(v) > MaxRunes || !Safe(v) || IdentifierShaped(v) {
		return false
	}
	return c.rule.Guard == nil || !c.rule.Guard(v)
}

// Value is a printable value with the rows that hold it.
type Value struct {
	Text  string
	Count int
	// Known is true for a vocabulary word, false for a categorical value.
	Known bool
}

// Values lists the column's printable values, most frequent first:
// vocabulary words, then categorical values that are not vocabulary words.
func (c *Column) Values() []Value {
	var out []Value
	for w, n := range c.vocab {
		out = append(out, Value{Text: w, Count: n, Known: true})
	}
	for v, n := range c.counts {
		if c.rule.Vocabulary.Has(v) || n < MinRepeats || !c.shapeOK(v) {
			continue
		}
		out = append(out, Value{Text: v, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Text < out[j].Text
	})
	return out
}

// Header decides which cells of a header row may be printed as column
// names. A header found by guessing (explicit false) may be a data row that
// happens to hold a header-like word (同意, phone), so it is printed only
// when every non-empty cell of it is a known header word; otherwise none of
// it is, and commands show column numbers. A header line the caller was
// told (explicit) is printed cell by cell: known header words, and other
// cells that are safe to show and have no identifier shape.
//
// It returns, per cell, the name to print or "" to show the column number.
func Header(cells []string, headerWords *Vocabulary, explicit bool) []string {
	out := make([]string, len(cells))
	all := true
	for i, c := range cells {
		c = strings.TrimSpace(strings.TrimPrefix(c, "\uFEFF"))
		switch {
		case c == "":
		case headerWords.Has(c) && Safe(c):
			out[i] = c // the file's spelling of a word hashgate ships
		case explicit && Safe(c) && !IdentifierShaped(c) && utf8.RuneCountInString(c) <= MaxRunes:
			out[i] = c
		default:
			all = false
		}
	}
	if !explicit && !all {
		clear(out)
	}
	return out
}
