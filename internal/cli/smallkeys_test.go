package cli

import (
	"fmt"
	"strings"
	"testing"
)

// A small clinic (5 to 15 visits a night) never had the patient keys'
// shape stop: a night of fewer than 20 keys was never judged (a review
// of its limits). Now tonight's keys are counted with the last nights'.

// TestASmallClinicsRenumberingStops: five nights of 6 chart numbers,
// then a new practice system's keys (M70000…) at 6 a night. Before, every
// night of the new numbering went on (exit 0, all sent), and the
// withdrawal memory keyed by chart number was blind. Now the first such
// night goes through (6 keys tell no numbering from a day's oddity) and
// teaches nothing; the second stops (12 of the last 18 keys), naming the
// nights counted and the way out; --accept-new-ids passes it and teaches
// the new kind, and the night after goes on.
func TestASmallClinicsRenumberingStops(t *testing.T) {
	k := newKeyNights(t)
	for i := range 5 {
		k.night(fmt.Sprintf("chart numbers, night %d", i+1), keyNight(t, fmt.Sprintf("R%dN", i), 2+i, 100+10*i, keysFrom("%d", 5000+10*i, 6)), 0, 6)
	}
	k.night("the new system's first night", keyNight(t, "R5N", 8, 200, keysFrom("M7%04d", 0, 6)), 0, 6)
	second := keyNight(t, "R6N", 9, 210, keysFrom("M7%04d", 10, 6))
	out := k.night("the new system's second night", second, ExitUsage, 0)
	for _, want := range []string{"input.columns.patient_key", "changed shape", "6 of this export's 6 are unlike them", "12 of the 18 keys of the last 3 uploads", "--accept-new-ids", "nothing was sent"} {
		if !strings.Contains(out, want) {
			t.Errorf("the stop does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "M7") || strings.Contains(out, "500") {
		t.Errorf("the stop prints a key:\n%s", out)
	}
	out = k.night("accepted", second, 0, 6, "--accept-new-ids")
	if !strings.Contains(out, "patient_key_shape") {
		t.Errorf("the night --accept-new-ids passed the stop does not name it:\n%s", out)
	}
	k.night("the night after", keyNight(t, "R7N", 10, 220, keysFrom("M7%04d", 20, 6)), 0, 6)
}

// TestASmallClinicsMonthGoesThrough: a month's weekday nights of 5 to 12
// keys; from the second week most hold walk-ins (W001…, a third or
// fewer), one holds 3 test patients of 5, and the last is a walk-in
// Saturday (11 of 12). None stops: walk-ins, a minority of each small
// night, become the clinic's own kind (had a small night taught nothing
// unlike the kept shape, the Saturday would stop); the test patients are
// one night's few keys.
func TestASmallClinicsMonthGoesThrough(t *testing.T) {
	k := newKeyNights(t)
	sizes := []int{6, 9, 5, 12, 7, 11, 8, 5, 10, 5, 11, 7, 9, 5, 12, 6, 10, 8, 5, 10, 12}
	for i, n := range sizes {
		walkIns := 0
		if i >= 4 && i%4 != 3 {
			walkIns = n / 3
		}
		var keys []string
		switch i {
		case 9: // test patients
			keys = append(keysFrom("TEST%02d", 0, 3), keysFrom("%d", 5000+20*i, 2)...)
		case 20: // a walk-in Saturday
			keys = append(keysFrom("W%03d", 10*i, 11), fmt.Sprint(5000+20*i))
		default:
			keys = append(keysFrom("%d", 5000+20*i, n-walkIns), keysFrom("W%03d", 10*i, walkIns)...)
		}
		k.night(fmt.Sprintf("night %d (%d keys)", i+1, len(keys)), keyNight(t, fmt.Sprintf("M%02dN", i), 1+i, 100+15*i, keys), 0, len(keys))
	}
}

// TestASmallClinicsNightRunAgainIsTheSameNight: a night's export run again
// (a retry after exit 3, a second cron run) is the same night. Before, its
// keys were counted as another night's: five nights of 4 chart numbers,
// then a night of 7 keys, 6 of them walk-ins, went on (exit 0, 7 sent),
// and the same file run again stopped (exit 2, "12 of the 18 keys of the
// last 3 uploads"). Now each night kept is known by the digest of the
// export it read, and a run of the same export replaces its night: the
// re-runs go on as the first did, and a new numbering's first night run
// again still lets its second night stop, as counted once.
func TestASmallClinicsNightRunAgainIsTheSameNight(t *testing.T) {
	k := newKeyNights(t)
	for i := range 5 {
		k.night(fmt.Sprintf("chart numbers, night %d", i+1), keyNight(t, fmt.Sprintf("A%dN", i), 2+i, 100+10*i, keysFrom("%d", 5000+10*i, 4)), 0, 4)
	}
	walkIns := keyNight(t, "A5N", 8, 200, append(keysFrom("W%03d", 0, 6), "5100"))
	k.night("a night of walk-ins", walkIns, 0, 7)
	k.night("the same export run again", walkIns, 0, 0)
	k.night("and a third time", walkIns, 0, 0)
	k.night("the next night", keyNight(t, "A6N", 9, 210, keysFrom("%d", 5200, 4)), 0, 4)

	k = newKeyNights(t)
	for i := range 5 {
		k.night(fmt.Sprintf("chart numbers, night %d", i+1), keyNight(t, fmt.Sprintf("B%dN", i), 2+i, 100+10*i, keysFrom("%d", 5000+10*i, 6)), 0, 6)
	}
	first := keyNight(t, "B5N", 8, 200, keysFrom("M7%04d", 0, 6))
	k.night("the new system's first night", first, 0, 6)
	k.night("its first night run again", first, 0, 0)
	out := k.night("the new system's second night", keyNight(t, "B6N", 9, 210, keysFrom("M7%04d", 10, 6)), ExitUsage, 0)
	if !strings.Contains(out, "12 of the 18 keys of the last 3 uploads") {
		t.Errorf("the second night does not count the first once:\n%s", out)
	}
}
