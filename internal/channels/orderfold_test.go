package channels

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestARespelledOrderIDIsOneOrder: the channel report groups orders by
// the folded id, as the upload does (celltext.Fold): the fixture with
// every third row's appointment id typed full-width, or pasted with a
// zero-width space inside, gives the report of the fixture, to the byte.
// Before, the respelled rows of a rescheduled order counted as another
// booking, and a respelled id drew other noise.
func TestARespelledOrderIDIsOneOrder(t *testing.T) {
	cfg := fixtureConfig()
	cfg.Channels.MinCell = 5
	header, rows := fixtureExport(t)
	want, _ := json.Marshal(reportOf(t, cfg, header, rows, 0, 0))
	for name, spell := range map[string]func(string) string{
		"full-width": func(s string) string {
			return strings.Map(func(r rune) rune {
				if '!' <= r && r <= '~' {
					return r - '!' + '！'
				}
				return r
			}, s)
		},
		"zero-width-space": func(s string) string { return s[:2] + "\u200b" + s[2:] },
	} {
		respelled := make([]string, len(rows))
		for i, row := range rows {
			id, rest, _ := strings.Cut(row, ",")
			if i%3 == 0 {
				id = spell(id)
			}
			respelled[i] = id + "," + rest
		}
		got, _ := json.Marshal(reportOf(t, cfg, header, respelled, 0, 0))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the report differs from the fixture's", name)
		}
	}
}
