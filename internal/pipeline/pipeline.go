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
//	malformed_row, missing_order_id, consent_missing, consent_not_granted,
//	invalid_time, consent_time_missing, consent_time_invalid,
//	consent_after_event, status_not_converted, duplicate_order, no_identifier
//
// Consent comes before status so that a fixture run by `hashgate check`
// reports consent reasons for consent rows whatever their status.
// duplicate_order is decided among rows that pass every other check: the
// first usable row of an appointment is its conversion.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
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
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
)

// Row exclusion reasons decided here (consent reasons live in package consent).
const (
	ReasonMalformedRow   = "malformed_row"
	ReasonMissingOrderID = "missing_order_id"
	ReasonInvalidTime    = "invalid_time"
	ReasonNotConverted   = "status_not_converted"
	ReasonDuplicate      = "duplicate_order"
	ReasonNoIdentifier   = "no_identifier"
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
	Sink      sink.Sink
}

// Spec derives the export column mapping from the config.
func Spec(c *config.Config) export.Spec {
	col := c.Input.Columns
	var s export.Spec
	s.HeaderRow = c.Input.HeaderRow
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
	if c.Conversion.Value == config.ValueActual {
		set(export.Value, col.Value)
	}
	set(export.Currency, col.Currency)
	set(export.GCLID, col.GCLID)
	set(export.GBRAID, col.GBRAID)
	set(export.WBRAID, col.WBRAID)
	set(export.Consent, col.Consent)
	set(export.ConsentAt, col.ConsentAt)
	return s
}

var fieldColumn = map[identifier.Field]export.Column{
	identifier.Email: export.Email, identifier.Phone: export.Phone,
	identifier.FirstName: export.FirstName, identifier.LastName: export.LastName,
	identifier.PostalCode: export.PostalCode, identifier.City: export.City,
	identifier.State: export.State, identifier.Country: export.Country,
}

// googleMaxIdentifiers is the Data Manager API's limit per event.
const googleMaxIdentifiers = 10

// Run streams the export through the stages into opt.Sink, counting into sum.
// It returns a structural error (an *export.Error, or a *config.Error for a
// setting the data proves wrong) and stops at the first one; row problems
// are counted, never returned.
func Run(ctx context.Context, opt Options, sum *report.Summary) error {
	cfg := opt.Config
	rd, err := export.NewReader(opt.Input, opt.InputName, Spec(cfg))
	if err != nil {
		return err
	}
	r := newRunner(cfg, opt.Key)
	r.name = opt.InputName
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
		convs, reason, err := r.process(row, sum)
		if err != nil {
			return err
		}
		if reason != "" {
			sum.Excluded[reason]++
			continue
		}
		sum.RowsUsed++
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
	cfg        *config.Config
	name       string
	platforms  []identifier.Platform
	fields     map[identifier.Platform][]identifier.Field
	googleAddr bool
	policy     *consent.Policy
	times      *eventtime.Parser
	ids        *eventid.Deriver
	seen       map[uint64]struct{}
	opt        identifier.Options
	convs      []conversion.Conversion
	out        []*conversion.Conversion
	vals       []string
	results    []identifier.Result
	eventName  string
	currencies map[string]bool
}

func newRunner(cfg *config.Config, key string) *runner {
	r := &runner{
		cfg:        cfg,
		platforms:  cfg.Enabled(),
		fields:     map[identifier.Platform][]identifier.Field{},
		policy:     consent.NewPolicy(cfg.Consent.Granted, cfg.Consent.RequireTimestamp),
		times:      eventtime.NewParser(cfg.Input.TimeFormats, cfg.Location()),
		ids:        eventid.NewDeriver(key),
		seen:       map[uint64]struct{}{},
		opt:        identifier.Options{Region: cfg.Region},
		eventName:  cfg.Conversion.EventName,
		currencies: map[string]bool{},
	}
	for _, p := range r.platforms {
		r.fields[p] = cfg.IdentifierFields(p)
	}
	for _, f := range r.fields[identifier.Google] {
		if isAddress(f) {
			r.googleAddr = true
		}
	}
	r.convs = make([]conversion.Conversion, len(r.platforms))
	r.results = make([]identifier.Result, len(r.platforms))
	return r
}

func isAddress(f identifier.Field) bool {
	return f == identifier.FirstName || f == identifier.LastName || f == identifier.PostalCode || f == identifier.Country
}

