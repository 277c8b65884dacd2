package extract

// The metadata a reader sees in the page's body — the headline element, the byline and the
// date lines around it — read in one walk before readability mutates the tree. The
// structured metadata (JSON-LD, meta tags) is read at Parse time, in meta.go.

import (
	"lede"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// visibleMeta is what one walk of the body found.
type visibleMeta struct {
	root      *html.Node
	text      string   // the page's text, lower-cased (up to maxShownText bytes), read on first use by shown
	metaKeys  []string // squash()ed metadata titles, to recognise a headline in any heading
	headlines []headlineCand
	authors   []authorCand
	dateLines []dateLine // elements marked as dates (class, id or itemprop), in page order
	times     []timeCand
}

// dateLine is the text of an element marked as a date.
type dateLine struct {
	node      *html.Node
	text      string
	seq       int // the element's position in page order
	inArticle bool
}

// headlineCand is an element that may show the article's headline.
type headlineCand struct {
	node  *html.Node
	seq   int // the element's position in page order
	text  string
	lines []string // the text's lines when <br> or blocks split it (a headline over a byline)
	h1    bool     // an <h1> (else an itemprop=headline or headline-classed heading)
	// inArticle: inside <article>, <main>, role=main or an Article microdata item;
	// offArticle: inside navigation, a footer, an aside, a teaser or comment box;
	// link: the whole text is one link (a logo, a teaser).
	inArticle, offArticle, link bool
}

// authorCand is an element that names the article's author(s).
type authorCand struct {
	node *html.Node
	seq  int
	text string
	rel  bool // <a rel=author> or itemprop=author
}

// timeCand is a <time datetime> element (or a microformat <abbr title>).
type timeCand struct {
	node     *html.Node
	datetime string
	modified bool // marked as the update time (class or itemprop)
}

const (
	nearHeadlineSpan = 40 // elements after the headline that still belong to its byline and date
	maxDateLineWords = 16 // a longer date-marked element is a caption or a teaser, not the date shown (three times longer: no date line at all)
	maxHeadlineCands = 12
	maxAuthorCands   = 40
	maxDateLines     = 60
	maxVisibleText   = 200 // longer elements are not a headline, byline or date line
	maxShownText     = 256 << 10
)

// offArticleCues are class / id tokens of containers that hold other articles' headlines,
// bylines and dates, or none of the article's: teasers, related lists, comments, sidebars,
// navigation and footers.
var offArticleCues = newCueSet("related", "relatedarticles", "relatedposts", "relatedstories",
	"relatedcontent", "morestories", "mostread", "mostpopular", "mostviewed", "popular",
	"recommended", "recommendations", "readalso", "readmore", "readnext", "seealso", "teaser",
	"teasers", "trending", "outbrain", "taboola", "carousel", "sidebar", "comment",
	"comments", "commentlist", "disqus", "replies", "respond", "discussion", "sitefooter",
	"pagefooter", "copyright", "nav", "navigation", "menu", "breadcrumb", "breadcrumbs", "promo", "rail",
	"newsletter", "latest", "headlines", "topstories", "masthead", "topbar", "navbar", "siteheader",
	"pageheader", "ticker")

// dateCues are class / id / itemprop tokens of elements that show the article's date.
var dateCues = newCueSet("date", "dates", "datum", "datetime", "time", "timestamp", "published",
	"publish", "publishdate", "publishedat", "pubdate", "posted", "postdate", "postedon",
	"dateline", "byline", "meta", "postmeta", "entrymeta", "articlemeta", "fecha", "data",
	"tarih", "submitted", "created", "updated", "modified", "info", "details")

// authorCues are class / id / itemprop tokens of byline elements.
var authorCues = newCueSet("author", "authors", "byline", "bylines", "autor", "autore", "auteur",
	"writer", "reporter", "contributor", "creator", "journalist", "authorname", "bylinename")

// articleItemTypes are itemtype endings of schema.org article items.
var articleItemTypes = []string{"article", "newsarticle", "blogposting", "reportagenewsarticle"}

// readVisible walks the document once and collects the visible metadata candidates. Which
// of the byline and date candidates belong to the article is decided afterwards, once the
// headline is known (see offArticle).
func (d *Document) readVisible() *visibleMeta {
	v := &visibleMeta{}
	m := &d.meta
	for _, t := range []string{m.ld.Headline, m.get("og:title"), m.get("twitter:title"), m.docTitle} {
		if k := squash(t); k != "" {
			v.metaKeys = append(v.metaKeys, k)
		}
	}
	seq := 0
	var walk func(n *html.Node, depth int, inArticle, off bool, link *html.Node, authorTaken, dateTaken bool)
	walk = func(n *html.Node, depth int, inArticle, off bool, link *html.Node, authorTaken, dateTaken bool) {
		if depth > maxDepth || n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Head, atom.Select, atom.Button:
				return
			case atom.Article, atom.Main:
				inArticle = true
			case atom.Nav, atom.Aside, atom.Form:
				off = true
			case atom.Footer:
				off = off || !inArticle // the page's footer; an article's own holds its byline
			case atom.A:
				link = n
			}
			if strings.EqualFold(attr(n, "role"), "main") {
				inArticle = true
			}
			if it := strings.ToLower(attr(n, "itemtype")); it != "" {
				for _, t := range articleItemTypes {
					if strings.HasSuffix(it, "/"+t) {
						inArticle = true
					}
				}
			}
			seq++
			d.visibleElement(v, n, seq, inArticle, off, link, &authorTaken, &dateTaken)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1, inArticle, off, link, authorTaken, dateTaken)
		}
	}
	walk(d.root, 0, false, false, nil, false, false)
	v.root = d.root
	return v
}

