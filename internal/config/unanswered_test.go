package config

import (
	"strings"
	"testing"
)

// answeredBase is a whole config a person wrote: it validates.
func answeredBase() Config {
	c := Defaults()
	c.Timezone, c.Region = "Australia/Sydney", "AU"
	c.Input.Columns.OrderID = []string{"id"}
	c.Input.Columns.AppointmentAt = "starts_at"
	c.Input.Columns.Consent = "consent"
	c.Input.Columns.Email = []string{"email"}
	c.Consent.Granted = []string{"true"}
	c.Destinations.Meta.Enabled = true
	c.Destinations.Meta.Identifiers = []string{"email"}
	return c
}

// TestOpenQuestionsRefused: config init wrote its open questions as empty
// values beside "# ASK:" comments, and an empty value validated: an
// unanswered status question counted every no-show and cancellation as a
// visit. Its placeholder refuses every check, each open key named once, at
// once, with what answering means — not again as an unknown zone or a
// date order that is none.
func TestOpenQuestionsRefused(t *testing.T) {
	c := answeredBase()
	if err := c.Validate(); err != nil {
		t.Fatalf("base config: %v", err)
	}
	c.Timezone, c.Region = Unanswered, Unanswered
	c.Input.DateOrder = Unanswered
	c.Input.TimeFormats = []string{Unanswered}
	c.Input.Columns.Status = Unanswered
	open := []string{"timezone", "region", "input.date_order", "input.time_formats", "input.columns.status"}
	for name, check := range map[string]func(*Config) error{"Validate": (*Config).Validate, "ValidateForChannels": (*Config).ValidateForChannels} {
		err := check(&c)
		if err == nil {
			t.Fatalf("%s: a config with open questions is valid", name)
		}
		msg := err.Error()
		for _, k := range open {
			if n := strings.Count(msg, k+": "); n != 1 {
				t.Errorf("%s: %q named %d times, want once as open:\n%s", name, k, n, msg)
			}
			if !strings.Contains(msg, k+": an open question config init left") {
				t.Errorf("%s: %q not named as an open question:\n%s", name, k, msg)
			}
		}
		if !strings.Contains(msg, "conversion.every_row_is_a_visit: true") {
			t.Errorf("%s: the status question does not say how to answer it for an arrivals list:\n%s", name, msg)
		}
	}
	if c.Timezone != Unanswered || c.Input.Columns.Status != Unanswered || len(c.Input.TimeFormats) != 1 {
		t.Errorf("validation changed the config it checked: %+v", c.Input)
	}
	if err := c.ValidateReport(); err != nil {
		t.Errorf("ValidateReport names open questions Validate names already: %v", err)
	}
}

// TestStatusAnswers: the two answers to the status question validate —
// a column with its visit words, or no column and every_row_is_a_visit —
// and so does a config that says neither (hand-written, or by an older
// init): it runs as it always did. Both at once is a contradiction.
func TestStatusAnswers(t *testing.T) {
	column := answeredBase()
	column.Input.Columns.Status = "did_not_arrive"
	column.Conversion.Statuses = []string{"false"}
	arrivals := answeredBase()
	arrivals.Conversion.EveryRowIsAVisit = true
	old := answeredBase()
	for name, c := range map[string]Config{"column": column, "arrivals list": arrivals, "old-style, no status": old} {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	both := column
	both.Conversion.EveryRowIsAVisit = true
	if err := both.Validate(); err == nil || !strings.Contains(err.Error(), "conversion.every_row_is_a_visit: is true but input.columns.status is set") {
		t.Errorf("status column and every_row_is_a_visit: %v", err)
	}
}
