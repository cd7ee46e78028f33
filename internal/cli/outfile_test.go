package cli

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestOutToANonRegularTarget: --out naming a symlink to /proc/self/fd/N
// (what /dev/stdout is) writes through it; the link is not replaced by a
// regular file. A killed run's temporary file beside --out is removed.
func TestOutToANonRegularTarget(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc/self/fd")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := make(chan string)
	go func() { b, _ := io.ReadAll(r); got <- string(b) }()
	dir := t.TempDir()
	link := filepath.Join(dir, "review.csv")
	if err := os.Symlink("/proc/self/fd/"+strconv.Itoa(int(w.Fd())), link); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", "--out", link, root+"/example/appointments.csv")
	w.Close()
	out := <-got
	if res.code != ExitOK || !strings.HasPrefix(out, "destination,event_id") {
		t.Fatalf("exit %d, pipe got %q\n%s", res.code, out, res.stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v %v", st.Mode(), err)
	}

	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip(err)
	}
	out2 := filepath.Join(dir, "out.csv")
	stale := filepath.Join(dir, ".out.csv.hashgate-"+strconv.Itoa(dead.Process.Pid)+"-77.tmp")
	os.WriteFile(stale, []byte("hashes of a run killed with -9"), 0o600)
	res = runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", "--out", out2, root+"/example/appointments.csv")
	if res.code != ExitOK {
		t.Fatalf("exit %d\n%s", res.code, res.stderr)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale temporary file of a killed run is still there")
	}
}

// TestOutputsNeverWriteThroughASymlink: --out, --report and --html naming
// a symlink to a regular file (planted by whoever can write to the output
// directory, pointing at a file of the user's) are refused with an error
// naming the path; the file keeps its bytes and the link stays a link.
func TestOutputsNeverWriteThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "bashrc")
	plant := func(name string) string {
		t.Helper()
		os.WriteFile(victim, []byte("precious"), 0o600)
		link := filepath.Join(dir, name)
		os.Remove(link)
		if err := os.Symlink(victim, link); err != nil {
			t.Fatal(err)
		}
		return link
	}
	check := func(what, link string, res result) {
		t.Helper()
		if res.code == ExitOK || !strings.Contains(res.stderr, link) || !strings.Contains(res.stderr, "symbolic link") {
			t.Errorf("%s through a symlink: exit %d\n%s", what, res.code, res.stderr)
		}
		if b, _ := os.ReadFile(victim); string(b) != "precious" {
			t.Errorf("%s overwrote the link's target: %.60q", what, b)
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s replaced the link", what)
		}
	}
	example := []string{"--config", "../../configs/example.yaml", root + "/example/appointments.csv"}

	link := plant("review.csv")
	check("--out", link, runCLI(t, secretEnv, "", append([]string{"upload", "--dry-run", "--out", link}, example...)...))

	link = plant("report.json")
	check("--report", link, runCLI(t, secretEnv, "", append([]string{"upload", "--dry-run", "--report", link}, example...)...))

	link = plant("google.csv")
	check("write --out", link, runCLI(t, map[string]string{"HASHGATE_SECRET": "outfile-test-secret-3Jh8Nq5Bv1Xc6Zm0kP"}, "", append([]string{"write", "--format", "meta-offline-csv", "--out", link}, example...)...))

	link = plant("channels.html")
	check("--html", link, runCLI(t, nil, "", channelsArgs(channelsCases[0], "--html", link)...))
}
