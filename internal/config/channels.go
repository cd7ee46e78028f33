package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/currency"

	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/phi"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
)

// Channels configures `hashgate channels`: which channel each appointment
// came through, and how small a count may be before it is hidden.
type Channels struct {
	// MinCell is the smallest count printed; a count from 1 to MinCell-1
	// is shown as "<MinCell", and what would let it be worked out is hidden
	// too. 1 turns suppression off (for the clinic's own eyes only).
	MinCell int `mapstructure:"min_cell"`
	// DominanceShare hides an amount (revenue, LTV) where one patient —
	// the sum of their visits in that line and span when
	// input.columns.patient_key is mapped, else one visit — is more than
	// this share of it, with everything derived from it. Default
	// DefaultDominanceShare.
	DominanceShare float64 `mapstructure:"dominance_share"`
	// ConsentedOnly counts only rows whose consent passes the gate. Off:
	// every row counts, consented or not; what keeps a patient from being
	// singled out in the report, which leaves the clinic, is the release
	// rule (MinCell, the perturbation, DominanceShare), not consent.
	ConsentedOnly bool `mapstructure:"consented_only"`
	// List is ordered: a source word listed by two channels belongs to the
	// first. Rows no channel claims are reported as Unattributed.
	List []Channel `mapstructure:"list"`
	// LTVDays is the horizon of LTV: the revenue of a new patient's first
	// LTVDays days, counted only for patients whose horizon has passed.
	LTVDays int `mapstructure:"ltv_days"`
	// HistoryDays is how much history before --from the export should
	// hold for "new patient" to mean one: a patient last seen longer ago
	// than the export reaches would count as new. Shorter: a warning.
	HistoryDays int `mapstructure:"history_days"`
	// Language of the HTML page (the terminal table, JSON and CSV stay
	// English): en, zh-Hant or zh-Hans; ""
	// follows region (TW, HK, MO: zh-Hant; CN, SG: zh-Hans; else en).
	Language string `mapstructure:"language"`
}

// Languages of the channel report.
var Languages = []string{"en", "zh-Hant", "zh-Hans"}

// RegionCode is a region as typed (`tw`, ` TW `) as the code the phone
// rules and the report's language read: trimmed and upper-cased. Every
// reader of a region goes through it (the config's loader, `hash
// --region`, HASHGATE_REGION), so none is left with `tw`, which validates
// (language.ParseRegion takes any case) and then reads no national number.
func RegionCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ReportLanguage is channels.language, or the one region implies.
func (c *Config) ReportLanguage() string {
	if c.Channels.Language != "" {
		return c.Channels.Language
	}
	switch RegionCode(c.Region) {
	case "TW", "HK", "MO":
		return "zh-Hant"
	case "CN", "SG":
		return "zh-Hans"
	}
	return "en"
}

// Channel is one way patients find the clinic.
type Channel struct {
	// Name is printed in every report; the PHI guard checks it.
	Name string `mapstructure:"name"`
	// Platform is an ad platform's name (google, meta) or none (the
	// default). A row with a Google
	// click id (gclid, gbraid, wbraid) belongs to the google channel, one
	// with an fbclid to the meta channel, whatever its source says; the
	// platform's spend download is summed into its channel.
	Platform string `mapstructure:"platform"`
	// Sources are the values of input.columns.source that mean this
	// channel, compared trimmed, NFKC-normalised and case-folded.
	Sources []string `mapstructure:"sources"`
}

// PlatformNone is the platform of a channel no ad platform reports on
// (LINE, referrals, walk-ins).
const PlatformNone = "none"

// AdPlatform returns the channel's ad platform, 0 for none.
func (ch Channel) AdPlatform() platform.Platform {
	p, _ := platform.Parse(ch.Platform)
	return p
}

// Unattributed is the name of the row for appointments no channel claims.
const Unattributed = "Unattributed"

