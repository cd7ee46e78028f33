package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/report"
)

// placeholderRows is the reviewer's repro: 40 patients, each with their
// own phone, all with the clinic's placeholder address written as front
// desks do (case, spaces), and the first revokes.
func placeholderRows() []string {
	var rows []string
	for i := range 40 {
		c := "yes"
		if i == 0 {
			c = "revoked"
		}
		email := "noemail@clinic.com"
		if i%3 == 1 {
			email = " NoEmail@Clinic.com "
		}
		rows = append(rows, fmt.Sprintf("O%d,2026-10-15 09:00,completed,%s,,0912-555-%03d,P%d,,,,%s,\n", i, email, i, i, c))
	}
	return rows
}

// runRows runs rows through a dry-run's pipeline under cfg (patient key
// mapped) and returns the conversions sent and the summary.
func runRows(t *testing.T, cfg *config.Config, rows []string, revoked *PatientRevocations) (*capture, *report.Summary) {
	t.Helper()
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	sum := report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + strings.Join(rows, "")), InputName: "t.csv",
		Sink: sink, Workers: 2, Revoked: revoked, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}, sum); err != nil {
		t.Fatal(err)
	}
	return sink, sum
}

// TestNotPatientIdentifiersWithdrawNothing: with the clinic's placeholder
// listed under input.not_patient_identifiers, the one withdrawal keeps
// out its own row alone (39 of 40 sent, no consent_withdrawn_identifier),
// the placeholder's hash is sent for no one, each value left out is
// noted, and the ledger is told no identifier of it to remember.
func TestNotPatientIdentifiersWithdrawNothing(t *testing.T) {
	for _, revoked := range []*PatientRevocations{nil, {}} {
		cfg := baseConfig()
		cfg.Input.NotPatientIdentifiers = []string{"noemail@clinic.com"}
		sink, sum := runRows(t, cfg, placeholderRows(), revoked)
		orders := map[string]bool{}
		for _, cv := range sink.got {
			id, _, _ := strings.Cut(placeholderRows()[cv.Line-2], ",")
			orders[id] = true
			bad, err := identifier.Prepare(cv.Platform, identifier.Email, "noemail@clinic.com", identifier.Options{Region: "TW"})
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(cv.Identifiers, bad) {
				t.Fatalf("%s: the placeholder's hash sent as the patient's", id)
			}
			if len(cv.Identifiers) != 1 {
				t.Fatalf("%s: %d identifiers, want the patient's phone alone", id, len(cv.Identifiers))
			}
		}
		if len(orders) != 39 || orders["O0"] || sum.Excluded[ReasonIdentifierWithdrawn] != 0 || sum.Excluded[consent.ReasonRevoked] != 1 {
			t.Fatalf("ledger %v: sent %d orders (O0 %v), excluded %v; want 39, O0 withheld, no %s", revoked != nil, len(orders), orders["O0"], sum.Excluded, ReasonIdentifierWithdrawn)
		}
		if got := sum.Notes[NoteNotPatientIdentifier]; got != 39 { // once a row (TestNotPatientIdentifiersNoteCountsRows), whatever the platforms; the revoking row never reaches its identifiers
			t.Errorf("notes %v; want %s 39", sum.Notes, NoteNotPatientIdentifier)
		}
		if revoked != nil {
			n := 0
			_ = revoked.New.EachIdentifier(func(uint64, uint64, int64) error { n++; return nil })
			if n != 1 { // her own phone alone
				t.Errorf("the ledger is told %d identifiers of the withdrawing row, want 1 (her phone)", n)
			}
		}
	}
}

// TestNotPatientIdentifiersRemembered: the ledger remembers the clinic's
// placeholder from a night before it was listed (the review: every later
// night's rows carrying it withdrawn, for good); listed, it withdraws
// nothing more, while the withdrawn patient's own phone still does.
func TestNotPatientIdentifiersRemembered(t *testing.T) {
	d := eventid.NewDeriver("k")
	prior := func() *PatientRevocations {
		ids := keyset.NewMins("", keyset.Sizes{})
		for _, id := range []struct{ f, v string }{{"email", "noemail@clinic.com"}, {"phone", "+886912555000"}} {
			if err := ids.Note(d.RevokedIdentifier(id.f, id.v), 0); err != nil {
				t.Fatal(err)
			}
		}
		if err := ids.Freeze(); err != nil {
			t.Fatal(err)
		}
		return &PatientRevocations{PriorIdentifiers: ids}
	}
	rows := placeholderRows()[1:] // a later night: no one revokes; O0's phone on O1's row
	rows = append(rows, "X1,2026-10-15 09:00,completed,noemail@clinic.com,,0912-555-000,P99,,,,yes,\n")
	for _, listed := range []bool{false, true} {
		cfg := baseConfig()
		if listed {
			cfg.Input.NotPatientIdentifiers = []string{"noemail@clinic.com"}
		}
		revoked := prior()
		_, sum := runRows(t, cfg, rows, revoked)
		revoked.Close()
		want := 40 // every row carries the remembered placeholder
		if listed {
			want = 1 // X1 alone, by the withdrawn patient's own phone
		}
		if got := sum.Excluded[ReasonIdentifierWithdrawn]; got != want {
			t.Errorf("listed %v: %s %d, want %d (excluded %v)", listed, ReasonIdentifierWithdrawn, got, want, sum.Excluded)
		}
		// Remembered only, judged on its own: the placeholder crossed,
		// and exits 3 as tonight's would (Exits).
		if f := sum.IdentifierFanOut; (f != nil) == listed || f != nil && (!f.Remembered || f.Tonight || f.WithdrawingRows != 0 || f.RememberedKeys != 40 || !f.Exits() ||
			!strings.Contains(f.Message(), "one e-mail or phone the ledger remembers from an earlier withdrawal withdrew the rows of 40 other patient keys (40 rows withdrawn by identifier in all)")) {
			t.Errorf("listed %v: alarm %+v", listed, f)
		}
	}
}

