package inspect

import "sync"

// The columns of the consent gate's age and expiry rules
// (input.columns.birth_date, consent.min_age; input.columns.consent_expires_at:
// docs/contract.md H6, H7). Never proposed as a mapping of their own:
// config init writes them under their own comment, and a birth date is read
// for the age rule only — never an identifier, a key or an order-id part
// (config refuses it as one).

// birthWords name a patient's birth date (inspect already withholds such
// a column's values: identifyingHeaderNames).
var birthWords = []string{"birth date", "date of birth", "dob", "birthday", "birthdate", "生日", "出生日期", "出生年月日", "出生"}

// expiryWords name when a consent or authorization ends.
var expiryWords = []string{"expires", "expiry", "expiration", "expiration date", "authorization expires",
	"到期", "到期日", "有效期至", "授權到期", "授权到期"}

var (
	foldedBirth  = sync.OnceValue(func() []string { return foldAll(birthWords) })
	foldedExpiry = sync.OnceValue(func() []string { return foldAll(expiryWords) })
)

// BirthDateHeader is the header of the export's birth-date column, ""
// when none is named so (or its name is withheld).
func (p *Profile) BirthDateHeader() string { return p.headerNamed(foldedBirth()) }

// ExpiryHeader is the header of a column named for when a consent ends,
// "" when there is none.
func (p *Profile) ExpiryHeader() string { return p.headerNamed(foldedExpiry()) }

func (p *Profile) headerNamed(terms []string) string {
	for _, c := range p.Columns {
		if c.Header != "" && headerHas(terms, c.Header) {
			return c.Header
		}
	}
	return ""
}

// BirthDateNeedsOrder: the birth-date column holds numeric dates such as
// 1/1/1960, which a run reads only by input.date_order, and no appointment
// date proved the order (DateOrder). Mapped as it is, every run stopped
// (the dates' share rule); config init writes it commented, saying so.
func (p *Profile) BirthDateNeedsOrder() bool {
	h := p.BirthDateHeader()
	if h == "" || p.DateOrder != "" {
		return false
	}
	for _, c := range p.Columns {
		if c.Header != h {
			continue
		}
		for _, s := range c.Classes {
			if s.Count > 0 && (s.Name == ClassDateMDY || s.Name == ClassDateTimeMDY) {
				return true
			}
		}
	}
	return false
}
