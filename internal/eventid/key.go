package eventid

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashgate/hashgate/third_party/zxcvbn"
)

// MinKeyLen is the shortest secret uploads accept, in bytes. Event ids
// are HMACs of order ids, and order ids are guessable (A0001, A0002, …):
// the key is the only thing keeping a platform from reading them back, so
// it must not be brute-forced. RFC 2104 §3 strongly discourages HMAC keys
// shorter than the hash's output, 32 bytes for SHA-256.
const MinKeyLen = 32

// minKeyBits is the least estimated entropy a key must show, in bits of
// log2(guesses) as zxcvbn estimates them (github.com/trustelem/zxcvbn, a
// Go port of Dropbox's zxcvbn: dictionaries, keyboard walks, sequences,
// repeats, dates, l33t). The estimate is what an attacker trying likely
// keys first would need, not the character variety: "abcd…xyzabcdefgh"
// has 26 distinct letters and ~14 bits. 90 bits is a key an offline
// attacker holding event ids cannot search (zxcvbn's estimate is what the
// likely-first search needs, so a margin is in it already); `hashgate secret`'s 32 random
// bytes are estimated at ~140, 16 random bytes in hex at ~105.
const minKeyBits = 90

// maxEstimated bounds what zxcvbn reads: its matching grows with the
// square of the length (a 256-character key takes seconds), and 64
// characters already decide the question either way. A longer key is
// judged by its first 64 characters.
const maxEstimated = 64

// Weak-key errors. They name HASHGATE_SECRET, never the key.
var (
	ErrDemoKey  = errors.New("HASHGATE_SECRET is the public demo key: event ids made with it reveal order ids to anyone who tries guesses; generate a secret with `hashgate secret`")
	ErrShortKey = errors.New("HASHGATE_SECRET is shorter than 32 bytes: event ids made with it can be brute-forced back to order ids; generate one with `hashgate secret`")
	ErrWeakKey  = errors.New("HASHGATE_SECRET is guessable (words, a sequence, a keyboard walk or a repeat: estimated below 90 bits); generate one with `hashgate secret`")
)

// CheckKey refuses keys that do not keep event ids secret: the demo key,
// keys shorter than MinKeyLen bytes, and keys whose estimated entropy
// (EstimatedBits) is below minKeyBits. Only uploads and manual-upload
// files need it: a dry-run sends nothing.
func CheckKey(key string) error {
	switch {
	case key == DemoKey:
		return ErrDemoKey
	case len(key) < MinKeyLen:
		return ErrShortKey
	case EstimatedBits(key) < minKeyBits:
		return ErrWeakKey
	}
	return nil
}

// lastEstimate is the verdict on the last key estimated, known by the
// key's SHA-256 (the key itself is not kept). An upload checks its secret
// twice — config.ValidateSecret, then the run's summary (run.keyWarning) —
// and zxcvbn's dictionaries are let go between estimates
// (third_party/zxcvbn/PATCHES.md), so when a collection fell between the
// two checks the second built them again: 38–48 ms and 11.7 MB allocated
// (measured on the bench secret).
var lastEstimate struct {
	sync.Mutex
	sum  [sha256.Size]byte
	bits float64
	ok   bool
}

// EstimatedBits is log2 of the guesses zxcvbn estimates an attacker needs
// for key (its first maxEstimated characters).
func EstimatedBits(key string) float64 {
	sum := sha256.Sum256([]byte(key))
	lastEstimate.Lock()
	if lastEstimate.ok && lastEstimate.sum == sum {
		bits := lastEstimate.bits
		lastEstimate.Unlock()
		return bits
	}
	lastEstimate.Unlock()
	bits := estimate(key)
	lastEstimate.Lock()
	lastEstimate.sum, lastEstimate.bits, lastEstimate.ok = sum, bits, true
	lastEstimate.Unlock()
	return bits
}

// estimate is EstimatedBits without the memory of the last key.
func estimate(key string) float64 {
	if !utf8.ValidString(key) {
		key = strings.ToValidUTF8(key, "\uFFFD")
	}
	if n := 0; len(key) > maxEstimated {
		for i := range key {
			if n == maxEstimated {
				key = key[:i]
				break
			}
			n++
		}
	}
	g := zxcvbn.PasswordStrength(key, nil).Guesses
	if g < 1 {
		return 0
	}
	return math.Log2(g)
}

// NewKey returns a fresh secret: 32 random bytes from the operating
// system's generator, URL-safe base64 without padding (43 characters, safe
// in an environment file or YAML without quoting).
func NewKey() (string, error) {
	b := make([]byte, MinKeyLen)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
