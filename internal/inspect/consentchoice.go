package inspect

import (
	"slices"
	"sync"

	"github.com/hashgate/hashgate/internal/consent"
)

// Which of several consent columns config init maps. A clinic that
// changed practice-management software re-ran config init on an export
// with "Consent" (the treatment consent every patient signs: Yes in every
// row) beside "Marketing Opt-In" (Yes, No or blank): both named a consent
// exactly and both held yes/no, so the first of the two in the file was
// mapped, and with Consent first every patient who refused marketing was
// sent (a review of 2026-12-07). A consent whose header says what it is
// for — ads (adMeasurementHeader), marketing (marketingHeader), data
// sharing with a third party (sharingWords) — is the person's call on the
// purpose hashgate serves; a bare "Consent" or 同意 beside one is the
// treatment or general consent.

// sharingWords name sharing data with someone else in a consent's header
// ("Data sharing consent", "Third-party consent", 第三方同意): the sharing
// an upload to Google or Meta is. Records shared with other providers or
// a registry are refused as the consent (recordSharing) before a header
// is ranked by these.
var sharingWords = []string{"data sharing", "share data", "sharing of data", "third party", "third parties", "thirdparty", "第三方"}

var (
	sharingOnce   sync.Once
	sharingFolded []string
)

// foldedSharingWords folds sharingWords once, on first use: a
// package-level sync.OnceValue allocates at start-up, which every command
// pays (TestInitAllocationBudget holds inspect's init to its ceiling).
func foldedSharingWords() []string {
	sharingOnce.Do(func() { sharingFolded = foldAll(sharingWords) })
	return sharingFolded
}

// consentPurpose ranks a consent column's header by what it says the
// consent is for: 2 names ads or their measurement, 1 marketing or data
// sharing, 0 nothing (a bare "Consent", 同意, "Opt-in"). The words are
// matched as inspect matches every header word (headerHas), bracketed
// ones too ("Consent (marketing)").
func consentPurpose(header string) int {
	h := unbracket.Replace(header)
	switch {
	case adMeasurementHeader(h):
		return 2
	case marketingHeader(h) || headerHas(foldedSharingWords(), h):
		return 1
	}
	return 0
}

// consentNamed says whether a column's header names a consent config init
// could map: a consent key's header score, and nothing that rules it out
// as the consent (ConsentHeaderProblem).
func consentNamed(header string) bool {
	return header != "" && headerScore("consent", header) >= minScore && ConsentHeaderProblem(header) == ""
}

// preferPurposeConsent drops the consent candidates whose header says
// less of the consent's purpose (consentPurpose) than another's, so that
// which is mapped no longer depends on the column order. A column named
// for a purposeful consent but empty in every row counts too: beside an
// empty "Marketing Consent" (the new system does not fill it yet) a full
// "Consent" is still the treatment consent, and nothing is mapped; config
// init asks, naming the empty column (setAside's WhyEmpty). The consent
// is default-deny: a consent left unmapped sends nobody, a wrong one
// sends the patients who refused.
func preferPurposeConsent(cands []cand, cols []Column) []cand {
	top := -1
	for _, c := range cands {
		if c.key == "consent" && ConsentHeaderProblem(cols[c.col].Header) == "" {
			top = max(top, consentPurpose(cols[c.col].Header))
		}
	}
	if anyFilled(cols) {
		for _, c := range cols {
			if c.Filled == 0 && consentNamed(c.Header) {
				top = max(top, consentPurpose(c.Header))
			}
		}
	}
	return slices.DeleteFunc(cands, func(c cand) bool {
		return c.key == "consent" && consentPurpose(cols[c.col].Header) < top
	})
}

// consentOthers are the columns named like a consent (consentNamed) left
// unmapped beside the consent config init mapped: the written config and
// config init's summary name them, by header only, so that a person
// checks the one mapped records the consent to ad measurement (a review:
// "Marketing Opt-In" went unmentioned while "Consent" was mapped). nil
// when no consent is mapped: the consent's ASK lists the candidates then
// (consentCandidates).
func consentOthers(cols []Column, proposed []Mapping) []string {
	if !has(proposed, "consent") {
		return nil
	}
	taken := map[string]bool{}
	for _, m := range proposed {
		for _, h := range m.Headers {
			taken[h] = true
		}
	}
	var out []string
	for _, c := range cols {
		if !taken[c.Header] && consentNamed(c.Header) {
			out = append(out, c.Header)
		}
	}
	return out
}

// consentAllGrantedRows is the fewest rows whose consent, every one
// granted, config init flags. A consent patients choose is refused by
// some: at an opt-in rate of 70% — higher than clinics report for
// marketing consent — all of 20 patients saying yes happens about once in
// 1,250 exports (0.7^20 ≈ 0.0008), while a treatment consent or a
// default is yes in every row. Fewer rows prove too little (0.7^5 ≈ 0.17),
// and 20 rows is about a day or two of one clinic's appointments, so a
// first export reaches it.
const consentAllGrantedRows = 20

// ConsentAllGranted is the number of rows when the mapped consent column
// grants consent (consent.IsGrantWord) in every row, at least
// consentAllGrantedRows of them; 0 otherwise. config init warns then: a
// column every patient said yes to is more likely the treatment consent
// or a default than an opt-in to ad measurement. Counts only, never a
// cell. A footer line's blank cell (FooterLines) does not hide it.
func (p *Profile) ConsentAllGranted() int {
	c := p.column("consent")
	if c == nil || c.Filled < consentAllGrantedRows || c.Filled+p.FooterLines < p.Rows {
		return 0
	}
	n := 0
	for _, v := range c.Vocabulary {
		if consent.IsGrantWord(v.Name) {
			n += v.Count
		}
	}
	if n != c.Filled {
		return 0
	}
	return n
}
