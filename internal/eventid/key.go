package eventid

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"math"
)

// MinKeyLen is the shortest secret uploads accept, in bytes. Event ids
// are HMACs of order ids, and order ids are guessable (A0001, A0002, …):
// the key is the only thing keeping a platform from reading them back, so
// it must not be brute-forced. RFC 2104 §3 strongly discourages HMAC keys
// shorter than the hash's output, 32 bytes for SHA-256.
const MinKeyLen = 32

// minKeyBits is the least estimated entropy (Shannon, per character, times
// length) a key must show beyond its length: "aaaa…" or a repeated word is
// 32 bytes long and worth nothing.
const minKeyBits = 96

// Weak-key errors. They name HASHGATE_SECRET, never the key.
var (
	ErrDemoKey  = errors.New("HASHGATE_SECRET is the public demo key: event ids made with it reveal order ids to anyone who tries guesses; generate a secret with `hashgate secret`")
	ErrShortKey = errors.New("HASHGATE_SECRET is shorter than 32 bytes: event ids made with it can be brute-forced back to order ids; generate one with `hashgate secret`")
	ErrWeakKey  = errors.New("HASHGATE_SECRET has too little variety to be secret (a repeated character, word or pattern); generate one with `hashgate secret`")
)

// CheckKey refuses keys that do not keep event ids secret: the demo key,
// keys shorter than MinKeyLen bytes, and keys of obviously low entropy (a
// short pattern repeated, few distinct characters). Only uploads and
// manual-upload files need it: a dry-run sends nothing.
func CheckKey(key string) error {
	switch {
	case key == DemoKey:
		return ErrDemoKey
	case len(key) < MinKeyLen:
		return ErrShortKey
	case periodic(key) || entropyBits(key) < minKeyBits:
		return ErrWeakKey
	}
	return nil
}

// periodic reports whether key is a shorter unit repeated ("abcabcabc…"),
// possibly with a partial last repetition.
func periodic(key string) bool {
	for p := 1; p <= len(key)/2; p++ {
		same := true
		for i := p; i < len(key); i++ {
			if key[i] != key[i-p] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// entropyBits estimates the key's entropy from its byte frequencies: a
// crude upper bound that catches only the obviously weak.
func entropyBits(key string) float64 {
	var counts [256]int
	for i := 0; i < len(key); i++ {
		counts[key[i]]++
	}
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(len(key))
			h -= p * math.Log2(p)
		}
	}
	return h * float64(len(key))
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
