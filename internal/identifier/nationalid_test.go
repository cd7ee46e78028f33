package identifier

import "testing"

// TestNationalIDsAreNoPhones: config init no longer proposes a column of
// mainland or Taiwanese ID numbers as the phone (package inspect), but a
// person can still map one by hand. Every such ID is then rejected, row by
// row, with the phone's reason (the review CSV and the run's summary count
// the drops): 18 and 15 digits are longer than any national number of the
// regions hashgate reads, and a letter is no digit — so no ID is ever
// hashed and sent as a phone. Should a region's numbering plan ever admit
// one, this fails, and upload must refuse the column instead.
func TestNationalIDsAreNoPhones(t *testing.T) {
	ids := []string{"11010519491231002X", "110105194912310021", "440305198802140379", "110105491231002", "320102900101123", "A123456789"}
	for _, region := range []string{"", "CN", "TW", "HK", "US", "AU", "GB"} {
		for _, p := range []Platform{Google, Meta} {
			for _, id := range ids {
				if got, err := Normalize(p, Phone, id, Options{Region: region}); err == nil {
					t.Errorf("%s, region %q: an ID normalised as the phone %q", p, region, got)
				}
			}
		}
	}
}
