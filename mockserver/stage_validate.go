package mockserver

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/hookkit/hookkit/openapi"
)

// validateStage reads the body (up to the limit) and collects every problem of the
// request: the document's validation, a refused AK/SK signature (first, as kin-openapi
// checks security first), a credential auth.tokens does not accept. It answers nothing:
// rules may still answer an invalid request, and invalidStage answers the others.
func (s *Server) validateStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		st, m, ex := c.st, c.ex.match, &c.ex
		c.plan = st.plans[m.Operation].get()
		body, tooLarge := s.readBody(w, r)
		c.tooLarge = tooLarge
		if tooLarge {
			ex.problems = openapi.Problems{{Kind: openapi.BodyTooLarge, In: "body",
				Message: fmt.Sprintf("body is larger than the limit of %d bytes", s.maxBody)}}
			r.Body = http.NoBody
		} else {
			ex.reqBody = body
			ex.problems = st.doc.ValidateRequest(r.Context(), r, m, body)
			if st.auth != nil {
				s.checkSignature(st, r, body, ex)
			}
		}
		// Credentials: judged against auth.tokens when configured; otherwise the answer
		// says that a present credential was not verified, so a checker can tell why a
		// wrong one was accepted (contract's invalid-credential case).
		if m.Operation.RequiresCredential() {
			if st.cfg.ChecksTokens() {
				if rejected := st.doc.CheckCredentials(r, m.Operation, st.cfg.AcceptsToken); rejected != nil {
					ex.problems = append(rejected, ex.problems...)
				}
			} else {
				w.Header().Set(AuthVerifiedHeader, "no")
			}
		}
		next.ServeHTTP(w, r)
	})
}

// checkSignature judges an AK/SK signature. A refusal comes first among the problems, as
// kin-openapi checks security first, so it chooses the credential error.
func (s *Server) checkSignature(st *state, r *http.Request, body []byte, ex *exchange) {
	out := st.auth.Check(r, body)
	if !out.Signed {
		return
	}
	if out.Problem != nil {
		ex.problems = append(openapi.Problems{*out.Problem}, ex.problems...)
		ex.auth = "aksk " + out.AccessKey + ": signature refused (" + string(out.Problem.Kind) + ")"
		if out.AccessKey == "" {
			ex.auth = "aksk: malformed signature"
		}
		return
	}
	ex.auth = "aksk " + out.AccessKey + ": " + out.Note
}

// readBody reads the whole body up to the limit. It reports tooLarge instead of an error:
// a body cut short by the client is simply shorter and fails validation on its own.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, false
	}
	if r.ContentLength > s.maxBody {
		return nil, true
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, true
	}
	return body, false
}
