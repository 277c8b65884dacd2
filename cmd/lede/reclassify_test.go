package main

import (
	"context"
	"encoding/json"
	"lede"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lede/crawler"
	"lede/store"
)

// shortPage is a 20-word item without metadata: a close call, judged a front without help.
const shortPage = `<html><head><meta charset="utf-8"><title>Melon berry</title></head><body><h1>Melon berry</h1>` +
	`<p>The river council met on Tuesday and agreed to study the ferry plan again after residents asked.</p></body></html>`

// TestReclassifyCLI: a front whose raw page was kept is decided again with the host's
// learned URL templates, stored, and no longer counted as a front; lede show and lede stats
// say so.
func TestReclassifyCLI(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lede.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	u := "https://www.news.example/n/melon-berry.html"
	rec := lede.FetchRecord{URL: u, Status: 200, Kind: lede.KindHub, Reason: "score -0.3"}
	if err := db.PutFetch(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := db.PutHubPage(ctx, u, []byte(shortPage)); err != nil {
		t.Fatal(err)
	}
	if err := db.AddURLTemplates(ctx, "news.example", map[string]lede.TemplateCount{"/{w}/{w}.html": {Articles: 12}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, out, errOut := runStoreCLI(t, "stats", "--db", path)
	if code != exitOK || !strings.Contains(out, "fronts (pages judged hubs") || !strings.Contains(out, "news.example") {
		t.Errorf("stats: exit %d, stdout:\n%s\nstderr: %s", code, out, errOut)
	}

	code, out, errOut = runStoreCLI(t, "reclassify", "--db", path, "--site", "www.news.example")
	if code != exitOK {
		t.Fatalf("reclassify: exit %d, stderr %s", code, errOut)
	}
	var res crawler.ReclassifyResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Articles != 1 || res.Checked != 1 {
		t.Errorf("reclassify printed %q (%v), want one article stored", out, err)
	}
	if !strings.Contains(errOut, "lede: stored "+u) || !strings.Contains(errOut, "template") {
		t.Errorf("stderr does not name the page stored and why: %q", errOut)
	}

	code, out, _ = runStoreCLI(t, "show", "--db", path, u)
	if code != exitOK || !strings.Contains(out, "Melon berry") {
		t.Errorf("show %s: exit %d\n%s", u, code, out)
	}
	code, out, _ = runStoreCLI(t, "stats", "--db", path, "--json")
	var st struct {
		Hubs map[string]int `json:"hubs_by_site"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &st) != nil || st.Hubs["news.example"] != 0 {
		t.Errorf("stats --json after reclassify: exit %d, fronts %v\n%s", code, st.Hubs, out)
	}

	code, _, errOut = runStoreCLI(t, "reclassify", "--db", path)
	if code != exitUsage || !strings.Contains(errOut, "--site") {
		t.Errorf("reclassify without --site: exit %d, %q", code, errOut)
	}
}

// TestExtractSaysWhatACrawlWouldNotStore: lede extract prints a front's text, and says on
// stderr that a crawl would not store it.
func TestExtractSaysWhatACrawlWouldNotStore(t *testing.T) {
	front, err := os.ReadFile(filepath.Join("..", "..", "testdata", "kind", "front-long-teasers.html"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runLede(t, front, "extract", "--db", filepath.Join(t.TempDir(), "none.db"), "--url", "https://news.example/topics/business", "-")
	if code != exitOK || !strings.Contains(out, "Manufacturers who sell abroad") {
		t.Fatalf("extract: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "a crawl would not store this page: hub") || !strings.Contains(errOut, "teasers") {
		t.Errorf("stderr %q, want a note that the page is a front, and why", errOut)
	}
}
