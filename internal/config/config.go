// Package config holds hashgate's typed configuration, its defaults and its
// validation. It knows nothing of viper or cobra: internal/cli loads the file,
// environment and flags into a Config and calls Validate. Every validation
// message names the dotted key it is about, so an analyst can find the line.
package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/phi"
)

// Config is the whole configuration. Field tags are the YAML keys.
type Config struct {
	// Timezone is the IANA zone applied to appointment times written without
	// an offset. Required as soon as one such time is read.
	Timezone string `mapstructure:"timezone"`
	// Region is the default phone region (ISO 3166-1 alpha-2).
	Region string `mapstructure:"region"`
	// Secret keys the HMAC that makes event ids. Also HASHGATE_SECRET.
	Secret       string       `mapstructure:"secret"`
	Input        Input        `mapstructure:"input"`
	Consent      Consent      `mapstructure:"consent"`
	Conversion   Conversion   `mapstructure:"conversion"`
	Destinations Destinations `mapstructure:"destinations"`
	Privacy      Privacy      `mapstructure:"privacy"`
	Ledger       Ledger       `mapstructure:"ledger"`
}

// Ledger configures the record of what each platform accepted.
type Ledger struct {
	// Path of the SQLite file; empty means $XDG_STATE_HOME/hashgate/ledger.db.
	Path string `mapstructure:"path"`
	// RetentionDays: entries older than this are deleted at the start of
	// every upload. Keep it longer than the platforms' windows (90 days for
	// Google clicks, 62 for Meta store events) so old rows are never resent.
	RetentionDays int `mapstructure:"retention_days"`
}

// Privacy extends the PHI guard's built-in health terms.
type Privacy struct {
	// DenyTerms are refused in anything sent or written besides hashes.
	DenyTerms []string `mapstructure:"deny_terms"`
	// AllowTerms are exact terms exempted from the guard (e.g. a clinic
	// whose brand contains "crown").
	AllowTerms []string `mapstructure:"allow_terms"`
}

// Input describes the clinic's export.
type Input struct {
	// Preset names a ready mapping in configs/presets (open-dental, openemr,
	// cliniko, tw-his, cn-clinic); keys set here override it.
	Preset  string  `mapstructure:"preset"`
	Columns Columns `mapstructure:"columns"`
	// Encoding: auto (BOM, then UTF-8, then Big5 or GB18030 by evidence),
	// utf-8, utf-16, big5, gbk or gb18030.
	Encoding string `mapstructure:"encoding"`
	// Delimiter: empty detects comma, semicolon, tab or pipe from the header
	// line; otherwise one of ",", ";", "tab", "|".
	Delimiter string `mapstructure:"delimiter"`
	// HeaderRow is the 1-based line of the header; 0 finds it by the
	// configured header names among the first 50 lines.
	HeaderRow int `mapstructure:"header_row"`
	// SkipFooterLines drops that many records at the end (totals, 合計).
	SkipFooterLines int `mapstructure:"skip_footer_lines"`
	// TimeFormats are Go time layouts tried first; empty means the defaults.
	// The clinic forms (ROC, 年月日, 上午/下午, …) are tried after them.
	TimeFormats []string `mapstructure:"time_formats"`
	// DateOrder (ymd, mdy or dmy) reads 5/8/2024 and 06/08/24; without it
	// such dates stop the run rather than being guessed.
	DateOrder string `mapstructure:"date_order"`
	// Calendar: gregorian (default) or roc. ROC three-digit years, 民國 and
	// seven-digit dates are read either way; roc also reads two-digit ROC
	// years (77/11/28) and six-digit dates (771128).
	Calendar string `mapstructure:"calendar"`
	// DefaultYear completes dates printed without a year (5月27日).
	DefaultYear int `mapstructure:"default_year"`
	// ExcelDates reads five-digit Excel serial dates: 1900 (Windows) or
	// 1904 (old Mac workbooks); empty refuses them.
	ExcelDates string `mapstructure:"excel_dates"`
	// DecimalComma reads fees written 1.250,00 (European locales).
	DecimalComma bool `mapstructure:"decimal_comma"`
}

