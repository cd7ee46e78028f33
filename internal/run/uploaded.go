package run

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/platformcsv"
)

// ReasonInUploadedFile is why a conversion is left out of a manual-upload
// file: an earlier file of the same format, which the user says was
// uploaded (write --uploaded), holds its event id.
const ReasonInUploadedFile = "in_uploaded_file"

// uploadedFiles are the event ids of the files `write --uploaded` names:
// the files of this format a person uploaded. Only the person knows that a
// file was uploaded — a file written may never have been — so nothing is
// remembered of a file until it is named here, and an event of a file
// written and never uploaded is in the next file again.
type uploadedFiles struct {
	ids   map[eventid.ID]struct{}
	files int
	other int // files of another format in a directory, skipped
	// digests name each file's record of what it was written from
	// (idsDigest, writtenshape.go); newest is the newest event they hold
	// by those records (zero: none known).
	digests []string
	newest  time.Time
}

// readUploaded reads the files and directories (their *.csv files) of
// --uploaded, as files of format f. A file named on its own must be of f:
// the event ids of a row are the same for both platforms, and a Google
// file's events left out of Meta's would reach Meta never. In a directory,
// files of the other format are skipped (one folder may keep both). out,
// the file being written, may be neither one of them nor in one of the
// directories: a file written is not a file uploaded.
func readUploaded(f platformcsv.Format, paths []string, out string) (*uploadedFiles, error) {
	u := &uploadedFiles{ids: map[eventid.ID]struct{}{}}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, &UsageError{Err: fmt.Errorf("--uploaded %s: %s", DisplayPath(p), readCause(err))}
		}
		if !st.IsDir() {
			if out != "" && sameFile(out, p) {
				return nil, &UsageError{Err: fmt.Errorf("--uploaded %s is the --out file: a file is named as uploaded once a person has uploaded it, never as it is written", DisplayPath(p))}
			}
			if err := u.read(f, p, true); err != nil {
				return nil, err
			}
			continue
		}
		if out != "" && sameFile(filepath.Dir(out), p) {
			return nil, &UsageError{Err: fmt.Errorf("--out %s is in the --uploaded directory %s: a file written there would count as uploaded before anyone uploaded it; write it elsewhere and move it there once uploaded", DisplayPath(out), DisplayPath(p))}
		}
		// Files ending in .csv in any case: Windows shows META.CSV and
		// meta.csv alike, and a folder of the first was read as holding
		// nothing (a review): every event written again.
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, &UsageError{Err: fmt.Errorf("--uploaded %s: %s", DisplayPath(p), readCause(err))}
		}
		var names []string
		for _, e := range entries {
			if e.Type().IsRegular() && strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
				names = append(names, filepath.Join(p, e.Name()))
			}
		}
		slices.Sort(names)
		for _, name := range names {
			if err := u.read(f, name, false); err != nil {
				return nil, err
			}
		}
	}
	return u, nil
}

// read adds the event ids of one file; alone: it was named on its own.
func (u *uploadedFiles) read(f platformcsv.Format, path string, alone bool) error {
	fh, err := os.Open(path)
	if err != nil {
		return &UsageError{Err: fmt.Errorf("--uploaded %s: %s", DisplayPath(path), readCause(err))}
	}
	defer fh.Close()
	var ids []eventid.ID
	got, err := platformcsv.ReadBack(fh, func(id eventid.ID) { ids = append(ids, id) })
	switch {
	case err != nil:
		return &UsageError{Err: fmt.Errorf("--uploaded %s: %v", DisplayPath(path), err)}
	case got.Name != f.Name && alone:
		return &UsageError{Err: fmt.Errorf("--uploaded %s is a %s file, not %s: its events were uploaded to %s, and leaving them out of this file would keep them from %s", DisplayPath(path), got.Name, f.Name, got.Platform.Spec().Title, f.Platform.Spec().Title)}
	case got.Name != f.Name:
		u.other++
		return nil
	}
	u.files++
	if d := idsDigest(ids); d != "" {
		u.digests = append(u.digests, d)
	}
	for _, id := range ids {
		u.ids[id] = struct{}{}
	}
	return nil
}

// fileFilter sits in front of a manual-upload file, after the pre-flight:
// it leaves out what the --uploaded files hold (counted as not sent, with
// ReasonInUploadedFile) and counts what goes into the file older than the
// platform's deduplication window for files (Format.DedupWindow), which
// an earlier file may have uploaded already.
type fileFilter struct {
	next    sink.Sink
	p       platform.Platform
	up      *uploadedFiles // nil: no --uploaded
	window  time.Duration
	now     time.Time
	sum     *report.Summary
	left    int // left out: in an uploaded file
	pastWin int // written, older than window
	// written counts what went on to the file, before counts those dated
	// no later than the newest event of the uploaded files (up.newest),
	// newest is the newest of them (the file's record, writtenShape).
	written, before int
	newest          time.Time
	// accept is --accept-new-ids: nil, the file of only unknown ids stops
	// (unknownErr); else it is told the stop it passed.
	accept func(stop string)
}