// metaTitled reports whether n's text is held by a metadata title (and is most of it).
func (v *visibleMeta) metaTitled(n *html.Node) bool {
	if len(v.metaKeys) == 0 {
		return false
	}
	k := squash(textOf(n))
	if len(k) < 8 {
		return false
	}
	for _, mk := range v.metaKeys {
		if strings.Contains(mk, k) && len(k)*10 >= len(mk)*4 {
			return true
		}
	}
	return false
}

// elementCues are the cue sets an element's class or id (lower-cased) matches, as cueBits.
type elementCues struct{ bits uint64 }

// cuesOf returns the cue sets n's class or id matches; it allocates only for names with
// capitals.
func cuesOf(n *html.Node) elementCues {
	var class, id string
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		}
	}
	var c elementCues
	if class != "" {
		c.bits = cueBits(lowerASCII(class))
	}
	if id != "" {
		c.bits |= cueBits(lowerASCII(id))
	}
	return c
}

// match reports whether the class or the id holds a cue of the cue set set (see matchCue).
func (c elementCues) match(set *tokenSet) bool { return c.bits&set.cueBit != 0 }

// lazyCues are an element's cues, read on first use.
type lazyCues struct {
	node       *html.Node
	none, read bool // none: the element's class and id do not count
	cues       elementCues
}

// match reports whether the element's class or id holds a cue of the cue set set.
func (c *lazyCues) match(set *tokenSet) bool {
	if !c.read {
		c.read = true
		if !c.none {
			c.cues = cuesOf(c.node)
		}
	}
	return c.cues.match(set)
}

// lowerASCII lower-cases s, copying it only when it has capitals.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// textUpTo returns the text under n, stopping once it holds more than limit bytes (a long
// text is not a date line or a byline: the caller drops it anyway).
func textUpTo(n *html.Node, limit int) string {
	var b strings.Builder
	var walk func(*html.Node, int) bool
	walk = func(c *html.Node, depth int) bool {
		if depth > maxDepth || b.Len() > limit {
			return false
		}
		switch {
		case c.Type == html.TextNode:
			b.WriteString(c.Data)
			return b.Len() <= limit
		case c.Type == html.ElementNode && (c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Noscript || c.DataAtom == atom.Template):
			return true
		}
		for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
			if !walk(ch, depth+1) {
				return false
			}
		}
		return true
	}
	walk(n, 0)
	return b.String()
}

