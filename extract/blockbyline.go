package extract

// Blocks that only repeat the page's byline or a date (a rule of the block pass).

import (
	"lede"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
