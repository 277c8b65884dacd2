package main

import (
	"os"
	"path/filepath"
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

func TestCountArticles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	lines := `{"url":"a","text":"clean text"}
{"url":"b","text":"body\nXS SM MD LG"}

{"url":"c","text":"Accessibility links\nbody"}
{"url":"d"}
`
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	n, chrome, err := countArticles(path, "text")
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 || chrome != 2 {
		t.Errorf("countArticles = %d articles, %d with chrome; want 4, 2", n, chrome)
	}
	if err := os.WriteFile(path, []byte("{not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := countArticles(path, "text"); err == nil {
		t.Error("countArticles accepted a line that is not JSON")
	}
}
