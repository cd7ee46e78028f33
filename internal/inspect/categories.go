package inspect

// categories returns a column's categorical values: those the shared
// printing rule (package printable: 5+ rows, a column of few values, no
// identifier shape, no health term) lets hashgate show.
func categories(c Column) []Share { return c.Categories }
