package inspect

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// consentPairExport is an export of a clinic that changed its
// practice-management software (a review of 2026-12-07): Consent, the
// treatment consent every patient signs, is Yes in every row; Marketing
// Opt-In is Yes, No or blank. first says which of the two comes first.
func consentPairExport(bare, marketing string, bareFirst bool, rows int) string {
	var b strings.Builder
	pair := func(x, y string) string {
		if bareFirst {
			return x + "," + y
		}
		return y + "," + x
	}
	fmt.Fprintf(&b, "Appointment ID,Appointment Date,Status,%s,Email\n", pair(bare, marketing))
	for i := range rows {
		opt := []string{"Yes", "No", ""}[i%3]
		fmt.Fprintf(&b, "A%03d,2026-11-%02d 10:00,Completed,%s,canary.p%d@example.com\n", i, 1+i%28, pair("Yes", opt), i)
	}
	return b.String()
}

func profileOf(t *testing.T, csv string) *Profile {
	t.Helper()
	p, err := Run(strings.NewReader(csv), "export.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMarketingConsentOutranksBareConsent: of a bare "Consent" (a
// treatment or general consent) and a column naming marketing, ads or
// data sharing, the latter is the consent, in either column order; the
// bare one is named as another consent column, and a column granting
// consent in every one of enough rows is flagged. Before, the first of
// the two was mapped: with Consent first, every patient who refused
// marketing was sent.
func TestMarketingConsentOutranksBareConsent(t *testing.T) {
	for _, c := range []struct{ bare, marketing string }{
		{"Consent", "Marketing Opt-In"},
		{"Consent", "Consent to marketing"},
		{"Consent", "Advertising consent"},
		{"Consent", "Data sharing consent"},
		{"Consent", "Third party consent"},
		{"同意", "行銷同意"},
		{"同意", "營銷同意"},
		{"同意", "推广授权"},
		{"同意", "第三方同意"},
	} {
		for _, bareFirst := range []bool{true, false} {
			p := profileOf(t, consentPairExport(c.bare, c.marketing, bareFirst, 30))
			if got := p.Mapped("consent"); !slices.Equal(got, []string{c.marketing}) {
				t.Errorf("%q beside %q (bare first: %v): consent = %q, want [%s]", c.bare, c.marketing, bareFirst, got, c.marketing)
				continue
			}
			if !slices.Equal(p.ConsentOthers, []string{c.bare}) {
				t.Errorf("%q beside %q (bare first: %v): other consent columns = %q, want [%s]", c.bare, c.marketing, bareFirst, p.ConsentOthers, c.bare)
			}
			if n := p.ConsentAllGranted(); n != 0 {
				t.Errorf("%q: flagged as granted in all %d rows; a third of them are No", c.marketing, n)
			}
		}
	}
}

// TestConsentGrantedInEveryRowFlagged: a consent column granted in every
// one of consentAllGrantedRows rows or more is flagged (a treatment
// consent or a default, more likely than an opt-in every patient
// accepted); one row fewer, or one row refused, is not.
func TestConsentGrantedInEveryRowFlagged(t *testing.T) {
	export := func(rows int, refuseOne bool) string {
		var b strings.Builder
		b.WriteString("Appointment ID,Appointment Date,Status,Consent,Email\n")
		for i := range rows {
			v := "Yes"
			if refuseOne && i == rows-1 {
				v = "No"
			}
			fmt.Fprintf(&b, "A%03d,2026-11-%02d 10:00,Completed,%s,canary.p%d@example.com\n", i, 1+i%28, v, i)
		}
		return b.String()
	}
	if n := profileOf(t, export(consentAllGrantedRows, false)).ConsentAllGranted(); n != consentAllGrantedRows {
		t.Errorf("%d rows all Yes: ConsentAllGranted = %d, want %d", consentAllGrantedRows, n, consentAllGrantedRows)
	}
	if n := profileOf(t, export(consentAllGrantedRows-1, false)).ConsentAllGranted(); n != 0 {
		t.Errorf("%d rows all Yes: ConsentAllGranted = %d, want 0 (too few rows to say)", consentAllGrantedRows-1, n)
	}
	if n := profileOf(t, export(consentAllGrantedRows+5, true)).ConsentAllGranted(); n != 0 {
		t.Errorf("one row No: ConsentAllGranted = %d, want 0", n)
	}
}

// TestBareConsentBesideAnEmptyMarketingConsentIsNotMapped: the new
// system's Marketing Consent, empty in every row (not collected yet),
// beside a full Consent: the bare one is still the treatment consent, so
// nothing is mapped and the empty one is named (WhyEmpty), in either
// column order.
func TestBareConsentBesideAnEmptyMarketingConsentIsNotMapped(t *testing.T) {
	for _, bareFirst := range []bool{true, false} {
		head, cells := "Consent,Marketing Consent", "Yes,"
		if !bareFirst {
			head, cells = "Marketing Consent,Consent", ",Yes"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Appointment ID,Appointment Date,Status,%s,Email\n", head)
		for i := range 25 {
			fmt.Fprintf(&b, "A%03d,2026-11-%02d 10:00,Completed,%s,canary.p%d@example.com\n", i, 1+i%28, cells, i)
		}
		p := profileOf(t, b.String())
		if got := p.Mapped("consent"); got != nil {
			t.Errorf("bare first: %v: consent = %q, want none", bareFirst, got)
		}
		if !slices.Contains(p.SetAside, SetAside{Header: "Marketing Consent", Why: WhyEmpty, Key: "consent"}) {
			t.Errorf("bare first: %v: the empty Marketing Consent is not named (%+v)", bareFirst, p.SetAside)
		}
	}
}
