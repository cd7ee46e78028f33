package phi

import "testing"

// TestNamesHideNoTerm: every name a review's dry-runs sent as Meta's
// event_name with the whole-word rule (2026-12-07) — a CamelCase or glued
// term, an everyday specialty — and the spellings it refused already.
// Meta flags custom conversions that "suggest specific health conditions"
// from 2 September 2025 (docs/contract.md MCC).
func TestNamesHideNoTerm(t *testing.T) {
	g := New(nil, nil)
	for _, c := range []struct{ name, term string }{
		{"ImplantCompleted", "implant"},
		{"implantvisit", "implant"},
		{"BotoxVisit", "botox"},
		{"DentalVisit", "dental"},
		{"Dental Visit", "dental"},
		{"OrthoConsult", "ortho"},
		{"Orthodontist", "orthodontist"},
		{"IVFConsult", "ivf"},
		{"CrownPlaced", "crown"},
		{"RootCanal", "root canal"},
		{"rootcanal", "root canal"},
		{"Root-Canal", "root canal"},
		{"Psychiatrist", "psychiatrist"},
		{"Dermatologist", "dermatologist"},
		{"Mental Health Visit", "mental health"},
		{"MentalHealthVisit", "mental health"},
		{"Therapy", "therapy"},
		{"Counseling", "counseling"},
		{"Counselling", "counselling"},
		{"Cosmetic Dentistry", "dentist"},
		{"Pediatrics", "pediatric"},
		{"Paediatric Visit", "paediatric"},
		{"OBGYN", "obgyn"},
		{"OB-GYN", "ob gyn"},
		{"Sleep Apnea", "apnea"},
		{"Physio", "physio"},
		{"Chiropractic", "chiropractic"},
		{"PerioVisit", "perio"},
		{"EndoConsult", "endo"},
		{"Psychologist", "psychologist"},
		{"AestheticConsult", "aesthetic"},
		{"Ivf2", "ivf"},
		{"Implant_Completed", "implant"},
		{"Root Canal", "root canal"},
		{"IVF Consult", "ivf"},
		{"Dermatology", "dermatology"},
		{"牙科初診", "牙科"},
		{"皮肤科", "皮肤科"},
		{"心理諮商", "心理"},
		{"物理治療", "物理治療"},
		{"正畸复诊", "正畸"},
		{"dental_visit", "dental"},
		{"ORTHO consult", "ortho"},
		{"mentalhealth", "mental health"},
		{"Mental-Health-Visit", "mental health"},
		{"Visit_MentalHealth", "mental health"},
	} {
		term, hit := g.Find(c.name)
		if !hit {
			t.Errorf("%q passed the guard", c.name)
			continue
		}
		if term != fold(c.term) {
			t.Errorf("%q refused for %q, want %q", c.name, term, c.term)
		}
	}
}

// metaStandardEvents are Meta's standard events (Meta Pixel reference,
// developers.facebook.com/docs/meta-pixel/reference, "Standard Events",
// and PageView of the base code): an event_name that is one of them says
// what a visitor did, never what for, and must pass.
var metaStandardEvents = []string{"AddPaymentInfo", "AddToCart", "AddToWishlist", "CompleteRegistration", "Contact",
	"CustomizeProduct", "Donate", "FindLocation", "InitiateCheckout", "Lead", "Purchase", "Schedule", "Search",
	"StartTrial", "SubmitApplication", "Subscribe", "ViewContent", "PageView"}

// TestNeutralNamesPass: the standard events and the neutral words a
// clinic's names are made of pass the stricter rule, as do words that
// hold a short term inside them ("perio" in "Period" and "Superior", "hiv"
// in "archive").
func TestNeutralNamesPass(t *testing.T) {
	g := New(nil, nil)
	names := append([]string{"Visit", "Booking", "Appointment", "Completed", "Store", "OfflineVisit", "StoreVisit",
		"ClinicVisit", "AppointmentCompleted", "Booking Made", "Visit2024", "Period", "TrialPeriod", "SuperiorService",
		"archive", "Google Ads", "Facebook", "Instagram", "LINE", "Walk-in", "Referral", "到診", "到诊", "預約", "预约",
		"完成", "Offline Purchase", "hashgate-review.csv", "report-2026-12-07.html", "Conversion", "Clinic",
		// A review (2026-12-07): "ortho" and "dental" matched inside any
		// word, and a phrase matched across words' edges once glued,
		// refusing these as channel labels and --out names.
		"NorthOffice", "northoffice.csv", "Northolt", "Portholes", "Orthodox", "Occidental", "AccidentalBooking",
		"Incidental", "Supplemental Health", "supplemental_health_visit", "EnvironmentalHealth", "environmental-health.csv"},
		metaStandardEvents...)
	for _, s := range names {
		if term, hit := g.Find(s); hit {
			t.Errorf("%q refused for %q", s, term)
		}
	}
}

// TestOwnTermsInCamelCase: a clinic's own term matches a name written in
// CamelCase as it did before names were split ("GlowPackage" holds the
// deny term "glowpackage"), and its short terms as words of it.
func TestOwnTermsInCamelCase(t *testing.T) {
	g := New([]string{"GlowPackage", "Zap"}, nil)
	for name, want := range map[string]string{"GlowPackage": "glowpackage", "glow_package2": "", "ZapVisit": "zap", "Zapper": ""} {
		if term, _ := g.Find(name); term != want {
			t.Errorf("Find(%q) = %q, want %q", name, term, want)
		}
	}
}

// TestRandomClickIDsHoldingAShortTermPass: a gclid or fbclid is random
// text, and a five-letter term turns up in one by chance (about 1 in
// 110,000 ids for "ortho", "apnea" and "obgyn" together): the id was
// dropped as click_id_health_term and its conversion lost. A click id is
// checked for terms of six letters or more; a name still for all.
func TestRandomClickIDsHoldingAShortTermPass(t *testing.T) {
	g := New(nil, nil)
	for _, id := range []string{
		"Cj0KCQiARfD5XPsKdiGoW3GChn1YXorthoHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4",
		"IwAR2xQApneaZk9Vb4Lh0mTs7RcWq3JpFe8Ny1DgUoK6iXbHaYzSlMvCtEwGd5",
		"EAIaIQobChMIZuApCOGIMIWgmo0qpGdpkObGynPomDoON4qWU9k1ytRz",
		"Cj0KCQiAperioFD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32",
	} {
		if term, hit := g.FindInToken(id); hit {
			t.Errorf("a random click id refused for %q: %s", term, id)
		}
	}
	// Six letters or more still match inside one.
	if term, hit := g.FindInToken("Cj0KCQiARfD5XPsKdiGoW3GChn1YXImplantOHpqhXynSjiX3GrE1gk0yXnvyDm"); !hit || term != "implant" {
		t.Errorf("a click id holding implant: %q, %v", term, hit)
	}
}
