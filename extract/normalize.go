package extract

import (
	"lede"
	"strings"
)

// phraseSet matches normalised texts against a list of normalised phrases.
type phraseSet struct {
	whole    map[string]bool
	first    *tokenSet // the phrases' first words, to rule most positions out at once
	maxWords int
}

func newPhraseSet(phrases ...string) phraseSet {
	s := phraseSet{whole: map[string]bool{}}
	var first []string
	for _, p := range phrases {
		p = lede.NormalizeText(p)
		s.whole[p] = true
		w, _, _ := strings.Cut(p, " ")
		first = append(first, w)
		if n := strings.Count(p, " ") + 1; n > s.maxWords {
			s.maxWords = n
		}
	}
	s.first = newTokenSet(first...)
	return s
}

// is reports whether norm is exactly one of the phrases.
func (s phraseSet) is(norm string) bool { return s.whole[norm] }

// prefix returns the longest phrase norm starts with (on a word boundary) and the rest.
// norm must be lede.NormalizeText'd (single spaces); prefix does not allocate.
func (s phraseSet) prefix(norm string) (phrase, rest string, ok bool) {
	if w, _, _ := strings.Cut(norm, " "); !s.first.has(w) {
		return "", norm, false
	}
	var ends [16]int
	n, i := 0, 0
	for n < s.maxWords && n < len(ends) && i <= len(norm) {
		j := strings.IndexByte(norm[i:], ' ')
		if j < 0 {
			ends[n] = len(norm)
			n++
			break
		}
		ends[n] = i + j
		n++
		i += j + 1
	}
	for k := n - 1; k >= 0; k-- {
		if p := norm[:ends[k]]; s.whole[p] {
			if ends[k] < len(norm) {
				return p, norm[ends[k]+1:], true
			}
			return p, "", true
		}
	}
	return "", norm, false
}

// consistsOf reports whether norm is made only of phrases from s, at least min of them.
func (s phraseSet) consistsOf(norm string, minCount int) bool {
	count := 0
	for norm != "" {
		_, rest, ok := s.prefix(norm)
		if !ok {
			return false
		}
		norm = rest
		count++
	}
	return count >= minCount
}

// contains reports whether any phrase occurs in norm on word boundaries.
func (s phraseSet) contains(norm string) bool {
	for i := 0; i < len(norm); {
		if _, _, ok := s.prefix(norm[i:]); ok {
			return true
		}
		j := strings.IndexByte(norm[i:], ' ')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return false
}
