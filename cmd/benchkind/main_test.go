package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestDevSet holds lede's article/front decision to issue 10's marks on the labelled dev set
// (testdata/pagekind): every article kept and at least 98% of the fronts not stored, decided
// offline, and through a loopback crawl for the written sites (the real pages are crawled by
// go run ./cmd/benchkind, which takes longer than a test should). Pages whose file is absent
// (../shared or the module cache missing) are skipped and counted.
func TestDevSet(t *testing.T) {
	pages, missing, err := load(options{data: "../../testdata/pagekind/labels.json", shared: "../../../shared"})
	if err != nil {
		t.Fatal(err)
	}
	if missing > 0 {
		t.Logf("%d labelled pages skipped: their files are absent (../shared, or go-htmldate's test pages: go mod download github.com/markusmobius/go-htmldate@v1.10.1)", missing)
	}
	if count(pages, "front") < 50 {
		t.Fatalf("only %d fronts loaded", count(pages, "front"))
	}
	check := func(mode string, pages []*page, res []result) {
		var arts, artsKept, fronts, frontsOut int
		for _, r := range res {
			if r.p.Kind == "article" {
				arts++
				if r.kept {
					artsKept++
				} else {
					t.Errorf("%s: article %s (%s) not kept: %s: %s", mode, r.p.URL, r.p.Class, r.kind, r.reason)
				}
				continue
			}
			fronts++
			if !r.kept {
				frontsOut++
			} else {
				t.Logf("%s: front %s (%s) stored: %s", mode, r.p.URL, r.p.Class, r.reason)
			}
		}
		if len(res) != len(pages) || arts != artsKept || float64(frontsOut) < 0.98*float64(fronts) {
			t.Errorf("%s: %d/%d pages decided, articles kept %d/%d, fronts not stored %d/%d (want all articles, 98%% of fronts)",
				mode, len(res), len(pages), artsKept, arts, frontsOut, fronts)
		}
	}
	check("offline", pages, decideOffline(pages))
	var written []*page
	for _, p := range pages {
		if p.File != "" {
			written = append(written, p)
		}
	}
	res, err := decideCrawled(context.Background(), written, false)
	if err != nil {
		t.Fatal(err)
	}
	check("crawled", written, res)
}

// TestCrawledSitesApart: each labelled site is crawled as a host of its own (the crawler
// learns URL templates and menus per host name, without the port), and a page whose path
// begins with "//" is fetched at that path.
func TestCrawledSitesApart(t *testing.T) {
	body := []byte(`<html><head><title>Harbour crane returns after repairs</title></head><body><article><h1>Harbour crane returns after repairs</h1>` +
		strings.Repeat(`<p>The big crane on the east quay was back at work on Monday after six weeks of repairs to its slewing gear, the port authority said, and the backlog of containers should be cleared by the end of the week.</p>`, 4) +
		`</article></body></html>`)
	pages := []*page{
		{URL: "https://one.example//story.php?id=4821", Kind: "article", Body: body},
		{URL: "https://two.example/news/story.php?id=4822", Kind: "article", Body: body},
	}
	res, err := decideCrawled(context.Background(), pages, false)
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[string]bool{}
	for _, r := range res {
		if !r.kept {
			t.Errorf("%s: %s: %s", r.p.URL, r.kind, r.reason)
		}
		if u, err := url.Parse(r.at); err == nil {
			hosts[u.Hostname()] = true
		}
	}
	if len(hosts) != 2 {
		t.Errorf("the two sites were crawled as %d hosts: %v", len(hosts), hosts)
	}
}
