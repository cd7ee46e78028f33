package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/phi"
	"github.com/hashgate/hashgate/internal/plaintext"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/sink"
)

// runner holds one run's per-row state; everything is reused between rows.
// A row's cells are views of storage that is overwritten once the row is
// held (export.Reader.NextTo, chunk.text): a runner keeps no cell, nor a
// string cut from one, beyond its row — what it remembers across rows
// (validCurrency) it copies; what is remembered by line (rowValues,
// country) is read for that line only.
type runner struct {
	cfg         *config.Config
	name        string
	platforms   []identifier.Platform
	consentCols []export.Column
	fields      map[identifier.Platform][]identifier.Field
	specs       []*platform.Spec // per enabled platform
	// clickSlots: per enabled platform, the conversion's click-id slots
	// (indexes into Conversion.ClickIDs) its Spec.ClickIDs name, each
	// with its export column: a platform receives its own click ids only.
	clickSlots [][]clickSlot
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
	dropKeys    dropKeys // the drop keys this worker made last
	revocations *consent.Revocations
	// wcols are the consent columns whose refusals withdraw orders and
	// patients (withdrawColumns), wreason the row's Screen of each, and
	// wcol[i] the index in wcols of platform i's consent column.
	wcols    []export.Column
	wreason  []string
	wcol     []int
	patients bool // input.columns.patient_key is mapped
	leftOut  bool // Options.LeftOut is set: noteWithdrawn and noteGone keep ids
	// One parser per column: each remembers the layout that matched last,
	// and the two columns usually differ (a wall time and an RFC 3339
	// timestamp), so a shared one failed a layout on every call.
	times        *eventtime.Parser
	consentTimes *eventtime.Parser
	// bookedTimes reads input.columns.booked_at (nil when unmapped); pat
	// the birth date and the consent's expiry (patient.go).
	bookedTimes *eventtime.Parser
	pat         patientParsers
	ids         *eventid.Deriver
	opt         identifier.Options
	convs       []conversion.Conversion
	out         []*conversion.Conversion
	skip        []string // per platform: why this row is not sent there
	cells       []string // the row's cells for one field
	vals        []string // the identifier values in them
	valCol      []int    // per value, its header's index in idField.headers
	results     []identifier.Result
	// hasher hashes the row's identifiers: one SHA-256 state per worker
	// (identifier.Hasher says why not one per value).
	hasher     identifier.Hasher
	eventName  string
	currencies map[string]bool
	statuses   consent.Words // conversion.statuses
	// otherStatuses are the no-show and cancelled ones, and fresh the
	// part of the export new to the ledger (freshpart.go).
	otherStatuses consent.Words
	fresh         freshPart
	// The row's region code, for its postal code's grammar (plain.go),
	// read once per row when a postal code needs it.
	country      string
	countryLine  int
	countryKnown bool
	statusMapped bool // input.columns.status is set
	// composite: the order id joins several columns (see orderKey);
	// timeMapped: input.columns.appointment_time is set; loc is the
	// clinic's zone.
	composite  bool
	timeMapped bool
	loc        *time.Location
	// noteIDs: the run wants the shape of its order ids (an upload:
	// Options.SeenIDs, idshape.go); a dry-run pays nothing for it.
	// priorZone reads times in the zone the last upload wrote composite
	// ids' times in, when it is another (nil: no second reading).
	noteIDs   bool
	priorZone *zoneRead
	// otherOrder reads dates in the day/month order input.date_order does
	// not name, for the date gate (made on first use); now is the run's.
	otherOrder *eventtime.Parser
	now        time.Time
	// The health-term guard, and the row's identifying values that its
	// click ids must not contain (plain.go), gathered once per row.
	guard          *phi.Guard
	rowValues      plaintext.RowValues
	rowValuesLine  int
	rowValuesKnown bool
	want           [platform.Count][platform.FieldCount]bool
	// formattedCols: per enabled platform, the export column of its
	// formatted click id (Spec.Formatted: Meta's fbc from the fbclid),
	// ok when it is mapped — looked up once here, not by key per row.
	formattedCols []formattedCol
	// idFields are the identifier fields some platform is configured to
	// receive, with their columns: shape's loop over them, not over every
	// field there is.
	idFields []idField
	// Bookings (booking.go): bookingName is conversion.bookings.event_name
	// when they are on ("" off); screened holds each platform's skip after
	// screen, vskip the visit's while shape prepares identifiers for the
	// booking too, bskip the booking's; cin the row's consent input.
	bookingName              string
	screened, vskip, bskip   []string
	bconvs                   []conversion.Conversion
	bookingID, bookingLegacy eventid.ID // the booking's ids (bookingLegacyID)
	bookingDup               uint64
	bookingDone              bool // bookingID derived for this row (bookingIDOf)
	bookingAt                time.Time
	cin                      consent.Input
	// bookedBadLine is the last line whose unreadable booked_at was
	// noted, so a row counts once however often it is read; booked is
	// the last line's booked_at as read (bookedAt), read once a row.
	bookedBadLine int
	booked        struct {
		line int
		t    time.Time
		err  error
	}
	// prep is the run's sink when it prepares conversions ahead
	// (sink.Preparer); pbuf holds the row's prepared bytes, pend where
	// each conversion's end (-1: not prepared).
	prep sink.Preparer
	pbuf []byte
	pend []int
	sbuf []byte // noteSends' buffer (orderrows.go)
	// allowsEarlier: consent.revoked_allows_earlier (withdraw.go collect).
	allowsEarlier bool
	// priorRevoked: Options.Revoked.Prior (nil: none); rememberRevoked:
	// the run reports revoking patients (Options.Revoked set).
	priorRevoked    *keyset.Mins
	rememberRevoked bool
	prevMatch       // the previous secret's look-ups (prevkey.go)
	// priorIDs: Options.Revoked.PriorIdentifiers (nil: none); idCols the
	// columns they are read from, wvals and idbuf a row's values and
	// digests (withdrawnids.go).
	priorIDs *keyset.Mins
	idCols   []idCol
	wvals    []string
	idbuf    []uint64
	canonRow // the row's emails and phones as the withdrawals compare them (samenightids.go)
	// recordKey makes a record key for the coverage (Options.RecordKeyer);
	// nil when the run wants none.
	recordKey func(id string) uint64
	// idtext holds the row's event ids (deriveID), reused from row to
	// row: conversions are prepared, held or copied (chunk.keep) before
	// the next row is decided.
	idtext []byte
	// The row's event ids once derived (eventIDs; idsDone says whether).
	id, legacyID              eventid.ID
	idsDone                   bool
	legacyPrior, bookingPrior bool // legacyID, bookingLegacy made of rowKey.prior (a text formula's spelling: spellings.go)
	// clinics judges the row's clinic cell (clinic.go); nil when no
	// clinic column is mapped.
	clinics    *clinics
	notPatient config.NotPatient // input.not_patient_identifiers: no value (notpatient.go)
}

