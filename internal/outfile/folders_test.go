//go:build linux

package outfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestUnsafeFolderWalksEveryAncestor: the first folder above a file that
// group or others can write without the sticky bit is named, however far
// up; a sticky one protects only what this user or root owns.
func TestUnsafeFolderWalksEveryAncestor(t *testing.T) {
	top := t.TempDir()
	deep := filepath.Join(top, "a", "b", "c")
	os.MkdirAll(deep, 0o700)
	file := filepath.Join(deep, "hashgate.yaml")
	os.WriteFile(file, nil, 0o600)
	if dir, _ := UnsafeFolder(file); dir != "" {
		t.Fatalf("a private tree: %s named", dir)
	}
	a := filepath.Join(top, "a")
	for _, mode := range []os.FileMode{0o720, 0o702, 0o777} {
		os.Chmod(a, mode)
		if dir, got := UnsafeFolder(file); dir != a || got.Perm() != mode {
			t.Errorf("mode %04o three folders up: got %q %v", mode, dir, got)
		}
	}
	os.Chmod(a, 0o777|os.ModeSticky)
	if dir, _ := UnsafeFolder(file); dir != "" {
		t.Errorf("a sticky folder above this user's own: %s named", dir)
	}
	if os.Geteuid() == 0 { // only root can give an entry to another user
		b := filepath.Join(a, "b")
		os.Lchown(b, 12345, 12345)
		if dir, _ := UnsafeFolder(file); dir != a {
			t.Errorf("a sticky folder above another user's folder: got %q, want %s", dir, a)
		}
	}
}
