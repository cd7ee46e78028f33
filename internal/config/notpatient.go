package config

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// NotPatient is input.not_patient_identifiers as identifier.Canonical
// gives them: the clinic's own e-mail addresses and phone numbers, and the
// placeholders its front desk types (noemail@clinic.com, 0912-000-000),
// which a whole-cell placeholder list (identifier.Values) cannot know.
// Such a value on forty charts is no patient's: hashed and sent, it
// attributes forty visits to one "person"; carried by a row withdrawing
// its patient, it withdrew every other row of the export, and the ledger
// remembered it for every later night (a review: 40 patients, one
// revokes, 0 of 40 sent, exit 0). A row's value equal to one is no value
// wherever a row's e-mail or phone is read (pipeline: idValues).
//
// It holds the clinic's values, canonical, in memory only: nothing of
// them is written, and an error names the key and index, never the value.
type NotPatient struct {
	set map[platform.Field]map[string]bool
}

// Len is how many distinct values are listed.
func (n NotPatient) Len() int { return len(n.set[platform.Email]) + len(n.set[platform.Phone]) }

// Has reports whether canon, a value of field f as identifier.Canonical
// gives it, is listed.
func (n NotPatient) Has(f platform.Field, canon string) bool { return n.set[f][canon] }

// Listed reports whether v, one value of field f as identifier.Values
// gives it, is listed: canonicalised under opt (the config's region) as
// the list was. It is the one test of a row's value against the list,
// for the run (pipeline: idValues) and the channel report's changed-keys
// warning (channels: rekeyed.row) alike, so that a value the run leaves
// out as no patient's links no patients in the report either. Fields
// other than e-mail and phone are never listed, and an empty list costs
// nothing.
func (n NotPatient) Listed(f platform.Field, v string, opt identifier.Options) bool {
	if n.Len() == 0 || f != platform.Email && f != platform.Phone {
		return false
	}
	c, err := identifier.Canonical(f, v, opt)
	return err == nil && n.Has(f, c)
}

// NotPatient canonicalises input.not_patient_identifiers under the
// config's region, as the run reads a row's (identifier.Options{Region}):
// an entry with an "@" is an e-mail address, any other a phone number.
func (c *Config) NotPatient() (NotPatient, error) {
	var n NotPatient
	var ps problems
	opt := identifier.Options{Region: c.Region}
	for i, raw := range c.Input.NotPatientIdentifiers {
		key := fmt.Sprintf("input.not_patient_identifiers[%d]", i)
		f, what := platform.Phone, "a phone number"
		if strings.Contains(raw, "@") {
			f, what = platform.Email, "an e-mail address"
		}
		vals := identifier.Values(f, raw, nil)
		if len(vals) != 1 {
			ps.bad(key, "must be one e-mail address or phone number (a whole-cell placeholder such as none or n/a is no value already)")
			continue
		}
		canon, err := identifier.Canonical(f, vals[0], opt)
		if err != nil || canon == "" {
			// The rejection's reason only: never the value.
			reason := "unreadable"
			if rej, ok := errors.AsType[*identifier.Rejection](err); ok {
				reason = rej.Reason
			}
			ps.bad(key, "is not %s hashgate reads (%s; region %q)", what, reason, c.Region)
			continue
		}
		if n.set == nil {
			n.set = map[platform.Field]map[string]bool{}
		}
		if n.set[f] == nil {
			n.set[f] = map[string]bool{}
		}
		n.set[f][canon] = true
	}
	return n, ps.err()
}
