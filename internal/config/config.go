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

	"github.com/hashgate/hashgate/internal/phi"
	"github.com/hashgate/hashgate/internal/platform"
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
	Channels     Channels     `mapstructure:"channels"`
	Spend        Spend        `mapstructure:"spend"`
}

// Ledger configures the record of what each platform accepted.
type Ledger struct {
	// Path of the SQLite file; empty means $XDG_STATE_HOME/hashgate/ledger.db.
	Path string `mapstructure:"path"`
	// RetentionDays: entries older than this are deleted at the start of
	// every upload. Keep it longer than the platforms' windows (90 days for
	// Google clicks, 62 for Meta store events) so old rows are never resent.
	RetentionDays int `mapstructure:"retention_days"`
	// ReconcileSeconds bounds how long an upload spends first reading the
	// platforms' processing verdicts on earlier runs (the morning report);
	// 0 skips it (`hashgate status` still does it).
	ReconcileSeconds int `mapstructure:"reconcile_seconds"`
	// SharedDestinations states that this config uploads, on purpose, to
	// destinations another config file on the same ledger uploads to (one
	// clinic's two configs over one export): the ledger then records it
	// beside the other without the nightly warning meant for a config
	// copied from another clinic with its account ids unchanged. Before
	// it, only --accept-new-ids silenced that warning, and it passed every
	// other stop of that night as well (the day's diff review). Left out of
	// the run's config digest while false, as EveryRowIsAVisit, so a config
	// that never sets it keeps the digest it had (report config_sha256;
	// TestSettleGolden caught the digest moving).
	SharedDestinations bool `mapstructure:"shared_destinations" json:",omitempty"`
}

