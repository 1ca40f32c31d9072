// Package bench holds hookkit's benchmarks and the bare net/http baseline they are compared
// with. `make bench` (bench/cmd/benchrun) runs them together with end-to-end load tests of
// the real binaries and writes bench/RESULTS.md; CI runs them briefly so they cannot rot.
package bench
