package channels

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/channels/attacktest"
	"github.com/hashgate/hashgate/internal/config"
)

// The attack suite on random tables and the fixture: an export read into
// many reports (shifted windows, rolling month-to-date, periods of days
// and weeks, LINE and Referral merged, consented_only toggled, min_cell
// changed), exactly and under release keys. The reader solves everything
// printed (attacktest.Solve). Under exact figures the solver pins small
// counts. Under the release rule the count noise is widened to draws from
// 1 to 2^40 (the rule's structure unchanged: the same running totals,
// cell keys and draws), so that no two draws cancel by luck: a small count
// the solver gives back equal to the truth is a derivation the noise does
// not reach — a leak — and there must be none. Equations are not all a
// reader has: with the real noise (−1, 0, +1) bounds can pin what no
// equation does (bounds_attack_test.go plays that reader).
// cli's TestAttacksRecoverNoSmallCount plays the attacks on the fixture
// through the command with real keys.

// attackChannels are the random exports' channels; "LINE+Referral" is the
// regrouping.
var attackChannels = []string{"Google Ads", "Meta Ads", "LINE", "Referral", config.Unattributed}

func attackMembers(name string) []int {
	switch name {
	case "Total":
		return []int{0, 1, 2, 3, 4}
	case "LINE+Referral":
		return []int{2, 3}
	case "Paid":
		return []int{0, 1}
	}
	if i := slices.Index(attackChannels, name); i >= 0 {
		return []int{i}
	}
	return nil
}

// randomExport writes n bookings over days days from start.
func randomExport(rng *rand.Rand, start time.Time, days, n int) string {
	var b strings.Builder
	b.WriteString("id,at,status,source,gclid,fbclid,fee,chart,consent\n")
	sources := []string{"google", "facebook", "line", "referral", "walk-in"}
	weights := []int{40, 30, 15, 5, 10}
	for i := range n {
		w, src := rng.IntN(100), ""
		for j, wt := range weights {
			if w < wt {
				src = sources[j]
				break
			}
			w -= wt
		}
		at := start.AddDate(0, 0, rng.IntN(days)).Add(time.Duration(9+rng.IntN(9)) * time.Hour)
		status := "completed"
		if rng.IntN(4) == 0 {
			status = "no-show"
		}
		fee := 500 + 100*rng.IntN(30)
		if rng.IntN(20) == 0 {
			fee = 68000 // an implant among check-ups
		}
		consent := "yes"
		if rng.IntN(3) == 0 {
			consent = "no"
		}
		fmt.Fprintf(&b, "R%d,%s,%s,%s,,,%d,P%d,%s\n", i, at.Format("2006-01-02 15:04"), status, src, fee, rng.IntN(n), consent)
	}
	// Courses of treatment: a few patients come back through one channel
	// within two days, each visit a fraction of what they pay in all —
	// the revenue the dominance rule must judge per patient, not per
	// visit. Drawn after the rows above, so those stay what they were.
	for i := range 1 + n/40 {
		src := sources[rng.IntN(len(sources))]
		at := start.AddDate(0, 0, rng.IntN(days)).Add(11 * time.Hour)
		for j := range 3 {
			fmt.Fprintf(&b, "C%d-%d,%s,completed,%s,,,%d,C%d,yes\n", i, j, at.AddDate(0, 0, j/2).Add(time.Duration(j)*time.Hour).Format("2006-01-02 15:04"), src, 9000, i)
		}
	}
	return b.String()
}

// attackRequest is one report a reader is given.
type attackRequest struct {
	fixture       bool // the English fixture's columns and channels
	from, to      time.Time
	period        string
	merged        bool // LINE and Referral as one channel
	consentedOnly bool
	minCell       int
	asOf          time.Time
}

