package extract

import (
	"lede"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Summary boxes of other stories: inside the article, a label ("Catch up on the dispute",
// "Claves del conflicto", "ملخص الأزمة") over two or more items, each the headline of
// another story of the same site, linked, followed by a sentence or two about it. The
// article's own lists, whose items do not open with a link to another story, stay.

// storySummariesRule names the rule that removes block b, a short label, together with the
// story list that follows it, or returns "".
func (c *cleaner) storySummariesRule(b *block) string {
	if b.words > 10 || !c.labelBlock(b) {
		return ""
	}
	next := followingElement(b, true)
	if next == nil {
		return ""
	}
	if items := storyListItems(next); len(items) >= 2 && c.storyItems(items) {
		c.drop("story-summaries", textOf(next), next)
		return "story-summaries"
	}
	// Items as paragraphs of their own, after the label.
	var run []*html.Node
	for s := next; s != nil && s.DataAtom == next.DataAtom; s = nextElement(s) {
		if !c.storyItems([]*html.Node{s}) {
			break
		}
		run = append(run, s)
	}
	if len(run) < 2 {
		return ""
	}
	for _, s := range run {
		c.drop("story-summaries", textOf(s), s)
	}
	return "story-summaries"
}

// labelBlock reports whether b is a heading, or a paragraph whose text is all bold.
func (c *cleaner) labelBlock(b *block) bool {
	el := b.el()
	if el == nil {
		return false
	}
	if isHeading(el) {
		return true
	}
	if el.DataAtom != atom.P && el.DataAtom != atom.Div {
		return false
	}
	f := firstContent(el)
	return f != nil && f.NextSibling == nil && f.Type == html.ElementNode &&
		(f.DataAtom == atom.Strong || f.DataAtom == atom.B) && !strings.ContainsAny(b.text, ".!?")
}

// storyListItems returns the items of list n (ul or ol), or nil.
func storyListItems(n *html.Node) []*html.Node {
	if n.Type != html.ElementNode || (n.DataAtom != atom.Ul && n.DataAtom != atom.Ol) {
		return nil
	}
	var items []*html.Node
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type == html.ElementNode {
			if li.DataAtom != atom.Li {
				return nil
			}
			items = append(items, li)
		}
	}
	return items
}

// storyItems reports whether every item opens with a link, inside the site, whose text is a
// headline (three words or more), and says no more than a short summary besides.
func (c *cleaner) storyItems(items []*html.Node) bool {
	for _, it := range items {
		first := firstContent(it)
		for first != nil && first.Type == html.ElementNode && first.DataAtom != atom.A && !isBlock(first) && first.FirstChild != nil {
			first = firstContent(first)
		}
		if first == nil || first.Type != html.ElementNode || first.DataAtom != atom.A ||
			strings.HasPrefix(strings.TrimSpace(attr(first, "href")), "#") {
			return false // not a link, or one to a part of this page
		}
		headline := collapsedText(first)
		if lede.WordCount(headline) < 3 && utf8.RuneCountInString(headline) < 12 {
			return false
		}
		if words := lede.WordCount(textOf(it)); words > 60 || !c.linksInSite(&block{nodes: []*html.Node{first}}) {
			return false
		}
	}
	return true
}
