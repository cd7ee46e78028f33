package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/phi"
	"github.com/hashgate/hashgate/internal/plaintext"
	"github.com/hashgate/hashgate/internal/platform"
)

// Error is one invalid key.
type Error struct {
	Key     string
	Problem string
}

func (e *Error) Error() string { return e.Key + ": " + e.Problem }

// problems collects one section's *Error values.
type problems []error

func (ps *problems) bad(key, format string, args ...any) {
	*ps = append(*ps, &Error{Key: key, Problem: fmt.Sprintf(format, args...)})
}

func (ps problems) err() error { return errors.Join(ps...) }

// Validate checks the whole configuration and returns every problem at once
// (joined *Error values), so a user fixes a file in one pass. Each section
// is checked by a function of its own, in the order of the file's keys.
// A question config init left open (Unanswered) is one of them, named first.
func (c *Config) Validate() error { return c.withAnswers((*Config).validate) }

func (c *Config) validate() error {
	guard := c.PHIGuard() // built once: it folds a few hundred terms
	errs := []error{
		c.validateGeneral(),
		c.validateKeyZone(),
		c.validateInput(),
		c.validateClinic(),
		c.validateConsent(),
		c.validatePatient(),
		c.validateConversion(guard),
		c.validateBookings(guard),
		c.validateLedger(),
		c.validateDestinations(),
		c.validateLeaving(),
	}
	for _, p := range platform.All {
		if c.hasBlock(p) { // a registered platform without one is disabled
			errs = append(errs, c.validateDestination(p, guard))
		}
	}
	return errors.Join(errs...)
}

// fixedZone says why a zone name that keeps one offset all year is refused,
// "" when it is not one. These are tz database names, so LoadLocation
// takes them, but they read as a region's zone and are not: a New York
// clinic's EST, or a UK clinic's GMT, sends every summer visit an hour
// off and moves every consent comparison with it (a DST review). Etc/GMT
// zones keep POSIX's inverted sign besides: Etc/GMT+8 is UTC-8. UTC, the
// zone of an export written in UTC, stays; the legacy names with rules
// (EST5EDT) keep daylight saving and stay too.
func fixedZone(name string) string {
	if strings.EqualFold(name, "Factory") {
		return "Factory is the tz database's placeholder, no place: name the clinic's city zone, e.g. Asia/Taipei"
	}
	cities := map[string]string{
		"EST": "America/New_York (or America/Panama, America/Cancun, which stay at UTC-5)",
		"MST": "America/Denver (or America/Phoenix, which stays at UTC-7)",
		"HST": "Pacific/Honolulu",
		"GMT": "Europe/London (or UTC, if the export's times are in UTC)", "GMT0": "", "GMT+0": "", "GMT-0": "", "Greenwich": "",
		"Etc/GMT": "", "Etc/GMT0": "", "Etc/GMT+0": "", "Etc/GMT-0": "", "Etc/Greenwich": "",
	}
	// Compared without case: on a file system that ignores it (macOS),
	// "est" loads as EST does.
	for n, city := range cities {
		if strings.EqualFold(name, n) {
			if city == "" {
				city = cities["GMT"]
			}
			return fmt.Sprintf("%s keeps one offset all year: name the clinic's city zone, e.g. %s", name, city)
		}
	}
	if len(name) > len("Etc/GMT")+1 && strings.EqualFold(name[:len("Etc/GMT")], "Etc/GMT") && (name[7] == '+' || name[7] == '-') {
		sign := map[byte]string{'+': "-", '-': "+"}[name[7]]
		return fmt.Sprintf("%s is UTC%s%s all year (POSIX inverts the sign): name the clinic's city zone (a zone whose clocks follow the region's, e.g. America/Los_Angeles, Asia/Taipei)", name, sign, name[8:])
	}
	return ""
}

// validateGeneral checks the top-level keys: timezone and region.
func (c *Config) validateGeneral() error {
	var ps problems
	if c.Timezone != "" {
		switch _, err := time.LoadLocation(c.Timezone); {
		case err != nil:
			ps.bad("timezone", "unknown IANA time zone %q (e.g. Asia/Taipei)", c.Timezone)
		case c.Timezone == "Local":
			// Go's name for the machine's own zone: the clinic's times would
			// move with the server's, and Google's file would name a zone
			// it does not know.
			ps.bad("timezone", "Local is the machine's zone, not the clinic's: name it (e.g. Asia/Taipei)")
		default:
			if why := fixedZone(c.Timezone); why != "" {
				ps.bad("timezone", "%s", why)
			}
		}
	}
	if c.Region != "" && !ValidRegion(c.Region) {
		ps.bad("region", "%q is not an ISO 3166-1 alpha-2 code (e.g. TW)", c.Region)
	}
	return ps.err()
}

