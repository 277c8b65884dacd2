package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"lede"
	"os"
	"strings"
	"time"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"
	"github.com/spf13/cobra"

	"lede/crawler"
	"lede/extract"
	"lede/store"
)

func init() { addCommand(newExtractCmd) }

// extractMaxBytes bounds a file or stdin source, as the crawl bounds a page (URL sources are
// fetched as the crawl fetches, crawler.FetchPage): larger pages are refused, never cut.
const extractMaxBytes = extract.MaxPageBytes

// extractFormats are the output formats of lede extract.
var extractFormats = []string{"text", "markdown", "html", "json"}

type extractOptions struct {
	pageURL string
	format  string
	explain bool
	save    bool
	dbPath  *string
	chrome  *chromeLookup // learned chrome from the store (reclean.go)
}

func newExtractCmd() *cobra.Command {
	o := &extractOptions{}
	cmd := &cobra.Command{
		Use:   "extract [--url URL] [--format text|markdown|html|json] SOURCE...",
		Short: "Print the clean article of web pages, saved files or stdin",
		Long: `Extract reads each SOURCE, finds its article and strips the page chrome (skip links,
text-size selectors, share bars, repeated captions, related and "read also" boxes, prompts).

A SOURCE is an http(s) URL (fetched with the crawl's limits: lede's User-Agent, a 30 s
timeout, at most 5 redirects and 10 MiB), a file (plain or gzip-compressed HTML), or - for stdin. --url gives
the page's address for a file or stdin, so that links resolve and the site is known.

Formats: text (title, blank line, body), markdown, html (the cleaned article HTML) and json
(one object per source with the keys url, canonical_url, site, site_name, title, byline,
published, modified, lang, description, image, text, word_count, kind, kind_reason; one line
per source). kind is what a crawl would make of the page: article (stored), hub (a front:
section, topic, tag page, listing), media (a video, gallery, podcast or recipe page without a
body of prose) or not-found (a soft 404); kind_reason gives the score and the signals that
decided. For the other formats a page a crawl would not store gets a note on stderr.

With --save, each article is also kept in the store (--db), like a crawled one: deduplicated,
with its raw page. A file or stdin source needs --url to be saved.

When the store (--db) exists and has learned the page's site chrome from a crawl, that
chrome is removed too (--explain reports it as learned-chrome); a missing or locked store
only means extracting without it.

A source that cannot be read, is not HTML or holds no article gets one line on stderr; the
others still go through and lede exits 1. Usage errors exit 2.`,
		Example: `  lede extract https://example.com/news/2024/03/05/story.html
  lede extract --format json page.html other.html.gz
  curl -s https://example.com/a | lede extract --url https://example.com/a -
  lede extract --explain saved.html
  lede extract --save --db news.db https://example.com/news/story.html`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd.Context(), o, args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.pageURL, "url", "", "the page's address, for a file or stdin source")
	f.StringVar(&o.format, "format", "text", "output format: "+strings.Join(extractFormats, ", "))
	f.BoolVar(&o.explain, "explain", false, "report on stderr every block removed as chrome, and by which rule")
	f.BoolVar(&o.save, "save", false, "also keep each article in the store (--db)")
	o.dbPath = addDBFlag(cmd)
	return cmd
}

func runExtract(ctx context.Context, o *extractOptions, sources []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if !containsString(extractFormats, o.format) {
		return withCode(exitUsage, fmt.Errorf("unknown --format %q: use one of %s", o.format, strings.Join(extractFormats, ", ")))
	}
	local := 0
	for _, s := range sources {
		if !isHTTPURL(s) {
			local++
		}
	}
	if o.pageURL != "" && local > 1 {
		return withCode(exitUsage, errors.New("--url names one page: give at most one file or stdin source with it"))
	}
	if o.pageURL != "" && !isHTTPURL(o.pageURL) {
		return withCode(exitUsage, fmt.Errorf("--url %q is not an http(s) URL", o.pageURL))
	}
	if o.save && o.pageURL == "" && local > 0 {
		return withCode(exitUsage, errors.New("--save needs --url for a file or stdin source: the store keys articles by their address"))
	}
	var db *store.DB
	if o.save {
		var err error
		if db, err = openDB(*o.dbPath); err != nil {
			return err
		}
		defer db.Close()
	}
	if o.dbPath != nil {
		o.chrome = &chromeLookup{path: *o.dbPath, db: db, warn: stderr}
		defer o.chrome.close()
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	failed, printed := 0, 0
	for _, src := range sources {
		a, v, page, err := extractSource(ctx, o, src, stdin, stderr)
		if err == nil && db != nil {
			err = saveArticle(ctx, db, a, page, stderr)
		}
		if errors.Is(err, store.ErrCorrupt) {
			return fmt.Errorf("extract %s: %w", src, err) // every later save would fail the same way
		}
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "lede: extract %s: %v\n", src, err)
			continue
		}
		if v.Kind != lede.KindArticle && o.format != "json" {
			// A crawl would not store it; the text is printed all the same.
			fmt.Fprintf(stderr, "lede: %s: a crawl would not store this page: %s (%s)\n", src, v.Kind, v.Reason())
		}
		if err := writeArticle(out, o.format, a, v, printed > 0); err != nil {
			return fmt.Errorf("write %s: %w", src, err)
		}
		printed++
		if err := out.Flush(); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	if failed > 0 {
		return withCode(exitFailed, nil)
	}
	return nil
}