// Columns maps canonical fields to the export's header names. OrderID,
// Email and Phone take a list: several order-id columns are joined into one
// key; several email or phone columns are all identifiers of the same person.
type Columns struct {
	OrderID         []string `mapstructure:"order_id"`
	AppointmentAt   string   `mapstructure:"appointment_at"`
	AppointmentDate string   `mapstructure:"appointment_date"`
	AppointmentTime string   `mapstructure:"appointment_time"`
	Status          string   `mapstructure:"status"`
	Email           []string `mapstructure:"email"`
	Phone           []string `mapstructure:"phone"`
	FirstName       string   `mapstructure:"first_name"`
	LastName        string   `mapstructure:"last_name"`
	PostalCode      string   `mapstructure:"postal_code"`
	City            string   `mapstructure:"city"`
	State           string   `mapstructure:"state"`
	Country         string   `mapstructure:"country"`
	Value           string   `mapstructure:"value"`
	Currency        string   `mapstructure:"currency"`
	GCLID           string   `mapstructure:"gclid"`
	GBRAID          string   `mapstructure:"gbraid"`
	WBRAID          string   `mapstructure:"wbraid"`
	Consent         string   `mapstructure:"consent"`
	ConsentAt       string   `mapstructure:"consent_at"`
	// ConsentGoogle and ConsentMeta, when set, replace Consent for that
	// destination: some clinics record the two consents separately.
	ConsentGoogle string `mapstructure:"consent_google"`
	ConsentMeta   string `mapstructure:"consent_meta"`
	// PatientKey identifies the patient (e.g. chart number) so the
	// revocations file can name a patient rather than each appointment.
	PatientKey string `mapstructure:"patient_key"`
	// AdPersonalization holds the patient's ad-personalisation consent for
	// Google; granted values are those of consent.granted.
	AdPersonalization string `mapstructure:"ad_personalization"`
}

// Consent is the consent gate's policy. It is default-deny: only the listed
// values mean yes.
type Consent struct {
	Granted []string `mapstructure:"granted"`
	// Denied, Revoked and Scoped add to the built-in vocabularies; they only
	// change the reason a row is excluded with, never whether.
	Denied           []string `mapstructure:"denied"`
	Revoked          []string `mapstructure:"revoked"`
	Scoped           []string `mapstructure:"scoped"`
	RequireTimestamp bool     `mapstructure:"require_timestamp"`
	// RevokedAllowsEarlier lets a dated revocation exclude only appointments
	// from that date on. Off: a revocation excludes every conversion.
	RevokedAllowsEarlier bool `mapstructure:"revoked_allows_earlier"`
	// RevocationsFile lists order ids, patient keys or event ids (one per
	// line) whose consent was withdrawn; honoured on every run.
	RevocationsFile string `mapstructure:"revocations_file"`
}

// Conversion says which rows are conversions and what they are worth.
type Conversion struct {
	Statuses  []string `mapstructure:"statuses"`
	EventName string   `mapstructure:"event_name"`
	Currency  string   `mapstructure:"currency"`
	Value     string   `mapstructure:"value"`
	// ValueBuckets are ascending edges for value: bucket; a fee is sent as
	// the highest edge not above it (0 below the first).
	ValueBuckets []float64 `mapstructure:"value_buckets"`
	// FixedValue is sent for every conversion under value: fixed.
	FixedValue float64 `mapstructure:"fixed_value"`
}

// Value policies. An exact price can reveal the procedure (NT$68,000 is
// an implant), so bucket, fixed and none exist.
const (
	ValueActual = "actual"
	ValueBucket = "bucket"
	ValueFixed  = "fixed"
	ValueNone   = "none"
)

// Destinations configures each platform.
type Destinations struct {
	Google Google `mapstructure:"google"`
	Meta   Meta   `mapstructure:"meta"`
}

// Sending tunes how a destination uploads.
type Sending struct {
	BatchSize         int `mapstructure:"batch_size"`
	MaxEventAgeDays   int `mapstructure:"max_event_age_days"`
	RequestsPerMinute int `mapstructure:"requests_per_minute"`
	Concurrency       int `mapstructure:"concurrency"`
	TimeoutSeconds    int `mapstructure:"timeout_seconds"`
}

