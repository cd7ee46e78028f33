package config

import "testing"

func TestValidateClinic(t *testing.T) {
	runSection(t, (*Config).validateClinic, []sectionCase{
		{"no clinic column", func(c *Config) {}, nil, ""},
		{"column and values", func(c *Config) { c.Input.Columns.Clinic, c.Input.ClinicValues = "ClinicNum", []string{"3"} }, nil, ""},
		{"exclude", func(c *Config) {
			c.Input.Columns.Clinic, c.Input.ClinicValues, c.Input.OtherClinicRows = "分院", []string{"台北分院"}, OtherClinicExclude
		}, nil, ""},
		{"stop named", func(c *Config) {
			c.Input.Columns.Clinic, c.Input.ClinicValues, c.Input.OtherClinicRows = "分院", []string{"台北分院"}, OtherClinicStop
		}, nil, ""},
		{"column without values", func(c *Config) { c.Input.Columns.Clinic = "ClinicNum" },
			[]string{"input.clinic_values"}, "required"},
		{"column with blank values", func(c *Config) { c.Input.Columns.Clinic, c.Input.ClinicValues = "ClinicNum", []string{" ", ""} },
			[]string{"input.clinic_values", "input.clinic_values[0]"}, "required"},
		{"an invisible value", func(c *Config) { c.Input.Columns.Clinic, c.Input.ClinicValues = "ClinicNum", []string{"3", "\u200b"} },
			[]string{"input.clinic_values[1]"}, "empty cell"},
		{"values without a column", func(c *Config) { c.Input.ClinicValues = []string{"3"} },
			[]string{"input.clinic_values"}, "input.columns.clinic"},
		{"policy without a column", func(c *Config) { c.Input.OtherClinicRows = OtherClinicExclude },
			[]string{"input.other_clinic_rows"}, "input.columns.clinic"},
		{"unknown policy", func(c *Config) {
			c.Input.Columns.Clinic, c.Input.ClinicValues, c.Input.OtherClinicRows = "ClinicNum", []string{"3"}, "skip"
		}, []string{"input.other_clinic_rows"}, "stop or exclude"},
	})
}

// TestClinicKeyFolds: the guard's fold is the export ids' (consent.Key):
// edges, widths, case and an all-digit value's leading zeros, nothing
// else.
func TestClinicKeyFolds(t *testing.T) {
	for _, p := range [][2]string{{"007", "7"}, {"ＡＢ", "ab"}, {" Taipei\u200b", "taipei"}, {"台北分院", "台北分院"}} {
		if got := string(ClinicKey(nil, p[0])); got != p[1] {
			t.Errorf("ClinicKey(%q) = %q, want %q", p[0], got, p[1])
		}
	}
	if string(ClinicKey(nil, "臺北")) == string(ClinicKey(nil, "台北")) {
		t.Error("臺北 folds to 台北")
	}
}
