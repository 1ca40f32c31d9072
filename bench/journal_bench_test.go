package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// BenchmarkRequestWhileListing measures the latency of valid hook requests to the real
// mock over loopback while the journal is refilled and listed: the case of issue 9, where
// the first listing of 1,000 entries with 15 KB bodies redacted them under the lock every
// request takes to record itself (~105 ms of stalled traffic). Three runs:
//
//   - quiet: nothing else runs;
//   - refill: a goroutine clears the journal and fills it with 1,000 requests of 15 KB
//     JSON bodies (served by the same mock in process), again and again;
//   - refill+list: the same, and after each refill it lists the journal, the first listing
//     of those entries, which redacts all of them.
//
// The listing must not raise the requests' p99 above refill's: only the CPU it shares
// with them may cost anything. Requests are sent one at a time on a fixed schedule, one
// every requestInterval, and each one's latency counts from its scheduled time, so a stall
// delays every request due during it (a client that waits for each answer before
// scheduling the next would see one slow request per stall, and a p99 blind to it). Each
// op is one request, so ns/op is about the interval; p99-ns and max-ns are the numbers.
// refill+list also splits its requests by whether a listing ran at some time between
// their scheduled time and their answer (p99-listing-ns, p99-between-ns): the two halves
// of one run share the machine's load, so on a busy machine they compare better than runs
// do.
func BenchmarkRequestWhileListing(b *testing.B) {
	// requestInterval leaves the mock idle most of the time even on a loaded 2-core
	// machine, so latencies measure stalls, not a queue the schedule itself builds.
	const requestInterval = 2 * time.Millisecond
	hooks, err := openapi.Default()
	if err != nil {
		b.Fatal(err)
	}
	big := `{"secret":"**********","url":"https://example.com/webhook","note":"` + strings.Repeat("n", 15<<10) + `"}`
	for _, mode := range []string{"quiet", "refill", "refill+list"} {
		b.Run(mode, func(b *testing.B) {
			mock := newMock(b, hooks)
			srv := httptest.NewServer(mock)
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			defer client.CloseIdleConnections()
			send := func() int {
				req, _ := http.NewRequest("POST", srv.URL+hookPath, strings.NewReader(validHook))
				req.Header = hookRequest(validHook, nil).Header
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				return resp.StatusCode
			}
			if code := send(); code != 200 {
				b.Fatalf("status %d", code)
			}

			var stop atomic.Bool
			var mu sync.Mutex
			var lists [][2]time.Time // when each listing started and ended
			var wg sync.WaitGroup
			if mode != "quiet" {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for !stop.Load() {
						mock.Journal().Clear()
						for i := 0; i < 1000 && !stop.Load(); i++ {
							mock.ServeHTTP(httptest.NewRecorder(), hookRequest(big, nil))
						}
						if mode == "refill+list" && !stop.Load() {
							t0 := time.Now()
							n := len(mock.Journal().List(journal.Filter{}))
							mu.Lock()
							lists = append(lists, [2]time.Time{t0, time.Now()})
							mu.Unlock()
							if n < 1000 {
								b.Errorf("listed %d entries, want 1,000", n)
							}
						}
					}
				}()
			}
			lat := make([]time.Duration, 0, b.N)
			var spans [][2]time.Time // each request's scheduled time and answer
			start := time.Now()
			for i := 0; b.Loop(); i++ {
				due := start.Add(time.Duration(i) * requestInterval)
				if wait := time.Until(due); wait > 0 {
					time.Sleep(wait) // pacing the schedule, not waiting for another goroutine
				}
				if code := send(); code != 200 {
					b.Fatalf("status %d", code)
				}
				done := time.Now()
				lat = append(lat, done.Sub(due))
				spans = append(spans, [2]time.Time{due, done})
			}
			stop.Store(true)
			wg.Wait()
			b.ReportMetric(p99(lat), "p99-ns")
			b.ReportMetric(float64(slices.Max(lat).Nanoseconds()), "max-ns")
			if mode == "refill+list" {
				var during, between []time.Duration
				for _, r := range spans {
					overlaps := slices.ContainsFunc(lists, func(l [2]time.Time) bool { return l[0].Before(r[1]) && r[0].Before(l[1]) })
					if overlaps {
						during = append(during, r[1].Sub(r[0]))
					} else {
						between = append(between, r[1].Sub(r[0]))
					}
				}
				b.ReportMetric(float64(len(lists)), "listings")
				b.ReportMetric(p99(during), "p99-listing-ns")
				b.ReportMetric(p99(between), "p99-between-ns")
			}
		})
	}
}

// p99 returns the 99th percentile of ds in nanoseconds, 0 for none.
func p99(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return float64(ds[len(ds)*99/100].Nanoseconds())
}