// shown reports whether name appears in the page's text other than as an editor's,
// photographer's or reviewer's credit ("责任编辑：肖春芳", "Photo: Jane Doe").
func (v *visibleMeta) shown(name string) bool {
	if name == "" {
		return false
	}
	if v.text == "" && v.root != nil {
		v.text = strings.ToLower(textUpTo(v.root, maxShownText))
	}
	needle := strings.ToLower(name)
	for rest, at := v.text, 0; ; {
		i := strings.Index(rest, needle)
		if i < 0 {
			return false
		}
		before := v.text[max(0, at+i-24) : at+i]
		words := strings.Fields(lede.NormalizeText(before))
		credited := false
		for k := max(0, len(words)-2); k < len(words); k++ {
			if creditPrefixWords.is(strings.Join(words[k:], " ")) {
				credited = true
			}
		}
		if !credited {
			return true
		}
		at += i + len(needle)
		rest = v.text[at:]
	}
}

// offArticle reports whether n sits in a container that holds other articles' bylines and
// dates, or comments: a teaser, related or comment box, a sidebar, navigation. Only
// containers that do not hold the headline count (headline: the headline element's
// ancestors, empty when there is none), so a page wrapper named "has-sidebar" does not.
func offArticle(n *html.Node, headline map[*html.Node]bool) bool {
	for p := n; p != nil; p = p.Parent {
		if headline[p] {
			return false
		}
		if p.Type != html.ElementNode {
			continue
		}
		switch p.DataAtom {
		case atom.Body, atom.Html, atom.Article, atom.Main:
			continue // a page's or an article's classes, not a box's ("single-post sticky-sidebar")
		case atom.Nav, atom.Aside:
			return true
		case atom.Header:
			if !insideArticle(p) {
				return true // the page's masthead (today's date, the site's name)
			}
		}
		if cuesOf(p).match(offArticleCues) && !matchesArticleBody(p) {
			return true
		}
	}
	return false
}

// insideArticle reports whether n has an <article> or <main> ancestor.
func insideArticle(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (p.DataAtom == atom.Article || p.DataAtom == atom.Main) {
			return true
		}
	}
	return false
}

// ancestors returns n and its ancestors as a set (empty for nil).
func ancestors(n *html.Node) map[*html.Node]bool {
	set := map[*html.Node]bool{}
	for ; n != nil; n = n.Parent {
		set[n] = true
	}
	return set
}

// matchesArticleBody reports whether n is (or wraps) the article's body though its class
// says otherwise ("post-content widget-area"): marked itemprop=articleBody.
func matchesArticleBody(n *html.Node) bool {
	return strings.EqualFold(strings.TrimSpace(attr(n, "itemprop")), "articleBody")
}