// OrderIDTime is the header of a composite order id that is also an
// appointment date or time column (appointment_at, appointment_date or
// appointment_time), "" when none is: such a part enters every event id as
// the time read (pipeline's orderKey), so the id depends on the zone it is
// written in.
func (c *Config) OrderIDTime() string {
	ids := nonEmpty(c.Input.Columns.OrderID)
	if len(ids) < 2 {
		return ""
	}
	col := c.Input.Columns
	for _, h := range ids {
		for _, t := range []string{col.AppointmentAt, col.AppointmentDate, col.AppointmentTime} {
			if t != "" && export.SameHeader(h, t) {
				return h
			}
		}
	}
	return ""
}

// validateKeyZone refuses a composite order id holding the appointment
// time without a timezone. Without one the time entered the id in the
// offset its cell stated, so the same visit written -05:00 one night and
// Z the next made two event ids and was counted twice, exit 0 (a review of
// time handling: config init proposed that config for an export whose
// times carry offsets). With a zone every spelling of an instant is one
// id; and the id a zone-less run made is kept wherever the cell's offset
// was the zone's (the zone-change stop, pipeline's keyZoneErr, names the
// others).
func (c *Config) validateKeyZone() error {
	h := c.OrderIDTime()
	if h == "" || c.Timezone != "" {
		return nil
	}
	return &Error{Key: "timezone", Problem: fmt.Sprintf(
		"required when input.columns.order_id includes the appointment time (column %q): the time is part of every event id, and without a zone it is written in whatever UTC offset the export states, "+
			"so the same visit exported once with -05:00 and once with Z would get two ids and be counted twice. Name the clinic's IANA zone (e.g. America/New_York, Asia/Taipei); "+
			"after uploads without one, the ids stay the same wherever the export's offsets are that zone's (hashgate upload stops, naming timezone, if they are not)", h)}
}

// ValidRegion reports whether s is an ISO 3166-1 alpha-2 country code, as
// region takes it (upper or lower case): the config's check, and `hash
// --region`'s, which read "taiwan" as a region and every national number
// as phone_region_needed.
func ValidRegion(s string) bool {
	r, err := language.ParseRegion(s)
	return err == nil && r.IsCountry() && len(s) == 2
}

// validateInput checks input.*: the column mapping and how the file is read.
func (c *Config) validateInput() error {
	var ps problems
	col := c.Input.Columns
	if len(nonEmpty(col.OrderID)) == 0 {
		ps.bad("input.columns.order_id", "required: the header(s) that identify one appointment")
	}
	switch {
	case col.AppointmentAt == "" && col.AppointmentDate == "":
		ps.bad("input.columns.appointment_at", "required (or input.columns.appointment_date)")
	case col.AppointmentAt != "" && (col.AppointmentDate != "" || col.AppointmentTime != ""):
		ps.bad("input.columns.appointment_at", "set either appointment_at or appointment_date (+ appointment_time), not both")
	case col.AppointmentTime != "" && col.AppointmentDate == "":
		ps.bad("input.columns.appointment_time", "needs input.columns.appointment_date")
	}
	if col.Consent == "" && !c.everyOwnConsent() {
		ps.bad("input.columns.consent", "required (unless every enabled destination has its own %s column): consent is default-deny, so hashgate must read it", ownConsentKeys())
	}
	in := c.Input
	if in.HeaderRow < 0 {
		ps.bad("input.header_row", "must be 0 (find it) or a line number, got %d", in.HeaderRow)
	}
	if in.MaxRecordBytes != 0 && (in.MaxRecordBytes < 4<<10 || in.MaxRecordBytes > 64<<20) {
		ps.bad("input.max_record_bytes", "must be 4096 to 67108864 bytes (0: 1 MiB), got %d", in.MaxRecordBytes)
	}
	if in.MaxUnreadableDateShare < 0 || in.MaxUnreadableDateShare > 1 {
		ps.bad("input.max_unreadable_date_share", "must be between 0 and 1 (0: 0.2), got %g", in.MaxUnreadableDateShare)
	}
	if in.MaxUnreadableValueShare < 0 || in.MaxUnreadableValueShare > 1 {
		ps.bad("input.max_unreadable_value_share", "must be between 0 and 1 (0: 0.2), got %g", in.MaxUnreadableValueShare)
	}
	if in.SkipFooterLines < 0 {
		ps.bad("input.skip_footer_lines", "must be 0 or more, got %d", in.SkipFooterLines)
	}
	if !slices.Contains(export.Encodings, in.Encoding) {
		ps.bad("input.encoding", "must be one of %s, got %q", strings.Join(export.Encodings, ", "), in.Encoding)
	}
	if _, ok := Delimiter(in.Delimiter); !ok {
		ps.bad("input.delimiter", "must be empty (detect), \",\", \";\", \"tab\" or \"|\", got %q", in.Delimiter)
	}
	switch in.DateOrder {
	case "", "ymd", "mdy", "dmy":
	default:
		ps.bad("input.date_order", "must be ymd, mdy or dmy, got %q", in.DateOrder)
	}
	switch in.Calendar {
	case "", "gregorian", "roc":
	default:
		ps.bad("input.calendar", "must be gregorian or roc, got %q", in.Calendar)
	}
	if in.DefaultYear != 0 && (in.DefaultYear < 1990 || in.DefaultYear > 2200) {
		ps.bad("input.default_year", "must be a four-digit year, got %d", in.DefaultYear)
	}
	switch in.ExcelDates {
	case "", "1900", "1904":
	default:
		ps.bad("input.excel_dates", "must be 1900 or 1904 (or empty to refuse serial dates), got %q", in.ExcelDates)
	}
	for i, layout := range c.Input.TimeFormats {
		if strings.TrimSpace(layout) == "" || !strings.ContainsAny(layout, "0126") {
			ps.bad(fmt.Sprintf("input.time_formats[%d]", i), "%q is not a Go time layout (e.g. \"2006-01-02 15:04\")", layout)
		}
	}
	if _, err := c.NotPatient(); err != nil {
		ps = append(ps, err)
	}
	return ps.err()
}

