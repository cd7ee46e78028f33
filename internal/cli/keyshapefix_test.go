package cli

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The patient keys' shape stop, on ordinary nights (a review of the day
// it landed): clinics sharing the default ledger stopped each other, and
// one clinic's unpadded chart numbers of several lengths stopped it.

// keyNight is an export of one visit per pid, from day on, twelve a day,
// of persons from person on, all consenting.
func keyNight(t *testing.T, prefix string, day, person int, pids []string) string {
	t.Helper()
	var b strings.Builder
	for i, pid := range pids {
		b.WriteString(migRow(fmt.Sprintf("%s%03d", prefix, i), day+i/12, 8+i%12, person+i, "yes", pid))
	}
	return migExport(t, b.String())
}

// keysFrom is n keys: format applied to from, from+1, …
func keysFrom(format string, from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, from+i)
	}
	return out
}

// clinicKeyConfig is clinicConfig (clinic n's own accounts) with a patient
// key read from column pid.
func clinicKeyConfig(t *testing.T, gURL, mURL string, n int) string {
	t.Helper()
	p := clinicConfig(t, gURL, mURL, n)
	editConfig(t, p, "    consent: consent\n", "    consent: consent\n    patient_key: pid\n")
	return p
}

// TestClinicsSharingALedgerKeepTheirOwnKeyShapes: clinic A (keys 500…)
// and clinic B (its own secret and accounts, keys M70000…) share the
// default ledger. Before, the shape was kept per column name alone: B's
// first upload stopped on A's shape (exit 2), and once B passed
// --accept-new-ids, A's next night stopped on B's. Now each destination
// keeps its own: both go, night after night.
func TestClinicsSharingALedgerKeepTheirOwnKeyShapes(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	g.OtherDatasets = []string{"998870", "998871"} // clinicConfig's
	envA := uploadEnv(t)                           // the default ledger, shared
	envB := maps.Clone(envA)
	envB["HASHGATE_SECRET"] = "clinic-b-secret-Lq3Vt8Xw1Zr6Np4Ks0"
	cfgA, cfgB := clinicKeyConfig(t, gURL, mURL, 0), clinicKeyConfig(t, gURL, mURL, 1)
	night := func(who string, env map[string]string, cfg, export string, google int) {
		t.Helper()
		before := len(dm.Accepted())
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
		if r.code != 0 || len(dm.Accepted())-before != google {
			t.Fatalf("%s: exit %d, google %d new, want %d\n%s", who, r.code, len(dm.Accepted())-before, google, r.stderr)
		}
	}
	night("clinic A", envA, cfgA, keyNight(t, "A1N", 10, 100, keysFrom("%d", 500, 24)), 24)
	night("clinic B", envB, cfgB, keyNight(t, "B1N", 10, 200, keysFrom("M7%04d", 0, 24)), 24)
	night("clinic A, the next night", envA, cfgA, keyNight(t, "A2N", 13, 300, keysFrom("%d", 530, 24)), 24)
	night("clinic B, the next night", envB, cfgB, keyNight(t, "B2N", 13, 400, keysFrom("M7%04d", 30, 24)), 24)
	// Each clinic's own renumbering still stops it.
	r := runGoogle(t, envA, "", true, "upload", "--config", cfgA, keyNight(t, "A3N", 16, 500, keysFrom("M7%04d", 60, 24)))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "the patient keys in column \"pid\" changed shape") {
		t.Fatalf("clinic A renumbered: exit %d (want %d)\n%s", r.code, ExitUsage, r.stderr)
	}
}

// TestUnpaddedChartNumbersGoThrough: a clinic whose chart numbers were
// issued over years, unpadded (87, 512, 13011), stopped when a night's
// keys were shorter than the last's (exit 2, "most of this export's keys
// are unlike them"): the length of an all-digit key says nothing of a
// numbering. A night where a few keys are of a new kind goes through
// too; one where most are stops.
func TestUnpaddedChartNumbersGoThrough(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	night := func(who, export string, code, google int) string {
		t.Helper()
		before := len(dm.Accepted())
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
		if r.code != code || len(dm.Accepted())-before != google {
			t.Fatalf("%s: exit %d (want %d), google %d new, want %d\n%s", who, r.code, code, len(dm.Accepted())-before, google, r.stderr)
		}
		return r.stderr
	}
	night("five-digit numbers", keyNight(t, "N1N", 15, 100, keysFrom("%d", 12345, 24)), 0, 24)
	short := append(keysFrom("%d", 500, 12), keysFrom("%d", 80, 10)...)
	night("two- and three-digit numbers", keyNight(t, "N2N", 17, 200, append(short, "13011", "13012")), 0, 24)
	// A minority of another kind (3 of 24) stops nothing, and teaches the
	// kept shape nothing: most of that kind stops the next night.
	few := append(keysFrom("%d", 13100, 21), keysFrom("M7%04d", 0, 3)...)
	night("a few letter-led keys", keyNight(t, "N3N", 19, 300, few), 0, 24)
	// Most of another kind stops.
	most := append(keysFrom("%d", 13200, 3), keysFrom("M7%04d", 10, 21)...)
	out := night("most letter-led", keyNight(t, "N4N", 21, 400, most), ExitUsage, 0)
	if !strings.Contains(out, "21 of this export's 24 are unlike them") {
		t.Errorf("the stop does not count the keys unlike the last:\n%s", out)
	}
}

// TestOtherClinicsKeysDoNotHideARenumbering: in a chain's joined export
// under input.other_clinic_rows: exclude, another branch's keys were
// counted in the shape, so this branch's renumbering — under half of the
// export — went through (exit 0, 24 sent: a review of the day's fix).
// Another clinic's rows are not this clinic's numbering.
func TestOtherClinicsKeysDoNotHideARenumbering(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	editConfig(t, cfg, "    patient_key: pid\n", "    patient_key: pid\n    clinic: branch\n  clinic_values: [\"3\"]\n  other_clinic_rows: exclude\n")
	joined := func(prefix string, day int, own, other []string) string {
		var b strings.Builder
		b.WriteString("id,at,status,email,phone,first,last,consent,pid,branch\n")
		for i, pid := range own {
			b.WriteString(strings.TrimSuffix(migRow(fmt.Sprintf("%s%03d", prefix, i), day+i/12, 8+i%12, 100+i, "yes", pid), "\n") + ",3\n")
		}
		for i, pid := range other {
			b.WriteString(strings.TrimSuffix(migRow(fmt.Sprintf("%sX%03d", prefix, i), day+i/12, 8+i%12, 600+i, "yes", pid), "\n") + ",7\n")
		}
		p := filepath.Join(t.TempDir(), "joined.csv")
		if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, joined("J1N", 15, keysFrom("%d", 500, 24), keysFrom("%d", 9000, 30))); r.code != 0 || len(dm.Accepted()) != 24 {
		t.Fatalf("first night: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, joined("J2N", 18, keysFrom("M7%04d", 0, 24), keysFrom("%d", 9100, 30)))
	if r.code != ExitUsage || len(dm.Accepted()) != 24 || !strings.Contains(r.stderr, "24 of this export's 24 are unlike them") {
		t.Errorf("this branch renumbered beside another's rows: exit %d (want %d), google %d (want 24)\n%s", r.code, ExitUsage, len(dm.Accepted()), r.stderr)
	}
}
