package destination

import (
	"github.com/hashgate/hashgate/internal/platform"

	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestCause: each network failure is named in words an analyst can act
// on, through the wrapping an HTTP client adds; an answer is named by its
// status and code.
func TestCause(t *testing.T) {
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 443}
	wrap := func(err error) error {
		return &Error{Action: platform.Retry, Err: &url.Error{Op: "Post", URL: "https://graph.example/v25.0/1/events?access_token=SECRET", Err: err}}
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{wrap(&net.DNSError{Err: "no such host", Name: "graph.example", IsNotFound: true}), "DNS: no such host graph.example"},
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Addr: addr, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), "connection refused (127.0.0.1:443)"},
		{wrap(&net.OpError{Op: "read", Net: "tcp", Addr: addr, Err: os.NewSyscallError("read", syscall.ECONNRESET)}), "connection reset (127.0.0.1:443)"},
		{wrap(x509.UnknownAuthorityError{}), "TLS: the server's certificate was not accepted: x509: certificate signed by unknown authority"},
		{wrap(context.DeadlineExceeded), "timeout"},
		{&Error{Action: platform.Retry, Status: 503, Message: "unavailable"}, "HTTP 503: unavailable"},
		{&Error{Action: platform.StopDestination, Status: 400, Code: "INVALID_ARGUMENT"}, "HTTP 400 code INVALID_ARGUMENT"},
		{fmt.Errorf("batch: %w", errors.New("odd")), "batch: odd"},
		{wrap(errors.New("malformed HTTP response")), "network: malformed HTTP response"},
		{fmt.Errorf("send: %w", &url.Error{Op: "Post", URL: "https://x/?access_token=SECRET", Err: errors.New("odd")}), "network: odd"},
	} {
		if got := Cause(c.err); got != c.want {
			t.Errorf("Cause(%v) = %q, want %q", c.err, got, c.want)
		}
		if got := Cause(c.err); strings.Contains(got, "SECRET") || strings.Contains(got, "access_token") {
			t.Errorf("Cause leaks the URL: %q", got)
		}
	}
	if Cause(nil) != "" {
		t.Error("Cause(nil) is not empty")
	}
}
