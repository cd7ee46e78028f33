package destination

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// Cause names why a request failed, in words an analyst can act on: for a
// network failure its kind — DNS, connection refused, TLS, timeout,
// connection reset, no route — with the host; for an answer, the HTTP
// status and the platform's code. It never holds a request or response
// body. "" when err is nil.
func Cause(err error) string {
	if err == nil {
		return ""
	}
	if net := NetworkCause(err); net != "" {
		return net
	}
	var de *Error
	if errors.As(err, &de) && (de.Status != 0 || de.Code != "") {
		s := ""
		if de.Status != 0 {
			s = fmt.Sprintf("HTTP %d", de.Status)
		}
		if de.Code != "" {
			s = strings.TrimSpace(s + " code " + de.Code)
		}
		if de.Message != "" {
			s += ": " + de.Message
		}
		return s
	}
	// An HTTP client's error names the URL, which can carry a query;
	// keep only what failed.
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + innermost(ue.Err)
	}
	return err.Error()
}

// NetworkCause classifies a failure to get any answer at all; "" when err
// is not a network failure.
func NetworkCause(err error) string {
	var (
		dns     *net.DNSError
		op      *net.OpError
		unknown x509.UnknownAuthorityError
		invalid x509.CertificateInvalidError
		host    x509.HostnameError
		record  tls.RecordHeaderError
		alert   tls.AlertError
		verify  *tls.CertificateVerificationError
	)
	addr := ""
	if errors.As(err, &op) && op.Addr != nil {
		addr = " (" + op.Addr.String() + ")"
	}
	switch {
	case errors.As(err, &dns):
		what := "lookup failed"
		switch {
		case dns.IsNotFound:
			what = "no such host"
		case dns.IsTimeout:
			what = "lookup timed out"
		}
		return fmt.Sprintf("DNS: %s %s", what, dns.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused" + addr
	case errors.As(err, &verify), errors.As(err, &unknown), errors.As(err, &invalid), errors.As(err, &host):
		return "TLS: the server's certificate was not accepted" + addr + ": " + innermost(err)
	case errors.As(err, &record), errors.As(err, &alert):
		return "TLS: handshake failed" + addr + ": " + innermost(err)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset" + addr
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "no route to the host" + addr
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "timeout" + addr
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return "network: " + innermost(err)
	}
	return ""
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// innermost is the message of the deepest wrapped error: the cause itself,
// without the URL and method the outer layers add.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
