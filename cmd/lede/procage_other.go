//go:build !linux

package main

import "time"

// processAge is how long ago this process started; 0 where lede cannot tell.
func processAge() time.Duration { return 0 }
