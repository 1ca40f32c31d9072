package ring

import (
	"fmt"
	"slices"
	"testing"
)

// values lists what r holds, oldest first.
func values(r *Ring[int]) []int {
	out := []int{}
	for i := range r.Len() {
		out = append(out, *r.At(i))
	}
	return out
}

// TestPushKeepsNewest: a full ring drops its oldest value per push, and so does a budget
// exceeded (the newest value is always kept); Push counts what it dropped.
func TestPushKeepsNewest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		size        int
		budget      int64
		costs       []int64 // one push each, values 1, 2, 3...
		want        []int
		wantDropped int
		wantBytes   int64
	}{
		{name: "under capacity", size: 5, costs: []int64{1, 1, 1}, want: []int{1, 2, 3}, wantBytes: 3},
		{name: "exactly full", size: 3, costs: []int64{1, 1, 1}, want: []int{1, 2, 3}, wantBytes: 3},
		{name: "full drops oldest", size: 3, costs: []int64{1, 2, 3, 4, 5, 6, 7}, want: []int{5, 6, 7}, wantDropped: 4, wantBytes: 18},
		{name: "size one", size: 1, costs: []int64{1, 1, 1, 1}, want: []int{4}, wantDropped: 3, wantBytes: 1},
		{name: "off keeps nothing", size: 0, costs: []int64{1, 1}, want: []int{}, wantDropped: 2},
		{name: "negative is off", size: -2, costs: []int64{1}, want: []int{}, wantDropped: 1},
		{name: "budget drops oldest", size: 10, budget: 10, costs: []int64{4, 4, 4, 4}, want: []int{3, 4}, wantDropped: 2, wantBytes: 8},
		{name: "budget keeps the newest whatever its cost", size: 10, budget: 10, costs: []int64{4, 50}, want: []int{2}, wantDropped: 1, wantBytes: 50},
		{name: "full and over budget", size: 2, budget: 5, costs: []int64{1, 1, 5}, want: []int{3}, wantDropped: 2, wantBytes: 5},
		{name: "no budget", size: 4, budget: 0, costs: []int64{1 << 40, 1 << 40}, want: []int{1, 2}, wantBytes: 2 << 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := New[int](tc.size, tc.budget)
			dropped := 0
			for i, c := range tc.costs {
				dropped += r.Push(i+1, c)
			}
			if got := values(r); !slices.Equal(got, tc.want) {
				t.Errorf("holds %v, want %v", got, tc.want)
			}
			if dropped != tc.wantDropped || r.Bytes() != tc.wantBytes {
				t.Errorf("dropped %d, bytes %d; want %d, %d", dropped, r.Bytes(), tc.wantDropped, tc.wantBytes)
			}
		})
	}
}

// TestSetMaxBytes: lowering the budget drops the oldest values at once, down to the newest.
func TestSetMaxBytes(t *testing.T) {
	t.Parallel()
	r := New[int](10, 0)
	for i := range 5 {
		r.Push(i+1, 10)
	}
	if d := r.SetMaxBytes(25); d != 3 || !slices.Equal(values(r), []int{4, 5}) {
		t.Errorf("budget 25: dropped %d, holds %v", d, values(r))
	}
	if d := r.SetMaxBytes(1); d != 1 || !slices.Equal(values(r), []int{5}) || r.Bytes() != 10 {
		t.Errorf("budget 1: dropped %d, holds %v (%d bytes)", d, values(r), r.Bytes())
	}
}

// TestResize: a resized ring keeps the newest values that fit, oldest first, and goes on
// dropping in order.
func TestResize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		from, push int
		to         int
		want       []int
		thenPush   []int // values after pushing 100
	}{
		{"shrink keeps newest", 5, 5, 2, []int{4, 5}, []int{5, 100}},
		{"shrink a wrapped ring", 3, 5, 2, []int{4, 5}, []int{5, 100}},
		{"grow keeps all", 2, 3, 4, []int{2, 3}, []int{2, 3, 100}},
		{"off drops all", 3, 3, 0, []int{}, []int{}},
		{"on again", 0, 3, 2, []int{}, []int{100}},
		{"same size", 3, 4, 3, []int{2, 3, 4}, []int{3, 4, 100}},
		{"capped", 1, 1, MaxSize + 1, []int{1}, []int{1, 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := New[int](tc.from, 0)
			for i := range tc.push {
				r.Push(i+1, 1)
			}
			r.Resize(tc.to)
			if got := values(r); !slices.Equal(got, tc.want) || r.Bytes() != int64(len(tc.want)) {
				t.Errorf("after Resize(%d): %v (%d bytes), want %v", tc.to, got, r.Bytes(), tc.want)
			}
			r.Push(100, 1)
			if got := values(r); !slices.Equal(got, tc.thenPush) {
				t.Errorf("then Push: %v, want %v", got, tc.thenPush)
			}
			if want := min(tc.to, MaxSize); r.Cap() != want {
				t.Errorf("Cap = %d, want %d", r.Cap(), want)
			}
		})
	}
}

// TestClearAndAt: Clear forgets every value and its cost; At reaches every value held and
// refuses an index beyond them.
func TestClearAndAt(t *testing.T) {
	t.Parallel()
	r := New[int](3, 0)
	for i := range 4 {
		r.Push(i+1, 7)
	}
	*r.At(0) = 20
	if got := values(r); !slices.Equal(got, []int{20, 3, 4}) {
		t.Errorf("after writing through At(0): %v", got)
	}
	r.Clear()
	if r.Len() != 0 || r.Bytes() != 0 || r.Cap() != 3 {
		t.Errorf("after Clear: len %d, bytes %d, cap %d", r.Len(), r.Bytes(), r.Cap())
	}
	r.Push(9, 1)
	if got := values(r); !slices.Equal(got, []int{9}) {
		t.Errorf("after Clear and Push: %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("At(1) of a ring holding one value did not panic")
		}
	}()
	r.At(1)
}

// TestMaxSizeCapsNew: a size beyond MaxSize is capped, so a config or flag cannot make the
// up-front allocation exhaust memory.
func TestMaxSizeCapsNew(t *testing.T) {
	t.Parallel()
	if c := New[int](1<<40, 0).Cap(); c != MaxSize {
		t.Errorf("Cap = %d, want %d", c, MaxSize)
	}
}

// BenchmarkPushFull measures a push into a full ring, which drops the oldest value, at the
// default size and at MaxSize: the cost does not grow with the size (the proxy's journal
// used to shift its whole slice on every drop).
func BenchmarkPushFull(b *testing.B) {
	for _, size := range []int{DefaultSize, MaxSize} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			r := New[*int](size, DefaultMaxBytes)
			v := new(int)
			for range size {
				r.Push(v, 1)
			}
			for b.Loop() {
				r.Push(v, 1)
			}
		})
	}
}
