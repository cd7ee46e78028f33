package config

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// valid is a config every section accepts; each test breaks one key.
func valid() *Config {
	c := Defaults()
	c.Timezone, c.Region = "Asia/Taipei", "TW"
	c.Input.Columns = Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Status: "status",
		Email: []string{"email"}, Phone: []string{"phone"}, Consent: "consent",
	}
	c.Conversion.Value, c.Conversion.FixedValue, c.Conversion.Currency = ValueFixed, 1, "TWD"
	c.Consent.Granted = []string{"yes"}
	c.Conversion.Statuses = []string{"completed"}
	c.Destinations.Google.Enabled, c.Destinations.Meta.Enabled = true, true
	return &c
}

// keys lists the keys of the *Error values in err, in order.
func keys(err error) []string {
	var out []string
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			out = append(out, keys(e)...)
		}
		return out
	}
	var ce *Error
	if errors.As(err, &ce) {
		out = append(out, ce.Key)
	}
	return out
}

type sectionCase struct {
	name   string
	mutate func(c *Config)
	keys   []string // nil: valid
	msg    string   // part of the message, when set
}

// runSection checks one section function, and that Validate reports the
// same keys: the section is where the key is checked, and nowhere else.
func runSection(t *testing.T, section func(c *Config) error, cases []sectionCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.mutate(c)
			err := section(c)
			if got := keys(err); !slices.Equal(got, tc.keys) {
				t.Fatalf("section keys %q, want %q (%v)", got, tc.keys, err)
			}
			if got := keys(c.Validate()); !slices.Equal(got, tc.keys) {
				t.Fatalf("Validate keys %q, want %q", got, tc.keys)
			}
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("message %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestValidConfig(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateGeneral(t *testing.T) {
	runSection(t, (*Config).validateGeneral, []sectionCase{
		{"no timezone is fine", func(c *Config) { c.Timezone = "" }, nil, ""},
		{"unknown timezone", func(c *Config) { c.Timezone = "Mars/Olympus" }, []string{"timezone"}, "unknown IANA time zone"},
		{"the machine's zone", func(c *Config) { c.Timezone = "Local" }, []string{"timezone"}, "Local is the machine's zone"},
		// A DST review: fixed offsets named like a region's zone send every
		// summer visit an hour off.
		{"EST all year", func(c *Config) { c.Timezone = "EST" }, []string{"timezone"}, "America/New_York"},
		{"GMT all year", func(c *Config) { c.Timezone = "GMT" }, []string{"timezone"}, "Europe/London"},
		{"MST all year", func(c *Config) { c.Timezone = "MST" }, []string{"timezone"}, "America/Denver"},
		{"HST all year", func(c *Config) { c.Timezone = "HST" }, []string{"timezone"}, "Pacific/Honolulu"},
		{"POSIX's inverted sign", func(c *Config) { c.Timezone = "Etc/GMT+8" }, []string{"timezone"}, "UTC-8"},
		{"UTC is a choice", func(c *Config) { c.Timezone = "UTC" }, nil, ""},
		{"the placeholder", func(c *Config) { c.Timezone = "Factory" }, []string{"timezone"}, "placeholder"},
		{"UTC+8 all year", func(c *Config) { c.Timezone = "Etc/GMT-8" }, []string{"timezone"}, "UTC+8"},
		{"a zone with daylight saving", func(c *Config) { c.Timezone = "America/New_York" }, nil, ""},
		{"a legacy alias with rules", func(c *Config) { c.Timezone = "EST5EDT" }, nil, ""},
		{"region not alpha-2", func(c *Config) { c.Region = "TWN" }, []string{"region"}, "ISO 3166-1 alpha-2"},
		{"region not a country", func(c *Config) { c.Region = "EU" }, []string{"region"}, ""},
	})
}

func TestValidateInput(t *testing.T) {
	runSection(t, (*Config).validateInput, []sectionCase{
		{"order id", func(c *Config) { c.Input.Columns.OrderID = []string{" "} }, []string{"input.columns.order_id"}, "required"},
		{"no time column", func(c *Config) { c.Input.Columns.AppointmentAt = "" }, []string{"input.columns.appointment_at"}, "required"},
		{"both time forms", func(c *Config) { c.Input.Columns.AppointmentDate = "d" }, []string{"input.columns.appointment_at"}, "not both"},
		{"time without date", func(c *Config) {
			c.Input.Columns.AppointmentAt, c.Input.Columns.AppointmentTime = "", "t"
		}, []string{"input.columns.appointment_at"}, ""},
		{"date and time", func(c *Config) {
			c.Input.Columns.AppointmentAt, c.Input.Columns.AppointmentDate, c.Input.Columns.AppointmentTime = "", "d", "t"
		}, nil, ""},
		{"no consent column", func(c *Config) { c.Input.Columns.Consent = "" }, []string{"input.columns.consent"}, "consent_google/consent_meta"},
		{"each platform its own consent", func(c *Config) {
			c.Input.Columns.Consent, c.Input.Columns.ConsentGoogle, c.Input.Columns.ConsentMeta = "", "g", "m"
		}, nil, ""},
		{"own consent for the one enabled platform", func(c *Config) {
			c.Input.Columns.Consent, c.Input.Columns.ConsentMeta, c.Destinations.Google.Enabled = "", "m", false
		}, nil, ""},
		{"own consent for one of two", func(c *Config) {
			c.Input.Columns.Consent, c.Input.Columns.ConsentMeta = "", "m"
		}, []string{"input.columns.consent"}, ""},
		{"header row", func(c *Config) { c.Input.HeaderRow = -1 }, []string{"input.header_row"}, ""},
		{"footer", func(c *Config) { c.Input.SkipFooterLines = -2 }, []string{"input.skip_footer_lines"}, ""},
		{"encoding", func(c *Config) { c.Input.Encoding = "latin1" }, []string{"input.encoding"}, "must be one of"},
		{"delimiter", func(c *Config) { c.Input.Delimiter = ":" }, []string{"input.delimiter"}, ""},
		{"date order", func(c *Config) { c.Input.DateOrder = "ydm" }, []string{"input.date_order"}, ""},
		{"calendar", func(c *Config) { c.Input.Calendar = "lunar" }, []string{"input.calendar"}, ""},
		{"default year", func(c *Config) { c.Input.DefaultYear = 24 }, []string{"input.default_year"}, ""},
		{"excel dates", func(c *Config) { c.Input.ExcelDates = "1901" }, []string{"input.excel_dates"}, ""},
		{"time format", func(c *Config) { c.Input.TimeFormats = []string{"yyyy-mm-dd"} }, []string{"input.time_formats[0]"}, "not a Go time layout"},
		{"date share", func(c *Config) { c.Input.MaxUnreadableDateShare = 1.5 }, []string{"input.max_unreadable_date_share"}, "between 0 and 1"},
		{"value share", func(c *Config) { c.Input.MaxUnreadableValueShare = -0.1 }, []string{"input.max_unreadable_value_share"}, "between 0 and 1"},
		{"value share above 1", func(c *Config) { c.Input.MaxUnreadableValueShare = 2 }, []string{"input.max_unreadable_value_share"}, "between 0 and 1"},
		{"value share 1", func(c *Config) { c.Input.MaxUnreadableValueShare = 1 }, nil, ""},
	})
}

func TestValidateConsent(t *testing.T) {
	runSection(t, (*Config).validateConsent, []sectionCase{
		{"granted", func(c *Config) { c.Consent.Granted = []string{""} }, []string{"consent.granted"}, ""},
		{"timestamp without column", func(c *Config) { c.Consent.RequireTimestamp = true }, []string{"consent.require_timestamp"}, "consent_at"},
		{"timestamp with column", func(c *Config) {
			c.Consent.RequireTimestamp, c.Input.Columns.ConsentAt = true, "consent_at"
		}, nil, ""},
	})
}

func TestValidateConversion(t *testing.T) {
	guarded := func(c *Config) error { return c.validateConversion(c.PHIGuard()) }
	runSection(t, guarded, []sectionCase{
		{"status column without statuses", func(c *Config) { c.Conversion.Statuses = nil }, []string{"conversion.statuses"}, "required when input.columns.status"},
		{"statuses without a status column", func(c *Config) { c.Input.Columns.Status = "" }, []string{"conversion.statuses"}, "input.columns.status is not"},
		{"neither: every row counts", func(c *Config) { c.Input.Columns.Status, c.Conversion.Statuses = "", nil }, nil, ""},
		{"event name", func(c *Config) { c.Conversion.EventName = " " }, []string{"conversion.event_name"}, ""},
		{"health term in event name", func(c *Config) { c.Conversion.EventName = "Implant" }, []string{"conversion.event_name"}, "health term"},
		{"actual without column", func(c *Config) {
			c.Conversion.Value, c.Conversion.Currency = ValueActual, "TWD"
		}, []string{"conversion.value"}, "input.columns.value"},
		{"bucket without edges", func(c *Config) {
			c.Conversion.Value, c.Conversion.Currency, c.Input.Columns.Value = ValueBucket, "TWD", "fee"
		}, []string{"conversion.value_buckets"}, ""},
		{"edges descending", func(c *Config) {
			c.Conversion.Value, c.Conversion.Currency, c.Input.Columns.Value = ValueBucket, "TWD", "fee"
			c.Conversion.ValueBuckets = []float64{5000, 1000}
		}, []string{"conversion.value_buckets"}, "ascending"},
		{"fixed without amount", func(c *Config) {
			c.Conversion.Value, c.Conversion.Currency, c.Conversion.FixedValue = ValueFixed, "TWD", 0
		}, []string{"conversion.fixed_value"}, ""},
		{"unknown policy", func(c *Config) { c.Conversion.Value, c.Conversion.Currency = "exact", "" }, []string{"conversion.value", "conversion.currency"}, ""},
		{"value without currency", func(c *Config) {
			c.Conversion.Value, c.Conversion.FixedValue, c.Conversion.Currency = ValueFixed, 1, ""
		}, []string{"conversion.currency"}, "required"},

		{"currency not ISO", func(c *Config) { c.Conversion.Currency = "NTD" }, []string{"conversion.currency"}, "ISO 4217"},
	})
}

func TestValidateLedger(t *testing.T) {
	runSection(t, (*Config).validateLedger, []sectionCase{
		{"retention under the windows", func(c *Config) { c.Ledger.RetentionDays = 62 }, []string{"ledger.retention_days"}, "at least 100"},
		{"a relative ledger path", func(c *Config) { c.Ledger.Path = "state/ledger.db" }, []string{"ledger.path"}, "absolute"},
		{"an absolute ledger path", func(c *Config) { c.Ledger.Path = "/var/lib/hashgate/ledger.db" }, nil, ""},
		{"reconcile budget negative", func(c *Config) { c.Ledger.ReconcileSeconds = -1 }, []string{"ledger.reconcile_seconds"}, "between 0"},
	})
}

func TestValidateDestinations(t *testing.T) {
	runSection(t, (*Config).validateDestinations, []sectionCase{
		{"none enabled", func(c *Config) {
			c.Destinations.Google.Enabled, c.Destinations.Meta.Enabled = false, false
		}, []string{"destinations"}, "destinations.google.enabled, destinations.meta.enabled"},
	})
}

func TestValidateDestinationGoogle(t *testing.T) {
	google := func(c *Config) error { return c.validateDestination(platform.Google, c.PHIGuard()) }
	runSection(t, google, []sectionCase{
		{"city is Meta's only", func(c *Config) {
			c.Destinations.Google.Identifiers, c.Input.Columns.City = []string{"city"}, "city"
		}, []string{"destinations.google.identifiers"}, "google does not take city"},
		{"external id is not configurable", func(c *Config) {
			c.Destinations.Google.Identifiers = []string{"external_id"}
		}, []string{"destinations.google.identifiers"}, "does not take external_id"},
		{"listed twice", func(c *Config) {
			c.Destinations.Google.Identifiers = []string{"email", "email"}
		}, []string{"destinations.google.identifiers"}, "listed twice"},
		{"no column", func(c *Config) {
			c.Destinations.Google.Identifiers = []string{"email", "phone", "first_name", "last_name", "postal_code", "country"}
		}, []string{"destinations.google.identifiers", "destinations.google.identifiers", "destinations.google.identifiers", "destinations.google.identifiers"}, "needs input.columns"},
		{"address fields only together", func(c *Config) {
			c.Input.Columns.FirstName, c.Input.Columns.LastName = "fn", "ln"
			c.Destinations.Google.Identifiers = []string{"email", "first_name", "last_name"}
		}, []string{"destinations.google.identifiers"}, "first_name, last_name, postal_code and country go to Google only together (its AddressInfo requires all four)"},
		{"all four address fields", func(c *Config) {
			c.Input.Columns.FirstName, c.Input.Columns.LastName, c.Input.Columns.PostalCode, c.Input.Columns.Country = "fn", "ln", "zip", "cc"
			c.Destinations.Google.Identifiers = []string{"email", "first_name", "last_name", "postal_code", "country"}
		}, nil, ""},
		{"no identifiers: click ids may carry it", func(c *Config) { c.Destinations.Google.Identifiers = nil }, nil, ""},
		{"batch over the limit", func(c *Config) { c.Destinations.Google.BatchSize = 2001 }, []string{"destinations.google.batch_size"}, "must be 1 to 2000"},
		{"age over the window", func(c *Config) { c.Destinations.Google.MaxEventAgeDays = 541 }, []string{"destinations.google.max_event_age_days"}, "1 to 90"},
		{"age a day over the longest click window", func(c *Config) { c.Destinations.Google.MaxEventAgeDays = 91 }, []string{"destinations.google.max_event_age_days"}, "no Google conversion window is longer"},
		{"event source", func(c *Config) { c.Destinations.Google.EventSource = "STORE" }, []string{"destinations.google.event_source"}, "WEB"},
		{"event source OTHER", func(c *Config) { c.Destinations.Google.EventSource = "OTHER" }, nil, ""},
		{"gtag pasted as conversion action", func(c *Config) { c.Destinations.Google.ConversionActionID = "AW-123456/AbC" }, []string{"destinations.google.conversion_action_id"}, "numeric id"},
		{"retry budget", func(c *Config) { c.Destinations.Google.RetryBudgetMinutes = 0 }, []string{"destinations.google.retry_budget_minutes"}, "1 to 240"},
		{"rate over the quota", func(c *Config) { c.Destinations.Google.RequestsPerMinute = 301 }, []string{"destinations.google.requests_per_minute"}, "1 to 300"},
		{"concurrency", func(c *Config) { c.Destinations.Google.Concurrency = 0 }, []string{"destinations.google.concurrency"}, ""},
		{"timeout", func(c *Config) { c.Destinations.Google.TimeoutSeconds = 0 }, []string{"destinations.google.timeout_seconds"}, ""},
		{"sending checked even when disabled", func(c *Config) {
			c.Destinations.Google.Enabled, c.Destinations.Google.BatchSize = false, 0
		}, []string{"destinations.google.batch_size"}, ""},
		{"ad personalization", func(c *Config) { c.Destinations.Google.AdPersonalization = "yes" }, []string{"destinations.google.ad_personalization"}, "granted or denied"},
		{"health term in conversion name", func(c *Config) { c.Destinations.Google.ConversionName = "Implant consult" }, []string{"destinations.google.conversion_name"}, "health term"},
	})
}

func TestValidateDestinationMeta(t *testing.T) {
	meta := func(c *Config) error { return c.validateDestination(platform.Meta, c.PHIGuard()) }
	runSection(t, meta, []sectionCase{
		{"needs an identifier", func(c *Config) { c.Destinations.Meta.Identifiers = nil }, []string{"destinations.meta.identifiers"}, "meta needs at least one identifier"},
		// Meta's "Baseline Requirements for Matching" (M18): an event
		// whose only customer information is within ct+country+st+zp+…,
		// fn+ge or ln+ge is refused, so a list of only such fields makes
		// no valid event.
		{"city alone is too weak for Meta", func(c *Config) {
			c.Destinations.Meta.Identifiers, c.Input.Columns.City = []string{"city"}, "city"
		}, []string{"destinations.meta.identifiers"}, "too little for Meta"},
		{"the address without a name is too weak", func(c *Config) {
			c.Input.Columns.City, c.Input.Columns.State, c.Input.Columns.PostalCode, c.Input.Columns.Country = "ct", "st", "zp", "co"
			c.Destinations.Meta.Identifiers = []string{"city", "state", "postal_code", "country"}
		}, []string{"destinations.meta.identifiers"}, "postal_code, city, state and country alone"},
		{"a first name alone is too weak", func(c *Config) {
			c.Input.Columns.FirstName = "fn"
			c.Destinations.Meta.Identifiers = []string{"first_name"}
		}, []string{"destinations.meta.identifiers"}, "first_name alone"},
		{"a country with the fbclid may carry an fbc", func(c *Config) {
			c.Input.Columns.Country, c.Input.Columns.FBCLID = "co", "fbclid"
			c.Destinations.Meta.Identifiers = []string{"country"}
		}, nil, ""},
		{"both names together are fine (no address group)", func(c *Config) {
			c.Input.Columns.FirstName, c.Input.Columns.LastName = "fn", "ln"
			c.Destinations.Meta.Identifiers = []string{"first_name", "last_name"}
		}, nil, ""},
		{"a city beside the email is fine", func(c *Config) {
			c.Destinations.Meta.Identifiers, c.Input.Columns.City = []string{"email", "city"}, "city"
		}, nil, ""},
		{"batch over the limit", func(c *Config) { c.Destinations.Meta.BatchSize = 1001 }, []string{"destinations.meta.batch_size"}, "must be 1 to 1000"},
		{"age over the window", func(c *Config) { c.Destinations.Meta.MaxEventAgeDays = 63 }, []string{"destinations.meta.max_event_age_days"}, "1 to 60"},
		{"rate", func(c *Config) { c.Destinations.Meta.RequestsPerMinute = 6001 }, []string{"destinations.meta.requests_per_minute"}, "1 to 6000"},
		{"external id from the patient key", func(c *Config) {
			c.Input.Columns.PatientKey = "chart"
			c.Destinations.Meta.Identifiers = []string{"email", "external_id"}
		}, nil, ""},
		// Limited Data Use: country 1 or 0, state 1000 or 0 (M19).
		{"LDU California", func(c *Config) {
			c.Destinations.Meta.LimitedDataUse, c.Destinations.Meta.LDUCountry, c.Destinations.Meta.LDUState = true, 1, 1000
		}, nil, ""},
		{"LDU geolocated", func(c *Config) { c.Destinations.Meta.LimitedDataUse = true }, nil, ""},
		{"LDU country not the US", func(c *Config) { c.Destinations.Meta.LDUCountry = 886 }, []string{"destinations.meta.ldu_country"}, "1: the United States"},
		{"LDU state unknown", func(c *Config) {
			c.Destinations.Meta.LDUCountry, c.Destinations.Meta.LDUState = 1, 6
		}, []string{"destinations.meta.ldu_state"}, "1000: California"},
		{"LDU state without the country", func(c *Config) { c.Destinations.Meta.LDUState = 1000 }, []string{"destinations.meta.ldu_state"}, "needs destinations.meta.ldu_country 1"},
		{"external id without a patient key", func(c *Config) {
			c.Destinations.Meta.Identifiers = []string{"email", "external_id"}
		}, []string{"destinations.meta.identifiers"}, "external_id needs input.columns.patient_key"},
	})
}

// TestDefaultsFollowTheSpecs: the sending defaults are each Spec's, and
// every default passes its section.
func TestDefaultsFollowTheSpecs(t *testing.T) {
	c := Defaults()
	for _, p := range platform.All {
		s, spec := c.Sending(p), p.Spec()
		if s.BatchSize != spec.DefaultBatch || s.MaxEventAgeDays*24 != int(spec.DefaultEventAge.Hours()) ||
			s.RequestsPerMinute != spec.DefaultRequestsPerMinute || s.Concurrency != spec.DefaultConcurrency {
			t.Errorf("%s: defaults %+v differ from the Spec", p, s)
		}
	}
}

// TestValidateUpload checks the keys only a real upload needs.
func TestValidateUpload(t *testing.T) {
	c := valid()
	c.Destinations.Google.OperatingAccount = "123-456-789"
	got := keys(c.ValidateUpload())
	want := []string{"secret", "destinations.google.operating_account", "destinations.google.conversion_action_id", "destinations.meta.dataset_id"}
	if !slices.Equal(got, want) {
		t.Fatalf("keys %q, want %q", got, want)
	}
	c.Secret = "s"
	if got := keys(c.ValidateUpload()); !slices.Contains(got, "secret") {
		t.Errorf("a one-byte secret passes: %q", got)
	}
	c.Secret, c.Destinations.Google.OperatingAccount, c.Destinations.Google.ConversionActionID, c.Destinations.Meta.DatasetID = "k3J9_qLx2v8RwP0aZt7mYc4NhB6sDf1GeU5oVi", "123-456-7890", "42", "7"
	if err := c.ValidateUpload(); err != nil {
		t.Fatal(err)
	}
}

// TestPlainHTTPOnlyToLoopback: `config validate --upload` (and status)
// refuse an http:// endpoint to another host — tokens and hashed
// identifiers would cross the network in clear text — and accept https
// anywhere and http to loopback (the fakes, a local proxy).
func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	ok := []string{"https://datamanager.googleapis.com/", "https://graph.facebook.com", "http://127.0.0.1:8080/", "http://127.9.9.9/",
		"http://[::1]:9/", "http://localhost:1234", "http://LOCALHOST/", "http://[::ffff:127.0.0.1]/"}
	bad := []string{"http://graph.facebook.com", "http://10.0.0.5/", "http://192.168.1.1:80/", "http://[::2]/", "http://localhost.evil.example/",
		"http://127.0.0.1.nip.io/", "ftp://127.0.0.1/", "127.0.0.1:80", "//graph.facebook.com", "https://user:pw@graph.facebook.com", "", "http://0.0.0.0/"}
	for _, u := range ok {
		if p := EndpointProblem(u); p != "" {
			t.Errorf("EndpointProblem(%q) = %q", u, p)
		}
	}
	for _, u := range bad {
		if EndpointProblem(u) == "" {
			t.Errorf("EndpointProblem(%q) accepts it", u)
		}
	}
	c := valid()
	c.Secret, c.Destinations.Google.OperatingAccount, c.Destinations.Google.ConversionActionID, c.Destinations.Meta.DatasetID = "k3J9_qLx2v8RwP0aZt7mYc4NhB6sDf1GeU5oVi", "123-456-7890", "42", "7"
	c.Destinations.Google.Endpoint, c.Destinations.Meta.GraphURL = "http://datamanager.example.com/", "http://graph.example.com"
	got := keys(c.ValidateUpload())
	if want := []string{"destinations.google.endpoint", "destinations.meta.graph_url"}; !slices.Equal(got, want) {
		t.Errorf("keys %q, want %q", got, want)
	}
	if got := keys(c.ValidateStatus()); !slices.Equal(got, []string{"destinations.google.endpoint"}) {
		t.Errorf("status keys %q", got)
	}
}

