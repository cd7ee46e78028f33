package destination

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// Body is a request body in a buffer that goes back to a pool once nothing
// can read it any more, so an upload does not allocate (and zero, and have
// the collector pace itself by) a new buffer of about a megabyte for every
// request: 981,088 conversions of make bench-upload were 565 MB of bodies.
//
// When the buffer may be reused is the transport's to say: net/http's
// RoundTripper "must always close the body, including on errors, but
// depending on the implementation may do so in a separate goroutine even
// after RoundTrip returns" (net/http, type RoundTripper), and a request
// may be rewound through GetBody (a redirect, a retry on a reused
// connection) into a second reader of the same bytes. So every reader
// holds a reference, dropped by its Close, and the caller holds one,
// dropped by Release after Do has returned: the buffer is pooled when the
// last is gone. A reader the transport never closes only keeps its buffer
// from the pool, for the collector to free as before.
type Body struct {
	B    []byte
	refs atomic.Int32
}

// bodyPool holds Bodies whose readers are all closed.
var bodyPool sync.Pool

// maxPooledBody: a larger buffer (an unusual batch) is left to the
// collector rather than held by the pool.
const maxPooledBody = 8 << 20

// NewBody returns an empty Body with room for about size bytes.
func NewBody(size int) *Body {
	b, _ := bodyPool.Get().(*Body)
	if b == nil {
		b = &Body{}
	}
	if cap(b.B) < size {
		b.B = make([]byte, 0, size)
	}
	b.B = b.B[:0]
	b.refs.Store(1) // the caller's, dropped by Release
	return b
}

// Request makes a request that sends b.B, with the length and GetBody
// http.NewRequestWithContext sets for a *bytes.Reader, so what goes on
// the wire is the same (a Content-Length, never chunked).
func (b *Body) Request(ctx context.Context, method, url string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return nil, err
	}
	req.ContentLength = int64(len(b.B))
	if len(b.B) == 0 {
		req.Body, req.GetBody = http.NoBody, func() (io.ReadCloser, error) { return http.NoBody, nil }
		return req, nil
	}
	req.Body = b.reader()
	req.GetBody = func() (io.ReadCloser, error) { return b.reader(), nil }
	return req, nil
}

// reader is one more reader of the buffer, holding a reference.
func (b *Body) reader() *bodyReader {
	b.refs.Add(1)
	return &bodyReader{Reader: bytes.NewReader(b.B), body: b}
}

// Release drops the caller's reference: call it once, after Do returned.
// The caller must not touch b afterwards.
func (b *Body) Release() { b.unref() }

func (b *Body) unref() {
	if b.refs.Add(-1) != 0 {
		return
	}
	if cap(b.B) <= maxPooledBody {
		bodyPool.Put(b)
	}
}

// bodyReader reads a Body; its first Close drops its reference.
type bodyReader struct {
	*bytes.Reader
	body   *Body
	closed atomic.Bool
}

func (r *bodyReader) Close() error {
	if !r.closed.Swap(true) {
		r.body.unref()
	}
	return nil
}
