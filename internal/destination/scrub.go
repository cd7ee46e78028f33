package destination

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MinHeldSecret is the shortest credential value HoldSecret keeps: every
// credential hashgate loads is longer (Meta tokens, Google access and
// refresh tokens, OAuth client secrets, the event-id secret), and a
// shorter value would scrub ordinary words out of every message.
const MinHeldSecret = 8

// held are the credential values this process holds — the Meta access
// token and app secret, the Google access tokens it was issued, the OAuth
// client secret and refresh token, a service-account key's private key,
// the event-id secret — registered where each is loaded (HoldSecret).
// Scrub removes every one of them from any platform text: an echoing
// endpoint returned the Google and Meta access tokens, the OAuth client
// secret and the refresh token in its errors (issue 22). It is process
// state on purpose: a credential loaded anywhere must be scrubbed
// everywhere, whichever client or command prints the text.
var held struct {
	sync.RWMutex
	set  map[string]bool
	list []string // longest first, so a secret inside another goes with it
}

// HoldSecret registers credential values the process holds so that
// Scrub removes them — and their URL-escaped forms — from every text a
// platform returns. Values shorter than MinHeldSecret are ignored.
func HoldSecret(values ...string) {
	held.Lock()
	defer held.Unlock()
	if held.set == nil {
		held.set = map[string]bool{}
	}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < MinHeldSecret {
			continue
		}
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
			if !held.set[form] {
				held.set[form] = true
				held.list = append(held.list, form)
			}
		}
	}
	slices.SortStableFunc(held.list, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
}

// heldSecrets returns the registered values, longest first.
func heldSecrets() []string {
	held.RLock()
	defer held.RUnlock()
	return held.list
}

// MaxMessage bounds a platform's text kept in a summary, report or ledger.
const MaxMessage = 300

