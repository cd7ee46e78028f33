package config

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/consent"
)

// The clinic guard: input.columns.clinic, input.clinic_values and
// input.other_clinic_rows. An agency running many clinics' configs as one
// user put clinic A's yesterday-only export under clinic B's config (a
// file dropped in the wrong folder, a cron line naming the wrong file),
// and A's patients' hashed identifiers went to B's Google Ads account
// and Meta dataset with exit 0 — a disclosure to another business (a
// review, 2026-12-07, D1). No ledger check can see it on B's first night,
// nor while the visits are newer than what B sent. Where the export says
// whose each row is — Open Dental's appointment.ClinicNum ("FK to
// clinic.ClinicNum. 0 if no clinic.": OpenDental/opendental,
// OpenDentBusiness/TableTypes/Appointment.cs), a practice system's
// clinic, branch or location column (門店, 分院, 院所) — the clinic lists
// the values that are its own, and a row naming another is not this
// config's (pipeline's clinic.go).

// The input.other_clinic_rows policies.
const (
	// OtherClinicStop (the default): a row naming another clinic stops
	// the run before anything is sent or written (exit 2).
	OtherClinicStop = "stop"
	// OtherClinicExclude: such rows are excluded (other_clinic) and
	// counted; the clinic's own rows go on. For a chain's joined export.
	OtherClinicExclude = "exclude"
)

// ClinicGuard reports whether the config judges each row's clinic.
func (c *Config) ClinicGuard() bool { return c.Input.Columns.Clinic != "" }

// OtherClinicPolicy is input.other_clinic_rows as the run applies it:
// OtherClinicStop when unset.
func (c *Config) OtherClinicPolicy() string {
	if c.Input.OtherClinicRows == "" {
		return OtherClinicStop
	}
	return c.Input.OtherClinicRows
}

// ClinicKey folds a clinic value, of the config or of a cell, as the
// guard compares them: consent.Key's fold, the one revocation ids and
// patient keys get — white space and invisible characters at the edges
// trimmed, full-width forms folded (NFKC: Ａ１ is A1), case folded, an
// all-digit value's leading zeros dropped (a ClinicNum 007 re-saved by a
// spreadsheet as 7). It only ever makes more cells match a listed value,
// and two clinics of one practice system are never told apart by case,
// width or leading zeros alone; spellings that differ otherwise (台北 and
// 臺北) stay apart, and stop the run rather than pass.
func ClinicKey(buf []byte, s string) []byte { return consent.Key(buf, s) }

// validateClinic checks the clinic guard's keys: a column needs the
// values that mean this clinic, and values need the column.
func (c *Config) validateClinic() error {
	var ps problems
	in := c.Input
	col := in.Columns.Clinic
	vals := nonEmpty(in.ClinicValues)
	switch {
	case col != "" && len(vals) == 0:
		ps.bad("input.clinic_values", "required when input.columns.clinic is set: list the values of that column that mean this clinic (e.g. [\"3\"] for an Open Dental ClinicNum, or [\"台北分院\"])")
	case col == "" && len(in.ClinicValues) > 0:
		ps.bad("input.clinic_values", "is set but input.columns.clinic is not: map the column that names each row's clinic, or no row is judged")
	}
	for i, v := range in.ClinicValues {
		if len(v) > 0 && len(ClinicKey(nil, v)) == 0 {
			ps.bad(fmt.Sprintf("input.clinic_values[%d]", i), "holds only white space or invisible characters, which would match an empty cell")
		}
	}
	switch p := in.OtherClinicRows; p {
	case "", OtherClinicStop, OtherClinicExclude:
		if p != "" && col == "" {
			ps.bad("input.other_clinic_rows", "is set but input.columns.clinic is not")
		}
	default:
		ps.bad("input.other_clinic_rows", "must be stop or exclude, got %q", p)
	}
	return ps.err()
}
