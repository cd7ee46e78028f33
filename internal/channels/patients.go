package channels

import (
	"cmp"
	"encoding/binary"
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
}

const visitSize = 8 + 8 + 8 + 4 + 8

// defaultVisitBuffer: 1<<18 visits, 9 MiB; exports with more visits than
// that of patients with a key spill.
const defaultVisitBuffer = 1 << 18

var visitCodec = codec[visit]{
	size: visitSize, what: "new-patient",
	enc: func(b []byte, v visit) {
		binary.LittleEndian.PutUint64(b[0:], v.key)
		binary.LittleEndian.PutUint64(b[8:], uint64(v.at))
		binary.LittleEndian.PutUint64(b[16:], v.tie)
		binary.LittleEndian.PutUint32(b[24:], uint32(v.channel))
		binary.LittleEndian.PutUint64(b[28:], uint64(v.value))
	},
	dec: func(b []byte) visit {
		return visit{
			key: binary.LittleEndian.Uint64(b[0:]), at: int64(binary.LittleEndian.Uint64(b[8:])),
			tie: binary.LittleEndian.Uint64(b[16:]), channel: int32(binary.LittleEndian.Uint32(b[24:])),
			value: amount(binary.LittleEndian.Uint64(b[28:])),
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

func (l *visitLog) add(key uint64, at int64, tie uint64, channel int, value amount) error {
	return l.s.add(visit{key: key, at: at, tie: tie, channel: int32(channel), value: value})
}

// each calls fn once per patient, in key order, with the first visit and
// the revenue of the visits for which within(first, v) holds (the first
// included).
func (l *visitLog) each(within func(first, v visit) bool, fn func(first visit, revenue amount)) error {
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
