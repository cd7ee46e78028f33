package cli

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/channels/attacktest"
)

// The attack suite: a reader holds many channel reports of one
// installation — overlapping windows, rolling month-to-date reports,
// regrouped channels, consented_only toggled, other periods, min_cell or
// dominance_share changed — and solves everything printed exactly. The
// reports are run on the fixture under several release keys and under
// --exact. Under --exact the solver recovers small counts (the attack has
// teeth: these are the leaks the release rule exists for); under the
// release rule, a small count the solver pins down must depend on the
// key: the reader, who has no key, cannot know the true count. An
// attacker's answer that is the truth under every key is a leak.

// stateEnv is an environment whose state directory holds a release key
// made from seed, so that a perturbed report can be reproduced.
func stateEnv(t *testing.T, seed string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "hashgate"), 0o700); err != nil {
		t.Fatal(err)
	}
	key := sha256.Sum256([]byte(seed))
	if err := os.WriteFile(filepath.Join(dir, "hashgate", "channels.key"), key[:], 0o600); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"XDG_STATE_HOME": dir}
}

// attackBase is the English fixture's config with its consent column
// mapped, so consented_only can be toggled.
func attackBase(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(chPath("en.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(raw), "    patient_key: Chart No\n", "    patient_key: Chart No\n    consent: Marketing Consent\n", 1)
	return s + "consent:\n  granted: [yes]\n"
}

// regrouped merges LINE and Referral into one channel.
func regrouped(s string) string {
	return strings.Replace(strings.Replace(s,
		"    - {name: LINE, sources: [line, line@]}\n", "    - {name: LINE+Referral, sources: [line, line@, referral, friend]}\n", 1),
		"    - {name: Referral, sources: [referral, friend]}\n", "", 1)
}

// members maps a printed line to the fixture's channels it sums.
var baseChannels = []string{"Google Ads", "Meta Ads", "LINE", "Referral", "Unattributed"}

func members(name string) []int {
	switch name {
	case "Total":
		return []int{0, 1, 2, 3, 4}
	case "LINE+Referral":
		return []int{2, 3}
	case "Paid":
		return []int{0, 1}
	}
	if i := slices.Index(baseChannels, name); i >= 0 {
		return []int{i}
	}
	return nil
}

// request is one report the reader is given.
type request struct {
	cfg      func(string) string // edits of the base config; nil: as is
	env      map[string]string   // HASHGATE_CHANNELS_… overrides
	from, to string
	period   string
	asOf     string
}

// consented reports whether the request counts consented rows only.
func (q request) consented() bool { return q.env["HASHGATE_CHANNELS_CONSENTED_ONLY"] == "true" }

// runAttackReport runs one request under the key of seed ("" for --exact).
func runAttackReport(t *testing.T, q request, seed string) jsonReport {
	t.Helper()
	cfg := attackBase(t)
	if q.cfg != nil {
		cfg = q.cfg(cfg)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "attack.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"channels", "--config", path, "--json", "--from", q.from, "--to", q.to,
		"--spend", "google=" + chPath("google-ads.csv"), "--spend", "meta=" + chPath("meta-daily.csv")}
	if q.period != "" {
		args = append(args, "--period", q.period)
	}
	if q.asOf != "" {
		args = append(args, "--as-of", q.asOf)
	}
	if seed == "" {
		args = append(args, "--exact")
	}
	env := map[string]string{}
	if seed != "" {
		env = stateEnv(t, seed)
	}
	for k, v := range q.env {
		env[k] = v
	}
	res := runCLI(t, env, "", append(args, chPath("export-en.csv"))...)
	if res.code != 0 {
		t.Fatalf("%v: exit %d: %s", args, res.code, res.stderr)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// atom is what the reader solves for: one measure of one channel over one
// stretch of days between the edges of the spans printed, among the
// consented rows or the others.
type atom struct {
	part    int // 0: consent passes, 1: it does not
	channel int
	span    int
}

// system turns every figure of key printed in reps into equations over
// atoms. Spans are cut at every edge any report uses.
type system struct {
	edges []time.Time
	atoms []atom
	index map[atom]int
	eqs   []attacktest.Equation
	parts int
}

func day0(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func newSystem(qs []request, reps []jsonReport) *system {
	s := &system{index: map[atom]int{}}
	seen := map[time.Time]bool{}
	addEdge := func(d time.Time) {
		if !seen[d] {
			seen[d] = true
			s.edges = append(s.edges, d)
		}
	}
	for _, rep := range reps {
		addEdge(day0(rep.From))
		addEdge(day0(rep.To).AddDate(0, 0, 1))
		for _, p := range rep.Periods {
			addEdge(day0(p.From))
			addEdge(day0(p.To).AddDate(0, 0, 1))
		}
	}
	sort.Slice(s.edges, func(i, j int) bool { return s.edges[i].Before(s.edges[j]) })
	s.parts = 1
	if slices.ContainsFunc(qs, request.consented) {
		s.parts = 2 // consented rows and the others are told apart
	}
	for part := range s.parts {
		for ch := range baseChannels {
			for sp := 0; sp+1 < len(s.edges); sp++ {
				a := atom{part, ch, sp}
				s.index[a] = len(s.atoms)
				s.atoms = append(s.atoms, a)
			}
		}
	}
	return s
}

func (s *system) add(q request, rep jsonReport, key string) {
	type table struct {
		from, to string
		lines    []jsonLine
	}
	tables := []table{{rep.From, rep.To, append(append([]jsonLine(nil), rep.Channels...), rep.Paid, rep.Total)}}
	for _, p := range rep.Periods {
		tables = append(tables, table{p.From, p.To, append(append([]jsonLine(nil), p.Channels...), p.Paid, p.Total)})
	}
	parts := []int{0, 1}[:s.parts]
	if q.consented() {
		parts = []int{0}
	}
	for _, tb := range tables {
		from, end := day0(tb.from), day0(tb.to).AddDate(0, 0, 1)
		for _, l := range tb.lines {
			v, ok := l.num(key)
			if !ok {
				continue // suppressed or not applicable: no equation
			}
			eq := attacktest.Equation{Value: attacktest.OfFloat(v)}
			for _, part := range parts {
				for _, ch := range members(l["name"].(string)) {
					for sp := 0; sp+1 < len(s.edges); sp++ {
						if !s.edges[sp].Before(from) && !s.edges[sp+1].After(end) {
							eq.Atoms = append(eq.Atoms, s.index[atom{part, ch, sp}])
						}
					}
				}
			}
			s.eqs = append(s.eqs, eq)
		}
	}
}

// attackKeys are the release keys each attack is played under.
var attackKeys = []string{"k1", "k2", "k3"}

// attackMeasures are the counts attacked; revenue is attacked where its
// visits are few (an amount of fewer than min_cell visits is mostly a
// few patients').
var attackMeasures = []string{"bookings", "visits", "no_shows", "cancellations", "pending", "new_visits", "returning_visits", "new_patients", "revenue"}

// playAttack runs the requests exactly and under every key and solves
// each. It returns how many small figures the solver pinned under --exact
// (which must be some, or the attack proves nothing); how many answers it
// gave for them under the keys, and how many of those were right; and the
// figures it got right under every key.
func playAttack(t *testing.T, qs []request) (pinned, answers, correct int, always []string) {
	t.Helper()
	const minCell = 5
	exact := make([]jsonReport, len(qs))
	for i, q := range qs {
		exact[i] = runAttackReport(t, q, "")
	}
	keyed := make([][]jsonReport, len(attackKeys))
	for k, seed := range attackKeys {
		keyed[k] = make([]jsonReport, len(qs))
		for i, q := range qs {
			keyed[k][i] = runAttackReport(t, q, seed)
			// Within one report, the relations among its printed figures
			// (visits = new + returning, Total = the channels, …) must
			// pin no withheld one.
			if pinned := pinnedWithin(keyed[k][i]); len(pinned) > 0 {
				t.Errorf("key %s, %s to %s by %q: withheld figures that the report's own printed figures give away: %v",
					seed, q.from, q.to, q.period, pinned)
			}
		}
	}
	solveFor := func(reps []jsonReport, key string) (*system, map[int]attacktest.Value) {
		s := newSystem(qs, reps)
		for i, q := range qs {
			s.add(q, reps[i], key)
		}
		return s, attacktest.Solve(len(s.atoms), s.eqs)
	}
	_, truthVisits := solveFor(exact, "visits")
	for _, key := range attackMeasures {
		s, truth := solveFor(exact, key)
		var small []int
		for a, v := range truth {
			count := v // a count of 1 to 4 is the residue 1 to 4
			if key == "revenue" {
				tv, ok := truthVisits[a]
				if !ok || v == 0 {
					continue
				}
				count = tv
			}
			if count >= 1 && count < minCell {
				small = append(small, a)
			}
		}
		sort.Ints(small)
		pinned += len(small)
		solved := make([]map[int]attacktest.Value, len(attackKeys))
		for k := range attackKeys {
			_, solved[k] = solveFor(keyed[k], key)
		}
		for _, a := range small {
			right := 0
			for k := range attackKeys {
				if v, ok := solved[k][a]; ok {
					answers++
					if v == truth[a] {
						right++
					}
				}
			}
			correct += right
			if right == len(attackKeys) {
				at := s.atoms[a]
				always = append(always, fmt.Sprintf("%s of %s, %s to %s", key, baseChannels[at.channel],
					s.edges[at.span].Format(time.DateOnly), s.edges[at.span+1].AddDate(0, 0, -1).Format(time.DateOnly)))
			}
		}
	}
	return
}

// withinTables turns a --json report into the tables of the
// within-report reader (attacktest.PinnedWithin).
func withinTables(rep jsonReport) (attacktest.Table, []attacktest.Table) {
	table := func(name string, channels []jsonLine, paid, total jsonLine) attacktest.Table {
		tb := attacktest.Table{Name: name}
		add := func(l jsonLine, role attacktest.Role) {
			line := attacktest.Line{Name: fmt.Sprint(l["name"]), Role: role, Figs: map[string]attacktest.Fig{}}
			for _, k := range attacktest.Additive {
				if v, ok := l.num(k); ok {
					line.Figs[k] = attacktest.Fig{V: v, Printed: true}
				} else if l.suppressed(k) {
					line.Figs[k] = attacktest.Fig{Suppressed: true}
				}
			}
			tb.Lines = append(tb.Lines, line)
		}
		for _, l := range channels {
			role := attacktest.PaidChannel
			if l["platform"] == "none" {
				role = attacktest.Channel
			}
			add(l, role)
		}
		add(paid, attacktest.PaidLine)
		add(total, attacktest.TotalLine)
		return tb
	}
	window := table(rep.From+" to "+rep.To, rep.Channels, rep.Paid, rep.Total)
	var periods []attacktest.Table
	for _, p := range rep.Periods {
		periods = append(periods, table(p.From+" to "+p.To, p.Channels, p.Paid, p.Total))
	}
	return window, periods
}

// pinnedWithin lists the withheld figures of rep that its own printed
// figures pin down.
func pinnedWithin(rep jsonReport) []string { return attacktest.PinnedWithin(withinTables(rep)) }

// TestNoWithheldFigureFollowsFromItsReport: the reviewer's report (Meta's
// visits 14 and new-patient visits 11 printed beside its withheld
// returning visits: 14 − 11 = 3) and its weekly and daily cuts, under
// several keys: no figure the report withholds follows from what it
// prints, by any relation among its figures — visits = new + returning,
// revenue = new + returning revenue, bookings = its outcomes, Total = the
// channels, Total less Paid = the channels without a platform, the window
// = its periods. The solver is not toothless: with every withheld figure
// of a line but one printed, it pins that one.
func TestNoWithheldFigureFollowsFromItsReport(t *testing.T) {
	checked := 0
	for _, seed := range []string{"golden", "k1", "k2", "k3", "k4", "k5"} {
		for _, period := range []string{"", "week", "day"} {
			rep := runAttackReport(t, request{from: "2026-11-01", to: "2026-11-30", period: period, asOf: fixtureAsOf}, seed)
			window, periods := withinTables(rep)
			if pinned := attacktest.PinnedWithin(window, periods); len(pinned) > 0 {
				t.Errorf("key %s, period %q: withheld figures given away by the report's own figures: %v", seed, period, pinned)
			}
			for _, tb := range append([]attacktest.Table{window}, periods...) {
				for _, l := range tb.Lines {
					for _, f := range l.Figs {
						if f.Suppressed {
							checked++
						}
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d withheld figures: the test proves nothing", checked)
	}
	// Teeth: the reviewer's line, as it was printed.
	line := attacktest.Line{Name: "Meta Ads", Role: attacktest.PaidChannel, Figs: map[string]attacktest.Fig{
		"visits": {V: 14, Printed: true}, "new_visits": {V: 11, Printed: true}, "returning_visits": {Suppressed: true},
	}}
	if got := attacktest.PinnedWithin(attacktest.Table{Name: "window", Lines: []attacktest.Line{line}}, nil); len(got) != 1 {
		t.Fatalf("the solver misses visits − new visits: %v", got)
	}
}

// TestAttacksRecoverNoSmallCount plays the attacks of issue 26 and more
// on the fixture.
func TestAttacksRecoverNoSmallCount(t *testing.T) {
	mtd := func(from string, days int) []request {
		var qs []request
		for d := range days {
			qs = append(qs, request{from: from, to: day0(from).AddDate(0, 0, d).Format(time.DateOnly)})
		}
		return qs
	}
	consentedOnly := map[string]string{"HASHGATE_CHANNELS_CONSENTED_ONLY": "true"}
	attacks := []struct {
		name string
		qs   []request
	}{
		{"overlapping windows: Aug–Nov minus Sep–Nov", []request{
			{from: "2026-08-01", to: "2026-11-30"}, {from: "2026-09-01", to: "2026-11-30"}}},
		{"shifted windows", []request{
			{from: "2026-08-01", to: "2026-10-31"}, {from: "2026-08-08", to: "2026-11-07"}, {from: "2026-08-15", to: "2026-11-14"},
			{from: "2026-08-08", to: "2026-10-31"}, {from: "2026-08-15", to: "2026-11-07"}}},
		{"rolling month-to-date, day by day", mtd("2026-11-01", 12)},
		{"rolling quarter-to-date, day by day", mtd("2026-10-01", 10)},
		{"regrouping: LINE+Referral minus LINE", []request{
			{from: "2026-08-01", to: "2026-11-30"}, {from: "2026-08-01", to: "2026-11-30", cfg: regrouped},
			{from: "2026-11-01", to: "2026-11-30", period: "week"}, {from: "2026-11-01", to: "2026-11-30", period: "week", cfg: regrouped}}},
		{"consented_only toggled", []request{
			{from: "2026-08-01", to: "2026-11-30", period: "month"}, {from: "2026-08-01", to: "2026-11-30", period: "month", env: consentedOnly}}},
		{"periods changed", []request{
			{from: "2026-11-01", to: "2026-11-30"}, {from: "2026-11-01", to: "2026-11-30", period: "week"},
			{from: "2026-11-01", to: "2026-11-30", period: "day"}, {from: "2026-10-01", to: "2026-11-30", period: "month"}}},
		{"--as-of moved", []request{
			{from: "2026-11-01", to: "2026-11-30", period: "week", asOf: "2026-11-19"},
			{from: "2026-11-01", to: "2026-11-30", period: "week", asOf: "2026-11-23"},
			{from: "2026-11-01", to: "2026-11-30", period: "week", asOf: "2026-11-26"}}},
		{"min_cell and dominance_share changed", []request{
			{from: "2026-08-01", to: "2026-11-30", period: "month"},
			{from: "2026-08-01", to: "2026-11-30", period: "month", env: map[string]string{"HASHGATE_CHANNELS_MIN_CELL": "2"}},
			{from: "2026-08-01", to: "2026-11-30", period: "month", env: map[string]string{"HASHGATE_CHANNELS_MIN_CELL": "30"}},
			{from: "2026-09-01", to: "2026-11-30", period: "month", env: map[string]string{"HASHGATE_CHANNELS_DOMINANCE_SHARE": "0.99"}}}},
	}
	answers, correct := 0, 0
	var always []string
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			p, n, c, al := playAttack(t, a.qs)
			if p == 0 {
				t.Errorf("the solver pinned no small figure even in exact reports: the attack proves nothing")
			}
			answers, correct, always = answers+n, correct+c, append(always, al...)
			t.Logf("%d small figures pinned in exact reports; under the release rule %d answers, %d right", p, n, c)
		})
	}
	// With exact figures every answer is right. Under the release rule an
	// answer is right when the draws it combines happen to cancel (two
	// running totals' draws cancel 3 times in 8 before the chain is made
	// non-decreasing; about one answer in five here).
	t.Logf("release rule: %d answers for small figures, %d right (%.0f%%); right under all %d keys: %v",
		answers, correct, 100*float64(correct)/float64(max(answers, 1)), len(attackKeys), always)
	if answers < 20 {
		t.Fatalf("only %d answers under the release rule: too few to judge", answers)
	}
	if float64(correct) > 0.7*float64(answers) {
		t.Errorf("%d of %d answers for small figures are right: the noise does not reach them", correct, answers)
	}
	if len(always)*8 > answers/len(attackKeys) {
		t.Errorf("right under every key: %v", always)
	}
}

// TestSolverFindsALeak shows the solver is not toothless: a hidden count
// beside a printed total, and a window minus an overlapping one, are
// pinned; two hidden counts that only sum to a printed figure are not.
func TestSolverFindsALeak(t *testing.T) {
	r := func(v int64) attacktest.Value { return attacktest.Of(big.NewRat(v, 1)) }
	// Atoms 0, 1, 2: three channels; the total and channels 0 and 2 are printed.
	got := attacktest.Solve(3, []attacktest.Equation{{Atoms: []int{0, 1, 2}, Value: r(35)}, {Atoms: []int{0}, Value: r(20)}, {Atoms: []int{2}, Value: r(12)}})
	if v, ok := got[1]; !ok || v != r(3) {
		t.Fatalf("the hidden channel was not recovered: %v", got)
	}
	// Atoms 0, 1: August, September–November. Two windows.
	if got := attacktest.Solve(2, []attacktest.Equation{{Atoms: []int{0, 1}, Value: r(40)}, {Atoms: []int{1}, Value: r(37)}}); got[0] != r(3) {
		t.Fatalf("the overlap was not recovered: %v", got)
	}
	if got := attacktest.Solve(3, []attacktest.Equation{{Atoms: []int{0, 1, 2}, Value: r(35)}, {Atoms: []int{0}, Value: r(20)}}); len(got) != 1 {
		t.Fatalf("two hidden counts summing to 15 were taken apart: %v", got)
	}
}

// TestChannelsReleasedGolden pins a report released under a fixed key, as
// a reader receives it: perturbed, small counts marked, no "not for
// sharing".
func TestChannelsReleasedGolden(t *testing.T) {
	env := stateEnv(t, "golden")
	for _, f := range []struct{ flag, ext string }{{"--json", "json"}, {"--csv", "csv"}} {
		args := []string{"channels", "--config", chPath("en.yaml"), "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf,
			"--spend", "google=" + chPath("google-ads.csv"), "--spend", "meta=" + chPath("meta-daily.csv"), f.flag, chPath("export-en.csv")}
		res := runCLI(t, env, "", args...)
		if res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		if strings.Contains(res.stdout, "NOT FOR SHARING") || strings.Contains(res.stdout, `"not_for_sharing": true`) {
			t.Fatalf("a released report is marked not for sharing")
		}
		golden(t, "channels-en-released."+f.ext, res.stdout)
	}
}

// TestReleaseKeyAndDeterminism: the first report makes the key (mode
// 0600) in the state directory; the same command on the same data and
// state prints the same report; another key prints another; a key others
// can read is refused; --exact needs no key and says NOT FOR SHARING in
// every output.
func TestReleaseKeyAndDeterminism(t *testing.T) {
	state := t.TempDir()
	env := map[string]string{"XDG_STATE_HOME": state}
	args := channelsArgs(channelsCases[0], "--json")
	args = slices.DeleteFunc(args, func(s string) bool { return s == "--exact" })
	a := runCLI(t, env, "", args...)
	if a.code != 0 {
		t.Fatalf("exit %d: %s", a.code, a.stderr)
	}
	keyPath := filepath.Join(state, "hashgate", "channels.key")
	fi, err := os.Stat(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 || fi.Size() != 32 {
		t.Fatalf("key mode %v, size %d; want 0600, 32 bytes", fi.Mode().Perm(), fi.Size())
	}
	if b := runCLI(t, env, "", args...); b.stdout != a.stdout {
		t.Fatal("the same command on the same data and state printed another report")
	}
	if c := runCLI(t, stateEnv(t, "another"), "", args...); c.stdout == a.stdout {
		t.Fatal("another key printed the same figures")
	}
	if err := os.Chmod(keyPath, 0o644); err != nil {
		t.Fatal(err)
	}
	if d := runCLI(t, env, "", args...); d.code == 0 || !strings.Contains(d.stderr, "chmod 600") {
		t.Fatalf("a key others can read was used: exit %d: %s", d.code, d.stderr)
	}
	// -q too: the stderr line is a marking, not chatter (a reviewer's -q
	// run printed a warning but not it).
	for _, f := range []struct{ flag, mark string }{{"--json", `"not_for_sharing": true`}, {"--csv", "NOT FOR SHARING"}, {"", "NOT FOR SHARING"}, {"-q", "NOT FOR SHARING"}} {
		x := []string{"--exact"}
		if f.flag != "" {
			x = append(x, f.flag)
		}
		res := runCLI(t, map[string]string{"XDG_STATE_HOME": t.TempDir()}, "", channelsArgs(channelsCases[0], x...)...)
		if res.code != 0 || !strings.Contains(res.stdout, f.mark) || !strings.Contains(res.stderr, "NOT FOR SHARING") {
			t.Fatalf("--exact %s: exit %d, no %q in the output: %s", f.flag, res.code, f.mark, res.stderr)
		}
	}
	out := filepath.Join(t.TempDir(), "exact.html")
	if res := runCLI(t, nil, "", channelsArgs(channelsCases[0], "--exact", "--html", out)...); res.code != 0 {
		t.Fatalf("html: exit %d: %s", res.code, res.stderr)
	}
	if page, _ := os.ReadFile(out); !strings.Contains(string(page), "NOT FOR SHARING") {
		t.Fatal("the exact page carries no NOT FOR SHARING banner")
	}
}
