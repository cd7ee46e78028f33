package inspect

import (
	"strings"

	"github.com/hashgate/hashgate/internal/consent"
)

// SetAside is a column config init leaves unmapped on purpose, with why:
// its header would map it, but names someone other than the patient, or a
// consent to care rather than to ad measurement. Its header is printed
// (headers are; values never), so that a person sees it was judged, not
// missed.
type SetAside struct {
	Header string `json:"header"`
	Why    string `json:"why"`
	// Key is the config key an empty column's header names (WhyEmpty),
	// so that config init can say the consent column is there but blank,
	// not that none was recognised.
	Key string `json:"key,omitempty"`
}

// Why a column is set aside.
const (
	WhyAnotherPerson = "another person's contact (an emergency contact, a guarantor or parent, a practitioner): never sent as the patient's"
	WhyCareConsent   = "a consent to care (treatment, HIPAA, photos), not to ad measurement: every patient signs it, so as the ad consent it would send every visit"
	WhyOptOut        = "an opt-out (unsubscribed, do not contact): \"yes\" there means the patient said no, the opposite of a consent, and it is not ad-measurement consent"
	WhyEmpty         = "empty in every row: proposed for nothing"
	// A birth date or a consent's expiry that is not the patient's
	// (notTheirDate): never read for the age or expiry rule.
	WhyAnotherPersonsBirth  = "another person's date of birth (a guardian or parent, an emergency contact): as the patient's, a child would pass as an adult; never input.columns.birth_date"
	WhySubscribersBirth     = "an insurance subscriber's date of birth (the policy holder, often a parent): as the patient's, a child on a parent's policy would pass as an adult; if this export's subscriber is always the patient, rename the column in the export and map it"
	WhyBirthPlace           = "a place of birth (or a birth weight), not a date of birth: never input.columns.birth_date"
	WhyAnotherPersonsExpiry = "another person's or an insurance's expiry, not the end of the patient's consent: never input.columns.consent_expires_at"
	WhyVisitKind            = "kinds of visit (初诊/复诊: first or return), not whether the patient came: as the status, listing one kind would drop the other; every row counts as a visit, as on an arrivals list (到诊明细)"
)

// identityKeys are the keys whose columns identify the patient.
var identityKeys = []string{"email", "phone", "first_name", "last_name", "postal_code"}

// contactOfAnother says whether header names another person's identifier:
// it has a word of otherPeople, and without those words it would map to
// one of identityKeys ("Emergency Contact Phone" is a phone without
// "emergency", 紧急联系人电话 a 电话 without 紧急 and 联系人).
func contactOfAnother(header string) bool {
	rest, found := without(header, otherPeople)
	if !found {
		return false
	}
	for _, key := range identityKeys {
		if headerScore(key, rest) >= minScore {
			return true
		}
	}
	return false
}

// careConsentHeader says whether header names a consent to care: it has a
// word of careConsent, and without those words it would map to consent.
func careConsentHeader(header string) bool {
	rest, found := without(header, careConsent)
	return found && headerScore("consent", rest) >= minScore
}

// without is header with the words of list removed (CJK ones as
// substrings, as vetoedNorm matches them), and whether any was there.
func without(header string, list []string) (string, bool) {
	hw := normHeader(header)
	found := false
	var kept []string
	for _, w := range hw {
		drop := false
		for _, v := range list {
			fv := consent.Fold(v)
			if isCJK([]rune(fv)[0]) {
				if strings.Contains(w, fv) {
					w = strings.ReplaceAll(w, fv, "")
					found = true
				}
				continue
			}
			if w == fv {
				drop, found = true, true
			}
		}
		if !drop && w != "" {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " "), found
}

// keyNamed is the key header names best ("" for none): the one it would
// be proposed for by its name.
func keyNamed(header string) string {
	best, bestScore := "", 0.0
	for _, key := range keyOrder {
		if s := headerScore(key, header); s >= minScore && s > bestScore {
			best, bestScore = key, s
		}
	}
	return best
}

// setAside lists the columns left unmapped as an opt-out, another person's
// contact, a consent to care, a birth date or expiry not the patient's
// (notTheirDate), or a column named like a key but empty in every row.
func setAside(cols []Column, proposed []Mapping) []SetAside {
	mapped := map[string]bool{}
	for _, m := range proposed {
		for _, h := range m.Headers {
			mapped[h] = true
		}
	}
	var out []SetAside
	rows := anyFilled(cols)
	for _, c := range cols {
		dateWhy := notTheirDate(c.Header) // once: a case's test and its Why
		switch {
		case c.Header == "" || mapped[c.Header]:
		case optOutHeader(c.Header):
			out = append(out, SetAside{Header: c.Header, Why: WhyOptOut})
		case contactOfAnother(c.Header):
			out = append(out, SetAside{Header: c.Header, Why: WhyAnotherPerson})
		case careConsentHeader(c.Header):
			out = append(out, SetAside{Header: c.Header, Why: WhyCareConsent})
		case headerScore("status", c.Header) >= minScore && visitKindsOnly(valueEvidence(c)):
			out = append(out, SetAside{Header: c.Header, Why: WhyVisitKind})
		case dateWhy != "":
			out = append(out, SetAside{Header: c.Header, Why: dateWhy})
		case rows && c.Filled == 0 && keyNamed(c.Header) != "":
			out = append(out, SetAside{Header: c.Header, Why: WhyEmpty, Key: keyNamed(c.Header)})
		}
	}
	return out
}
