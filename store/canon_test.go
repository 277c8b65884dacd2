package store

import (
	"context"
	"testing"

	"lede"
)

// TestPutArticleCanonicalURLs: an article's URLs are kept in canonical form, and an
// unparsable one as it is.
func TestPutArticleCanonicalURLs(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	put := func(a *lede.Article) *lede.Article {
		t.Helper()
		a.Text = "The council met on Monday " + a.URL
		if _, err := db.PutArticle(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
		got, err := db.Get(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a := put(&lede.Article{
		URL:          "https://News.example:443/a/1?share=tw&utm_source=x&id=7#top",
		CanonicalURL: "https://news.example/a/1?id=7&fbclid=abc",
	})
	if want := "https://news.example/a/1?id=7"; a.URL != want || a.CanonicalURL != want {
		t.Errorf("URL %q, canonical %q, want both %q", a.URL, a.CanonicalURL, want)
	}
	if b := put(&lede.Article{URL: "not a url"}); b.URL != "not a url" {
		t.Errorf("an unparsable URL became %q", b.URL)
	}
}
