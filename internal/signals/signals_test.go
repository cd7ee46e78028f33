package signals

import (
	"bytes"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestSecondSignalExitsAtOnce(t *testing.T) {
	ch := make(chan os.Signal, 2)
	done := make(chan struct{})
	cancelled := make(chan struct{})
	exited := make(chan int, 1)
	var stderr bytes.Buffer
	go Watch(ch, done, func() { close(cancelled) }, &stderr, func(code int) { exited <- code })
	ch <- os.Interrupt
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel")
	}
	select {
	case code := <-exited:
		t.Fatalf("the first signal exited (%d)", code)
	case <-time.After(50 * time.Millisecond):
	}
	ch <- syscall.SIGTERM
	select {
	case code := <-exited:
		if code != ExitAborted {
			t.Errorf("exit %d, want %d", code, ExitAborted)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	if !strings.Contains(stderr.String(), "again") {
		t.Errorf("stderr: %q", stderr.String())
	}
}
