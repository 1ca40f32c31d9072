package contract

import (
	"crypto/sha256"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hookkit/hookkit/openapi"
)

// responseMemo remembers the verdicts on responses: a server (a mock above all) answers
// many cases of an operation with the same body, and validating a large body against a
// large schema is most of what a check costs (Stripe's document: 16 of 27 s). A verdict
// depends only on the operation, the request's method (a HEAD routed to the GET operation
// is not judged by kin-openapi), the status, the Content-Type, the headers the response
// declares and the body, which make the key (the headers and the body by their SHA-256:
// a server's header values may take megabytes, and 8192 keys would keep them all). At
// most maxResponseMemo verdicts are kept.
type responseMemo struct {
	mu sync.Mutex
	m  map[responseKey]openapi.Problems
}

const maxResponseMemo = 8192

type responseKey struct {
	operation string
	method    string
	status    int
	headers   [sha256.Size]byte // Content-Type and the declared headers, as name=value lines
	body      [sha256.Size]byte
}

// validate returns check's verdict (doc.ValidateResponse's on the exchange), from memory
// when the same response was judged before; a nil memo always checks.
func (rm *responseMemo) validate(check func() openapi.Problems, method string, m *openapi.Match, status int, header http.Header, body []byte) openapi.Problems {
	if rm == nil {
		return check()
	}
	key := responseKey{operation: m.Operation.ID, method: method, status: status, headers: sha256.Sum256([]byte(declaredHeaders(m, status, header))), body: sha256.Sum256(body)}
	rm.mu.Lock()
	p, ok := rm.m[key]
	rm.mu.Unlock()
	if ok {
		return slices.Clone(p)
	}
	p = check()
	rm.mu.Lock()
	if rm.m == nil {
		rm.m = map[responseKey]openapi.Problems{}
	}
	if len(rm.m) < maxResponseMemo {
		rm.m[key] = slices.Clone(p)
	}
	rm.mu.Unlock()
	return p
}

// declaredHeaders writes the Content-Type and the values of the headers the response for
// status declares, in a fixed order.
func declaredHeaders(m *openapi.Match, status int, header http.Header) string {
	var b strings.Builder
	b.WriteString("content-type=" + strings.Join(header.Values("Content-Type"), ",") + "\n")
	if resp := openapi.ResponseFor(m.Operation.Operation, status); resp != nil {
		names := make([]string, 0, len(resp.Headers))
		for name := range resp.Headers {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			vs := header.Values(name)
			b.WriteString(strings.ToLower(name) + "=" + strconv.Itoa(len(vs)) + ":" + strings.Join(vs, "\x00") + "\n")
		}
	}
	return b.String()
}
