package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/reviewcsv"
)

// TestSpilledHeldRowsHoldNoRawValue: the rows a run holds until the
// export is read to its end go to a temporary file past the hold's memory
// limit (pipeline.Options.HoldMemory, internal/spool), and that file is
// the process's too: it holds digests and checked fields, never a cell as
// the export wrote it. The canary export (10 rows) never reaches the
// default limit of 1 MiB, so the canary tests that run the CLI never see
// a spilled byte; here the canary config, loaded as the CLI loads it,
// runs the canary export through the pipeline with a limit of one byte,
// so every held row goes to the file, and the file's bytes are read
// through the run's own open handle (it is unlinked as soon as it is
// made) once the export has been read, while the held rows are settled
// (Options.Observe, called before the file is closed). Both layouts of a
// held conversion are read: the review CSV's prepared line (a dry-run) and
// the conversion itself (a sink that prepares nothing: uploads).
//
// It lives in package cli because the canary config is loaded by the
// CLI's loader (viper, presets, defaults), which no domain package may
// import.
func TestSpilledHeldRowsHoldNoRawValue(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the unlinked spill file is read through /proc/self/fd")
	}
	cs := canaries(t)
	f := testFactory(t, secretEnv, strings.NewReader(""), io.Discard, io.Discard)
	cfg, err := loadConfig(f, root+"/canary/config.yaml", true, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	export, err := os.ReadFile(root + "/canary/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Count(strings.TrimSpace(string(export)), "\n") // the header's line ends the first
	// The spool makes its file in the system's temporary directory: a
	// directory of the test's own names it among the process's files.
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)

	layout := reviewcsv.Layout{Fields: map[platform.Platform][]platform.Field{}}
	for _, p := range cfg.Enabled() {
		layout.Fields[p] = cfg.IdentifierFields(p)
	}
	for _, prepared := range []bool{true, false} {
		var snk sink.Sink
		var review bytes.Buffer
		written := &countingSink{}
		snk = written
		if prepared {
			w, err := reviewcsv.New(&review, layout)
			if err != nil {
				t.Fatal(err)
			}
			snk = w
		}
		var spilled []byte
		observed := 0
		sum := report.New("export.csv")
		err := pipeline.Run(context.Background(), pipeline.Options{
			Config: cfg, Key: cfg.Secret, Input: bytes.NewReader(export), InputName: "export.csv", Sink: snk,
			Now: f.Now(), Workers: 1, HoldMemory: 1,
			Observe: func(int, string, pipeline.Outcome) {
				if observed++; observed == 1 {
					spilled = readSpill(t, dir)
				}
			},
		}, sum)
		if err == nil {
			err = snk.Close()
		}
		if err != nil {
			t.Fatalf("prepared %v: %v", prepared, err)
		}
		if prepared && !strings.Contains(review.String(), "google,") || !prepared && written.n == 0 {
			t.Fatalf("prepared %v: the canary run made no conversion (%d written); the held records would hold none to look in", prepared, written.n)
		}
		// The spill happened, whole: every row read is one record in the
		// file, none stayed in memory.
		if n := heldRecords(t, spilled); len(spilled) == 0 || n != rows || sum.RowsRead != rows || observed != rows {
			t.Fatalf("prepared %v: %d bytes spilled in %d records; %d rows read, %d settled, want %d", prepared, len(spilled), n, sum.RowsRead, observed, rows)
		}
		t.Logf("prepared %v: %d bytes spilled in %d records", prepared, len(spilled), rows)
		assertNoCanary(t, map[bool]string{true: "the spill file (review CSV)", false: "the spill file (conversions)"}[prepared], string(spilled), cs)
	}
}

// countingSink takes conversions as an upload's client would, preparing
// none: the held rows keep the conversions themselves.
type countingSink struct{ n int }

func (s *countingSink) Write(*conversion.Conversion) error { s.n++; return nil }
func (s *countingSink) Close() error                       { return nil }

// readSpill returns the bytes of the one spill file the process holds
// open in dir (its name is gone: read through the descriptor).
func readSpill(t *testing.T, dir string) []byte {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var found []byte
	n := 0
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err != nil || !strings.HasPrefix(target, filepath.Join(dir, "hashgate-held-")) {
			continue
		}
		if found, err = os.ReadFile(filepath.Join("/proc/self/fd", fd.Name())); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("%d spill files open in %s, want 1", n, dir)
	}
	return found
}

// heldRecords counts the records of a spill file: each its length
// (uvarint), then its bytes (spool.Append).
func heldRecords(t *testing.T, b []byte) int {
	t.Helper()
	n := 0
	for len(b) > 0 {
		size, k := binary.Uvarint(b)
		if k <= 0 || size > uint64(len(b)-k) {
			t.Fatalf("the spill file breaks after %d records", n)
		}
		b = b[k+int(size):]
		n++
	}
	return n
}
