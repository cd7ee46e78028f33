package pipeline

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/keyset"
)

// fanRow is a row of order id under patient key pk (blank: none) carrying
// phone, with consent c.
func fanRow(id, phone, pk, c string) string {
	return fmt.Sprintf("%s,2026-10-15 09:00,completed,,,%s,%s,,,,%s,\n", id, phone, pk, c)
}

// household is withdrawers patients revoking, all carrying one phone, and
// others charts of other patient keys carrying it with consent yes.
func household(withdrawers, others int) []string {
	var rows []string
	for i := range withdrawers {
		rows = append(rows, fanRow(fmt.Sprintf("W%d", i), "0912-555-100", fmt.Sprintf("PW%d", i), "revoked"))
	}
	for i := range others {
		rows = append(rows, fanRow(fmt.Sprintf("K%d", i), "0912-555-100", fmt.Sprintf("PK%d", i), "yes"))
	}
	return rows
}

// TestFanOutEdges: the alarm is judged per identifier, past
// max(fanOutMin, fanOutPer × the patients whose rows withdrew it) other
// patient keys, each edge from both sides. A family of 7 on one phone
// (6 others) raised exit 3 under the old max(5, …); so did 11.
func TestFanOutEdges(t *testing.T) {
	for _, c := range []struct {
		name                string
		withdrawers, others int
		alarm               bool
	}{
		{"family of 7", 1, 6, false},
		{"11 charts, one withdraws: 10 others", 1, 10, false},
		{"12 charts, one withdraws: 11 others", 1, 11, true},
		{"two withdrawers, 10 others", 2, 10, false},
		{"two withdrawers, 11 others", 2, 11, true},
		{"four withdrawers, 12 others", 4, 12, false}, // max(10, 12)
		{"four withdrawers, 13 others", 4, 13, true},
	} {
		_, sum := runRows(t, baseConfig(), household(c.withdrawers, c.others), nil)
		f := sum.IdentifierFanOut
		if (f != nil) != c.alarm || f != nil && (!f.Tonight || f.PatientKeys != c.others) {
			t.Errorf("%s: alarm %+v, want %v", c.name, f, c.alarm)
		}
		if got := sum.Excluded[ReasonIdentifierWithdrawn]; got != c.others {
			t.Errorf("%s: %s %d, want %d", c.name, ReasonIdentifierWithdrawn, got, c.others)
		}
	}
}

// TestFanOutCountsKeysNotRows: a mother withdraws and her phone is on
// her 4 children's charts, each visiting 3 times: 12 rows withdrawn, 4
// other patient keys — no alarm (counted by rows, 12 > 10 raised one).
func TestFanOutCountsKeysNotRows(t *testing.T) {
	rows := household(1, 0)
	for k := range 4 {
		for v := range 3 {
			rows = append(rows, fanRow(fmt.Sprintf("C%d-%d", k, v), "0912-555-100", fmt.Sprintf("PC%d", k), "yes"))
		}
	}
	_, sum := runRows(t, baseConfig(), rows, nil)
	if f := sum.IdentifierFanOut; f != nil {
		t.Errorf("4 children's 12 visits: alarm %+v, want none", f)
	}
	if got := sum.Excluded[ReasonIdentifierWithdrawn]; got != 12 {
		t.Errorf("%s %d, want 12", ReasonIdentifierWithdrawn, got)
	}
}

// TestFanOutPerIdentifier: 20 unrelated withdrawals tonight, one of them
// carrying a placeholder phone that 50 other charts carry: 50 ≤ 3 × 20
// kept the summed alarm silent; the placeholder alone crosses.
func TestFanOutPerIdentifier(t *testing.T) {
	var rows []string
	for i := range 20 {
		rows = append(rows, fanRow(fmt.Sprintf("W%d", i), fmt.Sprintf("0912-555-%03d", i), fmt.Sprintf("PW%d", i), "revoked"))
	}
	rows[0] = "W0,2026-10-15 09:00,completed,,,0912-555-000;0912-999-999,PW0,,,,revoked,\n"
	for i := range 50 {
		rows = append(rows, fanRow(fmt.Sprintf("K%d", i), "0912-999-999", fmt.Sprintf("PK%d", i), "yes"))
	}
	_, sum := runRows(t, baseConfig(), rows, nil)
	if f := sum.IdentifierFanOut; f == nil || !f.Tonight || f.PatientKeys != 50 || f.Rows != 50 {
		t.Errorf("alarm %+v (excluded %v); want 50 other keys by one identifier", f, sum.Excluded)
	}
}

