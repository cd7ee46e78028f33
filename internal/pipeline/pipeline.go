// Package pipeline runs one export through hashgate's stages:
//
//	export rows → consent decisions → hashed conversions → sink → report
//
// It owns the order of the per-row checks and the counting, so every row
// read is accounted for exactly once: it becomes a conversion for at least
// one platform (RowsUsed) or is excluded with one reason.
//
// Row checks run in this order; the first that fails names the exclusion:
//
//	malformed_row, missing_order_id, consent_revoked_list,
//	consent value (consent_missing, consent_revoked, consent_scoped,
//	  consent_denied, consent_not_granted), consent_revoked_patient,
//	invalid_time, consent time (consent_time_missing, consent_time_invalid,
//	  consent_after_event, a dated consent_revoked),
//	status_not_converted, duplicate_order, no_identifier
//
// Consent is decided per destination, because a clinic may record Google
// and Meta consent in separate columns. A row excluded for every
// destination takes the reason of the first enabled one (Google, then Meta);
// a row used for one destination but not another is counted under
// Summary.Skipped for the other.
//
// Consent comes before status so that `hashgate check` reports consent
// reasons for consent rows whatever their status. duplicate_order is decided
// among rows that pass every other check: the first usable row of an
// appointment is its conversion.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/currency"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/money"
	"github.com/hashgate/hashgate/internal/orderset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
)

// TimeOptions derives the date parser's settings from the config.
func TimeOptions(c *config.Config) eventtime.Options {
	return eventtime.Options{
		Layouts: c.Input.TimeFormats, Location: c.Location(),
		DateOrder: c.Input.DateOrder, ROC: c.Input.Calendar == "roc",
		DefaultYear: c.Input.DefaultYear, ExcelEpoch: c.Input.ExcelDates,
	}
}

// Row exclusion reasons decided here (consent reasons live in package consent).
const (
	ReasonMalformedRow   = "malformed_row"
	ReasonMissingOrderID = "missing_order_id"
	ReasonInvalidTime    = "invalid_time"
	ReasonNotConverted   = "status_not_converted"
	ReasonDuplicate      = "duplicate_order"
	ReasonNoIdentifier   = "no_identifier"
	// ReasonPatientRevoked: another row of the same patient (patient_key)
	// carries a revoked consent, so none of the patient's rows is sent.
	ReasonPatientRevoked = "consent_revoked_patient"
)

// Notes: facts counted without excluding the row.
const (
	NoteValueMissing    = "value_missing"
	NoteValueUnparsed   = "value_not_a_number"
	NoteCurrencyInvalid = "currency_invalid"
)

// Options is one run's input.
type Options struct {
	Config    *config.Config
	Key       string // event-id HMAC key
	Input     io.Reader
	InputName string
	// Reader, when set, is the export already opened by Open; Input is
	// then not read.
	Reader *export.Reader
	Sink   sink.Sink
	// Revocations are the withdrawn order ids, patient keys and event ids
	// (consent.revocations_file); nil when there is no file.
	Revocations consent.Revocations
	// RevokedPatients holds the patients (see RevokedPatients) one of whose
	// rows revokes consent; nil when not scanned.
	RevokedPatients *orderset.Set
	// Columns adds export columns beyond the config's, such as the `expect`
	// column of a check fixture.
	Columns map[export.Column][]string
	// Observe, when set, is told the outcome of every row, for `hashgate
	// check`. The row is valid only during the call. It makes the run
	// sequential.
	Observe func(row export.Row, o Outcome)
	// Workers is how many goroutines decide rows: 0 means one per CPU
	// (GOMAXPROCS), 1 runs everything on the calling goroutine. The output
	// is the same, byte for byte, whatever the number.
	Workers int
}

// Outcome is what became of one row.
type Outcome struct {
	// Reason is the row's exclusion reason, "" when it was used.
	Reason string
	// Platforms lists the enabled platforms and, per platform, Skipped[i]:
	// "" when a conversion was made for it, else why not.
	Platforms []identifier.Platform
	Skipped   []string
}

