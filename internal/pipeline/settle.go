package pipeline

import (
	"context"
	"fmt"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/spool"
)

// outcome is what process decided for one row, before the sequential
// part (withdrawals, duplicate detection, counting) that settleRow applies
// in export order once the export has been read.
type outcome struct {
	convs  []*conversion.Conversion
	reason string
	// late: reason was decided after the point where a duplicate order
	// would have been recognised (no_identifier); a duplicate still wins.
	late bool
	dup  uint64
	// status is what the row's status cell says of conversion.statuses,
	// whatever else excludes the row: statusNone (no column, empty cell),
	// statusMatch or statusOther. The run refuses a status column none of
	// whose values is a conversion status: the mapping or the words are
	// wrong, and every row would be excluded.
	status int8
	t      tally
	// dated: the row's appointment time was read (or tried); dateSetting
	// is the reason when only a setting would read it, at dateLine:dateCol.
	dated             bool
	dateSetting       string
	dateLine, dateCol int
	// dateInvalid: the appointment time is invalid_time; dateSwapped: it
	// reads in the other day/month order (see dateGate).
	dateInvalid, dateSwapped bool
	// fits is what the row says of the format of the other date columns
	// (fitConsentAt, fitBookedAt), judged as the export is read.
	fits [numFits]fitNote
	// What withdrawals need (withdraw.go): the last stage the row reached,
	// the platforms (bits, by enabled index) whose consent value passed,
	// the withdrawing columns (bits of withdrawals.cols) in which the row
	// refuses its order, whether it revokes its patient (self…: by its own
	// cell, withdrawsTonight), is listed (runner.listed), its patient's key.
	stage                                          int8
	open                                           uint32
	refuses                                        uint32
	revokes, listed, noAge, selfRevokes, selfDated bool // noAge: its birth date was blank (NoteBirthDateBlank)
	hasPatient                                     bool
	patient                                        uint64
	// booking is what became of the row's booking (booking.go).
	booking bookingOutcome
	// ids is the shape of the order id's all-digit parts (idshape.go);
	// keyTimed: the id holds an appointment time, read; keyMoved: read in
	// the last upload's zone, the id differs (IDShape.Zone).
	ids                [idShapeParts]uint8
	idRound            [idShapeParts]uint8 // a long part's roundedZeros (roundshape.go)
	round              roundNote           // a long id a spreadsheet rounded? (rounded.go)
	keyTimed, keyMoved bool
	// revokesFrom is the day (unix seconds) from which the row's dated
	// revocation withdraws its patient (consent.revoked_allows_earlier), 0
	// when it has none; at is the row's appointment time once read (unix
	// seconds, 0 before); fresh: it is dated in the part of the export new
	// to the ledger (freshpart.go).
	revokesFrom, at int64
	fresh           bool
	// revokedKey is the revoking patient's keyed digest for the ledger
	// (PatientRevocations; 0: none, or no record kept); revokedIDs its identifiers' (withdrawnids.go).
	revokedKey              uint64
	revokedIDs              []uint64
	heldIDs                 []uint64 // its emails' and phones' same-night digests (samenightids.go)
	idTonight, idRemembered uint64   // the digest that withdrew it: of heldIDs tonight, else 0; the ledger's, kept in its record (fanout.go)
	gone, goneLegacy        uint64   // its event ids' prefixes, if consent withdrew it (leftout.go)
	// sends is, per platform, the digest of the visit conversion the row
	// would send there (orderrows.go), read as the export is; never held.
	// bodies: the same without the value (feeless).
	sends, bodies [platform.Count]uint64
	// legacy is the legacy id of the row's visits (conversion.LegacyID),
	// as bytes, when spelled: what its order's rows are compared by for
	// the spelling of their id (spellings.go); read as the export is.
	legacy  [eventid.Len / 2]byte
	spelled bool
	// prior: the visits' legacy id is made of a text formula's spelling
	// (rowKey.prior), which its order prefers (spellings.go); bprior the
	// booking's.
	prior, bprior bool
	// bsends: per platform, the digest of the booking the row would send
	// there (ordercount.go), compared as sends are; blegacy, bspelled its
	// booking's legacy id as legacy, spelled are its visits'.
	bsends   [platform.Count]uint64
	blegacy  [eventid.Len / 2]byte
	bspelled bool
	// Where a parallel run keeps this row's conversions in its chunk.
	convFirst, convN int
	idN              []int                       // identifiers per conversion
	consent          [maxConsentCols]consentNote // its consent cells, per withdrawing column (consentwords.go)
	clinic           clinicNote                  // what its clinic cell says (clinic.go)
}

