package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCountRequests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "req.log")
	log := "GET / 200\nGET /robots.txt 200\nGET /news/1.html 503\nGET /news/1.html 200\n" +
		"GET /news/1.html 200\nHEAD /news/2.html 200\nGET /section/world/1 200\nbroken line\n"
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	reqs, articles, err := countRequests(path)
	if err != nil {
		t.Fatal(err)
	}
	// 7 well-formed requests; /news/1.html (once, despite the retry) and /news/2.html
	if reqs != 7 || articles != 2 {
		t.Errorf("countRequests = %d requests, %d article pages; want 7, 2", reqs, articles)
	}
}

func TestCheckArticles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	lines := `{"url":"u/1","text":"Clean body. Second paragraph!"}
{"url":"u/1","text":"Head line\n\nClean body.\n\nSecond paragraph."}

{"url":"u/2","text":"924\n\nClean body. Second paragraph."}
{"url":"u/3","text":"Accessibility links\nClean body. Second paragraph."}
{"url":"u/4","text":"Clean body."}
`
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	truth := func(string) (articleTruth, error) {
		return articleTruth{headline: "Head line", paragraphs: []string{"Clean body.", "Second paragraph."}}, nil
	}
	c, err := checkArticles(path, truth)
	if err != nil {
		t.Fatal(err)
	}
	// exact: u/1 twice (with and without the headline); not: a date line, chrome, a missing paragraph
	if c.stored != 5 || c.distinct != 4 || c.exact != 2 || c.chrome != 1 {
		t.Errorf("checkArticles = %+v; want 5 stored, 4 distinct, 2 exact, 1 with chrome", c)
	}
	if !strings.Contains(c.example, "u/2") {
		t.Errorf("example = %q, want the first text that is not exact (u/2)", c.example)
	}
	if err := os.WriteFile(path, []byte("{not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := checkArticles(path, truth); err == nil {
		t.Error("checkArticles accepted a line that is not JSON")
	}
}

func TestFarmTruth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><nav><p>menu</p></nav><main><article><h1>Title</h1><time>3</time>`+
			`<p>One <b>bold</b> line.</p><p>Two.</p><div class="share">Share</div></article>`+
			`<section><p>related</p></section></main></body></html>`)
	}))
	defer srv.Close()
	got, err := farmTruth(context.Background(), srv.URL)(srv.URL + "/news/3.html")
	if err != nil {
		t.Fatal(err)
	}
	if got.headline != "Title" || !slices.Equal(got.paragraphs, []string{"One bold line.", "Two."}) {
		t.Errorf("farmTruth = %+v", got)
	}
	if _, err := farmTruth(context.Background(), srv.URL)("http://elsewhere.example/a"); err == nil {
		t.Error("farmTruth accepted a URL that is not on newsfarm")
	}
}
