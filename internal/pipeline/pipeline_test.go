package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/report"
)

// capture is a sink that keeps copies of what it is given.
type capture struct{ got []conversion.Conversion }

func (c *capture) Write(cv *conversion.Conversion) error {
	cp := *cv
	cp.Identifiers = append([]identifier.Sent(nil), cv.Identifiers...)
	c.got = append(c.got, cp)
	return nil
}
func (c *capture) Close() error { return nil }

func baseConfig() *config.Config {
	c := config.Defaults()
	c.Timezone = "Asia/Taipei"
	c.Region = "TW"
	c.Input.Columns = config.Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Email: []string{"email", "email2"},
		Phone: []string{"phone"}, FirstName: "first", LastName: "last", PostalCode: "zip", Country: "country",
		Consent: "consent", GCLID: "gclid",
	}
	c.Consent.Granted = []string{"yes"}
	c.Conversion.Statuses = []string{"completed"}
	c.Conversion.Value = config.ValueNone
	c.Destinations.Google.Enabled = true
	// The explicit choice to send Google hashed identifiers (its default
	// is click ids only: TestGoogleDefaultIsClickIDsOnly).
	c.Destinations.Google.Identifiers = []string{"email", "phone"}
	c.Destinations.Meta.Enabled = true
	return &c
}

const header = "id,at,status,email,email2,phone,first,last,zip,country,consent,gclid\n"

func run(t *testing.T, cfg *config.Config, body string) (*capture, *report.Summary) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	sum := report.New("t.csv")
	err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv", Sink: sink}, sum)
	if err != nil {
		t.Fatal(err)
	}
	if sum.RowsRead != sum.RowsUsed+sum.ExcludedTotal() {
		t.Fatalf("accounting: read %d != used %d + excluded %d", sum.RowsRead, sum.RowsUsed, sum.ExcludedTotal())
	}
	return sink, sum
}

func TestDuplicateOnlyAmongUsableRows(t *testing.T) {
	// A blank consent says nothing of the order (a "no" would refuse the
	// whole order: TestOrderRefusedByALaterRow).
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,,,,,,\n" + // excluded: no consent
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes,\n" + // first usable: the conversion
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes,\n" // duplicate (another e-mail would disagree: TestOrderRowsThatDisagreeAreHeld)
	sink, sum := run(t, baseConfig(), body)
	if len(sink.got) != 2 || sum.Excluded[ReasonDuplicate] != 1 || sum.Excluded["consent_missing"] != 1 {
		t.Fatalf("got %d conversions, excluded %v", len(sink.got), sum.Excluded)
	}
	if sink.got[0].Line != 3 {
		t.Errorf("conversion from line %d, want 3", sink.got[0].Line)
	}
}

func TestGoogleAddressAllOrNothing(t *testing.T) {
	cfg := baseConfig()
	cfg.Destinations.Google.Identifiers = []string{"email", "first_name", "last_name", "postal_code", "country"}
	cfg.Destinations.Meta.Enabled = false
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,Ann,Lee,10617,TW,yes,\n" +
		"A2,2026-11-02 09:00,completed,b@example.com,,,Bo,,10617,TW,yes,\n" + // no last name
		"A3,2026-11-02 09:00,completed,c@example.com,,,Cy,Ho,10617,TWN,yes,\n" // bad country
	sink, sum := run(t, cfg, body)
	if len(sink.got) != 3 {
		t.Fatalf("%d conversions", len(sink.got))
	}
	if n := len(sink.got[0].Identifiers); n != 5 {
		t.Errorf("complete address: %d identifiers, want 5", n)
	}
	for _, c := range sink.got[1:] {
		if len(c.Identifiers) != 1 || c.Identifiers[0].Field() != identifier.Email {
			t.Errorf("line %d: incomplete address must send email only, got %d identifiers", c.Line, len(c.Identifiers))
		}
	}
	if sum.Dropped["google address address_incomplete"] != 2 {
		t.Errorf("dropped: %v", sum.Dropped)
	}
}

