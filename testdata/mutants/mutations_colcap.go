package main

// colcapMutations: the cap on a record's cells (export.MaxColumns) and
// inspect's per-column state made only for filled columns (a security
// review: memory grew with the header's width, a gigabyte for 900k empty
// columns).
var colcapMutations = register([]mutation{
	{
		Name:     "colcap/no-cell-cap",
		Why:      "a header or record of a million empty cells would be read and kept: inspect took 1.25 GB, a dry run 215 MB, for a 1 MB file",
		File:     "internal/export/scan.go",
		Old:      "if s.fields > s.maxFields || len(s.buf)",
		New:      "if false || len(s.buf)",
		Packages: []string{"./internal/export"},
		Run:      "MaxColumns",
	},
	{
		Name:     "colcap/cap-one-short",
		Why:      "a header exactly as wide as Google Sheets writes (18,278 columns, ZZZ) would be refused",
		File:     "internal/export/scan.go",
		Old:      "if s.fields > s.maxFields || len(s.buf)",
		New:      "if s.fields >= s.maxFields || len(s.buf)",
		Packages: []string{"./internal/export"},
		Run:      "TestHeaderOfMaxColumnsIsRead",
	},
	{
		Name:     "colcap/wide-header-said-as-bytes",
		Why:      "a header refused for its columns would be said to be over input.max_record_bytes: raising that setting would not help, and the count would go unsaid",
		File:     "internal/export/export.go",
		Old:      "if errors.Is(err, errTooLarge) && sc.wide() {",
		New:      "if errors.Is(err, errTooLarge) && sc.wide() && false {",
		Packages: []string{"./internal/export"},
		Run:      "TestHeaderWiderThanMaxColumnsIsRefused",
	},
	{
		Name:     "colcap/inspect-eager-columns",
		Why:      "inspect would make four maps and a token set for every header cell, filled or not: a kilobyte a column whatever the rows hold",
		File:     "internal/inspect/inspect.go",
		Old:      "	stats := make([]colStats, n)\n	cellRule := rule()\n",
		New:      "	stats := make([]colStats, n)\n	cellRule := rule()\n	for i := range stats {\n		stats[i] = colStats{classes: map[string]int{}, values: cellRule.Column(), seen: map[uint64]bool{}, sample: map[uint64]struct{}{}, tokens: ident.Child()}\n	}\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestInspectOfAWideMostlyEmptyHeaderIsSmall",
	},
})
