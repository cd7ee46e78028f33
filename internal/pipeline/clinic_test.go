package pipeline

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/hashgate/hashgate/internal/config"
)

func clinicConfig(values ...string) *config.Config {
	c := patientConfig()
	c.Input.Columns.BirthDate, c.Input.Columns.ConsentExpiresAt = "", ""
	c.Input.Columns.Clinic = "clinic"
	c.Input.ClinicValues = values
	return c
}

const clinicHeader = "id,at,status,email,consent,clinic\n"

// clinicCanary is another clinic's name: no message may hold it.
const clinicCanary = "Zqotherbranch"

// TestAnotherClinicsExportStopsBeforeAnythingIsSent: clinic A's
// yesterday-only export run under clinic B's config (input.columns.clinic,
// input.clinic_values: [B]) stops the run, naming the first foreign cell's
// file:line:column and how many rows, never the cell, and nothing reaches
// the sink — on one goroutine and on several. Before the guard, every row
// was sent (a review, 2026-12-07, D1).
func TestAnotherClinicsExportStopsBeforeAnythingIsSent(t *testing.T) {
	var body strings.Builder
	for i := range 40 {
		clinic := clinicCanary
		if i%10 == 3 {
			clinic = "" // a row naming no clinic is no row of B's either
		}
		fmt.Fprintf(&body, "A%d,2026-11-0%d 09:00,completed,p%d@example.com,yes,%s\n", i, 2+i%7, i, clinic)
	}
	for _, workers := range []int{1, 4} {
		c, _, err := runPatients(t, clinicConfig("B"), clinicHeader, body.String(), workers)
		var oc *OtherClinicError
		var ce *config.Error
		if !errors.As(err, &oc) || !errors.As(err, &ce) || ce.Key != "input.columns.clinic" {
			t.Fatalf("workers %d: err %v, want the clinic stop as a config error", workers, err)
		}
		if len(c.got) != 0 {
			t.Fatalf("workers %d: %d conversions reached the sink", workers, len(c.got))
		}
		for _, want := range []string{"t.csv:2:50:", "40 of the 40 rows", "(4 of them empty)", "nothing was sent", "other_clinic_rows: exclude", `"clinic" cell`} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("workers %d: the stop lacks %q:\n%v", workers, want, err)
			}
		}
		if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(clinicCanary)) {
			t.Errorf("workers %d: the stop holds the cell: %v", workers, err)
		}
	}
}

// TestOneForeignRowAmongOwnStops: the clinic's own export with one row of
// another clinic late in the file still stops, naming that row's cell.
func TestOneForeignRowAmongOwnStops(t *testing.T) {
	var body strings.Builder
	for i := range 30 {
		clinic := "B"
		if i == 27 {
			clinic = "A"
		}
		fmt.Fprintf(&body, "B%d,2026-11-02 09:00,completed,p%d@example.com,yes,%s\n", i, i, clinic)
	}
	for _, workers := range []int{1, 4} {
		c, _, err := runPatients(t, clinicConfig("B"), clinicHeader, body.String(), workers)
		if err == nil || !strings.Contains(err.Error(), "t.csv:29:") || !strings.Contains(err.Error(), "1 of the 30 rows") || len(c.got) != 0 {
			t.Fatalf("workers %d: err %v, %d sent", workers, err, len(c.got))
		}
	}
}

// TestClinicValuesCompareAsTheExportsCellsDo: the values compare after the
// fold the export's ids get (config.ClinicKey) — white space and
// invisible characters at the edges, full-width forms, case, an
// all-digit value's leading zeros — and columns reordered change nothing:
// every row is the clinic's own and is sent. A spelling that differs
// otherwise (臺北 for 台北) is another clinic's.
func TestClinicValuesCompareAsTheExportsCellsDo(t *testing.T) {
	cells := []string{"台北分院", " 台北分院 ", "\u200b台北分院", "taipei", "TAIPEI", "ＴＡＩＰＥＩ", "7", "007", "０７"}
	var body, swapped strings.Builder
	for i, cell := range cells {
		fmt.Fprintf(&body, "T%d,2026-11-02 09:00,completed,p%d@example.com,yes,%s\n", i, i, cell)
		fmt.Fprintf(&swapped, "%s,T%d,yes,p%d@example.com,completed,2026-11-02 09:00\n", cell, i, i)
	}
	for _, workers := range []int{1, 4} {
		c, sum, err := runPatients(t, clinicConfig("台北分院", "Taipei", "07"), clinicHeader, body.String(), workers)
		if err != nil || len(c.got) != len(cells) {
			t.Fatalf("workers %d: err %v, %d of %d sent (excluded %v)", workers, err, len(c.got), len(cells), sum.Excluded)
		}
		c2, _, err := runPatients(t, clinicConfig("台北分院", "Taipei", "07"), "clinic,id,consent,email,status,at\n", swapped.String(), workers)
		if err != nil || fmt.Sprint(ids(c2)) != fmt.Sprint(ids(c)) {
			t.Fatalf("workers %d: reordered columns: err %v, sent %v, want %v", workers, err, ids(c2), ids(c))
		}
	}
	_, _, err := runPatients(t, clinicConfig("台北分院"), clinicHeader, "T1,2026-11-02 09:00,completed,p@example.com,yes,臺北分院\n", 1)
	if err == nil {
		t.Fatal("臺北分院 passed as 台北分院")
	}
}

