package run

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"
)

// The state directory's run reports (reports/<run-id>.json, finish) were
// kept until someone deleted them: a year of nightly uploads left 365 of
// them, about 9.6 KB a night, and an operator who set
// ledger.retention_days to keep less expected them to go with the
// ledger's entries (the year-of-nights review). They hold counts, reasons,
// request ids and the export's path, no raw cell, but they are a record of
// every night all the same. So the upload's retention prunes them at the
// point it prunes the ledger, by the same cut: what retention measured
// from (the clock, or the newest event a platform accepted when that is
// earlier: ledger.Retain) less retention_days.
//
// A report's time is its run id's, which the ledger made from its clock
// when the run started (ledger.StartRun: 20060102T150405Z-hex): the name
// says it, and a copied or touched file's mtime does not. Nothing whose
// name is not a run id's report is touched — the directory is the user's
// too (a `--report` path of theirs may lie there) — nor anything that is
// not a regular file (a link named like a report is left, never
// followed).

// reportName is a run report's file name: the run id (ledger.StartRun)
// and ".json". Compiled on first use: a package-level regexp allocates at
// every start of the binary, prune or not (TestInitAllocationBudget).
var reportName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([0-9]{8}T[0-9]{6}Z)-[0-9a-f]{6}\.json$`)
})

// pruneReports deletes from dir (the state directory's reports/) the run
// reports whose run started before cut. It returns how many it deleted;
// a directory that is not there is nothing to prune.
func pruneReports(dir string, cut time.Time) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, e := range entries {
		m := reportName().FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		started, err := time.Parse("20060102T150405Z", m[1])
		if err != nil || !started.Before(cut) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
