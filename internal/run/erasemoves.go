package run

import "github.com/hashgate/hashgate/internal/pipeline"

// addMoves adds the pairs of a row's identifiers (ids: n under the
// secret, then n under the previous one, in one order) that erase moves
// from the previous secret to this one (Found.moves), each pair once. A
// patient's e-mail and phone are on every visit of hers: with one pair
// per row, a patient of a hundred visits repeated each pair a hundred
// times, and the ledger ran two statements per listed patient and pair
// (ledger's moveErasedIdentifiers). The pairs are a patient's few
// identifiers, a bounded set for the patients listed.
func (f *Found) addMoves(ids []pipeline.RowIdentifier, n int) {
	if len(ids) != 2*n { // one identifier, one digest under each, in one order
		return
	}
	for i := range n {
		m := [2]uint64{ids[n+i].Digest, ids[i].Digest}
		if f.moved[m] {
			continue
		}
		if f.moved == nil {
			f.moved = map[[2]uint64]bool{}
		}
		f.moved[m] = true
		f.moves = append(f.moves, m)
	}
}