func newRunner(cfg *config.Config, opt Options) *runner {
	c := cfg.Consent
	r := &runner{
		cfg:           cfg,
		name:          opt.InputName,
		platforms:     cfg.Enabled(),
		fields:        map[identifier.Platform][]identifier.Field{},
		policy:        ConsentPolicy(cfg),
		pat:           newPatientParsers(cfg, opt.Now),
		revocations:   opt.Revocations,
		patients:      cfg.Input.Columns.PatientKey != "",
		times:         eventtime.NewParser(runTimeOptions(cfg, opt.Now)),
		consentTimes:  eventtime.NewParser(runTimeOptions(cfg, opt.Now)),
		ids:           eventid.NewDeriver(opt.Key),
		opt:           identifier.Options{Region: cfg.Region},
		eventName:     cfg.Conversion.EventName,
		currencies:    map[string]bool{},
		statuses:      consent.NewWords(cfg.Conversion.Statuses),
		statusMapped:  cfg.Input.Columns.Status != "",
		composite:     len(cfg.Input.Columns.OrderID) > 1,
		allowsEarlier: c.RevokedAllowsEarlier,
		noteIDs:       opt.notesIDs(),
		timeMapped:    cfg.Input.Columns.AppointmentTime != "",
		loc:           cfg.Location(),
		now:           opt.Now,
		guard:         cfg.PHIGuard(),
		leftOut:       opt.LeftOut != nil,
		clinics:       newClinics(cfg),
		otherStatuses: otherStatusWords(cfg),
		fresh:         newFreshPart(opt),
	}
	r.prep, _ = opt.Sink.(sink.Preparer)
	if opt.RecordKeyer != nil {
		r.recordKey = opt.RecordKeyer()
	}
	r.idCols, r.prevMatch = withdrawnIDCols(Spec(cfg)), newPrevMatch(opt)
	r.notPatient, _ = cfg.NotPatient() // validated with the config; an entry it refused is left out
	if opt.Revoked != nil {
		r.rememberRevoked = true
		if opt.Revoked.Prior.Len() > 0 {
			r.priorRevoked = opt.Revoked.Prior
		}
		if opt.Revoked.PriorIdentifiers.Len() > 0 {
			r.priorIDs = opt.Revoked.PriorIdentifiers
		}
	}
	if cfg.Input.Columns.BookedAt != "" {
		r.bookedTimes = eventtime.NewParser(runTimeOptions(cfg, opt.Now))
	}
	r.priorZone = priorKeyZone(opt)
	for _, p := range r.platforms {
		r.fields[p] = cfg.IdentifierFields(p)
		for _, f := range r.fields[p] {
			r.want[p][f] = true
		}
		spec := p.Spec()
		r.specs = append(r.specs, spec)
		r.clickSlots = append(r.clickSlots, clickSlotsOf(spec))
		for f := range r.group[p] {
			r.group[p][f] = int8(spec.GroupOf(platform.Field(f)))
		}
		var inUse uint64
		var want platform.FieldSet
		for _, f := range r.fields[p] {
			want |= platform.SetOf(f)
			if g := r.group[p][f]; g >= 0 {
				inUse |= 1 << g
			}
		}
		r.groupsInUse = append(r.groupsInUse, inUse)
		limit := 0
		if spec.MaxIdentifiers > 0 {
			limit = spec.MaxIdentifiers - spec.Reserved(want)
		}
		r.limit = append(r.limit, limit)
	}
	r.consentCols = consentColumns(cfg)
	r.wcols = withdrawColumns(cfg, opt.Whole)
	r.wreason = make([]string, len(r.wcols))
	for _, c := range r.consentCols {
		r.wcol = append(r.wcol, slices.Index(r.wcols, c))
	}
	r.ungrouped = make([]int, len(r.platforms))
	r.groupSeen = make([]uint64, len(r.platforms))
	r.groupBad = make([]uint64, len(r.platforms))
	r.convs = make([]conversion.Conversion, len(r.platforms))
	r.bconvs = make([]conversion.Conversion, len(r.platforms))
	r.screened, r.vskip, r.bskip = make([]string, len(r.platforms)), make([]string, len(r.platforms)), make([]string, len(r.platforms))
	if b := cfg.Conversion.Bookings; b.Enabled {
		r.bookingName = b.EventName
	}
	r.skip = make([]string, len(r.platforms))
	r.formattedCols = make([]formattedCol, len(r.platforms))
	for i, spec := range r.specs {
		if spec.Formatted != nil && cfg.Input.Columns.ByKey(spec.Formatted.Column) != "" {
			r.formattedCols[i].col, r.formattedCols[i].ok = export.ColumnByKey(spec.Formatted.Column)
		}
	}
	headers := Spec(cfg).Headers
	for _, f := range identifier.Fields {
		col, ok := fieldColumn(f)
		if !ok {
			continue
		}
		for _, p := range r.platforms {
			if r.want[p][f] {
				r.idFields = append(r.idFields, idField{f, col, headers[col]})
				break
			}
		}
	}
	r.results = make([]identifier.Result, len(r.platforms))
	return r
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

// decideRow decides one row (process); it touches no state shared between
// rows, so several runners can process rows at once.
func (r *runner) decideRow(row export.Row, o *outcome) error {
	o.convs, o.reason, o.late, o.dup, o.status = nil, "", false, 0, statusNone
	o.dated, o.dateSetting, o.dateInvalid, o.dateSwapped = false, "", false, false
	o.fits = [numFits]fitNote{}
	o.stage, o.open, o.refuses, o.revokes, o.patient, o.hasPatient = stagePre, 0, 0, false, 0, false
	o.listed, o.noAge, o.selfRevokes, o.selfDated = false, false, false, false
	o.revokedKey, o.revokesFrom, o.at, o.fresh, o.idRemembered = 0, 0, 0, false, 0
	o.revokedIDs = o.revokedIDs[:0]
	o.gone, o.goneLegacy, o.round = 0, 0, roundNote{}
	o.booking = bookingOutcome{}
	o.ids, o.idRound, o.keyTimed, o.keyMoved = [idShapeParts]uint8{}, [idShapeParts]uint8{}, false, false
	o.consent = [maxConsentCols]consentNote{}
	o.clinic = clinicNote{}
	o.t.reset()
	for i := range r.skip {
		r.skip[i] = ""
	}
	if poisonText {
		clear(r.idtext[:cap(r.idtext)])
	}
	r.idtext, r.idsDone, r.bookingDone = r.idtext[:0], false, false
	if row.Refused() != nil {
		o.reason = export.ReasonRecordTooLarge
		return nil
	}
	if row.Malformed() {
		// Excluded, but what it withdraws still counts: a writer that
		// leaves out trailing empty cells made a revoking row short, and
		// the patient's earlier visit was sent. Cells it lacks read as
		// empty, so a short row only ever adds exclusions; a long one's
		// shifted cells can only refuse more.
		k, ok := r.orderKey(row)
		if ok {
			o.dup = orderDigest(k.key)
		}
		r.collect(row, ok, o)
		o.reason = ReasonMalformedRow
		return nil
	}
	if row.Formula() {
		r.formulaRow(row, o)
		return nil
	}
	if r.clinics != nil {
		if r.clinics.note(row, &o.clinic); o.clinic.other && r.clinics.exclude {
			// Another branch's row of a chain's export: excluded, but
			// what it withdraws still counts, as a malformed row's does —
			// consent belongs to the person, whom a group's shared
			// patient numbers may follow between branches.
			k, ok := r.orderKey(row)
			if ok {
				o.dup = orderDigest(k.key)
			}
			r.collect(row, ok, o)
			o.reason = ReasonOtherClinic
			return nil
		}
	}
	r.noteBooked(row, o)
	if r.statusMapped {
		if st := row.Get(export.Status); st != "" {
			o.status = statusOther
			if r.converted(st) {
				o.status = statusMatch
			} else if r.listedStatus(st) {
				o.status = statusListed
			}
		}
	}
	k, ok := r.orderKey(row)
	if ok {
		if err := r.orderIDMangled(row, k.legacy); err != nil {
			return err
		}
		r.noteRounded(row, k, o)
		if r.noteIDs {
			r.noteIDShape(row, k.legacy, o)
			o.keyTimed = k.parsed && k.atErr == nil
			if o.keyTimed && r.priorZone != nil {
				o.keyMoved = r.keyMoved(row, k.key)
			}
		}
		o.dup = orderDigest(k.key)
	}
	r.collect(row, ok, o)
	if !ok {
		o.reason = ReasonMissingOrderID
		return nil
	}
	if reason := r.screen(row, k, o); reason != "" {
		o.reason = reason
		r.noteWithdrawn(k, o)
		r.dateScreened(row, k, o)
		return nil
	}
	if r.withdrawnByIdentifier(row, o) {
		// This row alone: its patient's rows without those identifiers
		// are not (a relative sharing a family phone); not remembered.
		o.reason = ReasonIdentifierWithdrawn
		r.noteWithdrawn(k, o)
		return nil
	}
	o.stage = stageDate
	r.noteGone(k, o) // another row of its order or patient may withdraw it
	at, ok, err := r.appointment(row, k, o)
	if !ok || err != nil {
		return err
	}
	o.at = at.Unix()
	o.fresh = r.fresh.has(o.at)
	copy(r.screened, r.skip) // the booking is judged from here (booking.go)
	visit, err := r.judge(row, at, o)
	if err != nil {
		return err
	}
	booking := r.bookingName != "" && r.booking(row, k, at, o)
	if !visit && !booking {
		return nil
	}
	if visit {
		o.stage = stageShaped
	}
	id, legacyID := r.eventIDs(k)
	r.shape(row, id, legacyID, at, o, visit, booking)
	return nil
}

// screen applies everything decided before the appointment time is read
// from the row alone: the revocations list and each platform's consent
// value on its own (collect screened them). It returns the row's
// exclusion reason, or "" when the row goes on; r.skip holds each
// platform's own. What other rows withdraw — the order, the patient — is
// known only at the end of the export: o.open and o.patient carry what
// withdraw needs then.
func (r *runner) screen(row export.Row, k rowKey, o *outcome) string {
	if r.revocations != nil && r.revoked(row, k) {
		r.listed(row, o)
		return consent.ReasonListed
	}
	for i := range r.platforms {
		r.skip[i] = r.wreason[r.wcol[i]]
	}
	if reason := r.decided(); reason != "" {
		return reason
	}
	for i, s := range r.skip {
		if s == "" {
			o.open |= 1 << i
		}
	}
	r.patient(row, o)
	return ""
}

// appointment reads the row's appointment time. ok is false when the row
// is excluded for its date (o.reason says why, and the o.date… fields
// what the date gate needs).
func (r *runner) appointment(row export.Row, k rowKey, o *outcome) (at time.Time, ok bool, err error) {
	at, err = k.at, k.atErr
	if !k.parsed {
		at, err = r.eventTime(row)
	}
	o.dated = true
	if err == nil {
		return at, true, nil
	}
	if err := r.settingMissing(row, r.timeColumn(), err); err != nil {
		return at, false, err
	}
	reason, setting := dateReason(err)
	switch {
	case setting:
		o.dateSetting = reason
		o.dateLine, o.dateCol = row.Position(r.timeColumn())
	case reason == ReasonInvalidTime:
		o.dateInvalid = true
		o.dateLine, o.dateCol = row.Position(r.timeColumn())
		o.dateSwapped = r.swapped(row)
	}
	o.reason = reason
	return at, false, nil
}

// judge decides each platform's consent at the appointment time (consent
// recorded after the visit did not cover it) and whether the row's status
// is a conversion. ok is false when the row is excluded (o.reason).
func (r *runner) judge(row export.Row, at time.Time, o *outcome) (ok bool, err error) {
	in := consent.Input{Event: at}
	defer func() { r.cin = in }() // the booking judges consent at its own time
	if raw := row.Get(export.ConsentAt); raw != "" {
		in.HasAt = true
		in.At, in.AtErr = r.consentTimes.Parse(raw)
		o.fits[fitConsentAt].dated = true
	}
	if in.AtErr != nil { // errors.Is, four times per row, only for a time that did not read
		if err := r.settingMissing(row, export.ConsentAt, in.AtErr); err != nil {
			return false, err
		}
		r.noteMisfit(&o.fits[fitConsentAt], row, export.ConsentAt, in.AtErr)
		if reason, setting := dateReason(in.AtErr); setting {
			// The consent policy excludes the row (consent_time_invalid);
			// the gate counts it toward the systemic share.
			o.dateSetting = reason
			o.dateLine, o.dateCol = row.Position(export.ConsentAt)
		}
	}
	if err := r.readPatient(row, &in, o); err != nil {
		return false, err
	}
	for i := range r.platforms {
		switch {
		case r.skip[i] != "":
		case i > 0 && r.consentCols[i] == r.consentCols[i-1]:
			r.skip[i] = r.skip[i-1]
		default: // screen passed the value (r.skip[i] is its Screen)
			in.Value = row.Get(r.consentCols[i])
			r.skip[i] = r.policy.DecideScreened(in)
		}
		// A dated revocation at this appointment, a shared column too (datedorder.go).
		if r.skip[i] == consent.ReasonRevoked && o.open&(1<<i) != 0 {
			r.datedRefusal(i, o)
		}
	}
	if o.reason = r.decided(); o.reason != "" {
		o.stage = stageJudged
		return false, nil
	}
	if r.statusMapped && o.status != statusMatch {
		o.reason, o.stage = ReasonNotConverted, stageStatus
		return false, nil
	}
	return true, nil
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

// swapped reports whether an appointment time that does not read under
// input.date_order (mdy or dmy) reads under the other: 19/10/2026 under
// mdy. Only rows already invalid_time pay for it.
func (r *runner) swapped(row export.Row) bool {
	other := r.otherOrderParser()
	if other == nil {
		return false
	}
	saved := r.times
	r.times = other
	_, err := r.eventTime(row)
	r.times = saved
	return err == nil
}

func (r *runner) timeColumn() export.Column {
	col, _, _ := AppointmentColumn(r.cfg)
	return col
}

// settingMissing turns a time the config cannot read in any row — a wall
// time without a zone — into a structural error naming the timezone key
// and where the data showed it: such a file is uniform, so the first dated
// row stops the run, before any batch is sent. Dates that need
// input.date_order or input.default_year are row problems, counted by
// reason; the dateGate stops the run when they are systemic. Other parse
// errors are row problems too: nil.
func (r *runner) settingMissing(row export.Row, c export.Column, err error) error {
	if !errors.Is(err, eventtime.ErrNoZone) {
		return nil
	}
	key, problem := "timezone", "a time without a UTC offset needs the clinic's IANA time zone (e.g. timezone: Asia/Taipei)"
	line, col := row.Position(c)
	return &config.Error{Key: key, Problem: fmt.Sprintf("%s:%d:%d: %s", r.name, line, col, problem)}
}

// converted reports whether status is one of conversion.statuses,
// compared as vocabulary (已完成 and ＣＯＭＰＬＥＴＥＤ included).
func (r *runner) converted(status string) bool {
	return r.statuses.Has(status)
}
