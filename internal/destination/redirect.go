package destination

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashgate/hashgate/internal/platform"
)

// RedirectError is a platform or token request answered with a redirect.
// hashgate follows none: Go's http.Client re-sends a 307/308 with its body
// and, to a host in the same domain tree, its headers, so one hop would
// carry the hashed identifiers, Meta's token (in the body) and Google's
// bearer header to another host, whose 200 would then be recorded as an
// ingestion. Neither the Data Manager API nor the Graph API nor an OAuth
// token endpoint answers a well-formed request with a redirect, so one is
// a wrong endpoint or a hostile network: an error naming both hosts.
type RedirectError struct {
	Status int    // the 3xx status
	From   string // the host that answered with the redirect
	To     string // the host it pointed to ("" when it named none)
}

func (e *RedirectError) Error() string {
	to := e.To
	if to == "" {
		to = "an unnamed host"
	}
	return fmt.Sprintf("%s answered HTTP %d, a redirect to %s, which hashgate does not follow", e.From, e.Status, to)
}

// NoRedirects returns a copy of hc that never follows a redirect and
// reads no answer beyond MaxAnswer bytes (LimitAnswers): a 3xx
// answer comes back as it is (http.ErrUseLastResponse), which no caller
// takes for success, and the callers name it with Redirected. Every
// platform and token request goes through a client made by it (package
// clients, `hashgate auth`). Returning the answer rather than an error
// from CheckRedirect keeps its type through x/oauth2, which wraps a
// transport error with %v but a refused token answer as *RetrieveError.
func NoRedirects(hc *http.Client) *http.Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := *LimitAnswers(hc)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// Redirected returns the *RedirectError of an answer with a 3xx status
// from host (the host the request went to), else nil. header is the
// answer's (for Location).
func Redirected(status int, host string, header http.Header) *RedirectError {
	if status < 300 || status > 399 {
		return nil
	}
	e := &RedirectError{Status: status, From: host}
	if loc := header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			e.To = u.Host
			if e.To == "" {
				e.To = host
			}
		}
	}
	e.To = hostText(e.To)
	return e
}

// hostText keeps a host name an answer chose printable and short: it is
// the platform's text, not ours (the Location header was parsed, which
// refuses control characters, but not its length).
func hostText(h string) string {
	h = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return -1
		}
		return r
	}, h)
	if len(h) > 100 {
		h = h[:100] + "…"
	}
	return h
}

// Classified is a refused redirect as a Send error: it stops the destination (nothing
// within the run will change it), naming both hosts.
func (e *RedirectError) Classified() *Error {
	return &Error{Action: platform.StopDestination, Status: e.Status, Reason: "redirect", Message: e.Error(), Err: e,
		Fix: "point the endpoint at the platform's own address: hashgate sends nothing through a redirect"}
}
