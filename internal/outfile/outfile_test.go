package outfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
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

// TestNothingIsWrittenThroughASymlink: a link planted where an output
// goes (report.html -> the victim's file) is refused with an error naming
// the path; the target keeps its bytes and the link stays a link. Links
// to a link to a file, and dangling links, are refused too.
func TestNothingIsWrittenThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	os.WriteFile(victim, []byte("precious"), 0o644)
	link := filepath.Join(dir, "report.html")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	hop := filepath.Join(dir, "out.csv")
	os.Symlink(link, hop)
	dangling := filepath.Join(dir, "gone.csv")
	os.Symlink(filepath.Join(dir, "nowhere", "x"), dangling)
	for _, p := range []string{link, hop, dangling} {
		err := WriteFile(p, []byte("overwritten"))
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "link") {
			t.Errorf("WriteFile(%s) = %v, want an error naming the link", p, err)
		}
		if st, _ := os.Lstat(p); st == nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link", p)
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the link's target was overwritten: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("a dangling link's directory was created")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 4 {
		t.Errorf("left behind: %v", ents)
	}
}

// TestABlockDeviceIsRefused: a CSV is never meant for a disk.
func TestABlockDeviceIsRefused(t *testing.T) {
	var dev string
	for _, d := range []string{"/dev/loop0", "/dev/sda", "/dev/vda", "/dev/nvme0n1", "/dev/ram0"} {
		if st, err := os.Stat(d); err == nil && st.Mode()&os.ModeDevice != 0 && st.Mode()&os.ModeCharDevice == 0 {
			dev = d
			break
		}
	}
	if dev == "" {
		t.Skip("no block device to point at")
	}
	link := filepath.Join(t.TempDir(), "out.csv")
	os.Symlink(dev, link)
	for _, p := range []string{dev, link} {
		if _, err := Create(p); err == nil || !strings.Contains(err.Error(), "block device") {
			t.Errorf("Create(%s) = %v, want refused", p, err)
		}
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
		// The reader is there first: a FIFO is opened without waiting.
		rd, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		if err := WriteFile(fifo, []byte("through the pipe")); err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(rd); string(b) != "through the pipe" {
			t.Errorf("reader got %q", b)
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
// file; the next run writing into the same directory removes it — of any
// output: a dated name is never written again (a privacy review) — and
// counts it, but never one of a run that is still going, nor a name not
// of the pattern. The old pattern's are removed for the same output alone.
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
	// Another output's files: a dead pid is not enough (a run on another
	// NFS client or in another pid namespace looks dead here); untouched
	// for hours, they are a killed run's.
	os.Chtimes(stale, old, old)
	os.Chtimes(other, old, old)
	freshOther := filepath.Join(dir, ".third.csv.hashgate-"+strconv.Itoa(dead)+"-555.tmp")
	os.WriteFile(freshOther, []byte("a live run elsewhere"), 0o600)
	// Not of the pattern: a pid that is no number, no random part, no dot.
	notOurs := []string{".other.csv.hashgate-x1-789.tmp", ".other.csv.hashgate-" + strconv.Itoa(dead) + ".tmp", "other.csv.hashgate-" + strconv.Itoa(dead) + "-1.tmp"}
	for _, n := range notOurs {
		os.WriteFile(filepath.Join(dir, n), []byte("kept"), 0o600)
	}
	o, err := Create(filepath.Join(dir, "out-2026-12-07.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Stale() != 2 {
		t.Errorf("Stale() = %d, want 2 (the dead run's files, of whatever output)", o.Stale())
	}
	o.Abort()
	if _, err := os.Stat(legacyOld); err != nil {
		t.Error("another output's file of the old pattern was removed: nothing in it says whose it is")
	}
	if err := WriteFile(filepath.Join(dir, "out.csv"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	for _, n := range notOurs {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s, not of the pattern, was removed", n)
		}
	}
	for p, want := range map[string]bool{stale: false, live: true, other: false, legacyOld: false, legacyNew: true, freshOther: true} {
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

// TestCommitNewNeverReplaces: CommitNew puts a whole file, mode 0600, at a
// path that had none, leaves no temporary name, and when the path exists
// (another writer came first) fails with fs.ErrExist, leaving that file.
func TestCommitNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "channels.key")
	first, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	first.Write([]byte("first"))
	second.Write([]byte("second"))
	if err := first.CommitNew(); err != nil {
		t.Fatal(err)
	}
	if err := second.CommitNew(); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second CommitNew: %v, want fs.ErrExist", err)
	}
	b, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(b) != "first" || fi.Mode().Perm() != 0o600 {
		t.Errorf("content %q mode %v, want the first writer's, 0600", b, fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left: %d entries", len(ents))
	}
}

// TestCheckTriesThePlaceAndLeavesNothing: Check refuses what Create
// refuses (a link to a file, a directory), says a directory it cannot
// write in is the place's fault (*PlaceError), and leaves no file behind
// where it could write.
func TestCheckTriesThePlaceAndLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "victim.json")
	os.WriteFile(target, []byte("v"), 0o600)
	link := filepath.Join(dir, "last.json")
	os.Symlink(target, link)
	var pe *PlaceError
	if err := Check(link); err == nil || errors.As(err, &pe) {
		t.Errorf("a link to a file: %v", err)
	}
	if err := Check(dir); err == nil || errors.As(err, &pe) {
		t.Errorf("a directory: %v", err)
	}
	if err := Check(filepath.Join(dir, "none", "x.csv")); !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing directory: %v", err)
	}
	before, _ := os.ReadDir(dir)
	if err := Check(filepath.Join(dir, "new.csv")); err != nil {
		t.Errorf("a new file: %v", err)
	}
	if err := Check(target); err != nil {
		t.Errorf("an existing file: %v", err)
	}
	if after, _ := os.ReadDir(dir); len(after) != len(before) {
		t.Errorf("Check left %d files, had %d", len(after), len(before))
	}
}
