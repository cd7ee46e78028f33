package inspect

import "testing"

// TestOtherPeopleAndCareConsents: headers that name someone other than
// the patient are no identifier of the patient's, and consents to care no
// ad consent — while the patient's own contact columns (联系电话 is
// "contact phone") and ad consents keep mapping.
func TestOtherPeopleAndCareConsents(t *testing.T) {
	for _, c := range []struct {
		header, key string
		maps        bool
		aside       string
	}{
		{"Emergency Contact Phone", "phone", false, WhyAnotherPerson},
		{"Next of Kin Phone", "phone", false, WhyAnotherPerson},
		{"Referring Practitioner Email", "email", false, WhyAnotherPerson},
		{"Guarantor Email", "email", false, WhyAnotherPerson},
		{"Parent Mobile", "phone", false, WhyAnotherPerson},
		{"紧急联系人电话", "phone", false, WhyAnotherPerson},
		{"緊急聯絡人手機", "phone", false, WhyAnotherPerson},
		{"监护人手机号", "phone", false, WhyAnotherPerson},
		{"Consent to Treat", "consent", false, WhyCareConsent},
		{"HIPAA Consent Signed", "consent", false, WhyCareConsent},
		{"Photo Consent", "consent", false, WhyCareConsent},
		{"知情同意书", "consent", false, WhyCareConsent},
		{"治療同意", "consent", false, WhyCareConsent},
		{"Patient Phone", "phone", true, ""},
		{"联系电话", "phone", true, ""},
		{"聯絡電話", "phone", true, ""},
		{"Patient Email", "email", true, ""},
		{"Family Name", "last_name", true, ""},
		{"Marketing Consent", "consent", true, ""},
		{"行銷同意", "consent", true, ""},
		{"营销授权", "consent", true, ""},
	} {
		if got := headerScore(c.key, c.header) >= minScore; got != c.maps {
			t.Errorf("%q as %s: maps %v, want %v", c.header, c.key, got, c.maps)
		}
		got := ""
		for _, s := range setAside([]Column{{Header: c.header}}, nil) {
			got = s.Why
		}
		if got != c.aside {
			t.Errorf("%q: set aside as %q, want %q", c.header, got, c.aside)
		}
	}
}