func TestMetaSkippedButGoogleUsesClickID(t *testing.T) {
	body := "A1,2026-11-02 09:00,completed,none,,,,,,,yes,Cj0KCQjw6FP_Rk88ItOhPCXsIrMV3iWFJYtPbg-IXCjM8azsPXEewEaa-wG17gfdOiIUWoHD_UjF-DjAb5d43RtrhBwN\n"
	sink, sum := run(t, baseConfig(), body)
	if len(sink.got) != 1 || sink.got[0].Platform != identifier.Google || sink.got[0].GCLID == "" {
		t.Fatalf("got %+v", sink.got)
	}
	if sum.Skipped["meta"][ReasonNoIdentifier] != 1 || sum.RowsUsed != 1 {
		t.Errorf("skipped %v used %d", sum.Skipped, sum.RowsUsed)
	}
}

// TestGoogleDefaultIsClickIDsOnly: under the built-in default Google
// receives click ids and no hashed identifier (its customer data policy
// bars enhanced conversions for "purchases of medical services"); a row
// without a click id is not sent to Google, counted as no_click_id — for
// Google alone under "not sent to google", or as the row's exclusion when
// no platform takes it — and never quarantined.
func TestGoogleDefaultIsClickIDsOnly(t *testing.T) {
	cfg := baseConfig()
	cfg.Destinations.Google.Identifiers = config.Defaults().Destinations.Google.Identifiers
	if len(cfg.Destinations.Google.Identifiers) != 0 {
		t.Fatalf("built-in Google identifiers %v, want none", cfg.Destinations.Google.Identifiers)
	}
	body := "A1,2026-11-02 09:00,completed,a@example.com,,0912-345-678,,,,,yes,Cj0KCQjw6FP_Rk88ItOhPCXsIrMV3iWFJYtPbg-IXCjM8azsPXEewEaa-wG17gfdOiIUWoHD_UjF-DjAb5d43RtrhBwN\n" +
		"A2,2026-11-02 10:00,completed,b@example.com,,0912-345-679,,,,,yes,\n" + // Meta only
		"A3,2026-11-02 11:00,completed,none,,,,,,,yes,\n" // nobody
	sink, sum := run(t, cfg, body)
	var google int
	for _, c := range sink.got {
		if c.Platform != identifier.Google {
			continue
		}
		google++
		if len(c.Identifiers) != 0 || c.GCLID == "" {
			t.Errorf("line %d: google got %d identifiers, gclid %q; want the click id alone", c.Line, len(c.Identifiers), c.GCLID)
		}
	}
	if google != 1 || sum.Conversions["google"] != 1 || sum.Conversions["meta"] != 2 {
		t.Fatalf("google %d, conversions %v", google, sum.Conversions)
	}
	if sum.Skipped["google"][ReasonNoClickID] != 1 || sum.Excluded[ReasonNoClickID] != 1 || sum.RowsUsed != 2 {
		t.Errorf("skipped %v excluded %v used %d", sum.Skipped, sum.Excluded, sum.RowsUsed)
	}
	// Listing an identifier for Google is the explicit choice: a row
	// without a click id goes with its hash, and one with nothing at all
	// is no_identifier as before.
	cfg.Destinations.Google.Identifiers = []string{"email"}
	cfg.Destinations.Meta.Enabled = false
	sink, sum = run(t, cfg, body)
	if len(sink.got) != 2 || sum.Excluded[ReasonNoIdentifier] != 1 || sum.Excluded[ReasonNoClickID] != 0 {
		t.Errorf("with email listed: %d conversions, excluded %v", len(sink.got), sum.Excluded)
	}
}

func TestMultipleEmailsAndPlatformForms(t *testing.T) {
	body := "A1,2026-11-02 09:00,completed,A.B+x@gmail.com,c@example.com,0912-345-678,,,,,yes,\n"
	sink, _ := run(t, baseConfig(), body)
	if len(sink.got) != 2 {
		t.Fatalf("%d conversions", len(sink.got))
	}
	g, m := sink.got[0], sink.got[1]
	if len(g.Identifiers) != 3 || len(m.Identifiers) != 3 {
		t.Fatalf("identifiers: google %d meta %d, want 3 each", len(g.Identifiers), len(m.Identifiers))
	}
	if g.Identifiers[0] == m.Identifiers[0] || g.Identifiers[2] == m.Identifiers[2] {
		t.Error("gmail and phone hash alike on both platforms; their rules differ")
	}
	if g.Identifiers[1] != m.Identifiers[1] {
		t.Error("a plain example.com address should hash alike on both platforms")
	}
	if g.EventID != m.EventID || g.Time.Format("15:04 -07:00") != "09:00 +08:00" {
		t.Errorf("event id or time differ: %v", g.Time)
	}
}

