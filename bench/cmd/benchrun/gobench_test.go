package main

import (
	"reflect"
	"testing"
	"time"
)

func TestParseGoBench(t *testing.T) {
	t.Parallel()
	out := []byte(`goos: linux
goarch: amd64
pkg: github.com/hookkit/hookkit/bench
BenchmarkHandler/bare-2         	  100000	      3292 ns/op	    6720 B/op	      24 allocs/op
BenchmarkRoute/ops=5000/last-2  	  200	       909.5 ns/op
BenchmarkNoSuffix 10 5 ns/op
PASS
ok  	github.com/hookkit/hookkit/bench	1.0s
`)
	want := []goBench{
		{Name: "Handler/bare", NsPerOp: 3292, BytesPerOp: 6720, AllocsPerOp: 24},
		{Name: "Route/ops=5000/last", NsPerOp: 909.5},
		{Name: "NoSuffix", NsPerOp: 5},
	}
	if got := parseGoBench(out); !reflect.DeepEqual(got, want) {
		t.Errorf("parseGoBench =\n%+v\nwant\n%+v", got, want)
	}
}

func TestSummarizeTakesMediansAndPeak(t *testing.T) {
	t.Parallel()
	got := summarize([]loadResult{
		{RPS: 100, P50: time.Millisecond, P99: 5 * time.Millisecond, PeakRSS: 10, Non2xx: 1},
		{RPS: 300, P50: 3 * time.Millisecond, P99: 9 * time.Millisecond, PeakRSS: 30, Non2xx: 2},
		{RPS: 200, P50: 2 * time.Millisecond, P99: 7 * time.Millisecond, PeakRSS: 20},
	})
	want := loadResult{RPS: 200, P50: 2 * time.Millisecond, P99: 7 * time.Millisecond, PeakRSS: 30, Non2xx: 3}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
}