// everyOwnConsent: every platform is disabled or has its own consent column.
func (c *Config) everyOwnConsent() bool {
	for _, p := range platform.All {
		if !c.ownConsent(p) {
			return false
		}
	}
	return true
}

// ownConsentKeys is "consent_google/consent_meta".
func ownConsentKeys() string {
	return strings.Join(platform.ConsentKeys(), "/")
}

// validateConsent checks consent.*.
func (c *Config) validateConsent() error {
	var ps problems
	if len(nonEmpty(c.Consent.Granted)) == 0 {
		ps.bad("consent.granted", "required: list the values that mean the patient agreed (e.g. [\"yes\"])")
	}
	if c.Consent.RequireTimestamp && c.Input.Columns.ConsentAt == "" {
		ps.bad("consent.require_timestamp", "needs input.columns.consent_at")
	}
	if c.Consent.RevokedAllowsEarlier && c.Timezone == "" {
		// A revocation's day starts at midnight where the clinic is; with
		// no zone it started at UTC midnight, eight hours late in Taipei,
		// and a visit that morning was sent (review).
		ps.bad("consent.revoked_allows_earlier", "needs timezone: a dated revocation takes effect at the start of its day in the clinic's zone")
	}
	return ps.err()
}

// validateConversion checks conversion.*: which rows count and the value
// policy; guard refuses a health term in the event name.
func (c *Config) validateConversion(guard *phi.Guard) error {
	var ps problems
	col, conv := c.Input.Columns, c.Conversion
	switch statuses := nonEmpty(conv.Statuses); {
	case col.Status != "" && len(statuses) == 0:
		ps.bad("conversion.statuses", "required when input.columns.status is set: list the status values that mean the patient came (e.g. [completed] or [已完成])")
	case col.Status == "" && len(statuses) > 0:
		ps.bad("conversion.statuses", "is set but input.columns.status is not: without a status column every row counts as a visit, no-shows included; map the status column, or remove conversion.statuses")
	}
	if conv.EveryRowIsAVisit && col.Status != "" {
		ps.bad("conversion.every_row_is_a_visit", "is true but input.columns.status is set: rows are visits by their status; remove one of them")
	}
	seen := map[string]string{}
	for _, l := range []struct {
		key  string
		list []string
	}{{"conversion.statuses", conv.Statuses}, {"conversion.no_show_statuses", conv.NoShowStatuses}, {"conversion.cancelled_statuses", conv.CancelledStatuses}} {
		if len(nonEmpty(l.list)) > 0 && col.Status == "" && l.key != "conversion.statuses" {
			ps.bad(l.key, "is set but input.columns.status is not")
		}
		for _, st := range nonEmpty(l.list) {
			k := consent.Fold(st) // as the reports compare them
			if prev, dup := seen[k]; dup && prev != l.key {
				ps.bad(l.key, "%q is also in %s: a status means one outcome", st, prev)
			}
			seen[k] = l.key
		}
	}
	if strings.TrimSpace(conv.EventName) == "" {
		ps.bad("conversion.event_name", "must not be empty")
	}
	switch v := conv.Value; v {
	case ValueActual, ValueBucket:
		if col.Value == "" {
			ps.bad("conversion.value", "is %q but input.columns.value is not set (use fixed or none)", v)
		}
		if v == ValueBucket {
			b := conv.ValueBuckets
			if len(b) == 0 {
				ps.bad("conversion.value_buckets", "required when conversion.value is bucket (ascending edges, e.g. [1000, 5000, 20000])")
			}
			for i := range b {
				if b[i] < 0 || i > 0 && b[i] <= b[i-1] {
					ps.bad("conversion.value_buckets", "edges must be non-negative and strictly ascending")
					break
				}
			}
		}
	case ValueFixed:
		if conv.FixedValue <= 0 {
			ps.bad("conversion.fixed_value", "must be more than 0 when conversion.value is fixed")
		}
	case ValueNone:
	default:
		ps.bad("conversion.value", "must be actual, bucket, fixed or none, got %q", v)
	}
	if conv.Value != ValueNone && col.Currency == "" && conv.Currency == "" {
		ps.bad("conversion.currency", "required when conversion.value is not none and input.columns.currency is not set")
	}
	if term, ok := guard.Find(conv.EventName); ok {
		ps.bad("conversion.event_name", "contains the health term %q, which must never leave as an event name (choose a neutral name such as Purchase; if the term is not health-related here, add it to privacy.allow_terms)", term)
	}
	if conv.Currency != "" {
		if !plaintext.Currency(strings.ToUpper(conv.Currency)) {
			ps.bad("conversion.currency", "%q is not the ISO 4217 code of a currency (e.g. TWD)", conv.Currency)
		}
	}
	return ps.err()
}

