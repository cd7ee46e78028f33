package pipeline

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/report"
)

// Meta's own example fbclid (fbp-and-fbc page).
const metaFBCLID = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"

func fbcConfig() *config.Config {
	c := baseConfig()
	c.Input.Columns = config.Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Email: []string{"email"},
		Consent: "consent", FBCLID: "fbclid", BookedAt: "booked",
	}
	c.Destinations.Google.Identifiers = []string{"email"}
	c.Destinations.Meta.Identifiers = []string{"email"}
	return c
}

func runFBC(t *testing.T, cfg *config.Config, header, body string) (*capture, *report.Summary) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	sum := report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv", Sink: sink}, sum); err != nil {
		t.Fatal(err)
	}
	return sink, sum
}

// fbcs returns each line's Meta fbc, and fails if Google got one.
func fbcs(t *testing.T, c *capture) map[int]string {
	t.Helper()
	out := map[int]string{}
	for _, cv := range c.got {
		switch cv.Platform {
		case identifier.Meta:
			out[cv.Line] = cv.Formatted
		default:
			if cv.Formatted != "" {
				t.Errorf("line %d: %s got a formatted click id %q", cv.Line, cv.Platform, cv.Formatted)
			}
		}
	}
	return out
}

const fbcHeader = "id,at,status,email,consent,fbclid,booked\n"

// TestFBCIsDatedByTheBookingElseTheAppointment: fb.1.<ms>.<fbclid>, the
// milliseconds those of booked_at when the row has one, else of the
// appointment time (issue 27 point 5).
func TestFBCIsDatedByTheBookingElseTheAppointment(t *testing.T) {
	body := "A1,2026-11-02 09:00,completed,a@example.com,yes," + metaFBCLID + ",2026-10-20 14:30\n" +
		"A2,2026-11-02 10:00,completed,b@example.com,yes," + metaFBCLID + ",\n" +
		"A3,2026-11-02 11:00,completed,c@example.com,yes,,2026-10-21 08:00\n"
	got := fbcs(t, must(runFBC(t, fbcConfig(), fbcHeader, body)))
	taipei, _ := time.LoadLocation("Asia/Taipei")
	booked := time.Date(2026, 10, 20, 14, 30, 0, 0, taipei).UnixMilli()
	appt := time.Date(2026, 11, 2, 10, 0, 0, 0, taipei).UnixMilli()
	want := map[int]string{
		2: "fb.1." + itoa(booked) + "." + metaFBCLID,
		3: "fb.1." + itoa(appt) + "." + metaFBCLID,
		4: "",
	}
	for line, w := range want {
		if got[line] != w {
			t.Errorf("line %d: fbc %q, want %q", line, got[line], w)
		}
	}
}

// TestFBCIsTheSameWhateverTheExportDoes: re-saving the export with
// booked_at written another way (ROC dates, 上午/下午 times), reordering its
// rows or its columns changes no fbc.
func TestFBCIsTheSameWhateverTheExportDoes(t *testing.T) {
	rows := [][]string{
		{"A1", "2026-11-02 09:00", "completed", "a@example.com", "yes", metaFBCLID, "2026-10-20 14:30"},
		{"A2", "2026-11-03 10:00", "completed", "b@example.com", "yes", "IwZXh0bgNhZW0CMTAAAR3hNDkYq2Vb7_aem_ZmFrZWR1bW15MTZieXRlcw", "2026-10-21 09:05"},
	}
	resaved := [][]string{
		{"A2", "2026-11-03 10:00", "completed", "b@example.com", "yes", "IwZXh0bgNhZW0CMTAAAR3hNDkYq2Vb7_aem_ZmFrZWR1bW15MTZieXRlcw", "115/10/21 上午 09:05"},
		{"A1", "2026-11-02 09:00", "completed", "a@example.com", "yes", metaFBCLID, "115/10/20 下午 02:30"},
	}
	byID := func(c *capture) map[string]string {
		m := map[string]string{}
		for _, cv := range c.got {
			if cv.Platform == identifier.Meta {
				m[string(cv.EventID)] = cv.Formatted
			}
		}
		return m
	}
	base := byID(must(runFBC(t, fbcConfig(), fbcHeader, csvRows(rows, []int{0, 1, 2, 3, 4, 5, 6}))))
	other := byID(must(runFBC(t, fbcConfig(), "booked,fbclid,consent,email,status,at,id\n", csvRows(resaved, []int{6, 5, 4, 3, 2, 1, 0}))))
	if len(base) != 2 {
		t.Fatalf("base: %v", base)
	}
	for id, fbc := range base {
		if fbc == "" || other[id] != fbc {
			t.Errorf("event %s: fbc %q after re-saving, %q before", id, other[id], fbc)
		}
	}
}

