package destination

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxMessage bounds a platform's text kept in a summary, report or ledger.
const MaxMessage = 300

// secretShapes match what a platform's text could echo that must not be
// printed or stored: OAuth and Graph tokens, long hex or base64 runs (an
// appsecret_proof, a hash), e-mail addresses and long digit runs (phone
// numbers). Platforms are not supposed to echo any of them; Meta's
// error_data has been seen carrying the access token (docs/research/contract-notes.md M8, not found again).
var secretShapes = []*regexp.Regexp{
	regexp.MustCompile(`EAA[A-Za-z0-9]{10,}`),                // Meta access tokens
	regexp.MustCompile(`ya29\.[A-Za-z0-9_\-.]+`),             // Google access tokens
	regexp.MustCompile(`1//[A-Za-z0-9_\-]{10,}`),             // Google refresh tokens
	regexp.MustCompile(`[^\s@'"<>]+@[^\s@'"<>]+\.[a-zA-Z]+`), // e-mail addresses
	regexp.MustCompile(`\+?[0-9][0-9 \-]{6,}[0-9]`),          // phone numbers, long ids
}

// longRun is a run long enough to be a proof, a hash or a key; enumName
// is the shape of the platforms' reason codes, which are kept.
var (
	longRun  = regexp.MustCompile(`[A-Za-z0-9_\-+/=.]{32,}`)
	enumName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// Scrub returns a platform's text fit to print and store: every secret
// given (the configured token, the app secret proof) and everything shaped
// like a credential, an address or a phone number replaced by "…", control
// characters dropped, and the whole truncated to MaxMessage bytes on a
// rune boundary.
func Scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "…")
		}
	}
	for _, re := range secretShapes {
		s = re.ReplaceAllString(s, "…")
	}
	s = longRun.ReplaceAllStringFunc(s, func(run string) string {
		if enumName.MatchString(run) {
			return run // a platform's reason code (WARNING_REASON_INVALID_SHA256_FORMAT)
		}
		return "…"
	})
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > MaxMessage {
		cut := MaxMessage
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
