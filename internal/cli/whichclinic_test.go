package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The agency of D3 runs fifteen clinics' configs as one user, from one
// crontab, each `cd ~/clinics/NAME && hashgate upload … --config
// hashgate.yaml`, on the default ledger they share. These tests read its
// cron log and reports as it would.

// TestFatalErrorsNameTheirConfig: every fatal line of a command that reads
// a config ends with that config's absolute path (and the path as given,
// when relative); a command that reads none names none.
func TestFatalErrorsNameTheirConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hashgate.yaml")
	if err := os.WriteFile(cfg, []byte("timezone: Nowhere/Else\nregion: XX\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-export.csv")
	rel, err := filepath.Rel(mustGetwd(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string // "" : no config named
	}{
		{"given absolute", secretEnv, []string{"upload", "--dry-run", "--config", cfg, missing}, " [config " + cfg + "]"},
		{"given relative", secretEnv, []string{"upload", "--dry-run", "--config", rel, missing}, " [config " + cfg + ", given as " + rel + "]"},
		{"from HASHGATE_CONFIG", map[string]string{"HASHGATE_CONFIG": cfg}, []string{"status"}, " [config " + cfg + "]"},
		{"no config file anywhere", secretEnv, []string{"upload", "--dry-run", missing}, ""},
		{"a command that reads none", nil, []string{"version", "--config", cfg, "extra"}, ""},
		{"config validate", secretEnv, []string{"config", "validate", "--config", cfg}, " [config " + cfg + "]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, c.env, "", c.args...)
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			n := 0
			for _, l := range lines {
				if !strings.HasPrefix(l, "hashgate: ") {
					continue
				}
				n++
				if c.want == "" && strings.Contains(l, "[config ") {
					t.Errorf("a line names a config the command did not read: %s", l)
				}
				if c.want != "" && !strings.HasSuffix(l, c.want) {
					t.Errorf("a fatal line does not end with %q:\n%s", c.want, l)
				}
			}
			if r.code == 0 || n == 0 {
				t.Fatalf("exit %d, %d error lines:\n%s", r.code, n, r.stderr)
			}
		})
	}
}

// configNote is what an error line of a command run with --config given
// ends with: the config's absolute path, and given when relative.
func configNote(t *testing.T, given string) string {
	t.Helper()
	abs, err := filepath.Abs(given)
	if err != nil {
		t.Fatal(err)
	}
	if abs == given {
		return " [config " + abs + "]"
	}
	return " [config " + abs + ", given as " + given + "]"
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// lockFactory is runWithHTTP's factory with sleep as its Sleep.
func lockFactory(env map[string]string, out, errOut *bytes.Buffer, sleep func(context.Context, time.Duration) error) *Factory {
	f := NewFactory(strings.NewReader(""), out, errOut)
	f.Now = func() time.Time { return fixedNow }
	f.Getenv = func(k string) string { return env[k] }
	f.HTTPClient = func() (*http.Client, error) { return http.DefaultClient, nil }
	f.Sleep = sleep
	return f
}

// holdTheLedger starts an upload of cfg that holds the ledger, its first
// request stalled until the returned release is called; wait ends it.
func holdTheLedger(t *testing.T, env map[string]string) (cfgA string, release func(), wait func() result) {
	t.Helper()
	free := make(chan struct{})
	arrived := make(chan struct{}, 1)
	_, url := metaFake(t, func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			arrived <- struct{}{}
			<-free
		}
		return false
	})
	cfgA = metaConfig(t, url, "")
	var first result
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		first = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfgA, exportFile(t, 30, ""))
	}()
	<-arrived
	var once sync.Once
	release = func() { once.Do(func() { close(free) }) }
	t.Cleanup(func() { release(); wg.Wait() })
	return cfgA, release, func() result { release(); wg.Wait(); return first }
}