// visibleElement records n when it is a headline, author or date candidate. off: n is in
// navigation, an aside, a form or the page's footer; link: the <a> n is in, or nil.
// authorTaken and dateTaken are set for n's descendants when n was taken whole.
func (d *Document) visibleElement(v *visibleMeta, n *html.Node, seq int, inArticle, off bool, link *html.Node, authorTaken, dateTaken *bool) {
	// Not a page's classes ("single-post nav-menu-open"); read only when a rule asks.
	cls := lazyCues{node: n, none: n.DataAtom == atom.Body || n.DataAtom == atom.Html}
	ip := strings.ToLower(attr(n, "itemprop"))
	isHeadlineProp := ip != "" && hasToken(ip, "headline") && n.DataAtom != atom.Meta
	classHeadline := (n.DataAtom == atom.H2 || n.DataAtom == atom.H3) && cls.match(headlineCues)
	if !classHeadline && !off {
		switch n.DataAtom {
		case atom.H2, atom.H3, atom.H4:
			// A blog's post title is often an <h2> or <h3> under the blog's name in <h1>:
			// a heading whose text a metadata title holds is a headline candidate.
			classHeadline = v.metaTitled(n)
		}
	}
	if (n.DataAtom == atom.H1 || isHeadlineProp || classHeadline) && len(v.headlines) < maxHeadlineCands {
		text := collapsedText(n)
		if text != "" && len(text) <= 600 {
			var lines []string
			if ls := elementLines(n); len(ls) > 1 {
				lines = ls
			}
			v.headlines = append(v.headlines, headlineCand{
				node: n, seq: seq, text: text, lines: lines, h1: n.DataAtom == atom.H1 || isHeadlineProp,
				inArticle: inArticle || isHeadlineProp, offArticle: off, link: link != nil || wholeLink(n),
			})
		}
	}
	if off {
		return
	}
	switch n.DataAtom {
	case atom.Time, atom.Abbr:
		// <time datetime>, and the microformat <abbr class="published" title="2016-12-23T05:11">.
		dt := attr(n, "datetime")
		if n.DataAtom == atom.Abbr {
			dt = ""
			if cls.match(dateCues) {
				dt = attr(n, "title")
			}
		}
		if dt = strings.TrimSpace(dt); dt != "" && len(v.times) < maxDateLines && (link == nil || d.selfLink(link)) {
			v.times = append(v.times, timeCand{node: n, datetime: dt,
				modified: hasToken(ip, "datemodified") || cls.match(modifiedCues)})
		}
	case atom.Meta, atom.Link:
		return
	}
	if !*authorTaken && len(v.authors) < maxAuthorCands {
		rel := n.DataAtom == atom.A && hasToken(strings.ToLower(attr(n, "rel")), "author")
		prop := hasToken(ip, "author") || hasToken(ip, "creator")
		if rel || prop || cls.match(authorCues) {
			if text := authorText(n, prop); text != "" && len(text) <= maxVisibleText {
				v.authors = append(v.authors, authorCand{node: n, seq: seq, text: text, rel: rel || prop})
				*authorTaken = true
			}
		}
	}
	// A date inside a link is a teaser's, unless the link is the article's own permalink.
	if !*dateTaken && len(v.dateLines) < maxDateLines && (cls.match(dateCues) || ip != "" && matchCue(ip, dateCues) != "") &&
		(link == nil || d.selfLink(link)) {
		if text := collapse(textUpTo(n, 2*maxVisibleText)); text != "" && len(text) <= maxVisibleText {
			v.dateLines = append(v.dateLines, dateLine{node: n, text: text, seq: seq, inArticle: inArticle})
			*dateTaken = true
		}
	}
}

// selfLink reports whether the link a points to the page itself (a permalink).
func (d *Document) selfLink(a *html.Node) bool {
	href := strings.TrimSpace(attr(a, "href"))
	if href == "" || d.url == nil {
		return false
	}
	u := resolve(d.base, href)
	if u == nil {
		return false
	}
	for _, s := range []string{d.url.String(), d.canonical} {
		if p := resolve(nil, s); p != nil && strings.EqualFold(p.Host, u.Host) &&
			strings.TrimSuffix(p.Path, "/") == strings.TrimSuffix(u.Path, "/") {
			return true
		}
	}
	return false
}

// headlineCues are class tokens of headline elements other than <h1>.
var headlineCues = newCueSet("headline", "entrytitle", "posttitle", "articletitle", "storytitle",
	"pagetitle", "newstitle", "contenttitle", "title")

// modifiedCues are class tokens of a <time> that shows the update time.
var modifiedCues = newCueSet("updated", "modified", "lastmod", "lastmodified", "update")

