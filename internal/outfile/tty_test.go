//go:build linux

package outfile

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestATerminalThatIsNotThereIsNotCalledAFIFO: `--out /dev/tty` under cron
// (no controlling terminal) fails with ENXIO, which was reported as "a
// FIFO that no process is reading: start its reader" — the wrong file
// kind and the wrong fix. The child runs in a session of its own, so it
// has no terminal whatever the test's; a FIFO without a reader keeps its
// own message.
func TestATerminalThatIsNotThereIsNotCalledAFIFO(t *testing.T) {
	if os.Getenv("OUTFILE_TTY_CHILD") != "" {
		_, err := Create("/dev/tty")
		if err == nil {
			os.Exit(0)
		}
		os.Stderr.WriteString(err.Error())
		os.Exit(3)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestATerminalThatIsNotThereIsNotCalledAFIFO$")
	cmd.Env = append(os.Environ(), "OUTFILE_TTY_CHILD=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var msg strings.Builder
	cmd.Stderr = &msg
	if err := cmd.Run(); err == nil {
		t.Skip("/dev/tty opened without a controlling terminal")
	}
	if got := msg.String(); strings.Contains(got, "FIFO") || !strings.Contains(got, "/dev/tty") || !strings.Contains(got, "terminal") {
		t.Errorf("got %q, want /dev/tty named as a terminal that is not there", got)
	}
	fifo := filepath.Join(t.TempDir(), "out.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(fifo); err == nil || !strings.Contains(err.Error(), "FIFO that no process is reading") {
		t.Errorf("a FIFO without a reader: %v", err)
	} else if !errors.Is(err, syscall.ENXIO) {
		// A caller tells the kinds of failure apart by errors.Is (a
		// review: the error was built without %w).
		t.Errorf("a FIFO without a reader: %v does not wrap ENXIO", err)
	}
}
