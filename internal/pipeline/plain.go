package pipeline

import (
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/plaintext"
)

// Plain-text fields leave hashgate as they are: click ids, Google's
// unhashed postal and region codes, the currency. Package plaintext
// decides their grammar for every sink; the pipeline applies it where a
// conversion is made, so the review CSV, the platform files and the API
// bodies all get only values that passed, and every value that failed is
// counted under the summary's dropped identifiers with its reason.

// clickIDs returns the row's click ids, each blank when it does not fit
// the click-id grammar (counted for platform p).
func (r *runner) clickIDs(row export.Row, p identifier.Platform, sum *tally) (gclid, gbraid, wbraid string) {
	check := func(c export.Column, name string) string {
		v := row.Get(c)
		if v != "" && !plaintext.ClickID(v) {
			sum.drop(p.String(), name, plaintext.ReasonClickID)
			return ""
		}
		return v
	}
	return check(export.GCLID, "gclid"), check(export.GBRAID, "gbraid"), check(export.WBRAID, "wbraid")
}

// plainGrammar checks an identifier a platform takes unhashed: a
// *identifier.Rejection with plaintext's reason when it fails, so the
// caller drops it like any value that does not normalise (and a group
// such as Google's address is then sent whole or not at all). A postal
// code is checked against the row's own region code, normalised for p.
func (r *runner) plainGrammar(row export.Row, p identifier.Platform, s identifier.Sent) error {
	country := ""
	if s.Field() == identifier.PostalCode {
		if r.countryLine != row.Line || !r.countryKnown {
			r.countryLine, r.countryKnown = row.Line, true
			r.country, _ = identifier.Normalize(p, identifier.Country, row.Get(export.Country), r.opt)
		}
		country = r.country
	}
	if reason := plaintext.Identifier(s.Field(), country, s.Text()); reason != "" {
		return &identifier.Rejection{Reason: reason}
	}
	return nil
}
