package main

// dob26Mutations hold session 26's three small fixes: a birth-date
// header's source document (per insurance card, 健保卡) is no person and
// whoever holds the account is; identifier_not_patients counts rows, not
// values; and channels' changed-keys warning leaves out the listed
// not-patient identifiers, by the run's own test.
var dob26Mutations = register([]mutation{
	{
		Name:     "dob26/source-document-kept",
		Why:      "\"Patient DOB (per insurance card)\" would be refused as an insurance subscriber's birth date again (exit 2 on the patient's own column)",
		File:     "internal/inspect/agecolumns.go",
		Old:      "return birthWordings{dropTerms(normHeader(header), src), dropTerms(normHeader(spaced), src)}",
		New:      "return birthWordings{dropTerms(normHeader(header), src[:0]), dropTerms(normHeader(spaced), src[:0])}",
		Packages: []string{"./internal/inspect"},
		Run:      "TestBirthDateSourceOrPerson",
	},
	{
		Name:     "dob26/holder-no-person",
		Why:      "\"DOB (account holder)\" would pass as the patient's birth date: a parent paying the account would pass a child as an adult",
		File:     "internal/inspect/synonyms.go",
		Old:      "\"holder\", \"holders\", \"accountholder\",",
		New:      "\"accountholder\",",
		Packages: []string{"./internal/inspect"},
		Run:      "TestBirthDateSourceOrPerson",
	},
	{
		Name:     "dob26/subscriber-not-masked",
		Why:      "\"Policy Holder DOB\" would be refused as another person's, without the subscriber's remedy (rename the column when the subscriber is always the patient)",
		File:     "internal/inspect/agecolumns.go",
		Old:      "case h.without(w.subscriber).has(w.birthOthers)",
		New:      "case h.has(w.birthOthers)",
		Packages: []string{"./internal/inspect"},
		Run:      "TestBirthDateSourceOrPerson",
	},
	{
		Name:     "dob26/note-per-value",
		Why:      "identifier_not_patients would count a row once per listed value (its e-mail and phone twice), not once a row as every note does",
		File:     "internal/pipeline/notpatient.go",
		Old:      "\t\t\tif !slices.Contains(sum.notes, NoteNotPatientIdentifier) {\n\t\t\t\tsum.note(NoteNotPatientIdentifier)\n\t\t\t}\n",
		New:      "\t\t\tsum.note(NoteNotPatientIdentifier)\n\t\t\t_ = slices.Contains[[]string]\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestNotPatientIdentifiersNoteCountsRows",
	},
	{
		Name:     "dob26/channels-ignores-list",
		Why:      "a placeholder e-mail listed under input.not_patient_identifiers would link every new patient to its first chart and warn of changed patient keys",
		File:     "internal/channels/rekeyed.go",
		Old:      "\t\t\tif r.notPatient.Listed(fc.f, v, r.opt) {\n",
		New:      "\t\t\tif false && r.notPatient.Listed(fc.f, v, r.opt) {\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestRekeyedSkipsNotPatientIdentifiers",
	},
})