func (r *runner) process(row export.Row, sum *report.Summary) ([]*conversion.Conversion, string, error) {
	if row.Short() {
		return nil, ReasonMalformedRow, nil
	}
	orderID, ok := row.Key(export.OrderID)
	if !ok {
		return nil, ReasonMissingOrderID, nil
	}
	consentValue := row.Get(export.Consent)
	if reason := r.policy.Decide(consent.Input{Value: consentValue}); reason == consent.ReasonMissing || reason == consent.ReasonNotGranted {
		return nil, reason, nil
	}
	at, err := r.eventTime(row)
	if err != nil {
		if errors.Is(err, eventtime.ErrNoZone) {
			return nil, "", r.noZone(row)
		}
		return nil, ReasonInvalidTime, nil
	}
	in := consent.Input{Value: consentValue, Event: at}
	if raw := row.Get(export.ConsentAt); raw != "" {
		in.HasAt = true
		in.At, in.AtErr = r.times.Parse(raw)
		if errors.Is(in.AtErr, eventtime.ErrNoZone) {
			return nil, "", r.noZone(row)
		}
	}
	if reason := r.policy.Decide(in); reason != "" {
		return nil, reason, nil
	}
	if r.cfg.Input.Columns.Status != "" && !r.converted(row.Get(export.Status)) {
		return nil, ReasonNotConverted, nil
	}
	id, dup := r.ids.Derive(orderID)
	if _, seen := r.seen[dup]; seen {
		return nil, ReasonDuplicate, nil
	}

	value, hasValue, currency := r.value(row, sum)
	r.out = r.out[:0]
	for i, p := range r.platforms {
		c := &r.convs[i]
		*c = conversion.Conversion{
			Platform: p, EventID: id, Line: row.Line, Time: at, Name: r.eventName,
			Value: value, HasValue: hasValue, Currency: currency,
			Identifiers: c.Identifiers[:0],
		}
		if p == identifier.Google {
			c.GCLID, c.GBRAID, c.WBRAID = row.Get(export.GCLID), row.Get(export.GBRAID), row.Get(export.WBRAID)
		}
	}
	r.identifiers(row, sum)
	for i := range r.convs {
		if usable(&r.convs[i]) {
			r.out = append(r.out, &r.convs[i])
		}
	}
	if len(r.out) == 0 {
		return nil, ReasonNoIdentifier, nil
	}
	for i := range r.convs {
		if !usable(&r.convs[i]) {
			sum.Skip(r.convs[i].Platform.String(), ReasonNoIdentifier)
		}
	}
	r.seen[dup] = struct{}{}
	return r.out, "", nil
}

// usable: Meta needs an identifier; Google also takes a click id alone.
func usable(c *conversion.Conversion) bool {
	return len(c.Identifiers) > 0 ||
		c.Platform == identifier.Google && (c.GCLID != "" || c.GBRAID != "" || c.WBRAID != "")
}

// identifiers prepares every configured identifier of the row for every
// platform, counting each value that is dropped.
func (r *runner) identifiers(row export.Row, sum *report.Summary) {
	var addrOK, addrSeen bool = true, false
	for _, f := range identifier.Fields {
		col, ok := fieldColumn[f]
		if !ok {
			continue
		}
		r.vals = row.All(col, r.vals[:0])
		wanted := false
		for _, p := range r.platforms {
			for _, g := range r.fields[p] {
				wanted = wanted || g == f
			}
		}
		if !wanted {
			continue
		}
		if len(r.vals) == 0 && r.googleAddr && isAddress(f) && r.wants(identifier.Google, f) {
			addrOK = false
		}
		for _, v := range r.vals {
			identifier.PrepareEach(r.platforms, f, v, r.opt, r.results)
			for i, p := range r.platforms {
				if !r.wants(p, f) {
					continue
				}
				res := r.results[i]
				if res.Err != nil {
					var rej *identifier.Rejection
					reason := "rejected"
					if errors.As(res.Err, &rej) {
						reason = rej.Reason
					}
					sum.Drop(p.String(), f.String(), reason)
					if p == identifier.Google && isAddress(f) {
						addrOK = false
					}
					continue
				}
				c := &r.convs[i]
				if p == identifier.Google {
					if isAddress(f) {
						addrSeen = true
					} else if len(c.Identifiers) >= googleMaxIdentifiers-boolInt(r.googleAddr) {
						sum.Drop(p.String(), f.String(), "over_identifier_limit")
						continue
					}
				}
				c.Identifiers = append(c.Identifiers, res.Sent)
			}
		}
	}
	if r.googleAddr && addrSeen && !addrOK {
		// AddressInfo needs given name, family name, region and postal code
		// together: send none of them rather than an invalid address.
		for i, p := range r.platforms {
			if p != identifier.Google {
				continue
			}
			c := &r.convs[i]
			kept := c.Identifiers[:0]
			for _, s := range c.Identifiers {
				if !isAddress(s.Field()) {
					kept = append(kept, s)
				}
			}
			c.Identifiers = kept
			sum.Drop(p.String(), "address", "address_incomplete")
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (r *runner) wants(p identifier.Platform, f identifier.Field) bool {
	for _, g := range r.fields[p] {
		if g == f {
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

func (r *runner) noZone(row export.Row) error {
	c := export.AppointmentAt
	if r.cfg.Input.Columns.AppointmentAt == "" {
		c = export.AppointmentDate
	}
	line, col := row.Position(c)
	return &config.Error{Key: "timezone", Problem: fmt.Sprintf(
		"%s:%d:%d: a time without a UTC offset needs the clinic's IANA time zone (e.g. timezone: Asia/Taipei)",
		r.name, line, col)}
}

func (r *runner) converted(status string) bool {
	for _, s := range r.cfg.Conversion.Statuses {
		if strings.EqualFold(strings.TrimSpace(s), status) {
			return true
		}
	}
	return false
}

func (r *runner) value(row export.Row, sum *report.Summary) (float64, bool, string) {
	if r.cfg.Conversion.Value != config.ValueActual {
		return 0, false, ""
	}
	raw := row.Get(export.Value)
	if raw == "" {
		sum.Notes[NoteValueMissing]++
		return 0, false, ""
	}
	v, err := money.Parse(raw)
	if err != nil {
		sum.Notes[NoteValueUnparsed]++
		return 0, false, ""
	}
	cur := strings.ToUpper(row.Get(export.Currency))
	if cur == "" {
		cur = strings.ToUpper(r.cfg.Conversion.Currency)
	}
	if !r.validCurrency(cur) {
		sum.Notes[NoteCurrencyInvalid]++
		return 0, false, ""
	}
	return v, true, cur
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
