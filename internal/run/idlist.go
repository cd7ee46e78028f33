package run

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/hashgate/hashgate/internal/consent"
)

// readList reads a list of patient keys or ids from file ("-": env.In) as
// consent.revocations_file is read (trimmed, full-width forms folded:
// consent.ReadRevocations), giving each its count among those read. One
// reader for unrevoke's, erase's and find's lists, which were three
// copies of it. A file that cannot be read is named quoted (DisplayPath)
// with the reason alone — the system's error repeats the name as given —
// and a list that holds nothing is refused naming flag and file, saying
// it lists empty; never a value.
func readList(env *Env, flag, file, empty string, each func(n int, id string)) error {
	var r io.Reader = env.In
	name := listName(file)
	if file != "-" {
		fh, err := os.Open(file)
		if err == nil {
			if st, serr := fh.Stat(); serr == nil && st.IsDir() {
				fh.Close()
				err = errors.New("is a directory")
			}
		}
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return &UsageError{Err: fmt.Errorf("%s %s: %v", flag, name, err)}
		}
		defer fh.Close()
		r = fh
	}
	n := 0
	keys, err := consent.ReadRevocations(r, name, func(id string) {
		n++
		each(n, id)
	})
	if err != nil {
		return err
	}
	keys.Close() // the digests are each's to make: keyed with the secret
	if n == 0 {
		return &UsageError{Err: fmt.Errorf("%s %s lists %s", flag, name, empty)}
	}
	return nil
}
