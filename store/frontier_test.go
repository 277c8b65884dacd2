package store

import (
	"context"
	"fmt"
	"lede"
	"testing"
)

// TestFrontierPopSkipsLeasedWithoutReading checks that Pop reads only the queue entries it
// returns, however many items are leased.
func TestFrontierPopSkipsLeasedWithoutReading(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	f := db.Frontier()
	push := func(from, to int) {
		t.Helper()
		var items []lede.QueueItem
		for i := from; i < to; i++ {
			items = append(items, lede.QueueItem{URL: fmt.Sprintf("u%d", i)})
		}
		if n, err := f.Push(ctx, items...); err != nil || n != len(items) {
			t.Fatalf("Push(u%d..u%d) = %d, %v", from, to-1, n, err)
		}
	}
	// pop checks that Pop(max) returns want, reading wantReads queue entries.
	pop := func(max int, wantReads int, want ...string) {
		t.Helper()
		before := f.reads
		got, err := f.Pop(ctx, max)
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, it := range got {
			urls = append(urls, it.URL)
		}
		if fmt.Sprint(urls) != fmt.Sprint(want) {
			t.Fatalf("Pop(%d) = %v, want %v", max, urls, want)
		}
		if reads := f.reads - before; reads != wantReads {
			t.Fatalf("Pop(%d) read %d queue entries, want %d", max, reads, wantReads)
		}
	}

	const leased = 5000
	push(0, leased)
	if got, err := f.Pop(ctx, leased); err != nil || len(got) != leased {
		t.Fatalf("Pop(%d) = %d items, %v", leased, len(got), err)
	}
	pop(10, 0) // everything leased: nothing read
	push(leased, leased+3)
	pop(10, 3, "u5000", "u5001", "u5002")

	// Released items come back first, oldest first, without reading the leases between them.
	f.Release("u4000")
	f.Release("u10")
	f.Release("u10") // no longer leased: a no-op
	f.Release("nope")
	push(leased+3, leased+4)
	pop(2, 2, "u10", "u4000")
	pop(10, 1, "u5003")
	pop(10, 0)

	// A released item that is Done before it is handed out again is skipped.
	f.Release("u20")
	f.Release("u30")
	if err := f.Done(ctx, "u20"); err != nil {
		t.Fatal(err)
	}
	pop(10, 1, "u30")
	pop(10, 0)
}
