package store

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"lede"
	"strconv"
	"strings"
	"time"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"
	"go.yaml.in/yaml/v3"
)

// Formats are the corpus export formats, in the order `lede export --help` lists them.
var Formats = []string{"jsonl", "csv", "text", "markdown", "parquet"}

// ErrUnknownFormat is returned by NewEncoder for a format not in Formats.
var ErrUnknownFormat = errors.New("unknown export format")

// Encoder writes articles in one export format. Call Flush once at the end.
type Encoder interface {
	Encode(a *lede.Article) error
	Flush() error
}

// NewEncoder returns an encoder writing format to w:
//
//   - jsonl: one JSON object per line with the keys of `lede extract --format json` plus id,
//     fetched_at and content_hash;
//   - csv: a header row, then one row per article (text last; newlines kept inside quotes);
//   - text: one block per article, a line of "=" then "key: value" lines, a blank line and the text;
//   - markdown: one document per article: YAML front matter between "---" lines, the title as a
//     heading, the body converted from the stored HTML (else the plain text);
//   - parquet: a Parquet file with the jsonl columns, typed (published, modified and
//     fetched_at timestamps, word_count an integer, empty values null), zstd-compressed,
//     written one row group at a time as the export streams (export_parquet.go).
func NewEncoder(w io.Writer, format string) (Encoder, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch strings.ToLower(format) {
	case "jsonl", "json":
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &jsonlEncoder{bw: bw, enc: enc}, nil
	case "csv":
		return &csvEncoder{bw: bw, w: csv.NewWriter(bw)}, nil
	case "text", "txt":
		return &textEncoder{bw: bw}, nil
	case "markdown", "md":
		return &markdownEncoder{bw: bw}, nil
	case "parquet":
		return newParquetEncoder(bw, bw), nil
	}
	return nil, fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, format, strings.Join(Formats, ", "))
}

// Export writes the articles matching f to w in format and returns how many it wrote.
func (db *DB) Export(ctx context.Context, f Filter, w io.Writer, format string) (int, error) {
	enc, err := NewEncoder(w, format)
	if err != nil {
		return 0, err
	}
	n := 0
	err = db.Articles(ctx, f, func(a *lede.Article) error {
		if err := enc.Encode(a); err != nil {
			return fmt.Errorf("write article %s: %w", a.ID, err)
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := enc.Flush(); err != nil {
		return n, fmt.Errorf("write %s export: %w", format, err)
	}
	return n, nil
}

type jsonlEncoder struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func (e *jsonlEncoder) Encode(a *lede.Article) error { return e.enc.Encode(a) }
func (e *jsonlEncoder) Flush() error                 { return e.bw.Flush() }

// CSVHeader is the header row of the csv export.
var CSVHeader = []string{"id", "url", "canonical_url", "site", "site_name", "title", "byline", "published",
	"modified", "lang", "description", "image", "word_count", "fetched_at", "content_hash", "text"}

type csvEncoder struct {
	bw     *bufio.Writer
	w      *csv.Writer
	header bool
}

func (e *csvEncoder) Encode(a *lede.Article) error {
	if !e.header {
		e.header = true
		if err := e.w.Write(CSVHeader); err != nil {
			return err
		}
	}
	return e.w.Write([]string{a.ID, a.URL, a.CanonicalURL, a.Site, a.SiteName, a.Title, a.Byline,
		formatTime(a.Published), formatTime(a.Modified), a.Lang, a.Description, a.Image,
		strconv.Itoa(a.WordCount), formatTime(a.FetchedAt), a.ContentHash, a.Text})
}

func (e *csvEncoder) Flush() error {
	if !e.header { // an empty export still has its header, so that it parses back
		e.header = true
		if err := e.w.Write(CSVHeader); err != nil {
			return err
		}
	}
	e.w.Flush()
	if err := e.w.Error(); err != nil {
		return err
	}
	return e.bw.Flush()
}

// textSeparator starts every article of the text export.
const textSeparator = "=================================================================="

type textEncoder struct{ bw *bufio.Writer }

func (e *textEncoder) Encode(a *lede.Article) error {
	fmt.Fprintln(e.bw, textSeparator)
	for _, kv := range [][2]string{{"id", a.ID}, {"url", a.URL}, {"title", a.Title}, {"byline", a.Byline},
		{"site", a.Site}, {"lang", a.Lang}, {"published", formatTime(a.Published)}} {
		if kv[1] != "" {
			fmt.Fprintf(e.bw, "%s: %s\n", kv[0], oneLine(kv[1]))
		}
	}
	e.bw.WriteString("\n")
	e.bw.WriteString(strings.TrimSpace(a.Text))
	_, err := e.bw.WriteString("\n\n")
	return err
}

func (e *textEncoder) Flush() error { return e.bw.Flush() }

type markdownEncoder struct{ bw *bufio.Writer }

// frontMatter is the YAML head of a markdown document.
type frontMatter struct {
	Title       string   `yaml:"title"`
	ID          string   `yaml:"id"`
	URL         string   `yaml:"url"`
	Canonical   string   `yaml:"canonical_url,omitempty"`
	Site        string   `yaml:"site,omitempty"`
	SiteName    string   `yaml:"site_name,omitempty"`
	Byline      string   `yaml:"byline,omitempty"`
	Published   string   `yaml:"published,omitempty"`
	Modified    string   `yaml:"modified,omitempty"`
	Lang        string   `yaml:"lang,omitempty"`
	Description string   `yaml:"description,omitempty"`
	Image       string   `yaml:"image,omitempty"`
	WordCount   int      `yaml:"word_count"`
	FetchedAt   string   `yaml:"fetched_at"`
	ContentHash string   `yaml:"content_hash"`
	Aliases     []string `yaml:"aliases,omitempty"`
}

func (e *markdownEncoder) Encode(a *lede.Article) error {
	head, err := yaml.Marshal(frontMatter{
		Title: a.Title, ID: a.ID, URL: a.URL, Canonical: a.CanonicalURL, Site: a.Site, SiteName: a.SiteName,
		Byline: a.Byline, Published: formatTime(a.Published), Modified: formatTime(a.Modified), Lang: a.Lang,
		Description: a.Description, Image: a.Image, WordCount: a.WordCount, FetchedAt: formatTime(a.FetchedAt),
		ContentHash: a.ContentHash, Aliases: a.Aliases,
	})
	if err != nil {
		return fmt.Errorf("front matter of %s: %w", a.ID, err)
	}
	body := ""
	if a.HTML != "" {
		if md, err := htmltomarkdown.ConvertString(a.HTML); err == nil {
			body = strings.TrimSpace(md)
		}
	}
	if body == "" {
		body = strings.TrimSpace(a.Text)
	}
	e.bw.WriteString("---\n")
	e.bw.Write(head)
	e.bw.WriteString("---\n\n")
	if a.Title != "" {
		fmt.Fprintf(e.bw, "# %s\n\n", oneLine(a.Title))
	}
	e.bw.WriteString(body)
	_, err = e.bw.WriteString("\n\n")
	return err
}

func (e *markdownEncoder) Flush() error { return e.bw.Flush() }

// formatTime renders t as RFC 3339 in UTC, or "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// oneLine collapses whitespace runs (newlines included) to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
