package inspect

import (
	"slices"
	"strings"
	"sync"
)

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

// birthNotTheDate are header words of a birth fact other than its date:
// a place (出生地, "Place of Birth", "Country of Birth") or a weight
// (出生體重). "出生" alone is a birth word, so 出生地 was proposed as the
// birth date (a review, 2026-12-07): every row then birth_date_invalid,
// nothing sent, exit 0 — safe, but a config that judged no age.
var birthNotTheDate = []string{"place of birth", "birthplace", "birth place", "city of birth", "country of birth",
	"state of birth", "province of birth", "town of birth", "birth city", "birth country", "birth state",
	"birth weight", "birthweight",
	"出生地", "出生國", "出生国", "出生城市", "出生縣", "出生县", "出生省", "出生醫院", "出生医院", "出生體重", "出生体重"}

// parentChars are 父 and 母 (and 爸, 媽, 妈), which in a birth-date header
// name a parent (父生日, 母出生日期) however the rest is written. Only
// here: beside an e-mail or a name they are parts of other words (字母).
var parentChars = []string{"父", "母", "爸", "媽", "妈"}

// recorderWords are words of otherPeople that, beside a birth date, name
// who entered or checked the patient's own date (dob_verified_by_staff,
// birth_date_per_provider, 出生日期(醫師確認)), not whose date it is: a
// clinic's staff have no birth-date column in an appointment export. They
// stay other people for an identifier (a practitioner's e-mail is theirs);
// for the birth date they refused the patient's own column with exit 2 on
// upgrade (a review of the day's diff, 2026-12-07).
var recorderWords = []string{"practitioner", "provider", "doctor", "dentist", "physician", "clinician", "therapist",
	"hygienist", "dr", "staff", "employee", "醫師", "医师", "醫生", "医生", "員工", "员工"}

// subscriberWords name an insurance's subscriber or policy holder: often
// the patient, but a child on a parent's policy has the parent's birth
// date there. Refused as another person's (the safe side), with a remedy
// of their own (BirthOfSubscriber).
var subscriberWords = []string{"subscriber", "policyholder", "policy holder", "insured", "insurance", "insurer", "保險", "保险"}

// ageWords is the word lists above, folded once on first use: one
// sync.OnceValue for all, since each costs allocations at init
// (cmd/hashgate's TestInitAllocationBudget holds the package to its
// ceiling). birthOthers is otherPeople without recorderWords and
// subscriberWords.
type ageWords struct{ birth, expiry, birthNotDate, parentChars, birthOthers, subscriber []string }

var foldedAgeWords = sync.OnceValue(func() ageWords {
	others := slices.DeleteFunc(slices.Clone(otherPeople), func(w string) bool {
		return slices.Contains(recorderWords, w) || slices.Contains(subscriberWords, w)
	})
	return ageWords{foldAll(birthWords), foldAll(expiryWords), foldAll(birthNotTheDate), foldAll(parentChars),
		foldAll(others), foldAll(subscriberWords)}
})

func foldedBirth() []string        { return foldedAgeWords().birth }
func foldedExpiry() []string       { return foldedAgeWords().expiry }
func foldedBirthNotDate() []string { return foldedAgeWords().birthNotDate }

// Why a birth-date header is not the patient's (BirthDateHeaderProblem);
// the run's refusal and config init's set-aside list say the same.
const (
	birthOfAnother = "names another person (a guardian or parent, an emergency contact): " +
		"their date of birth would judge the patient's age, so a child would pass as an adult and be sent"
	birthNotADate = "names a place of birth (or a birth weight), not a date: no age can be read from it"
	// BirthOfSubscriber: package run adds its remedy (rename the column in
	// the export when the subscriber is always the patient).
	BirthOfSubscriber = "names an insurance subscriber (the policy holder, often a parent rather than the patient): " +
		"their date of birth would judge the patient's age, so a child on a parent's policy would pass as an adult and be sent"
)

// BirthDateHeaderProblem says why a column named header cannot be the
// patient's birth date, "" when its name does not rule it out. A
// guardian's or parent's birth date mapped as the patient's passes every
// child as an adult: a Dentally-like export's guardian_date_of_birth,
// before its date_of_birth, was mapped so, and a dry-run sent children of
// 10 and 14 (a review, 2026-12-07). config init never proposes such a
// column (BirthDateHeader) and lists it as set aside; config validate and
// every run refuse it (package run), as they refuse a consent column that
// is no consent (ConsentHeaderProblem). By the header only, never a cell.
//
// A bracketed qualifier is read too (birthHeaderHas): normHeader drops it
// for every key, so DOB (guardian) and 出生日期（母親） passed as the
// patient's (a review of the day's diff, 2026-12-07).
func BirthDateHeaderProblem(header string) string {
	w := foldedAgeWords()
	switch {
	case birthHeaderHas(w.birthOthers, header) || birthHeaderHas(w.parentChars, header):
		return birthOfAnother
	case birthHeaderHas(w.subscriber, header):
		return BirthOfSubscriber
	case birthHeaderHas(w.birthNotDate, header):
		return birthNotADate
	}
	return ""
}

// birthHeaderHas is headerHas with bracketed text kept as words of their
// own: "DOB (guardian)" has guardian, 出生日期(母親) has 母親.
func birthHeaderHas(terms []string, header string) bool {
	return headerHas(terms, header) || headerHas(terms, strings.Map(func(r rune) rune {
		switch r {
		case '(', '（', '[', '【', ')', '）', ']', '】':
			return ' '
		}
		return r
	}, header))
}

// BirthDateHeader is the header of the export's birth-date column, ""
// when none is named so (or its name is withheld). A header naming
// another person or a place is skipped (BirthDateHeaderProblem).
func (p *Profile) BirthDateHeader() string {
	return p.headerNamed(foldedBirth(), func(h string) bool { return BirthDateHeaderProblem(h) != "" })
}

// ExpiryHeader is the header of a column named for when a consent ends,
// "" when there is none. Another person's (an insurance's, a guarantor's
// authorization's) is skipped: its end is not this consent's.
func (p *Profile) ExpiryHeader() string { return p.headerNamed(foldedExpiry(), anotherPersonHeader) }

// headerNamed is the first header with one of terms that skip does not
// rule out.
func (p *Profile) headerNamed(terms []string, skip func(string) bool) string {
	for _, c := range p.Columns {
		if c.Header != "" && headerHas(terms, c.Header) && !skip(c.Header) {
			return c.Header
		}
	}
	return ""
}

// notTheirDate says why a column named for a birth date or a consent's
// expiry is not the patient's (a Why of SetAside), "" when it may be.
func notTheirDate(header string) string {
	switch {
	case headerHas(foldedBirth(), header):
		switch BirthDateHeaderProblem(header) {
		case birthOfAnother:
			return WhyAnotherPersonsBirth
		case BirthOfSubscriber:
			return WhySubscribersBirth
		case birthNotADate:
			return WhyBirthPlace
		}
	case headerHas(foldedExpiry(), header) && anotherPersonHeader(header):
		return WhyAnotherPersonsExpiry
	}
	return ""
}

// BirthDateEveryRow: the birth-date column (BirthDateHeader) is filled in
// every row inspected, the footer's lines aside (FooterLines): config init
// then writes consent.require_birth_date: true, so that a blank birth date
// in a later export is excluded rather than sent without an age. Counts
// only, never a cell.
func (p *Profile) BirthDateEveryRow() bool {
	h := p.BirthDateHeader()
	for _, c := range p.Columns {
		if h != "" && c.Header == h {
			return c.Filled > 0 && c.Filled+p.FooterLines >= p.Rows
		}
	}
	return false
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
