package extract

import (
	"lede"
	"regexp"
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

// block is one unit of rendered text: a block element without block descendants, or a run
// of inline nodes between block siblings.
type block struct {
	nodes []*html.Node
	text  string // whitespace-collapsed text
	norm  string // lede.NormalizeText(text)
	words int
	index int  // position among the article's blocks
	last  bool // one of the article's last two blocks
	// density is the share of the block's text inside links; -1 until computed.
	density float64
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
	shareCues = cueSet("share", "shares", "sharing", "sharebar", "sharetools", "social", "socials",
		"socialshare", "print", "toolbar", "tools", "addthis", "sharethis")
	chromeCues = cueSet("related", "relatedarticles", "relatedposts", "relatedstories",
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

func cueSet(cues ...string) map[string]bool {
	m := make(map[string]bool, len(cues))
	for _, c := range cues {
		m[c] = true
	}
	return m
}

// matchCue returns the first cue of set found in the class/id string cid, or "".
func matchCue(cid string, set map[string]bool) string {
	prev := ""
	for tok := range strings.FieldsFuncSeq(cid, func(r rune) bool { return r < 'a' || r > 'z' }) {
		if set[tok] {
			return tok
		}
		if prev != "" && set[prev+tok] {
			return prev + tok
		}
		prev = tok
	}
	return ""
}

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
	shareCue := cid != "" && matchCue(cid, shareCues) != ""
	chromeCue := ""
	if cid != "" {
		chromeCue = matchCue(cid, chromeCues)
	}
	fragmentLinks := n.DataAtom != atom.A && skipLinksOnly(n)
	if !captionCue && !shareCue && chromeCue == "" && !fragmentLinks {
		if cid != "" {
			return authorBoxRule(n, cid)
		}
		return ""
	}
	text := collapse(textOf(n))
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
		if screenReaderCues[chromeCue] && opensParagraph(n) {
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

// blockDetail says how much of each block blocks computes beyond its nodes and text.
type blockDetail uint8

const (
	blockPlain     blockDetail = iota // nodes and text only (kind_body.go)
	blockNormShort                    // and words, and the normalised text of blocks up to longBlock words
	blockNormAll                      // and the normalised text of every block
)

// blocks segments root into text blocks, in document order.
func blocks(root *html.Node, detail blockDetail) []*block {
	var out []*block
	var run []*html.Node
	flush := func() {
		if len(run) == 0 {
			return
		}
		var sb strings.Builder
		for _, n := range run {
			sb.WriteString(textOf(n))
			sb.WriteByte(' ')
		}
		if t := collapse(sb.String()); t != "" {
			out = append(out, newBlock(t, run, detail))
		}
		run = nil
	}
	// hasBlock[n]: n's subtree holds a block element; one post-order pass instead of a
	// search per node.
	hasBlock := map[*html.Node]bool{}
	var mark func(n *html.Node, depth int) bool
	mark = func(n *html.Node, depth int) bool {
		found := false
		if depth <= maxDepth {
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				if ch.Type == html.ElementNode && (mark(ch, depth+1) || isBlock(ch)) {
					found = true
				}
			}
		}
		if found {
			hasBlock[n] = true
		}
		return found
	}
	mark(root, 0)
	hasBlockDescendant := func(n *html.Node) bool { return hasBlock[n] }
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			switch {
			case ch.Type == html.ElementNode && ch.DataAtom == atom.Br:
				// A line break ends a visual line: each line of a <br>-separated run is
				// a block of its own (legacy layouts put whole boxes in such runs).
				run = append(run, ch)
				flush()
			case isBlock(ch) || (ch.Type == html.ElementNode && hasBlockDescendant(ch)):
				flush()
				if hasBlockDescendant(ch) || hasChildBr(ch) {
					walk(ch, depth+1)
					flush()
				} else if t := collapse(textOf(ch)); t != "" {
					out = append(out, newBlock(t, []*html.Node{ch}, detail))
				}
			case ch.Type == html.TextNode || ch.Type == html.ElementNode:
				run = append(run, ch)
			}
		}
	}
	walk(root, 0)
	flush()
	return out
}

// hasChildBr reports whether n has a <br> child: its lines are then blocks of their own.
func hasChildBr(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Br {
			return true
		}
	}
	return false
}

