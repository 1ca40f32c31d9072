// Package hookapi holds what the mock does only for ServiceStage's hook API: verifying
// AK/SK (SDK-HMAC-SHA256) request signatures, and delivering webhooks to the hooks the
// typed handler created, signed with each hook's secret.
//
// # AK/SK
//
// [NewAuth] builds the verifier of a config's `auth` section on package aksk, the same
// signer `hookkit check` signs with. A request whose Authorization header is an
// SDK-HMAC-SHA256 signature is verified (or, without configured keys, only checked for
// form and a fresh date); a refusal is a [openapi.Problem] of kind [KindInvalidSignature]
// whose message never contains a signature or secret key.
//
// # Deliveries
//
// A [Deliverer] sends deliveries (package webhook) to callback URLs on its own
// goroutines, retrying 5xx answers, timeouts and connection errors with a doubling
// backoff, and keeps the last [MaxDeliveries] records, redacted, for the admin API
// (`GET /__admin/deliveries`). Only loopback hosts, and hosts in
// `hooks.deliver.allowHosts`, are ever contacted: a refused delivery is recorded, not sent.
package hookapi
