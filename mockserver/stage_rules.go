package mockserver

import (
	"net/http"

	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/openapi"
)

// rulesStage lets the first matching config rule answer. Rules answer first, even
// invalid requests: like WireMock stubs, they let a user script exactly what a client
// sees, including answers to requests the document rejects. Validation problems are
// still journaled and logged.
func (s *Server) rulesStage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callOf(r)
		st, ex := c.st, &c.ex
		if st.rules.Len() == 0 {
			next.ServeHTTP(w, r)
			return
		}
		in := ruleInput(r, ex.match, ex.reqBody, c.tooLarge)
		rule := st.rules.Match(in)
		if rule == nil {
			next.ServeHTTP(w, r)
			return
		}
		in.DeclaredStatuses(c.plan.declares)
		ex.source, ex.rule = journal.SourceRule, rule.Name
		out, err := rule.Respond(w, r, in)
		ex.fault = out.Fault
		if err != nil && c.rec.status == 0 && !c.rec.hijacked && r.Context().Err() == nil {
			// A template failed for this request: the user's rule is at fault, and the
			// client learns it through the operation's error response.
			ex.problems = append(ex.problems, openapi.Problem{Kind: openapi.InvalidRequest, In: "rule", Name: rule.Name, Message: err.Error()})
			st.writeError(w, c.plan.errorsFor(ex.problems), ex.problems)
		}
	})
}

// declares reports whether the operation declares status (exactly, by range or default),
// the statuses a rule's templated status may render.
func (p *opPlan) declares(status int) bool {
	_, ok := p.statusFor(status)
	return ok
}

// ruleInput is the request as rules see it. The body is decoded only when it is JSON that
// passed the structural checks (UTF-8, nesting), so a hostile body cannot reach a decoder.
func ruleInput(r *http.Request, m *openapi.Match, body []byte, tooLarge bool) *config.Input {
	in := &config.Input{
		OperationID: m.Operation.ID,
		Method:      r.Method,
		Path:        m.Operation.Path,
		RawPath:     r.URL.EscapedPath(),
		PathParams:  m.PathParams,
		Query:       r.URL.Query(),
		Header:      r.Header,
	}
	if !tooLarge && len(body) > 0 && openapi.IsJSON(baseMediaType(r.Header.Get("Content-Type"))) {
		if _, ok := openapi.CheckJSON(body); ok {
			if v, err := openapi.DecodeJSON(body); err == nil {
				in.Body = v
			}
		}
	}
	return in
}
