//go:build linux

package outfile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestASecretIsWrittenOnlyAsARegularFile0600: whatever the umask (0 here:
// every bit the open asks for is kept), the file holding a secret is
// 0600 from its creation, and a link planted at its path after the check
// is replaced by the rename, never written through.
func TestASecretIsWrittenOnlyAsARegularFile0600(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "google-token.json")
	o, err := CreateSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(o.Name()); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the temporary file is %v (%v), want 0600 from its creation", st.Mode(), err)
	}
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("victim"), 0o600)
	os.Symlink(victim, path) // planted after the check
	o.Write([]byte("secret"))
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "victim" {
		t.Errorf("written through a link planted after the check: %q", b)
	}
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 {
		t.Errorf("%s is %v (%v), want a regular file 0600", path, st.Mode(), err)
	}
	// Before: a link, a FIFO, a device at the path are refused by name.
	os.Remove(path)
	os.Symlink("/dev/null", path)
	if err := WriteSecretFile(path, []byte("secret")); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "link") {
		t.Errorf("a link to /dev/null: %v", err)
	}
	os.Remove(path)
	syscall.Mkfifo(path, 0o600)
	if err := CheckSecret(path); err == nil || !strings.Contains(err.Error(), "FIFO") {
		t.Errorf("a FIFO: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("left behind: %v", ents)
	}
}