// TestIdentifierFanOutAlarm: the reviewer's 40 patients, the placeholder
// not listed: the rule still withdraws the 39 (default-deny), and the
// summary — text and JSON — says that one withdrawing row's e-mail or
// phone withdrew 39 rows of 39 other patient keys, naming its file:line,
// never the value. A family (a mother withdraws, her two children's
// charts carry her phone) and the listed placeholder raise no alarm.
func TestIdentifierFanOutAlarm(t *testing.T) {
	_, sum := runRows(t, baseConfig(), placeholderRows(), nil)
	f := sum.IdentifierFanOut
	if f == nil || !f.Tonight || f.Rows != 39 || f.PatientKeys != 39 || f.WithdrawingRows != 1 || f.First != "t.csv:2" {
		t.Fatalf("alarm %+v; want 1 withdrawing row at t.csv:2, 39 rows of 39 keys", f)
	}
	var text strings.Builder
	if err := sum.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	js, err := sum.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want := "one e-mail or phone of 1 withdrawing row(s) of this run (first at t.csv:2) withdrew the rows of 39 other patient keys (39 rows withdrawn by identifier in all): a placeholder or the clinic's own contact? list it under input.not_patient_identifiers"
	if !strings.Contains(text.String(), want) || !strings.Contains(string(js), `"identifier_fan_out"`) {
		t.Errorf("summary:\n%s\njson: %s", text.String(), js)
	}
	for _, out := range []string{text.String(), string(js)} {
		if strings.Contains(strings.ToLower(out), "noemail") || strings.Contains(out, "555") {
			t.Errorf("a value in the output:\n%s", out)
		}
	}

	family := []string{
		"M1,2026-10-15 09:00,completed,mom@example.com,,0912-555-100,PM,,,,revoked,\n",
		"K1,2026-10-15 10:00,completed,,,0912-555-100,PK1,,,,yes,\n",
		"K2,2026-10-15 11:00,completed,,,0912-555-100,PK2,,,,yes,\n",
		"K3,2026-10-16 11:00,completed,,,0912-555-100,PK2,,,,yes,\n", // a child's many visits: one key
		"K4,2026-10-17 11:00,completed,,,0912-555-100,PK2,,,,yes,\n",
		"K5,2026-10-18 11:00,completed,,,0912-555-100,PK2,,,,yes,\n",
		"K6,2026-10-19 11:00,completed,,,0912-555-100,PK2,,,,yes,\n",
		"K7,2026-10-20 11:00,completed,,,0912-555-100,PK2,,,,yes,\n",
		"Z1,2026-10-15 11:00,completed,z@example.com,,0912-555-999,PZ,,,,yes,\n",
	}
	_, sum = runRows(t, baseConfig(), family, nil)
	if sum.IdentifierFanOut != nil || sum.Excluded[ReasonIdentifierWithdrawn] != 7 {
		t.Errorf("family: alarm %+v, excluded %v; want none and 7 %s", sum.IdentifierFanOut, sum.Excluded, ReasonIdentifierWithdrawn)
	}

	cfg := baseConfig()
	cfg.Input.NotPatientIdentifiers = []string{"noemail@clinic.com"}
	if _, sum = runRows(t, cfg, placeholderRows(), nil); sum.IdentifierFanOut != nil {
		t.Errorf("listed: alarm %+v", sum.IdentifierFanOut)
	}
}

// TestNotPatientIdentifiersNoteCountsRows: identifier_not_patients counts
// rows, as every note does (README: rows counted but not excluded): a row
// carrying the clinic's listed e-mail in both e-mail columns and its
// listed phone is one row, not three (a review, 2026-12-07: it counted
// values, so the note read as more rows than the export had).
func TestNotPatientIdentifiersNoteCountsRows(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.NotPatientIdentifiers = []string{"noemail@clinic.com", "02-2345-6789"}
	rows := []string{
		"A1,2026-10-15 09:00,completed,noemail@clinic.com,NoEmail@Clinic.com,02-2345-6789,PA,,,,yes,\n", // three listed values: one row
		"A2,2026-10-15 10:00,completed,a2@example.com,,02-2345-6789,PB,,,,yes,\n",                       // one
		"A3,2026-10-15 11:00,completed,a3@example.com,,0912-555-003,PC,,,,yes,\n",                       // none
	}
	_, sum := runRows(t, cfg, rows, nil)
	if got := sum.Notes[NoteNotPatientIdentifier]; got != 2 {
		t.Errorf("notes %v; want %s 2 (rows A1 and A2)", sum.Notes, NoteNotPatientIdentifier)
	}
}
