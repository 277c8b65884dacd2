package crawler

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"lede/store"
)

// BenchmarkCrawlNewsfarm crawls a running newsfarm (../shared/bench/newsfarm) whose base URL
// is in $LEDE_NEWSFARM, at parallelism 8 and no delay, into a fresh store per iteration:
//
//	LEDE_NEWSFARM=http://127.0.0.1:PORT go test ./crawler -run - -bench CrawlNewsfarm -benchtime 1x
func BenchmarkCrawlNewsfarm(b *testing.B) {
	base := os.Getenv("LEDE_NEWSFARM")
	if base == "" {
		b.Skip("set LEDE_NEWSFARM to a running newsfarm's base URL")
	}
	for i := 0; i < b.N; i++ {
		db, err := store.Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		c := New(db, db.Frontier(), WithDelay(0), WithParallelism(8))
		sum, err := c.Run(context.Background(), Site{Start: []string{base + "/"}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Fetched)/sum.ElapsedSeconds, "pages/s")
		b.ReportMetric(float64(sum.New), "articles")
		db.Close()
	}
}
