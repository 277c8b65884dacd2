package store

import (
	"context"
	"errors"
	"fmt"
	"lede"
	"slices"
	"testing"
	"time"
)

// filterCorpus stores articles covering each filter's cases and returns the store.
func filterCorpus(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, _ := openTemp(t)
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	arts := []*lede.Article{
		{URL: "https://www.one.example/a", Lang: "ar", Published: day(1), Text: "نص الخبر الأول عن الانتخابات"},
		{URL: "https://one.example/b", Lang: "ar-EG", Published: day(3), Text: "نص الخبر الثاني عن الاقتصاد والأسواق والتجارة الخارجية"},
		{URL: "https://two.example/c", Lang: "en", Published: day(2), Text: "Short English story."},
		{URL: "https://two.example/d", Lang: "en-GB", Published: day(5), Text: "A longer English story about the harbour, the ferry and the storm that closed both."},
		{URL: "https://two.example/e", Lang: "arabic", Published: day(4), Text: "not Arabic by tag prefix"},
		// No published date: filtered and ordered by first-seen.
		{URL: "https://one.example/f", Lang: "ar", FirstSeen: day(6), Text: "خبر بلا تاريخ نشر"},
	}
	for _, a := range arts {
		if _, err := db.PutArticle(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func urlsOf(t *testing.T, db *DB, f Filter) []string {
	t.Helper()
	var got []string
	err := db.Articles(context.Background(), f, func(a *lede.Article) error { got = append(got, a.URL); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestArticlesFilters(t *testing.T) {
	db := filterCorpus(t)
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		name string
		f    Filter
		want []string
	}{
		{"all in date order", Filter{}, []string{"https://www.one.example/a", "https://two.example/c", "https://one.example/b", "https://two.example/e", "https://two.example/d", "https://one.example/f"}},
		{"site", Filter{Site: "one.example"}, []string{"https://www.one.example/a", "https://one.example/b", "https://one.example/f"}},
		{"site with www and case", Filter{Site: "WWW.Two.Example"}, []string{"https://two.example/c", "https://two.example/e", "https://two.example/d"}},
		{"lang prefix", Filter{Lang: "ar"}, []string{"https://www.one.example/a", "https://one.example/b", "https://one.example/f"}},
		{"lang exact region", Filter{Lang: "en-gb"}, []string{"https://two.example/d"}},
		{"since inclusive", Filter{Since: time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)}, []string{"https://one.example/b", "https://two.example/e", "https://two.example/d", "https://one.example/f"}},
		{"until exclusive", Filter{Until: day(3)}, []string{"https://www.one.example/a", "https://two.example/c"}},
		{"since and until", Filter{Since: day(2), Until: day(5)}, []string{"https://two.example/c", "https://one.example/b", "https://two.example/e"}},
		{"first-seen fallback", Filter{Since: day(6)}, []string{"https://one.example/f"}},
		{"min words", Filter{MinWords: 6}, []string{"https://one.example/b", "https://two.example/d"}},
		{"site and date", Filter{Site: "two.example", Since: day(3)}, []string{"https://two.example/e", "https://two.example/d"}},
		{"no match", Filter{Site: "three.example"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := urlsOf(t, db, c.f); !slices.Equal(got, c.want) {
				t.Fatalf("got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestArticlesPagesThroughLargeCorpus(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	const n = 3*pageSize + 17
	for i := range n {
		a := syntheticArticle(i)
		if i%2 == 1 {
			a.Lang = "xx" // every other article filtered out, so pages and matches differ
		}
		if _, err := db.PutArticle(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err := db.Articles(ctx, Filter{Lang: "en"}, func(a *lede.Article) error { got = append(got, a.Title); return nil })
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 0; i < n; i += 2 {
		if syntheticArticle(i).Lang == "en" {
			want = append(want, fmt.Sprintf("Story %d", i))
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %d articles, want %d (first got %q)", len(got), len(want), got[:min(3, len(got))])
	}

	stop := errors.New("stop")
	calls := 0
	if err := db.Articles(ctx, Filter{}, func(*lede.Article) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("fn error: err=%v after %d calls, want stop after 1", err, calls)
	}
}
