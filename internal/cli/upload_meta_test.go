package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

var fixedNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

const metaToken = "EAAB-zq-fake-meta-token-77"

// runWithHTTP runs hashgate in-process like runCLI, but with a real HTTP
// client (to loopback fakes only) and instant retries.
func runWithHTTP(t *testing.T, hc *http.Client, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut)
	f.Now = func() time.Time { return fixedNow }
	f.Getenv = func(k string) string { return env[k] }
	f.HTTPClient = func() (*http.Client, error) { return hc, nil }
	f.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	code := execute(context.Background(), f, args)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

func metaFake(t *testing.T, fault func(n int, w http.ResponseWriter, r *http.Request) bool) (*destinationtest.Graph, string) {
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: func() time.Time { return fixedNow }, Fault: fault}
	srv := g.Start(t)
	return g, srv.URL
}

// metaConfig is a config for Meta only, pointing at the fake.
func metaConfig(t *testing.T, graphURL, extra string) string {
	t.Helper()
	body := fmt.Sprintf(`timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: id
    appointment_at: at
    status: status
    email: email
    phone: phone
    first_name: first
    last_name: last
    consent: consent
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: fixed
  fixed_value: 1000
  currency: TWD
destinations:
  meta:
    enabled: true
    identifiers: [email, phone, first_name, last_name]
    graph_url: %s
    dataset_id: "998877"
%s`, graphURL, extra)
	p := filepath.Join(t.TempDir(), "meta.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// exportFile writes n consented rows (plus the extra lines) and returns its
// path. Their visits fall in the 5 days before fixedNow: inside the window
// a first upload sends Meta (Spec.DedupSafe, 6 days).
func exportFile(t *testing.T, n int, extra string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "A%05d,2026-11-%02d 10:00,completed,zqpatient%d@example.com,0912-%03d-%03d,Zqfirst%d,Zqlast%d,yes\n", i, 18+i%5, i, i%1000, i/1000, i, i)
	}
	b.WriteString(extra)
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// uploadEnv is the environment of an upload test: its own state and config
// directories, so runs never share a ledger or touch the real home.
func uploadEnv(t *testing.T) map[string]string {
	return map[string]string{"HASHGATE_SECRET": "upload-test-secret-3Jh8Nq5Bv1Xc6Zm0", metaTokenEnv: metaToken,
		"XDG_STATE_HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir(), "HOME": t.TempDir()}
}

func TestMetaUpload2500RowsIn3Requests(t *testing.T) {
	g, url := metaFake(t, nil)
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", metaConfig(t, url, ""), exportFile(t, 2500, ""))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if b := g.AcceptedBatches(); len(b) != 3 {
		t.Errorf("batches %v, want 3", b)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 2500)
	if !strings.Contains(r.stderr, "meta: 2500 of 2500 conversions ingested in 3 requests") {
		t.Errorf("summary:\n%s", r.stderr)
	}
}

func TestMetaUploadSurvivesStorms(t *testing.T) {
	g, url := metaFake(t, func(n int, w http.ResponseWriter, _ *http.Request) bool {
		switch n {
		case 1, 2, 3:
			destinationtest.Throttle(w, 17)
		case 4:
			w.WriteHeader(503)
		case 5:
			destinationtest.Reset(w)
		case 7, 8:
			destinationtest.GraphErr(w, 500, 1, 0, "OAuthException", "An unknown error occurred")
		default:
			return false
		}
		return true
	})
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", metaConfig(t, url, ""), exportFile(t, 2500, ""))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 2500)
}

func TestMetaStaleRowIsQuarantinedNotFatal(t *testing.T) {
	g, url := metaFake(t, nil)
	stale := "OLD1,2026-08-01 10:00,completed,zqold@example.com,0912-999-000,Zqold,Zqold,yes\n"
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", metaConfig(t, url, ""), exportFile(t, 10, stale))
	if r.code != ExitPartial {
		t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
	}
	if len(g.Accepted()) != 10 || !strings.Contains(r.stderr, "event_too_old 1") {
		t.Errorf("accepted %d\n%s", len(g.Accepted()), r.stderr)
	}
}

func TestMetaTestEventCode(t *testing.T) {
	g, url := metaFake(t, nil)
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--validate", "--config", metaConfig(t, url, "    test_event_code: TEST4242\n"), exportFile(t, 3, ""))
	if r.code != 0 || len(g.TestEventCodes()) != 1 || g.TestEventCodes()[0] != "TEST4242" {
		t.Fatalf("exit %d codes %v\n%s", r.code, g.TestEventCodes(), r.stderr)
	}
}

func TestMetaTokenNeverPrinted(t *testing.T) {
	_, url := metaFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		destinationtest.GraphErr(w, 400, 190, 0, "OAuthException", "Error validating access token")
		return true
	})
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "--log-level", "debug", "upload", "--config", metaConfig(t, url, ""), exportFile(t, 3, ""))
	if r.code != ExitFailure || !strings.Contains(r.stderr, "190") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, metaToken) {
		t.Fatal("the token appears in the output")
	}
}

