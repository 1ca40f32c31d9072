package mockserver

import (
	"errors"
	"net/http"
	"time"

	"github.com/hookkit/hookkit/aksk"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/openapi"
)

// akskAuth verifies the AK/SK signatures of requests.
type akskAuth struct {
	v        aksk.Verifier
	verifies bool
}

// newAKSKAuth builds the verifier of cfg; now is its clock (nil: time.Now). The secret keys
// were read by config.Resolve.
func newAKSKAuth(cfg config.AuthConfig, now func() time.Time) *akskAuth {
	a := &akskAuth{v: aksk.Verifier{MaxSkew: cfg.MaxSkew, Now: now}}
	if len(cfg.AKSK) > 0 {
		keys := make(map[string]string, len(cfg.AKSK))
		for i := range cfg.AKSK {
			keys[cfg.AKSK[i].AccessKey] = cfg.AKSK[i].SecretKey()
		}
		a.v.SecretKey = func(ak string) (string, bool) {
			sk, ok := keys[ak]
			return sk, ok
		}
		a.verifies = true
	}
	return a
}

// akskOutcome is what Check found about a request's signature.
type akskOutcome struct {
	// Signed is set when the request carried an SDK-HMAC-SHA256 signature.
	Signed bool
	// AccessKey is the access key the signature names (shown in journal and logs; the
	// signature and secret key never are).
	AccessKey string
	// Note is "signature verified" or "signature not verified" for accepted signatures.
	Note string
	// Problem is the refusal, nil when the signature was accepted.
	Problem *openapi.Problem
}

// Check judges the signature of r (body already read). Requests without an
// SDK-HMAC-SHA256 Authorization header get a zero akskOutcome: the document's security
// check decides about them.
func (a *akskAuth) Check(r *http.Request, body []byte) akskOutcome {
	res, err := a.v.Verify(r, body)
	if errors.Is(err, aksk.ErrNotThisScheme) {
		return akskOutcome{}
	}
	var ve *aksk.Error
	if errors.As(err, &ve) {
		return akskOutcome{Signed: true, AccessKey: ve.AccessKey, Problem: &openapi.Problem{
			Kind: openapi.InvalidSignature, In: "header", Name: "Authorization", Message: ve.Msg,
		}}
	}
	out := akskOutcome{Signed: true, AccessKey: res.AccessKey, Note: "signature verified"}
	if !res.Verified {
		out.Note = "signature not verified (no auth.aksk keys configured)"
	}
	return out
}
