package identifier

import (
	"errors"
	"testing"
)

// wantRejected asserts that raw is refused for p/f with reason.
func wantRejected(t *testing.T, p Platform, f Field, raw string, opt Options, reason string) {
	t.Helper()
	got, err := Normalize(p, f, raw, opt)
	var rej *Rejection
	if !errors.As(err, &rej) || rej.Reason != reason {
		t.Errorf("%v %v %q: got %q, %v; want rejection %s", p, f, raw, got, err, reason)
	}
	if _, err := Prepare(p, f, raw, opt); err == nil {
		t.Errorf("%v %v %q: Prepare accepted what Normalize rejects", p, f, raw)
	}
}

func wantNormalized(t *testing.T, p Platform, f Field, raw string, opt Options, want string) {
	t.Helper()
	got, err := Normalize(p, f, raw, opt)
	if err != nil || got != want {
		t.Errorf("%v %v %q: got %q, %v; want %q", p, f, raw, got, err, want)
	}
}

// TestEmailForbiddenCharacters: characters RFC 5322 allows only inside
// quotes, and a "/" in the domain, make the address unusable: it is
// refused, not hashed (issue 14: both were hashed).
func TestEmailForbiddenCharacters(t *testing.T) {
	for _, raw := range []string{
		"a[1]@example.com", "a(b)@example.com", "<a@example.com>", "a,b@example.com",
		"a;b@example.com", "a:b@example.com", `"a"@example.com`, `a\b@example.com`,
		"a@example.com/", "a@example.com/path", "a@exa(mple).com", "a@[192.0.2.1]",
	} {
		for _, p := range Platforms {
			wantRejected(t, p, Email, raw, Options{}, ReasonInvalidEmail)
		}
	}
	// What RFC 5322 allows unquoted stays accepted.
	for _, raw := range []string{"a.b+tag@example.com", "o'neil@example.com", "a_b-c@example.co.uk", "x!#$%&*=?^`{|}~@example.com"} {
		wantNormalized(t, Meta, Email, raw, Options{}, raw)
	}
}

// TestEmailInvisibleCharacters: what cannot be seen at an address's edges
// — Ctrl-Z stuck to a file's last cell, a byte-order mark, zero-width and
// direction marks — is trimmed, so the hash is the address's own (a review
// of Windows-saved exports: each gave another hash); inside the address
// it is refused, as no account has such an address.
func TestEmailInvisibleCharacters(t *testing.T) {
	for _, raw := range []string{"quinn@example.org\x1a", "\ufeffquinn@example.org", "quinn@example.org\u200b", "\u200equinn@example.org\u200f", "\x00 Quinn@Example.org \x7f"} {
		for _, p := range Platforms {
			wantNormalized(t, p, Email, raw, Options{}, "quinn@example.org")
		}
	}
	for _, raw := range []string{"qu\x1ainn@example.org", "quinn@exa\x01mple.org", "qu\u200binn@example.org", "quinn@example\ufeff.org", "quinn\u00ad@example.org", "qu\x7finn@example.org", "quinn@例子\u200b.org"} {
		for _, p := range Platforms {
			wantRejected(t, p, Email, raw, Options{}, ReasonInvalidEmail)
		}
		// The upload's path: both platforms at once (PrepareEach), an
		// ASCII cell in one pass.
		res := make([]Result, len(Platforms))
		PrepareEach(new(Hasher), Platforms, Email, raw, Options{}, res)
		for i, r := range res {
			var rej *Rejection
			if !errors.As(r.Err, &rej) || rej.Reason != ReasonInvalidEmail {
				t.Errorf("PrepareEach %v %q: %v, want %s", Platforms[i], raw, r.Err, ReasonInvalidEmail)
			}
		}
	}
}

// TestPostalCodes: one character is no postal code; Meta's doc wants no
// dash, and only a US ZIP+4 is cut to five digits.
func TestPostalCodes(t *testing.T) {
	for _, p := range Platforms {
		for _, raw := range []string{"1", " 9 ", "-", "Ａ"} {
			reason := ReasonInvalidPostalCode
			if raw == "-" && p == Meta {
				reason = ReasonEmpty
			}
			wantRejected(t, p, PostalCode, raw, Options{}, reason)
		}
	}
	for raw, want := range map[string]string{
		"106-0032":   "1060032",  // Japan: not "106"
		"94105-1234": "94105",    // US ZIP+4
		"1229-076":   "1229076",  // Portugal
		"01310-100":  "01310100", // Brazil CEP
		"NR9 5AL":    "nr95al",
		"10617":      "10617",
		"106 0032":   "1060032",
		"12":         "12",
	} {
		wantNormalized(t, Meta, PostalCode, raw, Options{}, want)
	}
	// Google takes the code as written (trimmed): the dash is kept.
	wantNormalized(t, Google, PostalCode, " 106-0032 ", Options{}, "106-0032")
}

// TestMetaStateSpellings: abbreviations and accented spellings of US states
// map to their codes; other regions keep their accents.
func TestMetaStateSpellings(t *testing.T) {
	for raw, want := range map[string]string{
		"Calif.": "ca", "Fla.": "fl", "Mass.": "ma", "Tex.": "tx", "Penn.": "pa",
		"Califórnia": "ca", "Tëxas": "tx", "Washington, D.C.": "dc", "Washington DC": "dc",
		"D.C.": "dc", "N. Dak.": "nd", "W. Va.": "wv", "Québec": "qc", "Quebec": "qc",
		"California": "ca", "Washington": "wa", "New Taipei City": "newtaipeicity",
		"São Paulo": "sãopaulo", "Île-de-France": "îledefrance",
	} {
		wantNormalized(t, Meta, State, raw, Options{}, want)
	}
}

// TestPhoneWithoutRegion: without a region, only what is international on
// its face is read; a national shape is dropped with its own reason rather
// than read as another country's number.
func TestPhoneWithoutRegion(t *testing.T) {
	for raw, want := range map[string]string{
		"441134960987":     "+441134960987", // Google's own vector
		"18005550100":      "+18005550100",
		"1 800 555 0100":   "+18005550100",
		"+886 912 345 678": "+886912345678",
		"00886912345678":   "+886912345678",
		"886912345678":     "+886912345678",
		"+44 7700 900123":  "+447700900123", // Ofcom drama range: possible, not valid, but international on its face
	} {
		wantNormalized(t, Google, Phone, raw, Options{}, want)
	}
	for _, raw := range []string{
		"0912-345-678",   // today: +912345678, an Indian number
		"0912345678",     //
		"(02) 2345-6789", // area code in brackets
		"(650) 555-1212", //
		"912345678",      // a Taiwanese mobile that lost its 0: no valid number as +912345678
		"650-555-1212",   // +65 05551212 is no valid Singapore number
		"07700 900123",
	} {
		for _, p := range Platforms {
			wantRejected(t, p, Phone, raw, Options{}, ReasonRegionNeeded)
		}
	}
	// With a region the same national shapes are read.
	wantNormalized(t, Google, Phone, "0912-345-678", Options{Region: "TW"}, "+886912345678")
	wantNormalized(t, Meta, Phone, "(650) 555-1212", Options{Region: "US"}, "16505551212")
}
