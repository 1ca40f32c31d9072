// Command baseline is the yardstick of `make bench`: bench.Bare, a net/http handler that
// writes the hook's fixed 200 JSON, served on loopback. hookkit's numbers are reported as
// ratios against it.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/hookkit/hookkit/bench"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	err = http.Serve(ln, bench.Bare())
	fmt.Fprintln(os.Stderr, "baseline:", err)
	os.Exit(1)
}
