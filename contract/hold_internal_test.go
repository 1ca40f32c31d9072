package contract

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestHold pins what the transport holds of a body and hands back, whatever length the
// message announced: the true one, a wrong one or none.
func TestHold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		body         string
		size, limit  int64
		wantHeld     string
		wantComplete bool
	}{
		{name: "known length", body: "hello", size: 5, limit: 10, wantHeld: "hello", wantComplete: true},
		{name: "unknown length", body: "hello", size: -1, limit: 10, wantHeld: "hello", wantComplete: true},
		{name: "announced shorter than sent", body: "hello world", size: 3, limit: 64, wantHeld: "hello world", wantComplete: true},
		{name: "announced longer than sent", body: "hi", size: 50, limit: 64, wantHeld: "hi", wantComplete: true},
		{name: "exactly the limit", body: "0123456789", size: 10, limit: 10, wantHeld: "0123456789", wantComplete: true},
		{name: "over the limit", body: strings.Repeat("x", 2000), size: -1, limit: 1000, wantHeld: strings.Repeat("x", 1000)},
		{name: "over the limit, known", body: strings.Repeat("y", 2000), size: 2000, limit: 1000, wantHeld: strings.Repeat("y", 1000)},
		{name: "empty", body: "", size: 0, limit: 10, wantHeld: "", wantComplete: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// One byte per Read: the buffer must grow and the limit hold across reads.
			body := io.NopCloser(iotest.OneByteReader(strings.NewReader(tt.body)))
			held, rest, complete, err := hold(body, tt.size, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if string(held) != tt.wantHeld || complete != tt.wantComplete {
				t.Errorf("held %d bytes, complete %v; want %d bytes, %v", len(held), complete, len(tt.wantHeld), tt.wantComplete)
			}
			whole, err := io.ReadAll(rest)
			if err != nil || string(whole) != tt.body {
				t.Errorf("rest yields %d bytes (%v), want the whole body of %d", len(whole), err, len(tt.body))
			}
		})
	}
}