func attackConfig(q attackRequest) *config.Config {
	cfg := testConfig()
	cfg.Channels.MinCell = 5
	if q.minCell > 0 {
		cfg.Channels.MinCell = q.minCell
	}
	cfg.Channels.ConsentedOnly = q.consentedOnly
	cfg.Channels.List = []config.Channel{
		{Name: "Google Ads", Platform: "google", Sources: []string{"google"}},
		{Name: "Meta Ads", Platform: "meta", Sources: []string{"facebook"}},
		{Name: "LINE", Sources: []string{"line"}},
		{Name: "Referral", Sources: []string{"referral"}},
	}
	if q.fixture { // testdata/channels/en.yaml, with its consent column mapped
		cfg.Input.Columns = config.Columns{
			OrderID: []string{"Appointment ID"}, AppointmentAt: "Appointment Time", Status: "Status", Source: "Source",
			GCLID: "gclid", FBCLID: "fbclid", Value: "Fee", PatientKey: "Chart No", Consent: "Marketing Consent",
		}
		cfg.Channels.List = []config.Channel{
			{Name: "Google Ads", Platform: "google", Sources: []string{"google", "google ads"}},
			{Name: "Meta Ads", Platform: "meta", Sources: []string{"facebook", "instagram", "fb", "ig"}},
			{Name: "LINE", Sources: []string{"line", "line@"}},
			{Name: "Referral", Sources: []string{"referral", "friend"}},
		}
	}
	if q.merged {
		l := cfg.Channels.List
		cfg.Channels.List = append(l[:2:2], config.Channel{Name: "LINE+Referral", Sources: append(l[2].Sources, l[3].Sources...)})
	}
	return cfg
}

// wideNoise is the count noise spread of the attack runs: far above any
// count, so an answer equal to the truth cannot be luck.
const wideNoise = 1 << 40

func runAttack(t testing.TB, export string, q attackRequest, key []byte) *Report {
	return runAttackSpread(t, export, q, key, 0)
}

