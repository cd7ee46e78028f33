package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestAnOutputThatCannotBeWrittenStopsBeforeSending: a --report that is
// a link to another file, a --report or --out whose directory does not
// exist or is a file, are found before the export is read: exit 2,
// nothing sent, the link and what it points to left as they are. Before,
// a link was refused only after all 50 events had gone, with exit 1, no
// summary and no --json (a review).
func TestAnOutputThatCannotBeWrittenStopsBeforeSending(t *testing.T) {
	for _, c := range []struct {
		name   string
		dryRun bool
		setup  func(dir string) (report, out string)
	}{
		{"report-is-a-link", false, func(dir string) (string, string) {
			victim := filepath.Join(dir, "victim.json")
			os.WriteFile(victim, []byte("victim\n"), 0o600)
			link := filepath.Join(dir, "last.json")
			os.Symlink(victim, link)
			return link, ""
		}},
		{"report-dir-is-a-file", false, func(dir string) (string, string) {
			os.WriteFile(filepath.Join(dir, "file"), nil, 0o600)
			return filepath.Join(dir, "file", "last.json"), ""
		}},
		{"out-dir-missing", true, func(dir string) (string, string) {
			return "", filepath.Join(dir, "no-such-dir", "review.csv")
		}},
		{"out-is-a-directory", true, func(dir string) (string, string) {
			return "", dir
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, cfg, clients := uploadSetup(t)
			dir := t.TempDir()
			path := filepath.Join(dir, "export.csv")
			os.WriteFile(path, heldExport(50, false), 0o600)
			rep, out := c.setup(dir)
			opened := false
			readHook = func(r io.Reader) io.Reader { opened = true; return r }
			t.Cleanup(func() { readHook = nil })
			err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path, Report: rep, Out: out, DryRun: c.dryRun, JSON: !c.dryRun})
			if Code(err) != ExitUsage || !strings.Contains(err.Error(), "nothing was read or sent") {
				t.Fatalf("exit %d, err %v; want 2 before anything was read or sent", Code(err), err)
			}
			for p, cl := range clients {
				if cl.sent != 0 {
					t.Errorf("%s got %d events", p, cl.sent)
				}
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "victim.json")); c.name == "report-is-a-link" && string(b) != "victim\n" {
				t.Errorf("the link's target was written: %q", b)
			}
			if !c.dryRun {
				var got struct {
					ExitCode int    `json:"exit_code"`
					Cause    string `json:"cause"`
				}
				if jerr := json.Unmarshal(env.Out.(*bytes.Buffer).Bytes(), &got); jerr != nil || got.ExitCode != ExitUsage || !strings.Contains(got.Cause, "--report") {
					t.Errorf("--json printed %q (%v), want exit 2 and the cause", env.Out.(*bytes.Buffer), jerr)
				}
			}
			if opened {
				t.Error("the export was opened")
			}
		})
	}
}