// Privacy extends the PHI guard's built-in health terms, and holds the
// explicit opt-ins to what the defaults keep from the platforms.
type Privacy struct {
	// DenyTerms are refused in anything sent or written besides hashes.
	DenyTerms []string `mapstructure:"deny_terms"`
	// AllowTerms are exact terms exempted from the guard (e.g. a clinic
	// whose brand contains "crown").
	AllowTerms []string `mapstructure:"allow_terms"`
	// AllowActualValue is the clinic's explicit choice to send each
	// visit's exact fee under conversion.value: actual. A fee names the
	// treatment (NT$68,000 is an implant; shared/docs/clinic-exports.md
	// c.7: "amounts that reveal the procedure" must never leave), so an
	// upload and `hashgate write` refuse actual without it (ActualValue);
	// a dry-run and config validate warn (Notices). Left out of the run's
	// config digest while false, as EveryRowIsAVisit, so a config that
	// never sets it keeps the digest it had (report config_sha256).
	AllowActualValue bool `mapstructure:"allow_actual_value" json:",omitempty"`
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
	// MaxRecordBytes bounds one record of the export; a larger one is
	// refused as a row (record_too_large), so memory stays flat whatever a
	// cell holds. 0 means 1 MiB.
	MaxRecordBytes int `mapstructure:"max_record_bytes"`
	// MaxUnreadableDateShare is the share of dated rows to be sent whose
	// dates need input.default_year or input.date_order, or are
	// invalid_time, beyond which the run stops (before anything is sent);
	// below it those rows are excluded with their own reason. 0 means 0.2;
	// 1 never stops for the share.
	MaxUnreadableDateShare float64 `mapstructure:"max_unreadable_date_share"`
	// MaxUnreadableValueShare is the share of fee cells holding a number
	// (rows whose fee conversion.value reads: actual or bucket) that may
	// not read (value_not_a_number) before the run stops, before anything
	// is sent: a fee column re-saved as "(1,200)" or "1.20E+03" sent every
	// visit to Google without a value. 0 means 0.2; 1 never stops.
	// Omitted from the config digest while unset.
	MaxUnreadableValueShare float64 `mapstructure:"max_unreadable_value_share" json:",omitempty"`
	// AllowEmpty accepts an export with a header and no data rows. Off, such
	// an export fails the run (exit 1): a nightly export that is suddenly
	// empty usually means the clinic system's export broke, and a run that
	// says "0 rows read" with exit 0 would never alert.
	AllowEmpty bool `mapstructure:"allow_empty"`
	// ClinicValues are the values of input.columns.clinic that mean this
	// config's clinic; OtherClinicRows says what becomes of a row naming
	// another (clinic.go). Left out of the config digest while unset.
	ClinicValues    []string `mapstructure:"clinic_values" json:",omitempty"`
	OtherClinicRows string   `mapstructure:"other_clinic_rows" json:",omitempty"`
	// NotPatientIdentifiers are e-mail addresses and phone numbers that
	// name no patient: the clinic's own, and the placeholders its front
	// desk types (noemail@clinic.com, 0912-000-000). A row's e-mail or
	// phone equal to one (identifier.Canonical under Region) is no value:
	// never hashed, sent, nor a withdrawal's identifier (notpatient.go).
	// Left out of the config digest while unset.
	NotPatientIdentifiers []string `mapstructure:"not_patient_identifiers" json:",omitempty"`
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
	// BookedAt is when the booking was made (`hashgate channels` only):
	// bookings are then also dated when made, for the booking rate against
	// the same days' clicks and the lead time from booking to appointment.
	BookedAt string `mapstructure:"booked_at"`
	// ConsentGoogle and ConsentMeta, when set, replace Consent for that
	// destination: some clinics record the two consents separately.
	ConsentGoogle string `mapstructure:"consent_google"`
	ConsentMeta   string `mapstructure:"consent_meta"`
	// PatientKey identifies the patient (e.g. chart number) so the
	// revocations file can name a patient rather than each appointment.
	PatientKey string `mapstructure:"patient_key"`
	// AdPersonalization was the patient's ad-personalisation consent for
	// Google. Accepted so that old configs load, never read: Google
	// conversions carry adUserData only; setting it prints a notice.
	AdPersonalization string `mapstructure:"ad_personalization"`
	// Source says how the patient found the clinic (來源, 渠道, utm_source,
	// "referred by"); `hashgate channels` attributes appointments by it.
	Source string `mapstructure:"source"`
	// FBCLID is Meta's click id; a row with one belongs to the meta channel.
	FBCLID string `mapstructure:"fbclid"`
	// BirthDate is the patient's date of birth, read for the age rule
	// (consent.min_age) and never for anything else: no identifier, key
	// or output holds it (patient.go). ConsentExpiresAt is when the
	// consent ends (a HIPAA authorization's expiration date). Left out of
	// the config digest while unset, as every key added since is.
	BirthDate        string `mapstructure:"birth_date" json:",omitempty"`
	ConsentExpiresAt string `mapstructure:"consent_expires_at" json:",omitempty"`
	// Clinic names the clinic, branch or location each row belongs to
	// (Open Dental's appointment.ClinicNum), judged against
	// input.clinic_values so that another clinic's export is never sent
	// under this config (clinic.go).
	Clinic string `mapstructure:"clinic" json:",omitempty"`
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
	// line) whose consent was withdrawn; honoured on every run. Consent
	// belongs to a person: a listed id withdraws every visit of the
	// patient of the row it matches (input.columns.patient_key), as a
	// revoking consent cell does, and an upload remembers the patient.
	// Ids compare folded (consent.Key: invisible characters, widths,
	// case, an all-digit id's leading zeros); a line that cannot be one
	// id stops the run (exit 2, file:line:column).
	RevocationsFile string `mapstructure:"revocations_file"`
	// MinAge excludes a patient younger than it on the appointment's day
	// (minor); 0 is consent.DefaultMinAge, 18. RequireBirthDate excludes
	// a row without a birth date (birth_date_missing). See patient.go.
	MinAge           int  `mapstructure:"min_age" json:",omitempty"`
	RequireBirthDate bool `mapstructure:"require_birth_date" json:",omitempty"`
	// PIPLSeparateConsents is a mainland clinic's statement that the
	// consent column records the separate consents PIPL asks before a
	// visit may reach Google or Meta, and that a transfer mechanism is in
	// place (pipl.go). Uploads and `hashgate write` from a mainland config
	// refuse to send without it. Left out of the run's config digest while
	// false, as privacy.allow_actual_value, so existing configs keep theirs.
	PIPLSeparateConsents bool `mapstructure:"pipl_separate_consents" json:",omitempty"`
}

