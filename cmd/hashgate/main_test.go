package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"

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

// TestSecondSignalExitsAtOnce: a dry-run blocked on an export that never
// ends ignores nothing: the first SIGINT asks for a clean stop (which waits
// for the read), the second exits at once with signals.ExitAborted.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT")
	}
	cmd := exec.Command(os.Args[0], "upload", "--dry-run", "--config", "../../configs/example.yaml", "-")
	cmd.Env = append(os.Environ(), "HASHGATE_TEST_RUN_MAIN=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// The header arrives, then the export stalls like a hung network share.
	stdin.Write([]byte("appointment_id,appointment_time,status,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid,postal_code,city,country\n"))
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("child: %q, %v\n%s", line, err, stderr.String())
	}
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-done:
		t.Fatalf("the first signal ended the blocked run at once (%v): it must ask for a clean stop\n%s", err, stderr.String())
	case <-time.After(300 * time.Millisecond):
	}
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != signals.ExitAborted {
			t.Fatalf("second signal: %v, want exit %d\n%s", err, signals.ExitAborted, stderr.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the second signal did not exit\n%s", stderr.String())
	}
	if !bytes.Contains(stderr.Bytes(), []byte("again")) {
		t.Errorf("stderr: %s", stderr.String())
	}
}
