package eventid

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckKey(t *testing.T) {
	for key, want := range map[string]error{
		DemoKey:                                  ErrDemoKey,
		"":                                       ErrShortKey,
		"x":                                      ErrShortKey,
		"golden-test-secret":                     ErrShortKey,
		strings.Repeat("a", 64):                  ErrWeakKey,
		strings.Repeat("password", 4):            ErrWeakKey,
		strings.Repeat("0123456789", 4):          ErrWeakKey,
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab":       ErrWeakKey,
		"S3cr3t-S3cr3t-S3cr3t-S3cr3t-S3cr3t!":    ErrWeakKey, // repeated word with a tail
		"k3J9_qLx2v8RwP0aZt7mYc4NhB6sDf1GeU5oVi": nil,
		// Variety is not entropy (issue 22): every letter, nothing secret.
		"abcdefghijklmnopqrstuvwxyzabcdefgh":          ErrWeakKey,
		"qwertyuiopasdfghjklzxcvbnm1234567890":        ErrWeakKey, // keyboard walk
		"Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3xx":         ErrWeakKey, // l33t word repeated
		"2026-11-20-2026-11-21-2026-11-22-aa":         ErrWeakKey, // dates
		"correct horse battery staple clinic":         ErrWeakKey, // a famous passphrase
		"DoSknLdp6qCAkqjAglwi5Pr4t3ygKTtUih67dQFTYGE": nil,        // `hashgate secret` output (the bench's)
		"9024d89ee109b1ef0427c1430d392bbc":            nil,        // 16 random bytes in hex
	} {
		if got := CheckKey(key); !errors.Is(got, want) {
			t.Errorf("CheckKey(%q) = %v, want %v", key, got, want)
		}
	}
}

// TestEveryGeneratedKeyIsAccepted: `hashgate secret`'s output always
// passes the estimator, whatever bytes it drew.
func TestEveryGeneratedKeyIsAccepted(t *testing.T) {
	for range 50 {
		k, err := NewKey()
		if err != nil {
			t.Fatal(err)
		}
		if bits := EstimatedBits(k); bits < minKeyBits+20 {
			t.Errorf("a generated key is estimated at %.0f bits", bits)
		}
	}
}

// TestALongKeyIsJudgedQuickly: the estimator reads a bounded prefix.
func TestALongKeyIsJudgedQuickly(t *testing.T) {
	k, _ := NewKey()
	long := strings.Repeat(k, 300)
	if err := CheckKey(long); err != nil {
		t.Errorf("a long random key: %v", err)
	}
	if err := CheckKey(strings.Repeat("ab", 5000)); !errors.Is(err, ErrWeakKey) {
		t.Errorf("a long repeat: %v", err)
	}
}

func TestNewKeyIsStrongAndFresh(t *testing.T) {
	a, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewKey()
	if a == b || len(a) != 43 {
		t.Fatalf("NewKey: %q, %q", a, b)
	}
	if err := CheckKey(a); err != nil {
		t.Errorf("a generated key is refused: %v", err)
	}
	if strings.ContainsAny(a, "+/=") {
		t.Errorf("key %q needs quoting in an env file", a)
	}
}

func TestKeyErrorsNeverHoldTheKey(t *testing.T) {
	for _, key := range []string{"zqsecret", strings.Repeat("zq", 20)} {
		if err := CheckKey(key); err == nil || strings.Contains(err.Error(), "zq") || !strings.Contains(err.Error(), "HASHGATE_SECRET") {
			t.Errorf("CheckKey: %v", err)
		}
	}
}

// TestSecondEstimateOfAKeyIsRemembered: an upload checks its secret twice
// (the config, then the run's summary); the second check answers from the
// first instead of building zxcvbn's dictionaries again, and answers the
// same. Another key is estimated afresh.
func TestSecondEstimateOfAKeyIsRemembered(t *testing.T) {
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	first := EstimatedBits(k)
	var again float64
	if allocs := testing.AllocsPerRun(3, func() { again = EstimatedBits(k) }); allocs > 2 {
		t.Errorf("the second estimate of one key allocated %.0f times: it was estimated again", allocs)
	}
	if again != first {
		t.Errorf("remembered %v bits, estimated %v", again, first)
	}
	if other := EstimatedBits("correcthorsebatterystaple-correcthorse"); other >= minKeyBits || other == first {
		t.Errorf("another key answered %v bits (the first: %v)", other, first)
	}
	if got, want := EstimatedBits(k), estimate(k); got != want {
		t.Errorf("after another key: %v bits, estimated %v", got, want)
	}
}
