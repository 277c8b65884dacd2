package store

import (
	"context"
	"lede"
	"strings"
	"testing"
)

func TestReplaceText(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	a := arabicArticle("https://news.example/ar/2015/09/16/washington")
	a.Text = "زلبطة فنرك ويبل\n\n" + arabicText // a chrome line learned later
	raw := []byte("<html><p>raw page</p></html>")
	if _, err := db.PutArticle(ctx, a, raw); err != nil {
		t.Fatal(err)
	}
	oldHash := a.ContentHash
	before, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}

	changed, err := db.ReplaceText(ctx, a.ID, arabicText, "<p>clean</p>")
	if err != nil || !changed {
		t.Fatalf("ReplaceText = %v, %v; want a change", changed, err)
	}
	got, err := db.Get(ctx, a.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != a.ID || got.Text != arabicText || got.HTML != "<p>clean</p>" || got.Title != a.Title ||
		!got.FirstSeen.Equal(a.FirstSeen) || got.ContentHash == oldHash || got.ContentHash != ContentHash(arabicText) {
		t.Fatalf("after ReplaceText, Get = %+v", got)
	}
	if got.WordCount >= a.WordCount {
		t.Errorf("word count %d, want fewer than %d", got.WordCount, a.WordCount)
	}
	if r, err := db.Raw(ctx, a.ID); err != nil || string(r) != string(raw) {
		t.Errorf("raw page after ReplaceText = %q, %v", r, err)
	}
	after, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Articles != before.Articles || after.BySite["news.example"] != before.BySite["news.example"] {
		t.Errorf("counts changed: %d/%v → %d/%v", before.Articles, before.BySite, after.Articles, after.BySite)
	}
	n := 0
	if err := db.Articles(ctx, Filter{Site: "news.example"}, func(x *lede.Article) error {
		n++
		if x.Text != arabicText {
			t.Errorf("Articles lists the old text")
		}
		return nil
	}); err != nil || n != 1 {
		t.Errorf("Articles(site) = %d, %v; want the one article", n, err)
	}

	// The content-hash index follows the text: the new text elsewhere is a duplicate.
	dup := arabicArticle("https://mirror.example/copy")
	if res, err := db.PutArticle(ctx, dup, nil); err != nil || res == Inserted {
		t.Errorf("the cleaned text under another URL: %v, %v; want a duplicate", res, err)
	}

	if changed, err := db.ReplaceText(ctx, a.ID, arabicText, "<p>clean</p>"); err != nil || changed {
		t.Errorf("the same text again: %v, %v; want no change", changed, err)
	}
	if _, err := db.ReplaceText(ctx, a.ID, " … ", ""); err == nil {
		t.Error("an empty text was accepted")
	}
	if got, _ := db.Get(ctx, a.ID); got == nil || !strings.Contains(got.Text, "المصدر") {
		t.Error("a refused replacement lost the article")
	}
	if _, err := db.ReplaceText(ctx, "0123456789abcdef", arabicText, ""); err == nil {
		t.Error("an unknown ID was accepted")
	}
}

func TestAddBlockCounts(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	defer db.Close()
	// Three pages one by one, then the same three at once: the same counts.
	for _, fps := range [][]uint64{{1, 2}, {1, 3}, {1}} {
		if err := db.AddPageBlocks(ctx, "a.example", fps); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddBlockCounts(ctx, "www.b.example", 3, map[uint64]int{1: 3, 2: 1, 3: 1, 4: 0}); err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"a.example", "b.example"} {
		pages, fps, err := db.ChromeStats(ctx, host)
		if err != nil || pages != 3 || fps != 3 {
			t.Errorf("%s: %d pages, %d fingerprints, %v; want 3 and 3", host, pages, fps, err)
		}
		set, err := db.HostChrome(ctx, host, 3, 0.9)
		if err != nil || len(set) != 1 || !set[1] {
			t.Errorf("%s: chrome %v, %v; want {1}", host, set, err)
		}
	}
	if err := db.AddBlockCounts(ctx, "", 1, nil); err == nil {
		t.Error("no host accepted")
	}
}
