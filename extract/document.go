package extract

import (
	"bytes"
	"fmt"
	"lede"
	"mime"
	"net/http"
	nurl "net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Limits that keep time and memory bounded on huge or hostile pages.
const (
	// MaxPageBytes is the largest page Parse takes (the crawler's default body limit); a
	// longer one is refused with ErrTooLarge, never cut.
	MaxPageBytes = 10 << 20
	// maxElements is the most elements handed to readability; beyond it lede falls back to
	// its own linear paragraph extraction.
	maxElements = 60000
	// maxDepth is the deepest nesting the walkers descend into.
	maxDepth = 400
)

// Option configures Parse and Extract.
type Option func(*config)

type config struct {
	contentType string
	explain     func(rule, text string)
	removed     func(rule, text string)
	dropBlock   func(normalizedText string) bool
}

// WithContentType passes the HTTP Content-Type header, whose charset wins over the page's own.
func WithContentType(ct string) Option { return func(c *config) { c.contentType = ct } }

// WithExplain registers a callback told about every block the chrome stripper removes:
// the rule's name (such as "skip-links" or "text-size") and the block's text, shortened.
// It is meant for debugging a page (lede extract --explain).
func WithExplain(fn func(rule, text string)) Option { return func(c *config) { c.explain = fn } }

// WithRemoved is WithExplain with the whole text of each removal (whitespace collapsed)
// instead of a shortened one, for showing the removals in place among the page's blocks
// (Document.TextBlocks; lede serve's explain view). An element removed whole reports the
// text of all its blocks at once.
func WithRemoved(fn func(rule, text string)) Option { return func(c *config) { c.removed = fn } }

// WithDropBlock registers a predicate asked about every text block of the article (its text
// normalised by lede.NormalizeText) that no generic rule removed and that is not one of the
// article's own paragraphs (same element and container as the paragraph run, see
// blocks_learn.go); blocks for which it returns true are removed under the rule name
// RuleLearnedChrome. It lets a caller remove chrome learned elsewhere, for example blocks seen on
// many pages of the same site (see Document.BlockFingerprints and lede.Fingerprint).
func WithDropBlock(fn func(normalizedText string) bool) Option {
	return func(c *config) { c.dropBlock = fn }
}

// Document is one page, decoded and parsed once. Its links, feeds, canonical URL, language
// and metadata are read at Parse time, so they stay valid after Article mutates the tree.
type Document struct {
	cfg      config
	url      *nurl.URL // the page's address (nil when unknown)
	base     *nurl.URL // <base href> resolved against url, else url
	root     *html.Node
	elements int

	hrefs     []string // raw <a href> values, in document order
	links     []string // hrefs resolved, filtered and deduplicated by Links
	feeds     []string
	canonical string
	meta      pageMeta
	imgTexts  map[string]bool // normalised alt / title texts of the page's images
	stats     pageStats
	body      bodyStats  // the extracted body, measured by Article for Verdict
	mainLinks []pageLink // headline-long links of the page's own content (kind_links.go)
	navLinks  []pageLink // links of its menus
	linkInfo  *linkFacts // mainLinks and navLinks resolved, on first use

	page []byte // the input, kept to parse again when readability misses

	// bodyCandidate is the page's own marked-up article body: the first itemprop=articleBody
	// element (strict), else the page's only <article>.
	bodyCandidate       *html.Node
	bodyCandidateStrict bool
	firstArticle        *html.Node
	// paras are the page's <p> elements, in page order, for finding the prose paragraphs
	// readability left out (see completeSplitBody).
	paras         []*html.Node
	outOfFlowSeen map[*html.Node]bool // completeSplitBody's answers, by element
	// postCands are the page's post containers outside menus and chrome (kind_posts.go);
	// posts is the list they make, found by Article before readability.
	postCands []*html.Node
	posts     postList

	articleDone bool          // Article ran: the tree is mutated
	article     *lede.Article // its outcome
	articleErr  error

	// counted is the text textWords counted last, countedWords its count.
	counted      string
	countedWords int
}

// textWords is lede.WordCount(text), remembered for the last text: the steps of Article
// count the article's text in turn, most often the same one.
func (d *Document) textWords(text string) int {
	if text != d.counted {
		d.counted, d.countedWords = text, lede.WordCount(text)
	}
	return d.countedWords
}

// Parse decodes page (charset sniffing, HTML5 order) and parses it once. pageURL is the
// address the page was fetched from; relative links resolve against it (or <base href>).
// It returns ErrNotHTML when the bytes are not an HTML document. A page nested deeper than
// the HTML parser accepts (hundreds of unclosed <font> tags) is parsed with the excess
// nesting flattened, its text kept (see parseHTML).
func Parse(page []byte, pageURL string, opts ...Option) (*Document, error) {
	d := &Document{}
	for _, o := range opts {
		o(&d.cfg)
	}
	if len(page) > MaxPageBytes {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", len(page), MaxPageBytes, ErrTooLarge)
	}
	if err := checkHTML(page, d.cfg.contentType); err != nil {
		return nil, err
	}
	if pageURL != "" {
		u, err := nurl.Parse(pageURL)
		if err != nil {
			return nil, fmt.Errorf("page URL %q: %w", pageURL, err)
		}
		d.url = u
	}
	root, err := parseHTML(page, d.cfg.contentType)
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %w", err)
	}
	d.root, d.page = root, page
	d.base = d.url
	d.scan()
	return d, nil
}

