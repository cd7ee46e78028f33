package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sonCarryingHerPhone is her adult son's visit on day (of 115/11), on
// his own chart but with his mother's phone (0912-700-001, hers in
// herVisit1), as a family practice's charts hold it.
func sonCarryingHerPhone(day string) string {
	return "C8642097,病患c,115/11/" + day + ",上午 11:00,已完成,0912-700-001,同意,1500\n"
}

// TestLedgerFindCountsOthersEventsCarryingHerPhone (a review of a family
// practice): a mother's phone is also on her son's chart; his events
// carried her hashed phone to Google and Meta. find for her listed her
// own rows only — right: his events are his records — but did not say
// that other events carried her identifier, which is her personal data
// sent to a platform. It now says, per destination, how many (counts
// only, nothing of him), and says nothing for a patient whose
// identifiers no one else carries.
func TestLedgerFindCountsOthersEventsCarryingHerPhone(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	// Exact counts (min_cell 1, the clinic's own eyes): small ones are
	// withheld by default (TestLedgerFindWithholdsSmallCarriedCounts).
	cfg := twComposite(t, gURL, mURL, exactCounts)
	nights := []string{
		twExport(t, herVisit1+sonCarryingHerPhone("18")+otherPatient("18")),
		// A rolling export: his visit of the 18th again (one event,
		// counted once), and his visit of the 19th.
		twExport(t, herVisit2+sonCarryingHerPhone("18")+sonCarryingHerPhone("19")+otherPatient("19")),
	}
	uploadNights(t, env, cfg, nights)
	find := func(key string, extra ...string) result {
		list := filepath.Join(t.TempDir(), "request.txt")
		if err := os.WriteFile(list, []byte(key+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runGoogle(t, env, "", true, append(append([]string{"ledger", "find", "--config", cfg, "--patients", list}, extra...), nights...)...)
		if r.code != 0 {
			t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		return r
	}
	her := find("A007001")
	t.Logf("\n%s%s", her.stdout, her.stderr)
	if !strings.Contains(her.stdout, "# 1 listed patient(s), 1 found in the input; 2 row(s); 4 event record(s) in the ledger") {
		t.Errorf("her own answer changed: want her 2 visits × 2 destinations\n%s", her.stdout)
	}
	for _, dest := range []string{"google:", "meta:"} {
		want := "also carried by other charts: phone: 2 event(s) of other patient keys sent to " + dest
		if !strings.Contains(her.stdout, want) {
			t.Errorf("the answer lacks %q (his 2 visits carried her phone there)\n%s", want, her.stdout)
		}
	}
	if n := strings.Count(her.stdout, "also carried"); n != 2 {
		t.Errorf("%d \"also carried\" lines, want one per destination\n%s", n, her.stdout)
	}
	js := find("A007001", "--json")
	var out struct {
		Carried []struct {
			Destination string         `json:"destination"`
			Sent        *int           `json:"sent"`
			States      map[string]int `json:"states"`
		} `json:"carried_by_others"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &out); err != nil || len(out.Carried) != 2 {
		t.Fatalf("--json: carried_by_others %+v (%v), want one per destination\n%s", out.Carried, err, js.stdout)
	}
	for _, c := range out.Carried {
		if c.Sent == nil || *c.Sent != 2 || c.States["ingested"] != 2 {
			t.Errorf("--json: %s: sent %v, states %v; want his 2 visits, ingested", c.Destination, c.Sent, c.States)
		}
	}
	// Nothing of the son: not his key or name, not his lines, not his
	// event ids (his own find lists them).
	son := find("C8642097")
	var sonIDs []string
	for _, l := range strings.Split(son.stdout, "\n") {
		if f := strings.Split(l, "\t"); len(f) == 11 && f[0] != "row" {
			sonIDs = append(sonIDs, f[1])
		}
	}
	if len(sonIDs) != 4 {
		t.Fatalf("his own find: %d event lines, want his 2 visits × 2 destinations\n%s", len(sonIDs), son.stdout)
	}
	printed := her.stdout + her.stderr + js.stdout + js.stderr
	for _, raw := range append(sonIDs, "C8642097", "8642097", "病患", "0912-700", "912700001", "115/11/", nights[0]+":3", nights[1]+":3", nights[1]+":4") {
		if strings.Contains(printed, raw) {
			t.Errorf("her answer names something of her son (%q)", raw)
		}
	}
	// The other patient's phone is on no one else's chart.
	other := find("00007002")
	if strings.Contains(other.stdout, "also carried") {
		t.Errorf("a patient whose identifiers nobody else carries: an \"also carried\" line\n%s", other.stdout)
	}
	otherJS := find("00007002", "--json")
	if !strings.Contains(otherJS.stdout, `"carried_by_others": []`) {
		t.Errorf("--json for a patient whose identifiers nobody else carries: want carried_by_others []\n%s", otherJS.stdout)
	}
	// An export given on standard input cannot be read twice: said so.
	list := filepath.Join(t.TempDir(), "request.txt")
	if err := os.WriteFile(list, []byte("A007001\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdin := runGoogle(t, env, mustRead(t, nights[0]), true, "ledger", "find", "--config", cfg, "--patients", list, "-")
	if stdin.code != 0 || !strings.Contains(stdin.stdout, "also carried by other charts: unknown: ") {
		t.Errorf("an export on standard input: exit %d; want the count said unknown\n%s%s", stdin.code, stdin.stdout, stdin.stderr)
	}
}

// TestLedgerFindCountsOnlyWhereHerIdentifierWent: the son's rows carry
// her phone and his own e-mail; Google is configured to receive e-mail
// only, Meta both. His Google events carried nothing of hers: only Meta's
// are counted.
func TestLedgerFindCountsOnlyWhereHerIdentifierWent(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, func(s string) string {
		return strings.NewReplacer(
			"    phone: [\"手機\"]\n", "    phone: [\"手機\"]\n    email: [\"電子郵件\"]\n",
			"    identifiers: [phone]\n    endpoint", "    identifiers: [email]\n    endpoint",
			"    identifiers: [phone]\n    graph_url", "    identifiers: [email, phone]\n    graph_url",
		).Replace(s)
	})
	exp := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(exp, []byte("病歷號碼,姓名,就診日期,就診時間,到診狀態,手機,行銷同意,自費金額,電子郵件\n"+
		"A007001,病患a,115/11/18,上午 09:00,已完成,0912-700-001,同意,1500,mother.k@example.com\n"+
		"C8642097,病患c,115/11/18,上午 11:00,已完成,0912-700-001,同意,1500,son.k@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	uploadNights(t, env, cfg, []string{exp})
	r := runGoogle(t, env, "A007001\n", true, "ledger", "find", "--config", cfg, "--patients", "-", exp)
	t.Logf("\n%s%s", r.stdout, r.stderr)
	if r.code != 0 || !strings.Contains(r.stdout, "2 event record(s) in the ledger") {
		t.Fatalf("ledger find: exit %d; want her visit at both destinations\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "also carried by other charts: phone: fewer than 5 event(s) of other patient keys sent to meta:") ||
		strings.Contains(r.stdout, "sent to google:") {
		t.Errorf("want his Meta event counted (her phone went there), not his Google one (e-mail only: his own)\n%s", r.stdout)
	}
	if strings.Contains(r.stdout+r.stderr, "example.com") || strings.Contains(r.stdout+r.stderr, "C8642097") {
		t.Errorf("a raw value printed\n%s%s", r.stdout, r.stderr)
	}
}

// TestLedgerFindCountsFoldedOnlyRowsAsOthers: a row whose key matches hers
// only when case is ignored (a007001 for A007001) may be another
// patient's; it is named on stderr, and unless --folded lists it as hers
// its events that carried her phone are counted with the others'.
func TestLedgerFindCountsFoldedOnlyRowsAsOthers(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	exp := twExport(t, herVisit1+"a007001,病患d,115/11/18,上午 11:00,已完成,0912-700-001,同意,1500\n")
	uploadNights(t, env, cfg, []string{exp})
	r := runGoogle(t, env, "A007001\n", true, "ledger", "find", "--config", cfg, "--patients", "-", exp)
	if r.code != 0 || !strings.Contains(r.stderr, "match only when case or leading zeros are ignored") ||
		strings.Count(r.stdout, "also carried by other charts: phone: fewer than 5 event(s) of other patient keys sent to ") != 2 {
		t.Errorf("without --folded: exit %d; want the row named on stderr and its events counted, one line per destination\n%s%s", r.code, r.stdout, r.stderr)
	}
	folded := runGoogle(t, env, "A007001\n", true, "ledger", "find", "--config", cfg, "--patients", "-", "--folded", exp)
	if folded.code != 0 || !strings.Contains(folded.stdout, "2 row(s); 4 event record(s)") || strings.Contains(folded.stdout, "also carried") {
		t.Errorf("--folded: exit %d; want the row listed as hers, not counted as another's\n%s%s", folded.code, folded.stdout, folded.stderr)
	}
}

// TestLedgerFindStopsCountingAPlaceholder (a review of the day's diff,
// 2026-12-07): a placeholder phone on every chart made find keep every
// matching event's id and read every request once per 1024 of them — the
// whole clinic, for a count that says nothing of her. Rows of more than
// 50 other patient keys carrying hers stop the count, and the answer says
// the identifier looks shared by many charts (counts only, never the
// value); rows of 50 are still counted, each event once.
func TestLedgerFindStopsCountingAPlaceholder(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	charts := func(n int) string {
		var b strings.Builder
		b.WriteString(herVisit1)
		for i := range n {
			fmt.Fprintf(&b, "C86%05d,病患c,115/11/18,上午 11:00,已完成,0912-700-001,同意,1500\n", i)
		}
		return b.String()
	}
	sixty := twExport(t, charts(60))
	uploadNights(t, env, cfg, []string{sixty})
	find := func(exp string, extra ...string) result {
		r := runGoogle(t, env, "A007001\n", true, append([]string{"ledger", "find", "--config", cfg, "--patients", "-", exp}, extra...)...)
		if r.code != 0 {
			t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		return r
	}
	r := find(sixty)
	t.Logf("\n%s%s", r.stdout, r.stderr)
	if !strings.Contains(r.stdout, "also carried by other charts: phone: more than 50 other patient keys' rows carry one of theirs: not counted — a placeholder or the clinic's own contact? list it under input.not_patient_identifiers") ||
		strings.Contains(r.stdout, "event(s) of other patient keys sent to") {
		t.Errorf("60 charts carrying her phone: want the bounded line and no count\n%s", r.stdout)
	}
	js := find(sixty, "--json")
	var out struct {
		Carried []json.RawMessage `json:"carried_by_others"`
		Many    []struct {
			By          string `json:"by"`
			Identifiers int    `json:"identifiers"`
			MoreThan    int    `json:"more_than"`
		} `json:"carried_by_others_many"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &out); err != nil || out.Carried == nil || len(out.Carried) != 0 ||
		len(out.Many) != 1 || out.Many[0].By != "phone" || out.Many[0].Identifiers != 1 || out.Many[0].MoreThan != 50 {
		t.Errorf("--json: carried_by_others %s, many %+v (%v); want [] and the phone, more than 50\n%s", out.Carried, out.Many, err, js.stdout)
	}
	for _, raw := range []string{"0912-700", "912700001", "C86"} {
		if strings.Contains(r.stdout+r.stderr+js.stdout+js.stderr, raw) {
			t.Errorf("a value printed (%q)", raw)
		}
	}
	// 50 charts (the same events, and one of them twice: a rolling
	// export) are counted, each event once.
	fifty := twExport(t, charts(50)+"C8600000,病患c,115/11/18,上午 11:00,已完成,0912-700-001,同意,1500\n")
	r = find(fifty)
	if strings.Count(r.stdout, "also carried by other charts: phone: 50 event(s) of other patient keys sent to ") != 2 ||
		strings.Contains(r.stdout, "more than") {
		t.Errorf("50 charts carrying her phone: want 50 events counted per destination\n%s", r.stdout)
	}
	if js := find(fifty, "--json"); !strings.Contains(js.stdout, `"carried_by_others_many": []`) {
		t.Errorf("--json for 50 charts: want carried_by_others_many []\n%s", js.stdout)
	}
}
