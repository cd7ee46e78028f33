package eventid

import "testing"

// TestRevokedIdentifierIsTheInstallations: an identifier's digest is keyed
// with the secret — under another it matches nothing — and namespaced by
// field and apart from a patient key's digest of the same text.
func TestRevokedIdentifierIsTheInstallations(t *testing.T) {
	a, b := NewDeriver("secret-one-3Jh8Nq5Bv1Xc6Zm0"), NewDeriver("secret-two-3Jh8Nq5Bv1Xc6Zm0")
	v := "zq@example.com"
	if a.RevokedIdentifier("email", v) != a.RevokedIdentifier("email", v) {
		t.Fatal("not deterministic")
	}
	if a.RevokedIdentifier("email", v) == b.RevokedIdentifier("email", v) {
		t.Error("the same identifier under another secret makes the same digest")
	}
	if a.RevokedIdentifier("email", v) == a.RevokedIdentifier("phone", v) {
		t.Error("the field does not enter the digest")
	}
	if a.RevokedIdentifier("email", v) == a.RevokedPatient(v) {
		t.Error("an identifier's digest is a patient key's")
	}
}
