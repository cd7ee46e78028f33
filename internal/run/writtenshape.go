package run

// # What the files uploaded by hand were written from
//
// An upload holds tonight's order ids to the shape of the last upload's,
// which the ledger keeps (pipeline.IDShape): a spreadsheet that dropped
// the ids' leading zeros stops it before a visit goes twice. `write` has
// no ledger, and only the person knows which file written was uploaded:
// a re-saved export's visits went into the next file under new event ids
// and Meta counted them again, exit 0 (a review). So `write` keeps, for
// each file it writes to a path, the shape of the order ids of the export
// it was written from, in the state directory's written/ folder, under the
// SHA-256 of the file's event ids (sorted; the file read back as --uploaded
// reads it). A file named by --uploaded finds its record by the same
// digest, and the records of the files uploaded, oldest written first,
// are the prior the export is held to (IDShape.Kept, as the ledger keeps
// night after night). A file written and never uploaded is never named,
// and its shape is never the prior. A record holds counts, lengths, a
// zone name and a time: never an id, never a value.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/sink/platformcsv"
)

// writtenDir is the state directory's folder of writtenShape records.
const writtenDir = "written"

// writtenShape is what `write` keeps of one file it wrote.
type writtenShape struct {
	// OrderID is input.columns.order_id: a record of other columns says
	// nothing of these ids.
	OrderID []string `json:"order_id"`
	// Shape is the order ids' pipeline.IDShape (its text form) and Zone
	// the zone a composite id's times were written in.
	Shape string `json:"shape"`
	Zone  string `json:"zone,omitempty"`
	// Accepted: written under --accept-new-ids; its shape replaces the
	// prior's (IDShape.Kept).
	Accepted bool `json:"accepted,omitempty"`
	// Newest is the newest event the file holds: a file of only unknown
	// ids dated no later is the same visits under other ids.
	Newest  time.Time `json:"newest"`
	Written time.Time `json:"written"`
}

// idsDigest is the name a file's record is kept under: the SHA-256 of its
// event ids, sorted, one a line; "" for a file of none.
func idsDigest(ids []eventid.ID) string {
	if len(ids) == 0 {
		return ""
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	slices.Sort(s)
	sum := sha256.Sum256([]byte(strings.Join(s, "\n")))
	return hex.EncodeToString(sum[:])
}

// priorWritten is what the records of the files uploaded say: the shape
// their exports' order ids had (nil: no record of them, nothing to hold
// this export to) and the newest event they hold (zero: unknown).
func priorWritten(env *Env, cols []string, digests []string) (*pipeline.IDShape, time.Time) {
	if env.StateDir == nil {
		return nil, time.Time{}
	}
	dir, err := env.StateDir()
	if err != nil {
		return nil, time.Time{}
	}
	var recs []writtenShape
	for _, d := range digests {
		b, err := os.ReadFile(filepath.Join(dir, writtenDir, d+".json"))
		if err != nil {
			continue // written elsewhere, or before hashgate kept records
		}
		var w writtenShape
		if json.Unmarshal(b, &w) != nil || !slices.Equal(w.OrderID, cols) {
			continue
		}
		recs = append(recs, w)
	}
	slices.SortStableFunc(recs, func(a, b writtenShape) int { return a.Written.Compare(b.Written) })
	var prior *pipeline.IDShape
	var newest time.Time
	for _, w := range recs {
		var s pipeline.IDShape
		if s.UnmarshalText([]byte(w.Shape)) != nil {
			continue
		}
		s.Zone = w.Zone
		kept := s.Kept(prior, w.Accepted)
		prior = &kept
		if w.Newest.After(newest) {
			newest = w.Newest
		}
	}
	return prior, newest
}

// keepWritten keeps the record of the file written at out (a path; a file
// written to stdout is read by no one here, and has none): read back as
// --uploaded will read it. A record not kept is said, not the run's
// failure: the file is written, and the next write holds nothing to it.
func keepWritten(env *Env, f platformcsv.Format, out string, w writtenShape) {
	if out == "" || out == "-" || env.StateDir == nil {
		return
	}
	err := func() error {
		dir, err := env.StateDir()
		if err != nil {
			return err
		}
		fh, err := os.Open(out)
		if err != nil {
			return err
		}
		defer fh.Close()
		var ids []eventid.ID
		if _, err := platformcsv.ReadBack(fh, func(id eventid.ID) { ids = append(ids, id) }); err != nil {
			return err
		}
		d := idsDigest(ids)
		if d == "" {
			return nil // nothing in it to upload
		}
		b, err := json.Marshal(w)
		if err != nil {
			return err
		}
		return WriteFileAtomic(filepath.Join(dir, writtenDir, d+".json"), append(b, '\n'))
	}()
	if err != nil {
		env.Logger.Warn("could not keep the shape of the order ids this file was written from: once it is uploaded, the next write will not stop on ids a spreadsheet trimmed", "format", f.Name, "error", bareErr(err))
	}
}
