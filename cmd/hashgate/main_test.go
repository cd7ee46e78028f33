package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
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

// startMainUnread is startMain with standard output into a pipe whose read
// end, returned, the test does not read past the child's "ready" line: a
// blocking pipe, so the child's writes wait in the kernel once it is full.
func startMainUnread(t *testing.T, args ...string) (*child, *os.File) {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], args...), done: make(chan error, 1)}
	c.cmd.Env = append(os.Environ(), "HASHGATE_TEST_RUN_MAIN=1")
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Stderr = &c.stderr
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	c.cmd.Stdout = w
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close() // the child's copy is its own
	t.Cleanup(c.kill)
	go func() { c.done <- c.cmd.Wait() }()
	// The ready line, a byte at a time: nothing after it is read.
	var line []byte
	for !strings.HasSuffix(string(line), "\n") {
		var one [1]byte
		if _, err := r.Read(one[:]); err != nil {
			t.Fatalf("child: %q, %v\n%s", line, err, c.stderr.String())
		}
		line = append(line, one[0])
	}
	if string(line) != "ready\n" {
		c.kill()
		t.Fatalf("child: %q\n%s", line, c.stderr.String())
	}
	return c, r
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

// TestSecondSignalExitsAtOnce: a dry-run blocked on its output — standard
// output into a pipe nobody reads — ignores nothing: the first SIGINT asks
// for a clean stop (which waits for the output), the second exits at once
// with signals.ExitAborted, saying only that: a dry-run has no request in
// flight to be resent. It used a FIFO without a reader, whose open
// blocked; a FIFO now opens without waiting (outfile), and a full FIFO is
// written through Go's poller, whose write a clean stop may close under
// it — the first signal then ended the run (exit 130) on a loaded
// machine. A blocking standard output cannot be: the write waits in the
// kernel, as the open did.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT")
	}
	b, err := os.ReadFile("../../testdata/example/appointments.csv")
	if err != nil {
		t.Fatal(err)
	}
	// 200 copies of the example's rows under their own order ids: about
	// 2 MB of review CSV, far more than a pipe holds (64 KiB on Linux).
	lines := strings.SplitAfter(string(b), "\n")
	var export strings.Builder
	export.WriteString(lines[0])
	for k := range 200 {
		for _, l := range lines[1:] {
			if l != "" {
				export.WriteString(fmt.Sprintf("K%03d", k) + l)
			}
		}
	}
	// Where the run blocks decides what the first signal does: the output
	// is written by its own goroutine, and a clean stop that finds the run
	// waiting on that goroutine ends it (exit 130: a dry-run has nothing in
	// flight); one that finds the run's own path in the write waits. The
	// second signal is what this test is about, so it tries until the
	// first signal meets a write it must wait for.
	var c *child
	for try := 1; ; try++ {
		var reader *os.File
		c, reader = startMainUnread(t, "upload", "--dry-run", "--quiet", "--config", "../../configs/example.yaml", "-")
		c.stdin.Write([]byte(export.String()))
		c.stdin.Close() // the whole export: the run now fills its output and waits
		waitOutputFull(t, c, reader)
		c.cmd.Process.Signal(syscall.SIGINT)
		code := c.exitCode(t, 300*time.Millisecond)
		if code == -1 {
			break // the clean stop waits on the write
		}
		if code != cli.ExitInterrupted || try == 10 {
			t.Fatalf("try %d: the first signal ended the blocked run (exit %d), want a clean stop that waits on the write, or exit 130\n%s", try, code, c.stderr.String())
		}
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

// waitOutputFull returns once the FIFO read by reader is full: the run
// has written all the pipe holds and waits for it to be read, where
// nothing but a second signal ends it. Go writes through its poller, so
// no thread shows the wait in its wait channel; the pipe's fill does.
// Where the kernel will not say, it waits 200 ms.
func waitOutputFull(t *testing.T, c *child, reader *os.File) {
	t.Helper()
	start := time.Now()
	for {
		full, ok := pipeFull(reader)
		if !ok {
			t.Log("cannot read the pipe's fill: waiting 200 ms for the run to fill its output")
			time.Sleep(200 * time.Millisecond)
			return
		}
		if full {
			return
		}
		if code := c.exitCode(t, 2*time.Millisecond); code != -1 {
			t.Fatalf("the run ended (exit %d) before filling its output\n%s", code, c.stderr.String())
		}
		if time.Since(start) > time.Minute {
			t.Fatal("the run did not fill its output within a minute")
		}
	}
}