// fitNote is what one row says of a date column's format beside the
// appointment's: whether it had a date there, whether no configured
// format read it, whether it reads in the other day/month order, and
// where. The settler judges the column from every row (DateFit).
type fitNote struct {
	dated, invalid, swapped, setting bool
	future                           bool // a birth date after the visit
	line, col                        int
}

// The date columns judged beside the appointment's.
const (
	fitConsentAt = iota
	fitBookedAt
	fitBirthDate      // patient.go
	fitConsentExpires // patient.go
	numFits
)

// count adds what a settled row counts: its drops and notes unless it is
// held wherever it would go (verdict.quiet), its booking, its reason (or
// its use and the platforms that skipped it) and its conversions.
func (s *settler) count(o *outcome, skips []string, v verdict) error {
	sum := s.sum
	// Every row's drops and notes, a duplicate's too (which of an
	// order's rows is used followed their order), but a row held
	// wherever it would go: none of it is sent (ordercount.go).
	if !v.quiet {
		for _, d := range o.t.drops {
			s.dropped(d)
		}
		for _, x := range o.t.notes {
			sum.Notes[x]++
		}
		s.nameUnread(o.t.unread)
	}
	bookingSent := v.bookSent
	if b := &o.booking; s.bseen != nil && b.considered {
		bs := sum.BookingCounts()
		switch {
		case b.waiting:
			bs.Waiting++
		case b.reason != "":
			bs.Excluded[b.reason]++
		case v.bookDup:
			bs.Excluded[bookingDupReason(v)]++
			if v.bookSends {
				s.countBookings(o)
			}
		default:
			for j, p := range s.platforms {
				if sk := b.skips[j]; sk != "" {
					bs.Skip(p.String(), sk)
				}
			}
			for _, cv := range o.convs {
				if cv.Booking {
					s.counts[cv.Platform]++
					bs.Conversions[cv.Platform.String()]++
					bookingSent = true
				}
			}
		}
	}
	if v.reason != "" {
		s.exclude(v.reason, skips)
		if bookingSent && (!v.dup || firstRowWins.Load()) {
			// A no-show's or a cancellation's booking still goes: the
			// summary said "excluded" of rows whose booking it sent (a
			// privacy officer's review). Its order's booking, from it or
			// another row (ordercount.go); a duplicate's visit went.
			sum.Bookings.VisitExcluded++
		}
		if v.ras {
			sum.Notes[NoteRefusedAfterSent]++
		}
		if v.dup && !v.quiet && o.noAge {
			sum.Notes[NoteBirthDateBlank]++ // as its used row's (ordercount.go)
		}
		if v.sends {
			s.countVisits(o) // its order's conversions
		}
		return nil
	}
	s.used(o)
	s.countVisits(o)
	if v.later|v.heldSkips != 0 {
		return s.skippedOrder(o, skips, v)
	}
	s.skipped(skips)
	return nil
}

