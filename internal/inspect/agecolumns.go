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
var subscriberWords = []string{"subscriber", "policyholder", "policy holder", "insured", "insurance", "insurer", "保險", "保险", "要保人"}

// sourceDocuments name a document a birth date was read from or checked
// against — "Patient DOB (per insurance card)", "DOB (as on ID card)",
// 出生日期(依健保卡), 生日（身分證） — which says where the date came from,
// not whose it is: the card is the patient's own (Taiwan's 健保卡 and
// 身分證 are each person's). "Insurance" in "insurance card" refused the
// patient's own date as a subscriber's (a review, 2026-12-07). They are
// taken out of a birth-date header before it is judged (birthReading),
// so a person named beside them still refuses it: "Guarantor DOB (per
// ID card)", "Insurance Card Holder DOB" (holder: otherPeople).
var sourceDocuments = []string{"insurance card", "health card", "medical card", "member card", "membership card",
	"id card", "idcard", "identity card", "identification card", "card", "id", "license", "licence", "passport",
	"健保卡", "醫保卡", "医保卡", "社保卡", "保險卡", "保险卡", "身分證", "身份證", "身份证", "身分证", "證件", "证件", "護照", "护照", "居留證", "居留证"}

// ageWords is the word lists above, folded once on first use: one
// sync.OnceValue for all, since each costs allocations at init
// (cmd/hashgate's TestInitAllocationBudget holds the package to its
// ceiling). birthOthers is otherPeople without recorderWords and
// subscriberWords.
type ageWords struct{ birth, expiry, birthNotDate, parentChars, birthOthers, subscriber, sources []string }

var foldedAgeWords = sync.OnceValue(func() ageWords {
	others := slices.DeleteFunc(slices.Clone(otherPeople), func(w string) bool {
		return slices.Contains(recorderWords, w) || slices.Contains(subscriberWords, w)
	})
	return ageWords{foldAll(birthWords), foldAll(expiryWords), foldAll(birthNotTheDate), foldAll(parentChars),
		foldAll(others), foldAll(subscriberWords), foldAll(sourceDocuments)}
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
// A bracketed qualifier is read too (birthReading): normHeader drops it
// for every key, so DOB (guardian) and 出生日期（母親） passed as the
// patient's (a review of the day's diff, 2026-12-07).
//
// A document the date was read from (sourceDocuments: per insurance card,
// 依健保卡) is no person: it is taken out first. Someone who pays or
// holds the account is (otherPeople: account holder, payer, 付款人).
// Another person is judged without the subscriber's words, so that "Policy
// Holder DOB" keeps the subscriber's remedy though "holder" alone is a
// person.
func BirthDateHeaderProblem(header string) string {
	w := foldedAgeWords()
	h := birthReading(header)
	switch {
	case h.without(w.subscriber).has(w.birthOthers) || h.has(w.parentChars):
		return birthOfAnother
	case h.has(w.subscriber):
		return BirthOfSubscriber
	case h.has(w.birthNotDate):
		return birthNotADate
	}
	return ""
}

// birthWordings are a birth-date header's words read twice: as normHeader
// reads every header (a bracketed qualifier dropped), and with bracketed
// text kept as words of its own — "DOB (guardian)" has guardian,
// 出生日期(母親) has 母親 — each less the documents the date was read from
// (sourceDocuments).
type birthWordings [2][]string

func birthReading(header string) birthWordings {
	spaced := strings.Map(func(r rune) rune {
		switch r {
		case '(', '（', '[', '【', ')', '）', ']', '】':
			return ' '
		}
		return r
	}, header)
	src := foldedAgeWords().sources
	return birthWordings{dropTerms(normHeader(header), src), dropTerms(normHeader(spaced), src)}
}

// has reports whether either reading has one of the folded terms (hasTerm).
func (b birthWordings) has(terms []string) bool {
	return hasTerm(terms, b[0], strings.Join(b[0], "")) || hasTerm(terms, b[1], strings.Join(b[1], ""))
}

// without is b less terms (dropTerms).
func (b birthWordings) without(terms []string) birthWordings {
	return birthWordings{dropTerms(b[0], terms), dropTerms(b[1], terms)}
}

// dropTerms is hw, a header split by normHeader, less every occurrence of
// the folded terms: a word or phrase as its words in order, a CJK term
// wherever it is inside a word. hw is not changed. Where several terms
// start at one word the longest is taken ("insurance card", not "card"
// and then "insurance" left behind).
func dropTerms(hw, terms []string) []string {
	out := make([]string, 0, len(hw))
	for _, w := range hw {
		for _, t := range terms {
			if isCJK([]rune(t)[0]) {
				w = strings.ReplaceAll(w, t, "")
			}
		}
		if w != "" {
			out = append(out, w)
		}
	}
	for i := 0; i < len(out); {
		n := 0
		for _, t := range terms {
			if isCJK([]rune(t)[0]) {
				continue
			}
			if tw := strings.Fields(t); len(tw) > n && i+len(tw) <= len(out) && slices.Equal(out[i:i+len(tw)], tw) {
				n = len(tw)
			}
		}
		if n == 0 {
			i++
			continue
		}
		out = slices.Delete(out, i, i+n)
	}
	return out
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
