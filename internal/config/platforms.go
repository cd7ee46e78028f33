package config

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/phi"

	"github.com/hashgate/hashgate/internal/platform"
)

// block is one platform's destinations.<name> settings shared by every
// platform.
type block struct {
	dest    *Destination
	sending *Sending
	// ownConsent is input.columns.<Spec.ConsentKey>.
	ownConsent string
	// validateOnly: the platform is asked to validate, not ingest.
	validateOnly bool
	// identity is where the conversions land (see DestinationIdentity).
	identity string
	// test: events are sent as test events, which never count.
	test bool
}

// blocks is the one place the config schema is tied to the platforms: the
// destinations.<name> blocks and input.columns.consent_<name>. Everything
// else reaches a platform's settings through it, by platform.Spec.
func (c *Config) blocks() [platform.Count]block {
	d, col := &c.Destinations, c.Input.Columns
	b := [platform.Count]block{
		platform.Google: {&d.Google.Destination, &d.Google.Sending, col.ConsentGoogle, d.Google.ValidateOnly,
			GoogleCustomerID(d.Google.OperatingAccount) + "/" + d.Google.ConversionActionID, d.Google.ValidateOnly},
		platform.Meta: {&d.Meta.Destination, &d.Meta.Sending, col.ConsentMeta, false,
			d.Meta.DatasetID, d.Meta.TestEventCode != ""},
	}
	for p, r := range d.Registered {
		if b[p].dest == nil {
			b[p] = block{dest: &r.Destination, sending: &r.Sending, identity: r.Identity}
		}
	}
	return b
}

// Registered is the destinations block of a platform added in code
// (platform.Register) before the file schema has one: the settings every
// platform shares, and where its conversions land.
type Registered struct {
	Destination
	Sending
	// Identity names where the platform's conversions land
	// (DestinationIdentity).
	Identity string
}

// AddDestination gives platform p, added with platform.Register, its
// destinations block: the Spec's sending defaults and identifiers, enabled
// as on says. It is the step of adding a platform that comes before its
// destinations.<name> block is written into the schema (internal/platform's
// package comment), and how the tests enable a platform that exists only
// in them. It panics for a platform the schema already binds.
func (c *Config) AddDestination(p platform.Platform, on bool) *Registered {
	if p == platform.Google || p == platform.Meta || p.Spec() == nil {
		panic(fmt.Sprintf("config.AddDestination: %v has its block in the schema or is no platform", p))
	}
	if c.Destinations.Registered == nil {
		c.Destinations.Registered = map[platform.Platform]*Registered{}
	}
	r := &Registered{
		Destination: Destination{Enabled: on, Identifiers: slices.Clone(p.Spec().DefaultIdentifiers)},
		Sending:     defaultSending(p),
	}
	c.Destinations.Registered[p] = r
	return r
}

// hasBlock reports whether p has a destinations block at all: Google and
// Meta always, a registered platform once AddDestination gave it one.
func (c *Config) hasBlock(p platform.Platform) bool {
	return c.blocks()[p].dest != nil
}

// ValidateStatus checks the keys `hashgate status` reads — the Google
// destination's endpoint and timeout; credentials are checked when they are
// used — so a config whose export mapping is unfinished still answers.
func (c *Config) ValidateStatus() error {
	g := c.Destinations.Google
	var errs []error
	if problem := EndpointProblem(g.Endpoint); problem != "" {
		errs = append(errs, &Error{Key: "destinations.google.endpoint", Problem: problem})
	}
	if g.TimeoutSeconds < 1 {
		errs = append(errs, &Error{Key: "destinations.google.timeout_seconds", Problem: fmt.Sprintf("must be at least 1, got %d", g.TimeoutSeconds)})
	}
	return errors.Join(errs...)
}