func TestMetaTokenSources(t *testing.T) {
	_, url := metaFake(t, nil)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte(metaToken+"\n"), 0o644)
	cfg := metaConfig(t, url, "    access_token_file: "+tokenFile+"\n")
	env := uploadEnv(t)
	delete(env, metaTokenEnv)
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, ""))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "readable by others") {
		t.Fatalf("a world-readable token file must be refused: exit %d\n%s", r.code, r.stderr)
	}
	os.Chmod(tokenFile, 0o600)
	if r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code != 0 {
		t.Fatalf("token file: exit %d\n%s", r.code, r.stderr)
	}
	inFile := metaConfig(t, url, "    access_token: "+metaToken+"\n")
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", inFile, exportFile(t, 1, ""))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "never read from the config file") || strings.Contains(r.stderr, metaToken) {
		t.Fatalf("token in config: exit %d\n%s", r.code, r.stderr)
	}
	noSecret := uploadEnv(t)
	delete(noSecret, "HASHGATE_SECRET")
	r = runWithHTTP(t, http.DefaultClient, noSecret, "upload", "--config", cfg, exportFile(t, 1, ""))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "secret: required for uploads") {
		t.Fatalf("upload without a secret: exit %d\n%s", r.code, r.stderr)
	}
}

func TestMetaRequestBodiesCarryNoRawPersonalData(t *testing.T) {
	g, url := metaFake(t, nil)
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", metaConfig(t, url, ""), exportFile(t, 50, ""))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	bodies := g.Bodies()
	if len(bodies) == 0 {
		t.Fatal("no request reached the fake")
	}
	canaries := []string{"zqpatient", "zqfirst", "zqlast", "example.com"}
	for i := 0; i < 50; i++ {
		canaries = append(canaries,
			fmt.Sprintf("a%05d", i),                       // order id
			fmt.Sprintf("0912-%03d-%03d", i%1000, i/1000), // phone as exported
			fmt.Sprintf("886912%03d%03d", i%1000, i/1000)) // phone as normalised
	}
	for _, b := range bodies {
		low := strings.ToLower(string(b))
		for _, canary := range canaries {
			if strings.Contains(low, canary) {
				t.Fatalf("request body carries %q", canary)
			}
		}
	}
}

