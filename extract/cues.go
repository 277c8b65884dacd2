package extract

// Class and id cues: lower-case words that name an element's role ("byline", "related",
// "share") matched against the tokens of its class or id attribute. A class is cut into
// tokens at every byte outside a to z ("most-read__list" → most, read, list); a cue matches
// a token, or two adjacent tokens run together ("mostread").

// newCueSet returns the set of the cues given, registered in the cue index so that
// cueBits tests a class against every cue set in one pass.
func newCueSet(cues ...string) *tokenSet {
	if len(cueSets) == 64 {
		panic("extract: more than 64 cue sets")
	}
	s := newTokenSet(cues...)
	s.cueBit = 1 << len(cueSets)
	cueSets = append(cueSets, s)
	for _, c := range cues {
		cueIndex.add(c, s.cueBit)
	}
	return s
}

var (
	cueSets  []*tokenSet // the sets made by newCueSet, in order: set i has cueBit 1<<i
	cueIndex tokenSet    // every cue, marked with the cueBits of the sets holding it
)

// matchCue returns the first cue of set found in the class/id string cid, or "".
func matchCue(cid string, set *tokenSet) string {
	prev := ""
	for tok, rest := nextCueToken(cid); tok != ""; tok, rest = nextCueToken(rest) {
		if set.has(tok) {
			return tok
		}
		if prev != "" && set.hasJoined(prev, tok) {
			return prev + tok
		}
		prev = tok
	}
	return ""
}

// cueBits returns the cueBits of the cue sets that match the class/id string cid:
// matchCue(cid, s) != "" exactly when cueBits(cid)&s.cueBit != 0.
func cueBits(cid string) uint64 {
	var bits uint64
	prev := ""
	for tok, rest := nextCueToken(cid); tok != ""; tok, rest = nextCueToken(rest) {
		bits |= cueIndex.mark(tok)
		if prev != "" {
			bits |= cueIndex.markJoined(prev, tok)
		}
		prev = tok
	}
	return bits
}

// nextCueToken returns the first token of s — a run of the letters a to z; every other
// byte, and so every rune outside them, separates tokens — and what follows it. tok is ""
// when s holds no more tokens.
func nextCueToken(s string) (tok, rest string) {
	i := 0
	for i < len(s) && (s[i] < 'a' || s[i] > 'z') {
		i++
	}
	j := i
	for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
		j++
	}
	return s[i:j], s[j:]
}