// Spec derives the export column mapping from the config.
func Spec(c *config.Config) export.Spec {
	col := c.Input.Columns
	var s export.Spec
	s.HeaderRow = c.Input.HeaderRow
	s.Encoding = c.Input.Encoding
	s.Delimiter, _ = config.Delimiter(c.Input.Delimiter)
	s.SkipFooter = c.Input.SkipFooterLines
	set := func(k export.Column, names ...string) {
		for _, n := range names {
			if strings.TrimSpace(n) != "" {
				s.Headers[k] = append(s.Headers[k], n)
			}
		}
	}
	set(export.OrderID, col.OrderID...)
	set(export.AppointmentAt, col.AppointmentAt)
	set(export.AppointmentDate, col.AppointmentDate)
	set(export.AppointmentTime, col.AppointmentTime)
	set(export.Status, col.Status)
	set(export.Email, col.Email...)
	set(export.Phone, col.Phone...)
	set(export.FirstName, col.FirstName)
	set(export.LastName, col.LastName)
	set(export.PostalCode, col.PostalCode)
	set(export.City, col.City)
	set(export.State, col.State)
	set(export.Country, col.Country)
	if v := c.Conversion.Value; v == config.ValueActual || v == config.ValueBucket {
		set(export.Value, col.Value)
	}
	set(export.Currency, col.Currency)
	set(export.GCLID, col.GCLID)
	set(export.GBRAID, col.GBRAID)
	set(export.WBRAID, col.WBRAID)
	set(export.Consent, col.Consent)
	set(export.ConsentAt, col.ConsentAt)
	set(export.ConsentGoogle, col.ConsentGoogle)
	set(export.ConsentMeta, col.ConsentMeta)
	set(export.PatientKey, col.PatientKey)
	set(export.AdPersonalization, col.AdPersonalization)
	return s
}

// fieldColumn maps an identifier field to its export column (an array,
// not a map: it is read for every field of every row). ok is false for
// fields with no column (external_id).
func fieldColumn(f identifier.Field) (c export.Column, ok bool) {
	if int(f) < len(fieldColumns) && fieldColumns[f].ok {
		return fieldColumns[f].col, true
	}
	return 0, false
}

var fieldColumns = func() (t [identifier.ExternalID + 1]struct {
	col export.Column
	ok  bool
}) {
	for f, c := range map[identifier.Field]export.Column{
		identifier.Email: export.Email, identifier.Phone: export.Phone,
		identifier.FirstName: export.FirstName, identifier.LastName: export.LastName,
		identifier.PostalCode: export.PostalCode, identifier.City: export.City,
		identifier.State: export.State, identifier.Country: export.Country,
	} {
		t[f].col, t[f].ok = c, true
	}
	return t
}()

// Open reads the export's layout and header (encoding, delimiter, header
// line, every configured column) from opt.Input. Commands call it before
// they create any output or start an upload, so a structural problem stops
// the run with nothing written or sent.
func Open(opt Options) (*export.Reader, error) {
	spec := Spec(opt.Config)
	for c, names := range opt.Columns {
		spec.Headers[c] = append(spec.Headers[c], names...)
	}
	return export.NewReader(opt.Input, opt.InputName, spec)
}

// RevokedPatients reads an export once, before the run proper, and
// returns the patients (input.columns.patient_key) with a revoked consent
// on any row, in any consent column. Exports repeat a patient on every
// visit; when the latest row says 已撤回 while earlier ones still say 同意,
// the patient has withdrawn, and none of the rows may be sent. Keys are
// held HMAC-derived (with opt.Key) in a bounded set, never as chart
// numbers. It returns nil when no patient key is configured. Rows this
// scan cannot read are left to the run proper to report.
//
// Dated revocations under consent.revoked_allows_earlier are not collected:
// that setting keeps appointments before the revocation date, which only
// the row that carries the date can decide.
func RevokedPatients(ctx context.Context, opt Options) (*orderset.Set, error) {
	if opt.Config.Input.Columns.PatientKey == "" {
		return nil, nil
	}
	rd, err := Open(opt)
	if err != nil {
		return nil, err
	}
	r := newRunner(opt.Config, opt)
	set := orderset.New("", orderset.Sizes{})
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				set.Close()
				return nil, err
			}
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return set, nil
		}
		if err != nil {
			set.Close()
			return nil, err
		}
		pk := row.Get(export.PatientKey)
		if pk == "" {
			continue
		}
		for _, c := range r.consentCols {
			if r.policy.Screen(row.Get(c)) == consent.ReasonRevoked {
				if _, err := set.Seen(patientKey(r.ids, pk), true); err != nil {
					set.Close()
					return nil, err
				}
				break
			}
		}
	}
}

// patientKey derives the set key of a patient: keyed like event ids, in
// a domain of its own so it never equals an order's key.
func patientKey(ids *eventid.Deriver, pk string) uint64 {
	_, k := ids.Derive("patient\x00" + pk)
	return k
}

