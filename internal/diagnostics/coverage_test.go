package diagnostics

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
)

func sent(t *testing.T, p identifier.Platform, f identifier.Field, raw string) identifier.Sent {
	t.Helper()
	s, err := identifier.Prepare(p, f, raw, identifier.Options{Region: "TW"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCoverageAddsUp(t *testing.T) {
	c := &Coverage{}
	g := identifier.Google
	var batch []*conversion.Conversion
	// 40 events: every one a phone, every 4th an e-mail (10), the first
	// 7 a gclid, 2 an address (a small cell), none of the rest.
	for i := range 40 {
		cv := &conversion.Conversion{Platform: g, Identifiers: []identifier.Sent{sent(t, g, identifier.Phone, "0912-345-678")}}
		if i%4 == 0 {
			cv.Identifiers = append(cv.Identifiers, sent(t, g, identifier.Email, fmt.Sprintf("p%d@example.com", i)))
		}
		if i < 7 {
			cv.GCLID = "Cj0KCQjw6FP_Rk88ItOhPCXsIrMV3iWFJYtPbg-IXCjM8azsPXEewEaa-wG17gfdOiIUWoHD_UjF-DjAb5d43RtrhBwN"
		}
		if i < 2 {
			cv.Identifiers = append(cv.Identifiers, sent(t, g, identifier.FirstName, "Mei"), sent(t, g, identifier.LastName, "Lin"),
				sent(t, g, identifier.Country, "TW"), sent(t, g, identifier.PostalCode, "100"))
		}
		batch = append(batch, cv)
	}
	c.Count(g, batch[:30]) // the rest was not ingested: not counted
	f := c.Figures(g)
	if f == nil || f.Events == nil || *f.Events != 30 {
		t.Fatalf("figures %+v", f)
	}
	want := map[string]string{KindEmail: "8", KindPhone: "30", KindClickID: "7", KindAddress: "<5"}
	for _, k := range f.Kinds {
		if k.Shown != want[k.Kind] {
			t.Errorf("%s shown %q, want %q", k.Kind, k.Shown, want[k.Kind])
		}
		if k.Events != nil && (*k.Events > *f.Events || *k.Share != float64(*k.Events)/30) {
			t.Errorf("%s: %d events, share %v of %d", k.Kind, *k.Events, *k.Share, *f.Events)
		}
	}
	if strings.Join(f.Suppressed, ",") != KindAddress {
		t.Errorf("suppressed %v", f.Suppressed)
	}
	c.MinCell = 1 // channels.min_cell: 1 turns suppression off, for the clinic's own eyes
	if f := c.Figures(g); len(f.Suppressed) != 0 || f.Kinds[3].Shown != "2" {
		t.Errorf("min_cell 1: %+v", f)
	}
	if c.Figures(identifier.Meta) != nil {
		t.Error("figures for a platform that ingested nothing")
	}
	if got := f.Text(); !strings.Contains(got, "phone 30 (100%)") || !strings.Contains(got, "address <5") {
		t.Errorf("text %q", got)
	}
}

// No printed figure, alone or subtracted from another, reveals a count
// between 1 and MinCell-1.
func TestNoSmallCellRecoverable(t *testing.T) {
	for total := 0; total <= 30; total++ {
		for n := 0; n <= total; n++ {
			f := NewFigures(total, map[string]int{KindEmail: n, KindPhone: total, KindClickID: 0}, MinCell)
			js, _ := json.Marshal(f)
			var printed []int
			if f.Events != nil {
				printed = append(printed, *f.Events)
			}
			for _, k := range f.Kinds {
				if k.Events != nil {
					printed = append(printed, *k.Events)
				}
				if x, err := strconv.Atoi(k.Shown); err == nil && (k.Events == nil || x != *k.Events) {
					t.Fatalf("%d/%d: shown %q but events %v", n, total, k.Shown, k.Events)
				}
			}
			for _, a := range printed {
				if a > 0 && a < MinCell {
					t.Fatalf("%d of %d: %d printed: %s", n, total, a, js)
				}
				for _, b := range printed {
					if d := a - b; d > 0 && d < MinCell {
						t.Fatalf("%d of %d: %d - %d = %d recoverable: %s", n, total, a, b, d, js)
					}
				}
			}
		}
	}
}

// countingRelease is a release rule whose record key is a plain function
// of the id, counting the keys it is asked for.
type countingRelease struct{ asked int }

func (r *countingRelease) RecordKey(id string) uint64 {
	r.asked++
	return uint64(len(id))*0x9e3779b97f4a7c15 ^ uint64(id[len(id)-1])<<7 ^ 1
}
func (*countingRelease) Count(n int, _ uint64) int { return n }

// TestCarriedRecordKeysAreUsed: a conversion that carries its record key
// (made by the pipeline) is counted under it without asking the release
// rule; one without is asked for it; both sum as the rule's own keys.
func TestCarriedRecordKeysAreUsed(t *testing.T) {
	r := &countingRelease{}
	c := &Coverage{Release: r}
	fresh := &countingRelease{}
	var batch []*conversion.Conversion
	var want uint64
	for i := range 100 {
		id := fmt.Sprintf("ev-%07d", i)
		cv := &conversion.Conversion{Platform: identifier.Google, EventID: eventid.ID(id), GCLID: "Cj0KCQ-test"}
		if i%2 == 0 {
			cv.RecordKey = fresh.RecordKey(id)
		}
		want += fresh.RecordKey(id)
		batch = append(batch, cv)
	}
	c.Count(identifier.Google, batch)
	if got := c.by[identifier.Google]; got.events != 100 || got.kindKeys[kindClickID] != want {
		t.Errorf("%d events, keys summed %x; want 100, %x", got.events, got.kindKeys[kindClickID], want)
	}
	if r.asked != 50 {
		t.Errorf("the release rule was asked for %d keys; want 50 (the conversions that carried none)", r.asked)
	}
}

// lowRelease perturbs every count down by one.
type lowRelease struct{ countingRelease }

func (lowRelease) Count(n int, _ uint64) int { return n - 1 }

// TestAPerturbedCountIsNeverAnExactZero: one event that carried a click id,
// perturbed to 0, printed "click_id 0" — an exact zero, which it is not
// (a review). A kind some event carried prints withheld when small.
func TestAPerturbedCountIsNeverAnExactZero(t *testing.T) {
	c := &Coverage{MinCell: 5, Release: &lowRelease{}}
	c.Count(identifier.Google, []*conversion.Conversion{{Platform: identifier.Google, EventID: "ev-1", GCLID: "Cj0KCQ-test"}})
	f := c.Figures(identifier.Google)
	for _, k := range f.Kinds {
		want := "0"
		if k.Kind == "click_id" {
			want = "<5"
		}
		if k.Shown != want {
			t.Errorf("%s shown %q, want %q (%s)", k.Kind, k.Shown, want, f.Text())
		}
	}
}

// TestMetaClickIDsAreFBC: Meta's click id is its fbc (conversion.Formatted),
// not a gclid; events that carried one count under click_id (they showed
// "click_id 0 (0%)" beside 20 events with fbc: a privacy officer's review).
func TestMetaClickIDsAreFBC(t *testing.T) {
	c := &Coverage{MinCell: 1}
	m := identifier.Meta
	var batch []*conversion.Conversion
	for i := range 12 {
		cv := &conversion.Conversion{Platform: m, Identifiers: []identifier.Sent{sent(t, m, identifier.Phone, "0912-345-678")}}
		if i < 7 {
			cv.Formatted = "fb.1.1764547200000.IwAR2xQ7cR9nXkqTBbB0mUuZq1sT4vJ6YwE8hLpD3fGaKoN5iM"
		}
		batch = append(batch, cv)
	}
	c.Count(m, batch)
	f := c.Figures(m)
	for _, k := range f.Kinds {
		if k.Kind == KindClickID && k.Shown != "7" {
			t.Errorf("Meta click_id shown %q, want 7 (the events with fbc)", k.Shown)
		}
	}
}
