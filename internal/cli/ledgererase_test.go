package cli

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEraseKeepsTheWithdrawal (a privacy officer's review): a patient who
// withdrew and then asked for erasure was erased with `unrevoke
// --patients`, which forgot the withdrawal, and the next upload sent a
// later row of hers ticked "yes" by mistake. `ledger erase` deletes her
// events' entries and keeps her withdrawal: the next upload of an export
// still holding her earlier, already-sent visits and a later "yes" row
// sends nothing of hers, and changes nothing for anyone else; her event
// ids are in neither ledger.db nor its log; nothing printed names her.
func TestEraseKeepsTheWithdrawal(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	v1 := "00001001,病患e,115/10/20,上午 09:00,已完成,0912-100-001,同意,1500\n"
	v2 := "00001001,病患e,115/10/21,上午 09:00,已完成,0912-100-001,同意,1500\n"
	withdraw := "00001001,病患e,115/10/22,上午 09:00,已完成,0912-100-001,撤回,1500\n"
	later := "00001001,病患e,115/10/25,上午 10:00,已完成,0912-100-001,同意,1500\n"
	other := "00002002,病患o,115/10/20,上午 10:00,已完成,0912-200-002,同意,1500\n"
	otherNew := "00002002,病患o,115/10/25,上午 11:00,已完成,0912-200-002,同意,1500\n"
	r := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, twExport(t, v1+v2))
	var rep struct {
		RunID string `json:"run_id"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); r.code != 0 || err != nil {
		t.Fatalf("night 1: exit %d (%v)\n%s", r.code, err, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, v1+v2+withdraw+other)); r.code != 0 {
		t.Fatalf("night 2: exit %d\n%s", r.code, r.stderr)
	}
	// Her event ids, as the night that sent her visits recorded them.
	r = runGoogle(t, env, "", true, "ledger", "list", "--json", "--config", cfg, "--run", rep.RunID)
	var evs []struct {
		EventID string `json:"event_id"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &evs); r.code != 0 || err != nil || len(evs) == 0 {
		t.Fatalf("ledger list: exit %d (%v)\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	var ids []string
	for _, e := range evs {
		ids = append(ids, e.EventID)
	}
	orders := filepath.Join(t.TempDir(), "orders.txt")
	if err := os.WriteFile(orders, []byte(strings.Join(ids, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runGoogle(t, env, "1001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", "--orders", orders)
	if r.code != 0 || !strings.Contains(r.stderr, "erased 1 patient(s): kept the withdrawal of 1, wrote it for 0") {
		t.Fatalf("erase: exit %d\n%s", r.code, r.stderr)
	}
	for _, s := range append([]string{"1001", "病患", "0912-100-001", "912100001"}, ids...) {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("erase printed a key or an id (%q)", s)
		}
	}
	lpath := filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db")
	var file []byte
	for _, f := range []string{lpath, lpath + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		file = append(file, b...)
	}
	for _, id := range ids {
		if raw := mustHex(t, id); bytes.Contains(file, raw) || bytes.Contains(file, []byte(id)) {
			t.Errorf("an erased event id is still in the ledger's files")
		}
	}
	gBefore, mBefore := maps.Clone(dm.Accepted()), maps.Clone(g.Accepted())
	r = runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, v1+v2+later+other+otherNew))
	if r.code != 0 {
		t.Fatalf("night 3: exit %d\n%s", r.code, r.stderr)
	}
	// Meta keeps these visits back, older than its deduplication window
	// on a dataset this ledger never delivered to: it gets none.
	want := map[string]int{"google": 1, "meta": 0}
	for name, fake := range map[string][2]map[string]int{"google": {gBefore, dm.Accepted()}, "meta": {mBefore, g.Accepted()}} {
		added := 0
		for id, n := range fake[1] {
			if n != fake[0][id] {
				added += n - fake[0][id]
				if fake[0][id] > 0 {
					t.Errorf("%s: an event sent before was sent again", name)
				}
			}
		}
		if added != want[name] {
			t.Errorf("%s: %d events sent on night 3; want the other patient's new visit alone\n%s", name, added, r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "consent_revoked_patient 3") {
		t.Errorf("night 3: want her three rows excluded as withdrawn\n%s", r.stderr)
	}
}

// mustHex is the packed bytes of an event id.
func mustHex(t *testing.T, id string) []byte {
	t.Helper()
	b, err := hex.DecodeString(id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEraseByExportErasesEverythingOfHers: with a composite order id,
// `ledger erase --orders` took only event ids copied by hand from `ledger
// find`. `erase --export` picks her rows from the archived exports and
// makes their ids as find does, whatever the consent cell says: after one
// step `ledger find` answers nothing sent, her ids' bytes are in neither
// ledger.db nor its log, and the next upload of a rolling export sends
// nothing of hers and nothing of anyone else twice.
func TestEraseByExportErasesEverythingOfHers(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	nights := []string{
		twExport(t, herVisit1+otherPatient("18")),
		twExport(t, herVisit2+otherPatient("19")),
		twExport(t, herWithdraw+otherPatient("20")),
	}
	uploadNights(t, env, cfg, nights)
	find := func() (sent []string, withdrawn bool) {
		t.Helper()
		args := []string{"ledger", "find", "--json", "--config", cfg, "--patients", "-"}
		for _, exp := range nights {
			args = append(args, "--export", exp)
		}
		r := runGoogle(t, env, "A007001\n", true, args...)
		var out struct {
			Events []struct {
				EventID string `json:"event_id"`
				Sent    bool   `json:"sent"`
			} `json:"events"`
			Withdrawn bool `json:"withdrawn"`
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil {
			t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		for _, e := range out.Events {
			if e.Sent {
				sent = append(sent, e.EventID)
			}
		}
		return sent, out.Withdrawn
	}
	ids, _ := find()
	if len(ids) != 4 {
		t.Fatalf("before erasure, find answers %d sent events; want her 2 visits × 2 destinations", len(ids))
	}
	args := []string{"ledger", "erase", "--config", cfg, "--patients", "-"}
	for _, exp := range nights {
		args = append(args, "--export", exp)
	}
	r := runGoogle(t, env, "A007001\n", true, args...)
	if r.code != 0 || !strings.Contains(r.stderr, "erased 1 patient(s): kept the withdrawal of 1") ||
		!strings.Contains(r.stderr, "the exports hold 3 row(s) of 1 of the 1 patient(s)") {
		t.Fatalf("erase --export: exit %d\n%s", r.code, r.stderr)
	}
	for _, s := range append([]string{"A007001", "7001", "病患", "0912-700-001", "912700001"}, ids...) {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("erase printed a key, a phone or an id (%q)", s)
		}
	}
	if sent, withdrawn := find(); len(sent) != 0 || !withdrawn {
		t.Errorf("after erasure, find answers %d sent event(s), withdrawn %v; want none sent, her withdrawal kept", len(sent), withdrawn)
	}
	lpath := filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db")
	var file []byte
	for _, f := range []string{lpath, lpath + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		file = append(file, b...)
	}
	for _, id := range ids {
		if bytes.Contains(file, mustHex(t, id)) || bytes.Contains(file, []byte(id)) {
			t.Errorf("an erased event id is still in the ledger's files")
		}
	}
	gBefore, mBefore := maps.Clone(dm.Accepted()), maps.Clone(g.Accepted())
	rolling := twExport(t, herVisit1+herVisit2+herWithdraw+herLater+otherPatient("18")+otherPatient("19")+otherPatient("20")+otherPatient("21"))
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, rolling); r.code != 0 {
		t.Fatalf("night 4: exit %d\n%s", r.code, r.stderr)
	} else if !strings.Contains(r.stderr, "consent_revoked_patient 3") {
		t.Errorf("night 4: want her three other rows excluded as withdrawn (the withdrawal row itself as consent_revoked)\n%s", r.stderr)
	}
	for name, fake := range map[string][2]map[string]int{"google": {gBefore, dm.Accepted()}, "meta": {mBefore, g.Accepted()}} {
		added := 0
		for id, n := range fake[1] {
			if n == fake[0][id] {
				continue
			}
			added += n - fake[0][id]
			if fake[0][id] > 0 {
				t.Errorf("%s: an event sent before was sent again", name)
			}
		}
		if added != 1 {
			t.Errorf("%s: %d events sent on night 4; want the other patient's new visit alone", name, added)
		}
	}
}

// TestEraseByExportRefusesAnotherSecret: ids made from the exports under
// another secret than the one her events were sent with match nothing;
// erase would report the patient erased and leave every event of hers.
// It refuses, erasing nothing, and her events are still found.
func TestEraseByExportRefusesAnotherSecret(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	exp := twExport(t, "A007001,病患a,115/11/18,上午 09:00,已完成,0912-700-001,同意,1500\n")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, exp); r.code != 0 {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	other := maps.Clone(env)
	other["HASHGATE_SECRET"] = "another-secret-entirely-9Qw2Er4Ty6"
	r := runGoogle(t, other, "A007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", "--export", exp)
	if r.code == 0 || !strings.Contains(r.stderr, "under another secret") || !strings.Contains(r.stderr, "nothing was erased") {
		t.Fatalf("erase under another secret: exit %d; want a refusal naming the secret\n%s", r.code, r.stderr)
	}
	r = runGoogle(t, env, "A007001\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", "--export", exp)
	if r.code != 0 || strings.Count(r.stdout, `"sent": true`)+strings.Count(r.stdout, `"sent":true`) != 2 {
		t.Errorf("after the refusal, find: exit %d; want her visit still sent to both destinations\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestEraseOfPatientsAloneRefusesAnotherSecret (the day's diff review):
// with no withdrawal remembered yet, erase --patients under another secret
// said "wrote it for 1", exit 0, and wrote a withdrawal no row of hers
// matched; the next upload stopped on the secret's fingerprint. It is
// refused before anything is written.
func TestEraseOfPatientsAloneRefusesAnotherSecret(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	exp := twExport(t, "A007001,病患a,115/11/18,上午 09:00,已完成,0912-700-001,同意,1500\n")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, exp); r.code != 0 {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	other := maps.Clone(env)
	other["HASHGATE_SECRET"] = "another-secret-entirely-9Qw2Er4Ty6"
	r := runGoogle(t, other, "A007001\n", true, "ledger", "erase", "--config", cfg, "--patients", "-")
	if r.code != 2 || !strings.Contains(r.stderr, "nothing was erased") {
		t.Fatalf("erase --patients under another secret: exit %d; want 2, nothing erased\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, exp); r.code != 0 {
		t.Errorf("the next night, under the uploads' secret: exit %d\n%s", r.code, r.stderr)
	}
}