// TestAReportThatFailsAfterSendingSaysWhatWasSent: the --report was
// writable when checked, and the disk filled while the run sent. The
// summary and --json still say what went, with the exit code of what was
// sent made 1 (every conversion went: cron must still hear of the missing
// report), the state directory keeps its copy, and last night's report
// (exit_code 0) is removed rather than left for monitors to read as
// tonight's. Before, the run said only "--report: …", exit 1 (a review).
func TestAReportThatFailsAfterSendingSaysWhatWasSent(t *testing.T) {
	env, cfg, clients := uploadSetup(t)
	state := t.TempDir()
	env.StateDir = func() (string, error) { return state, nil }
	dir := t.TempDir()
	path, rep := filepath.Join(dir, "export.csv"), filepath.Join(dir, "last.json")
	os.WriteFile(path, heldExport(50, false), 0o600)
	os.WriteFile(rep, []byte(`{"exit_code": 0}`+"\n"), 0o600) // last night's
	real := writeFile
	t.Cleanup(func() { writeFile = real })
	writeFile = func(p string, b []byte) error {
		if p == rep {
			return &os.PathError{Op: "write", Path: p, Err: syscall.ENOSPC}
		}
		return real(p, b)
	}
	err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: path, Report: rep, JSON: true})
	var oe *OutputError
	if Code(err) != ExitFailure || !errors.As(err, &oe) || oe.Flag != "--report" || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("exit %d, err %v; want 1 with the --report failure", Code(err), err)
	}
	if got := clients[platform.Meta].sent; got != 50 {
		t.Fatalf("meta got %d events, want 50", got)
	}
	var got struct {
		ExitCode int    `json:"exit_code"`
		Cause    string `json:"cause"`
		RunID    string `json:"run_id"`
		Uploads  []struct {
			Destination string `json:"destination"`
			Ingested    int    `json:"ingested"`
		} `json:"destinations"`
	}
	if jerr := json.Unmarshal(env.Out.(*bytes.Buffer).Bytes(), &got); jerr != nil {
		t.Fatalf("--json printed nothing readable: %v\n%s", jerr, env.Out.(*bytes.Buffer))
	}
	if got.ExitCode != ExitFailure || !strings.Contains(got.Cause, "--report") || got.RunID == "" {
		t.Errorf("--json: exit %d, cause %q, run %q", got.ExitCode, got.Cause, got.RunID)
	}
	ingested := 0
	for _, u := range got.Uploads {
		ingested += u.Ingested
	}
	if ingested == 0 {
		t.Errorf("--json says nothing was ingested: %s", env.Out.(*bytes.Buffer))
	}
	if _, err := os.Stat(filepath.Join(state, "reports", got.RunID+".json")); err != nil {
		t.Errorf("the state directory's copy was not kept: %v", err)
	}
	if _, err := os.Lstat(rep); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("last night's report is still there for monitors to read (%v)", err)
	}
	if !strings.Contains(oe.Stale, "removed") {
		t.Errorf("the error does not say the earlier report was removed: %v", err)
	}
}

// TestAnOutputLeftStaleSaysSo: where the file an earlier run left cannot
// be removed either, the error says it is stale.
func TestAnOutputLeftStaleSaysSo(t *testing.T) {
	p := "/proc/" + strconv.Itoa(os.Getpid()) + "/status" // regular, never removable
	if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() {
		t.Skip("no /proc here")
	}
	oe := outputFailed("--report", p, syscall.EROFS)
	if !strings.Contains(oe.Error(), "STALE") {
		t.Errorf("%v: does not say the file there is stale", oe)
	}
	if oe := outputFailed("--report", filepath.Join(t.TempDir(), "none.json"), syscall.EROFS); oe.Stale != "" {
		t.Errorf("nothing there, and yet: %v", oe)
	}
}

// TestAFailedOutputCheckRemovesNothing: the check before the run failed on
// a name too long for its temporary file (as on a full disk), and removed
// the file the flag named — which was the export itself (a review of the
// session's diff). The check removes nothing; the export stays.
func TestAFailedOutputCheckRemovesNothing(t *testing.T) {
	env, cfg, _ := uploadSetup(t)
	dir := t.TempDir()
	path := filepath.Join(dir, strings.Repeat("e", 236)+".csv")
	if err := os.WriteFile(path, heldExport(5, false), 0o600); err != nil {
		t.Skip("the file system takes no such name:", err)
	}
	for _, req := range []UploadRequest{
		{Config: cfg, Input: path, Out: path, DryRun: true},
		{Config: cfg, Input: filepath.Join(dir, "x.csv"), Report: path, DryRun: true},
	} {
		err := Upload(context.Background(), env, req)
		if err == nil {
			t.Fatalf("%+v: no error", req)
		}
		if _, serr := os.Stat(path); serr != nil {
			t.Fatalf("the check removed the file its flag named: %v (err %v)", serr, err)
		}
	}
}