// Conversion says which rows are conversions and what they are worth.
type Conversion struct {
	Statuses []string `mapstructure:"statuses"`
	// EveryRowIsAVisit answers config init's status question for an
	// export without a status column (an arrivals list): every row is a
	// visit. It changes nothing a run does — a config without a status
	// column always counted every row — but says a person decided it,
	// where an open question (Unanswered) refuses to run. Left out of the
	// run's config digest while false, so a config that never sets it
	// keeps the digest it had (report config_sha256, the ledger's runs).
	EveryRowIsAVisit bool `mapstructure:"every_row_is_a_visit" json:",omitempty"`
	// NoShowStatuses and CancelledStatuses are the status values of
	// appointments the patient missed or called off. Only the channel
	// report reads them: its show rate is visits ÷ (visits + no-shows),
	// the front desk's 到診率. A status in two lists is an error.
	NoShowStatuses    []string `mapstructure:"no_show_statuses"`
	CancelledStatuses []string `mapstructure:"cancelled_statuses"`
	EventName         string   `mapstructure:"event_name"`
	Currency          string   `mapstructure:"currency"`
	Value             string   `mapstructure:"value"`
	// ValueBuckets are ascending edges for value: bucket; a fee is sent as
	// the highest edge not above it (0 below the first).
	ValueBuckets []float64 `mapstructure:"value_buckets"`
	// FixedValue is sent for every conversion under value: fixed.
	FixedValue float64 `mapstructure:"fixed_value"`
	// Bookings sends each booking as a second conversion (bookings.go).
	Bookings Bookings `mapstructure:"bookings"`
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
	// Registered holds the blocks of platforms added in code
	// (platform.Register) that the file schema has no destinations.<name>
	// block for yet: set by AddDestination, never read from a file.
	Registered map[platform.Platform]*Registered `mapstructure:"-"`
}

// Sending tunes how a destination uploads.
type Sending struct {
	BatchSize         int `mapstructure:"batch_size"`
	MaxEventAgeDays   int `mapstructure:"max_event_age_days"`
	RequestsPerMinute int `mapstructure:"requests_per_minute"`
	Concurrency       int `mapstructure:"concurrency"`
	TimeoutSeconds    int `mapstructure:"timeout_seconds"`
	// RetryBudgetMinutes bounds the time one run spends retrying the
	// destination (backoff waits and failed attempts together); what is
	// left is "not sent" and the next run sends it.
	RetryBudgetMinutes int `mapstructure:"retry_budget_minutes"`
}

// Google adds Google's own settings to a Destination.
type Google struct {
	Destination `mapstructure:",squash"`
	Sending     `mapstructure:",squash"`
	// AdPersonalization is accepted (granted or denied) so that old configs
	// load, and ignored: Google conversions carry adUserData only
	// (platform.GoogleAdPersonalizationNote); setting it prints a notice.
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
	// BookingConversionActionID is the conversion action bookings go to
	// when conversion.bookings is enabled: another offline (UPLOAD_CLICKS)
	// action, so bidding and reports keep bookings and visits apart.
	BookingConversionActionID string `mapstructure:"booking_conversion_action_id"`
	// ValidateOnly asks Google to validate without ingesting; nothing is
	// recorded as accepted. `hashgate upload --validate` does the same for
	// every destination.
	ValidateOnly bool `mapstructure:"validate_only"`
	// EventSource is sent as every event's eventSource: WEB (the default,
	// what Google's samples send to an UPLOAD_CLICKS action), IN_STORE,
	// OTHER, APP, PHONE or MESSAGE (platform.Spec.EventSources).
	EventSource string `mapstructure:"event_source"`
	// ConversionName is the conversion action's name, which the
	// google-ads-csv file uses instead of its id. Checked by the PHI guard.
	ConversionName string `mapstructure:"conversion_name"`
	// Restate sends an already ingested visit again when the value the
	// value policy gives it changed (a corrected fee, a refund to 0):
	// Google's conversion adjustment by transactionId (platform.Spec
	// Restatement; README "When a visit changes after upload").
	Restate bool `mapstructure:"restate"`
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
	// SendZeroValue sends a Purchase worth 0 (a free first consultation)
	// instead of holding it back as purchase_value_zero. Conversions API's
	// docs require a value for Purchase; they do not say 0 is refused (the
	// refusal was the retired offline uploader's). Off by default until a
	// clinic has seen Meta take one (README: what to check after the first
	// real upload).
	SendZeroValue bool `mapstructure:"send_zero_value"`
}