// Google adds Google's own settings to a Destination.
type Google struct {
	Destination `mapstructure:",squash"`
	Sending     `mapstructure:",squash"`
	// AdPersonalization is the adPersonalization consent sent when the
	// export has no ad_personalization column: granted or denied (default).
	AdPersonalization string `mapstructure:"ad_personalization"`
	// Endpoint overrides the Data Manager API root (tests, proxies).
	Endpoint string `mapstructure:"endpoint"`
	// CredentialsFile is a service-account key; empty means Application
	// Default Credentials, or the token stored by `hashgate auth google`.
	CredentialsFile string `mapstructure:"credentials_file"`
	// OperatingAccount is the Google Ads customer id (dashes allowed).
	OperatingAccount string `mapstructure:"operating_account"`
	// LoginAccount is the manager account, when access goes through one.
	LoginAccount string `mapstructure:"login_account"`
	// ConversionActionID is the offline (UPLOAD_CLICKS) conversion action,
	// sent as productDestinationId.
	ConversionActionID string `mapstructure:"conversion_action_id"`
	// ValidateOnly asks Google to validate without ingesting.
	ValidateOnly bool `mapstructure:"validate_only"`
	// ConversionName is the conversion action's name, which the
	// google-ads-csv file uses instead of its id. Checked by the PHI guard.
	ConversionName string `mapstructure:"conversion_name"`
}

// Meta adds Meta's own settings to a Destination. The access token is never
// read from here: HASHGATE_META_ACCESS_TOKEN or AccessTokenFile only.
type Meta struct {
	Destination     `mapstructure:",squash"`
	Sending         `mapstructure:",squash"`
	GraphURL        string `mapstructure:"graph_url"`
	APIVersion      string `mapstructure:"api_version"`
	DatasetID       string `mapstructure:"dataset_id"`
	AccessTokenFile string `mapstructure:"access_token_file"`
	AppSecretFile   string `mapstructure:"app_secret_file"`
	TestEventCode   string `mapstructure:"test_event_code"`
	// LimitedDataUse sends data_processing_options ["LDU"] (US state
	// privacy laws) with LDUCountry and LDUState (0, 0: Meta geolocates).
	LimitedDataUse bool `mapstructure:"limited_data_use"`
	LDUCountry     int  `mapstructure:"ldu_country"`
	LDUState       int  `mapstructure:"ldu_state"`
}

// Destination is one platform's switch and data-minimisation list.
type Destination struct {
	Enabled     bool     `mapstructure:"enabled"`
	Identifiers []string `mapstructure:"identifiers"`
}

// Defaults returns the configuration every file starts from.
func Defaults() Config {
	return Config{
		Input:  Input{Encoding: "auto", Calendar: "gregorian"},
		Ledger: Ledger{RetentionDays: 400},
		Conversion: Conversion{
			Statuses:  []string{"completed"},
			EventName: "Purchase",
			Value:     ValueNone, // no price leaves unless the clinic chooses one
		},
		Destinations: Destinations{
			Google: Google{
				Destination:       Destination{Identifiers: []string{"email", "phone"}},
				Sending:           Sending{BatchSize: 2000, MaxEventAgeDays: 90, RequestsPerMinute: 250, Concurrency: 4, TimeoutSeconds: 120},
				AdPersonalization: "denied",
				Endpoint:          "https://datamanager.googleapis.com/",
			},
			Meta: Meta{
				Destination: Destination{Identifiers: []string{"email", "phone"}},
				Sending:     Sending{BatchSize: 1000, MaxEventAgeDays: 62, RequestsPerMinute: 120, Concurrency: 2, TimeoutSeconds: 60},
				GraphURL:    "https://graph.facebook.com",
				APIVersion:  "v25.0",
			},
		},
	}
}

// Error is one invalid key.
type Error struct {
	Key     string
	Problem string
}

func (e *Error) Error() string { return e.Key + ": " + e.Problem }

