package extract

// tokenSet is a set of tokens: class / id cues (see matchCue), words of addresses, the first
// words of phrases. Most strings asked about are in no set; has rules them out without
// hashing when no word of the set has their shape (first byte, last byte and length).
type tokenSet struct {
	words  map[string]bool
	shapes [64]uint64 // bit min(len(w), 63) of shapes[shapeSlot(w)] is set for every word w
	maxLen int        // the longest word's length
}

// newTokenSet returns the set of the tokens given.
func newTokenSet(words ...string) *tokenSet {
	s := &tokenSet{words: make(map[string]bool, len(words))}
	for _, w := range words {
		s.words[w] = true
		s.maxLen = max(s.maxLen, len(w))
		if w != "" {
			s.shapes[shapeSlot(w[0], w[len(w)-1])] |= shapeBit(len(w))
		}
	}
	return s
}

// has reports whether w is in the set.
func (s *tokenSet) has(w string) bool {
	if w == "" {
		return s.words[w]
	}
	return s.mayHold(w[0], w[len(w)-1], len(w)) && s.words[w]
}

// hasJoined reports whether a and b run together (a+b) are in the set; it does not allocate.
func (s *tokenSet) hasJoined(a, b string) bool {
	n := len(a) + len(b)
	if a == "" || b == "" {
		return s.has(a + b)
	}
	if !s.mayHold(a[0], b[len(b)-1], n) {
		return false
	}
	var buf [64]byte
	if n > len(buf) {
		return s.words[a+b]
	}
	return s.words[string(append(append(buf[:0], a...), b...))]
}

// mayHold reports whether the set has a word of n bytes beginning with first and ending
// with last (false: it certainly has none).
func (s *tokenSet) mayHold(first, last byte, n int) bool {
	return n <= s.maxLen && s.shapes[shapeSlot(first, last)]&shapeBit(n) != 0
}

func shapeSlot(first, last byte) byte { return (first ^ last<<1) & 63 }

func shapeBit(n int) uint64 { return 1 << min(n, 63) }