// TestMetaPurchaseNeedsAValueToUpload: Meta rejects a Purchase without
// value and currency (100/2804010), so an upload refuses it at load,
// naming the keys and what to set; Google alone, or another event name,
// is fine.
func TestMetaPurchaseNeedsAValueToUpload(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(c *Config)
		want   bool
	}{
		{"meta purchase without value", func(c *Config) {}, true},
		{"google alone", func(c *Config) { c.Destinations.Meta.Enabled = false }, false},
		{"another event name", func(c *Config) { c.Conversion.EventName = "Schedule" }, false},
		{"fixed value", func(c *Config) {
			c.Conversion.Value, c.Conversion.FixedValue, c.Conversion.Currency = ValueFixed, 1, "TWD"
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			c.Secret = "k3J9_qLx2v8RwP0aZt7mYc4NhB6sDf1GeU5oVi"
			c.Destinations.Google.OperatingAccount, c.Destinations.Google.ConversionActionID = "1234567890", "1"
			c.Destinations.Meta.DatasetID = "1"
			c.Conversion.Value = ValueNone
			tc.mutate(c)
			if err := c.Validate(); err != nil {
				t.Fatalf("Validate: %v (a dry-run must still run)", err)
			}
			err := c.ValidateUpload()
			if got := keys(err); tc.want != slices.Equal(got, []string{"conversion.value"}) || !tc.want && err != nil {
				t.Fatalf("ValidateUpload: %v", err)
			}
			if tc.want {
				for _, s := range []string{"conversion.fixed_value", "conversion.currency", "conversion.event_name", "Meta"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("message does not say %q: %v", s, err)
					}
				}
			}
		})
	}
}

