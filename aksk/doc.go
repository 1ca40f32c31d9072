// Package aksk implements Huawei Cloud API Gateway's SDK-HMAC-SHA256 request signing
// ("AK/SK authentication"): one signer, used by the contract checker to sign requests and
// by the mock server to verify them, so the two can never disagree about the algorithm.
//
// # The signature
//
// A signed request carries `X-Sdk-Date: 20060102T150405Z` (UTC) and
//
//	Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=HEX
//
// where HEX = hex(HMAC-SHA256(SK, StringToSign)), StringToSign =
// "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(SHA-256(CanonicalRequest)) and
// CanonicalRequest is method, canonical URI, canonical query, canonical headers, signed
// header names and the body's hex SHA-256, one per line (see [CanonicalRequest]).
//
// # Reference
//
// The algorithm is pinned by test vectors that the official Huawei Cloud Go SDK's signer
// (github.com/huaweicloud/huaweicloud-sdk-go-v3 v0.1.207, core/auth/signer) produced:
// testdata/sdk-vectors.json, written by the program in testdata/refgen (its own module,
// so the SDK and its dependencies never enter hookkit's go.mod). The SDK module pulls in
// a MongoDB driver, SM2/SM3 crypto and a YAML library; signing needs none of it.
//
// # Example
//
//	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
//	req.Header.Set("Content-Type", "application/json")
//	signed, err := aksk.Sign(req, body, ak, sk, time.Now())
//
//	v := &aksk.Verifier{SecretKey: lookup}
//	res, err := v.Verify(req, body) // *aksk.Error with a Reason when refused
package aksk
