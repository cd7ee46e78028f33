package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/report"
)

// Pinned ids: HMAC-SHA256 under key "k" of "hashgate/event-id/v1\x00" +
// the key, computed independently with Python's hmac module. A change to
// the derivation would make every past conversion count again.
const (
	// "A003100\x1f2026-10-01\x1f2026-10-01T09:00": chart, the date column as
	// a date, the time column as the appointment's wall time.
	idTWComposite = "570855cb8ab6432591ffc371682ef513"
	// "A003100\x1f115/10/01\x1f上午 09:00": the same row under the earlier
	// derivation (the cells as written).
	idTWLegacy = "bb75b1ec0b60e0b70a3e8c1938194203"
	// "AB12\x1f2026-10-01T09:00": a full-width chart number folded by
	// NFKC, and an appointment_at part as wall time.
	idFolded = "dd6caf718e6b8653cf82a7c6c485e6be"
	// "ＡＢ１２\x1f2026-10-01 09:00": that row as written.
	idFoldedLegacy = "e7dc70e6b31e5a09e55aa03f5f14a0a2"
	// "A1": a single-column order id, unchanged by the new derivation.
	idSingle = "92dd09a60e3d5d7c0ebe20237efd8307"
)

func twCompositeConfig() *config.Config {
	c := baseConfig()
	c.Input.Columns.OrderID = []string{"chart", "date", "time"}
	c.Input.Columns.AppointmentAt = ""
	c.Input.Columns.AppointmentDate = "date"
	c.Input.Columns.AppointmentTime = "time"
	return c
}

const twHeader = "chart,date,time,status,email,email2,phone,first,last,zip,country,consent,gclid\n"

// TestCompositeOrderIDIsTheAppointment: a composite order id takes the
// appointment's parsed wall time, whatever the spelling; the earlier id
// travels with the conversion for the dual lookup.
func TestCompositeOrderIDIsTheAppointment(t *testing.T) {
	cfg := twCompositeConfig()
	spellings := []string{
		"A003100,115/10/01,上午 09:00",
		"A003100,2026-10-01,09:00",
		"A003100,2026/10/01,09:00:00",
		"A003100,2026年10月1日,9点",
		" A003100 ,1151001,上午 9:00:59", // seconds dropped, cells trimmed
	}
	for _, s := range spellings {
		sink, _ := runWith(t, cfg, twHeader, s+",completed,a@example.com,,,,,,,yes,\n")
		if len(sink.got) != 2 {
			t.Fatalf("%q: %d conversions", s, len(sink.got))
		}
		if got := sink.got[0].EventID; got != idTWComposite {
			t.Errorf("%q: event id %s, want %s", s, got, idTWComposite)
		}
	}
	sink, _ := runWith(t, cfg, twHeader, spellings[0]+",completed,a@example.com,,,,,,,yes,\n")
	if got := sink.got[0].LegacyID; got != idTWLegacy {
		t.Errorf("legacy id %s, want %s", got, idTWLegacy)
	}
	// Re-saved and written again within one export, it is one appointment.
	sink, sum := runWith(t, cfg, twHeader, spellings[0]+",completed,a@example.com,,,,,,,yes,\n"+spellings[1]+",completed,a@example.com,,,,,,,yes,\n")
	if len(sink.got) != 2 || sum.Excluded[ReasonDuplicate] != 1 {
		t.Errorf("%d conversions, excluded %v", len(sink.got), sum.Excluded)
	}
}

func TestOrderIDFoldingAndSingleColumns(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.OrderID = []string{"id", "at"}
	sink, _ := runWith(t, cfg, header, "ＡＢ１２,2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n")
	if got := sink.got[0]; got.EventID != idFolded || got.LegacyID != idFoldedLegacy {
		t.Errorf("ids %s (legacy %s), want %s (%s)", got.EventID, got.LegacyID, idFolded, idFoldedLegacy)
	}
	sink, _ = runWith(t, baseConfig(), header, "A1,2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n")
	if got := sink.got[0]; got.EventID != idSingle || got.LegacyID != "" {
		t.Errorf("single-column id %s (legacy %q), want %s unchanged", got.EventID, got.LegacyID, idSingle)
	}
	if id, _ := eventid.NewDeriver("k").Derive("A1"); id != idSingle {
		t.Fatalf("the pin itself is wrong: %s", id)
	}
}

// runWith is run with a header of the test's own.
func runWith(t *testing.T, cfg *config.Config, head, body string) (*capture, *report.Summary) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink, sum := &capture{}, report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(head + body), InputName: "t.csv", Sink: sink, Workers: 1}, sum); err != nil {
		t.Fatal(err)
	}
	return sink, sum
}

// TestExcelScientificShape: Excel's own shape of a cut number, and not an
// id with an E between digits.
func TestExcelScientificShape(t *testing.T) {
	for s, want := range map[string]bool{
		"2.02611E+14": true, "1E+15": true, "9.12346e+08": true, "1.5E+10": true,
		"2024E001": false, "1E5": false, "1.E+14": false, "0.5E+12": false, "2.02611E+1": false, "E+14": false, "2.02611E+14x": false, "A1E+14": false,
	} {
		if got := excelScientific(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}
