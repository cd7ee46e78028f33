//go:build linux

package outfile

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestADescriptorPathThatLeavesProcIsRefused: a link whose target only
// starts with /proc/self/fd/ — /proc/self/fd/../root/ANY/PATH — names any
// file on the system, not the process's output. A review overwrote the
// start of any regular file with the hashed CSV through one.
func TestADescriptorPathThatLeavesProcIsRefused(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "ledger.db")
	os.WriteFile(victim, []byte("precious ledger bytes"), 0o600)
	link := filepath.Join(dir, "o.csv")
	if err := os.Symlink("/proc/self/fd/../root"+victim, link); err != nil {
		t.Fatal(err)
	}
	if err := Check(link); err == nil || !strings.Contains(err.Error(), link) {
		t.Errorf("Check = %v, want the link refused by name", err)
	}
	if err := WriteFile(link, []byte("x")); err == nil || !strings.Contains(err.Error(), link) {
		t.Errorf("WriteFile = %v, want the link refused by name", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious ledger bytes" {
		t.Errorf("the victim was written: %q", b)
	}
}

// TestAnOwnDescriptorThatIsNotStdoutIsRefused: /proc/self/fd/N is exact,
// but N may be a file hashgate itself holds open — the ledger, the export.
// Only stdout or stderr (device and inode) is written through a link.
func TestAnOwnDescriptorThatIsNotStdoutIsRefused(t *testing.T) {
	dir := t.TempDir()
	held := filepath.Join(dir, "ledger.db")
	os.WriteFile(held, []byte("precious ledger bytes"), 0o600)
	fh, err := os.OpenFile(held, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	link := filepath.Join(dir, "o.csv")
	os.Symlink("/proc/self/fd/"+strconv.Itoa(int(fh.Fd())), link)
	if err := WriteFile(link, []byte("x")); err == nil || !strings.Contains(err.Error(), link) {
		t.Errorf("WriteFile = %v, want the link refused by name", err)
	}
	if b, _ := os.ReadFile(held); string(b) != "precious ledger bytes" {
		t.Errorf("the held file was written: %q", b)
	}
}

// TestALinkSwappedBeforeTheOpenIsRefused: a link to a FIFO passes the
// look; swapped to a victim's file before the open, what is opened is not
// what was looked at, and nothing is written to it.
func TestALinkSwappedBeforeTheOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	rd, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	link := filepath.Join(dir, "o.csv")
	os.Symlink(fifo, link)
	swap := func() {
		tmp := link + ".new"
		os.Symlink(victim, tmp)
		os.Rename(tmp, link)
	}
	t.Cleanup(func() { beforeOpen = func() {} })
	beforeOpen = swap
	if err := WriteFile(link, []byte("overwritten")); err == nil || !strings.Contains(err.Error(), link) {
		t.Errorf("WriteFile = %v, want the swapped link refused", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the victim was written: %q", b)
	}
}

// TestAFIFOWithoutAReaderFailsAtOnce: a FIFO nobody reads made a run wait
// in open for ever, deaf to SIGTERM; now the open fails, naming the path.
func TestAFIFOWithoutAReaderFailsAtOnce(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "rep.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() { done <- WriteFile(fifo, []byte("{}")) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "reading") {
			t.Errorf("WriteFile = %v, want an error naming the FIFO", err)
		}
	case <-time.After(5 * time.Second):
		// Unblock the open so the test binary can end.
		if rd, err := os.Open(fifo); err == nil {
			io.Copy(io.Discard, rd)
			rd.Close()
		}
		t.Fatal("WriteFile waited for a reader")
	}
}

// TestAFIFOOfAnotherUserIsRefused: a FIFO another user planted at an
// output path would hand them the output (or hang the run): refused by
// Check, before anything is sent.
func TestAFIFOOfAnotherUserIsRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the FIFO away")
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "rep.json")
	if err := syscall.Mkfifo(fifo, 0o666); err != nil {
		t.Skip(err)
	}
	if err := os.Chown(fifo, 65534, 65534); err != nil {
		t.Skip(err)
	}
	link := filepath.Join(dir, "o.csv")
	os.Symlink(fifo, link)
	for _, p := range []string{fifo, link} {
		if err := Check(p); err == nil || !strings.Contains(err.Error(), "another user") {
			t.Errorf("Check(%s) = %v, want refused", p, err)
		}
	}
}

