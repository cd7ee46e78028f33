package pipeline

// tally holds a row's counts until settleRow knows the row is no duplicate
// (a duplicate row counts under duplicate_order and nothing else). Each
// dropped identifier has an owner: the enabled platform's index when it
// was dropped for that platform alone (withdrawn with it), or -1.
type tally struct {
	drops, notes []string
	owners       []int8
	unread       valueCell // where value_not_a_number's cell is (valuecell.go)
	feeRead      bool      // the row's fee cell read as an amount (valueFit)
}

// drop holds a dropped identifier's key (dropKeys.key) for its owner.
func (t *tally) drop(owner int, key string) {
	t.drops = append(t.drops, key)
	t.owners = append(t.owners, int8(owner))
}
func (t *tally) note(n string) { t.notes = append(t.notes, n) }
func (t *tally) reset() {
	t.drops, t.notes, t.owners, t.unread, t.feeRead = t.drops[:0], t.notes[:0], t.owners[:0], valueCell{}, false
}

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

// dropKeys makes a worker's drop keys — "platform field reason", then
// columnSep and the column's header, which settler.dropped splits — and
// keeps the last few it made: the same few recur row after row (an
// export's malformed click ids, its invalid phone numbers), and building
// each again was a string concatenation and an allocation a dropped
// value (issue 29, session 24). They hold names from the config and the
// platforms, never a cell.
type dropKeys struct {
	made [8]struct{ p, f, reason, column, key string }
	next int // the slot the next new key takes
}

func (k *dropKeys) key(p, f, reason, column string) string {
	for i := range k.made {
		if m := &k.made[i]; m.key != "" && m.p == p && m.f == f && m.reason == reason && m.column == column {
			return m.key
		}
	}
	key := p + " " + f + " " + reason + columnSep + column
	k.made[k.next] = struct{ p, f, reason, column, key string }{p, f, reason, column, key}
	k.next = (k.next + 1) % len(k.made)
	return key
}
