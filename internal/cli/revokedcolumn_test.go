package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestARenamedPatientKeyColumnStillMatchesWithdrawals (a review of a
// chain of clinics): a branch's config names its chart-number column by
// another header, the same chart numbers under the same secret. The stop
// and its --accept-new-ids warning said the remembered withdrawals "can no
// longer be matched" — false: a withdrawal is a digest of the secret and
// the key's value, and the column's name is only in the fingerprint. They
// say the withdrawals still match where the column holds the same values,
// and the withdrawn patient's later visit stays unsent.
func TestARenamedPatientKeyColumnStillMatchesWithdrawals(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n")); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	renamed := strings.ReplaceAll(mustRead(t, cfg), `"病歷號碼"`, `"病歷編號"`)
	if err := os.WriteFile(cfg, []byte(renamed), 0o600); err != nil {
		t.Fatal(err)
	}
	visit := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(visit, []byte("病歷編號,姓名,就診日期,就診時間,到診狀態,手機,行銷同意,自費金額\nA007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, visit)
	if r.code != ExitUsage || len(dm.Accepted()) != 0 || !strings.Contains(r.stderr, "input.columns.patient_key:") ||
		!strings.Contains(r.stderr, "still match where this column holds the same values") || strings.Contains(r.stderr, "cannot recognise them") {
		t.Fatalf("renamed column: exit %d, google %d; want the stop saying the withdrawals still match by value\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, visit)
	if r.code != 0 || len(dm.Accepted()) != 0 || !strings.Contains(r.stderr, "still match") || strings.Contains(r.stderr, "can no longer be matched") {
		t.Fatalf("--accept-new-ids: exit %d, google %d (the withdrawn patient's visit must stay unsent)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}
