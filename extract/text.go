package extract

import (
	"lede"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// renderText renders n as block-aware plain text: one block per paragraph (list item,
// heading, table row...), a blank line between blocks, a line break for <br>, whitespace
// normalised, soft hyphens and zero-width spaces removed, no words glued across blocks.
func renderText(n *html.Node) string {
	var w textWriter
	w.render(n, 0, false)
	return strings.TrimSpace(w.b.String())
}

type textWriter struct {
	b        strings.Builder
	space    bool // a space is pending before the next word
	newlines int  // line breaks pending before the next word (0, 1 or 2)
}

func (w *textWriter) breakLine(n int) {
	if n > w.newlines {
		w.newlines = n
	}
}

func (w *textWriter) write(s string) {
	if s == "" {
		return
	}
	if w.b.Len() > 0 {
		switch {
		case w.newlines >= 2:
			w.b.WriteString("\n\n")
		case w.newlines == 1:
			w.b.WriteByte('\n')
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	w.newlines, w.space = 0, false
	w.b.WriteString(s)
}

func (w *textWriter) text(s string, pre bool) {
	if pre {
		for i, line := range strings.Split(s, "\n") {
			if i > 0 {
				w.breakLine(1)
			}
			line = strings.TrimRight(line, " \t\r")
			if strings.TrimSpace(line) != "" {
				w.write(strings.Map(dropInvisible, line))
			}
		}
		return
	}
	start := -1
	flush := func(end int) {
		if start >= 0 {
			word := strings.Map(dropInvisible, s[start:end])
			w.write(word)
			start = -1
		}
	}
	for i, r := range s {
		if unicode.IsSpace(r) {
			flush(i)
			w.space = true
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(s))
}

func dropInvisible(r rune) rune {
	if lede.IsInvisible(r) {
		return -1
	}
	return r
}

func (w *textWriter) render(n *html.Node, depth int, pre bool) {
	if depth > maxDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.text(n.Data, pre)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Iframe,
			atom.Svg, atom.Math, atom.Canvas, atom.Video, atom.Audio, atom.Select, atom.Button, atom.Object:
			return
		case atom.Br:
			w.breakLine(1)
			return
		case atom.Td, atom.Th:
			w.space = true
		case atom.Pre:
			pre = true
		}
	}
	block := isBlock(n) && n.DataAtom != atom.Td && n.DataAtom != atom.Th
	if block {
		w.breakLine(blockGap(n))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.render(c, depth+1, pre)
	}
	if block {
		w.breakLine(blockGap(n))
	} else if n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th) {
		w.space = true
	}
}

// blockGap is the break around a block: table rows and the terms of a definition list are
// lines, everything else a paragraph.
func blockGap(n *html.Node) int {
	switch n.DataAtom {
	case atom.Tr, atom.Dt, atom.Tbody, atom.Thead, atom.Tfoot:
		return 1
	}
	return 2
}
