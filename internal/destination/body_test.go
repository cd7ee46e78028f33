package destination

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"testing"
)

// TestBodyRequestIsWhatBytesReaderMakes: a pooled body goes on the wire
// exactly as http.NewRequestWithContext with a *bytes.Reader sends it —
// Content-Length, never chunked — and GetBody reads the same bytes.
func TestBodyRequestIsWhatBytesReaderMakes(t *testing.T) {
	for _, payload := range []string{`{"data":[{"event_name":"Purchase"}]}`, ""} {
		want, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://127.0.0.1/x", bytes.NewReader([]byte(payload)))
		if err != nil {
			t.Fatal(err)
		}
		b := NewBody(16)
		b.B = append(b.B, payload...)
		got, err := b.Request(context.Background(), http.MethodPost, "http://127.0.0.1/x")
		if err != nil {
			t.Fatal(err)
		}
		wantDump, err := httputil.DumpRequestOut(want, true)
		if err != nil {
			t.Fatal(err)
		}
		gotDump, err := httputil.DumpRequestOut(got, true)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gotDump, wantDump) {
			t.Errorf("payload %q: on the wire\n%s\nwant\n%s", payload, gotDump, wantDump)
		}
		if got.ContentLength != int64(len(payload)) {
			t.Errorf("ContentLength %d, want %d", got.ContentLength, len(payload))
		}
		rc, err := got.GetBody()
		if err != nil {
			t.Fatal(err)
		}
		again, _ := io.ReadAll(rc)
		rc.Close()
		if string(again) != payload {
			t.Errorf("GetBody read %q, want %q", again, payload)
		}
		b.Release()
	}
}

// TestBodyIsPooledOnlyWhenEveryReaderIsClosed: the buffer goes back to the
// pool after the caller's Release and every reader's Close, in any order,
// and a second Close of a reader drops nothing more.
func TestBodyIsPooledOnlyWhenEveryReaderIsClosed(t *testing.T) {
	b := NewBody(8)
	b.B = append(b.B, "abc"...)
	req, err := b.Request(context.Background(), http.MethodPost, "http://127.0.0.1/x")
	if err != nil {
		t.Fatal(err)
	}
	second, _ := req.GetBody()
	if n := b.refs.Load(); n != 3 {
		t.Fatalf("references %d, want 3 (caller, body, GetBody's reader)", n)
	}
	b.Release()
	req.Body.Close()
	req.Body.Close() // twice: still one reference left
	if n := b.refs.Load(); n != 1 {
		t.Fatalf("references %d after Release and the body's Close, want 1", n)
	}
	if got, _ := io.ReadAll(second); string(got) != "abc" {
		t.Fatalf("the open reader read %q", got)
	}
	second.Close()
	if n := b.refs.Load(); n != 0 {
		t.Fatalf("references %d after every Close, want 0", n)
	}
}

// TestBodyThroughTheTransport: sent through a real transport on loopback
// (which closes the request body itself), the server reads the bytes, and
// the body's references all go.
func TestBodyThroughTheTransport(t *testing.T) {
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		if r.ContentLength != 5 || len(r.TransferEncoding) != 0 {
			t.Errorf("ContentLength %d, TransferEncoding %v", r.ContentLength, r.TransferEncoding)
		}
	}))
	defer srv.Close()
	for range 3 {
		b := NewBody(8)
		b.B = append(b.B, "hello"...)
		req, err := b.Request(context.Background(), http.MethodPost, srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		b.Release()
		if string(got) != "hello" {
			t.Fatalf("server read %q", got)
		}
	}
}
