package pipeline

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/identifier"
)

// TestAControlInsideANameIsCountedNotSent: a DEL or a C1 control inside a
// name cell (export damage) drops that identifier for every platform as
// control_character, counted with its column and never with the cell,
// while the row's other identifiers go (Google's address, all or nothing,
// goes with it); and a Meta name whose punctuation leaves a zero-width
// mark at its edge hashes as its clean spelling, so a re-saved or cleaned
// export sends the patient the same hash.
func TestAControlInsideANameIsCountedNotSent(t *testing.T) {
	cfg := baseConfig()
	cfg.Destinations.Google.Identifiers = []string{"email", "first_name", "last_name", "postal_code", "country"}
	cfg.Destinations.Meta.Identifiers = []string{"email", "first_name", "last_name"}
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,Jo\x7fhn!,O\u0092Connor,10617,TW,yes,\n" +
		"A2,2026-11-02 09:00,completed,b@example.com,,,Ann\u200b!,Lee,10617,TW,yes,\n" +
		"A3,2026-11-02 09:00,completed,c@example.com,,,ann,Lee,10617,TW,yes,\n"
	sink, sum := run(t, cfg, body)
	for _, key := range []string{"google first_name control_character", "meta first_name control_character", "google last_name control_character", "meta last_name control_character"} {
		if sum.Dropped[key] != 1 {
			t.Errorf("dropped %s %d, want 1 (all: %v)", key, sum.Dropped[key], sum.Dropped)
		}
	}
	if got := sum.DroppedColumns["meta first_name control_character"]; !slices.Equal(got, []string{"first"}) {
		t.Errorf("columns %q, want [first]", got)
	}
	var b strings.Builder
	if err := sum.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, "Jo") || strings.Contains(s, "Connor") || strings.ContainsAny(s, "\x7f\u0092") {
		t.Errorf("the summary holds a cell:\n%s", s)
	}
	type key struct {
		p    identifier.Platform
		line int
	}
	sent := map[key][]identifier.Sent{}
	for _, c := range sink.got {
		sent[key{c.Platform, c.Line}] = c.Identifiers
	}
	for _, p := range []identifier.Platform{identifier.Google, identifier.Meta} {
		if a1 := sent[key{p, 2}]; len(a1) != 1 || a1[0].Field() != identifier.Email {
			t.Errorf("%s A1: %d identifiers, want its e-mail alone", p, len(a1))
		}
	}
	// Google keeps the "!", and with it the mark inside; Meta removes both.
	if a2, a3 := sent[key{identifier.Meta, 3}], sent[key{identifier.Meta, 4}]; len(a2) != 3 || !slices.Equal(a2[1:], a3[1:]) {
		t.Errorf("meta: \"Ann\\u200b!\" and \"ann\" sent differently")
	}
}
