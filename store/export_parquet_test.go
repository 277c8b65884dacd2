package store

import (
	"bytes"
	"fmt"
	"lede"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// words returns n words that compress poorly, different for each seed.
func words(seed, n int) string {
	var b strings.Builder
	x := uint64(seed)*2654435761 + 1
	for range n {
		x = x*6364136223846793005 + 1442695040888963407
		fmt.Fprintf(&b, "%x ", x>>40)
	}
	return b.String()
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ bytes.Buffer }

// TestParquetStreamsRowGroups: the encoder writes each full row group as the export goes,
// not the whole file at the end, and the file reads back with every row.
func TestParquetStreamsRowGroups(t *testing.T) {
	old := parquetRowGroupRows
	parquetRowGroupRows = 100
	defer func() { parquetRowGroupRows = old }()

	var out countingWriter
	enc, err := NewEncoder(&out, "parquet")
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for i := range 350 {
		a := &lede.Article{ID: fmt.Sprintf("id%03d", i), URL: fmt.Sprintf("https://example.com/%d", i), Title: "T",
			Text: words(i, 200), WordCount: 200,
			FetchedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
		if i%2 == 0 {
			a.Published = time.Date(2024, 12, 31, 8, 0, 0, 0, time.UTC)
		}
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
		if (i+1)%100 == 0 {
			sizes = append(sizes, out.Len())
		}
	}
	for i := 1; i < len(sizes); i++ {
		if sizes[i] <= sizes[i-1] {
			t.Fatalf("bytes written after each 100 articles: %v: row groups are not written as the export goes", sizes)
		}
	}
	if err := enc.Flush(); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.RowGroups()); n != 4 {
		t.Errorf("%d row groups, want 4 (350 rows, 100 a group)", n)
	}
	if f.NumRows() != 350 {
		t.Errorf("%d rows, want 350", f.NumRows())
	}
	rows, err := parquet.Read[parquetRow](bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Published == nil || !rows[0].Published.Equal(time.Date(2024, 12, 31, 8, 0, 0, 0, time.UTC)) || rows[1].Published != nil {
		t.Errorf("published read back %v, %v: want a timestamp, then null", rows[0].Published, rows[1].Published)
	}
}
