package config

import "testing"

func TestValidatePatient(t *testing.T) {
	runSection(t, (*Config).validatePatient, []sectionCase{
		{"no birth date column", func(c *Config) {}, nil, ""},
		{"birth date, default age", func(c *Config) { c.Input.Columns.BirthDate = "dob" }, nil, ""},
		{"age lowered to 14", func(c *Config) { c.Input.Columns.BirthDate, c.Consent.MinAge = "dob", 14 }, nil, ""},
		{"age below 13", func(c *Config) { c.Input.Columns.BirthDate, c.Consent.MinAge = "dob", 12 },
			[]string{"consent.min_age"}, "13"},
		{"age above 21", func(c *Config) { c.Input.Columns.BirthDate, c.Consent.MinAge = "dob", 30 },
			[]string{"consent.min_age"}, ""},
		{"age without a birth date column", func(c *Config) { c.Consent.MinAge = 16 },
			[]string{"consent.min_age"}, "input.columns.birth_date"},
		{"required without a column", func(c *Config) { c.Consent.RequireBirthDate = true },
			[]string{"consent.require_birth_date"}, "input.columns.birth_date"},
		{"birth date as patient key", func(c *Config) { c.Input.Columns.BirthDate, c.Input.Columns.PatientKey = "DOB", "dob" },
			[]string{"input.columns.birth_date"}, "patient_key"},
		{"birth date in the order id", func(c *Config) {
			c.Input.Columns.BirthDate, c.Input.Columns.OrderID = "dob", []string{"id", "dob"}
		}, []string{"input.columns.birth_date"}, "order_id"},
		{"birth date as a phone", func(c *Config) { c.Input.Columns.BirthDate, c.Input.Columns.Phone = "dob", []string{"phone", "dob"} },
			[]string{"input.columns.birth_date"}, "phone"},
		{"expiry column", func(c *Config) { c.Input.Columns.ConsentExpiresAt = "expires" }, nil, ""},
		{"expiry in the order id", func(c *Config) {
			c.Input.Columns.ConsentExpiresAt, c.Input.Columns.OrderID = "expires", []string{"id", "expires"}
		}, []string{"input.columns.consent_expires_at"}, "order_id"},
	})
}
