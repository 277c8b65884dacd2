package extract

import (
	"lede"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cleaner strips page chrome from the article readability found. It works in two passes:
// elements first (structural cues: roles, tags, class names, skip links), then the text
// blocks of what is left, in document order (multilingual cue phrases, link density,
// repetition, and the page's own metadata).
type cleaner struct {
	cfg  *config
	root *html.Node // the article being cleaned
	host string     // the page's host without "www.", for telling own links from others
	// foundByline is an author named only in a removed "By ..." line; foundPublished and
	// foundModified are dates read from removed datelines.
	foundByline                   string
	foundPublished, foundModified time.Time
	title                         string // normalised headline
	byline                        []string
	imgTexts                      map[string]bool // normalised alt / title texts of the article's images
	longAlts                      []string        // those of six words or more, for captions that extend them
	removed                       int
	blockCount                    int // the number of blocks of the article
	seenBlock                     map[string]*block
	flow                          textFlow // the article's paragraph run, guarding it from learned chrome (see flowFor)
	flowBlocks                    []*block // the blocks flow is found among, until it is
}

// drop removes nodes and reports the removal to the explain callback.
func (c *cleaner) drop(rule, text string, nodes ...*html.Node) {
	for _, n := range nodes {
		removeNode(n)
	}
	c.removed++
	if c.cfg.explain == nil && c.cfg.removed == nil {
		return
	}
	text = collapse(text)
	if c.cfg.explain != nil {
		c.cfg.explain(rule, shorten(text, 100))
	}
	if c.cfg.removed != nil {
		c.cfg.removed(rule, text)
	}
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Class and id cues of chrome containers. Class names are cut into lower-case tokens at
// every non-letter ("most-read__list" → most, read, list); a cue matches a token or two
// adjacent tokens run together ("mostread").
var (
	shareCues = newCueSet("share", "shares", "sharing", "sharebar", "sharetools", "social", "socials",
		"socialshare", "print", "toolbar", "tools", "addthis", "sharethis")
	chromeCues = newCueSet("related", "relatedarticles", "relatedposts", "relatedstories",
		"relatedcontent", "relatedlinks", "morestories", "mostread", "mostpopular", "mostviewed",
		"popular", "recommended", "recommendations", "readalso", "readmore", "readnext", "seealso",
		"teaser", "teasers", "trending", "outbrain", "taboola", "carousel", "swiper", "slider",
		"slick", "rail", "newsletter", "subscribe", "subscription", "signup", "cookie", "cookies",
		"consent", "gdpr", "promo", "advert", "advertisement", "ads", "ad", "banner", "breadcrumb",
		"breadcrumbs", "tags", "taglist", "keywords", "topics", "authorbio", "byline", "dateline",
		"timestamp", "published", "postmeta", "entrymeta", "articlemeta", "metadata", "fontsize",
		"textsize", "resize", "skip", "skiplink", "skiplinks", "sronly", "screenreader",
		"visuallyhidden", "comment", "comments", "pagination", "pager", "nav", "navigation", "menu",
		"sidebar", "widget", "footer", "copyright", "legend")
)

// cleanElements removes chrome elements identified by structure.
func (c *cleaner) cleanElements(root *html.Node) {
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for ch := n.FirstChild; ch != nil; {
			next := ch.NextSibling
			if ch.Type == html.ElementNode {
				if after, fixed := fixDropCap(ch); fixed {
					ch = after
					continue
				}
				if rule := c.elementRule(ch); rule != "" {
					c.drop(rule, textOf(ch), ch)
				} else {
					walk(ch, depth+1)
				}
			}
			ch = next
		}
	}
	walk(root, 0)
}

// elementRule names the rule that removes element n, or returns "".
func (c *cleaner) elementRule(n *html.Node) string {
	switch n.DataAtom {
	case atom.Nav, atom.Button, atom.Select, atom.Input, atom.Textarea, atom.Dialog, atom.Menu:
		return "navigation"
	case atom.Form:
		return "form"
	case atom.Figcaption:
		return "caption"
	}
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
		return "hidden"
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "banner", "contentinfo", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar":
		return "navigation"
	}
	if n.DataAtom == atom.Span && isInlineCard(n) && !hasInlineCardBelow(n) {
		return "inline-card"
	}
	cid := classID(n)
	captionCue := strings.Contains(cid, "caption") || strings.Contains(cid, "credit")
	var bits uint64
	if cid != "" {
		bits = cueBits(cid)
	}
	shareCue := bits&shareCues.cueBit != 0
	chromeCue := ""
	if bits&chromeCues.cueBit != 0 {
		chromeCue = matchCue(cid, chromeCues) // the cue, for the rule's name
	}
	fragmentLinks := n.DataAtom != atom.A && skipLinksOnly(n)
	if !captionCue && !shareCue && chromeCue == "" && !fragmentLinks {
		if cid != "" {
			return authorBoxRule(n, cid)
		}
		return ""
	}
	text := collapsedText(n)
	words := lede.WordCount(text)
	switch {
	case fragmentLinks && words > 0 && words <= 16 && lede.WordCount(textOutsideLinks(n)) <= 3:
		// A box of links to this page's own fragments: skip links, a table of contents.
		return "skip-links"
	case captionCue && words <= 60 && !hasBlockOfLength(n, 400):
		return "caption"
	case shareCue && words <= 30:
		return "share"
	case chromeCue != "" && (words <= 25 || linkDensity(n) >= 0.5) && !hasBlockOfLength(n, 250):
		if screenReaderCues.has(chromeCue) && opensParagraph(n) {
			return "" // the first word of a paragraph whose drop cap was hidden from screen readers
		}
		return "class:" + chromeCue
	}
	return ""
}

