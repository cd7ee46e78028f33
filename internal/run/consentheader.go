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
// reads an export (upload, its dry-run, write) stops before it reads one.
// The header is the config's own text, not a cell.
func consentHeaderErrors(cfg *config.Config) error {
	var errs []error
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