// Spend configures how the platforms' spend downloads are read.
type Spend struct {
	// Rates converts spend in another currency into conversion.currency:
	// rates: {USD: 31.5} means one USD is 31.5 of conversion.currency.
	Rates  map[string]float64 `mapstructure:"rates"`
	Google SpendFile          `mapstructure:"google"`
	Meta   SpendFile          `mapstructure:"meta"`
}

// SpendFile describes one platform's download. The built-in presets read
// Google Ads report downloads and Meta Ads Manager exports as the platforms
// write them in English; set columns only for another language or layout.
type SpendFile struct {
	// Currency of a file without a currency column (Meta's "Amount spent
	// (TWD)" header names its own and wins over this).
	Currency string      `mapstructure:"currency"`
	Columns  SpendColumn `mapstructure:"columns"`
	// Encoding of the download, as input.encoding: auto (a byte-order
	// mark, UTF-16, UTF-8, else Big5 or GB18030 by its header names and
	// script), utf-8, utf-16, big5, gbk or gb18030. input.encoding is the
	// export's and does not apply here: a spend file re-saved by a
	// mainland Excel ("CSV (逗号分隔)", GBK) needs gbk here when its
	// few Chinese cells cannot decide between the two. "" is auto, and
	// is left out of the config's digest (configDigest, in every run
	// report and ledger run): a config that does not set it keeps the
	// digest it had before the key existed.
	Encoding string `mapstructure:"encoding" json:",omitempty"`
	// ResultTypes keeps, of a download with a result indicator column
	// (Meta's "Result indicator"), only the rows' results of these types
	// in platform_conversions, as the platform writes them
	// (offline_conversion.purchase, actions:lead). Empty: every type, with
	// a warning when several are summed. Spend and clicks are never
	// filtered.
	ResultTypes []string `mapstructure:"result_types"`
}

// SpendColumn maps the fields read from a spend download to header names.
// An empty name means the preset's.
type SpendColumn struct {
	// Date is the day of the row ("Day"), or the first day of the range
	// it covers ("Reporting starts") in a download without a day breakdown.
	Date string `mapstructure:"date"`
	// End is the last day of that range ("Reporting ends").
	End         string `mapstructure:"end"`
	Cost        string `mapstructure:"cost"`
	Clicks      string `mapstructure:"clicks"`
	Conversions string `mapstructure:"conversions"`
	Currency    string `mapstructure:"currency"`
	// ResultIndicator names what a row's conversions are ("Result
	// indicator" in Meta's exports).
	ResultIndicator string `mapstructure:"result_indicator"`
	// Name is the column naming each row (a campaign, ad set or ad name),
	// replacing the preset's naming columns (English, zh-TW and zh-CN):
	// a row with it blank is the platform's summary row and is skipped,
	// and two downloads naming the same campaigns are one account's.
	// Unset, it is left out of the config's digest, as Encoding.
	Name string `mapstructure:"name" json:",omitempty"`
	// BookingConversions names a column of the platform's own claimed
	// bookings (a custom "Conversions" column of the booking action, or
	// Meta's Schedule results): `hashgate channels` shows them beside the
	// clinic's bookings. No download has one by default.
	BookingConversions string `mapstructure:"booking_conversions"`
}

// DefaultChannels are used when channels.list is not set: one channel per
// ad platform, recognised by its click ids or its usual source words (its
// platform.Spec).
func DefaultChannels() []Channel {
	var out []Channel
	for _, p := range platform.All {
		s := p.Spec()
		out = append(out, Channel{Name: s.ChannelName, Platform: s.Name, Sources: append([]string(nil), s.SourceWords...)})
	}
	return out
}

// ValidateReport checks the channels and spend sections alone, for `config
// validate`: the upload's Validate leaves them to the channel report, and a
// file that said "valid" was then refused by `hashgate channels`
// (channels.min_cell: 0, a negative spend rate, two channels of one name).
func (c *Config) ValidateReport() error {
	// Validate names the open questions; here they are only cleared.
	c, _ = c.answered()
	return errors.Join(append(c.validateChannels(c.PHIGuard()), c.validateSpend()...)...)
}