// EndpointProblem says why raw cannot be a platform's address, or "" when
// it can: an absolute https URL, or plain http to a loopback address only
// (127.0.0.0/8, ::1, localhost) — the tests' fakes and a local proxy. Over
// plain http to another host the hashed identifiers, Meta's token (in the
// body) and Google's bearer header would cross the network in clear text.
func EndpointProblem(raw string) string {
	if raw == "" {
		return "must not be empty"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "must be an address such as https://host/ (no user, query or fragment)"
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		if Loopback(u.Hostname()) {
			return ""
		}
		return fmt.Sprintf("plain http is accepted for loopback addresses only; %s would carry tokens and hashed identifiers in clear text: use https", u.Hostname())
	}
	return fmt.Sprintf("scheme %q: use https", u.Scheme)
}

// Loopback reports whether host names this machine: a loopback IP literal
// or "localhost".
func Loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// SpendFile returns platform p's spend settings (spend.<name>).
func (c *Config) SpendFile(p platform.Platform) SpendFile {
	return [platform.Count]SpendFile{platform.Google: c.Spend.Google, platform.Meta: c.Spend.Meta}[p]
}

// defaultSending is a platform's Sending before any file or flag.
func defaultSending(p platform.Platform) Sending {
	s := p.Spec()
	return Sending{
		BatchSize: s.DefaultBatch, MaxEventAgeDays: days(s.DefaultEventAge),
		RequestsPerMinute: s.DefaultRequestsPerMinute, Concurrency: s.DefaultConcurrency,
		TimeoutSeconds:     int(s.DefaultTimeout / time.Second),
		RetryBudgetMinutes: int(s.DefaultRetryBudget / time.Minute),
	}
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

// Destination returns the block for platform p.
func (c *Config) Destination(p platform.Platform) Destination {
	if d := c.blocks()[p].dest; d != nil {
		return *d
	}
	return Destination{} // a registered platform without a block: disabled
}

// Sending returns the upload settings of platform p.
func (c *Config) Sending(p platform.Platform) Sending {
	if s := c.blocks()[p].sending; s != nil {
		return *s
	}
	return defaultSending(p)
}

// SetEnabled switches platform p's destination on or off.
func (c *Config) SetEnabled(p platform.Platform, on bool) {
	c.blocks()[p].dest.Enabled = on
}

// SetIdentifiersSet records whether destinations.<p>.identifiers was set
// by the file, a preset or the environment (Destination.IdentifiersSet).
func (c *Config) SetIdentifiersSet(p platform.Platform, set bool) {
	c.blocks()[p].dest.IdentifiersSet = set
}

// OwnConsentColumn returns the header of platform p's own consent column
// (input.columns.<Spec.ConsentKey>), or "" when p reads the shared one.
func (c *Config) OwnConsentColumn(p platform.Platform) string {
	return c.blocks()[p].ownConsent
}

// ValidateOnly reports whether platform p is asked to validate requests
// without ingesting them (destinations.google.validate_only).
func (c *Config) ValidateOnly(p platform.Platform) bool {
	return c.blocks()[p].validateOnly
}

// Restate reports whether platform p's ingested conversions are sent
// again when their value changes (destinations.google.restate; a platform
// without a documented restatement has no such key).
func (c *Config) Restate(p platform.Platform) bool {
	return p == platform.Google && c.Destinations.Google.Restate
}

// DestinationIdentity names where platform p's conversions land: Google's
// operating account and conversion action ("1234567890/555000111"), Meta's
// dataset. The ledger keys acceptance by it, so pointing the config at
// another account, action or dataset sends there instead of skipping.
func (c *Config) DestinationIdentity(p platform.Platform) string {
	return c.blocks()[p].identity
}

// TestRun reports whether platform p's events cannot count: Google
// validate_only, Meta test_event_code. The ledger records such a run's
// answers as validated, never as accepted.
func (c *Config) TestRun(p platform.Platform) bool {
	return c.blocks()[p].test
}

// TestMode names how platform p runs when its events cannot count:
// "validate_only" (Google checks and ingests nothing) or "test_event_code"
// (Meta shows them in Events Manager's test view). "" is a real run.
// Nothing sent in a test mode is ever recorded as accepted.
func (c *Config) TestMode(p platform.Platform) string {
	switch {
	case p == platform.Google && c.Destinations.Google.ValidateOnly:
		return "validate_only"
	case p == platform.Meta && c.Destinations.Meta.TestEventCode != "":
		return "test_event_code"
	}
	return ""
}

// RefuseTestModes refuses, for a plain upload (not `upload --validate`), a
// config that holds a test mode: destinations.google.validate_only or
// destinations.meta.test_event_code. Left in after a validation, either
// turns every real night into a test run — nothing ingested or counted,
// exit 0. They apply only to `upload --validate`; each refusal names its
// key.
func (c *Config) RefuseTestModes() error {
	var errs []error
	for _, p := range c.Enabled() {
		switch mode := c.TestMode(p); mode {
		case "":
		case "validate_only":
			errs = append(errs, &Error{Key: "destinations.google.validate_only", Problem: "applies only to `hashgate upload --validate` (which sets it by itself): a plain upload with it would validate every night, ingest nothing and exit 0; remove it"})
		default:
			errs = append(errs, &Error{Key: "destinations.meta." + mode, Problem: "applies only to `hashgate upload --validate`: a plain upload with it would send every night's events as test events, which Meta does not count, and exit 0; remove it from the nightly config and give it to the validation run alone (HASHGATE_DESTINATIONS_META_TEST_EVENT_CODE=... hashgate upload --validate)"})
		}
	}
	return errors.Join(errs...)
}

// ForValidation returns a copy of c for `hashgate upload --validate`: every
// enabled platform in its test mode, and those without one (Meta without
// test_event_code: it has no validate-only flag) disabled, each with the
// line that says why.
func (c *Config) ForValidation() (*Config, map[platform.Platform]string) {
	cp := *c
	skipped := map[platform.Platform]string{}
	cp.Destinations.Google.ValidateOnly = true
	if m := &cp.Destinations.Meta; m.Enabled && m.TestEventCode == "" {
		m.Enabled = false
		skipped[platform.Meta] = "not validated: Meta has no validate-only mode, and --validate sends it only test events, which need destinations.meta.test_event_code (Events Manager → Test events); nothing was sent to Meta"
	}
	return &cp, skipped
}

// ownConsent: p is disabled or has its own consent column.
func (c *Config) ownConsent(p platform.Platform) bool {
	return !c.Destination(p).Enabled || c.OwnConsentColumn(p) != ""
}

// Enabled lists the enabled platforms in output order.
func (c *Config) Enabled() []platform.Platform {
	var ps []platform.Platform
	for _, p := range platform.All {
		if c.Destination(p).Enabled {
			ps = append(ps, p)
		}
	}
	return ps
}

// IdentifierFields returns the fields platform p receives, in output order.
// Call it only on a validated Config.
func (c *Config) IdentifierFields(p platform.Platform) []platform.Field {
	var fs []platform.Field
	for _, f := range platform.Fields {
		if slices.Contains(c.Destination(p).Identifiers, f.String()) {
			fs = append(fs, f)
		}
	}
	return fs
}

// Notices are the lines `config validate` and every upload summary print
// where the config meets a platform's health-data rules (platform/policy.go):
// Google told hashed customer data despite its customer data policy, or the
// click-ids-only default applied to a config that never chose; Meta sent an
// event name that is no standard event; Meta enabled at all
// (platform.MetaHealthNote); exact fees under conversion.value: actual; a
// mainland config without consent.pipl_separate_consents (pipl.go) — or
// where it cannot keep a consent rule: bookings judged without the consent
// time. Each is fixed text: no value of any row.
func (c *Config) Notices() []string {
	var out []string
	if c.Conversion.Bookings.Enabled && c.Input.Columns.ConsentAt == "" {
		// A bookings review: without the consent time a consent first
		// recorded at the visit covered the booking made before it.
		out = append(out, "conversion.bookings without input.columns.consent_at: the export cannot say when consent was given, so a consent first recorded at the visit covers a booking made before it; map input.columns.consent_at")
	}
	if c.Conversion.Value == ValueActual && len(c.Enabled()) > 0 {
		out = append(out, actualValueNotice(c.Privacy.AllowActualValue))
	}
	out = append(out, c.piplNotice()...)
	out = append(out, c.customEventNotices()...)
	out = append(out, c.googleNotices()...)
	if c.Destinations.Meta.Enabled {
		out = append(out, platform.MetaHealthNote)
	}
	return append(out, c.disabledNotices()...)
}

// disabledNotices say of a destination whose account keys are filled in
// but which is not enabled that nothing goes to it. config init writes
// Meta disabled (its health-data terms), and a clinic that set its
// dataset id or ran `upload --validate` with a Meta test event code, but
// left enabled: false, sent nothing to Meta and was told nothing: the run
// exited 0 naming Google alone (the docs review of 2026-12-07). The line
// names the keys, never their values.
func (c *Config) disabledNotices() []string {
	var out []string
	if m := c.Destinations.Meta; !m.Enabled && (m.DatasetID != "" || m.TestEventCode != "") {
		out = append(out, "destinations.meta.enabled is false: its dataset_id or test_event_code is set, but nothing is sent to Meta; enable it only with each patient's consent covering Meta (README, Meta's health rules)")
	}
	if g := c.Destinations.Google; !g.Enabled && (g.OperatingAccount != "" || g.ConversionActionID != "") {
		out = append(out, "destinations.google.enabled is false: its operating_account or conversion_action_id is set, but nothing is sent to Google")
	}
	return out
}

// ActualValueKey is the opt-in to exact fees (Privacy.AllowActualValue).
const ActualValueKey = "privacy.allow_actual_value"

// actualValueNotice is what config validate, a dry-run and an upload say
// under conversion.value: actual: refused for uploads until the clinic
// opts in (ActualValue), and said again once it has.
func actualValueNotice(allowed bool) string {
	if allowed {
		return "conversion.value is actual and " + ActualValueKey + " is true: each visit's exact fee is sent, and a fee can reveal the treatment (README, Privacy)"
	}
	return "conversion.value is actual: each visit's exact fee would be sent, and a fee can reveal the treatment (an implant's); uploads and `hashgate write` refuse it unless " + ActualValueKey + " is true — for a clinic, use fixed, or bucket with wide edges"
}

// ActualValue refuses conversion.value: actual for a run that sends or
// writes a platform's file, unless privacy.allow_actual_value says the
// clinic chose exact fees: README's Privacy section says an exact fee
// "tells a platform an implant was placed", and shared/docs/clinic-exports.md
// c.7 lists "amounts that reveal the procedure" among what must never leave.
// A dry-run and config validate run, and warn (Notices): the review CSV
// shows the clinic what would leave.
func (c *Config) ActualValue() error {
	if c.Conversion.Value != ValueActual || c.Privacy.AllowActualValue || len(c.Enabled()) == 0 {
		return nil
	}
	return &Error{Key: "conversion.value", Problem: "is actual: each visit's exact fee would leave, and a fee can reveal the treatment (an implant's). " +
		"Use fixed (recommended for clinics: one amount for every visit) or bucket with wide edges; " +
		"to send exact fees anyway (a business whose prices name no treatment), set " + ActualValueKey + ": true"}
}

// googleNotices are Notices' lines about Google's customer data policy.
func (c *Config) googleNotices() []string {
	var out []string
	g := c.Destinations.Google
	if !g.Enabled {
		return nil
	}
	switch {
	case len(g.Identifiers) > 0:
		out = append(out, platform.GoogleIdentifiersNote)
	case !g.IdentifiersSet:
		out = append(out, platform.GoogleClickIDsOnlyNote)
	}
	// Accepted so that old configs load; never read (Google conversions
	// carry adUserData only).
	if c.Input.Columns.AdPersonalization != "" {
		out = append(out, fmt.Sprintf(platform.GoogleAdPersonalizationNote, "input.columns.ad_personalization"))
	}
	if g.AdPersonalization != "" {
		out = append(out, fmt.Sprintf(platform.GoogleAdPersonalizationNote, "destinations.google.ad_personalization"))
	}
	return out
}

// ownChecks validate the settings only one platform has (its
// destinations.<name> keys beyond Destination and Sending).
var ownChecks = [platform.Count]func(c *Config, ps *problems, guard *phi.Guard){
	platform.Google: (*Config).validateGoogle,
	platform.Meta:   (*Config).validateMeta,
}

// validateMeta checks destinations.meta's own keys: the Limited Data Use
// country and state take only the values Meta documents (Spec.LDUCountries,
// LDUStates; contract M19).
func (c *Config) validateMeta(ps *problems, _ *phi.Guard) {
	spec, m := platform.Meta.Spec(), c.Destinations.Meta
	const prefix = "destinations.meta."
	if !slices.Contains(spec.LDUCountries, m.LDUCountry) {
		ps.bad(prefix+"ldu_country", "must be one of %v (1: the United States, 0: Meta geolocates the event), got %d", spec.LDUCountries, m.LDUCountry)
	}
	switch {
	case !slices.Contains(spec.LDUStates, m.LDUState):
		ps.bad(prefix+"ldu_state", "must be one of %v (1000: California, 0: Meta geolocates the event; Meta documents no code for the other Limited Data Use states: use 0), got %d", spec.LDUStates, m.LDUState)
	case m.LDUState != 0 && m.LDUCountry == 0:
		ps.bad(prefix+"ldu_state", "%d needs destinations.meta.ldu_country 1 (the United States), not 0", m.LDUState)
	}
}

// validateGoogle checks destinations.google's own keys.
func (c *Config) validateGoogle(ps *problems, guard *phi.Guard) {
	g := c.Destinations.Google
	switch g.AdPersonalization {
	case "", "granted", "denied": // accepted so old configs load; ignored (Notices)
	default:
		ps.bad("destinations.google.ad_personalization", "must be granted or denied, got %q (it is ignored for conversions: remove it)", g.AdPersonalization)
	}
	if spec := platform.Google.Spec(); !slices.Contains(spec.EventSources, g.EventSource) {
		ps.bad("destinations.google.event_source", "must be one of %s, got %q (WEB, the default, is what Google's samples send to an Import → clicks action; IN_STORE is store sales)", strings.Join(spec.EventSources, ", "), g.EventSource)
	}
	// A gtag "AW-123/abc" pasted as the action fails every request with
	// INVALID_NUMBER_FORMAT on destinations[0].product_destination_id
	// (a live report, docs/research/contract-notes.md G2.d, not found again): refuse it at load.
	if id := g.ConversionActionID; id != "" && strings.Trim(id, "0123456789") != "" {
		ps.bad("destinations.google.conversion_action_id", "must be the numeric id of the conversion action (Google Ads → Goals → Conversions → the action → the ctId in the URL), not %q; a tag such as AW-…/… is not it", id)
	}
	if term, ok := guard.Find(g.ConversionName); ok {
		ps.bad("destinations.google.conversion_name", "contains the health term %q, which must never leave as a conversion name (add it to privacy.allow_terms only if it is not health-related here)", term)
	}
}

// defaultDestinations is every destinations.<name> block before any file
// or flag: disabled, email and phone, the Spec's sending defaults.
func defaultDestinations() Destinations {
	return Destinations{
		Google: Google{
			Destination: Destination{Identifiers: slices.Clone(platform.Google.Spec().DefaultIdentifiers)},
			Sending:     defaultSending(platform.Google),
			Endpoint:    platform.Google.Spec().Endpoint,
			EventSource: platform.Google.Spec().DefaultEventSource,
		},
		Meta: Meta{
			Destination: Destination{Identifiers: slices.Clone(platform.Meta.Spec().DefaultIdentifiers)},
			Sending:     defaultSending(platform.Meta),
			GraphURL:    platform.Meta.Spec().Endpoint,
			APIVersion:  "v25.0",
		},
	}
}
