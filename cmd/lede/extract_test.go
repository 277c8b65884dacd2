package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"lede/extract"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

const extractFixtures = "../../testdata/extract"

const seedTitle = "واشنطن تجدد دعوتها موسكو للتعاون 'البناء' في سورية"

func readExtractFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(extractFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newsServer serves the fixtures on loopback the way a news site would, and records the
// User-Agent of each request.
func newsServer(t *testing.T) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var agents []string
	mux := http.NewServeMux()
	article := readExtractFixture(t, "ar-article.html")
	legacy1256 := readExtractFixture(t, "ar-legacy-1256.html")
	english := readExtractFixture(t, "en-article.html")
	mux.HandleFunc("/a/story.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(article)
	})
	mux.HandleFunc("/legacy.asp", func(w http.ResponseWriter, r *http.Request) {
		// The charset is only in the page's <meta>: the header says nothing about it.
		w.Header().Set("Content-Type", "text/html")
		w.Write(legacy1256)
	})
	mux.HandleFunc("/gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		z := gzip.NewWriter(w)
		z.Write(english)
		z.Close()
	})
	mux.HandleFunc("/old-address", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/a/story.html", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/logo.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &agents
}

func runLede(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, bytes.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExtractJSONLinesFromURLFileAndStdin(t *testing.T) {
	srv, agents := newsServer(t)
	dir := t.TempDir()
	gz := filepath.Join(dir, "saved-page") // gzip told apart by content, not by name
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	z.Write(readExtractFixture(t, "ar-inline.html"))
	z.Close()
	if err := os.WriteFile(gz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	stdin := readExtractFixture(t, "ar-legacy.html")

	code, stdout, stderr := runLede(t, stdin, "extract", "--format", "json",
		srv.URL+"/old-address", srv.URL+"/legacy.asp", gz, srv.URL+"/gz",
		filepath.Join(extractFixtures, "en-legacy.html"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 5 {
		t.Fatalf("want 5 JSON lines, got %d:\n%s", len(lines), stdout)
	}
	allowed := []string{"url", "canonical_url", "site", "site_name", "title", "byline", "published", "modified", "lang", "description", "image", "text", "word_count", "kind", "kind_reason"}
	var objs []map[string]any
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		for k := range m {
			if !slices.Contains(allowed, k) {
				t.Errorf("line %d has unexpected key %q", i+1, k)
			}
		}
		for _, k := range []string{"url", "title", "text", "word_count", "kind", "kind_reason"} {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d lacks key %q", i+1, k)
			}
		}
		if m["kind"] != "article" || !strings.Contains(fmt.Sprint(m["kind_reason"]), "prose") {
			t.Errorf("line %d: kind %v (%v), want article with its reason", i+1, m["kind"], m["kind_reason"])
		}
		objs = append(objs, m)
	}
	// In source order: the redirected URL reports where it landed.
	if objs[0]["url"] != srv.URL+"/a/story.html" || objs[0]["published"] != "2015-09-15T18:30:00+03:00" {
		t.Errorf("first object: url %v published %v", objs[0]["url"], objs[0]["published"])
	}
	for i := range 3 {
		if objs[i]["title"] != seedTitle || objs[i]["lang"] != "ar" {
			t.Errorf("object %d: title %q lang %v", i, objs[i]["title"], objs[i]["lang"])
		}
		text := objs[i]["text"].(string)
		if strings.Contains(text, "Accessibility links") || strings.Contains(text, "XS") || !strings.HasSuffix(text, "المصدر: وكالات") {
			t.Errorf("object %d: chrome left or source line lost: %.80q ... %q", i, text, text[len(text)-40:])
		}
	}
	if objs[3]["site_name"] != "The Riverside Ledger" || objs[4]["byline"] != "Tom Smith" {
		t.Errorf("English pages: %v / %v", objs[3]["site_name"], objs[4]["byline"])
	}
	for _, ua := range *agents {
		if !strings.Contains(ua, "lede") {
			t.Errorf("User-Agent %q does not name lede", ua)
		}
	}
}

func TestExtractFailuresNameTheSource(t *testing.T) {
	srv, _ := newsServer(t)
	missing := filepath.Join(t.TempDir(), "missing.html")
	code, stdout, stderr := runLede(t, nil, "extract",
		srv.URL+"/nope", srv.URL+"/loop", srv.URL+"/logo.png", missing, srv.URL+"/a/story.html")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d", code, exitFailed)
	}
	if !strings.HasPrefix(stdout, seedTitle+"\n\n") {
		t.Errorf("the good source should still be printed, got %.100q", stdout)
	}
	errLines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(errLines) != 4 {
		t.Fatalf("want one stderr line per failed source, got:\n%s", stderr)
	}
	for i, want := range []string{srv.URL + "/nope", srv.URL + "/loop", srv.URL + "/logo.png", missing} {
		if !strings.Contains(errLines[i], want) {
			t.Errorf("stderr line %d %q does not name %s", i+1, errLines[i], want)
		}
	}
	for i, want := range []string{"404", "redirects", "not an HTML document", "no such file"} {
		if !strings.Contains(errLines[i], want) {
			t.Errorf("stderr line %d %q does not say %q", i+1, errLines[i], want)
		}
	}
}

// TestExtractRefusesAnOversizePage: a URL source above the crawl's body limit is refused and
// said so, whether its size is announced or only found by reading it.
func TestExtractRefusesAnOversizePage(t *testing.T) {
	big := []byte("<html><body><p>" + strings.Repeat("word ", extract.MaxPageBytes/5) + "</p></body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/streamed" {
			w.(http.Flusher).Flush() // chunked: no Content-Length
		}
		w.Write(big)
	}))
	defer srv.Close()
	code, _, stderr := runLede(t, nil, "extract", srv.URL+"/announced", srv.URL+"/streamed")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitFailed, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one stderr line per source, got:\n%s", stderr)
	}
	for i, path := range []string{"/announced", "/streamed"} {
		if !strings.Contains(lines[i], srv.URL+path) || !strings.Contains(lines[i], "too large") {
			t.Errorf("stderr line %q does not say %s is too large", lines[i], path)
		}
	}
}