// authorText is the name an author element shows: an itemprop=name inside it when there is
// one (an author item also holds a photo caption, a bio, a link to follow), else its text
// with its lines (blocks, <br>) joined by " | ", so that a name and the outlet printed
// under it stay apart.
func authorText(n *html.Node, item bool) string {
	if item {
		var name string
		var find func(*html.Node, int)
		find = func(c *html.Node, depth int) {
			if name != "" || depth > 8 {
				return
			}
			if c.Type == html.ElementNode && c != n && hasToken(strings.ToLower(attr(c, "itemprop")), "name") {
				if c.DataAtom == atom.Meta {
					name = attr(c, "content")
				} else {
					name = textOf(c)
				}
				return
			}
			for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
				find(ch, depth+1)
			}
		}
		find(n, 0)
		if strings.TrimSpace(name) != "" {
			return collapse(name)
		}
		if n.DataAtom == atom.Meta || n.DataAtom == atom.Link {
			return collapse(attr(n, "content"))
		}
	}
	if len(textUpTo(n, 2*maxVisibleText)) > 2*maxVisibleText {
		return "" // a container, not a byline
	}
	return strings.Join(elementLines(n), " | ")
}

// elementLines returns the text of n cut into lines at <br> and block elements.
func elementLines(n *html.Node) []string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		if t := collapse(cur.String()); t != "" {
			lines = append(lines, t)
		}
		cur.Reset()
	}
	var walk func(*html.Node, int)
	walk = func(c *html.Node, depth int) {
		if depth > 20 {
			return
		}
		switch {
		case c.Type == html.TextNode:
			cur.WriteString(c.Data)
			return
		case c.Type != html.ElementNode:
			return
		case c.DataAtom == atom.Br:
			flush()
			return
		case c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Noscript || c.DataAtom == atom.Template:
			return
		}
		block := isBlock(c) && c != n
		if block {
			flush()
		}
		for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, depth+1)
		}
		if block {
			flush()
		}
	}
	walk(n, 0)
	flush()
	return lines
}

// wholeLink reports whether all of n's text lies inside one link (a logo, a teaser).
func wholeLink(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return false
		case c.Type == html.ElementNode && c.DataAtom == atom.A:
			return strings.TrimSpace(textOf(c)) != ""
		case c.Type == html.ElementNode && strings.TrimSpace(textOf(c)) != "":
			return wholeLink(c)
		}
	}
	return false
}

// hasToken reports whether the space-separated list s holds tok.
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if f == tok {
			return true
		}
	}
	return false
}

// linesAround returns the short text lines just before and after the headline node, as
// a reader sees them around the headline: the kicker and date above it, the byline and
// date line below it. It stops at the article's first long paragraph, whose start it
// returns as lead.
func linesAround(headline *html.Node) (before, after []string, lead string) {
	after, lead = collectLines(headline, false, 12, 1000)
	before, _ = collectLines(headline, true, 3, 400)
	return before, after, lead
}

// bodyParagraph is the length of a line that starts (or ends, above the headline) the
// article's body: the lines around the headline stop there, or at a line of 20 words.
const bodyParagraph = 250

// collectLines walks from start (excluded, with its subtree) forward or backward in
// document order and groups the text nodes met into lines, one per nearest block ancestor,
// nearest line first. It stops at a long line (a paragraph of the body), returned as long.
func collectLines(start *html.Node, backward bool, maxLines, maxChars int) (lines []string, long string) {
	var parts []string
	var curBlock *html.Node
	chars := 0
	flush := func() bool {
		if backward {
			for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
				parts[i], parts[j] = parts[j], parts[i]
			}
		}
		if t := collapse(strings.Join(parts, " ")); t != "" {
			if len(t) >= bodyParagraph || lede.WordCount(t) >= 20 {
				long = t
				return false
			}
			lines = append(lines, t)
		}
		parts = parts[:0]
		return len(lines) < maxLines && chars < maxChars
	}
	step := nextInOrder
	if backward {
		step = prevInOrder
	}
	// Above the headline, the lines stay within its article (or <main>) and out of the
	// page's masthead: a date there is today's, not the article's.
	var scope *html.Node
	for p := start.Parent; p != nil && backward; p = p.Parent {
		if p.Type == html.ElementNode && (p.DataAtom == atom.Article || p.DataAtom == atom.Main) {
			scope = p
			break
		}
	}
	head := ancestors(start)
	for n := step(start, start); n != nil; n = step(n, start) {
		if n == scope {
			break
		}
		if n.Type != html.TextNode || strings.TrimSpace(n.Data) == "" || skippedText(n) {
			continue
		}
		if backward && offArticle(n, head) {
			continue
		}
		if b := blockOf(n); b != curBlock {
			if !flush() {
				return lines, long
			}
			curBlock = b
		}
		parts = append(parts, n.Data)
		chars += len(n.Data)
		if chars > 4*maxChars {
			break
		}
	}
	flush()
	return lines, long
}