// settler is the sequential end of a run, the same for both ways through.
// While the export is read it counts what no other row can change (rows
// read, refused records, status cells), collects withdrawals, and
// holds each decided row (record.go) in a spool: a later row may withdraw
// it. Once the export has been read to its end (and, for a file, found
// unchanged: package run), finish settles the held rows in export order —
// withdrawals, duplicates, exclusion and skip counts — and writes every
// row's conversions to the sink, telling the Observe hook each row's
// outcome.
// Nothing reaches the sink before the end of the export.
type settler struct {
	ownOut    map[string]int // excluded rows counted per destination as they came (exclude)
	tally     rowTally       // the rows' exclusions and skips, added to sum at the end
	sink      *dateGate      // before opt.Sink: holds writes until dates are judged
	observe   func(int, string, Outcome)
	platforms []platform.Platform
	seen      *keyset.Set
	sum       *report.Summary
	w         *withdrawals
	held      *spool.Spool
	rec       recorder
	// fits judge the consent_at and booked_at columns' format (nil when
	// unmapped): a re-saved consent time excluded every row as
	// consent_time_invalid with exit 0, a re-saved booked_at moved the
	// fbc's creation time. They stop the run before anything is sent.
	fits  [numFits]*DateFit
	skips []string
	// bseen holds the orders whose booking was sent (nil: bookings off).
	bseen *keyset.Set
	// Conversions are counted here and added to the summary once: a
	// string-keyed map update per conversion showed in profiles; valueless:
	// the visits' conversions that carry no value (report.Valueless).
	counts, valueless [platform.Count]int
	// statusRows and statusMatched count rows with a status cell, and
	// those whose status is a conversion status.
	statusRows, statusMatched int
	// ids judges the order ids' leading zeros against the last upload's;
	// seenIDs, when set, is given their shape once the export was read.
	ids     idShapeGate
	seenIDs *IDShape
	noteIDs bool // Options.notesIDs
	// revoked is Options.Revoked: its New is filled as the rows come
	// (Revoking).
	revoked *PatientRevocations
	left    *LeftOut      // Options.LeftOut, filled as the rows come (nil: not asked)
	consent *consentDrift // judges the consent columns' words (consentwords.go)
	clinic  clinicTally   // the rows naming another clinic (clinic.go)
	accept  func(string)  // Options.Accepted
	name    string        // Options.InputName, for the cells it names
	fees    *ValueFit     // judges the fee column (valuefit.go)
	orders  *orderRows    // the orders whose rows disagree (orderrows.go)
	// respeller re-asks a prepared conversion that takes its legacy id
	// from another row of its order (spellings.go); nil when the sink
	// prepares nothing that depends on it.
	respeller sink.Respeller
	later     *laterCounts // what repeated orders' rows count once settled (ordercount.go)
	// feesEffect is what the fee stop says the enabled destinations do (WithoutValue).
	feesEffect string
}

func newSettler(opt Options, sum *report.Summary) *settler {
	s := &settler{
		sink: newDateGate(opt.Config, opt.InputName, opt.Sink), observe: opt.Observe, platforms: opt.Config.Enabled(),
		seen: keyset.New("", keyset.Sizes{}), sum: sum, w: newWithdrawals(opt, sum), held: spool.New("", opt.HoldMemory),
		orders: newOrderRows(),
	}
	s.orders.name = opt.InputName
	s.respeller, _ = opt.Sink.(sink.Respeller)
	s.later = newLaterCounts(len(s.platforms))
	s.skips = make([]string, len(s.platforms))
	s.ids = idShapeGate{prior: opt.PriorIDs, name: opt.InputName, cols: opt.Config.Input.Columns.OrderID, zone: keyZone(opt.Config), keys: keyGate(opt)}
	s.seenIDs, s.noteIDs = opt.SeenIDs, opt.notesIDs()
	s.rec.keepAt = opt.Config.Consent.RevokedAllowsEarlier
	s.revoked, s.left, s.consent, s.clinic, s.accept = opt.Revoked, opt.LeftOut, newConsentDrift(opt), newClinicTally(opt.Config, opt.InputName), opt.Accepted
	s.name, s.fees, s.feesEffect = opt.InputName, NewValueFit(opt.Config, opt.InputName), WithoutValue(opt.Config)
	if col := opt.Config.Input.Columns.ConsentAt; col != "" {
		s.fits[fitConsentAt] = NewDateFit(opt.Config, opt.InputName, col, "input.columns.consent_at").Whole()
	}
	for i, key := range map[int]string{fitBookedAt: "booked_at", fitBirthDate: "birth_date", fitConsentExpires: "consent_expires_at"} {
		if col := opt.Config.Input.Columns.ByKey(key); col != "" {
			s.fits[i] = NewDateFit(opt.Config, opt.InputName, col, "input.columns."+key).Whole()
		}
	}
	// The bookings' own order set, when they are on.
	if opt.Config.Conversion.Bookings.Enabled {
		s.bseen = keyset.New("", keyset.Sizes{})
		sum.BookingCounts() // the summary says so even when none was sent
	}
	return s
}