// TestTheLockNamesItsHolder: a second clinic's upload on the same ledger
// exits 4 naming the run that holds it — pid, config, start — not only
// the ledger both share.
func TestTheLockNamesItsHolder(t *testing.T) {
	env := uploadEnv(t)
	cfgA, _, wait := holdTheLedger(t, env)
	_, urlB := metaFake(t, nil)
	second := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", metaConfig(t, urlB, ""), exportFile(t, 5, ""))
	want := fmt.Sprintf("held by pid %d, config %s, started %s", os.Getpid(), cfgA, fixedNow.Format(time.RFC3339))
	if second.code != ExitLocked || !strings.Contains(second.stderr, want) || !strings.Contains(second.stderr, "this one sent nothing") {
		t.Errorf("second run: exit %d, want 4 and the holder (%s):\n%s", second.code, want, second.stderr)
	}
	if first := wait(); first.code != 0 {
		t.Fatalf("first run: exit %d\n%s", first.code, first.stderr)
	}
}

// TestLockWaitRunsOneAfterTheOther: with --lock-wait, the second clinic's
// run waits for the first and then sends its own; a signal while it waits
// stops it as one while it reads: exit 130, nothing sent.
func TestLockWaitRunsOneAfterTheOther(t *testing.T) {
	env := uploadEnv(t)
	_, release, wait := holdTheLedger(t, env)
	gB, urlB := metaFake(t, nil)
	var rows strings.Builder // the second clinic's own visits: other order ids than the first's
	for i := range 5 {
		fmt.Fprintf(&rows, "B%05d,2026-11-%02d 10:00,completed,zqb%d@example.com,0912-555-%03d,Zqb%d,Zqc%d,yes\n", i, 18+i, i, i, i, i)
	}
	cfgB, exportB := metaConfig(t, urlB, ""), exportFile(t, 0, rows.String())

	// Interrupted while it waits.
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := lockFactory(env, &out, &errOut, func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() })
	if code := execute(ctx, f, []string{"upload", "--lock-wait", "1h", "--config", cfgB, exportB}); code != ExitInterrupted ||
		!strings.Contains(errOut.String(), "interrupted while waiting for the ledger lock") || gB.Requests() != 0 {
		t.Fatalf("a signal while waiting: exit %d, %d requests, want 130 and none:\n%s", code, gB.Requests(), errOut.String())
	}

	// Waits, and sends once the first is done.
	out.Reset()
	errOut.Reset()
	polls := 0
	f = lockFactory(env, &out, &errOut, func(ctx context.Context, d time.Duration) error {
		if polls++; polls == 3 {
			release()
		}
		time.Sleep(10 * time.Millisecond)
		return ctx.Err()
	})
	if code := execute(context.Background(), f, []string{"upload", "--lock-wait", "1h", "--config", cfgB, exportB}); code != 0 || len(gB.Accepted()) != 5 || polls < 3 {
		t.Fatalf("with --lock-wait: exit %d, %d accepted after %d polls, want 0 and 5:\n%s", code, len(gB.Accepted()), polls, errOut.String())
	}
	if first := wait(); first.code != 0 {
		t.Fatalf("first run: exit %d\n%s", first.code, first.stderr)
	}
}

// TestTheRunReportNamesItsConfig: the run report says which config, as an
// absolute path, beside config_sha256 — for a run that failed before the
// config was read too.
func TestTheRunReportNamesItsConfig(t *testing.T) {
	rel := "../../configs/example.yaml"
	abs, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	for _, export := range []string{filepath.Join(root, "example", "appointments.csv"), filepath.Join(t.TempDir(), "missing.csv")} {
		rep := filepath.Join(t.TempDir(), "r.json")
		r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "o.csv"), "--report", rep, "--config", rel, export)
		b, err := os.ReadFile(rep)
		if err != nil {
			t.Fatalf("exit %d, no report: %v\n%s", r.code, err, r.stderr)
		}
		var s struct {
			Config string `json:"config"`
		}
		if err := json.Unmarshal(b, &s); err != nil || s.Config != abs {
			t.Errorf("report (exit %d) config = %q, want %q (%v)", r.code, s.Config, abs, err)
		}
	}
}
