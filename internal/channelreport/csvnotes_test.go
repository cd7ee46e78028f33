package channelreport

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/config"
)

// csvOf is r's CSV read back by a strict reader: every record as wide as
// the header, as a spreadsheet's import takes a table.
func csvOf(t *testing.T, r *channels.Report) (string, [][]string) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("the CSV is not one table: %v", err)
	}
	return b.String(), recs
}

// withUnattributed is withLTV with an ASCII name, an Unattributed line and
// two source words no channel lists, one of them a small count.
func withUnattributed() *channels.Report {
	r := withLTV()
	r.Applicable[channels.Pending], r.Applicable[channels.ClaimedVsVisits] = true, true
	r.Applicable[channels.CACLow], r.Applicable[channels.CACHigh] = true, true
	r.Channels[0].Name = "Google Ads"
	u := channels.Line{Name: config.Unattributed}
	u.Values[channels.Bookings] = shownV(14)
	r.Channels = append(r.Channels, u)
	r.Unmatched = []channels.SourceWord{{Word: "walk-in", Bookings: shownV(12)}, {Word: "=flyer", Bookings: channels.Value{State: channels.Small}}}
	return r
}

// TestCSVCarriesNotesAndDefinitions: the terminal and the page say which
// source words no channel lists and how each ratio is computed; the CSV
// said neither. It carries them in a last column, note — the source words
// on the window's Unattributed record, each definition on a record of
// level "definition" after the table — so that every record is as wide as
// the header, the figures' columns hold figures only, and a reader that
// keeps level "window" or "period" reads what it always did. The text is
// ASCII (÷ written /), so an English report gains no byte-order mark, and
// every cell is formula-safe.
func TestCSVCarriesNotesAndDefinitions(t *testing.T) {
	raw, recs := csvOf(t, withUnattributed())
	head := recs[0]
	if head[len(head)-1] != "note" {
		t.Fatalf("the last column is %q, want note: %v", head[len(head)-1], head)
	}
	note, level, channel := len(head)-1, 0, slices.Index(head, "channel")
	var defs []string
	for _, rec := range recs[1:] {
		switch {
		case rec[level] == "window" && rec[channel] == config.Unattributed:
			if want := "source words no channel lists, counted here (add them to channels.list): walk-in (12), =flyer (<5)"; rec[note] != want {
				t.Errorf("Unattributed's note %q, want %q", rec[note], want)
			}
		case rec[level] == "definition":
			for i, c := range rec {
				if i != note && i != level && c != "" {
					t.Errorf("a definition fills column %s with %q", head[i], c)
				}
			}
			defs = append(defs, rec[note])
		case rec[note] != "":
			t.Errorf("%s %s has a note %q", rec[level], rec[channel], rec[note])
		}
	}
	joined := strings.Join(defs, "\n")
	for _, want := range []string{
		"show_rate = visits / (visits + no-shows); pending appointments and cancellations are left out.",
		"cac = spend / new patients (patients whose first visit in the export falls in the window).",
		"cac_low, cac_high = ", "cost_per_visit = spend / visits.", "roas = the revenue of every visit",
		"booking_rate = bookings_made (each dated the day it was made, input.columns.booked_at) / the platform's clicks; bookings counts",
		"ltv = the revenue of each new patient's first 14 days", "claimed_vs_visits = ", "pending = appointments on or after --as-of",
		"total = every channel, walk-ins and referrals included",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("no definition %q in:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "print —") || strings.Contains(joined, "print -") {
		t.Errorf("the CSV's Total keeps its costs; its definition says they print as —:\n%s", joined)
	}
	if !isASCII([]byte(raw)) && !strings.HasPrefix(raw, utf8BOM) {
		t.Error("a CSV beyond ASCII without a byte-order mark")
	}
	if strings.HasPrefix(raw, utf8BOM) {
		t.Errorf("an English report's CSV gained a byte-order mark: %q", strings.Map(func(r rune) rune {
			if r < 0x80 {
				return -1
			}
			return r
		}, raw))
	}
	for _, rec := range recs {
		for _, c := range rec {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
}
