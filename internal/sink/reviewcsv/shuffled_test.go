package reviewcsv

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/lowerhex"
)

// writePreparedShuffled is WritePrepared as it was before issue 29's
// last cut: it spelled the identifier cells first, then moved them up
// behind the destination and the head. It returns the line instead of
// writing it; the tests below hold WritePrepared to it.
func writePreparedShuffled(rw *Writer, p []byte) ([]byte, error) {
	take := func(n int) []byte {
		if n < 0 || n > len(p) {
			p = nil
			return nil
		}
		v := p[:n]
		p = p[n:]
		return v
	}
	length := func() int {
		if l := take(2); l != nil {
			return int(l[0]) | int(l[1])<<8
		}
		return -1
	}
	if len(p) < 2 {
		return nil, errPrepared
	}
	n := int(p[len(p)-2]) | int(p[len(p)-1])<<8
	p = p[:len(p)-2]
	head := take(n)
	if head == nil {
		return nil, errPrepared
	}
	var b []byte
	ids := len(b)
	for _, col := range rw.idCols {
		b = append(b, ',')
		if col.hashed {
			count := take(1)
			if count == nil {
				return nil, errPrepared
			}
			for k := range int(count[0]) {
				h := take(32)
				if h == nil {
					return nil, errPrepared
				}
				if k > 0 {
					b = append(b, ';')
				}
				b = lowerhex.Append32(b, (*[32]byte)(h))
			}
			continue
		}
		n := length()
		cell := take(n)
		if cell == nil {
			return nil, errPrepared
		}
		b = append(b, cell...)
	}
	dn := take(1)
	if dn == nil {
		return nil, errPrepared
	}
	dest := take(int(dn[0]))
	if dest == nil || len(p) != 0 {
		return nil, errPrepared
	}
	idLen := len(b) - ids
	b = append(b, make([]byte, len(dest)+len(head))...)
	copy(b[ids+len(dest)+len(head):], b[ids:ids+idLen])
	copy(b[ids:], dest)
	copy(b[ids+len(dest):], head)
	return append(b, '\n'), nil
}

// shuffledLayouts: the bench's (email and phone hashed), and one with
// plain columns between hashed ones (postal code, country).
var shuffledLayouts = []Layout{{}, {BRAIDs: true, Formatted: "fbc", Fields: map[identifier.Platform][]identifier.Field{
	identifier.Google: {identifier.Email, identifier.Phone, identifier.PostalCode, identifier.Country, identifier.FirstName},
	identifier.Meta:   {identifier.Email, identifier.PostalCode, identifier.Country, identifier.City}}}}

// checkShuffled writes p with WritePrepared and with the version before
// it, and fails unless both refuse it or both write the same line.
func checkShuffled(t *testing.T, l Layout, p []byte) {
	t.Helper()
	var out bytes.Buffer
	w, err := New(&out, l)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	header := out.Len()
	want, wantErr := writePreparedShuffled(w, bytes.Clone(p))
	gotErr := w.WritePrepared(bytes.Clone(p))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := out.Bytes()[header:]
	if (gotErr != nil) != (wantErr != nil) || gotErr != nil && !errors.Is(gotErr, errPrepared) {
		t.Fatalf("%x: error %v, want %v", p, gotErr, wantErr)
	}
	if wantErr != nil {
		if len(got) != 0 {
			t.Fatalf("%x: refused, yet wrote %q", p, got)
		}
		return
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%x:\n got %q\nwant %q", p, got, want)
	}
}

// TestWritePreparedIsShuffled: for every conversion of
// TestPrepareWritesWhatWriteWrites' kind, its prepared bytes, every cut
// of them, and each with a byte added or changed, WritePrepared writes what the version that moved the cells wrote,
// and refuses what it refused.
func TestWritePreparedIsShuffled(t *testing.T) {
	opt := identifier.Options{Region: "US"}
	sent := func(p identifier.Platform, f identifier.Field, raw string) identifier.Sent {
		s, err := identifier.Prepare(p, f, raw, opt)
		if err != nil {
			t.Fatalf("%v %v %q: %v", p, f, raw, err)
		}
		return s
	}
	g, m := identifier.Google, identifier.Meta
	at := time.Date(2026, 11, 2, 10, 1, 0, 0, time.FixedZone("CST", 8*3600))
	convs := []conversion.Conversion{
		{Platform: g, EventID: "498c2ab575428558d0d35ead5a8a3470", Time: at, Name: "Purchase", Value: 89196, HasValue: true, Currency: "TWD",
			GCLID: "Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS", Identifiers: []identifier.Sent{
				sent(g, identifier.Email, "a@example.com"), sent(g, identifier.Email, "b@example.com"),
				sent(g, identifier.Phone, "+1 650 959 5506"), sent(g, identifier.PostalCode, "94043"),
				sent(g, identifier.PostalCode, "10001"), sent(g, identifier.Country, "US"), sent(g, identifier.FirstName, "Amir")}},
		{Platform: m, EventID: "498c2ab575428558d0d35ead5a8a3471", Time: at.UTC(), Name: "@Visit", Value: 0.5, HasValue: true, Currency: "USD",
			Formatted: "fb.1.1792477800000.-wAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk", Identifiers: []identifier.Sent{
				sent(m, identifier.Email, "a@example.com"), sent(m, identifier.PostalCode, "94043"), sent(m, identifier.Country, "US"),
				sent(m, identifier.City, "Mountain View")}},
		{Platform: g, EventID: "0123", Time: at, Name: "Lead", GBRAID: "0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT", WBRAID: "-0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT"},
		{Platform: m, EventID: "0124", Time: at},
	}
	for _, l := range shuffledLayouts {
		w, err := New(&bytes.Buffer{}, l)
		if err != nil {
			t.Fatal(err)
		}
		for i := range convs {
			p, ok := w.Prepare(nil, &convs[i])
			if !ok {
				t.Fatalf("conversion %d not prepared", i)
			}
			checkShuffled(t, l, p)
			for cut := 0; cut <= len(p); cut++ {
				checkShuffled(t, l, p[:cut])
				checkShuffled(t, l, p[len(p)-cut:])
				// A byte more anywhere, a byte changed: what a
				// damaged spill file holds.
				more := append(append(append([]byte{}, p[:cut]...), 1), p[cut:]...)
				checkShuffled(t, l, more)
				if cut < len(p) {
					changed := bytes.Clone(p)
					changed[cut]++
					checkShuffled(t, l, changed)
				}
			}
		}
	}
}

// FuzzWritePreparedIsShuffled: any bytes, made by Prepare or not (a
// damaged spill file), are written by WritePrepared as the version that
// moved the cells wrote them, or refused by both.
func FuzzWritePreparedIsShuffled(f *testing.F) {
	f.Add(uint8(0), []byte{3, 0, 'a', ',', 'b', 1})
	f.Add(uint8(1), []byte{0, 2, 0, 'a', 'b', 0, 0, 0, 0, 0, 0, 0, 0, 1, 'x', 0, 0})
	f.Add(uint8(0), []byte{0, 0, 1, 'g', 0, 0})
	f.Fuzz(func(t *testing.T, layout uint8, p []byte) {
		checkShuffled(t, shuffledLayouts[int(layout)%len(shuffledLayouts)], p)
	})
}
