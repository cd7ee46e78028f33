package main

// uploadmemMutations hold the memory cuts of the upload onto a year-full
// ledger (issue 29, 80 MB at 1M rows; 2026-12-06): the recent acceptances
// packed to 6 bytes a key, the tail of their array returned to the system,
// and the events held for the older acceptances kept encoded.
var uploadmemMutations = register([]mutation{
	{
		Name:     "uploadmem/packed-key-high-bits-lost",
		Why:      "a packed key read without its bits 32-47 would match another key: an event never accepted would be counted already accepted and never sent",
		File:     "internal/ledger/idset.go",
		Old:      "return uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint16(b[4:]))<<32",
		New:      "return uint64(binary.LittleEndian.Uint32(b))",
		Packages: []string{"./internal/ledger"},
		Run:      "TestSortedKeys",
	},
	{
		Name:     "uploadmem/packed-index-bits",
		Why:      "an index on 15 top bits beside 48 low ones leaves bit 48 of every key unread: keys that differ there alone would be one",
		File:     "internal/ledger/idset.go",
		Old:      "s.keys, s.start, s.shift = nil, start, packBits",
		New:      "s.keys, s.start, s.shift = nil, start, packBits+1",
		Packages: []string{"./internal/ledger"},
		Run:      "TestSortedKeys",
	},
	{
		Name:     "uploadmem/moved-index-half-copied",
		Why:      "an index moved into the keys' array without its upper half would place every key of the upper buckets at 0: their acceptances not found, the events sent again",
		File:     "internal/ledger/idset.go",
		Old:      "\t\tcopy(moved, start)",
		New:      "\t\tcopy(moved, start[:len(start)/2])",
		Packages: []string{"./internal/ledger"},
		Run:      "TestSortedKeys",
	},
	{
		Name:     "uploadmem/shrink-keeps-every-page",
		Why:      "the packed array's tail would stay resident: 2 MB more at the peak of a year-full upload (issue 29's 80 MB)",
		File:     "internal/keyset/words.go",
		Old:      "\t\tdropPages(m[keep:])",
		New:      "\t\t_ = m[keep:]",
		Packages: []string{"./internal/keyset"},
		Run:      "TestKeysShrink",
	},
	{
		Name:     "uploadmem/shrink-drops-a-kept-page",
		Why:      "the last page of the packed keys would read as zeros: their acceptances forgotten, the events sent again",
		File:     "internal/keyset/words.go",
		Old:      "keep := ((n+7)/8 + page - 1) / page * page",
		New:      "keep := n / 8 / page * page",
		Packages: []string{"./internal/keyset"},
		Run:      "TestKeysShrink",
	},
	{
		Name:     "uploadmem/held-count-kept",
		Why:      "after settling past pendingMax the count of held events would run on: the next settling would read past them and fail the upload",
		File:     "internal/ledger/oldfilter.go",
		Old:      "\tf.pending, f.nPending = nil, 0\n\tif n == 0 {",
		New:      "\tf.pending = nil\n\tif n == 0 {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestTheOlderAcceptancesAreAskedEachWay|TestAHeldEventNeverAcceptedIsSent",
	},
	{
		Name:     "uploadmem/older-acceptances-stop-at-the-earliest-window",
		Why:      "Meta's acceptances of 68 to 98 days ago, out of its recent set since each destination's starts at its own window, would be in neither set: each such event dated tonight sent again",
		File:     "internal/ledger/upload.go",
		Old:      "f.oldTo = max(f.oldTo, from.UnixMilli())",
		New:      "f.oldTo = f.from.UnixMilli()",
		Packages: []string{"./internal/ledger"},
		Run:      "TestEachDestinationsRecentSetStartsAtItsWindow",
	},
})
