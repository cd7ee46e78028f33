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
		"correct horse battery staple clinic 2026": nil,
	} {
		if got := CheckKey(key); !errors.Is(got, want) {
			t.Errorf("CheckKey(%q) = %v, want %v", key, got, want)
		}
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
