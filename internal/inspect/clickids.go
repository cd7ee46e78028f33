package inspect

import (
	"strings"

	"github.com/hashgate/hashgate/internal/plaintext"
	"github.com/hashgate/hashgate/internal/platform"
)

// ClickIDs is the share of rows that carry an ad click id, per kind: the
// rows Google can be told about under its health-data policy (click ids
// only, issue 23) and the rows `hashgate channels` attributes by click.
// Counts only; no value.
type ClickIDs struct {
	// Google counts rows with a valid gclid, gbraid or wbraid; Meta rows
	// with a valid fbclid. Columns are found by header name.
	Google int `json:"google"`
	Meta   int `json:"meta"`
	// Columns says whether the export has such a column at all.
	GoogleColumns bool `json:"google_columns"`
	MetaColumns   bool `json:"meta_columns"`
}

// clickColumns finds the click-id columns by header: gclid and fbclid by
// the header synonyms mapping uses, gbraid and wbraid by name.
func clickColumns(header []string) (google, meta []int) {
	for i, h := range header {
		fold := strings.ToLower(strings.TrimSpace(h))
		switch {
		case headerScore(platform.KeyGCLID, h) >= minScore || fold == platform.KeyGBRAID || fold == platform.KeyWBRAID:
			google = append(google, i)
		case headerScore(platform.KeyFBCLID, h) >= minScore:
			meta = append(meta, i)
		}
	}
	return google, meta
}

// anyClickID reports whether any of cols holds a click id that fits the
// grammar every sink checks (plaintext.ClickID): what an upload would send.
func anyClickID(cells []string, cols []int) bool {
	for _, i := range cols {
		if i < len(cells) && plaintext.ClickID(strings.TrimSpace(cells[i])) {
			return true
		}
	}
	return false
}
