package warc

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// MaxBody is the largest payload a Reader hands over (the crawler's default body limit);
// a larger one is skipped as too large, never cut.
const MaxBody = 10 << 20

// Response is one HTTP answer read from a WARC response record.
type Response struct {
	URL    string    // WARC-Target-URI
	Date   time.Time // WARC-Date: when the answer was received
	Status int
	Header http.Header
	Body   []byte // the payload, de-chunked and decoded; nil for a revisit
	// RefersTo is, for a revisit record, the URL of the answer it repeats
	// (WARC-Refers-To-Target-URI, else its own URL).
	RefersTo string
}

// Record is what one WARC record gave: a Response to process, or the reason it was skipped.
type Record struct {
	Response *Response
	Skip     string // "request", "warcinfo", "metadata", "not HTML: image/png", "HTTP 404"...
	// URL is, for a skipped response or revisit record, the http(s) URL it answered
	// (WARC-Target-URI); "" for the other records.
	URL    string
	Offset int64 // where the record starts in the file (compressed bytes for gzip files)
}

// Reader reads the records of one WARC file.
//
// The framing is read here rather than by gowarc: its lenient modes (needed for real files)
// lose data. It reads only the first record of a whole-file gzip, drops a wget
// <...>-wrapped WARC-Target-URI, and returns a block cut at 4096 bytes or empty when spec
// violations are ignored; its default mode SHA-1s and buffers every block instead.
type Reader struct {
	name  string
	br    *bufio.Reader
	count *countingReader
	pos   int64 // bytes of the (decompressed) stream consumed
	num   int   // records read
	done  bool
}

// NewReader reads WARC records from r, plain or gzip-compressed (whole or per record).
// name says which file it is in errors.
func NewReader(r io.Reader, name string) (*Reader, error) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		// One gzip stream of gzip members, whether one per record (the Common Crawl layout)
		// or one for the whole file.
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	return &Reader{name: name, br: br, count: cr}, nil
}

// Read returns how many bytes of the input were consumed so far.
func (r *Reader) Read() int64 { return r.count.n }

// Next returns the next record, or io.EOF after the last one. An error other than io.EOF
// means the rest of the file cannot be read (a truncated or corrupt record); it names the
// file and the record, and every later call returns io.EOF.
func (r *Reader) Next() (*Record, error) {
	if r.done {
		return nil, io.EOF
	}
	rec, start, err := r.next()
	if err != nil {
		r.done = true
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%s: record %d (byte %d): %w", r.name, r.num+1, start, readErr(err))
	}
	r.num++
	rec.Offset = start
	return rec, nil
}

// line reads one line without its line ending.
func (r *Reader) line() (string, error) {
	l, err := r.br.ReadString('\n')
	r.pos += int64(len(l))
	if err != nil {
		if err == io.EOF && l != "" {
			err = io.ErrUnexpectedEOF
		}
		return "", err
	}
	return strings.TrimRight(l, "\r\n"), nil
}

// next reads one record: version line, header fields, block.
func (r *Reader) next() (rec *Record, start int64, err error) {
	for { // blank lines end the previous record
		start = r.pos
		l, err := r.line()
		if err != nil {
			return nil, start, err
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		if !strings.HasPrefix(l, "WARC/") {
			return nil, start, fmt.Errorf("not a WARC record: the line is %.40q", l)
		}
		break
	}
	rec, err = r.block()
	return rec, start, err
}

// block reads a record's header fields and block, after its version line.
func (r *Reader) block() (*Record, error) {
	h := textproto.MIMEHeader{}
	for {
		l, err := r.line()
		if err != nil {
			return nil, err
		}
		if l == "" {
			break
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			continue // a broken field: the record is still worth reading
		}
		h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	length, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil || length < 0 {
		return nil, fmt.Errorf("bad Content-Length %q", h.Get("Content-Length"))
	}
	typ := strings.ToLower(h.Get("WARC-Type"))
	if (typ != "response" && typ != "revisit") || length > MaxBody+64<<10 {
		n, err := io.CopyN(io.Discard, r.br, length)
		r.pos += n
		if err != nil {
			return nil, err
		}
		if typ == "response" {
			return &Record{Skip: fmt.Sprintf("too large: over %d bytes", MaxBody), URL: httpTarget(h)}, nil
		}
		if typ == "" {
			typ = "no WARC-Type"
		}
		return &Record{Skip: typ}, nil
	}
	block := make([]byte, length)
	n, err := io.ReadFull(r.br, block)
	r.pos += int64(n)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return record(h, typ, block), nil
}

// readErr says what an unreadable record means for the user.
func readErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated: the file ends inside the record (%w)", err)
	}
	return err
}

// httpTarget is the record's WARC-Target-URI when it is an http(s) URL, else "".
func httpTarget(h textproto.MIMEHeader) string {
	target := TargetURI(h.Get("WARC-Target-URI"))
	if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") {
		return ""
	}
	return target
}

