package journal

import (
	"net/http"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// Capture builds a redacted Entry from a request and the answer sent: the URL's secret
// query values, secret headers (the document's credentials, Authorization, cookies...) and
// secret body fields (the hook's secret, anything named like a password or token) are
// replaced by [openapi.Redacted]. The caller fills Source, Rule, Fault, Problems and
// Duration, which hold no request values.
func Capture(red *openapi.Redactor, req *http.Request, reqBody []byte, status int, respHeader http.Header, respBody []byte) Entry {
	e := Entry{
		Time:           time.Now(),
		Method:         req.Method,
		URL:            red.URL(req.URL),
		RequestHeader:  red.Header(req.Header),
		RequestBody:    Truncate(string(red.Body(req.Header.Get("Content-Type"), reqBody))),
		Status:         status,
		ResponseHeader: red.Header(respHeader),
		ResponseBody:   Truncate(string(red.Body(respHeader.Get("Content-Type"), respBody))),
	}
	return e
}
