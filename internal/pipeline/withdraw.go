package pipeline

import (
	"hash/maphash"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// Withdrawals: what one row alone cannot show. Exports repeat a patient on
// every visit and may repeat an order: when the latest row says 已撤回
// while earlier ones still say 同意, the patient (or the order) has
// withdrawn, and none of the rows may be sent. So a run reads the export
// once (issue 29: it used to read a file twice, a pre-scan for these and
// then the run proper, and could not do it at all from standard input),
// deciding every row as if nothing withdrew it and collecting, in export
// order, the orders and patients rows withdraw. Rows are held (record.go)
// until the export has been read to its end; then withdraw applies the
// collected withdrawals to each held row exactly as the pre-scan's sets
// were applied while the row was decided, and the row is settled. Keys
// are held as 64-bit digests in bounded sets (package keyset) — orders
// and patients as maphashes under per-process seeds (orderDigest,
// patientKey) — never as chart or order numbers.
//
// Stages a row went through, in process order: the withdrawals land
// between the consent value (screen) and the appointment time, so a row
// decided later than that must be brought back to what it would have been
// had they been known.
const (
	stagePre    int8 = iota // excluded at or before the consent value: final
	stageDate               // excluded for its appointment time
	stageJudged             // every platform excluded by consent at the visit
	stageStatus             // status_not_converted
	stageShaped             // shaped: conversions made, or none (late)
)

// withdrawColumns are the consent columns whose refusals withdraw orders
// and patients: those of the run's enabled platforms and, when the run is
// one platform of a whole config (write), the whole config's too — a
// patient revoked in any consent column stays revoked.
func withdrawColumns(cfg, whole *config.Config) []export.Column {
	var cols []export.Column
	add := func(c *config.Config) {
		for _, col := range consentColumns(c) {
			if !slices.Contains(cols, col) {
				cols = append(cols, col)
			}
		}
	}
	if whole != nil {
		add(whole)
	}
	add(cfg)
	return cols
}

// consentColumns is, per enabled platform, the column its consent is read
// from: its own (consent_google, consent_meta) or the shared one.
func consentColumns(cfg *config.Config) []export.Column {
	var cols []export.Column
	for _, p := range cfg.Enabled() {
		col := export.Consent
		if cfg.OwnConsentColumn(p) != "" {
			// Spec.ConsentKey is the input.columns key of the platform's own
			// consent column; export's table holds every such key.
			col, _ = export.ColumnByKey(p.Spec().ConsentKey)
		}
		cols = append(cols, col)
	}
	return cols
}

// withdrawals are the sets a run collects while it reads.
type withdrawals struct {
	cols     []export.Column // withdrawColumns: bit j of outcome.refuses
	run      []export.Column // per enabled platform, its consent column
	orders   *keyset.Set     // orderKey(order, column) of refusing rows
	patients *keyset.Set     // patientKey of revoking rows
	listed   *keyset.Set     // patientKey of rows the revocations file lists; nil without one
	// from holds, per patient with a dated revocation (revoked_allows_
	// earlier), the earliest day it takes effect; nil until one. A Go map
	// held 103 MB at 10M rows: keyset.Mins keeps its memory flat, the
	// pairs past 1 MiB on disk.
	from *keyset.Mins
	// ids holds the same-night digests of the identifiers rows withdrawing
	// their patient outright carried (samenightids.go); nil until one.
	// datedLo and datedHi hold, per digest a dated revocation's row
	// carried, the least patient and ^ the greatest (noteIdentifiers).
	ids              *keyset.Set
	datedLo, datedHi *keyset.Mins
	any              bool                // a key went into any set
	index            [platform.Count]int // enabled platform → its index in run
	fan              fanOut              // what the identifiers withdrew (fanout.go)
}

func newWithdrawals(opt Options, sum *report.Summary) *withdrawals {
	w := &withdrawals{
		cols: withdrawColumns(opt.Config, opt.Whole), run: consentColumns(opt.Config),
		orders: keyset.New("", keyset.Sizes{}), patients: keyset.New("", keyset.Sizes{}),
		fan: newFanOut(opt, sum),
	}
	if opt.Revocations != nil { // only a revocations file lists rows: no table without one
		w.listed = keyset.New("", keyset.Sizes{})
	}
	for i, p := range opt.Config.Enabled() {
		w.index[p] = i
	}
	return w
}

// freeze ends collecting: the export has been read to its end, and apply
// only asks the sets from now on (keyset.Set.Freeze).
func (w *withdrawals) freeze() error {
	if err := w.orders.Freeze(); err != nil {
		return err
	}
	if w.listed != nil {
		if err := w.listed.Freeze(); err != nil {
			return err
		}
	}
	if w.from != nil {
		if err := w.from.Freeze(); err != nil {
			return err
		}
	}
	if w.ids != nil {
		if err := w.ids.Freeze(); err != nil {
			return err
		}
	}
	if w.datedLo != nil {
		if err := w.datedLo.Freeze(); err != nil {
			return err
		}
		if err := w.datedHi.Freeze(); err != nil {
			return err
		}
	}
	return w.patients.Freeze()
}

func (w *withdrawals) close() {
	w.orders.Close()
	w.patients.Close()
	if w.listed != nil {
		w.listed.Close()
	}
	w.from.Close()
	w.ids.Close()
	w.datedLo.Close()
	w.datedHi.Close()
	w.fan.close()
}

// note collects what a decided row withdraws, on line; rows come in
// export order.
func (w *withdrawals) note(o *outcome, line int) error {
	for j, c := range w.cols {
		if o.refuses&(1<<j) != 0 {
			w.any = true
			if _, err := w.orders.Seen(orderKey(o.dup, c), true); err != nil {
				return err
			}
		}
	}
	if o.revokes {
		w.any = true
		if _, err := w.patients.Seen(o.patient, true); err != nil {
			return err
		}
	}
	if o.listed {
		w.any = true
		if _, err := w.listed.Seen(o.patient, true); err != nil {
			return err
		}
	}
	if o.revokesFrom != 0 {
		w.any = true
		if w.from == nil {
			w.from = keyset.NewMins("", keyset.Sizes{})
		}
		if err := w.from.Note(o.patient, o.revokesFrom); err != nil {
			return err
		}
	}
	return w.noteIdentifiers(o, line)
}

// apply brings a held row to what it would have been had the whole
// export's withdrawals been known when it was decided: per platform whose
// consent value passed (o.open), an order refused in that platform's
// consent column is consent_refused_order (the strictest consent of an
// order wins); a row left with no platform takes the first one's reason;
// else a patient revoked on any row is consent_revoked_patient. A row
// withdrawn there never reached its appointment time, so what it counted
// from then on (its date for the date gate, dropped identifiers, notes,
// conversions) goes; a row still open for some platform keeps its own
// later outcome, without the withdrawn platforms' conversions and
// dropped identifiers. skips is the row's per-platform reasons.
func (w *withdrawals) apply(o *outcome, skips []string) error {
	if o.stage == stagePre || !w.any {
		return nil
	}
	if !o.booking.considered {
		_, err := w.applyVisit(o, skips)
		return err
	}
	// The booking (booking.go) is withdrawn with the row, and from each
	// platform whose consent column refuses the order; its conversions
	// are set apart while the visit's rule runs.
	var books []*conversion.Conversion
	visits := make([]*conversion.Conversion, 0, len(o.convs))
	for _, c := range o.convs {
		if c.Booking {
			books = append(books, c)
		} else {
			visits = append(visits, c)
		}
	}
	o.convs = visits
	refused, err := w.applyVisit(o, skips)
	if err != nil {
		return err
	}
	if !o.booking.considered { // unreached: the whole row is withdrawn
		return nil
	}
	kept := books[:0]
	for _, c := range books {
		i := w.index[c.Platform]
		if refused&(1<<i) == 0 {
			kept = append(kept, c)
		} else {
			o.booking.skips[i] = ReasonOrderRefused
		}
	}
	if len(books) > 0 && len(kept) == 0 {
		o.booking.reason = ReasonOrderRefused
	}
	o.convs = append(o.convs, kept...)
	return nil
}

// applyVisit is apply for the row's visit; it returns the platforms
// (bits, by enabled index) whose consent column refuses the order.
func (w *withdrawals) applyVisit(o *outcome, skips []string) (uint32, error) {
	var refused uint32
	for i, c := range w.run {
		if o.open&(1<<i) == 0 {
			continue
		}
		var has bool
		if i > 0 && c == w.run[i-1] && o.open&(1<<(i-1)) != 0 {
			has = refused&(1<<(i-1)) != 0 // a consent column two platforms share: the same key
		} else {
			var err error
			if has, err = w.orders.Has(orderKey(o.dup, c)); err != nil {
				return 0, err
			}
		}
		if has {
			refused |= 1 << i
			skips[i] = ReasonOrderRefused
		}
	}
	if o.open&^refused == 0 {
		o.reason = skips[0]
		o.unreached()
		return refused, nil
	}
	if o.hasPatient {
		revoked, err := w.patients.Has(o.patient)
		if err != nil {
			return 0, err
		}
		if revoked {
			o.reason = ReasonPatientRevoked
			o.unreached()
			return refused, nil
		}
		// A patient another row of whom the revocations file lists (runner.listed).
		if w.listed != nil { // nil: no revocations file, no row listed
			listed, err := w.listed.Has(o.patient)
			if err != nil {
				return 0, err
			}
			if listed {
				o.reason = consent.ReasonListed
				o.unreached()
				return refused, nil
			}
		}
		// A dated revocation on another row: the appointments from its
		// day on, whatever the row's own reason — its booking too, as an
		// undated revocation withdraws it (a cancelled row's booking made
		// after the day was sent: review) — but for the revoking row's own
		// (consent_revoked, its booking judged at its own time).
		if w.from != nil && o.at != 0 && o.reason != consent.ReasonRevoked {
			from, ok, err := w.from.Get(o.patient)
			if err != nil {
				return 0, err
			}
			if ok && o.at >= from {
				o.reason = ReasonPatientRevoked
				o.unreached()
				return refused, nil
			}
		}
	}
	// An email or phone a row withdrawing its patient carried, on a row of
	// another patient or of none (samenightids.go): this row alone, not
	// its patient's others (a relative sharing a family phone consented
	// for the visits that carry their own).
	if len(o.heldIDs) > 0 {
		withdrawn, err := w.withdrawnByIdentifier(o)
		if err != nil {
			return 0, err
		}
		if withdrawn {
			o.reason = ReasonIdentifierWithdrawn
			o.unreached()
			return refused, nil
		}
	}
	if refused == 0 || o.stage == stageDate {
		return refused, nil // the appointment time's reason is the row's, whatever its platforms
	}
	// Was any platform still open after the consent at the visit? shape
	// only ever adds no_click_id, no_identifier or weak_identifiers to an
	// open platform.
	open := false
	for i, s := range skips {
		if refused&(1<<i) == 0 && (s == "" || o.stage == stageShaped && (s == ReasonNoClickID || s == ReasonNoIdentifier || s == ReasonWeakIdentifiers)) {
			open = true
		}
	}
	if !open {
		o.reason, o.late = skips[0], false
		o.convs = nil
		o.t.reset() // the row never reached shape
		return refused, nil
	}
	if o.stage != stageShaped {
		return refused, nil // status_not_converted
	}
	kept := o.convs[:0]
	for _, c := range o.convs {
		if refused&(1<<w.index[c.Platform]) == 0 {
			kept = append(kept, c)
		}
	}
	o.convs = kept
	o.t.withdraw(refused)
	if len(o.convs) == 0 {
		o.reason, o.late = skips[0], true
	}
	return refused, nil
}

// unreached clears what a row counted after the point where a withdrawal
// excludes it.
func (o *outcome) unreached() {
	o.late, o.convs = false, nil
	o.booking = bookingOutcome{}
	o.dated, o.dateSetting, o.dateInvalid, o.dateSwapped = false, "", false, false
	o.t.reset()
}

// refuses: a consent value that says no, as opposed to one that says
// nothing (blank, unknown): an order with such a row is refused whatever
// its other rows say.
func refuses(reason string) bool {
	return reason == consent.ReasonRevoked || reason == consent.ReasonDenied || reason == consent.ReasonScoped
}

// orderKey derives the set key of an order in one consent column from its
// 64-bit event-id digest: per column, because Google and Meta consent may
// be kept apart (consent_google, consent_meta).
func orderKey(dup uint64, c export.Column) uint64 {
	return dup ^ (uint64(c)+1)*0x9E3779B97F4A7C15
}

// patientKey derives the set key of a patient: a maphash under a seed of
// the process's own, as orders' (orderDigest). It was the event-id HMAC
// of the patient key: on a dry-run, whose key is the public demo key, the
// held rows and the set's spill files then kept digests of chart numbers
// that anyone could recompute by trying them all. A seed nobody outside
// the process knows keys nothing that leaves it, and the sets only ever
// compare patients within one run. An HMAC a row with a patient key, too.
//
// The key is folded as consent.revocations_file's ids and the export's
// cells are compared (consent.Key): invisible characters at its edges,
// full-width forms, case, and an all-digit key's leading zeros make no
// difference. A re-saved export writes 123 for 00123: the revoking row's
// 00123 withdrew nothing of the row written 123 the same night, and a
// listed row's patient, matched by the file folded, kept the visits whose
// key was written otherwise (TestPatientKeysFoldWithinTheExport). A key
// that is not all digits keeps its zeros (0012-3 is not 12-3). Folding can
// only join rows into one patient, so only withdraw more (cells of
// invisible characters alone are one patient, as a blank cell is none).
func patientKey(pk string) uint64 {
	var buf [64]byte
	return maphash.Bytes(patientSeed, consent.Key(buf[:0], pk))
}

// patientSeed keys patientKey, once per process.
var patientSeed = maphash.MakeSeed()

// collect screens the row's consent in every column that withdraws
// (wcols) and notes, for the end of the run (withdraw.go), what it
// withdraws: its order in each column whose consent refuses (revoked,
// denied, scoped), and its patient when a column says revoked. A dated
// revocation under consent.revoked_allows_earlier screens as "" for its
// own row (Decide judges it by the row's date) and withdraws the
// patient's appointments from its day on (outcome.revokesFrom). Then a
// patient the ledger remembers (Options.Revoked) is withdrawn as if this
// row said so.
func (r *runner) collect(row export.Row, hasOrder bool, o *outcome) {
	revokes := false
	for j, c := range r.wcols {
		v := row.Get(c)
		reason, revokedOn := r.policy.ScreenDated(v)
		r.wreason[j] = reason
		r.noteConsent(j, row, c, v, reason, revokedOn, o)
		if hasOrder && refuses(reason) {
			o.refuses |= 1 << j
		}
		revokes = revokes || reason == consent.ReasonRevoked
		// A dated revocation (revoked_allows_earlier) withdraws the
		// patient's appointments from its day on, on every row: judged on
		// its own row alone, the patient's later visits were sent.
		if reason == "" && !revokedOn.IsZero() && r.patient(row, o) {
			switch d := revokedOn.Unix(); {
			case d <= 0: // before 1970: every appointment (0 means none)
				revokes = true
			case o.revokesFrom == 0 || d < o.revokesFrom:
				o.revokesFrom = d
			}
		}
	}
	if revokes && r.patient(row, o) {
		o.revokes = true
	}
	// The patient's keyed digest (an HMAC: made once, and only when the
	// ledger is told of this row's withdrawal or asked for an earlier one).
	o.selfRevokes, o.selfDated = o.revokes, o.revokesFrom != 0
	remember := (o.revokes || o.revokesFrom != 0) && r.rememberRevoked
	ask := !o.revokes && r.priorRevoked != nil && r.patient(row, o)
	var digest uint64
	if remember || ask {
		digest = RememberedDigest(r.ids, row.Get(export.PatientKey))
	}
	if remember {
		o.revokedKey = digest
		r.rememberIdentifiers(row, o)
	}
	// A patient an earlier run saw revoke is revoked here too, on every
	// row (the revoking row may have left the export) — from its day on
	// when the revocation was dated.
	if ask {
		from, ok := failClosed(r.priorRevoked.Get(digest))
		if !ok {
			// Remembered before the memory folded keys (LegacyDigest).
			if legacy, differs := LegacyDigest(r.ids, row.Get(export.PatientKey)); differs {
				from, ok = failClosed(r.priorRevoked.Get(legacy))
			}
		}
		if !ok && row.Literals() {
			// Remembered by a hashgate that read the key's text formula
			// as written (LiteralDigests).
			from, ok = r.priorLiteral(row, digest)
		}
		if !ok {
			// Remembered under the previous secret (prevkey.go).
			if from, ok = r.priorUnderPrevious(row, digest); ok {
				r.rekeyIdentifiers(row)
			}
		}
		if ok {
			switch {
			case from <= 0 || !r.allowsEarlier:
				// Every appointment: undated, or remembered with a day while
				// revoked_allows_earlier was on and now off ("a revoked
				// patient is never sent"; the day was not kept: review).
				o.revokes = true
			case o.revokesFrom == 0 || from < o.revokesFrom:
				o.revokesFrom = from
			}
		}
	}
}

// listed withdraws the patient of a row the revocations file lists — by
// order id, event id or patient key — as a revoking consent cell does:
// consent belongs to a person. A listed order id withdrew its own visit
// only, while a cell saying 撤回 on the same row withdrew every visit of
// the patient (review). The patient's other rows are consent_revoked_list
// too (applyVisit), and an upload remembers the patient (revokedKey), so
// their later visits stay out after the row has left a rolling export; a
// row without a patient key withdraws itself alone.
func (r *runner) listed(row export.Row, o *outcome) {
	if !r.patient(row, o) {
		return
	}
	o.listed = true
	if r.rememberRevoked && o.revokedKey == 0 {
		o.revokedKey = RememberedDigest(r.ids, row.Get(export.PatientKey))
		r.rememberIdentifiers(row, o)
	}
}

// patient keys the row's patient into o, once; false when the export maps
// no patient key or the row's is blank.
func (r *runner) patient(row export.Row, o *outcome) bool {
	if !o.hasPatient && r.patients {
		if pk := row.Get(export.PatientKey); pk != "" {
			o.patient, o.hasPatient = patientKey(pk), true
		}
	}
	return o.hasPatient
}

// RememberedDigest is the digest under which the ledger remembers the
// withdrawal of the patient with patientKey (the cell of
// input.columns.patient_key), made with d (keyed with the secret): what a
// row's withdrawal is remembered and looked up under, and what `hashgate
// ledger unrevoke --patients` forgets.
//
// The key is folded as the rows of one export compare it (patientKey) and
// consent.revocations_file's ids are (consent.Key): a patient who revoked
// as A007001 is the patient whose later visit the export writes a007001,
// in full-width forms, or — all digits — without its leading zeros, and
// `unrevoke --patients` finds them listed so. The memory folded an
// all-digit key's zeros only (LegacyDigest): a patient remembered as
// A007001 was not found listed as a007001, and one remembered in
// full-width forms was not found even written alike, for unrevoke folds
// them (TestUnrevokeFoldsPatientKeysAsTheExportDoes).
func RememberedDigest(d *eventid.Deriver, patientKey string) uint64 {
	var buf [64]byte
	return d.RevokedPatient(string(consent.Key(buf[:0], patientKey)))
}

// LegacyDigest is the digest a withdrawal was remembered under before
// RememberedDigest folded keys as consent.Key does — the key with an
// all-digit key's leading zeros trimmed (rememberedKey), nothing else —
// and whether it differs from RememberedDigest's: a key with a capital
// letter, a full-width form or an invisible character at its edge. The
// ledger keeps what older hashgates remembered: an upload looks a patient
// up under both, and `unrevoke --patients` forgets both. Withdrawals this
// hashgate remembers are kept under RememberedDigest alone.
func LegacyDigest(d *eventid.Deriver, patientKey string) (uint64, bool) {
	var buf [64]byte
	legacy := rememberedKey(patientKey)
	if string(consent.Key(buf[:0], patientKey)) == legacy {
		return 0, false
	}
	return d.RevokedPatient(legacy), true
}

// rememberedKey is a patient key as the ledger's memory of withdrawals
// keyed it before it folded keys as consent.Key does (LegacyDigest): an
// all-digit key without its leading zeros. A spreadsheet that re-saves a
// padded chart-number column writes 12345 for 00012345, and the
// withdrawal remembered under the padded key matched nothing, though the
// order ids (another column) stopped nothing (review).
func rememberedKey(k string) string {
	if k == "" || strings.TrimLeft(k, "0123456789") != "" {
		return k // not all digits (the digests must not follow the zeros check's limits)
	}
	if t := strings.TrimLeft(k, "0"); t != "" {
		return t
	}
	return "0"
}

// failClosed is a remembered withdrawals' answer (keyset.Mins.Get) for a
// patient's digest. One it could not look up (their file failed) is
// withdrawn from every appointment: the run stops on Prior.Err before
// anything is sent (settle), and until then nothing of the patient's may
// go.
func failClosed(from int64, ok bool, err error) (int64, bool) {
	if err != nil {
		return 0, true
	}
	return from, ok
}