// record turns a response or revisit record into a Record.
func record(h textproto.MIMEHeader, typ string, block []byte) *Record {
	target := httpTarget(h)
	if target == "" {
		if TargetURI(h.Get("WARC-Target-URI")) == "" {
			return &Record{Skip: "no WARC-Target-URI"}
		}
		return &Record{Skip: "not an http(s) URL"}
	}
	date, _ := time.Parse(time.RFC3339Nano, h.Get("WARC-Date"))
	src := bytes.NewReader(block)
	br := bufio.NewReader(src)
	res, err := httpHead(br)
	if err != nil {
		return &Record{Skip: "not an HTTP response", URL: target}
	}
	res.URL, res.Date = target, date
	if skip := vet(res); skip != "" {
		return &Record{Skip: skip, URL: target}
	}
	if typ == "revisit" {
		res.RefersTo = TargetURI(h.Get("WARC-Refers-To-Target-URI"))
		if res.RefersTo == "" {
			res.RefersTo = target
		}
		return &Record{Response: res}
	}
	body := block[len(block)-src.Len()-br.Buffered():]
	body, err = decode(body, res.Header)
	if err != nil {
		return &Record{Skip: "undecodable payload: " + err.Error(), URL: target}
	}
	if len(body) > MaxBody {
		return &Record{Skip: fmt.Sprintf("too large: over %d bytes", MaxBody), URL: target}
	}
	res.Body = body
	return &Record{Response: res}
}

// httpHead reads an HTTP response's status line and header.
func httpHead(br *bufio.Reader) (*Response, error) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return nil, err
	}
	proto, status, ok := strings.Cut(line, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/") {
		return nil, fmt.Errorf("malformed status line %q", line)
	}
	code, _, _ := strings.Cut(strings.TrimSpace(status), " ")
	n, err := strconv.Atoi(code)
	if err != nil || n < 100 || n > 999 {
		return nil, fmt.Errorf("malformed status line %q", line)
	}
	hdr, err := tp.ReadMIMEHeader()
	if err != nil && len(hdr) == 0 && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return &Response{Status: n, Header: http.Header(hdr)}, nil
}

// vet returns why an answer is not a page to extract: not a 200, or not HTML.
func vet(res *Response) string {
	if res.Status != http.StatusOK {
		return fmt.Sprintf("HTTP %d", res.Status)
	}
	if reason := AcceptHTML(res.Header.Get("Content-Type")); reason != "" {
		return reason
	}
	return ""
}

// AcceptHTML returns why a Content-Type is not an HTML page ("" when it is, or is absent:
// extract sniffs the bytes then). The crawl refuses answers by the same rule.
func AcceptHTML(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(ct), ";")
	}
	switch strings.TrimSpace(mt) {
	case "text/html", "application/xhtml+xml":
		return ""
	}
	return "not HTML: " + strings.TrimSpace(mt)
}

// TargetURI cleans a WARC-Target-URI: wget 1.14 wrapped it in <...>, and some writers
// leave spaces in it.
func TargetURI(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	return strings.ReplaceAll(strings.TrimSpace(s), " ", "%20")
}

// decode undoes the transfer and content encodings an archived payload may still carry.
// A chunked payload whose chunk sizes do not add up is taken as it is (tools have written
// de-chunked payloads under a "chunked" header).
func decode(body []byte, h http.Header) ([]byte, error) {
	if chunked(h) {
		body = dechunk(body)
	}
	encs := strings.Split(h.Get("Content-Encoding"), ",")
	for i := len(encs) - 1; i >= 0; i-- { // the last encoding applied comes off first
		enc := strings.ToLower(strings.TrimSpace(encs[i]))
		var r io.Reader
		var err error
		switch enc {
		case "", "identity", "none", "utf-8", "utf8": // servers send junk values here
			continue
		case "gzip", "x-gzip":
			r, err = gzip.NewReader(bytes.NewReader(body))
		case "deflate":
			r, err = deflateReader(body)
		case "br":
			r = brotli.NewReader(bytes.NewReader(body))
		case "zstd":
			var d *zstd.Decoder
			if d, err = zstd.NewReader(bytes.NewReader(body)); err == nil {
				defer d.Close()
				r = d
			}
		default:
			return nil, fmt.Errorf("content encoding %q", enc)
		}
		if err != nil {
			if !looksEncoded(body) {
				return body, nil // the writer decoded it and kept the header (wget does)
			}
			return nil, fmt.Errorf("%s: %w", enc, err)
		}
		b, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%s: %w", enc, err)
		}
		body = b
	}
	return body, nil
}

// chunked reports whether the header says the payload is in chunked transfer encoding.
func chunked(h http.Header) bool {
	for _, v := range h.Values("Transfer-Encoding") {
		if strings.Contains(strings.ToLower(v), "chunked") {
			return true
		}
	}
	return false
}

// dechunk undoes chunked transfer encoding. A payload that does not start with a chunk
// size is returned as it is; chunks cut short or sizes that overrun the payload end it
// with what was read (warcio does the same).
func dechunk(b []byte) []byte {
	var out []byte
	rest := b
	for len(rest) > 0 {
		line, after, ok := bytes.Cut(rest, []byte("\n"))
		if !ok {
			break
		}
		sizeHex, _, _ := bytes.Cut(bytes.TrimSpace(line), []byte(";"))
		size, err := strconv.ParseUint(string(sizeHex), 16, 63)
		if err != nil {
			if out == nil {
				return b // not chunked after all
			}
			break
		}
		if size == 0 {
			break
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		n := min(int(min(size, uint64(len(after)))), len(after))
		out = append(out, after[:n]...)
		rest = bytes.TrimPrefix(bytes.TrimPrefix(after[n:], []byte("\r")), []byte("\n"))
	}
	if out == nil {
		return b
	}
	return out
}

// deflateReader reads "deflate", which servers send as zlib (the standard) or raw deflate.
func deflateReader(body []byte) (io.Reader, error) {
	if r, err := zlib.NewReader(bytes.NewReader(body)); err == nil {
		return r, nil
	}
	return flate.NewReader(bytes.NewReader(body)), nil
}

// looksEncoded reports whether a payload does not start like text: a payload that does was
// decoded by the tool that archived it, whatever its Content-Encoding header says.
func looksEncoded(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] != '<'
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
