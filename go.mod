module github.com/hashgate/hashgate

go 1.26.8

require (
	github.com/gocarina/gocsv v0.0.0-20240520201108-78e41c74b4b1
	github.com/nyaruka/phonenumbers v1.8.1
	golang.org/x/text v0.43.0
)

require google.golang.org/protobuf v1.36.11 // indirect