func TestGoogleIdentifierCap(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.Email = []string{"e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11", "e12"}
	cfg.Destinations.Meta.Enabled = false
	cfg.Destinations.Google.Identifiers = []string{"email"}
	hdr := "id,at,status,e1,e2,e3,e4,e5,e6,e7,e8,e9,e10,e11,e12,phone,first,last,zip,country,consent,gclid\n"
	row := "A1,2026-11-02 09:00,completed"
	for i := 1; i <= 12; i++ {
		row += ",p" + string(rune('a'+i)) + "@example.com"
	}
	row += ",,,,,,yes,\n"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink, sum := &capture{}, report.New("t")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(hdr + row), InputName: "t", Sink: sink}, sum); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.got[0].Identifiers); n != 10 {
		t.Errorf("%d identifiers sent to google, limit 10", n)
	}
	if sum.Dropped["google email over_identifier_limit"] != 2 {
		t.Errorf("dropped %v", sum.Dropped)
	}
}

func TestCancelledContextStops(t *testing.T) {
	cfg := baseConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Run(ctx, Options{Config: cfg, Key: "k", Input: strings.NewReader(header + "A1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes,\n"), InputName: "t", Sink: &capture{}}, report.New("t"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestRevocationsMatchOrderPatientOrEventID(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "last" // any column serves as the patient key here
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,,CHART-1,,,yes,\n" +
		"A2,2026-11-02 09:00,completed,b@example.com,,,,CHART-2,,,yes,\n" +
		"A3,2026-11-02 09:00,completed,c@example.com,,,,CHART-3,,,yes,\n" +
		"A4,2026-11-02 09:00,completed,d@example.com,,,,CHART-4,,,yes,\n"
	a3, _ := eventid.NewDeriver("k").Derive("A3")
	rev := consent.NewRevocations("A1", "CHART-2", string(a3))
	sink, sum := &capture{}, report.New("t")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t", Sink: sink, Revocations: rev}, sum); err != nil {
		t.Fatal(err)
	}
	if sum.Excluded[consent.ReasonListed] != 3 || sum.RowsUsed != 1 || sink.got[0].Line != 5 {
		t.Fatalf("excluded %v, used %d", sum.Excluded, sum.RowsUsed)
	}
}

// TestExternalIDIsKeyedFromThePatientKey: Meta's external_id comes from
// input.columns.patient_key, the same for every visit of a patient, and is
// not the plain SHA-256 of the chart number (which anyone could reverse by
// trying every chart number).
func TestExternalIDIsKeyedFromThePatientKey(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "last"
	cfg.Destinations.Meta.Identifiers = []string{"email", "external_id"}
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,,CHART-7,,,yes,\n" +
		"A2,2026-11-09 09:00,completed,b@example.com,,,,CHART-7,,,yes,\n" +
		"A3,2026-11-09 09:00,completed,c@example.com,,,,CHART-8,,,yes,\n"
	sink, _ := run(t, cfg, body)
	ext := map[int]string{}
	for _, cv := range sink.got {
		for _, s := range cv.Identifiers {
			if s.Field() == identifier.ExternalID {
				if cv.Platform != identifier.Meta {
					t.Fatalf("external_id sent to %s", cv.Platform)
				}
				ext[cv.Line] = s.Text()
			}
		}
	}
	plain := sha256.Sum256([]byte("chart-7"))
	switch {
	case len(ext) != 3:
		t.Fatalf("external ids %v", ext)
	case ext[2] != ext[3] || ext[2] == ext[4]:
		t.Errorf("not one id per patient: %v", ext)
	case ext[2] == hex.EncodeToString(plain[:]) || strings.Contains(ext[2], "CHART"):
		t.Error("external_id is the plain hash of the chart number")
	case len(ext[2]) != 64:
		t.Errorf("external_id %q is not a SHA-256 hex", ext[2])
	}
}
