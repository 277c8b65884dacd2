package extract_test

import (
	"testing"

	"lede/extract"
)

// BenchmarkBlockFingerprintsZyteDev is what learning a site's chrome adds to each crawled
// page: the fingerprints of the whole page's blocks (compare BenchmarkParseZyteDev, Parse
// alone, which this includes).
func BenchmarkBlockFingerprintsZyteDev(b *testing.B) {
	benchPages(b, zyteDevPages(b), func(p benchPage) {
		if d, err := extract.Parse(p.html, p.url); err == nil {
			_ = d.BlockFingerprints()
		}
	})
}
