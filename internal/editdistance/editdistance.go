// Package editdistance measures how far one name is from another, for the
// "did you mean" suggestions of config keys, export headers and header
// synonyms. Distances count runes, so a mistyped 繁體 character is one
// edit, not three bytes.
package editdistance

// Levenshtein is the number of rune insertions, deletions and
// substitutions that turn a into b.
func Levenshtein(a, b string) int { return distance(a, b, false) }

// OSA is Levenshtein plus the transposition of two adjacent runes as one
// edit (optimal string alignment): "cosnent" is one edit from "consent",
// the typo a hand makes most.
func OSA(a, b string) int { return distance(a, b, true) }

func distance(a, b string, transpose bool) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows suffice: the current, the previous and, for a
	// transposition, the one before it.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if transpose && i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
