package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/cli"
	"github.com/hashgate/hashgate/internal/signals"
)

// TestMain lets the test binary run as hashgate itself, so the signal
// handling is tested in a real process.
func TestMain(m *testing.M) {
	if os.Getenv("HASHGATE_TEST_RUN_MAIN") == "1" {
		os.Args = append([]string{"hashgate"}, os.Args[1:]...)
		ready = func() { os.Stdout.WriteString("ready\n") }
		main()
		return
	}
	os.Exit(m.Run())
}

// header is the example export's header line.
const header = "appointment_id,appointment_time,status,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid,postal_code,city,country\n"

// child is the test binary run as hashgate.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr bytes.Buffer // read it once the child has ended
	done   chan error
	ended  bool
}

// startMain starts the test binary as hashgate with args, its standard
// input a pipe, and waits until it handles signals.
func startMain(t *testing.T, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], args...), done: make(chan error, 1)}
	c.cmd.Env = append(os.Environ(), "HASHGATE_TEST_RUN_MAIN=1")
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Stderr = &c.stderr
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.kill)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	go io.Copy(io.Discard, stdout)
	go func() { c.done <- c.cmd.Wait() }()
	if line != "ready\n" {
		c.kill()
		t.Fatalf("child: %q, %v\n%s", line, err, c.stderr.String())
	}
	return c
}

// kill ends the child if it has not ended.
func (c *child) kill() {
	c.stdin.Close()
	if !c.ended {
		c.cmd.Process.Kill()
		<-c.done
		c.ended = true
	}
}

// exitCode waits up to d for the child to end and returns its exit code,
// or -1 if it is still running.
func (c *child) exitCode(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case err := <-c.done:
		c.ended = true
		var ee *exec.ExitError
		if err == nil {
			return 0
		}
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return ee.ExitCode()
	case <-time.After(d):
		return -1
	}
}

// TestFirstSignalStopsAStalledExport: a dry-run reading an export that
// stalls on standard input (a hung network share, a person who has not
// typed Ctrl-D) stops at the first SIGINT, at once: exit 130, saying it
// was interrupted before the end of stdin. It used to wait, silent, for
// the writer.
func TestFirstSignalStopsAStalledExport(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT")
	}
	c := startMain(t, "upload", "--dry-run", "--config", "../../configs/example.yaml", "-")
	c.stdin.Write([]byte(header)) // and no more, nor its end
	time.Sleep(100 * time.Millisecond)
	c.cmd.Process.Signal(syscall.SIGINT)
	code := c.exitCode(t, 5*time.Second)
	c.kill()
	if code != cli.ExitInterrupted {
		t.Fatalf("first signal on a stalled export: exit %d, want 130 at once\n%s", code, c.stderr.String())
	}
	if got := c.stderr.String(); !strings.Contains(got, "hashgate: interrupted while reading stdin") || strings.Contains(got, "rows read from") {
		t.Errorf("stderr:\n%s", got)
	}
}

// TestSecondSignalExitsAtOnce: a dry-run blocked on its output — a FIFO
// nobody reads — ignores nothing: the first SIGINT asks for a clean stop
// (which waits for the output), the second exits at once with
// signals.ExitAborted, saying only that: a dry-run has no request in
// flight to be resent.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT, no FIFO")
	}
	fifo := filepath.Join(t.TempDir(), "review.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFO:", err)
	}
	b, err := os.ReadFile("../../testdata/example/appointments.csv")
	if err != nil {
		t.Fatal(err)
	}
	c := startMain(t, "upload", "--dry-run", "--quiet", "--config", "../../configs/example.yaml", "--out", fifo, "-")
	c.stdin.Write(b)
	c.stdin.Close() // the whole export: the run now waits to open its output
	waitOpeningFIFO(t, c)
	c.cmd.Process.Signal(syscall.SIGINT)
	if code := c.exitCode(t, 300*time.Millisecond); code != -1 {
		t.Fatalf("the first signal ended the blocked run at once (exit %d): it must ask for a clean stop\n%s", code, c.stderr.String())
	}
	c.cmd.Process.Signal(syscall.SIGINT)
	code := c.exitCode(t, 10*time.Second)
	c.kill()
	if code != signals.ExitAborted {
		t.Fatalf("second signal: exit %d, want %d\n%s", code, signals.ExitAborted, c.stderr.String())
	}
	if got, want := c.stderr.String(), "hashgate: interrupt again: stopping at once (exit 131)\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}

// waitOpeningFIFO returns once one of the child's threads waits in the
// kernel for a FIFO's reader: the run has read the export's header and
// blocks opening its output, where nothing but a second signal ends it.
// A signal before that (the run still reading stdin, or not yet at the
// open) stops the run at once with exit 130, as it should: the test used
// to sleep 200 ms and hope, which a loaded machine did not always meet.
//
// Nothing outside the kernel sees a writer waiting for a FIFO's reader:
// opening the read end, even without blocking, lets the writer through.
// Linux names the wait in /proc/PID/task/TID/wchan (wait_for_partner;
// fifo_open in older kernels). Where there is no /proc, or its wait
// channels are hidden, the test falls back to the old 200 ms.
func waitOpeningFIFO(t *testing.T, c *child) {
	t.Helper()
	tasks := fmt.Sprintf("/proc/%d/task", c.cmd.Process.Pid)
	if _, err := os.Stat(tasks); err != nil {
		t.Log("no /proc: waiting 200 ms for the run to reach its output")
		time.Sleep(200 * time.Millisecond)
		return
	}
	start := time.Now()
	named := false // a wait channel was shown: the kernel does not hide them
	for {
		ents, _ := os.ReadDir(tasks)
		for _, e := range ents {
			w, _ := os.ReadFile(filepath.Join(tasks, e.Name(), "wchan"))
			switch string(w) {
			case "wait_for_partner", "fifo_open":
				return
			case "", "0":
			default:
				named = true
			}
		}
		if code := c.exitCode(t, 2*time.Millisecond); code != -1 {
			t.Fatalf("the run ended (exit %d) before opening its output\n%s", code, c.stderr.String())
		}
		switch waited := time.Since(start); {
		case !named && waited > 2*time.Second:
			t.Log("wait channels hidden: waiting 200 ms for the run to reach its output")
			time.Sleep(200 * time.Millisecond)
			return
		case waited > time.Minute:
			t.Fatal("the run did not reach the opening of its output within a minute")
		}
	}
}
