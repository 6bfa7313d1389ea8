-- The rule-set store (DECLUTTER_STORE=postgres://...): every saved version of every set, and which
-- version of each set is current. A deleted set loses its row in declutter_rulesets; its versions
-- stay, so a set created again under the same id continues their numbering.
CREATE TABLE declutter_ruleset_versions (
  id text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  -- The set as YAML, comments and layout as written (an imported file keeps its own).
  body text NOT NULL,
  saved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);

CREATE TABLE declutter_rulesets (
  id text PRIMARY KEY,
  version integer NOT NULL,
  FOREIGN KEY (id, version) REFERENCES declutter_ruleset_versions (id, version)
);
