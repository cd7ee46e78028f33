package report

// Age says whether the run judged the patients' age (consent.min_age,
// excluded as minor). Without input.columns.birth_date no age is judged
// and a child's row is sent like an adult's: the summary said nothing of
// it, only a comment in the config did (a family-practice review,
// 2026-12-07). The platforms bar under-13s (Google's Customer Match
// policy, Meta's Platform Terms: consent/patient.go DefaultMinAge), and
// the rule hashgate follows is "use the clinic's configured age where DOB
// is known, otherwise require a flag" (shared/docs/clinic-exports.md c.7,
// row 4): the flag is this line, said on every run as the every-row line
// is, and under --quiet only in the JSON report.
type Age struct {
	// AgeJudged: input.columns.birth_date is mapped and consent.min_age
	// applied. Absent from a report of a run refused before its config was
	// read into a summary.
	AgeJudged *bool `json:"age_judged,omitempty"`
}

// SetAgeJudged records whether the run judges age.
func (a *Age) SetAgeJudged(judged bool) { a.AgeJudged = &judged }

// ageNotJudgedLine is the summary's line when no age is judged: one line
// a run, never one a row. With a birth date mapped, the rows sent without
// one (a blank cell) are the note birth_date_blank.
const ageNotJudgedLine = "  age: not judged (no input.columns.birth_date): a minor's row is sent like an adult's\n"

// ageLine is the summary's line on the age rule, "" when age was judged
// (or the run never said).
func (a *Age) ageLine() string {
	if a.AgeJudged != nil && !*a.AgeJudged {
		return ageNotJudgedLine
	}
	return ""
}
