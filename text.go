package lede

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file is lede's one text normaliser: the form in which two texts, or two blocks of
// text, are the same. Learned chrome compares blocks in it (NormalizeText, Fingerprint), the
// store compares articles by its words (Words), and both count words the same way
// (WordCount).

// Invisible runes. The first three never show and are removed from an article's text; the
// joiners shape the letters around them (Persian, Indic scripts) and stay in the text, but
// not in its comparison form.
const (
	softHyphen = '\u00AD'
	zeroWidth  = '\u200B' // zero-width space
	byteOrder  = '\uFEFF' // byte order mark, zero-width no-break space
	nonJoiner  = '\u200C' // zero-width non-joiner
	joiner     = '\u200D' // zero-width joiner
	tatweel    = 'ـ'      // Arabic kashida: only stretches a word
)

// IsInvisible reports whether r is a rune that never shows in a text and is removed from an
// article's text: a soft hyphen, a zero-width space or a byte order mark.
func IsInvisible(r rune) bool { return r == softHyphen || r == zeroWidth || r == byteOrder }

// ignored reports whether r carries nothing for comparison: a combining mark (harakat,
// shadda, accents), tatweel, an invisible rune or a joiner. A word goes on across it.
func ignored(r rune) bool {
	return unicode.Is(unicode.Mn, r) || r == tatweel || IsInvisible(r) || r == nonJoiner || r == joiner
}

// FoldRune maps r to its comparison form: lower case, Arabic and Persian letter variants
// folded (أ إ آ ٱ → ا, ى ی → ي, ة → ه, ک → ك), Arabic-Indic digits made ASCII. It returns -1
// for a rune that carries nothing for comparison (see NormalizeText). Punctuation, symbols and
// spaces come back lower-cased; they separate words.
func FoldRune(r rune) rune {
	if ignored(r) {
		return -1
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ': // alef with hamza above/below, madda, wasla → bare alef
		return 'ا'
	case 'ة': // taa marbuta → haa
		return 'ه'
	case 'ى', 'ی': // alef maqsura, Farsi yeh → yaa
		return 'ي'
	case 'ک': // keheh → kaf
		return 'ك'
	}
	switch {
	case r >= '٠' && r <= '٩': // Arabic-Indic digits
		return '0' + (r - '٠')
	case r >= '۰' && r <= '۹': // Extended Arabic-Indic digits
		return '0' + (r - '۰')
	}
	return unicode.ToLower(r)
}

// IsWordRune reports whether r, folded, belongs to a word: a letter or a digit.
func IsWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// NormalizeText is the comparison form of a block of text: its words (letters and digits,
// folded by FoldRune) separated by single spaces; punctuation, symbols and spaces only
// separate words, and the runes FoldRune drops (combining marks, tatweel, invisible runes
// and joiners) are skipped.
func NormalizeText(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		if r < utf8.RuneSelf { // ASCII fast path: FoldRune lower-cases, letters and digits are words
			switch {
			case 'A' <= r && r <= 'Z':
				r += 'a' - 'A'
				fallthrough
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteByte(byte(r))
			default:
				space = true
			}
			continue
		}
		r = FoldRune(r)
		switch {
		case r < 0:
			continue
		case IsWordRune(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// Words returns the normalised words of a whole text, as the store compares articles: the
// text in NFKC, then split and folded as NormalizeText does, except that an invisible rune
// or a joiner ends a word (as lede has always hashed articles, so stored content hashes stay
// valid). Two renderings of the same article (other whitespace, other charset, other hamza
// spelling) give the same words.
func Words(text string) []string {
	text = norm.NFKC.String(text)
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range text {
		if r < utf8.RuneSelf { // ASCII fast path
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				w.WriteByte(byte(r))
			case 'A' <= r && r <= 'Z':
				w.WriteByte(byte(r + 'a' - 'A'))
			default:
				flush()
			}
			continue
		}
		if IsInvisible(r) || r == nonJoiner || r == joiner {
			flush()
			continue
		}
		r = FoldRune(r)
		switch {
		case r < 0:
			continue
		case IsWordRune(r):
			w.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// WordCount counts the words of a text as lede reports them: runs of letters, digits and
// combining marks, in any script.
func WordCount(text string) int {
	var c WordCounter
	c.Add(text)
	return c.Count()
}

// WordCounter counts the words of a text given in pieces, as WordCount counts the whole: a
// word may go on from one piece to the next.
type WordCounter struct {
	n    int
	word bool // the last piece ended inside a word
}

// Add counts the words of the next piece of text.
func (c *WordCounter) Add(text string) {
	for i := 0; i < len(text); {
		var word bool
		if b := text[i]; b < utf8.RuneSelf { // ASCII fast path
			word = 'a' <= b|0x20 && b|0x20 <= 'z' || '0' <= b && b <= '9'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			word = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
			i += size
		}
		if word && !c.word {
			c.n++
		}
		c.word = word
	}
}

// Count returns the number of words counted so far.
func (c *WordCounter) Count() int { return c.n }
