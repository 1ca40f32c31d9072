package journal

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAddWhileListing measures what a request pays to record its exchange while a
// reader lists a full journal of 1,000 deferred entries with 15 KB bodies, the case that
// once held the lock for ~100 ms. "idle" is the same Add with no reader: the two p99s
// should be close. It reports the p99 and the slowest of one Add in ns (p99-ns, max-ns).
func BenchmarkAddWhileListing(b *testing.B) {
	body := strings.Repeat("x", 15<<10)
	fill := func(e *Entry) {
		// What the mock's fill does, in cost: copy and scan the bodies.
		e.RequestBody = strings.Clone(body)
		e.ResponseBody = strings.ToUpper(body)
	}
	for _, listing := range []bool{false, true} {
		name := "idle"
		if listing {
			name = "listing"
		}
		b.Run(name, func(b *testing.B) {
			j := New(1000)
			j.SetMaxBytes(1 << 30)
			add := func() { j.AddDeferred(Entry{Method: "POST", URL: "/hooks"}, int64(2*len(body)), fill) }
			for range 1000 {
				add()
			}
			var stop atomic.Bool
			done := make(chan struct{})
			go func() {
				defer close(done)
				for listing && !stop.Load() {
					j.Clear()
					for range 1000 {
						add()
					}
					j.List(Filter{})
				}
			}()
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				add()
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			stop.Store(true)
			<-done
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*99/100]), "p99-ns")
			b.ReportMetric(float64(lat[len(lat)-1]), "max-ns")
		})
	}
}
