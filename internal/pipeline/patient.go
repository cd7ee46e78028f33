package pipeline

import (
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
)

// The age and expiry rules (consent/patient.go has the rules and their
// sources): judge reads a row's birth date and its consent's expiry here
// into the consent input every platform's decision, and the booking's,
// is made from. The birth date is read for the rule only: it enters no
// conversion, id, key, note or message (errors name file:line:column).

// NoteBirthDateBlank counts the rows sent whose birth date was blank, with
// input.columns.birth_date mapped and consent.require_birth_date off: no
// age was judged of them, and a child's is sent like an adult's. Counted
// only for a row used (settler.used): an excluded row was not sent, and
// under require_birth_date such a row is excluded as birth_date_missing.
// A family-practice review (2026-12-07) blanked two children's birth dates
// and the run said "minor 2" of the others, nothing of them.
const NoteBirthDateBlank = "birth_date_blank"

// patientParsers are the birth date's and the expiry's parsers, nil when
// the column is unmapped.
type patientParsers struct {
	birth, expiry *eventtime.Parser
	// sendAt is the moment of sending: the run's clock (Options.Now), at
	// which a consent must still hold.
	sendAt time.Time
}

// newPatientParsers reads birth dates with the export's date rules —
// formats, input.date_order, the ROC calendar, Excel serials — but no
// input.default_year and no upload window: a year is never supplied to
// a birth date. A wall date is read in consent.WallDates, so it needs no
// timezone, no clock change moves it and the age rule takes its date as
// written; a cell with an offset stays the instant it names, which the
// rule reads in the clinic's zone (consent/patient.go birthDate).
// Expiries are read as consent times are.
func newPatientParsers(cfg *config.Config, now time.Time) patientParsers {
	p := patientParsers{sendAt: now}
	if p.sendAt.IsZero() {
		p.sendAt = time.Now()
	}
	if cfg.Input.Columns.BirthDate != "" {
		o := TimeOptions(cfg)
		o.Location, o.DefaultYear = consent.WallDates(), 0
		p.birth = eventtime.NewParser(o)
	}
	if cfg.Input.Columns.ConsentExpiresAt != "" {
		p.expiry = eventtime.NewParser(runTimeOptions(cfg, now))
	}
	return p
}

// ConsentPolicy is cfg's consent policy, its age and expiry rules
// included: the upload, check and the channel report's
// channels.consented_only judge by this one (the report's was built
// without them, and counted minors and expired consents as consented).
func ConsentPolicy(cfg *config.Config) *consent.Policy {
	c := cfg.Consent
	return consent.NewPolicy(consent.Options{
		Granted: c.Granted, Denied: c.Denied, Revoked: c.Revoked, Scoped: c.Scoped,
		RequireTimestamp: c.RequireTimestamp, RevokedAllowsEarlier: c.RevokedAllowsEarlier,
		Location: cfg.Location(), MinAge: cfg.MinAge(), RequireBirthDate: c.RequireBirthDate,
	})
}

// PatientReader reads a row's birth date and its consent's expiry into
// a consent input as the upload does, for a reader of the export that
// judges consent without running the pipeline (the channel report).
// Not safe for concurrent use.
type PatientReader struct{ pat patientParsers }

// NewPatientReader reads cfg's columns; a consent must hold at now (zero:
// the clock).
func NewPatientReader(cfg *config.Config, now time.Time) *PatientReader {
	return &PatientReader{pat: newPatientParsers(cfg, now)}
}

// Read fills in's birth date and expiry from row. An expiry without a
// zone is unreadable here (consent_expiry_invalid), not a stop.
func (p *PatientReader) Read(row export.Row, in *consent.Input) {
	in.Now = p.pat.sendAt
	if p.pat.birth != nil {
		if raw := row.Get(export.BirthDate); raw != "" {
			in.HasBorn = true
			in.Born, in.BornErr = p.pat.birth.Parse(raw)
		}
	}
	if p.pat.expiry != nil {
		if raw := row.Get(export.ConsentExpiresAt); raw != "" {
			in.HasExpires = true
			in.Expires, in.ExpiresErr = p.pat.expiry.Parse(raw)
		}
	}
}

// readPatient fills in the row's birth date and its consent's expiry,
// and notes what they say of their columns' formats (the fits stop a
// re-saved column as they stop a re-saved consent_at). A date that reads
// only with input.date_order or input.default_year excludes the row as
// unreadable (birth_date_invalid, consent_expiry_invalid) and counts
// toward the fit's setting share; an expiry without a zone is the
// structural timezone error a consent time's is.
func (r *runner) readPatient(row export.Row, in *consent.Input, o *outcome) error {
	in.Now = r.pat.sendAt
	if r.pat.birth != nil {
		raw := row.Get(export.BirthDate)
		o.noAge = raw == "" // NoteBirthDateBlank, if the row is sent
		if raw != "" {
			in.HasBorn = true
			in.Born, in.BornErr = r.pat.birth.Parse(raw)
			r.notePatientDate(row, export.BirthDate, &o.fits[fitBirthDate], in.BornErr)
			if r.policy.BornAfter(*in) {
				// Excluded as birth_date_invalid; counted toward the
				// column's fit: a column of two-digit years (85 read
				// as 2085) excludes nearly every adult.
				n := &o.fits[fitBirthDate]
				n.future = true
				n.line, n.col = row.Position(export.BirthDate)
			}
		}
	}
	if r.pat.expiry != nil {
		if raw := row.Get(export.ConsentExpiresAt); raw != "" {
			in.HasExpires = true
			in.Expires, in.ExpiresErr = r.pat.expiry.Parse(raw)
			if err := r.settingMissing(row, export.ConsentExpiresAt, in.ExpiresErr); err != nil {
				return err
			}
			r.notePatientDate(row, export.ConsentExpiresAt, &o.fits[fitConsentExpires], in.ExpiresErr)
		}
	}
	return nil
}

// notePatientDate notes one dated cell of column c for its fit n.
func (r *runner) notePatientDate(row export.Row, c export.Column, n *fitNote, err error) {
	n.dated = true
	if err == nil {
		return
	}
	if _, setting := dateReason(err); setting {
		n.setting = true
		n.line, n.col = row.Position(c)
		return
	}
	r.noteMisfit(n, row, c, err)
}

// recNoAge: the held row's birth date was blank (outcome.noAge), the
// last bit of the record's flags byte (recFlags).
const recNoAge = 1 << 7

// used counts a row that became at least one conversion, and, when its
// birth date was blank, the note that it went without an age.
func (s *settler) used(o *outcome) {
	s.sum.RowsUsed++
	if o.noAge {
		s.sum.Notes[NoteBirthDateBlank]++
	}
}
