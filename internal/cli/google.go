package cli

import (
	"context"
	"errors"
	"net/http"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
)

func newGoogleClient(ctx context.Context, f *Factory, cfg *config.Config, hc *http.Client) (destination.Client, error) {
	return nil, &UsageError{Err: errors.New("uploads to Google are not available yet: disable destinations.google or use --dry-run")}
}
