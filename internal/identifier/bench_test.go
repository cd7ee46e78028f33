package identifier

import "testing"

// BenchmarkPrepareEach is the per-row identifier work of the bench export
// (shared/bench/gen.py): an upper-case address, a Gmail address, a
// Taiwanese mobile and a North American number, each prepared for Google
// and Meta as the pipeline does.
func BenchmarkPrepareEach(b *testing.B) {
	ps := []Platform{Google, Meta}
	res := make([]Result, len(ps))
	opt := Options{Region: "TW"}
	for _, c := range []struct {
		name string
		f    Field
		raw  string
	}{
		{"email", Email, "  Amir.Bob1@Example.COM "},
		{"gmail", Email, "amir.3+promo@gmail.com"},
		{"mobile", Phone, "0985-532-132"},
		{"nanp", Phone, "+1 (650) 959-5506"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			h := new(Hasher) // a worker's, as the pipeline's runner keeps one
			for b.Loop() {
				PrepareEach(h, ps, c.f, c.raw, opt, res)
			}
		})
	}
}
