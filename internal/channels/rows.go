package channels

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/money"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
	"github.com/hashgate/hashgate/internal/spend"
	"golang.org/x/text/currency"
)

// Reading the export for the channel report: each row's time, consent,
// channel and value, counted per order and then decided once per order,
// whatever the row order (the latest appointment decides).

// counter is the per-run state of reading the export.
type counter struct {
	t            *tally
	name         string
	times        *eventtime.Parser
	outcomes     map[string]outcome // folded status → outcome
	gate         *gate
	seed         maphash.Seed
	clickCols    [platform.Count][]export.Column
	loc          *time.Location
	parse        func(s, currency string) (float64, error) // money.ParseIn in the export's convention
	statusMapped bool
	patientKey   bool
	bookedAt     bool
	words        *wordRule
	// fit and bookedFit judge whether the appointment and booked_at
	// columns still fit the config (pipeline.DateFit), as the upload
	// does: an export re-saved with day and month swapped would otherwise
	// count its visits months away from their day, with no error. other
	// reads a date in the other day/month order (nil until needed, and
	// when input.date_order has none).
	fit, bookedFit *pipeline.DateFit
	// ident tracks which tokens of the channel vocabulary appear in the
	// export's cells that may name a person — every column but those the
	// config maps to a date, status, fee, source, click id, consent or order
	// id — and identCols marks those columns. An unmatched source word that
	// is also a token of a patient's name, e-mail or note is never named
	// (printable.Rule): the report's list printed "bing" beside a patient
	// Bing Lin, which inspect withholds (review, 2026-12-06).
	ident     *printable.Tokens
	identCols []bool
	// ahead is the row's record keys, made as it was read ahead
	// (readahead.go); key answers from them.
	ahead     *aheadKeys
	atCol     export.Column
	otherOpts eventtime.Options
	swappable bool
	other     *eventtime.Parser
	// clinic judges each row's clinic cell as the upload does
	// (pipeline.ClinicGuard); nil when the config maps no clinic column.
	// A chain's joined export under another branch's config otherwise
	// counted every branch's patients in this clinic's report, exit 0.
	clinic *pipeline.ClinicGuard
	// fees judges the fee column as the upload does (pipeline.ValueFit):
	// revenue summed from the fees that read, silently short of a re-saved
	// column's visits, is a figure the report cannot stand behind.
	fees *pipeline.ValueFit
}