// ValidateForChannels checks what `hashgate channels` needs: the general,
// input and conversion sections, channels and spend. It needs no
// destination, consent column, secret or ledger: a config with only input,
// conversion, channels and spend is valid for it. Other commands call
// Validate, which keeps their requirements. Open questions refuse it too.
func (c *Config) ValidateForChannels() error { return c.withAnswers((*Config).validateForChannels) }

func (c *Config) validateForChannels() error {
	guard := c.PHIGuard()
	errs := []error{
		c.validateGeneral(),
		// The consent column is an upload's requirement (default-deny
		// before anything leaves); the channel report counts rows without
		// it — the release rule, not consent, keeps its patients from being
		// singled out — unless channels.consented_only asks otherwise.
		without(c.validateInput(), "input.columns.consent"),
		c.validateConversion(guard),
	}
	if c.Timezone == "" {
		// The report's days, ISO weeks and months are the clinic's, and a
		// spend file's days its account's: without a zone they were UTC's,
		// and a New York clinic's evening visits fell on the next day,
		// apart from that day's spend (a DST review). An upload needs the
		// zone only for times without an offset; a report needs it always.
		errs = append(errs, &Error{Key: "timezone", Problem: "required by hashgate channels: its days, weeks and months are the clinic's (e.g. America/New_York, Asia/Taipei)"})
	}
	errs = append(errs, c.validateChannels(guard)...)
	errs = append(errs, c.validateSpend()...)
	if c.Channels.ConsentedOnly {
		any := c.Input.Columns.Consent != ""
		for _, p := range platform.All {
			any = any || c.OwnConsentColumn(p) != ""
		}
		if !any {
			errs = append(errs, &Error{Key: "channels.consented_only", Problem: "needs input.columns.consent (or " + ownConsentKeys() + ")"})
		}
		if len(nonEmpty(c.Consent.Granted)) == 0 {
			errs = append(errs, &Error{Key: "consent.granted", Problem: "required when channels.consented_only is set: list the values that mean the patient agreed"})
		}
		errs = append(errs, c.grantedConflicts()...)
	}
	return errors.Join(errs...)
}

// without drops the problems about key from a section's joined error.
func without(err error, key string) error {
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		return err
	}
	var keep []error
	for _, e := range joined.Unwrap() {
		var ce *Error
		if errors.As(e, &ce) && ce.Key == key {
			continue
		}
		keep = append(keep, e)
	}
	return errors.Join(keep...)
}

// DefaultDominanceShare is channels.dominance_share's default: an amount
// more than 60% of which is one contributor's is not printed.
const DefaultDominanceShare = 0.6

// DefaultMinCell is channels.min_cell's default: a count from 1 to 4 is
// withheld. A report released under a smaller min_cell or a larger
// dominance_share says on every output that it is below this protection.
const DefaultMinCell = 5

// maxMinCell bounds channels.min_cell: beyond it nearly every count of a
// clinic would be hidden.
const maxMinCell = 100

