package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stalled is one run over a standard input that stalls.
type stalled struct {
	result
	stopped bool // the run ended within stallWait of the signal
}

const stallWait = 3 * time.Second

// runStalled runs hashgate in-process with standard input a pipe that
// carries head and then stalls — its writer never closes, like a clinic
// export that hangs or a person who has not typed Ctrl-D — and, once head
// has been read, delivers the first signal (the run's context is
// cancelled, as signals.Notify does). The pipe is closed after stallWait
// if the run has not ended by then, so that a run that waits for its
// writer fails the test instead of hanging it.
func runStalled(t *testing.T, env map[string]string, head string, args ...string) stalled {
	t.Helper()
	pr, pw := io.Pipe()
	defer pw.Close()
	var out, errOut bytes.Buffer
	f := testFactory(t, env, pr, &out, &errOut)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- execute(ctx, f, args) }()
	written := make(chan error, 1)
	go func() { _, err := pw.Write([]byte(head)); written <- err }()
	select {
	case err := <-written:
		if err != nil {
			t.Fatal(err)
		}
	case code := <-done:
		t.Fatalf("the run ended (exit %d) before it read its input\n%s", code, errOut.String())
	}
	time.Sleep(50 * time.Millisecond) // the run is blocked reading what does not come
	cancel()
	var s stalled
	select {
	case s.code = <-done:
		s.stopped = true
	case <-time.After(stallWait):
		pw.Close() // the writer ends: the run can return
		s.code = <-done
	}
	s.stdout, s.stderr = out.String(), errOut.String()
	return s
}

// exampleHead is the bundled example's header and first rows.
func exampleHead(t *testing.T, lines int) string {
	t.Helper()
	b, err := os.ReadFile(root + "/example/appointments.csv")
	if err != nil {
		t.Fatal(err)
	}
	all := strings.SplitAfter(string(b), "\n")
	return strings.Join(all[:lines], "")
}

// TestASignalStopsAStalledStandardInputAtOnce: an export piped in that
// stalls no longer keeps the first signal waiting for its writer. The run
// stops reading at once, exits 130, and says it was interrupted before the
// end of stdin — not "0 rows read", as of an empty export — on stderr and
// in the report. Before, the signal took effect only when the writer ended
// (a review: `(head -5 export.csv; sleep 6) | hashgate upload --dry-run -`
// ended 6 s after one Ctrl-C, with "0 rows read").
func TestASignalStopsAStalledStandardInputAtOnce(t *testing.T) {
	cfg := "../../configs/example.yaml"
	// More than the 64 KiB read to find the header and delimiter: the
	// rows are being read when the export stalls.
	body := strings.SplitAfterN(exampleHead(t, 21), "\n", 2)
	long := body[0] + strings.Repeat(body[1], 100<<10/len(body[1])+1)
	for _, c := range []struct {
		name, head string
	}{
		{"while the header is read", exampleHead(t, 5)},
		{"while the rows are read", long},
	} {
		t.Run(c.name, func(t *testing.T) {
			rep := filepath.Join(t.TempDir(), "report.json")
			r := runStalled(t, secretEnv, c.head, "upload", "--dry-run", "--config", cfg, "--report", rep, "-")
			if !r.stopped {
				t.Errorf("the signal took effect only when the export's writer ended")
			}
			if r.code != ExitInterrupted {
				t.Errorf("exit %d, want %d", r.code, ExitInterrupted)
			}
			if r.stdout != "" {
				t.Errorf("the review CSV was written: %q", r.stdout)
			}
			for _, want := range []string{
				"hashgate: stdin not read to its end (",
				"bytes read): nothing written or sent\n",
				"hashgate: interrupted while reading stdin, before its end" + configNote(t, "../../configs/example.yaml") + "\n",
			} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "rows read from") {
				t.Errorf("the summary counts rows of an export it did not finish:\n%s", r.stderr)
			}
			b, err := os.ReadFile(rep)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				ExitCode    int    `json:"exit_code"`
				Cause       string `json:"cause"`
				Interrupted bool   `json:"interrupted_while_reading"`
				BytesRead   int64  `json:"bytes_read"`
			}
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got.ExitCode != ExitInterrupted || !got.Interrupted || got.BytesRead != int64(len(c.head)) ||
				got.Cause != "interrupted while reading stdin, before its end" {
				t.Errorf("report: %+v (%d bytes were sent)\n%s", got, len(c.head), b)
			}
		})
	}
}

// TestEveryCommandReadingAnExportFromStdinStopsAtASignal: write, channels,
// inspect, check and config init read an export from "-" as upload does,
// and the first signal stops each at once, exit 130.
func TestEveryCommandReadingAnExportFromStdinStopsAtASignal(t *testing.T) {
	cfg := "../../configs/example.yaml"
	head := exampleHead(t, 5)
	env := map[string]string{"HASHGATE_SECRET": goldenSecret, "HASHGATE_DESTINATIONS_GOOGLE_CONVERSION_NAME": "Clinic visit"}
	for _, args := range [][]string{
		{"write", "--format", "google-ads-csv", "--config", cfg, "-"},
		{"write", "--format", "meta-offline-csv", "--config", cfg},
		{"channels", "--config", chPath("en.yaml"), "-"},
		{"inspect", "-"},
		{"check", "--config", cfg, "-"},
		{"config", "init", "--from", "-"},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			r := runStalled(t, env, head, args...)
			if !r.stopped || r.code != ExitInterrupted {
				t.Errorf("stopped at once: %v, exit %d (want 130)\n%s", r.stopped, r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "hashgate: interrupted while reading stdin") {
				t.Errorf("stderr:\n%s", r.stderr)
			}
		})
	}
}