// Write implements sink.Sink; conversions come from one goroutine.
func (f *fileFilter) Write(c *conversion.Conversion) error {
	if c.Platform == f.p {
		if f.up != nil && (f.up.has(c.EventID) || c.LegacyID != "" && f.up.has(c.LegacyID)) {
			f.left++
			f.sum.Conversions[f.p.String()]--
			f.sum.Skip(f.p.String(), ReasonInUploadedFile)
			return nil
		}
		if f.window > 0 && c.OlderThan(f.now, f.window) {
			f.pastWin++
		}
		f.written++
		if f.up != nil && !f.up.newest.IsZero() && !c.Time.After(f.up.newest) {
			f.before++
		}
		if c.Time.After(f.newest) {
			f.newest = c.Time
		}
	}
	return f.next.Write(c)
}

func (u *uploadedFiles) has(id eventid.ID) bool {
	_, ok := u.ids[id]
	return ok
}

// Close implements sink.Sink: a file of only unknown ids dated within what
// the uploaded files held stops here (unknownErr), before the platform's
// file is finished, and nothing is written.
func (f *fileFilter) Close() error {
	if err := f.unknownErr(); err != nil {
		if f.accept == nil {
			return err
		}
		f.accept(report.StopNewEventIDs)
	}
	return f.next.Close()
}

// unknownErr is upload's safety net (newids.go) over the --uploaded files:
// none of their event ids is in this file, yet more than half of its
// conversions (at least newIDsMin, or as many as the files held when that
// is fewer: a small clinic's) are dated no later than the newest event
// they held — the same visits under other ids (another secret, another
// input.columns.order_id, ids a spreadsheet changed), each counted again.
// It only warned (a review). The newest event is known from the files'
// records (writtenShape); without one, the notice warns as before. A
// week of visits all newer than the files is new, and written.
func (f *fileFilter) unknownErr() error {
	u := f.up
	if u == nil || len(u.ids) == 0 || f.left > 0 || u.newest.IsZero() {
		return nil
	}
	if 2*f.before <= f.written || f.before < min(newIDsMin, len(u.ids)) {
		return nil
	}
	return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
		"none of the %d event id(s) of the --uploaded files is in this export, yet %d of the %d conversions for this file are dated on or before the newest event they hold: "+
			"the order id no longer makes the ids it made, and %s would count those visits again. Check input.columns.order_id and the secret (HASHGATE_SECRET) against the config the uploaded files were written under, "+
			"and that the export's order-id column still holds the same values (a spreadsheet drops leading zeros). If these really are new visits, run `hashgate write --accept-new-ids` once; nothing was written",
		len(u.ids), f.before, f.written, f.p.Spec().Title)}
}

// notices says what the summary must: what --uploaded left out, or that
// its files matched nothing; and, without --uploaded, that a file holding
// events older than the platform's window counts again those an earlier
// file uploaded.
func (f *fileFilter) notices(format platformcsv.Format) []string {
	days := int(f.window / (24 * time.Hour))
	title := f.p.Spec().Title
	var out []string
	if u := f.up; u != nil {
		skipped := ""
		if u.other > 0 {
			skipped = fmt.Sprintf("; %d file(s) of another format skipped", u.other)
		}
		out = append(out, fmt.Sprintf("--uploaded: %d %s file(s) read, %d event id(s)%s; %d conversion(s) already in them left out of this file (%s)",
			u.files, format.Name, len(u.ids), skipped, f.left, ReasonInUploadedFile))
		if len(u.ids) > 0 && f.left == 0 {
			out = append(out, fmt.Sprintf("none of the %d event id(s) of the --uploaded files is in this export: if it still holds those visits, the files were written under another secret (HASHGATE_SECRET) or input.columns.order_id, and this file counts them again on %s", len(u.ids), title))
		}
		return out
	}
	if f.pastWin > 0 {
		out = append(out, fmt.Sprintf("%d conversion(s) in this file are more than %d days old: %s skips an uploaded event as a duplicate only of one uploaded in the last %d days, so those an earlier file uploaded before then count again. Keep each file you upload in a folder and name it with --uploaded: what those files hold is left out",
			f.pastWin, days, title, days))
	}
	return out
}
