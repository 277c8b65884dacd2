package extract

// The cleaner's second pass: rules on the text blocks left after the element pass.

import (
	"lede"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
		return s.Type == html.ElementNode && (s.DataAtom == atom.Img || s.DataAtom == atom.Picture || s.DataAtom == atom.Figure || (len(collapsedText(s)) == 0 && containsImg(s)))
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

// followingElement returns the element after block b, looked for before b is removed.
// With climb, a heading alone in its wrapper looks past the wrapper.
func followingElement(b *block, climb bool) *html.Node {
	n := b.nodes[len(b.nodes)-1]
	if climb {
		for range 3 {
			if n.Parent == nil || nextElement(n) != nil || len(collapsedText(n.Parent)) > len(b.text)+2 {
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
		t := collapsedText(s)
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
		t := collapsedText(s)
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
