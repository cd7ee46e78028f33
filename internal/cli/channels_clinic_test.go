package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The clinic guard in `channels` (a review, 2026-12-07): with a ClinicNum
// column naming clinic 3 on half the fixture's rows and clinic 5 on the
// other half, and input.clinic_values ["3"], the report gave the joined
// export's totals under exclude, under stop and without the guard, exit 0
// — another branch's patients counted in this clinic's report.

// chClinicFixture writes the English fixture with a ClinicNum column (own
// on even data rows, other on odd ones) to dir: the joined export, and
// the one holding only own's rows.
func chClinicFixture(t *testing.T, dir, own, other string) (joined, ownOnly string) {
	t.Helper()
	f, err := os.Open(chPath("export-en.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	all := [][]string{append(recs[0], "ClinicNum")}
	mine := [][]string{all[0]}
	for i, r := range recs[1:] {
		if i%2 == 0 {
			all = append(all, append(r, own))
			mine = append(mine, all[len(all)-1])
		} else {
			all = append(all, append(r, other))
		}
	}
	write := func(name string, rs [][]string) string {
		var b strings.Builder
		w := csv.NewWriter(&b)
		_ = w.WriteAll(rs)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("joined.csv", all), write("own.csv", mine)
}

// chClinicConfig is en.yaml with the clinic guard: column ClinicNum, the
// value own, and policy (none when empty).
func chClinicConfig(t *testing.T, dir, own, policy string) string {
	t.Helper()
	cfg := mustRead(t, chPath("en.yaml"))
	guard := "input:\n  clinic_values: [\"" + own + "\"]\n"
	if policy != "" {
		guard += "  other_clinic_rows: " + policy + "\n"
	}
	guard += "  columns:\n    clinic: ClinicNum\n"
	if !strings.Contains(cfg, "input:\n  columns:\n") {
		t.Fatal("en.yaml's input section changed: adapt chClinicConfig")
	}
	cfg = strings.Replace(cfg, "input:\n  columns:\n", guard, 1)
	p := filepath.Join(dir, "clinic-"+policy+".yaml")
	if err := os.WriteFile(p, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func clinicChannels(t *testing.T, env map[string]string, cfg, input string, extra ...string) result {
	t.Helper()
	args := append([]string{"channels", "--config", cfg, "--from", "2026-08-01", "--to", "2026-11-30", "--as-of", fixtureAsOf}, extra...)
	return runCLI(t, env, "", append(args, input)...)
}

// TestChannelsStopOnAnotherClinicsRows: under input.other_clinic_rows
// stop (and by default), a row naming another clinic stops the report
// before anything is printed: exit 2, no stdout, the key and the first
// cell named, no cell's value.
func TestChannelsStopOnAnotherClinicsRows(t *testing.T) {
	dir := t.TempDir()
	joined, own := chClinicFixture(t, dir, "3", "5")
	for _, policy := range []string{"stop", ""} {
		cfg := chClinicConfig(t, dir, "3", policy)
		for _, exact := range []bool{true, false} {
			var extra []string
			if exact {
				extra = append(extra, "--exact")
			}
			r := clinicChannels(t, stateEnv(t, "clinic"), cfg, joined, append(extra, "--json")...)
			if r.code != 2 || r.stdout != "" {
				t.Fatalf("policy %q exact %v: exit %d, stdout %d bytes; want exit 2 and nothing printed\nstderr: %s", policy, exact, r.code, len(r.stdout), r.stderr)
			}
			// The second data row (line 3) is the first of clinic 5, its
			// ClinicNum cell the last (the column counts bytes).
			line3 := strings.Split(mustRead(t, joined), "\n")[2]
			at := "joined.csv:3:" + strconv.Itoa(strings.LastIndex(line3, ",")+2)
			for _, want := range []string{"input.columns.clinic", at, "no report was printed"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("policy %q exact %v: stderr lacks %q:\n%s", policy, exact, want, r.stderr)
				}
			}
			if counts := strings.Contains(r.stderr, "245 of the 491 rows"); counts != exact {
				t.Errorf("policy %q exact %v: counts named %v (only with --exact):\n%s", policy, exact, counts, r.stderr)
			}
		}
		// The clinic's own rows alone are its report.
		if r := clinicChannels(t, nil, cfg, own, "--exact", "--json"); r.code != 0 {
			t.Fatalf("policy %q: own rows: exit %d: %s", policy, r.code, r.stderr)
		}
	}
}

// TestChannelsExcludeLeavesOtherClinicsOut: under exclude the joined
// export's report is the report of the clinic's own rows alone — the
// same bytes, exact and released — and differs from the joined totals.
func TestChannelsExcludeLeavesOtherClinicsOut(t *testing.T) {
	dir := t.TempDir()
	joined, own := chClinicFixture(t, dir, "3", "5")
	cfg := chClinicConfig(t, dir, "3", "exclude")
	plain := mustRead(t, chPath("en.yaml"))
	plainCfg := filepath.Join(dir, "plain.yaml")
	if err := os.WriteFile(plainCfg, []byte(plain), 0o600); err != nil {
		t.Fatal(err)
	}
	total := func(out string) (visits, bookings float64) {
		var rep struct {
			Total map[string]any `json:"total"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		v, _ := rep.Total["visits"].(float64)
		b, _ := rep.Total["bookings"].(float64)
		return v, b
	}
	for _, exact := range []bool{true, false} {
		extra := []string{"--json"}
		if exact {
			extra = append(extra, "--exact")
		}
		got := clinicChannels(t, stateEnv(t, "clinic"), cfg, joined, extra...)
		want := clinicChannels(t, stateEnv(t, "clinic"), cfg, own, extra...)
		all := clinicChannels(t, stateEnv(t, "clinic"), plainCfg, joined, extra...)
		for _, r := range []result{got, want, all} {
			if r.code != 0 {
				t.Fatalf("exact %v: exit %d: %s", exact, r.code, r.stderr)
			}
		}
		if got.stdout != want.stdout {
			t.Errorf("exact %v: the joined export under exclude is not the report of the clinic's own rows", exact)
		}
		// Not even as read: the rows line is the clinic's own export's.
		if g, w := strings.SplitN(got.stderr, "\n", 2)[0], strings.SplitN(want.stderr, "\n", 2)[0]; g != w {
			t.Errorf("exact %v: stderr says %q, the clinic's own export %q", exact, g, w)
		}
		gv, gb := total(got.stdout)
		av, ab := total(all.stdout)
		if exact && (gv >= av || gb >= ab || gb == 0) {
			t.Errorf("exclude: %v visits, %v bookings; the joined export without the guard: %v, %v", gv, gb, av, ab)
		}
		kind := "rows of other clinics left out"
		if exact {
			kind = "245 " + kind
		}
		if !strings.Contains(got.stderr, kind) {
			t.Errorf("exact %v: stderr does not name %q:\n%s", exact, kind, got.stderr)
		}
		if !exact && strings.Contains(got.stderr, "245") {
			t.Errorf("released: stderr names how many rows were left out:\n%s", got.stderr)
		}
		if strings.Contains(want.stderr, "other clinics") {
			t.Errorf("exact %v: the clinic's own export names other clinics' rows:\n%s", exact, want.stderr)
		}
	}
}

// TestChannelsNeverPrintAClinicValue: neither the report nor stderr,
// under stop or exclude, exact or released, holds a clinic's value.
func TestChannelsNeverPrintAClinicValue(t *testing.T) {
	dir := t.TempDir()
	const own, other = "brQx7own", "brZw9other"
	joined, _ := chClinicFixture(t, dir, own, other)
	for _, policy := range []string{"stop", "exclude"} {
		cfg := chClinicConfig(t, dir, own, policy)
		for _, extra := range [][]string{{"--exact"}, nil, {"--json", "--exact"}, {"--json"}} {
			r := clinicChannels(t, stateEnv(t, "clinic"), cfg, joined, extra...)
			for _, v := range []string{own, other, "brqx7own", "brzw9other"} {
				if strings.Contains(r.stdout+r.stderr, v) {
					t.Errorf("policy %s %v: output holds the clinic value %q", policy, extra, v)
				}
			}
		}
	}
}