// skippedText reports a text node inside a script, style or similar element.
func skippedText(n *html.Node) bool {
	for p, i := n.Parent, 0; p != nil && i < 4; p, i = p.Parent, i+1 {
		if p.Type == html.ElementNode {
			switch p.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Title, atom.Button, atom.Select, atom.Option:
				return true
			}
		}
	}
	return false
}

// blockOf returns n's nearest block-level ancestor (or a <br>-free line holder).
func blockOf(n *html.Node) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if isBlock(p) {
			return p
		}
	}
	return nil
}

// nextInOrder returns the node after n in document order, skipping n's subtree when n is
// the start node.
func nextInOrder(n, start *html.Node) *html.Node {
	if n != start && n.FirstChild != nil {
		return n.FirstChild
	}
	for ; n != nil; n = n.Parent {
		if n.NextSibling != nil {
			return n.NextSibling
		}
	}
	return nil
}

// prevInOrder returns the node before n in document order (the last descendant of its
// previous sibling, else its parent), never entering start's subtree.
func prevInOrder(n, _ *html.Node) *html.Node {
	if n.PrevSibling == nil {
		return n.Parent
	}
	p := n.PrevSibling
	for p.LastChild != nil {
		p = p.LastChild
	}
	return p
}

// dateLinesFrom orders the date-marked lines of the article (see offArticle) for reading: those after the headline (at seq
// headSeq) in page order, then those before it, nearest first; without a headline, those
// inside the article first. A date printed above the headline, far from it, is often the
// site's "today".
func (v *visibleMeta) dateLinesFrom(headSeq int, head map[*html.Node]bool) []string {
	var after, before []string
	for _, l := range v.dateLines {
		if offArticle(l.node, head) || lede.WordCount(l.text) > 3*maxDateLineWords {
			continue
		}
		if (headSeq > 0 && l.seq > headSeq) || (headSeq == 0 && l.inArticle) {
			after = append(after, l.text)
		} else {
			before = append(before, l.text)
		}
	}
	if headSeq > 0 {
		slices.Reverse(before)
	}
	return append(after, before...)
}

// nearHeadline keeps the byline elements that belong to the article: after the headline
// (at seq headSeq, 0 when unknown), the first one that names anyone and those right after
// it (several authors' elements side by side); when none follows the headline, the
// nearest before it. Teasers and author lists elsewhere on the page are left out.
func nearHeadline(cands []authorCand, headSeq int, names func(string) []authorName) []authorName {
	const span = 12 // elements after the first byline element that still belong to it
	pick := func(cs []authorCand) []authorName {
		var out []authorName
		first := -1
		for _, c := range cs {
			if first >= 0 && c.seq-first > span {
				break
			}
			ns := names(c.text)
			if first < 0 {
				if len(ns) == 0 {
					continue
				}
				first = c.seq
			}
			out = append(out, ns...)
		}
		return out
	}
	var after, before []authorCand
	for _, c := range cands {
		if c.seq > headSeq {
			after = append(after, c)
		} else {
			before = append(before, c)
		}
	}
	if out := pick(after); len(out) > 0 || headSeq == 0 {
		return out
	}
	slices.Reverse(before)
	if len(before) > 0 {
		return names(before[0].text)
	}
	return nil
}

// hasPerson reports whether names holds a person's.
func hasPerson(names []authorName) bool {
	for _, n := range names {
		if !n.org {
			return true
		}
	}
	return false
}
