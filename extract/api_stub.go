package extract

// CONTRACT STUBS: the extract helper replaces this file with the real implementation.
// Signatures are shared with the crawler and cmd packages: change them only in agreement.

import "errors"

// Option configures Parse and Extract.
type Option func(*config)

type config struct {
	contentType string
}

// WithContentType passes the HTTP Content-Type header, whose charset wins over the page's own.
func WithContentType(ct string) Option { return func(c *config) { c.contentType = ct } }

// Document is one page, decoded and parsed once.
type Document struct{}

var errTODO = errors.New("extract: not implemented yet")

// Parse decodes page (charset sniffing, HTML5 order) and parses it once. pageURL is the
// address the page was fetched from; relative links resolve against it (or <base href>).
func Parse(page []byte, pageURL string, opts ...Option) (*Document, error) { return nil, errTODO }

// Links returns the absolute http(s) URLs of the page's <a href> links, in document order,
// without fragments and duplicates. Valid before and after Article.
func (d *Document) Links() []string { return nil }

// Feeds returns the absolute URLs of RSS/Atom/JSON feeds announced by <link rel=alternate>.
func (d *Document) Feeds() []string { return nil }

// Canonical returns the page's rel=canonical (else og:url) as an absolute URL, or "".
func (d *Document) Canonical() string { return "" }

// Lang returns the page's declared language (html lang, content-language meta), or "".
func (d *Document) Lang() string { return "" }

// Kind classifies the page as "article" or "hub" (section front, tag page, listing, home),
// with a short reason such as "og:type=article" or "link density 0.82".
func (d *Document) Kind() (kind, reason string) { return "", "" }

// Article runs readability and lede's chrome stripping on the document (it mutates the DOM:
// call it once) and returns the clean article. ErrNoArticle when the page holds none.
func (d *Document) Article() (*Article, error) { return nil, errTODO }

// Extract is Parse followed by Article.
func Extract(page []byte, pageURL string, opts ...Option) (*Article, error) {
	d, err := Parse(page, pageURL, opts...)
	if err != nil {
		return nil, err
	}
	return d.Article()
}
