package main

import (
	"math"
	"slices"
	"testing"
)

func TestTokensAreUnicodeWordRuns(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Hello, world! snake_case 42", []string{"Hello", "world", "snake_case", "42"}},
		{"وقال الوزير: ٢٠١٥", []string{"وقال", "الوزير", "٢٠١٥"}},
		// U+064E (fatha) is a combining mark: Python's \w excludes it, so the word splits.
		{"مَرحبا", []string{"م", "رحبا"}},
		{"naïve café—déjà vu", []string{"naïve", "café", "déjà", "vu"}},
		{"東京 2020年", []string{"東京", "2020年"}},
		{" \n\t.,;", nil},
	}
	for _, c := range cases {
		if got := tokens(c.in); !slices.Equal(got, c.want) {
			t.Errorf("tokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestScorePage(t *testing.T) {
	cases := []struct {
		name        string
		truth, pred string
		tp, fp, fn  float64
		exact       bool
	}{
		// truth shingles {abcd, bcde}, prediction {abcd}
		{"missing tail", "a b c d e", "a b c d", 0.5, 0, 0.5, false},
		// prediction {abcd, bcde, cdef, defg}, truth {abcd}
		{"extra tail", "a b c d", "a b c d e f g", 0.25, 0.75, 0, false},
		// fewer than 4 tokens make one shingle of them all
		{"short exact", "one two", "one, two!", 1, 0, 0, true},
		{"short differs", "one two", "one two three", 0, 0.5, 0.5, false},
		// shingles are a multiset: {xxxx×2} against {xxxx×1}
		{"multiset", "x x x x x", "x x x x", 0.5, 0, 0.5, false},
		{"empty prediction", "a b c d", "", 0, 0, 1, false},
		{"both empty", "", "", 0, 0, 0, true},
	}
	for _, c := range cases {
		s := scorePage(c.truth, c.pred)
		if !near(s.TP, c.tp) || !near(s.FP, c.fp) || !near(s.FN, c.fn) || s.Exact != c.exact {
			t.Errorf("%s: got tp=%v fp=%v fn=%v exact=%v, want %v %v %v %v",
				c.name, s.TP, s.FP, s.FN, s.Exact, c.tp, c.fp, c.fn, c.exact)
		}
	}
	if _, ok := scorePage("a b c d", "").Precision(); ok {
		t.Error("an empty prediction must have no precision (evalf1.py leaves it out)")
	}
	if f := scorePage("a b c d e", "a b c d").F1(); !near(f, 2.0/3) {
		t.Errorf("page F1 = %v, want 2/3", f)
	}
}

func TestAggregate(t *testing.T) {
	pages := []pageScore{
		scorePage("a b c d e", "a b c d"),     // P 1,    R 0.5
		scorePage("a b c d", ""),              // P none, R 0
		scorePage("a b c d", "a b c d e f g"), // P 0.25, R 1
		scorePage("p q", "p q"),               // P 1,    R 1, exact
	}
	c := aggregate(pages)
	// precision (1+0.25+1)/3 = 0.75; recall (0.5+0+1+1)/4 = 0.625
	// strict precision (1+0+0.25+1)/4 = 0.5625
	want := corpusScore{
		Precision: 0.75, Recall: 0.625, F1: 2 * 0.75 * 0.625 / 1.375,
		StrictPrecision: 0.5625, StrictF1: 2 * 0.5625 * 0.625 / 1.1875,
		Accuracy: 0.25, Pages: 4, EmptyPredictions: 1,
	}
	if !near(c.Precision, want.Precision) || !near(c.Recall, want.Recall) || !near(c.F1, want.F1) ||
		!near(c.StrictPrecision, want.StrictPrecision) || !near(c.StrictF1, want.StrictF1) ||
		!near(c.Accuracy, want.Accuracy) || c.Pages != want.Pages || c.EmptyPredictions != want.EmptyPredictions {
		t.Errorf("aggregate = %+v\nwant        %+v", c, want)
	}
	if z := aggregate(nil); z.F1 != 0 || z.Pages != 0 {
		t.Errorf("aggregate(nil) = %+v, want zeros", z)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestUnmatchedRuns(t *testing.T) {
	truth := "one two three four five six seven eight"
	pred := "Share this! one two three four five six seven eight Read more"
	if got, want := unmatchedRuns(pred, truth), []string{"Share this", "Read more"}; !slices.Equal(got, want) {
		t.Errorf("extra = %q, want %q", got, want)
	}
	if got := unmatchedRuns(truth, pred); got != nil {
		t.Errorf("missing = %q, want none", got)
	}
	if got, want := unmatchedRuns(truth, "one two three four"), []string{"five six seven eight"}; !slices.Equal(got, want) {
		t.Errorf("missing = %q, want %q", got, want)
	}
	if got, want := unmatchedRuns("a b", "c d e f"), []string{"a b"}; !slices.Equal(got, want) {
		t.Errorf("short extra = %q, want %q", got, want)
	}
}
