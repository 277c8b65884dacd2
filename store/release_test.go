package store

import (
	"testing"
	"time"
)

// TestReleaseDue releases the mapped pages at most once per releaseInterval, whichever
// transaction ends first after it.
func TestReleaseDue(t *testing.T) {
	db := &DB{}
	if !db.releaseDue() {
		t.Fatal("the first transaction must release")
	}
	if db.releaseDue() {
		t.Fatal("a transaction right after a release must not release again")
	}
	db.lastRelease.Store(time.Now().Add(-releaseInterval).UnixNano())
	if !db.releaseDue() {
		t.Fatal("a transaction releaseInterval after the last release must release")
	}
}