// TestOtherClinicRowsExcludeCountsThem: under input.other_clinic_rows:
// exclude, a chain's joined export sends this clinic's rows and excludes
// the others' as other_clinic, counted; a foreign row that revokes its
// patient still withdraws the patient here (consent is the person's).
func TestOtherClinicRowsExcludeCountsThem(t *testing.T) {
	cfg := clinicConfig("B")
	cfg.Input.Columns.PatientKey = "patient"
	cfg.Input.OtherClinicRows = config.OtherClinicExclude
	header := "id,at,status,email,consent,clinic,patient\n"
	body := "" +
		"B1,2026-11-02 09:00,completed,a@example.com,yes,B,p1\n" +
		"A1,2026-11-02 09:00,completed,b@example.com,yes,A,p2\n" +
		"A2,2026-11-02 09:00,completed,c@example.com,yes,,p3\n" +
		"B2,2026-11-03 09:00,completed,d@example.com,yes,B,p4\n" +
		"A3,2026-11-03 09:00,completed,e@example.com,revoked,A,p4\n"
	for _, workers := range []int{1, 4} {
		c, sum, err := runPatients(t, cfg, header, body, workers)
		if err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		if len(c.got) != 1 || c.got[0].Line != 2 {
			t.Fatalf("workers %d: sent %d (want line 2 only)", workers, len(c.got))
		}
		if sum.Excluded[ReasonOtherClinic] != 3 || sum.Excluded["consent_revoked_patient"] != 1 {
			t.Fatalf("workers %d: excluded %v", workers, sum.Excluded)
		}
	}
}

// TestAReSavedExportKeepsItsClinicVerdict: the same export re-saved in
// Big5 or UTF-16 (input.encoding: auto) gets the same verdict: its own
// rows sent alike, a foreign row stopping at the same cell.
func TestAReSavedExportKeepsItsClinicVerdict(t *testing.T) {
	own := "T1,2026-11-02 09:00,completed,a@example.com,yes,台北分院\n" +
		"T2,2026-11-02 10:00,completed,b@example.com,yes,台北分院\n"
	foreign := own + "T3,2026-11-02 11:00,completed,c@example.com,yes,板橋分院\n"
	big5 := func(s string) string {
		b, err := traditionalchinese.Big5.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	utf16 := func(s string) string {
		b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	c, _, err := runPatients(t, clinicConfig("台北分院"), clinicHeader, own, 1)
	if err != nil || len(c.got) != 2 {
		t.Fatalf("UTF-8: err %v, %d sent", err, len(c.got))
	}
	_, _, stop := runPatients(t, clinicConfig("台北分院"), clinicHeader, foreign, 1)
	if stop == nil {
		t.Fatal("UTF-8: the foreign row passed")
	}
	for name, enc := range map[string]func(string) string{"Big5": big5, "UTF-16": utf16} {
		c2, _, err := runPatients(t, clinicConfig("台北分院"), "", enc(clinicHeader+own), 1)
		if err != nil || fmt.Sprint(ids(c2)) != fmt.Sprint(ids(c)) {
			t.Errorf("%s: err %v, sent %v, want %v", name, err, ids(c2), ids(c))
		}
		_, _, err = runPatients(t, clinicConfig("台北分院"), "", enc(clinicHeader+foreign), 1)
		if err == nil || !strings.Contains(err.Error(), "t.csv:4:") || !strings.Contains(err.Error(), "1 of the 3 rows") {
			t.Errorf("%s: %v, want the stop at line 4", name, err)
		}
	}
}
