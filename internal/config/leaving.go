package config

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/csvcell"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/printable"
)

// maxNameRunes bounds the config strings that leave as names: Google
// Ads limits conversion action names to 100 characters.
const maxNameRunes = 100

// validateLeaving checks the config strings that leave hashgate as plain
// text — the event name (both APIs, every file), the Google conversion
// name (the Google Ads import file) and Meta's test event code (request
// bodies) — and the consent words, whose
// mistakes would send the patients who said no. Names must be safe in a
// spreadsheet (no leading =, +, -, @, tab: package csvcell) and on a
// terminal (no control or invisible format characters).
func (c *Config) validateLeaving() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	for _, n := range []struct{ key, value string }{
		{"conversion.event_name", c.Conversion.EventName},
		{"conversion.bookings.event_name", c.Conversion.Bookings.EventName},
		{"destinations.google.conversion_name", c.Destinations.Google.ConversionName},
		{"destinations.meta.test_event_code", c.Destinations.Meta.TestEventCode},
	} {
		if strings.TrimSpace(n.value) == "" {
			continue // required or not: each section says so
		}
		if problem := LabelProblem(n.value); problem != "" {
			bad(n.key, "%s", problem)
		}
	}
	errs = append(errs, c.grantedConflicts()...)
	return errors.Join(errs...)
}

// grantedConflicts refuses the consent.granted words that say no
// (consent.GrantedConflicts), for Validate and — under
// channels.consented_only, which judges consent with the upload's policy —
// for the channel report: it asked nothing, and a granted "no" counted the
// patients who refused as consented there while `config validate` refused
// the same file.
func (c *Config) grantedConflicts() []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	cs := c.Consent
	for _, k := range consent.GrantedConflicts(consent.Options{Granted: cs.Granted, Denied: cs.Denied, Revoked: cs.Revoked, Scoped: cs.Scoped}) {
		if k.Reason == "consent_scoped" {
			// A channel word may record how the consent was taken
			// (同意(电话确认): given on the phone), which hashgate cannot tell
			// from a consent to that channel only; with no value map, the
			// way out is the export's own word (the review of 2026-12-07).
			bad("consent.granted", "%q says no (%s): it names one contact channel or keeps the data in the country, and a consent to texts, calls, WeChat or domestic use only is no consent to share with the ad platforms — listing it would send those patients; remove it. If the cell only records how the consent was taken (by phone), hashgate cannot tell the two apart: have the export write the consent as a plain word (同意, yes)", k.Value, k.Reason)
			continue
		}
		bad("consent.granted", "%q says no (%s): listing it as granted would send the patients who refused or withdrew; remove it", k.Value, k.Reason)
	}
	return errs
}

// LabelProblem says why s cannot leave hashgate as a name or label
// (event name, conversion name, a channel label), or "" when it can: it
// must be valid UTF-8 without control or invisible format characters,
// at most 100 characters, without leading or trailing spaces, and must not
// start what a spreadsheet reads as a formula. Commands that take other
// labels into files (channels) use the same rule.
func LabelProblem(s string) string {
	switch {
	case !printable.Safe(s):
		return "holds a control or invisible formatting character (or is not UTF-8)"
	case strings.TrimSpace(s) != s:
		return "starts or ends with white space"
	case utf8.RuneCountInString(s) > maxNameRunes:
		return fmt.Sprintf("is longer than %d characters", maxNameRunes)
	case csvcell.Dangerous(s):
		return "starts with =, +, -, @ or a tab, which a spreadsheet opening hashgate's CSV files would run as a formula"
	}
	return ""
}

// ValidateSecret checks the event-id key for runs whose event ids leave:
// uploads, and the manual-upload files (their order id column is the event
// id). It refuses a missing secret, the public demo key, one shorter than
// 32 bytes and one of low estimated entropy (eventid.CheckKey). Dry-runs
// send nothing and may use the demo key.
func (c *Config) ValidateSecret() error {
	if c.Secret == "" {
		return &Error{Key: "secret", Problem: "required for uploads and manual-upload files (set HASHGATE_SECRET; `hashgate secret` makes one): event ids made with the public demo key are guessable, and changing the key later would count every conversion again"}
	}
	if err := eventid.CheckKey(c.Secret); err != nil {
		return &Error{Key: "secret", Problem: err.Error()}
	}
	return nil
}
