package run

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/hashgate/hashgate/internal/ledger"
)

// TestALateReportFailureIsTheLedgersExitCode: a --report that failed after
// the run had sent exited 1, but the ledger had recorded the run's end
// before, with the sending's 0: `ledger list` showed exit 0 for the night
// cron alerted on. The ledger's record ends as the process does.
func TestALateReportFailureIsTheLedgersExitCode(t *testing.T) {
	env, cfg, _ := uploadSetup(t)
	env.StateDir = func() (string, error) { return t.TempDir(), nil }
	dir := t.TempDir()
	path, rep := filepath.Join(dir, "export.csv"), filepath.Join(dir, "last.json")
	os.WriteFile(path, heldExport(50, false), 0o600)
	real := writeFile
	t.Cleanup(func() { writeFile = real })
	writeFile = func(p string, b []byte) error {
		if p == rep {
			return &os.PathError{Op: "write", Path: p, Err: syscall.ENOSPC}
		}
		return real(p, b)
	}
	err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path, Report: rep})
	if Code(err) != ExitFailure {
		t.Fatalf("exit %d (%v), want 1", Code(err), err)
	}
	lpath, err := LedgerPath(env, cfg)
	if err != nil {
		t.Fatal(err)
	}
	led, err := ledger.Open(context.Background(), lpath, ledger.Options{ReadOnly: true, Existing: true})
	if err != nil {
		t.Fatal(err)
	}
	defer led.Close()
	runs, err := led.Runs(context.Background(), 1)
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %+v %v", runs, err)
	}
	if !runs[0].ExitCode.Valid || runs[0].ExitCode.Int64 != ExitFailure {
		t.Errorf("ledger list shows exit %+v for the run that exited 1", runs[0].ExitCode)
	}
}
