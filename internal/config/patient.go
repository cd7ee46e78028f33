package config

import (
	"slices"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
)

// The age and expiry rules' keys (consent/patient.go has the rules and
// their sources): input.columns.birth_date, input.columns.
// consent_expires_at, consent.min_age and consent.require_birth_date.

// MaxMinAge is the highest consent.min_age takes: 21, the oldest age
// Meta names for its young people's ad rules (Indonesia;
// facebook.com/help/980264326141711).
const MaxMinAge = 21

// MinAge is consent.min_age as the run applies it: the configured age,
// or consent.DefaultMinAge when unset; 0 when no birth date column is
// mapped, so no age can be judged.
func (c *Config) MinAge() int {
	switch {
	case c.Input.Columns.BirthDate == "":
		return 0
	case c.Consent.MinAge == 0:
		return consent.DefaultMinAge
	}
	return c.Consent.MinAge
}

// validatePatient checks the age and expiry keys. A birth date or an
// expiry is read for its rule only: the same header mapped to a key, an
// identifier or an order id would send it (hashed) or make it an id.
func (c *Config) validatePatient() error {
	var ps problems
	col := c.Input.Columns
	switch age := c.Consent.MinAge; {
	case age == 0:
	case col.BirthDate == "":
		ps.bad("consent.min_age", "needs input.columns.birth_date: without a birth date no age can be judged")
	case age < consent.MinAllowedAge || age > MaxMinAge:
		ps.bad("consent.min_age", "must be %d to %d (0: %d), got %d: Google and Meta bar patients under %[1]d whatever the consent held",
			consent.MinAllowedAge, MaxMinAge, consent.DefaultMinAge, age)
	}
	if c.Consent.RequireBirthDate && col.BirthDate == "" {
		ps.bad("consent.require_birth_date", "needs input.columns.birth_date")
	}
	for _, own := range []struct{ key, header string }{{"birth_date", col.BirthDate}, {"consent_expires_at", col.ConsentExpiresAt}} {
		if own.header == "" {
			continue
		}
		if other := c.otherColumnKey(own.key, own.header); other != "" {
			ps.bad("input.columns."+own.key, "%q is also input.columns.%s: it is read for its own rule only, never as an identifier, a key or an order id", own.header, other)
		}
	}
	return ps.err()
}

// otherColumnKey is the first input.columns key besides key that maps
// header (the order id's parts, e-mail and phone columns included), or "".
func (c *Config) otherColumnKey(key, header string) string {
	col := c.Input.Columns
	for _, l := range []struct {
		key     string
		headers []string
	}{{"order_id", col.OrderID}, {"email", col.Email}, {"phone", col.Phone}} {
		for _, h := range l.headers {
			if export.SameHeader(h, header) {
				return l.key
			}
		}
	}
	for _, k := range slices.Sorted(slices.Values(ColumnKeys())) {
		if k != key && export.SameHeader(col.ByKey(k), header) {
			return k
		}
	}
	return ""
}