// longBlock is the length (in words) past which no rule needs a block's normalised text,
// unless a WithDropBlock predicate asks for it.
const longBlock = 80

func newBlock(text string, nodes []*html.Node, detail blockDetail) *block {
	b := &block{nodes: append([]*html.Node(nil), nodes...), text: text, density: -1}
	if detail == blockPlain {
		return b
	}
	b.words = lede.WordCount(text)
	if detail == blockNormAll || b.words <= longBlock {
		b.norm = lede.NormalizeText(text)
	}
	return b
}

// el returns the block's element when it is a single element, else nil.
func (b *block) el() *html.Node {
	if len(b.nodes) == 1 && b.nodes[0].Type == html.ElementNode {
		return b.nodes[0]
	}
	return nil
}

// attached reports whether the block's nodes are still in the tree under root.
func (b *block) attached(root *html.Node) bool {
	for n := b.nodes[0]; n != nil; n = n.Parent {
		if n == root {
			return true
		}
	}
	return false
}

func (b *block) linkDensity() float64 {
	if b.density < 0 {
		b.density = b.computeLinkDensity()
	}
	return b.density
}

func (b *block) computeLinkDensity() float64 {
	total, links := 0, 0
	for _, n := range b.nodes {
		t := len(collapse(textOf(n)))
		total += t
		if n.Type == html.ElementNode {
			links += int(linkDensity(n)*float64(t) + 0.5)
		}
	}
	if total == 0 {
		return 0
	}
	return float64(links) / float64(total)
}

// cleanBlocks applies the text-block rules.
func (c *cleaner) cleanBlocks(root *html.Node) {
	detail := blockNormShort
	if c.cfg.dropBlock != nil {
		detail = blockNormAll
	}
	bs := blocks(root, detail)
	c.root, c.blockCount = root, len(bs)
	c.seenBlock = map[string]*block{}
	if c.cfg.dropBlock != nil {
		c.flow, c.flowBlocks = textFlow{}, bs
	}
	for i, b := range bs {
		b.last = i >= len(bs)-2
		if !b.attached(root) {
			continue
		}
		b.index = i
		rule := c.blockRule(b)
		if rule == "" {
			rule = c.learnedRule(b)
		}
		if rule != "" {
			next := followingElement(b, rule == "related")
			c.drop(rule, b.text, b.nodes...)
			switch rule {
			case "related":
				c.dropFollowingLinks(next)
			case "skip-links":
				c.dropFollowingSkipLinks(next)
			case "author-bio":
				c.dropFollowingShort(next, rule, 120)
			}
			continue
		}
		if b.norm != "" {
			c.seenBlock[b.norm] = b
		}
	}
}