// readExport reads every row of the export into the order log.
func (t *tally) readExport(ctx context.Context, opt Options) error {
	cfg := t.cfg
	spec := pipeline.Spec(cfg)
	if col := cfg.Input.Columns.Source; col != "" {
		spec.Headers[export.Source] = []string{col}
	}
	// The click ids that only attribute a row to a platform's channel
	// (Spec.AttributionClickIDs beyond the Spec.ClickIDs mapped above).
	for _, p := range platform.All {
		for _, key := range p.Spec().AttributionClickIDs {
			if k, ok := export.ColumnByKey(key); ok && len(spec.Headers[k]) == 0 {
				if h := cfg.Input.Columns.ByKey(key); h != "" {
					spec.Headers[k] = []string{h}
				}
			}
		}
	}
	if col := cfg.Input.Columns.BookedAt; col != "" {
		spec.Headers[export.BookedAt] = []string{col}
	}
	rd, err := export.NewReader(opt.Input, opt.InputName, spec)
	if err != nil {
		return err
	}
	c := &counter{
		t: t, name: opt.InputName, times: eventtime.NewParser(pipeline.TimeOptions(cfg)),
		outcomes: map[string]outcome{}, seed: maphash.MakeSeed(),
		loc: cfg.Location(), parse: func(s, cur string) (float64, error) { return money.ParseIn(s, cur, false) },
		statusMapped: cfg.Input.Columns.Status != "", patientKey: cfg.Input.Columns.PatientKey != "",
		bookedAt: cfg.Input.Columns.BookedAt != "", words: newWordRule(cfg),
	}
	t.wordRule = c.words
	t.declared, t.declaredOK = declaredCover(rd.Layout().Above, c.times, t.location())
	c.ident = printable.NewTokens(c.words.vocabulary)
	t.ident = c.ident
	c.identCols = make([]bool, len(rd.Layout().Header))
	for i := range c.identCols {
		c.identCols[i] = true
	}
	plain := []export.Column{export.OrderID, export.AppointmentAt, export.AppointmentDate, export.AppointmentTime,
		export.Status, export.Value, export.Currency, export.Source, export.Consent, export.ConsentAt, export.BookedAt}
	// The platforms' click ids and own consent columns, from their home.
	for _, key := range append(append(platform.ClickIDKeys(), platform.ConsentKeys()...), platform.KeyAdPersonalization) {
		if col, ok := export.ColumnByKey(key); ok {
			plain = append(plain, col)
		}
	}
	for _, col := range plain {
		for _, i := range rd.Indices(col) {
			if i < len(c.identCols) {
				c.identCols[i] = false
			}
		}
	}
	atCol, column, key := pipeline.AppointmentColumn(cfg)
	c.atCol = atCol
	c.fit = pipeline.NewDateFit(cfg, opt.InputName, column, key).Whole()
	c.bookedFit = pipeline.NewDateFit(cfg, opt.InputName, cfg.Input.Columns.BookedAt, "input.columns.booked_at").Whole()
	if !opt.Exact && cfg.Channels.MinCell > 1 {
		// Under the release rule a stop names the column, the setting and
		// the first misfit's line, never how many of the export's rows
		// (a review: "163 of the 491 dated rows", mailed with the report's
		// stderr).
		c.fit.Released()
		c.bookedFit.Released()
	}
	if c.clinic = pipeline.NewClinicGuard(cfg, opt.InputName); c.clinic != nil && !opt.Exact && cfg.Channels.MinCell > 1 {
		c.clinic.Released()
	}
	if c.fees = pipeline.NewValueFit(cfg, opt.InputName); !opt.Exact && cfg.Channels.MinCell > 1 {
		c.fees.Released()
	}
	c.otherOpts, c.swappable = pipeline.OtherDateOrder(pipeline.TimeOptions(cfg))
	for _, l := range []struct {
		list []string
		o    outcome
	}{{cfg.Conversion.Statuses, outVisit}, {cfg.Conversion.NoShowStatuses, outNoShow}, {cfg.Conversion.CancelledStatuses, outCancelled}} {
		for _, s := range l.list {
			c.outcomes[consent.Fold(s)] = l.o
		}
	}
	if cfg.Channels.ConsentedOnly {
		c.gate = newGate(cfg, eventtime.NewParser(pipeline.TimeOptions(cfg)))
	}
	if cfg.Input.DecimalComma {
		c.parse = func(s, cur string) (float64, error) { return money.ParseIn(s, cur, true) }
	}
	// Each platform's click-id columns, from its Spec.
	for _, p := range platform.All {
		for _, key := range p.Spec().AttributionClickIDs {
			if col, ok := export.ColumnByKey(key); ok && len(spec.Headers[col]) > 0 {
				c.clickCols[p] = append(c.clickCols[p], col)
			}
		}
	}
	// The rows come read ahead, their record keys made (readahead.go).
	stop := make(chan struct{})
	batches, done := readAhead(ctx, rd, t.rel, c.patientKey, stop)
	// A stop leaves the reader within a row or so of its reading; it is
	// not waited for: a stalled standard input would keep the stop from
	// being said (a review).
	defer close(stop)
	for b := range batches {
		for i, row := range b.rows {
			c.ahead = &b.keys[i]
			if err := c.count(row); err != nil {
				return err
			}
		}
		c.ahead = nil
		err := b.err
		if err == nil {
			done(b)
			continue
		}
		if errors.Is(err, io.EOF) {
			t.stats.HeaderRepeated, t.stats.HeaderRepeatedLine = rd.RepeatedHeaders()
			// Nothing is printed of an export that is another clinic's,
			// judged first as the upload does (pipeline's settle.go).
			if c.clinic != nil {
				if err := c.clinic.Err("no report was printed", "left out of every figure"); err != nil {
					return err
				}
			}
			// Nothing is printed from dates the config misreads.
			if err := c.fit.Err("no report was printed"); err != nil {
				return err
			}
			if err := c.bookedFit.Err("no report was printed"); err != nil {
				return err
			}
			// Nor revenue short of the visits whose fees no longer read.
			return c.fees.Err(feesUnread, "no report was printed")
		}
		return err
	}
	return ctx.Err() // only a stop ends the batches early, and only this loop stops them
}