func runAttackSpread(t testing.TB, export string, q attackRequest, key []byte, spread uint64) *Report {
	t.Helper()
	rep, _, err := Build(context.Background(), Options{
		Config: attackConfig(q), Input: strings.NewReader(export), InputName: "export.csv",
		From: q.from, To: q.to, Period: q.period, AsOf: q.asOf, Key: key, Exact: key == nil, noiseSpread: spread,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// attackSystem turns printed figures into equations over atoms: (consent
// part, channel, stretch of days between the edges of the spans printed).
type attackSystem struct {
	edges []int32
	parts int
	n     int
	eqs   []attacktest.Equation
}

func (s *attackSystem) atom(part, ch, sp int) int {
	return (part*len(attackChannels)+ch)*(len(s.edges)-1) + sp
}

func newAttackSystem(qs []attackRequest, reps []*Report) *attackSystem {
	s := &attackSystem{parts: 1}
	seen := map[int32]bool{}
	edge := func(d int32) {
		if !seen[d] {
			seen[d] = true
			s.edges = append(s.edges, d)
		}
	}
	for i, rep := range reps {
		for _, tb := range append([]Table{rep.Table}, rep.Periods...) {
			edge(dayNumber(tb.From))
			edge(dayNumber(tb.To) + 1)
		}
		if qs[i].consentedOnly {
			s.parts = 2
		}
	}
	slices.Sort(s.edges)
	s.n = s.parts * len(attackChannels) * (len(s.edges) - 1)
	return s
}

func (s *attackSystem) add(q attackRequest, rep *Report, m Metric) {
	parts := []int{0, 1}[:s.parts]
	if q.consentedOnly {
		parts = []int{0}
	}
	for _, tb := range append([]Table{rep.Table}, rep.Periods...) {
		from, end := dayNumber(tb.From), dayNumber(tb.To)+1
		for _, l := range append(append([]Line(nil), tb.Channels...), tb.Paid, tb.Total) {
			v := l.Values[m]
			if v.State != Shown {
				continue
			}
			eq := attacktest.Equation{Value: attacktest.OfFloat(v.V)}
			for _, part := range parts {
				for _, ch := range attackMembers(l.Name) {
					for sp := 0; sp+1 < len(s.edges); sp++ {
						if s.edges[sp] >= from && s.edges[sp+1] <= end {
							eq.Atoms = append(eq.Atoms, s.atom(part, ch, sp))
						}
					}
				}
			}
			s.eqs = append(s.eqs, eq)
		}
	}
}

// playAttack returns the small figures recovered exactly under the release
// rule (must be none), how many the exact reports gave away, and how many
// of those were revenues mostly one patient's through several visits
// (courseAtoms).
func playAttack(t testing.TB, export string, qs []attackRequest, keys [][]byte) (leaks []string, pinned, pinnedCourses int) {
	t.Helper()
	exact := make([]*Report, len(qs))
	for i, q := range qs {
		exact[i] = runAttack(t, export, q, nil)
	}
	keyed := make([][]*Report, len(keys))
	for k, key := range keys {
		for _, q := range qs {
			keyed[k] = append(keyed[k], runAttackSpread(t, export, q, key, wideNoise))
		}
	}
	solve := func(reps []*Report, m Metric) (*attackSystem, map[int]attacktest.Value) {
		s := newAttackSystem(qs, reps)
		for i, q := range qs {
			s.add(q, reps[i], m)
		}
		return s, attacktest.Solve(s.n, s.eqs)
	}
	_, visits := solve(exact, Visits)
	var dominated, courses map[int]bool
	for _, m := range []Metric{Bookings, Visits, NoShows, Cancellations, Pending, NewVisits, ReturningVisits, NewPatients, Revenue} {
		s, truth := solve(exact, m)
		if m == Revenue {
			dominated, courses = dominatedAtoms(export, s), courseAtoms(export, s)
		}
		var small []int
		for a, v := range truth {
			count := v // a count of 1 to 4 is the residue 1 to 4
			if m == Revenue {
				tv, ok := visits[a]
				if !ok || v == 0 {
					continue
				}
				count = tv
				if dominated[a] {
					// Mostly one patient's revenue, however many visits:
					// an exact answer would say what that patient paid.
					small = append(small, a)
					if courses[a] {
						pinnedCourses++
					}
					continue
				}
			}
			if count >= 1 && count < 5 {
				small = append(small, a)
			}
		}
		sort.Ints(small)
		pinned += len(small)
		got := make([]map[int]attacktest.Value, len(keys))
		for k := range keys {
			_, got[k] = solve(keyed[k], m)
		}
		for _, a := range small {
			for k := range keys {
				if v, ok := got[k][a]; ok && v == truth[a] {
					leaks = append(leaks, fmt.Sprintf("%s atom %d = the truth under key %d", m.Key(), a, k))
				}
			}
		}
	}
	return leaks, pinned, pinnedCourses
}

// dominatedAtoms returns the atoms of s whose revenue is more than
// config.DefaultDominanceShare one patient's — the sum of that patient's
// visits in the atom's channel, consent part and days — read from a
// random export (randomExport's columns: every completed row a visit of
// its fee, on the date it is written with; sources as attackConfig maps
// them). Other exports (the fixture) give none: the solver's answers for
// them are checked as counts only.
func dominatedAtoms(export string, s *attackSystem) map[int]bool {
	lines := strings.Split(strings.TrimSpace(export), "\n")
	if len(lines) == 0 || lines[0] != "id,at,status,source,gclid,fbclid,fee,chart,consent" {
		return nil
	}
	channel := map[string]int{"google": 0, "facebook": 1, "line": 2, "referral": 3, "walk-in": 4}
	byPatient := map[int]map[string]float64{}
	total := map[int]float64{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if f[2] != "completed" {
			continue
		}
		d := dayNumber(day(f[1][:10]))
		sp := sort.Search(len(s.edges), func(i int) bool { return s.edges[i] > d }) - 1
		if sp < 0 || sp+1 >= len(s.edges) {
			continue // outside every printed span
		}
		part := 0
		if s.parts == 2 && f[8] != "yes" {
			part = 1
		}
		var fee float64
		fmt.Sscan(f[6], &fee)
		a := s.atom(part, channel[f[3]], sp)
		if byPatient[a] == nil {
			byPatient[a] = map[string]float64{}
		}
		byPatient[a][f[7]] += fee
		total[a] += fee
	}
	out := map[int]bool{}
	for a, ps := range byPatient {
		for _, v := range ps {
			if v > config.DefaultDominanceShare*total[a] {
				out[a] = true
			}
		}
	}
	return out
}

// courseAtoms are the atoms of dominatedAtoms that one patient dominates
// only through several visits, none of them over the share alone: what a
// per-visit rule would miss.
func courseAtoms(export string, s *attackSystem) map[int]bool {
	var b strings.Builder
	for i, l := range strings.Split(strings.TrimSpace(export), "\n") {
		if f := strings.Split(l, ","); i > 0 {
			f[7] += "-" + f[0] // every visit its own patient
			l = strings.Join(f, ",")
		}
		b.WriteString(l + "\n")
	}
	perVisit := dominatedAtoms(b.String(), s)
	out := map[int]bool{}
	for a := range dominatedAtoms(export, s) {
		if !perVisit[a] {
			out[a] = true
		}
	}
	return out
}

func attackKeys(n int) [][]byte {
	var keys [][]byte
	for i := range n {
		k := sha256.Sum256([]byte(fmt.Sprint("attack key ", i)))
		keys = append(keys, k[:])
	}
	return keys
}

// randomRequests is a reader's collection of reports over [start,
// start+days).
func randomRequests(rng *rand.Rand, start time.Time, days int) []attackRequest {
	d := func(i int) time.Time { return start.AddDate(0, 0, i) }
	last := days - 1
	var qs []attackRequest
	// Overlapping and shifted windows.
	for range 3 {
		a := rng.IntN(days / 2)
		qs = append(qs, attackRequest{from: d(a), to: d(last)}, attackRequest{from: d(a + 1 + rng.IntN(5)), to: d(last)})
	}
	// Rolling to-date reports, day by day.
	for i := range 6 {
		qs = append(qs, attackRequest{from: d(0), to: d(days/2 + i)})
	}
	switch rng.IntN(4) {
	case 0: // periods
		qs = append(qs, attackRequest{from: d(0), to: d(last), period: "day"}, attackRequest{from: d(0), to: d(last), period: "week"})
	case 1: // regrouping
		qs = append(qs, attackRequest{from: d(0), to: d(last), merged: true}, attackRequest{from: d(0), to: d(last), period: "week", merged: true},
			attackRequest{from: d(0), to: d(last), period: "week"})
	case 2: // consent toggled
		qs = append(qs, attackRequest{from: d(0), to: d(last), consentedOnly: true}, attackRequest{from: d(0), to: d(last), period: "week", consentedOnly: true},
			attackRequest{from: d(0), to: d(last), period: "week"})
	case 3: // min_cell changed
		qs = append(qs, attackRequest{from: d(0), to: d(last), period: "week", minCell: 2}, attackRequest{from: d(0), to: d(last), period: "day", minCell: 30})
	}
	return qs
}

// sweep is HASHGATE_ATTACK_SWEEP (make attack): how many random tables the
// privacy sweeps play beyond the default suite, or def when unset. The
// default sizes keep `go test -race ./internal/channels` within CI's
// budget; the sweep runs the same tests larger.
func sweep(def int) int {
	n := def
	if s := os.Getenv("HASHGATE_ATTACK_SWEEP"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil || n < 1 {
			panic("HASHGATE_ATTACK_SWEEP: want a positive number of tables, got " + s)
		}
	}
	return n
}

// TestAttacksOnRandomTables plays random readers' collections on random
// exports. HASHGATE_ATTACK_SWEEP=N plays N tables (make attack).
func TestAttacksOnRandomTables(t *testing.T) {
	t.Parallel()
	tables := sweep(3)
	keys := attackKeys(2)
	pinned, dominated := 0, 0
	for trial := range tables {
		rng := rand.New(rand.NewPCG(uint64(trial), 26))
		start := time.Date(2026, 10, 26+rng.IntN(7), 0, 0, 0, 0, time.UTC)
		days := 14 + rng.IntN(21)
		export := randomExport(rng, start, days, 40+rng.IntN(120))
		leaks, p, d := playAttack(t, export, randomRequests(rng, start, days), keys)
		pinned, dominated = pinned+p, dominated+d
		for _, l := range leaks {
			t.Errorf("table %d: recovered exactly: %s", trial, l)
		}
	}
	if pinned == 0 {
		t.Fatal("the exact reports gave no small count away: the attacks prove nothing")
	}
	if dominated == 0 {
		t.Fatal("the exact reports gave away no revenue mostly one patient's through several visits: the per-patient dominance attack proves nothing")
	}
	t.Logf("%d small figures pinned in exact reports over %d tables (%d of them revenues mostly one patient's through several visits), none under the release rule", pinned, tables, dominated)
}

// TestEveryFigureIsADifferenceOfRunningTotals: running totals are what
// bound what many reports can tell. Every printed count of a window is the
// running total the report from 1 January to its last day prints, less the
// one to the day before its first (per calendar year, for a window across
// a new year), so a reader holding any number of windows holds nothing but
// released running totals — one per line and day — and averaging
// overlapping windows never narrows the noise.
func TestEveryFigureIsADifferenceOfRunningTotals(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 26))
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	const days = 120 // to the end of February 2027: windows across a new year
	export := randomExport(rng, start, days, 1500)
	key := attackKeys(1)[0]
	checked, crossing := 0, 0
	// A running total's report is read once, whichever windows hold it.
	totals := map[int32]*Report{}
	total := func(d int32) *Report {
		if totals[d] == nil {
			totals[d] = runAttack(t, export, attackRequest{from: dayTime(yearStart(d)), to: dayTime(d), minCell: 2}, key)
		}
		return totals[d]
	}
	lines := func(rep *Report) []Line { return append(append([]Line(nil), rep.Channels...), rep.Total) }
	for range sweep(8) {
		a := rng.IntN(days - 10)
		b := a + rng.IntN(days-a)
		q := attackRequest{from: start.AddDate(0, 0, a), to: start.AddDate(0, 0, b), minCell: 2}
		rep := runAttack(t, export, q, key)
		want := make([]float64, len(rep.Channels)+1)
		shown := make([]bool, len(want))
		for i := range shown {
			shown[i] = true
		}
		term := func(rep *Report, sign float64) {
			for i, l := range lines(rep) {
				v := l.Values[Bookings]
				shown[i] = shown[i] && (v.State == Shown || v.State == NotApplicable)
				want[i] += sign * v.V
			}
		}
		from, to := dayNumber(q.from), dayNumber(q.to)
		for a := from; a <= to; {
			end := min(to, nextYear(a)-1)
			term(total(end), 1)
			if a > yearStart(a) {
				term(total(a-1), -1)
			}
			if end < to {
				crossing++
			}
			a = end + 1
		}
		for i, l := range lines(rep) {
			if v := l.Values[Bookings]; shown[i] && v.State == Shown {
				checked++
				if v.V != want[i] {
					t.Errorf("%s %s–%s: %v bookings, but its running totals print %v", l.Name, q.from.Format(time.DateOnly), q.to.Format(time.DateOnly), v.V, want[i])
				}
			}
		}
	}
	if checked == 0 || crossing == 0 {
		t.Fatalf("%d figures compared, %d windows across a new year: the test proves nothing", checked, crossing)
	}
}

// TestPeriodsAddUpToTheWindow: within one calendar year a window's
// released bookings are the sum of its periods' — the running totals
// telescope — whatever the periods (README's "Consistency"). Only the
// clamps that keep a part within its whole (visits ≤ bookings) can move a
// nested count off that sum, so bookings are compared.
func TestPeriodsAddUpToTheWindow(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 26))
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	export := randomExport(rng, start, 122, 1200)
	key := attackKeys(1)[0]
	checked := 0
	for _, period := range []string{"month", "week", "day"} {
		q := attackRequest{from: start.AddDate(0, 0, 3), to: start.AddDate(0, 0, 117), period: period, minCell: 2}
		rep := runAttack(t, export, q, key)
		for li, l := range append(append([]Line(nil), rep.Channels...), rep.Paid, rep.Total) {
			w := l.Values[Bookings]
			sum, shown := 0.0, w.State == Shown
			for _, p := range rep.Periods {
				v := append(append([]Line(nil), p.Channels...), p.Paid, p.Total)[li].Values[Bookings]
				shown = shown && v.State == Shown
				sum += v.V
			}
			if !shown {
				continue
			}
			checked++
			if sum != w.V {
				t.Errorf("%s by %s: the periods print %v bookings, the window %v", l.Name, period, sum, w.V)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("%d lines compared: the test proves nothing", checked)
	}
}

// TestAttacksOnFixture plays the attacks of issue 26 on the English
// fixture (testdata/channels/export-en.csv, August to November):
// Aug–Nov minus Sep–Nov, shifted windows, month- and quarter-to-date day
// by day, LINE+Referral merged, consent toggled, periods and min_cell
// changed.
func TestAttacksOnFixture(t *testing.T) {
	t.Parallel()
	raw := readFixtureEN(t)
	d := func(s string) time.Time { return day(s) }
	q := fixtureQuery(time.Time{})
	toDate := func(from string, days int) []attackRequest {
		var qs []attackRequest
		for i := range days {
			qs = append(qs, q(from, d(from).AddDate(0, 0, i).Format(time.DateOnly), "", nil))
		}
		return qs
	}
	merged := func(q *attackRequest) { q.merged = true }
	groups := map[string][]attackRequest{
		"Aug–Nov minus Sep–Nov": {q("2026-08-01", "2026-11-30", "", nil), q("2026-09-01", "2026-11-30", "", nil)},
		"shifted windows": {q("2026-08-01", "2026-10-31", "", nil), q("2026-08-08", "2026-11-07", "", nil),
			q("2026-08-15", "2026-11-14", "", nil), q("2026-08-08", "2026-10-31", "", nil)},
		"month-to-date day by day":   toDate("2026-11-01", 7),
		"quarter-to-date day by day": toDate("2026-10-01", 7),
		"LINE+Referral merged": {q("2026-08-01", "2026-11-30", "month", merged), q("2026-08-01", "2026-11-30", "month", nil),
			q("2026-11-01", "2026-11-30", "week", merged), q("2026-11-01", "2026-11-30", "week", nil)},
		"consented_only toggled": {q("2026-08-01", "2026-11-30", "month", func(q *attackRequest) { q.consentedOnly = true }),
			q("2026-08-01", "2026-11-30", "month", nil)},
		"periods changed": {q("2026-11-01", "2026-11-30", "day", nil), q("2026-11-01", "2026-11-30", "week", nil),
			q("2026-10-01", "2026-11-30", "month", nil)},
		"--as-of moved": {q("2026-11-01", "2026-11-30", "week", func(q *attackRequest) { q.asOf = d("2026-11-20") }),
			q("2026-11-01", "2026-11-30", "week", func(q *attackRequest) { q.asOf = d("2026-11-23") }),
			q("2026-11-01", "2026-11-30", "week", func(q *attackRequest) { q.asOf = d("2026-11-26") })},
		"min_cell changed": {q("2026-10-01", "2026-11-30", "week", func(q *attackRequest) { q.minCell = 2 }),
			q("2026-10-01", "2026-11-30", "week", nil), q("2026-10-01", "2026-11-30", "week", func(q *attackRequest) { q.minCell = 30 })},
	}
	pinned := 0
	for name, qs := range groups {
		leaks, p, _ := playAttack(t, string(raw), qs, attackKeys(2))
		pinned += p
		for _, l := range leaks {
			t.Errorf("%s: recovered exactly: %s", name, l)
		}
	}
	if pinned == 0 {
		t.Fatal("the exact reports gave no small count away: the attacks prove nothing")
	}
	t.Logf("%d small figures pinned in exact reports, none under the release rule", pinned)
}

// readFixtureEN is the English fixture (testdata/channels/export-en.csv,
// August to November) that the attack suites play on.
func readFixtureEN(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/channels/export-en.csv")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// fixtureQuery builds the attack suites' requests over the fixture: a
// window (dates as "2026-08-01"), a period, as of asOf (zero: the
// report's own default), changed by mod when it is not nil.
func fixtureQuery(asOf time.Time) func(from, to, period string, mod func(*attackRequest)) attackRequest {
	return func(from, to, period string, mod func(*attackRequest)) attackRequest {
		q := attackRequest{fixture: true, from: day(from), to: day(to), period: period, asOf: asOf}
		if mod != nil {
			mod(&q)
		}
		return q
	}
}
