package config

import (
	"errors"
	"reflect"
	"slices"
	"strings"
)

// Unanswered is the value `hashgate config init` writes for a question
// only a person can answer (the time zone of times without an offset, the
// phone region, the date order, whether the export has a status column).
// It was an empty value beside an "# ASK:" comment, and an empty value is
// a valid answer: config validate said "valid", and an unanswered status
// question counted every no-show and cancellation as a visit (a
// newcomer's review). No header, zone, region or layout is written so, so
// it cannot be mistaken for an answer; every check refuses it (Validate,
// ValidateForChannels), naming each open key at once. A config written by
// hand or by an older init holds none and behaves as before.
const Unanswered = "<ASK>"

// answerHints say what answering each question config init leaves open
// means; a key without one gets a general sentence.
var answerHints = map[string]string{
	"timezone":           "the clinic's IANA time zone (e.g. America/Chicago, Asia/Taipei)",
	"region":             "the ISO 3166-1 alpha-2 region of phone numbers written without a country code (e.g. GB, TW)",
	"input.date_order":   "ymd, mdy (US) or dmy: the order of the export's numeric dates",
	"input.time_formats": "the appointment dates' layouts as Go writes them (e.g. \"Jan 2, 2006 3:04 PM\"), or [] to keep the default forms",
	"input.columns.status": "the header of the column that says whether the patient came (then list its values in conversion.statuses), " +
		"or, when every row of the export is a visit (an arrivals list), an empty input.columns.status with conversion.every_row_is_a_visit: true. " +
		"Left unanswered, no-shows and cancellations would be sent as visits",
	"conversion.currency": "the ISO 4217 code of the clinic's currency (e.g. TWD, GBP, USD)",
}

// answered returns a copy of c with every Unanswered value cleared, and one
// *Error per key that held one, in the order of the file's keys. The section
// checks run on the copy, so an open key is named once, as open, not again
// as an unknown zone or a bad date order.
func (c *Config) answered() (*Config, []error) {
	cp := *c
	var errs []error
	clearUnanswered(reflect.ValueOf(&cp).Elem(), "", &errs)
	return &cp, errs
}

// clearUnanswered walks v by its mapstructure keys (as the loader does),
// clearing Unanswered strings and list items and naming their keys.
func clearUnanswered(v reflect.Value, prefix string, errs *[]error) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("mapstructure"), ",")
		if name == "-" || !sf.IsExported() {
			continue
		}
		key := prefix + name
		if name == "" && strings.Contains(opts, "squash") {
			key = strings.TrimSuffix(prefix, ".")
		}
		f := v.Field(i)
		open := false
		switch {
		case f.Kind() == reflect.Struct:
			p := key + "."
			if key == "" {
				p = ""
			}
			clearUnanswered(f, p, errs)
		case f.Kind() == reflect.String:
			if strings.TrimSpace(f.String()) == Unanswered {
				f.SetString("")
				open = true
			}
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			list := f.Interface().([]string)
			kept := slices.DeleteFunc(slices.Clone(list), func(s string) bool { return strings.TrimSpace(s) == Unanswered })
			if len(kept) != len(list) {
				f.Set(reflect.ValueOf(kept))
				open = true
			}
		}
		if open {
			hint, ok := answerHints[key]
			if !ok {
				hint = "the value this key's comment asks for (configs/example.yaml documents every key)"
			}
			*errs = append(*errs, &Error{Key: key, Problem: "an open question config init left (" + Unanswered + "): answer it with " + hint})
		}
	}
}

// withAnswers runs check on c with its open questions cleared, after one
// error per open question: every open key is named at once, beside every
// other problem of the file.
func (c *Config) withAnswers(check func(*Config) error) error {
	cp, open := c.answered()
	keys := map[string]bool{}
	for _, e := range open {
		keys[e.(*Error).Key] = true
	}
	// A key named open is not named again as missing (hashgate channels
	// requires a timezone, and the cleared copy has none).
	return errors.Join(append(open, dropKeys(check(cp), keys)...)...)
}

// dropKeys flattens err's joined errors, leaving out the *Error values of
// keys.
func dropKeys(err error, keys map[string]bool) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, dropKeys(e, keys)...)
		}
		return out
	}
	if ce, ok := err.(*Error); ok && keys[ce.Key] {
		return nil
	}
	return []error{err}
}