// TestALinkToADeviceNotEveryoneMayWriteIsRefused: a link planted to
// /dev/kmsg (or /dev/watchdog) must not be written as root; /dev/null,
// which anyone may write, still is.
func TestALinkToADeviceNotEveryoneMayWriteIsRefused(t *testing.T) {
	var dev string
	for _, d := range []string{"/dev/kmsg", "/dev/console", "/dev/mem", "/dev/hwrng"} {
		if st, err := os.Stat(d); err == nil && st.Mode()&os.ModeCharDevice != 0 && st.Mode().Perm()&0o002 == 0 {
			dev = d
			break
		}
	}
	if dev == "" {
		t.Skip("no such device")
	}
	link := filepath.Join(t.TempDir(), "o.csv")
	os.Symlink(dev, link)
	if err := Check(link); err == nil || !strings.Contains(err.Error(), link) {
		t.Fatalf("Check(%s -> %s) = %v, want refused", link, dev, err)
	}
	if _, err := Create(link); err == nil {
		t.Errorf("Create(%s -> %s) succeeded", link, dev)
	}
}

// TestStdoutRedirectedToAFileIsStillWritten: "--out /dev/stdout > file"
// (and a link to /dev/stdout, and /proc/self/fd/1 itself) write to the
// file the shell opened: it is this process's stdout by device and inode.
func TestStdoutRedirectedToAFileIsStillWritten(t *testing.T) {
	if p := os.Getenv("OUTFILE_STDOUT_CHILD"); p != "" {
		if err := WriteFile(p, []byte("through "+p+"\n")); err != nil {
			os.Stderr.WriteString(err.Error())
			os.Exit(3)
		}
		os.Exit(0)
	}
	dir := t.TempDir()
	link := filepath.Join(dir, "out.csv")
	os.Symlink("/dev/stdout", link)
	for _, p := range []string{"/dev/stdout", "/proc/self/fd/1", link} {
		out := filepath.Join(dir, "shell.out")
		fh, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestStdoutRedirectedToAFileIsStillWritten$")
		cmd.Env = append(os.Environ(), "OUTFILE_STDOUT_CHILD="+p)
		var msg strings.Builder
		cmd.Stdout, cmd.Stderr = fh, &msg
		err = cmd.Run()
		fh.Close()
		if err != nil {
			t.Errorf("%s: %v %s", p, err, msg.String())
			continue
		}
		if b, _ := os.ReadFile(out); string(b) != "through "+p+"\n" {
			t.Errorf("%s: the file holds %q", p, b)
		}
	}
}

// TestOwnDescriptorIsExact: only a clean /proc/self/fd/N, /dev/fd/N or
// /proc/PID/fd/N names the process's own descriptor, at the path or at a
// hop of its links; a prefix does not.
func TestOwnDescriptorIsExact(t *testing.T) {
	dir := t.TempDir()
	for target, want := range map[string]bool{
		"/proc/self/fd/1":                     true,
		"/dev/fd/2":                           true,
		"/proc/self/fd/../root/etc/passwd":    false,
		"/proc/self/fd/1/../../root/tmp/x":    false,
		"/proc/self/fd/1x":                    false,
		"/proc/self/fd/":                      false,
		"/proc/self/fdx/1":                    false,
		"/proc/self/fd//1":                    true, // cleans to /proc/self/fd/1
		"../../../../../../proc/self/fd/../1": false,
	} {
		link := filepath.Join(dir, strconv.Itoa(len(target))+"-"+strconv.FormatBool(want))
		os.Remove(link)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		if got := ownDescriptor(link); got != want {
			t.Errorf("link to %s: ownDescriptor = %v, want %v", target, got, want)
		}
		os.Remove(link)
	}
}
