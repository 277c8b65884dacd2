package store

import (
	"context"
	"io"
	"lede"
	"sync/atomic"
	"testing"
)

// BenchmarkPutArticle stores distinct synthetic articles from parallel goroutines (so that
// writes are batched), as a crawl does. cmd/benchstore measures the same at 100k articles.
func BenchmarkPutArticle(b *testing.B) {
	db, _ := openTemp(b)
	var next atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			a := syntheticArticle(int(next.Add(1)))
			if _, err := db.PutArticle(context.Background(), a, []byte(a.HTML)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkNormalize is the per-article text work of PutArticle: words, hash and SimHash.
func BenchmarkNormalize(b *testing.B) {
	text := arabicText + "\n\n" + syntheticArticle(1).Text
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		w := lede.Words(text)
		_ = contentHash(w)
		_ = simHash(w)
	}
}

// BenchmarkExportShards compares exporting 3,000 articles from one store with merging them
// from two shards that both hold a third of them (a shared crawl's shards): the merge's
// index and copy checks are the difference.
func BenchmarkExportShards(b *testing.B) {
	const n = 3000
	ctx := context.Background()
	whole, _ := openTemp(b)
	sa, _ := openTemp(b)
	sb, _ := openTemp(b)
	for i := range n {
		for _, db := range []*DB{whole, sa, sb} {
			if (db == sa && i >= 2*n/3) || (db == sb && i < n/3) {
				continue
			}
			if _, err := db.PutArticle(ctx, syntheticArticle(i), nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, bc := range []struct {
		name   string
		shards []*DB
	}{{"one-store", []*DB{whole}}, {"two-shards", []*DB{sa, sb}}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				got, err := ExportShards(ctx, bc.shards, Filter{}, io.Discard, "jsonl")
				if err != nil || got != n {
					b.Fatalf("exported %d, %v; want %d", got, err, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/article")
		})
	}
}
