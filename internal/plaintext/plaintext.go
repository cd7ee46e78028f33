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
// So a click id is 8 to 512 characters of the URL-safe base64 alphabet:
// letters, digits, "_" and "-". The lower bound admits test fixtures; the
// upper bound is far above any issued id and below anything a note needs.
//
// Postal codes follow the country's format where this package knows it
// (postalFormats), else a conservative shape: 3 to 10 ASCII letters and
// digits with at least one digit, single spaces or hyphens between them.
// Region codes are ISO 3166-1 alpha-2 codes that are assigned (not the
// exceptionally reserved UK, EU, UN…); currencies are ISO 4217 codes of
// money (not XXX, XTS or the precious metals).
package plaintext

import (
	"regexp"
	"strings"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
)

// Reason codes for dropped plain values. They are stable: summaries,
// reports and tests match on them.
const (
	ReasonClickID    = "click_id_invalid"
	ReasonPostalCode = "postal_code_invalid"
	ReasonCountry    = "country_invalid"
	ReasonCurrency   = "currency_invalid"
)

// Click id length bounds (see the package comment).
const (
	MinClickID = 8
	MaxClickID = 512
)

// ClickID reports whether s is shaped like a click id: MinClickID to
// MaxClickID characters of A–Z, a–z, 0–9, "_" and "-".
func ClickID(s string) bool {
	if len(s) < MinClickID || len(s) > MaxClickID {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
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
func Currency(s string) bool {
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

// postalFormats are the postal code formats of the countries hashgate's
// clinics are in and their neighbours, as Google receives them (trimmed,
// upper-cased; US ZIP+4 already cut to 5 digits by the normaliser or not).
// They are the national formats as the postal operators publish them,
// written strict: a country missing here gets the conservative shape, and
// one added needs a case in TestPostalCode. Hong Kong and Macau have no
// postal codes at all.
var postalFormats = map[string]*regexp.Regexp{
	"US": regexp.MustCompile(`^\d{5}(-\d{4})?$`),
	"TW": regexp.MustCompile(`^\d{3}(\d{2,3})?$`),
	"CN": regexp.MustCompile(`^\d{6}$`),
	"SG": regexp.MustCompile(`^\d{6}$`),
	"MY": regexp.MustCompile(`^\d{5}$`),
	"JP": regexp.MustCompile(`^\d{3}-?\d{4}$`),
	"KR": regexp.MustCompile(`^\d{5}$`),
	"TH": regexp.MustCompile(`^\d{5}$`),
	"VN": regexp.MustCompile(`^\d{6}$`),
	"PH": regexp.MustCompile(`^\d{4}$`),
	"ID": regexp.MustCompile(`^\d{5}$`),
	"IN": regexp.MustCompile(`^\d{6}$`),
	"AU": regexp.MustCompile(`^\d{4}$`),
	"NZ": regexp.MustCompile(`^\d{4}$`),
	"CA": regexp.MustCompile(`^[A-Z]\d[A-Z] ?\d[A-Z]\d$`),
	"GB": regexp.MustCompile(`^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$`),
	"IE": regexp.MustCompile(`^[A-Z]\d[\dW] ?[A-Z\d]{4}$`),
	"DE": regexp.MustCompile(`^\d{5}$`),
	"FR": regexp.MustCompile(`^\d{5}$`),
	"IT": regexp.MustCompile(`^\d{5}$`),
	"ES": regexp.MustCompile(`^\d{5}$`),
	"NL": regexp.MustCompile(`^\d{4} ?[A-Z]{2}$`),
	"PT": regexp.MustCompile(`^\d{4}-\d{3}$`),
}

// noPostalCodes are countries without postal codes: any value is wrong.
var noPostalCodes = map[string]bool{"HK": true, "MO": true}

// PostalCode reports whether s is a postal code of country (an ISO 3166-1
// alpha-2 code, or "" when unknown).
func PostalCode(country, s string) bool {
	if noPostalCodes[country] {
		return false
	}
	if re, ok := postalFormats[country]; ok {
		return re.MatchString(strings.ToUpper(s))
	}
	return conservativePostal(s)
}

// conservativePostal: 3 to 10 characters, ASCII letters and digits with
// at least one digit, single spaces or hyphens only between them.
func conservativePostal(s string) bool {
	if len(s) < 3 || len(s) > 10 {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digits++
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case (c == ' ' || c == '-') && i > 0 && i < len(s)-1 && s[i-1] != ' ' && s[i-1] != '-':
		default:
			return false
		}
	}
	return digits > 0
}

// Drop is one plain value removed from a conversion.
type Drop struct {
	Field  string // "gclid", "postal_code", …
	Reason string
}

// Conversion removes from c every plain-text value that fails its
// grammar — click ids, unhashed identifiers, the currency — and reports
// each with drop. A conversion whose currency fails loses its value too
// (a value without a currency means nothing). It is the one check every
// sink relies on.
func Conversion(c *conversion.Conversion, drop func(Drop)) {
	for _, id := range []struct {
		name string
		v    *string
	}{{"gclid", &c.GCLID}, {"gbraid", &c.GBRAID}, {"wbraid", &c.WBRAID}} {
		if *id.v != "" && !ClickID(*id.v) {
			*id.v = ""
			drop(Drop{id.name, ReasonClickID})
		}
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
		if !Country(country) {
			country = ""
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
	for _, id := range [...]struct{ name, v string }{{"gclid", c.GCLID}, {"gbraid", c.GBRAID}, {"wbraid", c.WBRAID}} {
		if id.v != "" && !ClickID(id.v) {
			return id.name, false
		}
	}
	if c.HasValue && !Currency(c.Currency) {
		return "currency", false
	}
	country := ""
	for _, s := range c.Identifiers {
		if !s.IsHashed() && s.Field() == identifier.Country {
			country = s.Text()
		}
	}
	for _, s := range c.Identifiers {
		if !s.IsHashed() && Identifier(s.Field(), country, s.Text()) != "" {
			return s.Field().String(), false
		}
	}
	return "", true
}
