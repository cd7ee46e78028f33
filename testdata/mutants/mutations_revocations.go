package main

// revocationsMutations hold the findings of a review that played
// consent.revocations_file: ids the file lists that matched nothing (line
// ends, widths, invisible characters, separators, zeros), sent; a listed
// order that withdrew one visit of a patient; a run that said nothing of
// the file; its memory; its errors.
var revocationsMutations = register([]mutation{
	{
		Name:     "revocations/lone-cr-joins-lines",
		Why:      "a revocations file saved with classic-Mac line ends (a lone CR) would be read as one id that matches nothing: every listed patient's visits sent",
		File:     "internal/consent/revocations.go",
		Old:      "\t\tcase '\\r':",
		New:      "\t\tcase '\\r' &^ '\\r':",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsReadAsWritten",
	},
	{
		Name:     "revocations/full-width-unfolded",
		Why:      "an id typed in full-width forms (Ａ１) would match nothing: the patient's visits sent",
		File:     "internal/consent/revocations.go",
		Old:      "s = celltext.Trim(cases.Fold().String(norm.NFKC.String(s)))",
		New:      "s = celltext.Trim(cases.Fold().String(s))",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsReadAsWritten",
	},
	{
		Name:     "revocations/zeros-kept",
		Why:      "a chart number listed as 123 would not match the export's 00123 (as withdrawals the ledger remembers do): the patient's visits sent",
		File:     "internal/consent/revocations.go",
		Old:      "\tif isDigits(s) {\n\t\tif s = strings.TrimLeft(s, \"0\"); s == \"\" {",
		New:      "\tif false {\n\t\tif s = strings.TrimLeft(s, \"0\"); s == \"\" {",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsReadAsWritten",
	},
	{
		Name:     "revocations/export-cells-unfolded",
		Why:      "the export's cells would be compared as written, the file's folded: a padded chart number or an order id in another case would match nothing, the visit sent",
		File:     "internal/consent/revocations.go",
		Old:      "\t\tkb := Key(buf[:0], k)",
		New:      "\t\tkb := append(buf[:0], k...)",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsReadAsWritten",
	},
	{
		Name:     "revocations/wide-separator-accepted",
		Why:      "\"A1，A2\" or \"A1、A2\" would be read as one id that matches nothing: both patients' visits sent",
		File:     "internal/consent/revocations.go",
		Old:      "\t\tcase strings.ContainsRune(\",;\\\"、\", w):",
		New:      "\t\tcase strings.ContainsRune(\",;\\\"\", r):",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsRefuseWhatIsNoID",
	},
	{
		Name:     "revocations/space-inside-accepted",
		Why:      "\"A1 A2\" would be read as one id that matches nothing: both patients' visits sent",
		File:     "internal/consent/revocations.go",
		Old:      "\t\tcase space > 0:\n",
		New:      "\t\tcase false:\n",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsRefuseWhatIsNoID",
	},
	{
		Name:     "revocations/hash-inside-accepted",
		Why:      "\"A1#x\" would be read as one id that matches nothing: the patient's visits sent",
		File:     "internal/consent/revocations.go",
		Old:      "\t\tcase w == '#':\n",
		New:      "\t\tcase false:\n",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsRefuseWhatIsNoID",
	},
	{
		Name:     "revocations/long-line-read-whole",
		Why:      "a 70 KB line would be kept whole as one id (or, as before, stop the run in Go's words: \"bufio.Scanner: token too long\")",
		File:     "internal/consent/revocations.go",
		Old:      "\t\tif len(lr.buf) == MaxLineBytes {",
		New:      "\t\tif false {",
		Packages: []string{"./internal/consent"},
		Run:      "TestRevocationsRefuseWhatIsNoID",
	},
	{
		Name:     "revocations/malformed-file-exits-1",
		Why:      "a malformed revocations file would exit 1, a failure, while a missing one exits 2: both are config problems found before anything is sent, and alerting tells them apart by the code",
		File:     "internal/run/exit.go",
		Old:      ", errors.As(err, &le):",
		New:      ", errors.As(err, &le) && false:",
		Packages: []string{"./internal/cli"},
		Run:      "TestRevocationsFileRefusedBeforeAnythingIsSent",
	},
})
