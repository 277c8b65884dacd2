package main

import (
	"encoding/json"
	"fmt"
	"lede"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"lede/internal/benchdata"
	"lede/store"
	"lede/warc/warctest"
)

// benchPage is a labelled page (testdata/pagekind: real pages of the shared benchmarks and
// the module cache, and pages written for the set) and the URL it was fetched from.
type benchPage struct {
	url  string
	html []byte
}

// benchPages returns the pages of testdata/pagekind's labels: the 275 labelled articles and
// fronts, 161 of them real pages (../shared/bench's zyte-dev and pagekind-dev, go-readability's
// and go-htmldate's test pages in the module cache). It skips the test when the shared pages
// are absent.
func benchPages(t *testing.T) []benchPage {
	t.Helper()
	labelled, missing, err := benchdata.LoadLabelled(filepath.Join("..", "..", "testdata", "pagekind", "labels.json"),
		filepath.Join("..", "..", "..", "shared"))
	if err != nil {
		t.Fatal(err)
	}
	if missing > 0 {
		t.Logf("%d labelled pages absent (go-htmldate's are fetched by: go mod download github.com/markusmobius/go-htmldate@v1.10.1)", missing)
	}
	if len(labelled) < 200 {
		t.Skipf("only %d of the labelled pages found (../shared/bench absent?): the benchmark WARC test needs a few hundred", len(labelled))
	}
	var pages []benchPage
	for _, p := range labelled {
		pages = append(pages, benchPage{url: p.URL, html: p.Body})
	}
	return pages
}

