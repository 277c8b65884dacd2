package extract_test

// Benchmarks of the extractor, with readeck go-readability v2 alone on the same pages as the
// yardstick (issue 3: lede may cost at most 1.3× readability). Run from the repository root:
//
//	go test -run '^$' -bench . -benchmem ./extract
//
// The zyte-dev benchmarks need ../shared/bench/zyte-dev and skip without it. Each operation is
// one page, taken in turn, so ns/op is the mean time per page. cmd/benchextract reports the
// same comparison with the benchmark's F1 and per-page percentiles.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"

	"lede/extract"
)

// zyteDevDir is the benchmark's development pages, relative to this package's folder.
const zyteDevDir = "../../shared/bench/zyte-dev"

// fixtureGlob matches lede's own extraction fixtures, relative to this package's folder.
const fixtureGlob = "../testdata/extract/*.html*"

// benchPage is one page held in memory.
type benchPage struct {
	name, url string
	html      []byte
}

// zyteDevPages loads the benchmark pages, or skips b when they are absent.
func zyteDevPages(b *testing.B) []benchPage {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join(zyteDevDir, "ground-truth.json"))
	if os.IsNotExist(err) {
		b.Skipf("%s absent: zyte-dev benchmarks skipped", zyteDevDir)
	}
	if err != nil {
		b.Fatal(err)
	}
	var truth map[string]struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		b.Fatalf("ground-truth.json: %v", err)
	}
	var pages []benchPage
	for id, t := range truth {
		body, err := readMaybeGzip(filepath.Join(zyteDevDir, "html", id+".html.gz"))
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, benchPage{name: id, url: t.URL, html: body})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].name < pages[j].name })
	return pages
}

// fixturePages loads testdata/extract/*.html[.gz]; nil when there are none.
func fixturePages(tb testing.TB) []benchPage {
	tb.Helper()
	paths, err := filepath.Glob(fixtureGlob)
	if err != nil {
		tb.Fatal(err)
	}
	var pages []benchPage
	for _, p := range paths {
		body, err := readMaybeGzip(p)
		if err != nil {
			tb.Fatal(err)
		}
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(p), ".gz"), ".html")
		pages = append(pages, benchPage{name: name, url: "https://news.example/" + name, html: body})
	}
	return pages
}

// readMaybeGzip reads path, decompressing it when its name ends in .gz.
func readMaybeGzip(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil || !strings.HasSuffix(path, ".gz") {
		return raw, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// benchPages runs fn on the pages in turn, one page per operation.
func benchPages(b *testing.B, pages []benchPage, fn func(benchPage)) {
	b.Helper()
	var total int
	for _, p := range pages {
		total += len(p.html)
	}
	b.SetBytes(int64(total / len(pages)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		fn(pages[i%len(pages)])
		i++
	}
}

// BenchmarkExtractZyteDev is lede's whole extractor on the benchmark pages.
func BenchmarkExtractZyteDev(b *testing.B) {
	benchPages(b, zyteDevPages(b), func(p benchPage) {
		// Errors are part of the workload (a page without an article is a valid outcome).
		_, _ = extract.Extract(p.html, p.url)
	})
}

// BenchmarkParseZyteDev is decoding and parsing alone, the part of Extract that readability
// does not do: the rest of Extract's time is readability and lede's cleaning.
func BenchmarkParseZyteDev(b *testing.B) {
	benchPages(b, zyteDevPages(b), func(p benchPage) {
		_, _ = extract.Parse(p.html, p.url)
	})
}

// BenchmarkReadeckZyteDev is readeck go-readability v2 alone, the documented way (parse once,
// ParseAndMutate, RenderText): the yardstick for lede's cost.
func BenchmarkReadeckZyteDev(b *testing.B) {
	pages := zyteDevPages(b)
	urls := make(map[string]*url.URL, len(pages))
	for _, p := range pages {
		u, err := url.Parse(p.url)
		if err != nil {
			b.Fatal(err)
		}
		urls[p.name] = u
	}
	benchPages(b, pages, func(p benchPage) {
		doc, err := html.Parse(bytes.NewReader(p.html))
		if err != nil {
			return
		}
		parser := readability.NewParser()
		art, err := parser.ParseAndMutate(doc, urls[p.name])
		if err != nil || art.Node == nil {
			return
		}
		_ = art.RenderText(io.Discard)
	})
}

// BenchmarkExtractFixtures is lede's extractor on each of its own fixtures.
func BenchmarkExtractFixtures(b *testing.B) {
	pages := fixturePages(b)
	if len(pages) == 0 {
		b.Skipf("no fixtures match %s", fixtureGlob)
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			benchPages(b, []benchPage{p}, func(p benchPage) {
				_, _ = extract.Extract(p.html, p.url)
			})
		})
	}
}
