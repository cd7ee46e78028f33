package channels

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hashgate/hashgate/internal/outfile"
)

// StartsFile records, in hashgate's state directory, where each calendar
// year's running totals started in the last released report.
//
// A running total counts the bookings of its line from 1 January to its
// day — of those the export holds. An export that starts after 1 January
// (a system adopted mid-year, or a rolling "last 90 days" download) gives
// running totals that start with it, and one that starts on another day
// gives other running totals: other records, other cell keys, a new draw
// for every one of them after the start. A reader holding the reports of
// many nights of a rolling export then holds many draws of the same
// windows and can average the noise away, which the fixed start of the
// calendar grid hashgate used before did not allow for whole months. The
// rule cannot keep records an export no longer holds, so it says when it
// happens: each released report records, per year its windows touch, the
// first day its running totals hold, and warns when that day moved since
// the last report.
const StartsFile = "channels.starts"

// starts is the file's content: per year, the first day of that year the
// running totals held (1 January when the export reached back further).
type starts map[string]string

// checkStarts compares the first day the report's running totals hold, per
// calendar year of from…to, with what dir records, returns a warning for
// each year where it moved, and records the new days. minDay is the
// export's first day.
func checkStarts(dir string, minDay, from, to int32) ([]string, error) {
	path := filepath.Join(dir, StartsFile)
	old := starts{}
	switch b, err := os.ReadFile(path); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("release record: %w", err)
	default:
		if err := json.Unmarshal(b, &old); err != nil {
			// A damaged record only loses the comparison: say so, start
			// anew.
			old = starts{}
		}
	}
	cur := maps.Clone(old)
	var warnings []string
	for y := yearStart(from); y <= to; y = nextYear(y) {
		year := strconv.Itoa(dayTime(y).Year())
		first := dayTime(max(minDay, y)).Format(time.DateOnly)
		if was, ok := old[year]; ok && was != first {
			warnings = append(warnings, fmt.Sprintf(
				"the figures of %s are released as running totals from the first day the export holds: %s now, %s in the last report — so every figure of %s after it drew new noise, and a reader holding both reports has two draws of each (export from 1 January, or from the same day every time; README: Small cells)",
				year, first, was, year))
		}
		cur[year] = first
	}
	if maps.Equal(old, cur) {
		return warnings, nil
	}
	b, err := json.MarshalIndent(cur, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(path, append(b, '\n')); err != nil {
		return nil, fmt.Errorf("release record: %w", err)
	}
	return warnings, nil
}

// writeFileAtomic writes b to path through a temporary file (mode 0600)
// renamed into place (outfile), so a reader never sees half a record.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return outfile.WriteFile(path, b)
}
