package run

import (
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
)

// TestTheNewIDsStopNamesTheTimeOfTheOrderID (a review of time handling):
// when an order id holds the appointment time, every id moves with the
// zone (or, for uploads made before a zone was required, with the offsets
// the export wrote); the stop named only the order-id column and the
// secret, and the next step an operator took was --accept-new-ids, which
// sent every visit again. It names timezone too now, and only then.
func TestTheNewIDsStopNamesTheTimeOfTheOrderID(t *testing.T) {
	ne := &ledger.NewIDsError{Destination: "google", Unseen: 10, Conversions: 10, Newest: time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)}
	cfg := config.Defaults()
	cfg.Timezone = "America/New_York"
	cfg.Input.Columns.OrderID = []string{"Chart No", "Visit Time"}
	cfg.Input.Columns.AppointmentAt = "visit time"
	msg := newIDsStop(&cfg, ne).Error()
	for _, want := range []string{"input.columns.order_id:", `includes the appointment time (column "Visit Time")`, "check timezone", "offset the export stated"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the stop lacks %q:\n%s", want, msg)
		}
	}
	cfg.Input.Columns.OrderID = []string{"Appt No"}
	if msg := newIDsStop(&cfg, ne).Error(); strings.Contains(msg, "timezone") {
		t.Errorf("an order id without the time: the stop names timezone:\n%s", msg)
	}
}

// TestTheNewIDsStopNamesAnotherClinicsExport (an agency's review: 15
// clinics' configs in one crontab): an export from the wrong folder is
// another clinic's, every id new to this ledger, and the stop listed only
// a changed column or secret and --accept-new-ids, which would send that
// clinic's patients to this clinic's accounts.
func TestTheNewIDsStopNamesAnotherClinicsExport(t *testing.T) {
	ne := &ledger.NewIDsError{Destination: "meta", Unseen: 30, Conversions: 30, Newest: time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)}
	cfg := config.Defaults()
	msg := newIDsStop(&cfg, ne).Error()
	for _, want := range []string{"another clinic's (a wrong file or folder)", "never pass --accept-new-ids for it"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the stop lacks %q:\n%s", want, msg)
		}
	}
}
