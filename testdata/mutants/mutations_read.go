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
	{
		Name:     "read/ctrl-z-eof-kept",
		Why:      "a Ctrl-Z stuck to the file's last cell would be part of it: an order id in the last column made another event id than the next night's, the visit sent twice",
		File:     "internal/export/scan.go",
		Old:      "if k := bytes.IndexByte(p[:n], dosEOF); k >= 0 && c.atEnd(p[k:n]) {",
		New:      "if k := bytes.IndexByte(p[:n], dosEOF); false && k >= 0 && c.atEnd(p[k:n]) {",
		Packages: []string{"./internal/export"},
		Run:      "TestCtrlZEndsTheFile",
	},
	{
		Name:     "read/key-cells-trimmed-of-invisible",
		Why:      "an order id or patient key that carries a zero-width space every night would lose it: the visits the platforms hold under the old id sent again, the withdrawals remembered under the old digest forgotten",
		File:     "internal/export/row.go",
		Old:      "\tif c == OrderID || c == PatientKey {\n\t\treturn strings.TrimSpace(s)\n\t}",
		New:      "\tif false {\n\t\treturn strings.TrimSpace(s)\n\t}",
		Packages: []string{"./internal/export"},
		Run:      "TestGetTrimsWhatCannotBeSeen",
	},
}
