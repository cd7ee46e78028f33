package phi

import (
	"errors"
	"slices"
	"testing"
)

func TestGuard(t *testing.T) {
	g := New([]string{"whitening kit", "亮白"}, []string{"crown"})
	refused := []string{
		"Implant", "implant_completed", "IMPLANT", "Ｉｍｐｌａｎｔ", "Dental Implants", "orthodontic-consult",
		"IVF", "hiv test", "Botox 2024", "植牙", "人工植牙完成", "矯正諮詢", "玻尿酸", "試管療程", "男科",
		"种植牙", "不孕不育", "試管", "whitening kit", "亮白療程", "ＨＩＶ",
	}
	for _, s := range refused {
		if err := g.Check("conversion.event_name", s); err == nil {
			t.Errorf("%q passed the guard", s)
		}
	}
	passed := []string{"Purchase", "Lead", "Schedule", "archive", "Visit", "crown", "Crown Clinic", "Completed", "到診", "到诊"}
	for _, s := range passed {
		if err := g.Check("conversion.event_name", s); err != nil {
			t.Errorf("%q refused: %v", s, err)
		}
	}
}

func TestHitNamesKeyAndTerm(t *testing.T) {
	err := New(nil, nil).Check("conversion.event_name", "Implant_Completed")
	var hit *Hit
	if !errors.As(err, &hit) || hit.Key != "conversion.event_name" || hit.Term != "implant" {
		t.Fatalf("got %v", err)
	}
}

func TestAllowIsExact(t *testing.T) {
	g := New(nil, []string{"implant"})
	if g.Check("k", "Implant") != nil {
		t.Error("allow-listed term refused")
	}
	if g.Check("k", "implants") == nil {
		t.Error("allowing 'implant' must not allow 'implants'")
	}
}

// TestNewKeepsTheTermsOfTheFoldEachTime: New, which folds the built-in
// list once for every guard, holds the terms, in the order, that folding
// the built-in and deny lists together each time gave (the code before
// foldedBuiltin, kept here as the reference), whatever is allowed or
// denied: built-in terms allowed in any spelling, repeated, or denied
// again, new deny terms, empty ones.
func TestNewKeepsTheTermsOfTheFoldEachTime(t *testing.T) {
	reference := func(deny, allow []string) []string {
		allowed := map[string]bool{}
		for _, a := range allow {
			if k := fold(a); k != "" {
				allowed[k] = true
			}
		}
		var terms []string
		for _, t := range append(append([]string(nil), builtin...), deny...) {
			if k := fold(t); k != "" && !allowed[k] && !slices.Contains(terms, k) {
				terms = append(terms, k)
			}
		}
		return terms
	}
	cases := []struct{ deny, allow []string }{
		{},
		{allow: []string{"IMPLANT", "Ｃｒｏｗｎ", "植牙", "  whitening  ", ""}},
		{deny: []string{"Tooth Jewel", "implant", "ＩＭＰＬＡＮＴ", "", "牙套", "tooth jewel"}},
		{deny: []string{"crown", "veneer"}, allow: []string{"crown"}},
		{deny: []string{"植牙", "brace"}, allow: []string{"brace", "拔牙", "rehab"}},
		{deny: slices.Clone(builtin), allow: builtin[:10]},
	}
	for i, c := range cases {
		if got, want := New(c.deny, c.allow).terms, reference(c.deny, c.allow); !slices.Equal(got, want) {
			t.Errorf("case %d: terms\n%q\nwant\n%q", i, got, want)
		}
	}
	// A guard's terms are its own: adding deny terms to one guard leaves
	// the shared folded list, and the next guard, as they were.
	a := New([]string{"tooth jewel"}, nil)
	b := New(nil, nil)
	if len(a.terms) != len(b.terms)+1 || slices.Contains(b.terms, "tooth jewel") {
		t.Errorf("guards share their terms: %d and %d", len(a.terms), len(b.terms))
	}
}