func TestExtractNoArticleFails(t *testing.T) {
	code, _, stderr := runLede(t, []byte("<html><body><nav><a href='/x'>x</a></nav></body></html>"), "extract", "-")
	if code != exitFailed || !strings.Contains(stderr, "extract -: no article found") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// TestExtractDeeplyNestedLegacyPage: a page with 700 <font> tags never closed after its
// article (deeper than the HTML parser's 512 open elements) still gives its article.
func TestExtractDeeplyNestedLegacyPage(t *testing.T) {
	path := filepath.Join(extractFixtures, "en-font-soup.html")
	code, text, stderr := runLede(t, nil, "extract", "--url", "http://riverside-daily.example/story/10.html", path)
	if code != exitOK || !strings.HasPrefix(text, "City council approves plan to turn old rail yard into riverside park\n\nThe city council voted 9 to 2") ||
		!strings.HasSuffix(text, "three public meetings in the autumn.\n") {
		t.Errorf("exit %d, stderr %q, text %.200q", code, stderr, text)
	}
}

func TestExtractUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"extract"},
		{"extract", "--format", "pdf", "x.html"},
		{"extract", "--url", "https://x.example/a", "a.html", "b.html"},
		{"extract", "--url", "not a url", "a.html"},
		{"extract", "--no-such-flag", "a.html"},
	} {
		if code, _, stderr := runLede(t, nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, stderr)
		}
	}
}

func TestExtractFormats(t *testing.T) {
	page := readExtractFixture(t, "ar-article.html")
	code, text, _ := runLede(t, page, "extract", "--url", "https://www.alghad-radio.example/a/1.html", "-")
	if code != exitOK || !strings.HasPrefix(text, seedTitle+"\n\nجددت الولايات المتحدة") || !strings.HasSuffix(text, "المصدر: وكالات\n") {
		t.Errorf("text format: exit %d, %.120q", code, text)
	}
	code, md, _ := runLede(t, page, "extract", "--format", "markdown", "-")
	if code != exitOK || !strings.HasPrefix(md, "# "+seedTitle+"\n") || !strings.Contains(md, "\n## روسيا تدعو إلى محاربة الإرهاب\n") {
		t.Errorf("markdown format: exit %d, %.300q", code, md)
	}
	code, h, _ := runLede(t, page, "extract", "--format", "html", "-")
	if code != exitOK || !strings.Contains(h, "<h2>مواصلة الدعم العسكري</h2>") || strings.Contains(h, "XS") {
		t.Errorf("html format: exit %d, %.300q", code, h)
	}
}

func TestExtractExplain(t *testing.T) {
	code, _, stderr := runLede(t, readExtractFixture(t, "ar-legacy.html"), "extract", "--explain", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rules []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if _, rest, ok := strings.Cut(l, "removed by "); ok {
			rule, _, _ := strings.Cut(rest, ":")
			rules = append(rules, rule)
		}
	}
	sort.Strings(rules)
	rules = slices.Compact(rules)
	for _, want := range []string{"caption", "related", "skip-links", "text-size"} {
		if !slices.Contains(rules, want) {
			t.Errorf("--explain did not report %q; reported %v", want, rules)
		}
	}
}

func TestExtractSave(t *testing.T) {
	srv, _ := newsServer(t)
	db := filepath.Join(t.TempDir(), "lede.db")
	page := readExtractFixture(t, "ar-legacy.html")
	dir := t.TempDir()
	file := filepath.Join(dir, "saved.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}

	// The same article through a URL and as a saved copy under another address: stored once.
	code, _, stderr := runLede(t, nil, "extract", "--save", "--db", db, "--format", "json", srv.URL+"/a/story.html")
	if code != 0 || !strings.Contains(stderr, "(inserted)") {
		t.Fatalf("first save: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runLede(t, nil, "extract", "--save", "--db", db, "--url", srv.URL+"/copy.html", file)
	if code != 0 || strings.Contains(stderr, "(inserted)") {
		t.Fatalf("second save of the same article: exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := runLede(t, nil, "export", "--db", db, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("export: exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], seedTitle) || strings.Contains(lines[0], "XS SM MD LG") {
		t.Fatalf("want the clean article stored once, got %d lines:\n%s", len(lines), stdout)
	}

	// A file without --url cannot be keyed: usage error, nothing written.
	if code, _, stderr := runLede(t, nil, "extract", "--save", "--db", db, file); code != exitUsage || !strings.Contains(stderr, "--url") {
		t.Fatalf("save without --url: exit %d, stderr %q", code, stderr)
	}
}
