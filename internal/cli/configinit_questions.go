package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/hashgate/hashgate/internal/inspect"
)

// The questions config init leaves for a person: listed on stderr
// (openQuestions) and under the key they concern in the file
// (consentNotes).

// openQuestions are what the export cannot say and config init left for a
// person, each marked ASK in the file.
func openQuestions(p *inspect.Profile) []string {
	var qs []string
	switch {
	case p.Timezone == "" && !p.ZoneStated:
		qs = append(qs, "timezone (the export's times carry no offset)")
	case p.Timezone == "" && orderIDTimed(p):
		qs = append(qs, "timezone (the order id includes the appointment time: its event ids are spelled in the clinic's zone)")
	}
	// Both are ASK lines in the file when no phone number points to a
	// country; the summary left them out, and the first config validate
	// failed on conversion.currency (a vendors' review, UK exports).
	if p.Region == "" {
		qs = append(qs, "region (no phone number points to a country: the region of numbers written without a country code)")
	}
	if regionCurrency(p.Region) == "" {
		qs = append(qs, "conversion.currency (the ISO 4217 code of the clinic's currency: TWD, CNY, GBP, USD…)")
	}
	switch {
	case p.ShortYearDates:
		qs = append(qs, "input.date_order (two-digit years: ymd, dmy or mdy)")
	case p.NeedDateOrder:
		qs = append(qs, "input.date_order (no day above 12 proves the order)")
	}
	if p.UnreadDates != "" {
		qs = append(qs, "input.time_formats (the appointment column's dates are in no default form)")
	}
	if len(p.Mapped("order_id")) == 0 {
		qs = append(qs, "input.columns.order_id (no column recognised)")
	}
	if len(p.Mapped("consent")) == 0 {
		q := "input.columns.consent (no column recognised: nothing is sent until one is set)"
		if h := emptyConsentColumn(p); h != "" {
			// There, blank: "no column recognised" read as a miss (a
			// review, Dental4Windows' Marketing Consent before the clinic
			// collects it).
			q = fmt.Sprintf("input.columns.consent (%s is empty in every row: nothing is sent until the clinic system fills it; map it then, or a column that records the consent now)",
				commentText(strconv.Quote(h)))
		} else if len(p.ConsentCandidates) > 0 {
			q = "input.columns.consent (no header names consent to ad measurement; the yes/no columns listed under it in the file are candidates only if they record that consent)"
		}
		qs = append(qs, q)
		// An opt-out means the opposite: "yes" is a no.
		for _, s := range p.SetAside {
			if s.Why == inspect.WhyOptOut {
				qs = append(qs, fmt.Sprintf("input.columns.consent: %s is an opt-out (\"yes\" there means no), not ad-measurement consent: never map it as the consent",
					commentText(strconv.Quote(s.Header))))
			}
		}
	}
	if len(p.Mapped("appointment_at")) == 0 && len(p.Mapped("appointment_date")) == 0 {
		qs = append(qs, "input.columns.appointment_at (no column recognised)")
	}
	if len(p.Mapped("status")) == 0 {
		q := "input.columns.status (no column recognised: every row counts as a visit, no-shows and cancellations included)"
		// A status column of 初诊/复诊 is there, and says another thing:
		// name it, or "no column recognised" reads as a miss.
		for _, s := range p.SetAside {
			if s.Why == inspect.WhyVisitKind {
				q = fmt.Sprintf("input.columns.status (%s holds kinds of visit, first or return, not whether the patient came: left unmapped, every row counts as a visit — right for an arrivals list, not for an appointment book with no-shows)",
					commentText(strconv.Quote(s.Header)))
				break
			}
		}
		qs = append(qs, q)
	}
	return qs
}

// emptyConsentColumn is the header of a column named for the consent but
// empty in every row, "" when there is none.
func emptyConsentColumn(p *inspect.Profile) string {
	for _, s := range p.SetAside {
		if s.Why == inspect.WhyEmpty && s.Key == "consent" {
			return s.Header
		}
	}
	return ""
}

// consentNotes are the lines under an unmapped consent's ASK: the yes/no
// columns a person may mean (never mapped from their values alone), and
// the opt-outs, which mean the opposite.
func consentNotes(p *inspect.Profile) []string {
	if p == nil {
		return nil
	}
	if len(p.Mapped("consent")) > 0 {
		return consentChecks(p)
	}
	var notes []string
	if h := emptyConsentColumn(p); h != "" {
		notes = append(notes, commentText(strconv.Quote(h))+" is named for it but empty in every row: map it once the clinic system fills it.")
	}
	if len(p.ConsentCandidates) > 0 {
		notes = append(notes, "No header names consent to ad measurement. These columns hold yes/no values; map one")
		notes = append(notes, "only if it records the patient's consent to ad measurement (a first-visit or reminder flag does not):")
		for _, h := range p.ConsentCandidates {
			notes = append(notes, "  "+commentText(strconv.Quote(h)))
		}
	}
	for _, s := range p.SetAside {
		if s.Why == inspect.WhyOptOut {
			notes = append(notes, "Not "+commentText(strconv.Quote(s.Header))+": an opt-out, where \"yes\" means the patient said no.")
		}
	}
	return notes
}

