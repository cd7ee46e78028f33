package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestStdinReaderReturnsWhenTheRunIsCancelled: a Read blocked on a pipe
// whose writer is silent returns *ReadInterrupted (context.Canceled) as
// soon as the run's context ends, and so does every later Read; what was
// read before comes through unchanged. Run it with -race: the Read left
// blocked must never write into the caller's buffer.
func TestStdinReaderReturnsWhenTheRunIsCancelled(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	env := &Env{In: pr, ErrOut: io.Discard}
	r := openStdin(ctx, env)
	go pw.Write([]byte("header\n"))
	b := make([]byte, 64)
	n, err := r.Read(b)
	if err != nil || string(b[:n]) != "header\n" {
		t.Fatalf("read %q, %v", b[:n], err)
	}
	returned := make(chan error, 1)
	go func() { _, err := r.Read(b); returned <- err }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err = <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("a blocked Read did not return when the run was cancelled")
	}
	var ri *ReadInterrupted
	if !errors.As(err, &ri) || !errors.Is(err, context.Canceled) || Code(err) != ExitInterrupted {
		t.Fatalf("err %v (exit %d)", err, Code(err))
	}
	for i := range b {
		b[i] = 0 // the caller reuses its buffer
	}
	go pw.Write([]byte("late rows\n")) // the writer wakes up after all
	if _, err := r.Read(b); !errors.As(err, &ri) {
		t.Errorf("a Read after the interruption: %v", err)
	}
	time.Sleep(20 * time.Millisecond)
	if !bytes.Equal(b, make([]byte, len(b))) {
		t.Errorf("the abandoned Read wrote into the caller's buffer: %q", b)
	}
}

// TestStdinRedirectedFromAFileIsReadAsItIs: `< export.csv` is a regular
// file, which never blocks: it is read directly, without the goroutine
// hand-off of each Read.
func TestStdinRedirectedFromAFileIsReadAsItIs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(path, []byte("a,b\n1,2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if r := openStdin(context.Background(), &Env{In: fh}); r != io.Reader(fh) {
		t.Errorf("a regular file on stdin is read through %T", r)
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	if _, ok := openStdin(context.Background(), &Env{In: pr}).(*stdinReader); !ok {
		t.Error("a pipe on stdin is read without the interruptible reader")
	}
}

// ttyLike is standard input on a terminal: its data, one end of input
// (Ctrl-D), and then, like a terminal, a Read that blocks again for what
// the person types next. unblock ends that wait.
type ttyLike struct {
	data    []byte
	eofs    int
	unblock chan struct{}
}

func (t *ttyLike) Read(b []byte) (int, error) {
	if len(t.data) > 0 {
		n := copy(b, t.data)
		t.data = t.data[n:]
		return n, nil
	}
	if t.eofs == 0 {
		t.eofs++
		return 0, io.EOF
	}
	<-t.unblock
	return 0, io.EOF
}

// TestOneEndOfInputEndsStandardInput: a terminal's end of input is not
// sticky — a Read after Ctrl-D waits for more — and the export's reader
// layers read again after it: a typed export took three Ctrl-D. The first
// io.EOF (or error) of standard input is its last.
func TestOneEndOfInputEndsStandardInput(t *testing.T) {
	tty := &ttyLike{data: []byte("a,b\n"), unblock: make(chan struct{})}
	defer close(tty.unblock)
	r := openStdin(context.Background(), &Env{In: tty, ErrOut: io.Discard})
	got := make(chan error, 1)
	go func() {
		b, err := io.ReadAll(r)
		if err == nil && string(b) != "a,b\n" {
			err = errors.New("read " + string(b))
		}
		if err == nil {
			_, err = r.Read(make([]byte, 8)) // a layer above reads once more
		}
		got <- err
	}()
	select {
	case err := <-got:
		if err != io.EOF {
			t.Errorf("the Read after the end: %v, want io.EOF", err)
		}
	case <-time.After(3 * time.Second):
		t.Error("a Read after the end of input waited for more")
	}
}

// TestStdinCutInItsLastRecordSendsNothing: order V00000 consents on its
// first row and refuses on a later one (the strictest consent wins), and
// standard input ends inside that later row's e-mail (head -c -40). The
// cells it lacks read as empty made it malformed_row, its refusal was
// lost and V00000 was sent with exit 0 (a review). The cut is a stop at
// the row's line, naming no value, before anything is sent; the whole
// export, or one whose last row only lacks its line break, sends.
func TestStdinCutInItsLastRecordSendsNothing(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id,at,email,phone,consent\n")
	for i := range 50 {
		fmt.Fprintf(&b, "V%05d,2026-11-22 10:%02d,zqcut%d@example.com,,yes\n", i, i, i)
	}
	b.WriteString("V00000,2026-11-22 10:00,zqcut0-a-long-address-to-cut@example.com,,no\n")
	whole := b.String()
	cut := whole[:len(whole)-40]
	for _, c := range []struct {
		name, in string
		sent     int
	}{
		{"cut", cut, 0},
		{"whole", whole, 49},
		{"whole-without-line-break", strings.TrimSuffix(whole, "\n"), 49},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, cfg, clients := uploadSetup(t)
			env.In = strings.NewReader(c.in)
			err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: "-"})
			if got := clients[platform.Meta].sent; got != c.sent {
				t.Errorf("meta got %d events, want %d", got, c.sent)
			}
			if c.sent > 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if Code(err) != ExitFailure || err == nil || !strings.Contains(err.Error(), "stdin:52:") || strings.Contains(err.Error(), "zq") {
				t.Fatalf("exit %d, err %v; want exit 1 naming stdin:52 and no cell", Code(err), err)
			}
		})
	}
}