// count files one row under its order. Nothing is counted yet: which row
// decides an order is known only once every row is read (decideOrders),
// so the result does not depend on the order of the rows.
func (c *counter) count(row export.Row) error {
	t, cfg := c.t, c.t.cfg
	t.stats.Rows++
	if row.Refused() != nil {
		t.stats.TooLarge++
		return nil
	}
	// Every row's cells that may name a person, a short one's too: it is
	// not counted, but the person it names is no less a person (a patient
	// Bing Lin on a row missing its last cell let "bing" be listed).
	for i, cell := range row.Cells() {
		if i < len(c.identCols) && c.identCols[i] && cell != "" {
			c.ident.Add(cell)
		}
	}
	if row.Malformed() {
		t.stats.Malformed++
		return nil
	}
	if c.clinic != nil && c.clinic.Other(row) {
		// Another branch's row (or one naming no clinic): never a row
		// of this clinic's report. Under exclude it is counted nowhere,
		// not even as read — the report of a chain's joined export is
		// the report of this clinic's rows alone; its kind is named on
		// stderr (OtherClinic). Under stop the run ends at the end of
		// the export, before anything is printed. Its cells still name
		// people (ident, above). A withdrawal on it has nothing to apply
		// to here: consented_only judges each row by its own consent.
		t.stats.Rows--
		if c.clinic.Exclude() {
			t.stats.OtherClinic++
		}
		return nil
	}
	order, ok := row.Key(export.OrderID)
	// Folded as the upload folds it (celltext.Fold: Ａ１００１ and
	// A10\u200b01 are A1001): the respelled rows of one order counted as
	// another booking, and drew another record key.
	if order = celltext.Fold(order); !ok || order == "" {
		t.stats.MissingOrderID++
		return nil
	}
	at, err := appointmentTime(cfg, c.times, row)
	if err != nil {
		if serr := settingMissing(c.name, row, c.atCol, err); serr != nil {
			return serr
		}
		line, col := row.Position(c.atCol)
		c.fit.Observe(true, c.readsSwapped(func(p *eventtime.Parser) error {
			_, err := appointmentTime(cfg, p, row)
			return err
		}), line, col)
		t.stats.InvalidTime++
		return nil
	}
	c.fit.Observe(false, false, 0, 0)
	t.noteDated(at.Unix())
	if c.loc != nil {
		at = at.In(c.loc)
	}
	if c.gate != nil && !c.gate.allows(row, at) {
		t.stats.NotConsented++
		return nil
	}
	src := row.Get(export.Source)
	ch := t.attr.Channel(src, func(p platform.Platform) bool {
		return slices.ContainsFunc(c.clickCols[p], func(col export.Column) bool { return IsClickID(row.Get(col)) })
	})
	r := orderRow{key: c.key(recordBooking, order), at: at.Unix(), tie: rowHash(row), channel: int32(ch), word: -1, outcome: outVisit}
	if c.statusMapped {
		o, ok := c.outcomes[consent.Fold(row.Get(export.Status))]
		if !ok {
			o = outUnclassified
		}
		r.outcome = o
	}
	if r.outcome == outVisit {
		if v, ok := t.value(row, c.parse, c.fees); ok {
			r.value, r.flags = toAmount(v), r.flags|hasValue
		} else if t.stats.DecimalCommaAt == "" && !t.cfg.Input.DecimalComma && money.DecimalCommaShape(row.Get(export.Value)) {
			// Asked only of an unreadable value: where, never what.
			line, col := row.Position(export.Value)
			t.stats.DecimalCommaAt = fmt.Sprintf("%s:%d:%d", c.name, line, col)
		}
	}
	if pk := row.Get(export.PatientKey); pk != "" && c.patientKey {
		r.patient, r.flags = c.key(recordPatient, pk), r.flags|hasPatient
		if t.rekey != nil {
			if err := t.rekey.row(c.seed, row, r.patient, r.at, r.tie); err != nil {
				return err
			}
		}
	}
	if c.bookedAt {
		if v := row.Get(export.BookedAt); v != "" {
			if b, err := c.times.Parse(v); err == nil {
				r.booked, r.flags = b.Unix(), r.flags|hasBooked
				c.bookedFit.Observe(false, false, 0, 0)
			} else {
				if serr := settingMissing(c.name, row, export.BookedAt, err); serr != nil {
					return serr
				}
				// As the upload judges it: a placeholder (no digit) or an
				// error that is no format's says nothing of the column.
				if pipeline.DateMisfit(v, err) {
					line, col := row.Position(export.BookedAt)
					c.bookedFit.Observe(true, c.readsSwapped(func(p *eventtime.Parser) error {
						_, err := p.Parse(v)
						return err
					}), line, col)
				} else {
					c.bookedFit.Observe(false, false, 0, 0)
				}
				t.stats.BookedAtUnreadable++
			}
		}
	}
	if !t.attr.Matches(src) {
		r.word = c.words.index(t, src)
		if ch == t.attr.Unattributed() && src != "" && !c.words.known(src) {
			r.word = wordUnknown
		}
	}
	return t.orders.add(r)
}