// Run streams the export through the stages into opt.Sink, counting into sum.
// It returns a structural error (an *export.Error, or a *config.Error for a
// setting the data proves wrong) and stops at the first one; row problems
// are counted, never returned.
func Run(ctx context.Context, opt Options, sum *report.Summary) error {
	cfg := opt.Config
	rd := opt.Reader
	if rd == nil {
		var err error
		if rd, err = Open(opt); err != nil {
			return err
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > 1 && opt.Observe == nil {
		return runParallel(ctx, opt, rd, sum, workers)
	}
	r := newRunner(cfg, opt)
	seen := orderset.New("", orderset.Sizes{})
	defer seen.Close()
	var o outcome
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		sum.RowsRead++
		if err := r.process(row, &o); err != nil {
			return err
		}
		reason, err := settle(&o, seen, sum)
		if err != nil {
			return err
		}
		convs := o.convs
		if opt.Observe != nil {
			opt.Observe(row, Outcome{Reason: reason, Platforms: r.platforms, Skipped: r.skip})
		}
		if reason != "" {
			sum.Excluded[reason]++
			continue
		}
		sum.RowsUsed++
		for i, p := range r.platforms {
			if r.skip[i] != "" {
				sum.Skip(p.String(), r.skip[i])
			}
		}
		for _, c := range convs {
			if err := opt.Sink.Write(c); err != nil {
				return fmt.Errorf("write conversion from line %d: %w", c.Line, err)
			}
			sum.Conversions[c.Platform.String()]++
		}
	}
}

// runner holds one run's per-row state; everything is reused between rows.
type runner struct {
	cfg         *config.Config
	name        string
	platforms   []identifier.Platform
	consentCols []export.Column
	fields      map[identifier.Platform][]identifier.Field
	specs       []*platform.Spec // per enabled platform
	// Per enabled platform: identifier slots left for fields outside a
	// group (Spec.MaxIdentifiers less one per group in use; 0: no cap),
	// the groups in use (bit per Spec.Groups index), and per row the
	// ungrouped identifiers taken and the groups seen and spoilt.
	limit       []int
	groupsInUse []uint64
	ungrouped   []int
	groupSeen   []uint64
	groupBad    []uint64
	// group[p][f] is the index of f's group in p's Spec, or -1.
	group       [platform.Count][platform.FieldCount]int8
	policy      *consent.Policy
	adPolicy    *consent.Policy
	revocations consent.Revocations
	revokedPats *orderset.Set
	// One parser per column: each remembers the layout that matched last,
	// and the two columns usually differ (a wall time and an RFC 3339
	// timestamp), so a shared one failed a layout on every call.
	times        *eventtime.Parser
	consentTimes *eventtime.Parser
	ids          *eventid.Deriver
	opt          identifier.Options
	convs        []conversion.Conversion
	out          []*conversion.Conversion
	skip         []string // per platform: why this row is not sent there
	cells        []string // the row's cells for one field
	vals         []string // the identifier values in them
	results      []identifier.Result
	eventName    string
	currencies   map[string]bool
	statuses     map[string]bool // folded conversion.statuses
	want         [platform.Count][platform.FieldCount]bool
}

func newRunner(cfg *config.Config, opt Options) *runner {
	c := cfg.Consent
	r := &runner{
		cfg:       cfg,
		name:      opt.InputName,
		platforms: cfg.Enabled(),
		fields:    map[identifier.Platform][]identifier.Field{},
		policy: consent.NewPolicy(consent.Options{
			Granted: c.Granted, Denied: c.Denied, Revoked: c.Revoked, Scoped: c.Scoped,
			RequireTimestamp: c.RequireTimestamp, RevokedAllowsEarlier: c.RevokedAllowsEarlier,
			Location: cfg.Location(),
		}),
		adPolicy:     consent.NewPolicy(consent.Options{Granted: c.Granted}),
		revocations:  opt.Revocations,
		revokedPats:  opt.RevokedPatients,
		times:        eventtime.NewParser(TimeOptions(cfg)),
		consentTimes: eventtime.NewParser(TimeOptions(cfg)),
		ids:          eventid.NewDeriver(opt.Key),
		opt:          identifier.Options{Region: cfg.Region},
		eventName:    cfg.Conversion.EventName,
		currencies:   map[string]bool{},
		statuses:     map[string]bool{},
	}
	for _, st := range cfg.Conversion.Statuses {
		r.statuses[consent.Fold(st)] = true
	}
	for _, p := range r.platforms {
		r.fields[p] = cfg.IdentifierFields(p)
		for _, f := range r.fields[p] {
			r.want[p][f] = true
		}
		col := export.Consent
		if cfg.OwnConsentColumn(p) != "" {
			col = ownConsentColumns[p.Spec().ConsentKey]
		}
		r.consentCols = append(r.consentCols, col)
		spec := p.Spec()
		r.specs = append(r.specs, spec)
		for f := range r.group[p] {
			r.group[p][f] = int8(spec.GroupOf(platform.Field(f)))
		}
		var inUse uint64
		for _, f := range r.fields[p] {
			if g := r.group[p][f]; g >= 0 {
				inUse |= 1 << g
			}
		}
		r.groupsInUse = append(r.groupsInUse, inUse)
		limit := 0
		if spec.MaxIdentifiers > 0 {
			limit = spec.MaxIdentifiers - bits.OnesCount64(inUse)
		}
		r.limit = append(r.limit, limit)
	}
	r.ungrouped = make([]int, len(r.platforms))
	r.groupSeen = make([]uint64, len(r.platforms))
	r.groupBad = make([]uint64, len(r.platforms))
	r.convs = make([]conversion.Conversion, len(r.platforms))
	r.skip = make([]string, len(r.platforms))
	r.results = make([]identifier.Result, len(r.platforms))
	return r
}

// ownConsentColumns maps Spec.ConsentKey, the input.columns key of a
// platform's own consent column, to its export column.
var ownConsentColumns = map[string]export.Column{
	"consent_google": export.ConsentGoogle,
	"consent_meta":   export.ConsentMeta,
}

// decided returns the row's reason when every platform is excluded (the
// first platform's reason), or "".
func (r *runner) decided() string {
	for _, s := range r.skip {
		if s == "" {
			return ""
		}
	}
	return r.skip[0]
}

// outcome is what process decided for one row, before the sequential
// part (duplicate detection, counting) that settle applies in export order.
type outcome struct {
	convs  []*conversion.Conversion
	reason string
	// late: reason was decided after the point where a duplicate order
	// would have been recognised (no_identifier); a duplicate still wins.
	late bool
	dup  uint64
	t    tally
	// Where a parallel run keeps this row's conversions in its chunk.
	convFirst, convN int
	idN              []int // identifiers per conversion
}

// tally holds a row's counts until settle knows the row is no duplicate
// (a duplicate row counts under duplicate_order and nothing else).
type tally struct{ drops, notes []string }

func (t *tally) drop(p, f, reason string) { t.drops = append(t.drops, p+" "+f+" "+reason) }
func (t *tally) note(n string)            { t.notes = append(t.notes, n) }
func (t *tally) reset()                   { t.drops, t.notes = t.drops[:0], t.notes[:0] }
func (t *tally) apply(sum *report.Summary) {
	for _, d := range t.drops {
		sum.Dropped[d]++
	}
	for _, n := range t.notes {
		sum.Notes[n]++
	}
}

// settle applies the sequential rule: among rows that would become
// conversions, the first of an order is the conversion and later ones are
// duplicate_order. It returns the row's final reason.
func settle(o *outcome, seen *orderset.Set, sum *report.Summary) (string, error) {
	if o.reason == "" || o.late {
		dup, err := seen.Seen(o.dup, o.reason == "")
		if err != nil {
			return "", err
		}
		if dup {
			return ReasonDuplicate, nil
		}
	}
	o.t.apply(sum)
	return o.reason, nil
}

// process decides one row; it touches no state shared between rows, so
// several runners can process rows at once.
func (r *runner) process(row export.Row, o *outcome) error {
	o.convs, o.reason, o.late, o.dup = nil, "", false, 0
	o.t.reset()
	for i := range r.skip {
		r.skip[i] = ""
	}
	if row.Short() {
		o.reason = ReasonMalformedRow
		return nil
	}
	orderID, ok := row.Key(export.OrderID)
	if !ok {
		o.reason = ReasonMissingOrderID
		return nil
	}
	id, dup := r.ids.Derive(orderID)
	o.dup = dup
	if r.revocations != nil && r.revocations.Has(orderID, strings.ReplaceAll(orderID, "\x1f", "|"), row.Get(export.PatientKey), string(id)) {
		o.reason = consent.ReasonListed
		return nil
	}
	for i := range r.platforms {
		if i > 0 && r.consentCols[i] == r.consentCols[i-1] {
			r.skip[i] = r.skip[i-1] // one consent column for both: judge it once
			continue
		}
		r.skip[i] = r.policy.Screen(row.Get(r.consentCols[i]))
	}
	if o.reason = r.decided(); o.reason != "" {
		return nil
	}
	if r.revokedPats != nil {
		if pk := row.Get(export.PatientKey); pk != "" {
			revoked, err := r.revokedPats.Has(patientKey(r.ids, pk))
			if err != nil {
				return err
			}
			if revoked {
				o.reason = ReasonPatientRevoked
				return nil
			}
		}
	}
	at, err := r.eventTime(row)
	if err != nil {
		if err := r.settingMissing(row, r.timeColumn(), err); err != nil {
			return err
		}
		o.reason = ReasonInvalidTime
		return nil
	}
	in := consent.Input{Event: at}
	if raw := row.Get(export.ConsentAt); raw != "" {
		in.HasAt = true
		in.At, in.AtErr = r.consentTimes.Parse(raw)
		if err := r.settingMissing(row, export.ConsentAt, in.AtErr); err != nil {
			return err
		}
	}
	for i := range r.platforms {
		switch {
		case r.skip[i] != "":
		case i > 0 && r.consentCols[i] == r.consentCols[i-1]:
			r.skip[i] = r.skip[i-1]
		default:
			in.Value = row.Get(r.consentCols[i])
			r.skip[i] = r.policy.Decide(in)
		}
	}
	if o.reason = r.decided(); o.reason != "" {
		return nil
	}
	if r.cfg.Input.Columns.Status != "" && !r.converted(row.Get(export.Status)) {
		o.reason = ReasonNotConverted
		return nil
	}

	sum := &o.t
	value, hasValue, cur := r.value(row, sum)
	adPersonalization := r.cfg.Destinations.Google.AdPersonalization == "granted"
	if r.cfg.Input.Columns.AdPersonalization != "" {
		adPersonalization = r.adPolicy.Screen(row.Get(export.AdPersonalization)) == ""
	}
	for i, p := range r.platforms {
		c := &r.convs[i]
		*c = conversion.Conversion{
			Platform: p, EventID: id, Line: row.Line, Time: at, Name: r.eventName,
			Value: value, HasValue: hasValue, Currency: cur,
			Identifiers: c.Identifiers[:0],
		}
		if spec := r.specs[i]; len(spec.ClickIDs) > 0 {
			c.GCLID, c.GBRAID, c.WBRAID = row.Get(export.GCLID), row.Get(export.GBRAID), row.Get(export.WBRAID)
		}
		if r.specs[i].AdPersonalization {
			c.AdPersonalization = adPersonalization
		}
	}
	r.identifiers(row, sum)
	r.out = r.out[:0]
	for i := range r.convs {
		switch {
		case r.skip[i] != "":
		case usable(&r.convs[i]):
			r.out = append(r.out, &r.convs[i])
		default:
			r.skip[i] = ReasonNoIdentifier
		}
	}
	if len(r.out) == 0 {
		o.reason, o.late = r.decided(), true
		return nil
	}
	o.convs = r.out
	return nil
}

// usable: a conversion needs an identifier, or a click id on a platform
// that takes them (Spec.ClickIDs).
func usable(c *conversion.Conversion) bool {
	return len(c.Identifiers) > 0 ||
		len(c.Platform.Spec().ClickIDs) > 0 && (c.GCLID != "" || c.GBRAID != "" || c.WBRAID != "")
}

// identifiers prepares every configured identifier of the row for every
// platform still in play, counting each value that is dropped. It applies
// each platform's Spec: the identifier cap, and groups of fields that are
// sent all together or not at all.
func (r *runner) identifiers(row export.Row, sum *tally) {
	for i := range r.platforms {
		r.ungrouped[i], r.groupSeen[i], r.groupBad[i] = 0, 0, 0
	}
	for _, f := range identifier.Fields {
		col, ok := fieldColumn(f)
		if !ok || !r.wantedAnywhere(f) {
			continue
		}
		r.cells = row.All(col, r.cells[:0])
		r.vals = r.vals[:0]
		for _, cell := range r.cells {
			r.vals = identifier.Values(f, cell, r.vals)
		}
		if len(r.vals) == 0 {
			for i, p := range r.platforms {
				if g := r.group[p][f]; g >= 0 && r.groupsInUse[i]&(1<<g) != 0 {
					r.groupBad[i] |= 1 << g
				}
			}
		}
		for _, v := range r.vals {
			identifier.PrepareEach(r.platforms, f, v, r.opt, r.results)
			for i, p := range r.platforms {
				if r.skip[i] != "" || !r.wants(p, f) {
					continue
				}
				g := r.group[p][f]
				res := r.results[i]
				if res.Err != nil {
					var rej *identifier.Rejection
					reason := "rejected"
					if errors.As(res.Err, &rej) {
						reason = rej.Reason
					}
					sum.drop(p.String(), f.String(), reason)
					if g >= 0 {
						r.groupBad[i] |= 1 << g
					}
					continue
				}
				c := &r.convs[i]
				if g >= 0 {
					r.groupSeen[i] |= 1 << g
				} else if r.limit[i] > 0 && r.ungrouped[i] >= r.limit[i] {
					sum.drop(p.String(), f.String(), "over_identifier_limit")
					continue
				}
				if slices.Contains(c.Identifiers, res.Sent) {
					continue // the same number in two columns, or twice in one cell
				}
				c.Identifiers = append(c.Identifiers, res.Sent)
				if g < 0 {
					r.ungrouped[i]++
				}
			}
		}
	}
	for i, p := range r.platforms {
		spoilt := r.groupSeen[i] & r.groupBad[i]
		if spoilt == 0 || r.skip[i] != "" {
			continue
		}
		// A group (Google's AddressInfo: given name, family name, region
		// and postal code) is sent whole or not at all: never an invalid
		// one.
		c := &r.convs[i]
		kept := c.Identifiers[:0]
		for _, s := range c.Identifiers {
			if g := r.group[p][s.Field()]; g < 0 || spoilt&(1<<g) == 0 {
				kept = append(kept, s)
			}
		}
		c.Identifiers = kept
		for g, grp := range r.specs[i].Groups {
			if spoilt&(1<<g) != 0 {
				sum.drop(p.String(), grp.Name, grp.Incomplete)
			}
		}
	}
}

// wants reads the table built once in newRunner: this runs for every field
// of every row, where a map lookup showed in profiles.
func (r *runner) wants(p identifier.Platform, f identifier.Field) bool {
	return r.want[p][f]
}

func (r *runner) wantedAnywhere(f identifier.Field) bool {
	for i, p := range r.platforms {
		if r.skip[i] == "" && r.wants(p, f) {
			return true
		}
	}
	return false
}

func (r *runner) eventTime(row export.Row) (time.Time, error) {
	if r.cfg.Input.Columns.AppointmentAt != "" {
		return r.times.Parse(row.Get(export.AppointmentAt))
	}
	date, clock := row.Get(export.AppointmentDate), row.Get(export.AppointmentTime)
	if clock == "" {
		return r.times.Parse(date)
	}
	return r.times.Parse(date + " " + clock)
}

func (r *runner) timeColumn() export.Column {
	if r.cfg.Input.Columns.AppointmentAt == "" {
		return export.AppointmentDate
	}
	return export.AppointmentAt
}

// settingMissing turns a time the data shows the config cannot read — no
// zone for a wall time, a day/month order to choose, a year to assume —
// into a structural error naming the key to set and where the data showed
// it. Such a file is uniform, so the first dated row stops the run, before
// any batch is sent. Other parse errors are row problems: nil.
func (r *runner) settingMissing(row export.Row, c export.Column, err error) error {
	var key, problem string
	switch {
	case errors.Is(err, eventtime.ErrNoZone):
		key, problem = "timezone", "a time without a UTC offset needs the clinic's IANA time zone (e.g. timezone: Asia/Taipei)"
	case errors.Is(err, eventtime.ErrDateOrder):
		key, problem = "input.date_order", "this date could be month/day or day/month; say which (mdy for US exports, dmy for European ones, ymd)"
	case errors.Is(err, eventtime.ErrNoYear):
		key, problem = "input.default_year", "this date has no year; set the year the export covers (e.g. default_year: 2024)"
	default:
		return nil
	}
	line, col := row.Position(c)
	return &config.Error{Key: key, Problem: fmt.Sprintf("%s:%d:%d: %s", r.name, line, col, problem)}
}

// converted reports whether status is one of conversion.statuses,
// compared as vocabulary (已完成 and ＣＯＭＰＬＥＴＥＤ included).
func (r *runner) converted(status string) bool {
	return r.statuses[consent.Fold(status)]
}

// value applies the value policy: the fee itself, its bucket, a fixed
// amount, or nothing.
func (r *runner) value(row export.Row, sum *tally) (float64, bool, string) {
	conv := r.cfg.Conversion
	if conv.Value == config.ValueNone {
		return 0, false, ""
	}
	cur := strings.ToUpper(row.Get(export.Currency))
	if cur == "" {
		cur = strings.ToUpper(conv.Currency)
	}
	var v float64
	if conv.Value == config.ValueFixed {
		v = conv.FixedValue
		if conv.Currency != "" { // a fixed amount is stated in the configured currency
			cur = strings.ToUpper(conv.Currency)
		}
	} else {
		raw := row.Get(export.Value)
		if raw == "" {
			sum.note(NoteValueMissing)
			return 0, false, ""
		}
		var err error
		parse := money.Parse
		if r.cfg.Input.DecimalComma {
			parse = money.ParseDecimalComma
		}
		if v, err = parse(raw); err != nil {
			sum.note(NoteValueUnparsed)
			return 0, false, ""
		}
		if conv.Value == config.ValueBucket {
			v = bucket(v, conv.ValueBuckets)
		}
	}
	if !r.validCurrency(cur) {
		sum.note(NoteCurrencyInvalid)
		return 0, false, ""
	}
	return v, true, cur
}

// bucket returns the highest edge not above v, or 0 below the first edge.
func bucket(v float64, edges []float64) float64 {
	out := 0.0
	for _, e := range edges {
		if v < e {
			break
		}
		out = e
	}
	return out
}

// validCurrency checks an ISO 4217 code, remembering answers: an export
// holds a handful of distinct currencies.
func (r *runner) validCurrency(code string) bool {
	ok, seen := r.currencies[code]
	if !seen {
		_, err := currency.ParseISO(code)
		ok = err == nil && len(code) == 3
		if len(r.currencies) < 64 {
			r.currencies[code] = ok
		}
	}
	return ok
}

// Reasons lists every row exclusion and per-destination skip reason the
// pipeline can report, for validating `hashgate check` expectations.
func Reasons() []string {
	return []string{
		ReasonMalformedRow, ReasonMissingOrderID, consent.ReasonListed,
		consent.ReasonMissing, consent.ReasonRevoked, consent.ReasonScoped, consent.ReasonDenied,
		consent.ReasonNotGranted, ReasonInvalidTime, consent.ReasonTimeMissing, consent.ReasonTimeInvalid,
		consent.ReasonAfterEvent, ReasonNotConverted, ReasonDuplicate, ReasonNoIdentifier,
		ReasonPatientRevoked,
	}
}

// chunkRows is how many rows travel together between the stages: enough to
// make channel traffic negligible, few enough to keep memory flat.
const chunkRows = 512

// chunk is a run of consecutive rows and, once a worker has seen them,
// their outcomes. Chunks are recycled: everything a chunk owns (cells,
// outcomes, conversions, identifiers) is reused by the next chunk that
// takes it, so the steady state allocates nothing per row here.
type chunk struct {
	seq     int
	rows    []export.Row
	cells   []string // backing store of rows' cells
	outs    []outcome
	skips   []string // len(rows) × platforms, row-major
	convs   []conversion.Conversion
	ptrs    []*conversion.Conversion
	ids     []identifier.Sent
	readErr error // the reader stopped after these rows with this error
	rowErr  error // a structural error found in row errAt
	errAt   int
}

// reset readies a recycled chunk for sequence number seq.
func (c *chunk) reset(seq int) {
	c.seq, c.readErr, c.rowErr, c.errAt = seq, nil, nil, 0
	c.rows, c.cells = c.rows[:0], c.cells[:0]
	c.convs, c.ptrs, c.ids = c.convs[:0], c.ptrs[:0], c.ids[:0]
}

// keep copies a runner's reused conversions into the chunk's own storage.
// Pointers are taken only after every copy, since appends may move the
// backing arrays.
func (c *chunk) keep(o *outcome) {
	o.convFirst, o.convN = len(c.convs), len(o.convs)
	if len(o.convs) == 0 {
		o.convs = nil
		return
	}
	firstPtr := len(c.ptrs)
	for _, cv := range o.convs {
		c.ids = append(c.ids, cv.Identifiers...)
		own := *cv
		own.Identifiers = nil
		c.convs = append(c.convs, own)
		c.ptrs = append(c.ptrs, nil)
	}
	o.convs = c.ptrs[firstPtr:len(c.ptrs):len(c.ptrs)]
}

// link points every outcome at its conversions and identifiers once the
// chunk's storage has stopped growing.
func (c *chunk) link() {
	n := len(c.rows)
	if c.rowErr != nil {
		n = c.errAt // rows from errAt on are never settled
	}
	id := 0
	for i := range c.outs[:n] {
		o := &c.outs[i]
		for k := 0; k < o.convN; k++ {
			cv := &c.convs[o.convFirst+k]
			n := o.idN[k]
			cv.Identifiers = c.ids[id : id+n : id+n]
			id += n
			o.convs[k] = cv
		}
	}
}

// runParallel is Run on several cores: one goroutine reads and splits the
// CSV, workers decide rows (consent, times, hashing — the costly part),
// and the calling goroutine settles duplicates, counts and writes in
// export order. Memory stays flat: at most a few chunks are in flight,
// and they are recycled.
func runParallel(ctx context.Context, opt Options, rd *export.Reader, sum *report.Summary, workers int) error {
	ctx, cancel := context.WithCancel(ctx)
	jobs := make(chan *chunk, workers)
	done := make(chan *chunk, workers)
	free := make(chan *chunk, 3*workers+2) // more than can be in flight: recycling never blocks
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // reader
		defer wg.Done()
		defer close(jobs)
		for seq := 0; ctx.Err() == nil; seq++ {
			var c *chunk
			select {
			case c = <-free:
			default:
				c = &chunk{rows: make([]export.Row, 0, chunkRows)}
			}
			c.reset(seq)
			for len(c.rows) < chunkRows {
				row, err := rd.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					c.readErr = err
					break
				}
				var d export.Row
				d, c.cells = row.DetachTo(c.cells)
				c.rows = append(c.rows, d)
			}
			last := c.readErr != nil || len(c.rows) < chunkRows
			select {
			case jobs <- c:
			case <-ctx.Done():
				return
			}
			if last {
				return
			}
		}
	}()
	var workersWG sync.WaitGroup
	nplat := len(opt.Config.Enabled())
	for range workers {
		workersWG.Add(1)
		go func() {
			defer workersWG.Done()
			r := newRunner(opt.Config, opt)
			for c := range jobs {
				if cap(c.outs) < len(c.rows) {
					c.outs = make([]outcome, len(c.rows))
				}
				c.outs = c.outs[:len(c.rows)]
				if need := len(c.rows) * nplat; cap(c.skips) < need {
					c.skips = make([]string, need)
				}
				c.skips = c.skips[:len(c.rows)*nplat]
				for i, row := range c.rows {
					o := &c.outs[i]
					if err := r.process(row, o); err != nil {
						c.rowErr, c.errAt = err, i
						break
					}
					o.idN = o.idN[:0]
					for _, cv := range o.convs {
						o.idN = append(o.idN, len(cv.Identifiers))
					}
					c.keep(o)
					copy(c.skips[i*nplat:], r.skip)
				}
				c.link()
				select {
				case done <- c:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { workersWG.Wait(); close(done) }()

	err := settleInOrder(ctx, opt, done, free, sum)
	cancel()
	for range done { // let every goroutine finish before returning
	}
	wg.Wait()
	return err
}

// settleInOrder consumes chunks in sequence order.
func settleInOrder(ctx context.Context, opt Options, done <-chan *chunk, free chan<- *chunk, sum *report.Summary) error {
	nplat := len(opt.Config.Enabled())
	platforms := opt.Config.Enabled()
	seen := orderset.New("", orderset.Sizes{})
	defer seen.Close()
	// Conversions are counted here and added to the summary once: a
	// string-keyed map update per conversion showed in profiles.
	counts := make([]int, len(platforms))
	defer func() {
		for j, p := range platforms {
			if counts[j] > 0 {
				sum.Conversions[p.String()] += counts[j]
			}
		}
	}()
	pending := map[int]*chunk{}
	next := 0
	for c := range done {
		pending[c.seq] = c
		for {
			c, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := ctx.Err(); err != nil {
				return err
			}
			for i := range c.rows {
				if c.rowErr != nil && i == c.errAt {
					return c.rowErr
				}
				sum.RowsRead++
				o := &c.outs[i]
				reason, err := settle(o, seen, sum)
				if err != nil {
					return err
				}
				if reason != "" {
					sum.Excluded[reason]++
					continue
				}
				sum.RowsUsed++
				for j, p := range platforms {
					if s := c.skips[i*nplat+j]; s != "" {
						sum.Skip(p.String(), s)
					}
				}
				for _, cv := range o.convs {
					if err := opt.Sink.Write(cv); err != nil {
						return fmt.Errorf("write conversion from line %d: %w", cv.Line, err)
					}
					for j, p := range platforms {
						if p == cv.Platform {
							counts[j]++
						}
					}
				}
			}
			if c.readErr != nil {
				return c.readErr
			}
			select {
			case free <- c: // its conversions were written: the reader may reuse it
			default:
			}
		}
	}
	return ctx.Err()
}