func TestHealthTermRefusedBeforeAnythingIsSent(t *testing.T) {
	g, url := metaFake(t, nil)
	cfg := metaConfig(t, url, "")
	body := mustReplace(t, mustRead(t, cfg), "  fixed_value: 1000", "  fixed_value: 1000\n  event_name: Botox_Visit")
	os.WriteFile(cfg, []byte(body), 0o600)
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", cfg, exportFile(t, 5, ""))
	if r.code != ExitUsage || !strings.Contains(r.stderr, `"botox"`) {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if g.Requests() != 0 {
		t.Errorf("%d requests reached Meta", g.Requests())
	}
}

// TestUploadLeavesNoRawValueAnywhere: an upload of cells in the messy
// shapes clinics export (two addresses, a number with an extension and a
// note, placeholders, full-width digits) leaves no raw value in any request
// body, in the ledger database, or in any file of the state directory
// (run reports), and none on stdout or stderr.
func TestUploadLeavesNoRawValueAnywhere(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	extra := "B00001,2026-11-20 10:00,completed,zqmulti.one@example.com; zqmulti.two@example.org,0912-777-001 (zqnote mom) / 02-2777-0002 分機 12,Zqfirstmulti,Zqlastmulti,yes\n" +
		"B00002,2026-11-20 11:00,completed,無,０９１２－７７７－００３,Zqfirstwide,Zqlastwide,yes\n"
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", metaConfig(t, url, ""), exportFile(t, 20, extra))
	if r.code != 0 || !strings.Contains(r.stderr, "22 of 22 conversions ingested") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	canaries := []string{"zqpatient", "zqfirst", "zqlast", "zqmulti", "zqnote", "example.com", "example.org",
		"0912-777-001", "912777001", "2777-0002", "22777000", "912777003", "０９１２"}
	for i := 0; i < 20; i++ {
		canaries = append(canaries, fmt.Sprintf("a%05d", i), fmt.Sprintf("0912-%03d-%03d", i%1000, i/1000), fmt.Sprintf("912%03d%03d", i%1000, i/1000))
	}
	check := func(where string, b []byte) {
		t.Helper()
		low := strings.ToLower(string(b))
		for _, c := range canaries {
			if strings.Contains(low, strings.ToLower(c)) {
				t.Errorf("%s carries %q", where, c)
			}
		}
	}
	for i, b := range g.Bodies() {
		check(fmt.Sprintf("request body %d", i), b)
	}
	check("stdout", []byte(r.stdout))
	check("stderr", []byte(r.stderr))
	files := 0
	err := filepath.WalkDir(env["XDG_STATE_HOME"], func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		check(p, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 2 { // the ledger and at least one run report
		t.Fatalf("only %d files in the state directory: the ledger was not where the test looks", files)
	}
	// What reads the ledger back prints from it: the same canaries, in text and JSON.
	cfg := metaConfig(t, url, "")
	for _, args := range [][]string{
		{"ledger", "stats"}, {"ledger", "stats", "--json"}, {"ledger", "list"}, {"ledger", "list", "--json"},
		{"status"}, {"status", "--json"},
	} {
		r := runWithHTTP(t, http.DefaultClient, env, append(args, "--config", cfg)...)
		check(strings.Join(args, " ")+" stdout", []byte(r.stdout))
		check(strings.Join(args, " ")+" stderr", []byte(r.stderr))
	}
	// A run that fails on a row-level value still writes its report: the cause
	// names the place, never the cell.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("order_id,appointment_at,status,email,phone,first_name,last_name,consent\n"+
		"B00009,\"zqpatient unterminated,completed,zqmulti.x@example.com,,Zqfirstbad,Zqlastbad,yes\n"), 0o600)
	report := filepath.Join(t.TempDir(), "report.json")
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, "--report", report, bad)
	if r.code == 0 {
		t.Fatalf("an unterminated quote must stop the run\n%s", r.stderr)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("no report after a failed run: %v", err)
	}
	check("report of a failed run", b)
	check("stderr of a failed run", []byte(r.stderr))
}

// TestMetaTokenFileWinsOverTheEnvironment: README's precedence, which the
// code now follows: a token file named in the config wins over
// HASHGATE_META_ACCESS_TOKEN (here another account's token, as a shell
// that exported it would leave behind).
func TestMetaTokenFileWinsOverTheEnvironment(t *testing.T) {
	g, url := metaFake(t, nil)
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte(metaToken+"\n"), 0o600)
	cfg := metaConfig(t, url, "    access_token_file: "+tokenFile+"\n")
	env := uploadEnv(t)
	env[metaTokenEnv] = "EAAB-zq-another-accounts-token"
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 3, ""))
	if r.code != ExitOK || len(g.Accepted()) != 3 {
		t.Fatalf("the token file must win: exit %d, %d accepted\n%s", r.code, len(g.Accepted()), r.stderr)
	}
}