// validateChannels checks the channels section.
func (c *Config) validateChannels(guard *phi.Guard) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	ch := c.Channels
	if ch.MinCell < 1 || ch.MinCell > maxMinCell {
		bad("channels.min_cell", "must be 1 (no suppression) to %d, got %d", maxMinCell, ch.MinCell)
	}
	if ch.DominanceShare <= 0 || ch.DominanceShare >= 1 || ch.DominanceShare != ch.DominanceShare {
		bad("channels.dominance_share", "must be more than 0 and less than 1 (default %g), got %g", DefaultDominanceShare, ch.DominanceShare)
	}
	if ch.LTVDays < 1 || ch.LTVDays > 3660 {
		bad("channels.ltv_days", "must be 1 to 3660 days, got %d", ch.LTVDays)
	}
	if ch.HistoryDays < 0 || ch.HistoryDays > 3660 {
		bad("channels.history_days", "must be 0 to 3660 days, got %d", ch.HistoryDays)
	}
	if ch.Language != "" && !slices.Contains(Languages, ch.Language) {
		bad("channels.language", "want one of %s, got %q", strings.Join(Languages, ", "), ch.Language)
	}
	names := map[string]bool{strings.ToLower(Unattributed): true}
	platforms := map[string]string{}
	for i, l := range ch.List {
		key := fmt.Sprintf("channels.list[%d]", i)
		name := strings.TrimSpace(l.Name)
		switch {
		case name == "":
			bad(key+".name", "required: the label printed for this channel")
		case len([]rune(name)) > 40:
			bad(key+".name", "at most 40 characters, got %d", len([]rune(name)))
		case names[strings.ToLower(name)]:
			bad(key+".name", "%q is used twice (or is the reserved %s)", name, Unattributed)
		case !printable.Safe(name):
			// Control characters rewrite a terminal; bidi overrides and
			// zero-width characters (Unicode Cf) make a printed label read
			// otherwise than it is, or two labels look alike.
			bad(key+".name", "must be one line of printable text, without control, bidi-override or zero-width characters")
		}
		names[strings.ToLower(name)] = true
		if term, ok := guard.Find(name); ok {
			bad(key+".name", "contains the health term %q, which must not be printed as a channel label (if it is not health-related here, add it to privacy.allow_terms)", term)
		}
		if l.Platform != "" && l.Platform != PlatformNone {
			if _, err := platform.Parse(l.Platform); err != nil {
				bad(key+".platform", "%v, or none", err)
			} else if prev, dup := platforms[l.Platform]; dup {
				bad(key+".platform", "%s is already the platform of %q: click ids and spend of a platform go to one channel", l.Platform, prev)
			} else {
				platforms[l.Platform] = name
			}
		}
		for j, s := range l.Sources {
			switch {
			case strings.TrimSpace(s) == "":
				bad(fmt.Sprintf("%s.sources[%d]", key, j), "must not be empty")
			case !printable.Safe(s):
				bad(fmt.Sprintf("%s.sources[%d]", key, j), "must be printable text, without control, bidi-override or zero-width characters")
			}
		}
		if len(l.Sources) == 0 && (l.Platform == "" || l.Platform == PlatformNone) {
			bad(key+".sources", "a channel without a platform needs at least one source word, or no row can belong to it")
		}
	}
	return errs
}

// validateSpend checks the spend section.
func (c *Config) validateSpend() []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	iso := func(code string) bool {
		_, err := currency.ParseISO(code)
		return err == nil && len(code) == 3
	}
	for code, rate := range c.Spend.Rates {
		if !iso(strings.ToUpper(code)) {
			bad("spend.rates."+code, "%q is not an ISO 4217 code", code)
		}
		if rate <= 0 {
			bad("spend.rates."+code, "must be more than 0 (units of conversion.currency per one %s), got %v", strings.ToUpper(code), rate)
		}
	}
	if len(c.Spend.Rates) > 0 && c.Conversion.Currency == "" {
		bad("conversion.currency", "required when spend.rates is set: the rates convert into it")
	}
	for _, p := range platform.All {
		if cur := c.SpendFile(p).Currency; cur != "" && !iso(strings.ToUpper(cur)) {
			bad("spend."+p.String()+".currency", "%q is not an ISO 4217 code (e.g. TWD)", cur)
		}
		if enc := c.SpendFile(p).Encoding; enc != "" && !slices.Contains(export.Encodings, enc) {
			bad("spend."+p.String()+".encoding", "must be one of %s, got %q", strings.Join(export.Encodings, ", "), enc)
		}
	}
	return errs
}
