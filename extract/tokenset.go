package extract

// tokenSet is a set of tokens: class / id cues (see cues.go), words of addresses, the first
// words of phrases. Most strings asked about are in no set; has rules them out without
// hashing when no token of the set has their shape (first byte, last byte and length).
type tokenSet struct {
	marks  map[string]uint64 // each token's mark: 1, or in the cue index the cueBits of its sets
	shapes [64]uint64        // bit min(len(w), 63) of shapes[shapeSlot(w)] is set for every token w
	maxLen int               // the longest token's length
	cueBit uint64            // the set's bit in the cue index (newCueSet), else 0
}

// newTokenSet returns the set of the tokens given.
func newTokenSet(tokens ...string) *tokenSet {
	s := &tokenSet{}
	for _, w := range tokens {
		s.add(w, 1)
	}
	return s
}

// add puts w in the set, its mark or'ed with mark.
func (s *tokenSet) add(w string, mark uint64) {
	if s.marks == nil {
		s.marks = map[string]uint64{}
	}
	s.marks[w] |= mark
	s.maxLen = max(s.maxLen, len(w))
	if w != "" {
		s.shapes[shapeSlot(w[0], w[len(w)-1])] |= shapeBit(len(w))
	}
}

// has reports whether w is in the set.
func (s *tokenSet) has(w string) bool { return s.mark(w) != 0 }

// hasJoined reports whether a and b run together (a+b) are in the set; it does not allocate.
func (s *tokenSet) hasJoined(a, b string) bool { return s.markJoined(a, b) != 0 }

// mark returns w's mark, 0 when w is not in the set.
func (s *tokenSet) mark(w string) uint64 {
	if w != "" && !s.mayHold(w[0], w[len(w)-1], len(w)) {
		return 0
	}
	return s.marks[w]
}

// markJoined returns the mark of a+b, 0 when it is not in the set; it does not allocate.
func (s *tokenSet) markJoined(a, b string) uint64 {
	if a == "" || b == "" {
		return s.mark(a + b)
	}
	n := len(a) + len(b)
	if !s.mayHold(a[0], b[len(b)-1], n) {
		return 0
	}
	var buf [64]byte
	if n > len(buf) {
		return s.marks[a+b]
	}
	return s.marks[string(append(append(buf[:0], a...), b...))]
}

// mayHold reports whether the set has a token of n bytes beginning with first and ending
// with last (false: it certainly has none).
func (s *tokenSet) mayHold(first, last byte, n int) bool {
	return n <= s.maxLen && s.shapes[shapeSlot(first, last)]&shapeBit(n) != 0
}

func shapeSlot(first, last byte) byte { return (first ^ last<<1) & 63 }

func shapeBit(n int) uint64 { return 1 << min(n, 63) }