// TestFixedZoneIgnoresCase: where the file system ignores case (macOS),
// "est" loads as EST does, and must be refused as EST is (a review).
func TestFixedZoneIgnoresCase(t *testing.T) {
	for _, name := range []string{"est", "gmt", "etc/gmt+8", "FACTORY"} {
		if fixedZone(name) == "" {
			t.Errorf("%q is taken", name)
		}
	}
	for _, name := range []string{"Asia/Taipei", "UTC", "Etc/UTC", "EST5EDT", "Atlantic/Reykjavik"} {
		if why := fixedZone(name); why != "" {
			t.Errorf("%q is refused: %s", name, why)
		}
	}
}

// TestNotPatientIdentifiersValidated: input.not_patient_identifiers reads
// e-mails and phones under the config's region, and an entry it cannot
// read is named by key and index, never by its value (the clinic's, or
// a patient's pasted by mistake).
func TestNotPatientIdentifiersValidated(t *testing.T) {
	c := valid()
	c.Region = "TW"
	c.Input.NotPatientIdentifiers = []string{" NoEmail@Clinic.com ", "02-0000-0000", "0912-345-678 / 0912-111-222", "not-an-email@", "n/a"}
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, key := range []string{"input.not_patient_identifiers[2]", "input.not_patient_identifiers[3]", "input.not_patient_identifiers[4]"} {
		if !strings.Contains(msg, key) {
			t.Errorf("error %q does not name %s", msg, key)
		}
	}
	for _, leak := range []string{"[0]", "[1]", "0912", "not-an-email", "NoEmail"} {
		if strings.Contains(msg, leak) {
			t.Errorf("error %q holds %q", msg, leak)
		}
	}
	c.Input.NotPatientIdentifiers = c.Input.NotPatientIdentifiers[:2]
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	n, err := c.NotPatient()
	if err != nil || n.Len() != 2 || !n.Has(platform.Email, "noemail@clinic.com") || !n.Has(platform.Phone, "+886200000000") {
		t.Errorf("NotPatient: %d values, %v", n.Len(), err)
	}
}
