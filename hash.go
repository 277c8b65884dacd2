package lede

// FNV64a is a 64-bit FNV-1a hash being computed, a value so that hashing allocates nothing:
// start from NewFNV64a and add bytes, strings or other hashes.
//
//	h := NewFNV64a.AddString("some text")
type FNV64a uint64

// NewFNV64a is the hash of nothing, FNV-1a's offset basis.
const NewFNV64a FNV64a = 14695981039346656037

const fnvPrime = 1099511628211

// AddByte returns the hash extended by one byte.
func (h FNV64a) AddByte(c byte) FNV64a { return (h ^ FNV64a(c)) * fnvPrime }

// AddString returns the hash extended by the bytes of s.
func (h FNV64a) AddString(s string) FNV64a {
	for i := 0; i < len(s); i++ {
		h = (h ^ FNV64a(s[i])) * fnvPrime
	}
	return h
}

// AddBytes returns the hash extended by b.
func (h FNV64a) AddBytes(b []byte) FNV64a {
	for _, c := range b {
		h = (h ^ FNV64a(c)) * fnvPrime
	}
	return h
}

// Fingerprint identifies a block of text across a site's pages: the FNV-1a hash of
// NormalizeText(text), equal for blocks that differ only in case, punctuation, spacing or
// Arabic letter variants. Learned chrome is a set of fingerprints.
func Fingerprint(text string) uint64 { return NormalizedFingerprint(NormalizeText(text)) }

// NormalizedFingerprint is Fingerprint of a text already in NormalizeText form.
func NormalizedFingerprint(norm string) uint64 { return uint64(NewFNV64a.AddString(norm)) }
