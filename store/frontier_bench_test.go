package store

import (
	"context"
	"fmt"
	"lede"
	"testing"
)

// BenchmarkFrontierPopWithLeases measures the dispatcher's pattern with many items in flight:
// a lease is given back (a cancelled fetch), Pop hands it out again, and a further Pop finds
// nothing new. Its cost per iteration must not grow with the number of leased items.
func BenchmarkFrontierPopWithLeases(b *testing.B) {
	for _, leases := range []int{1_000, 10_000, 50_000} {
		b.Run(fmt.Sprintf("leases=%d", leases), func(b *testing.B) {
			ctx := context.Background()
			db, _ := openTemp(b)
			f := db.Frontier()
			items := make([]lede.QueueItem, leases)
			for i := range items {
				items[i] = lede.QueueItem{URL: fmt.Sprintf("https://example.com/%d", i), Kind: "page"}
			}
			if _, err := f.Push(ctx, items...); err != nil {
				b.Fatal(err)
			}
			if got, err := f.Pop(ctx, leases); err != nil || len(got) != leases {
				b.Fatalf("Pop(%d) = %d items, %v", leases, len(got), err)
			}
			first := items[0].URL
			for b.Loop() {
				f.Release(first)
				if got, err := f.Pop(ctx, 1); err != nil || len(got) != 1 || got[0].URL != first {
					b.Fatalf("Pop after Release = %+v, %v; want %s", got, err, first)
				}
				if got, err := f.Pop(ctx, 1); err != nil || len(got) != 0 {
					b.Fatalf("Pop with everything leased = %+v, %v; want none", got, err)
				}
			}
		})
	}
}
