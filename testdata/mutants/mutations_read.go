package main

// readMutations are the reading of a clinic's export as Windows software
// and Excel write it: what a cell is, and which records are rows.
var readMutations = []mutation{
	{
		Name:     "read/invisible-edges-kept",
		Why:      "a Ctrl-Z stuck to a file's last cell, or a byte-order mark or zero-width space at a cell's edge, would change the row's event id or hash while nothing showed it",
		File:     "internal/celltext/celltext.go",
		Old:      "return strings.TrimFunc(s, Invisible)",
		New:      "return strings.TrimSpace(s)",
		Packages: []string{"./internal/cli", "./internal/export"},
		Run:      "TestResavedExportKeepsEventIDs|TestGetTrimsWhatCannotBeSeen",
	},
	{
		Name:     "identifier/email-inner-control-hashed",
		Why:      "an e-mail address with a control character inside (Ctrl-Z, NUL) would be hashed into a digest no account has",
		File:     "internal/identifier/email.go",
		Old:      "byteSet(`[]()<>,;:\"\\` + asciiControls)",
		New:      "byteSet(`[]()<>,;:\"\\`)",
		Packages: []string{"./internal/identifier"},
		Run:      "TestEmailInvisibleCharacters",
	},
	{
		Name:     "read/long-row-read",
		Why:      "a row shifted by an unquoted delimiter in a cell would be read by position: its currency from the fee column, sent without its value",
		File:     "internal/export/row.go",
		Old:      "func (row Row) Malformed() bool { return row.Short() || row.Long() }",
		New:      "func (row Row) Malformed() bool { return row.Short() }",
		Packages: []string{"./internal/export"},
		Run:      "TestRowsThatDoNotFitTheHeader",
	},
	{
		Name:     "read/header-repeated-as-row",
		Why:      "the header of a second export joined into the file would be read as a row and excluded for its consent cell: counts that differ from the exports'",
		File:     "internal/export/export.go",
		Old:      "\t\tif r.isHeader(rec) {",
		New:      "\t\tif false && r.isHeader(rec) {",
		Packages: []string{"./internal/cli"},
		Run:      "TestResavedExportKeepsEventIDs",
	},
	{
		Name:     "read/fullwidth-iso-unread",
		Why:      "an RFC 3339 time written in full-width characters, with its offset, would be invalid_time and its visit never sent",
		File:     "internal/eventtime/eventtime.go",
		Old:      "\t\tif s[i] >= utf8.RuneSelf {\n\t\t\t// Full-width digits",
		New:      "\t\tif false && s[i] >= utf8.RuneSelf {\n\t\t\t// Full-width digits",
		Packages: []string{"./internal/eventtime"},
		Run:      "TestFullWidthReadsAsASCII",
	},
}
