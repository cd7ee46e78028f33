package outfile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// UnsafeFolder names the first folder above path that lets someone else
// replace what path names, and its mode; "" when there is none. A file
// that only its owner may write can still be renamed away and another
// put in its place by whoever may write a folder it is in — its own, or
// any above it (renaming a parent replaces the whole subtree). So every
// ancestor is walked, up to the root, as OpenSSH's StrictModes does for
// authorized_keys (safe_path in openssh-portable's misc.c: "for each
// component of the canonical path, walking upwards", each directory
// refused when "(st.st_mode & 022) != 0"; ssh stops at the home
// directory, whose parents are root's, and hashgate's files may live
// anywhere, so it goes to /).
//
// A folder group or others may write is refused unless it has the sticky
// bit (/tmp, mode 1777): then only the owner of an entry, of the folder
// or root may rename or remove that entry, so the entry below it must be
// this user's or root's — a file another user made in /tmp is theirs to
// replace. (ssh refuses even a sticky folder; hashgate allows it, as
// /tmp-like folders are where a test or a one-off run keeps its config,
// and the sticky bit is the kernel's promise that others cannot swap an
// entry they do not own.)
//
// Both the path as given (each of its folders as named, links followed)
// and its canonical form (links resolved) are walked: a link's own
// folder decides who can point it elsewhere, the target's folders who
// can replace the file. A folder that cannot be examined is skipped:
// the file under it could not have been read either.
//
// A folder owned by neither this user nor root is refused whatever its
// mode: its owner may rename the file away and put another in its place
// (safe_path again: every directory is refused when "(st.st_uid != 0 &&
// st.st_uid != uid)", "bad ownership or modes for directory" — the
// openssh-portable code spells root platform_sys_dir_uid). A review
// found root's cron reading a config from a 0755 folder the clinic's
// login owned, accepted while only the write bits were weighed. In a
// container a bind-mounted folder keeps its owner's id from the host:
// the fix is to chown it (ForeignOwner names the id).
//
// The canonical form is resolved from the path exactly as given (joined
// to the working directory, not cleaned), and walked first: filepath.Abs
// cleans lexically, so `safe/link/../cfg.yaml` became `safe/cfg.yaml`
// while the kernel follows link first and reads the cfg.yaml beside its
// target — a review found one read from a 0777 folder that way, with
// only safe's folders checked. EvalSymlinks resolves a `..` after a
// link against the link's target, as the kernel does.
func UnsafeFolder(path string) (string, fs.FileMode) {
	raw := path
	if !filepath.IsAbs(raw) {
		wd, err := os.Getwd()
		if err != nil {
			return "", 0
		}
		raw = wd + string(filepath.Separator) + path // not Join: it cleans
	}
	if real, err := filepath.EvalSymlinks(raw); err == nil {
		if dir, mode := unsafeAncestor(real); dir != "" {
			return dir, mode
		}
	}
	if abs, err := filepath.Abs(path); err == nil {
		return unsafeAncestor(abs)
	}
	return "", 0
}

// unsafeAncestor walks the folders above the absolute, clean path p.
func unsafeAncestor(p string) (string, fs.FileMode) {
	child := p
	for dir := filepath.Dir(p); ; dir = filepath.Dir(dir) {
		if st, err := os.Stat(dir); err == nil {
			if _, foreign := ForeignOwner(dir); foreign {
				return dir, st.Mode()
			}
			if st.Mode().Perm()&0o022 != 0 && (st.Mode()&fs.ModeSticky == 0 || !ownedByUserOrRoot(child)) {
				return dir, st.Mode()
			}
		}
		if filepath.Dir(dir) == dir {
			return "", 0
		}
		child = dir
	}
}

// ownedByUserOrRoot: the entry at path (not followed) is this user's or
// root's, so a sticky folder protects it from everyone else. Where the
// owner cannot be known it is taken to be protected.
func ownedByUserOrRoot(path string) bool {
	st, err := os.Lstat(path)
	if err != nil {
		return true
	}
	uid, ok := owner(st)
	return !ok || uid == 0 || uid == os.Geteuid()
}

// ForeignOwner reports the user id that owns path (links followed) when
// it is neither this user nor root: that user may rename what is in it,
// or rewrite it, whatever its mode. Where the owner cannot be known
// (not Unix, or path cannot be examined) it is not foreign.
func ForeignOwner(path string) (int, bool) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	uid, ok := owner(st)
	return uid, ok && uid != 0 && uid != os.Geteuid()
}
