package main

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// processAge is how long ago this process started, its package initialisation included,
// from /proc: the start time in /proc/self/stat (clock ticks since boot, USER_HZ = 100)
// against the time since boot in /proc/uptime. It is 0 when they cannot be read.
func processAge() time.Duration {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count the fields after its ')'.
	fields := bytes.Fields(stat[bytes.LastIndexByte(stat, ')')+1:])
	if len(fields) < 20 {
		return 0
	}
	ticks, err := strconv.ParseFloat(string(fields[19]), 64) // field 22, starttime
	if err != nil {
		return 0
	}
	uptime, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return 0
	}
	up, err := strconv.ParseFloat(string(bytes.Fields(uptime)[0]), 64)
	if err != nil {
		return 0
	}
	return max(time.Duration((up-ticks/100)*float64(time.Second)), 0)
}