// row takes one decided row, in export order; skips holds, per enabled
// platform, why the row is not sent there ("" when it is). The row itself
// is valid only during the call.
func (s *settler) row(row export.Row, o *outcome, skips []string) error {
	s.sum.RowsRead++
	if e := row.Refused(); e != nil {
		s.sum.Refuse(e.Error())
	}
	if o.status != statusNone {
		s.statusRows++
		if o.status == statusMatch {
			s.statusMatched++
		}
	}
	s.consent.note(o)
	s.clinic.observe(o.clinic)
	s.fees.observe(&o.t)
	if err := s.orders.note(o); err != nil {
		return fmt.Errorf("compare the rows of the order on line %d: %w", row.Line, err)
	}
	if err := s.w.note(o, row.Line); err != nil {
		return err
	}
	s.left.dated(o.at)
	if o.revokedKey != 0 && s.revoked != nil {
		// The day the row withdraws its patient from; 0 (every
		// appointment) wins over any day, merged by the ledger (Revoking).
		from := o.revokesFrom
		if o.revokes || o.listed {
			from = 0
		}
		if err := s.revoked.New.add(o.revokedKey, from, o.revokedIDs); err != nil {
			return fmt.Errorf("remember the withdrawal on line %d: %w", row.Line, err)
		}
	}
	for i, f := range s.fits {
		if n := &o.fits[i]; f != nil && n.dated {
			f.Observe(n.invalid, n.swapped, n.line, n.col)
			if n.setting {
				f.ObserveSetting(n.line, n.col)
			}
			if n.future {
				f.ObserveFuture(n.line, n.col)
			}
		}
	}
	if s.ids.rounds.observe(&o.round); s.noteIDs {
		s.ids.observe(row, o)
	}
	expect := ""
	if s.observe != nil {
		expect = row.Get(export.Expect)
	}
	return s.held.Append(s.rec.encode(row.Line, expect, o, skips))
}

// finish ends a run that read the whole export: it settles every held
// row in export order, then the date gate decides if it has not, and
// passes on what it holds.
//
// Three goroutines share the work, in export order: one reads the held
// rows back and decodes them (decodeHeld), this one settles them, and the
// sink writes beside it (asyncSink). On one goroutine, reading back and
// decoding were a third of this phase, when the workers that kept every
// core busy while the export was read have stopped (issue 29).
func (s *settler) finish(ctx context.Context) error {
	// Another clinic's rows (clinic.go), then the other date columns and
	// the fees: judged over the whole export, before anything reached
	// the sink.
	if err := s.clinic.err(); err != nil {
		return err
	}
	if err := s.columnsFit(); err != nil {
		return err
	}
	if err := s.passable(); err != nil { // the order ids' zeros and zone, the consent words
		return err
	}
	if s.revoked != nil {
		// A remembered withdrawal that could not be looked up (its file)
		// was taken as one: the run stops rather than guess.
		if err := s.revoked.Prior.Err(); err != nil {
			return fmt.Errorf("%w; nothing was sent", err)
		}
	}
	if s.seenIDs != nil {
		*s.seenIDs = s.ids.seen
	}
	// The withdrawals are all known now, and asked once a held row. Before
	// the sink's goroutine starts: an error here leaves nothing to stop.
	if err := s.w.freeze(); err != nil {
		return err
	}
	// The rows of the orders that may disagree, compared once all are
	// read (orderrows.go).
	if err := s.orders.compare(ctx); err != nil {
		return err
	}
	async := newAsyncSink(s.sink.sink)
	s.sink.sink = async
	defer func() { s.sink.sink = async.next }()
	// The decoder's own context: cancelled when the settling stops, and
	// when it ends — so not the one the counts kept for later are read
	// back under (countLater: past 1024 of them the run ended
	// "interrupted", exit 130, TestManyRepeatedOrdersSettle).
	dctx, cancel := context.WithCancel(ctx)
	batches, free := make(chan *heldBatch, 2), make(chan *heldBatch, 4)
	done := make(chan error, 1)
	go func() { done <- s.decodeHeld(dctx, batches, free) }()
	var err error
	for b := range batches {
		if err == nil {
			err = s.settleBatch(b)
			if err != nil {
				cancel() // the decoder stops, and closes batches
			}
		}
		select {
		case free <- b:
		default:
		}
	}
	cancel()
	if derr := <-done; err == nil {
		err = derr
	}
	s.held.Close()
	if err == nil {
		err = s.countLater(ctx)
	}
	if err == nil {
		err = s.sink.finish()
	}
	if err != nil {
		async.abort()
		return err
	}
	return async.flush()
}

