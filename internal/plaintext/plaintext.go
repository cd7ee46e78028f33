// Package plaintext decides, in one place for every sink, whether a value
// that leaves hashgate unhashed fits its grammar: Google click ids
// (gclid, gbraid, wbraid), Meta's fbclid, the postal code and region code
// Google takes in plain text, and currency codes. The review CSV, the
// manual-upload files and the Data Manager and Conversions API bodies all
// receive conversions whose plain fields passed Conversion; a value that
// fails is dropped with a reason code and counted, never sent or written.
//
// Why a grammar and not a blocklist: a plain field is the one place a cell
// of the export can reach a platform or a spreadsheet as it was typed. An
// export whose gclid column holds "Patient Mary Wang, implant, chart 13", or
// whose postcode column holds "=1+2 台北市信義路 王大明", must not carry
// that text anywhere. Only values shaped like what the platforms issue pass.
//
// Sources for the shapes (checked with the search tool; the platforms do
// not publish a formal grammar for click ids, and this package says so):
//
//   - Google issues gclid, gbraid and wbraid as opaque tokens and calls them
//     case-sensitive ("GBRAID is case-sensitive and should not be converted
//     to upper or lower case", support.google.com/google-ads/answer/16297842);
//     the Google Ads API's UNPARSEABLE_GCLID error says an uploaded gclid
//     "could not be decoded" (ConversionUploadErrorEnum): they are encoded
//     tokens, not free text. Real ones are URL-safe base64 ("Cj0KCQ…",
//     "EAIaIQ…", "0AAAAA…"), usually 50–120 characters.
//   - Meta's fbclid is "case sensitive - do not apply any modifications"
//     and its documented example, IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_
//     qa2ofrHyiLjcbCRxTDMgk, uses letters, digits, "-" and "_"
//     (developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc).
//
// Real ids, collected from public pages (they are landing-page URLs
// people pasted; the ids are opaque and name no one):
//
//   - gclid, "Cj0KCQ…" form, 92 characters: Cj0KCQiA_NC9BhCkARIsABSnSTYk6_H…
//     (AWS's SageMaker link in a public README), Cj0KCQjw2ZfABhDBARIsAHFTxGz_…
//     (a parts list, beside a gbraid), Cj0KCQjwsdiTBhD5ARIsAIpW8CKTiHq6…;
//     "EAIaIQobChMI…" form, 55 characters: EAIaIQobChMI18_1gPnL3wIVyiCtBh2S…
//     (developer.android.com links in READMEs), EAIaIQobChMIkY_v0ZDU6AIVhYXV…
//     (found with the search tool's code index, 2026-12-04).
//   - gbraid, 34 characters: 0AAAAADcdDU8NxuHbP0cnjgnaxxW8mVMPq,
//     0AAAAAoUYs8dnyFUYKmISDSbU3aPMF3dAh (edgeangel.co's wbraid/gbraid guide).
//   - wbraid, 115–123 characters: ClQKCQjwpP63BhCmARJDAGQpkKAP6uuBGtP6…,
//     CloKCQiAjp-7BhDZARJJAJjLeK9BH72Ki3e-…
//   - fbclid, 61 characters (2018–2023 form): IwAR2F4-dbP0l7Mn1IawQQGCINEz7P…
//     (Meta's own example, developers.facebook.com/docs/marketing-api/
//     conversions-api/parameters/fbp-and-fbc), IwAR3qvAPT-0lv5fLNnYAk4VEXzu…
//     (mpchadwick/tracking-query-params-registry pull request 1); 104–144
//     characters since 2024, with an "_aem_" part: IwZXh0bgNhZW0CMTAAAR3hND…
//     _aem_ZmFrZWR1bW15MTZieXRlcw.
//
// TestRealClickIDs holds them all (the whole ids). From them the grammar:
//
//   - Alphabet: URL-safe base64, letters, digits, "_" and "-". Nothing else
//     ever appears: no space, "+", "/", "=" or "%".
//   - Length: MinClickID to MaxClickID. The shortest real id is 34
//     characters (gbraid), older gclids were about 26; 20 would leave room
//     below them — but ids that short cannot show they are random (next
//     point), and no id issued today is; 32 it is. The longest is 144
//     (fbclid); 256 leaves room above.
//   - Randomness: the ids are encoded binary, so the character class
//     (lower case, upper case, digit, "_"/"-") changes at 48–72% of the
//     positions in every real one (random base64: 64%), and no run of one
//     class is longer than 10. Text typed by a person changes class at
//     words' edges only: "CANARY-NAME-4-chart-CANARYCHART0004-implant" at
//     26%, "PatientMaryWangChart13Implant" at 36%, a chart number such as
//     "A00001B00002" at 29%. An id must change class at 40% of its
//     positions or more (less for short ids: minClassChanges) and hold no
//     run longer than MaxClassRun.
//
// A click id that passes can still carry a word by chance or on purpose:
// the pipeline also refuses one holding a health term (phi.FindInToken) or
// a value of the same row's identifying columns (RowValues), with reasons
// of their own.
// Postal codes follow the country's pattern in Google's address metadata
// (postal_data.go); for any other country they are not sent.
// Region codes are ISO 3166-1 alpha-2 codes that are assigned (not the
// exceptionally reserved UK, EU, UN…); currencies are ISO 4217 codes of
// money (not XXX, XTS or the precious metals).
package plaintext