// consentChecks are what a person checks of the consent config init
// mapped, written under it in the file and in the summary: the other
// columns named like a consent (inspect's ConsentOthers), and a column
// granting consent in every row (ConsentAllGranted). A review mapped a
// treatment "Consent" and never named "Marketing Opt-In" beside it.
// Headers and counts only, never a cell.
func consentChecks(p *inspect.Profile) []string {
	var out []string
	if len(p.ConsentOthers) > 0 {
		hs := make([]string, len(p.ConsentOthers))
		for i, h := range p.ConsentOthers {
			hs[i] = commentText(strconv.Quote(h))
		}
		out = append(out, fmt.Sprintf("Other consent columns, not mapped: %s. Map the one that records the patient's consent to ad measurement; a treatment or general consent does not.",
			strings.Join(hs, ", ")))
	}
	if n := p.ConsentAllGranted(); n > 0 {
		out = append(out, fmt.Sprintf("%s grants consent in all %d rows: a consent every patient gave is more likely a treatment consent or a default than an opt-in to ad measurement. Check it before the first upload.",
			commentText(strconv.Quote(p.Mapped("consent")[0])), n))
	}
	return out
}

// regionCurrency is the currency of a phone region, "" when unknown.
func regionCurrency(region string) string {
	r, err := language.ParseRegion(region)
	if region == "" || err != nil {
		return ""
	}
	u, ok := currency.FromRegion(r)
	if !ok {
		return ""
	}
	return u.String()
}

// orderIDTimed: the order id proposed joins columns, one of them the
// appointment's date or time (no appointment id: patient key + date +
// time). Such an id needs the timezone even when the times state their
// offset (config's validateKeyZone).
func orderIDTimed(p *inspect.Profile) bool {
	ids := p.Mapped("order_id")
	if len(ids) < 2 {
		return false
	}
	for _, k := range []string{"appointment_at", "appointment_date", "appointment_time"} {
		for _, h := range p.Mapped(k) {
			if slices.Contains(ids, h) {
				return true
			}
		}
	}
	return false
}

// birthSetAside: a column named for a birth date was set aside as another
// person's, an insurance subscriber's or a place (inspect's
// WhyAnotherPersonsBirth, WhySubscribersBirth, WhyBirthPlace).
func birthSetAside(p *inspect.Profile) bool {
	if p == nil {
		return false
	}
	for _, s := range p.SetAside {
		if s.Why == inspect.WhyAnotherPersonsBirth || s.Why == inspect.WhySubscribersBirth || s.Why == inspect.WhyBirthPlace {
			return true
		}
	}
	return false
}

// writeAgeColumns writes input.columns.birth_date and consent_expires_at:
// mapped when the export names such a column (inspect's BirthDateHeader,
// ExpiryHeader), else a commented line saying what is not judged. Only
// the header is written, never a cell.
func writeAgeColumns(w func(string, ...any), p *inspect.Profile) {
	birth, expiry := "", ""
	if p != nil {
		birth, expiry = p.BirthDateHeader(), p.ExpiryHeader()
	}
	switch {
	case birth != "" && p.BirthDateNeedsOrder():
		// Mapped, its numeric dates would stop every run until
		// input.date_order is set: offered, not mapped.
		w("    # The patient's date of birth: read for consent.min_age only (default 18); never sent or used as a key.\n")
		w("    # Its dates are numeric (such as 5/8/1980): set input.date_order (mdy or dmy), then uncomment.\n")
		w("    # birth_date: %s\n", yamlString(birth))
	case birth != "":
		w("    # The patient's date of birth: read for consent.min_age only (default 18); never sent or used as a key.\n")
		w("    birth_date: %s\n", yamlString(birth))
	case birthSetAside(p):
		// "no column names one" read as a miss beside guardian_date_of_birth.
		w("    # The patient's date of birth: no column is the patient's own (see \"Not mapped, on purpose\" below),\n")
		w("    # so no age is judged (consent.min_age).\n")
		w("    # birth_date: \"\"\n")
	default:
		w("    # The patient's date of birth: no column names one, so no age is judged (consent.min_age).\n")
		w("    # birth_date: \"\"\n")
	}
	if expiry != "" {
		w("    # When the consent ends (a HIPAA authorization's expiry): a consent expired at the visit, or\n")
		w("    # by the night it would be sent, excludes the row. Keep it only if it is this consent's end.\n")
		w("    consent_expires_at: %s\n", yamlString(expiry))
	} else {
		w("    # When the consent ends (a HIPAA authorization's expiry date): no column names it; map one if\n")
		w("    # the consent records have it.\n")
		w("    # consent_expires_at: \"\"\n")
	}
}

// writeAgeRule writes consent.min_age, commented, when the export names a
// birth date, and consent.require_birth_date: true when the column
// writeAgeColumns maps is filled in every row inspected — a blank birth
// date later (a record whose date was left out) is then excluded as
// birth_date_missing rather than sent without an age, a child's
// included (a family-practice review, 2026-12-07). An export with blank
// birth dates gets the key commented, saying what the blanks do.
func writeAgeRule(w func(string, ...any), p *inspect.Profile) {
	if p == nil || p.BirthDateHeader() == "" {
		return
	}
	w("  # With input.columns.birth_date: a patient younger than this on the appointment's\n")
	w("  # day is excluded (minor). Default 18; lower it only where the consent records hold\n  # a parent's or guardian's consent.\n  # min_age: 18\n")
	switch {
	case p.BirthDateNeedsOrder(): // birth_date is written commented
	case p.BirthDateEveryRow():
		w("  # Every row inspected has a birth date: a row without one is excluded (birth_date_missing),\n")
		w("  # not sent without an age. Set false only if the export leaves adults' birth dates blank.\n")
		w("  require_birth_date: true\n")
	default:
		w("  # Some rows have no birth date: they are sent without an age (birth_date_blank in the\n")
		w("  # summary's notes). true excludes them (birth_date_missing).\n")
		w("  # require_birth_date: true\n")
	}
}
