package warc

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// DefaultMaxFileSize is the size at which a Writer starts a new file.
const DefaultMaxFileSize = 1 << 30

// Writer writes HTTP exchanges as WARC/1.1 request and response records to files in one
// directory, each record gzip-compressed on its own (a file killed mid-write is readable up
// to its last whole record), a warcinfo record first in every file. Files are named like
// Heritrix's (PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz) and carry a ".open" suffix until
// closed; a file is rotated when the next record would take it past the maximum size. It is
// safe for concurrent use.
type Writer struct {
	w *gowarc.WarcFileWriter
}

// WriterOptions configure NewWriter.
type WriterOptions struct {
	MaxFileSize int64  // 0: DefaultMaxFileSize
	Prefix      string // file name prefix; "" is "lede"
	Software    string // the warcinfo record's software field
	// Fields are more warcinfo fields ("operator", "robots", "http-header-user-agent"...).
	Fields map[string]string
}

// NewWriter returns a Writer to the directory dir, created if missing.
func NewWriter(dir string, o WriterOptions) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("WARC directory: %w", err)
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.Prefix == "" {
		o.Prefix = "lede"
	}
	info := func(b gowarc.WarcRecordBuilder) error {
		fields := map[string]string{"software": o.Software, "format": "WARC File Format 1.1",
			"conformsTo": "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"}
		for k, v := range o.Fields {
			fields[k] = v
		}
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if fields[k] != "" {
				if _, err := fmt.Fprintf(b, "%s: %s\r\n", k, fields[k]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	w := gowarc.NewWarcFileWriter(
		gowarc.WithCompression(true),
		gowarc.WithMaxFileSize(o.MaxFileSize),
		gowarc.WithFileNameGenerator(&gowarc.PatternNameGenerator{Directory: dir, Prefix: o.Prefix + "-",
			Pattern: "%{prefix}s%{ts}s-%05{serial}d-%{hostOrIp}s.%{ext}s"}),
		gowarc.WithWarcInfoFunc(info),
		gowarc.WithRecordOptions(gowarc.WithVersion(gowarc.V1_1)),
	)
	return &Writer{w: w}, nil
}

// Exchange is one HTTP request and the answer to it, as they went over the wire.
type Exchange struct {
	Request  *http.Request
	Response *http.Response // its Body is not read: Body holds what was
	Body     []byte         // the payload received (decoded when Go's transport decoded it)
	// Truncated, when set, is why Body is not the whole payload ("length": a size limit,
	// "disconnect": the reader stopped early); written as WARC-Truncated.
	Truncated string
	IP        string    // the server's IP address
	Date      time.Time // when the request was sent
}

// buildMu serialises building records (see Write).
var buildMu sync.Mutex

// Write writes an exchange as a request record and a response record that refer to each
// other.
func (w *Writer) Write(ex Exchange) error {
	if ex.Request == nil || ex.Response == nil {
		return errors.New("WARC exchange without a request or a response")
	}
	target := ex.Request.URL.String()
	date := ex.Date.UTC()
	if date.IsZero() {
		date = time.Now().UTC()
	}
	opts := []gowarc.WarcRecordOption{gowarc.WithVersion(gowarc.V1_1), gowarc.WithDefaultDigestEncoding(gowarc.Base32),
		gowarc.WithAddMissingDigest(true)} // WARC-Block-Digest, and WARC-Payload-Digest for a response
	// gowarc sets a package variable of github.com/google/uuid each time it starts a record
	// (uuid.EnableRandPool) and reads it when it builds one: records are built one at a time
	// in the process, or two crawl workers race on it.
	buildMu.Lock()
	defer buildMu.Unlock()
	build := func(typ gowarc.RecordType, contentType string, block []byte, extra map[string]string) (gowarc.WarcRecord, error) {
		b := gowarc.NewRecordBuilder(typ, opts...)
		b.AddWarcHeader(gowarc.WarcTargetURI, target)
		b.AddWarcHeaderTime(gowarc.WarcDate, date)
		b.AddWarcHeader(gowarc.ContentType, contentType)
		if ex.IP != "" {
			b.AddWarcHeader(gowarc.WarcIPAddress, ex.IP)
		}
		for k, v := range extra {
			b.AddWarcHeader(k, v)
		}
		if _, err := b.Write(block); err != nil {
			return nil, err
		}
		rec, _, err := b.Build() // findings (an odd header) are no reason to lose the exchange
		return rec, err
	}
	resp, err := build(gowarc.Response, "application/http;msgtype=response", responseBlock(ex.Response, ex.Body),
		truncatedField(ex.Truncated))
	if err != nil {
		return fmt.Errorf("WARC response record of %s: %w", target, err)
	}
	req, err := build(gowarc.Request, "application/http;msgtype=request", requestBlock(ex.Request),
		map[string]string{gowarc.WarcConcurrentTo: "<" + strings.Trim(resp.RecordId(), "<>") + ">"})
	if err != nil {
		resp.Close()
		return fmt.Errorf("WARC request record of %s: %w", target, err)
	}
	for _, r := range w.w.Write(resp, req) {
		if r.Err != nil {
			return fmt.Errorf("write WARC records of %s to %s: %w", target, r.FileName, r.Err)
		}
	}
	return nil
}

// truncatedField is the WARC-Truncated field for why ("" for none).
func truncatedField(why string) map[string]string {
	if why == "" {
		return nil
	}
	return map[string]string{"WARC-Truncated": why}
}

// Close finishes the current file (its ".open" suffix goes away).
func (w *Writer) Close() error { return w.w.Close() }

// responseBlock is an HTTP response message: status line, header, payload. Go's transport
// has already removed chunking (and decoded gzip it asked for itself), so the header keeps
// no Transfer-Encoding and its Content-Length, when present, is the payload's.
func responseBlock(resp *http.Response, body []byte) []byte {
	var b bytes.Buffer
	proto := resp.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	status := resp.Status
	if status == "" || !strings.HasPrefix(status, fmt.Sprint(resp.StatusCode)) {
		status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	fmt.Fprintf(&b, "%s %s\r\n", proto, status)
	h := resp.Header.Clone()
	h.Del("Transfer-Encoding")
	if resp.Uncompressed {
		h.Del("Content-Encoding")
		h.Del("Content-Length")
	}
	_ = h.Write(&b)
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// requestBlock is an HTTP request message as sent: request line and header (a GET has no
// body).
func requestBlock(req *http.Request) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", req.Method, req.URL.RequestURI(), req.URL.Host)
	_ = req.Header.Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}
