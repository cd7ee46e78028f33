package outfile

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func TestRegularFileIsReplacedWholeWithMode0600(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "review.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("new"))
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("the target changed before Commit: %q", b)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != "new" || st.Mode().Perm() != 0o600 {
		t.Errorf("after Commit: %q, mode %v", b, st.Mode())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left behind: %v", ents)
	}
}

func TestAbortLeavesTheTargetAndNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	o, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	o.Write([]byte("half"))
	o.Abort()
	o.Abort()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}

func TestSymlinkIsKeptAndItsTargetReplaced(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.csv")
	link := filepath.Join(dir, "link.csv")
	os.WriteFile(real, []byte("old"), 0o600)
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
}

// TestNonRegularTargetsAreWrittenInPlace: a device, a FIFO or a symlink to
// /proc/self/fd/N must stay what it is; a rename would replace it with a
// regular file (as root, even /dev/null).
func TestNonRegularTargetsAreWrittenInPlace(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc and mkfifo")
	}
	dir := t.TempDir()
	t.Run("device", func(t *testing.T) {
		link := filepath.Join(dir, "null")
		os.Symlink("/dev/null", link)
		if err := WriteFile(link, []byte("x")); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat("/dev/null")
		if st.Mode()&os.ModeCharDevice == 0 {
			t.Fatal("/dev/null is no longer a device")
		}
		if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
			t.Error("the link to /dev/null was replaced")
		}
	})
	t.Run("fifo", func(t *testing.T) {
		fifo := filepath.Join(dir, "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip(err)
		}
		got := make(chan string)
		go func() {
			fh, err := os.Open(fifo)
			if err != nil {
				got <- err.Error()
				return
			}
			b, _ := io.ReadAll(fh)
			fh.Close()
			got <- string(b)
		}()
		if err := WriteFile(fifo, []byte("through the pipe")); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != "through the pipe" {
			t.Errorf("reader got %q", s)
		}
		if st, _ := os.Lstat(fifo); st.Mode()&os.ModeNamedPipe == 0 {
			t.Error("the FIFO was replaced")
		}
	})
	t.Run("symlink to /proc/self/fd", func(t *testing.T) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		link := filepath.Join(dir, "stdout")
		os.Symlink("/proc/self/fd/"+strconv.Itoa(int(w.Fd())), link)
		if err := WriteFile(link, []byte("to the pipe")); err != nil {
			t.Fatal(err)
		}
		w.Close()
		if b, _ := io.ReadAll(r); string(b) != "to the pipe" {
			t.Errorf("pipe got %q", b)
		}
		if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
			t.Error("the symlink was replaced by a file")
		}
	})
}

// TestStaleTempFilesOfAKilledRunAreRemoved: kill -9 leaves the temporary
// file; the next run writing the same output removes it, but never one of
// a run that is still going.
func TestStaleTempFilesOfAKilledRunAreRemoved(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no process probe")
	}
	dir := t.TempDir()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dead := cmd.Process.Pid
	stale := filepath.Join(dir, ".out.csv.hashgate-"+strconv.Itoa(dead)+"-123.tmp")
	live := filepath.Join(dir, ".out.csv.hashgate-"+strconv.Itoa(os.Getppid())+"-456.tmp")
	other := filepath.Join(dir, ".other.csv.hashgate-"+strconv.Itoa(dead)+"-789.tmp")
	legacyOld := filepath.Join(dir, ".out.csv.2233445566.tmp")
	legacyNew := filepath.Join(dir, ".out.csv.9988776655.tmp")
	for _, p := range []string{stale, live, other, legacyOld, legacyNew} {
		os.WriteFile(p, []byte("20 MB of hashes"), 0o600)
	}
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(legacyOld, old, old)
	if err := WriteFile(filepath.Join(dir, "out.csv"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{stale: false, live: true, other: true, legacyOld: false, legacyNew: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

func TestDirectoryIsRefused(t *testing.T) {
	if _, err := Create(t.TempDir()); err == nil {
		t.Error("Create on a directory succeeded")
	}
}
