package consent

import "time"

// Two rules of the platforms and the law beside the consent value and its
// time (shared/docs/clinic-exports.md c.7, rows 3 and 4): the consent has
// not expired when the conversion is sent, and the patient is not a minor.

// Reason codes of the expiry and age rules.
const (
	// ReasonExpired: the consent had expired at the appointment, or at
	// the moment the run sends it. A HIPAA authorization carries "an
	// expiration date or event" (45 CFR 164.508(c), clinic-exports.md
	// c.3); past it, nothing may be disclosed, a visit it covered
	// included — the disclosure is the send.
	ReasonExpired = "consent_expired"
	// ReasonExpiryInvalid: the expiry cell cannot be read; a garbled
	// date cannot show the consent still holds.
	ReasonExpiryInvalid = "consent_expiry_invalid"
	// ReasonMinor: the patient was younger than consent.min_age on the
	// appointment's day.
	ReasonMinor = "minor"
	// ReasonBirthDateInvalid: the birth date cannot be read, or is after
	// the appointment; the age is never guessed.
	ReasonBirthDateInvalid = "birth_date_invalid"
	// ReasonBirthDateMissing: consent.require_birth_date is on and the
	// row has no birth date.
	ReasonBirthDateMissing = "birth_date_missing"
)

// DefaultMinAge is consent.min_age when the config does not set it: 18,
// the strictest rule the platforms and the clinics' laws share, so that
// default-deny holds where the clinic has not said which applies.
//
//   - Taiwan: "滿十八歲為成年" (Civil Code Art. 12, in force 2023-01-01;
//     law.moj.gov.tw); a minor's declarations need the legal
//     representative's consent (Art. 13, 77). The PDPA names no age of
//     its own, so a minor's written consent is the legal
//     representative's (our reading; MOJ 99.04.07 法律字第0999007076號
//     takes the guardian as the one who signs a minor's consent).
//   - Meta: "additional policies in place for ads shown to young people
//     (those under 18 years old globally …) … We don't allow advertisers
//     to select targeting based on … activity on other apps and websites"
//     (facebook.com/help/980264326141711) — which is what a conversion
//     upload is; its Platform Terms bar data "from or about users under
//     the age of 13" without its approval (reported by conductatlas.com;
//     the Business Tools Terms copy we read does not say).
//   - Google: the Customer Match policy (support.google.com answer
//     6299717) bars uploading information of anyone under 13; its
//     customer data policies (answer 7475709) apply to enhanced
//     conversions for leads and store sales, i.e. conversions carrying
//     hashed identifiers. Neither page names click-only conversion
//     imports: our reading applies the rule to every conversion.
//   - China: PIPL Art. 28 makes the personal information of a minor
//     under 14 sensitive, and Art. 31 requires the consent of a parent
//     or guardian to process it.
//   - United States: COPPA (15 U.S.C. 6501–6506) protects children under
//     13; a clinic's own HIPAA authorization for a minor is signed by the
//     personal representative (45 CFR 164.502(g)).
//
// A clinic whose consent records hold the legal representative's consent
// lowers it with consent.min_age, never below MinAllowedAge.
const DefaultMinAge = 18

// MinAllowedAge is the lowest consent.min_age takes: both platforms bar
// under-13s whatever consent the clinic holds (above).
const MinAllowedAge = 13

// decidePatient is Decide's rule for the consent's expiry and the
// patient's age, after the consent time's.
func (p *Policy) decidePatient(in Input) string {
	switch {
	case in.HasExpires && in.ExpiresErr != nil:
		return ReasonExpiryInvalid
	case in.HasExpires && (!in.Event.Before(in.Expires) || !in.Now.IsZero() && !in.Now.Before(in.Expires)):
		return ReasonExpired
	}
	if p.minAge <= 0 {
		return ""
	}
	switch {
	case in.HasBorn && in.BornErr != nil:
		return ReasonBirthDateInvalid
	case !in.HasBorn:
		if p.requireBirthDate {
			return ReasonBirthDateMissing
		}
		return ""
	}
	born, visit := p.days(in)
	if born.After(visit) {
		return ReasonBirthDateInvalid
	}
	by, bm, bd := born.Date()
	// The year is complete on the birthday itself ("年齡自出生之日起算",
	// Civil Code Art. 124). time.Date carries 29 February of a common
	// year to 1 March: the later reading, as default-deny asks.
	if visit.Before(time.Date(by+p.minAge, bm, bd, 0, 0, 0, 0, time.UTC)) {
		return ReasonMinor
	}
	return ""
}

// days are the birth date's and the appointment's, as midnights in UTC.
func (p *Policy) days(in Input) (born, visit time.Time) {
	by, bm, bd := p.birthDate(in)
	ey, em, ed := p.visitDate(in.Event)
	return time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC), time.Date(ey, em, ed, 0, 0, 0, 0, time.UTC)
}

// BornAfter says whether in's birth date, read, is after the
// appointment's day (birth_date_invalid): what a two-digit year read as
// 20yy gives an adult, which package pipeline's fit of the column counts.
func (p *Policy) BornAfter(in Input) bool {
	if !in.HasBorn || in.BornErr != nil {
		return false
	}
	born, visit := p.days(in)
	return born.After(visit)
}

// wallDates marks a birth date read as a wall date (no offset in the
// cell): the birth date parser reads offset-less cells in it, and its
// date is the one written. A zone of its own, so that no cell that
// carried an offset — "Z" included — is mistaken for one.
var wallDates = time.FixedZone("hashgate wall date", 0)

// WallDates is the location the birth date parser reads offset-less
// cells in (pipeline/patient.go): a date so read is taken as written.
func WallDates() *time.Location { return wallDates }

// latestOffset is the most eastern UTC offset in use, UTC+14 (Line
// Islands, Kiribati; IANA tz database Pacific/Kiritimati): no place's
// date is later than an instant's date there.
var latestOffset = time.FixedZone("UTC+14", 14*60*60)

// visitDate is the appointment's date: in the clinic's zone when one is
// configured, else in the offset the time was written with (without a
// timezone every time carries its own: eventtime.ErrNoZone) — read in
// UTC, 2026-04-30T23:00-05:00 was the 1 May, a birthday a day early.
func (p *Policy) visitDate(event time.Time) (int, time.Month, int) {
	if p.zoned {
		return event.In(p.loc).Date()
	}
	return event.Date()
}

// birthDate is the patient's date of birth. A wall date is the date
// written. A cell that carried an offset is an instant, and systems
// write a date as one: JSON and JavaScript serialise local midnight in
// UTC (2008-04-30T16:00:00Z is 1 May 2008 in Taipei), others a wall date
// as UTC midnight (2008-05-01T00:00:00Z, 30 April in New York). The date
// as written and the date in the clinic's zone can then differ by a day
// and nothing in the cell decides which was meant: the later is taken,
// so the patient is a minor one day longer rather than an adult one day
// early (default-deny). Without a timezone the clinic's zone is unknown
// and the later of every zone's reading is taken (UTC+14's).
func (p *Policy) birthDate(in Input) (int, time.Month, int) {
	b := in.Born
	if b.Location() == wallDates {
		return b.Date()
	}
	var there time.Time
	if p.zoned {
		there = b.In(p.loc)
	} else {
		there = b.In(latestOffset)
	}
	wy, wm, wd := b.Date()
	ty, tm, td := there.Date()
	if time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).After(time.Date(wy, wm, wd, 0, 0, 0, 0, time.UTC)) {
		return ty, tm, td
	}
	return wy, wm, wd
}
