// Package warctest builds WARC records byte by byte for tests, quirks included.
package warctest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
)

// Record returns a WARC/1.1 record of type typ for uri with block as its content; fields
// are more header lines ("Name: value").
func Record(typ, uri string, block []byte, fields ...string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08x-0000-4000-8000-000000000000>\r\n", typ, len(uri)*7919+len(block))
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	b.WriteString("WARC-Date: 2024-03-05T10:00:00Z\r\n")
	for _, f := range fields {
		b.WriteString(f + "\r\n")
	}
	ct := "application/http; msgtype=response"
	switch typ {
	case "request":
		ct = "application/http; msgtype=request"
	case "warcinfo", "metadata":
		ct = "application/warc-fields"
	}
	fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n", ct, len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// HTTP returns an HTTP/1.1 response message: status line, headers ("Name: value"), body.
func HTTP(status int, body []byte, headers ...string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d X\r\n%s\r\n\r\n", status, strings.Join(headers, "\r\n"))
	b.Write(body)
	return b.Bytes()
}

// Response is Record("response", uri, HTTP(status, body, headers...)).
func Response(uri string, status int, body []byte, headers ...string) []byte {
	return Record("response", uri, HTTP(status, body, headers...))
}

// Gzip compresses b as one gzip member.
func Gzip(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// PerRecordGzip joins records, each compressed on its own (the Common Crawl layout).
func PerRecordGzip(records ...[]byte) []byte {
	var out []byte
	for _, r := range records {
		out = append(out, Gzip(r)...)
	}
	return out
}

// Chunked encodes body in chunked transfer encoding, in chunks of n bytes.
func Chunked(body []byte, n int) []byte {
	var b bytes.Buffer
	for len(body) > 0 {
		k := min(n, len(body))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", k, body[:k])
		body = body[k:]
	}
	b.WriteString("0\r\n\r\n")
	return b.Bytes()
}
