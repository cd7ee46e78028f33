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
