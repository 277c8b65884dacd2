package store

import (
	"crypto/sha256"
	"encoding/hex"
	"lede"
	"math/bits"
)

// This file holds the pure functions behind deduplication: the content hash and the 64-bit
// SimHash used to find near-duplicates, both over a text's normalised words (lede.Words).

// Near-duplicate detection. Two texts are the same article when their SimHashes differ in at
// most nearDistance bits and their word shingles overlap by at least nearJaccard. The SimHash
// is cut into simBands bands; two hashes within nearDistance bits agree exactly on at least
// one band (pigeonhole), so the band index finds every candidate without a scan, and the
// shingle overlap, checked on the few candidates, keeps templated but different articles apart.
const (
	nearDistance = 5
	simBands     = nearDistance + 1
	nearJaccard  = 0.8
	// minNearWords is the fewest words a text needs before near-duplicate detection applies;
	// shorter texts are only deduplicated exactly (their SimHash says too little).
	minNearWords = 12
	// shingleSize is the number of words per SimHash shingle.
	shingleSize = 3
)

// ContentHash returns the hex SHA-256 (first 128 bits) of the normalised words of text.
func ContentHash(text string) string { return contentHash(lede.Words(text)) }

func contentHash(words []string) string {
	h := sha256.New()
	for i, w := range words {
		if i > 0 {
			h.Write([]byte{' '})
		}
		h.Write([]byte(w))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// SimHash returns the 64-bit SimHash of text over shingles of three normalised words.
func SimHash(text string) uint64 { return simHash(lede.Words(text)) }

func simHash(words []string) uint64 {
	if len(words) == 0 {
		return 0
	}
	var counts [64]int
	forShingles(words, func(x uint64) {
		for i := range 64 {
			counts[i] += int(x>>i&1)*2 - 1
		}
	})
	var s uint64
	for i, c := range counts {
		if c > 0 {
			s |= 1 << i
		}
	}
	return s
}

// mix64 is the SplitMix64 finaliser: FNV's high bits change too little for short inputs.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hamming is the number of bits in which a and b differ.
func hamming(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// simBandKeys returns the band-index key prefixes of s: the band number, then the band's
// bits (64/simBands, rounded) in two bytes.
func simBandKeys(s uint64) [simBands][3]byte {
	var keys [simBands][3]byte
	start := 0
	for i := range simBands {
		width := (64 - start) / (simBands - i)
		v := uint16((s >> start) & (1<<width - 1))
		keys[i] = [3]byte{byte(i), byte(v >> 8), byte(v)}
		start += width
	}
	return keys
}

// shingles returns the set of hashed shingleSize-word shingles of words.
func shingles(words []string) map[uint64]struct{} {
	set := make(map[uint64]struct{}, len(words))
	forShingles(words, func(h uint64) { set[h] = struct{}{} })
	return set
}

// forShingles calls fn with the hash of each shingle of words (the whole text when shorter
// than one shingle).
func forShingles(words []string, fn func(uint64)) {
	hashOf := func(shingle []string) uint64 {
		h := lede.NewFNV64a
		for i, w := range shingle {
			if i > 0 {
				h = h.AddByte(' ')
			}
			h = h.AddString(w)
		}
		return mix64(uint64(h))
	}
	if len(words) < shingleSize {
		fn(hashOf(words))
		return
	}
	for i := 0; i+shingleSize <= len(words); i++ {
		fn(hashOf(words[i : i+shingleSize]))
	}
}

// jaccard is the overlap |a∩b| / |a∪b| of two shingle sets.
func jaccard(a, b map[uint64]struct{}) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	both := 0
	for h := range a {
		if _, ok := b[h]; ok {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// articleID derives the stable ID of an article from its normalised canonical URL.
func articleID(canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return hex.EncodeToString(sum[:8])
}
