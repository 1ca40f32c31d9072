package contract_test

import (
	"io"
	"net/http"
)

func ioReadAll(resp *http.Response) (string, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func ioCopy(w io.Writer, r *http.Request) (int64, error) { return io.Copy(w, r.Body) }
