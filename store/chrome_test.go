package store

import (
	"context"
	"testing"
)

func TestChromeCounts(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t, WithChromeCap(50))
	const chrome1, chrome2, quote = 1, 2, 3
	for page := range 20 {
		fps := []uint64{chrome1, chrome1, uint64(1000 + page*10), uint64(1001 + page*10)}
		if page%2 == 0 {
			fps = append(fps, chrome2)
		}
		if page%5 == 0 {
			fps = append(fps, quote)
		}
		if err := db.AddPageBlocks(ctx, "www.Site.example", fps); err != nil {
			t.Fatal(err)
		}
		if page == 3 {
			if set, _ := db.HostChrome(ctx, "site.example", 10, 0.5); len(set) != 0 {
				t.Fatalf("after 4 pages, with minPages 10: %v, want nothing learned", set)
			}
		}
	}
	set, err := db.HostChrome(ctx, "site.example", 10, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(set) != 2 || !set[chrome1] || !set[chrome2] {
		t.Fatalf("learned %v, want {1, 2}", set)
	}
	if set, _ := db.HostChrome(ctx, "site.example", 10, 0.9); len(set) != 1 || !set[chrome1] {
		t.Fatalf("at share 0.9 learned %v, want {1}", set)
	}
	if set, _ := db.HostChrome(ctx, "other.example", 1, 0.1); len(set) != 0 {
		t.Fatalf("unknown host: %v", set)
	}
	pages, fps, _ := db.ChromeStats(ctx, "site.example")
	if pages != 20 || fps > 50 || fps < 3 {
		t.Fatalf("ChromeStats = %d pages, %d fingerprints; want 20 and at most the cap 50", pages, fps)
	}
}