// Validate checks the whole configuration and returns every problem at once
// (joined *Error values), so a user fixes a file in one pass.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	if c.Timezone != "" {
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			bad("timezone", "unknown IANA time zone %q (e.g. Asia/Taipei)", c.Timezone)
		}
	}
	if c.Region != "" {
		if r, err := language.ParseRegion(c.Region); err != nil || !r.IsCountry() || len(c.Region) != 2 {
			bad("region", "%q is not an ISO 3166-1 alpha-2 code (e.g. TW)", c.Region)
		}
	}
	col := c.Input.Columns
	if len(nonEmpty(col.OrderID)) == 0 {
		bad("input.columns.order_id", "required: the header(s) that identify one appointment")
	}
	switch {
	case col.AppointmentAt == "" && col.AppointmentDate == "":
		bad("input.columns.appointment_at", "required (or input.columns.appointment_date)")
	case col.AppointmentAt != "" && (col.AppointmentDate != "" || col.AppointmentTime != ""):
		bad("input.columns.appointment_at", "set either appointment_at or appointment_date (+ appointment_time), not both")
	case col.AppointmentTime != "" && col.AppointmentDate == "":
		bad("input.columns.appointment_time", "needs input.columns.appointment_date")
	}
	if col.Consent == "" && !(c.ownConsent(identifier.Google) && c.ownConsent(identifier.Meta)) {
		bad("input.columns.consent", "required (unless every enabled destination has its own consent_google/consent_meta column): consent is default-deny, so hashgate must read it")
	}
	in := c.Input
	if in.HeaderRow < 0 {
		bad("input.header_row", "must be 0 (find it) or a line number, got %d", in.HeaderRow)
	}
	if in.SkipFooterLines < 0 {
		bad("input.skip_footer_lines", "must be 0 or more, got %d", in.SkipFooterLines)
	}
	if !slices.Contains(export.Encodings, in.Encoding) {
		bad("input.encoding", "must be one of %s, got %q", strings.Join(export.Encodings, ", "), in.Encoding)
	}
	if _, ok := Delimiter(in.Delimiter); !ok {
		bad("input.delimiter", "must be empty (detect), \",\", \";\", \"tab\" or \"|\", got %q", in.Delimiter)
	}
	switch in.DateOrder {
	case "", "ymd", "mdy", "dmy":
	default:
		bad("input.date_order", "must be ymd, mdy or dmy, got %q", in.DateOrder)
	}
	switch in.Calendar {
	case "", "gregorian", "roc":
	default:
		bad("input.calendar", "must be gregorian or roc, got %q", in.Calendar)
	}
	if in.DefaultYear != 0 && (in.DefaultYear < 1990 || in.DefaultYear > 2200) {
		bad("input.default_year", "must be a four-digit year, got %d", in.DefaultYear)
	}
	switch in.ExcelDates {
	case "", "1900", "1904":
	default:
		bad("input.excel_dates", "must be 1900 or 1904 (or empty to refuse serial dates), got %q", in.ExcelDates)
	}
	for i, layout := range c.Input.TimeFormats {
		if strings.TrimSpace(layout) == "" || !strings.ContainsAny(layout, "0126") {
			bad(fmt.Sprintf("input.time_formats[%d]", i), "%q is not a Go time layout (e.g. \"2006-01-02 15:04\")", layout)
		}
	}
	if len(nonEmpty(c.Consent.Granted)) == 0 {
		bad("consent.granted", "required: list the values that mean the patient agreed (e.g. [\"yes\"])")
	}
	if c.Consent.RequireTimestamp && col.ConsentAt == "" {
		bad("consent.require_timestamp", "needs input.columns.consent_at")
	}
	if col.Status != "" && len(nonEmpty(c.Conversion.Statuses)) == 0 {
		bad("conversion.statuses", "required when input.columns.status is set")
	}
	if strings.TrimSpace(c.Conversion.EventName) == "" {
		bad("conversion.event_name", "must not be empty")
	}
	switch v := c.Conversion.Value; v {
	case ValueActual, ValueBucket:
		if col.Value == "" {
			bad("conversion.value", "is %q but input.columns.value is not set (use fixed or none)", v)
		}
		if v == ValueBucket {
			b := c.Conversion.ValueBuckets
			if len(b) == 0 {
				bad("conversion.value_buckets", "required when conversion.value is bucket (ascending edges, e.g. [1000, 5000, 20000])")
			}
			for i := range b {
				if b[i] < 0 || i > 0 && b[i] <= b[i-1] {
					bad("conversion.value_buckets", "edges must be non-negative and strictly ascending")
					break
				}
			}
		}
	case ValueFixed:
		if c.Conversion.FixedValue <= 0 {
			bad("conversion.fixed_value", "must be more than 0 when conversion.value is fixed")
		}
	case ValueNone:
	default:
		bad("conversion.value", "must be actual, bucket, fixed or none, got %q", v)
	}
	if c.Conversion.Value != ValueNone && col.Currency == "" && c.Conversion.Currency == "" {
		bad("conversion.currency", "required when conversion.value is not none and input.columns.currency is not set")
	}
	switch c.Destinations.Google.AdPersonalization {
	case "granted", "denied":
	default:
		bad("destinations.google.ad_personalization", "must be granted or denied, got %q", c.Destinations.Google.AdPersonalization)
	}
	guard := c.PHIGuard() // built once: it folds a few hundred terms
	if term, ok := guard.Find(c.Destinations.Google.ConversionName); ok {
		bad("destinations.google.conversion_name", "contains the health term %q, which must never leave as a conversion name (add it to privacy.allow_terms only if it is not health-related here)", term)
	}
	if term, ok := guard.Find(c.Conversion.EventName); ok {
		bad("conversion.event_name", "contains the health term %q, which must never leave as an event name (choose a neutral name such as Purchase; if the term is not health-related here, add it to privacy.allow_terms)", term)
	}
	if c.Conversion.Currency != "" {
		if _, err := currency.ParseISO(c.Conversion.Currency); err != nil || len(c.Conversion.Currency) != 3 {
			bad("conversion.currency", "%q is not an ISO 4217 code (e.g. TWD)", c.Conversion.Currency)
		}
	}
	if c.Ledger.RetentionDays < 100 {
		bad("ledger.retention_days", "must be at least 100 (longer than the platforms' 90- and 62-day windows, or old conversions could be sent again), got %d", c.Ledger.RetentionDays)
	}
	if !c.Destinations.Google.Enabled && !c.Destinations.Meta.Enabled {
		bad("destinations", "enable at least one of destinations.google.enabled, destinations.meta.enabled")
	}
	for _, p := range identifier.Platforms {
		d := c.Destination(p)
		if !d.Enabled {
			continue
		}
		key := "destinations." + p.String() + ".identifiers"
		if len(d.Identifiers) == 0 && p == identifier.Meta {
			bad(key, "meta needs at least one identifier")
		}
		seen := map[string]bool{}
		for _, name := range d.Identifiers {
			f, err := identifier.ParseField(name)
			switch {
			case err != nil || f == identifier.ExternalID:
				bad(key, "unknown identifier %q (want email, phone, first_name, last_name, postal_code, city, state, country)", name)
			case !p.Supports(f):
				bad(key, "%s does not take %s for offline conversions", p, name)
			case seen[name]:
				bad(key, "%s listed twice", name)
			case c.column(f) == "":
				bad(key, "%s needs input.columns.%s", name, name)
			}
			seen[name] = true
		}
	}
	for _, lim := range []struct {
		name                string
		s                   Sending
		batch, age, rpm, cc int
	}{
		{"google", c.Destinations.Google.Sending, 2000, 540, 300, 10},
		{"meta", c.Destinations.Meta.Sending, 1000, 62, 6000, 10},
	} {
		key := "destinations." + lim.name + "."
		if lim.s.BatchSize < 1 || lim.s.BatchSize > lim.batch {
			bad(key+"batch_size", "must be 1 to %d (the platform's limit), got %d", lim.batch, lim.s.BatchSize)
		}
		if lim.s.MaxEventAgeDays < 1 || lim.s.MaxEventAgeDays > lim.age {
			bad(key+"max_event_age_days", "must be 1 to %d, got %d", lim.age, lim.s.MaxEventAgeDays)
		}
		if lim.s.RequestsPerMinute < 1 || lim.s.RequestsPerMinute > lim.rpm {
			bad(key+"requests_per_minute", "must be 1 to %d, got %d", lim.rpm, lim.s.RequestsPerMinute)
		}
		if lim.s.Concurrency < 1 || lim.s.Concurrency > lim.cc {
			bad(key+"concurrency", "must be 1 to %d, got %d", lim.cc, lim.s.Concurrency)
		}
		if lim.s.TimeoutSeconds < 1 {
			bad(key+"timeout_seconds", "must be at least 1, got %d", lim.s.TimeoutSeconds)
		}
	}
	if g := c.Destinations.Google; g.Enabled {
		n := 0
		for _, name := range g.Identifiers {
			switch name {
			case "first_name", "last_name", "postal_code", "country":
				n++
			}
		}
		if n > 0 && n < 4 {
			bad("destinations.google.identifiers", "first_name, last_name, postal_code and country go to Google only together (its AddressInfo requires all four)")
		}
	}
	return errors.Join(errs...)
}

