package run

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventid"
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
	return readListWritten(env, flag, file, empty, func(n int, id, _ string) { each(n, id) })
}

// readListWritten is readList whose each is also given the id as written
// (consent.ReadRevocationsWritten): an order list's ids are looked up
// under both spellings, as the upload looks an id up (orderIDs).
func readListWritten(env *Env, flag, file, empty string, each func(n int, id, written string)) error {
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
	keys, err := consent.ReadRevocationsWritten(r, name, func(id, written string) {
		n++
		each(n, id, written)
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

// orderIDs gives the event ids an order list's line names, visit then
// booking: of the id (folded, as uploads since ledger schema 16 made
// them), and — when the id as written folds to it from another spelling
// (Ａ１００２) — of that spelling too, as an older hashgate made them
// (single-column ids as written, through schema 15). The upload looks
// both up (ledger.Filter.UseUnfoldedIDs); find and erase by an order
// list looked up the folded spelling's alone, and an event sent under
// the full-width one was neither found nor erased. Last, of the id as the
// Excel text formula ="A0001" an older hashgate read literally (up to
// c55587c: celltext.Literal), which the upload looks up for a wrapped
// cell (pipeline rowKey.prior): a list names the id, not its wrapper.
func orderIDs(d *eventid.Deriver, id, written string, each func(id eventid.ID, kind string)) {
	key := celltext.Fold(id) // the upload's key (the list reader gave NFKC: the same, nearly always)
	for i, s := range [3]string{key, written, celltext.Fold(celltext.Literal(key))} {
		if i == 1 && (s == key || s == "") {
			continue
		}
		v, _ := d.Derive(s)
		each(v, "visit")
		b, _ := d.DeriveBooking(s)
		each(b, "booking")
	}
}
