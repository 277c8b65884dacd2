package main

import (
	"context"
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
		t.Logf("%d labelled pages skipped: their files are absent", missing)
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
