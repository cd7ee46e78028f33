package identifier

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gocarina/gocsv"
)

// vector is one row of testdata/hash-vectors.csv (see docs/research/normalisation.md §6
// in the shared research notes).
type vector struct {
	Platform   string `csv:"platform"`
	Field      string `csv:"field"`
	Raw        string `csv:"raw"`
	Normalized string `csv:"normalized"`
	SHA256     string `csv:"sha256"`
	Source     string `csv:"source"`
}

const vectorsPath = "../../testdata/hash-vectors.csv"

// vectorFields maps the platforms' own field names used in the vector file to
// hashgate's fields.
var vectorFields = map[string]Field{
	"email": Email, "phone": Phone, "given_name": FirstName, "family_name": LastName,
	"region_code": Country, "postal_code": PostalCode,
	"em": Email, "ph": Phone, "fn": FirstName, "ln": LastName, "ct": City, "st": State,
	"zp": PostalCode, "country": Country, "external_id": ExternalID,
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	if err := gocsv.UnmarshalFile(f, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 80 {
		t.Fatalf("only %d vectors loaded; the file is truncated", len(vs))
	}
	return vs
}

// TestHashVectors runs every published and derived vector: the normalised
// string, the value sent (hash or plain) and the must-reject rows.
func TestHashVectors(t *testing.T) {
	for i, v := range loadVectors(t) {
		p, err := ParsePlatform(v.Platform)
		if err != nil {
			t.Fatalf("row %d: %v", i+2, err)
		}
		parts := strings.Split(v.Field, ";")
		f, ok := vectorFields[parts[0]]
		if !ok {
			t.Fatalf("row %d: unmapped vector field %q", i+2, parts[0])
		}
		var opt Options
		for _, m := range parts[1:] {
			if r, ok := strings.CutPrefix(m, "region="); ok {
				opt.Region = r
			}
		}
		name := v.Platform + "/" + v.Field + "/" + v.Raw
		t.Run(name, func(t *testing.T) {
			n, nerr := Normalize(p, f, v.Raw, opt)
			s, serr := Prepare(p, f, v.Raw, opt)
			if v.Normalized == "" {
				if nerr == nil || serr == nil {
					t.Fatalf("want rejection, got normalised %q", n)
				}
				var rej *Rejection
				if !errors.As(serr, &rej) || rej.Reason == "" {
					t.Fatalf("rejection is not a *Rejection with a reason: %v", serr)
				}
				return
			}
			if nerr != nil || serr != nil {
				t.Fatalf("rejected (%v / %v), want %q", nerr, serr, v.Normalized)
			}
			if n != v.Normalized {
				t.Fatalf("normalised %q, want %q", n, v.Normalized)
			}
			want := v.SHA256
			if want == "" { // a field sent unhashed
				want = v.Normalized
				if s.IsHashed() {
					t.Fatalf("field sent hashed, want plain")
				}
			}
			if got := s.Text(); got != want {
				t.Fatalf("sent %s, want %s", got, want)
			}
		})
	}
}

// sharedDir is the steering repository's shared folder, which sits beside
// a checkout on developer machines and in CI.
const sharedDir = "../../../shared"

// TestVectorsCopyInStep keeps testdata/hash-vectors.csv identical to the
// research notes it was copied from. Without the shared folder beside the
// checkout (a clone on its own) there is nothing to compare: the test is
// skipped, and says so, rather than passing. A shared folder without the
// vectors file is a broken setup, and fails.
func TestVectorsCopyInStep(t *testing.T) {
	ours, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := os.ReadFile(filepath.Join(sharedDir, "docs", "hash-vectors.csv"))
	if errors.Is(err, os.ErrNotExist) {
		if _, serr := os.Stat(sharedDir); serr == nil {
			t.Fatalf("%s exists but has no docs/hash-vectors.csv: the vectors cannot be checked against their source", sharedDir)
		}
		t.Skip("shared/ is not beside the checkout; nothing to compare the vectors with")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Fatal("testdata/hash-vectors.csv differs from shared/docs/hash-vectors.csv: copy it again and rerun")
	}
}

// TestPlatformsDiffer pins the reason one hash column cannot serve both
// platforms.
func TestPlatformsDiffer(t *testing.T) {
	for _, c := range []struct {
		f   Field
		raw string
	}{
		{Phone, "0912-345-678"},
		{Email, "Cloudy.SanFrancisco+shopping@gmail.com"},
		{LastName, "Quinn-Alex"},
	} {
		g, err1 := Prepare(Google, c.f, c.raw, Options{Region: "TW"})
		m, err2 := Prepare(Meta, c.f, c.raw, Options{Region: "TW"})
		if err1 != nil || err2 != nil {
			t.Fatalf("%v: %v %v", c.f, err1, err2)
		}
		if g.Text() == m.Text() {
			t.Errorf("%v: google and meta hash alike; their rules differ", c.f)
		}
	}
}

func TestRejectionsNeverCarryTheValue(t *testing.T) {
	const canary = "canary.patient+zz@example"
	for _, p := range Platforms {
		for _, f := range Fields {
			_, err := Prepare(p, f, canary, Options{Region: "TW"})
			if err != nil && strings.Contains(err.Error(), "canary") {
				t.Errorf("%v/%v: error %q carries the value", p, f, err)
			}
		}
	}
}

func TestPhoneRules(t *testing.T) {
	cases := []struct {
		raw, region, want, reason string
	}{
		{"9.12346E+08", "TW", "", ReasonPrecisionLost},
		{"1.56178E+10", "", "", ReasonPrecisionLost},
		{"+886 912 345 678", "", "+886912345678", ""},
		{"00886912345678", "US", "+886912345678", ""},
		{"＋８８６９１２３４５６７８", "", "+886912345678", ""},
		{"(02) 2345-6789 #12", "TW", "+886223456789", ""},
		{"---", "TW", "", ReasonNoDigits},
		{"+999 123", "", "", ReasonNoCountryCode},
	}
	for _, c := range cases {
		got, err := Normalize(Google, Phone, c.raw, Options{Region: c.region})
		if c.reason != "" {
			var rej *Rejection
			if !errors.As(err, &rej) || rej.Reason != c.reason {
				t.Errorf("%q: got %q, %v; want rejection %s", c.raw, got, err, c.reason)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: got %q, %v; want %q", c.raw, got, err, c.want)
		}
	}
}

func TestGoogleDoesNotTakeCityOrState(t *testing.T) {
	for _, f := range []Field{City, State, ExternalID} {
		if _, err := Prepare(Google, f, "Taipei", Options{}); err == nil {
			t.Errorf("%v accepted for google", f)
		}
	}
}

// TestPrepareEachMatchesPrepare: the shared phone parse must not change a
// single answer.
func TestPrepareEachMatchesPrepare(t *testing.T) {
	ps := []Platform{Google, Meta}
	res := make([]Result, 2)
	for _, v := range loadVectors(t) {
		for _, f := range []Field{Phone, Email} {
			for _, region := range []string{"", "TW", "US"} {
				opt := Options{Region: region}
				PrepareEach(new(Hasher), ps, f, v.Raw, opt, res)
				for i, p := range ps {
					want, werr := Prepare(p, f, v.Raw, opt)
					if (werr == nil) != (res[i].Err == nil) || (werr != nil && werr.Error() != res[i].Err.Error()) || want != res[i].Sent {
						t.Fatalf("%v %v %q region %q: PrepareEach %v/%v, Prepare %v/%v", p, f, v.Raw, region, res[i].Sent.Text(), res[i].Err, want.Text(), werr)
					}
				}
			}
		}
	}
}

func TestGoogleFamilySuffixes(t *testing.T) {
	for raw, want := range map[string]string{
		"Quinn, Jr., DDS": "quinn", "Smith V": "smith", "Smith III": "smith", "Boardds": "boardds",
		"Jr.": "jr.", "Lee,phd": "lee", "O'Neil  md ": "o'neil", "Mdina": "mdina", "Vii": "vii",
		"Smith Jr": "smith jr", // Java's reading; Node's optional dot would give "smith" (name.go)
	} {
		got, err := Normalize(Google, LastName, raw, Options{})
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", raw, got, err, want)
		}
	}
}

// TestGoogleNamesKeepInnerSpaces: the Java utility's reading, not the
// Google Ads API's "maryann" (name.go).
func TestGoogleNamesKeepInnerSpaces(t *testing.T) {
	for _, f := range []Field{FirstName, LastName} {
		if got, err := Normalize(Google, f, " Mary Ann ", Options{}); err != nil || got != "mary ann" {
			t.Errorf("%v: got %q, %v; want %q", f, got, err, "mary ann")
		}
	}
}

// TestLongCellsStayCheap: a damaged or hostile cell must not stall a run.
// It counts work, not time: every field of a 20 KB cell is normalised and
// the test fails only if a rule is super-linear enough to take minutes.
func TestLongCellsStayCheap(t *testing.T) {
	// What "cheap" means, counted rather than timed: the bytes a cell costs
	// grow in step with its length. A normaliser that rescans or rebuilds
	// the cell per character (quadratic) allocates about four times as much
	// for a cell twice as long; a linear one about twice.
	work := func(raw string) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for _, p := range Platforms {
			for _, f := range Fields {
				_, _ = Prepare(p, f, raw, Options{Region: "TW"})
			}
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, unit := range []string{" ii", "mr. ", "9", "Ａ", "a@"} {
		short := "x" + strings.Repeat(unit, 5000)
		long := "x" + strings.Repeat(unit, 10000)
		work(short) // warm caches (phone metadata, casers)
		a, b := work(short), work(long)
		if a == 0 {
			continue // nothing allocated: nothing can grow
		}
		if ratio := float64(b) / float64(a); ratio > 3 {
			t.Errorf("cell of %q×10000: %d bytes allocated, %.1f× the %d bytes of %q×5000: the work grows faster than the cell", unit, b, ratio, a, unit)
		}
		// A loose ceiling: the race detector's instrumentation alone takes
		// a plain run's few hundred bytes per byte to about a thousand; a
		// quadratic normaliser on this cell takes hundreds of thousands.
		if per := b / uint64(len(long)); per > 5000 {
			t.Errorf("cell of %q×10000: %d bytes allocated per byte of cell", unit, per)
		}
	}
}
