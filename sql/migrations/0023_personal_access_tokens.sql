-- 0023: personal access tokens, for GIS software (QGIS, GDAL) reading the OGC API under /ogc as
-- the user who created the token: the same scope, reads of /ogc only, never the /api routes.
-- A token is shown once when it is created; only its SHA-256 is kept. Revoking keeps the row
-- (revoked_at) so the list shows what existed; a revoked token, or one whose user is
-- deactivated, is refused.
--   prefix        the token's first characters, for telling one's tokens apart in the list
--   last_used_at  the last time it was accepted (written at most once a minute)
CREATE TABLE personal_access_tokens (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX personal_access_tokens_user_idx ON personal_access_tokens (user_id);
