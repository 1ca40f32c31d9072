// Package webhook builds the webhook deliveries a repository host sends when a hook fires,
// signed with the hook's secret the way each host signs them, and verifies them. The mock
// server sends these deliveries to registered hooks (mockserver/hookapi) and
// `hookkit check-receiver` sends them to a receiver under test (package contract), so both
// sides use one definition of each format.
//
// # Formats
//
//   - github: JSON body; `X-GitHub-Event` (push, ping), `X-GitHub-Delivery` (a UUID),
//     `X-GitHub-Hook-ID`, and `X-Hub-Signature-256: sha256=HEX`, the hex HMAC-SHA256 of the
//     body keyed with the secret.
//   - gitlab: JSON body; `X-Gitlab-Event` (`Push Hook`, `Tag Push Hook`),
//     `X-Gitlab-Event-UUID`, and `X-Gitlab-Token`, the secret itself (GitLab does not sign
//     the body). GitLab has no ping event: a `ping` of a gitlab hook sends a `Push Hook`,
//     as GitLab's "Test" button does.
package webhook
