package channels

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
)

const rekeyHeader = "id,at,status,source,gclid,fbclid,fee,chart,consent,email,phone\n"

func rekeyConfig() *config.Config {
	cfg := testConfig()
	cfg.Region = "TW"
	cfg.Input.Columns.Email = []string{"email"}
	cfg.Input.Columns.Phone = []string{"phone"}
	return cfg
}

// migrationExport is the review's clinic: 20 patients under the old
// system's chart numbers (500…) from February, a relative in March who
// shares patient 500's phone under her own chart, and from 2026-09-01 the
// new system's numbers (M70000…) for the same 20 people (their e-mail in
// capitals, their phone in E.164: the new system writes them so). No
// patient is new after the switch.
func migrationExport() []string {
	var rows []string
	n := 0
	row := func(at, source, key, email, phone string) {
		n++
		rows = append(rows, fmt.Sprintf("R%d,%s,completed,%s,,,1500,%s,yes,%s,%s", n, at, source, key, email, phone))
	}
	for i := range 20 {
		email, phone := fmt.Sprintf("pat%d@example.com", i), fmt.Sprintf("0912-345-%03d", 100+i)
		row(fmt.Sprintf("2026-%02d-%02d 10:00", 2+i%6, 1+i), "google", fmt.Sprint(500+i), email, phone)
		row(fmt.Sprintf("2026-%02d-%02d 10:00", 3+i%6, 1+i), "google", fmt.Sprint(500+i), email, phone)
		row(fmt.Sprintf("2026-%02d-%02d 11:00", 9+i%3, 1+i), "google", fmt.Sprintf("M%d", 70000+i),
			strings.ToUpper(email), fmt.Sprintf("+886912345%03d", 100+i))
	}
	row("2026-03-20 09:00", "line", "530", "relative@example.com", "0912-345-100")
	return rows
}

