-- 0008: residents' reports without an account (居民点单, the public report page and Open311 POST).
-- The case itself is an ordinary row of cases (reporter_kind 'resident', no reporter user); this
-- table holds what only a public report has: the hash of its private follow token, and the keys
-- its abuse limits count by. Addresses and phone numbers are kept as SHA-256 digests here (the
-- limits need equality only); the phone a resident chose to leave is on the case, as personal
-- data, for the staff who may call back.
CREATE TABLE public_reports (
  case_id integer PRIMARY KEY REFERENCES cases (id),
  -- SHA-256 (hex) of the follow token; the token is only in the resident's link
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  -- 'web' (the report page) or 'open311' (another system, by API key)
  channel text NOT NULL CHECK (channel IN ('web', 'open311')),
  -- SHA-256 (hex) of the client address and of the phone number, for the limits
  address_key text NOT NULL CHECK (address_key ~ '^[0-9a-f]{64}$'),
  phone_key text CHECK (phone_key ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_reports_address_idx ON public_reports (address_key, created_at);
CREATE INDEX public_reports_phone_idx ON public_reports (phone_key, created_at) WHERE phone_key IS NOT NULL;
