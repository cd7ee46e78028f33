package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// emailBoth maps an e-mail column and sends e-mail and phone to both
// destinations (twComposite sends the phone alone).
func emailBoth(s string) string {
	return strings.NewReplacer(
		"    phone: [\"手機\"]\n", "    phone: [\"手機\"]\n    email: [\"電子郵件\"]\n",
		"    identifiers: [phone]\n", "    identifiers: [email, phone]\n",
	).Replace(s)
}

// TestLedgerFindCapsEachIdentifierOnItsOwn (a review, 2026-12-07): the
// cap of 50 other patient keys covered all her identifiers together, so
// the clinic's placeholder e-mail on her chart and 60 others hid the
// count for her real phone, which her son's chart carries: "more than 50"
// and nothing counted. Each identifier is now capped on its own and the
// answer says it per kind: the e-mail uncounted (list it under
// input.not_patient_identifiers), the phone counted — never a value.
func TestLedgerFindCapsEachIdentifierOnItsOwn(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, emailBoth)
	var b strings.Builder
	b.WriteString("病歷號碼,姓名,就診日期,就診時間,到診狀態,手機,行銷同意,自費金額,電子郵件\n")
	b.WriteString("A007001,病患a,115/11/18,上午 09:00,已完成,0912-700-001,同意,1500,none@clinic.example\n")
	// Her son's 6 visits that day: her phone, the placeholder.
	for _, at := range []string{"上午 08:00", "上午 10:00", "上午 11:00", "下午 03:00", "下午 04:00", "下午 05:00"} {
		fmt.Fprintf(&b, "C8642097,病患c,115/11/18,%s,已完成,0912-700-001,同意,1500,none@clinic.example\n", at)
	}
	for i := range 60 { // 60 charts with the placeholder and their own phone
		fmt.Fprintf(&b, "C86%05d,病患d,115/11/18,下午 02:00,已完成,0912-8%05d,同意,1500,none@clinic.example\n", i, i)
	}
	exp := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(exp, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	uploadNights(t, env, cfg, []string{exp})
	find := func(extra ...string) result {
		r := runGoogle(t, env, "A007001\n", true, append([]string{"ledger", "find", "--config", cfg, "--patients", "-", exp}, extra...)...)
		if r.code != 0 {
			t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		return r
	}
	r := find()
	t.Logf("\n%s%s", r.stdout, r.stderr)
	want := "also carried by other charts: e-mail: more than 50 other patient keys' rows carry one of theirs: not counted — a placeholder or the clinic's own contact? list it under input.not_patient_identifiers"
	if !strings.Contains(r.stdout, want) {
		t.Errorf("the placeholder e-mail: want %q\n%s", want, r.stdout)
	}
	for _, dest := range []string{"google:", "meta:"} {
		want := "also carried by other charts: phone: 6 event(s) of other patient keys sent to " + dest
		if !strings.Contains(r.stdout, want) {
			t.Errorf("her phone on her son's 6 visits: want %q\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "e-mail: 6") || strings.Contains(r.stdout, "e-mail: 66") || strings.Contains(r.stdout, "e-mail: 60") {
		t.Errorf("the placeholder e-mail counted\n%s", r.stdout)
	}
	js := find("--json")
	var out struct {
		Carried []struct {
			By          string `json:"by"`
			Destination string `json:"destination"`
			Sent        int    `json:"sent"`
		} `json:"carried_by_others"`
		Many []struct {
			By          string `json:"by"`
			Identifiers int    `json:"identifiers"`
			MoreThan    int    `json:"more_than"`
		} `json:"carried_by_others_many"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &out); err != nil {
		t.Fatalf("--json: %v\n%s", err, js.stdout)
	}
	if len(out.Many) != 1 || out.Many[0].By != "email" || out.Many[0].Identifiers != 1 || out.Many[0].MoreThan != 50 {
		t.Errorf("--json carried_by_others_many %+v, want the e-mail alone, one identifier, more than 50", out.Many)
	}
	if len(out.Carried) != 2 {
		t.Errorf("--json carried_by_others %+v, want the phone at each destination", out.Carried)
	}
	for _, c := range out.Carried {
		if c.By != "phone" || c.Sent != 6 {
			t.Errorf("--json carried_by_others %+v, want phone, 6 sent", c)
		}
	}
	printed := r.stdout + r.stderr + js.stdout + js.stderr
	for _, raw := range []string{"none@", "clinic.example", "0912-700", "912700001", "C86", "病患"} {
		if strings.Contains(printed, raw) {
			t.Errorf("a value printed (%q)", raw)
		}
	}
}

// exactCounts turns small-count suppression off (channels.min_cell: 1):
// the clinic's own eyes.
func exactCounts(s string) string { return s + "channels:\n  min_cell: 1\n" }

// TestLedgerFindWithholdsSmallCarriedCounts (a review, 2026-12-07): find's
// answer goes to the patient who asked, and "2 event(s) of other patient
// keys carried your phone" told her that whoever's chart carries her
// phone visited twice — another patient's count. From 1 to 4
// (channels.min_cell) it now reads "fewer than 5", in the text and the
// JSON (sent null, sent_fewer_than 5, no states); 0 stays exact (no
// line, carried_by_others []), and min_cell 1 gives the exact count.
func TestLedgerFindWithholdsSmallCarriedCounts(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	exp := twExport(t, herVisit1+sonCarryingHerPhone("18")+"C8642097,病患c,115/11/18,下午 03:00,已完成,0912-700-001,同意,1500\n")
	uploadNights(t, env, cfg, []string{exp})
	find := func(cfg string, extra ...string) result {
		r := runGoogle(t, env, "A007001\n", true, append([]string{"ledger", "find", "--config", cfg, "--patients", "-", exp}, extra...)...)
		if r.code != 0 {
			t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		return r
	}
	r := find(cfg)
	t.Logf("\n%s", r.stdout)
	if n := strings.Count(r.stdout, "also carried by other charts: phone: fewer than 5 event(s) of other patient keys sent to "); n != 2 || strings.Contains(r.stdout, "phone: 2 event(s)") {
		t.Errorf("his 2 visits carrying her phone: want \"fewer than 5\" per destination, never 2\n%s", r.stdout)
	}
	js := find(cfg, "--json")
	var out struct {
		Carried []map[string]json.RawMessage `json:"carried_by_others"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &out); err != nil || len(out.Carried) != 2 {
		t.Fatalf("--json: %v %+v\n%s", err, out.Carried, js.stdout)
	}
	for _, c := range out.Carried {
		if string(c["sent"]) != "null" || string(c["sent_fewer_than"]) != "5" || string(c["states"]) != "{}" {
			t.Errorf("--json carried_by_others entry: sent %s, sent_fewer_than %s, states %s; want null, 5, {}", c["sent"], c["sent_fewer_than"], c["states"])
		}
	}
	exact := twComposite(t, gURL, mURL, exactCounts)
	if r := find(exact); strings.Count(r.stdout, "also carried by other charts: phone: 2 event(s) of other patient keys sent to ") != 2 {
		t.Errorf("channels.min_cell 1: want the exact count\n%s", r.stdout)
	}
}
