package main

// header27Mutations hold session 27's stop for exports of different
// columns joined into one file: a second header other than the first
// stops every command that reads the export, before anything is sent.
var header27Mutations = register([]mutation{
	{
		Name:     "header27/second-header-not-judged",
		Why:      "a second export's rows, its columns moved, would be read with the first header's positions: a chart number sent as the order id, every visit uploaded again",
		File:     "internal/export/export.go",
		Old:      "\t\tif err := r.otherHeader(rec); err != nil {\n\t\t\treturn Row{}, err\n\t\t}\n",
		New:      "",
		Packages: []string{"./internal/export"},
		Run:      "TestASecondHeaderOfOtherColumnsStops",
	},
	{
		Name:     "header27/glued-header-not-judged",
		Why:      "a first export without a final line break: its last row and the second header on one line, the row counted malformed_row and its visit lost, exit 0",
		File:     "internal/export/secondheader.go",
		Old:      "\ttail := len(rec) > n && n > 0 && w.header(rec[n:])\n",
		New:      "\ttail := false\n",
		Packages: []string{"./internal/export"},
		Run:      "TestAJoinedHeaderWithoutALineBreakStops",
	},
	{
		Name:     "header27/half-the-names-enough",
		Why:      "a record holding half the header's names and nothing else (a row short of a named column) would stop the night as a header",
		File:     "internal/export/secondheader.go",
		Old:      "\tw.need = max(2, len(w.at)/2+1)",
		New:      "\tw.need = max(2, len(w.at)/2)",
		Packages: []string{"./internal/export"},
		Run:      "TestRowsThatDoNotFitTheHeader",
	},
	{
		Name:     "header27/names-need-no-majority",
		Why:      "a row of header names and as many other words would stop a clinic's night as a second header",
		File:     "internal/export/secondheader.go",
		Old:      "\tif known < w.need || known <= other && (w.mappedNeed < 2 || mapped < w.mappedNeed) {",
		New:      "\tif known < w.need {",
		Packages: []string{"./internal/export"},
		Run:      "TestASecondHeaderOfOtherColumnsStops",
	},
	{
		Name:     "header27/data-shaped-cell-ignored",
		Why:      "a row of header words holding a date or an e-mail would stop the night as a header",
		File:     "internal/export/secondheader.go",
		Old:      "\treturn dataCells(cells) == 0\n",
		New:      "\treturn true\n",
		Packages: []string{"./internal/export"},
		Run:      "TestASecondHeaderOfOtherColumnsStops",
	},
	{
		Name:     "header27/repeated-word-counted-again",
		Why:      "a row whose cells repeat one header word (a consent column per platform) would count as holding most of the header",
		File:     "internal/export/secondheader.go",
		Old:      "\t\tcase w.seen[at/64]&(1<<(at%64)) == 0:",
		New:      "\t\tdefault:",
		Packages: []string{"./internal/export"},
		Run:      "TestASecondHeaderOfOtherColumnsStops",
	},
	{
		Name:     "header27/case-not-folded",
		Why:      "a second header written in other case (ID for id) would not be known as the header, its rows read with the first's positions",
		File:     "internal/export/secondheader.go",
		Old:      "\t\t\tb += 'a' - 'A'\n",
		New:      "",
		Packages: []string{"./internal/export"},
		Run:      "TestASecondHeaderOfOtherColumnsStops",
	},
	{
		Name:     "header27/headerless-judged",
		Why:      "inspect of an export without a header takes its first row as the header; rows sharing its words (yes, TWD, completed) would stop it",
		File:     "internal/export/secondheader.go",
		Old:      "\tif r.layout.HeaderMatches == 0 || r.layout.DataCells > 0 {",
		New:      "\tif false {",
		Packages: []string{"./internal/export"},
		Run:      "TestAHeaderlessExportIsNotStoppedByItsOwnWords",
	},
})
