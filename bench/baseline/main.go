// Command baseline is the yardstick of `make bench`: the least a Go server can do for the
// hook API, a net/http handler that writes the hook's fixed 200 JSON without reading,
// routing or validating anything. hookkit's numbers are reported as ratios against it.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
)

var body = []byte(`{"id":"1573","type":"github","callback_url":"https://example.com/webhook"}`)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, "baseline:", err)
	os.Exit(1)
}
