package run

import (
	"errors"
	"fmt"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/inspect"
	"github.com/hashgate/hashgate/internal/platform"
)

// consentHeaderErrors refuses a consent column (input.columns.consent or a
// platform's own) whose header names something else: a consent to texts
// or e-mail, an opt-out, a consent to care, an appointment status or
// arrival (inspect.ConsentHeaderProblem). The consent is default-deny, and
// such a column, mapped as the consent with its "true" granted, sent the
// patients who never agreed to ad measurement: a review mapped Cliniko's
// "Patient Arrived" and "Accepted Email Marketing", and config validate
// passed both. Refused as a granted "no" is (config's validateLeaving):
// config validate says so with every other problem, and every run that
// reads an export (upload, its dry-run, write, check, channels) stops
// before it reads one. check and channels passed such a config: a CI job
// ran check green on the config the nightly upload then refused (a
// review), and channels.consented_only counted every arrival as consented.
// The header is the config's own text, not a cell.
//
// A birth-date column that names another person or a place is refused
// here too (birthDateHeaderError), so that every command that makes this
// check makes that one.
func consentHeaderErrors(cfg *config.Config) error {
	errs := []error{birthDateHeaderError(cfg)}
	for _, key := range append([]string{"consent"}, platform.ConsentKeys()...) {
		h := cfg.Input.Columns.ByKey(key)
		if h == "" {
			continue
		}
		if why := inspect.ConsentHeaderProblem(h); why != "" {
			errs = append(errs, &config.Error{Key: "input.columns." + key, Problem: fmt.Sprintf(
				"%q %s; map the column that records the patient's consent to ad measurement ('hashgate config init --from EXPORT' lists the candidates)",
				h, why)})
		}
	}
	return errors.Join(errs...)
}

// birthDateHeaderError refuses input.columns.birth_date when its header
// names another person (guardian_date_of_birth, 家長生日) or a place
// (出生地): inspect.BirthDateHeaderProblem. A guardian's birth date read
// as the patient's passed children of 10 and 14 as adults, and config
// validate and the dry-run accepted it (a review, 2026-12-07): the age
// rule (consent.min_age) is the only thing between a child and the
// upload. The header is the config's own text, not a cell.
func birthDateHeaderError(cfg *config.Config) error {
	h := cfg.Input.Columns.BirthDate
	if h == "" {
		return nil
	}
	why := inspect.BirthDateHeaderProblem(h)
	if why == "" {
		return nil
	}
	remedy := "map the column of the patient's own date of birth ('hashgate config init --from EXPORT' finds it)"
	if why == inspect.BirthOfSubscriber {
		// The subscriber is often the patient: say how to go on then,
		// rather than leave an adult clinic's config refused for good.
		remedy = "if this export's subscriber is always the patient, rename the column in the export (patient_dob, say) " +
			"and map that; otherwise " + remedy
	}
	return &config.Error{Key: "input.columns.birth_date", Problem: fmt.Sprintf("%q %s; %s", h, why, remedy)}
}

// unmappedOutcome is the first header that names what became of the
// appointment (inspect.OutcomeHeader: did_not_arrive, cancelled_at, 爽約)
// and is mapped to no input.columns key, "" when there is none. Without a
// status column every row counts as a visit; such a column says the
// export knows which did not, and the summary names it (a newcomer's
// review: a Cliniko export sent its no-shows and cancellations as
// purchases, exit 0, the summary naming no column). A warning, not a
// stop: an arrivals list may carry one.
func unmappedOutcome(cfg *config.Config, header []string) string {
	mapped := map[string]bool{}
	for _, k := range config.ColumnKeys() {
		if h := cfg.Input.Columns.ByKey(k); h != "" {
			mapped[h] = true
		}
	}
	for _, h := range header {
		if !mapped[h] && inspect.OutcomeHeader(h) {
			return h
		}
	}
	return ""
}