// decideOrders counts every order once, as the row with its latest
// appointment says (see orderCodec for ties): its day, channel and
// outcome. An appointment on or after --as-of is pending, whatever its
// status says, unless it was cancelled.
func (t *tally) decideOrders() error {
	var cur orderRow
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		r := cur
		d := dayNumber(time.Unix(r.at, 0).In(t.location()))
		if !t.seeded || d < t.minDay {
			t.minDay = d
		}
		if !t.seeded || d > t.maxDay {
			t.maxDay = d
		}
		t.seeded = true
		t.rows[d] += n
		t.orderN[d]++
		o := r.outcome
		if d >= t.asOf && o != outCancelled {
			o = outPending
		}
		c := &t.day(d)[r.channel]
		c.bookings++
		c.keys[mBookings] += r.key // under a release key, the order's record key
		if r.flags&hasBooked != 0 {
			bd := dayNumber(time.Unix(r.booked, 0).In(t.location()))
			m := &t.day(bd)[r.channel]
			m.bookingsMade++
			m.keys[mBookingsMade] += r.key
			lead := float64(max(d-bd, 0)) // a booking "made" after its appointment: same day
			m.leadDays += lead
			m.leadDaysNoise += t.rel.leadNoise(r.contributor(), lead)
		}
		switch o {
		case outVisit:
			c.visits++
			c.keys[mVisits] += r.key
			var noise amount // one draw a visit, for every amount it is in
			if r.flags&hasValue != 0 {
				noise = t.rel.valueNoise(r.contributor(), r.value)
				c.revenue += r.value
				c.valued++
				c.top = max(c.top, r.value)
				c.revenueNoise += noise
			}
			if r.flags&hasPatient != 0 {
				if err := t.patients.add(r.patient, r.at, r.tie, int(r.channel), r.value, noise); err != nil {
					return err
				}
			}
		case outNoShow:
			c.noShows++
			c.keys[mNoShows] += r.key
		case outCancelled:
			c.cancellations++
			c.keys[mCancellations] += r.key
		case outPending:
			c.pending++
			c.keys[mPending] += r.key
		default:
			c.unclassified++
			c.keys[mUnclassified] += r.key
		}
		if r.word == wordUnknown {
			t.unknownDays[d]++
		}
		if r.word >= 0 {
			m := t.wordDays[r.word]
			if m == nil {
				m = map[int32]float64{}
				t.wordDays[r.word] = m
				t.wordKeys[r.word] = map[int32]uint64{}
			}
			m[d]++
			t.wordKeys[r.word][d] += r.key
		}
		return nil
	}
	err := t.orders.each(func(r orderRow) error {
		if n > 0 && r.key == cur.key {
			n++
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		cur, n = r, 1
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// feesUnread is what fee cells that do not read do to the report, as
// the fee stop says it (pipeline.ValueFit.Err).
const feesUnread = "their visits would add nothing to revenue, ROAS, the 14d value or the spans' amounts, each short of them without a word in the report"

// value applies the value policy to a visit; ok is false when the policy
// yields no amount for it. Each fee cell it reads is observed by fees.
func (t *tally) value(row export.Row, parse func(s, currency string) (float64, error), fees *pipeline.ValueFit) (float64, bool) {
	conv := t.cfg.Conversion
	var v float64
	cur := strings.ToUpper(conv.Currency)
	switch conv.Value {
	case config.ValueNone:
		return 0, false
	case config.ValueFixed:
		v = conv.FixedValue
	default:
		if c := strings.ToUpper(row.Get(export.Currency)); c != "" {
			if _, err := currency.ParseISO(c); err != nil || len(c) != 3 {
				t.stats.ValueSkipped++
				return 0, false
			}
			cur = c
		}
		// A fee naming another currency than the row's is unreadable,
		// as the upload counts it (money.ParseIn), never summed as the
		// row's.
		raw := row.Get(export.Value)
		var err error
		v, err = parse(raw, cur)
		if raw != "" {
			fees.Observe(row, raw, cur, t.cfg.Input.DecimalComma, err)
		}
		if raw == "" || err != nil || !(v <= spend.MaxAmount) {
			t.stats.ValueSkipped++ // unreadable, or past any fee (and +Inf): never summed
			return 0, false
		}
		if conv.Value == config.ValueBucket {
			v = money.Bucket(v, conv.ValueBuckets)
		}
	}
	v, ok := t.convert(v, cur)
	if !ok || !(v <= spend.MaxAmount) {
		t.stats.ValueSkipped++
		return 0, false
	}
	return v, true
}

func appointmentTime(cfg *config.Config, p *eventtime.Parser, row export.Row) (time.Time, error) {
	if cfg.Input.Columns.AppointmentAt != "" {
		return p.Parse(row.Get(export.AppointmentAt))
	}
	date, clock := row.Get(export.AppointmentDate), row.Get(export.AppointmentTime)
	if clock == "" {
		return p.Parse(date)
	}
	return p.Parse(date + " " + clock)
}

// readsSwapped says whether a date that did not read under
// input.date_order reads under the other day/month order (parse reads it
// with the parser it is given): 19/10/2026 under mdy.
func (c *counter) readsSwapped(parse func(*eventtime.Parser) error) bool {
	if !c.swappable {
		return false
	}
	if c.other == nil {
		c.other = eventtime.NewParser(c.otherOpts)
	}
	return parse(c.other) == nil
}

// settingMissing turns a time the config cannot read (no zone, ambiguous
// day/month order, no year) in column c into an error naming the key to
// set, as the upload pipeline does; other unreadable times are row
// problems (nil).
func settingMissing(name string, row export.Row, c export.Column, err error) error {
	var key, problem string
	switch {
	case errors.Is(err, eventtime.ErrNoZone):
		key, problem = "timezone", "a time without a UTC offset needs the clinic's IANA time zone (e.g. timezone: Asia/Taipei)"
	case errors.Is(err, eventtime.ErrDateOrder):
		key, problem = "input.date_order", "this is a numeric date, read only by input.date_order, which is not set; say which (mdy, dmy or ymd)"
	case errors.Is(err, eventtime.ErrNoYear):
		key, problem = "input.default_year", "this date has no year; set the year the export covers"
	default:
		return nil
	}
	line, col := row.Position(c)
	return &config.Error{Key: key, Problem: fmt.Sprintf("%s:%d:%d: %s", name, line, col, problem)}
}

// gate applies the consent policy under channels.consented_only: a row
// counts when any of its configured consent columns passes.
type gate struct {
	policy  *consent.Policy
	cols    []export.Column
	times   *eventtime.Parser
	patient *pipeline.PatientReader
	atCol   bool
}

func newGate(cfg *config.Config, times *eventtime.Parser) *gate {
	g := &gate{
		// The upload's policy, age and expiry included: a minor or an
		// expired consent is not consented here either.
		policy: pipeline.ConsentPolicy(cfg), patient: pipeline.NewPatientReader(cfg, time.Time{}),
		times: times, atCol: cfg.Input.Columns.ConsentAt != "",
	}
	if cfg.Input.Columns.Consent != "" {
		g.cols = append(g.cols, export.Consent)
	}
	// Each platform's own consent column (Spec.ConsentKey), when mapped.
	for _, p := range platform.All {
		if cfg.OwnConsentColumn(p) == "" {
			continue
		}
		if c, ok := export.ColumnByKey(p.Spec().ConsentKey); ok {
			g.cols = append(g.cols, c)
		}
	}
	return g
}

func (g *gate) allows(row export.Row, at time.Time) bool {
	in := consent.Input{Event: at}
	g.patient.Read(row, &in)
	if g.atCol {
		if v := row.Get(export.ConsentAt); v != "" {
			in.HasAt = true
			in.At, in.AtErr = g.times.Parse(v)
		}
	}
	for _, c := range g.cols {
		in.Value = row.Get(c)
		if g.policy.Decide(in) == "" {
			return true
		}
	}
	return false
}
