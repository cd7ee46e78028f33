package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// --accept-new-ids passes six stops at once and is meant for one night;
// left in a nightly crontab it passed all six every later night, unsaid.
// Each night with it now says which it passed (the run report's
// accepted_stops too), or that it passed nothing and should go.

// acceptedStops reads accepted_stops from an upload's JSON report: nil
// and false when the key is absent.
func acceptedStops(t *testing.T, stdout string) ([]string, bool) {
	t.Helper()
	var rep map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("the JSON report does not decode: %v\n%s", err, stdout)
	}
	raw, ok := rep["accepted_stops"]
	if !ok {
		return nil, false
	}
	var stops []string
	if err := json.Unmarshal(raw, &stops); err != nil {
		t.Fatalf("accepted_stops is no list of names: %v (%s)", err, raw)
	}
	return stops, true
}

// acceptNight is a Google-only setup after its first night of 40 visits:
// the config, the state, and an export of tonight's in which 20 visits
// dated among the delivered ones carry changed order ids (the safety
// net's stop).
func acceptNight(t *testing.T) (dm interface{ Accepted() map[string]int }, env map[string]string, cfg, changed string) {
	t.Helper()
	g, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env = uploadEnv(t)
	cfg = bothConfig(t, gURL, mURL, "")
	// Google alone: Meta's first-upload window would keep the oldest back.
	editConfig(t, cfg, "  meta:\n    enabled: true", "  meta:\n    enabled: false")
	visits := clinicDays("V", 10, 4)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, writeClinic(t, visits)); r.code != 0 || len(g.Accepted()) != 40 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(g.Accepted()), r.stderr)
	}
	tonight := append([]clinicVisit(nil), visits[:6]...)
	for i, v := range visits[6:26] {
		v.id = "X" + v.id[1:]
		v.n = 200 + i
		tonight = append(tonight, v)
	}
	return g, env, cfg, writeClinic(t, tonight)
}

// TestAcceptNewIDsNamesTheStopsItPassed: a night whose order ids changed,
// passed with the flag, names the safety net (stderr and accepted_stops);
// a night under another secret names the secret's fingerprint beside it.
func TestAcceptNewIDsNamesTheStopsItPassed(t *testing.T) {
	dm, env, cfg, export := acceptNight(t)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, export); r.code != 2 || !strings.Contains(r.stderr, "input.columns.order_id") {
		t.Fatalf("changed ids without the flag: exit %d; want the safety net's stop\n%s", r.code, r.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--json", "--config", cfg, export)
	stops, ok := acceptedStops(t, r.stdout)
	if r.code != 0 || len(dm.Accepted()) != 60 || !ok || !slices.Equal(stops, []string{"new_event_ids"}) ||
		!strings.Contains(r.stderr, "--accept-new-ids passed stops that would have stopped this run") || !strings.Contains(r.stderr, "stops=new_event_ids") ||
		strings.Contains(r.stderr, "passed nothing") {
		t.Fatalf("--accept-new-ids over changed ids: exit %d, google %d, accepted_stops %q (present %v); want exit 0, the net named\n%s", r.code, len(dm.Accepted()), stops, ok, r.stderr)
	}
	// Another secret: its fingerprint's stop and the net's, both named.
	env["HASHGATE_SECRET"] = "another-secret-Qw8Zr2Lk5Vn0Tb7Yx3mP9"
	r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--json", "--config", cfg, export)
	stops, _ = acceptedStops(t, r.stdout)
	if r.code != 0 || !slices.Equal(stops, []string{"new_event_ids", "secret_fingerprint"}) || !strings.Contains(r.stderr, "stops=new_event_ids,secret_fingerprint") {
		t.Fatalf("--accept-new-ids under another secret: exit %d, accepted_stops %q; want both named\n%s", r.code, stops, r.stderr)
	}
}

// TestAcceptNewIDsThatPassedNothingSaysSo: the flag left in the nightly
// job — the night after the one it was for, nothing new — says it passed
// nothing and belongs out of the job (accepted_stops: []); a night
// without the flag has no accepted_stops; a dry-run, which judges none of
// the stops, says the flag does nothing there, and not "passed nothing".
func TestAcceptNewIDsThatPassedNothingSaysSo(t *testing.T) {
	_, env, cfg, export := acceptNight(t)
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, export); r.code != 0 {
		t.Fatalf("the night the flag is for: exit %d\n%s", r.code, r.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--json", "--config", cfg, export)
	stops, ok := acceptedStops(t, r.stdout)
	if r.code != 0 || !ok || stops == nil || len(stops) != 0 || !strings.Contains(r.stderr, "--accept-new-ids passed nothing tonight") ||
		!strings.Contains(r.stderr, "remove it from a nightly job") {
		t.Fatalf("--accept-new-ids on a night it passes nothing: exit %d, accepted_stops %q (present %v); want exit 0, [] and the warning\n%s", r.code, stops, ok, r.stderr)
	}
	r = runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, export)
	if stops, ok := acceptedStops(t, r.stdout); r.code != 0 || ok || strings.Contains(r.stderr, "--accept-new-ids") {
		t.Fatalf("a night without the flag: exit %d, accepted_stops %q (present %v)\n%s", r.code, stops, ok, r.stderr)
	}
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--accept-new-ids", "--json", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), export)
	if stops, ok := acceptedStops(t, dry.stdout); dry.code != 0 || ok || !strings.Contains(dry.stderr, "--accept-new-ids does nothing with --dry-run") ||
		strings.Contains(dry.stderr, "passed nothing") {
		t.Fatalf("a dry-run with the flag: exit %d, accepted_stops %q (present %v)\n%s", dry.code, stops, ok, dry.stderr)
	}
}
