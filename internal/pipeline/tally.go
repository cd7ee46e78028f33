package pipeline

// tally holds a row's counts until settleRow knows the row is no duplicate
// (a duplicate row counts under duplicate_order and nothing else). Each
// dropped identifier has an owner: the enabled platform's index when it
// was dropped for that platform alone (withdrawn with it), or -1.
type tally struct {
	drops, notes []string
	owners       []int8
}

func (t *tally) drop(owner int, p, f, reason, column string) {
	t.drops = append(t.drops, p+" "+f+" "+reason+columnSep+column) // dropped splits it
	t.owners = append(t.owners, int8(owner))
}
func (t *tally) note(n string) { t.notes = append(t.notes, n) }
func (t *tally) reset()        { t.drops, t.notes, t.owners = t.drops[:0], t.notes[:0], t.owners[:0] }

// withdraw forgets the drops of the platforms in mask.
func (t *tally) withdraw(mask uint32) {
	drops, owners := t.drops[:0], t.owners[:0]
	for k, d := range t.drops {
		if o := t.owners[k]; o < 0 || mask&(1<<o) == 0 {
			drops, owners = append(drops, d), append(owners, o)
		}
	}
	t.drops, t.owners = drops, owners
}
