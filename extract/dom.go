package extract

import (
	"lede"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// textOf returns the concatenated text under n (scripts and styles excluded). The text of a
// single text node is returned without a copy.
func textOf(n *html.Node) string {
	var t textCollector
	if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Title) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				t.add(c.Data)
			}
		}
		return t.String()
	}
	t.addTree(n, 0)
	return t.String()
}

// textCollector concatenates texts, copying them only once there are two.
type textCollector struct {
	first string
	b     strings.Builder
	many  bool
}

func (t *textCollector) add(s string) {
	switch {
	case s == "":
	case t.first == "" && !t.many:
		t.first = s
	default:
		if !t.many {
			t.many = true
			t.b.WriteString(t.first)
		}
		t.b.WriteString(s)
	}
}

// addTree adds the text under n as textOf reads it.
func (t *textCollector) addTree(n *html.Node, depth int) { eachText(n, depth, t.add) }

// wordsUnder is lede.WordCount(textOf(n)), without building the text.
func wordsUnder(n *html.Node) int {
	var c lede.WordCounter
	if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Title) {
		return lede.WordCount(textOf(n))
	}
	eachText(n, 0, c.Add)
	return c.Count()
}

// eachText calls fn with each text under n, in order, as textOf reads them.
func eachText(n *html.Node, depth int, fn func(string)) {
	if depth > maxDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		fn(n.Data)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template:
			if n.Parent != nil { // a <title> or <script> root itself still gives its text
				return
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		eachText(c, depth+1, fn)
	}
}

func (t *textCollector) String() string {
	if t.many {
		return t.b.String()
	}
	return t.first
}

// textOutsideLinks returns the text under n that is not inside an <a>.
func textOutsideLinks(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.A || n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// collapse normalises whitespace: runs become one space, ends trimmed, soft hyphens and
// zero-width spaces removed. A text already so is returned as it is.
func collapse(s string) string {
	i := collapsedPrefix(s)
	if i == len(s) {
		return s
	}
	var c collapser
	c.b.Grow(len(s))
	c.b.WriteString(s[:i])
	c.write(s[i:])
	return c.b.String()
}

// collapsedText is collapse(textOf(n)), without the intermediate copy of n's text.
func collapsedText(n *html.Node) string {
	if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Title) {
		return collapse(textOf(n))
	}
	var first string // the first text, collapsed only once a second one comes
	var c collapser
	many := false
	eachText(n, 0, func(s string) {
		switch {
		case s == "":
		case first == "" && !many:
			first = s
		default:
			if !many {
				many = true
				c.write(first)
			}
			c.write(s)
		}
	})
	if !many {
		return collapse(first)
	}
	return c.b.String()
}

// collapser writes texts collapsed as collapse does, the texts run together.
type collapser struct {
	b     strings.Builder
	space bool // a space is due before the next visible rune
}

func (c *collapser) write(s string) {
	for _, r := range s {
		if r < utf8.RuneSelf { // ASCII fast path: no invisible runes, six spaces
			switch r {
			case ' ', '\t', '\n', '\v', '\f', '\r':
				c.space = c.b.Len() > 0
			default:
				if c.space {
					c.b.WriteByte(' ')
					c.space = false
				}
				c.b.WriteByte(byte(r))
			}
			continue
		}
		switch {
		case lede.IsInvisible(r):
			continue
		case unicode.IsSpace(r):
			c.space = c.b.Len() > 0
			continue
		}
		if c.space {
			c.b.WriteByte(' ')
			c.space = false
		}
		c.b.WriteRune(r)
	}
}

// collapsedPrefix returns the length of the longest prefix of s that collapse keeps as it
// is: valid UTF-8 words without invisible runes, separated by single spaces, ending on a word.
func collapsedPrefix(s string) int {
	end := 0 // where the last word ends
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			switch c {
			case ' ':
				if i == 0 || i != end {
					return end // a leading space, or a second one
				}
				i++
				continue
			case '\t', '\n', '\v', '\f', '\r':
				return end
			}
			i++
			end = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || lede.IsInvisible(r) || unicode.IsSpace(r) {
			return end
		}
		i += size
		end = i
	}
	return end
}

// blockTags are the elements rendered as blocks of their own.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Details: true, atom.Dialog: true, atom.Dd: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hgroup: true,
	atom.Hr: true, atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Table: true, atom.Ul: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Caption: true, atom.Tbody: true, atom.Thead: true,
	atom.Tfoot: true, atom.Summary: true, atom.Center: true, atom.Menu: true,
}

func isBlock(n *html.Node) bool {
	return n.Type == html.ElementNode && blockTags[n.DataAtom]
}

func isHeading(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// classID returns n's class and id attributes, lower-cased and joined by a space (either
// alone when the other is missing), for structural cues.
func classID(n *html.Node) string {
	if n.Type != html.ElementNode {
		return ""
	}
	c, id := attr(n, "class"), attr(n, "id")
	switch {
	case id == "":
		return strings.ToLower(c) // without a copy when already lower case
	case c == "":
		return strings.ToLower(id)
	}
	return strings.ToLower(c + " " + id)
}

func removeNode(n *html.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}