func rekeyBuild(t *testing.T, cfg *config.Config, rows []string, released bool, buffer int) *Report {
	t.Helper()
	opt := Options{Config: cfg, Input: strings.NewReader(rekeyHeader + strings.Join(rows, "\n") + "\n"), InputName: "export.csv",
		From: day("2026-09-01"), To: day("2026-11-30"), visitBuffer: buffer}
	if released {
		c := *cfg
		c.Channels.MinCell = 5
		opt.Config, opt.Key = &c, testKey
	}
	rep, _, err := Build(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func keysWarning(ws []string) string {
	for _, w := range ws {
		if strings.Contains(w, "under another patient key") {
			return w
		}
	}
	return ""
}

// TestChangedPatientKeysAreSaid: the review's migration printed Google
// new patients 20 where the truth was 0, exit 0, nothing said. The report
// now says from which day the keys look changed (the switch, not the
// relative's March visit), with the count only under --exact; in any row
// order and through the spill files alike.
func TestChangedPatientKeysAreSaid(t *testing.T) {
	rows := migrationExport()
	rep := rekeyBuild(t, rekeyConfig(), rows, false, 0)
	const want = "from 2026-09-01 on, 20 of the window's 20 patients counted new carry an e-mail or phone that an earlier row carried under another patient key"
	w := keysWarning(rep.Warnings)
	if !strings.HasPrefix(w, want) || !strings.Contains(w, "--to 2026-08-31") {
		t.Fatalf("exact: warning %q, want it to start %q and name --to 2026-08-31", w, want)
	}
	if got := rep.Channels[0].Values[NewPatients].V; got != 20 {
		t.Errorf("Google new patients %v: the warning was to leave the figures as they are", got)
	}
	rev := slices.Clone(rows)
	slices.Reverse(rev)
	if got := keysWarning(rekeyBuild(t, rekeyConfig(), rev, false, 3).Warnings); got != w {
		t.Errorf("rows reversed, spilled every 3 records: %q, want %q", got, w)
	}
	rel := keysWarning(rekeyBuild(t, rekeyConfig(), rows, true, 0).Warnings)
	if !strings.HasPrefix(rel, "from 2026-09-01 on, many patients counted new carry") {
		t.Errorf("released: warning %q, want the kind and the day", rel)
	}
	if rest := strings.NewReplacer("2026-09-01", "", "2026-08-31", "").Replace(rel); regexp.MustCompile(`\d`).MatchString(rest) {
		t.Errorf("released: the warning carries a number beside the days: %q", rel)
	}
}

// TestNoKeysWarningForNewPatients: an aesthetic clinic's export, nearly
// every patient new and none sharing an e-mail or phone with another
// chart (a returning patient keeps hers), says nothing.
func TestNoKeysWarningForNewPatients(t *testing.T) {
	var rows []string
	for i := range 90 {
		email, phone := fmt.Sprintf("new%d@example.com", i), fmt.Sprintf("0933-222-%03d", i)
		rows = append(rows, fmt.Sprintf("N%d,2026-%02d-%02d 10:00,completed,google,,,9000,A%d,yes,%s,%s", i, 3+i%9, 1+i%28, i, email, phone))
		if i%10 == 0 { // back for a second treatment, same chart
			rows = append(rows, fmt.Sprintf("V%d,2026-11-%02d 15:00,completed,facebook,,,9000,A%d,yes,%s,%s", i, 1+i%28, i, email, phone))
		}
	}
	if w := keysWarning(rekeyBuild(t, rekeyConfig(), rows, false, 0).Warnings); w != "" {
		t.Errorf("no identifier is shared across charts, yet %q", w)
	}
}

// TestNoKeysWarningForAFamilyPhone: four children of existing patients
// open their own charts with a parent's phone, among the window's genuinely
// new patients: below the threshold, nothing said. A fifth is still
// nothing while they are few of the window's new patients.
func TestNoKeysWarningForAFamilyPhone(t *testing.T) {
	var rows []string
	for i := range 40 {
		rows = append(rows, fmt.Sprintf("P%d,2026-%02d-%02d 10:00,completed,line,,,800,C%d,yes,parent%d@example.com,0955-111-%03d", i, 2+i%6, 1+i%28, i, i, i))
	}
	for i := range 30 {
		rows = append(rows, fmt.Sprintf("Q%d,2026-%02d-%02d 10:00,completed,google,,,800,D%d,yes,fresh%d@example.com,0966-111-%03d", i, 9+i%3, 1+i%28, i, i, i))
	}
	kids := func(n int) []string {
		out := slices.Clone(rows)
		for i := range n {
			out = append(out, fmt.Sprintf("K%d,2026-%02d-%02d 16:00,completed,google,,,800,K%d,yes,,0955-111-%03d", i, 9+i%3, 3+i, i, i))
		}
		return out
	}
	// The children are seen, only not warned of.
	opt := Options{Config: rekeyConfig(), Input: strings.NewReader(rekeyHeader + strings.Join(kids(4), "\n") + "\n"), InputName: "export.csv"}
	c, err := count(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, n := range c.rekey.days {
		seen += n[1]
	}
	c.close()
	if seen != 4 {
		t.Fatalf("%d patients counted new carry an earlier chart's phone, want the 4 children", seen)
	}
	if w := keysWarning(rekeyBuild(t, rekeyConfig(), kids(4), false, 0).Warnings); w != "" {
		t.Errorf("four children sharing a parent's phone: %q", w)
	}
	if w := keysWarning(rekeyBuild(t, rekeyConfig(), kids(6), false, 0).Warnings); w != "" {
		t.Errorf("six children among 36 new patients, spread over the window: %q", w)
	}
}

// TestKeysWarningCarriesNoIdentifier: neither stderr nor the JSON model
// holds an e-mail, a phone or a chart number, as typed or normalised.
func TestKeysWarningCarriesNoIdentifier(t *testing.T) {
	for _, released := range []bool{false, true} {
		rep := rekeyBuild(t, rekeyConfig(), migrationExport(), released, 0)
		out := fmt.Sprintf("%q %+v", rep.Warnings, rep.NewPatientWarnings)
		for _, canary := range []string{"example.com", "EXAMPLE", "pat1", "912345", "0912", "M7000", "500", "relative"} {
			if strings.Contains(out, canary) {
				t.Errorf("released %v: %q is in the output: %s", released, canary, out)
			}
		}
		if len(rep.NewPatientWarnings) != 1 || rep.NewPatientWarnings[0].Kind != KindKeysChanged ||
			rep.NewPatientWarnings[0].From != day("2026-09-01") {
			t.Errorf("released %v: new_patient_warnings %+v, want patient_keys_changed from 2026-09-01", released, rep.NewPatientWarnings)
		}
	}
	old := slices.DeleteFunc(migrationExport(), func(r string) bool { return strings.Contains(r, ",M7") })
	if ws := rekeyBuild(t, rekeyConfig(), old, false, 0).NewPatientWarnings; ws == nil || len(ws) != 0 {
		t.Errorf("no switch in the export, yet new_patient_warnings %+v (want [])", ws)
	}
}

// TestRekeyedFromFindsTheSwitch: the day is where the flagged start to
// outnumber the genuinely new, not the first flagged patient.
func TestRekeyedFromFindsTheSwitch(t *testing.T) {
	days := map[int32][2]int{10: {3, 1}, 11: {10, 0}, 20: {6, 5}, 21: {4, 4}, 30: {3, 0}}
	d, flagged, fresh, ok := rekeyedFrom(days, 0, 100)
	if d != 20 || flagged != 9 || fresh != 26 || !ok {
		t.Errorf("rekeyedFrom = %d, %d, %d, %v; want day 20, 9 flagged of 26, true", d, flagged, fresh, ok)
	}
	if _, _, _, ok := rekeyedFrom(days, 0, 19); ok {
		t.Error("a window ending before the switch is warned")
	}
	if _, _, _, ok := rekeyedFrom(map[int32][2]int{5: {4, 4}}, 0, 100); ok {
		t.Error("four flagged patients are warned")
	}
	// Five at the end of a window of 105 new patients: a twentieth of
	// them, too few to move its figures much.
	if _, _, _, ok := rekeyedFrom(map[int32][2]int{1: {100, 0}, 50: {5, 5}}, 0, 100); ok {
		t.Error("5 flagged of the window's 105 new patients are warned")
	}
}

// familyExport is a family practice's export (a review, 2026-12-07): 60
// patients under their own charts from February to August, every other
// one back monthly from September on (a family keeps coming), and the window's
// new patients: kids children's charts, each carrying parent i's phone
// (the parent's e-mail left out: a child has none), at the days kidDay
// gives, among singles genuinely new at singleDay's days. The figures
// are what they say: no chart changed.
func familyExport(kids int, kidDay func(i int) int, singles int, singleDay func(i int) int) []string {
	var rows []string
	at := func(d, hour int) string {
		return time.Date(2026, 9, 1+d, hour, 0, 0, 0, time.UTC).Format("2006-01-02 15:04")
	}
	for i := range 60 {
		phone := fmt.Sprintf("0955-111-%03d", i)
		for _, m := range []int{2 + i%3, 5 + i%3} {
			rows = append(rows, fmt.Sprintf("H%d-%d,2026-%02d-%02d 10:00,completed,line,,,800,C%d,yes,parent%d@example.com,%s", i, m, m, 1+i%28, i, i, phone))
		}
		for m := range 3 {
			if i%2 == 0 {
				rows = append(rows, fmt.Sprintf("H%d-back%d,%s,completed,line,,,800,C%d,yes,parent%d@example.com,%s", i, m, at((i*3)%30+30*m, 9), i, i, phone))
			}
		}
	}
	for i := range kids {
		rows = append(rows, fmt.Sprintf("K%d,%s,completed,google,,,800,K%d,yes,,0955-111-%03d", i, at(kidDay(i), 16), i, i))
	}
	for i := range singles {
		rows = append(rows, fmt.Sprintf("S%d,%s,completed,google,,,800,S%d,yes,single%d@example.com,0966-222-%03d", i, at(singleDay(i), 14), i, i, i))
	}
	return rows
}

// TestNoKeysWarningForFamilies: the family-practice review's false alarms
// under --exact — children's charts at half the window's new patients
// spread evenly; twelve families of four new together beside twenty
// singles; siblings at a fifth of the new patients, all in the last 20
// days — warned that the keys changed. Their parents' charts keep
// visiting from the day the warning would name; a migration's old charts
// stop (TestChangedPatientKeysAreSaid). In any row order, spilled alike.
func TestNoKeysWarningForFamilies(t *testing.T) {
	families := func() []string {
		var rows []string
		for f := range 12 {
			phone := fmt.Sprintf("0977-333-%03d", f)
			for m := range 4 {
				email := ""
				if m == 0 {
					email = fmt.Sprintf("mother%d@example.com", f)
				}
				rows = append(rows, fmt.Sprintf("F%d-%d,2026-09-%02d %02d:00,completed,google,,,800,F%d-%d,yes,%s,%s", f, m, 1+2*f, 9+m, f, m, email, phone))
			}
		}
		for i := range 20 {
			rows = append(rows, fmt.Sprintf("S%d,2026-10-%02d 14:00,completed,google,,,800,S%d,yes,single%d@example.com,0966-222-%03d", i, 1+i, i, i, i))
		}
		return rows
	}
	cases := []struct {
		name string
		rows []string
	}{
		{"children at half the new patients, spread", familyExport(30, func(i int) int { return 3*i + 1 }, 30, func(i int) int { return 3 * i })},
		{"twelve families of four and twenty singles", append(familyExport(0, nil, 0, nil), families()...)},
		{"siblings at a fifth, in the last 20 days", familyExport(12, func(i int) int { return 71 + i }, 48, func(i int) int { return i * 70 / 48 })},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if w := keysWarning(rekeyBuild(t, rekeyConfig(), tc.rows, false, 0).Warnings); w != "" {
				t.Errorf("families, no chart changed: %q", w)
			}
			rows := slices.Clone(tc.rows)
			rng := rand.New(rand.NewPCG(12, 7))
			rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
			if w := keysWarning(rekeyBuild(t, rekeyConfig(), rows, false, 3).Warnings); w != "" {
				t.Errorf("rows shuffled, spilled every 3 records: %q", w)
			}
		})
	}
}

// TestRekeyedSkipsNotPatientIdentifiers: a clinic types its placeholder
// address on every chart without one; the first chart to carry it came
// once, in March. Every patient new from April on then carries an
// e-mail an earlier key carried, and that key never came back: the
// changed-keys warning fired for patients who are all genuinely new (a
// review, 2026-12-07: channels read input.not_patient_identifiers
// nowhere). Listed, the placeholder links no one, as in the run
// (config.NotPatient.Listed); a real migration under the same listed
// placeholder is still said.
func TestRekeyedSkipsNotPatientIdentifiers(t *testing.T) {
	var rows []string
	rows = append(rows, "F0,2026-03-01 10:00,completed,google,,,1500,P0,yes,noemail@clinic.com,0911-000-000")
	for i := range 30 {
		email := "noemail@clinic.com"
		if i%3 == 1 {
			email = " NoEmail@Clinic.COM " // as front desks type it
		}
		rows = append(rows, fmt.Sprintf("N%d,2026-%02d-%02d 10:00,completed,google,,,1500,Q%d,yes,%s,0933-111-%03d", i, 4+i%8, 1+i, i, email, i))
	}
	listed := func() *config.Config {
		cfg := rekeyConfig()
		cfg.Input.NotPatientIdentifiers = []string{"noemail@clinic.com"}
		return cfg
	}
	if w := keysWarning(rekeyBuild(t, rekeyConfig(), rows, false, 0).Warnings); w == "" {
		t.Fatal("unlisted: no warning; the repro expects the placeholder to link every new patient")
	}
	if w := keysWarning(rekeyBuild(t, listed(), rows, false, 0).Warnings); w != "" {
		t.Errorf("listed: the placeholder still links patients: %q", w)
	}
	var mig []string
	for _, r := range migrationExport() {
		i := strings.LastIndexByte(r, ',')
		j := strings.LastIndexByte(r[:i], ',')
		mig = append(mig, r[:j]+",noemail@clinic.com"+r[i:]) // the e-mail a placeholder: the phones still link the keys
	}
	const want = "from 2026-09-01 on, 20 of the window's 20 patients counted new carry"
	if w := keysWarning(rekeyBuild(t, listed(), mig, false, 0).Warnings); !strings.HasPrefix(w, want) {
		t.Errorf("listed, a migration: warning %q, want it to start %q", w, want)
	}
}
