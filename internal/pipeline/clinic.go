package pipeline

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
)

// ReasonOtherClinic: the row's clinic cell (input.columns.clinic) is not
// one of input.clinic_values, under input.other_clinic_rows: exclude —
// another branch's row of a chain's joined export (config's clinic.go).
const ReasonOtherClinic = "other_clinic"

// clinics judges each row's clinic cell against input.clinic_values:
// nil when the config maps no clinic column. Each runner has its own (buf
// is reused from row to row).
type clinics struct {
	own     map[string]bool // the listed values, folded (config.ClinicKey)
	exclude bool            // input.other_clinic_rows: exclude
	buf     []byte
}

func newClinics(cfg *config.Config) *clinics {
	if !cfg.ClinicGuard() {
		return nil
	}
	c := &clinics{own: map[string]bool{}, exclude: cfg.OtherClinicPolicy() == config.OtherClinicExclude}
	for _, v := range cfg.Input.ClinicValues {
		if k := config.ClinicKey(nil, v); len(k) > 0 {
			c.own[string(k)] = true
		}
	}
	return c
}

// clinicNote is what one row's clinic cell says: judged, its cells were
// read (not a refused or malformed row); other, it is none of
// input.clinic_values (empty: it is blank), at line:col. Nothing of the
// cell itself.
type clinicNote struct {
	judged, other, empty bool
	line, col            int
}

// note judges row's clinic cell into n.
func (c *clinics) note(row export.Row, n *clinicNote) {
	n.judged = true
	cell := row.Get(export.Clinic)
	c.buf = config.ClinicKey(c.buf[:0], cell)
	if len(c.buf) > 0 && c.own[string(c.buf)] { // no allocation: a map lookup of a converted []byte
		return
	}
	n.other, n.empty = true, celltext.Trim(cell) == ""
	n.line, n.col = row.Position(export.Clinic)
}

// clinicTally counts, in the settler, the rows that name another clinic
// (or none), and where the first is.
type clinicTally struct {
	on, stop     bool
	name, header string
	rows, other  int // rows judged, and those of another clinic
	empty        int // of them, with an empty cell
	line, col    int // the first one's cell
}

func newClinicTally(cfg *config.Config, name string) clinicTally {
	return clinicTally{on: cfg.ClinicGuard(), stop: cfg.OtherClinicPolicy() == config.OtherClinicStop,
		name: name, header: cfg.Input.Columns.Clinic}
}

// observe counts one row's verdict. Refused and malformed rows are not
// judged: their cells cannot be read as the header says, and they are
// never sent.
func (t *clinicTally) observe(n clinicNote) {
	if !t.on || !n.judged {
		return
	}
	t.rows++
	if !n.other {
		return
	}
	if t.other == 0 {
		t.line, t.col = n.line, n.col
	}
	t.other++
	if n.empty {
		t.empty++
	}
}

// OtherClinicError is the run stopped because rows of the export name a
// clinic that is not this config's (input.other_clinic_rows: stop). It
// is a *config.Error (exit 2) and says, as every message does, where the
// first such cell is and how many there are, never a cell's value. An
// upload remembers nothing such an export withdraws: its patients are
// another clinic's (package run).
type OtherClinicError struct {
	Rows, Other int
	Err         *config.Error
}

func (e *OtherClinicError) Error() string { return e.Err.Error() }
func (e *OtherClinicError) Unwrap() error { return e.Err }

// err is the stop, nil when every row judged is this clinic's or the
// config excludes the others.
func (t *clinicTally) err() error {
	return t.stopErr("nothing was sent or written", "counted as other_clinic", false)
}

// stopErr is the stop, its message saying what did not happen (done) and
// what exclude would do with the other branches' rows (left); released,
// it names the first cell but no number of rows, as a released channel
// report's stderr never does (README "Stderr names kinds, not counts").
func (t *clinicTally) stopErr(done, left string, released bool) error {
	if !t.on || !t.stop || t.other == 0 {
		return nil
	}
	empty := ""
	if t.empty > 0 {
		empty = fmt.Sprintf(" (%d of them empty)", t.empty)
	}
	counts := fmt.Sprintf("%d of the %d rows read have", t.other, t.rows)
	if released {
		counts, empty = "rows have", ""
		if t.empty > 0 {
			empty = " (some of them empty)"
		}
	}
	return &OtherClinicError{Rows: t.rows, Other: t.other, Err: &config.Error{Key: "input.columns.clinic", Problem: fmt.Sprintf(
		"%s:%d:%d: %s a %q cell that is none of input.clinic_values%s, the first at this cell; %s. "+
			"This export, or these rows, are another clinic's, and its patients must never reach this config's accounts: "+
			"check that the file (and the cron line or folder that names it) is this clinic's own export. "+
			"If the export is a chain's, joined for every branch, set input.other_clinic_rows: exclude to leave the other branches' rows out (%s); "+
			"if this clinic's name or number is written otherwise in the export, add that spelling to input.clinic_values",
		t.name, t.line, t.col, counts, t.header, empty, done, left)}}
}

// ClinicGuard judges each row's clinic as the upload does, for a reader
// of the export that does not run the pipeline (the channel report): a
// report counting another branch's patients as this clinic's is the
// disclosure the guard exists for, in figures rather than hashes.
type ClinicGuard struct {
	c        *clinics
	t        clinicTally
	released bool
}

// NewClinicGuard is cfg's guard over the export name; nil when the config
// maps no clinic column. Not safe for concurrent use.
func NewClinicGuard(cfg *config.Config, name string) *ClinicGuard {
	c := newClinics(cfg)
	if c == nil {
		return nil
	}
	return &ClinicGuard{c: c, t: newClinicTally(cfg, name)}
}

// Other judges row, one read whole (neither refused nor malformed, which
// the upload does not judge either), and reports whether it names another
// clinic, or none.
func (g *ClinicGuard) Other(row export.Row) bool {
	var n clinicNote
	g.c.note(row, &n)
	g.t.observe(n)
	return n.other
}

// Exclude reports whether the other clinics' rows are left out
// (input.other_clinic_rows: exclude) rather than stopping the run.
func (g *ClinicGuard) Exclude() bool { return g.c.exclude }

// Released leaves the numbers of rows out of the stop (stopErr).
func (g *ClinicGuard) Released() { g.released = true }

// Err is the stop under input.other_clinic_rows: stop, an
// *OtherClinicError (exit 2), nil when every row judged is this clinic's
// or the others are excluded. done says what did not happen, left what
// exclude does with the other branches' rows.
func (g *ClinicGuard) Err(done, left string) error {
	return g.t.stopErr(done, left, g.released)
}