// isInlineCard reports whether span n is a pop-up card hidden in running text: a picture
// and two or more links (a person's other stories) inside a paragraph.
func isInlineCard(n *html.Node) bool {
	inPara := false
	for p := n.Parent; p != nil && !inPara; p = p.Parent {
		inPara = p.Type == html.ElementNode && (p.DataAtom == atom.P || p.DataAtom == atom.Li)
	}
	if !inPara || !containsImg(n) {
		return false
	}
	links := 0
	var count func(*html.Node, int)
	count = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			links++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			count(c, depth+1)
		}
	}
	count(n, 0)
	return links >= 2 && linkDensity(n) >= 0.8
}

// hasInlineCardBelow reports whether a span inside n is itself an inline card: the
// innermost one goes, so that a name wrapped with its card stays in the sentence.
func hasInlineCardBelow(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && ((c.DataAtom == atom.Span && isInlineCard(c)) || hasInlineCardBelow(c)) {
			return true
		}
	}
	return false
}

// hasBlockOfLength reports whether n holds a paragraph-like text run of at least chars
// characters outside links: a sign of article text rather than furniture.
func hasBlockOfLength(n *html.Node, chars int) bool {
	found := false
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if found || depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.P || n.DataAtom == atom.Blockquote || n.DataAtom == atom.Li) {
			if utf8.RuneCountInString(collapse(textOutsideLinks(n))) >= chars {
				found = true
			}
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, depth+1)
		}
	}
	walk(n, 0)
	return found
}

// skipLinksOnly reports whether n holds at least one link and every link points to a
// fragment of the same page.
func skipLinksOnly(n *html.Node) bool {
	links, frag := 0, 0
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			links++
			if h := strings.TrimSpace(attr(n, "href")); strings.HasPrefix(h, "#") && len(h) > 1 {
				frag++
			}
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, depth+1)
		}
	}
	walk(n, 0)
	return links > 0 && links == frag
}

// linkDensity is the share of n's text characters that sit inside links.
func linkDensity(n *html.Node) float64 {
	total, inLinks := linkChars(n)
	if total == 0 {
		return 0
	}
	return float64(inLinks) / float64(total)
}

// linkChars counts n's text characters (spaces at the ends of text nodes excluded), and
// those inside links.
func linkChars(n *html.Node) (total, inLinks int) {
	var walk func(*html.Node, bool, int)
	walk = func(n *html.Node, in bool, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.TextNode {
			l := len(strings.TrimSpace(n.Data))
			total += l
			if in {
				inLinks += l
			}
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.A:
				in = true
			case atom.Script, atom.Style:
				return
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, in, depth+1)
		}
	}
	walk(n, false, 0)
	return total, inLinks
}

const (
	blockPlain     blockDetail = iota // nodes and text only (kind_body.go)
	blockNormShort                    // and words, and the normalised text of blocks up to longBlock words
	blockNormAll                      // and the normalised text of every block
)
