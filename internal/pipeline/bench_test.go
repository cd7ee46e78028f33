package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink/reviewcsv"
)

// synthetic writes n rows shaped like shared/bench/gen.py: half the rows
// Taiwanese national mobiles, half +1 numbers, a third Gmail addresses.
func synthetic(n int) []byte {
	var b bytes.Buffer
	b.WriteString("appointment_id,appointment_time,status,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid\n")
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("  Alice.Wang%d@Example.COM ", i)
		if i%3 == 0 {
			email = fmt.Sprintf("alice.%d+promo@gmail.com", i)
		}
		phone := fmt.Sprintf("09%02d-%03d-%03d", 10+i%80, 100+i%900, 100+(i*7)%900)
		if i%2 == 0 {
			phone = fmt.Sprintf("+1 (650) %03d-%04d", 200+i%800, 1000+i%9000)
		}
		consent := []string{"yes", "Y", "no", ""}[i%4]
		fmt.Fprintf(&b, "A%08d,2026-11-%02d %02d:%02d,completed,Alice,Wang,%s,%s,%s,2026-10-01T10:00:00+08:00,%d,TWD,\n",
			i, 1+i%20, 9+i%9, i%60, email, phone, consent, 500+i%9000)
	}
	return b.Bytes()
}

func benchConfig() *config.Config {
	c := config.Defaults()
	c.Timezone, c.Region = "Asia/Taipei", "TW"
	c.Input.Columns = config.Columns{
		OrderID: []string{"appointment_id"}, AppointmentAt: "appointment_time", Status: "status",
		Email: []string{"email"}, Phone: []string{"mobile"}, Value: "fee", Currency: "currency",
		GCLID: "gclid", Consent: "marketing_consent", ConsentAt: "consent_time",
	}
	c.Consent.Granted = []string{"yes", "y"}
	c.Conversion.Statuses = []string{"completed"}
	c.Consent.RequireTimestamp = true
	c.Destinations.Google.Enabled, c.Destinations.Meta.Enabled = true, true
	c.Destinations.Google.Identifiers = []string{"email", "phone"} // hash both, as the benchmarks always did
	return &c
}

// cpuTime is the process's user+system CPU time so far. On a machine
// shared with other builds wall time per op swings several-fold with the
// load; CPU time per row much less, so the benchmarks report it too
// (cpu-ns/op), and benchstat compares it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDryRun measures the whole dry-run path per row, review CSV
// included. ns/op, cpu-ns/op and allocs/op are per export row; run it
// with -cpu 1 for the sequential path, whose CPU time is the cost of a
// row without the workers' hand-offs.
func BenchmarkDryRun(b *testing.B) {
	const rows = 20000
	data := synthetic(rows)
	cfg := benchConfig()
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)) / rows)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for done := 0; done < b.N; done += rows {
		snk, err := reviewcsv.New(io.Discard, reviewcsv.Layout{})
		if err != nil {
			b.Fatal(err)
		}
		sum := report.New("bench")
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: bytes.NewReader(data), InputName: "bench", Sink: snk}, sum); err != nil {
			b.Fatal(err)
		}
		if err := snk.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// TestParallelEqualsSequential: the same export through one worker and
// through several gives the same review CSV byte for byte and the same
// summary — duplicates, exclusions and drops included.
func TestParallelEqualsSequential(t *testing.T) {
	data := synthetic(5000)
	// Duplicates across chunk boundaries, and rows that exclude.
	data = append(data, synthetic(700)[len("appointment_id,appointment_time,status,patient_first,patient_last,email,mobile,marketing_consent,consent_time,fee,currency,gclid\n"):]...)
	data = append(data, "Z1,2026-13-40 10:00,completed,A,B,x@example.com,bad,yes,2026-10-01T10:00:00+08:00,1,TWD,\n"...)
	cfg := benchConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	run := func(workers int, in []byte) (string, *report.Summary, error) {
		var out bytes.Buffer
		snk, _ := reviewcsv.New(&out, reviewcsv.Layout{})
		sum := report.New("t")
		err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: bytes.NewReader(in), InputName: "t", Sink: snk, Workers: workers}, sum)
		snk.Close()
		return out.String(), sum, err
	}
	seqOut, seqSum, err := run(1, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 4, 7} {
		parOut, parSum, err := run(w, data)
		if err != nil {
			t.Fatal(err)
		}
		if parOut != seqOut {
			t.Fatalf("%d workers: review CSV differs from the sequential one", w)
		}
		a, _ := seqSum.JSON()
		b, _ := parSum.JSON()
		if !bytes.Equal(a, b) {
			t.Fatalf("%d workers: summary differs:\n%s\n%s", w, a, b)
		}
	}
	if seqSum.Excluded[ReasonDuplicate] != 350 { // half the repeated rows are consented
		t.Fatalf("duplicates %d, want 350", seqSum.Excluded[ReasonDuplicate])
	}
	// A structural error stops both at the same row with the same error.
	broken := append(append([]byte{}, data[:len(data)/2]...), "\xff\n"...)
	_, s1, e1 := run(1, broken)
	_, s4, e4 := run(4, broken)
	if e1 == nil || e4 == nil || e1.Error() != e4.Error() || s1.RowsRead != s4.RowsRead {
		t.Fatalf("errors differ: %v (%d rows) vs %v (%d rows)", e1, s1.RowsRead, e4, s4.RowsRead)
	}
}
