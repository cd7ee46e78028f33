package channels

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
)

// wordRule decides which unmatched source words the report may name,
// under the printing rule every command shares (package printable): a
// word of hashgate's channel vocabulary (printable.ChannelWords and the
// platforms' source words) that is no health term, shown in hashgate's
// spelling. Any other source value — a referrer's name seen six times — is
// counted under Unattributed and never named.
type wordRule struct {
	rule printable.Rule
	col  *printable.Column
	// vocabulary is the rule's words, whose tokens the report looks for
	// in the cells that may name a person (counter.ident).
	vocabulary []string
}

func newWordRule(cfg *config.Config) *wordRule {
	words := printable.ChannelWords()
	for _, p := range platform.All {
		words = append(words, p.Spec().SourceWords...)
	}
	guard := cfg.PHIGuard()
	r := printable.Rule{Vocabulary: printable.NewVocabulary().Loose(words...), Guard: func(s string) bool {
		_, hit := guard.Find(s)
		return hit
	}}
	return &wordRule{rule: r, col: r.Column(), vocabulary: words}
}

// wordUnknown marks a booking's row whose source cell, neither a channel's
// word nor one of hashgate's vocabulary, sent it to Unattributed: a
// review's mainland export put 366 of 600 rows there (百度推广, 巨量引擎, …)
// while unmatched_sources, which names vocabulary words only, stayed empty
// and stderr said nothing.
const wordUnknown int32 = -2

// known says whether src is a word of the vocabulary the report may name.
func (w *wordRule) known(src string) bool {
	_, ok := w.rule.Vocabulary.Word(src)
	return ok
}

// unknownSourcesWarning says, for stderr, that some bookings of [from,
// to] went to Unattributed because their source cell held a word hashgate
// does not know — never the word (the cell may hold a referrer's name).
// Released, it names the kind without a count ("Stderr names kinds, not
// counts": a count of this part of Unattributed's bookings, beside the
// printed words' and Unattributed's own, would be a sum the release rule
// does not protect); --exact gives the count.
func (t *tally) unknownSourcesWarning(from, to int32) string {
	n := 0.0
	for d, c := range t.unknownDays {
		if d >= from && d <= to {
			n += c
		}
	}
	if n == 0 {
		return ""
	}
	const why = "under Unattributed: their source cell holds a value no channel lists and hashgate does not know (not shown: it may name a person); add the words the export uses for a channel to channels.list"
	if t.rel != nil {
		return "some bookings are " + why
	}
	return fmt.Sprintf("%d booking(s) are %s", int(n), why)
}

// maxWords bounds the distinct vocabulary words a report tracks.
const maxWords = 256

// index records an unmatched source cell and returns its word's index, or
// -1 for a value that is no vocabulary word (never named, so not tracked).
func (w *wordRule) index(t *tally, src string) int32 {
	word, ok := w.rule.Vocabulary.Word(src)
	if !ok {
		return -1
	}
	w.col.Add(src)
	k := consent.Fold(word) // "Google-Ads" and "google ads" are one word
	if i, ok := t.wordIdx[k]; ok {
		return i
	}
	if len(t.words) >= maxWords {
		return -1
	}
	i := int32(len(t.words))
	t.words = append(t.words, k)
	t.wordIdx[k] = i
	return i
}

// unmatched lists the printable words with their bookings in [from, to],
// most bookings first, then by word. Of several spellings of one word
// (folded alike), the most frequent printable one is shown — chosen from
// counts, so the same whatever the row order.
func (t *tally) unmatched(from, to int32) []SourceWord {
	w := t.wordRule
	if w == nil {
		return nil
	}
	var out []SourceWord
	done := map[int32]bool{}
	shown, _ := w.col.Values(t.ident)
	for _, v := range shown { // most rows first, then by text
		i, ok := t.wordIdx[consent.Fold(v.Text)]
		if !ok || done[i] {
			continue
		}
		done[i] = true
		n := t.wordBookings(i, from, to)
		if n == 0 {
			continue
		}
		out = append(out, SourceWord{Word: v.Text, Bookings: Value{V: n, State: Shown}})
	}
	slices.SortFunc(out, func(a, b SourceWord) int {
		if a.Bookings.V != b.Bookings.V {
			return cmp.Compare(b.Bookings.V, a.Bookings.V)
		}
		return strings.Compare(a.Word, b.Word)
	})
	return out
}