// Delimiter reads input.delimiter: 0 means detect.
func Delimiter(s string) (rune, bool) {
	switch s {
	case "":
		return 0, true
	case ",", ";", "|":
		return rune(s[0]), true
	case "tab", "\t", "\\t":
		return '\t', true
	}
	return 0, false
}

// Destination returns the block for platform p.
func (c *Config) Destination(p identifier.Platform) Destination {
	if p == identifier.Google {
		return c.Destinations.Google.Destination
	}
	return c.Destinations.Meta.Destination
}

// Sending returns the upload settings of platform p.
func (c *Config) Sending(p identifier.Platform) Sending {
	if p == identifier.Google {
		return c.Destinations.Google.Sending
	}
	return c.Destinations.Meta.Sending
}

// ValidateUpload checks what a real upload needs beyond Validate: a secret
// for event ids and each enabled platform's account settings. Dry-runs need
// none of it.
func (c *Config) ValidateUpload() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	if c.Secret == "" {
		bad("secret", "required for uploads (set HASHGATE_SECRET): event ids made with the public demo key are guessable, and changing the key later would count every conversion again")
	}
	if g := c.Destinations.Google; g.Enabled {
		if id := GoogleCustomerID(g.OperatingAccount); len(id) != 10 {
			bad("destinations.google.operating_account", "required: the 10-digit Google Ads customer id (dashes allowed)")
		}
		if g.LoginAccount != "" && len(GoogleCustomerID(g.LoginAccount)) != 10 {
			bad("destinations.google.login_account", "must be a 10-digit Google Ads customer id (dashes allowed)")
		}
		if g.ConversionActionID == "" || strings.Trim(g.ConversionActionID, "0123456789") != "" {
			bad("destinations.google.conversion_action_id", "required: the numeric id of the offline conversion action")
		}
	}
	if m := c.Destinations.Meta; m.Enabled {
		if m.DatasetID == "" || strings.Trim(m.DatasetID, "0123456789") != "" {
			bad("destinations.meta.dataset_id", "required: the numeric id of the Meta dataset")
		}
		if m.APIVersion == "" || !strings.HasPrefix(m.APIVersion, "v") {
			bad("destinations.meta.api_version", "must look like v25.0, got %q", m.APIVersion)
		}
	}
	return errors.Join(errs...)
}

