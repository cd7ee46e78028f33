package run

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// patientExport: a patient's visit, then a later visit of theirs on
// another order whose consent cell says latest.
func patientExport(t *testing.T, latest string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "export.csv")
	body := "id,chart,at,email,phone,consent\n" +
		"P1,CH-1,2026-11-01 10:00,zqearlier@example.com,,yes\n" +
		"P2,CH-1,2026-11-20 10:00,zqlater@example.com,," + latest + "\n"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// dryRunAnswer is what a dry-run sends and counts: the review CSV's lines
// sorted (row order may move a duplicate's conversion to another line, not
// what is sent), and the run report's counts.
type dryRunAnswer struct {
	Lines  []string
	Counts string
	Err    string
}

func dryRunOf(t *testing.T, cfg *config.Config, export []byte, fromStdin bool) dryRunAnswer {
	t.Helper()
	dir := t.TempDir()
	input, rep := filepath.Join(dir, "export.csv"), filepath.Join(dir, "report.json")
	if err := os.WriteFile(input, export, 0o600); err != nil {
		t.Fatal(err)
	}
	stdin := ""
	if fromStdin {
		stdin, input = string(export), "-"
	}
	env, out, _ := testEnv(t, stdin)
	var a dryRunAnswer
	if err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: input, DryRun: true, Report: rep}); err != nil {
		a.Err = err.Error()
	}
	a.Lines = strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	slices.Sort(a.Lines)
	b, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var counts []string
	for _, k := range []string{"rows_read", "rows_used", "excluded", "conversions", "skipped", "dropped", "notes", "status_rows", "status_matched"} {
		v, _ := json.Marshal(m[k])
		counts = append(counts, k+"="+string(v))
	}
	a.Counts = strings.Join(counts, " ")
	return a
}

// metamorphicExport: visits of patients who revoke on a later row than a
// visit, orders with a later stricter row (revoked, denied, scoped) or a
// later blank one, rows repeated as an export repeats them, and plain
// visits; shuffled by seed when shuffle is set (the header stays first).
func metamorphicExport(seed uint64, shuffle bool) []byte {
	rows := []string{
		"V1,CH-1,2026-11-18 10:00,zqv1@example.com,,yes",
		"V2,CH-1,2026-11-20 10:00,zqv2@example.com,,revoked", // CH-1 revoked after their visit V1
		"V3,CH-2,2026-11-18 11:00,zqv3@example.com,,yes",
		"V3,CH-2,2026-11-18 11:00,zqv3@example.com,,yes", // a repeated row
		"V4,CH-3,2026-11-19 09:00,zqv4@example.com,,yes",
		"V4,CH-3,2026-11-19 09:00,zqv4@example.com,,no", // a later stricter row of the order
		"V5,CH-4,2026-11-19 10:00,zqv5@example.com,,yes",
		"V5,CH-4,2026-11-19 10:00,zqv5@example.com,,yes - sms only",
		"V6,CH-5,2026-11-19 12:00,zqv6@example.com,,yes",
		"V6,CH-5,2026-11-19 12:00,zqv6@example.com,,", // blank says nothing
		"V7,,2026-11-20 09:00,zqv7@example.com,,yes",
		"V8,CH-6,2026-11-20 09:30,zqv8@example.com,,withdrawn",
		"V9,CH-6,2026-11-17 09:30,zqv9@example.com,,yes",    // CH-6 revoked on an earlier row
		",CH-7,2026-11-20 09:30,zqv10@example.com,,revoked", // no order id: still revokes CH-7
		"V11,CH-7,2026-11-16 09:30,zqv11@example.com,,yes",
		"V12,CH-8,2026-11-16 13:00,zqv12@example.com,,yes",
	}
	if shuffle {
		rng := rand.New(rand.NewPCG(seed, 7))
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	}
	return []byte("id,chart,at,email,phone,consent\n" + strings.Join(rows, "\n") + "\n")
}