// saveArticle keeps a in the store with its raw page and says on stderr what became of it.
func saveArticle(ctx context.Context, db *store.DB, a *lede.Article, page []byte, stderr io.Writer) error {
	sa := *a // the store fills in its ID and hashes: what lede extract prints stays as extracted
	sa.FetchedAt = time.Now().UTC()
	res, err := db.PutArticle(ctx, &sa, page)
	if err != nil {
		return fmt.Errorf("save to %s: %w", db.Path(), err)
	}
	fmt.Fprintf(stderr, "lede: saved %s as %s (%s)\n", a.URL, sa.ID, res)
	return nil
}

// extractSource reads one source and extracts its article, decided as a crawl would (see
// crawler.Decide: no provenance, the store's learned URL templates when it has them); it
// also returns the raw page.
func extractSource(ctx context.Context, o *extractOptions, src string, stdin io.Reader, stderr io.Writer) (*lede.Article, extract.Verdict, []byte, error) {
	var (
		page        []byte
		contentType string
		pageURL     = o.pageURL
		err         error
	)
	switch {
	case isHTTPURL(src):
		page, contentType, pageURL, err = fetchPage(ctx, src)
	case src == "-":
		page, err = readPage(stdin)
	default:
		var f *os.File
		if f, err = os.Open(src); err == nil {
			page, err = readPage(f)
			f.Close()
		}
	}
	if err != nil {
		return nil, extract.Verdict{}, nil, err
	}
	opts := append([]extract.Option{extract.WithContentType(contentType)}, o.chrome.options(ctx, pageURL)...)
	if o.explain {
		opts = append(opts, extract.WithExplain(func(rule, text string) {
			fmt.Fprintf(stderr, "explain %s: removed by %s: %s\n", src, rule, text)
		}))
	}
	doc, err := extract.Parse(page, pageURL, opts...)
	if err != nil {
		return nil, extract.Verdict{}, nil, err
	}
	a, err := doc.Article()
	if err != nil {
		return nil, extract.Verdict{}, nil, err
	}
	return a, crawler.Decide(doc, pageURL, crawler.Signals{Templates: o.chrome.templates(ctx, pageURL)}), page, nil
}

// readPage reads at most extractMaxBytes of a file or stdin, gunzipping gzip data (told
// apart by its magic bytes, not by a file name).
func readPage(r io.Reader) ([]byte, error) {
	z, err := crawler.Gunzipped(r)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	return readCapped(z)
}

func readCapped(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, extractMaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > extractMaxBytes {
		return nil, fmt.Errorf("page larger than %d MiB", extractMaxBytes>>20)
	}
	return b, nil
}

// fetchPage GETs rawURL as the crawl fetches a page (same User-Agent, timeout, redirects,
// size limit and charset handling) and returns the body, its Content-Type and the final URL.
// A body that is gzip data without saying so is gunzipped, as a saved page is.
func fetchPage(ctx context.Context, rawURL string) (page []byte, contentType, finalURL string, err error) {
	p, err := crawler.FetchPage(ctx, rawURL)
	if err != nil {
		return nil, "", "", err
	}
	if page, err = readPage(bytes.NewReader(p.Body)); err != nil {
		return nil, "", "", fmt.Errorf("read body: %w", err)
	}
	return page, p.ContentType, p.URL, nil
}

// writeArticle prints a in format, and for json the verdict v; sep puts a blank line before
// a text article that follows another.
func writeArticle(w io.Writer, format string, a *lede.Article, v extract.Verdict, sep bool) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			*lede.Article
			Kind       lede.Kind `json:"kind"`
			KindReason string    `json:"kind_reason"`
		}{a, v.Kind, v.Reason()})
	case "html":
		_, err := fmt.Fprintln(w, a.HTML)
		return err
	case "markdown":
		md, err := htmltomarkdown.ConvertString(a.HTML)
		if err != nil {
			return fmt.Errorf("markdown: %w", err)
		}
		if sep {
			fmt.Fprintln(w)
		}
		_, err = fmt.Fprintf(w, "# %s\n\n%s\n", a.Title, strings.TrimSpace(md))
		return err
	default:
		if sep {
			fmt.Fprintln(w)
		}
		_, err := fmt.Fprintf(w, "%s\n\n%s\n", a.Title, a.Text)
		return err
	}
}

func isHTTPURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