// Destination is one platform's switch and data-minimisation list.
type Destination struct {
	Enabled     bool     `mapstructure:"enabled"`
	Identifiers []string `mapstructure:"identifiers"`
	// IdentifiersSet: destinations.<name>.identifiers was set (by the
	// file, a preset or the environment), so the clinic chose what the
	// platform receives. The loader sets it (SetIdentifiersSet); it is
	// never read from a file. A Google block that never chose gets the
	// click-ids-only default and a line saying so on every run (Notices).
	IdentifiersSet bool `mapstructure:"-"`
}

// Defaults returns the configuration every file starts from.
func Defaults() Config {
	return Config{
		Input:    Input{Encoding: "auto", Calendar: "gregorian"},
		Ledger:   Ledger{RetentionDays: 400, ReconcileSeconds: 120},
		Channels: Channels{MinCell: DefaultMinCell, DominanceShare: DefaultDominanceShare, List: DefaultChannels(), LTVDays: 180, HistoryDays: 365},
		Conversion: Conversion{
			// No default statuses: a status column is mapped with the
			// clinic's own words, and without one every row counts (and
			// the summary says so), rather than a default that quietly
			// matches nothing or the wrong thing.
			EventName: "Purchase",
			Value:     ValueNone, // no price leaves unless the clinic chooses one
			Bookings:  Bookings{EventName: DefaultBookingEventName},
		},
		Destinations: defaultDestinations(),
	}
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

// ValidateUpload checks what a real upload needs beyond Validate: a secret
// for event ids and each enabled platform's account settings. Dry-runs need
// none of it.
func (c *Config) ValidateUpload() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	if err := c.ValidateSecret(); err != nil {
		errs = append(errs, err)
	}
	if g := c.Destinations.Google; g.Enabled {
		if problem := EndpointProblem(g.Endpoint); problem != "" {
			bad("destinations.google.endpoint", "%s", problem)
		}
		if id := GoogleCustomerID(g.OperatingAccount); len(id) != 10 {
			bad("destinations.google.operating_account", "required: the 10-digit Google Ads customer id (dashes allowed)")
		}
		if g.LoginAccount != "" && len(GoogleCustomerID(g.LoginAccount)) != 10 {
			bad("destinations.google.login_account", "must be a 10-digit Google Ads customer id (dashes allowed)")
		}
		if g.ConversionActionID == "" || strings.Trim(g.ConversionActionID, "0123456789") != "" {
			bad("destinations.google.conversion_action_id", "required: the numeric id of the offline conversion action")
		}
		if b, id := c.Conversion.Bookings, g.BookingConversionActionID; b.Enabled {
			switch {
			case id == "" || strings.Trim(id, "0123456789") != "":
				bad("destinations.google.booking_conversion_action_id", "required with conversion.bookings.enabled: the numeric id of a second offline conversion action for bookings (Google Ads → Goals → Conversions → new action, Import → CRM)")
			case id == g.ConversionActionID:
				bad("destinations.google.booking_conversion_action_id", "is conversion_action_id: bookings and visits would count as one conversion; create a second conversion action for bookings")
			}
		}
	}
	errs = append(errs, c.valueRequired(), c.ActualValue(), c.PIPLConsents())
	if m := c.Destinations.Meta; m.Enabled {
		if problem := EndpointProblem(m.GraphURL); problem != "" {
			bad("destinations.meta.graph_url", "%s", problem)
		}
		if m.DatasetID == "" || strings.Trim(m.DatasetID, "0123456789") != "" {
			bad("destinations.meta.dataset_id", "required: the numeric id of the Meta dataset")
		}
		if m.APIVersion == "" || !strings.HasPrefix(m.APIVersion, "v") {
			bad("destinations.meta.api_version", "must look like v25.0, got %q", m.APIVersion)
		}
	}
	return errors.Join(errs...)
}

