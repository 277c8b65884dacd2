package web

import (
	"lede"
	"unicode"
	"unicode/utf8"
)

// Search terms. A text's terms are the store's normalised words (lede.Words: NFKC, lower
// case, Arabic letter variants folded, diacritics and tatweel dropped, so "أخبار" and
// "اخبار" are one term), except that the scripts written without spaces between words
// (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) and Korean, whose words carry particles,
// are cut into overlapping pairs of characters: "東京都庁" gives 東京, 京都, 都庁. A query
// of two characters or more then finds its pairs in any text that holds it, with no
// dictionary (Lucene's CJK analyser works the same way). A lone character is kept as a term
// of its own when it stands alone.

// terms calls fn with the search terms of text, in order, repeats included.
func terms(text string, fn func(string)) {
	for _, w := range lede.Words(text) {
		wordTerms(w, fn)
	}
}

// wordTerms cuts one normalised word into terms: itself, or around and within its runs of
// unspaced script, pairs of characters.
func wordTerms(w string, fn func(string)) {
	if !hasUnspaced(w) {
		fn(w)
		return
	}
	start := 0 // start of the current run of the same kind
	for start < len(w) {
		r, _ := utf8.DecodeRuneInString(w[start:])
		unspaced := isUnspaced(r)
		end := start
		for end < len(w) {
			r, size := utf8.DecodeRuneInString(w[end:])
			if isUnspaced(r) != unspaced {
				break
			}
			end += size
		}
		run := w[start:end]
		if unspaced {
			bigrams(run, fn)
		} else {
			fn(run)
		}
		start = end
	}
}

// bigrams calls fn with each pair of adjacent characters of run, or run itself when it is
// a single character.
func bigrams(run string, fn func(string)) {
	_, first := utf8.DecodeRuneInString(run)
	if first == len(run) {
		fn(run)
		return
	}
	for i := 0; i < len(run); {
		_, a := utf8.DecodeRuneInString(run[i:])
		if i+a >= len(run) {
			return
		}
		_, b := utf8.DecodeRuneInString(run[i+a:])
		fn(run[i : i+a+b])
		i += a
	}
}

func hasUnspaced(w string) bool {
	for _, r := range w {
		if isUnspaced(r) {
			return true
		}
	}
	return false
}

// isUnspaced reports whether r belongs to a script whose words are not reliably set apart
// by spaces.
func isUnspaced(r rune) bool {
	if r < 0x0E00 {
		return false // Latin, Greek, Cyrillic, Arabic, Hebrew, Indic scripts... : spaced
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