func patientConfig(t *testing.T) *config.Config {
	cfg := testConfig(t)
	cfg.Input.Columns.PatientKey = "chart"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestFileAndStdinSendAndCountAlike: the same export from a file and from
// standard input gives the same sends and counts — a patient revoked on a
// later row than their visit, an order with a later stricter row — and so
// does every reordering of its rows. Before the single read, standard
// input could not apply either (issue 29).
func TestFileAndStdinSendAndCountAlike(t *testing.T) {
	cfg := patientConfig(t)
	want := dryRunOf(t, cfg, metamorphicExport(0, false), false)
	if want.Err != "" {
		t.Fatal(want.Err)
	}
	// What the export says: V3 (once), V6, V12 go to both platforms; V1,
	// V2 (CH-1), V8, V9 (CH-6), V7's … are withheld as the rules say.
	for _, gone := range []string{"consent_revoked_patient", "consent_refused_order"} {
		if !strings.Contains(want.Counts, gone) {
			t.Errorf("counts lack %s: %s", gone, want.Counts)
		}
	}
	if n := len(want.Lines) - 1; n != 2*4 {
		t.Errorf("%d conversions, want V3, V6, V7, V12 to both platforms:\n%s", n, strings.Join(want.Lines, "\n"))
	}
	for seed := range uint64(8) {
		for _, stdin := range []bool{false, true} {
			got := dryRunOf(t, cfg, metamorphicExport(seed, seed > 0), stdin)
			if got.Err != want.Err || got.Counts != want.Counts || !slices.Equal(got.Lines, want.Lines) {
				t.Errorf("seed %d, stdin %v: differs from the file in export order:\ncounts %s\nwant   %s\nlines\n%s\nwant\n%s",
					seed, stdin, got.Counts, want.Counts, strings.Join(got.Lines, "\n"), strings.Join(want.Lines, "\n"))
			}
		}
	}
}

// TestStdinRevokesThePatient: from standard input a revocation on a later
// row of a patient holds back their earlier visit too, and no warning says
// otherwise any more.
func TestStdinRevokesThePatient(t *testing.T) {
	b, err := os.ReadFile(patientExport(t, "revoked"))
	if err != nil {
		t.Fatal(err)
	}
	env, stdout, errOut := testEnv(t, string(b))
	var log bytes.Buffer
	env.Logger = slog.New(slog.NewTextHandler(&log, nil))
	if err := Upload(context.Background(), env, UploadRequest{Config: patientConfig(t), Input: "-", DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Count(stdout.String(), "\n") != 1 || !strings.Contains(errOut.String(), pipeline.ReasonPatientRevoked) {
		t.Errorf("a revoked patient's visit went out from stdin:\n%s\n%s", stdout, errOut)
	}
	if log.Len() != 0 {
		t.Errorf("a warning: %s", log.String())
	}
}

// TestStrictestConsentOfAnOrderWins: two rows of one order id, yes then
// revoked, no patient key: nothing is sent for that order, from a file or
// standard input. A denial or a scoped consent on another row does the
// same; blank says nothing.
func TestStrictestConsentOfAnOrderWins(t *testing.T) {
	for _, c := range []struct {
		later string
		sent  bool
	}{{"revoked", false}, {"no", false}, {"yes - sms only", false}, {"", true}, {"yes", true}} {
		body := "id,at,email,phone,consent\n" +
			"A1,2026-11-20 10:00,ann@example.com,,yes\n" +
			"B1,2026-11-20 11:00,bo@example.com,,yes\n" +
			"A1,2026-11-20 10:00,ann@example.com,," + c.later + "\n"
		p := filepath.Join(t.TempDir(), "export.csv")
		os.WriteFile(p, []byte(body), 0o600)
		for _, input := range []string{p, "-"} {
			env, stdout, errOut := testEnv(t, body)
			if err := Upload(context.Background(), env, UploadRequest{Config: testConfig(t), Input: input, DryRun: true}); err != nil {
				t.Fatal(err)
			}
			// B1 goes to both platforms; A1 only when no row refuses it.
			want := 1 + 2
			if c.sent {
				want += 2
			}
			if got := strings.Count(stdout.String(), "\n"); got != want {
				t.Errorf("%s, later row %q: %d lines, want %d:\n%s\n%s", input, c.later, got, want, stdout, errOut)
			}
			if !c.sent && (!strings.Contains(errOut.String(), pipeline.ReasonOrderRefused) || strings.Contains(errOut.String(), pipeline.NoteRefusedAfterSent)) {
				t.Errorf("%s, later row %q: summary lacks %s:\n%s", input, c.later, pipeline.ReasonOrderRefused, errOut)
			}
		}
	}
}

// countingFS counts the opens of the export and the bytes read from it.
type countingFS struct {
	opens int
	read  int64
}

type countingFile struct {
	*os.File
	fs *countingFS
}

func (f countingFile) Read(b []byte) (int, error) {
	n, err := f.File.Read(b)
	f.fs.read += int64(n)
	return n, err
}

// TestTheExportIsReadOnce: a run over a file opens it once and reads each
// of its bytes once — a dry-run, a manual-upload file and check alike —
// and still applies a revocation on its last row to the first.
func TestTheExportIsReadOnce(t *testing.T) {
	var fs countingFS
	t.Cleanup(func() { openFile = os.Open })
	openFile = func(name string) (*os.File, error) {
		fs.opens++
		return os.Open(name)
	}
	readHook = func(r io.Reader) io.Reader {
		if f, ok := r.(*os.File); ok {
			return countingFile{File: f, fs: &fs}
		}
		return r
	}
	t.Cleanup(func() { readHook = nil })
	body := heldExport(30000, true) // larger than the reader's buffer: many reads
	path := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	env, out, errOut := testEnv(t, "")
	if err := Upload(context.Background(), env, UploadRequest{Config: testConfig(t), Input: path, DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if fs.opens != 1 || fs.read != int64(len(body)) {
		t.Errorf("the export was opened %d times and %d bytes were read from it, want 1 open and %d bytes", fs.opens, fs.read, len(body))
	}
	if n := strings.Count(out.String(), "\n"); n != 1+2*29999 || !strings.Contains(errOut.String(), pipeline.ReasonOrderRefused) {
		t.Errorf("%d lines: the revocation on the last row did not hold back the first:\n%s", n, errOut)
	}
}
