package store

import (
	"fmt"
	"io"
	"lede"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// parquetRow is one article in a Parquet export: the jsonl columns, in their order, with
// types a data frame wants (timestamps, an integer word count). Empty optional values are
// nulls.
type parquetRow struct {
	ID           string     `parquet:"id"`
	URL          string     `parquet:"url"`
	CanonicalURL *string    `parquet:"canonical_url,optional"`
	Site         *string    `parquet:"site,optional"`
	SiteName     *string    `parquet:"site_name,optional"`
	Title        string     `parquet:"title"`
	Byline       *string    `parquet:"byline,optional"`
	Published    *time.Time `parquet:"published,optional,timestamp(millisecond:utc)"`
	Modified     *time.Time `parquet:"modified,optional,timestamp(millisecond:utc)"`
	Lang         *string    `parquet:"lang,optional"`
	Description  *string    `parquet:"description,optional"`
	Image        *string    `parquet:"image,optional"`
	Text         string     `parquet:"text"`
	WordCount    int64      `parquet:"word_count"`
	FetchedAt    time.Time  `parquet:"fetched_at,timestamp(millisecond:utc)"`
	ContentHash  string     `parquet:"content_hash"`
}

// parquetRowGroupRows is how many articles a row group holds: the encoder keeps one row
// group in memory (a few MB of text for news articles) and writes it out when full, so an
// export's memory does not grow with the corpus.
var parquetRowGroupRows = 2000

// parquetEncoder writes a Parquet file, zstd-compressed, one row group per
// parquetRowGroupRows articles. The file is complete only after Flush (its footer).
type parquetEncoder struct {
	w    *parquet.GenericWriter[parquetRow]
	out  interface{ Flush() error }
	rows int
	buf  []parquetRow
}

func newParquetEncoder(w io.Writer, out interface{ Flush() error }) *parquetEncoder {
	pw := parquet.NewGenericWriter[parquetRow](w,
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedDefault}),
		parquet.CreatedBy("lede", "", ""),
	)
	return &parquetEncoder{w: pw, out: out, buf: make([]parquetRow, 0, 64)}
}

// Encode adds one article to the current row group.
func (e *parquetEncoder) Encode(a *lede.Article) error {
	e.buf = append(e.buf, parquetRow{
		ID: a.ID, URL: a.URL, CanonicalURL: optional(a.CanonicalURL), Site: optional(a.Site),
		SiteName: optional(a.SiteName), Title: a.Title, Byline: optional(a.Byline),
		Published: optionalTime(a.Published), Modified: optionalTime(a.Modified),
		Lang: optional(a.Lang), Description: optional(a.Description), Image: optional(a.Image),
		Text: a.Text, WordCount: int64(a.WordCount), FetchedAt: a.FetchedAt.UTC(), ContentHash: a.ContentHash,
	})
	switch {
	case e.rows+len(e.buf) >= parquetRowGroupRows:
		if err := e.write(); err != nil {
			return err
		}
		e.rows = 0
		if err := e.w.Flush(); err != nil { // ends the row group: it is written out now
			return fmt.Errorf("parquet row group: %w", err)
		}
	case len(e.buf) == cap(e.buf):
		return e.write()
	}
	return nil
}

// write hands the buffered rows to the Parquet writer.
func (e *parquetEncoder) write() error {
	if len(e.buf) == 0 {
		return nil
	}
	if _, err := e.w.Write(e.buf); err != nil {
		return fmt.Errorf("parquet rows: %w", err)
	}
	e.rows += len(e.buf)
	clear(e.buf) // drop the texts now written
	e.buf = e.buf[:0]
	return nil
}

// Flush writes the last row group and the file footer.
func (e *parquetEncoder) Flush() error {
	if err := e.write(); err != nil {
		return err
	}
	if err := e.w.Close(); err != nil {
		return fmt.Errorf("parquet footer: %w", err)
	}
	return e.out.Flush()
}

// optional is s as a Parquet optional value: nil (null) when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// optionalTime is t as a Parquet optional timestamp: nil (null) when zero.
func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}