// validateLedger checks ledger.*.
func (c *Config) validateLedger() error {
	var ps problems
	if c.Ledger.ReconcileSeconds < 0 || c.Ledger.ReconcileSeconds > 3600 {
		ps.bad("ledger.reconcile_seconds", "must be between 0 (skip) and 3600, got %d", c.Ledger.ReconcileSeconds)
	}
	if c.Ledger.Path != "" && !filepath.IsAbs(c.Ledger.Path) {
		// Read from the working directory, a cron job started elsewhere
		// opened another, empty ledger and sent every visit again (a
		// review of what the machine does to a nightly run).
		ps.bad("ledger.path", "must be an absolute path: a relative one is read from the working directory, and a run started in another directory would open another, empty ledger and send every visit again")
	}
	if c.Ledger.RetentionDays < 100 {
		ps.bad("ledger.retention_days", "must be at least 100 (longer than the platforms' 90- and 62-day windows, or old conversions could be sent again), got %d", c.Ledger.RetentionDays)
	}
	return ps.err()
}

// validateDestinations checks what concerns every destination together.
func (c *Config) validateDestinations() error {
	var ps problems
	if len(c.Enabled()) == 0 {
		var keys []string
		for _, p := range platform.All {
			if !c.hasBlock(p) {
				continue // a platform added in code without a block cannot be enabled
			}
			keys = append(keys, "destinations."+p.String()+".enabled")
		}
		also := ""
		if c.Mainland() {
			// config init writes a mainland clinic's destinations all
			// disabled: say what enabling one needs (pipl.go).
			also = "; mainland China (region CN): enable one only once the consent column records PIPL's separate consents and a transfer mechanism is in place, and set " + PIPLKey + ": true (see config init's comment over destinations)"
		}
		ps.bad("destinations", "enable at least one of %s%s", strings.Join(keys, ", "), also)
	}
	return ps.err()
}

