package destination

import (
	"errors"
	"fmt"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Fanout routes each conversion to its platform's Sender.
type Fanout map[identifier.Platform]*Sender

// Write implements sink.Sink.
func (f Fanout) Write(c *conversion.Conversion) error {
	if s := f[c.Platform]; s != nil {
		return s.Write(c)
	}
	return nil
}

// Close closes every Sender, returning their fatal errors joined.
func (f Fanout) Close() error {
	var errs []error
	for _, p := range platform.All {
		if s := f[p]; s != nil {
			if err := s.Close(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", p, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Stop stops every Sender.
func (f Fanout) Stop() {
	for _, s := range f {
		s.Stop()
	}
}

// StopOnFatal makes an answer that stops the run (platform.StopRun) on
// any Sender stop all of them.
func (f Fanout) StopOnFatal() {
	for _, s := range f {
		s.opt.OnStopRun = func(error) { f.Stop() }
	}
}