import (
	"math"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Reason codes for dropped plain values. They are stable: summaries,
// reports and tests match on them.
const (
	ReasonClickID = "click_id_invalid"
	// ReasonClickIDText: the alphabet and length fit, but the value reads
	// as typed text, not an encoded id (see the package comment).
	ReasonClickIDText = "click_id_not_random"
	// ReasonClickIDHealth: a health term inside a click id.
	ReasonClickIDHealth = "click_id_health_term"
	// ReasonClickIDRowValue: the click id holds a name, chart number,
	// phone digits or e-mail local part of its own row.
	ReasonClickIDRowValue = "click_id_row_value"
	ReasonPostalCode      = "postal_code_invalid"
	// ReasonPostalCountry: the row's country is missing, or its postal
	// format is one hashgate does not know; the code is not sent.
	ReasonPostalCountry = "postal_code_country_unknown"
	ReasonCountry       = "country_invalid"
	ReasonCurrency      = "currency_invalid"
)

// Click id bounds (see the package comment).
const (
	MinClickID = 32
	MaxClickID = 256
	// MaxClassRun is the longest run of one character class (letters of
	// one case, digits, separators) an id may hold: in random base64 a run
	// of 17 turns up in about 1 of 10,000 ids of 256 characters.
	MaxClassRun = 16
)

// minClassChanges is the least number of class changes an id of n
// characters must show: 40% of its positions, lowered for short ids to
// 3.7 standard deviations below what random base64 shows (64.5% of
// positions, binomial), so that about 1 random id in 10,000 is refused at
// any length. Typed text changes class at 20–36% of its positions.
func minClassChanges(n int) float64 {
	const p = 0.645
	m := float64(n - 1)
	return min(0.40*m, p*m-3.7*math.Sqrt(m*p*(1-p)))
}

// ClickID reports whether s is shaped like a click id (ClickIDProblem).
func ClickID(s string) bool { return ClickIDProblem(s) == "" }

// ClickIDProblem returns "" when s fits the click-id grammar, else the
// reason: ReasonClickID for the alphabet or length, ReasonClickIDText for
// a value that reads as typed text.
func ClickIDProblem(s string) string {
	if len(s) < MinClickID || len(s) > MaxClickID {
		return ReasonClickID
	}
	changes, run, longest := 0, 1, 1
	prev := class(s[0])
	if prev < 0 {
		return ReasonClickID
	}
	for i := 1; i < len(s); i++ {
		c := class(s[i])
		switch {
		case c < 0:
			return ReasonClickID
		case c != prev:
			changes++
			run = 1
		default:
			run++
			longest = max(longest, run)
		}
		prev = c
	}
	if longest > MaxClassRun || float64(changes) < minClassChanges(len(s)) {
		return ReasonClickIDText
	}
	return ""
}

// class is a click-id character's class, -1 outside the alphabet.
func class(c byte) int {
	switch {
	case 'a' <= c && c <= 'z':
		return 0
	case 'A' <= c && c <= 'Z':
		return 1
	case '0' <= c && c <= '9':
		return 2
	case c == '_' || c == '-':
		return 3
	}
	return -1
}

// RowValues holds what a row's click ids must not contain: the tokens of
// its names, chart number, phone and e-mail local part, lower-cased. A
// token counts from 4 letters or digits (mixed) or 6 digits (digits
// only): shorter ones turn up by chance in random ids (a given 6-digit run
// in a 100-character id: about 0.1%; a given 4-letter token: 0.01%). The
// zero value is empty; Reset it for each row.
type RowValues struct {
	tokens []string
}

// Reset empties v for the next row.
func (v *RowValues) Reset() { v.tokens = v.tokens[:0] }

// Add records the tokens of one cell: runs of ASCII letters and digits
// (lower-cased), and for a cell with digits the digits alone (a phone
// number's "0912-345-678" is "0912345678" in an id). For an e-mail
// address only the local part is taken.
func (v *RowValues) Add(cell string, email bool) {
	if email {
		if at := strings.LastIndexByte(cell, '@'); at >= 0 {
			cell = cell[:at]
		}
	}
	var tok, digits []byte
	flush := func() {
		if len(tok) >= 4 && !allDigits(tok) || len(tok) >= 6 {
			v.tokens = append(v.tokens, string(tok))
		}
		tok = tok[:0]
	}
	for i := 0; i < len(cell); i++ {
		c := cell[i]
		switch {
		case 'A' <= c && c <= 'Z':
			tok = append(tok, c+'a'-'A')
		case 'a' <= c && c <= 'z':
			tok = append(tok, c)
		case '0' <= c && c <= '9':
			tok = append(tok, c)
			digits = append(digits, c)
		default:
			flush()
		}
	}
	flush()
	if len(digits) >= 6 {
		v.tokens = append(v.tokens, string(digits))
		if len(digits) > 8 { // the subscriber part without trunk or country prefix
			v.tokens = append(v.tokens, string(digits[len(digits)-8:]))
		}
	}
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// In reports whether the click id holds one of the row's tokens (case
// folded).
func (v *RowValues) In(clickID string) bool {
	if len(v.tokens) == 0 {
		return false
	}
	low := strings.ToLower(clickID)
	for _, t := range v.tokens {
		if strings.Contains(low, t) {
			return true
		}
	}
	return false
}

// reserved are ISO 3166-1 codes that x/text's region table accepts as
// countries but ISO does not assign to one (exceptionally or transitionally
// reserved): a platform's region_code wants GB, not UK.
var reserved = map[string]bool{
	"AC": true, "CP": true, "DG": true, "EA": true, "EU": true, "EZ": true, "FX": true,
	"IC": true, "SU": true, "TA": true, "UK": true, "UN": true,
}

// Country reports whether s is an assigned ISO 3166-1 alpha-2 code, in
// upper case as it is sent.
func Country(s string) bool {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || reserved[s] {
		return false
	}
	r, err := language.ParseRegion(s)
	return err == nil && r.String() == s && r.IsCountry()
}

// notMoney are ISO 4217 codes that name no currency a clinic is paid in.
var notMoney = map[string]bool{
	"XXX": true, "XTS": true, "XAU": true, "XAG": true, "XPT": true, "XPD": true,
	"XBA": true, "XBB": true, "XBC": true, "XBD": true, "XDR": true, "XSU": true, "XUA": true,
}

// Currency reports whether s is an upper-case ISO 4217 code of a currency.
// It remembers currencyISO's answer (x/text's ISO 4217 table) for each of
// the 26³ codes it is asked about: the review CSV checks the currency of
// every conversion, and x/text's lookup was two thirds of that check
// (issue 29). TestCurrencyMemoIsCurrencyISO holds the answers to
// currencyISO over the whole domain.
func Currency(s string) bool {
	if len(s) != 3 {
		return false
	}
	a, b, c := s[0]-'A', s[1]-'A', s[2]-'A' // bytes: below 'A' wraps past 25
	if a >= 26 || b >= 26 || c >= 26 {
		return false
	}
	m := &currencyMemo[(int(a)*26+int(b))*26+int(c)]
	switch m.Load() {
	case memoYes:
		return true
	case memoNo:
		return false
	}
	ok := currencyISO(s)
	if ok {
		m.Store(memoYes)
	} else {
		m.Store(memoNo)
	}
	return ok
}

// currencyMemo holds, per three upper-case letters (AAA first), what
// currencyISO answered, or 0 before it was asked. Goroutines that race on
// an entry store the same answer. 70 KB of zeroed static memory, of which
// only the pages of codes asked about are ever touched.
var currencyMemo [26 * 26 * 26]atomic.Uint32

const (
	memoNo = 1 + iota
	memoYes
)

// currencyISO is the rule Currency's table holds: an upper-case ISO 4217
// code, by x/text's table, that names money a clinic can be paid in.
func currencyISO(s string) bool {
	if len(s) != 3 || notMoney[s] {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	u, err := currency.ParseISO(s)
	return err == nil && u.String() == s
}

// postalRule is one country's postal code format from Google's address
// metadata (postal_data.go, generated by `go run gen_postal.go -in
// all.json` from the copy its header names; see gen_postal.go).
type postalRule struct {
	zip      string   // RE2 pattern, matched against the whole code
	examples []string // Google's examples (zipex); tests hold them to zip
}

// postalFormats compiles googlePostal once, on the first postal code
// checked: 186 patterns (the United Kingdom's lists every area) are
// compiled by runs that send postal codes only.
var postalFormats = sync.OnceValue(func() map[string]*regexp.Regexp {
	m := make(map[string]*regexp.Regexp, len(googlePostal))
	for country, r := range googlePostal {
		// libaddressinput validates with RE2::FullMatch
		// (cpp/src/validation_task.cc); ^(?:…)$ is the same here.
		m[country] = regexp.MustCompile(`^(?:` + r.zip + `)$`)
	}
	return m
})

// PostalCode reports whether s is a postal code of country (an ISO 3166-1
// alpha-2 code) by the country's pattern in Google's address metadata —
// the per-country `zip` regular expression behind libaddressinput
// (https://chromium-i18n.appspot.com/ssl-address), the formats Google's own
// address forms accept. s is upper-cased first (Google's normalisation of
// postal codes; the patterns are written in capitals). A country without a
// pattern has none that passes: "3 to 10 letters and digits" let CANARY-1
// through (issue 22), and a shape loose enough for every country is loose
// enough for a word. Such postal codes are not sent (ReasonPostalCountry).
func PostalCode(country, s string) bool {
	re, ok := postalFormats()[country]
	return ok && re.MatchString(strings.ToUpper(s))
}

// PostalFormatKnown reports whether hashgate knows country's postal code
// format: a pattern in Google's metadata, or an address format without a
// postal code (Hong Kong, Macau, the United Arab Emirates…: nothing
// passes, so theirs is known too). North Korea's format names a postal
// code but publishes no pattern, so it is unknown, like a code that is
// not a country.
func PostalFormatKnown(country string) bool {
	_, ok := googlePostal[country]
	return ok || googleNoPostal[country]
}

// Drop is one plain value removed from a conversion.
type Drop struct {
	Field  string // a click id's column key (platform.KeyGCLID …), "postal_code", …
	Reason string
}

// FBC reports whether s is Meta's fbc as hashgate builds it:
// "fb.1.<creation time, 13 digits of Unix milliseconds>.<fbclid>", the
// fbclid passing ClickID. Meta's form is version.subdomainIndex.
// creationTime.fbclid, with 1 as the subdomain index of a value generated
// on a server and the creation time in milliseconds
// (developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc;
// platform.MetaFBC builds it). Thirteen digits are the milliseconds from
// 2001-09-09 to 2286: a time in seconds (ten digits), the commonest
// mistake, fails.
func FBC(s string) bool {
	const prefix, ms = "fb.1.", 13
	if len(s) < len(prefix)+ms+1 || s[:len(prefix)] != prefix || s[len(prefix)+ms] != '.' {
		return false
	}
	for i := len(prefix); i < len(prefix)+ms; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return ClickID(s[len(prefix)+ms+1:])
}

// Conversion removes from c every plain-text value that fails its
// grammar — click ids, unhashed identifiers, the currency — and reports
// each with drop. A conversion whose currency fails loses its value too
// (a value without a currency means nothing). It is the one check every
// sink relies on.
func Conversion(c *conversion.Conversion, drop func(Drop)) {
	for _, id := range c.ClickIDs() {
		if *id.Value != "" && !ClickID(*id.Value) {
			*id.Value = ""
			drop(Drop{id.Key, ReasonClickID})
		}
	}
	if c.Formatted != "" && !FBC(c.Formatted) {
		c.Formatted = ""
		drop(Drop{platform.FieldFBC, ReasonClickID})
	}
	if c.HasValue && !Currency(c.Currency) {
		c.HasValue, c.Value, c.Currency = false, 0, ""
		drop(Drop{"currency", ReasonCurrency})
	}
	country := ""
	for _, s := range c.Identifiers {
		if !s.IsHashed() && s.Field() == identifier.Country {
			country = s.Text()
		}
	}
	kept := c.Identifiers[:0]
	for _, s := range c.Identifiers {
		if !s.IsHashed() {
			if reason := Identifier(s.Field(), country, s.Text()); reason != "" {
				drop(Drop{s.Field().String(), reason})
				continue
			}
		}
		kept = append(kept, s)
	}
	c.Identifiers = kept
}

// Identifier checks one identifier that travels unhashed: "" when it fits
// its field's grammar, else the reason. country is the record's region
// code (for postal codes), "" when unknown or invalid. A field with no
// grammar here never travels in plain text and always fails.
func Identifier(f identifier.Field, country, v string) string {
	switch f {
	case identifier.Country:
		if Country(v) {
			return ""
		}
		return ReasonCountry
	case identifier.PostalCode:
		if !Country(country) || !PostalFormatKnown(country) {
			return ReasonPostalCountry
		}
		if PostalCode(country, v) {
			return ""
		}
		return ReasonPostalCode
	}
	return "plain_" + f.String() + "_not_allowed"
}

// Check reports the first plain value of c that fails its grammar, for
// sinks that assert what the pipeline promised: ok is false on a bug.
func Check(c *conversion.Conversion) (field string, ok bool) {
	for _, id := range c.ClickIDs() {
		if *id.Value != "" && !ClickID(*id.Value) {
			return id.Key, false
		}
	}
	if c.Formatted != "" && !FBC(c.Formatted) {
		return platform.FieldFBC, false
	}
	if c.HasValue && !Currency(c.Currency) {
		return "currency", false
	}
	// By index: ranging by value copied each 56-byte Sent, for most
	// conversions to read one bool of it (issue 29: a review CSV line
	// checks every conversion).
	country := ""
	for k := range c.Identifiers {
		if s := &c.Identifiers[k]; !s.IsHashed() && s.Field() == identifier.Country {
			country = s.Text()
		}
	}
	for k := range c.Identifiers {
		if s := &c.Identifiers[k]; !s.IsHashed() && Identifier(s.Field(), country, s.Text()) != "" {
			return s.Field().String(), false
		}
	}
	return "", true
}