// validateDestination checks destinations.<p>.*: the identifiers against
// the platform's Spec (fields taken, groups that travel together), the
// sending settings against its limits, and its own settings.
func (c *Config) validateDestination(p platform.Platform, guard *phi.Guard) error {
	var ps problems
	spec, d, s := p.Spec(), c.Destination(p), c.Sending(p)
	prefix := "destinations." + spec.Name + "."
	if d.Enabled {
		c.validateIdentifiers(&ps, p, d)
	}
	if s.BatchSize < 1 || s.BatchSize > spec.MaxBatch {
		ps.bad(prefix+"batch_size", "must be 1 to %d (the platform's limit), got %d", spec.MaxBatch, s.BatchSize)
	}
	if maxAge := days(spec.MaxEventAge - spec.AgeMargin); s.MaxEventAgeDays < 1 || s.MaxEventAgeDays > maxAge {
		why := ""
		if spec.AgeMargin > 0 {
			why = fmt.Sprintf(" (%s takes events up to %d days old; hashgate keeps %d days of margin for retries)", spec.Title, days(spec.MaxEventAge), days(spec.AgeMargin))
		} else {
			why = fmt.Sprintf(" (no %s conversion window is longer)", spec.Title)
		}
		ps.bad(prefix+"max_event_age_days", "must be 1 to %d, got %d%s", maxAge, s.MaxEventAgeDays, why)
	}
	if s.RetryBudgetMinutes < 1 || s.RetryBudgetMinutes > 240 {
		ps.bad(prefix+"retry_budget_minutes", "must be 1 to 240, got %d", s.RetryBudgetMinutes)
	}
	if s.RequestsPerMinute < 1 || s.RequestsPerMinute > spec.MaxRequestsPerMinute {
		ps.bad(prefix+"requests_per_minute", "must be 1 to %d, got %d", spec.MaxRequestsPerMinute, s.RequestsPerMinute)
	}
	if s.Concurrency < 1 || s.Concurrency > spec.MaxConcurrency {
		ps.bad(prefix+"concurrency", "must be 1 to %d, got %d", spec.MaxConcurrency, s.Concurrency)
	}
	if s.TimeoutSeconds < 1 {
		ps.bad(prefix+"timeout_seconds", "must be at least 1, got %d", s.TimeoutSeconds)
	}
	if d.Enabled {
		for _, g := range spec.Groups {
			n := 0
			for _, name := range d.Identifiers {
				if f, err := platform.ParseField(name); err == nil && g.Fields.Has(f) {
					n++
				}
			}
			if all := len(g.Fields.Fields()); n > 0 && n < all {
				ps.bad(prefix+"identifiers", "%s go to %s only together (%s)", joinAnd(g.Fields.Fields()), spec.Title, g.Why)
			}
		}
	}
	if check := ownChecks[p]; check != nil {
		check(c, &ps, guard)
	}
	return ps.err()
}

// validateIdentifiers checks destinations.<p>.identifiers.
func (c *Config) validateIdentifiers(ps *problems, p platform.Platform, d Destination) {
	spec := p.Spec()
	key := "destinations." + spec.Name + ".identifiers"
	if len(d.Identifiers) == 0 && spec.NeedsIdentifier {
		ps.bad(key, "%s needs at least one identifier", spec.Name)
	}
	seen := map[string]bool{}
	for _, name := range d.Identifiers {
		f, err := platform.ParseField(name)
		switch {
		case err != nil:
			ps.bad(key, "unknown identifier %q (want email, phone, first_name, last_name, postal_code, city, state, country, external_id)", name)
		case !spec.Configurable.Has(f):
			ps.bad(key, "%s does not take %s for offline conversions", p, name)
		case seen[name]:
			ps.bad(key, "%s listed twice", name)
		case c.column(f) == "":
			ps.bad(key, "%s needs input.columns.%s", name, columnKey(f))
		}
		seen[name] = true
	}
	// Identifiers the platform refuses an event for carrying alone
	// (Spec.WeakSets; Meta's "Baseline Requirements for Matching", M18):
	// a list inside one such set makes only invalid events, unless a
	// formatted click id (Meta's fbc, from input.columns.fbclid) may
	// travel beside them.
	var have platform.FieldSet
	for _, name := range d.Identifiers {
		if f, err := platform.ParseField(name); err == nil {
			have |= platform.FieldSet(1) << f
		}
	}
	if spec.Weak(have) && (spec.Formatted == nil || c.Input.Columns.ByKey(spec.Formatted.Column) == "") {
		ps.bad(key, "%s alone is too little for %s to match an event, which it refuses (its \"Baseline Requirements for Matching\"): add email or phone", joinAnd(have.Fields()), spec.Title)
	}
}

// joinAnd is "a, b, c and d".
func joinAnd(fs []platform.Field) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.String()
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// FileError is a config file that cannot be read or parsed, or that holds
// keys hashgate does not know.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("config %s: %v", e.Path, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }
