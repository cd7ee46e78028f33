package run

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// heldRuns is a runsReader of a ledger holding runs at a generation.
type heldRuns struct {
	runs []string
	gen  int64
}

func (h heldRuns) HasRun(_ context.Context, id string) (bool, error) {
	return slices.Contains(h.runs, id), nil
}
func (h heldRuns) RunIDs(context.Context, int) ([]string, error) { return h.runs, nil }
func (h heldRuns) Generation(context.Context) (int64, error)     { return h.gen, nil }

// TestWhichLedgerRecordsAreRead: the record under the path as configured
// is read when no record is kept under the resolved path (one an older
// hashgate wrote under that key alone) and when it was written for
// another resolved path (a link re-pointed), and passed over when the
// resolved path's record, which every spelling writes, supersedes it (it
// went stale as another config sharing the ledger ran).
func TestWhichLedgerRecordsAreRead(t *testing.T) {
	root := t.TempDir()
	disk, link := filepath.Join(root, "disk"), filepath.Join(root, "link")
	if err := os.Mkdir(disk, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(disk, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	lpath := filepath.Join(link, "ledger.db")
	resolved := canonical(lpath)
	led := heldRuns{runs: []string{"R3"}, gen: 5}
	for _, c := range []struct {
		name                 string
		resolvedRec, linkRec *LedgerRecord
		behind               bool
	}{
		{"an older hashgate's record under the configured path alone, behind", nil, &LedgerRecord{Ledger: resolved, RunID: "R9", Generation: 9}, true},
		{"an older hashgate's record under the configured path alone, held", nil, &LedgerRecord{Ledger: resolved, RunID: "R3", Generation: 5}, false},
		{"a stale configured record superseded", &LedgerRecord{Ledger: resolved, RunID: "R3", Generation: 5}, &LedgerRecord{Ledger: resolved, RunID: "R1", Generation: 2}, false},
		{"a configured record of another resolved path", &LedgerRecord{Ledger: resolved, RunID: "R3", Generation: 5}, &LedgerRecord{Ledger: filepath.Join(root, "old", "ledger.db"), RunID: "R9", Generation: 9}, true},
		{"the resolved record behind", &LedgerRecord{Ledger: resolved, RunID: "R3", Generation: 7}, &LedgerRecord{Ledger: resolved, RunID: "R3", Generation: 5}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			state := t.TempDir()
			env := &Env{Now: time.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), StateDir: func() (string, error) { return state, nil }}
			files := ledgerRecordPaths(state, lpath)
			if len(files) != 2 {
				t.Fatalf("%d record paths for a link's spelling, want 2", len(files))
			}
			for i, rec := range []*LedgerRecord{c.resolvedRec, c.linkRec} {
				if rec == nil {
					continue
				}
				b, _ := json.Marshal(rec)
				os.MkdirAll(filepath.Dir(files[i]), 0o700)
				if err := os.WriteFile(files[i], b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := LedgerBehind(context.Background(), env, led, lpath)
			if err != nil || (got != nil) != c.behind {
				t.Errorf("behind %+v (%v), want behind %v", got, err, c.behind)
			}
		})
	}
}
