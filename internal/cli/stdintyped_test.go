package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// typed is an export typed (or pasted) on a terminal: its text, one
// Ctrl-D, and then what a terminal does on the next Read — wait for the
// person to type more (until done).
type typed struct {
	r     io.Reader
	ended bool
	done  chan struct{}
}

func (t *typed) Read(b []byte) (int, error) {
	n, err := t.r.Read(b)
	if err != io.EOF {
		return n, err
	}
	if !t.ended {
		t.ended = true
		return n, io.EOF
	}
	<-t.done
	return 0, io.EOF
}

// TestOneCtrlDEndsAnExportTypedOnATerminal: "-" on a terminal says "end
// it with Ctrl-D", and one Ctrl-D does: a terminal's end of input is not
// sticky, and the export's reader read again after it — a typed export
// took three Ctrl-D before its summary, and one more before hashgate
// exited.
func TestOneCtrlDEndsAnExportTypedOnATerminal(t *testing.T) {
	example, err := os.ReadFile(root + "/example/appointments.csv")
	if err != nil {
		t.Fatal(err)
	}
	in := &typed{r: bytes.NewReader(example), done: make(chan struct{})}
	var out, errOut bytes.Buffer
	f := testFactory(t, secretEnv, in, &out, &errOut)
	code := make(chan int, 1)
	go func() {
		code <- execute(context.Background(), f, []string{"upload", "--dry-run", "--config", "../../configs/example.yaml", "-"})
	}()
	select {
	case c := <-code:
		if c != ExitOK || !strings.Contains(errOut.String(), "19 rows read from stdin") {
			t.Errorf("exit %d\n%s", c, errOut.String())
		}
	case <-time.After(stallWait):
		close(in.done) // the person types Ctrl-D again
		<-code
		t.Errorf("one Ctrl-D did not end the export: hashgate read on\n%s", errOut.String())
	}
}
