package report

// everyRowLine is the summary's line when every row counts as a visit.
// Without a status column it warns that no-shows and cancellations are
// counted; when the config states every row is a visit
// (conversion.every_row_is_a_visit: an arrivals list) it says the answer
// given — the warning printed every night over a list that holds none
// taught the analyst to skip the line that matters when it does.
var everyRowLine = map[bool]string{
	false: "  no status column (input.columns.status): every row counts as a visit, no-shows and cancellations included\n",
	true:  "  every row counts as a visit: the config says the export lists visits only (conversion.every_row_is_a_visit)\n",
}
