package warc

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lede/warc/warctest"
)

const page = `<html><head><title>T</title></head><body><p>Hello archived world.</p></body></html>`

// readAll reads every record of b; err is the first error other than io.EOF.
func readAll(t *testing.T, b []byte) (recs []*Record, err error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(b), "test.warc")
	if err != nil {
		return nil, err
	}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

// sample is a small crawl: warcinfo, request, an HTML page, an image, a 404, a revisit.
func sample() [][]byte {
	return [][]byte{
		warctest.Record("warcinfo", "", []byte("software: test\r\n")),
		warctest.Record("request", "https://example.com/a", []byte("GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n")),
		warctest.Response("https://example.com/a", 200, []byte(page), "Content-Type: text/html; charset=utf-8"),
		warctest.Response("https://example.com/logo.png", 200, []byte("\x89PNG..."), "Content-Type: image/png"),
		warctest.Response("https://example.com/gone", 404, []byte(page), "Content-Type: text/html"),
		warctest.Record("revisit", "https://example.com/b", warctest.HTTP(200, nil, "Content-Type: text/html"),
			"WARC-Refers-To-Target-URI: https://example.com/a",
			"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"),
		warctest.Record("metadata", "https://example.com/a", []byte("via: x\r\n")),
	}
}

// check asserts that recs are sample()'s records read right.
func check(t *testing.T, recs []*Record) {
	t.Helper()
	var got []string
	for _, r := range recs {
		switch {
		case r.Response == nil && r.URL != "":
			got = append(got, "skip "+r.Skip+" "+r.URL)
		case r.Response == nil:
			got = append(got, "skip "+r.Skip)
		case r.Response.RefersTo != "":
			got = append(got, "revisit "+r.Response.URL+" -> "+r.Response.RefersTo)
		default:
			got = append(got, "page "+r.Response.URL+" "+string(r.Response.Body))
		}
	}
	want := []string{
		"skip warcinfo", "skip request", "page https://example.com/a " + page,
		"skip not HTML: image/png https://example.com/logo.png", "skip HTTP 404 https://example.com/gone",
		"revisit https://example.com/b -> https://example.com/a", "skip metadata",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReadPlainPerRecordAndWholeGzip(t *testing.T) {
	recs := sample()
	for name, b := range map[string][]byte{
		"plain":           bytes.Join(recs, nil),
		"per-record gzip": warctest.PerRecordGzip(recs...),
		"whole-file gzip": warctest.Gzip(bytes.Join(recs, nil)),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := readAll(t, b)
			if err != nil {
				t.Fatal(err)
			}
			check(t, got)
		})
	}
}

func TestReadDecodesChunkedAndContentEncoded(t *testing.T) {
	body := []byte(strings.Repeat("<p>chunk me please</p>", 500))
	cases := map[string][]byte{
		"chunked": warctest.Response("https://example.com/c", 200, warctest.Chunked(body, 1000),
			"Content-Type: text/html", "Transfer-Encoding: chunked"),
		"gzip": warctest.Response("https://example.com/g", 200, warctest.Gzip(body),
			"Content-Type: text/html", "Content-Encoding: gzip"),
		"chunked gzip": warctest.Response("https://example.com/cg", 200, warctest.Chunked(warctest.Gzip(body), 100),
			"Content-Type: text/html", "Content-Encoding: gzip", "Transfer-Encoding: chunked"),
		"decoded already, header kept": warctest.Response("https://example.com/d", 200, body,
			"Content-Type: text/html", "Content-Encoding: gzip"),
	}
	for name, rec := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := readAll(t, rec)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Response == nil {
				t.Fatalf("records %+v", got)
			}
			if !bytes.Equal(got[0].Response.Body, body) {
				t.Errorf("body %.80q, want the page", got[0].Response.Body)
			}
		})
	}
}

func TestReadTruncatedLastRecord(t *testing.T) {
	recs := sample()
	whole := bytes.Join(recs, nil)
	cut := whole[:len(whole)-len(recs[len(recs)-1])+40] // the metadata record cut short
	for name, b := range map[string][]byte{
		"plain":           cut,
		"per-record gzip": append(warctest.PerRecordGzip(recs[:len(recs)-1]...), warctest.Gzip(recs[len(recs)-1])[:30]...),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := readAll(t, b)
			if err == nil || !strings.Contains(err.Error(), "test.warc: record 7") || !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("error %v, want one naming the file, record 7 and the truncation", err)
			}
			if len(got) != len(recs)-1 {
				t.Fatalf("read %d records before the cut, want %d", len(got), len(recs)-1)
			}
			check(t, append(got, &Record{Skip: "metadata"}))
		})
	}
}

func TestTargetURIQuirks(t *testing.T) {
	for in, want := range map[string]string{
		"<http://example.com/>":    "http://example.com/",
		" http://example.com/a b ": "http://example.com/a%20b",
		"https://example.com/?q=1": "https://example.com/?q=1",
	} {
		if got := TargetURI(in); got != want {
			t.Errorf("TargetURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRealWorldSamples reads warcio's test files, written by real tools with their quirks:
// every reader must survive them, and read each HTML answer whole.
func TestRealWorldSamples(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "bench", "warc-samples")
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc*"))
	if len(files) == 0 {
		t.Skipf("%s absent", dir)
	}
	pages := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := readAll(t, b)
		name := filepath.Base(f)
		if err != nil && name != "example-trunc.warc" {
			t.Errorf("%s: %v", name, err)
		}
		for _, r := range recs {
			if r.Response != nil && r.Response.RefersTo == "" {
				if !bytes.Contains(r.Response.Body, []byte("</html>")) {
					t.Errorf("%s: %s: body not whole: %.60q...", name, r.Response.URL, r.Response.Body)
				}
				pages[name]++
			}
		}
	}
	// Each of these holds one HTML answer: whole-file gzip, wget's <URI>, chunked, wrong chunks.
	for _, name := range []string{"example-bad-non-chunked.warc.gz", "example-wget-bad-target-uri.warc.gz",
		"example-iana.org-chunked.warc", "example-wrong-chunks.warc.gz", "example.warc.gz", "example-trunc.warc"} {
		if pages[name] != 1 {
			t.Errorf("%s: %d HTML answers read, want 1", name, pages[name])
		}
	}
}
