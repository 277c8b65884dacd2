package main

import (
	"os"
	"testing"
	"time"
)

// TestLockWaitCountsFromProcessStart: the 2 s README promises run from the start of the
// process, whose start-up (package initialisation) comes out of them; the lock is always
// tried at least once.
func TestLockWaitCountsFromProcessStart(t *testing.T) {
	for _, c := range []struct{ age, want time.Duration }{
		{0, 2 * time.Second},
		{300 * time.Millisecond, 1700 * time.Millisecond},
		{1999 * time.Millisecond, time.Millisecond},
		{5 * time.Second, time.Millisecond},
	} {
		if got := lockTimeout(c.age); got != c.want {
			t.Errorf("lockTimeout(%v) = %v, want %v", c.age, got, c.want)
		}
	}
	if _, err := os.Stat("/proc/self/stat"); err == nil {
		// This test runs after the process started: its age is at least the test's.
		start := time.Now()
		time.Sleep(50 * time.Millisecond)
		if age := processAge(); age < time.Since(start)-20*time.Millisecond {
			t.Errorf("processAge() = %v, less than the %v this test has run", age, time.Since(start))
		}
	}
}
