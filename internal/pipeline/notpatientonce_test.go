package pipeline

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/identifier"
)

// TestNotPatientOnceIsTwice: idValues leaves out the same values, and
// notes as many, whether it reads the listed ones from runner.canonical
// (a patient key mapped: the withdrawal rules canonicalise the row
// anyway) or canonicalises each value itself — over random cells of
// listed and unlisted e-mails and phones, spelled as front desks do, one
// or several to a cell, in two e-mail columns.
func TestNotPatientOnceIsTwice(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.NotPatientIdentifiers = []string{"noemail@clinic.com", "0912-000-000"}
	cfg.Input.Columns.PatientKey = "first"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	emails := []string{"noemail@clinic.com", " NoEmail@Clinic.COM ", "a.b@gmail.com", "A.B+x@Gmail.com", "a@b.com; noemail@clinic.com",
		"noemail@clinic.com, c@d.org", "bad@@x", "", "n/a", "ｎｏｅｍａｉｌ@clinic.com"}
	phones := []string{"0912-000-000", "+886 912 000 000", "0912000000", "0912-555-001", "", "0912-000-000 / 0912-555-002", "12", "none"}
	rng := rand.New(rand.NewPCG(26, 26))
	var b strings.Builder
	b.WriteString(header)
	for i := range 400 {
		pick := func(s []string) string { return `"` + s[rng.IntN(len(s))] + `"` }
		fmt.Fprintf(&b, "O%d,2026-10-15 09:00,completed,%s,%s,%s,P%d,,,,yes,\n", i, pick(emails), pick(emails), pick(phones), i%7)
	}
	opt := Options{Config: cfg, Key: "k", Input: strings.NewReader(b.String()), InputName: "t.csv", Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	rd, err := Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(cfg, opt)
	left := 0
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		r.canonKnown = false
		for _, fc := range r.idFields {
			if fc.field != identifier.Email && fc.field != identifier.Phone {
				continue
			}
			for k := range fc.headers {
				cell := row.Nth(fc.col, k)
				if cell == "" {
					continue
				}
				var once, twice tally
				r.patients = true
				got := slices.Clone(r.idValues(row, fc.field, cell, nil, &once))
				r.patients = false
				want := r.idValues(row, fc.field, cell, nil, &twice)
				if !slices.Equal(got, want) || len(once.notes) != len(twice.notes) {
					t.Fatalf("line %d %v: from canonical %q (%d noted), canonicalised again %q (%d noted)", row.Line, fc.field, got, len(once.notes), want, len(twice.notes))
				}
				left += len(once.notes)
			}
		}
	}
	if left < 100 {
		t.Fatalf("only %d values left out: the test's cells miss the list", left)
	}
}
