package bench

import "net/http"

// HookJSON is the hook API's 200 example, the fixed answer of the bare baseline.
var HookJSON = []byte(`{"id":"1573","type":"github","callback_url":"https://example.com/webhook"}`)

// Bare is the baseline handler: the least a Go server can do for the hook API, writing the
// fixed 200 JSON without reading, routing or validating anything. The baseline binary
// (bench/baseline) serves it, and the handler benchmarks compare against it.
func Bare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(HookJSON)
	})
}
