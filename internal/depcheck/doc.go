// Package depcheck holds the tests that keep hashgate's architecture as
// its package comments describe it (crane's depcheck_test.go is the
// model): which packages may import cobra, viper, pflag and net/http, that
// the pipeline never imports a destination, and that each ad platform's
// rules stay in internal/platform and the clients. It has no code.
package depcheck