// ValueRequired is valueRequired for a run that makes a platform's file
// rather than uploading (`hashgate write`): the file would be refused as
// the requests would.
func (c *Config) ValueRequired() error { return c.valueRequired() }

// valueRequired refuses an event name a platform takes only with a value
// (Meta's Purchase, Spec.ValueRequired) under conversion.value: none: every
// request would be rejected. An upload-time check, like the account keys:
// a dry-run of such a config still runs, and its summary predicts that the
// platform would hold every conversion back (purchase_without_value).
//
// Configs that never set conversion.event_name or conversion.value had
// Purchase and none by default, so an upgrade meets this error rather than
// a silent change of event name: Meta deduplicates physical_store events
// on event_name, event_time and the order id (offline-events page, "Set
// Up Deduplication"), and a new name would count every visit already sent
// again.
func (c *Config) valueRequired() error {
	var ps problems
	conv := c.Conversion
	for _, p := range c.Enabled() {
		// Meta rejects a Purchase without value and currency
		// (Spec.ValueRequired): every request would fail.
		if spec := p.Spec(); conv.Value == ValueNone && slices.Contains(spec.ValueRequired, conv.EventName) {
			ps.bad("conversion.value", "is none, but %s rejects a %s without a value and a currency, so destinations.%s would send nothing. "+
				"Set conversion.value: fixed with conversion.fixed_value (e.g. your average visit value) and conversion.currency — every visit, NHI-covered ones included, then carries it, and no price reveals a treatment — "+
				"or bucket or actual with input.columns.value (visits without a fee are then held back from %[1]s). "+
				"Changing conversion.event_name instead would make %[1]s count every visit already sent again (it deduplicates on event name, event time and order id)",
				spec.Title, conv.EventName, spec.Name)
		}
	}
	return ps.err()
}

// GoogleCustomerID strips the dashes of "123-456-7890"; anything but digits
// is kept so validation can refuse it.
func GoogleCustomerID(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "-", "")
}

// PHIGuard returns the health-term guard this config asks for.
func (c *Config) PHIGuard() *phi.Guard {
	return phi.New(c.Privacy.DenyTerms, c.Privacy.AllowTerms)
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

// LocationOrUTC is Location, or UTC without a timezone: for the dates a
// command names or prints when no zone was set (a day's start, a note).
func (c *Config) LocationOrUTC() *time.Location {
	if loc := c.Location(); loc != nil {
		return loc
	}
	return time.UTC
}

func (c *Config) column(f platform.Field) string {
	col := c.Input.Columns
	switch f {
	case platform.Email:
		return strings.Join(nonEmpty(col.Email), ",")
	case platform.Phone:
		return strings.Join(nonEmpty(col.Phone), ",")
	case platform.FirstName:
		return col.FirstName
	case platform.LastName:
		return col.LastName
	case platform.PostalCode:
		return col.PostalCode
	case platform.City:
		return col.City
	case platform.State:
		return col.State
	case platform.Country:
		return col.Country
	case platform.ExternalID:
		return col.PatientKey
	}
	return ""
}

// columnKey is the input.columns key that feeds field f.
func columnKey(f platform.Field) string {
	if f == platform.ExternalID {
		return "patient_key"
	}
	return f.String()
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
