package web

import (
	"errors"
	"lede"
	"strings"

	"lede/extract"
)

// The explain view replays the extraction of a stored page (its raw bytes, the learned
// chrome of its host as it is now) and shows every text block of the page in order with
// what became of it: kept in the article, removed by a rule of the chrome stripper (named),
// or never part of the article (readability left it out: menus, headers, footers).
//
// The extractor reports its removals as texts (extract.WithRemoved), not as positions, so
// the page's blocks (Document.TextBlocks) are matched against the article's lines and the
// removals in document order, comparing normalised text without spaces (an element removed
// whole reports its blocks' text run together).

// Fates of a block in the explain view.
const (
	fateKept    = "kept"
	fateRemoved = "removed"
	fateOutside = "outside"
)

// explainedBlock is one text block of the page and what became of it.
type explainedBlock struct {
	Text string
	Fate string // fateKept, fateRemoved, fateOutside
	Rule string // the rule that removed it (fateRemoved)
}

// explanation is the explain view of one page.
type explanation struct {
	Blocks []explainedBlock
	// Unplaced are the article's lines not found among the page's blocks (a body taken from
	// the page's JSON-LD, for instance).
	Unplaced []string
	Notes    []string // the extractor's notes that are not removals (body-candidate)
	Err      string   // why no article came out ("no article found", "not an HTML document")
	Removed  int
	Kept     int
	Outside  int
}

// explainPage extracts page again with opts (the host's learned chrome) and explains it. A
// page that is not HTML or holds no article is explained by ex.Err.
func explainPage(page []byte, pageURL string, opts ...extract.Option) (*explanation, error) {
	type removal struct{ rule, rest string }
	var removals []*removal
	ex := &explanation{}
	opts = append(opts,
		extract.WithRemoved(func(rule, text string) {
			if k := squashKey(text); k != "" {
				removals = append(removals, &removal{rule: rule, rest: k})
			}
		}),
		extract.WithExplain(func(rule, text string) {
			if rule == "body-candidate" {
				ex.Notes = append(ex.Notes, text)
			}
		}))
	d, err := extract.Parse(page, pageURL, opts...)
	if err != nil {
		ex.Err = err.Error() // not HTML (any more): nothing to show but that
		return ex, nil
	}
	blocks := d.TextBlocks()
	a, err := d.Article()
	var kept []string
	switch {
	case errors.Is(err, extract.ErrNoArticle):
		ex.Err = err.Error()
	case err != nil:
		return nil, err
	default:
		for _, line := range strings.Split(a.Text, "\n") {
			if strings.TrimSpace(line) != "" {
				kept = append(kept, line)
			}
		}
	}

	k, keptRest := 0, ""
	if len(kept) > 0 {
		keptRest = squashKey(kept[0])
	}
	for _, text := range blocks {
		key := squashKey(text)
		b := explainedBlock{Text: text, Fate: fateOutside}
		switch {
		case key == "":
			// Punctuation alone: it goes with the block before it.
			if n := len(ex.Blocks); n > 0 {
				b.Fate, b.Rule = ex.Blocks[n-1].Fate, ex.Blocks[n-1].Rule
			}
		case k < len(kept) && strings.HasPrefix(keptRest, key):
			b.Fate = fateKept
			if keptRest = keptRest[len(key):]; keptRest == "" {
				if k++; k < len(kept) {
					keptRest = squashKey(kept[k])
				}
			}
		case k < len(kept) && keptRest != "" && strings.HasPrefix(key, keptRest):
			// One page block holding several of the article's lines (or a line and a piece
			// the stripper removed from within it).
			b.Fate = fateKept
			for k < len(kept) && strings.HasPrefix(key, keptRest) {
				key = key[len(keptRest):]
				if k++; k < len(kept) {
					keptRest = squashKey(kept[k])
				}
			}
		default:
			for i, r := range removals {
				if strings.HasPrefix(r.rest, key) {
					b.Fate, b.Rule = fateRemoved, r.rule
					if r.rest = r.rest[len(key):]; r.rest == "" {
						removals = append(removals[:i], removals[i+1:]...)
					}
					break
				}
			}
		}
		switch b.Fate {
		case fateKept:
			ex.Kept++
		case fateRemoved:
			ex.Removed++
		default:
			ex.Outside++
		}
		ex.Blocks = append(ex.Blocks, b)
	}
	for ; k < len(kept); k++ {
		ex.Unplaced = append(ex.Unplaced, kept[k])
	}
	return ex, nil
}

// squashKey is the text's normalised form without spaces, for matching blocks cut or joined
// differently.
func squashKey(text string) string {
	return strings.ReplaceAll(lede.NormalizeText(text), " ", "")
}
