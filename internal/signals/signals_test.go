package signals

import (
	"bytes"
	"context"
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
	go Watch(ch, done, func() { close(cancelled) }, &stderr, func(code int) { exited <- code }, nil)
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

// TestSecondSignalSpeaksOfResendsOnlyForARunThatSends: "requests in
// flight are resent by the next run" is said after a run marked Sending
// (an upload); a dry-run, channels or auth has no request in flight, and
// its line says only that it stopped at once.
func TestSecondSignalSpeaksOfResendsOnlyForARunThatSends(t *testing.T) {
	for _, sends := range []bool{false, true} {
		ctx, sending := WithNote(context.Background())
		if sends {
			Sending(ctx)
		}
		ch := make(chan os.Signal, 2)
		done := make(chan struct{})
		exited := make(chan int, 1)
		var stderr bytes.Buffer
		go Watch(ch, done, func() {}, &stderr, func(code int) { exited <- code }, sending)
		ch <- os.Interrupt
		ch <- os.Interrupt
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			t.Fatal("the second signal did not exit")
		}
		line := stderr.String()
		if !strings.Contains(line, "stopping at once (exit 131)") {
			t.Errorf("sends %v: %q", sends, line)
		}
		if got := strings.Contains(line, "resent"); got != sends {
			t.Errorf("sends %v: the line speaks of resends: %v\n%q", sends, got, line)
		}
	}
	Sending(context.Background()) // a context without the mark: nothing happens
}
