package store

import (
	"context"
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
