package pipeline

import (
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
)

// patientRows writes n rows of the columns named in header, each cell
// from cells by header name (absent: blank).
func patientRows(header string, n int, cells map[string]string) string {
	var b strings.Builder
	names := strings.Split(strings.TrimSuffix(header, "\n"), ",")
	for i := range n {
		for j, h := range names {
			if j > 0 {
				b.WriteByte(',')
			}
			if h == "id" {
				b.WriteString("A" + string(rune('a'+i)))
				continue
			}
			b.WriteString(cells[h])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestPatientDateErrorsNameTheirCell: the errors a birth date or an
// expiry stops the run with name file:line:column of the cell (the
// first offending row's), as an appointment date's do — not column 0,
// which they named while their columns' positions were lost when the
// row was detached for the workers. Columns counted in bytes from 1;
// the reordered header moves the cell, and the message with it.
func TestPatientDateErrorsNameTheirCell(t *testing.T) {
	const reordered = "id,dob,expires,at,status,email,consent\n"
	cells := map[string]string{"at": "2026-11-02 09:00", "status": "completed", "email": "a@example.com", "consent": "yes"}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for h, c := range cells {
			if _, ok := m[h]; !ok {
				m[h] = c
			}
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		cells  map[string]string
		config func(cfg *config.Config)
		// where in patientHeader ("id,at,status,email,consent,dob,expires")
		// and in reordered ("id,dob,expires,at,...") the cell is: "Aa," is
		// 3 bytes, "2026-11-02 09:00," 17, "completed," 10,
		// "a@example.com," 14, "yes," 4.
		want, wantReordered string
	}{
		{"a two-digit birth year", with("dob", "77/11/28"), func(c *config.Config) { c.Input.DateOrder = "ymd" },
			"input.columns.birth_date: t.csv:2:49:", "input.columns.birth_date: t.csv:2:4:"},
		{"an unreadable birth date", with("dob", "1990/13/45"), nil,
			"input.columns.birth_date: t.csv:2:49:", "input.columns.birth_date: t.csv:2:4:"},
		{"an expiry that needs input.date_order", with("expires", "04/05/2027"), nil,
			"input.date_order: t.csv:2:50:", "input.date_order: t.csv:2:5:"},
		{"an unreadable expiry", with("expires", "2027-99-99"), nil,
			"input.columns.consent_expires_at: t.csv:2:50:", "input.columns.consent_expires_at: t.csv:2:5:"},
		// The appointment carries its offset ("2026-11-02T09:00:00+08:00,"
		// is 26 bytes): the expiry stops the run.
		{"an expiry without a zone", map[string]string{"at": "2026-11-02T09:00:00+08:00", "status": "completed", "email": "a@example.com", "consent": "yes", "expires": "2027-01-01 10:00"},
			func(c *config.Config) { c.Timezone = "" }, "timezone: t.csv:2:59:", "timezone: t.csv:2:5:"},
	} {
		for _, h := range []struct{ header, want string }{{patientHeader, tc.want}, {reordered, tc.wantReordered}} {
			for _, workers := range []int{1, 4} {
				cfg := patientConfig()
				if tc.config != nil {
					tc.config(cfg)
				}
				_, _, err := runPatients(t, cfg, h.header, patientRows(h.header, 20, tc.cells), workers)
				if err == nil || !strings.HasPrefix(err.Error(), h.want) {
					t.Errorf("%s, %q, %d workers: got %v, want %q…", tc.name, h.header, workers, err, h.want)
				}
			}
		}
	}
}
