package main

import (
	"strings"
	"unicode"
)

// This file is the article-extraction benchmark's metric, as implemented by
// ../shared/bench/evalf1.py, ported so that one Go process can score every extractor:
//
//   - a text is cut into tokens, the maximal runs of word characters (Python's Unicode \w:
//     letters, numbers and '_'; Go's regexp \w is ASCII only, hence the hand-written tokenizer);
//   - the tokens form a multiset of 4-token shingles; 1..3 tokens make one shingle of them all,
//     no token makes no shingle;
//   - per page, tp/fp/fn are the matched, extra and missed shingles, divided by tp+fp+fn so that
//     every page weighs the same;
//   - precision is averaged over pages with a non-empty prediction, recall over pages with a
//     non-empty truth, and F1 is the harmonic mean of the two averages;
//   - accuracy is the share of pages whose token sequence equals the truth's.

// shingleSize is the number of consecutive tokens in one shingle.
const shingleSize = 4

// isWordRune reports whether r is a word character in the sense of Python's Unicode \w.
// Combining marks (such as Arabic harakat) are not: Python splits words on them, and so do we.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// tokens returns the maximal runs of word characters in text.
func tokens(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) })
}

// shingles returns the multiset of shingleSize-token windows of toks, each window's tokens
// joined by a NUL byte (which never occurs inside a token).
func shingles(toks []string) map[string]int {
	set := make(map[string]int)
	switch {
	case len(toks) == 0:
	case len(toks) < shingleSize:
		set[strings.Join(toks, "\x00")]++
	default:
		for i := 0; i+shingleSize <= len(toks); i++ {
			set[strings.Join(toks[i:i+shingleSize], "\x00")]++
		}
	}
	return set
}

// pageScore is the normalised outcome of one page: tp+fp+fn is 1, or all three are 0 when
// both the truth and the prediction are empty.
type pageScore struct {
	TP, FP, FN float64
	Exact      bool // the token sequences are equal
}

// Precision is tp/(tp+fp); ok is false for an empty prediction, which evalf1.py leaves out.
func (s pageScore) Precision() (p float64, ok bool) {
	if s.TP+s.FP == 0 {
		return 0, false
	}
	return s.TP / (s.TP + s.FP), true
}

// Recall is tp/(tp+fn); ok is false for an empty truth.
func (s pageScore) Recall() (r float64, ok bool) {
	if s.TP+s.FN == 0 {
		return 0, false
	}
	return s.TP / (s.TP + s.FN), true
}

// F1 is the page's own F1 (1 when truth and prediction are both empty), for ranking pages.
func (s pageScore) F1() float64 {
	if s.TP+s.FP+s.FN == 0 {
		return 1
	}
	return 2 * s.TP / (2*s.TP + s.FP + s.FN)
}

// scorePage compares one predicted text with the true text.
func scorePage(truth, pred string) pageScore {
	tt, pt := tokens(truth), tokens(pred)
	ts, ps := shingles(tt), shingles(pt)
	var tp, nt, np int
	for k, n := range ts {
		tp += min(n, ps[k])
		nt += n
	}
	for _, n := range ps {
		np += n
	}
	s := pageScore{TP: float64(tp), FP: float64(np - tp), FN: float64(nt - tp), Exact: equal(tt, pt)}
	if total := s.TP + s.FP + s.FN; total > 0 {
		s.TP, s.FP, s.FN = s.TP/total, s.FP/total, s.FN/total
	}
	return s
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// corpusScore is the benchmark's corpus-level result.
type corpusScore struct {
	F1, Precision, Recall, Accuracy float64
	// StrictF1 and StrictPrecision count an empty prediction as precision 0 instead of leaving
	// it out: how lede is scored on unseen pages, where returning nothing is a failure.
	StrictF1, StrictPrecision float64
	Pages, EmptyPredictions   int
}

// aggregate combines per-page scores, given in a fixed order (evalf1.py sorts by page id, and
// summing in the same order gives the same floating-point result).
func aggregate(pages []pageScore) corpusScore {
	var c corpusScore
	var sumP, sumR float64
	var nP, nR, nExact int
	var sumStrictP float64
	var nStrictP int
	for _, s := range pages {
		if p, ok := s.Precision(); ok {
			sumP += p
			nP++
			sumStrictP += p
			nStrictP++
		} else if s.FN > 0 { // empty prediction, non-empty truth
			nStrictP++
		}
		if r, ok := s.Recall(); ok {
			sumR += r
			nR++
		}
		if s.Exact {
			nExact++
		}
	}
	c.Pages = len(pages)
	c.EmptyPredictions = len(pages) - nP
	if nP > 0 {
		c.Precision = sumP / float64(nP)
	}
	if nR > 0 {
		c.Recall = sumR / float64(nR)
	}
	if nStrictP > 0 {
		c.StrictPrecision = sumStrictP / float64(nStrictP)
	}
	if len(pages) > 0 {
		c.Accuracy = float64(nExact) / float64(len(pages))
	}
	c.F1 = harmonic(c.Precision, c.Recall)
	c.StrictF1 = harmonic(c.StrictPrecision, c.Recall)
	return c
}

func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// unmatchedRuns returns the runs of tokens of text that no shingle shared with other covers,
// joined by spaces: for a prediction, the extra text; for the truth, the missing text.
func unmatchedRuns(text, other string) []string {
	toks := tokens(text)
	if len(toks) < shingleSize {
		if scorePage(text, other).TP > 0 || len(toks) == 0 {
			return nil
		}
		return []string{strings.Join(toks, " ")}
	}
	avail := shingles(tokens(other))
	covered := make([]bool, len(toks))
	for i := 0; i+shingleSize <= len(toks); i++ {
		k := strings.Join(toks[i:i+shingleSize], "\x00")
		if avail[k] > 0 {
			avail[k]--
			for j := i; j < i+shingleSize; j++ {
				covered[j] = true
			}
		}
	}
	var runs []string
	for i := 0; i < len(toks); {
		if covered[i] {
			i++
			continue
		}
		j := i
		for j < len(toks) && !covered[j] {
			j++
		}
		runs = append(runs, strings.Join(toks[i:j], " "))
		i = j
	}
	return runs
}