// TestFanOutKeylessRowsCount: rows with a blank patient key count as a
// key each; the summed alarm skipped them.
func TestFanOutKeylessRowsCount(t *testing.T) {
	for _, n := range []int{10, 11} {
		rows := []string{fanRow("W0", "0912-555-100", "PW0", "revoked")}
		for i := range n {
			rows = append(rows, fanRow(fmt.Sprintf("K%d", i), "0912-555-100", "", "yes"))
		}
		_, sum := runRows(t, baseConfig(), rows, nil)
		if f := sum.IdentifierFanOut; (f != nil) != (n > fanOutMin) || sum.Excluded[ReasonIdentifierWithdrawn] != n {
			t.Errorf("%d keyless rows: alarm %+v, excluded %v", n, f, sum.Excluded)
		}
	}
}

// TestFanOutRememberedFamilyNotPatient: night 2 of the review's families.
// Three mothers withdrew last night; tonight only their six children
// visit, carrying their mothers' phones the ledger remembers. They are
// withdrawn (default-deny) and nothing is alarmed: the summed rule
// compared 6 keys with max(5, 3 × 0) and exited 3 every such night.
func TestFanOutRememberedFamilyNotPatient(t *testing.T) {
	d := eventid.NewDeriver("k")
	ids := keyset.NewMins("", keyset.Sizes{})
	for _, p := range []string{"+886912555101", "+886912555102", "+886912555103"} {
		if err := ids.Note(d.RevokedIdentifier("phone", p), 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := ids.Freeze(); err != nil {
		t.Fatal(err)
	}
	revoked := &PatientRevocations{PriorIdentifiers: ids}
	defer revoked.Close()
	var rows []string
	for i := range 6 {
		rows = append(rows, fanRow(fmt.Sprintf("K%d", i), fmt.Sprintf("0912-555-10%d", 1+i/2), fmt.Sprintf("PK%d", i), "yes"))
	}
	_, sum := runRows(t, baseConfig(), rows, revoked)
	if sum.IdentifierFanOut != nil || sum.Excluded[ReasonIdentifierWithdrawn] != 6 {
		t.Errorf("alarm %+v, excluded %v; want none and 6 %s", sum.IdentifierFanOut, sum.Excluded, ReasonIdentifierWithdrawn)
	}
}

// TestFanOutIsRowOrderFree: the alarm and its counts do not change with
// the rows' order — the withdrawing row last or first, the rows reversed
// or rotated (a re-saved or re-sorted export); only the row it names
// first follows the order, as every file:line does.
func TestFanOutIsRowOrderFree(t *testing.T) {
	base := household(2, 11)
	reversed := func(rows []string) []string {
		out := slices.Clone(rows)
		slices.Reverse(out)
		return out
	}
	for _, c := range []struct {
		name string
		rows []string
	}{
		{"as written", base},
		{"reversed", reversed(base)},
		{"rotated", append(append([]string(nil), base[5:]...), base[:5]...)},
	} {
		_, sum := runRows(t, baseConfig(), c.rows, nil)
		f := sum.IdentifierFanOut
		if f == nil || !f.Tonight || f.PatientKeys != 11 || f.Rows != 11 {
			t.Errorf("%s: alarm %+v, want tonight, 11 other keys, 11 rows", c.name, f)
		}
	}
}

// rememberedLedger is what the ledger remembers: the phones (as
// identifier.Canonical writes them), each undated, and for each of
// withdrawers (phone → patients, when more than one) how many patients'
// withdrawals carried it (PatientRevocations.IdentifierWithdrawers).
func rememberedLedger(t *testing.T, phones []string, withdrawers map[string]int) *PatientRevocations {
	t.Helper()
	d := eventid.NewDeriver("k")
	ids := keyset.NewMins("", keyset.Sizes{})
	var ws *keyset.Mins
	for _, p := range phones {
		if err := ids.Note(d.RevokedIdentifier("phone", p), 0); err != nil {
			t.Fatal(err)
		}
		if n := withdrawers[p]; n > 1 {
			if ws == nil {
				ws = keyset.NewMins("", keyset.Sizes{})
			}
			if err := ws.Note(d.RevokedIdentifier("phone", p), -int64(n)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range []*keyset.Mins{ids, ws} {
		if m != nil {
			if err := m.Freeze(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &PatientRevocations{PriorIdentifiers: ids, IdentifierWithdrawers: ws}
}

// rememberedNight is a later night: six remembered family phones, each on
// three children's charts (18 other keys in all), and, when placeholder
// is above 0, a remembered placeholder phone on that many other charts.
func rememberedNight(placeholder int) (phones, rows []string) {
	for f := range 6 {
		phones = append(phones, fmt.Sprintf("+88691255510%d", f))
		for c := range 3 {
			rows = append(rows, fanRow(fmt.Sprintf("F%d-%d", f, c), fmt.Sprintf("0912-555-10%d", f), fmt.Sprintf("PF%d-%d", f, c), "yes"))
		}
	}
	phones = append(phones, "+886912999999")
	for i := range placeholder {
		rows = append(rows, fanRow(fmt.Sprintf("P%d", i), "0912-999-999", fmt.Sprintf("PP%d", i), "yes"))
	}
	return phones, rows
}

// TestFanOutRememberedPerIdentifier: the ledger's identifiers are judged
// each on its own. Six remembered family phones on three children's
// charts each (18 other keys) raised the summed alarm (18 > 10) and alarm
// nothing now; a remembered placeholder on 11 other charts beside them
// crosses alone (it hid in the sum: 29, as families' 18 did), and exits 3
// as tonight's does; on 10 it is quiet.
func TestFanOutRememberedPerIdentifier(t *testing.T) {
	for _, c := range []struct {
		placeholder int
		alarm       bool
	}{{0, false}, {10, false}, {11, true}, {40, true}} {
		phones, rows := rememberedNight(c.placeholder)
		revoked := rememberedLedger(t, phones, nil)
		_, sum := runRows(t, baseConfig(), rows, revoked)
		revoked.Close()
		f := sum.IdentifierFanOut
		if (f != nil) != c.alarm || f != nil && (f.Tonight || f.RememberedKeys != c.placeholder || !f.Exits()) {
			t.Errorf("placeholder on %d charts beside 6 families: alarm %+v, want %v", c.placeholder, f, c.alarm)
		}
		if got := sum.Excluded[ReasonIdentifierWithdrawn]; got != 18+c.placeholder {
			t.Errorf("placeholder on %d: %s %d, want %d", c.placeholder, ReasonIdentifierWithdrawn, got, 18+c.placeholder)
		}
	}
}

// TestFanOutRememberedWithdrawers: a remembered identifier the ledger
// remembers for four withdrawn patients is judged as four withdrawers'
// tonight are, past max(10, 3 × 4): the withdrawal night's verdict and a
// later night's agree.
func TestFanOutRememberedWithdrawers(t *testing.T) {
	for _, others := range []int{12, 13} {
		phones, rows := rememberedNight(others)
		revoked := rememberedLedger(t, phones, map[string]int{"+886912999999": 4})
		_, sum := runRows(t, baseConfig(), rows, revoked)
		revoked.Close()
		if f := sum.IdentifierFanOut; (f != nil) != (others > 12) {
			t.Errorf("four withdrawers, %d others: alarm %+v", others, f)
		}
	}
}

// TestFanOutRememberedIsRowOrderFree: the remembered placeholder's
// verdict and counts are the same with the rows reversed or rotated.
func TestFanOutRememberedIsRowOrderFree(t *testing.T) {
	phones, base := rememberedNight(11)
	reversed := slices.Clone(base)
	slices.Reverse(reversed)
	for _, rows := range [][]string{base, reversed, append(slices.Clone(base[20:]), base[:20]...)} {
		revoked := rememberedLedger(t, phones, nil)
		_, sum := runRows(t, baseConfig(), rows, revoked)
		revoked.Close()
		if f := sum.IdentifierFanOut; f == nil || f.RememberedKeys != 11 || f.Rows != 29 || f.Tonight {
			t.Errorf("alarm %+v, want 11 remembered other keys of 29 rows", f)
		}
	}
}
