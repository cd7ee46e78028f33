package cli

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
)

// logTransport logs each request at debug level: method, host, status (or
// the network cause) and latency. Never a path, query, header or body —
// they can carry tokens and hashed identifiers — so --log-level debug is
// safe to paste into a support ticket.
type logTransport struct {
	next http.RoundTripper
	log  func() *slog.Logger
}

func (t logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	log := t.log()
	if !log.Enabled(req.Context(), slog.LevelDebug) {
		return t.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := []slog.Attr{
		slog.String("method", req.Method),
		slog.String("host", req.URL.Host),
		slog.Duration("latency", time.Since(start).Round(time.Millisecond)),
	}
	if err != nil {
		attrs = append(attrs, slog.String("cause", destination.Cause(err)))
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	log.LogAttrs(context.WithoutCancel(req.Context()), slog.LevelDebug, "http request", attrs...)
	return resp, err
}

// withRequestLog returns a copy of hc whose requests are logged.
func withRequestLog(hc *http.Client, log func() *slog.Logger) *http.Client {
	c := *hc
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = logTransport{next: next, log: log}
	return &c
}