// checkHTML rejects inputs that are plainly not HTML: a non-HTML Content-Type, binary data,
// or text without a single tag.
func checkHTML(page []byte, contentType string) error {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err == nil && mt != "text/html" && mt != "application/xhtml+xml" &&
			mt != "text/plain" && mt != "application/octet-stream" && !strings.HasSuffix(mt, "xml") {
			return fmt.Errorf("%w (Content-Type %s)", ErrNotHTML, mt)
		}
	}
	head := page
	if len(head) > 1024 {
		head = head[:1024]
	}
	if len(bytes.TrimSpace(page)) == 0 {
		return fmt.Errorf("%w (empty input)", ErrNotHTML)
	}
	sniffed := http.DetectContentType(head)
	if strings.HasPrefix(sniffed, "text/html") || strings.HasPrefix(sniffed, "text/xml") {
		return nil
	}
	if !strings.HasPrefix(sniffed, "text/") && sniffed != "application/octet-stream" {
		return fmt.Errorf("%w (looks like %s)", ErrNotHTML, sniffed)
	}
	if bytes.IndexByte(head, 0) >= 0 && !utf16BOM(head) {
		return fmt.Errorf("%w (binary data)", ErrNotHTML)
	}
	probe := page
	if len(probe) > 64<<10 {
		probe = probe[:64<<10]
	}
	lower := bytes.ToLower(probe)
	for _, tag := range []string{"<html", "<body", "<head", "<p", "<div", "<article", "<title", "<meta", "<!doctype", "<h1", "<span", "<a "} {
		if bytes.Contains(lower, []byte(tag)) {
			return nil
		}
	}
	if utf16BOM(head) {
		return nil
	}
	return fmt.Errorf("%w (no HTML tags)", ErrNotHTML)
}

func utf16BOM(b []byte) bool {
	return len(b) >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE))
}

// scan walks the freshly parsed tree once and records everything that must survive
// Article's mutation: links, feeds, canonical URL, metadata and the statistics Kind uses.
func (d *Document) scan() {
	var hrefs []string
	var walk func(n *html.Node, depth int, inLink, inBody bool, region linkRegion)
	walk = func(n *html.Node, depth int, inLink, inBody bool, region linkRegion) {
		if depth > maxDepth {
			return
		}
		switch n.Type {
		case html.ElementNode:
			d.elements++
			if inBody && region != regionNav {
				region = max(region, regionOf(n))
			}
			var descend bool
			if inLink, inBody, descend = d.scanElement(n, &hrefs, inLink, inBody, region); !descend {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1, inLink, inBody, region)
		}
	}
	walk(d.root, 0, false, false, regionMain)
	if d.bodyCandidate == nil && d.stats.articles == 1 {
		d.bodyCandidate = d.firstArticle
	}
	d.hrefs = hrefs
	d.resolveFeeds()
	d.resolveCanonical()
	d.meta.parseJSONLD()
}