// blockRule names the rule that removes block b (the i-th block), or returns "".
func (c *cleaner) blockRule(b *block) string {
	norm := b.norm
	if norm == "" {
		return "" // punctuation only (a "* * *" section break), or a long paragraph
	}
	if rule, done := c.paywallRule(b); done {
		return rule
	}
	if rule, done := c.donationRule(b); done {
		return rule
	}
	if rule, done := c.embedConsentRule(b); done {
		return rule
	}
	if rule := c.sourcesRule(b); rule != "" {
		return rule
	}
	if rule := c.storySummariesRule(b); rule != "" {
		return rule
	}
	short := b.words <= 12
	if short && skipLinkPhrases.consistsOf(norm, 1) {
		return "skip-links"
	}
	if b.words <= 14 && textSizePhrases.consistsOf(norm, 2) {
		return "text-size"
	}
	if b.words <= 3 && textSizePhrases.consistsOf(norm, 1) && c.dropParentOf(b, textSizePhrases, 2, "text-size") {
		return "" // gone with its list
	}
	if b.words <= 16 && sharePhrases.consistsOf(norm, 1) && (b.words >= 2 || b.linkDensity() > 0.5 || b.el() == nil) {
		return "share"
	}
	if b.words <= 3 && sharePhrases.consistsOf(norm, 1) && c.dropParentOf(b, sharePhrases, 2, "share") {
		return "" // gone with its list
	}
	if b.words <= 8 && relatedPhrases.consistsOf(norm, 1) {
		return "related"
	}
	if b.words <= 8 && adLabels.consistsOf(norm, 1) {
		return "advert"
	}
	if b.words <= 8 && promptLines.consistsOf(norm, 1) {
		return "prompt"
	}
	if b.words <= 8 && bioHeadings.consistsOf(norm, 1) {
		return "author-bio"
	}
	if _, _, ok := promptStarts.prefix(norm); ok && b.words <= 30 && !inTableOrList(b.nodes[0]) {
		return "prompt"
	}
	if b.words > 40 {
		return c.repeatRule(b)
	}
	if _, rest, ok := relatedPhrases.prefix(norm); ok && rest != "" && b.linkDensity() >= 0.4 {
		return "read-also"
	}
	if b.words <= 30 && promptPhrases.contains(norm) && (b.words <= 12 || strings.Contains(norm, "newsletter") || strings.Contains(norm, "cookie") || strings.Contains(norm, "affiliate link") || strings.Contains(norm, "contain affiliate")) {
		return "prompt"
	}
	if _, rest, ok := tagPhrases.prefix(norm); ok && rest != "" && (b.linkDensity() >= 0.5 || b.words <= 12) && strings.ContainsAny(b.text, ":：") {
		return "tags"
	}
	if rule := commentCountRule(b); rule != "" {
		return rule
	}
	if rule := c.readingTimeRule(b); rule != "" {
		return rule
	}
	if b.words <= 16 && onlyTimeElements(b.nodes) {
		return "byline-date" // <time> alone on its line: the page's date, whatever its text
	}
	if !inTableOrList(b.nodes[0]) && c.isBylineOrDate(b) {
		return "byline-date"
	}
	if b.words <= 12 {
		if p, rest, ok := creditPrefixes.prefix(norm); ok && p != "" && (rest == "" || strings.ContainsAny(b.text, ":：©/")) && !strings.HasSuffix(strings.TrimSpace(b.text), ".") {
			return "credit"
		}
	}
	if t := strings.TrimSpace(b.text); b.words <= 20 && (strings.HasPrefix(t, "©") || strings.HasPrefix(t, "(c)") ||
		strings.HasPrefix(norm, "copyright") || strings.HasPrefix(norm, "all rights reserved")) {
		return "credit"
	}
	if strings.IndexByte(b.text, '[') >= 0 && reShortcode.MatchString(b.text) {
		return "shortcode"
	}
	if b.words <= 25 && strings.Contains(b.text, "©") {
		return "credit"
	}
	if b.last && b.words <= 60 && reContact.MatchString(b.text) && contactWords.contains(norm) {
		return "author-contact"
	}
	if rule := c.authorParagraphRule(b); rule != "" {
		return rule
	}
	return c.repeatRule(b)
}

// repeatRule handles captions and repeated blocks, and the headline repeated in the body.
func (c *cleaner) repeatRule(b *block) string {
	norm := b.norm
	if c.imgTexts[norm] && b.words <= 60 {
		c.dropCopies(norm)
		return "caption"
	}
	if b.words <= 80 {
		// A caption that starts with the image's alt text and adds a credit or a date.
		if c.longAlts == nil {
			c.longAlts = []string{}
			for alt := range c.imgTexts {
				if strings.Count(alt, " ") >= 5 {
					c.longAlts = append(c.longAlts, alt)
				}
			}
		}
		for _, alt := range c.longAlts {
			if b.words <= strings.Count(alt, " ")+31 && strings.HasPrefix(norm, alt) {
				return "caption"
			}
		}
	}
	if first, ok := c.seenBlock[norm]; ok && b.words <= 80 && !inTableOrList(b.nodes[0]) {
		// A caption shown twice in a row (under the photo, then again as text) goes. Other
		// repeats stay: they are often real structure (the same line in each section of a
		// recipe or a schedule).
		if b.index == first.index+1 && (nextToImage(first) || nextToImage(b)) {
			c.drop("caption", first.text, first.nodes...)
			delete(c.seenBlock, norm)
			return "caption"
		}

	}
	if b.index < 4 && c.title != "" && norm == c.title {
		return "headline"
	}
	// A short block that is nothing but a link, outside lists and headings, is a teaser of
	// another page ("CLICK HERE TO GET THE APP", a headline pointing elsewhere).
	if b.words >= 3 && b.words <= 25 && !inTableOrList(b.nodes[0]) && b.linkDensity() >= 0.9 && c.linksInSite(b) &&
		!strings.Contains(b.text, "://") && !strings.Contains(b.text, "www.") {
		return "link-teaser"
	}
	if b.linkDensity() >= 0.9 && b.words <= 20 && b.el() != nil && b.el().DataAtom == atom.Li {
		if siblingsAllLinks(b.el()) && c.linksInSite(&block{nodes: []*html.Node{b.el().Parent}}) {
			list := b.el().Parent
			c.drop("link-list", textOf(list), list)
			return ""
		}
	}
	return ""
}

