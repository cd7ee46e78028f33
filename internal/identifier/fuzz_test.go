package identifier

import (
	"errors"
	"strings"
	"testing"
)

// FuzzPrepare: for every platform and field, any input gives a 64-hex hash,
// a plain value for the fields a platform takes unhashed, or a *Rejection
// with a reason code that is not the input. Normalising is idempotent
// (checkIdempotent): the normalised value normalises to itself and sends
// what its raw cell sent — a Meta phone read again with the "+" its digits
// stand for, and not when the normalised text is itself hash-shaped, e.g.
// a "city" of 32 letters a–f, which a second pass takes for an MD5: the
// corpus keeps one.
func FuzzPrepare(f *testing.F) {
	for _, s := range []string{
		"  ALEXZ@example.com ", "Cloudy.SanFrancisco+shopping@gmail.com", " ...@gmail.com",
		"(800)555-0100", "+001 (616) 954-78 88", "００８８６ ９１２ ３４５ ６７８", "0912", "9.12346E+08",
		" Mr. Alex ", ", Jr. ", "Quinn-Alex", "Vale\u0301ry", "İlknur", "San José", "New Taipei City",
		"NR9 5AL", "94105-1234", "United States", " usa ", "2a6a84e9e44441afbd75cc19ce28be37",
		"cf14fe3c9d73fcb3574d2643988efb2db605b1c224725bd322d7d2350467b4dc", "阿依古丽·买买提", "\x00\xff",
		"Calif.", "Califórnia", "Tëxas", "Washington, D.C.", "106-0032", "94105-1234 ", "1",
		"a@example.com/", "<a@example.com>", "441134960987", "(02) 2345-6789", "0912-345-678",
		"002-1-212-555-0100", "009 1 650 555 1234", "00886 912 345 678", "555-0100", "0012345678",
		"(02)2345-6789 分機 123", "02-2345-6789 轉123", "85291234567",
		"0\x7f!", "Alex\u200b dr.", "Smith\u200e, Jr.", "ab\u200b-", "O\u0092Connor", "Mary\u0085Ann",
	} {
		f.Add(s, "TW")
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		if len(region) > 3 {
			region = region[:3]
		}
		for _, p := range Platforms {
			for _, fld := range Fields {
				if !p.Supports(fld) {
					continue
				}
				s, err := Prepare(p, fld, raw, Options{Region: region})
				if err != nil {
					var rej *Rejection
					if !errors.As(err, &rej) || rej.Reason == "" {
						t.Fatalf("%v/%v: error %v is not a *Rejection", p, fld, err)
					}
					if len(raw) > 3 && rej.Reason == raw {
						t.Fatalf("rejection carries the input")
					}
					continue
				}
				txt := s.Text()
				if s.IsHashed() {
					if len(txt) != 64 || !isHex(txt) || txt != s.Hash().Hex() {
						t.Fatalf("%v/%v: sent %q is not 64 lower-case hex", p, fld, txt)
					}
				} else if p.Hashes(fld) || txt == "" {
					t.Fatalf("%v/%v: plain %q for a hashed field", p, fld, txt)
				}
				if _, err := Normalize(p, fld, raw, Options{Region: region}); err != nil {
					t.Fatalf("%v/%v: Prepare accepted what Normalize rejects: %v", p, fld, err)
				}
				if msg := checkIdempotent(p, fld, raw, Options{Region: region}); msg != "" {
					t.Fatal(msg)
				}
			}
		}
	})
}

// emailForBefore is emailFor's Meta domain rule and plainAddress as they
// were written before the byte-set rewrite (strings.Split and
// strings.ContainsAny): the rewrite must answer the same for every input.
// An ASCII control anywhere in the address is refused since a review of
// Windows-saved exports (Ctrl-Z in an address was hashed).
func emailForBefore(p Platform, s string) (string, error) {
	at := strings.IndexByte(s, '@')
	if at < 0 || strings.IndexByte(s[at+1:], '@') >= 0 {
		return "", reject(ReasonInvalidEmail)
	}
	local, domain := s[:at], s[at+1:]
	control := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0
	if local == "" || domain == "" || control || strings.ContainsAny(local, `[]()<>,;:"\`) || strings.ContainsAny(domain, `[]()<>,;:"\/`) {
		return "", reject(ReasonInvalidEmail)
	}
	if p == Google {
		if domain == "gmail.com" || domain == "googlemail.com" {
			if plus := strings.IndexByte(local, '+'); plus >= 0 {
				local = local[:plus]
			}
			local = strings.ReplaceAll(local, ".", "")
			if local == "" {
				return "", reject(ReasonInvalidEmail)
			}
			return local + "@" + domain, nil
		}
		return s, nil
	}
	if !strings.Contains(domain, ".") {
		return "", reject(ReasonInvalidEmail)
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" {
			return "", reject(ReasonInvalidEmail)
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", reject(ReasonInvalidEmail)
	}
	return s, nil
}

