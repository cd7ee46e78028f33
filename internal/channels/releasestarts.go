package channels

import (
	"crypto/sha256"
	"encoding/hex"
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
// the last report of the same export (startsRecord).
const StartsFile = "channels.starts"

// starts is one export's record: per year, the first day of that year
// the running totals held (1 January when the export reached back
// further).
type starts map[string]string

// startsRecord is the file's content: one record per export (Options.
// Export), under a keyed digest of its name, so that a chain's branches
// reported in turn (A, B, A) compare each report with its own export's
// last — one record for the directory warned at every report that "a
// reader holding both reports has two draws of each", false for two
// exports (a review of a chain of clinics). The digest, not the path: a
// state file names no file a person might have named after a patient.
// Seq orders the records by when each was last written, so the oldest
// goes first past maxStartsRecords.
type startsRecord struct {
	Exports map[string]*startsEntry `json:"exports"`
	Seq     int64                   `json:"seq"`
}

type startsEntry struct {
	Years starts `json:"years"`
	Seq   int64  `json:"seq"`
}

// maxStartsRecords bounds the file: a chain's branches, and then some.
const maxStartsRecords = 256

// exportKey is the record key of an export named export: 16 bytes of
// SHA-256 in a domain of its own, in hex.
func exportKey(export string) string {
	h := sha256.Sum256([]byte("hashgate/channels-starts/v1\x00" + export))
	return hex.EncodeToString(h[:16])
}

// readStarts reads the record at path: empty when there is none or it
// is damaged (a damaged record only loses the comparison). A record of
// the single-export format hashgate wrote before (a year → day map) is
// taken for this export's: the installation that wrote it had one.
func readStarts(path, key string) (*startsRecord, error) {
	rec := &startsRecord{Exports: map[string]*startsEntry{}}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return rec, nil
	case err != nil:
		return nil, fmt.Errorf("release record: %w", err)
	}
	var cur startsRecord
	if json.Unmarshal(b, &cur) == nil && cur.Exports != nil {
		maps.DeleteFunc(cur.Exports, func(_ string, e *startsEntry) bool { return e == nil })
		return &cur, nil
	}
	var old starts
	if json.Unmarshal(b, &old) == nil && len(old) > 0 {
		rec.Exports[key] = &startsEntry{Years: old}
	}
	return rec, nil
}

// checkStarts compares the first day the report's running totals hold, per
// calendar year of from…to, with what dir records for export (the export
// file's absolute path, or "-" for standard input), returns a warning for
// each year where it moved, and records the new days. minDay is the
// export's first day.
func checkStarts(dir, export string, minDay, from, to int32) ([]string, error) {
	path := filepath.Join(dir, StartsFile)
	key := exportKey(export)
	rec, err := readStarts(path, key)
	if err != nil {
		return nil, err
	}
	old := starts{}
	if e := rec.Exports[key]; e != nil && e.Years != nil {
		old = e.Years
	}
	cur := maps.Clone(old)
	var warnings []string
	for y := yearStart(from); y <= to; y = nextYear(y) {
		year := strconv.Itoa(dayTime(y).Year())
		first := dayTime(max(minDay, y)).Format(time.DateOnly)
		if was, ok := old[year]; ok && was != first {
			warnings = append(warnings, fmt.Sprintf(
				"the figures of %s are released as running totals from the first day the export holds: %s now, %s in the last report of this export — so every figure of %s after it drew new noise, and a reader holding both reports has two draws of each (export from 1 January, or from the same day every time; README: Small cells)",
				year, first, was, year))
		}
		cur[year] = first
	}
	if e := rec.Exports[key]; e != nil && maps.Equal(old, cur) && e.Seq == rec.Seq {
		return warnings, nil // unchanged, and already the latest written
	}
	rec.Seq++
	rec.Exports[key] = &startsEntry{Years: cur, Seq: rec.Seq}
	for len(rec.Exports) > maxStartsRecords {
		oldest := ""
		for k, e := range rec.Exports {
			if oldest == "" || e.Seq < rec.Exports[oldest].Seq {
				oldest = k
			}
		}
		delete(rec.Exports, oldest)
	}
	b, err := json.MarshalIndent(rec, "", "  ")
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