// dropParentOf removes the element around block b (a list or a strip of single items)
// when its whole text is made of at least minCount phrases of set, such as a text-size
// selector written as one list item per size. It reports whether it did.
func (c *cleaner) dropParentOf(b *block, set phraseSet, minCount int, rule string) bool {
	p := b.nodes[0].Parent
	if p != nil && p.DataAtom == atom.Li {
		p = p.Parent
	} else if el := b.el(); el != nil && el.DataAtom == atom.Li {
		p = el.Parent
	}
	if p == nil || p.Type != html.ElementNode || p.Parent == nil {
		return false
	}
	t := renderText(p)
	if lede.WordCount(t) > 16 || !set.consistsOf(lede.NormalizeText(t), minCount) {
		return false
	}
	c.drop(rule, t, p)
	return true
}

// dropCopies removes earlier blocks whose text equals norm (a caption shown twice).
func (c *cleaner) dropCopies(norm string) {
	if first, ok := c.seenBlock[norm]; ok {
		c.drop("caption", first.text, first.nodes...)
		delete(c.seenBlock, norm)
	}
}

// nextToImage reports whether the block sits right after an image or inside a figure.
func nextToImage(b *block) bool {
	n := b.nodes[0]
	for p := n; p != nil && p.Type == html.ElementNode; p = p.Parent {
		if p.DataAtom == atom.Figure {
			return true
		}
	}
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) == "" {
			continue
		}
		return s.Type == html.ElementNode && (s.DataAtom == atom.Img || s.DataAtom == atom.Picture || s.DataAtom == atom.Figure || (len(collapse(textOf(s))) == 0 && containsImg(s)))
	}
	return false
}

func containsImg(n *html.Node) bool {
	if n.Type == html.ElementNode && (n.DataAtom == atom.Img || n.DataAtom == atom.Picture) {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if containsImg(c) {
			return true
		}
	}
	return false
}

// siblingsAllLinks reports whether every item of li's list is mostly a link.
func siblingsAllLinks(li *html.Node) bool {
	if li.Parent == nil {
		return false
	}
	items := 0
	for s := li.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type != html.ElementNode {
			continue
		}
		if s.DataAtom != atom.Li || linkDensity(s) < 0.9 {
			return false
		}
		items++
	}
	return items >= 2
}

// isBylineOrDate reports whether b only repeats the byline and/or a date.
func (c *cleaner) isBylineOrDate(b *block) bool {
	if b.words > 16 {
		return false
	}
	return c.bylineOrDate(b.norm, b.text)
}

