package cli

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestALedgerRestoredFromBeforeAKilledNightStops: night 2 is killed
// (SIGKILL: no run end, no record written after it) once Meta accepted
// its first request. The upload bumped the generation and wrote the
// state directory's record only at the run's end, so the killed night
// left both at night 1's: the backup from before night 2, put back,
// matched the record, and night 3 sent again what the killed night had
// delivered (a review, 2026-12-07). The run's start bumps and records:
// night 3 stops as restored (exit 2), nothing sent.
func TestALedgerRestoredFromBeforeAKilledNightStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real process; run without -short")
	}
	bin, err := hashgateBinary()
	if err != nil {
		t.Fatal(err)
	}
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877"}
	kill := make(chan struct{}, 1)
	var armed atomic.Bool
	g.AfterAnswer = func(int) {
		if armed.CompareAndSwap(true, false) {
			kill <- struct{}{}
		}
	}
	srv := g.Start(t)
	env := uploadEnv(t)
	state, backup := filepath.Join(env["XDG_STATE_HOME"], "hashgate"), t.TempDir()
	cfg := metaConfig(t, srv.URL, "    concurrency: 1\n")
	export := filepath.Join(t.TempDir(), "export.csv")
	// Real clock in the child: appointments two and three days ago; night
	// 2's 1,500 new ones go in two requests.
	loc := mustZone(t, "Asia/Taipei")
	writeRows := func(nights int) {
		var rows strings.Builder
		rows.WriteString("id,at,status,email,phone,first,last,consent\n")
		for i := 0; i < 10+1500*(nights-1); i++ {
			day := time.Now().In(loc).AddDate(0, 0, -3+min(i/10, 1)).Format("2006-01-02")
			fmt.Fprintf(&rows, "K%05d,%s 10:00,completed,zqkb%d@example.com,0913-%03d-%03d,Zq,Zq,yes\n", i, day, i, i%1000, i/1000)
		}
		if err := os.WriteFile(export, []byte(rows.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	command := func() *exec.Cmd {
		cmd := exec.Command(bin, "upload", "--config", cfg, export)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		return cmd
	}
	writeRows(1)
	if out, err := command().CombinedOutput(); err != nil {
		t.Fatalf("night 1: %v\n%s", err, out)
	}
	copyLedger(t, state, backup) // the backup, after night 1

	writeRows(2)
	cmd := command()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	armed.Store(true)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-kill:
		cmd.Process.Signal(syscall.SIGKILL)
	case err := <-done:
		t.Fatalf("night 2 ended before its first answer: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("night 2 never had an answer")
	}
	<-done
	recordAgrees(t, state) // the killed run left neither ahead

	copyLedger(t, backup, state) // put back: the killed night's sends are lost
	before := g.Requests()
	out, err := command().CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != ExitUsage || !strings.Contains(string(out), "older than its last run or change") || g.Requests() != before {
		t.Fatalf("night 3 on the ledger from before the killed night: %v, Meta requests %d → %d (want the restored-ledger stop, exit %d, nothing sent)\n%s", err, before, g.Requests(), ExitUsage, out)
	}
}

// recordAgrees fails unless every state-directory record of the ledger in
// state (ledger-runs/) holds the ledger's generation: a record ahead of
// the ledger would stop the next night for a change the ledger never
// kept, and a ledger ahead of it leaves a copy taken in between unseen.
func recordAgrees(t *testing.T, state string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(state, "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var gen int64
	if err := db.QueryRow(`SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'generation'`).Scan(&gen); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(state, "ledger-runs", "*.json"))
	if len(files) == 0 {
		t.Fatal("no record of the ledger in the state directory")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rec struct {
			Generation int64 `json:"generation"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Generation != gen {
			t.Fatalf("%s records generation %d, the ledger is at %d", filepath.Base(f), rec.Generation, gen)
		}
	}
}
