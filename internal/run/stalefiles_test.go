package run

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestKilledRunsTempFilesAreCountedOnStderr (a privacy review): a dry-run
// killed with SIGKILL left .review-0.85.csv.hashgate-PID-N.tmp, hashed
// data, which only a run writing the same name removed. Any output
// written into that directory removes it now, and says how many on
// stderr, naming none.
func TestKilledRunsTempFilesAreCountedOnStderr(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no process probe")
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	left := filepath.Join(dir, ".review-0.85.csv.hashgate-"+strconv.Itoa(cmd.Process.Pid)+"-18582.tmp")
	if err := os.WriteFile(left, []byte("event_id,email_sha256\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Left by a run killed last night: another output's file is taken
	// only once untouched for hours (outfile.RemoveStale).
	lastNight := time.Now().Add(-20 * time.Hour)
	if err := os.Chtimes(left, lastNight, lastNight); err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	_, commit, _, err := openOutput(&Env{ErrOut: &errOut}, filepath.Join(dir, "review-2026-12-07.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); err == nil {
		t.Error("the killed run's temporary file is still there")
	}
	if !strings.Contains(errOut.String(), "removed 1 temporary file(s) that killed runs left") || strings.Contains(errOut.String(), "0.85") {
		t.Errorf("stderr: %q; want the count, no name", errOut.String())
	}
}
