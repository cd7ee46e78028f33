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
		// A file another user owns, straight in a sticky folder: theirs
		// to rename away, the sticky bit notwithstanding.
		other := filepath.Join(a, "other.yaml")
		os.WriteFile(other, nil, 0o600)
		os.Lchown(other, 12345, 12345)
		if dir, _ := UnsafeFolder(other); dir != a {
			t.Errorf("a sticky folder holding another user's file: got %q, want %s", dir, a)
		}
		// Another user's folder under it is refused for its owner
		// before the sticky folder is reached.
		b := filepath.Join(a, "b")
		os.Lchown(b, 12345, 12345)
		if dir, _ := UnsafeFolder(file); dir != b {
			t.Errorf("another user's folder under a sticky one: got %q, want %s", dir, b)
		}
	}
}

// TestUnsafeFolderRefusesAFolderAnotherUserOwns: a 0755 folder owned by
// neither this user nor root lets its owner rename the file away and put
// another in its place, whatever its mode says of group and others
// (OpenSSH's safe_path refuses it: "bad ownership or modes for
// directory"). It was accepted: only the write bits were weighed. The
// owner is named, so the message can say whom to chown it from.
func TestUnsafeFolderRefusesAFolderAnotherUserOwns(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a folder to another user")
	}
	clinic := filepath.Join(t.TempDir(), "clinic")
	os.Mkdir(clinic, 0o755)
	cfg := filepath.Join(clinic, "hashgate.yaml")
	os.WriteFile(cfg, nil, 0o600)
	if dir, _ := UnsafeFolder(cfg); dir != "" {
		t.Fatalf("a root-owned 0755 folder: %s named", dir)
	}
	os.Lchown(clinic, 12345, 12345)
	if dir, _ := UnsafeFolder(cfg); dir != clinic {
		t.Errorf("a 0755 folder uid 12345 owns: got %q, want %s", dir, clinic)
	}
	if uid, foreign := ForeignOwner(clinic); !foreign || uid != 12345 {
		t.Errorf("ForeignOwner(%s) = %d, %v; want 12345, true", clinic, uid, foreign)
	}
	if _, foreign := ForeignOwner(cfg); foreign {
		t.Errorf("root's own file called another user's")
	}
	// Through a link whose own folder is safe: the target's folder counts.
	link := filepath.Join(t.TempDir(), "hashgate.yaml")
	os.Symlink(cfg, link)
	if dir, _ := UnsafeFolder(link); dir != clinic {
		t.Errorf("a link to a file in another user's folder: got %q, want %s", dir, clinic)
	}
}

// TestUnsafeFolderFollowsDotDotAfterALink: `safe/link/../cfg.yaml` was
// checked as `safe/cfg.yaml` (filepath.Abs cleans lexically) while the
// kernel follows link first and reads `open/cfg.yaml`, from a folder
// anyone can write. The path is resolved as the kernel does.
func TestUnsafeFolderFollowsDotDotAfterALink(t *testing.T) {
	safe := filepath.Join(t.TempDir(), "safe")
	open := filepath.Join(t.TempDir(), "open")
	os.Mkdir(safe, 0o700)
	os.MkdirAll(filepath.Join(open, "sub"), 0o700)
	os.Chmod(open, 0o777)
	os.WriteFile(filepath.Join(safe, "cfg.yaml"), nil, 0o600)
	os.WriteFile(filepath.Join(open, "cfg.yaml"), nil, 0o600)
	os.Symlink(filepath.Join(open, "sub"), filepath.Join(safe, "link"))
	given := safe + "/link/../cfg.yaml"
	if dir, _ := UnsafeFolder(given); dir != open {
		t.Errorf("%s: got %q, want %s (the folder the kernel reads it from)", given, dir, open)
	}
	// Relative to the working directory, as --config is usually given.
	t.Chdir(safe)
	if dir, _ := UnsafeFolder("link/../cfg.yaml"); dir != open {
		t.Errorf("link/../cfg.yaml from %s: got %q, want %s", safe, dir, open)
	}
}
