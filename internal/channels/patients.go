package channels

import (
	"cmp"
	"encoding/binary"
	"time"
)

// visitLog gathers one record per visit of a patient (input.columns
// patient_key) and answers, per patient, the first visit and the revenue
// of the visits within its LTV horizon — in memory that does not grow with
// the export (an external sort, see sorter). The records hold 64-bit keys
// of the patient key under a per-run random seed, never the key itself.
type visitLog struct{ s *sorter[visit] }

// visit is one visit of one patient.
type visit struct {
	key     uint64
	at      int64  // unix seconds
	tie     uint64 // the order's row hash: which of two visits at one time is first, whatever the row order
	channel int32
	value   amount
	// noise is the noise the visit's value adds to every amount it is in
	// (releaser.valueNoise), drawn once in decideOrders for revenue and
	// kept for new revenue and LTV revenue (creditNewPatients).
	noise amount
}

const visitSize = 8 + 8 + 8 + 4 + 8 + 8

// defaultVisitBuffer: 1<<16 visits, 2.5 MiB; exports with more visits than
// that of patients with a key spill. It was 1<<18 (9 MiB); see
// defaultOrderBuffer for why a quarter.
const defaultVisitBuffer = 1 << 16

var visitCodec = codec[visit]{
	size: visitSize, what: "new-patient",
	enc: func(b []byte, v visit) {
		binary.LittleEndian.PutUint64(b[0:], v.key)
		binary.LittleEndian.PutUint64(b[8:], uint64(v.at))
		binary.LittleEndian.PutUint64(b[16:], v.tie)
		binary.LittleEndian.PutUint32(b[24:], uint32(v.channel))
		binary.LittleEndian.PutUint64(b[28:], uint64(v.value))
		binary.LittleEndian.PutUint64(b[36:], uint64(v.noise))
	},
	dec: func(b []byte) visit {
		return visit{
			key: binary.LittleEndian.Uint64(b[0:]), at: int64(binary.LittleEndian.Uint64(b[8:])),
			tie: binary.LittleEndian.Uint64(b[16:]), channel: int32(binary.LittleEndian.Uint32(b[24:])),
			value: amount(binary.LittleEndian.Uint64(b[28:])), noise: amount(binary.LittleEndian.Uint64(b[36:])),
		}
	},
	// By patient, then time, then the row hash: the first visit does not
	// depend on the order the rows were read in.
	cmp: func(a, b visit) int {
		switch {
		case a.key != b.key:
			return cmp.Compare(a.key, b.key)
		case a.at != b.at:
			return cmp.Compare(a.at, b.at)
		}
		return cmp.Compare(a.tie, b.tie)
	},
}

func newVisitLog(dir string, max int) *visitLog {
	if max <= 0 {
		max = defaultVisitBuffer
	}
	return &visitLog{s: newSorter(visitCodec, dir, max)}
}

func (l *visitLog) add(key uint64, at int64, tie uint64, channel int, value, noise amount) error {
	return l.s.add(visit{key: key, at: at, tie: tie, channel: int32(channel), value: value, noise: noise})
}

// each calls fn once per patient, in key order, with the first visit and
// the revenue of the visits for which within(first, v) holds (the first
// included); before it, each(first, v) for every visit of the patient in
// time order, the first included.
func (l *visitLog) each(within func(first, v visit) bool, each func(first, v visit), fn func(first visit, revenue amount)) error {
	var cur visit
	var revenue amount
	have := false
	err := l.s.each(func(v visit) error {
		if !have || v.key != cur.key {
			if have {
				fn(cur, revenue)
			}
			cur, revenue, have = v, 0, true // the first of a key is its first visit
		}
		if each != nil {
			each(cur, v)
		}
		if within(cur, v) {
			revenue += v.value
		}
		return nil
	})
	if err != nil {
		return err
	}
	if have {
		fn(cur, revenue)
	}
	return nil
}

func (l *visitLog) close() error { return l.s.close() }

// patientTops finds, for each line and column of the report, the largest
// revenue of one patient: channels.dominance_share judges a patient, not a
// visit, when the export says whose visit it is (issue 26). Three visits
// of one patient, each under the share, are together one patient's
// revenue, and printed beside them the amount would say what that patient
// paid. The sums of one patient are gathered while the visit log streams
// by patient (memory: one sum per line and column, not per patient).
type patientTops struct {
	t        *tally
	paid     []bool // per channel: the paid line includes it
	paidRow  int
	totalRow int
	sum, ret [][]amount // the current patient's revenue per line and column
	touched  [][2]int
}

func newPatientTops(t *tally) *patientTops {
	nrows := t.nch + 2
	p := &patientTops{t: t, paid: make([]bool, t.nch), paidRow: t.nch, totalRow: t.nch + 1}
	for i, ch := range t.cfg.Channels.List {
		p.paid[i] = ch.AdPlatform() != 0
	}
	grid := func() [][]amount {
		g := make([][]amount, nrows)
		for r := range g {
			g[r] = make([]amount, len(t.cols))
		}
		return g
	}
	p.sum, p.ret = grid(), grid()
	t.patientTop, t.patientReturningTop = grid(), grid()
	return p
}

// visit adds one visit of the current patient to the lines and columns
// it falls in.
func (p *patientTops) visit(first, v visit) {
	if v.value <= 0 {
		return
	}
	d := dayNumber(time.Unix(v.at, 0).In(p.t.location()))
	rows := [3]int{int(v.channel), p.totalRow, -1}
	if int(v.channel) < len(p.paid) && p.paid[v.channel] {
		rows[2] = p.paidRow
	}
	returning := v != first
	for c, s := range p.t.cols {
		if d < s.from || d > s.to {
			continue
		}
		for _, r := range rows {
			if r < 0 {
				continue
			}
			if p.sum[r][c] == 0 && p.ret[r][c] == 0 {
				p.touched = append(p.touched, [2]int{r, c})
			}
			p.sum[r][c] += v.value
			if returning {
				p.ret[r][c] += v.value
			}
		}
	}
}

// done ends the current patient: their sums raise the tops and are reset.
func (p *patientTops) done() {
	for _, rc := range p.touched {
		r, c := rc[0], rc[1]
		p.t.patientTop[r][c] = max(p.t.patientTop[r][c], p.sum[r][c])
		p.t.patientReturningTop[r][c] = max(p.t.patientReturningTop[r][c], p.ret[r][c])
		p.sum[r][c], p.ret[r][c] = 0, 0
	}
	p.touched = p.touched[:0]
}