// bylineOrDate reports whether a line (norm, its normalised text, and text as written) only
// repeats the byline and/or a date.
func (c *cleaner) bylineOrDate(norm, text string) bool {
	words := strings.Fields(norm)
	hasDigit := hasDigits(norm)
	rest := norm
	sawPrefix := false
	if _, r, ok := bylinePrefixes.prefix(rest); ok {
		rest, sawPrefix = r, true
	}
	// Remove byline names, date words and numbers; a byline/date line leaves nothing.
	var left []string
	names := 0
	for rest != "" {
		if _, r, ok := dateWords.prefix(rest); ok {
			rest = r
			continue
		}
		w, r, _ := strings.Cut(rest, " ")
		rest = r
		switch {
		case isNumber(w) || bylinePrefixes.is(w) || isCJKDate(w):
		case c.bylineWord(w):
			names++
		default:
			left = append(left, w)
		}
	}
	if len(left) > 0 {
		// "By Jane Doe" with an unknown byline: a short prefixed line of name-like words.
		end := strings.TrimSpace(text)
		if sawPrefix && len(c.byline) == 0 && len(words) <= 8 && len(left) <= 6 &&
			!strings.ContainsAny(text, ";!?؟") && !strings.HasSuffix(end, ".") {
			if c.foundByline == "" && !hasDigit {
				// The page names its author only here: keep the name as the byline.
				if f := strings.Fields(text); len(left) <= len(f) {
					c.foundByline = strings.Trim(strings.Join(f[len(f)-len(left):], " "), ":：-–— ")
				}
			}
			return true
		}
		return false
	}
	if hasDigit && looksLikeDate(norm) {
		c.noteDate(text)
		return true
	}
	return names > 0 || sawPrefix
}

// onlyTimeElements reports whether the text of nodes lies wholly inside <time> elements
// (punctuation and spaces aside): a line that only shows the page's date.
func onlyTimeElements(nodes []*html.Node) bool {
	sawTime := false
	var visit func(n *html.Node, depth int) bool
	visit = func(n *html.Node, depth int) bool {
		switch {
		case n.Type == html.TextNode:
			return lede.NormalizeText(n.Data) == ""
		case n.Type != html.ElementNode || depth > maxDepth:
			return true
		case n.DataAtom == atom.Time:
			sawTime = true
			return true
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if !visit(ch, depth+1) {
				return false
			}
		}
		return true
	}
	for _, n := range nodes {
		if !visit(n, 0) {
			return false
		}
	}
	return sawTime
}

// reDateStart finds where the date begins in a dateline: a digit or a month name.
var reDateStart = regexp.MustCompile(`(?i)\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b`)

// noteDate keeps the dates of a removed dateline for the metadata, when the page marks up
// none: "Published: 6 March 2024, 08:15 GMT | Updated: 7 March 2024" gives a publication
// and a modification date.
func (c *cleaner) noteDate(text string) {
	for _, seg := range strings.FieldsFunc(text, func(r rune) bool { return r == '|' || r == '•' || r == '·' }) {
		n := lede.NormalizeText(seg)
		updated := strings.Contains(n, "updated") || strings.Contains(n, "modified") || strings.Contains(n, "تحديث")
		loc := reDateStart.FindStringIndex(seg)
		if loc == nil {
			continue
		}
		t := parseDate(strings.TrimRight(strings.TrimSpace(seg[loc[0]:]), " .,"))
		if t.IsZero() || t.Year() < 1995 || t.After(time.Now().AddDate(0, 0, 2)) {
			continue
		}
		switch {
		case updated && c.foundModified.IsZero():
			c.foundModified = t
		case !updated && c.foundPublished.IsZero():
			c.foundPublished = t
		}
	}
}