// GoogleCustomerID strips the dashes of "123-456-7890"; anything but digits
// is kept so validation can refuse it.
func GoogleCustomerID(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "-", "")
}

// ConsentColumn returns the header of platform p's consent column.
func (c *Config) ConsentColumn(p identifier.Platform) string {
	if p == identifier.Google && c.Input.Columns.ConsentGoogle != "" {
		return c.Input.Columns.ConsentGoogle
	}
	if p == identifier.Meta && c.Input.Columns.ConsentMeta != "" {
		return c.Input.Columns.ConsentMeta
	}
	return c.Input.Columns.Consent
}

// ownConsent: p is disabled or has its own consent column.
func (c *Config) ownConsent(p identifier.Platform) bool {
	if !c.Destination(p).Enabled {
		return true
	}
	if p == identifier.Google {
		return c.Input.Columns.ConsentGoogle != ""
	}
	return c.Input.Columns.ConsentMeta != ""
}

// PHIGuard returns the health-term guard this config asks for.
func (c *Config) PHIGuard() *phi.Guard {
	return phi.New(c.Privacy.DenyTerms, c.Privacy.AllowTerms)
}

// Enabled lists the enabled platforms in output order.
func (c *Config) Enabled() []identifier.Platform {
	var ps []identifier.Platform
	for _, p := range identifier.Platforms {
		if c.Destination(p).Enabled {
			ps = append(ps, p)
		}
	}
	return ps
}

// IdentifierFields returns the fields platform p receives, in output order.
// Call it only on a validated Config.
func (c *Config) IdentifierFields(p identifier.Platform) []identifier.Field {
	var fs []identifier.Field
	for _, f := range identifier.Fields {
		if slices.Contains(c.Destination(p).Identifiers, f.String()) {
			fs = append(fs, f)
		}
	}
	return fs
}

// Location returns the configured zone, or nil when none is set. Call it
// only on a validated Config.
func (c *Config) Location() *time.Location {
	if c.Timezone == "" {
		return nil
	}
	loc, _ := time.LoadLocation(c.Timezone)
	return loc
}

func (c *Config) column(f identifier.Field) string {
	col := c.Input.Columns
	switch f {
	case identifier.Email:
		return strings.Join(nonEmpty(col.Email), ",")
	case identifier.Phone:
		return strings.Join(nonEmpty(col.Phone), ",")
	case identifier.FirstName:
		return col.FirstName
	case identifier.LastName:
		return col.LastName
	case identifier.PostalCode:
		return col.PostalCode
	case identifier.City:
		return col.City
	case identifier.State:
		return col.State
	case identifier.Country:
		return col.Country
	}
	return ""
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}
