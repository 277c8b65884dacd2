package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Drop caps: the first letter of an article set apart to be drawn large. Written as an
// element of its own, it comes out split from its word ("T he council", or "T" on a line
// of its own) or lost with the hidden copy that screen readers get ("T" hidden from them,
// "The" hidden from the eye). fixDropCap joins the letter to the rest of its word.

// dropCapCues are class / id tokens of drop caps.
var dropCapCues = newCueSet("drop", "dropcap", "dropcaps", "cap", "caps", "initial", "initials",
	"firstletter", "lettrine", "versal", "initiale", "capital", "capitular", "bigletter")

// screenReaderCues are class / id tokens of text shown to screen readers only.
var screenReaderCues = newCueSet("sronly", "screenreader", "visuallyhidden", "srtext", "offscreen",
	"assistive", "hiddenvisually", "readeronly", "sr")

// oneLetterWords are capital letters that are words of their own in some language ("A
// man", "I think", "O Brasil", "Y luego", "W Polsce", "И вот"): after a space they stay
// apart.
const oneLetterWords = "AIOEYUWZÀÁÓÒÈÉИВСКУОЯ"

// fixDropCap joins drop cap n to its word when n is one, removing n; it reports whether it
// did, and n's next sibling before that.
func fixDropCap(n *html.Node) (next *html.Node, fixed bool) {
	letter, ok := dropCapLetter(n)
	if !ok {
		return nil, false
	}
	follow := n.NextSibling
	for p := n; follow == nil && p.Parent != nil && isInlineWrapper(p.Parent); p = p.Parent {
		follow = p.Parent.NextSibling
	}
	space := false
	for follow != nil && follow.Type == html.TextNode && strings.TrimSpace(follow.Data) == "" {
		space, follow = true, follow.NextSibling
	}
	if follow == nil {
		return nil, false
	}
	t := firstText(follow, 0)
	if t == nil {
		return nil, false
	}
	rest := strings.TrimLeftFunc(t.Data, unicode.IsSpace)
	space = space || len(rest) < len(t.Data)
	first, _ := utf8.DecodeRuneInString(rest)
	cue := hasDropCapCue(n)
	switch {
	case t.Parent != nil && t.Parent != n.Parent && screenReaderOnly(t.Parent) && strings.HasPrefix(rest, letter) && !space:
		// "T" for the eye, "The" for screen readers: keep the word, drop the letter.
		unwrap(t.Parent)
	case !unicode.IsLower(first):
		return nil, false
	case isBlock(n) && cue && follow.Type == html.ElementNode && isBlock(follow) && t == firstText(follow, 0):
		// A letter in a box of its own before the paragraph: the break between them is no space.
		t.Data = letter + rest
	case space && (!cue || strings.Contains(oneLetterWords, letter)):
		return nil, false
	case isBlock(n) && !cue:
		return nil, false
	default:
		t.Data = letter + rest
	}
	next = n.NextSibling
	removeNode(n)
	return next, true
}

// dropCapLetter returns the capital letter n shows when n is an element made of that one
// letter (or an image whose alt text is that letter); headings and list items are not.
func dropCapLetter(n *html.Node) (string, bool) {
	if n.Type != html.ElementNode || isHeading(n) {
		return "", false
	}
	var s string
	switch n.DataAtom {
	case atom.Li, atom.Td, atom.Th, atom.A, atom.Button, atom.Sup, atom.Sub, atom.Abbr:
		return "", false
	case atom.Img:
		s = attr(n, "alt")
	default:
		c := n.FirstChild
		if c == nil || c.NextSibling != nil || c.Type != html.TextNode {
			return "", false
		}
		s = c.Data
	}
	s = strings.TrimLeftFunc(s, unicode.IsSpace) // a space after the letter parts it from what follows
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || size != len(s) || !(unicode.IsUpper(r) || unicode.IsTitle(r)) {
		return "", false
	}
	return s, true
}

// hasDropCapCue reports whether n is named or styled as a drop cap.
func hasDropCapCue(n *html.Node) bool {
	if cid := classID(n); cid != "" && matchCue(cid, dropCapCues) != "" {
		return true
	}
	return strings.Contains(strings.ToLower(attr(n, "style")), "float")
}

// screenReaderOnly reports whether element n is text for screen readers only.
func screenReaderOnly(n *html.Node) bool {
	cid := classID(n)
	return cid != "" && matchCue(cid, screenReaderCues) != ""
}

// opensParagraph reports whether inline element n is a capitalised word that starts a
// paragraph's text, and the text right after it goes on in lower case or with a number: the
// first word of the paragraph, as written for screen readers beside a drop cap
// ("<span class=sr-only>The</span> council voted…").
func opensParagraph(n *html.Node) bool {
	word := strings.TrimSpace(textOf(n))
	first, _ := utf8.DecodeRuneInString(word)
	if isBlock(n) || n.Parent == nil || n.Parent.DataAtom != atom.P || !unicode.IsUpper(first) ||
		strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return false
	}
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" || s.Type == html.ElementNode && strings.TrimSpace(textOf(s)) != "" {
			return false
		}
	}
	t := n.NextSibling
	if t == nil || t.Type != html.TextNode {
		return false
	}
	next, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(t.Data, unicode.IsSpace))
	return unicode.IsLower(next) || unicode.IsDigit(next)
}

// isInlineWrapper reports whether n is an inline element whose end does not end a line.
func isInlineWrapper(n *html.Node) bool {
	return n.Type == html.ElementNode && !isBlock(n) && n.DataAtom != atom.Br && n.DataAtom != atom.Body
}

// firstText returns the first text node under n (n itself when it is one), or nil when
// n's first content is not text.
func firstText(n *html.Node, depth int) *html.Node {
	if depth > 8 {
		return nil
	}
	if n.Type == html.TextNode {
		return n
	}
	if n.Type != html.ElementNode || n.DataAtom == atom.Br || n.DataAtom == atom.Img {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.CommentNode {
			continue
		}
		return firstText(c, depth+1)
	}
	return nil
}

// unwrap replaces element n with its children.
func unwrap(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
		c = next
	}
	removeNode(n)
}