// The secret shapes match what a platform's text could echo that must not be
// printed or stored: OAuth and Graph tokens, long hex or base64 runs (an
// appsecret_proof, a hash), e-mail addresses and long digit runs (phone
// numbers). Platforms are not supposed to echo any of them; Meta's
// error_data has been seen carrying the access token (docs/research/contract-notes.md M8, not found again).
//
// They are compiled on first use, not at package
// initialisation, which every hashgate command pays (docs/performance.md,
// Start-up); Scrub fetches them once a call.
var shapes = sync.OnceValue(func() *scrubShapes {
	return &scrubShapes{
		secrets: []*regexp.Regexp{
			regexp.MustCompile(`EAA[A-Za-z0-9]{10,}`),                // Meta access tokens
			regexp.MustCompile(`ya29\.[A-Za-z0-9_\-.]+`),             // Google access tokens
			regexp.MustCompile(`1//[A-Za-z0-9_\-]{10,}`),             // Google refresh tokens
			regexp.MustCompile(`[^\s@'"<>]+@[^\s@'"<>]+\.[a-zA-Z]+`), // e-mail addresses
			regexp.MustCompile(`\+?[0-9][0-9 \-]{6,}[0-9]`),          // phone numbers, long ids
		},
		longRun:  regexp.MustCompile(`[A-Za-z0-9_\-+/=.]{32,}`),
		enumName: regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`),
	}
})

// scrubShapes are the secret shapes; longRun, a run long enough to be a
// proof, a hash or a key; and enumName, the shape of the platforms' reason
// codes, which are kept.
type scrubShapes struct {
	secrets           []*regexp.Regexp
	longRun, enumName *regexp.Regexp
}

// Scrub returns a platform's text fit to print and store: every secret
// given (the configured token, the app secret proof) and every credential
// the process holds (HoldSecret), and everything shaped like a credential,
// an address or a phone number replaced by "…"; control characters (C0,
// C1: a terminal's escapes), bidi overrides and isolates, zero-width and
// line-separator characters made spaces, so no text can move the cursor,
// reorder what a terminal shows or forge a log line; and the whole
// truncated to MaxMessage bytes on a rune boundary.
//
// Secrets are replaced over the whole text before any cut: a cut first
// could split one and leave a piece no rule recognises (a Meta error 190
// whose message was 4,790 spaces then the token printed "EAATOKENab" when
// the text was cut to 4,800 bytes first; security review, 2026-12-07). A
// text that ends in the first bytes of a secret (an answer cut at
// MaxAnswer) loses them too. The shapes are then matched within the first
// 16×MaxMessage bytes only, so that no answer makes Scrub slow (1 MiB
// through them took a second, 25 under the race detector), cut so that no
// word and no run of digits is split: the piece of a token, an address
// or a phone number left at the edge would match no shape.
func Scrub(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "…")
		}
	}
	list := heldSecrets()
	for _, sec := range list {
		s = strings.ReplaceAll(s, sec, "…")
	}
	s = dropSecretPrefix(s, list)
	s = dropSecretPrefix(s, secrets)
	if len(s) > 16*MaxMessage {
		s = cutWhole(s, 16*MaxMessage)
	}
	sh := shapes()
	for _, re := range sh.secrets {
		s = re.ReplaceAllString(s, "…")
	}
	s = sh.longRun.ReplaceAllStringFunc(s, func(run string) string {
		if sh.enumName.MatchString(run) {
			return run // a platform's reason code (WARNING_REASON_INVALID_SHA256_FORMAT)
		}
		return "…"
	})
	s = strings.Map(func(r rune) rune {
		if Unprintable(r) {
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

// cutWhole returns s cut to at most n bytes, and further back to before
// the word it would split (a token, an address) and any run of digits,
// spaces, "+" and "-" ending there (a phone number written in groups),
// with "…" for what went.
func cutWhole(s string, n int) string {
	cut := n
	if !unicode.IsSpace(rune(s[cut])) {
		for cut > 0 && !unicode.IsSpace(rune(s[cut-1])) {
			cut--
		}
	}
	for cut > 0 && strings.IndexByte("0123456789 +-", s[cut-1]) >= 0 {
		cut--
	}
	return s[:cut] + " …"
}

// minSecretPrefix is the shortest end of a text taken for the first bytes
// of a secret cut off there: shorter ends are too common in words, and
// say too little of a secret.
const minSecretPrefix = 4

// dropSecretPrefix removes from the end of s the longest piece that
// begins one of secrets (when at least minSecretPrefix bytes): the text
// was cut there, before the rest of the secret.
func dropSecretPrefix(s string, secrets []string) string {
	longest := 0
	for _, sec := range secrets {
		if len(sec) <= minSecretPrefix {
			continue
		}
		// The tail of s that could begin sec, longest first; a whole sec
		// was replaced already.
		tail := s[len(s)-min(len(s), len(sec)-1):]
		for i := 0; len(tail)-i >= minSecretPrefix && len(tail)-i > longest; i++ {
			if tail[i] == sec[0] && strings.HasPrefix(sec, tail[i:]) {
				longest = len(tail) - i
				break
			}
		}
	}
	if longest == 0 {
		return s
	}
	return s[:len(s)-longest] + "…"
}

// Unprintable reports whether r must never reach a terminal, a log line
// or a stored text from a platform: C0 and C1 control characters (ESC,
// CSI U+009B and the rest of a terminal's escapes, newlines that forge log
// lines), DEL, the bidi embeddings, overrides and isolates (U+202A–202E,
// U+2066–2069) and marks (U+200E, U+200F, U+061C) that reorder what is
// shown, zero-width characters (U+200B–200D, U+2060, U+FEFF), the line
// and paragraph separators (U+2028, U+2029) and invalid UTF-8.
func Unprintable(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2060 && r <= 0x2069:
		return true
	case r == 0x061c, r == 0xfeff, r == utf8.RuneError:
		return true
	}
	return false
}
