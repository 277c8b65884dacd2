package web

import (
	"fmt"
	"time"
)

// chartDays is how many days the overview's chart shows.
const chartDays = 60

// barChart is an inline SVG bar chart, laid out here and drawn by the overview template:
// no script, no library.
type barChart struct {
	Width, Height int
	Bars          []chartBar
	Ticks         []chartTick // date labels under the bars
	Max           int         // the tallest bar's value, labelled on the axis
	Total         int
	From, To      string // the first and last day shown
	Base          float64
	TickY, MaxY   float64 // baselines of the date labels and of the tallest bar's label
}

type chartBar struct {
	X, Y, W, H float64
	Label      string // a tooltip: the day and its count
}

type chartTick struct {
	X     float64
	Label string
}

// dayChart lays out counts (one per day, the first on day first) as bars.
func dayChart(first int32, counts []int) barChart {
	// Room above and below the bars for labels up to 24 units high (the phone layout's).
	const width, height, top, bottom, left = 720, 200, 28, 32, 4
	c := barChart{Width: width, Height: height, Base: height - bottom, TickY: height - 6, MaxY: 22}
	for _, n := range counts {
		c.Max = max(c.Max, n)
		c.Total += n
	}
	if len(counts) == 0 {
		return c
	}
	day := func(i int) time.Time { return time.Unix(int64(first+int32(i))*86400, 0).UTC() }
	c.From, c.To = day(0).Format("2 Jan 2006"), day(len(counts)-1).Format("2 Jan 2006")
	slot := float64(width-left) / float64(len(counts))
	for i, n := range counts {
		x := left + float64(i)*slot
		h := 0.0
		if c.Max > 0 {
			h = float64(n) / float64(c.Max) * float64(height-top-bottom)
		}
		if n > 0 && h < 1 {
			h = 1
		}
		c.Bars = append(c.Bars, chartBar{X: x + slot*0.1, Y: c.Base - h, W: slot * 0.8, H: h,
			Label: fmt.Sprintf("%s: %d", day(i).Format("Mon 2 Jan 2006"), n)})
		// A date under the first day and every Monday, none crowding the first or running
		// past the right edge (a label is about 50 units wide on a phone).
		if d := day(i); (d.Weekday() == time.Monday && i >= 3 || i == 0) && x <= width-60 {
			c.Ticks = append(c.Ticks, chartTick{X: x, Label: d.Format("2 Jan")})
		}
	}
	return c
}