// TestImportBenchmarkWARC imports a WARC of the labelled pages (a few hundred real pages and
// the written sites' pages, articles and fronts) with the records a crawl archive also holds
// (warcinfo, requests, an image, a 404, revisits): every page lede extract judges an article,
// given the store the import learned (its chrome and URL templates), is stored with lede
// extract's text, nothing else is, and a second import adds nothing.
func TestImportBenchmarkWARC(t *testing.T) {
	pages := benchPages(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")

	recs := [][]byte{warctest.Record("warcinfo", "", []byte("software: lede test\r\n"))}
	for _, p := range pages {
		host := strings.SplitN(strings.SplitN(p.url, "//", 2)[1], "/", 2)[0]
		recs = append(recs,
			warctest.Record("request", p.url, []byte("GET / HTTP/1.1\r\nHost: "+host+"\r\n\r\n")),
			warctest.Response(p.url, 200, p.html, "Content-Type: text/html"))
	}
	first := pages[0].url
	recs = append(recs,
		warctest.Response("https://img.example.com/logo.png", 200, []byte("\x89PNG\r\n"), "Content-Type: image/png"),
		warctest.Response("https://www.example.com/missing", 404, []byte("<html><body><h1>Not found</h1></body></html>"), "Content-Type: text/html"),
		warctest.Record("revisit", first, warctest.HTTP(200, nil, "Content-Type: text/html"), "WARC-Refers-To-Target-URI: "+first),
		warctest.Record("revisit", "https://www.example.com/never-archived", warctest.HTTP(200, nil, "Content-Type: text/html"),
			"WARC-Refers-To-Target-URI: https://www.example.com/gone"),
	)
	file := filepath.Join(dir, "bench.warc.gz")
	if err := os.WriteFile(file, warctest.PerRecordGzip(recs...), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runLede(t, nil, "import", "--db", db, file)
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errOut)
	}
	sum := summaryLine(t, out)
	t.Logf("summary: %s", out)
	checkImportSummary(t, sum)
	if hc, _ := sum["hosts"].(map[string]any)["img.example.com"].(map[string]any); hc == nil || hc["skipped"] != 1.0 || hc["fetched"] != 1.0 {
		t.Errorf("the image is not counted as a skipped answer of its host: %v", sum["hosts"])
	}
	if n := int(sum["records"].(float64)); n != len(recs) {
		t.Errorf("records %d, want %d", n, len(recs))
	}
	by := sum["skipped_by"].(map[string]any)
	for _, k := range []string{"warcinfo", "request", "not HTML: image/png", "HTTP 404", "revisit: same page as its original", "revisit: original not stored"} {
		if by[k] == nil {
			t.Errorf("skipped_by has no %q: %v", k, by)
		}
	}

	// What lede extract makes of each page with the store the import learned: the expected
	// articles and texts. Pages are extracted two at a time (lede extract only reads the store).
	want := map[string]string{} // URL → text of the pages judged articles
	var wantMu sync.Mutex
	work := make(chan int)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for i := range work {
				p := pages[i]
				f := filepath.Join(dir, fmt.Sprintf("p%d.html", i))
				if err := os.WriteFile(f, p.html, 0o644); err != nil {
					t.Error(err)
					continue
				}
				code, out, errOut := runLede(t, nil, "extract", "--db", db, "--format", "json", "--url", p.url, f)
				if code != 0 {
					continue // no article at all: import must not store it either
				}
				var a struct{ URL, Text, Kind string }
				if err := json.Unmarshal([]byte(out), &a); err != nil {
					t.Errorf("extract %s: %v (%s)", p.url, err, errOut)
					continue
				}
				if a.Kind == "article" {
					wantMu.Lock()
					want[a.URL] = a.Text
					wantMu.Unlock()
				}
			}
		})
	}
	for i := range pages {
		work <- i
	}
	close(work)
	wg.Wait()

	st, err := store.Open(db, store.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err = st.Articles(t.Context(), store.Filter{}, func(a *lede.Article) error {
		got[a.URL] = a.Text
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	newArticles := int(sum["new_articles"].(float64))
	dups := int(sum["duplicates"].(float64))
	if len(got) != newArticles || newArticles+dups != len(want) {
		t.Errorf("stored %d articles (summary: %d new, %d duplicates), lede extract judged %d pages articles",
			len(got), newArticles, dups, len(want))
	}
	for u, text := range got {
		w, ok := want[u]
		switch {
		case !ok:
			t.Errorf("%s stored, but lede extract does not judge it an article", u)
		case w != text:
			t.Errorf("%s: imported text differs from lede extract's:\n%.200q\nwant\n%.200q", u, text, w)
		}
	}
	if len(want) < 180 || len(want) == len(pages) {
		t.Errorf("%d of %d labelled pages judged articles (190 are): the test proves little", len(want), len(pages))
	}

	// A second import of the same file stores nothing.
	code, out, errOut = runLede(t, nil, "import", "--db", db, file)
	if code != 0 {
		t.Fatalf("second import exit %d: %s", code, errOut)
	}
	sum = summaryLine(t, out)
	if sum["new_articles"].(float64) != 0 || sum["updated"].(float64) != 0 || sum["duplicates"].(float64) != 0 {
		t.Errorf("second import stored again: %s", out)
	}
	if int(sum["already_stored"].(float64)) != newArticles {
		t.Errorf("second import: already_stored %v, want %d", sum["already_stored"], newArticles)
	}
}

// checkImportSummary checks that an import's summary line adds up as a crawl's does: each
// count is the sum of the hosts' counts, and the reasons in skipped_by add up to the pages
// skipped and the records that are no answer to import.
func checkImportSummary(t *testing.T, sum map[string]any) {
	t.Helper()
	hosts := sum["hosts"].(map[string]any)
	for _, k := range []string{"fetched", "new_articles", "updated", "duplicates", "hubs", "already_stored", "skipped", "errors"} {
		total := 0.0
		for _, hc := range hosts {
			total += hc.(map[string]any)[k].(float64)
		}
		if sum[k].(float64) != total {
			t.Errorf("summary %s %v, but its hosts add up to %v", k, sum[k], total)
		}
	}
	by := 0.0
	for _, n := range sum["skipped_by"].(map[string]any) {
		by += n.(float64)
	}
	if want := sum["skipped"].(float64) + sum["records_skipped"].(float64); by != want {
		t.Errorf("skipped_by adds up to %v, want skipped + records_skipped = %v: %v", by, want, sum)
	}
}

// TestImportHandBuiltRecords: a chunked, gzip-encoded article is stored whole; a revisit
// under another URL is resolved from the stored page; --site keeps one site; a truncated
// last record names its file, keeps what came before and exits 1.
func TestImportHandBuiltRecords(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	article := []byte(storyHTML(1))
	a := "https://news.example.com/2024/03/05/story-1.html"
	recs := [][]byte{
		warctest.Response(a, 200, warctest.Chunked(warctest.Gzip(article), 512),
			"Content-Type: text/html; charset=utf-8", "Content-Encoding: gzip", "Transfer-Encoding: chunked"),
		warctest.Response("https://other.example.org/2024/03/05/story-2.html", 200, []byte(storyHTML(2)), "Content-Type: text/html"),
		warctest.Record("revisit", "https://news.example.com/2024/03/05/story-1-amp.html", warctest.HTTP(200, nil, "Content-Type: text/html"),
			"WARC-Refers-To-Target-URI: "+a),
	}
	file := filepath.Join(dir, "hand.warc.gz")
	whole := warctest.PerRecordGzip(recs...)
	cut := warctest.Gzip(warctest.Response("https://news.example.com/2024/03/05/story-3.html", 200, []byte(storyHTML(3)), "Content-Type: text/html"))
	if err := os.WriteFile(file, append(whole, cut[:len(cut)/2]...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runLede(t, nil, "import", "--db", db, "--site", "news.example.com", file)
	if code != exitFailed || !strings.Contains(errOut, "hand.warc.gz: record 4") || !strings.Contains(errOut, "truncated") {
		t.Fatalf("exit %d, stderr %q: want 1 and the truncated record named", code, errOut)
	}
	sum := summaryLine(t, out)
	checkImportSummary(t, sum)
	if sum["new_articles"].(float64) != 1 || sum["duplicates"].(float64) != 1 || sum["skipped_by"].(map[string]any)["other site"] == nil {
		t.Errorf("summary %s: want the article stored, its revisit a duplicate, the other site skipped", out)
	}
	st, err := store.Open(db, store.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Get(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.Text, "Story number 1\n") || got.FetchedAt.Format("2006-01-02") != "2024-03-05" {
		t.Errorf("stored %q fetched %v: want story 1 as archived on 2024-03-05", got.Text, got.FetchedAt)
	}
}

// TestImportRefusesNonWARCInput: a file that is not a WARC (its first record cannot be read)
// is refused before the store is created, naming the file; stdin that is no WARC leaves no
// store behind either. Both exit 1, as a truncated WARC does.
func TestImportRefusesNonWARCInput(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.warc.gz")
	if err := os.WriteFile(good, warctest.PerRecordGzip(warctest.Response("https://news.example.com/2024/03/05/story-1.html", 200, []byte(storyHTML(1)), "Content-Type: text/html")), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "x.db")
	code, _, errOut := runLede(t, nil, "import", "--db", db, good, text)
	if code != exitFailed || !strings.Contains(errOut, text+": record 1") || !strings.Contains(errOut, "not a WARC record") {
		t.Errorf("exit %d, stderr %q: want 1 and %s named as no WARC", code, errOut, text)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the refused import left %s (%v)", db, err)
	}
	code, _, errOut = runLede(t, []byte("root:x:0:0:root:/root:/bin/bash\n"), "import", "--db", db, "-")
	if code != exitFailed || !strings.Contains(errOut, "stdin: record 1") {
		t.Errorf("stdin: exit %d, stderr %q: want 1 and stdin named", code, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("an import of no WARC on stdin left %s (%v)", db, err)
	}
	// A store that was there stays, even when nothing was imported into it.
	if code, _, errOut := runLede(t, nil, "import", "--db", db, good); code != exitOK {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	runLede(t, []byte("not a WARC\n"), "import", "--db", db, "-")
	if _, err := os.Stat(db); err != nil {
		t.Errorf("the store imported into before is gone: %v", err)
	}
}
