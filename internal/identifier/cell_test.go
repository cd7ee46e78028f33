package identifier

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestValues(t *testing.T) {
	cases := []struct {
		f    Field
		cell string
		want []string
	}{
		{Email, "  Jane.Doe@Example.Com ", []string{"Jane.Doe@Example.Com"}},
		{Email, "a@example.com; b@example.org", []string{"a@example.com", "b@example.org"}},
		{Email, "a@example.com,b@example.org / c@example.net", []string{"a@example.com", "b@example.org", "c@example.net"}},
		{Email, "a@example.com；N/A", []string{"a@example.com"}},
		{Email, "none", nil}, {Email, "N/A", nil}, {Email, "無", nil}, {Email, "无", nil}, {Email, "-", nil}, {Email, "ＮＯＮＥ", nil},
		{Phone, "0912-345-678", []string{"0912-345-678"}},
		{Phone, "0912-345-678 / 02-2345-6789", []string{"0912-345-678", "02-2345-6789"}},
		{Phone, "503.555.0145 x12", []string{"503.555.0145"}},
		{Phone, "(02)2345-6789 #12", []string{"(02)2345-6789"}},
		{Phone, "(02)2345-6789分機12", []string{"(02)2345-6789"}},
		{Phone, "(02)2345-6789 內線 12", []string{"(02)2345-6789"}}, // as phone.go's cjkExtensionMarkers
		{Phone, "010-8888-8888内线12", []string{"010-8888-8888"}},
		{Phone, "425-555-0141 (mom's cell)", []string{"425-555-0141"}},
		{Phone, "0912345678（媽媽）、0922111222", []string{"0912345678", "0922111222"}},
		{Phone, "０９１２－３４５－６７８", []string{"0912-345-678"}}, // folded: the same number
		{Phone, "503-555-0145 ext. 7 or 503-555-0146", []string{"503-555-0145", "503-555-0146"}},
		{Phone, "n/a", nil}, {Phone, "無", nil},
		{Phone, "(mom's cell)", []string{"(mom's cell)"}}, // no number: kept, so it is counted as rejected
		{FirstName, " - ", nil},
		{FirstName, "O'Donnell", []string{"O'Donnell"}},
		// "Na" and "No" are surnames (나, 노, 那) and the ISO 3166 codes of
		// Namibia and Norway: values there, placeholders only in an e-mail
		// or phone cell (a review: last names "Na" and "No" dropped uncounted).
		{LastName, "Na", []string{"Na"}}, {LastName, " NO ", []string{"NO"}}, {LastName, "Ｎａ", []string{"Ｎａ"}},
		{FirstName, "no", []string{"no"}}, {Country, "NO", []string{"NO"}}, {Country, "na", []string{"na"}},
		{LastName, "N/A", nil}, {LastName, "none", nil}, {Country, "-", nil},
		{Email, "NA", nil}, {Email, "no", nil}, {Phone, "NO", nil}, {Phone, "ｎａ", nil},
		// What cannot be seen is no value, as at a cell's edges
		// (celltext.Trim): FuzzValues found "\x10" after a comma counted
		// as an "empty" phone, FuzzPlaceholder " \x00\x03X" no placeholder.
		{Phone, "0912-345-678,\x10", []string{"0912-345-678"}},
		{Phone, "0912-345-678 / \u200b / 02-2345-6789", []string{"0912-345-678", "02-2345-6789"}},
		{Email, "\x00", nil}, {Email, "\x1a N/A", nil}, {Phone, " \x00\x03X", nil}, {Phone, "\u200bn/a\x7f", nil},
	}
	for _, c := range cases {
		if got := Values(c.f, c.cell, nil); !slices.Equal(got, c.want) {
			t.Errorf("%v %q: got %q, want %q", c.f, c.cell, got, c.want)
		}
	}
}

func TestValuesOfOneCleanValueDoNotAllocate(t *testing.T) {
	dst := make([]string, 0, 4)
	if n := testing.AllocsPerRun(100, func() {
		dst = Values(Phone, "0912-345-678", dst[:0])
		dst = Values(Email, "a@example.com", dst[:0])
	}); n != 0 {
		t.Errorf("%v allocations per clean value", n)
	}
}

// TestLostLeadingZero: Excel turns 0912345678 into 912345678. In a region
// whose numbers carry a trunk 0 the zero is put back only when the result
// is a valid mobile; a landline or local number without it is refused.
func TestLostLeadingZero(t *testing.T) {
	cases := []struct {
		raw, region, want, reason string
	}{
		{"912345678", "TW", "+886912345678", ""},
		{"0912345678", "TW", "+886912345678", ""},
		{"223456789", "TW", "", ReasonLeadingZeroLost},  // (02) 2345-6789 or a lost area code
		{"22345678", "TW", "", ReasonLeadingZeroLost},   // a Taipei number without its area code
		{"886912345678", "TW", "+886912345678", ""},     // country code without "+": nothing lost
		{"13912345678", "CN", "+8613912345678", ""},     // mainland mobiles have no trunk 0
		{"1012345678", "CN", "", ReasonLeadingZeroLost}, // Beijing 010-1234-5678 without the 0
		{"5035550123", "US", "+15035550123", ""},        // no trunk 0 in North America
		{"1.56178E+10", "TW", "", ReasonPrecisionLost},
		{"9.12346E+08", "TW", "", ReasonPrecisionLost},
	}
	for _, c := range cases {
		got, err := Normalize(Google, Phone, c.raw, Options{Region: c.region})
		var rej *Rejection
		switch {
		case c.reason != "" && (!errors.As(err, &rej) || rej.Reason != c.reason):
			t.Errorf("%q %s: got %q %v, want rejection %s", c.raw, c.region, got, err, c.reason)
		case c.reason == "" && (err != nil || got != c.want):
			t.Errorf("%q %s: got %q %v, want %s", c.raw, c.region, got, err, c.want)
		}
	}
}

var reasonCode = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)+$`)

// FuzzValues: whatever a cell holds, each value split from it prepares to
// a 64-hex hash or a *Rejection whose reason is a code, never the input.
func FuzzValues(f *testing.F) {
	for _, s := range []string{"a@example.com; b@example.org", "0912-345-678 / 02-2345-6789 分機 12", "425-555-0141 (mom's cell)",
		"none", "n/a", "（０２）２３４５－６７８９＃１２", "Ｊａｎｅ＠Ｅｘａｍｐｌｅ．ｃｏｍ", "1.56178E+10", "(((", "x#x",
		"=\"0912345678\"", "\ufeffa@example.com", "a@example.com\r", "0912-345-678\r\n0922-111-222", "ａ＠ｅｘａｍｐｌｅ．ｃｏｍ；b@example.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		for _, fld := range []Field{Email, Phone} {
			for _, v := range Values(fld, cell, nil) {
				if strings.TrimSpace(v) == "" {
					t.Fatalf("%v: blank value from %q", fld, cell)
				}
				for _, p := range Platforms {
					s, err := Prepare(p, fld, v, Options{Region: "TW"})
					if err != nil {
						var rej *Rejection
						if !errors.As(err, &rej) || !reasonCode.MatchString(rej.Reason) || rej.Reason == strings.TrimSpace(cell) {
							t.Fatalf("%v: error %q is not a reason code", fld, err)
						}
						continue
					}
					if txt := s.Text(); len(txt) != 64 || !isHex(txt) {
						t.Fatalf("%v: sent %q", fld, txt)
					}
				}
			}
		}
	})
}
