package hookapi

import "testing"

// TestQueueSlidingWindow drives the queue as the store does once full (push one, pop the
// oldest) across many front moves: it stays in order and stops growing its array.
func TestQueueSlidingWindow(t *testing.T) {
	for _, window := range []int{1, 3, 31, 32, 33, 100} {
		var q queue[int]
		for i := range window {
			q.push(i)
		}
		grown := 0
		for i := window; i < window+20*window+200; i++ {
			c := cap(q.items)
			q.push(i)
			if cap(q.items) != c && i > window+4*window+100 {
				grown++
			}
			if got, want := q.pop(), i-window; got != want {
				t.Fatalf("window %d: pop = %d, want %d", window, got, want)
			}
			if q.len() != window {
				t.Fatalf("window %d: len = %d", window, q.len())
			}
			for j, v := range q.all() {
				if v != i-window+1+j {
					t.Fatalf("window %d: all()[%d] = %d, want %d", window, j, v, i-window+1+j)
				}
			}
		}
		if grown > 0 {
			t.Errorf("window %d: the array grew %d times in the steady state", window, grown)
		}
		for q.len() > 0 {
			q.pop()
		}
		if q.head != 0 || len(q.items) != 0 {
			t.Errorf("window %d: emptied queue has head %d, len %d", window, q.head, len(q.items))
		}
	}
}
