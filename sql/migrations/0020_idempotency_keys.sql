-- 0020: Idempotency-Key on the filing routes (POST /api/cases, /api/public/reports, /api/needs and
-- Open311's requests.json). A filing's answer is stored here in the same transaction (for cases,
-- the same statement) as the filing itself, so after a crash a retry finds its key exactly when
-- the filing was committed, and is answered what the first request would have been. Keys are
-- kept 24 hours (server/src/http/idempotency.ts prunes older ones).
--   key_hash     SHA-256 of the caller's scope (a user, an Open311 system, the public page) and the key
--   fingerprint  SHA-256 of the request (route, fields, photos): the same key with another request is refused
--   body         the answer's JSON, or
--   sealed       the answer encrypted with a key derived from the Idempotency-Key and the request,
--                which are not stored (a resident's answer holds the follow token, which the
--                database otherwise keeps only as a digest)
CREATE TABLE idempotency_keys (
  key_hash text PRIMARY KEY,
  fingerprint text NOT NULL,
  status smallint NOT NULL CHECK (status BETWEEN 200 AND 299),
  body text,
  sealed bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT idempotency_keys_one_answer CHECK ((body IS NULL) <> (sealed IS NULL))
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