var emailRuleSeeds = []string{
	"a@b.c", "a@.b.c", "a@b.c.", "a@b..c", "a@b", "a@", "@b.c", "a.@b.c", "a@@b.c",
	"a<b@c.d", "a@c/d.e", "a@c\\d.e", "a,b@c.d", "x@[1.2.3.4]", "名@例え.jp", "a@b.c\x00",
}

// TestEmailRulesMatchBefore and FuzzEmailRules hold the rewrite to the
// code it replaced.
func TestEmailRulesMatchBefore(t *testing.T) {
	for _, s := range emailRuleSeeds {
		checkEmailRules(t, s)
	}
}

func FuzzEmailRules(f *testing.F) {
	for _, s := range emailRuleSeeds {
		f.Add(s)
	}
	f.Fuzz(checkEmailRules)
}

func checkEmailRules(t *testing.T, s string) {
	for _, p := range []Platform{Google, Meta} {
		got, gerr := emailFor(p, s)
		want, werr := emailForBefore(p, s)
		if got != want || (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("%s %q: got %q, %v; before %q, %v", p, s, got, gerr, want, werr)
		}
	}
}

// TestEmailAddressMatchesEmailBase and FuzzEmailAddress hold the one-pass
// ASCII path (asciiAddress) to emailBase and splitAddress — the address,
// its "@" and the rejection — and PrepareEach's e-mail path, which takes
// it, to Prepare for each platform.
func TestEmailAddressMatchesEmailBase(t *testing.T) {
	for _, s := range append(emailAddressSeeds, emailRuleSeeds...) {
		checkEmailAddress(t, s)
	}
}

func FuzzEmailAddress(f *testing.F) {
	for _, s := range append(emailAddressSeeds, emailRuleSeeds...) {
		f.Add(s)
	}
	f.Fuzz(checkEmailAddress)
}

var emailAddressSeeds = []string{
	"  Amir.Bob1@Example.COM ", "amir.3+promo@gmail.com", "A.B.C+x@GoogleMail.com", ".+@gmail.com", "", " \t ",
	"a b@c.d", "a@b c.d", "a@b\x00.c", "A@B@C.D", "@", "a@", "@b", "a\"b@c.d", "a@b/c.d", "a/b@c.d", "ab@[c].d",
	"Ä@b.c", "a@b.c\u00a0", "\u00a0a@b.c", "\xff@b.c", "ａ@b.c", strings.Repeat("a", 120) + "@b.cd", strings.Repeat("a", 130) + "@b.cd",
}

func checkEmailAddress(t *testing.T, raw string) {
	var buf [emailMax]byte
	if got, gat, gerr, ok := asciiAddress(&buf, raw); ok {
		want, werr := emailBase(raw)
		wat := 0
		if werr == nil {
			wat, werr = splitAddress(want)
		}
		if werr != nil {
			want, wat = "", 0
		}
		if got != want || gat != wat || (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("%q: one pass %q @%d %v; emailBase and splitAddress %q @%d %v", raw, got, gat, gerr, want, wat, werr)
		}
	}
	ps := []Platform{Google, Meta}
	res := make([]Result, len(ps))
	PrepareEach(new(Hasher), ps, Email, raw, Options{}, res)
	for i, p := range ps {
		want, werr := Prepare(p, Email, raw, Options{})
		if res[i].Sent != want || (res[i].Err == nil) != (werr == nil) || werr != nil && res[i].Err.Error() != werr.Error() {
			t.Fatalf("%s %q: PrepareEach %v %v, Prepare %v %v", p, raw, res[i].Sent.Text(), res[i].Err, want.Text(), werr)
		}
	}
}
