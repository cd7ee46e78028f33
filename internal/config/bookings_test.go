package config

import (
	"slices"
	"testing"
)

// TestValidateBookings: conversion.bookings' event name is neutral,
// non-empty, not the visits' own (Meta would count bookings as visits),
// and free of health terms; off, nothing of it is checked.
func TestValidateBookings(t *testing.T) {
	section := func(c *Config) error { return c.validateBookings(c.PHIGuard()) }
	on := func(c *Config) { c.Conversion.Bookings.Enabled = true }
	runSection(t, section, []sectionCase{
		{"off by default", func(c *Config) {}, nil, ""},
		{"on with the default Schedule", on, nil, ""},
		{"empty name", func(c *Config) { on(c); c.Conversion.Bookings.EventName = " " }, []string{"conversion.bookings.event_name"}, "Schedule"},
		{"the visits' name", func(c *Config) { on(c); c.Conversion.Bookings.EventName = "purchase" }, []string{"conversion.bookings.event_name"}, "count every booking as a visit"},
		{"a health term", func(c *Config) { on(c); c.Conversion.Bookings.EventName = "Implant consult" }, []string{"conversion.bookings.event_name"}, "health term"},
		{"off: not checked", func(c *Config) { c.Conversion.Bookings.EventName = "" }, nil, ""},
		// A booking has no value, and Meta rejects a Purchase without one:
		// validated, every booking was held back, night after night.
		{"Purchase, which Meta takes only with a value", func(c *Config) {
			on(c)
			c.Conversion.EventName, c.Conversion.Bookings.EventName = "Visit", "Purchase"
			c.Destinations.Meta.Enabled = true
		}, []string{"conversion.bookings.event_name"}, "a booking carries none"},
		{"Purchase without Meta", func(c *Config) {
			on(c)
			c.Conversion.EventName, c.Conversion.Bookings.EventName = "Visit", "Purchase"
			c.Destinations.Meta.Enabled = false
			c.Destinations.Google.Enabled = true
		}, nil, ""},
	})
	if d := Defaults(); d.Conversion.Bookings.Enabled || d.Conversion.Bookings.EventName != "Schedule" {
		t.Errorf("defaults %+v", d.Conversion.Bookings)
	}
}

// TestBookingsNeedTheirOwnGoogleAction: an upload to Google with bookings
// on needs a second, numeric conversion action, not the visits' one.
func TestBookingsNeedTheirOwnGoogleAction(t *testing.T) {
	c := valid()
	c.Secret, c.Destinations.Google.OperatingAccount, c.Destinations.Google.ConversionActionID, c.Destinations.Meta.DatasetID = "k3J9_qLx2v8RwP0aZt7mYc4NhB6sDf1GeU5oVi", "123-456-7890", "42", "7"
	c.Conversion.Bookings.Enabled = true
	for id, wantErr := range map[string]bool{"": true, "AW-1/x": true, "42": true, "43": false} {
		c.Destinations.Google.BookingConversionActionID = id
		got := keys(c.ValidateUpload())
		if has := slices.Contains(got, "destinations.google.booking_conversion_action_id"); has != wantErr {
			t.Errorf("booking action %q: keys %q", id, got)
		}
	}
	c.Destinations.Google.Enabled = false
	c.Destinations.Google.BookingConversionActionID = ""
	if err := c.ValidateUpload(); err != nil {
		t.Errorf("Meta only needs no Google action: %v", err)
	}
}
