package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// clinikoAPIExport is a Cliniko appointments export by its API's field
// names (docs.api.cliniko.com, Appointments: did_not_arrive true/false
// and cancelled_at, no status and no patient_arrived column), its times
// written without an offset: a no-show and a cancellation among visits.
const clinikoAPIExport = "id,starts_at,email,patient_phone_number,did_not_arrive,cancelled_at,ad_measurement_consent\n" +
	"41230,2026-11-02 09:00,canary.a@example.com,0412 345 600,false,,true\n" +
	"41231,2026-11-03 10:00,canary.b@example.com,0412 345 601,true,,true\n" +
	"41232,2026-11-04 11:00,canary.c@example.com,0412 345 602,false,2026-11-01T10:00:00Z,true\n"

// initOpen runs config init on export and saves the config it wrote.
func initOpen(t *testing.T, export string) (path, text string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "hashgate.yaml")
	r := runCLI(t, nil, "", "config", "init", "--from", export, "--out", path)
	if r.code != 0 {
		t.Fatalf("config init --from %s: exit %d: %s", export, r.code, r.stderr)
	}
	return path, mustRead(t, path)
}

// saveConfig writes text over path.
func saveConfig(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestOpenQuestionsStopEveryCommand: config init wrote what it could not
// decide as empty values beside "# ASK:" comments; config validate said
// "valid" (README promises it "names every problem"), and a Cliniko
// export, whose status question was left open, dry-ran its no-show and
// its cancellation as visits with exit 0. Every open question now stops
// config validate, the dry-run, write, check and channels with exit 2,
// naming every open key at once; answered, the config validates and the
// dry-run runs.
func TestOpenQuestionsStopEveryCommand(t *testing.T) {
	dir := t.TempDir()
	cliniko := filepath.Join(dir, "appointments.csv")
	if err := os.WriteFile(cliniko, []byte(clinikoAPIExport), 0o600); err != nil {
		t.Fatal(err)
	}
	fixture := filepath.Join(dir, "fixture.csv")
	if err := os.WriteFile(fixture, []byte(strings.Replace(clinikoAPIExport, "ad_measurement_consent\n", "ad_measurement_consent,expect\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, export string
		open         []string // the keys the config must name as open
		answer       func(string) string
	}{
		{"cliniko API, no status column, no offsets", cliniko, []string{"timezone", "input.columns.status"}, func(s string) string {
			s = regexp.MustCompile(`(?m)^timezone: .*$`).ReplaceAllString(s, "timezone: Australia/Sydney")
			// The answer for this export: its did_not_arrive column.
			s = regexp.MustCompile(`(?m)^    status: .*$`).ReplaceAllString(s, `    status: "did_not_arrive"`)
			return strings.Replace(s, "  # statuses: [completed]\n", "  statuses: [\"false\"]\n", 1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, text := initOpen(t, tc.export)
			text = strings.Replace(text, "  granted: []", "  granted: [\"true\"] #", 1)
			saveConfig(t, path, text)
			for _, args := range [][]string{
				{"config", "validate", "--config", path},
				{"upload", "--dry-run", "--config", path, tc.export},
				{"write", "--format", "meta-offline-csv", "--out", filepath.Join(t.TempDir(), "meta.csv"), "--config", path, tc.export},
				{"check", "--config", path, fixture},
				{"channels", "--config", path, tc.export},
			} {
				r := runCLI(t, secretEnv, "", args...)
				if r.code != ExitUsage {
					t.Errorf("%s with open questions: exit %d, want 2:\n%s", args[0]+" "+args[1], r.code, r.stderr)
					continue
				}
				for _, k := range tc.open {
					if !strings.Contains(r.stderr, k+": an open question config init left") {
						t.Errorf("%s does not name %s as open:\n%s", args[0]+" "+args[1], k, r.stderr)
					}
				}
			}
			saveConfig(t, path, tc.answer(text))
			if r := runCLI(t, nil, "", "config", "validate", "--config", path); r.code != 0 {
				t.Fatalf("config validate after answering: exit %d:\n%s", r.code, r.stderr)
			}
			r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", path, tc.export)
			if r.code != 0 || strings.Contains(r.stderr, "every row counts as a visit") || strings.Contains(r.stderr, "names an outcome") {
				t.Errorf("dry-run after answering: exit %d:\n%s", r.code, r.stderr)
			}
		})
	}
}

// TestAStatedOffsetLeavesTheZoneToChannels: times that carry their UTC
// offset need no zone to upload, so config init leaves timezone empty
// there, not open: the dry-run runs (an open question stopped it, though
// the comment beside it said uploads need no zone), and channels, which
// counts the clinic's days in the zone, still asks for it.
func TestAStatedOffsetLeavesTheZoneToChannels(t *testing.T) {
	export := filepath.Join("..", "..", "testdata", "exports", "07-cliniko-appointments", "export.csv")
	path, text := initOpen(t, export)
	if strings.Contains(text, "timezone: \"<ASK>\"") {
		t.Fatalf("config init left timezone open for an export whose times carry their offset:\n%s", text)
	}
	saveConfig(t, path, strings.Replace(text, "  granted: []", "  granted: [\"true\"] #", 1))
	if r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", path, export); r.code != 0 {
		t.Errorf("dry-run: exit %d, want 0:\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, secretEnv, "", "channels", "--config", path, export); r.code != ExitUsage || !strings.Contains(r.stderr, "timezone: required by hashgate channels") {
		t.Errorf("channels without a zone: exit %d, want 2 naming timezone:\n%s", r.code, r.stderr)
	}
}

// TestArrivalsListAnswer: the other answer to the status question, every
// row is a visit, validates and dry-runs as a config without a status
// column always did; and an old-style config (an older init's empty
// status, or one written by hand) still runs as before: exit 0, every row
// counted, the summary saying so, and naming the outcome column
// (did_not_arrive) whose no-shows are sent as visits.
func TestArrivalsListAnswer(t *testing.T) {
	export := filepath.Join(t.TempDir(), "appointments.csv")
	if err := os.WriteFile(export, []byte(clinikoAPIExport), 0o600); err != nil {
		t.Fatal(err)
	}
	path, text := initOpen(t, export)
	text = regexp.MustCompile(`(?m)^timezone: .*$`).ReplaceAllString(text, "timezone: Australia/Sydney")
	text = strings.Replace(text, "  granted: []", "  granted: [\"true\"] #", 1)
	text = withMetaEnabled(t, text) // the export has no click ids: Google takes none
	old := regexp.MustCompile(`(?m)^    status: .*$`).ReplaceAllString(text, `    status: ""`)
	arrivals := mustReplace(t, old, "  # every_row_is_a_visit: true", "  every_row_is_a_visit: true")
	for name, cfg := range map[string]string{"old-style": old, "arrivals list": arrivals} {
		saveConfig(t, path, cfg)
		if r := runCLI(t, nil, "", "config", "validate", "--config", path); r.code != 0 {
			t.Errorf("%s: config validate: exit %d:\n%s", name, r.code, r.stderr)
		}
		r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", path, export)
		if r.code != 0 || !strings.Contains(r.stderr, "; 3 used,") {
			t.Errorf("%s: dry-run: exit %d, want 0 and every row used:\n%s", name, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "every row counts as a visit") {
			t.Errorf("%s: the summary does not say every row counts:\n%s", name, r.stderr)
		}
		// The declared answer is said as given; the warning meant for a
		// config that never answered is not printed over it.
		if declared, warned := strings.Contains(r.stderr, "the config says the export lists visits only"), strings.Contains(r.stderr, "no-shows and cancellations included"); declared != (name == "arrivals list") || warned == (name == "arrivals list") {
			t.Errorf("%s: the summary says the declaration %v and the unanswered warning %v:\n%s", name, declared, warned, r.stderr)
		}
		// The export says which rows were no visit: the summary names
		// the column left unmapped (its header, never a cell).
		if !strings.Contains(r.stderr, `warning: the column "did_not_arrive" names an outcome and is not mapped: its no-shows and cancellations are being sent as visits`) {
			t.Errorf("%s: the summary does not name the outcome column left unmapped:\n%s", name, r.stderr)
		}
	}
}