// reContact matches an e-mail address or a social-media handle.
var reContact = regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.]+|(^|\s)@\w{2,}`)

// contactWords occur in the closing "follow the author / send us tips" line.
var contactWords = newPhraseSet("follow", "follow him", "follow her", "follow me", "follow us",
	"reached at", "reach", "contact", "email", "e mail", "tips", "tip", "tweets", "تابع", "تابعوا", "للتواصل")

// reShortcode matches a line that is an unrendered CMS shortcode ("[button link=...]...").
var reShortcode = regexp.MustCompile(`^\s*\[/?[a-z_][a-z0-9_-]*(\s[^\]]*)?\].*\[/[a-z_][a-z0-9_-]*\]\s*$|^\s*\[[a-z_][a-z0-9_-]*(\s[^\]]*)?\]\s*$`)

var reDateShape = regexp.MustCompile(`\b(\d{1,4}[ ./-]\d{1,2}[ ./-]\d{2,4}|\d{1,2} \d{2}|(19|20)\d{2})\b`)

// looksLikeDate reports whether a normalised line holds a date: a month or weekday name,
// a year, a d/m/y shape or a clock time.
func looksLikeDate(norm string) bool {
	for _, w := range strings.Fields(norm) {
		if !isNumber(w) && dateWords.is(w) && len(w) > 2 {
			return true
		}
	}
	return reDateShape.MatchString(norm)
}

// inTableOrList reports whether n sits in a table cell or list item close by, whose text is
// short enough to be data (a schedule, a list of points) rather than layout: legacy pages
// put the whole article, datelines and all, in one big layout cell.
func inTableOrList(n *html.Node) bool {
	const maxCellWords = 60
	depth := 0
	for p := n; p != nil && depth < 3; p, depth = p.Parent, depth+1 {
		if p.Type == html.ElementNode {
			switch p.DataAtom {
			case atom.Td, atom.Th, atom.Li, atom.Dd, atom.Dt:
				return lede.WordCount(textOf(p)) <= maxCellWords
			}
		}
	}
	return false
}

func (c *cleaner) bylineWord(w string) bool {
	for _, b := range c.byline {
		if b == w {
			return true
		}
	}
	return false
}

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// followingElement returns the element after block b, looked for before b is removed.
// With climb, a heading alone in its wrapper looks past the wrapper.
func followingElement(b *block, climb bool) *html.Node {
	n := b.nodes[len(b.nodes)-1]
	if climb {
		for range 3 {
			if n.Parent == nil || nextElement(n) != nil || len(collapse(textOf(n.Parent))) > len(b.text)+2 {
				break
			}
			n = n.Parent
		}
	}
	return nextElement(n)
}

// dropFollowingLinks removes the link lists that follow a "related" heading, from s on.
func (c *cleaner) dropFollowingLinks(s *html.Node) {
	for s != nil {
		next := nextElement(s)
		t := collapse(textOf(s))
		if t == "" && !containsImg(s) {
			s = next
			continue
		}
		if t != "" && linkDensity(s) < 0.5 {
			break
		}
		c.drop("related", t, s)
		s = next
	}
}

// dropFollowingShort removes the elements after a box heading, up to maxWords words.
func (c *cleaner) dropFollowingShort(s *html.Node, rule string, maxWords int) {
	words := 0
	for s != nil {
		next := nextElement(s)
		t := collapse(textOf(s))
		words += lede.WordCount(t)
		if words > maxWords || isHeading(s) {
			break
		}
		c.drop(rule, t, s)
		s = next
	}
}

// dropFollowingSkipLinks removes the fragment links that follow a skip-link heading.
func (c *cleaner) dropFollowingSkipLinks(s *html.Node) {
	for s != nil {
		next := nextElement(s)
		if s.DataAtom != atom.Br && !skipLinksOnly(s) {
			break
		}
		c.drop("skip-links", textOf(s), s)
		s = next
	}
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

// imgText returns the normalised alt or title text of an image, when long enough to be a
// caption (three words or more).
func imgText(n *html.Node, key string) string {
	if v := lede.NormalizeText(attr(n, key)); strings.Count(v, " ") >= 2 {
		return v
	}
	return ""
}

// linksInSite reports whether every link of b points into the page's own site.
func (c *cleaner) linksInSite(b *block) bool {
	if c.host == "" {
		return false
	}
	ok, seen := true, 0
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if !ok || depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			seen++
			u := resolve(nil, attr(n, "href"))
			if u == nil || (u.Host != "" && !sameSite(u.Hostname(), c.host)) {
				ok = false
			}
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, depth+1)
		}
	}
	for _, n := range b.nodes {
		walk(n, 0)
	}
	return ok && seen > 0
}

// sameSite reports whether host is site or one of its subdomains (or the other way round).
func sameSite(host, site string) bool {
	host = lede.NormalizeHost(host)
	return host == site || strings.HasSuffix(host, "."+site) || strings.HasSuffix(site, "."+host)
}
