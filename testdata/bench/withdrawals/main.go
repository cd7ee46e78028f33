// Command withdrawals writes a synthetic appointment export shaped like a
// clinic's, for `make bench-withdrawals` (issue 29).
//
// shared/bench/gen.py, behind `make bench`, writes one order per row and
// no patient column, so a dry-run of it never finds a duplicate order,
// never withdraws an order and never revokes a patient. This export has,
// like a clinic's:
//
//   - a patient key column (patient_id): about one patient per six rows,
//     each with several orders, the same e-mail and phone on every visit;
//   - orders with several rows (a third have two or three: a booking and
//     its visit, or visit lines), some of them duplicates that convert;
//   - withdrawals that arrive after the rows they withdraw, about 5% of
//     the rows: a later row of the same order whose consent says "no" or
//     "revoked" (the order is refused: consent_refused_order), and a later
//     row of another order of the same patient whose consent says
//     "revoked" or "已撤回" (the patient is revoked:
//     consent_revoked_patient; README "Consent": only a revocation, not a
//     denial, withdraws a patient). Each lands 1 to -delay rows after the
//     order's last row, so the sets of withdrawn orders and revoked
//     patients grow through the whole file.
//
// Usage: go run ./testdata/bench/withdrawals -rows N > export.csv
// (testdata/bench/withdrawals.yaml maps it). The output is the same bytes
// for the same flags.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strconv"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "rows to write")
	seed := flag.Uint64("seed", 29, "random seed")
	perPatient := flag.Int("rows-per-patient", 6, "rows per patient, on average")
	share := flag.Float64("withdrawals", 0.05, "share of rows that withdraw an earlier order or patient")
	delay := flag.Int("delay", 100_000, "the most rows a withdrawal lands after its order")
	flag.Parse()
	if *rows < 0 || *perPatient < 1 || *share < 0 || *share > 0.5 || *delay < 1 {
		log.Fatal("withdrawals: -rows ≥ 0, -rows-per-patient ≥ 1, 0 ≤ -withdrawals ≤ 0.5, -delay ≥ 1")
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	g := &gen{rng: rand.New(rand.NewPCG(*seed, 0xa4ead)), w: w, patients: max(1, *rows / *perPatient),
		delay: *delay, pending: make([][]late, *delay+1)}
	// Each order draws its withdrawals with probability p; an order has
	// about 1.45 rows, so p per order is share × 1.45 / (1 - share) rows.
	g.p = *share * 1.45 / (1 - *share) / 2
	w.WriteString("appointment_id,appointment_time,status,patient_id,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid\n")
	for g.n < *rows {
		g.order()
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "withdrawals: %d rows, %d orders, %d patients, %d order withdrawals, %d patient revocations written\n",
		g.n, g.orders, g.patients, g.orderW, g.patientW)
}

// late is a withdrawal row waiting for its place.
type late struct {
	order, patient int
	consent        string
}

type gen struct {
	rng                        *rand.Rand
	w                          *bufio.Writer
	n, orders, patients, delay int
	p                          float64
	pending                    [][]late // by row index mod delay+1
	orderW, patientW           int
	buf                        []byte
}

var (
	first   = []string{"Alice", "Bob", "Chen", "Wang", "Li", "Maria", "John", "Yuki", "Amir", "Sara"}
	granted = []string{"yes", "Y", "1", "true", "yes", "Yes", "y"}
	status  = []string{"completed", "completed", "completed", "completed", "completed", "completed", "completed", "no-show", "cancelled", "scheduled"}
)

// order writes one order of a random patient (one to three rows), and
// schedules its withdrawals.
func (g *gen) order() {
	id := g.orders
	g.orders++
	patient := g.rng.IntN(g.patients)
	rows := 1
	switch r := g.rng.IntN(10); {
	case r < 2:
		rows = 2
	case r < 3:
		rows = 3
	}
	for range rows {
		g.row(id, patient, g.consent())
	}
	if g.rng.Float64() < g.p {
		g.schedule(late{order: id, patient: patient, consent: pick(g.rng, "no", "revoked", "No")})
		g.orderW++
	}
	if g.rng.Float64() < g.p {
		// A later visit of the patient (an order of its own) says the
		// patient revoked: every earlier visit of theirs is withdrawn.
		g.schedule(late{order: -1, patient: patient, consent: pick(g.rng, "revoked", "已撤回")})
		g.patientW++
	}
}

func (g *gen) schedule(l late) {
	at := (g.n + 1 + g.rng.IntN(g.delay)) % len(g.pending)
	g.pending[at] = append(g.pending[at], l)
}

// consent is an ordinary row's own consent cell: mostly a yes, some blank
// (says nothing: excluded, withdraws nothing), a few no's and revocations
// of the row itself.
func (g *gen) consent() string {
	switch r := g.rng.IntN(100); {
	case r < 90:
		return pick(g.rng, granted...)
	case r < 96:
		return ""
	case r < 99:
		return "no"
	default:
		return "revoked"
	}
}

// row writes one row, then the withdrawals due after it (and after them).
func (g *gen) row(order, patient int, consent string) {
	g.write(order, patient, consent)
	for {
		slot := g.n % len(g.pending)
		due := g.pending[slot]
		if len(due) == 0 {
			return
		}
		l := due[0]
		g.pending[slot] = due[1:]
		if len(due) == 1 {
			g.pending[slot] = nil
		}
		order := l.order
		if order < 0 {
			order = g.orders
			g.orders++
		}
		g.write(order, l.patient, l.consent)
	}
}

func (g *gen) write(order, patient int, consent string) {
	rng := g.rng
	i := g.n
	g.n++
	f, l := first[patient%len(first)], first[patient/len(first)%len(first)]
	b := g.buf[:0]
	b = append(b, 'A')
	b = strconv.AppendInt(b, int64(order), 10)
	b = fmt.Appendf(b, ",2026-11-%02d %02d:%02d,%s,P%d,%s,%s,", 1+i%20, 9+i%9, i%60, pick(rng, status...), patient, f, l)
	if patient%3 != 0 {
		b = fmt.Appendf(b, "  %s.%s%d@Example.COM ", f, l, patient)
	} else {
		b = fmt.Appendf(b, "%s.%d+promo@gmail.com", f, patient)
	}
	if patient%2 != 0 {
		b = fmt.Appendf(b, ",09%02d-%03d-%03d", 10+patient%80, 100+patient%900, 100+patient/7%900)
	} else {
		b = fmt.Appendf(b, ",+1 (650) %03d-%04d", 200+patient%800, 1000+patient/3%9000)
	}
	b = fmt.Appendf(b, ",%s,2026-10-01T10:00:00+08:00,%d,TWD,", consent, 500+rng.IntN(89500))
	if i%4 == 0 {
		b = fmt.Appendf(b, "Cj0KCQ%x", rng.Uint64())
	}
	b = append(b, '\n')
	g.buf = b
	g.w.Write(b)
}

func pick(rng *rand.Rand, s ...string) string { return s[rng.IntN(len(s))] }
