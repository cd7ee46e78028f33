package run

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// partialReport is what a stopped run's report says of its counts.
type partialReport struct {
	ExitCode      int            `json:"exit_code"`
	RowsRead      int            `json:"rows_read"`
	RowsUsed      int            `json:"rows_used"`
	Excluded      map[string]int `json:"excluded"`
	Interrupted   bool           `json:"interrupted_while_reading"`
	By            string         `json:"interrupted_by"`
	BytesRead     int64          `json:"bytes_read"`
	CountsPartial bool           `json:"counts_partial"`
}

func readPartialReport(t *testing.T, path string) partialReport {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep partialReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestAStopWhileReadingSaysTheCountsArePartial: the temporary directory
// the held rows spill to cannot be written (a full tmpfs), and the run
// stops during the read. The summary said "4317 rows read; 0 used, 0
// excluded" of a 40k-row export and the report carried rows_read alone
// (a review): they now say the export was not read to its end, by an
// error, with the bytes read, and that the counts are partial.
func TestAStopWhileReadingSaysTheCountsArePartial(t *testing.T) {
	env, cfg, clients := uploadSetup(t)
	dir := t.TempDir()
	path, rep := filepath.Join(dir, "export.csv"), filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, heldExport(20000, false), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", filepath.Join(dir, "no-such-dir"))
	holdLimit = 4096
	t.Cleanup(func() { holdLimit = 0 })
	err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path, Report: rep})
	if err == nil || Code(err) != ExitFailure {
		t.Fatalf("exit %d, err %v; want 1 for the spool that cannot be written", Code(err), err)
	}
	for p, c := range clients {
		if c.sent != 0 {
			t.Errorf("%s got %d events", p, c.sent)
		}
	}
	got := readPartialReport(t, rep)
	if !got.Interrupted || got.By != "error" || !got.CountsPartial || got.BytesRead <= 0 || got.BytesRead >= int64(len(heldExport(20000, false))) {
		t.Errorf("report %+v: want interrupted_while_reading by an error, bytes_read within the export, counts_partial", got)
	}
	text := env.ErrOut.(interface{ String() string }).String()
	if !strings.Contains(text, "not read to its end") || strings.Contains(text, "rows read from") {
		t.Errorf("summary does not say the read stopped:\n%s", text)
	}
}

// TestAStopWhileSettlingSaysTheCountsArePartial: a dry-run's --out fails
// while the rows are settled (/dev/full: a disk that filled). The export
// was read to its end, but "3500 rows read; 1025 used, 0 excluded" did
// not add up (a review): the summary and report say the counts are
// partial.
func TestAStopWhileSettlingSaysTheCountsArePartial(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	env, cfg, _ := uploadSetup(t)
	dir := t.TempDir()
	path, rep := filepath.Join(dir, "export.csv"), filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, heldExport(20000, false), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path, DryRun: true, Out: "/dev/full", Report: rep})
	if err == nil {
		t.Fatal("a dry-run into /dev/full succeeded")
	}
	got := readPartialReport(t, rep)
	if got.Interrupted || !got.CountsPartial || got.RowsRead != 20000 {
		t.Errorf("report %+v: want the export read whole and counts_partial", got)
	}
	text := env.ErrOut.(interface{ String() string }).String()
	if !strings.Contains(text, "partial counts") {
		t.Errorf("summary does not say the counts are partial:\n%s", text)
	}
}