// settleBatch settles a batch's rows in order, then reports the error the
// batch ends with.
func (s *settler) settleBatch(b *heldBatch) error {
	nplat := len(s.platforms)
	for i := range b.rows {
		h := &b.rows[i]
		skips := b.skips[i*nplat : (i+1)*nplat]
		if err := s.w.apply(&h.o, skips); err != nil {
			return err
		}
		if err := s.left.withdrawn(&h.o, s.platforms, skips); err != nil {
			return err
		}
		if err := s.settleRow(h.line, h.expect, &h.o, skips); err != nil {
			return err
		}
	}
	return b.err
}

// settleRow settles one held row: its verdict, its counts, then what
// it writes (emitRow).
func (s *settler) settleRow(line int, expect string, o *outcome, skips []string) error {
	v, err := s.judgeRow(line, o, skips)
	if err != nil {
		return err
	}
	if err := s.count(o, skips, v); err != nil {
		return err
	}
	return s.emitRow(line, expect, o, skips, v)
}

// emitRow passes a settled row on, in export order: to the date gate,
// its booking's conversions unless the order's booking went already
// (verdict.bookDup) — or, when it did, those for destinations it had not
// reached (bookSends) — its outcome to the Observe hook, then its visit
// conversions when it is used or, a duplicate_order, still sends to a
// destination no other row of its order reached (verdict.sends).
func (s *settler) emitRow(line int, expect string, o *outcome, skips []string, v verdict) error {
	if err := s.sink.observe(o); err != nil {
		return err
	}
	if s.orders.mixed > 0 {
		s.respell(o) // an order whose rows spell its id otherwise, its booking too (spellings.go)
	}
	if b := &o.booking; s.bseen != nil && b.considered && !b.waiting && b.reason == "" && (!v.bookDup || v.bookSends) {
		for _, cv := range o.convs {
			if !cv.Booking {
				continue
			}
			if err := s.sink.Write(cv); err != nil {
				return fmt.Errorf("write booking from line %d: %w", line, err)
			}
		}
	}
	if s.observe != nil {
		s.observe(line, expect, Outcome{Reason: v.reason, Platforms: s.platforms, Skipped: skips})
	}
	if v.reason != "" && !v.sends {
		return nil
	}
	for _, cv := range o.convs {
		if cv.Booking {
			continue // the booking's, above
		}
		if err := s.sink.Write(cv); err != nil {
			return fmt.Errorf("write conversion from line %d: %w", cv.Line, err)
		}
	}
	return nil
}

// close adds the conversion counts to the summary and frees the sets and
// whatever is still held.
func (s *settler) close() {
	s.leaveOutTheRest()
	s.sum.StatusRows += s.statusRows
	s.sum.StatusMatched += s.statusMatched
	s.sum.OrdersDifferingInFeeOnly += s.orders.feeOnly
	for _, p := range s.platforms {
		if n := s.counts[p]; n > 0 {
			s.sum.Conversions[p.String()] += n
			s.sum.AddWithoutValue(p.String(), s.valueless[p])
		}
	}
	s.seen.Close()
	s.orders.close()
	s.later.close()
	s.w.close()
	s.held.Close()
	if s.bseen != nil {
		s.bseen.Close()
	}
}