// scanElement reads what element n tells (links, metadata, counts, candidates) for scan, and
// returns inLink and inBody for its children; descend false skips them (title, script, style).
func (d *Document) scanElement(n *html.Node, hrefs *[]string, inLink, inBody bool, region linkRegion) (childInLink, childInBody, descend bool) {
	switch n.DataAtom {
	case atom.Base:
		if href := attr(n, "href"); href != "" && d.base == d.url {
			if b := resolve(d.url, href); b != nil {
				d.base = b
			}
		}
	case atom.A:
		if href := strings.TrimSpace(attr(n, "href")); href != "" {
			*hrefs = append(*hrefs, href)
			if inBody && !inLink {
				d.notePageLink(n, href, region)
			}
		}
		inLink = true
	case atom.Link:
		d.meta.readLink(n)
	case atom.Meta:
		d.meta.readMeta(n)
	case atom.Html:
		if l := attr(n, "lang"); l != "" {
			d.meta.htmlLang = l
		} else if l := attr(n, "xml:lang"); l != "" {
			d.meta.htmlLang = l
		}
	case atom.Title:
		if d.meta.docTitle == "" && !inBody {
			d.meta.docTitle = collapsedText(n)
		}
		return inLink, inBody, false
	case atom.Script:
		if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
			d.meta.jsonLD = append(d.meta.jsonLD, textOf(n))
		}
		return inLink, inBody, false
	case atom.Style, atom.Noscript, atom.Template, atom.Svg:
		return inLink, inBody, false
	case atom.Body:
		inBody = true
	case atom.Article:
		d.stats.articles++
		if region == regionMain {
			d.stats.mainArticles++
		}
		if d.firstArticle == nil {
			d.firstArticle = n
		}
	case atom.H1:
		d.stats.h1++
		if d.meta.h1 == "" {
			d.meta.h1 = collapsedText(n)
		}
	case atom.Time:
		d.meta.readTime(n)
	case atom.Img:
		for _, k := range []string{"alt", "title"} {
			if t := imgText(n, k); t != "" {
				if d.imgTexts == nil {
					d.imgTexts = map[string]bool{}
				}
				d.imgTexts[t] = true
			}
		}
	case atom.P:
		d.paras = append(d.paras, n) // weighed only when needed (completeSplitBody)
	}
	if inBody && region == regionMain && isPostContainer(n) {
		d.postCands = append(d.postCands, n)
	}
	if ip := attr(n, "itemprop"); ip != "" {
		d.meta.readItemprop(n, ip)
		if d.bodyCandidate == nil && strings.EqualFold(strings.TrimSpace(ip), "articleBody") {
			d.bodyCandidate, d.bodyCandidateStrict = n, true
		}
	}
	return inLink, inBody, true
}

// resolveFeeds sets the page's feed URLs: the <link rel=alternate> feeds, absolute, once each.
func (d *Document) resolveFeeds() {
	seenFeed := map[string]bool{}
	for _, h := range d.meta.feedHrefs {
		if u := resolve(d.base, h); u != nil && (u.Scheme == "http" || u.Scheme == "https") {
			if s := u.String(); !seenFeed[s] {
				seenFeed[s] = true
				d.feeds = append(d.feeds, s)
			}
		}
	}
}

// resolveCanonical sets the page's canonical URL: <link rel=canonical>, else og:url, absolute.
func (d *Document) resolveCanonical() {
	for _, c := range []string{d.meta.canonical, d.meta.ogURL} {
		if c == "" {
			continue
		}
		if u := resolve(d.base, c); u != nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			d.canonical = u.String()
			return
		}
	}
}

// resolve parses ref and resolves it against base (when known); nil when ref is malformed.
func resolve(base *nurl.URL, ref string) *nurl.URL {
	ref = strings.TrimSpace(ref)
	u, err := nurl.Parse(ref)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u
}

// Links returns the absolute http(s) URLs of the page's <a href> links, in document order,
// without fragments and duplicates. Valid before and after Article.
func (d *Document) Links() []string {
	if d.links == nil && d.hrefs != nil {
		// Resolved on first use: extraction alone never pays for it.
		seen := map[string]bool{}
		d.links = []string{}
		for _, h := range d.hrefs {
			u := resolve(d.base, h)
			if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				continue
			}
			u.Fragment, u.RawFragment = "", ""
			if s := u.String(); !seen[s] {
				seen[s] = true
				d.links = append(d.links, s)
			}
		}
	}
	return d.links
}

// Feeds returns the absolute URLs of RSS/Atom/JSON feeds announced by <link rel=alternate>.
func (d *Document) Feeds() []string { return d.feeds }

// Canonical returns the page's rel=canonical (else og:url) as an absolute URL, or "".
func (d *Document) Canonical() string { return d.canonical }

// Lang returns the page's declared language (html lang, content-language meta, og:locale,
// JSON-LD inLanguage) as a BCP 47 tag, or "".
func (d *Document) Lang() string { return d.meta.declaredLang() }

// Extract is Parse followed by Article.
func Extract(page []byte, pageURL string, opts ...Option) (*lede.Article, error) {
	d, err := Parse(page, pageURL, opts...)
	if err != nil {
		return nil, err
	}
	return d.Article()
}

// proseWeight is the weight (textWeight) of n's text outside links, without building the
// string.
func proseWeight(n *html.Node, depth int) int {
	if depth > maxDepth {
		return 0
	}
	if n.Type == html.TextNode {
		return textWeight(n.Data)
	}
	if n.Type == html.ElementNode && (n.DataAtom == atom.A || n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
		return 0
	}
	total := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		total += proseWeight(c, depth+1)
	}
	return total
}
