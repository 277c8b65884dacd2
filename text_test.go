package lede

import (
	"hash/fnv"
	"slices"
	"testing"
)

func TestNormalizeText(t *testing.T) {
	if NormalizeText("  اقرأ أيضاً: ") != NormalizeText("اقرا ايضا") {
		t.Error("Arabic variants should normalise alike")
	}
	for in, want := range map[string]string{
		"Skip to\u00a0CONTENT!":       "skip to content",
		"co\u00adop\u200Beration":     "cooperation", // invisible runes are skipped, the word goes on
		"می\u200cخواهم":               "ميخواهم",     // so are joiners
		"العـــربية ١٢٣ ۴۵":           "العربيه 123 45",
		"مكتبة كتاب ی":                "مكتبه كتاب ي",
		"\ufeffXS | SM · MD — LG\n\n": "xs sm md lg",
	} {
		if got := NormalizeText(in); got != want {
			t.Errorf("NormalizeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	if Fingerprint("XS SM MD LG") != Fingerprint("xs, sm, md, lg") || Fingerprint("a") == Fingerprint("b") {
		t.Error("Fingerprint should follow NormalizeText")
	}
	for _, s := range []string{"المصدر: وكالات", "(Reuters)", "Zorblat  FNERK!", ""} {
		if NormalizedFingerprint(NormalizeText(s)) != Fingerprint(s) {
			t.Errorf("NormalizedFingerprint(NormalizeText(%q)) != Fingerprint", s)
		}
		h := fnv.New64a()
		h.Write([]byte(NormalizeText(s)))
		if Fingerprint(s) != h.Sum64() || uint64(NewFNV64a.AddBytes([]byte(s))) != uint64(NewFNV64a.AddString(s)) {
			t.Errorf("Fingerprint(%q) is not FNV-1a of its normal form", s)
		}
	}
}

// TestWords: the store's content hashes are over these words, so they must not change for a
// text lede stored before.
func TestWords(t *testing.T) {
	for in, want := range map[string][]string{
		"The Council, at 10:30 — said “no”.": {"the", "council", "at", "10", "30", "said", "no"},
		"أعلنت الحكومـــة إنّ ٢٠٢٥":          {"اعلنت", "الحكومه", "ان", "2025"},
		"ﬁnal Ｆｕｌｌ":                          {"final", "full"}, // NFKC
		"می\u200cخواهم co\u00adop":           {"مي", "خواهم", "co", "op"},
		"":                                   nil,
	} {
		if got := Words(in); !slices.Equal(got, want) {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWordCount(t *testing.T) {
	for in, want := range map[string]int{
		"":                         0,
		"one two, three.":          3,
		"إنّ الحكومة أعلنت":        3,
		"10:30 am\n\nsecond block": 5,
	} {
		if got := WordCount(in); got != want {
			t.Errorf("WordCount(%q) = %d, want %d", in, got, want)
		}
	}
}
