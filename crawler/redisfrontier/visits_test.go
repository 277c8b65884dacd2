package redisfrontier_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"lede/crawler/redisfrontier/redistest"
)

// What one worker records of a URL, every worker reads, in later crawls too: neither the
// crawl's end nor Reset forgets it.
func TestVisitsOutliveTheCrawl(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, b := newWorker(t, srv, "a"), newWorker(t, srv, "b")
	if err := a.Visit(ctx, "http://127.0.0.1:8080/a/1", "a1", false); err != nil {
		t.Fatal(err)
	}
	if err := a.Visit(ctx, "http://other.test/b", "b1", false); err != nil {
		t.Fatal(err)
	}
	// onlyNew keeps the value there; a plain Visit replaces it.
	if err := b.Visit(ctx, "http://127.0.0.1:8080/a/1", "ignored", true); err != nil {
		t.Fatal(err)
	}
	if err := b.Visit(ctx, "http://other.test/b", "b2", false); err != nil {
		t.Fatal(err)
	}
	if ended, err := a.End(ctx, nil); err != nil || !ended {
		t.Fatalf("end = %v, %v", ended, err)
	}
	if err := b.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := b.Visits(ctx, []string{"http://other.test/b", "http://127.0.0.1:8080/a/2", "not a url", "http://127.0.0.1:8080/a/1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b2", "", "", "a1"}; !slices.Equal(got, want) {
		t.Fatalf("visits = %q; want %q", got, want)
	}
	if err := a.Visit(ctx, "/no/host", "x", false); err == nil {
		t.Fatal("a visit of a URL without a host was kept")
	}
}

// Visits answers for many URLs of many hosts at once, and EachVisit walks one host's.
func TestVisitsInBulk(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	f := newWorker(t, srv, "a")
	var all []string
	for i := range 1500 {
		u := fmt.Sprintf("http://h%d.test/%d", i%3, i)
		all = append(all, u)
		if i%2 == 0 {
			if err := f.Visit(ctx, u, fmt.Sprint(i), false); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := f.Visits(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if want := map[bool]string{true: fmt.Sprint(i), false: ""}[i%2 == 0]; v != want {
			t.Fatalf("visit of %s = %q; want %q", all[i], v, want)
		}
	}
	seen := map[string]string{}
	if err := f.EachVisit(ctx, "h1.test", func(u, v string) error { seen[u] = v; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 250 || seen["http://h1.test/4"] != "4" {
		t.Fatalf("h1.test has %d visits (/4: %q); want 250, /4 = 4", len(seen), seen["http://h1.test/4"])
	}
	if st, err := f.Stats(ctx); err != nil || st.Visits != 750 {
		t.Fatalf("stats = %+v, %v; want 750 visits", st, err)
	}
}