// TestFBCLIDThatIsNoClickIDIsDroppedAndCounted: an fbclid cell holding
// typed text, a health term or the row's own e-mail is never sent; it is
// counted under meta fbclid with its reason, and the row still goes to
// Meta without an fbc.
func TestFBCLIDThatIsNoClickIDIsDroppedAndCounted(t *testing.T) {
	body := "A1,2026-11-02 09:00,completed,a@example.com,yes,Patient Mary Wang implant,\n" +
		"A2,2026-11-02 10:00,completed,wangxiaoming88@example.com,yes,Xk3_wangxiaoming88-Qz9dJ2pL7mN4bV1cX8zR5tY,\n" +
		"A3,2026-11-02 11:00,completed,c@example.com,yes,=HYPERLINK(\"http://x\"),\n"
	c, sum := runFBC(t, fbcConfig(), fbcHeader, body)
	for line, fbc := range fbcs(t, c) {
		if fbc != "" {
			t.Errorf("line %d: sent fbc %q", line, fbc)
		}
	}
	if n := sum.Conversions["meta"]; n != 3 {
		t.Errorf("meta conversions %d, want 3 (the rows go without fbc)", n)
	}
	if sum.Dropped["meta fbclid click_id_invalid"] != 2 || sum.Dropped["meta fbclid click_id_row_value"] != 1 {
		t.Errorf("dropped %v", sum.Dropped)
	}
}

// TestFBCWithoutBookedAtAndAnUnreadableOne: without a booked_at column
// the appointment dates the fbc; an unreadable booked_at is noted and the
// appointment dates it too; a booked_at after the appointment cannot be
// when the click id arrived, so the appointment does.
func TestFBCWithoutBookedAtAndAnUnreadableOne(t *testing.T) {
	cfg := fbcConfig()
	body := "A1,2026-11-02 09:00,completed,a@example.com,yes," + metaFBCLID + ",not a date\n" +
		"A2,2026-11-02 10:00,completed,b@example.com,yes," + metaFBCLID + ",2026-11-05 10:00\n"
	c, sum := runFBC(t, cfg, fbcHeader, body)
	taipei, _ := time.LoadLocation("Asia/Taipei")
	got := fbcs(t, c)
	if w := "fb.1." + itoa(time.Date(2026, 11, 2, 9, 0, 0, 0, taipei).UnixMilli()) + "." + metaFBCLID; got[2] != w {
		t.Errorf("unreadable booked_at: fbc %q, want %q", got[2], w)
	}
	if w := "fb.1." + itoa(time.Date(2026, 11, 2, 10, 0, 0, 0, taipei).UnixMilli()) + "." + metaFBCLID; got[3] != w {
		t.Errorf("booked after the visit: fbc %q, want %q", got[3], w)
	}
	if sum.Notes[NoteBookedAtUnreadable] != 1 {
		t.Errorf("notes %v", sum.Notes)
	}
	cfg = fbcConfig()
	cfg.Input.Columns.BookedAt = ""
	c, _ = runFBC(t, cfg, "id,at,status,email,consent,fbclid\n", "A1,2026-11-02 09:00,completed,a@example.com,yes,"+metaFBCLID+"\n")
	if w := "fb.1." + itoa(time.Date(2026, 11, 2, 9, 0, 0, 0, taipei).UnixMilli()) + "." + metaFBCLID; fbcs(t, c)[2] != w {
		t.Errorf("no booked_at column: fbc %q, want %q", fbcs(t, c)[2], w)
	}
}

func must(c *capture, _ *report.Summary) *capture { return c }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
